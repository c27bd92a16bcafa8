"""Statement import: a bank file becomes journal lines once, for the account it belongs to.

The same file imported twice would double every payment, so (account, statement id, file
hash) is unique; a statement that does not follow the previous one's closing balance is kept
with a warning, because only the user can tell a missing statement from a bank correction.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import asdict
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain import setup_rules as rules
from domain.bank import (
    DEFAULT_MAX_BYTES,
    BankStatement,
    CsvColumns,
    CsvMapping,
    parse_statement_file,
    validate_mapping,
)
from domain.errors import DomainError, ErrorCode
from domain.iban import normalize_iban
from store.bank.matching import refresh_suggestions
from store.bank.records import StatementRecord
from store.records import BankAccountRecord, from_row
from store.setup import get_bank_account, load_setup, require_gl_account
from store.tables import BANK_ACCOUNTS as BANK
from store.tables import BANK_CSV_MAPPINGS as CSV_MAPPING
from store.tables import BANK_STATEMENT_LINES as LINE
from store.tables import BANK_STATEMENTS as STATEMENT
from store.tables import BANK_TEXT_MAPPINGS as TEXT_MAPPING
from store.uow import UnitOfWork, run_in_transaction


def mapping_to_json(mapping: CsvMapping) -> dict[str, Any]:
    """The stored form of a CSV mapping (tuples become lists)."""
    return asdict(mapping)


def mapping_from_json(data: dict[str, Any]) -> CsvMapping:
    columns = dict(data.get("columns") or {})
    columns["description"] = tuple(columns.get("description") or ())
    values = {k: v for k, v in data.items() if k != "columns"}
    values["debit_indicators"] = tuple(values.get("debit_indicators") or ())
    return CsvMapping(**values, columns=CsvColumns(**columns))


async def upsert_csv_mapping(engine: AsyncEngine, code: str, mapping: CsvMapping) -> CsvMapping:
    """Save a bank's CSV layout once, to be named by code at every import."""
    code = rules.check_code(code, ["code"])
    validate_mapping(mapping)
    stmt = insert(CSV_MAPPING).values(code=code, mapping=mapping_to_json(mapping))
    async with engine.begin() as conn:
        await conn.execute(
            stmt.on_conflict_do_update(
                index_elements=[CSV_MAPPING.c.code], set_={"mapping": stmt.excluded.mapping}
            )
        )
    return mapping


async def get_csv_mapping(conn: AsyncConnection, code: str) -> CsvMapping | None:
    row = (
        await conn.execute(sa.select(CSV_MAPPING.c.mapping).where(CSV_MAPPING.c.code == code))
    ).one_or_none()
    return None if row is None else mapping_from_json(row.mapping)


async def upsert_text_mapping(
    engine: AsyncEngine, mapping_text: str, gl_account_no: str, description: str
) -> tuple[str, str, str]:
    """BC's "Map text to account" rule: lines containing the text go to the G/L account."""
    text = mapping_text.strip()
    if not text:
        raise DomainError(
            ErrorCode.INVALID_INPUT, "the mapping text cannot be empty", ["mappingText"]
        )
    async with engine.begin() as conn:
        await require_gl_account(conn, gl_account_no, ["glAccountNo"])
        stmt = insert(TEXT_MAPPING).values(
            mapping_text=text, gl_account_no=gl_account_no, description=description
        )
        await conn.execute(
            stmt.on_conflict_do_update(
                index_elements=[TEXT_MAPPING.c.mapping_text],
                set_={"gl_account_no": gl_account_no, "description": description},
            )
        )
    return text, gl_account_no, description


async def list_text_mappings(conn: AsyncConnection) -> list[tuple[str, str, str]]:
    rows = await conn.execute(sa.select(TEXT_MAPPING).order_by(TEXT_MAPPING.c.mapping_text))
    return [(r.mapping_text, r.gl_account_no, r.description) for r in rows]


async def _resolve_mapping(
    engine: AsyncEngine, inline: CsvMapping | None, code: str | None
) -> CsvMapping | None:
    if inline is not None and code is not None:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "give either csvMapping or csvMappingCode, not both",
            ["csvMappingCode"],
        )
    if inline is not None:
        validate_mapping(inline)
        return inline
    if code is None:
        return None
    async with engine.connect() as conn:
        saved = await get_csv_mapping(conn, code)
    if saved is None:
        raise DomainError(
            ErrorCode.NOT_FOUND, f"CSV mapping {code!r} does not exist", ["csvMappingCode"]
        )
    return saved


def _check_account(
    statement: BankStatement, bank: BankAccountRecord, lcy_code: str, index: int
) -> str:
    """Refuse a statement of another account; return the statement currency ('' = LCY)."""
    where = ["file"]
    if bank.iban and statement.account_iban:
        try:
            iban = normalize_iban(statement.account_iban, where)
        except DomainError:
            iban = statement.account_iban.replace(" ", "").upper()
        if iban != bank.iban:
            raise DomainError(
                ErrorCode.STATEMENT_ACCOUNT_MISMATCH,
                f"statement {statement.statement_id!r} (no. {index + 1} in the file) is for "
                f"account {iban}, but bank account {bank.no} has IBAN {bank.iban}",
                ["bankAccountNo"],
            )
    bank_currency = bank.currency_code or lcy_code
    currency = statement.currency_code or bank_currency
    if currency != bank_currency:
        raise DomainError(
            ErrorCode.STATEMENT_ACCOUNT_MISMATCH,
            f"statement {statement.statement_id!r} is in {currency}, but bank account "
            f"{bank.no} is in {bank_currency}",
            ["bankAccountNo"],
        )
    return "" if currency == lcy_code else currency


