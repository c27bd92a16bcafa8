"""A cash receipt journal line (BC's Cash Receipt Journal, Payment Journal and the payment
reconciliation journal post through it) and the checks any line must pass before posting."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain.company import CompanySetup
from domain.errors import DomainError, ErrorCode
from domain.immutable import immutable
from domain.ledger import Ledger
from domain.sales_posting import check_posting_date


@immutable
class ApplyToInput:
    entry_no: int
    amount_to_apply: Decimal | None = None
    accept_payment_discount_tolerance: bool | None = None
    accept_payment_tolerance: bool | None = None


@immutable
class CashReceiptLine:
    """One journal line (customer payment/refund, vendor payment/refund or G/L line)."""

    posting_date: date
    document_no: str
    amount: Decimal
    bal_account_no: str
    document_type: str = "PAYMENT"
    customer_no: str | None = None
    vendor_no: str | None = None
    gl_account_no: str | None = None
    bal_account_type: str = "BANK_ACCOUNT"
    currency_code: str | None = None
    description: str = ""
    applies_to_doc_type: str | None = None
    applies_to_doc_no: str | None = None
    applies_to_id: str | None = None
    apply_to: tuple[ApplyToInput, ...] = ()
    accept_payment_discount_tolerance: bool | None = None
    accept_payment_tolerance: bool | None = None

    @property
    def ledger(self) -> Ledger | None:
        """The party ledger the line posts to (None: a G/L line)."""
        if self.customer_no is not None:
            return Ledger.CUSTOMER
        return Ledger.VENDOR if self.vendor_no is not None else None

    @property
    def party_no(self) -> str:
        no = self.customer_no if self.customer_no is not None else self.vendor_no
        assert no is not None
        return no

    @property
    def may_apply_to_oldest(self) -> bool:
        """Nothing named: a party with apply-to-oldest applies it to its oldest entries."""
        return not self.apply_to and not self.applies_to_doc_no


def check_line(line: CashReceiptLine, index: int, setup: CompanySetup) -> None:
    """What any line needs: a date in the posting window, a document no., a known document
    type and exactly one account."""
    try:
        check_posting_date(line.posting_date, setup.allow_posting_from, setup.allow_posting_to)
    except DomainError as exc:
        raise DomainError(exc.code, exc.message, exc.field, index=index) from None
    if not line.document_no.strip():
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "a journal line needs a document no.",
            ["documentNo"],
            index=index,
        )
    if line.document_type not in ("PAYMENT", "REFUND", ""):
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "documentType is PAYMENT or REFUND",
            ["documentType"],
            index=index,
        )
    accounts = [x for x in (line.customer_no, line.vendor_no, line.gl_account_no) if x]
    if len(accounts) != 1:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "give exactly one of customerNo, vendorNo or glAccountNo",
            ["customerNo"],
            index=index,
        )


def check_amount(line: CashReceiptLine, index: int) -> None:
    if line.amount == 0:
        raise DomainError(
            ErrorCode.INVALID_AMOUNT,
            "a journal line needs a non-zero amount",
            ["amount"],
            index=index,
        )


def check_sign(line: CashReceiptLine, index: int, ledger: Ledger) -> None:
    """BC's sign convention: a payment from a customer is negative, a payment to a vendor
    positive, a refund the opposite."""
    check_amount(line, index)
    expected = ledger.payment_sign if line.document_type == "PAYMENT" else -ledger.payment_sign
    if line.document_type in ("PAYMENT", "REFUND") and line.amount * expected < 0:
        who = "from a customer" if ledger is Ledger.CUSTOMER else "to a vendor"
        raise DomainError(
            ErrorCode.WRONG_SIGN,
            f"BC sign convention: a payment {who} is "
            f"{'negative' if ledger.payment_sign < 0 else 'positive'}, a refund the opposite",
            ["amount"],
            index=index,
        )
