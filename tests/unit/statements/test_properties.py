"""Properties: whatever the ledger, a statement ties to the sums of its detailed entries."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.statements import (
    AgingBy,
    DocumentType,
    MovementType,
    Statement,
    StatementCustomer,
    StatementEntry,
    StatementMovement,
    StatementOptions,
    StatementStyle,
    build_statement,
)

CUSTOMER = StatementCustomer(no="C-1", name="Prop Ltd.", currency_code="USD")
LCY = "EUR"
DATES = st.dates(min_value=date(2025, 9, 1), max_value=date(2026, 6, 30))
AMOUNTS = st.integers(-500_000, 500_000).map(lambda cents: Decimal(cents).scaleb(-2))
LATER_TYPES = st.sampled_from([t for t in MovementType if t is not MovementType.INITIAL_ENTRY])


@st.composite
def ledgers(draw: st.DrawFn) -> list[StatementEntry]:
    entries = []
    for no in range(1, draw(st.integers(0, 10)) + 1):
        posted = draw(DATES)
        amount = draw(AMOUNTS)
        moves = [StatementMovement(posted, MovementType.INITIAL_ENTRY, amount)]
        for _ in range(draw(st.integers(0, 3))):
            when = posted + timedelta(days=draw(st.integers(0, 120)))
            moves.append(StatementMovement(when, draw(LATER_TYPES), draw(AMOUNTS)))
        due_offset = draw(st.none() | st.integers(0, 60))
        entries.append(
            StatementEntry(
                entry_no=no,
                document_type=draw(st.sampled_from([None, *DocumentType])),
                document_no=f"D-{no}",
                posting_date=posted,
                amount=amount,
                detailed=tuple(moves),
                currency_code=draw(st.sampled_from(["", LCY, "USD", "GBP"])),
                due_date=None if due_offset is None else posted + timedelta(days=due_offset),
            )
        )
    return entries


@st.composite
def statement_options(draw: st.DrawFn) -> StatementOptions:
    start, end = sorted((draw(DATES), draw(DATES)))
    return StatementOptions(
        start_date=start,
        end_date=end,
        style=draw(st.sampled_from(StatementStyle)),
        include_aging=True,
        aging_by=draw(st.sampled_from(AgingBy)),
        aging_period=draw(st.sampled_from(["30D", "1M+CM", "2W", "1Q", "-1M"])),
        include_overdue=True,
        lcy_code=LCY,
    )


def ledger_sums(entries: list[StatementEntry], end: date) -> dict[str, Decimal]:
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for e in entries:
        if e.posting_date <= end:
            sums[e.currency_code or LCY] += sum(
                (m.amount for m in e.detailed if m.posting_date <= end), Decimal(0)
            )
    return sums


@settings(deadline=None, max_examples=100)
@given(ledgers(), statement_options())
def test_closing_balance_is_the_sum_of_detailed_entries_up_to_the_end_date(
    entries: list[StatementEntry], options: StatementOptions
) -> None:
    statement = build_statement(CUSTOMER, entries, options)

    expected = ledger_sums(entries, options.end_date)
    for section in statement.sections:
        assert section.closing_balance == expected[section.currency_code]
    shown = {s.currency_code for s in statement.sections}
    assert all(code in shown for code, total in expected.items() if total != 0)


@settings(deadline=None, max_examples=100)
@given(ledgers(), statement_options())
def test_closing_is_opening_plus_the_lines_and_the_running_balance_ends_there(
    entries: list[StatementEntry], options: StatementOptions
) -> None:
    statement = build_statement(CUSTOMER, entries, options)

    for section in statement.sections:
        total = section.opening_balance + sum((x.amount for x in section.lines), Decimal(0))
        assert section.closing_balance == total
        if section.lines:
            assert section.lines[-1].balance == section.closing_balance


@settings(deadline=None, max_examples=100)
@given(ledgers(), statement_options())
def test_aging_buckets_add_up_to_the_open_remaining_amounts(
    entries: list[StatementEntry], options: StatementOptions
) -> None:
    statement = build_statement(CUSTOMER, entries, options)

    for section in statement.sections:
        assert section.aging is not None
        assert len(section.aging.buckets) == 5
        open_remaining = sum(
            (
                e.remaining_as_of(options.end_date)
                for e in entries
                if (e.currency_code or LCY) == section.currency_code
                and e.posting_date <= options.end_date
            ),
            Decimal(0),
        )
        assert section.aging.total == open_remaining == section.closing_balance
        assert all(o.remaining_amount > 0 for o in section.overdue)


@settings(deadline=None, max_examples=100)
@given(ledgers(), statement_options(), st.randoms(use_true_random=False))
def test_the_order_of_the_ledger_does_not_change_the_statement(
    entries: list[StatementEntry], options: StatementOptions, rnd: random.Random
) -> None:
    shuffled = list(entries)
    rnd.shuffle(shuffled)

    first: Statement = build_statement(CUSTOMER, entries, options)

    assert build_statement(CUSTOMER, shuffled, options) == first
