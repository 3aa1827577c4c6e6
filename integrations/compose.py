"""The composition root: the one place that picks adapters, reads the clock and runs a sync.

A sync is one pass in one direction: read the tracker, build the model (validating
every row), compute the plan of changes, apply it, and write the results back.
"""

from __future__ import annotations

import gc
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from braingain.core.authorship.integrity import SEAL_KEY
from braingain.core.charts import POINTS
from braingain.core.drive.folders import DrivePolicy
from braingain.core.messaging.due import MessagePolicy
from braingain.core.outcomes import MeetingLink
from braingain.core.platforms import PlatformPlan
from braingain.core.ports import Chat, TrackerBackend
from braingain.core.schedule.conferencing import ConferenceSettings
from braingain.core.schedule.reminders import ReminderPolicy
from braingain.core.tracker.changes import Changes, describe
from braingain.core.tracker.plan import TrackerPlan, plan_tracker, settle
from braingain.core.tracker.read import ReadResult, Settings, read_tracker
from braingain.core.tracker.schema import Schema, Snapshot, Unwritten
from braingain.integrations import text
from braingain.integrations.config import Config, state_key
from braingain.integrations.engine import drive as drive_engine
from braingain.integrations.engine import platforms as engine
from braingain.integrations.engine.charts import ChartSource
from braingain.integrations.engine.journal import Journal, JournalBusy
from braingain.integrations.engine.messages import Messaging
from braingain.integrations.errors import ConfigError, SyncBusy, TrackerError, TrackerNotThere
from braingain.integrations.tracker.schema import load_schema

if TYPE_CHECKING:
    from braingain.core.group import Group
    from braingain.core.ids import ProjectId
    from braingain.integrations.calendar.ics import CalendarAddress
    from braingain.integrations.engine.drive import DriveSetup
    from braingain.integrations.reports.charts import Rendered

Progress = Callable[[str], None]

DEFAULT_WAIT = 30.0
"""How long a sync waits for another sync of the same tracker to finish (seconds; ``--wait``)."""
POLL = 2.0
"""Seconds between two tries of a sync that waits for another (Google: each try reads the sheet again)."""


def _quiet(_: str) -> None:
    return None


def now() -> datetime:
    """The only clock braingain reads."""
    return datetime.now(UTC)


def tracker_backend(config: Config) -> TrackerBackend:
    """The tracker the configuration names: the local workbook, or the Google Sheet."""
    if config.tracker.backend == "local":
        from braingain.integrations.tracker.workbook import LocalWorkbook

        if config.tracker.path is None:
            raise ConfigError("[tracker] path is empty", hint="give the workbook's path, e.g. braingain.xlsx")
        return LocalWorkbook(config.tracker.path)
    from braingain.integrations.tracker.google_sheets import GoogleSheets

    return GoogleSheets.from_config(config)


@dataclass(frozen=True, slots=True)
class SyncOutcome:
    location: str
    read: ReadResult
    plan: TrackerPlan
    applied: bool
    unwritten: tuple[Unwritten, ...] = ()
    """What the write held back because a person changed the tracker during the sync (the next
    sync writes it)."""
    changes: Changes | None = field(default=None, kw_only=True)
    """Every change of ``plan``, in words (:func:`~braingain.core.tracker.changes.describe`): what
    ``plan`` and ``sync`` print. Every outcome :func:`run_sync` returns has it."""
    platforms: PlatformPlan = field(default_factory=PlatformPlan, kw_only=True)
    """Every platform action (Zoom, invitations) the sync makes, or made, in order."""
    done: Applied | None = field(default=None, kw_only=True)
    """What the sync did on the platforms (``None`` for a plan)."""


Applied = engine.Applied


