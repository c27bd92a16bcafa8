"""Cash receipt journal posting: payments and refunds to customers (or G/L lines) against a
bank or G/L account, applied by the engine, all lines in one transaction or none."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain.application import (
    ApplicationMethod,
    ApplicationSetup,
    ApplyTarget,
    Note,
    NoteCode,
    apply,
)
from domain.errors import DomainError, ErrorCode
from domain.money import check_precision, round_amount
from domain.sales_posting import GlPostingLine, check_posting_date
from store.customers import require_customer
from store.idempotency import idempotent
from store.journals import CashReceiptLine
from store.posting.applications import (
    application_setup,
    lock_entries,
    lock_open_entries,
    next_application_no,
    not_found,
    persist,
    rates_on,
    receivables_accounts,
    state_of,
)
from store.posting.ledgers import CUSTOMERS, VENDORS, Ledger
from store.posting.sales import Pricing, pricing_for
from store.posting.writer import (
    BALE,
    insert_gl,
    next_transaction_no,
)
from store.records import CompanySetupRecord, CustomerRecord
from store.setup import get_bank_account, load_setup, require_gl_account
from store.uow import UnitOfWork, run_in_transaction
from store.vendors import require_vendor


class PreviewRollback(Exception):
    """Raised inside the transaction to undo a preview after reading what it wrote."""

    def __init__(self, posted: list[PostedLine], preview: dict[str, Any]) -> None:
        super().__init__("preview")
        self.transaction_nos = [p.transaction_no for p in posted]
        self.notes = tuple(n for p in posted for n in p.notes)
        self.preview = preview


@dataclass(frozen=True, slots=True)
class PostedLine:
    index: int
    entry_no: int | None
    bank_entry_no: int | None
    transaction_no: int
    notes: tuple[Note, ...] = ()


async def _balancing(
    conn: AsyncConnection, line: CashReceiptLine, where: list[str]
) -> tuple[str, str | None, str]:
    """(G/L account, bank account no. or None, bank currency) of the balancing account."""
    if line.bal_account_type == "GL_ACCOUNT":
        await require_gl_account(conn, line.bal_account_no, [*where, "balAccountNo"])
        return line.bal_account_no, None, ""
    if line.bal_account_type != "BANK_ACCOUNT":
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "balAccountType is BANK_ACCOUNT or GL_ACCOUNT",
            [*where, "balAccountType"],
        )
    bank = await get_bank_account(conn, line.bal_account_no)
    if bank is None:
        raise DomainError(
            ErrorCode.UNKNOWN_BANK_ACCOUNT,
            f"bank account {line.bal_account_no!r} does not exist",
            [*where, "balAccountNo"],
        )
    return bank.gl_account_no, bank.no, bank.currency_code


async def _bank_entry(
    conn: AsyncConnection,
    bank_no: str | None,
    line: CashReceiptLine,
    amount: Decimal,
    amount_lcy: Decimal,
    currency: str,
    tx: int,
) -> int | None:
    if bank_no is None:
        return None
    row = await conn.execute(
        sa.insert(BALE)
        .values(
            bank_account_no=bank_no,
            posting_date=line.posting_date,
            document_type=line.document_type,
            document_no=line.document_no,
            description=line.description,
            currency_code=currency,
            amount=amount,
            amount_lcy=amount_lcy,
            open=True,
            transaction_no=tx,
        )
        .returning(BALE.c.entry_no)
    )
    return int(row.scalar_one())


class _Batch:
    """Lookups a batch of journal lines repeats, loaded once per posting (same transaction)."""

    def __init__(self, conn: AsyncConnection, setup: CompanySetupRecord) -> None:
        self.conn = conn
        self.setup = setup
        self._customers: dict[str, CustomerRecord] = {}
        self._pricing: dict[tuple[str, date], Pricing] = {}
        self._balancing: dict[tuple[str, str], tuple[str, str | None, str]] = {}
        self._receivables: dict[str, dict[str, str]] = {}
        self._appl_setup: ApplicationSetup | None = None

    async def customer(self, no: str, field: list[str]) -> CustomerRecord:
        if no not in self._customers:
            self._customers[no] = await require_customer(self.conn, no, field)
        return self._customers[no]

    async def pricing(self, currency: str, on: date, field: list[str]) -> Pricing:
        if (currency, on) not in self._pricing:
            self._pricing[(currency, on)] = await pricing_for(
                self.conn, currency, on, field, self.setup
            )
        return self._pricing[(currency, on)]

    async def balancing(
        self, line: CashReceiptLine, where: list[str]
    ) -> tuple[str, str | None, str]:
        key = (line.bal_account_type, line.bal_account_no)
        if key not in self._balancing:
            self._balancing[key] = await _balancing(self.conn, line, where)
        return self._balancing[key]

    async def receivables(self, ledger: Ledger = CUSTOMERS) -> dict[str, str]:
        if ledger.name not in self._receivables:
            self._receivables[ledger.name] = await receivables_accounts(self.conn, ledger)
        return self._receivables[ledger.name]

    async def appl_setup(self) -> ApplicationSetup:
        if self._appl_setup is None:
            self._appl_setup = await application_setup(self.conn, self.setup)
        return self._appl_setup


def _check_sign(line: CashReceiptLine, where: list[str], ledger: Ledger) -> None:
    if line.amount == 0:
        raise DomainError(
            ErrorCode.INVALID_AMOUNT, "a journal line needs a non-zero amount", [*where, "amount"]
        )
    expected = ledger.payment_sign if line.document_type == "PAYMENT" else -ledger.payment_sign
    if line.document_type in ("PAYMENT", "REFUND") and line.amount * expected < 0:
        who = "from a customer" if ledger is CUSTOMERS else "to a vendor"
        raise DomainError(
            ErrorCode.WRONG_SIGN,
            f"BC sign convention: a payment {who} is "
            f"{'negative' if ledger.payment_sign < 0 else 'positive'}, a refund the opposite",
            [*where, "amount"],
        )


@dataclass(frozen=True, slots=True)
class _Party:
    no: str
    currency_code: str
    application_method: str
    posting_group: str


async def _targets(
    conn: AsyncConnection,
    line: CashReceiptLine,
    party: _Party,
    where: list[str],
    ledger: Ledger,
) -> tuple[list[ApplyTarget], dict[int, Any], ApplicationMethod] | None:
    if line.apply_to:
        locked = await lock_entries(conn, [a.entry_no for a in line.apply_to], ledger)
        targets = []
        for k, a in enumerate(line.apply_to):
            record = locked.get(a.entry_no)
            if record is None:
                raise not_found(a.entry_no, [*where, "applyTo", str(k), "entryNo"])
            targets.append(
                ApplyTarget(
                    state_of(record),
                    a.amount_to_apply,
                    a.accept_payment_discount_tolerance
                    if a.accept_payment_discount_tolerance is not None
                    else line.accept_payment_discount_tolerance,
                    a.accept_payment_tolerance
                    if a.accept_payment_tolerance is not None
                    else line.accept_payment_tolerance,
                )
            )
        return targets, locked, ApplicationMethod.APPLIES_TO_ID
    if line.applies_to_doc_no:
        doc_type = line.applies_to_doc_type or "INVOICE"
        t = ledger.entries
        row = (
            await conn.execute(
                sa.select(t.c.entry_no).where(
                    t.c[ledger.party_col] == party.no,
                    t.c.document_type == doc_type,
                    t.c.document_no == line.applies_to_doc_no,
                )
            )
        ).first()
        if row is None:
            raise DomainError(
                ErrorCode.UNKNOWN_APPLIES_TO_DOC,
                f"{ledger.name.lower()} {party.no} has no {doc_type.lower().replace('_', ' ')}"
                f" {line.applies_to_doc_no}",
                [*where, "appliesToDocNo"],
            )
        locked = await lock_entries(conn, [row.entry_no], ledger)
        target = ApplyTarget(
            state_of(locked[row.entry_no]),
            None,
            line.accept_payment_discount_tolerance,
            line.accept_payment_tolerance,
        )
        return [target], locked, ApplicationMethod.APPLIES_TO_DOC
    if party.application_method == "APPLY_TO_OLDEST":
        locked = await lock_open_entries(conn, party.no, ledger)
        sign = -1 if line.amount < 0 else 1
        candidates = sorted(
            (r for r in locked.values() if r.remaining_amount * sign < 0),
            key=lambda r: (r.due_date, r.posting_date, r.entry_no),
        )
        if not candidates:
            return None
        targets = [
            ApplyTarget(state_of(r), None, line.accept_payment_discount_tolerance)
            for r in candidates
        ]
        return targets, locked, ApplicationMethod.APPLY_TO_OLDEST
    return None


async def _party(batch: _Batch, line: CashReceiptLine, where: list[str]) -> tuple[Ledger, _Party]:
    if line.customer_no is not None:
        c = await batch.customer(line.customer_no, [*where, "customerNo"])
        return CUSTOMERS, _Party(
            c.no, c.currency_code, c.application_method, c.customer_posting_group
        )
    assert line.vendor_no is not None
    v = await require_vendor(batch.conn, line.vendor_no, [*where, "vendorNo"])
    return VENDORS, _Party(v.no, v.currency_code, v.application_method, v.vendor_posting_group)


async def _post_party_line(
    conn: AsyncConnection, index: int, line: CashReceiptLine, batch: _Batch
) -> PostedLine:
    """A payment or refund to a customer or a vendor: the same code for both ledgers."""
    where = ["input", "lines", str(index)]
    setup = batch.setup
    ledger, party = await _party(batch, line, where)
    _check_sign(line, where, ledger)
    currency = line.currency_code if line.currency_code is not None else party.currency_code
    price = await batch.pricing(currency, line.posting_date, [*where, "currencyCode"])
    check_precision(line.amount, price.precision, [*where, "amount"])
    gl_account, bank_no, bank_currency = await batch.balancing(line, where)
    if bank_no is not None and bank_currency and bank_currency != price.currency_code:
        raise DomainError(
            ErrorCode.CURRENCY_NOT_ALLOWED,
            f"bank account {bank_no} is in {bank_currency}; the line is in "
            f"{price.currency_code or setup.lcy_code}",
            [*where, "currencyCode"],
        )
    party_accounts = await batch.receivables(ledger)
    if party.posting_group not in party_accounts:
        raise DomainError(
            ErrorCode.UNKNOWN_POSTING_GROUP,
            f"posting group {party.posting_group!r} of {party.no} does not exist",
            [*where, "customerNo" if ledger is CUSTOMERS else "vendorNo"],
        )
    amount_lcy = round_amount(line.amount * price.rate, setup.amount_rounding_precision)
    tx = await next_transaction_no(conn)
    description = line.description or f"{line.document_type.title()} {line.document_no}"
    t = ledger.entries
    row = (
        await conn.execute(
            sa.insert(t)
            .values(
                {
                    ledger.party_col: party.no,
                    "posting_date": line.posting_date,
                    "document_date": line.posting_date,
                    "document_type": line.document_type,
                    "document_no": line.document_no,
                    "description": description,
                    "currency_code": price.currency_code,
                    "currency_factor": price.rate,
                    "amount": line.amount,
                    "amount_lcy": amount_lcy,
                    "remaining_amount": line.amount,
                    "remaining_amount_lcy": amount_lcy,
                    "open": True,
                    "due_date": line.posting_date,
                    ledger.group_col: party.posting_group,
                    "transaction_no": tx,
                }
            )
            .returning(*t.c)
        )
    ).one()
    payment = ledger.record(row)
    entry_no = payment.entry_no
    await conn.execute(
        sa.insert(ledger.detailed).values(
            {
                ledger.entry_fk: entry_no,
                ledger.party_col: party.no,
                "entry_type": "INITIAL_ENTRY",
                "posting_date": line.posting_date,
                "document_type": line.document_type,
                "document_no": line.document_no,
                "currency_code": price.currency_code,
                "amount": line.amount,
                "amount_lcy": amount_lcy,
                "transaction_no": tx,
            }
        )
    )
    await insert_gl(
        conn,
        [
            GlPostingLine(party_accounts[party.posting_group], amount_lcy, description),
            GlPostingLine(gl_account, -amount_lcy, description),
        ],
        posting_date=line.posting_date,
        document_type=line.document_type,
        document_no=line.document_no,
        transaction_no=tx,
        source_type=ledger.name,
        source_no=party.no,
    )
    bank_entry = await _bank_entry(
        conn, bank_no, line, -line.amount, -amount_lcy, price.currency_code, tx
    )
    chosen = await _targets(conn, line, party, where, ledger)
    notes: tuple[Note, ...] = ()
    if chosen is not None:
        targets, locked, method = chosen
        records = {**locked, entry_no: payment}
        currencies = {r.currency_code for r in records.values()}
        rates = await rates_on(conn, currencies, line.posting_date) if len(currencies) > 1 else {}
        result = apply(
            state_of(payment),
            targets,
            await batch.appl_setup(),
            line.posting_date,
            rates,
            application_id=await next_application_no(conn),
            method=method,
        )
        notes = result.notes
        await persist(
            conn,
            result,
            records,
            setup=setup,
            transaction_no=tx,
            document_type=line.document_type,
            document_no=line.document_no,
            description=description,
            receivables=party_accounts,
            ledger=ledger,
        )
    return PostedLine(index, entry_no, bank_entry, tx, notes)


async def _post_gl_line(
    conn: AsyncConnection, index: int, line: CashReceiptLine, batch: _Batch
) -> PostedLine:
    setup = batch.setup
    where = ["input", "lines", str(index)]
    assert line.gl_account_no is not None
    await require_gl_account(conn, line.gl_account_no, [*where, "glAccountNo"])
    if line.amount == 0:
        raise DomainError(
            ErrorCode.INVALID_AMOUNT, "a journal line needs a non-zero amount", [*where, "amount"]
        )
    price = await pricing_for(
        conn, line.currency_code or "", line.posting_date, [*where, "currencyCode"]
    )
    check_precision(line.amount, price.precision, [*where, "amount"])
    gl_account, bank_no, _ = await batch.balancing(line, where)
    amount_lcy = round_amount(line.amount * price.rate, setup.amount_rounding_precision)
    tx = await next_transaction_no(conn)
    description = line.description or line.document_no
    await insert_gl(
        conn,
        [
            GlPostingLine(line.gl_account_no, amount_lcy, description),
            GlPostingLine(gl_account, -amount_lcy, description),
        ],
        posting_date=line.posting_date,
        document_type=line.document_type,
        document_no=line.document_no,
        transaction_no=tx,
        source_type="GL_ACCOUNT",
        source_no=line.gl_account_no,
    )
    bank_entry = await _bank_entry(
        conn, bank_no, line, -line.amount, -amount_lcy, price.currency_code, tx
    )
    return PostedLine(index, None, bank_entry, tx)


async def post_lines(conn: AsyncConnection, lines: Sequence[CashReceiptLine]) -> list[PostedLine]:
    """Post every line inside the caller's transaction (raise DomainError on any bad line)."""
    if not lines:
        raise DomainError(ErrorCode.INVALID_INPUT, "give at least one line", ["input", "lines"])
    setup = await load_setup(conn)
    batch = _Batch(conn, setup)
    posted = []
    for i, line in enumerate(lines):
        where = ["input", "lines", str(i)]
        check_posting_date(line.posting_date, setup.allow_posting_from, setup.allow_posting_to)
        if not line.document_no.strip():
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                "a journal line needs a document no.",
                [*where, "documentNo"],
            )
        if line.document_type not in ("PAYMENT", "REFUND", ""):
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                "documentType is PAYMENT or REFUND",
                [*where, "documentType"],
            )
        accounts = [x for x in (line.customer_no, line.vendor_no, line.gl_account_no) if x]
        if len(accounts) != 1:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                "give exactly one of customerNo, vendorNo or glAccountNo",
                [*where, "customerNo"],
            )
        if line.customer_no or line.vendor_no:
            posted.append(await _post_party_line(conn, i, line, batch))
        else:
            posted.append(await _post_gl_line(conn, i, line, batch))
    return posted


