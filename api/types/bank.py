"""GraphQL shapes of the payment reconciliation journal: statements, lines, explained
suggestions and the bank account reconciliation (built statement-wide, never per line)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum

import strawberry
from sqlalchemy.ext.asyncio import AsyncConnection

from api.types.ledger_entry import CustomerLedgerEntry, LedgerEntry
from api.types.vendor import VendorLedgerEntry
from domain.ledger import Ledger
from store.bank.reconciliation import BankEntryRecord, Reconciliation
from store.bank.records import (
    StatementLineRecord,
    StatementRecord,
    SuggestionRecord,
    lines_by_statement,
    suggestions_by_line,
)
from store.parties.ledger import entries_by_no


@strawberry.enum(description="AUTO recognises camt, MT940 and OFX; CSV needs a column mapping.")
class BankFileFormat(Enum):
    AUTO = "AUTO"
    CAMT053 = "CAMT053"
    CAMT054 = "CAMT054"
    MT940 = "MT940"
    OFX = "OFX"
    CSV = "CSV"


@strawberry.enum(
    description="OPEN: nothing suggested; SUGGESTED: proposals wait for a decision; "
    "ACCEPTED: will be posted; POSTED."
)
class BankLineStatus(Enum):
    OPEN = "OPEN"
    SUGGESTED = "SUGGESTED"
    ACCEPTED = "ACCEPTED"
    POSTED = "POSTED"


@strawberry.enum(description="Business Central's match confidence.")
class MatchConfidence(Enum):
    HIGH = "HIGH"
    MEDIUM = "MEDIUM"
    LOW = "LOW"
    NONE = "NONE"


@strawberry.enum(description="MANUAL: entered by a user (setLineApplication, transferToGl).")
class SuggestionStatus(Enum):
    PROPOSED = "PROPOSED"
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"
    MANUAL = "MANUAL"


@strawberry.type(description="Why a suggestion was made, in words a person can check.")
class SuggestionExplanation:
    rule: str
    matched_fields: list[str]
    notes: list[str]


@strawberry.type(
    description="Apply `amount` of the bank line to `entry` (signed like the entry's remaining "
    "amount: positive on a customer invoice, negative on a vendor invoice), or post the line "
    "to `glAccountNo`."
)
class SuggestedApplication:
    id: strawberry.ID
    statement_line: BankStatementLine
    entry: LedgerEntry | None
    gl_account_no: str | None
    description: str
    amount: Decimal
    score: int
    confidence: MatchConfidence
    status: SuggestionStatus
    explanation: SuggestionExplanation


@strawberry.type
class BankStatementLine:
    id: strawberry.ID
    statement_id: strawberry.ID
    line_no: int
    booking_date: date | None
    value_date: date | None
    amount: Decimal = strawberry.field(description="Incoming positive, outgoing negative.")
    currency_code: str
    description: str = strawberry.field(description="The remittance text.")
    counterparty_name: str | None
    counterparty_iban: str | None
    end_to_end_id: str | None
    bank_reference: str | None
    status: BankLineStatus
    document_no: str | None = strawberry.field(description="Set when posted.")
    transaction_no: int | None
    bank_entry_no: int | None
    suggestions: list[SuggestedApplication] = strawberry.field(
        description="Proposals, accepted and manual applications (rejected ones left out), "
        "best first."
    )
    applications: list[SuggestedApplication] = strawberry.field(
        description="What posting will apply: the accepted and manual suggestions."
    )

    @classmethod
    def of(cls, r: StatementLineRecord) -> BankStatementLine:
        return cls(
            id=strawberry.ID(str(r.id)),
            statement_id=strawberry.ID(str(r.statement_id)),
            line_no=r.line_no,
            booking_date=r.booking_date,
            value_date=r.value_date,
            amount=r.amount,
            currency_code=r.currency_code,
            description=r.description,
            counterparty_name=r.counterparty_name,
            counterparty_iban=r.counterparty_iban,
            end_to_end_id=r.end_to_end_id,
            bank_reference=r.bank_reference,
            status=BankLineStatus(r.status),
            document_no=r.document_no,
            transaction_no=r.transaction_no,
            bank_entry_no=r.bank_entry_no,
            suggestions=[],
            applications=[],
        )


@strawberry.type
class BankStatement:
    id: strawberry.ID
    bank_account_no: str
    statement_no: str
    account_iban: str | None
    currency_code: str = strawberry.field(description="'' = local currency.")
    statement_date: date | None
    opening_balance: Decimal | None
    closing_balance: Decimal | None
    format: BankFileFormat
    balance_warning: str | None = strawberry.field(
        description="Opening balance + lines differs from the closing balance."
    )
    opening_warning: str | None = strawberry.field(
        description="The opening balance does not follow the previous statement's closing."
    )
    imported_at: datetime
    reconciled_at: datetime | None
    lines: list[BankStatementLine]

    @classmethod
    def of(cls, r: StatementRecord, lines: list[BankStatementLine]) -> BankStatement:
        return cls(
            id=strawberry.ID(str(r.id)),
            bank_account_no=r.bank_account_no,
            statement_no=r.statement_no,
            account_iban=r.account_iban,
            currency_code=r.currency_code,
            statement_date=r.statement_date,
            opening_balance=r.opening_balance,
            closing_balance=r.closing_balance,
            format=BankFileFormat(r.format),
            balance_warning=r.balance_warning,
            opening_warning=r.opening_warning,
            imported_at=r.imported_at,
            reconciled_at=r.reconciled_at,
            lines=lines,
        )


def _suggestion(
    s: SuggestionRecord, line: BankStatementLine, entries: dict[tuple[str, int], LedgerEntry]
) -> SuggestedApplication:
    return SuggestedApplication(
        id=strawberry.ID(str(s.id)),
        statement_line=line,
        entry=entries.get((s.ledger, s.entry_no)) if s.entry_no is not None else None,
        gl_account_no=s.gl_account_no,
        description=s.description,
        amount=s.amount,
        score=s.score,
        confidence=MatchConfidence(s.confidence),
        status=SuggestionStatus(s.status),
        explanation=SuggestionExplanation(
            rule=s.rule, matched_fields=list(s.matched_fields), notes=list(s.notes)
        ),
    )


async def build_lines(
    conn: AsyncConnection, records: Sequence[StatementLineRecord]
) -> list[BankStatementLine]:
    """Lines with their suggestions and entries: three more queries for any number of lines."""
    lines = [BankStatementLine.of(r) for r in records]
    found = await suggestions_by_line(conn, [r.id for r in records])

    def nos(ledger: str) -> list[int]:
        return sorted(
            {s.entry_no for ss in found.values() for s in ss if s.entry_no and s.ledger == ledger}
        )

    entries: dict[tuple[str, int], LedgerEntry] = {
        ("CUSTOMER", no): CustomerLedgerEntry.of(e)
        for no, e in (await entries_by_no(conn, Ledger.CUSTOMER, nos("CUSTOMER"))).items()
    }
    for no, v in (await entries_by_no(conn, Ledger.VENDOR, nos("VENDOR"))).items():
        entries["VENDOR", no] = VendorLedgerEntry.of(v)
    for line, record in zip(lines, records, strict=True):
        for s in found.get(record.id, []):
            if s.status == SuggestionStatus.REJECTED.value:
                continue
            item = _suggestion(s, line, entries)
            line.suggestions.append(item)
            if s.status in (SuggestionStatus.ACCEPTED.value, SuggestionStatus.MANUAL.value):
                line.applications.append(item)
    return lines


async def build_statements(
    conn: AsyncConnection, records: Sequence[StatementRecord]
) -> list[BankStatement]:
    by_statement = await lines_by_statement(conn, [r.id for r in records])
    all_lines = [x for r in records for x in by_statement[r.id]]
    built = {int(x.id): x for x in await build_lines(conn, all_lines)}
    return [BankStatement.of(r, [built[x.id] for x in by_statement[r.id]]) for r in records]


@strawberry.type
class BankAccountLedgerEntry:
    entry_no: int
    bank_account_no: str
    posting_date: date
    document_type: str
    document_no: str
    description: str
    currency_code: str
    amount: Decimal = strawberry.field(description="Money in positive, money out negative.")
    amount_lcy: Decimal
    open: bool
    statement_line_id: strawberry.ID | None
    transaction_no: int

    @classmethod
    def of(cls, r: BankEntryRecord) -> BankAccountLedgerEntry:
        return cls(
            entry_no=r.entry_no,
            bank_account_no=r.bank_account_no,
            posting_date=r.posting_date,
            document_type=r.document_type,
            document_no=r.document_no,
            description=r.description,
            currency_code=r.currency_code,
            amount=r.amount,
            amount_lcy=r.amount_lcy,
            open=r.open,
            statement_line_id=(
                None if r.statement_line_id is None else strawberry.ID(str(r.statement_line_id))
            ),
            transaction_no=r.transaction_no,
        )


@strawberry.type
class BankReconciliationMatch:
    statement_line: BankStatementLine
    bank_ledger_entry: BankAccountLedgerEntry
    rule: str


@strawberry.type(
    description="reconciled: every line has its bank ledger entry and the closing balance "
    "equals the bank ledger balance at the statement date."
)
class BankAccountReconciliation:
    statement: BankStatement
    reconciled: bool
    closing_balance: Decimal | None
    ledger_balance: Decimal
    difference: Decimal | None
    matches: list[BankReconciliationMatch]
    unmatched_lines: list[BankStatementLine]
    unmatched_bank_entries: list[BankAccountLedgerEntry]
    notes: list[str]


async def build_reconciliation(
    conn: AsyncConnection, r: Reconciliation
) -> BankAccountReconciliation:
    statement = (await build_statements(conn, [r.statement]))[0]
    by_id = {int(x.id): x for x in statement.lines}
    return BankAccountReconciliation(
        statement=statement,
        reconciled=r.reconciled,
        closing_balance=r.statement.closing_balance,
        ledger_balance=r.ledger_balance,
        difference=r.difference,
        matches=[
            BankReconciliationMatch(
                statement_line=by_id[m.line.id],
                bank_ledger_entry=BankAccountLedgerEntry.of(m.entry),
                rule=m.rule,
            )
            for m in r.matches
        ],
        unmatched_lines=[by_id[x.id] for x in r.unmatched_lines],
        unmatched_bank_entries=[BankAccountLedgerEntry.of(e) for e in r.unmatched_entries],
        notes=list(r.notes),
    )


@strawberry.type(description="BC's 'Map text to account' rule.")
class TextToAccountMapping:
    mapping_text: str
    gl_account_no: str
    description: str
