"""Calendar invitations: each meeting as an iCalendar file (see :mod:`.ics`)."""

from braingain.integrations.calendar.ics import CalendarAddress, CalendarOutbox, render

__all__ = ["CalendarAddress", "CalendarOutbox", "render"]
