"""Formats and lists both tracker backends share (no SDK here, so either backend can use them)."""

from __future__ import annotations

from braingain.core.tracker.schema import Column, Owner, Schema, Tab, column_letter

DATE_FORMAT = "ddd d mmm yyyy"
"""How a date cell shows: ``Sat 16 Jan 2027`` (with its weekday and year), in both backends."""
DATETIME_FORMAT = "ddd d mmm yyyy hh:mm"
"""How a date-time cell shows: ``Sat 16 Jan 2027 14:00``; the column's note names the zone."""
SYNC_NOTE = "Filled in by braingain; your edits here are overwritten."

COMMON_ZONES = (
    "Africa/Abidjan", "Africa/Accra", "Africa/Addis_Ababa", "Africa/Cairo", "Africa/Casablanca",
    "Africa/Dakar", "Africa/Dar_es_Salaam", "Africa/Douala", "Africa/Johannesburg", "Africa/Kampala",
    "Africa/Kigali", "Africa/Kinshasa", "Africa/Lagos", "Africa/Nairobi", "America/Anchorage",
    "America/Argentina/Buenos_Aires", "America/Bogota", "America/Chicago", "America/Denver",
    "America/Edmonton", "America/Halifax", "America/Lima", "America/Los_Angeles", "America/Mexico_City",
    "America/New_York", "America/Phoenix", "America/Santiago", "America/Sao_Paulo", "America/St_Johns",
    "America/Toronto", "America/Vancouver", "America/Winnipeg", "Asia/Bangkok", "Asia/Dhaka",
    "Asia/Dubai", "Asia/Hong_Kong", "Asia/Jakarta", "Asia/Karachi", "Asia/Kolkata", "Asia/Kuala_Lumpur",
    "Asia/Manila", "Asia/Qatar", "Asia/Riyadh", "Asia/Seoul", "Asia/Shanghai", "Asia/Singapore",
    "Asia/Tokyo", "Australia/Adelaide", "Australia/Brisbane", "Australia/Melbourne", "Australia/Perth",
    "Australia/Sydney", "Europe/Amsterdam", "Europe/Athens", "Europe/Berlin", "Europe/Brussels",
    "Europe/Dublin", "Europe/Helsinki", "Europe/Istanbul", "Europe/Lisbon", "Europe/London",
    "Europe/Madrid", "Europe/Moscow", "Europe/Paris", "Europe/Rome", "Europe/Stockholm", "Europe/Warsaw",
    "Pacific/Auckland", "Pacific/Honolulu", "UTC",
)  # fmt: skip
"""Zones offered in the time-zone dropdown; any other IANA zone is still accepted."""

REFERENCES = {
    "member": "members",
    "project": "projects",
    "task": "tasks",
    "meeting": "meetings",
    "entry": "ledger",
    "output": "outputs",
}
"""A reference column's type -> the key of the tab whose IDs it names (its dropdown lists them)."""

WRAPPED = frozenset({"text", "longtext", "members", "choices", "windows"})
"""Column types whose text wraps within the column's width (and whose rows grow to show it)."""

REQUIRED_NOTE = "Required: braingain cannot use a row without it."
OPTIONAL_NOTE = "Optional: may be left empty."
PROBLEM_FILL = "FF9F7F"
"""The background of a cell the Problems tab lists (RGB, hex)."""


def column_note(column: Column) -> str:
    """The note on a column's header: required or optional, what to type, and who fills it in."""
    parts: list[str] = []
    if column.owner is Owner.SYNC:
        parts.append(SYNC_NOTE)
    else:
        parts.append(_requirement(column))
    if column.help:
        parts.append(column.help)
    if column.type == "choices" and column.choices:
        parts.append("Any of: " + "; ".join(column.choices) + " (separated by semicolons)")
    return "\n\n".join(parts)


def _requirement(column: Column) -> str:
    """Whether a person must fill the column in, and when: required, needed from some point on
    (``Needed once the task is assigned; may be left empty until then.``), or optional."""
    if column.required and column.fills:
        return f"Required: left empty, the first sync fills in {column.fills}."
    if column.required:
        return REQUIRED_NOTE
    if column.needed:
        return f"Needed {column.needed}; may be left empty until then."
    return OPTIONAL_NOTE


def prompt(tab: Tab, column: Column) -> str:
    """The input message shown on a people-owned column's cells (at most 255 characters), or ``""``."""
    if column.key == tab.id_column:
        text = "A short ID for this row that never changes and no other row has."
        return f"{text} {column.help}" if column.help else text
    kind = REFERENCES.get(column.type)
    if kind is not None:
        return f"Choose an ID from the {kind.capitalize()} tab (add it there first)."
    if column.type == "choice":
        return f"Choose one of the {column.header} values in the list."
    if column.type == "bool":
        return "Choose yes or no."
    if column.type == "date":
        return column.help or "A date, e.g. 2027-01-16."
    if column.type == "datetime":
        return column.help or "A date and time, e.g. 2027-01-16 14:00."
    return ""


def _text(value: str) -> str:
    """``value`` as a string literal of a spreadsheet formula."""
    return '"' + value.replace('"', '""') + '"'


def problem_formula(title: str, schema: Schema, first_column: str) -> str | None:
    """The condition (without "=") under which a cell of the tab ``title`` is listed on the Problems
    tab, written for the cell in row 2 of ``first_column`` (relative, as conditional formats and
    validations read it): its tab, row and the header above it on one Problems row. ``None``
    without a Problems tab in the schema."""
    try:
        problems = schema.tab("problems")
    except KeyError:
        return None
    keys = [c.key for c in problems.columns]
    if not {"tab", "row", "column"} <= set(keys):
        return None
    sheet = "'" + problems.title.replace("'", "''") + "'!"

    def of(key: str) -> str:
        letter = column_letter(keys.index(key) + 1)
        return f"INDIRECT({_text(f'{sheet}{letter}:{letter}')})"

    return f"COUNTIFS({of('tab')},{_text(title)},{of('row')},ROW(),{of('column')},{first_column}$1)>0"
