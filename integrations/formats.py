"""Formats and lists both tracker backends share (no SDK here, so either backend can use them)."""

from __future__ import annotations

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
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
