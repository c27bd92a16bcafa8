"""Bank mutations (scope post): import a statement file, work the payment reconciliation
journal (accept, reject, apply by hand, transfer to G/L), post it, mark it reconciled."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import strawberry
from strawberry.file_uploads import Upload
from strawberry.types import Info

from api.auth import PostScope
from api.context import Context
from api.errors import UserError
from api.queries.bank import parse_id
from api.resolvers import mutate
from api.types.bank import (
    BankAccountReconciliation,
    BankFileFormat,
    BankStatement,
    BankStatementLine,
    TextToAccountMapping,
    build_lines,
    build_reconciliation,
    build_statements,
)
from api.types.enums import PartyLedger
from domain.bank import CsvColumns, CsvMapping
from domain.matching import Ledger
from store.bank import journal, records
from store.bank.matching import refresh_suggestions
from store.bank.posting import post_payment_reconciliation
from store.bank.reconciliation import DEFAULT_DATE_TOLERANCE_DAYS, mark_statement_reconciled
from store.bank.statements import import_statement_file, upsert_csv_mapping, upsert_text_mapping
from store.uow import UnitOfWork, run_in_transaction


@strawberry.input(
    description="A column is named by its header text, or by '0', '1'... "
    "when the file has no header."
)
class CsvColumnsInput:
    booking_date: str
    value_date: str | None = None
    amount: str | None = None
    debit_amount: str | None = None
    credit_amount: str | None = None
    debit_credit_indicator: str | None = None
    description: list[str] = strawberry.field(default_factory=list)
    counterparty_name: str | None = None
    counterparty_iban: str | None = None
    end_to_end_id: str | None = None
    currency: str | None = None
    balance_before: str | None = None
    balance_after: str | None = None


@strawberry.input(description="How to read one bank's CSV export (BC data exchange definition).")
class CsvMappingInput:
    columns: CsvColumnsInput
    delimiter: str = ","
    quote_char: str | None = strawberry.field(default='"', description="null: unquoted.")
    encoding: str = "utf-8"
    has_header: bool = True
    skip_rows: int = 0
    date_format: str = strawberry.field(default="%Y-%m-%d", description="strftime, e.g. %d-%m-%Y")
    decimal_separator: str = "."
    thousands_separator: str | None = None
    account_iban: str | None = None
    currency_code: str | None = None
    debit_indicators: list[str] = strawberry.field(default_factory=list)


@strawberry.input
class UpsertCsvMappingInput(CsvMappingInput):
    code: str


def _mapping(i: CsvMappingInput) -> CsvMapping:
    c = i.columns
    return CsvMapping(
        delimiter=i.delimiter,
        quote_char=i.quote_char,
        encoding=i.encoding,
        has_header=i.has_header,
        skip_rows=i.skip_rows,
        date_format=i.date_format,
        decimal_separator=i.decimal_separator,
        thousands_separator=i.thousands_separator,
        account_iban=i.account_iban,
        currency_code=i.currency_code,
        debit_indicators=tuple(i.debit_indicators),
        columns=CsvColumns(
            booking_date=c.booking_date,
            value_date=c.value_date,
            amount=c.amount,
            debit_amount=c.debit_amount,
            credit_amount=c.credit_amount,
            debit_credit_indicator=c.debit_credit_indicator,
            description=tuple(c.description),
            counterparty_name=c.counterparty_name,
            counterparty_iban=c.counterparty_iban,
            end_to_end_id=c.end_to_end_id,
            currency=c.currency,
            balance_before=c.balance_before,
            balance_after=c.balance_after,
        ),
    )


@strawberry.input
class ImportBankStatementInput:
    bank_account_no: str
    file: Upload
    format: BankFileFormat = BankFileFormat.AUTO
    csv_mapping: CsvMappingInput | None = None
    csv_mapping_code: str | None = None


@strawberry.type
class ImportBankStatementPayload:
    statements: list[BankStatement] = strawberry.field(default_factory=list)
    warnings: list[str] = strawberry.field(
        default_factory=list, description="Balance and opening-balance warnings, per statement."
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CsvMappingPayload:
    code: str | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class UpsertTextToAccountMappingInput:
    mapping_text: str
    gl_account_no: str
    description: str = ""


@strawberry.type
class TextToAccountMappingPayload:
    mapping: TextToAccountMapping | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class SuggestionIdInput:
    suggestion_id: strawberry.ID


@strawberry.input
class LineApplicationInput:
    entry_no: int
    amount: Decimal = strawberry.field(
        description="Signed like the entry's remaining amount: positive on a customer invoice, "
        "negative on a vendor invoice."
    )
    ledger: PartyLedger = strawberry.field(
        default=PartyLedger.CUSTOMER, description="Which ledger the entry number belongs to."
    )


@strawberry.input
class SetLineApplicationInput:
    line_id: strawberry.ID
    applications: list[LineApplicationInput]


@strawberry.input
class TransferToGlInput:
    line_id: strawberry.ID
    gl_account_no: str
    description: str = ""


@strawberry.type
class BankLinePayload:
    line: BankStatementLine | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class StatementIdInput:
    statement_id: strawberry.ID


@strawberry.type
class BankStatementPayload:
    statement: BankStatement | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class PostPaymentReconciliationInput:
    statement_id: strawberry.ID
    idempotency_key: str | None = None


@strawberry.type
class PostPaymentReconciliationPayload:
    statement: BankStatement | None = None
    posted_lines: list[BankStatementLine] = strawberry.field(default_factory=list)
    replayed: bool = False
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class MarkStatementReconciledInput:
    statement_id: strawberry.ID
    date_tolerance_days: int = DEFAULT_DATE_TOLERANCE_DAYS


@strawberry.type
class MarkStatementReconciledPayload:
    reconciliation: BankAccountReconciliation | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


async def _read_upload(file: Any) -> bytes:
    if isinstance(file, bytes | bytearray):
        return bytes(file)
    data = await file.read()
    return bytes(data)


async def _line_payload(info: Info[Context, None], line_id: int) -> BankLinePayload:
    async with info.context.engine.connect() as conn:
        record = await records.require_line(conn, line_id)
        return BankLinePayload(line=(await build_lines(conn, [record]))[0])


async def _statement(info: Info[Context, None], statement_id: int) -> BankStatement:
    async with info.context.engine.connect() as conn:
        record = await records.require_statement(conn, statement_id)
        return (await build_statements(conn, [record]))[0]


@strawberry.type
class BankMutation:
    @strawberry.mutation(
        permission_classes=[PostScope],
        description="Upload a statement file (GraphQL multipart request); its lines get "
        "suggested applications at once. A broken file stores nothing.",
    )
    async def import_bank_statement(
        self, info: Info[Context, None], input: ImportBankStatementInput
    ) -> ImportBankStatementPayload:
        async def work() -> ImportBankStatementPayload:
            data = await _read_upload(input.file)
            mapping = None if input.csv_mapping is None else _mapping(input.csv_mapping)
            stored = await import_statement_file(
                info.context.engine,
                input.bank_account_no,
                data,
                input.format.value,
                mapping,
                input.csv_mapping_code,
                max_bytes=info.context.config.max_upload_bytes,
            )
            async with info.context.engine.connect() as conn:
                built = await build_statements(conn, stored)
            warnings = [
                f"statement {s.statement_no}: {w}"
                for s in stored
                for w in (s.balance_warning, s.opening_warning)
                if w
            ]
            return ImportBankStatementPayload(statements=built, warnings=warnings)

        return await mutate(ImportBankStatementPayload, work)

    @strawberry.mutation(permission_classes=[PostScope])
    async def upsert_csv_mapping(
        self, info: Info[Context, None], input: UpsertCsvMappingInput
    ) -> CsvMappingPayload:
        async def work() -> CsvMappingPayload:
            await upsert_csv_mapping(info.context.engine, input.code, _mapping(input))
            return CsvMappingPayload(code=input.code.strip())

        return await mutate(CsvMappingPayload, work)

    @strawberry.mutation(permission_classes=[PostScope])
    async def upsert_text_to_account_mapping(
        self, info: Info[Context, None], input: UpsertTextToAccountMappingInput
    ) -> TextToAccountMappingPayload:
        async def work() -> TextToAccountMappingPayload:
            text, gl, description = await upsert_text_mapping(
                info.context.engine, input.mapping_text, input.gl_account_no, input.description
            )
            return TextToAccountMappingPayload(
                mapping=TextToAccountMapping(
                    mapping_text=text, gl_account_no=gl, description=description
                )
            )

        return await mutate(TextToAccountMappingPayload, work)

    @strawberry.mutation(
        permission_classes=[PostScope],
        description="Run the matcher again for the lines not accepted or posted.",
    )
    async def refresh_suggestions(
        self, info: Info[Context, None], input: StatementIdInput
    ) -> BankStatementPayload:
        async def work() -> BankStatementPayload:
            statement_id = parse_id(input.statement_id, ["statementId"])

            async def run(uow: UnitOfWork) -> None:
                await records.require_statement(uow.conn, statement_id, lock=True)
                await refresh_suggestions(uow.conn, [statement_id])

            await run_in_transaction(info.context.engine, run)
            return BankStatementPayload(statement=await _statement(info, statement_id))

        return await mutate(BankStatementPayload, work)

    @strawberry.mutation(permission_classes=[PostScope])
    async def accept_suggestion(
        self, info: Info[Context, None], input: SuggestionIdInput
    ) -> BankLinePayload:
        async def work() -> BankLinePayload:
            sid = parse_id(input.suggestion_id, ["suggestionId"])
            return await _line_payload(
                info, await journal.accept_suggestion(info.context.engine, sid)
            )

        return await mutate(BankLinePayload, work)

    @strawberry.mutation(permission_classes=[PostScope])
    async def reject_suggestion(
        self, info: Info[Context, None], input: SuggestionIdInput
    ) -> BankLinePayload:
        async def work() -> BankLinePayload:
            sid = parse_id(input.suggestion_id, ["suggestionId"])
            return await _line_payload(
                info, await journal.reject_suggestion(info.context.engine, sid)
            )

        return await mutate(BankLinePayload, work)

    @strawberry.mutation(
        permission_classes=[PostScope],
        description="Replace the line's applications with these entries and amounts "
        "(an empty list clears them).",
    )
    async def set_line_application(
        self, info: Info[Context, None], input: SetLineApplicationInput
    ) -> BankLinePayload:
        async def work() -> BankLinePayload:
            line_id = parse_id(input.line_id, ["lineId"])
            applications = [
                journal.ManualApplication(a.entry_no, a.amount, Ledger(a.ledger.value))
                for a in input.applications
            ]
            return await _line_payload(
                info,
                await journal.set_line_application(info.context.engine, line_id, applications),
            )

        return await mutate(BankLinePayload, work)

    @strawberry.mutation(
        permission_classes=[PostScope],
        description="Post the whole line to a G/L account (bank fees, interest).",
    )
    async def transfer_to_gl(
        self, info: Info[Context, None], input: TransferToGlInput
    ) -> BankLinePayload:
        async def work() -> BankLinePayload:
            line_id = parse_id(input.line_id, ["lineId"])
            return await _line_payload(
                info,
                await journal.transfer_to_gl(
                    info.context.engine, line_id, input.gl_account_no, input.description
                ),
            )

        return await mutate(BankLinePayload, work)

    @strawberry.mutation(
        permission_classes=[PostScope],
        description="Post every accepted line (payments, applications, bank and G/L "
        "entries) in one transaction; lines not accepted stay in the journal.",
    )
    async def post_payment_reconciliation(
        self, info: Info[Context, None], input: PostPaymentReconciliationInput
    ) -> PostPaymentReconciliationPayload:
        async def work() -> PostPaymentReconciliationPayload:
            statement_id = parse_id(input.statement_id, ["statementId"])
            result = await post_payment_reconciliation(
                info.context.engine, statement_id, input.idempotency_key
            )
            statement = await _statement(info, statement_id)
            posted = {int(i) for i in result["postedLineIds"]}
            return PostPaymentReconciliationPayload(
                statement=statement,
                posted_lines=[x for x in statement.lines if int(x.id) in posted],
                replayed=bool(result.get("replayed")),
            )

        return await mutate(PostPaymentReconciliationPayload, work)

    @strawberry.mutation(
        permission_classes=[PostScope],
        description="Close the matched bank ledger entries and stamp the statement "
        "reconciled; refused with the reasons while it does not reconcile.",
    )
    async def mark_statement_reconciled(
        self, info: Info[Context, None], input: MarkStatementReconciledInput
    ) -> MarkStatementReconciledPayload:
        async def work() -> MarkStatementReconciledPayload:
            statement_id = parse_id(input.statement_id, ["statementId"])
            result = await mark_statement_reconciled(
                info.context.engine, statement_id, input.date_tolerance_days
            )
            async with info.context.engine.connect() as conn:
                return MarkStatementReconciledPayload(
                    reconciliation=await build_reconciliation(conn, result)
                )

        return await mutate(MarkStatementReconciledPayload, work)
