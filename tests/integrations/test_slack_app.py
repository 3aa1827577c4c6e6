"""The Slack app end to end: signed requests over HTTP to `braingain serve` (waitress on a loopback
port), the app's WebClient and its replies against the loopback fake Slack, the sample group in a
local workbook written by the desk."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from braingain.integrations.slack import app as slack_app
from braingain.sample import sample_group
from tests.fakes.slack import FakeSlack
from tests.fakes.zoom_support import Clock
from tests.integrations.platform_support import TODAY
from tests.integrations.serve_support import (
    HEAD,
    IN_PROGRESS,
    LEADER,
    MEMBER,
    OPEN_TASK,
    Served,
    add_members,
    eventually,
    offers,
    pressed,
    row_of,
    rows,
    serve_group,
    syncs_after,
)


@pytest.fixture
def served(tmp_path: Path, fake_slack: FakeSlack) -> Iterator[Served]:
    add_members(fake_slack)
    yield from serve_group(tmp_path / "group", fake_slack)


# -- signatures ---------------------------------------------------------------------------------


def test_a_forged_signature_is_refused_with_401_and_runs_nothing(served: Served) -> None:
    before = rows(served, "volunteers")
    answer, url = served.command(MEMBER, f"volunteer {OPEN_TASK}", secret="not-the-apps-secret")
    assert answer.status_code == 401
    time.sleep(0.3)
    assert served.fake.responses(url) == []
    assert rows(served, "volunteers") == before
    assert len(served.synced) == 1


def test_a_request_signed_more_than_five_minutes_ago_is_refused_with_401(served: Served) -> None:
    answer, url = served.command(MEMBER, f"volunteer {OPEN_TASK}", at=time.time() - 6 * 60)
    assert answer.status_code == 401
    time.sleep(0.3)
    assert served.fake.responses(url) == []
    assert offers(served, OPEN_TASK) == 0


# -- /braingain ------------------------------------------------------------------------------------


def test_volunteer_writes_the_volunteers_row_answers_ephemerally_and_asks_for_a_sync(served: Served) -> None:
    answer, url = served.command(MEMBER, f"volunteer {OPEN_TASK} I did the last review")
    assert answer.status_code == 200
    assert served.reply(url).startswith(":white_check_mark:")
    assert offers(served, OPEN_TASK) == 1
    syncs_after(served, 1)


def test_a_member_calling_accept_is_told_it_is_for_leaders_and_nothing_is_written(served: Served) -> None:
    served.command(HEAD, f"submit {IN_PROGRESS}")
    eventually(lambda: row_of(served, "tasks", IN_PROGRESS)["Status"] == "submitted")
    before = rows(served, "tasks")
    _, url = served.command(MEMBER, f"accept {IN_PROGRESS}")
    said = served.reply(url)
    assert said.startswith(":no_entry:")
    assert "leader" in said.lower()
    assert rows(served, "tasks") == before


def test_submit_then_a_leaders_accept_record_the_work_as_accepted(served: Served) -> None:
    _, url = served.command(HEAD, f"submit {IN_PROGRESS} all four chapters")
    assert served.reply(url).startswith(":white_check_mark:")
    assert row_of(served, "tasks", IN_PROGRESS)["Status"] == "submitted"
    _, url = served.command(LEADER, f"accept {IN_PROGRESS} well done")
    assert served.reply(url).startswith(":white_check_mark:")
    assert row_of(served, "tasks", IN_PROGRESS)["Status"] == "accepted"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tasks", OPEN_TASK),
        ("my", "Your points"),
        ("points", "sr-migration"),
        ("points sr-migration", "sr-migration"),
        ("availability", "availability"),
        ("help", "/braingain"),
        ("", "volunteer TASK"),
    ],
)
def test_each_question_is_answered_ephemerally(served: Served, text: str, expected: str) -> None:
    _, url = served.command(HEAD, text)
    assert expected.lower() in served.reply(url).lower()


def test_the_points_table_names_members_by_name_never_by_id_or_email(served: Served) -> None:
    _, url = served.command(HEAD, "points sr-migration")
    said = served.reply(url)
    group = sample_group(TODAY)
    listed = [m for m in group.members.values() if m.name in said]
    assert listed
    assert not any(f". {m.id}:" in said for m in group.members.values())
    assert "@" not in said


def test_an_unknown_subcommand_gets_the_help_with_the_closest_one(served: Served) -> None:
    _, url = served.command(MEMBER, "volunter SR-T09")
    said = served.reply(url)
    assert "`volunter` is not a braingain command. Did you mean `volunteer`?" in said
    assert "accept TASK" not in said  # a member is not shown the leaders' commands


def test_the_leaders_help_lists_accept_and_rework(served: Served) -> None:
    _, url = served.command(LEADER, "help")
    assert "accept TASK" in served.reply(url)


def test_a_subcommand_without_its_task_says_what_it_needs(served: Served) -> None:
    _, url = served.command(MEMBER, "volunteer")
    assert served.reply(url) == "That needs more: `/braingain volunteer TASK [note]`."


def test_availability_away_records_the_dates(served: Served) -> None:
    before = len(rows(served, "availability"))
    _, url = served.command(MEMBER, "availability away 2027-02-01 2027-02-07 conference")
    assert served.reply(url).startswith(":white_check_mark:")
    assert len(rows(served, "availability")) == before + 1


def test_availability_away_with_a_word_that_is_not_a_date_says_how_to_write_it(served: Served) -> None:
    _, url = served.command(MEMBER, "availability away tomorrow")
    assert "is not a date" in served.reply(url)


def test_excuse_adds_the_member_to_the_meeting(served: Served) -> None:
    _, url = served.command(MEMBER, "excuse 2027-01-16")
    assert served.reply(url).startswith(":white_check_mark:")
    assert "osas.igbinoba" in str(row_of(served, "meetings", "2027-01-16"))


def test_dispute_records_the_members_dispute_of_their_own_ledger_entry(served: Served) -> None:
    before = len(rows(served, "disputes"))
    _, url = served.command(HEAD, "dispute award:SR-T02:amara.okorafor I led the screening")
    assert served.reply(url).startswith(":white_check_mark:")
    table = rows(served, "disputes")
    assert len(table) == before + 1
    assert "I led the screening" in table[-1]


def test_dispute_of_an_entry_there_is_not_is_refused_with_what_to_do(served: Served) -> None:
    before = rows(served, "disputes")
    _, url = served.command(HEAD, "dispute L-001 my share")
    said = served.reply(url)
    assert said.startswith(":no_entry: there is no Ledger entry")
    assert "\n" in said  # then what to do
    assert rows(served, "disputes") == before


def test_dispute_without_a_reason_says_what_it_needs(served: Served) -> None:
    _, url = served.command(MEMBER, "dispute L1")
    assert served.reply(url) == "That needs more: `/braingain dispute ENTRY reason`."


def test_someone_not_on_the_members_tab_is_told_so(served: Served) -> None:
    stranger = served.fake.add_user("stranger", email="stranger@slack.test")
    _, url = served.command(stranger, "my")
    assert served.reply(url).startswith(":no_entry:")


# -- Home tab, buttons, modal ---------------------------------------------------------------------


def test_opening_the_home_tab_publishes_my_tasks_points_and_the_next_meeting(served: Served) -> None:
    assert served.event({"type": "app_home_opened", "user": HEAD, "tab": "home"}).status_code == 200
    view = eventually(lambda: served.fake.home_views().get(HEAD) or {})
    text = str(view["blocks"])
    assert IN_PROGRESS in text
    assert "Your points" in text
    assert "<!date^" in text  # the next meeting in each reader's own time
    buttons = [e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert {"action_id": slack_app.SUBMIT, "value": IN_PROGRESS}.items() <= next(
        b for b in buttons if b["action_id"] == slack_app.SUBMIT
    ).items()
    assert any(b["action_id"] == slack_app.VOLUNTEER and b["value"] == OPEN_TASK for b in buttons)


def test_the_volunteer_button_records_the_offer(served: Served) -> None:
    payload = pressed(served, MEMBER, slack_app.VOLUNTEER, OPEN_TASK)
    assert served.interact(payload).status_code == 200
    assert served.reply(payload["response_url"]).startswith(":white_check_mark:")
    assert offers(served, OPEN_TASK) == 1


def test_accept_pressed_by_a_member_gets_the_refusal_ephemerally(served: Served) -> None:
    served.command(HEAD, f"submit {IN_PROGRESS}")
    eventually(lambda: row_of(served, "tasks", IN_PROGRESS)["Status"] == "submitted")
    payload = pressed(served, MEMBER, slack_app.ACCEPT, IN_PROGRESS)
    served.interact(payload)
    said = served.reply(payload["response_url"])
    assert said.startswith(":no_entry:")
    assert "leader" in said.lower()
    assert row_of(served, "tasks", IN_PROGRESS)["Status"] == "submitted"


def test_a_button_on_the_home_tab_answers_by_drawing_the_home_tab_again(served: Served) -> None:
    served.interact(pressed(served, MEMBER, slack_app.VOLUNTEER, OPEN_TASK, on_message=False))
    view = eventually(lambda: served.fake.home_views().get(MEMBER) or {})
    assert ":white_check_mark:" in str(view["blocks"][0])


def test_needs_rework_opens_the_modal_and_its_submission_records_the_note(served: Served) -> None:
    served.command(HEAD, f"submit {IN_PROGRESS}")
    eventually(lambda: row_of(served, "tasks", IN_PROGRESS)["Status"] == "submitted")
    served.interact(pressed(served, LEADER, slack_app.REWORK, IN_PROGRESS))
    modal = eventually(served.fake.opened_views)[0]
    assert (modal["callback_id"], modal["private_metadata"]) == (slack_app.REWORK_VIEW, IN_PROGRESS)
    submission = {
        "type": "view_submission",
        "team": {"id": "T0FAKETEAM1"},
        "user": {"id": LEADER},
        "api_app_id": "A0BRAINGAIN",
        "trigger_id": served.fake.trigger(LEADER),
        "view": {
            **modal,
            "state": {
                "values": {
                    slack_app.NOTE_BLOCK: {
                        slack_app.NOTE_INPUT: {
                            "type": "plain_text_input",
                            "value": "criterion 2 is not met yet",
                        }
                    }
                }
            },
        },
    }
    answer = served.interact(submission)
    assert answer.status_code == 200
    assert answer.text in ("", "{}")  # the modal closes at once (Slack gives it 3 seconds)
    eventually(lambda: row_of(served, "tasks", IN_PROGRESS)["Status"] == "needs rework")
    assert "criterion 2 is not met yet" in str(row_of(served, "tasks", IN_PROGRESS).values())


def rework_submitted(note: str, task: str = IN_PROGRESS) -> dict[str, Any]:
    """A leader's submission of the rework modal for ``task`` with ``note`` typed in it."""
    return {
        "type": "view_submission",
        "team": {"id": "T0FAKETEAM1"},
        "user": {"id": LEADER},
        "api_app_id": "A0BRAINGAIN",
        "view": {
            **slack_app.rework_modal(task),
            "id": "V1",
            "state": {"values": {slack_app.NOTE_BLOCK: {slack_app.NOTE_INPUT: {"value": note}}}},
        },
    }


