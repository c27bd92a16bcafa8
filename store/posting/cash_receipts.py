"""Cash receipt journal posting: payments and refunds to customers (or G/L lines) against a
bank or G/L account, applied by the engine, all lines in one transaction or none."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain.application import (
    ApplicationMethod,
    ApplyTarget,
    Note,
    NoteCode,
    apply,
)
from domain.errors import DomainError, ErrorCode
from domain.immutable import immutable
from domain.money import check_precision, round_amount
from domain.sales_posting import GlPostingLine, check_posting_date
from store.idempotency import idempotent
from store.posting import receipt_batch
from store.posting.applications import not_found, state_of
from store.posting.journals import ApplyToInput, CashReceiptLine
from store.posting.ledgers import CUSTOMERS, VENDORS, Ledger
from store.posting.receipt_batch import Party, ReceiptBatch
from store.posting.sales import Pricing
from store.posting.writer import APPLICATION_NOS, TRANSACTION_NOS
from store.records import CompanySetupRecord, LedgerEntryRecord
from store.setup import load_setup
from store.uow import UnitOfWork, run_in_transaction


class PreviewRollback(Exception):
    """Raised inside the transaction to undo a preview after reading what it wrote."""

    def __init__(self, posted: list[PostedLine], preview: dict[str, Any]) -> None:
        super().__init__("preview")
        self.transaction_nos = [p.transaction_no for p in posted]
        self.notes = tuple(n for p in posted for n in p.notes)
        self.preview = preview


@immutable
class PostedLine:
    index: int
    entry_no: int | None  # on the line's ledger (customer or vendor); None for a G/L line
    bank_entry_no: int | None
    transaction_no: int
    notes: tuple[Note, ...] = ()
    vendor: bool = False


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


def _target(record: LedgerEntryRecord, line: CashReceiptLine, a: ApplyToInput) -> ApplyTarget:
    return ApplyTarget(
        state_of(record),
        a.amount_to_apply,
        a.accept_payment_discount_tolerance
        if a.accept_payment_discount_tolerance is not None
        else line.accept_payment_discount_tolerance,
        a.accept_payment_tolerance
        if a.accept_payment_tolerance is not None
        else line.accept_payment_tolerance,
    )


def _targets(
    batch: ReceiptBatch, line: CashReceiptLine, party: Party, where: list[str], ledger: Ledger
) -> tuple[list[ApplyTarget], ApplicationMethod] | None:
    """What the line applies to, from the batch's locked entries as they stand now."""
    records = batch.entries[ledger.name]
    if line.apply_to:
        targets = []
        for k, a in enumerate(line.apply_to):
            record = records.get(a.entry_no)
            if record is None:
                raise not_found(a.entry_no, [*where, "applyTo", str(k), "entryNo"])
            targets.append(_target(record, line, a))
        return targets, ApplicationMethod.APPLIES_TO_ID
    if line.applies_to_doc_no:
        doc_type = line.applies_to_doc_type or "INVOICE"
        entry_no = batch.document(ledger, party.no, doc_type, line.applies_to_doc_no)
        if entry_no is None:
            raise DomainError(
                ErrorCode.UNKNOWN_APPLIES_TO_DOC,
                f"{ledger.name.lower()} {party.no} has no {doc_type.lower().replace('_', ' ')}"
                f" {line.applies_to_doc_no}",
                [*where, "appliesToDocNo"],
            )
        target = ApplyTarget(
            state_of(records[entry_no]),
            None,
            line.accept_payment_discount_tolerance,
            line.accept_payment_tolerance,
        )
        return [target], ApplicationMethod.APPLIES_TO_DOC
    if party.application_method == "APPLY_TO_OLDEST":
        sign = -1 if line.amount < 0 else 1
        candidates = sorted(
            (r for r in batch.open_entries(ledger, party.no) if r.remaining_amount * sign < 0),
            key=lambda r: (r.due_date, r.posting_date, r.entry_no),
        )
        if not candidates:
            return None
        targets = [
            ApplyTarget(state_of(r), None, line.accept_payment_discount_tolerance)
            for r in candidates
        ]
        return targets, ApplicationMethod.APPLY_TO_OLDEST
    return None


def _on_line(exc: DomainError, where: list[str], method: ApplicationMethod) -> DomainError:
    """Name the journal line in an engine error (the engine speaks of its own inputs): with
    applies-to doc. the target is `appliesToDocNo`; apply-to-oldest targets are not input."""
    field = [str(f) for f in exc.field or []]
    if field[:1] == ["applyTo"] and method is not ApplicationMethod.APPLIES_TO_ID:
        field = ["appliesToDocNo"] if method is ApplicationMethod.APPLIES_TO_DOC else []
    return DomainError(exc.code, exc.message, [*where, *field])