def run_sync(
    config: Config,
    *,
    apply: bool,
    at: datetime | None = None,
    backend: TrackerBackend | None = None,
    progress: Progress = _quiet,
    allow_empty: bool = False,
    wait: float = DEFAULT_WAIT,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    platforms: engine.Setup | None = None,
    refresh: bool = False,
) -> SyncOutcome:
    """Read, validate, model, plan across platforms; with ``apply``, make the platform actions
    (journaled: :mod:`braingain.integrations.engine`) and write the results and the plan back.

    ``refresh`` first asks each platform what it holds (Zoom: one listing) and plans from that, so
    a meeting deleted or replaced outside braingain is put right; without it nothing is asked.
    ``platforms`` are the platform adapters (by default those ``config`` sets up:
    :func:`platform_setup`).

    Raises :class:`TrackerNotThere` (and writes nothing) when a core tab is missing,
    renamed, emptied or still loading, unless ``allow_empty`` says the group really is empty
    (which a tab that looks renamed or is still loading never is).

    Two syncs of one tracker never interleave their writes. With ``apply``, a backend that
    offers ``exclusive(wait)`` (the local workbook's lock) is held from the read to the end
    of the write; a backend that refuses a write because another sync is writing or wrote
    first (Google's lease) has its whole sync tried again, afresh, every :data:`POLL`
    seconds. Either way a sync waits at most ``wait`` seconds (``clock`` and ``sleep`` in
    seconds, injectable for tests), then raises :class:`SyncBusy`, having written nothing.
    A sync that only plans never waits: it writes nothing.
    """
    moment = at or now()
    setup = platforms if platforms is not None else platform_setup(config, strict=apply)

    def once(tracker: TrackerBackend) -> SyncOutcome:
        return _sync(
            config,
            tracker,
            setup,
            apply=apply,
            at=moment,
            progress=progress,
            allow_empty=allow_empty,
            wait=wait,
            refresh=refresh,
        )

    def waiting(tracker: TrackerBackend) -> SyncOutcome:
        return one_at_a_time(
            tracker, once, apply=apply, wait=wait, sleep=sleep, clock=clock, progress=progress
        )

    try:
        if backend is not None:
            return waiting(backend)
        tracker = tracker_backend(config)
        try:
            return waiting(tracker)
        finally:
            _close(tracker)
    finally:
        if platforms is None and setup.drive is not None and setup.drive.drive is not None:
            _close(setup.drive.drive)  # the Drive adapter this sync built (its connections)


def _close(adapter: object) -> None:
    close = getattr(adapter, "close", None)
    if callable(close):
        close()


T = TypeVar("T")


def one_at_a_time(
    tracker: TrackerBackend,
    work: Callable[[TrackerBackend], T],
    *,
    apply: bool = True,
    wait: float = DEFAULT_WAIT,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    progress: Progress = _quiet,
) -> T:
    """``work(tracker)`` (a read, then a write computed from it), never interleaved with another
    sync's or member action's write: with ``apply``, under the backend's sync lock
    (``exclusive(wait)``, the local workbook's), and tried again afresh while another writer holds
    the tracker or wrote first (Google's lease: the write raises :class:`SyncBusy`), every
    :data:`POLL` seconds, at most ``wait`` seconds; then raises :class:`SyncBusy`."""
    deadline = clock() + max(wait, 0.0)
    while True:
        try:
            with _exclusive(tracker, apply=apply, wait=max(deadline - clock(), 0.0)):
                return work(tracker)
        except SyncBusy as busy:
            left = deadline - clock()
            if left <= 0:
                raise busy.after_waiting(max(wait, 0.0)) from None
            progress(f"another sync of {tracker.location} is running; waiting for it")
            sleep(min(POLL, left))


def _exclusive(tracker: TrackerBackend, *, apply: bool, wait: float) -> AbstractContextManager[None]:
    """The backend's sync lock (``exclusive(wait)``) for a sync that writes; nothing otherwise."""
    hold = getattr(tracker, "exclusive", None)
    if not apply or not callable(hold):
        return nullcontext()
    context: AbstractContextManager[None] = hold(wait)
    return context


