"""Dates and times as a leader reads them: "Saturday 16 January 2027", "Saturday 16 January 2027,
14:00 (Africa/Lagos)". Never an ISO stamp (``2027-01-16T14:00+01:00``) in what a person reads."""

from __future__ import annotations

from datetime import date, datetime, tzinfo

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
# English whatever the machine's locale (strftime's %A and %B follow it), and cheap: a large
# tracker's reasons say tens of thousands of dates.


def day_said(day: date) -> str:
    """``day`` with its weekday and year: ``Saturday 16 January 2027`` (a datetime: its own date)."""
    return f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def day_short(day: date) -> str:
    """``day`` short, with its weekday and year: ``Sat 16 Jan 2027`` (as date cells show)."""
    return f"{_WEEKDAYS[day.weekday()][:3]} {day.day} {_MONTHS[day.month - 1][:3]} {day.year}"


def month_said(day: date) -> str:
    """The month ``day`` falls in, with its year: ``January 2027``."""
    return f"{_MONTHS[day.month - 1]} {day.year}"


def moment_said(at: datetime, zone: tzinfo | None = None) -> str:
    """An aware ``at`` on the clock of ``zone`` (else its own), with the date in words and the zone
    named: ``Saturday 16 January 2027, 14:00 (Africa/Lagos)``; a zone without a name shows its UTC
    offset (``UTC+01:00``)."""
    local = at.astimezone(zone) if zone is not None else at
    return f"{day_said(local)}, {local.hour:02d}:{local.minute:02d} ({zone_said(local)})"


def zone_said(local: datetime) -> str:
    """The zone of an aware ``local`` as a person names it: its key (``Africa/Lagos``), ``UTC``, or
    its offset (``UTC+01:00``)."""
    key = getattr(local.tzinfo, "key", None)
    if isinstance(key, str):
        return key
    offset = local.utcoffset()
    if not offset:
        return "UTC"
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
