"""Posting a cash receipt journal line: a payment or refund of a customer or a vendor (or a G/L
line) against a bank or G/L account, applied by the engine to what the line names, or to the
party's oldest entries. A pure function of the line, the batch's facts and the entries as the
lines before it left them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from domain.application import (
    ApplicationMethod,
    ApplicationSetup,
    ApplyTarget,
    apply,
    select_oldest,
)
from domain.company import CompanySetup
from domain.errors import DomainError, ErrorCode
from domain.ledger import Ledger, LedgerEntry
from domain.money import check_precision, round_amount
from domain.posting.batch import Batch, DocumentKey, LinePlan
from domain.posting.booking import booked, detailed_rows, entry_state
from domain.posting.gl import application_gl, gl_rows
from domain.posting.journal import ApplyToInput, CashReceiptLine, check_amount, check_sign
from domain.posting.numbers import APPLICATION, BANK_ENTRY, TRANSACTION, NumberPool
from domain.posting.pricing import Currency, Pricing, pricing, rates_on
from domain.posting.rows import BankRow, DetailedRow
from domain.sales_posting import GlPostingLine

ZERO = Decimal(0)
APPLY_TO_OLDEST = "APPLY_TO_OLDEST"


@dataclass(frozen=True, slots=True)
class Party:
    no: str
    currency_code: str
    application_method: str
    posting_group: str


@dataclass(frozen=True, slots=True)
class BankAccount:
    no: str
    gl_account_no: str
    currency_code: str


@dataclass(frozen=True, slots=True)
class ReceiptFacts:
    """What the store loaded for a batch: setup, parties, accounts, currencies with rates."""

    setup: CompanySetup
    application: ApplicationSetup
    parties: Mapping[Ledger, Mapping[str, Party]]
    party_accounts: Mapping[Ledger, Mapping[str, str]]  # posting group -> G/L account
    banks: Mapping[str, BankAccount]
    gl_accounts: frozenset[str]
    currencies: Mapping[str, Currency]


# -- what the store must load and lock before planning -------------------------------------


def document_keys(lines: Iterable[CashReceiptLine], ledger: Ledger) -> set[DocumentKey]:
    """The posted documents the lines of ``ledger`` name by applies-to doc. type and no."""
    return {
        (x.party_no, x.applies_to_doc_type or "INVOICE", x.applies_to_doc_no)
        for x in lines
        if x.ledger is ledger and not x.apply_to and x.applies_to_doc_no
    }


def oldest_parties(
    lines: Iterable[CashReceiptLine], ledger: Ledger, parties: Mapping[str, Party]
) -> list[str]:
    """Parties of ``ledger`` whose lines go to their oldest open entries (lock them all)."""
    return [
        x.party_no
        for x in lines
        if x.ledger is ledger
        and x.may_apply_to_oldest
        and (p := parties.get(x.party_no)) is not None
        and p.application_method == APPLY_TO_OLDEST
    ]


def numbers_needed(
    lines: Sequence[CashReceiptLine], parties: Mapping[Ledger, Mapping[str, Party]]
) -> dict[str, int]:
    """How many numbers of each kind the lines may take."""
    oldest = sum(len(oldest_parties(lines, x, parties.get(x, {}))) for x in Ledger)
    named = sum(1 for x in lines if x.ledger is not None and not x.may_apply_to_oldest)
    return {
        TRANSACTION: len(lines),
        APPLICATION: oldest + named,
        Ledger.CUSTOMER.value: sum(1 for x in lines if x.ledger is Ledger.CUSTOMER),
        Ledger.VENDOR.value: sum(1 for x in lines if x.ledger is Ledger.VENDOR),
        BANK_ENTRY: sum(1 for x in lines if x.bal_account_type == "BANK_ACCOUNT"),
    }


def currencies_needed(
    lines: Iterable[CashReceiptLine],
    parties: Mapping[Ledger, Mapping[str, Party]],
    entries: Iterable[LedgerEntry],
) -> set[str]:
    """Currencies whose exchange rates a batch may need."""
    codes = {x.currency_code for x in lines if x.currency_code}
    codes |= {p.currency_code for by_no in parties.values() for p in by_no.values()}
    codes |= {e.currency_code for e in entries}
    return {c for c in codes if c}


# -- planning a line ---------------------------------------------------------------------


def plan_receipt_line(
    line: CashReceiptLine, index: int, facts: ReceiptFacts, batch: Batch, numbers: NumberPool
) -> LinePlan:
    """The rows line ``index`` posts (errors name the line by ``index``)."""
    ledger = line.ledger
    if ledger is None:
        return _plan_gl_line(line, index, facts, numbers)
    return _plan_party_line(line, index, ledger, facts, batch, numbers)


def _party(line: CashReceiptLine, index: int, ledger: Ledger, facts: ReceiptFacts) -> Party:
    no = line.party_no
    found = facts.parties.get(ledger, {}).get(no)
    if found is None:
        if ledger is Ledger.CUSTOMER:
            raise DomainError(
                ErrorCode.UNKNOWN_CUSTOMER,
                f"customer {no!r} does not exist",
                ["customerNo"],
                index=index,
            )
        raise DomainError(
            ErrorCode.UNKNOWN_VENDOR, f"vendor {no!r} does not exist", ["vendorNo"], index=index
        )
    return found


def _require_gl_account(no: str, field: str, index: int, facts: ReceiptFacts) -> None:
    if no not in facts.gl_accounts:
        raise DomainError(
            ErrorCode.UNKNOWN_GL_ACCOUNT, f"G/L account {no!r} does not exist", [field], index=index
        )


def _balancing(
    line: CashReceiptLine, index: int, facts: ReceiptFacts
) -> tuple[str, BankAccount | None]:
    """The G/L account of the balancing account, and the bank account when it is one."""
    if line.bal_account_type == "GL_ACCOUNT":
        _require_gl_account(line.bal_account_no, "balAccountNo", index, facts)
        return line.bal_account_no, None
    if line.bal_account_type != "BANK_ACCOUNT":
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "balAccountType is BANK_ACCOUNT or GL_ACCOUNT",
            ["balAccountType"],
            index=index,
        )
    bank = facts.banks.get(line.bal_account_no)
    if bank is None:
        raise DomainError(
            ErrorCode.UNKNOWN_BANK_ACCOUNT,
            f"bank account {line.bal_account_no!r} does not exist",
            ["balAccountNo"],
            index=index,
        )
    return bank.gl_account_no, bank


def _priced(
    line: CashReceiptLine, index: int, currency: str, facts: ReceiptFacts
) -> tuple[Pricing, Decimal]:
    """The line's pricing and its amount in LCY; the amount fits the currency's rounding."""
    price = pricing(facts.setup, currency, line.posting_date, facts.currencies, index=index)
    try:
        check_precision(line.amount, price.precision, ["amount"])
    except DomainError as exc:
        raise exc.at(index) from None
    return price, round_amount(line.amount * price.rate, facts.setup.amount_rounding_precision)


def _bank_row(
    bank: BankAccount | None,
    line: CashReceiptLine,
    amount_lcy: Decimal,
    currency: str,
    tx: int,
    numbers: NumberPool,
) -> BankRow | None:
    """Money in is a credit of the party and a debit of the bank, so the bank entry is the
    opposite of the line."""
    if bank is None:
        return None
    return BankRow(
        numbers.take(BANK_ENTRY),
        bank.no,
        line.posting_date,
        line.document_type,
        line.document_no,
        line.description,
        currency,
        -line.amount,
        -amount_lcy,
        True,
        tx,
    )


def _plan_gl_line(
    line: CashReceiptLine, index: int, facts: ReceiptFacts, numbers: NumberPool
) -> LinePlan:
    assert line.gl_account_no is not None
    _require_gl_account(line.gl_account_no, "glAccountNo", index, facts)
    check_amount(line, index)
    price, amount_lcy = _priced(line, index, line.currency_code or "", facts)
    gl_account, bank = _balancing(line, index, facts)
    tx = numbers.take(TRANSACTION)
    description = line.description or line.document_no
    gl = gl_rows(
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
    bank_row = _bank_row(bank, line, amount_lcy, price.currency_code, tx, numbers)
    return LinePlan(
        index,
        None,
        tx,
        bank_entry_no=None if bank_row is None else bank_row.entry_no,
        gl=gl,
        bank=bank_row,
    )


def _payment(
    entry_no: int,
    line: CashReceiptLine,
    party: Party,
    price: Pricing,
    amount_lcy: Decimal,
    description: str,
) -> LedgerEntry:
    """The new payment or refund entry, as it is before any application."""
    return LedgerEntry(
        entry_no=entry_no,
        party_no=party.no,
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
        original_pmt_disc_possible=ZERO,
        remaining_pmt_disc_possible=ZERO,
        max_payment_tolerance=ZERO,
        unrealized_lcy=ZERO,
        posting_group=party.posting_group,
        closed_by_entry_no=None,
        closed_at_date=None,
        reversed=False,
    )


def _plan_party_line(
    line: CashReceiptLine,
    index: int,
    ledger: Ledger,
    facts: ReceiptFacts,
    batch: Batch,
    numbers: NumberPool,
) -> LinePlan:
    """A payment or refund to a customer or a vendor: the same rules for both ledgers."""
    setup = facts.setup
    party = _party(line, index, ledger, facts)
    check_sign(line, index, ledger)
    currency = line.currency_code if line.currency_code is not None else party.currency_code
    price, amount_lcy = _priced(line, index, currency, facts)
    gl_account, bank = _balancing(line, index, facts)
    if bank is not None and bank.currency_code and bank.currency_code != price.currency_code:
        raise DomainError(
            ErrorCode.CURRENCY_NOT_ALLOWED,
            f"bank account {bank.no} is in {bank.currency_code}; the line is in "
            f"{price.currency_code or setup.lcy_code}",
            ["currencyCode"],
            index=index,
        )
    party_accounts = facts.party_accounts[ledger]
    if party.posting_group not in party_accounts:
        raise DomainError(
            ErrorCode.UNKNOWN_POSTING_GROUP,
            f"posting group {party.posting_group!r} of {party.no} does not exist",
            ["customerNo" if ledger is Ledger.CUSTOMER else "vendorNo"],
            index=index,
        )
    tx = numbers.take(TRANSACTION)
    description = line.description or f"{line.document_type.title()} {line.document_no}"
    payment = _payment(numbers.take(ledger.value), line, party, price, amount_lcy, description)
    detailed = [
        DetailedRow(
            ledger,
            payment.entry_no,
            party.no,
            "INITIAL_ENTRY",
            line.posting_date,
            line.document_type,
            line.document_no,
            price.currency_code,
            line.amount,
            amount_lcy,
            None,
            None,
            ZERO,
            False,
            None,
            tx,
        )
    ]
    gl = gl_rows(
        [
            GlPostingLine(party_accounts[party.posting_group], amount_lcy, description),
            GlPostingLine(gl_account, -amount_lcy, description),
        ],
        posting_date=line.posting_date,
        document_type=line.document_type,
        document_no=line.document_no,
        transaction_no=tx,
        source_type=ledger.value,
        source_no=party.no,
    )
    bank_row = _bank_row(bank, line, amount_lcy, price.currency_code, tx, numbers)
    plan = LinePlan(
        index,
        ledger,
        tx,
        entry=payment,
        bank_entry_no=None if bank_row is None else bank_row.entry_no,
        detailed=detailed,
        gl=gl,
        bank=bank_row,
    )
    chosen = _targets(line, index, ledger, party, payment, batch, facts)
    if chosen is None:
        return plan
    targets, method = chosen
    currencies = {t.entry.currency_code for t in targets} | {payment.currency_code}
    rates = (
        rates_on(facts.currencies, list(currencies), line.posting_date)
        if len(currencies) > 1
        else {}
    )
    try:
        result = apply(
            entry_state(payment),
            targets,
            facts.application,
            line.posting_date,
            rates,
            application_id=numbers.take(APPLICATION),
            method=method,
        )
    except DomainError as exc:
        raise _on_line(exc, index, method) from exc
    entries: dict[int, LedgerEntry] = {payment.entry_no: payment}
    for t in targets:
        entry = batch.entry(ledger, t.entry.entry_no)
        assert entry is not None
        entries[entry.entry_no] = entry
    detailed += detailed_rows(
        result,
        entries,
        ledger=ledger,
        transaction_no=tx,
        document_type=line.document_type,
        document_no=line.document_no,
    )
    if result.gl:
        gl += gl_rows(
            application_gl(
                result,
                entries,
                setup=setup,
                description=description,
                party_accounts=party_accounts,
            ),
            posting_date=result.detailed[0].posting_date,
            document_type=line.document_type,
            document_no=line.document_no,
            transaction_no=tx,
            source_type=ledger.value,
            source_no=party.no,
        )
    changed = booked(result, entries)
    return LinePlan(
        index,
        ledger,
        tx,
        entry=payment,
        bank_entry_no=plan.bank_entry_no,
        changed=changed,
        detailed=detailed,
        gl=gl,
        bank=bank_row,
        notes=result.notes,
    )


def _target(entry: LedgerEntry, line: CashReceiptLine, a: ApplyToInput) -> ApplyTarget:
    """An applyTo item's accept flags override the line's."""
    return ApplyTarget(
        entry_state(entry),
        a.amount_to_apply,
        a.accept_payment_discount_tolerance
        if a.accept_payment_discount_tolerance is not None
        else line.accept_payment_discount_tolerance,
        a.accept_payment_tolerance
        if a.accept_payment_tolerance is not None
        else line.accept_payment_tolerance,
    )


def _targets(
    line: CashReceiptLine,
    index: int,
    ledger: Ledger,
    party: Party,
    payment: LedgerEntry,
    batch: Batch,
    facts: ReceiptFacts,
) -> tuple[list[ApplyTarget], ApplicationMethod] | None:
    """What the line applies to: the entries it names by applies-to ID (applyTo) or
    applies-to doc., else, for an apply-to-oldest party, its oldest open entries."""
    if line.apply_to:
        targets = []
        for k, a in enumerate(line.apply_to):
            entry = batch.entry(ledger, a.entry_no)
            if entry is None:
                raise DomainError(
                    ErrorCode.ENTRY_NOT_FOUND,
                    f"ledger entry {a.entry_no} does not exist",
                    ["applyTo", str(k), "entryNo"],
                    index=index,
                )
            targets.append(_target(entry, line, a))
        return targets, ApplicationMethod.APPLIES_TO_ID
    if line.applies_to_doc_no:
        doc_type = line.applies_to_doc_type or "INVOICE"
        entry_no = batch.document(ledger, (party.no, doc_type, line.applies_to_doc_no))
        if entry_no is None:
            raise DomainError(
                ErrorCode.UNKNOWN_APPLIES_TO_DOC,
                f"{ledger.word} {party.no} has no {doc_type.lower().replace('_', ' ')}"
                f" {line.applies_to_doc_no}",
                ["appliesToDocNo"],
                index=index,
            )
        entry = batch.entry(ledger, entry_no)
        assert entry is not None
        target = ApplyTarget(
            entry_state(entry),
            None,
            line.accept_payment_discount_tolerance,
            line.accept_payment_tolerance,
        )
        return [target], ApplicationMethod.APPLIES_TO_DOC
    if party.application_method == APPLY_TO_OLDEST:
        oldest = select_oldest(
            (entry_state(e) for e in batch.open_entries(ledger, party.no)),
            entry_state(payment),
            facts.application,
            accept_pmt_disc_tolerance=line.accept_payment_discount_tolerance,
        )
        if not oldest:
            return None
        return list(oldest), ApplicationMethod.APPLY_TO_OLDEST
    return None


def _on_line(exc: DomainError, index: int, method: ApplicationMethod) -> DomainError:
    """The engine names its own targets (``applyTo``): with applies-to doc. the target is the
    line's `appliesToDocNo`; apply-to-oldest targets are not in the request at all."""
    field = list(exc.field or [])
    if field[:1] == ["applyTo"] and method is not ApplicationMethod.APPLIES_TO_ID:
        field = ["appliesToDocNo"] if method is ApplicationMethod.APPLIES_TO_DOC else []
    return DomainError(exc.code, exc.message, field, index=index)
