"""Journal line inputs shared by postCashReceiptLines and the draft journal mutations."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum

import strawberry

from api.inputs.fast import fast_input
from api.types.enums import DocumentType
from domain.posting.journal import ApplyToInput, CashReceiptLine


@strawberry.enum
class CashReceiptDocumentType(Enum):
    PAYMENT = "PAYMENT"
    REFUND = "REFUND"


@strawberry.enum
class BalAccountType(Enum):
    BANK_ACCOUNT = "BANK_ACCOUNT"
    GL_ACCOUNT = "GL_ACCOUNT"


@fast_input
@strawberry.input
class ApplyToEntryInput:
    entry_no: int
    amount_to_apply: Decimal | None = strawberry.field(
        default=None, description="Signed like the entry; all of its remaining when omitted."
    )
    accept_payment_discount_tolerance: bool | None = None
    accept_payment_tolerance: bool | None = None


@fast_input
@strawberry.input
class CashReceiptLineInput:
    posting_date: date
    document_no: str
    amount: Decimal = strawberry.field(
        description="BC sign convention: a payment from a customer is negative."
    )
    bal_account_no: str
    document_type: CashReceiptDocumentType = CashReceiptDocumentType.PAYMENT
    customer_no: str | None = None
    vendor_no: str | None = None
    gl_account_no: str | None = None
    bal_account_type: BalAccountType = BalAccountType.BANK_ACCOUNT
    currency_code: str | None = None
    description: str = ""
    applies_to_doc_type: DocumentType | None = None
    applies_to_doc_no: str | None = None
    applies_to_id: str | None = strawberry.field(
        default=None, description="Label of the set of entries given in applyTo."
    )
    apply_to: list[ApplyToEntryInput] | None = None
    accept_payment_discount_tolerance: bool | None = None
    accept_payment_tolerance: bool | None = None

    def to_line(self) -> CashReceiptLine:
        return CashReceiptLine(
            posting_date=self.posting_date,
            document_no=self.document_no.strip(),
            amount=self.amount,
            bal_account_no=self.bal_account_no,
            document_type=self.document_type.value,
            customer_no=self.customer_no,
            vendor_no=self.vendor_no,
            gl_account_no=self.gl_account_no,
            bal_account_type=self.bal_account_type.value,
            currency_code=self.currency_code,
            description=self.description,
            applies_to_doc_type=self.applies_to_doc_type.value
            if self.applies_to_doc_type
            else None,
            applies_to_doc_no=self.applies_to_doc_no,
            applies_to_id=self.applies_to_id,
            apply_to=tuple(
                ApplyToInput(
                    a.entry_no,
                    a.amount_to_apply,
                    a.accept_payment_discount_tolerance,
                    a.accept_payment_tolerance,
                )
                for a in self.apply_to or ()
            ),
            accept_payment_discount_tolerance=self.accept_payment_discount_tolerance,
            accept_payment_tolerance=self.accept_payment_tolerance,
        )
