"""One sync across platforms: what braingain knows of them, the plan, and applying it safely.

The order of a sync (``braingain.integrations.compose.run_sync``):

1. read the tracker, build the group (the tracker's two reads; nothing else is asked of anyone);
2. :func:`known`: the platform facts the tracker holds (Zoom ids and join links, imported
   attendance, braingain's memory of what it pushed and sent), with every result the journal holds
   that the tracker does not yet (a sync that stopped before its write-back) folded in;
3. :func:`plan`: the actions, one plan across platforms (``braingain plan`` prints it and stops);
4. :func:`apply`: Zoom first (deletions, creates, updates, attendance), then the invitations, which
   carry the join links Zoom just gave; each action journaled before and after
   (:mod:`braingain.integrations.engine.journal`). Before repeating an action whose outcome is
   unknown, and once before a sync's first create, the meetings are looked up by their keys, so a
   meeting is never made twice, even when the journal was lost;
5. :func:`outcomes`: what the tracker must now hold, written back by the tracker's own plan; once
   that write landed whole, the journal forgets the results (``Journal.settle``).

A sync with nothing to do makes no platform call at all.

Errors: a platform error (``PlatformError``) says whether the platform changed nothing
(``outcome_known``) and whether the platform's other actions must wait for the next sync
(``halts``: Zoom's daily limit, credentials refused, Zoom unavailable after the retries). An action
whose outcome is unknown stays ``start`` in the journal; the next sync finds it by its key.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from braingain.core.errors import DomainError
from braingain.core.group import Group
from braingain.core.ids import MemberId
from braingain.core.messaging.outgoing import Outgoing
from braingain.core.outcomes import AttendanceImport, MeetingLink, PlatformFacts, PlatformOutcomes
from braingain.core.platforms import Action, PlatformNote, PlatformPlan
from braingain.core.ports import Conferencing, InvitationOutbox
from braingain.core.schedule import conferencing, invitations
from braingain.core.schedule.attendance import match_attendance
from braingain.core.schedule.meetings import MeetingStatus, Presence
from braingain.core.schedule.reminders import ReminderPolicy
from braingain.core.words import day_said, moment_said
from braingain.integrations.engine import drive as drive_engine
from braingain.integrations.engine import messages
from braingain.integrations.engine.journal import Entry, Journal
from braingain.integrations.errors import PlatformError

CALENDAR = "calendar"
CALENDAR_PREFIX = "calendar:"
ZOOM_PAUSED = "zoom.paused-until"
"""The memory key of when Zoom takes meeting changes again after its daily limit (00:00 GMT)."""
ZOOM_TAG = "zoom.group-tag"
"""The memory key of the tag in every Zoom key of the group (:func:`conferencing.zoom_key`): made
once, kept for life, so that the group finds its own meetings and never another group's."""
UID_DOMAIN = "calendar.uid-domain"
"""The memory key of the domain the group's invitation UIDs were first made with: kept for life, so a
group that is renamed does not send every member a second copy of every meeting."""


@dataclass(frozen=True)
class Setup:
    """The platforms the composition root set up for one group.

    ``zoom``: the Zoom adapter, or ``None`` when Zoom is not configured (``zoom_off`` says how to set
    it up); ``outbox``: where invitations go (the workspace until email arrives); ``horizon``: how far
    ahead meetings are made (the tracker's schedule-ahead); ``domain``: the invitations' UID domain.
    """

    zoom: Conferencing | None
    outbox: InvitationOutbox | None
    topic: str
    settings: conferencing.ConferenceSettings = field(default_factory=conferencing.ConferenceSettings)
    horizon: timedelta = timedelta(weeks=8)
    domain: str = "braingain.invalid"
    reminders: ReminderPolicy = field(default_factory=ReminderPolicy)
    zoom_off: str = ""
    tag: str = ""
    """The group's tag for Zoom keys, used when braingain has none in memory yet."""
    ended: frozenset[str] = frozenset()
    """Zoom meeting ids Zoom reported over (its ``meeting.ended`` event): their attendance is
    imported now, even if they ended before their planned end."""
    messaging: messages.Messaging | None = None
    """Slack and email (or their outboxes): the group's messages; ``None``: none are sent."""
    drive: drive_engine.DriveSetup | None = None
    """Google Drive (or the workspace's folder tree): the group's folders; ``None``: none are kept."""


