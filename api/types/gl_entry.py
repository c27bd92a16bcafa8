"""G/L entries: amounts in LCY, debit positive, credit negative."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from api.types.enums import DocumentType, document_type
from store.records import GLEntryRecord


@strawberry.type
class GLEntry:
    entry_no: int
    gl_account_no: str
    posting_date: date
    document_type: DocumentType | None
    document_no: str
    description: str
    amount: Decimal
    transaction_no: int

    @classmethod
    def of(cls, r: GLEntryRecord) -> GLEntry:
        return cls(
            entry_no=r.entry_no,
            gl_account_no=r.gl_account_no,
            posting_date=r.posting_date,
            document_type=document_type(r.document_type),
            document_no=r.document_no,
            description=r.description,
            amount=r.amount,
            transaction_no=r.transaction_no,
        )
