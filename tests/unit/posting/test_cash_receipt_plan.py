"""The cash receipt planner: what a journal line posts, from the facts alone (no database)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import DomainError, ErrorCode
from domain.ledger import Ledger, LedgerEntry
from domain.posting.batch import Batch
from domain.posting.cash_receipt import numbers_needed, plan_receipt_line
from domain.posting.journal import ApplyToInput, CashReceiptLine
from domain.posting.numbers import APPLICATION, BANK_ENTRY, TRANSACTION, NumberPool
from tests.unit.posting.factories import facts, invoice, vendor_invoice

D = Decimal
DAY = date(2026, 3, 10)


def pool() -> NumberPool:
    return NumberPool(
        {
            TRANSACTION: range(100, 110),
            APPLICATION: range(200, 210),
            "CUSTOMER": range(1000, 1010),
            "VENDOR": range(2000, 2010),
            BANK_ENTRY: range(3000, 3010),
        }
    )


def payment(amount: str = "-1000", **kw: object) -> CashReceiptLine:
    values: dict[str, object] = {
        "posting_date": DAY,
        "document_no": "P1",
        "amount": D(amount),
        "bal_account_no": "BANK",
        "customer_no": "C1",
    }
    values.update(kw)
    return CashReceiptLine(**values)  # type: ignore[arg-type]


def batch_of(*entries, documents=None) -> Batch:
    by_ledger: dict[Ledger, list[LedgerEntry]] = defaultdict(list)
    for e in entries:
        by_ledger[Ledger.VENDOR if e.party_no.startswith("V") else Ledger.CUSTOMER].append(e)
    return Batch(by_ledger, documents or {})


def test_a_payment_applied_by_document_no_closes_the_invoice_and_balances_the_gl() -> None:
    inv = invoice(1, "1000")
    batch = batch_of(inv, documents={Ledger.CUSTOMER: {("C1", "INVOICE", "INV1"): 1}})
    plan = plan_receipt_line(payment(applies_to_doc_no="INV1"), 0, facts(), batch, pool())
    assert plan.entry is not None
    assert plan.entry.entry_no == 1000
    assert plan.changed[1].open is False
    assert plan.changed[1].closed_by_entry_no == 1000
    assert plan.changed[1].closed_at_date == DAY
    assert plan.changed[1000].remaining_amount == 0
    assert [(d.ledger_entry_no, d.entry_type, d.amount) for d in plan.detailed] == [
        (1000, "INITIAL_ENTRY", D(-1000)),
        (1000, "APPLICATION", D(1000)),
        (1, "APPLICATION", D(-1000)),
    ]
    assert {(g.gl_account_no, g.amount) for g in plan.gl} == {("1200", D(-1000)), ("1100", D(1000))}
    assert sum(g.amount for g in plan.gl) == 0
    assert plan.bank is not None
    assert plan.bank.amount == D(1000)
    assert plan.bank.entry_no == 3000


def test_an_lcy_payment_to_oldest_skips_an_older_invoice_in_a_foreign_currency() -> None:
    """Issue 19: apply-to-oldest takes the domain's selection, same currency only (BC)."""
    older_usd = invoice(1, "500", due=date(2026, 1, 1), currency="USD", rate="0.9")
    eur = invoice(2, "300", due=date(2026, 2, 1))
    plan = plan_receipt_line(
        payment("-300"), 0, facts(method="APPLY_TO_OLDEST"), batch_of(older_usd, eur), pool()
    )
    assert plan.changed[2].open is False
    assert 1 not in plan.changed


def test_apply_to_oldest_goes_by_due_date_and_leaves_the_rest_open() -> None:
    first, second = invoice(1, "100", due=date(2026, 1, 5)), invoice(2, "100", due=date(2026, 1, 1))
    plan = plan_receipt_line(
        payment("-150"), 0, facts(method="APPLY_TO_OLDEST"), batch_of(first, second), pool()
    )
    assert plan.changed[2].open is False
    assert plan.changed[1].remaining_amount == D(50)


def test_a_later_line_sees_what_an_earlier_line_of_the_batch_did() -> None:
    batch = batch_of(invoice(1, "100"))
    numbers = pool()
    f = facts()
    first = plan_receipt_line(payment("-60", apply_to=(ApplyToInput(1),)), 0, f, batch, numbers)
    batch.record(first)
    second = plan_receipt_line(
        payment("-40", document_no="P2", apply_to=(ApplyToInput(1),)), 1, f, batch, numbers
    )
    assert second.changed[1].open is False
    batch.record(second)
    part = batch.take()
    assert [e.entry.entry_no for e in part.new_entries] == [1000, 1001]
    assert [(ledger, e.entry_no, e.remaining_amount) for ledger, e in part.changed] == [
        (Ledger.CUSTOMER, 1, D(0))
    ]


def test_a_vendor_payment_is_positive_and_posts_to_the_payables_account() -> None:
    line = CashReceiptLine(
        posting_date=DAY,
        document_no="VP1",
        amount=D(250),
        bal_account_no="BANK",
        vendor_no="V1",
        apply_to=(ApplyToInput(5),),
    )
    plan = plan_receipt_line(line, 0, facts(), batch_of(vendor_invoice(5, "250")), pool())
    assert plan.ledger is Ledger.VENDOR
    assert plan.entry is not None
    assert plan.entry.entry_no == 2000
    assert plan.changed[5].open is False
    assert {(g.gl_account_no, g.amount) for g in plan.gl} == {("2100", D(250)), ("1100", D(-250))}


