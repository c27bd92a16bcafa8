"""Aged receivables and payables: how old each party's balance is on a date, per currency, in
buckets stepped back from that date, like BC's "Aged Accounts Receivable" (report 120) and
"Aged Accounts Payable" reports.

The buckets are laid out once per report (``aging_layout``) and every party's as-of open
amounts are then put into them (``age_balance``). The stepping rule is the statements' one
(``domain.statements.aging.stepped_ranges``); what differs from a statement's aging band is
where it is anchored, as in BC's report: by due date, "not due" holds what is due *after* the
as-of date and the first bucket ends on the as-of date itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from domain.errors import DomainError, ErrorCode
from domain.statements.aging import bucket_index, stepped_ranges

ZERO = Decimal(0)
DEFAULT_PERIODS = ("30D",)
MAX_PERIODS = 12
_ONE_DAY = timedelta(days=1)
_FIELD = "periods"


class AgingBasis(StrEnum):
    """Which date of an open entry ages it (BC's "Aging by")."""

    DUE_DATE = "DUE_DATE"
    POSTING_DATE = "POSTING_DATE"
    DOCUMENT_DATE = "DOCUMENT_DATE"


# BC's report has five columns: by due date "not due" and three periods, otherwise four
# periods; then the open-ended oldest column.
_REPEATS = {AgingBasis.DUE_DATE: 3, AgingBasis.POSTING_DATE: 4, AgingBasis.DOCUMENT_DATE: 4}


@dataclass(frozen=True, slots=True, kw_only=True)
class AgingColumn:
    """Amounts whose aging date lies in ``start``..``end`` (inclusive); ``start`` is ``None``
    for the oldest, open-ended column. ``label`` counts days as BC's "Number of Days" heading
    does: the as-of date is day 1."""

    label: str
    start: date | None
    end: date


@dataclass(frozen=True, slots=True, kw_only=True)
class AgingLayout:
    """The columns of one report, newest first. By due date, anything due after ``as_of`` is
    "not due" and is not in a column; by posting or document date every amount is in one."""

    as_of: date
    basis: AgingBasis
    periods: tuple[str, ...]
    columns: tuple[AgingColumn, ...]

    @property
    def starts(self) -> tuple[date | None, ...]:
        return tuple(c.start for c in self.columns)


@dataclass(frozen=True, slots=True, kw_only=True)
class AgedBalance:
    """One party's balance in one currency on the as-of date, split by age.

    Amounts are in the currency (``currency_code`` blank = LCY) and keep the ledger's sign
    (receivables positive, payables negative); ``total_lcy`` is the same balance in LCY.
    """

    party_no: str
    currency_code: str
    not_due: Decimal
    buckets: tuple[Decimal, ...]
    total_lcy: Decimal
    party_name: str = ""

    @property
    def total(self) -> Decimal:
        return self.not_due + sum(self.buckets, ZERO)


def aging_layout(
    as_of: date, basis: AgingBasis, periods: Sequence[str] = DEFAULT_PERIODS
) -> AgingLayout:
    """Lay out the columns of a report aged on ``as_of``.

    ``periods`` are date formulas, each the length of one column, newest first; one formula
    alone is BC's "Period Length", repeated (three columns by due date, four otherwise, so
    ``30D`` gives 1-30, 31-60, 61-90 and over 90 days by due date). The oldest column is
    open-ended. A period that is not a date formula or does not move dates back is an
    ``INVALID_DATE_FORMULA`` error naming ``periods.<i>``.
    """
    given = tuple(p.strip() for p in periods)
    if not given:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "Give at least one aging period, such as 30D or 1M+CM.",
            [_FIELD],
        )
    if len(given) > MAX_PERIODS:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"At most {MAX_PERIODS} aging periods can be given, not {len(given)}.",
            [_FIELD],
        )
    if len(given) == 1:
        lengths = given * _REPEATS[basis]
        fields = [[_FIELD, "0"]] * len(lengths)
    else:
        lengths = given
        fields = [[_FIELD, str(i)] for i in range(len(given))]
    ranges = stepped_ranges(lengths, as_of, fields)
    columns = [
        AgingColumn(label=_days_label(as_of, start, end), start=start, end=end)
        for start, end in ranges
    ]
    oldest_end = ranges[-1][0] - _ONE_DAY
    columns.append(
        AgingColumn(label=f"Over {(as_of - oldest_end).days} days", start=None, end=oldest_end)
    )
    return AgingLayout(as_of=as_of, basis=basis, periods=given, columns=tuple(columns))


def age_balance(
    layout: AgingLayout, items: Iterable[tuple[date, Decimal]]
) -> tuple[Decimal, tuple[Decimal, ...]]:
    """(not due, one amount per column) of (aging date, as-of remaining amount) items.

    By due date an item due after the as-of date is not due. By posting or document date an
    item dated after the as-of date (a document dated ahead) goes to the newest column, so
    not due + Σ columns = Σ items always.
    """
    starts = layout.starts
    by_due_date = layout.basis is AgingBasis.DUE_DATE
    as_of = layout.as_of
    given = list(items)
    # an empty column is written like the amounts ("0.00", or "0" for a currency without
    # decimals): a currency's amounts share its scale
    zero = abs(given[0][1] * 0) if given else ZERO
    not_due = zero
    amounts = [zero] * len(starts)
    for when, amount in given:
        if by_due_date and when > as_of:
            not_due += amount
        else:
            amounts[bucket_index(starts, when)] += amount
    return not_due, tuple(amounts)


def aged_balance(
    layout: AgingLayout,
    party_no: str,
    currency_code: str,
    items: Iterable[tuple[date, Decimal]],
    total_lcy: Decimal,
    party_name: str = "",
) -> AgedBalance:
    """One report row: ``items`` are the party's open entries in the currency, as of the
    layout's date, with their aging dates (see ``age_balance``)."""
    not_due, buckets = age_balance(layout, items)
    return AgedBalance(
        party_no=party_no,
        currency_code=currency_code,
        not_due=not_due,
        buckets=buckets,
        total_lcy=total_lcy,
        party_name=party_name,
    )


def currency_totals(layout: AgingLayout, rows: Iterable[AgedBalance]) -> tuple[AgedBalance, ...]:
    """The report's total per currency (``party_no`` blank), by currency code: what BC prints
    as its "Currency Specification"."""
    width = len(layout.columns)
    sums: dict[str, tuple[Decimal, list[Decimal], Decimal]] = {}
    for row in rows:
        not_due, buckets, lcy = sums.get(row.currency_code, (ZERO, [ZERO] * width, ZERO))
        for i, amount in enumerate(row.buckets):
            buckets[i] += amount
        sums[row.currency_code] = (not_due + row.not_due, buckets, lcy + row.total_lcy)
    return tuple(
        AgedBalance(
            party_no="",
            currency_code=code,
            not_due=not_due,
            buckets=tuple(buckets),
            total_lcy=lcy,
        )
        for code, (not_due, buckets, lcy) in sorted(sums.items())
    )


def _days_label(as_of: date, start: date, end: date) -> str:
    return f"{(as_of - end).days + 1}-{(as_of - start).days + 1} days"