@dataclass
class Known:
    """What braingain knows of the platforms: the tracker's facts with the journal's unsettled
    results folded in, oldest first (see :func:`known`)."""

    links: dict[str, MeetingLink]
    memory: dict[str, str]
    imported: set[str]
    attendance: dict[str, AttendanceImport] = field(default_factory=dict)
    unknown: set[str] = field(default_factory=set)
    """Keys of actions a stopped sync started and never heard back from."""

    def zoom_facts(self) -> conferencing.ZoomFacts:
        return conferencing.ZoomFacts(
            dict(self.links), conferencing.remembered(self.memory), frozenset(self.imported)
        )

    def sent(self) -> dict[str, invitations.Sent]:
        found: dict[str, invitations.Sent] = {}
        for key, value in self.memory.items():
            if key.startswith(CALENDAR_PREFIX):
                try:
                    found[key.removeprefix(CALENDAR_PREFIX)] = invitations.Sent.from_text(value)
                except DomainError:
                    continue  # unreadable memory: that invitation is issued again
        return found

    def paused(self, now: datetime) -> datetime | None:
        """When Zoom takes changes again, if that is after ``now`` (its daily limit was reached)."""
        found = self._text(ZOOM_PAUSED)
        try:
            until = datetime.fromisoformat(found) if found else None
        except ValueError:
            return None
        return until if until is not None and until.tzinfo is not None and until > now else None

    def tag(self) -> str | None:
        """The tag of the group's Zoom keys, once one was used."""
        return self._text(ZOOM_TAG)

    def _text(self, key: str) -> str | None:
        """The text remembered under ``key`` (JSON), or ``None`` when there is none or it is damaged."""
        try:
            found = json.loads(self.memory.get(key, "null"))
        except ValueError:
            return None
        return found if isinstance(found, str) and found else None

    def uid_domain(self) -> str | None:
        """The domain the group's invitation UIDs were first made with, if any was sent."""
        return self._text(UID_DOMAIN)

    def fold(self, entry: Entry) -> None:
        """Take one finished action's result into what is known."""
        result, subject = entry.result, entry.subject
        if entry.platform == conferencing.ZOOM:
            if entry.verb in {"create", "update"}:
                if result.get("tag"):
                    self.memory.setdefault(ZOOM_TAG, json.dumps(str(result["tag"])))
                link = MeetingLink(str(result["id"]), str(result["join_url"]))
                self.links[subject] = link
                pushed = conferencing.Pushed(link.zoom_id, str(result["fp"]))
                self.memory[conferencing.MEMORY_PREFIX + subject] = pushed.to_text()
            elif entry.verb == "delete":
                self.links.pop(subject, None)
                self.memory.pop(conferencing.MEMORY_PREFIX + subject, None)
            elif entry.verb == "attendance":
                self.imported.add(subject)
                self.attendance[subject] = AttendanceImport(
                    meeting_id=subject,
                    present=frozenset(MemberId(m) for m in result.get("present", ())),
                    absent=frozenset(MemberId(m) for m in result.get("absent", ())),
                    unmatched=tuple(str(n) for n in result.get("unmatched", ())),
                    source=str(result.get("source", "Zoom")),
                )
        elif entry.platform == CALENDAR:
            self.memory[CALENDAR_PREFIX + subject] = str(result["sent"])
            self.memory.setdefault(UID_DOMAIN, json.dumps(str(result["domain"])))
        elif entry.platform in {messages.SLACK, messages.EMAIL}:
            messages.fold(entry, self.memory)
        elif entry.platform == drive_engine.DRIVE:
            drive_engine.fold(entry, self.memory)

    def join_links(self) -> dict[str, str]:
        """Each meeting's Zoom join link, by meeting ID."""
        return {ident: link.join_url for ident, link in self.links.items()}