def test_a_rework_note_that_cannot_be_recorded_comes_back_on_the_home_tab_never_lost(served: Served) -> None:
    answer = served.interact(rework_submitted("redo table 2"))  # in progress: nothing submitted yet
    assert answer.text in ("", "{}")
    home = eventually(lambda: served.fake.home_views().get(LEADER))
    said = json.dumps(home)
    assert "redo table 2" in said
    assert "not recorded" in said
    assert row_of(served, "tasks", IN_PROGRESS)["Status"] == "in progress"


def test_needs_rework_pressed_by_a_member_opens_no_modal(served: Served) -> None:
    payload = pressed(served, MEMBER, slack_app.REWORK, IN_PROGRESS)
    served.interact(payload)
    assert "leader" in served.reply(payload["response_url"]).lower()
    assert served.fake.opened_views() == []


def test_an_empty_rework_note_keeps_the_modal_open_with_the_reason(served: Served) -> None:
    answer = served.interact(rework_submitted("  "))
    assert answer.json() == {
        "response_action": "errors",
        "errors": {slack_app.NOTE_BLOCK: "Say what needs doing."},
    }


def test_a_rework_button_whose_trigger_expired_says_it_could_not_be_done(
    served: Served, clock: Clock
) -> None:
    payload = pressed(served, LEADER, slack_app.REWORK, IN_PROGRESS)
    clock.advance(4)  # Slack's trigger_id lives 3 seconds
    served.interact(payload)
    assert "nothing was changed" in served.reply(payload["response_url"])
    assert served.fake.opened_views() == []
