"""A group as tracker rows: how ``make demo`` and ``braingain init --sample`` fill a new tracker.

The rows are what a leader would have typed, so reading them back gives the same group
(``tests`` prove the round trip), and the state rows carry each task's lifecycle.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from braingain.core.authorship.disputes import DisputeStatus
from braingain.core.authorship.integrity import LedgerMemory, entry_text
from braingain.core.group import Group
from braingain.core.ids import MemberId
from braingain.core.schedule.availability import Window
from braingain.core.schedule.meetings import MeetingStatus, Presence
from braingain.core.tracker.cells import UTC_ZONE, decimal_cell, moment_text
from braingain.core.tracker.ledger_recall import as_written, ledger_row
from braingain.core.tracker.read import DisputeMemory, State, TaskMemory
from braingain.core.tracker.schema import Cell

Rows = dict[str, list[dict[str, Cell]]]


def _stamp(group: Group, at: datetime, member: MemberId) -> str:
    """A member's date-time as braingain writes one: their wall-clock time and their zone."""
    return moment_text(at, group.members[member].zone or UTC_ZONE)


def _windows(windows: tuple[Window, ...]) -> str:
    return ", ".join(str(w) for w in windows)


def group_rows(group: Group) -> Rows:
    """Every people-owned cell of every tab, as a leader would type it."""
    rows: Rows = {key: [] for key in ("members", "availability", "projects", "tasks", "volunteers", "ledger",
                                       "disputes", "outputs", "meetings", "agenda", "actions")}  # fmt: skip
    for m in sorted(group.members.values(), key=lambda m: m.id):
        rows["members"].append(
            {
                "id": m.id,
                "given_names": m.given_names,
                "surname": m.surname,
                "email": m.email.address if m.email else "",
                "role": m.role.value,
                "zone": m.zone.key if m.zone else "",
                "country": m.country.name if m.country else "",
                "gender": m.gender.value if m.gender else "",
                "degrees": "; ".join(d.value for d in m.degrees),
                "specialization": m.specialization or "",
                "sectors": "; ".join(s.value for s in m.sectors),
                "joined": m.joined_on,
                "left": m.left_on,
                "slack": m.slack_user_id or "",
                "digest": m.digest_channel.value if m.digest_channel else "",
                "active": m.active,
                "orcid": m.orcid.value if m.orcid else "",
                "affiliations": "\n".join(a.label for a in m.affiliations),
            }
        )
    n = 0
    for member_id, person in sorted(group.availability.items()):
        if person.windows:
            n += 1
            rows["availability"].append(
                {"id": f"AV-{n:03d}", "member": member_id, "windows": _windows(person.windows)}
            )
        for away in person.unavailable:
            n += 1
            rows["availability"].append(
                {
                    "id": f"AV-{n:03d}",
                    "member": member_id,
                    "away_from": away.first,
                    "away_until": away.last,
                    "reason": away.reason,
                }
            )
    for p in sorted(group.projects.values(), key=lambda p: p.id):
        rows["projects"].append(
            {
                "id": p.id,
                "title": p.title,
                "kind": p.kind.value,
                "lead": p.lead,
                "start": p.start,
                "end": p.end,
                "milestones": "\n".join(
                    f"{m.due.isoformat()} {m.name}" + (f" [{m.stage}]" if m.stage else "")
                    for m in p.milestones
                ),
            }
        )
    for t in sorted(group.tasks.values(), key=lambda t: t.id):
        last = t.history[-1] if t.history else None
        rows["tasks"].append(
            {
                "id": t.id,
                "project": t.project_id,
                "stage": t.stage,
                "title": t.title,
                "deliverable": t.deliverable,
                "criteria": t.acceptance_criteria,
                "points": decimal_cell(t.points),
                "credit_role": t.credit_role.value,
                "icmje": t.icmje.value,
                "max_volunteers": t.max_volunteers,
                "supervisor": t.supervisor,
                "head": t.head or "",
                "contributors": "; ".join(t.contributors),
                "shares": "; ".join(f"{m} {decimal_cell(w)}" for m, w in t.shares),
                "start": t.start,
                "due": t.due,
                "status": t.status.value,
                "changed_by": last.by if last else "",
                "note": last.note if last else "",
            }
        )
    for i, v in enumerate(group.volunteers, start=1):
        rows["volunteers"].append(
            {
                "id": f"V-{i:03d}",
                "task": v.task_id,
                "member": v.member_id,
                "at": _stamp(group, v.at, v.member_id),
                "note": v.note,
            }
        )
    rows["ledger"] = [ledger_row(e, group.members[e.recorded_by].zone or UTC_ZONE) for e in group.ledger]
    for d in group.disputes:
        resolution = d.trail[-1] if d.status is not DisputeStatus.OPEN else None
        adjustment = group.ledger.get(d.resolution_entry).points if d.resolution_entry else None
        rows["disputes"].append(
            {
                "id": d.id,
                "member": d.member_id,
                "entry": d.entry_id or "",
                "task": d.task_id if d.entry_id is None and d.task_id else "",
                "reason": d.reason,
                "raised_at": _stamp(group, d.raised_at, d.member_id),
                "decision": d.status.value,
                "adjustment": decimal_cell(adjustment) if adjustment is not None else None,
                "resolved_by": resolution.by
                if resolution and d.status is not DisputeStatus.WITHDRAWN
                else "",
                "resolution": resolution.note if resolution else "",
            }
        )
    for o in sorted(group.outputs.values(), key=lambda o: o.id):
        mine = [c for c in group.confirmations if c.output_id == o.id]
        rows["outputs"].append(
            {
                "id": o.id,
                "project": o.project_id,
                "kind": o.kind.value,
                "title": o.title,
                "stages": "; ".join(sorted(o.stages)) if o.stages else "",
                "approved": "; ".join(sorted(c.member_id for c in mine if c.final_approval)),
                "accountable": "; ".join(sorted(c.member_id for c in mine if c.accountable)),
                "evidence": "\n".join(
                    f"{e.member_id}; {e.criterion.value}; {e.note}; {e.recorded_by}"
                    for e in group.evidence
                    if e.output_id == o.id
                ),
                "status": o.status.value,
                "status_on": o.status_on,
                "venue": o.venue or "",
                "identifier": o.identifier or "",
                "apc_waiver": o.apc_waiver.value if o.apc_waiver else "",
                "corresponding": o.corresponding or "",
            }
        )
    if group.series is not None:
        scheduled = set(group.series.scheduled)
        agenda_n = action_n = 0
        for meeting in group.meetings(max(scheduled, default=group.series.first)):
            record = group.records.get(meeting.id)
            override = next((o for o in group.series.overrides if o.planned == meeting.planned), None)
            attendance = record.attendance if record else {}
            rows["meetings"].append(
                {
                    "id": meeting.id,
                    "status": meeting.status.value,
                    "moved_to": moment_text(meeting.start, group.series.slot.zone)
                    if meeting.status is MeetingStatus.MOVED
                    else None,
                    "note": override.note if override else "",
                    "minutes": record.minutes if record else "",
                    "decisions": "\n".join(record.decisions) if record else "",
                    "present": "; ".join(sorted(m for m, s in attendance.items() if s is Presence.PRESENT)),
                    "absent": "; ".join(sorted(m for m, s in attendance.items() if s is Presence.ABSENT)),
                    "excused": "; ".join(sorted(m for m, s in attendance.items() if s is Presence.EXCUSED)),
                    "recorded_by": (record.recorded_by if record else None)
                    or (override.by if override else ""),
                }
            )
            for item in record.agenda if record else ():
                agenda_n += 1
                rows["agenda"].append(
                    {
                        "id": f"AG-{agenda_n:03d}",
                        "meeting": meeting.id,
                        "item": item.title,
                        "added_by": item.added_by,
                        "added_at": _stamp(group, item.added_at, item.added_by),
                    }
                )
            for action in record.actions if record else ():
                action_n += 1
                rows["actions"].append(
                    {
                        "id": action.id,
                        "meeting": meeting.id,
                        "title": action.title,
                        "owner": action.owner,
                        "due": action.due,
                        "status": action.status.value,
                    }
                )
    return rows


