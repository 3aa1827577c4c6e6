"""Points are exact decimals with two places; splitting them never loses a cent.

A task worth 10 points shared by three contributors gives 3.34, 3.33 and 3.33:
the sum of a split always equals the task's points exactly, which is what lets the
ledger total of a project equal the points of its accepted tasks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_FLOOR, ROUND_HALF_EVEN, Decimal, InvalidOperation
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


def split(total: Decimal, weights: Mapping[K, Decimal] | Sequence[K]) -> dict[K, Decimal]:
    """Split ``total`` by ``weights`` (or equally among a list) to the cent.

    Uses the largest-remainder method: everyone gets their share rounded down, and the
    cents left over go, one each, to the largest remainders, ties broken by key. The
    parts always add up to ``total``.
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
    total = points(total)
    cents = int(total / CENT)
    weight_sum = sum(weight_of.values(), Decimal(0))
    exact = {key: Decimal(cents) * w / weight_sum for key, w in weight_of.items()}
    floors = {key: int(value.to_integral_value(rounding=ROUND_FLOOR)) for key, value in exact.items()}
    left_over = cents - sum(floors.values())
    by_remainder = sorted(exact, key=lambda key: (-(exact[key] - floors[key]), key))
    for key in by_remainder[:left_over]:
        floors[key] += 1
    return {key: (Decimal(floors[key]) * CENT).quantize(CENT) for key in weight_of}
