"""An aging band tells the customer how old their unpaid balance is, in five buckets stepped back
from the statement date by a period formula, the way BC's Customer Statement does it.

Stepping back: BC evaluates ``'-' + period`` and applies it repeatedly. Only the first term
changes sign, so ``1M+CM`` steps back with ``-1M+CM`` (one month back, then to that month's
end: month-end boundaries) and ``30D`` with ``-30D``. A period that already starts with ``-``
is used as written; a leading ``+`` is turned into ``-``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from domain.dates import calc_date, parse_formula
from domain.errors import DomainError, ErrorCode
from domain.statements.model import ZERO, Aging, AgingBucket, AgingBy, BucketKind

_FIELD = ("agingPeriod",)
_ONE_DAY = timedelta(days=1)


def step_back_formula(period: str) -> str:
    """The formula that moves a bucket boundary one period back (BC: ``'-' + period``)."""
    text = _checked(period)
    if text.startswith("-"):
        return text
    if text.startswith("+"):
        return "-" + text[1:]
    return "-" + text


def bucket_ranges(
    period: str, aging_date: date, aging_by: AgingBy
) -> tuple[tuple[BucketKind, date | None, date | None], ...]:
    """The five (kind, start, end) ranges, newest first; ``None`` is an open end.

    By due date: CURRENT holds entries not overdue at the aging date (due on or after it),
    then four periods stepped back from the day before the aging date, the last open-ended.
    By posting date: five periods stepped back from the aging date, the last open-ended.
    Each period covers (previous boundary, boundary], so ``30D`` by due date gives
    1-30, 31-60, 61-90 and over 90 days overdue.
    """
    back = step_back_formula(period)
    if aging_by is AgingBy.DUE_DATE:
        anchor, periods = aging_date - _ONE_DAY, 3
        ranges: list[tuple[BucketKind, date | None, date | None]] = [
            (BucketKind.CURRENT, aging_date, None)
        ]
    else:
        anchor, periods = aging_date, 4
        ranges = []
    upper = anchor
    for _ in range(periods):
        lower = _step(back, upper, period)
        ranges.append((BucketKind.PERIOD, lower + _ONE_DAY, upper))
        upper = lower
    ranges.append((BucketKind.OLDER, None, upper))
    return tuple(ranges)


def age_open_items(
    items: Iterable[tuple[date, Decimal]], period: str, aging_date: date, aging_by: AgingBy
) -> Aging:
    """Put each (aging date of the entry, remaining amount) into its bucket.

    The entry's aging date is its due date (DUE_DATE) or posting date (POSTING_DATE), chosen
    by the caller. A date later than the newest range falls into the newest bucket, so the
    buckets always add up to the sum of the items.
    """
    ranges = bucket_ranges(period, aging_date, aging_by)
    amounts = [ZERO] * len(ranges)
    for when, amount in items:
        amounts[_index(ranges, when)] += amount
    buckets = tuple(
        AgingBucket(kind=kind, start=start, end=end, amount=amounts[i])
        for i, (kind, start, end) in enumerate(ranges)
    )
    return Aging(aging_by=aging_by, period=period.strip(), aging_date=aging_date, buckets=buckets)


def _index(ranges: tuple[tuple[BucketKind, date | None, date | None], ...], when: date) -> int:
    for i, (_, start, _end) in enumerate(ranges):
        if start is None or when >= start:
            return i
    return len(ranges) - 1  # unreachable: the last range has no start


def _checked(period: str) -> str:
    text = period.strip()
    if not text:
        raise DomainError(
            ErrorCode.INVALID_DATE_FORMULA,
            "The aging period is empty: enter a date formula such as 1M+CM or 30D.",
            _FIELD,
        )
    try:
        parse_formula(text)
    except DomainError as exc:
        raise DomainError(
            ErrorCode.INVALID_DATE_FORMULA,
            f'The aging period "{text}" is not a valid date formula: {exc.message}',
            _FIELD,
        ) from exc
    return text


def _step(back: str, upper: date, period: str) -> date:
    try:
        lower = calc_date(back, upper)
    except DomainError as exc:
        raise DomainError(
            ErrorCode.INVALID_DATE_FORMULA,
            f'The aging period "{period.strip()}" cannot be stepped back from {upper}: '
            f"{exc.message}",
            _FIELD,
        ) from exc
    if lower >= upper:
        raise DomainError(
            ErrorCode.INVALID_DATE_FORMULA,
            f'The aging period "{period.strip()}" does not move dates back '
            f"({back} from {upper} gives {lower}): use a length such as 1M+CM or 30D.",
            _FIELD,
        )
    return lower