def _sync(
    config: Config,
    tracker: TrackerBackend,
    setup: engine.Setup,
    *,
    apply: bool,
    at: datetime,
    progress: Progress,
    allow_empty: bool,
    wait: float,
    refresh: bool = False,
) -> SyncOutcome:
    """One sync. One that applies holds the group's journal from before its read to after its
    write-back, so that a second sync of the group on this computer reads what the first wrote (and
    so never sends a message, or makes a change, the first already made): it waits, as for the
    tracker's own lock, and then works afresh (:class:`SyncBusy` tells the caller's loop so)."""
    journal = Journal.beside(config.source)

    def held() -> SyncOutcome:
        return _sync_held(
            config,
            tracker,
            setup,
            journal,
            apply=apply,
            at=at,
            progress=progress,
            allow_empty=allow_empty,
            refresh=refresh,
        )

    if not apply:
        return held()
    try:
        with journal.exclusive(wait):
            return held()
    except JournalBusy as busy:
        raise SyncBusy(tracker.location, busy.reason, hint=busy.hint) from None


def _sync_held(
    config: Config,
    tracker: TrackerBackend,
    setup: engine.Setup,
    journal: Journal,
    *,
    apply: bool,
    at: datetime,
    progress: Progress,
    allow_empty: bool,
    refresh: bool = False,
) -> SyncOutcome:
    schema = load_schema()
    key = state_key(config)  # a key that cannot be used is said before anything is read
    progress(f"reading the tracker ({tracker.location})")
    snapshot = tracker.read()
    if key is None and apply and sealed_memory(snapshot, schema):
        message, hint = text.sealed_without_key(tracker.location)
        raise ConfigError(message, hint=hint)
    # The rows below the headers of the group's tabs; not braingain's own hidden ones (its memory, the
    # workbook's dropdown lists).
    tabs = {tab.title for tab in schema.tabs if tab.key != "state"}
    rows = sum(max(len(g.values) - 1, 0) for title, g in snapshot.grids.items() if title in tabs)
    progress(f"checking {rows} row{'' if rows == 1 else 's'}")
    read, plan = compute(
        schema,
        snapshot,
        config.settings,
        at,
        allow_empty=allow_empty,
        location=tracker.location,
        progress=progress,
        state_key=key,
    )
    state = engine.known(read.platforms, journal)
    drift: list[str] = []
    listing: Mapping[str, MeetingLink] | None = None
    if refresh and setup.zoom is not None:
        progress("looking on Zoom for meetings changed outside braingain")
        listing = setup.zoom.existing()  # one look, a platform error says why it could not be made
        drift = engine.refresh(read.group, state, setup, listing, now=at)
    if refresh and setup.drive is not None:
        progress("looking on Drive at the group's folders and who each is shared with")
        drift += [engine.DRIFT_DRIVE + d for d in drive_engine.refresh(read.group, state.memory, setup.drive)]
    platforms = engine.plan(read.group, state, setup, now=at, drift=drift)
    done: engine.Applied | None = None
    applied = False
    unwritten: tuple[Unwritten, ...] = ()
    if not apply:
        back = engine.outcomes(read.platforms, state, group=read.group, now=at)
        remade = {a.subject for a in platforms.actions if a.key.startswith("zoom:create:")}
        # A link --refresh found gone is not cleared in a plan where its meeting is made again.
        back = replace(back, links={k: v for k, v in back.links.items() if v is not None or k not in remade})
        if not back.empty:  # what a stopped sync made and the tracker does not hold yet
            plan = plan_tracker(schema, read, config.settings, at, state_key=key, outcomes=back)
    else:
        waits = state.paused(at) is not None and setup.zoom is not None  # said, and exit 3
        if not platforms.empty or waits:
            hold = getattr(tracker, "hold", None)
            if callable(hold) and engine.reaches_out(platforms, setup):
                hold()  # a tracker shared by computers (Google): its lease, before any change elsewhere
            done = engine.apply(read.group, state, setup, journal, now=at, progress=progress)
        back = engine.outcomes(read.platforms, state, group=read.group, now=at)
        if not back.empty:
            plan = plan_tracker(schema, read, config.settings, at, state_key=key, outcomes=back)
        if not plan.write.empty:
            progress(f"writing {len(plan.write.cells)} cells")
            try:
                unwritten = tracker.write(plan.write)
            except TrackerError as error:
                if done is not None and done.done and not isinstance(error, SyncBusy):
                    error.also(text.platforms_done_before(len(done.done)))
                raise
            applied = True
        if not unwritten:  # the tracker holds every result: the journal forgets all but an action
            # whose outcome is still unknown (a Zoom create, a message), which the next sync looks for
            journal.settle([e.key for e in journal.entries() if not engine.still_unknown(e, at)])
    changes = describe(schema, read, plan, at)
    return SyncOutcome(
        tracker.location, read, plan, applied, unwritten, changes=changes, platforms=platforms, done=done
    )


