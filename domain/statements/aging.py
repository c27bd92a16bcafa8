"""An aging band tells the customer how old their unpaid balance is, in five buckets stepped back
from the statement date by a period formula, the way BC's Customer Statement does it.

Stepping back: BC evaluates ``'-' + period`` and applies it repeatedly. Only the first term
changes sign, so ``1M+CM`` steps back with ``-1M+CM`` (one month back, then to that month's
end: month-end boundaries) and ``30D`` with ``-30D``. A period that already starts with ``-``
is used as written; a leading ``+`` is turned into ``-``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal

from domain.dates import calc_date, parse_formula
from domain.errors import DomainError, ErrorCode
from domain.statements.model import ZERO, Aging, AgingBucket, AgingBy, BucketKind

_FIELD = ("agingPeriod",)
_ONE_DAY = timedelta(days=1)


def step_back_formula(period: str, field: Sequence[str] = _FIELD) -> str:
    """The formula that moves a bucket boundary one period back (BC: ``'-' + period``).

    ``field`` names the period in the request, for the error when it is not a date formula.
    """
    text = _checked(period, field)
    if text.startswith("-"):
        return text
    if text.startswith("+"):
        return "-" + text[1:]
    return "-" + text


def stepped_ranges(
    periods: Sequence[str], anchor: date, fields: Sequence[Sequence[str]] | None = None
) -> tuple[tuple[date, date], ...]:
    """Consecutive closed ranges, newest first, one per period: the first ends on ``anchor``
    and each covers (its end stepped back by its period, its end]; the next ends the day
    before. This is the one stepping rule of every aging in Lettrage (statements, reports).

    ``fields[i]`` names ``periods[i]`` in the request (errors); by default the statement's.
    A period that is not a date formula, or does not move dates strictly back, is refused.
    """
    ranges: list[tuple[date, date]] = []
    upper = anchor
    for i, period in enumerate(periods):
        field = _FIELD if fields is None else fields[i]
        lower = _step(step_back_formula(period, field), upper, period, field)
        ranges.append((lower + _ONE_DAY, upper))
        upper = lower
    return tuple(ranges)


def bucket_index(starts: Sequence[date | None], when: date) -> int:
    """Which of the ranges, newest first and given by their start dates (``None``: open-ended
    oldest), holds ``when``: the first that starts on or before it. A date later than the
    newest range falls into the newest, so bucket amounts always add up to the items."""
    for i, start in enumerate(starts):
        if start is None or when >= start:
            return i
    return len(starts) - 1


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
    if aging_by is AgingBy.DUE_DATE:
        anchor, periods = aging_date - _ONE_DAY, 3
        ranges: list[tuple[BucketKind, date | None, date | None]] = [
            (BucketKind.CURRENT, aging_date, None)
        ]
    else:
        anchor, periods = aging_date, 4
        ranges = []
    closed = stepped_ranges([period] * periods, anchor)
    ranges += [(BucketKind.PERIOD, start, end) for start, end in closed]
    ranges.append((BucketKind.OLDER, None, closed[-1][0] - _ONE_DAY))
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
    starts = [start for _, start, _end in ranges]
    amounts = [ZERO] * len(ranges)
    for when, amount in items:
        amounts[bucket_index(starts, when)] += amount
    buckets = tuple(
        AgingBucket(kind=kind, start=start, end=end, amount=amounts[i])
        for i, (kind, start, end) in enumerate(ranges)
    )
    return Aging(aging_by=aging_by, period=period.strip(), aging_date=aging_date, buckets=buckets)


def _checked(period: str, field: Sequence[str]) -> str:
    text = period.strip()
    if not text:
        raise DomainError(
            ErrorCode.INVALID_DATE_FORMULA,
            "The aging period is empty: enter a date formula such as 1M+CM or 30D.",
            field,
        )
    try:
        parse_formula(text)
    except DomainError as exc:
        raise DomainError(
            ErrorCode.INVALID_DATE_FORMULA,
            f'The aging period "{text}" is not a valid date formula: {exc.message}',
            field,
        ) from exc
    return text


def _step(back: str, upper: date, period: str, field: Sequence[str]) -> date:
    try:
        lower = calc_date(back, upper)
    except DomainError as exc:
        raise DomainError(
            ErrorCode.INVALID_DATE_FORMULA,
            f'The aging period "{period.strip()}" cannot be stepped back from {upper}: '
            f"{exc.message}",
            field,
        ) from exc
    if lower >= upper:
        raise DomainError(
            ErrorCode.INVALID_DATE_FORMULA,
            f'The aging period "{period.strip()}" does not move dates back '
            f"({back} from {upper} gives {lower}): use a length such as 1M+CM or 30D.",
            field,
        )
    return lower
