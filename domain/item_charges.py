"""Freight, duty and handling belong in the cost of the goods they came with, so an item charge
is spread over shipment/receipt lines and must land there to the last cent."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from domain.errors import DomainError, ErrorCode
from domain.money import CENT, round_amount

QTY_PRECISION = Decimal("0.00001")
"""BC's quantity rounding precision: the suggested quantities to assign are rounded to it."""

UNIT_COST_PRECISION = Decimal("0.00001")
"""BC's default unit-amount rounding precision, used for the adjusted unit cost."""


class AssignmentMethod(StrEnum):
    EQUALLY = "EQUALLY"
    BY_AMOUNT = "BY_AMOUNT"
    BY_WEIGHT = "BY_WEIGHT"
    BY_VOLUME = "BY_VOLUME"
    MANUAL = "MANUAL"


@dataclass(frozen=True, slots=True)
class AssignmentLine:
    """A shipment or receipt line the charge may be assigned to (weight and volume per unit)."""

    key: str
    quantity: Decimal
    amount: Decimal
    gross_weight: Decimal = Decimal(0)
    unit_volume: Decimal = Decimal(0)
    qty_to_assign: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Assigned:
    """The part of the charge one line receives: a share of the charge quantity and amount."""

    key: str
    qty_to_assign: Decimal
    amount_to_assign: Decimal


def suggest_assignment(
    charge_amount: Decimal,
    method: AssignmentMethod,
    lines: Sequence[AssignmentLine],
    precision: Decimal = CENT,
    charge_quantity: Decimal = Decimal(1),
) -> tuple[Assigned, ...]:
    """Split a charge over lines the way BC's "Suggest Item Charge Assignment" does.

    Results keep the order of ``lines``; amounts are multiples of ``precision`` and sum exactly
    to ``charge_amount`` (the rounding remainder lands on the last line); quantities sum exactly
    to ``charge_quantity``. A negative charge (a credit memo reversing a charge) is split the
    same way and gives the mirror image of the positive charge.
    """
    _check_precision(precision)
    _check_charge(charge_amount, precision, charge_quantity)
    _check_lines(lines)
    method = _check_method(method)
    weights = _weights(method, lines, charge_quantity)
    amounts = distribute(charge_amount, weights, precision)
    if method is AssignmentMethod.MANUAL:
        quantities = tuple(_manual_qty(line) for line in lines)
    else:
        quantities = distribute(charge_quantity, weights, QTY_PRECISION)
    return tuple(
        Assigned(key=line.key, qty_to_assign=qty, amount_to_assign=amount)
        for line, qty, amount in zip(lines, quantities, amounts, strict=True)
    )


def distribute(
    total: Decimal, weights: Sequence[Fraction], precision: Decimal
) -> tuple[Decimal, ...]:
    """Split ``total`` (a multiple of ``precision``) in proportion to non-negative ``weights``.

    Each line but the last is its exact share rounded half away from zero; the last takes what
    is left, so the parts sum exactly to ``total``. When the rounding errors of the earlier
    lines pile up to a whole ``precision`` unit, the line where that happens is moved one unit
    the other way, so that every part, the last included, stays strictly within one unit of its
    exact share however many lines there are.
    """
    weight_total = sum(weights, Fraction(0))
    if not weights or weight_total <= 0:
        raise ValueError("weights must be non-empty, non-negative and not all zero")
    total_units = Fraction(total) / Fraction(precision)
    if total_units.denominator != 1:
        raise ValueError(f"{total} is not a multiple of {precision}")
    units: list[int] = []
    carried = Fraction(0)  # exact minus rounded, over the lines so far
    for weight in weights[:-1]:
        exact = total_units * weight / weight_total
        rounded = _round_half_away(exact)
        if carried + exact - rounded >= 1:
            rounded += 1
        elif carried + exact - rounded <= -1:
            rounded -= 1
        carried += exact - rounded
        units.append(rounded)
    units.append(total_units.numerator - sum(units))
    return tuple((Decimal(u) * precision).quantize(precision) for u in units)


def unit_cost_after(
    quantity: Decimal,
    unit_cost: Decimal,
    assigned_amounts: Iterable[Decimal],
    precision: Decimal = UNIT_COST_PRECISION,
) -> Decimal:
    """Unit cost of a shipment/receipt line once the charges assigned to it are added.

    BC's example: 100 units at 10 with freight 200 and duty 100 assigned → 13.
    """
    if not quantity.is_finite() or quantity <= 0:
        raise DomainError(
            ErrorCode.INVALID_ASSIGNMENT,
            f"the line quantity must be positive to spread a charge over its units, got {quantity}",
            ["quantity"],
        )
    if not unit_cost.is_finite() or unit_cost < 0:
        raise DomainError(
            ErrorCode.INVALID_ASSIGNMENT,
            f"the unit cost cannot be negative, got {unit_cost}",
            ["unitCost"],
        )
    cost = quantity * unit_cost + sum(assigned_amounts, Decimal(0))
    return round_amount(cost / quantity, precision)


