"""The reversal planner: a payment through the bank is unapplied, then cancelled by an opposite
entry against the bank's account with an opposite bank entry; BC's unapply order holds."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from domain.errors import DomainError, ErrorCode
from domain.ledger import Ledger
from domain.posting.apply_entries import ApplyRequest, plan_apply
from domain.posting.journal import ApplyToInput
from domain.posting.numbers import APPLICATION, BANK_ENTRY, TRANSACTION, NumberPool
from domain.posting.posted_entries import Posted
from domain.posting.reversal import ReversalFacts, numbers_needed, plan_reversal
from domain.posting.rows import BankRow, GlRow
from domain.posting.unapply_entries import standing_applications
from tests.unit.posting.factories import invoice, ledger_facts, payment_entry
from tests.unit.posting.memory_ledger import MemoryLedger, pool

D = Decimal
PAID = date(2026, 3, 2)
DAY = date(2026, 3, 10)
# what posting payment PAY2 (-1,000 from C1 into BANK, G/L 1100) wrote in its transaction 50
PAYMENT_GL = (
    GlRow("1200", PAID, "PAYMENT", "PAY2", "Payment PAY2", D(-1000), "CUSTOMER", "C1", 50),
    GlRow("1100", PAID, "PAYMENT", "PAY2", "Payment PAY2", D(1000), "CUSTOMER", "C1", 50),
)
PAYMENT_BANK = BankRow(
    7, "BANK", PAID, "PAYMENT", "PAY2", "Payment PAY2", "", D(1000), D(1000), True, 50
)


def _book() -> MemoryLedger:
    return MemoryLedger(invoice(1, "1000"), payment_entry(2, "-1000"), invoice(3, "500"))


def _apply(book: MemoryLedger, numbers: NumberPool, entry_no: int, target: int) -> Posted:
    request = ApplyRequest(entry_no, (ApplyToInput(target),), DAY)
    locked = {n: book.entries[n] for n in request.entry_nos}
    posted = plan_apply(request, locked, ledger_facts(), numbers)
    book.write(posted.plan)
    return posted


def _reverse(book: MemoryLedger, numbers: NumberPool, entry_no: int) -> Posted:
    """What the store does: lock the entry and what its applications touched, load their
    standing detailed entries and the G/L and bank entries of the payment's transaction."""
    applications = standing_applications(entry_no, book.of([entry_no]))
    touched = {entry_no: book.entries[entry_no], **book.touched_by(applications)}
    facts = ReversalFacts(touched, book.of(touched), PAYMENT_GL, (PAYMENT_BANK,))
    posted = plan_reversal(entry_no, None, facts, ledger_facts(), numbers)
    book.write(posted.plan)
    book.check()
    return posted


def test_a_bank_payment_is_unapplied_then_reversed_with_its_bank_entry() -> None:
    book = _book()
    numbers = pool()
    applied = _apply(book, numbers, 2, 1)
    assert not book.entries[1].open
    standing = book.of(book.touched_by([applied.number]))
    facts = ReversalFacts(book.touched_by([applied.number]), standing, PAYMENT_GL, (PAYMENT_BANK,))
    assert numbers_needed(2, facts, Ledger.CUSTOMER) == {
        APPLICATION: 2,
        TRANSACTION: 2,
        "CUSTOMER": 1,
        BANK_ENTRY: 1,
    }

    posted = _reverse(book, numbers, 2)

    reversal = book.entries[posted.number]
    assert posted.number == 1000
    assert (reversal.amount, reversal.remaining_amount, reversal.open) == (D(1000), D(0), False)
    assert reversal.reversed
    assert reversal.description == "Reversal of entry 2"
    original = book.entries[2]
    assert (original.open, original.reversed, original.closed_by_entry_no) == (False, True, 1000)
    assert (book.entries[1].remaining_amount, book.entries[1].open) == (D(1000), True)
    assert posted.plan.unapplied == ((Ledger.CUSTOMER, applied.number),)
    reversal_gl = [g for g in posted.plan.gl if g.description == "Reversal of entry 2"]
    assert {(g.gl_account_no, g.amount) for g in reversal_gl} == {
        ("1200", D(1000)),
        ("1100", D(-1000)),
    }
    (bank,) = posted.plan.bank
    assert (bank.entry_no, bank.bank_account_no, bank.amount, bank.posting_date) == (
        3000,
        "BANK",
        D(-1000),
        PAID,
    )
    assert bank.transaction_no == reversal_gl[0].transaction_no
    assert [n.entry.entry_no for n in posted.plan.new_entries] == [1000]