def known(facts: PlatformFacts, journal: Journal) -> Known:
    """The tracker's platform facts, with every result the journal holds but has not settled."""
    state = Known(dict(facts.links), dict(facts.memory), set(facts.attendance_imported))
    for entry in journal.entries():
        if entry.done:
            state.fold(entry)
        elif entry.unknown:
            state.unknown.add(entry.key)
    return state


# -- planning -----------------------------------------------------------------------------------


def _zoom_actions(group: Group, state: Known, setup: Setup, now: datetime) -> list[Action[object]]:
    horizon = now + setup.horizon
    desired = conferencing.desired_meetings(
        group,
        now=now,
        horizon=horizon,
        topic=setup.topic,
        settings=setup.settings,
        tag=state.tag() or setup.tag,
        linked=state.links,
    )
    ended = {ident for ident, link in state.links.items() if link.zoom_id in setup.ended}
    return conferencing.zoom_actions(
        group, desired, state.zoom_facts(), now=now, horizon=horizon, ended=ended
    )


def _calendar_actions(
    group: Group, state: Known, setup: Setup, now: datetime, *, coming: Mapping[str, str] | None = None
) -> list[Action[object]]:
    """The invitations due, with the join links known (and, for a plan, those Zoom is ``coming`` to give)."""
    links = {ident: link.join_url for ident, link in state.links.items()}
    links.update(coming or {})
    planned = invitations.plan_invitations(
        group,
        now=now,
        join_links=links,
        policy=setup.reminders,
        sent=state.sent(),
        domain=state.uid_domain() or setup.domain,
        horizon=now + setup.horizon,
        online=setup.zoom is not None,
    )
    actions: list[Action[object]] = []
    for invitation in planned.due:
        verb = "cancel" if invitation.method == "CANCEL" else "request"
        when = moment_said(invitation.start)
        words = (
            f"send the cancellation of the meeting of {when}"
            if verb == "cancel"
            else f"{'update' if invitation.sequence else 'write'} the calendar invitation for {when}"
        )
        actions.append(
            Action(
                f"{CALENDAR}:{verb}:{invitation.meeting_id}:{invitation.sequence}",
                CALENDAR,
                verb,
                invitation.meeting_id,
                words,
                invitation,
            )
        )
    return actions


UNKNOWN = "a sync that stopped may have made it: braingain looks on Zoom first, and never makes it twice"
PENDING_LINK = "(the join link Zoom gives when the meeting is created)"


def refresh(
    group: Group, state: Known, setup: Setup, existing: Mapping[str, MeetingLink], *, now: datetime
) -> list[str]:
    """Make ``state`` say what Zoom holds of the group's meetings ahead (``existing``: Zoom's meetings
    by key, one listing: ``Conferencing.existing``):
    a meeting deleted outside braingain loses its link (so the plan creates it again), one replaced
    under the same key is taken as it is, and one whose fingerprint is unknown is pushed again.
    Returns what was found, in words (nothing when Zoom holds what braingain did)."""
    if group.series is None:
        return []
    tag = state.tag() or setup.tag
    zone = group.series.slot.zone
    found: list[str] = []
    for meeting in group.meetings_by(now + setup.horizon):
        link = state.links.get(meeting.id)
        if link is None or meeting.start <= now:
            continue
        there = existing.get(conferencing.zoom_key(meeting.id, tag))
        if there == link:
            continue
        state.memory.pop(conferencing.MEMORY_PREFIX + meeting.id, None)
        when = moment_said(meeting.start, zone)
        if there is None:
            del state.links[meeting.id]
            if meeting.status is not MeetingStatus.CANCELLED:
                found.append(f"the Zoom meeting of {when} was deleted outside braingain")
        else:
            state.links[meeting.id] = there
            found.append(f"the Zoom meeting of {when} was replaced outside braingain")
    return found