def group_state(group: Group) -> State:
    """What the sync would remember about ``group``: each task's lifecycle, each dispute's
    resolution, the scheduled meetings, every Ledger entry as :func:`group_rows` writes it."""
    zones = {m.id: m.zone or UTC_ZONE for m in group.members.values()}
    texts = {
        e.id: entry_text(replace(e, recorded_at=as_written(e.recorded_at, zones[e.recorded_by])))
        for e in group.ledger
    }
    return State(
        ledger=LedgerMemory.of(texts, {}),
        tasks={t.id: TaskMemory.of(t) for t in group.tasks.values()},
        scheduled=group.series.scheduled if group.series else (),
        disputes={
            d.id: DisputeMemory.of(
                d, group.ledger.get(d.resolution_entry).points if d.resolution_entry else None
            )
            for d in group.disputes
            if d.status is not DisputeStatus.OPEN
        },
    )


def new_state() -> State:
    """What a new tracker's state tab starts with: an empty Ledger remembered (so that its first sync
    knows the memory is there, and was not emptied)."""
    return State(ledger=LedgerMemory.of({}, {}))


def state_rows(state: State, state_key: bytes | None = None) -> list[dict[str, Cell]]:
    """The state tab's rows, sealed with the group's ``state_key`` when given."""
    return [{"key": k, "value": v} for k, v in sorted(state.rows(state_key).items())]
