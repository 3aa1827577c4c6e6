"""Every error the braingain domain raises on purpose.

::

    BraingainError                  anything braingain raises deliberately
    └── DomainError                 a rule of the group was broken; says what, and how to fix it
        ├── InvalidValue            a value is malformed or not allowed (names the field)
        ├── UnknownReference        an id names no member, task, project, output or entry
        ├── TransitionNotAllowed    a task cannot move between two statuses
        ├── NotPermitted            the person acting may not do this (e.g. only leaders accept)
        ├── CapacityExceeded        a task's volunteer cap or a member's task limit is full
        ├── LedgerViolation         an award too early or twice, or an edit of the ledger
        └── DisputeError            a dispute action that does not fit its state

Integrations add their own subclasses of :class:`BraingainError` (see
``braingain.integrations.errors``). Messages never contain an email address or a
secret: :class:`~braingain.core.members.Email` redacts itself, and fields marked
sensitive never echo their value.
"""

from __future__ import annotations

from collections.abc import Sequence

QUOTE_LIMIT = 80
"""About how many characters of a typed value a message echoes."""


def quote(value: object, limit: int = QUOTE_LIMIT) -> str:
    """``value`` as every message echoes it: in quotes, and at most about ``limit`` characters.

    A longer value is cut, and its length said: ``'aaaa…' (32,000 characters)``, so that a
    pasted essay never floods a message, a log line or a Problems cell. Line breaks and
    other control characters show escaped (``'a\\nb'``).
    """
    text = value if isinstance(value, str) else str(value)
    if len(text) <= limit:
        return repr(text)
    keep = max(limit - 24, 8)
    return f"{text[:keep]!r}… ({len(text):,} characters)"


def clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, saying so at the end when it was cut."""
    if len(text) <= limit:
        return text
    tail = " … (shortened)"
    return text[: max(limit - len(tail), 0)] + tail


class BraingainError(Exception):
    """Base of every error braingain raises deliberately."""


class DomainError(BraingainError):
    """A rule of the group was broken.

    ``reason`` says what is wrong; ``hint`` says how to put it right. ``field`` names
    the value concerned when there is one, so that a tracker can point at a cell.
    """

    def __init__(self, reason: str, *, hint: str = "", field: str | None = None) -> None:
        self.reason = reason
        self.hint = hint
        self.field = field
        super().__init__(self.message)

    @property
    def explained(self) -> str:
        """The reason with its hint, without the field: for a cell whose column is already named."""
        return f"{self.reason} ({self.hint})" if self.hint else self.reason

    @property
    def message(self) -> str:
        text = self.reason
        if self.field:
            text = f"{self.field}: {text}"
        if self.hint:
            text = f"{text} ({self.hint})"
        return text


class InvalidValue(DomainError):
    """A value is malformed or not one of the allowed values."""


class UnknownReference(DomainError):
    """An id refers to nothing that exists."""


class TransitionNotAllowed(DomainError):
    """A task cannot move from its current status to the one asked for."""


class NotPermitted(DomainError):
    """The person acting is not allowed to make this change."""


class CapacityExceeded(DomainError):
    """A volunteer cap or a per-member limit on open tasks would be exceeded."""


class LedgerViolation(DomainError):
    """The authorship ledger would be changed in a way it never allows."""


class DisputeError(DomainError):
    """A dispute action does not fit the dispute's current state."""


class Refusals(DomainError):
    """Several values refused at once, so that a person sees every problem in one go.

    ``errors`` holds each refusal, with its own ``field``; the message joins them.
    Raised by :class:`Checks` when more than one check fails.
    """

    def __init__(self, errors: Sequence[DomainError]) -> None:
        self.errors = tuple(errors)
        super().__init__("; ".join(e.message for e in self.errors), field=self.errors[0].field)


class Checks:
    """Runs each check of a constructor and keeps every refusal, instead of stopping at the first.

    ::

        checks = Checks()
        with checks:
            worth = points(points_worth)
        ...
        checks.done()  # raises the one refusal, or Refusals with all of them

    Each ``with checks:`` block keeps its refusal and lets the constructor go on (a plain class,
    not a generator: constructors run once per tracker row).
    """

    __slots__ = ("errors",)

    def __init__(self) -> None:
        self.errors: list[DomainError] = []

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: object) -> bool:
        if error is None:
            return False  # the check passed: the common case
        if isinstance(error, Refusals):
            self.errors.extend(error.errors)
            return True
        if isinstance(error, DomainError):
            self.errors.append(error)
            return True
        return False

    def done(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise Refusals(self.errors)


def each(error: DomainError) -> tuple[DomainError, ...]:
    """The refusals ``error`` stands for: its ``errors`` if it is :class:`Refusals`, else itself."""
    return error.errors if isinstance(error, Refusals) else (error,)