def plan(
    group: Group, state: Known, setup: Setup, *, now: datetime, drift: list[str] | None = None
) -> PlatformPlan:
    """Every platform action a sync would make now, Zoom's first, and a note for each platform that
    is not set up, and for what :func:`refresh` found (``drift``). No I/O."""
    notes: list[PlatformNote] = [
        PlatformNote(drive_engine.DRIVE, f"Found on Drive: {d.removeprefix(DRIFT_DRIVE)}.")
        if d.startswith(DRIFT_DRIVE)
        else PlatformNote(conferencing.ZOOM, f"Found on Zoom: {d}.")
        for d in drift or ()
    ]
    actions: list[Action[object]] = []
    coming: dict[str, str] = {}
    paused = state.paused(now)
    if setup.zoom is None:
        if group.series is not None and setup.zoom_off:
            notes.append(PlatformNote(conferencing.ZOOM, setup.zoom_off))
    elif paused is not None:
        notes.append(PlatformNote(conferencing.ZOOM, zoom_paused(paused)))
        runnable, held = _during_pause(_zoom_actions(group, state, setup, now))
        actions += runnable
        notes += [PlatformNote(conferencing.ZOOM, f"{a.words}: {WAITS_PAUSE}") for a in held]
    else:
        zoom = [
            replace(a, words=f"{a.words} ({UNKNOWN})") if a.key in state.unknown else a
            for a in _zoom_actions(group, state, setup, now)
        ]
        actions += zoom
        coming = {a.subject: PENDING_LINK for a in zoom if a.verb == "create"}
    if setup.outbox is not None:
        actions += _calendar_actions(group, state, setup, now, coming=coming)
    if setup.drive is not None:
        kept, noted = drive_engine.actions(group, state.memory, setup.drive, now=now)
        actions += kept
        notes += noted
    if setup.messaging is not None:
        said, told = messages.actions(
            group, state.memory, setup.messaging, now=now, join_links=state.join_links()
        )
        actions += said
        notes += told
    return PlatformPlan.of(actions, notes)


# -- applying -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Done:
    """One action applied (or found already done) in this sync, in words."""

    action: Action[object]
    words: str


@dataclass
class Applied:
    """What :func:`apply` did: ``done`` in order, ``failed`` (refused, changed nothing),
    ``waiting`` (key, why: stopped with its outcome unknown, or its platform halted)."""

    done: list[Done] = field(default_factory=list)
    failed: list[tuple[Action[object], str]] = field(default_factory=list)
    waiting: list[tuple[str, str]] = field(default_factory=list)


WAITS = "waits for the next sync (Zoom stopped this sync's changes: see above)"
WAITS_PAUSE = "waits for Zoom's daily limit to reset (00:00 GMT)"
LIMITED = frozenset({"create", "update"})
"""The Zoom actions its daily limit counts (a user's 100 meeting creates and updates a day)."""


def _during_pause(actions: list[Action[object]]) -> tuple[list[Action[object]], list[Action[object]]]:
    """The actions Zoom's daily limit lets through (deletions, attendance) and those it holds."""
    return [a for a in actions if a.verb not in LIMITED], [a for a in actions if a.verb in LIMITED]


class _Halt(Exception):
    """This platform's remaining actions wait for the next sync (or until ``until``)."""

    def __init__(self, until: datetime | None = None) -> None:
        super().__init__()
        self.until = until


