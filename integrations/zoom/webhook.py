"""Zoom's webhook, framework-free: verify a request, answer Zoom's URL check, act on a meeting's end.

Zoom signs every request it sends with the app's secret token: the header ``x-zm-signature`` is
``"v0=" + hex(HMAC-SHA256(secret, "v0:{x-zm-request-timestamp}:{raw body}"))``, the timestamp
being Unix seconds. :func:`handle` takes the headers and the raw body bytes as received (the web
server arrives in step 5) and answers with a :class:`WebhookResponse`:

- 401: no signature, a signature that does not match (forged, or another secret), a timestamp
  more than five minutes from now (stale or from the future), or a request already handled
  (the same signature while its timestamp is still accepted: a replay);
- 400: a signed request whose timestamp or body cannot be read (not JSON, no event, a
  ``meeting.ended`` without its meeting's id and uuid, a URL check without its token);
- 200 ``{"plainToken", "encryptedToken"}`` for ``endpoint.url_validation``, the token signed with
  the secret (``hex(HMAC-SHA256(secret, plainToken))``), which is how Zoom checks the endpoint;
- 200 ``{"status": "accepted"}`` for ``meeting.ended``, after ``on_meeting_ended(meeting id,
  meeting uuid)`` returned (its errors are the server's to answer: Zoom then retries, newly signed);
- 200 ``{"status": "ignored"}`` for any other event (answered so that Zoom does not retry it).

Response bodies never echo the secret, a signature or anything of the request but the URL
check's plain token.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

WINDOW = timedelta(minutes=5)
"""How far a request's timestamp may be from now, either way; and how long a signature is remembered."""

SIGNATURE = "x-zm-signature"
TIMESTAMP = "x-zm-request-timestamp"
URL_VALIDATION = "endpoint.url_validation"
MEETING_ENDED = "meeting.ended"


@dataclass(frozen=True)
class WebhookResponse:
    """What to answer Zoom: an HTTP status and a JSON body."""

    status: int
    body: dict[str, Any]


@dataclass
class ReplayGuard:
    """The signatures of the requests accepted, each remembered as long as its timestamp would still
    be accepted, in memory (one per process; safe across threads). A request whose signature is
    here again is a replay."""

    window: timedelta = WINDOW
    _seen: dict[str, datetime] = field(default_factory=dict, repr=False)
    """Signature -> when it may be forgotten (its timestamp is refused as stale from then on)."""
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def first_time(self, signature: str, now: datetime, *, sent: datetime | None = None) -> bool:
        """Remember ``signature`` as seen at ``now`` (aware) and say whether it is new. It is kept
        until the window has passed since ``now`` and since ``sent`` (the request's timestamp, which
        may be ahead of ``now`` by up to the window): until then the same request is not stale, so
        it must be known as a replay. Signatures whose time has passed are forgotten."""
        with self._lock:
            for old, until in list(self._seen.items()):
                if now > until:
                    del self._seen[old]
            if signature in self._seen:
                return False
            self._seen[signature] = max(now, sent or now) + self.window
            return True


def sign(secret_token: str, message: bytes) -> str:
    """``hex(HMAC-SHA256(secret_token, message))``: how Zoom signs requests and URL-check tokens."""
    return hmac.new(secret_token.encode(), message, hashlib.sha256).hexdigest()


def signature_of(secret_token: str, timestamp: str, body: bytes) -> str:
    """The ``x-zm-signature`` Zoom sends with ``body`` at ``timestamp`` (Unix seconds, as text)."""
    return "v0=" + sign(secret_token, b"v0:" + timestamp.encode() + b":" + body)


def _refused(status: int, why: str) -> WebhookResponse:
    return WebhookResponse(status, {"error": why})


def handle(
    headers: Mapping[str, str],
    body: bytes,
    *,
    secret_token: str,
    now: datetime,
    seen: ReplayGuard,
    on_meeting_ended: Callable[[str, str], None],
) -> WebhookResponse:
    """Answer one request Zoom sent to the webhook (see the module's description for each answer).

    ``headers``: the request's headers (any case); ``body``: its raw bytes, as received (the
    signature covers them exactly); ``now``: an aware time; ``on_meeting_ended`` is called with
    the Zoom meeting's id (digits, as text) and the ended instance's uuid.
    """
    if not secret_token:
        raise ValueError("the Zoom webhook needs its secret token")
    if now.tzinfo is None:
        raise ValueError("now must be an aware time")
    named = {key.lower(): value for key, value in headers.items()}
    signature, timestamp = named.get(SIGNATURE, ""), named.get(TIMESTAMP, "")
    if not signature or not timestamp:
        return _refused(401, "the request is not signed")
    expected = signature_of(secret_token, timestamp, body)
    if not hmac.compare_digest(signature.encode(), expected.encode()):
        return _refused(401, "the signature does not match")
    if not (timestamp.isascii() and timestamp.isdigit()):
        return _refused(400, "the request timestamp is not a time in Unix seconds")
    try:
        sent = datetime.fromtimestamp(int(timestamp), UTC)
    except (ValueError, OverflowError, OSError):  # a number beyond any date
        return _refused(400, "the request timestamp is not a time in Unix seconds")
    if abs(now - sent) > WINDOW:
        return _refused(401, "the request timestamp is more than five minutes from now")
    if not seen.first_time(signature, now, sent=sent):
        return _refused(401, "the request was already received")
    try:
        event = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return _refused(400, "the body is not JSON")
    payload = event.get("payload") if isinstance(event, dict) else None
    name = event.get("event") if isinstance(event, dict) else None
    if not isinstance(name, str) or not isinstance(payload, dict):
        return _refused(400, "the body has no event and payload")
    if name == URL_VALIDATION:
        plain = payload.get("plainToken")
        if not isinstance(plain, str) or not plain:
            return _refused(400, "the URL check has no plainToken")
        return WebhookResponse(
            200, {"plainToken": plain, "encryptedToken": sign(secret_token, plain.encode())}
        )
    if name == MEETING_ENDED:
        meeting = payload.get("object")
        ident = meeting.get("id") if isinstance(meeting, dict) else None
        uuid = meeting.get("uuid") if isinstance(meeting, dict) else None
        # Zoom's meeting id is a number, sent as a string in today's events, as a number in older ones.
        if isinstance(ident, int) and not isinstance(ident, bool) and ident > 0:
            ident = str(ident)
        if (
            not isinstance(ident, str)
            or not (ident.isascii() and ident.isdigit())
            or not isinstance(uuid, str)
            or not uuid
        ):
            return _refused(400, "the meeting.ended event has no meeting id and uuid")
        on_meeting_ended(ident, uuid)
        return WebhookResponse(200, {"status": "accepted"})
    return WebhookResponse(200, {"status": "ignored"})
