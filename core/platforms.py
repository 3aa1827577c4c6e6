"""One plan across platforms: what a sync does outside the tracker, as actions with stable keys.

The core computes, from the group, the desired state of each platform (these Zoom meetings at
these times with these settings; these invitations at this sequence) and compares it with what
braingain knows of the actual state (the ids and links the tracker holds, the fingerprints it
remembers). The difference is a list of :class:`Action`, each with a key that names the change
itself, never the moment it is planned:

======================================  ==================================================
``zoom:create:2027-01-16``              create the Zoom meeting of the meeting 2027-01-16
``zoom:update:2027-01-16:3f2a9c1d``     push this version (fingerprint) of it to Zoom
``zoom:delete:2027-01-16``              delete it (the meeting was cancelled)
``zoom:attendance:2027-01-16``          import who joined, once it is over
``calendar:request:2027-01-16:2``       issue the invitation at SEQUENCE 2
``calendar:cancel:2027-01-16:3``        issue its cancellation at SEQUENCE 3
======================================  ==================================================

Planning the same group twice gives the same keys, so the engine's journal can say of each key
whether it was started, finished, or finished and written back (``braingain.integrations.engine``).
A plan carries no I/O: applying it is the adapters' work.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

P = TypeVar("P")


@dataclass(frozen=True, slots=True)
class Action(Generic[P]):
    """One change on one platform.

    ``key`` is stable (see the module docstring); ``platform`` is ``"zoom"`` or ``"calendar"``
    (later ``"slack"``, ``"email"``, ``"drive"``); ``verb`` what is done; ``subject`` the ID of
    what it is about (a meeting's ID); ``words`` one sentence a leader reads in ``plan``;
    ``payload`` what the adapter needs (a desired Zoom meeting, an invitation).
    """

    key: str
    platform: str
    verb: str
    subject: str
    words: str
    payload: P

    def data(self) -> dict[str, str]:
        """The action as JSON-ready data (``plan --json``): key, platform, verb, subject, words."""
        return {
            "key": self.key,
            "platform": self.platform,
            "verb": self.verb,
            "subject": self.subject,
            "words": self.words,
        }


@dataclass(frozen=True, slots=True)
class PlatformNote:
    """Something a leader should know about a platform in this plan: it is not set up, or it is
    waiting (Zoom's daily limit), with what to do."""

    platform: str
    words: str


@dataclass(frozen=True, slots=True)
class PlatformPlan:
    """Every platform action of one sync, in the order they are applied, and the notes."""

    actions: tuple[Action[object], ...] = ()
    notes: tuple[PlatformNote, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.actions

    def on(self, platform: str) -> tuple[Action[object], ...]:
        return tuple(a for a in self.actions if a.platform == platform)

    @classmethod
    def of(cls, actions: Iterable[Action[object]], notes: Iterable[PlatformNote] = ()) -> PlatformPlan:
        """A plan of ``actions`` (their keys must be unique: ``ValueError`` names a repeated one)."""
        ordered = tuple(actions)
        seen: set[str] = set()
        for action in ordered:
            if action.key in seen:
                raise ValueError(f"two actions share the key {action.key}")
            seen.add(action.key)
        return cls(ordered, tuple(notes))
