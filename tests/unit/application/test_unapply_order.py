"""Unapply in the reverse order of posting, for customers, vendors and a reversal.

BC, "Unapply Customer Entries Window" (learn.microsoft.com/previous-versions/dynamicsnav-2016/
hh915466): "you can only unapply an application entry, if the original application entry is
the last application posted to any of the involved customer ledger entries"; codeunit 226
"CustEntry-Apply Posted Entries" (learn.microsoft.com/dynamics365/business-central/application/
base-application/codeunit/microsoft.sales.receivables.custentry-apply-posted-entries) raises
"Before you can unapply this entry, you must first unapply all application entries in Cust.
Ledger Entry No. %1 that were posted after this entry"."""

from __future__ import annotations

from datetime import date

import pytest

from domain.application import (
    ApplicationResult,
    ApplicationSetup,
    ApplyTarget,
    DetailedEntry,
    DetailedEntryType,
    DocumentType,
    LedgerEntryState,
    adjust_exchange_rates,
    apply,
    check_unapply_order,
    reverse_entry,
    unapply,
)
from domain.errors import DomainError, ErrorCode
from tests.unit.application.builders import SIDE_IDS, SIDES, check_invariants, entry, states_after

DAY = date(2026, 3, 17)
SETUP = ApplicationSetup()


class Ledger:
    """An in-memory ledger: entries, every detailed entry posted, what each application did."""

    def __init__(self, *entries: LedgerEntryState) -> None:
        self.entries = {e.entry_no: e for e in entries}
        self.detailed: list[DetailedEntry] = [
            DetailedEntry(
                e.entry_no,
                DetailedEntryType.INITIAL_ENTRY,
                e.posting_date,
                e.currency_code,
                e.amount,
                e.amount_lcy,
                None,
                0,
            )
            for e in entries
        ]
        self.applications: dict[int, tuple[DetailedEntry, ...]] = {}

    def post(self, result: ApplicationResult) -> None:
        check_invariants(self.entries.values(), result)
        self.entries = {e.entry_no: e for e in states_after(self.entries.values(), result)}
        self.detailed.extend(result.detailed)
        self.applications[result.application_id] = result.detailed

    def apply(self, payment: int, invoice: int, application_id: int) -> None:
        target = ApplyTarget(self.entries[invoice])
        self.post(apply(self.entries[payment], [target], SETUP, DAY, application_id=application_id))

    def unapply(self, application_id: int, new_id: int) -> None:
        lines = self.applications[application_id]
        self.post(
            unapply(
                self.entries.values(),
                lines,
                DAY,
                application_id=new_id,
                standing=self.detailed,
            )
        )


def _invoice_paid_twice(side: int) -> Ledger:
    """Invoice 1,000; payment P1 400 applied (application 10), P2 600 applied (11)."""
    ledger = Ledger(
        entry(1, DocumentType.INVOICE, side * 1000, document_no="INV-1"),
        entry(2, DocumentType.PAYMENT, -side * 400, posting_date=DAY, document_no="P1"),
        entry(3, DocumentType.PAYMENT, -side * 600, posting_date=DAY, document_no="P2"),
    )
    ledger.apply(2, 1, 10)
    ledger.apply(3, 1, 11)
    return ledger


@pytest.mark.parametrize("side", SIDES, ids=SIDE_IDS)
@pytest.mark.parametrize(
    ("undone_first", "to_undo", "refused"),
    [
        pytest.param([], 10, True, id="P1-while-P2-stands-is-refused"),
        pytest.param([], 11, False, id="P2-the-latest-is-allowed"),
        pytest.param([11], 10, False, id="P1-after-P2-was-unapplied-is-allowed"),
    ],
)
def test_an_application_is_unapplied_only_after_the_later_ones(
    side: int, undone_first: list[int], to_undo: int, refused: bool
) -> None:
    ledger = _invoice_paid_twice(side)
    for n, application_id in enumerate(undone_first):
        ledger.unapply(application_id, 20 + n)
    if not refused:
        ledger.unapply(to_undo, 30)
        return
    with pytest.raises(DomainError) as caught:
        ledger.unapply(to_undo, 30)
    error = caught.value
    assert error.code is ErrorCode.UNAPPLY_LATER_APPLICATION_FIRST
    assert "entry 1 " in error.message
    assert "application 11" in error.message
    assert error.field == ["entryNo"]


@pytest.mark.parametrize("side", SIDES, ids=SIDE_IDS)
def test_reversing_p1_is_refused_while_p2_stands_on_the_invoice(side: int) -> None:
    """The store reverses a payment by unapplying its applications first, then reversing: the
    unapply is refused, and the payment, still applied, cannot be reversed."""
    ledger = _invoice_paid_twice(side)
    with pytest.raises(DomainError) as caught:
        ledger.unapply(10, 30)
    assert caught.value.code is ErrorCode.UNAPPLY_LATER_APPLICATION_FIRST
    with pytest.raises(DomainError) as closed:
        reverse_entry(ledger.entries[2], DAY, reversal_entry_no=9, application_id=31)
    assert closed.value.code is ErrorCode.ENTRY_CLOSED


def test_a_later_revaluation_or_another_entrys_application_does_not_block() -> None:
    """BC leaves unrealized gains and losses out of the check, and only the entries the
    application touched count."""
    ledger = Ledger(
        entry(1, DocumentType.INVOICE, 1000, currency="USD", rate="1.1"),
        entry(2, DocumentType.PAYMENT, -400, currency="USD", rate="1.1", posting_date=DAY),
        entry(3, DocumentType.INVOICE, 50),
        entry(4, DocumentType.PAYMENT, -50, posting_date=DAY),
    )
    ledger.apply(2, 1, 10)
    ledger.post(
        adjust_exchange_rates(
            [e for e in ledger.entries.values() if e.open],
            {"USD": ledger.entries[1].original_rate + 1},
            DAY,
            SETUP,
            application_id=11,
        )
    )
    ledger.apply(4, 3, 12)
    check_unapply_order(ledger.applications[10], ledger.detailed)


def test_without_standing_entries_unapply_does_not_check_the_order() -> None:
    """``standing`` is how the store opts in; without it, unapply behaves as before."""
    ledger = _invoice_paid_twice(1)
    lines = ledger.applications[10]
    result = unapply(ledger.entries.values(), lines, DAY, application_id=30)
    assert {d.unapplies_application_id for d in result.detailed} == {10}
