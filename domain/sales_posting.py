"""What posting a sales invoice or credit memo writes: one ledger entry and balanced G/L.

Receivables in LCY are the sum of the LCY of the revenue and VAT lines, so the transaction
balances exactly whatever the exchange rate (no rounding line needed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from domain.application.tolerance import max_payment_tolerance
from domain.errors import DomainError, ErrorCode
from domain.immutable import immutable
from domain.money import check_positive, check_precision, round_amount

HUNDRED = Decimal(100)

# The posting of a document and the engine share one rule (domain/application/tolerance.py);
# the store imports it from here.
__all__ = [
    "DocumentKind",
    "DocumentLine",
    "DocumentTotals",
    "GlPostingLine",
    "check_posting_date",
    "document_totals",
    "max_payment_tolerance",
]


class DocumentKind(StrEnum):
    INVOICE = "INVOICE"
    CREDIT_MEMO = "CREDIT_MEMO"


@dataclass(frozen=True, slots=True)
class DocumentLine:
    description: str
    gl_account_no: str
    amount: Decimal
    vat_pct: Decimal = Decimal(0)


@immutable
class GlPostingLine:
    account_no: str
    amount_lcy: Decimal  # debit +, credit -
    description: str


@dataclass(frozen=True, slots=True)
class DocumentTotals:
    """Signed like the ledger entry: invoices +, credit memos -."""

    amount: Decimal
    amount_lcy: Decimal
    vat_amount: Decimal
    gl_lines: tuple[GlPostingLine, ...]


def check_posting_date(posting_date: date, allow_from: date | None, allow_to: date | None) -> None:
    if (allow_from and posting_date < allow_from) or (allow_to and posting_date > allow_to):
        window = f"{allow_from or '…'} to {allow_to or '…'}"
        raise DomainError(
            ErrorCode.POSTING_DATE_NOT_ALLOWED,
            f"posting date {posting_date} is outside the allowed posting dates ({window})",
            ["postingDate"],
        )


def document_totals(
    kind: DocumentKind,
    lines: tuple[DocumentLine, ...],
    *,
    rate: Decimal,
    precision: Decimal,
    lcy_precision: Decimal,
    receivables_account: str,
    vat_account: str,
    description: str,
) -> DocumentTotals:
    """Validate the lines and compute the signed totals and the balanced G/L lines."""
    if not lines:
        raise DomainError(ErrorCode.INVALID_INPUT, "give `lines` or `amount`", ["lines"])
    sign = Decimal(1) if kind is DocumentKind.INVOICE else Decimal(-1)
    gl: list[GlPostingLine] = []
    total = Decimal(0)
    vat_total = Decimal(0)
    for i, line in enumerate(lines):
        where = ["lines", str(i), "amount"]
        check_positive(line.amount, where)
        check_precision(line.amount, precision, where)
        if not Decimal(0) <= line.vat_pct <= HUNDRED:
            raise DomainError(
                ErrorCode.INVALID_AMOUNT,
                f"VAT % must be between 0 and 100, got {line.vat_pct}",
                ["lines", str(i), "vatPct"],
            )
        vat = round_amount(line.amount * line.vat_pct / HUNDRED, precision)
        total += line.amount + vat
        vat_total += vat
        gl.append(
            GlPostingLine(
                line.gl_account_no,
                -sign * round_amount(line.amount * rate, lcy_precision),
                line.description or description,
            )
        )
        if vat:
            gl.append(
                GlPostingLine(
                    vat_account,
                    -sign * round_amount(vat * rate, lcy_precision),
                    f"VAT {line.vat_pct} % {line.description or description}".strip(),
                )
            )
    receivables_lcy = -sum((g.amount_lcy for g in gl), Decimal(0))
    gl.insert(0, GlPostingLine(receivables_account, receivables_lcy, description))
    return DocumentTotals(
        amount=sign * total,
        amount_lcy=receivables_lcy,
        vat_amount=sign * vat_total,
        gl_lines=tuple(gl),
    )
