"""Interest rates change over time (BC's "Finance Charge Interest Rates": a rate and an
interest period from a start date on); interest over days that span a change is charged at
each rate for its own days, so the overdue days are cut into rate periods."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from domain.errors import DomainError, ErrorCode


@dataclass(frozen=True, slots=True)
class InterestRate:
    """From ``start_date`` on (until the next rate starts): ``interest_rate_pct`` per
    ``interest_period_days`` days."""

    start_date: date
    interest_rate_pct: Decimal
    interest_period_days: int


@dataclass(frozen=True, slots=True)
class RatePeriod:
    """Days ``first``..``last`` (both included) charged at one rate."""

    first: date
    last: date
    interest_rate_pct: Decimal
    interest_period_days: int

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def validate_interest_rates(rates: Sequence[InterestRate]) -> None:
    """Each rate needs a period of at least one day, a non-negative rate and its own date."""
    seen: set[date] = set()
    for index, rate in enumerate(rates):
        where = ["interestRates", str(index)]
        if rate.start_date in seen:
            raise DomainError(
                ErrorCode.INVALID_TERMS,
                f"Two interest rates start on {rate.start_date.isoformat()}.",
                [*where, "startDate"],
            )
        seen.add(rate.start_date)
        if rate.interest_period_days <= 0:
            raise DomainError(
                ErrorCode.INVALID_TERMS,
                f"The interest period must be at least one day, not {rate.interest_period_days}.",
                [*where, "interestPeriodDays"],
            )
        if not rate.interest_rate_pct.is_finite() or rate.interest_rate_pct < 0:
            raise DomainError(
                ErrorCode.INVALID_AMOUNT,
                f"An interest rate cannot be negative, not {rate.interest_rate_pct}.",
                [*where, "interestRatePct"],
            )


def rate_on(rates: Sequence[InterestRate], day: date) -> InterestRate:
    """The rate in force on ``day``; BC refuses when every rate starts later."""
    found = [rate for rate in rates if rate.start_date <= day]
    if not found:
        raise DomainError(
            ErrorCode.INVALID_TERMS,
            f"Create an interest rate with a start date on or before {day.isoformat()}.",
            ["interestRates"],
        )
    return max(found, key=lambda rate: rate.start_date)


def rate_periods(rates: Sequence[InterestRate], first: date, last: date) -> tuple[RatePeriod, ...]:
    """Cut ``first``..``last`` at every rate change; the first day needs a rate in force."""
    if last < first:
        return ()
    current = rate_on(rates, first)
    changes = sorted(
        (rate for rate in rates if first < rate.start_date <= last),
        key=lambda rate: rate.start_date,
    )
    periods: list[RatePeriod] = []
    start = first
    for rate in changes:
        periods.append(_period(current, start, rate.start_date - timedelta(days=1)))
        current, start = rate, rate.start_date
    periods.append(_period(current, start, last))
    return tuple(periods)


def _period(rate: InterestRate, first: date, last: date) -> RatePeriod:
    return RatePeriod(first, last, rate.interest_rate_pct, rate.interest_period_days)