def _note_json(note: Note) -> dict[str, Any]:
    return {
        "code": note.code.value,
        "message": note.message,
        "entryNo": note.entry_no,
        "amount": None if note.amount is None else str(note.amount),
        "currencyCode": note.currency_code,
    }


def _note_of(data: dict[str, Any]) -> Note:
    return Note(
        NoteCode(data["code"]),
        data["message"],
        data["entryNo"],
        None if data["amount"] is None else Decimal(data["amount"]),
        data["currencyCode"],
    )


@dataclass(frozen=True, slots=True)
class CashReceiptOutcome:
    entry_nos: list[int]
    transaction_nos: list[int]
    replayed: bool = False
    preview: dict[str, Any] | None = None
    notes: tuple[Note, ...] = ()


async def post_cash_receipt_lines(
    engine: AsyncEngine,
    lines: Sequence[CashReceiptLine],
    *,
    preview: bool = False,
    idempotency_key: str | None = None,
) -> CashReceiptOutcome:
    """Post all lines in one transaction; with preview, post, read back, and roll back."""
    from store.posting.preview import read_transactions

    async def work(uow: UnitOfWork) -> CashReceiptOutcome:
        if preview:
            posted = await post_lines(uow.conn, lines)
            txs = [p.transaction_no for p in posted]
            raise PreviewRollback(posted, await read_transactions(uow.conn, txs))

        async def once() -> dict[str, Any]:
            posted = await post_lines(uow.conn, lines)
            return {
                "entryNos": [p.entry_no for p in posted if p.entry_no is not None],
                "transactionNos": [p.transaction_no for p in posted],
                "notes": [_note_json(n) for p in posted for n in p.notes],
            }

        payload = [asdict(x) for x in lines]
        response = await idempotent(uow, "postCashReceiptLines", idempotency_key, payload, once)
        return CashReceiptOutcome(
            [int(n) for n in response["entryNos"]],
            [int(n) for n in response["transactionNos"]],
            bool(response.get("replayed", False)),
            notes=tuple(_note_of(n) for n in response.get("notes", [])),
        )

    try:
        return await run_in_transaction(engine, work)
    except PreviewRollback as rollback:
        return CashReceiptOutcome(
            [], rollback.transaction_nos, preview=rollback.preview, notes=rollback.notes
        )