def apply(
    group: Group,
    state: Known,
    setup: Setup,
    journal: Journal,
    *,
    now: datetime,
    progress: Callable[[str], None] = lambda _: None,
) -> Applied:
    """Apply every platform action, Zoom's first, then the invitations (planned again with the links
    Zoom just gave). ``state`` is updated as each action finishes. Never raises a platform's error:
    each is recorded in :class:`Applied` (a halted platform waits for the next sync)."""
    applied = Applied()
    paused = state.paused(now)
    if setup.zoom is not None and paused is not None:
        zoom = setup.zoom
        runnable, held = _during_pause(_zoom_actions(group, state, setup, now))
        applied.waiting += [(a.key, f"{a.words}: {WAITS_PAUSE}") for a in held]
        try:
            for action in runnable:
                _run(action, journal, now, applied, lambda a: _zoom(zoom, group, state, a, now))
                entry = journal.get(action.key)
                if entry is not None and entry.done:
                    state.fold(entry)
        except _Halt:
            pass
    elif setup.zoom is not None:
        zoom = setup.zoom
        actions: list[Action[object]] = []
        try:
            actions = _zoom_actions(group, state, setup, now)
            lost = [e for e in journal.entries() if e.unknown and e.platform == conferencing.ZOOM]
            if any(a.verb == "create" for a in actions) or any(e.verb == "create" for e in lost):
                progress("looking on Zoom for meetings braingain made before")
                if _adopt(setup, zoom, actions, lost, state, journal, now, applied):
                    actions = _zoom_actions(group, state, setup, now)  # an adopted meeting is updated
            for action in actions:
                progress(action.words)
                _run(action, journal, now, applied, lambda a: _zoom(zoom, group, state, a, now))
                entry = journal.get(action.key)
                if entry is not None and entry.done:
                    state.fold(entry)
        except _Halt as halt:  # every Zoom change not made waits for the next sync, and is said
            if halt.until is not None:
                state.memory[ZOOM_PAUSED] = json.dumps(halt.until.astimezone(UTC).isoformat())
            said = {key for key, _ in applied.waiting} | {a.key for a, _ in applied.failed}
            for left in actions:
                entry = journal.get(left.key)
                if left.key not in said and not (entry is not None and entry.done):
                    applied.waiting.append((left.key, f"{left.words}: {WAITS}"))
    if setup.outbox is not None:
        outbox = setup.outbox
        try:
            for action in _calendar_actions(group, state, setup, now):
                _run(action, journal, now, applied, lambda a: _calendar(outbox, a, now))
                entry = journal.get(action.key)
                if entry is not None and entry.done:
                    state.fold(entry)
        except _Halt:
            pass
    if setup.drive is not None:
        _apply_drive(group, state, setup, setup.drive, journal, now, applied, progress)
    if setup.messaging is not None:
        _apply_messages(group, state, setup, setup.messaging, journal, now, applied, progress)
    return applied


DRIFT_DRIVE = "Drive: "
"""What ``--refresh`` found on Drive starts with this in ``drift`` (the rest is Zoom's)."""
DRIVE_TAG = "drive.group-tag"
"""The memory key of the tag every file braingain makes on Drive carries (``appProperties``): made once,
kept for life, so that the group finds its own files again and never another group's."""


def _apply_drive(
    group: Group,
    state: Known,
    setup: Setup,
    drive: drive_engine.DriveSetup,
    journal: Journal,
    now: datetime,
    applied: Applied,
    progress: Callable[[str], None],
) -> None:
    """The Drive actions (folders, shares, minutes), after Zoom and the invitations. Drive halting (or a
    look it cannot make) stops only Drive's actions, which wait for the next sync and are said."""
    found = state._text(DRIVE_TAG)
    tag = found or state.tag() or setup.tag
    due, _ = drive_engine.actions(group, state.memory, drive, now=now)
    if not due:
        return
    if found is None:
        state.memory[DRIVE_TAG] = json.dumps(tag)

    def run(
        action: Action[object],
        perform: Callable[[Action[object]], dict[str, Any]],
        note: Mapping[str, Any] | None,
    ) -> None:
        _run(action, journal, now, applied, perform, note=note)

    try:
        drive_engine.apply(group, state.memory, drive, journal, now=now, tag=tag, run=run, progress=progress)
    except (_Halt, PlatformError) as stopped:
        if isinstance(stopped, PlatformError):
            applied.waiting.append(("drive:look", str(stopped)))
        said = {key for key, _ in applied.waiting} | {a.key for a, _ in applied.failed}
        for left in due:
            entry = journal.get(left.key)
            if left.key not in said and not (entry is not None and entry.done):
                applied.waiting.append((left.key, f"{left.words}: {WAITS_DRIVE}"))


