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
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from fractions import Fraction
from typing import TypeVar

from braingain.core.errors import InvalidValue

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
            f"{value!r} is not a number", field=field, hint="write a number such as 5 or 2.5"
        ) from None
    if not amount.is_finite():
        raise InvalidValue(
            f"{value!r} is not a finite number", field=field, hint="write a number such as 5 or 2.5"
        )
    if abs(amount) >= MAX_POINTS:
        raise InvalidValue(f"{value} is too large", field=field, hint=f"points stay below {MAX_POINTS:,}")
    quantized = amount.quantize(CENT, rounding=ROUND_HALF_EVEN)
    if quantized != amount:
        raise InvalidValue(f"{value} has more than two decimal places", field=field, hint="round it to 0.01")
    return quantized


def exact_split(total: Decimal, weights: Mapping[K, Decimal] | Sequence[K]) -> dict[K, Fraction]:
    """Each part of ``total`` by ``weights`` (or equally among a list), before rounding.

    ``exact_split(10, ["a", "b", "c"])`` gives each 10/3: what :func:`split` rounds to the
    cent. The parts add up to ``total`` exactly. Raises :class:`InvalidValue` (field
    ``shares``) for no one, someone named twice, or a weight that is not above zero, and
    (field ``points``) for a total that is not points.
    """
    if isinstance(weights, Mapping):
        weight_of = {key: Decimal(w) for key, w in weights.items()}
    else:
        if len(set(weights)) != len(weights):
            raise InvalidValue("names someone twice", field="shares", hint="list each contributor once")
        weight_of = {key: Decimal(1) for key in weights}
    if not weight_of:
        raise InvalidValue("has no one to split among", field="shares")
    if any(not w.is_finite() or w <= 0 for w in weight_of.values()):
        raise InvalidValue("every share must be greater than zero", field="shares")
    whole = Fraction(points(total))
    weight_sum = sum((Fraction(w) for w in weight_of.values()), Fraction(0))
    return {key: whole * Fraction(w) / weight_sum for key, w in weight_of.items()}


def split(total: Decimal, weights: Mapping[K, Decimal] | Sequence[K]) -> dict[K, Decimal]:
    """Split ``total`` by ``weights`` (or equally among a list) to the cent.

    Uses the largest-remainder method on the exact parts (:func:`exact_split`): everyone
    gets their part rounded down, and the cents left over go, one each, to the largest
    remainders, ties broken by key. The parts always add up to ``total``. Raises as
    :func:`exact_split`.
    """
    cents = {key: part * 100 for key, part in exact_split(total, weights).items()}
    floors = {key: math.floor(value) for key, value in cents.items()}
    left_over = int(points(total) / CENT) - sum(floors.values())
    by_remainder = sorted(cents, key=lambda key: (-(cents[key] - floors[key]), key))
    for key in by_remainder[:left_over]:
        floors[key] += 1
    return {key: (Decimal(floors[key]) * CENT).quantize(CENT) for key in cents}


@dataclass(frozen=True, slots=True)
class Tally:
    """Points as the ledger shows them (``shown``, two places) and as earned (``exact``).

    ``shown`` is what the tracker holds and adds up; ``exact`` is the same sum with each
    award at its exact part of its task (:func:`exact_split`). Compare members on
    ``exact``; show ``shown``.
    """

    shown: Decimal = ZERO
    exact: Fraction = Fraction(0)

    @classmethod
    def of(cls, amount: Decimal) -> Tally:
        """Points recorded as they are (an adjustment, say): exact as shown."""
        return cls(amount, Fraction(amount))

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.shown + other.shown, self.exact + other.exact)


def rounded(value: Fraction, places: int) -> Decimal:
    """``value`` to ``places`` decimal places, halves away from zero: for showing, never comparing."""
    magnitude = math.floor(abs(value) * Fraction(10) ** places + Fraction(1, 2))
    return Decimal(magnitude if value >= 0 else -magnitude).scaleb(-places)
