"""Properties: whatever the ledger and the periods, an aged balance is the as-of balance."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from domain.reports import AgingBasis, age_balance, aged_balance, aging_layout

DATES = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31))
AMOUNTS = st.integers(-500_000, 500_000).map(lambda cents: Decimal(cents).scaleb(-2))
# formulas that always step back (CM alone does not from a month end: refused, tested apart)
PERIOD = st.sampled_from(["1D", "7D", "30D", "1W", "2W", "1M", "1M+CM", "1Q", "-1Q+CQ", "1Y"])
PERIODS = st.lists(PERIOD, min_size=1, max_size=6)


@st.composite
def ledgers(draw: st.DrawFn) -> list[tuple[dict[str, date], list[tuple[date, Decimal]]]]:
    """Entries: their three dates and their detailed entries (posting date, amount)."""
    entries = []
    for _ in range(draw(st.integers(0, 12))):
        posted = draw(DATES)
        dates = {
            "posting": posted,
            "document": posted + timedelta(days=draw(st.integers(-20, 20))),
            "due": posted + timedelta(days=draw(st.integers(0, 90))),
        }
        moves = [(posted, draw(AMOUNTS))]
        for _ in range(draw(st.integers(0, 3))):
            moves.append((posted + timedelta(days=draw(st.integers(0, 200))), draw(AMOUNTS)))
        entries.append((dates, moves))
    return entries


@given(
    ledger=ledgers(),
    as_of=DATES,
    basis=st.sampled_from(list(AgingBasis)),
    periods=PERIODS,
)
def test_not_due_and_columns_add_up_to_the_as_of_balance(
    ledger: list[tuple[dict[str, date], list[tuple[date, Decimal]]]],
    as_of: date,
    basis: AgingBasis,
    periods: list[str],
) -> None:
    layout = aging_layout(as_of, basis, periods)
    key = {"DUE_DATE": "due", "POSTING_DATE": "posting", "DOCUMENT_DATE": "document"}[basis]
    balance = sum(
        (a for dates, moves in ledger if dates["posting"] <= as_of for w, a in moves if w <= as_of),
        Decimal(0),
    )
    items = []
    for dates, moves in ledger:
        remaining = sum((a for w, a in moves if w <= as_of), Decimal(0))
        if dates["posting"] <= as_of and remaining != 0:
            items.append((dates[key], remaining))
    row = aged_balance(layout, "C", "", items, Decimal(0))
    assert row.total == balance
    not_due, columns = age_balance(layout, items)
    assert not_due + sum(columns, Decimal(0)) == balance
    if basis is not AgingBasis.DUE_DATE:
        assert not_due == 0


@given(as_of=DATES, basis=st.sampled_from(list(AgingBasis)), periods=PERIODS)
def test_columns_tile_the_past_without_gaps(
    as_of: date, basis: AgingBasis, periods: list[str]
) -> None:
    layout = aging_layout(as_of, basis, periods)
    columns = layout.columns
    assert columns[0].end == as_of
    assert columns[-1].start is None
    for newer, older in zip(columns, columns[1:], strict=False):
        assert newer.start is not None
        assert newer.start <= newer.end
        assert older.end == newer.start - timedelta(days=1)
    expected = len(periods) + 1 if len(periods) > 1 else (4 if basis is AgingBasis.DUE_DATE else 5)
    assert len(columns) == expected