def _apply_messages(
    group: Group,
    state: Known,
    setup: Setup,
    messaging: messages.Messaging,
    journal: Journal,
    now: datetime,
    applied: Applied,
    progress: Callable[[str], None],
) -> None:
    """The message actions, planned again now that Zoom's links and the invitations are known: Slack's
    (channels, invitations to them, posts), then email's. A platform that halts stops only its own."""
    due, _ = messages.actions(group, state.memory, messaging, now=now, join_links=state.join_links())

    def invitation(message: Outgoing) -> invitations.Invitation | None:
        meeting = messages.meeting_of(message)
        if meeting is None or setup.outbox is None:
            return None
        return invitations.invitation_of(
            group,
            meeting,
            join_links=state.join_links(),
            policy=setup.reminders,
            sent=state.sent(),
            domain=state.uid_domain() or setup.domain,
            online=setup.zoom is not None,
        )

    lost = messages.lost_uploads(journal)
    for platform in (messages.SLACK, messages.EMAIL):
        mine = [a for a in due if a.platform == platform]
        try:
            for action in mine:
                previous = journal.get(action.key)

                def attempt(a: Action[object], before: Entry | None = previous) -> dict[str, Any]:
                    return messages.perform(
                        a,
                        messaging,
                        group,
                        state.memory,
                        journal,
                        previous=before,
                        now=now,
                        invitation=invitation,
                        lost=lost,
                    )

                progress(action.words)
                _run(action, journal, now, applied, attempt, note=messages.first_started(previous))
                entry = journal.get(action.key)
                if entry is not None and entry.done:
                    state.fold(entry)
        except _Halt:
            said = {key for key, _ in applied.waiting} | {a.key for a, _ in applied.failed}
            for left in mine:
                entry = journal.get(left.key)
                if left.key not in said and not (entry is not None and entry.done):
                    applied.waiting.append(
                        (left.key, f"{left.words}: {WAITS_OTHER.format(platform=_named(platform))}")
                    )


def reaches_out(plan: PlatformPlan, setup: Setup) -> bool:
    """Whether ``plan`` changes anything beyond this computer (Zoom, a live Slack, a mail server), which
    a sync on another computer must never repeat; actions on the outboxes stay here."""
    messaging = setup.messaging
    for action in plan.actions:
        if action.platform == conferencing.ZOOM:
            return True
        if messaging is not None and action.platform == messages.SLACK and messaging.live:
            return True
        if messaging is not None and action.platform == messages.EMAIL and messaging.mail_live:
            return True
        if setup.drive is not None and action.platform == drive_engine.DRIVE and setup.drive.live:
            return True
    return False


KEEP_UNKNOWN = timedelta(days=62)
"""How long an action whose outcome is unknown is kept for the next sync to look for: longer than any
message can be due (``[messages] news_days`` is at most 60)."""


def still_unknown(entry: Entry, now: datetime) -> bool:
    """Whether the journal must keep ``entry`` after the write-back: a Zoom create or a message whose
    outcome is unknown, which the next sync looks for before making it again."""
    if entry.unknown and entry.platform == drive_engine.DRIVE and entry.verb in drive_engine.CREATES:
        return True  # its id is sent again by the next sync, which so finds what it made
    shared = entry.platform == drive_engine.DRIVE and entry.verb == "share"  # found again as braingain's
    if not entry.unknown or (entry.verb not in {"create", "post", "send", "attach"} and not shared):
        return False
    try:
        started = datetime.fromisoformat(entry.at)
    except ValueError:
        return entry.verb == "create"
    return entry.verb == "create" or started.tzinfo is None or now - started < KEEP_UNKNOWN


def _named(platform: str) -> str:
    return "Slack" if platform == messages.SLACK else "the mail server"


WAITS_OTHER = "waits for the next sync ({platform} stopped this sync's messages: see above)"
WAITS_DRIVE = "waits for the next sync (Drive stopped this sync's changes to the group's folders: see above)"


