"""Specification of Slack messages: every kind of content renders to Block Kit that Slack accepts (a
structural check and slack_sdk's own models), with the buttons the app handles, mentions, Slack date
tokens with a fallback in the meeting's zone, whatever a person typed escaped, never an email
address, and within Slack's limits however long the minutes or the digest."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from braingain.core.authorship.tasks import Task
from braingain.core.group import Group
from braingain.core.ids import MemberId, TaskId
from braingain.core.messaging.outgoing import (
    Content,
    Destination,
    DisputeNews,
    Medium,
    MeetingMinutes,
    MeetingReminder,
    Outgoing,
    TaskNews,
)
from braingain.core.schedule.digests import TaskLine, group_digest, member_digest, task_line
from braingain.core.schedule.meetings import ActionItem, AgendaItem, Occurrence
from braingain.core.schedule.reminders import FollowUp, Reminder
from braingain.core.words import day_said, moment_said
from braingain.integrations.slack import words
from braingain.integrations.slack.blocks import (
    ACCEPT,
    REWORK,
    SUBMIT,
    VOLUNTEER,
    SlackMessage,
    readable,
    render,
)
from braingain.sample import sample_group
from tests.integrations.slack_checks import EMAIL, check, everything_said

TODAY = date(2026, 3, 7)
NOW = datetime(2026, 3, 9, 8, tzinfo=UTC)
GROUP = sample_group(TODAY)
ZONE = GROUP.series.slot.zone if GROUP.series else UTC
MEETINGS = {m.id: m for m in GROUP.meetings_by(datetime(2026, 4, 1, tzinfo=UTC))}
NEXT = MEETINGS["2026-03-14"]
HELD = MEETINGS["2026-02-28"]


def member(mid: str) -> Any:
    return GROUP.members[MemberId(mid)]


def task(tid: str) -> Task:
    return GROUP.tasks[TaskId(tid)]


def submitted() -> Task:
    """SR-T08 (in progress) handed in by its head, with a note."""
    t = task("SR-T08")
    assert t.head is not None
    return t.submit(by=member(t.head), at=NOW, note="All 212 full texts <done> & checked")


def message(content: Content, to: Destination | None = None, key: str = "k:1") -> Outgoing:
    return Outgoing(key, to or Destination.group(), content, "in words", NOW, NOW + timedelta(days=30))


RECORD = GROUP.records[HELD.id]
AGENDA = GROUP.records[NEXT.id].agenda
WEEKLY = group_digest(GROUP, since=NOW - timedelta(days=7), until=NOW)
UYI = MemberId("uyi.omoregbe")
OWN_ACTION = ActionItem("A-UYI", HELD.id, "Circulate the template", UYI, date(2026, 3, 20))
EHI = dataclasses.replace(
    member_digest(GROUP, UYI, since=NOW - timedelta(days=14), until=NOW),
    my_offers=(task_line(GROUP, task("SR-T09"), NOW),),
    can_volunteer=tuple(
        line
        for line in member_digest(GROUP, UYI, since=NOW - timedelta(days=14), until=NOW).can_volunteer
        if line.task_id != "SR-T09"
    ),
    to_review=(task_line(GROUP, submitted(), NOW),),
    points_awarded=tuple(e for e in GROUP.ledger if e.member_id == UYI),
    disputes=GROUP.disputes,
    my_actions=(*RECORD.actions, OWN_ACTION),
    notes=("meeting times are not in local time: Uyiosa Omoregbe's time zone could not be read",),
)
"""Uyi's fortnight (a task, a meeting missed), with every other part of a digest filled in: an offer
of his for SR-T09 (5 offers for 2 places), SR-T08 submitted for his review (as if he led), his own
action item."""
IVIE = MemberId("ivie.osagiede")
AWAY = (MemberId("ose.idahor"), MemberId("tobi.akinwale"))
JOIN_URL = "https://zoom.example/j/1?pwd=a&b"


def contents() -> dict[str, Content]:
    awards = tuple(GROUP.ledger.awards_of(TaskId("SR-T12")))
    return {
        "task opened": TaskNews("opened", task("SR-T09"), NOW, offers=5),
        "task selected": TaskNews("selected", task("SR-T08"), NOW),
        "task submitted": TaskNews("submitted", submitted(), NOW),
        "task accepted": TaskNews("accepted", task("SR-T12"), NOW, awards=awards),
        "dispute raised": DisputeNews("raised", GROUP.disputes[2], NOW),
        "dispute resolved": DisputeNews("resolved", GROUP.disputes[1], NOW),
        "meeting reminder": MeetingReminder(NEXT, timedelta(days=1), AGENDA, JOIN_URL, AWAY),
        "minutes": MeetingMinutes(
            HELD, RECORD.minutes, RECORD.decisions, RECORD.actions, (MemberId("segun.adeyemo"),)
        ),
        "group digest": WEEKLY,
        "member digest": EHI,
        "reminder": Reminder(
            "r", IVIE, NEXT, timedelta(hours=1), NOW, None, AGENDA, True, "the time is not in local time"
        ),
        "follow-up": FollowUp("f", IVIE, HELD, RECORD.minutes, RECORD.decisions, RECORD.actions, True),
    }


KINDS = contents()


def mrkdwn_objects(slack: SlackMessage) -> list[dict[str, Any]]:
    """Every text object Slack reads as mrkdwn (where a ``<…>`` would become a mention or a link)."""
    return [
        obj
        for block in slack.blocks
        for obj in (block.get("text"), *block.get("fields", ()), *block.get("elements", ()))
        if isinstance(obj, dict) and obj.get("type") == "mrkdwn"
    ]


def buttons(slack: SlackMessage) -> list[dict[str, Any]]:
    found = []
    for block in slack.blocks:
        found += [
            e for e in (*block.get("elements", ()), block.get("accessory", {})) if e.get("type") == "button"
        ]
    return found


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_of_content_renders_to_block_kit_slack_accepts(kind: str) -> None:
    slack = render(message(KINDS[kind], key=f"key:{kind}"), GROUP)
    check(slack)
    assert slack.blocks[0]["type"] == "header"
    assert slack.metadata == {"event_type": "braingain_message", "event_payload": {"key": f"key:{kind}"}}


@pytest.mark.parametrize("kind", list(KINDS))
def test_no_email_address_appears_in_any_message(kind: str) -> None:
    assert all(m.email is not None for m in GROUP.members.values())  # the fixtures have them
    said = everything_said(render(message(KINDS[kind]), GROUP))
    assert not EMAIL.search(said)
    assert not any(str(m.email) in said for m in GROUP.members.values())


@pytest.mark.parametrize("kind", ["task opened", "task accepted", "dispute raised"])
def test_an_email_address_typed_in_a_title_never_reaches_a_header_or_the_text(kind: str) -> None:
    typed = "Ask ada.obiora@example.org first"
    content = KINDS[kind]
    if isinstance(content, TaskNews):
        content = dataclasses.replace(content, task=dataclasses.replace(content.task, title=typed))
    else:
        assert isinstance(content, DisputeNews)
        content = dataclasses.replace(content, dispute=dataclasses.replace(content.dispute, reason=typed))
    said = everything_said(render(message(content), GROUP))
    assert "Ask" in said
    assert not EMAIL.search(said)


def test_a_task_opened_carries_a_volunteer_button_with_the_task_id() -> None:
    slack = render(message(KINDS["task opened"]), GROUP)
    assert [(b["action_id"], b["value"]) for b in buttons(slack)] == [(VOLUNTEER, "SR-T09")]
    assert "SR-T09" in slack.blocks[0]["text"]["text"]
    assert "2" in str(slack.blocks)  # places left


def test_a_task_whose_places_are_all_offered_says_so_and_still_takes_offers_never_none_left() -> None:
    news = KINDS["task opened"]
    assert isinstance(news, TaskNews)
    assert (news.task.max_volunteers, news.offers, news.places_left) == (2, 5, 0)
    slack = render(message(news), GROUP)
    assert f"*{words.PLACES}*: 2 places, 5 offers so far: the sync ranks them" in slack.text
    assert "left" not in slack.text.replace("the sync ranks them", "")
    assert [b["action_id"] for b in buttons(slack)] == [VOLUNTEER]


@pytest.mark.parametrize(
    ("cap", "offers", "said"),
    [
        (3, 1, "3 places, 2 left (1 offer so far)"),
        (None, 4, "no limit (4 offers so far)"),
        (1, 1, "1 place, 1 offer so far: the sync ranks them"),
    ],
)
def test_a_task_opened_says_its_places_and_offers_so_far(cap: int | None, offers: int, said: str) -> None:
    t = dataclasses.replace(task("SR-T09"), max_volunteers=cap)
    assert (
        f"*{words.PLACES}*: {said}" in render(message(TaskNews("opened", t, NOW, offers=offers)), GROUP).text
    )


def test_the_apps_task_list_says_when_a_tasks_places_are_all_offered_for() -> None:
    full, room = (task_line(GROUP, task(t), NOW) for t in ("SR-T09", "CS-T01"))
    assert words.reply_task_line(full).endswith(
        "5 volunteers for 2 places: all offered for, the sync ranks them"
    )
    assert words.reply_task_line(room).endswith("2 volunteers for 3 places")


def test_volunteers_selected_carry_a_submit_button_and_name_the_team_with_its_head() -> None:
    slack = render(message(KINDS["task selected"]), GROUP)
    assert [(b["action_id"], b["value"]) for b in buttons(slack)] == [(SUBMIT, "SR-T08")]
    t = task("SR-T08")
    assert t.head is not None
    head = member(t.head)
    said = head_said = f"<@{head.slack_user_id}>" if head.slack_user_id else head.name
    assert words.head_said(head_said) in slack.text
    for mid in t.contributors:
        m = member(mid)
        assert (f"<@{m.slack_user_id}>" if m.slack_user_id else m.name) in slack.text, said


def test_work_submitted_carries_accept_and_needs_rework_for_leaders_to_press() -> None:
    slack = render(message(KINDS["task submitted"]), GROUP)
    assert [(b["action_id"], b["value"], b.get("style")) for b in buttons(slack)] == [
        (ACCEPT, "SR-T08", "primary"),
        (REWORK, "SR-T08", "danger"),
    ]
    assert "All 212 full texts &lt;done&gt; &amp; checked" in slack.text


def test_work_accepted_says_each_contributors_points_as_the_ledger_holds_them() -> None:
    news = KINDS["task accepted"]
    assert isinstance(news, TaskNews)
    assert news.awards
    slack = render(message(news), GROUP)
    for entry in news.awards:
        m = member(entry.member_id)
        who = f"<@{m.slack_user_id}>" if m.slack_user_id else m.name
        assert f"{who}: {entry.points} points" in slack.text
    assert not buttons(slack)
    assert slack.text.count(f"*{words.POINTS}*") == 1


def test_a_members_own_digest_names_them_you_and_mentions_the_others() -> None:
    assert EHI.missed
    osas = ActionItem("A-OS", HELD.id, "Book the room", MemberId("osas.igbinoba"), None)
    missed = dataclasses.replace(EHI.missed[0], actions=(OWN_ACTION, osas))
    mine = dataclasses.replace(EHI, missed=(missed,))
    slack = render(message(mine, Destination.member(UYI, Medium.SLACK)), GROUP)
    assert member(UYI).slack_user_id == "U02UYIOMO"
    assert "<@U02UYIOMO>" not in str(slack.blocks)
    assert "• Circulate the template: you, due " in slack.text
    assert "• Book the room: <@U02OSASIG>" in slack.text
    group_minutes = MeetingMinutes(HELD, "Short.", (), (OWN_ACTION,), ())
    assert "• Circulate the template: <@U02UYIOMO>" in render(message(group_minutes), GROUP).text


@pytest.mark.parametrize(
    ("kind", "said"), [("reminder", "• My item (you)"), ("follow-up", "• My action: you")]
)
def test_a_members_own_reminder_and_minutes_name_them_you(kind: str, said: str) -> None:
    content = KINDS[kind]
    if isinstance(content, Reminder):
        content = dataclasses.replace(content, agenda=(AgendaItem("My item", IVIE, NOW),))
    else:
        assert isinstance(content, FollowUp)
        content = dataclasses.replace(
            content, actions=(ActionItem("A-IV", HELD.id, "My action", IVIE, None),)
        )
    slack = render(message(content), GROUP)
    assert member(IVIE).slack_user_id
    assert f"<@{member(IVIE).slack_user_id}>" not in str(slack.blocks)
    assert said in slack.text


def test_work_awaiting_a_leaders_review_carries_accept_and_needs_rework_with_the_task_id() -> None:
    slack = render(message(EHI, Destination.member(UYI, Medium.SLACK)), GROUP)
    check(slack)
    assert f"*{words.TO_REVIEW}*" in slack.text
    review = [
        (b["action_id"], b["value"], b.get("style"))
        for b in buttons(slack)
        if b["action_id"] in (ACCEPT, REWORK)
    ]
    assert review == [(ACCEPT, "SR-T08", "primary"), (REWORK, "SR-T08", "danger")]
    assert "*SR-T08*" in slack.text


def test_many_tasks_awaiting_review_keep_within_slacks_limits_buttons_for_the_first_few() -> None:
    line = EHI.to_review[0]
    many = [
        dataclasses.replace(line, task_id=TaskId(f"SR-T{n:03d}"), title="Review <me> & " * 20)
        for n in range(60)
    ]
    slack = render(message(dataclasses.replace(EHI, to_review=tuple(many))), GROUP)
    check(slack)
    assert [b["value"] for b in buttons(slack) if b["action_id"] == ACCEPT] == [
        f"SR-T{n:03d}" for n in range(5)
    ]
    assert "Review &lt;me&gt; &amp;" in slack.text


def test_the_tasks_a_member_offered_for_say_their_offers_and_that_a_leader_assigns_after_the_ranking() -> (
    None
):
    slack = render(message(EHI, Destination.member(UYI, Medium.SLACK)), GROUP)
    assert f"*{words.MY_OFFERS}*" in slack.text
    assert "*SR-T09*" in slack.text
    assert "5 offers for 2 places: all offered for, the sync ranks them" in slack.text
    assert words.OFFERS_RANKED in slack.text
    assert VOLUNTEER not in [b["action_id"] for b in buttons(slack) if b["value"] == "SR-T09"]


def test_members_with_a_slack_user_id_are_mentioned_and_the_others_named() -> None:
    slack = render(message(KINDS["meeting reminder"]), GROUP)
    assert "<@U02TOBIAK>" in slack.text  # tobi.akinwale has a Slack user ID
    assert "Osemwegie Idahor" in slack.text  # ose.idahor has none
    assert "<@" not in readable(slack.text, GROUP)
    assert "Tobiloba Akinwale" in readable(slack.text, GROUP)


@pytest.mark.parametrize("kind", ["meeting reminder", "minutes", "reminder", "follow-up", "member digest"])
def test_meeting_times_are_slack_date_tokens_falling_back_to_the_meetings_own_zone(kind: str) -> None:
    content = KINDS[kind]
    meeting: Occurrence = getattr(content, "meeting", None) or NEXT
    slack = render(message(content), GROUP)
    fallback = moment_said(meeting.start, meeting.start.tzinfo)
    token = f"<!date^{int(meeting.start.timestamp())}^{{date_long_pretty}} at {{time}}|{fallback}>"
    assert token in str(slack.blocks)
    assert moment_said(meeting.start, ZONE) in readable(slack.text, GROUP)


def test_every_date_token_has_a_fallback() -> None:
    for content in KINDS.values():
        for match in re.finditer(
            r"<!date\^(\d+)\^[^|>]+\|([^>]*)>", str(render(message(content), GROUP).blocks)
        ):
            assert match[2].strip()


def test_what_a_person_typed_is_escaped_and_never_becomes_a_mention_a_link_or_an_email() -> None:
    t = dataclasses.replace(
        task("SR-T09"),
        title="Screen <!channel> & <@U999FAKE> <https://evil.example|click>",
        acceptance_criteria="Write to ada@example.org > 3 times",
    )
    slack = render(message(TaskNews("opened", dataclasses.replace(t, max_volunteers=None), NOW)), GROUP)
    check(slack)
    assert "ada@example.org" not in everything_said(slack)
    marked_up = [slack.text, *(str(o["text"]) for o in mrkdwn_objects(slack))]
    assert not any("<!channel>" in t or "<@U999FAKE>" in t or "<https://evil" in t for t in marked_up)
    assert "&lt;!channel&gt; &amp; &lt;@U999FAKE&gt;" in slack.text
    assert "Write to &lt;email&gt; &gt; 3 times" in slack.text
    assert slack.blocks[0]["text"]["text"].startswith("New task: SR-T09 · Screen <!channel> &")  # plain text


@pytest.mark.parametrize(("kind", "ids"), [("opened", [VOLUNTEER]), ("submitted", [ACCEPT, REWORK])])
def test_the_buttons_stay_however_long_the_criteria_and_are_after_the_cut(kind: str, ids: list[str]) -> None:
    t = dataclasses.replace(submitted(), acceptance_criteria="Each record screened twice & checked. " * 2000)
    slack = render(message(TaskNews(kind, t, NOW)), GROUP)  # type: ignore[arg-type]
    check(slack)
    assert [b["action_id"] for b in buttons(slack)] == ids
    assert slack.blocks[-1]["type"] == "actions"
    assert slack.blocks[-2]["elements"][0]["text"] == words.CONTINUED


def test_a_long_title_is_cut_to_the_headers_150_characters() -> None:
    t = dataclasses.replace(task("SR-T09"), title="x" * 400)
    slack = render(message(TaskNews("opened", t, NOW)), GROUP)
    check(slack)
    assert slack.blocks[0]["text"]["text"].endswith("…")


def test_a_long_header_of_symbols_is_cut_at_its_limit_not_at_the_first_ampersand() -> None:
    t = dataclasses.replace(task("SR-T09"), title="Screening & extraction <of> records " * 10)
    header = render(message(TaskNews("opened", t, NOW)), GROUP).blocks[0]["text"]["text"]
    assert 130 <= len(header) <= 150


def test_a_join_link_too_long_to_keep_whole_is_shown_as_text_and_still_valid() -> None:
    url = "https://zoom.example/j/1?" + "a=b&" * 2000
    slack = render(message(MeetingReminder(NEXT, timedelta(hours=1), (), url, ())), GROUP)
    check(slack)
    assert f"{words.JOIN}: https://zoom.example/j/1?a=b&amp;" in slack.text


def test_the_join_link_is_a_link_and_its_ampersand_escaped() -> None:
    slack = render(message(KINDS["meeting reminder"]), GROUP)
    assert f"<https://zoom.example/j/1?pwd=a&amp;b|{words.JOIN}>" in slack.text


def minutes_of(text: str, decisions: int = 3, actions: int = 3) -> MeetingMinutes:
    owner = MemberId("osas.igbinoba")
    return MeetingMinutes(
        HELD,
        text,
        tuple(f"decision {i} & more" for i in range(decisions)),
        tuple(ActionItem(f"A{i}", HELD.id, f"action {i}", owner, date(2026, 3, 20)) for i in range(actions)),
        (),
    )


def test_huge_minutes_are_cut_within_slacks_limits_and_say_they_continue_in_the_tracker() -> None:
    text = "\n".join(
        f"Point {i}: the group discussed <b> & the protocol's search strings at length." for i in range(2000)
    )
    slack = render(message(minutes_of(text, decisions=400, actions=400)), GROUP)
    check(slack)
    assert slack.blocks[-1]["elements"][0]["text"] == words.CONTINUED
    assert slack.text.endswith(words.CONTINUED)
    assert "Point 0:" in slack.text


def test_a_single_enormous_line_of_minutes_is_split_without_breaking_an_entity() -> None:
    slack = render(message(minutes_of("&" * 20000 + "<" * 5000, 0, 0)), GROUP)
    check(slack)


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab &<>\n*_`@.😀é|")), min_size=0, max_size=30000))
def test_any_minutes_render_to_a_valid_message(text: str) -> None:
    check(render(message(minutes_of(text)), GROUP))


def test_a_digest_with_more_tasks_than_slack_holds_is_cut_and_stays_valid() -> None:
    t = task("SR-T09")
    line = TaskLine(t.id, t.project_id, "Extract <data> & more " * 5, t.status, date(2026, 4, 1), False, 1, 3)
    many = dataclasses.replace(WEEKLY, needing_volunteers=(line,) * 200, newly_accepted=(line,) * 300)
    slack = render(message(many), GROUP)
    check(slack)
    assert words.CONTINUED in str(slack.blocks[-1])
    assert sum(1 for b in buttons(slack) if b["action_id"] == VOLUNTEER) == 10


def test_the_group_digest_holds_progress_volunteers_deadlines_and_points() -> None:
    slack = render(message(WEEKLY), GROUP)
    for heading in (words.PROGRESS, words.NEEDING_VOLUNTEERS, words.DEADLINES, words.POINTS_TABLE):
        assert f"*{heading}*" in slack.text
    assert WEEKLY.needing_volunteers
    assert [b["value"] for b in buttons(slack)] == [line.task_id for line in WEEKLY.needing_volunteers]
    assert re.search(r"1\. <@U\w+>: \d+\.\d\d points", slack.text)


def test_the_member_digest_flags_overdue_tasks_and_shows_the_minutes_of_meetings_missed() -> None:
    t = task("SR-T08")
    overdue = TaskLine(t.id, t.project_id, "Late work", t.status, date(2026, 3, 1), True)
    assert EHI.missed
    slack = render(message(dataclasses.replace(EHI, my_tasks=(overdue,))), GROUP)
    check(slack)
    assert f"*{words.MY_TASKS}*" in slack.text
    assert words.OVERDUE in slack.text
    assert words.missed_line(day_said(EHI.missed[0].meeting.start)) in slack.text
    assert words.escape(EHI.missed[0].minutes[:40]) in slack.text


def test_an_empty_member_digest_says_there_is_nothing() -> None:
    empty = dataclasses.replace(
        EHI, my_tasks=(), can_volunteer=(), points_awarded=(), disputes=(), next_meeting=None, my_actions=()
    )
    empty = dataclasses.replace(empty, missed=(), notes=(), my_offers=(), to_review=())
    slack = render(message(empty, Destination.member(UYI, Medium.SLACK)), GROUP)
    check(slack)
    assert words.NOTHING in slack.text


def test_agenda_items_and_people_named_in_them_are_escaped() -> None:
    item = AgendaItem("Budget <&> travel", MemberId("osas.igbinoba"), NOW, late=True)
    slack = render(message(MeetingReminder(NEXT, timedelta(hours=1), (item,), None, ())), GROUP)
    assert "Budget &lt;&amp;&gt; travel (<@U02OSASIG>, added late)" in slack.text


def test_someone_no_longer_on_the_roster_is_named_by_their_id() -> None:
    item = AgendaItem("Budget", MemberId("gone.member"), NOW)
    slack = render(message(MeetingReminder(NEXT, timedelta(hours=1), (item,), None, ())), GROUP)
    assert "(gone.member)" in slack.text


def test_content_slack_does_not_know_is_refused() -> None:
    with pytest.raises(TypeError, match="no Slack rendering"):
        render(message("nonsense"), GROUP)  # type: ignore[arg-type]


def test_readable_text_says_mentions_dates_links_and_entities_in_words() -> None:
    group: Group = GROUP
    text = (
        "<@U02OSASIG> at <!date^1773500400^{date_long_pretty} at {time}|Saturday 14 March 2026, 15:00 "
        "(Africa/Lagos)> <https://x.example|Join> &lt;a&gt; &amp;"
    )
    assert (
        readable(text, group)
        == "@Osaretin Igbinoba at Saturday 14 March 2026, 15:00 (Africa/Lagos) Join (https://x.example) <a> &"
    )


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


HEAD = {"type": "header", "text": {"type": "plain_text", "text": "Title"}}
META = {"event_type": "braingain_message", "event_payload": {"key": "k"}}
PRESS = {"type": "button", "text": {"type": "plain_text", "text": "Go"}, "action_id": "go", "value": "1"}


@pytest.mark.parametrize(
    "blocks",
    [
        [HEAD, section("x" * 3001)],
        [HEAD] + [section("x")] * 50,
        [HEAD, section("a & b")],
        [HEAD, section("a <@U1 b")],
        [{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}],
        [HEAD, {"type": "actions", "elements": [{**PRESS, "style": "loud"}]}],
        [
            HEAD,
            {"type": "actions", "elements": [{**PRESS, "text": {"type": "plain_text", "text": "x" * 76}}]},
        ],
        [HEAD, {"type": "section"}],
        [HEAD, {"type": "divider"}],
        [HEAD] + [section("x" * 3000)] * 5,
    ],
)
def test_the_check_itself_refuses_what_slack_refuses(blocks: list[dict[str, Any]]) -> None:
    with pytest.raises(AssertionError):
        check(SlackMessage("text", tuple(blocks), META))
    check(SlackMessage("text", (HEAD, section("fine &amp; <@U1>")), META))
