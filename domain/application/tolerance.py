"""Small differences and early payments close an invoice without a collection letter: the
discount, grace-period and payment-tolerance rules decide when, and how much is written off."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from enum import StrEnum

from domain.application.model import ZERO, LedgerEntryState
from domain.money import round_amount


class DiscountKind(StrEnum):
    """Which discount a payment dated ``pay_date`` may take on an entry."""

    NONE = "NONE"
    REGULAR = "REGULAR"  # paid on or before the discount date
    LATE = "LATE"  # paid after it but within the grace period (payment discount tolerance)


def max_payment_tolerance(
    amount: Decimal, pct: Decimal, max_amount: Decimal, precision: Decimal
) -> Decimal:
    """Max payment tolerance of a posted invoice or credit memo, as BC computes it (Gen. Jnl.-
    Post Line CalcPmtTolerancePossible, Payment Tolerance Management CalcTolCustLedgEntry).

    round(pct x |amount| / 100) when that is within ``max_amount`` (0 = no cap); the max
    amount itself when the percentage is over it or when there is no percentage; never more
    than |amount|; signed like ``amount``. 0 when both setup values are 0.
    """
    if amount == 0 or (pct <= 0 and max_amount <= 0):
        return ZERO
    by_pct = round_amount(pct * abs(amount) / 100, precision)
    if pct > 0 and (max_amount <= 0 or by_pct <= max_amount):
        tolerance = by_pct
    else:
        tolerance = max_amount
    tolerance = min(tolerance, abs(amount))
    return tolerance if amount > 0 else -tolerance


def discount_kind(entry: LedgerEntryState, pay_date: date | None) -> DiscountKind:
    """Classify the discount an entry can get for a payment made on ``pay_date``."""
    if pay_date is None or entry.remaining_pmt_disc_possible == 0:
        return DiscountKind.NONE
    if entry.pmt_discount_date is None:
        return DiscountKind.NONE
    if pay_date <= entry.pmt_discount_date:
        return DiscountKind.REGULAR
    tolerance_date = entry.pmt_disc_tolerance_date
    if tolerance_date is not None and pay_date <= tolerance_date:
        return DiscountKind.LATE
    return DiscountKind.NONE


def spread_tolerance(
    total: Decimal, weights: Sequence[Decimal], caps: Sequence[Decimal], precision: Decimal
) -> tuple[Decimal, ...]:
    """Split ``total`` (signed) over entries in proportion to ``weights`` (their amounts),
    never giving an entry more than its cap; rounding remainder on the last entry.

    The caller guarantees |total| <= sum(caps); the parts always add up to ``total``.
    """
    count = len(weights)
    if count == 0:
        return ()
    sign = -1 if total < 0 else 1
    magnitude = abs(total)
    weight_sum = sum(weights, ZERO)
    left = magnitude
    parts: list[Decimal] = []
    for index in range(count):
        if index == count - 1:
            part = min(left, caps[index])
        elif weight_sum > 0:
            proportional = round_amount(magnitude * weights[index] / weight_sum, precision)
            part = min(proportional, caps[index], left)
        else:
            part = min(round_amount(magnitude / count, precision), caps[index], left)
        parts.append(part)
        left -= part
    # What the caps kept from an entry goes, from the last entry back, to entries with room.
    for index in range(count - 1, -1, -1):
        if left <= 0:
            break
        moved = min(caps[index] - parts[index], left)
        if moved > 0:
            parts[index] += moved
            left -= moved
    if left > 0:  # only when the caller broke the contract: keep the sum exact
        parts[-1] += left
    return tuple(part * sign for part in parts)