def _payment(
    entry_no: int,
    line: CashReceiptLine,
    party: Party,
    price: Pricing,
    amount_lcy: Decimal,
    description: str,
) -> LedgerEntryRecord:
    """The new payment or refund entry, as it is inserted before any application."""
    zero = Decimal(0)
    return LedgerEntryRecord(
        entry_no=entry_no,
        customer_no=party.no,
        posting_date=line.posting_date,
        document_date=line.posting_date,
        document_type=line.document_type,
        document_no=line.document_no,
        external_document_no="",
        description=description,
        currency_code=price.currency_code,
        currency_factor=price.rate,
        amount=line.amount,
        amount_lcy=amount_lcy,
        remaining_amount=line.amount,
        remaining_amount_lcy=amount_lcy,
        open=True,
        due_date=line.posting_date,
        pmt_discount_date=None,
        pmt_disc_tolerance_date=None,
        original_pmt_disc_possible=zero,
        remaining_pmt_disc_possible=zero,
        max_payment_tolerance=zero,
        unrealized_lcy=zero,
        customer_posting_group=party.posting_group,
        closed_by_entry_no=None,
        closed_at_date=None,
        reversed=False,
    )


def _bank_entry(
    batch: ReceiptBatch,
    bank_no: str | None,
    line: CashReceiptLine,
    amount_lcy: Decimal,
    currency: str,
    tx: int,
) -> int | None:
    if bank_no is None:
        return None
    return batch.add_bank(
        {
            "bank_account_no": bank_no,
            "posting_date": line.posting_date,
            "document_type": line.document_type,
            "document_no": line.document_no,
            "description": line.description,
            "currency_code": currency,
            "amount": -line.amount,
            "amount_lcy": -amount_lcy,
            "open": True,
            "transaction_no": tx,
        }
    )


