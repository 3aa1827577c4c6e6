"""Zoom: one-off meetings for the group's series, and who attended them (through zoomus).

:class:`ZoomClient` is the adapter; :mod:`.models` holds what it sends and reads back,
:mod:`.errors` what can go wrong. The client's module docstring lists each fault of
zoomus 1.2.1 and how it is fixed here.
"""

from braingain.integrations.zoom.client import ZoomClient
from braingain.integrations.zoom.errors import (
    ZoomAuthError,
    ZoomDailyLimit,
    ZoomError,
    ZoomNotFound,
    ZoomRateLimited,
    ZoomRefused,
    ZoomUnavailable,
)
from braingain.integrations.zoom.models import (
    AGENDA_LIMIT,
    MeetingRequest,
    MeetingSettings,
    Participant,
    ZoomCredentials,
    ZoomMeeting,
    agenda_with_key,
    human_part,
    key_of,
)

__all__ = [
    "AGENDA_LIMIT",
    "MeetingRequest",
    "MeetingSettings",
    "Participant",
    "ZoomAuthError",
    "ZoomClient",
    "ZoomCredentials",
    "ZoomDailyLimit",
    "ZoomError",
    "ZoomMeeting",
    "ZoomNotFound",
    "ZoomRateLimited",
    "ZoomRefused",
    "ZoomUnavailable",
    "agenda_with_key",
    "human_part",
    "key_of",
]
