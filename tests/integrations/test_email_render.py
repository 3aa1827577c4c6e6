"""What a member reads by email: every kind of message renders a subject, a plain-text part and an
HTML part carrying the same facts; the HTML is one small, self-contained, accessible column that
a phone shows without sideways scrolling (checked in a real headless Chromium); everything a
person typed shows as text; times are the member's own; no email address is ever written."""

from __future__ import annotations

import re
import struct
import subprocess
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from braingain.core.authorship.disputes import DisputeStatus
from braingain.core.authorship.ledger import EntryKind, LedgerEntry
from braingain.core.authorship.tasks import TaskStatus
from braingain.core.ids import EntryId, MemberId, ProjectId, TaskId
from braingain.core.messaging.outgoing import MeetingReminder, TaskNews
from braingain.core.schedule.digests import MissedMeeting, TaskLine
from braingain.core.schedule.invitations import CANCEL
from braingain.core.schedule.meetings import ActionItem, AgendaItem
from braingain.core.schedule.reminders import FollowUp, Reminder
from braingain.integrations.email.render import EmailContent, render_email
from tests.integrations.browser import HEADLESS, chromium_or_skip
from tests.integrations.email_support import (
    ABROAD,
    JOIN,
    READER,
    Sample,
    digest_message,
    every_kind,
    full_digest,
    group,
    invitation,
    last_held,
    leader_digest,
    next_meeting,
    outgoing,
    reader,
)

KINDS = every_kind()
SCRIPT = '<script>alert("typed")</script><img src=x onerror=alert(1)> & "quotes"'
ALLOWED_TAGS = {"html", "head", "meta", "title", "body", "div", "h1", "h2", "h3", "h4", "p", "ul", "ol", "li"}
ALLOWED_TAGS |= {"strong", "span", "a", "br"}


def rendered(sample: Sample) -> EmailContent:
    return render_email(sample.message, group().member(sample.to), group())


