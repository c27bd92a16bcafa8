"""The company's setup as every posting reads it: local currency, rounding, tolerances, the
posting window and the G/L accounts each kind of amount goes to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class CompanySetup:
    name: str
    address: str
    email: str
    vat_no: str
    lcy_code: str
    amount_rounding_precision: Decimal
    invoice_rounding_precision: Decimal
    appln_rounding_precision: Decimal
    payment_tolerance_pct: Decimal
    max_payment_tolerance_amount: Decimal
    payment_discount_grace_period: str
    payment_tolerance_warning: bool
    payment_discount_tolerance_warning: bool
    appln_between_currencies: str
    allow_posting_from: date | None
    allow_posting_to: date | None
    default_revenue_account: str
    vat_payable_account: str
    payment_discount_account: str
    payment_tolerance_account: str
    realized_gains_account: str
    realized_losses_account: str
    unrealized_gains_account: str
    unrealized_losses_account: str
    appln_rounding_account: str
    inventory_account: str
    cost_of_sales_account: str
