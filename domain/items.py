"""Item lines on invoices: the revenue and cost of what was shipped (sales), the cost of what was
received (purchases, where the unit price is the direct unit cost)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from domain.errors import DomainError, ErrorCode
from domain.item_charges import QTY_PRECISION
from domain.money import round_amount
from domain.sales_posting import GlPostingLine

HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class ItemLine:
    item_no: str
    quantity: Decimal
    unit_price: Decimal
    line_discount_pct: Decimal
    unit_cost: Decimal
    description: str = ""


def line_amount(
    line: ItemLine, precision: Decimal, field: Sequence[str], price_field: str = "unitPrice"
) -> Decimal:
    """quantity × unit price less the line discount, rounded to the currency precision.

    Purchase lines pass their direct unit cost as the unit price and ``directUnitCost`` as
    ``price_field``, so errors name the field the client sent."""
    f = list(field)
    if line.quantity <= 0 or line.quantity != line.quantity.quantize(QTY_PRECISION):
        raise DomainError(
            ErrorCode.INVALID_AMOUNT,
            f"quantity must be positive with at most 5 decimals, got {line.quantity}",
            [*f, "quantity"],
        )
    if line.unit_price < 0:
        raise DomainError(
            ErrorCode.INVALID_AMOUNT, "unit price cannot be negative", [*f, price_field]
        )
    if not Decimal(0) <= line.line_discount_pct <= HUNDRED:
        raise DomainError(
            ErrorCode.INVALID_AMOUNT, "line discount % must be 0 to 100", [*f, "lineDiscountPct"]
        )
    amount = round_amount(
        line.quantity * line.unit_price * (HUNDRED - line.line_discount_pct) / HUNDRED, precision
    )
    if amount <= 0:
        raise DomainError(
            ErrorCode.INVALID_AMOUNT,
            f"the line amount of item {line.item_no} is {amount}: it must be positive",
            [*f, price_field],
        )
    return amount


def amount_lcy(amount: Decimal, rate: Decimal, lcy_precision: Decimal) -> Decimal:
    """A document line in LCY, rounded exactly as ``document_totals`` posts it to the G/L, so a
    receipt's cost and an invoiced charge equal their G/L lines to the cent."""
    return round_amount(amount * rate, lcy_precision)


def cost_of_sales(line: ItemLine, lcy_precision: Decimal) -> Decimal:
    return round_amount(line.quantity * line.unit_cost, lcy_precision)


def cost_gl_lines(
    cost: Decimal, cost_of_sales_account: str, inventory_account: str, description: str
) -> tuple[GlPostingLine, ...]:
    """Shipping moves cost from inventory to cost of goods sold (both in LCY)."""
    if cost == 0:
        return ()
    return (
        GlPostingLine(cost_of_sales_account, cost, description),
        GlPostingLine(inventory_account, -cost, description),
    )