def test_a_gl_line_posts_to_the_account_against_the_bank() -> None:
    line = CashReceiptLine(
        posting_date=DAY,
        document_no="FEE",
        amount=D(12),
        bal_account_no="BANK",
        gl_account_no="6100",
    )
    plan = plan_receipt_line(line, 3, facts(), batch_of(), pool())
    assert plan.entry is None
    assert plan.ledger is None
    assert [(g.gl_account_no, g.amount, g.source_type) for g in plan.gl] == [
        ("6100", D(12), "GL_ACCOUNT"),
        ("1100", D(-12), "GL_ACCOUNT"),
    ]
    assert plan.bank is not None
    assert plan.bank.amount == D(-12)


@pytest.mark.parametrize(
    ("line", "code", "field"),
    [
        pytest.param(
            payment(customer_no="NOPE"),
            ErrorCode.UNKNOWN_CUSTOMER,
            ["customerNo"],
            id="unknown-customer",
        ),
        pytest.param(payment("1000"), ErrorCode.WRONG_SIGN, ["amount"], id="positive-payment"),
        pytest.param(payment("0"), ErrorCode.INVALID_AMOUNT, ["amount"], id="zero"),
        pytest.param(payment("-1.001"), ErrorCode.TOO_MANY_DECIMALS, ["amount"], id="decimals"),
        pytest.param(
            payment(bal_account_no="X"),
            ErrorCode.UNKNOWN_BANK_ACCOUNT,
            ["balAccountNo"],
            id="unknown-bank",
        ),
        pytest.param(
            payment(bal_account_no="USDBANK"),
            ErrorCode.CURRENCY_NOT_ALLOWED,
            ["currencyCode"],
            id="bank-in-another-currency",
        ),
        pytest.param(
            payment(currency_code="GBP"),
            ErrorCode.UNKNOWN_CURRENCY,
            ["currencyCode"],
            id="unknown-currency",
        ),
        pytest.param(
            payment(applies_to_doc_no="INV9"),
            ErrorCode.UNKNOWN_APPLIES_TO_DOC,
            ["appliesToDocNo"],
            id="unknown-document",
        ),
        pytest.param(
            payment(apply_to=(ApplyToInput(99),)),
            ErrorCode.ENTRY_NOT_FOUND,
            ["applyTo", "0", "entryNo"],
            id="unknown-entry",
        ),
        pytest.param(
            payment(bal_account_type="CASH"),
            ErrorCode.INVALID_INPUT,
            ["balAccountType"],
            id="unknown-balancing-type",
        ),
    ],
)
def test_a_bad_line_is_refused_naming_its_field_and_index(
    line: CashReceiptLine, code: ErrorCode, field: list[str]
) -> None:
    with pytest.raises(DomainError) as caught:
        plan_receipt_line(line, 4, facts(), batch_of(invoice(1, "1000")), pool())
    assert (caught.value.code, caught.value.field, caught.value.index) == (code, field, 4)


def test_an_engine_error_under_applies_to_doc_names_the_document_field() -> None:
    closed = replace(
        invoice(1, "1000"), open=False, remaining_amount=D(0), remaining_amount_lcy=D(0)
    )
    batch = batch_of(closed, documents={Ledger.CUSTOMER: {("C1", "INVOICE", "INV1"): 1}})
    with pytest.raises(DomainError) as caught:
        plan_receipt_line(payment(applies_to_doc_no="INV1"), 2, facts(), batch, pool())
    assert (caught.value.code, caught.value.field, caught.value.index) == (
        ErrorCode.ENTRY_CLOSED,
        ["appliesToDocNo"],
        2,
    )


def test_numbers_needed_count_what_the_lines_may_take() -> None:
    f = facts(method="APPLY_TO_OLDEST")
    lines = [
        payment(),
        payment(applies_to_doc_no="INV1"),
        CashReceiptLine(
            posting_date=DAY,
            document_no="G",
            amount=D(1),
            bal_account_no="1100",
            bal_account_type="GL_ACCOUNT",
            gl_account_no="6100",
        ),
    ]
    assert numbers_needed(lines, f.parties) == {
        TRANSACTION: 3,
        APPLICATION: 2,
        "CUSTOMER": 2,
        "VENDOR": 0,
        BANK_ENTRY: 2,
    }


@given(
    amounts=st.lists(st.integers(min_value=1, max_value=200_000), min_size=1, max_size=6),
    paid=st.integers(min_value=1, max_value=600_000),
)
def test_every_line_balances_and_detailed_entries_sum_to_the_remaining_amounts(
    amounts: list[int], paid: int
) -> None:
    entries = [invoice(i + 1, str(D(a) / 100)) for i, a in enumerate(amounts)]
    batch = batch_of(*entries)
    line = payment(str(-D(paid) / 100), apply_to=tuple(ApplyToInput(e.entry_no) for e in entries))
    plan = plan_receipt_line(line, 0, facts(), batch, pool())
    assert sum(g.amount for g in plan.gl) == 0
    moved: dict[int, Decimal] = defaultdict(Decimal)
    for d in plan.detailed:
        moved[d.ledger_entry_no] += d.amount
    for e in entries:
        after = plan.changed.get(e.entry_no, e)
        assert after.remaining_amount == e.remaining_amount + moved[e.entry_no]
        assert after.open == (after.remaining_amount != 0)
    assert plan.entry is not None
    assert plan.changed[plan.entry.entry_no].remaining_amount == moved[plan.entry.entry_no]