def _adopt(
    setup: Setup,
    zoom: Conferencing,
    actions: list[Action[object]],
    lost: list[Entry],
    state: Known,
    journal: Journal,
    now: datetime,
    applied: Applied,
) -> bool:
    """One look at the meetings Zoom holds with braingain's keys, before a sync's first create (or
    when a create's outcome is unknown): a meeting this plan would create, or an earlier sync may have
    created, that is already there (a create whose answer was lost, a journal deleted, a sync on
    another computer) is recorded as found, never made again. Its fingerprint is unknown, so the plan
    made again pushes this version to it (or deletes it, if its meeting was cancelled since).
    Returns whether any was found."""
    try:
        existing = zoom.existing()
    except PlatformError as error:
        applied.waiting.append(("zoom:look", str(error)))
        raise _Halt from None
    tag = state.tag() or setup.tag
    wanted = {a.subject: a for a in actions if a.verb == "create"}
    for entry in lost:
        if entry.verb == "create" and entry.subject not in wanted:
            words = f"create the Zoom meeting for {entry.subject}"
            wanted[entry.subject] = Action(entry.key, entry.platform, entry.verb, entry.subject, words, None)
    found_any = False
    for subject, action in sorted(wanted.items()):
        link = existing.get(conferencing.zoom_key(subject, tag))
        if link is None:
            continue
        found = {"id": link.zoom_id, "join_url": link.join_url, "fp": "", "tag": tag}
        journal.finish(action, found, at=now)
        finished = journal.get(action.key)
        assert finished is not None
        state.fold(finished)
        applied.done.append(Done(action, f"found on Zoom the meeting made before for {subject}"))
        found_any = True
    for gone in lost:  # looked for and not there: that create never reached Zoom
        if gone.verb == "create" and gone.subject not in state.links:
            journal.settle([gone.key])
    return found_any


def _run(
    action: Action[object],
    journal: Journal,
    now: datetime,
    applied: Applied,
    perform: Callable[[Action[object]], dict[str, Any]],
    note: Mapping[str, Any] | None = None,
) -> None:
    previous = journal.get(action.key)
    if previous is not None and previous.done:
        return  # finished by a sync that stopped before writing back: its result is already known
    journal.start(action, at=now, note=note)
    try:
        result = perform(action)
    except PlatformError as error:
        if error.outcome_known:
            journal.fail(action, str(error), at=now)
            applied.failed.append((action, str(error)))
        else:
            applied.waiting.append((action.key, str(error)))
        if error.halts:
            raise _Halt(error.until) from None
        return
    journal.finish(action, result, at=now)
    where = result.get("where")
    applied.done.append(Done(action, f"{action.words}: {where}" if where else action.words))


ATTENDANCE_GRACE = timedelta(days=1)
"""How long after a meeting's end a Zoom with no record of it is asked again (its report takes a
while after the meeting ends) before the meeting is recorded as not held on Zoom."""


class NoAttendanceYet(PlatformError):
    """Zoom has no record of the meeting's participants yet: nothing changed, the next sync asks again."""

    outcome_known = True
    halts = False


def _zoom(
    zoom: Conferencing, group: Group, state: Known, action: Action[object], now: datetime
) -> dict[str, Any]:
    payload = action.payload
    if action.verb == "create":
        assert isinstance(payload, conferencing.DesiredMeeting)
        return _pushed(zoom.create(payload), payload)
    if action.verb == "update":
        assert isinstance(payload, conferencing.DesiredMeeting)
        # Not at the id the tracker holds (deleted by hand, or another id typed in the tracker):
        # looked for by its key before it is made again, so never a second meeting on Zoom.
        link = zoom.update(state.links[action.subject], payload) or _remade(zoom, payload)
        return _pushed(link, payload)
    if action.verb == "delete":
        assert isinstance(payload, MeetingLink)
        zoom.delete(payload)
        return {}
    if action.verb == "attendance":
        assert isinstance(payload, MeetingLink)
        joined = zoom.attendees(payload)
        if joined is None:
            held = next((m for m in group.meetings_by(now) if m.id == action.subject), None)
            if held is not None and now < held.end + ATTENDANCE_GRACE:
                raise NoAttendanceYet(
                    f"Zoom has no record of who joined the meeting of {action.subject} yet",
                    hint="Zoom makes it ready some minutes after a meeting ends: the next sync asks again",
                )
            return {
                "present": [],
                "absent": [],
                "unmatched": [],
                "source": "Zoom (no record of it being held)",
            }
        record = group.records.get(action.subject)
        excused = {m for m, p in (record.attendance if record else {}).items() if p is Presence.EXCUSED}
        found = match_attendance(group, action.subject, joined, excused=excused, source="Zoom")
        return {
            "present": sorted(found.present),
            "absent": sorted(found.absent),
            "unmatched": list(found.unmatched),
            "source": found.source,
        }
    raise ValueError(f"no such Zoom action: {action.key}")