def meeting_ended(
    config: Config, zoom_id: str, *, at: datetime | None = None, platforms: engine.Setup | None = None
) -> SyncOutcome:
    """What the server does when Zoom says a meeting ended (the webhook's ``meeting.ended``): a sync
    that imports that meeting's attendance at once, with everything else a sync does."""
    setup = platforms if platforms is not None else platform_setup(config)
    return run_sync(config, apply=True, at=at, platforms=replace(setup, ended=setup.ended | {zoom_id}))


def platform_setup(config: Config, *, strict: bool = True) -> engine.Setup:
    """The platforms ``config`` sets up: Zoom when its credentials are in the environment or .env
    (``ZOOM_ACCOUNT_ID``, ``ZOOM_CLIENT_ID``, ``ZOOM_CLIENT_SECRET``), and the invitations outbox in
    the workspace (``[workspace] outbox``, folder ``invitations``) until email is set up; none for a
    configuration without a file (it has no workspace).

    Raises :class:`ConfigError` when Zoom is half set up, if ``strict`` (a sync: nothing is done
    until it is put right); otherwise (a plan, a report) the plan says so instead."""
    from braingain.integrations.calendar.ics import CalendarOutbox
    from braingain.integrations.zoom.conferencing import zoom_for

    off = text.ZOOM_OFF
    try:
        zoom = zoom_for(config)
    except ConfigError as error:
        if strict:
            raise
        zoom, off = None, f"{error.reason} ({error.hint})"
    name = config.settings.name
    tag = group_tag(config)
    domain = uid_domain(name, tag)
    reminders = ReminderPolicy(publish_agenda=config.settings.publish_agenda)
    charts = project_charts()
    return engine.Setup(
        reminders=reminders,
        messaging=messaging_setup(config, domain=domain, reminders=reminders, charts=charts),
        drive=drive_setup(config, charts=charts),
        zoom=zoom,
        outbox=None
        if config.source is None  # a configuration built in memory has no workspace to write into
        else CalendarOutbox(config.outbox / "invitations", organizer=organizer(config, domain)),
        topic=config.zoom.topic_for(name),
        settings=ConferenceSettings(
            mute_upon_entry=config.zoom.mute_upon_entry,
            waiting_room=config.zoom.waiting_room,
            join_before_host=config.zoom.join_before_host,
        ),
        horizon=config.settings.schedule_ahead,
        domain=domain,
        tag=tag,
        zoom_off="" if zoom is not None else off,
    )


def organizer(config: Config, domain: str) -> CalendarAddress:
    """Who the group's invitations come from: the group's sender (SMTP_FROM) once a mail server is set
    up, so that the invitations kept in the outbox and those sent by email name the same organizer;
    until then ``meetings@`` the group's own domain (under ``braingain.invalid``)."""
    from braingain.integrations.calendar.ics import CalendarAddress
    from braingain.integrations.email.smtp import smtp_settings

    settings = smtp_settings(config)
    name = config.settings.name
    if settings is None:
        return CalendarAddress(name, f"meetings@{domain}")
    return CalendarAddress(settings.sender.name or name, settings.sender.email)


