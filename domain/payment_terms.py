"""Payment terms turn a document date into a due date, a discount date and a discount."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.dates import calc_date, parse_formula
from domain.errors import DomainError, ErrorCode
from domain.money import ZERO, round_amount

HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class PaymentTerms:
    """BC's Payment Terms card: due and discount date formulas and the discount %."""

    code: str
    due_date_formula: str
    discount_date_formula: str
    discount_pct: Decimal
    calc_pmt_disc_on_cr_memos: bool = False


@dataclass(frozen=True, slots=True)
class TermsResult:
    """What a posted document's ledger entry receives from its payment terms."""

    due_date: date
    pmt_discount_date: date | None
    pmt_disc_possible: Decimal


def check_payment_terms(terms: PaymentTerms) -> None:
    """Refuse terms that could never be applied: bad formulas or a discount outside 0..100 %."""
    for formula, name in (
        (terms.due_date_formula, "dueDateCalculation"),
        (terms.discount_date_formula, "discountDateCalculation"),
    ):
        try:
            parse_formula(formula)
        except DomainError as error:
            raise DomainError(error.code, error.message, [name]) from None
    if not terms.discount_pct.is_finite() or not ZERO <= terms.discount_pct <= HUNDRED:
        raise DomainError(
            ErrorCode.INVALID_AMOUNT,
            f"A payment discount must be between 0 and 100 %, not {terms.discount_pct}.",
            ["discountPct"],
        )


def compute_terms(
    terms: PaymentTerms | None,
    document_date: date,
    amount: Decimal,
    is_credit_memo: bool,
    precision: Decimal,
) -> TermsResult:
    """Due date, discount date and possible discount of a document, as BC posts them.

    Both dates are computed from the document date. The discount is
    round(amount × discount % / 100) with the sign of ``amount``; it exists only when the terms
    have a discount % above 0 and a discount date formula. A credit memo gets nothing from
    its terms unless "calc. pmt. disc. on credit memos" is set: like BC, it is then due on
    its document date, without discount date or discount.
    """
    if terms is None or (is_credit_memo and not terms.calc_pmt_disc_on_cr_memos):
        return TermsResult(document_date, None, ZERO)
    due_date = calc_date(terms.due_date_formula, document_date)
    if terms.discount_pct <= 0 or not terms.discount_date_formula.strip():
        return TermsResult(due_date, None, ZERO)
    discount_date = calc_date(terms.discount_date_formula, document_date)
    discount = round_amount(amount * terms.discount_pct / HUNDRED, precision)
    return TermsResult(due_date, discount_date, discount)


def pmt_disc_tolerance_date(pmt_discount_date: date | None, grace_period: str) -> date | None:
    """Last date a late payment still gets the discount (BC's Payment Discount Tolerance)."""
    if pmt_discount_date is None:
        return None
    return calc_date(grace_period, pmt_discount_date)
