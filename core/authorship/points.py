"""Points are exact decimals with two places; splitting them never loses a cent.

A task worth 10 points shared by three contributors gives 3.34, 3.33 and 3.33:
the sum of a split always equals the task's points exactly, which is what lets the
ledger total of a project equal the points of its accepted tasks.

Those three people still contributed equally: each earned exactly 10/3 points, and
only the rounding to the cent (the odd cent goes by key) sets them apart. A
:class:`Tally` carries both: ``shown``, the two-place points the ledger holds and
sums, and ``exact``, the same points before any split was rounded. Every decision
that compares members (author order, thresholds, CRediT degrees, standings) compares
``exact``, so where a rounding remainder went never decides anything.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from fractions import Fraction
from typing import TypeVar

from braingain.core.errors import InvalidValue, quote

K = TypeVar("K", bound=str)

CENT = Decimal("0.01")
MAX_POINTS = Decimal(1_000_000_000)
ZERO = Decimal("0.00")


def points(value: Decimal | int | float | str, field: str = "points") -> Decimal:
    """Return ``value`` as points, refusing more than two decimal places.

    A float (as spreadsheets deliver numbers) is read by its shortest decimal form, so
    2.3 means 2.30, not 2.29999999999999982236431605997495353221893310546875.
    """
    try:
        amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        raise InvalidValue(
            f"{quote(value)} is not a number", field=field, hint="write a number such as 5 or 2.5"
        ) from None
    if not amount.is_finite():
        raise InvalidValue(
            f"{quote(value)} is not a finite number", field=field, hint="write a number such as 5 or 2.5"
        )
    if abs(amount) >= MAX_POINTS:
        raise InvalidValue(
            f"{quote(value)} is too large", field=field, hint=f"points stay below {MAX_POINTS:,}"
        )
    quantized = amount.quantize(CENT, rounding=ROUND_HALF_EVEN)
    if quantized != amount:
        raise InvalidValue(
            f"{quote(value)} has more than two decimal places", field=field, hint="round it to 0.01"
        )
    return quantized


def whole_weights(weights: Mapping[K, Decimal] | Sequence[K]) -> dict[K, int]:
    """``weights`` (or 1 each for a list) as whole numbers in the same proportions.

    ``{"a": 0.6, "b": 0.4}`` gives ``{"a": 3, "b": 2}``. Raises as :func:`split`.
    """
    if isinstance(weights, Mapping):
        weight_of = {key: Decimal(w) for key, w in weights.items()}
    else:
        if len(set(weights)) != len(weights):
            raise InvalidValue("names someone twice", field="shares", hint="list each contributor once")
        if weights:
            return dict.fromkeys(weights, 1)
        weight_of = {}
    if not weight_of:
        raise InvalidValue("has no one to split among", field="shares")
    if any(not w.is_finite() or w <= 0 for w in weight_of.values()):
        raise InvalidValue("every share must be greater than zero", field="shares")
    ratios = {key: w.as_integer_ratio() for key, w in weight_of.items()}
    scale = math.lcm(*(d for _, d in ratios.values()))
    return {key: n * (scale // d) for key, (n, d) in ratios.items()}


@dataclass(frozen=True, slots=True, eq=False)
class Tally:
    """Points as the ledger shows them (``shown``, two places) and as earned (``exact``).

    ``shown`` is what the tracker holds and adds up; ``exact`` is the same sum with each
    award at its exact part of its task (:func:`exact_split`). Compare members on
    ``exact``; show ``shown``. Kept as ``shown`` plus what rounding left over,
    ``rest / scale`` points (whole numbers, ``scale`` > 0), so that adding tallies stays
    whole-number arithmetic; ``exact`` is made on demand. Equal when both
    ``shown`` and ``exact`` are.
    """

    shown: Decimal = ZERO
    rest: int = 0
    scale: int = 1
    _exact: Fraction | None = field(default=None, init=False, repr=False)

    @classmethod
    def of(cls, amount: Decimal) -> Tally:
        """Points recorded as they are (an adjustment, say): exact as shown."""
        return cls(amount)

    @classmethod
    def summed(cls, shown: Decimal, rests: Mapping[int, int]) -> Tally:
        """``shown`` points plus what rounding left over: ``rests`` maps a scale to a rest."""
        if not rests:
            return cls(shown)  # nothing was rounded: the common case
        scale = math.lcm(*rests)
        return cls(shown, sum(rest * (scale // each) for each, rest in rests.items()), scale)

    @property
    def exact(self) -> Fraction:
        """The points before any split was rounded to the cent."""
        if self._exact is None:
            cents = int(self.shown.scaleb(2))
            object.__setattr__(
                self, "_exact", Fraction(cents * self.scale + 100 * self.rest, 100 * self.scale)
            )
        assert self._exact is not None
        return self._exact

    def __add__(self, other: Tally) -> Tally:
        shown = self.shown + other.shown
        if self.scale == other.scale:
            return Tally(shown, self.rest + other.rest, self.scale)
        if not other.rest:
            return Tally(shown, self.rest, self.scale)
        if not self.rest:
            return Tally(shown, other.rest, other.scale)
        scale = math.lcm(self.scale, other.scale)
        return Tally(shown, self.rest * (scale // self.scale) + other.rest * (scale // other.scale), scale)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Tally):
            return NotImplemented
        return self.shown == other.shown and self.rest * other.scale == other.rest * self.scale

    def __hash__(self) -> int:
        return hash((self.shown, Fraction(self.rest, self.scale)))


def comparable(tallies: Mapping[K, Tally]) -> dict[K, int]:
    """Whole numbers that order and tie exactly as the tallies' exact points do.

    Quicker to compare than Fractions when there are many (each is the exact points
    times one common whole number).
    """
    scale = math.lcm(*{t.scale for t in tallies.values()}) if tallies else 1
    return {
        key: int(t.shown.scaleb(2)) * scale + 100 * t.rest * (scale // t.scale) for key, t in tallies.items()
    }


def exact_split(total: Decimal, weights: Mapping[K, Decimal] | Sequence[K]) -> dict[K, Tally]:
    """Split ``total`` by ``weights`` (or equally among a list): each part shown and exact.

    The shown parts are :func:`split`'s, to the cent; the exact parts are what they
    round (``exact_split(10, ["a", "b", "c"])`` gives each 10/3, shown as 3.34, 3.33
    and 3.33). Both add up to ``total`` exactly. Raises as :func:`split`.
    """
    scaled, parts, cents, whole = _split_cents(total, weights)
    return {
        key: Tally(Decimal(parts[key]).scaleb(-2), cents * w - parts[key] * whole, whole * 100)
        for key, w in scaled.items()
    }


def _split_cents(
    total: Decimal, weights: Mapping[K, Decimal] | Sequence[K]
) -> tuple[dict[K, int], dict[K, int], int, int]:
    """The largest-remainder split in whole cents: the weights as whole numbers, each one's cents,
    the cents in all and the weights' sum."""
    scaled = whole_weights(weights)
    cents = int(points(total).scaleb(2))
    whole = sum(scaled.values())
    parts = {key: cents * w // whole for key, w in scaled.items()}
    left_over = cents - sum(parts.values())
    by_remainder = sorted(scaled, key=lambda key: (parts[key] * whole - cents * scaled[key], key))
    for key in by_remainder[:left_over]:
        parts[key] += 1
    return scaled, parts, cents, whole


def split(total: Decimal, weights: Mapping[K, Decimal] | Sequence[K]) -> dict[K, Decimal]:
    """Split ``total`` by ``weights`` (or equally among a list) to the cent.

    Uses the largest-remainder method: everyone gets their share rounded down, and the
    cents left over go, one each, to the largest remainders, ties broken by key. The
    parts always add up to ``total``. Raises :class:`InvalidValue` (field ``shares``)
    for no one, someone named twice, or a weight that is not above zero, and (field
    ``points``) for a total that is not points.
    """
    return {key: Decimal(part).scaleb(-2) for key, part in _split_cents(total, weights)[1].items()}


def rounded(value: Fraction, places: int) -> Decimal:
    """``value`` to ``places`` decimal places, halves away from zero: for showing, never comparing."""
    magnitude = math.floor(abs(value) * Fraction(10) ** places + Fraction(1, 2))
    return Decimal(magnitude if value >= 0 else -magnitude).scaleb(-places)