def project_charts() -> ChartSource | None:
    """The charts every sync delivers: each active project's Gantt chart
    (:func:`braingain.core.reports.gantt.gantt`, drawn by
    :func:`braingain.integrations.reports.gantt_chart.render_gantt`), saved in its Drive folder and
    shared in reply to the weekly group digest, and its points chart (points per member,
    :func:`braingain.integrations.reports.points_chart.render_project_points`), shared with the digest.
    THE one place they are wired: a
    :class:`~braingain.integrations.engine.charts.ChartSource` of the chart's fingerprint (its data,
    not the day; ``None`` for a project with nothing to draw) and its drawing (matplotlib is loaded
    only when a chart is drawn)."""
    from braingain.core.reports.gantt import gantt

    def fingerprint(group: Group, project: ProjectId, today: date) -> str | None:
        chart = gantt(group, project, today)
        return None if chart.empty else chart.fingerprint

    def draw(group: Group, project: ProjectId, today: date) -> Rendered:
        from braingain.integrations.reports.gantt_chart import render_gantt

        return render_gantt(gantt(group, project, today))

    def points_fingerprint(group: Group, project: ProjectId, today: date) -> str | None:
        from braingain.integrations.reports.points_chart import project_points_fingerprint

        return project_points_fingerprint(group, project)

    def points(group: Group, project: ProjectId, today: date) -> Rendered:
        from braingain.integrations.reports.points_chart import render_project_points

        drawn = render_project_points(group, project)
        assert drawn is not None  # its fingerprint says there are points to draw
        return drawn

    return ChartSource(fingerprint, draw, more={POINTS: (points_fingerprint, points)})


def messaging_setup(
    config: Config, *, domain: str, reminders: ReminderPolicy, charts: ChartSource | None = None
) -> Messaging | None:
    """The group's messages: posted on Slack when its bot token is in the environment or .env
    (``SLACK_BOT_TOKEN``), else written to the workspace's ``outbox/slack``; email sent through the
    group's mail server when ``smtp_host`` is set, else written to ``outbox/email``. ``None`` for a
    configuration without a file (it has no workspace)."""
    from braingain.integrations.email.delivery import mail_for
    from braingain.integrations.email.smtp import smtp_settings
    from braingain.integrations.slack.outbox import SlackOutbox
    from braingain.integrations.slack.web import slack_for

    if config.source is None:
        return None
    chat: Chat | None = slack_for(config)
    live = chat is not None
    chat_off = ""
    if chat is None:
        folder = config.outbox / "slack"
        chat, chat_off = SlackOutbox(folder), text.SLACK_OFF.format(folder=folder)
    mail_off = "" if smtp_settings(config) else text.MAIL_OFF.format(folder=config.outbox / "email")
    slot = config.settings.slot
    policy = MessagePolicy(
        digest_day=config.messages.digest_day,
        digest_minutes=config.messages.digest_minutes,
        zone=slot.zone if slot is not None else None,
        news_window=timedelta(days=config.messages.news_days),
        reminders=reminders,
    )
    return Messaging(
        chat=chat,
        mail=mail_for(config, domain=domain),
        policy=policy,
        channel=config.slack.channel,
        prefix=config.slack.project_channel_prefix,
        live=live,
        chat_off=chat_off,
        mail_off=mail_off,
        mail_live=not mail_off,
        charts=charts,
    )


def drive_setup(config: Config, *, charts: ChartSource | None = None) -> DriveSetup | None:
    """The group's Drive: Google Drive when the tracker is a Google Sheet (the same sign-in; the
    ``drive.file`` permission), else a folder tree in the workspace (``[drive] folder``); ``None`` for a
    configuration without a file (it has no workspace) or with ``[drive] enabled = false``. ``charts``
    are kept in each project's folder."""
    from braingain.integrations.engine.drive import DriveSetup

    if config.source is None or not config.drive.enabled:
        return None
    drive = config.drive
    policy = DrivePolicy(
        leaders=drive.leaders,
        members=drive.members,
        notify=drive.notify,
        stage_folders=drive.stage_folders,
        home="the folder or shared drive set as [drive] parent" if drive.parent else "My Drive",
    )
    if config.tracker.backend == "google":
        from braingain.integrations.drive.google import drive_for

        google = drive_for(config)
        if google.service_account and not drive.parent:  # it could own nothing: said, never tried
            google.close()
            return DriveSetup(None, policy, off=text.DRIVE_SERVICE_ACCOUNT)
        return DriveSetup(google, policy, live=True, charts=charts)
    from braingain.integrations.drive.local import LocalDrive

    local = replace(policy, home=f"{drive.folder}")
    return DriveSetup(
        LocalDrive(drive.folder), local, off=text.DRIVE_OFF.format(folder=drive.folder), charts=charts
    )