async def _post_party_line(index: int, line: CashReceiptLine, batch: ReceiptBatch) -> PostedLine:
    """A payment or refund to a customer or a vendor: the same code for both ledgers."""
    where = ["lines", str(index)]
    setup = batch.setup
    ledger, party = batch.party(line, where)
    _check_sign(line, where, ledger)
    currency = line.currency_code if line.currency_code is not None else party.currency_code
    price = await batch.pricing(currency, line.posting_date, [*where, "currencyCode"])
    check_precision(line.amount, price.precision, [*where, "amount"])
    gl_account, bank_no, bank_currency = batch.balancing(line, where)
    if bank_no is not None and bank_currency and bank_currency != price.currency_code:
        raise DomainError(
            ErrorCode.CURRENCY_NOT_ALLOWED,
            f"bank account {bank_no} is in {bank_currency}; the line is in "
            f"{price.currency_code or setup.lcy_code}",
            [*where, "currencyCode"],
        )
    party_accounts = batch.receivables(ledger)
    if party.posting_group not in party_accounts:
        raise DomainError(
            ErrorCode.UNKNOWN_POSTING_GROUP,
            f"posting group {party.posting_group!r} of {party.no} does not exist",
            [*where, "customerNo" if ledger is CUSTOMERS else "vendorNo"],
        )
    amount_lcy = round_amount(line.amount * price.rate, setup.amount_rounding_precision)
    tx = batch.number(TRANSACTION_NOS)
    description = line.description or f"{line.document_type.title()} {line.document_no}"
    payment = _payment(batch.number(ledger.entries), line, party, price, amount_lcy, description)
    entry_no = payment.entry_no
    batch.add_entry(ledger, payment, tx)
    batch.add_detailed(
        ledger,
        [
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
                ledger.applied_col: None,
                "application_no": None,
                "pmt_disc_possible_delta": Decimal(0),
                "unapplied": False,
                "unapplies_application_no": None,
                "transaction_no": tx,
            }
        ],
    )
    batch.add_gl(
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
    bank_entry = _bank_entry(batch, bank_no, line, amount_lcy, price.currency_code, tx)
    chosen = _targets(batch, line, party, where, ledger)
    notes: tuple[Note, ...] = ()
    if chosen is not None:
        targets, method = chosen
        currencies = {t.entry.currency_code for t in targets} | {payment.currency_code}
        rates = await batch.rates(currencies, line.posting_date) if len(currencies) > 1 else {}
        try:
            result = apply(
                state_of(payment),
                targets,
                await batch.appl_setup(),
                line.posting_date,
                rates,
                application_id=batch.number(APPLICATION_NOS),
                method=method,
            )
        except DomainError as exc:
            raise _on_line(exc, where, method) from exc
        notes = result.notes
        batch.add_result(
            ledger,
            result,
            transaction_no=tx,
            document_type=line.document_type,
            document_no=line.document_no,
            description=description,
            source_no=party.no,
        )
    return PostedLine(index, entry_no, bank_entry, tx, notes, vendor=ledger is VENDORS)


async def _post_gl_line(index: int, line: CashReceiptLine, batch: ReceiptBatch) -> PostedLine:
    setup = batch.setup
    where = ["lines", str(index)]
    assert line.gl_account_no is not None
    batch.require_gl_account(line.gl_account_no, [*where, "glAccountNo"])
    if line.amount == 0:
        raise DomainError(
            ErrorCode.INVALID_AMOUNT, "a journal line needs a non-zero amount", [*where, "amount"]
        )
    price = await batch.pricing(
        line.currency_code or "", line.posting_date, [*where, "currencyCode"]
    )
    check_precision(line.amount, price.precision, [*where, "amount"])
    gl_account, bank_no, _ = batch.balancing(line, where)
    amount_lcy = round_amount(line.amount * price.rate, setup.amount_rounding_precision)
    tx = batch.number(TRANSACTION_NOS)
    description = line.description or line.document_no
    batch.add_gl(
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
    bank_entry = _bank_entry(batch, bank_no, line, amount_lcy, price.currency_code, tx)
    return PostedLine(index, None, bank_entry, tx)


def _check_line(line: CashReceiptLine, where: list[str], setup: CompanySetupRecord) -> None:
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


async def post_lines(conn: AsyncConnection, lines: Sequence[CashReceiptLine]) -> list[PostedLine]:
    """Post every line inside the caller's transaction (raise DomainError on any bad line).

    The lines post in order against the batch's locked entries in memory; their rows go in
    every `WRITE_EVERY` lines while the next are computed (a bad line raises before the
    transaction commits, so nothing of the batch stays)."""
    if not lines:
        raise DomainError(ErrorCode.INVALID_INPUT, "give at least one line", ["lines"])
    setup = await load_setup(conn)
    batch = await ReceiptBatch.open(conn, setup, lines)
    posted = []
    every = receipt_batch.WRITE_EVERY
    try:
        for i, line in enumerate(lines):
            _check_line(line, ["lines", str(i)], setup)
            if line.customer_no or line.vendor_no:
                posted.append(await _post_party_line(i, line, batch))
            else:
                posted.append(await _post_gl_line(i, line, batch))
            if (i + 1) % every == 0 and len(lines) - i > every // 2:
                await batch.write_so_far()
            elif batch.writing:
                await asyncio.sleep(0)  # the rows being written go on to the database
    except BaseException:
        with contextlib.suppress(Exception):  # the line's own error is the one to report
            await batch.settle()
        raise
    await batch.write()
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
    entry_nos: list[int]  # customer ledger entries
    transaction_nos: list[int]
    replayed: bool = False
    preview: dict[str, Any] | None = None
    notes: tuple[Note, ...] = ()
    vendor_entry_nos: list[int] = field(default_factory=list)

    @classmethod
    def posted(cls, posted: Sequence[PostedLine]) -> CashReceiptOutcome:
        return cls(
            [p.entry_no for p in posted if p.entry_no is not None and not p.vendor],
            [p.transaction_no for p in posted],
            notes=tuple(n for p in posted for n in p.notes),
            vendor_entry_nos=[p.entry_no for p in posted if p.entry_no is not None and p.vendor],
        )

    def stored(self) -> dict[str, Any]:
        """What an idempotent replay returns: the JSON form of the outcome."""
        return {
            "entryNos": self.entry_nos,
            "vendorEntryNos": self.vendor_entry_nos,
            "transactionNos": self.transaction_nos,
            "notes": [_note_json(n) for n in self.notes],
        }

    @classmethod
    def of(cls, response: dict[str, Any]) -> CashReceiptOutcome:
        return cls(
            [int(n) for n in response["entryNos"]],
            [int(n) for n in response["transactionNos"]],
            bool(response.get("replayed", False)),
            notes=tuple(_note_of(n) for n in response.get("notes", [])),
            vendor_entry_nos=[int(n) for n in response.get("vendorEntryNos", [])],
        )


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

        if idempotency_key is None:  # no replay to store: skip the JSON form
            return CashReceiptOutcome.posted(await post_lines(uow.conn, lines))

        async def once() -> dict[str, Any]:
            return CashReceiptOutcome.posted(await post_lines(uow.conn, lines)).stored()

        payload = [asdict(x) for x in lines]
        response = await idempotent(uow, "postCashReceiptLines", idempotency_key, payload, once)
        return CashReceiptOutcome.of(response)

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
    from store.posting.journals import clear_draft, load_draft
    from store.posting.preview import read_transactions

    async def work(uow: UnitOfWork) -> CashReceiptOutcome:
        async def once() -> dict[str, Any]:
            draft = await load_draft(uow.conn, journal_name)
            if draft is None or not draft.lines:
                raise DomainError(
                    ErrorCode.NOT_FOUND,
                    f"journal {journal_name!r} has no lines to post",
                    ["journalName"],
                )
            posted = await post_lines(uow.conn, [d.line for d in draft.lines])
            if preview:
                txs = [p.transaction_no for p in posted]
                raise PreviewRollback(posted, await read_transactions(uow.conn, txs))
            await clear_draft(uow.conn, journal_name, [d.id for d in draft.lines])
            return CashReceiptOutcome.posted(posted).stored()

        key = None if preview else idempotency_key
        response = await idempotent(
            uow, "postCashReceiptJournal", key, {"journal": journal_name}, once
        )
        return CashReceiptOutcome.of(response)

    try:
        return await run_in_transaction(engine, work)
    except PreviewRollback as rollback:
        return CashReceiptOutcome(
            [], rollback.transaction_nos, preview=rollback.preview, notes=rollback.notes
        )