async def _opening_warning(
    conn: AsyncConnection, bank_no: str, statement: BankStatement
) -> str | None:
    """Compare the opening balance with the closing balance of the account's previous
    statement (latest statement date on or before this one, then latest import)."""
    if statement.opening_balance is None:
        return None
    query = (
        sa.select(STATEMENT.c.statement_no, STATEMENT.c.closing_balance)
        .where(STATEMENT.c.bank_account_no == bank_no)
        .order_by(STATEMENT.c.statement_date.desc().nulls_last(), STATEMENT.c.id.desc())
        .limit(1)
    )
    if statement.statement_date is not None:
        query = query.where(
            sa.or_(
                STATEMENT.c.statement_date <= statement.statement_date,
                STATEMENT.c.statement_date.is_(None),
            )
        )
    previous = (await conn.execute(query)).one_or_none()
    if previous is None or previous.closing_balance is None:
        return None
    if previous.closing_balance == statement.opening_balance:
        return None
    return (
        f"opening balance {statement.opening_balance} does not follow the closing balance "
        f"{previous.closing_balance} of the previous statement {previous.statement_no}: "
        "a statement may be missing"
    )


def _description(line_text: str | None, raw: str | None) -> str:
    return (line_text or raw or "").strip()


async def _store_statement(
    conn: AsyncConnection,
    bank: BankAccountRecord,
    statement: BankStatement,
    currency: str,
    digest: str,
    position: int,
) -> StatementRecord:
    duplicate = (
        await conn.execute(
            sa.select(STATEMENT.c.id).where(
                STATEMENT.c.bank_account_no == bank.no,
                STATEMENT.c.statement_no == statement.statement_id,
                STATEMENT.c.file_sha256 == digest,
                STATEMENT.c.file_position == position,
            )
        )
    ).one_or_none()
    if duplicate is not None:
        raise DomainError(
            ErrorCode.DUPLICATE_STATEMENT,
            f"statement {statement.statement_id!r} of this file was already imported into "
            f"bank account {bank.no} (statement {duplicate.id})",
            ["file"],
        )
    warning = await _opening_warning(conn, bank.no, statement)
    row = (
        await conn.execute(
            sa.insert(STATEMENT)
            .values(
                bank_account_no=bank.no,
                statement_no=statement.statement_id,
                account_iban=statement.account_iban,
                currency_code=currency,
                statement_date=statement.statement_date,
                opening_balance=statement.opening_balance,
                closing_balance=statement.closing_balance,
                format=statement.format.value,
                file_sha256=digest,
                file_position=position,
                balance_warning=statement.balance_warning,
                opening_warning=warning,
            )
            .returning(*STATEMENT.c)
        )
    ).one()
    record = from_row(StatementRecord, row)
    if statement.lines:
        await conn.execute(
            sa.insert(LINE),
            [
                {
                    "statement_id": record.id,
                    "line_no": line.line_no,
                    "booking_date": line.booking_date,
                    "value_date": line.value_date,
                    "amount": line.amount,
                    "currency_code": currency,
                    "description": _description(line.remittance_text, line.raw_details),
                    "counterparty_name": line.counterparty_name,
                    "counterparty_iban": line.counterparty_iban,
                    "end_to_end_id": line.end_to_end_id,
                    "bank_reference": line.bank_reference,
                    "transaction_code": line.transaction_code,
                    "status": "OPEN",
                }
                for line in statement.lines
            ],
        )
    return record


async def import_statement_file(
    engine: AsyncEngine,
    bank_account_no: str,
    data: bytes,
    fmt: str = "AUTO",
    csv_mapping: CsvMapping | None = None,
    csv_mapping_code: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[StatementRecord]:
    """Parse and store every statement of the file, then suggest applications for its lines.

    All or nothing: a broken file, another account's statement or a duplicate stores nothing.
    """
    mapping = await _resolve_mapping(engine, csv_mapping, csv_mapping_code)
    parsed = await asyncio.to_thread(parse_statement_file, data, fmt, mapping, max_bytes)
    digest = hashlib.sha256(data).hexdigest()

    async def work(uow: UnitOfWork) -> list[StatementRecord]:
        conn = uow.conn
        locked = (
            await conn.execute(
                sa.select(BANK.c.no).where(BANK.c.no == bank_account_no).with_for_update()
            )
        ).one_or_none()
        bank = await get_bank_account(conn, bank_account_no) if locked else None
        if bank is None:
            raise DomainError(
                ErrorCode.UNKNOWN_BANK_ACCOUNT,
                f"bank account {bank_account_no!r} does not exist",
                ["bankAccountNo"],
            )
        lcy = (await load_setup(conn)).lcy_code
        currencies = [_check_account(s, bank, lcy, i) for i, s in enumerate(parsed)]
        records = [
            await _store_statement(conn, bank, s, currency, digest, position)
            for position, (s, currency) in enumerate(zip(parsed, currencies, strict=True), 1)
        ]
        await refresh_suggestions(conn, [r.id for r in records])
        return records

    return await run_in_transaction(engine, work)