class _Page(HTMLParser):
    """The tags, attributes and visible text of a page (the body's text, as a reader sees it, with
    the numbers of ordered lists)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._in_body = False
        self._numbers: list[int | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "body":
            self._in_body = True
        if tag in ("ol", "ul"):
            self._numbers.append(0 if tag == "ol" else None)
        if tag in ("br", "p", "li", "h1", "h2", "h3", "h4"):
            self.text.append(" ")
        if tag == "li" and self._numbers and self._numbers[-1] is not None:
            self._numbers[-1] += 1
            self.text.append(f"{self._numbers[-1]}. ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ol", "ul"):
            self._numbers.pop()

    def handle_data(self, data: str) -> None:
        if self._in_body:
            self.text.append(data)


def page(markup: str) -> _Page:
    parsed = _Page()
    parsed.feed(markup)
    parsed.close()
    return parsed


def flat(text: str) -> str:
    """``text`` on one line: the plain-text part wraps its lines at 72 characters."""
    return " ".join(text.split())


def words(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text.casefold()))


# Every kind of message ----------------------------------------------------------------------------


@pytest.mark.parametrize("sample", KINDS, ids=[k.name for k in KINDS])
def test_every_kind_of_message_has_a_one_line_subject_a_text_and_a_whole_html_document(
    sample: Sample,
) -> None:
    content = rendered(sample)
    assert content.subject
    assert content.subject == flat(content.subject)
    assert content.text.endswith("\n")
    assert content.html.startswith('<!DOCTYPE html>\n<html lang="en"')
    assert content.html.rstrip().endswith("</html>")
    assert f"Hello {group().member(sample.to).given_names}," in content.text


@pytest.mark.parametrize("sample", KINDS, ids=[k.name for k in KINDS])
def test_the_plain_text_carries_every_word_the_html_shows_and_no_other(sample: Sample) -> None:
    content = rendered(sample)
    assert words(" ".join(page(content.html).text)) == words(content.text)


@pytest.mark.parametrize("sample", KINDS, ids=[k.name for k in KINDS])
def test_no_email_address_is_ever_written_not_even_the_readers_own(sample: Sample) -> None:
    content = rendered(sample)
    everything = f"{content.subject}\n{content.text}\n{content.html}"
    assert "@" not in everything
    for member in group().members.values():
        assert member.email is not None
        assert member.email.address not in everything


@pytest.mark.parametrize("sample", KINDS, ids=[k.name for k in KINDS])
def test_the_html_is_one_self_contained_column_styled_inline_with_no_script_image_or_remote_font(
    sample: Sample,
) -> None:
    content = rendered(sample)
    parsed = page(content.html)
    assert {tag for tag, _ in parsed.tags} <= ALLOWED_TAGS
    for tag, attributes in parsed.tags:
        assert not any(name.startswith("on") or name == "src" for name in attributes), tag
        if tag == "a":
            assert (attributes["href"] or "").startswith("https://")
    lowered = content.html.casefold()
    for outside in ("<style", "<link", "<img", "<script", "url(", "@import", "@font-face"):
        assert outside not in lowered
    [column] = [a for t, a in parsed.tags if t == "div"]
    assert "max-width:600px" in (column["style"] or "")
    assert ("name", "viewport") in [(k, v) for _, a in parsed.tags for k, v in a.items()]


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def test_every_text_colour_keeps_a_contrast_of_at_least_4_5_on_every_background() -> None:
    html = "".join(rendered(k).html for k in KINDS)
    texts = set(re.findall(r"(?<![-\w])color:(#[0-9a-f]{6})", html))
    backgrounds = set(re.findall(r"background-color:(#[0-9a-f]{6})", html))
    assert texts
    assert backgrounds
    for text in texts:
        for background in backgrounds:
            lighter, darker = sorted((_luminance(text), _luminance(background)), reverse=True)
            assert (lighter + 0.05) / (darker + 0.05) >= 4.5, (text, background)


# The member's digest ------------------------------------------------------------------------------


def test_the_digest_lists_my_tasks_with_the_overdue_one_flagged_in_both_parts() -> None:
    digest = full_digest()
    [late] = digest.overdue
    content = render_email(digest_message(), reader(), group())
    assert f"[OVERDUE] {late.task_id}: {late.title}" in flat(content.text)
    assert re.search(rf">OVERDUE</span> <strong>{late.task_id}</strong>", content.html)
    assert "1 task overdue" in content.subject


def test_the_digest_carries_every_section_the_member_has() -> None:
    digest = full_digest()
    assert digest.can_volunteer
    assert digest.points_awarded
    assert digest.missed
    assert digest.next_meeting is not None
    content = render_email(digest_message(), reader(), group())
    text = flat(content.text)
    for heading in ("Your tasks", "Tasks you could volunteer for", "Points awarded to you", "Next meeting"):
        assert heading in text
        assert f">{heading}</h2>" in content.html
    assert "Meetings you missed" in text
    for line in digest.can_volunteer:
        assert f"{line.task_id}: {line.title}" in text
    assert digest.missed[0].minutes in text
    assert "(uyi.omoregbe)" in text  # how to volunteer: with their own member ID


def test_a_leaders_digest_lists_the_work_awaiting_their_review_in_both_parts() -> None:
    digest = leader_digest()
    [waiting] = digest.to_review
    content = render_email(outgoing("k", digest, ABROAD), reader(ABROAD), group())
    text = flat(content.text)
    assert "Awaiting your review" in text
    assert ">Awaiting your review</h2>" in content.html
    assert f"{waiting.task_id}: {waiting.title} (submitted;" in text
    assert f"<strong>{waiting.task_id}</strong>: {escape(waiting.title)}" in content.html
    assert "on the Tasks tab of the group's tracker set its Status to accepted" in text
    assert "Status changed by to your member ID (ada.obiora)" in text
    assert "1 task to review" in content.subject


def test_the_tasks_a_member_offered_for_say_their_offers_for_the_places_and_that_a_leader_assigns() -> None:
    digest = leader_digest()
    [offered] = digest.my_offers
    content = render_email(outgoing("k", digest, ABROAD), reader(ABROAD), group())
    text = flat(content.text)
    said = f"{offered.task_id}: {offered.title} (5 offers for 2 places: all offered for, the sync ranks them;"
    assert said in text
    assert "Tasks you offered for" in text
    assert ">Tasks you offered for</h2>" in content.html
    assert "A leader assigns each task after the sync ranks its offers." in text
    assert "A leader assigns each task after the sync ranks its offers." in content.html


def test_a_member_digest_without_reviews_or_offers_has_neither_section() -> None:
    content = render_email(digest_message(), reader(), group())
    assert full_digest().to_review == ()
    assert "Awaiting your review" not in content.text
    assert "offered for" not in content.text.replace("all offered for", "")


def test_the_new_sections_escape_what_a_person_typed() -> None:
    digest = leader_digest()
    hostile = replace(
        digest,
        to_review=(replace(digest.to_review[0], title=SCRIPT),),
        my_offers=(replace(digest.my_offers[0], title=SCRIPT),),
    )
    content = render_email(outgoing("k", hostile, ABROAD), reader(ABROAD), group())
    assert {tag for tag, _ in page(content.html).tags} <= ALLOWED_TAGS
    assert "<script" not in content.html.casefold()
    assert " ".join(page(content.html).text).count(SCRIPT) == 2
    assert flat(content.text).count(SCRIPT) == 2


@pytest.mark.parametrize(
    ("cap", "offers", "said"),
    [
        (2, 5, "Its 2 places are all offered for (5 offers so far): you can still offer"),
        (1, 1, "Its 1 place is all offered for (1 offer so far)"),
        (3, 1, "It takes 2 more volunteers (1 offer so far)."),
        (None, 0, "There is no limit on volunteers (0 offers so far)."),
    ],
)
def test_a_task_opened_says_its_places_and_offers_never_that_it_takes_no_more(
    cap: int | None, offers: int, said: str
) -> None:
    opened = next(k for k in KINDS if k.name == "task opened").message.content
    assert isinstance(opened, TaskNews)
    news = replace(opened, task=replace(opened.task, max_volunteers=cap), offers=offers)
    content = render_email(outgoing("k", news), reader(), group())
    assert said in flat(content.text)
    assert "0 more" not in content.text


def test_the_next_meeting_is_in_the_members_own_time_with_its_agenda() -> None:
    london = ZoneInfo("Europe/London")
    meeting = next_meeting()
    agenda = group().records[meeting.id].agenda
    assert agenda
    digest = replace(
        full_digest(ABROAD),
        next_meeting=replace(full_digest(ABROAD).next_meeting, agenda=agenda),  # type: ignore[type-var]
    )
    content = render_email(outgoing("k", digest, ABROAD), reader(ABROAD), group())
    local = meeting.start.astimezone(london)
    said = f"{local:%H:%M} (Europe/London)"
    assert local.hour != meeting.start.hour  # London is not Lagos
    assert said in content.text
    assert said in content.html
    for item in agenda:
        assert item.title in content.text
        assert item.title in content.html


def test_a_digest_for_another_member_is_refused_naming_both() -> None:
    with pytest.raises(ValueError, match="Uyiosa Omoregbe cannot be sent to Adaeze Obiora"):
        render_email(digest_message(), reader(ABROAD), group())


def test_a_digest_with_nothing_in_it_says_so() -> None:
    empty = replace(
        full_digest(),
        my_tasks=(),
        can_volunteer=(),
        points_awarded=(),
        disputes=(),
        next_meeting=None,
        my_actions=(),
        missed=(),
    )
    content = render_email(outgoing("k", empty), reader(), group())
    assert "Nothing new for you this week." in content.text
    assert "Nothing new for you this week." in content.html
    assert content.subject == "Your week in Diamante-style sample group"


def test_what_the_digest_cannot_show_is_said() -> None:
    note = "meeting times are not in local time: Uyiosa Omoregbe's time zone could not be read"
    content = render_email(outgoing("k", replace(full_digest(), notes=(note,))), reader(), group())
    assert note in flat(content.text)
    assert note.replace("'", "&#x27;") in content.html


def _big_digest() -> EmailContent:
    """A very busy member's digest, far beyond a real week: 30 tasks of theirs and 30 to volunteer
    for (long titles), 30 awards, every dispute, 12 agenda items, 8 action items, and the long minutes
    of 4 missed meetings with 8 action items each, a long link typed in them."""
    digest = full_digest()
    meeting = next_meeting()
    long_title = "Extract outcomes and effect sizes from every included cohort study " * 2
    lines = tuple(
        TaskLine(TaskId(f"SR-T{n:03d}"), ProjectId("sr-migration"), long_title, TaskStatus.IN_PROGRESS,
                 meeting.planned, overdue=n % 3 == 0, volunteers=n % 4, places=4)
        for n in range(30)
    )  # fmt: skip
    entries = tuple(
        LedgerEntry(EntryId(f"award:SR-T{n:03d}:{READER}"), EntryKind.AWARD, READER, ProjectId("sr"),
                    TaskId(f"SR-T{n:03d}"), Decimal("2.50"), "accepted", MemberId("ada.obiora"), digest.until)
        for n in range(30)
    )  # fmt: skip
    people = sorted(group().members)
    actions = tuple(
        ActionItem(f"A-{n:02d}", meeting.id, long_title, people[n % len(people)], meeting.planned)
        for n in range(8)
    )
    folder = "https://drive.example.org/drive/folders/1a2B3c4D5e6F7g8H9i0JkLmNoPqRsTuVwXyZ-screening-conflicts-batch-2"
    minutes = "\n\n".join(f"Item {n}: {long_title} was discussed at length; see {folder}" for n in range(8))
    missed = tuple(
        MissedMeeting(last_held(), None, minutes, ("A decision " * 10,) * 3, actions) for _ in range(4)
    )
    agenda = tuple(AgendaItem(long_title, READER, digest.until) for _ in range(12))
    assert digest.next_meeting is not None
    big = replace(
        digest,
        my_tasks=lines,
        can_volunteer=lines,
        points_awarded=entries,
        disputes=group().disputes,
        next_meeting=replace(digest.next_meeting, agenda=agenda),
        my_actions=actions,
        missed=missed,
    )
    return render_email(outgoing("k", big), reader(), group())


def test_a_very_busy_digest_stays_well_under_the_size_mail_clients_clip_at() -> None:
    content = _big_digest()
    assert len(content.html.encode()) < 70_000  # Gmail clips a message's HTML beyond about 102 KB
    assert len(content.text.encode()) < len(content.html.encode())


# Typed text, links, local times --------------------------------------------------------------------


def test_what_a_person_typed_shows_as_text_never_as_markup() -> None:
    held = last_held()
    action = ActionItem("A-99", held.id, SCRIPT, READER, held.planned)
    typed = FollowUp("k", READER, held, f"{SCRIPT}\nsecond line", (SCRIPT,), (action,), missed=True)
    content = render_email(outgoing("k", typed), reader(), group())
    parsed = page(content.html)
    assert {tag for tag, _ in parsed.tags} <= ALLOWED_TAGS
    assert "<script" not in content.html
    assert "&lt;script&gt;alert(&quot;typed&quot;)&lt;/script&gt;" in content.html
    assert flat(content.text).count(SCRIPT) == 3  # minutes, decision, action item: as typed
    assert " ".join(parsed.text).count(SCRIPT) == 3


def test_typed_text_in_every_field_a_person_fills_is_escaped() -> None:
    g = group()
    meeting = next_meeting()
    member = replace(reader(), given_names=f"Uyi {SCRIPT}")
    people = dict(g.members)
    people[member.id] = member
    task = next(t for t in g.tasks.values() if t.status is TaskStatus.OPEN)
    hostile = replace(
        g,
        name=f"Group {SCRIPT}",
        members=people,
        tasks={
            **g.tasks,
            task.id: replace(task, title=SCRIPT, deliverable=SCRIPT, acceptance_criteria=SCRIPT),
        },
    )
    agenda = (AgendaItem(SCRIPT, member.id, meeting.start - timedelta(days=3)),)
    for content in (
        render_email(outgoing("k", MeetingReminder(meeting, timedelta(days=1), agenda, None, ())),
                     member, hostile),
        render_email(outgoing("k", replace(full_digest(), disputes=(replace(g.disputes[1], reason=SCRIPT),))),
                     member, hostile),
        render_email(outgoing("k", every_kind()[6].message.content), member, hostile),  # task opened
    ):  # fmt: skip
        assert {tag for tag, _ in page(content.html).tags} <= ALLOWED_TAGS
        assert "<script" not in content.html.casefold()
        assert SCRIPT in " ".join(page(content.html).text)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<b>x</b>", "zoom.example.org/j/1"])
def test_only_a_web_link_is_made_clickable(url: str) -> None:
    content = render_email(
        outgoing("k", MeetingReminder(next_meeting(), timedelta(hours=1), (), url, ())), reader(), group()
    )
    assert "<a " not in content.html
    assert url in content.text
    assert url.replace("<", "&lt;").replace(">", "&gt;") in content.html


def test_a_reminder_says_the_time_on_the_members_own_clock_the_join_link_and_the_agenda() -> None:
    reminder = next(k for k in KINDS if k.name == "reminder")
    content = render_email(reminder.message, reader(ABROAD), group(), invitation=invitation())
    content_at = reminder.message.content
    assert isinstance(content_at, Reminder)
    assert content_at.local_start is not None
    said = f"{content_at.local_start:%H:%M} (Europe/London)"
    assert said in content.subject
    assert "meets on Saturday 16 January 2027" in content.subject  # never "in 1 day": a late one would lie
    assert said in " ".join(content.text.split())  # however the plain text is wrapped
    assert f'<a href="{JOIN.replace("&", "&amp;")}"' in content.html
    assert JOIN in content.text
    for item in content_at.agenda:
        assert item.title in content.text
    assert "Its calendar invitation is attached" in content.text


def test_the_digests_next_meeting_gives_the_join_link_of_the_invitation_sent_with_it() -> None:
    invited = invitation()
    digest = full_digest()
    assert digest.next_meeting is not None
    assert digest.next_meeting.meeting.id != invited.meeting_id
    moved_on = replace(digest, next_meeting=replace(digest.next_meeting, meeting=next_meeting()))
    content = render_email(outgoing("k", moved_on), reader(), group(), invitation=invited)
    assert f"Join the meeting: {JOIN}" in content.text
    assert content.text.count("calendar invitation") == 1


def test_an_invitation_for_another_meeting_is_said_to_be_attached_without_lending_its_link() -> None:
    content = render_email(digest_message(), reader(), group(), invitation=invitation())
    assert JOIN not in content.text
    assert "The meeting of Saturday 16 January 2027: its calendar invitation is attached" in flat(
        content.text
    )


def test_a_cancelling_invitation_says_it_takes_the_meeting_off_the_calendar_and_gives_no_link() -> None:
    cancelled = replace(invitation(), method=CANCEL)
    reminder = next(k for k in KINDS if k.name == "reminder")
    content = render_email(reminder.message, reader(ABROAD), group(), invitation=cancelled)
    assert "takes the cancelled meeting off your calendar" in flat(content.text)
    assert JOIN not in content.text


def test_a_reminder_for_a_member_whose_zone_cannot_be_read_gives_the_meetings_own_time_and_says_so() -> None:
    g = group()
    lost = replace(reader(ABROAD), zone=None, unknown=frozenset({"zone"}))
    meeting = next_meeting()
    note = f"the time is not in local time: {lost.lacks('zone')}"
    reminder = Reminder("k", lost.id, meeting, timedelta(hours=1), meeting.start, None, note=note)
    content = render_email(outgoing("k", reminder, lost.id), lost, g)
    assert f"{meeting.start:%H:%M} (Africa/Lagos)" in content.subject
    assert "The time is not in local time" in content.text
    assert "Europe/London" not in content.text


def test_a_member_who_said_they_are_away_is_told_there_is_no_need_to_come() -> None:
    meeting = next_meeting()
    away = Reminder("k", READER, meeting, timedelta(days=7), meeting.start, meeting.start, expected_away=True)
    content = render_email(outgoing("k", away), reader(), group())
    assert "there is no need to come" in content.text
    assert "there is no need to come" in content.html


def test_minutes_are_flagged_for_a_member_who_missed_the_meeting_and_only_for_them() -> None:
    missed = next(k for k in KINDS if k.name == "follow-up, missed")
    present = next(k for k in KINDS if k.name == "follow-up, present")
    flagged, plain = rendered(missed), rendered(present)
    assert "You missed this meeting." in flagged.text
    assert "You missed this meeting." in flagged.html
    assert "you missed" in flagged.subject
    assert "missed" not in plain.text.casefold()
    assert "missed" not in plain.subject


def test_the_group_minutes_flag_an_absent_reader_and_mark_their_own_action_items() -> None:
    minutes = next(k for k in KINDS if k.name == "meeting minutes")
    content = rendered(minutes)
    assert "You missed this meeting." in content.text
    held = last_held()
    mine = ActionItem("A-77", held.id, "Send the slides", READER, held.planned)
    typed = FollowUp("k", READER, held, "Short.", (), (mine,), missed=False)
    assert "[YOURS] Send the slides" in render_email(outgoing("k", typed), reader(), group()).text


def test_work_accepted_tells_each_contributor_their_own_points() -> None:
    accepted = next(k for k in KINDS if k.name == "task accepted")
    content = rendered(accepted)
    assert "You were awarded" in content.text
    for entry in accepted.message.content.awards:  # type: ignore[union-attr]
        assert group().member(entry.member_id).name in content.text


def test_a_resolved_dispute_gives_the_leaders_note() -> None:
    resolved = next(k for k in KINDS if k.name == "dispute resolved")
    dispute = resolved.message.content.dispute  # type: ignore[union-attr]
    assert dispute.status is DisputeStatus.ADJUSTED
    content = rendered(resolved)
    assert dispute.trail[-1].note in flat(content.text)
    assert "The dispute you raised was resolved" in content.text


def test_a_member_the_group_no_longer_knows_is_named_by_their_id() -> None:
    held = last_held()
    gone = ActionItem("A-55", held.id, "Archive the old drafts", MemberId("left.long.ago"), held.planned)
    typed = FollowUp("k", READER, held, "Short.", (), (gone,), missed=False)
    assert "left.long.ago" in render_email(outgoing("k", typed), reader(), group()).text


# In a real browser at phone width ------------------------------------------------------------------

PHONE = 375


def _chromium(tmp_path: Path, *arguments: str) -> str:
    done = subprocess.run(
        [
            chromium_or_skip(),
            *HEADLESS,
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--window-size={PHONE},1400",
            *arguments,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize(
    "content",
    [pytest.param(lambda: rendered(KINDS[0]), id="sample digest"), pytest.param(_big_digest, id="busy")],
)
def test_a_phone_shows_the_digest_without_sideways_scrolling(
    tmp_path: Path, content: Callable[[], EmailContent]
) -> None:
    html = content().html
    page_file = tmp_path / "digest.html"
    page_file.write_text(html, encoding="utf-8")
    shot = tmp_path / "digest.png"
    _chromium(tmp_path, f"--screenshot={shot}", page_file.as_uri())
    assert _png_size(shot.read_bytes())[0] == PHONE
    # Chromium's --dump-dom lays a page out at least 500 px wide, whatever --window-size says: the
    # digest is measured in a frame exactly as wide as the phone, by a script beside it.
    probe = tmp_path / "probe.html"
    probe.write_text(
        '<!DOCTYPE html><html><body style="margin:0">'
        f'<iframe id="digest" style="border:0;width:{PHONE}px;height:1400px" srcdoc="{escape(html)}">'
        "</iframe>"
        "<script>addEventListener('load', function () {"
        " var page = document.getElementById('digest').contentDocument.documentElement;"
        " document.documentElement.setAttribute('data-scroll-width', String(page.scrollWidth));"
        " document.documentElement.setAttribute('data-frame-width', String(page.clientWidth));"
        "});</script></body></html>",
        encoding="utf-8",
    )
    dom = _chromium(tmp_path, "--dump-dom", probe.as_uri())
    found = re.search(r'data-scroll-width="(\d+)" data-frame-width="(\d+)"', dom)
    assert found, dom[-500:]
    assert int(found.group(2)) == PHONE
    assert int(found.group(1)) <= PHONE