async def post_draft(
    engine: AsyncEngine,
    journal_name: str,
    *,
    preview: bool = False,
    idempotency_key: str | None = None,
) -> CashReceiptOutcome:
    """Post every line of a saved journal in one transaction, then empty the journal."""
    from store.journals import clear_draft, load_draft
    from store.posting.preview import read_transactions

    async def work(uow: UnitOfWork) -> CashReceiptOutcome:
        async def once() -> dict[str, Any]:
            draft = await load_draft(uow.conn, journal_name)
            if draft is None or not draft.lines:
                raise DomainError(
                    ErrorCode.NOT_FOUND,
                    f"journal {journal_name!r} has no lines to post",
                    ["input", "journalName"],
                )
            posted = await post_lines(uow.conn, [d.line for d in draft.lines])
            if preview:
                txs = [p.transaction_no for p in posted]
                raise PreviewRollback(posted, await read_transactions(uow.conn, txs))
            await clear_draft(uow.conn, journal_name, [d.id for d in draft.lines])
            return {
                "entryNos": [p.entry_no for p in posted if p.entry_no is not None],
                "transactionNos": [p.transaction_no for p in posted],
            }

        key = None if preview else idempotency_key
        response = await idempotent(
            uow, "postCashReceiptJournal", key, {"journal": journal_name}, once
        )
        return CashReceiptOutcome(
            [int(n) for n in response["entryNos"]],
            [int(n) for n in response["transactionNos"]],
            bool(response.get("replayed", False)),
        )

    try:
        return await run_in_transaction(engine, work)
    except PreviewRollback as rollback:
        return CashReceiptOutcome(
            [], rollback.transaction_nos, preview=rollback.preview, notes=rollback.notes
        )