def group_tag(config: Config) -> str:
    """Ten hex digits that name the group on platforms it may share with other groups (its Zoom keys,
    its invitation UIDs): made from the group's state key (HMAC-SHA256, so the key is never shown),
    or at random when it has none. braingain remembers the first tag it uses, for life."""
    key = state_key(config)
    if key is None:
        return secrets.token_hex(5)
    return hmac.new(key, b"braingain group tag", hashlib.sha256).hexdigest()[:10]


def uid_domain(name: str, tag: str) -> str:
    """The domain of the group's invitation UIDs: its name as a DNS label and its tag, under
    ``braingain.invalid`` (a reserved name that is never anyone's real domain)."""
    label = "".join(c if c.isascii() and c.isalnum() else "-" for c in name.casefold()).strip("-")
    while "--" in label:
        label = label.replace("--", "-")
    return f"{label[:50].strip('-') or 'group'}-{tag}.braingain.invalid"


def compute(
    schema: Schema,
    snapshot: Snapshot,
    settings: Settings,
    moment: datetime,
    *,
    allow_empty: bool = False,
    location: str = "the tracker",
    progress: Progress = _quiet,
    state_key: bytes | None = None,
) -> tuple[ReadResult, TrackerPlan]:
    """What a sync computes from a snapshot (no I/O): read and validate every row, settle the
    decisions a typo may have touched (so the outcome lists every problem), plan the writes.
    ``state_key`` (the group's ``BRAINGAIN_STATE_KEY``) checks braingain's memory and seals it.

    Runs with the cyclic garbage collector paused (:func:`collector_paused`). Raises
    :class:`TrackerNotThere` when a core tab is not really there, unless ``allow_empty`` says
    the group really is empty (which a tab that looks renamed or is still loading never is).
    """
    with collector_paused():
        read = settle(read_tracker(schema, snapshot, settings, moment, state_key=state_key), settings, moment)
        # --allow-empty says the group really is empty; it never stands for a renamed or loading tab.
        if read.absent and not (allow_empty and all(a.emptiness for a in read.absent)):
            raise TrackerNotThere(location, read.absent)
        progress("planning")
        return read, plan_tracker(schema, read, settings, moment, state_key=state_key)


def sealed_memory(snapshot: Snapshot, schema: Schema) -> bool:
    """Whether braingain's memory in ``snapshot`` carries a checksum (it was sealed with a key)."""
    grid = snapshot.grids.get(schema.tab("state").title)
    return grid is not None and any(row and row[0] == SEAL_KEY for row in grid.values[1:])


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a sync's compute, and resume it after.

    Reading and planning a tracker make millions of small objects that live until the sync
    ends. The collector walks every one of them again each time their number grows by a
    quarter: a quarter of the compute on 1,000 members and 10,000 tasks, for nothing, since
    they hold almost no reference cycles (a tracker with 58,000 problems leaves about 14 MB
    of them).

    On resuming, the objects made meanwhile join the oldest generation at once (frozen and
    unfrozen, :func:`gc.freeze`): as the youngest, the collector's next pass would walk all of
    them, right after the compute, for the same nothing. Reference counting frees each one when
    the sync lets go of it; a cycle among them is collected in the oldest generation's turn.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()  # into the permanent generation, then
            gc.unfreeze()  # back, into the oldest
            gc.enable()