def _pushed(link: MeetingLink, meeting: conferencing.DesiredMeeting) -> dict[str, Any]:
    """The journal's record of a meeting pushed to Zoom: its id, join link, fingerprint and tag."""
    return {"id": link.zoom_id, "join_url": link.join_url, "fp": meeting.fingerprint, "tag": _tag(meeting)}


def _tag(meeting: conferencing.DesiredMeeting) -> str:
    """The group tag inside a meeting's key (``zoom:TAG:ID``), or ``""``."""
    parts = meeting.key.split(":")
    return parts[1] if len(parts) == 3 else ""


def _remade(zoom: Conferencing, meeting: conferencing.DesiredMeeting) -> MeetingLink:
    """A meeting deleted on Zoom by hand, made again with the same key: unless a sync that stopped
    already made it again (found by its key, and brought to this version), so never twice."""
    found = zoom.existing().get(meeting.key)
    if found is not None:
        kept = zoom.update(found, meeting)
        if kept is not None:
            return kept
    return zoom.create(meeting)


def _calendar(outbox: InvitationOutbox, action: Action[object], at: datetime) -> dict[str, Any]:
    invitation = action.payload
    assert isinstance(invitation, invitations.Invitation)
    where = outbox.issue(invitation, at=at)
    sent = invitations.Sent(invitation.sequence, invitation.fingerprint, invitation.cancelled)
    return {"sent": sent.to_text(), "domain": invitation.uid.partition("@")[2], "where": where}


# -- writing back -------------------------------------------------------------------------------


def zoom_paused(until: datetime) -> str:
    """Why no Zoom change is made before ``until``, in words."""
    return (
        "Zoom's daily limit of meeting changes was reached: braingain asks Zoom nothing until "
        f"{until.astimezone(UTC):%H:%M} GMT on {day_said(until.astimezone(UTC))}, then makes what waits"
    )


FORGET_AFTER = timedelta(days=7)
"""How long after a meeting ends braingain keeps what it pushed and sent for it (then never needed)."""


def outcomes(facts: PlatformFacts, state: Known, *, group: Group, now: datetime) -> PlatformOutcomes:
    """What the tracker must hold now: every link that differs from what it holds (``None`` clears
    one), the attendance imported and not yet written, and the whole memory when it changed. What
    was pushed to Zoom and sent in invitations for a meeting over for a week is forgotten (its Zoom
    meeting and join link stay on the Meetings tab), so the memory does not grow with the years."""
    if state.paused(now) is None:
        state.memory.pop(ZOOM_PAUSED, None)
    messages.forget(state.memory, now)
    over = {m.id for m in group.meetings_by(now) if m.end + FORGET_AFTER < now}
    for ident in over:
        state.memory.pop(conferencing.MEMORY_PREFIX + ident, None)
        state.memory.pop(CALENDAR_PREFIX + ident, None)
    links: dict[str, MeetingLink | None] = {
        ident: link for ident, link in state.links.items() if facts.links.get(ident) != link
    }
    for ident in facts.links:
        if ident not in state.links:
            links[ident] = None
    attendance = {k: v for k, v in state.attendance.items() if k not in facts.attendance_imported}
    memory = dict(state.memory) if state.memory != dict(facts.memory) else None
    return PlatformOutcomes(links=links, attendance=attendance, memory=memory)