# --- validation -------------------------------------------------------------------------------


def _invalid(message: str, field: Sequence[str]) -> DomainError:
    return DomainError(ErrorCode.INVALID_ASSIGNMENT, message, [*field])


def _check_precision(precision: Decimal) -> None:
    if not precision.is_finite() or precision <= 0:
        raise _invalid(f"the rounding precision must be positive, got {precision}", ["precision"])


def _check_charge(charge_amount: Decimal, precision: Decimal, charge_quantity: Decimal) -> None:
    if not charge_amount.is_finite():
        raise _invalid(f"the charge amount must be a number, got {charge_amount}", ["chargeAmount"])
    if charge_amount % precision != 0:
        raise _invalid(
            f"the charge amount {charge_amount} has more decimals than the currency's rounding "
            f"precision {precision}",
            ["chargeAmount"],
        )
    if not charge_quantity.is_finite() or charge_quantity <= 0:
        raise _invalid(
            f"the charge quantity must be positive, got {charge_quantity}", ["chargeQuantity"]
        )
    if charge_quantity % QTY_PRECISION != 0:
        raise _invalid(
            f"the charge quantity {charge_quantity} has more than 5 decimals", ["chargeQuantity"]
        )


def _check_method(method: AssignmentMethod | str) -> AssignmentMethod:
    try:
        return AssignmentMethod(method)
    except ValueError:
        allowed = ", ".join(m.value for m in AssignmentMethod)
        raise _invalid(
            f"unknown assignment method {method!r}; use one of {allowed}", ["method"]
        ) from None


def _check_lines(lines: Sequence[AssignmentLine]) -> None:
    if not lines:
        raise _invalid(
            "choose at least one shipment or receipt line to assign the charge to", ["lines"]
        )
    seen: set[str] = set()
    for i, line in enumerate(lines):
        if line.key in seen:
            raise _invalid(f"line {line.key!r} is listed twice", ["lines", str(i), "key"])
        seen.add(line.key)
        for name, value in (
            ("quantity", line.quantity),
            ("amount", line.amount),
            ("grossWeight", line.gross_weight),
            ("unitVolume", line.unit_volume),
            ("qtyToAssign", line.qty_to_assign),
        ):
            if value is not None and (not value.is_finite() or value < 0):
                raise _invalid(
                    f"{name} of line {line.key!r} cannot be negative, got {value}",
                    ["lines", str(i), name],
                )


def _manual_qty(line: AssignmentLine) -> Decimal:
    return line.qty_to_assign if line.qty_to_assign is not None else Decimal(0)


def _weights(
    method: AssignmentMethod, lines: Sequence[AssignmentLine], charge_quantity: Decimal
) -> tuple[Fraction, ...]:
    """What each line weighs for the method; refuses a method that gives every line nothing."""
    if method is AssignmentMethod.EQUALLY:
        return tuple(Fraction(1) for _ in lines)
    if method is AssignmentMethod.MANUAL:
        given = sum((_manual_qty(line) for line in lines), Decimal(0))
        if given != charge_quantity:
            raise _invalid(
                f"the quantities to assign sum to {given} but the charge quantity is "
                f"{charge_quantity}; they must be equal",
                ["lines"],
            )
        return tuple(Fraction(_manual_qty(line)) for line in lines)
    if method is AssignmentMethod.BY_AMOUNT:
        weights = tuple(Fraction(line.amount) for line in lines)
        what = "amount"
    elif method is AssignmentMethod.BY_WEIGHT:
        weights = tuple(Fraction(line.quantity) * Fraction(line.gross_weight) for line in lines)
        what = "gross weight (quantity × gross weight)"
    else:
        weights = tuple(Fraction(line.quantity) * Fraction(line.unit_volume) for line in lines)
        what = "volume (quantity × unit volume)"
    if sum(weights, Fraction(0)) == 0:
        raise _invalid(
            f"the lines have no {what} to assign the charge {method.value}; choose another method",
            ["lines"],
        )
    return weights


def _round_half_away(value: Fraction) -> int:
    """Exact counterpart of ``domain.money.round_amount`` on a fraction of precision units."""
    magnitude = int(abs(value) + Fraction(1, 2))  # int() truncates: floor for non-negatives
    return magnitude if value >= 0 else -magnitude