def test_a_reversal_waits_for_a_later_application_on_the_invoice() -> None:
    """P2 paid 400 of invoice 1, then P4 the other 600: reversing P2 would unapply its
    application while P4's stands on the same invoice (BC's order, issue 20)."""
    book = MemoryLedger(invoice(1, "1000"), payment_entry(2, "-400"), payment_entry(4, "-600"))
    numbers = pool()
    _apply(book, numbers, 2, 1)
    later = _apply(book, numbers, 4, 1)
    with pytest.raises(DomainError) as caught:
        _reverse(book, numbers, 2)
    assert caught.value.code is ErrorCode.UNAPPLY_LATER_APPLICATION_FIRST
    assert f"application {later.number}" in caught.value.message


def test_an_unapplied_payment_is_reversed_without_an_unapply() -> None:
    book = _book()
    posted = _reverse(book, pool(), 2)
    assert posted.plan.unapplied == ()
    assert {d.entry_type for d in posted.plan.detailed} == {"INITIAL_ENTRY", "APPLICATION"}


@pytest.mark.parametrize(
    ("entry_no", "gl", "code"),
    [
        pytest.param(9, PAYMENT_GL, ErrorCode.ENTRY_NOT_FOUND, id="unknown"),
        pytest.param(1, PAYMENT_GL, ErrorCode.INVALID_INPUT, id="an-invoice"),
        pytest.param(2, PAYMENT_GL[:1], ErrorCode.INVALID_INPUT, id="no-balancing-line"),
    ],
)
def test_a_reversal_that_cannot_be_posted_is_refused(
    entry_no: int, gl: tuple[GlRow, ...], code: ErrorCode
) -> None:
    book = _book()
    facts = ReversalFacts(dict(book.entries), book.detailed, gl)
    with pytest.raises(DomainError) as caught:
        plan_reversal(entry_no, None, facts, ledger_facts(), pool())
    assert (caught.value.code, caught.value.field) == (code, ["entryNo"])


def test_a_reversed_payment_is_not_reversed_twice() -> None:
    book = _book()
    numbers = pool()
    posted = _reverse(book, numbers, 2)
    for entry_no in (2, posted.number):
        facts = ReversalFacts(dict(book.entries), book.detailed, PAYMENT_GL)
        with pytest.raises(DomainError) as caught:
            plan_reversal(entry_no, None, facts, ledger_facts(), numbers)
        assert caught.value.code is ErrorCode.ENTRY_CLOSED


def test_a_vendor_payment_reversal_mirrors_the_signs() -> None:
    vendor_payment = payment_entry(2, "1000", party="V1")
    book = MemoryLedger(invoice(1, "-1000", party="V1"), vendor_payment, ledger=Ledger.VENDOR)
    gl = tuple(replace(g, amount=-g.amount, source_type="VENDOR") for g in PAYMENT_GL)
    bank = replace(PAYMENT_BANK, amount=D(-1000), amount_lcy=D(-1000))
    numbers = pool()
    request = ApplyRequest(2, (ApplyToInput(1),), DAY)
    book.write(plan_apply(request, dict(book.entries), ledger_facts(Ledger.VENDOR), numbers).plan)
    facts = ReversalFacts(dict(book.entries), book.detailed, gl, (bank,))
    posted = plan_reversal(2, None, facts, ledger_facts(Ledger.VENDOR), numbers)
    book.write(posted.plan)
    book.check()
    assert posted.number == 2000
    assert book.entries[2000].amount == D(-1000)
    assert book.entries[1].remaining_amount == D(-1000)
    assert [b.amount for b in posted.plan.bank] == [D(1000)]
    assert {(g.gl_account_no, g.amount) for g in posted.plan.gl if g.gl_account_no == "1100"} == {
        ("1100", D(1000))
    }
