"""The apply and unapply planners: what applying posted entries and undoing an application
post, from the facts alone (no database), for customers and vendors; BC's unapply order."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import DomainError, ErrorCode
from domain.ledger import Ledger, LedgerEntry
from domain.posting.apply_entries import ApplyRequest, plan_apply
from domain.posting.journal import ApplyToInput
from domain.posting.numbers import NumberPool
from domain.posting.posted_entries import Posted
from domain.posting.unapply_entries import application_to_undo, plan_unapply
from tests.unit.posting.factories import SETUP, invoice, ledger_facts, payment_entry
from tests.unit.posting.memory_ledger import MemoryLedger, pool

D = Decimal
DAY = date(2026, 3, 10)
SIGN = {Ledger.CUSTOMER: 1, Ledger.VENDOR: -1}  # of an invoice; a payment has the other


def _invoice(ledger: Ledger, entry_no: int, amount: str) -> LedgerEntry:
    party = "C1" if ledger is Ledger.CUSTOMER else "V1"
    return invoice(entry_no, str(SIGN[ledger] * D(amount)), party=party)


def _payment(ledger: Ledger, entry_no: int, amount: str) -> LedgerEntry:
    party = "C1" if ledger is Ledger.CUSTOMER else "V1"
    return payment_entry(entry_no, str(-SIGN[ledger] * D(amount)), party=party)


def _apply(book: MemoryLedger, numbers: NumberPool, entry_no: int, *targets: int) -> Posted:
    request = ApplyRequest(entry_no, tuple(ApplyToInput(t) for t in targets), DAY)
    locked = {n: book.entries[n] for n in request.entry_nos if n in book.entries}
    posted = plan_apply(request, locked, ledger_facts(book.ledger), numbers)
    book.write(posted.plan)
    book.check()
    return posted


def _unapply(book: MemoryLedger, numbers: NumberPool, entry_no: int) -> Posted:
    """What the store does: choose the application from the entry's detailed entries, lock
    the entries it touched, pass their standing detailed entries."""
    application_no = application_to_undo(entry_no, book.entries.get(entry_no), book.of([entry_no]))
    touched = book.touched_by([application_no])
    posted = plan_unapply(
        application_no, None, touched, book.of(touched), ledger_facts(book.ledger), numbers
    )
    book.write(posted.plan)
    book.check()
    return posted


@pytest.mark.parametrize("ledger", list(Ledger))
def test_an_application_closes_both_entries_under_the_applying_document(ledger: Ledger) -> None:
    book = MemoryLedger(_invoice(ledger, 1, "1000"), _payment(ledger, 2, "1000"), ledger=ledger)
    posted = _apply(book, pool(), 2, 1)
    assert posted.number == 200
    assert [(d.ledger_entry_no, d.entry_type, d.application_no) for d in posted.plan.detailed] == [
        (2, "APPLICATION", 200),
        (1, "APPLICATION", 200),
    ]
    assert {(d.document_no, d.transaction_no) for d in posted.plan.detailed} == {("PAY2", 100)}
    assert posted.plan.gl == ()  # one posting group: nothing moves in the G/L
    assert not book.entries[1].open
    assert not book.entries[2].open
    assert book.entries[1].closed_by_entry_no == 2
    assert book.entries[1].closed_at_date == DAY


def test_a_full_unapply_restores_every_entry_and_nets_the_gl_to_zero() -> None:
    """Payment 980 within the discount period closes invoice 1,000 with 20 discount."""
    discounted = replace(
        invoice(1, "1000"),
        pmt_discount_date=DAY,
        original_pmt_disc_possible=D(20),
        remaining_pmt_disc_possible=D(20),
    )
    book = MemoryLedger(discounted, payment_entry(2, "-980"))
    before = dict(book.entries)
    numbers = pool()
    applied = _apply(book, numbers, 2, 1)
    assert {(g.gl_account_no, g.amount) for g in applied.plan.gl} == {
        ("1200", D(-20)),
        ("4900", D(20)),
    }
    undone = _unapply(book, numbers, 2)
    assert undone.plan.unapplied == ((Ledger.CUSTOMER, applied.number),)
    assert {(d.document_no, d.unapplies_application_no) for d in undone.plan.detailed} == {
        ("PAY2", applied.number)
    }
    assert book.entries == before
    assert book.gl_by_account() == {}


def test_a_partial_unapply_undoes_the_last_application_only() -> None:
    book = MemoryLedger(invoice(1, "1000"), payment_entry(2, "-400"), payment_entry(3, "-100"))
    numbers = pool()
    _apply(book, numbers, 2, 1)
    _apply(book, numbers, 3, 1)
    assert book.entries[1].remaining_amount == D(500)
    _unapply(book, numbers, 3)
    assert book.entries[1].remaining_amount == D(600)
    assert (book.entries[3].remaining_amount, book.entries[3].open) == (D(-100), True)
    assert (book.entries[2].remaining_amount, book.entries[2].open) == (D(0), False)
    _unapply(book, numbers, 2)
    assert (book.entries[1].remaining_amount, book.entries[1].open) == (D(1000), True)
    with pytest.raises(DomainError) as again:
        _unapply(book, numbers, 2)
    assert again.value.code is ErrorCode.NOTHING_TO_UNAPPLY


@pytest.mark.parametrize("ledger", list(Ledger))
def test_an_application_is_not_unapplied_while_a_later_one_stands_on_its_invoice(
    ledger: Ledger,
) -> None:
    """Issue 20: invoice 1,000, P1 400 applied, P2 600 applied: P1 waits for P2 (BC)."""
    book = MemoryLedger(
        _invoice(ledger, 1, "1000"),
        _payment(ledger, 2, "400"),
        _payment(ledger, 3, "600"),
        ledger=ledger,
    )
    numbers = pool()
    _apply(book, numbers, 2, 1)
    second = _apply(book, numbers, 3, 1)
    with pytest.raises(DomainError) as refused:
        _unapply(book, numbers, 2)
    assert refused.value.code is ErrorCode.UNAPPLY_LATER_APPLICATION_FIRST
    assert "entry 1" in refused.value.message
    assert f"application {second.number}" in refused.value.message
    _unapply(book, numbers, 3)
    _unapply(book, numbers, 2)
    assert book.entries[1].remaining_amount == SIGN[ledger] * D(1000)
    assert book.entries[1].open


@pytest.mark.parametrize(
    ("request_", "code", "field"),
    [
        pytest.param(
            ApplyRequest(2, (ApplyToInput(1),), date(2025, 12, 31)),
            ErrorCode.POSTING_DATE_NOT_ALLOWED,
            ["postingDate"],
            id="before-the-window",
        ),
        pytest.param(ApplyRequest(2, (), DAY), ErrorCode.NOTHING_TO_APPLY, ["applyTo"], id="none"),
        pytest.param(
            ApplyRequest(9, (ApplyToInput(1),), DAY),
            ErrorCode.ENTRY_NOT_FOUND,
            ["entryNo"],
            id="unknown-entry",
        ),
        pytest.param(
            ApplyRequest(2, (ApplyToInput(1), ApplyToInput(9)), DAY),
            ErrorCode.ENTRY_NOT_FOUND,
            ["applyTo", "1", "entryNo"],
            id="unknown-target",
        ),
        pytest.param(
            ApplyRequest(2, (ApplyToInput(3),), DAY),
            ErrorCode.ENTRY_OF_OTHER_PARTY,
            None,
            id="other-party",
        ),
    ],
)
def test_a_bad_application_is_refused_naming_its_field(
    request_: ApplyRequest, code: ErrorCode, field: list[str] | None
) -> None:
    entries = {
        1: invoice(1, "100"),
        2: payment_entry(2, "-100"),
        3: invoice(3, "100", party="C2"),
    }
    facts = ledger_facts(setup=replace(SETUP, allow_posting_from=date(2026, 1, 1)))
    with pytest.raises(DomainError) as caught:
        plan_apply(request_, entries, facts, pool())
    assert caught.value.code is code
    if field is not None:
        assert caught.value.field == field


def test_unapplying_an_entry_without_an_application_is_refused() -> None:
    book = MemoryLedger(invoice(1, "100"))
    with pytest.raises(DomainError) as nothing:
        application_to_undo(1, book.entries[1], book.of([1]))
    with pytest.raises(DomainError) as missing:
        application_to_undo(9, None, [])
    assert (nothing.value.code, nothing.value.field) == (ErrorCode.NOTHING_TO_UNAPPLY, ["entryNo"])
    assert (missing.value.code, missing.value.field) == (ErrorCode.ENTRY_NOT_FOUND, ["entryNo"])


def test_an_unapply_before_the_posting_window_is_refused() -> None:
    book = MemoryLedger(invoice(1, "100"), payment_entry(2, "-100"))
    numbers = pool()
    applied = _apply(book, numbers, 2, 1)
    closed = ledger_facts(setup=replace(SETUP, allow_posting_to=date(2026, 3, 1)))
    touched = book.touched_by([applied.number])
    with pytest.raises(DomainError) as caught:
        plan_unapply(applied.number, None, touched, book.of(touched), closed, numbers)
    assert (caught.value.code, caught.value.field) == (
        ErrorCode.POSTING_DATE_NOT_ALLOWED,
        ["postingDate"],
    )


@given(
    ledger=st.sampled_from(list(Ledger)),
    amounts=st.lists(st.integers(min_value=1, max_value=200_000), min_size=1, max_size=5),
    paid=st.integers(min_value=1, max_value=600_000),
)
def test_apply_then_unapply_restores_every_entry_and_the_gl_nets_to_zero(
    ledger: Ledger, amounts: list[int], paid: int
) -> None:
    invoices = [_invoice(ledger, i + 1, str(D(a) / 100)) for i, a in enumerate(amounts)]
    pay = _payment(ledger, 99, str(D(paid) / 100))
    book = MemoryLedger(*invoices, pay, ledger=ledger)
    before = dict(book.entries)
    numbers = pool()
    _apply(book, numbers, 99, *(e.entry_no for e in invoices))
    _unapply(book, numbers, 99)
    assert book.entries == before
    assert book.gl_by_account() == {}
