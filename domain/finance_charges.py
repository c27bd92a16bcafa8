"""Finance charge memos bill interest on overdue invoices, and on invoices paid late, under
the customer's terms (BC's Finance Charge Terms and Finance Charge Interest Rates)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from domain.dates import calc_date, parse_formula
from domain.errors import DomainError, ErrorCode
from domain.interest_rates import (
    InterestRate,
    RatePeriod,
    rate_on,
    rate_periods,
    validate_interest_rates,
)
from domain.money import ZERO, round_amount

HUNDRED = Decimal(100)
# Fee entries: with "interest on fees" off, no interest is charged on them.
FEE_DOCUMENT_TYPES = frozenset({"REMINDER", "FINANCE_CHARGE_MEMO"})


class InterestMethod(StrEnum):
    """How the overdue balance is measured (BC's Interest Calculation Method)."""

    BALANCE_DUE = "BALANCE_DUE"
    AVERAGE_DAILY_BALANCE = "AVERAGE_DAILY_BALANCE"


class InterestCalculation(StrEnum):
    """Which entries bear interest (BC's Interest Calculation): the open ones, the closed
    ones (paid after the grace period), or both."""

    OPEN_ENTRIES = "OPEN_ENTRIES"
    CLOSED_ENTRIES = "CLOSED_ENTRIES"
    ALL_ENTRIES = "ALL_ENTRIES"


@dataclass(frozen=True, slots=True)
class FinanceChargeTerms:
    """BC's Finance Charge Terms: rate per interest period, minimum, grace period, fee.

    ``interest_rates`` is BC's Finance Charge Interest Rates table: when it has rows, the
    terms' own rate and period are not used (BC).
    """

    code: str
    interest_rate_pct: Decimal
    interest_period_days: int
    minimum_amount: Decimal
    grace_period: str
    additional_fee: Decimal
    method: InterestMethod
    interest_on_fees: bool = False
    interest_calculation: InterestCalculation = InterestCalculation.ALL_ENTRIES
    interest_rates: tuple[InterestRate, ...] = ()

    def rates(self) -> tuple[InterestRate, ...]:
        """The rate table, or the terms' rate from the beginning of time."""
        if self.interest_rates:
            return self.interest_rates
        return (InterestRate(date.min, self.interest_rate_pct, self.interest_period_days),)


@dataclass(frozen=True, slots=True)
class FinanceChargeEntry:
    """A customer ledger entry that may bear interest.

    ``remaining_amount`` is as of the calculation day (0 = closed by then).
    ``balance_history`` lists (date, remaining amount from that date on) steps for entries
    paid in part or in full; empty means the remaining amount never changed.
    ``charged_until`` is the last day already covered by an issued finance charge memo.
    """

    entry_no: int
    document_type: str
    document_no: str
    currency_code: str
    due_date: date
    remaining_amount: Decimal
    balance_history: tuple[tuple[date, Decimal], ...] = ()
    charged_until: date | None = None


@dataclass(frozen=True, slots=True)
class InterestPart:
    """Interest of a line for the days ``first``..``last`` at one rate (BC's detailed
    interest rate lines); ``interest_period_days`` is None for Balance Due (not used)."""

    first: date
    last: date
    days: int
    base_amount: Decimal
    interest_rate_pct: Decimal
    interest_period_days: int | None
    interest_amount: Decimal


@dataclass(frozen=True, slots=True)
class FinanceChargeLine:
    """Interest on one entry, with the calculation spelt out for the customer."""

    entry_no: int
    document_no: str
    days: int
    base_amount: Decimal
    interest_amount: Decimal
    formula_text: str
    parts: tuple[InterestPart, ...] = ()


@dataclass(frozen=True, slots=True)
class FinanceChargeMemo:
    """A proposed memo for one currency: interest lines plus the additional fee."""

    currency_code: str
    lines: tuple[FinanceChargeLine, ...]
    interest_amount: Decimal
    additional_fee: Decimal
    total: Decimal


def validate_finance_charge_terms(terms: FinanceChargeTerms) -> None:
    """Refuse terms that cannot charge sensible interest."""
    if terms.interest_period_days <= 0:
        raise DomainError(
            ErrorCode.INVALID_TERMS,
            f"The interest period must be at least one day, not {terms.interest_period_days}.",
            ["interestPeriodDays"],
        )
    for value, name, what in (
        (terms.interest_rate_pct, "interestRatePct", "An interest rate"),
        (terms.minimum_amount, "minimumAmount", "A minimum amount"),
        (terms.additional_fee, "additionalFee", "An additional fee"),
    ):
        if not value.is_finite() or value < 0:
            raise DomainError(
                ErrorCode.INVALID_AMOUNT,
                f"{what} cannot be negative, not {value}.",
                [name],
            )
    try:
        parse_formula(terms.grace_period)
    except DomainError as error:
        raise DomainError(error.code, error.message, ["gracePeriod"]) from None
    validate_interest_rates(terms.interest_rates)


def _money_text(amount: Decimal, precision: Decimal) -> str:
    """1000 → "1,000.00" with as many decimals as the currency's precision."""
    exponent = precision.normalize().as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return f"{amount:,.{places}f}"


def _daily_balances_sum(entry: FinanceChargeEntry, first_day: date, last_day: date) -> Decimal:
    """Σ of the entry's balance on each day from ``first_day`` to ``last_day`` (both included).

    The balance on a day is that of the latest history step on or before it (steps on the
    same day: the last one listed wins); before the first step it is zero; without any
    history it is the current remaining amount. Negative balances count as zero.
    """
    steps = sorted(entry.balance_history, key=lambda step: step[0])
    if not steps:
        days = (last_day - first_day).days + 1
        return max(entry.remaining_amount, ZERO) * days
    total = ZERO
    balance = ZERO
    index = 0
    # balance in force on first_day
    while index < len(steps) and steps[index][0] <= first_day:
        balance = steps[index][1]
        index += 1
    day = first_day
    while day <= last_day:
        change = steps[index][0] if index < len(steps) else last_day + timedelta(days=1)
        stop = min(change, last_day + timedelta(days=1))
        total += max(balance, ZERO) * (stop - day).days
        day = stop
        if index < len(steps) and steps[index][0] == day:
            balance = steps[index][1]
            index += 1
    return total


def _closed_on(entry: FinanceChargeEntry) -> date | None:
    """The day a closed entry's balance reached zero (None: unknown)."""
    if entry.remaining_amount != 0 or not entry.balance_history:
        return None
    return max(step[0] for step in entry.balance_history)


def _bears_interest(terms: FinanceChargeTerms, entry: FinanceChargeEntry, grace_end: date) -> bool:
    """BC's Interest Calculation choice; a closed entry only if paid after the grace period."""
    if not terms.interest_on_fees and entry.document_type in FEE_DOCUMENT_TYPES:
        return False
    is_open = entry.remaining_amount != 0
    if terms.interest_calculation is InterestCalculation.OPEN_ENTRIES and not is_open:
        return False
    if terms.interest_calculation is InterestCalculation.CLOSED_ENTRIES and is_open:
        return False
    if is_open:
        return True
    closed = _closed_on(entry)
    return closed is not None and closed > grace_end


def _rate_text(rate: Decimal) -> str:
    return f"{rate.normalize():f} %"


def _balance_due(
    terms: FinanceChargeTerms, entry: FinanceChargeEntry, days: int, as_of: date, precision: Decimal
) -> FinanceChargeLine | None:
    """BC: overdue amount x interest rate / 100, at the rate in force on the calculation day;
    neither the days nor the interest period play a part."""
    base = entry.remaining_amount
    if base <= 0:
        return None
    rate = rate_on(terms.rates(), as_of).interest_rate_pct
    interest = round_amount(base * rate / HUNDRED, precision)
    part = InterestPart(as_of - timedelta(days=days - 1), as_of, days, base, rate, None, interest)
    text = f"{_money_text(base, precision)} × {_rate_text(rate)}"
    return FinanceChargeLine(entry.entry_no, entry.document_no, days, base, interest, text, (part,))


def _average_part(
    entry: FinanceChargeEntry, period: RatePeriod, precision: Decimal
) -> InterestPart | None:
    balance_days = _daily_balances_sum(entry, period.first, period.last)
    if balance_days <= 0:
        return None
    rate, days_in_period = period.interest_rate_pct, period.interest_period_days
    interest = round_amount(balance_days * rate / HUNDRED / days_in_period, precision)
    base = round_amount(balance_days / period.days, precision)
    return InterestPart(
        period.first, period.last, period.days, base, rate, days_in_period, interest
    )


def _average_daily_balance(
    terms: FinanceChargeTerms,
    entry: FinanceChargeEntry,
    start: date,
    as_of: date,
    precision: Decimal,
) -> FinanceChargeLine | None:
    """BC: overdue amount x (days overdue / interest period) x rate / 100, the overdue amount
    being each day's balance; days at different rates are charged at each rate (each part
    rounded, as BC rounds each detailed line)."""
    first = start + timedelta(days=1)
    parts = tuple(
        part
        for period in rate_periods(terms.rates(), first, as_of)
        if (part := _average_part(entry, period, precision)) is not None
    )
    if not parts:
        return None
    days = (as_of - start).days
    balance_days = _daily_balances_sum(entry, first, as_of)
    base = round_amount(balance_days / days, precision)
    interest = sum((part.interest_amount for part in parts), ZERO)
    text = " + ".join(
        f"average balance {_money_text(part.base_amount, precision)} × "
        f"{_rate_text(part.interest_rate_pct)} × {part.days} / {part.interest_period_days} days"
        for part in parts
    )
    return FinanceChargeLine(entry.entry_no, entry.document_no, days, base, interest, text, parts)


def _line(
    terms: FinanceChargeTerms, entry: FinanceChargeEntry, as_of: date, precision: Decimal
) -> FinanceChargeLine | None:
    grace_end = calc_date(terms.grace_period, entry.due_date)
    if as_of <= grace_end or not _bears_interest(terms, entry, grace_end):
        return None
    start = entry.due_date
    if entry.charged_until is not None and entry.charged_until > start:
        start = entry.charged_until
    days = (as_of - start).days
    if days <= 0:
        return None
    if terms.method is InterestMethod.BALANCE_DUE:
        return _balance_due(terms, entry, days, as_of, precision)
    return _average_daily_balance(terms, entry, start, as_of, precision)


def compute_memo(
    terms: FinanceChargeTerms,
    entries: Sequence[FinanceChargeEntry],
    document_date: date,
    as_of: date,
    precision: Decimal,
) -> FinanceChargeMemo | None:
    """Interest on a customer's overdue entries in one currency, or None when none is due.

    Days overdue = ``as_of`` − due date (or − ``charged_until`` when interest was already
    charged up to that day), counted only once ``as_of`` is past the grace period after the
    due date. BALANCE_DUE (BC): remaining × rate % — once per memo, for an entry with days
    not charged yet. AVERAGE_DAILY_BALANCE (BC): Σ over each overdue day of the balance that
    day × rate % / interest period days, i.e. the average daily balance × days / period ×
    rate %, per rate period when the rate changes. ``terms.interest_calculation`` chooses
    open entries, closed entries (paid after the grace period) or both. Each line is rounded;
    the memo is None when no line has interest or the interest total is below the minimum.
    """
    validate_finance_charge_terms(terms)
    if as_of > document_date:
        raise DomainError(
            ErrorCode.DATES_OUT_OF_ORDER,
            f"Interest cannot be calculated as of {as_of.isoformat()}, after the memo's document "
            f"date {document_date.isoformat()}.",
            ["documentDate"],
        )
    currencies = {entry.currency_code for entry in entries}
    if len(currencies) > 1:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "A finance charge memo covers one currency, not "
            f"{', '.join(sorted(code or 'LCY' for code in currencies))}.",
        )
    lines = [
        line
        for entry in sorted(entries, key=lambda e: (e.due_date, e.entry_no))
        if (line := _line(terms, entry, as_of, precision)) is not None and line.interest_amount > 0
    ]
    interest = sum((line.interest_amount for line in lines), ZERO)
    if not lines or interest < terms.minimum_amount:
        return None
    fee = round_amount(terms.additional_fee, precision)
    currency = next(iter(currencies))
    return FinanceChargeMemo(currency, tuple(lines), interest, fee, interest + fee)


def compute_memos(
    terms: FinanceChargeTerms,
    entries: Sequence[FinanceChargeEntry],
    document_date: date,
    as_of: date,
    precision: Decimal,
) -> tuple[FinanceChargeMemo, ...]:
    """One memo per currency (sorted by currency code) for a customer's entries."""
    validate_finance_charge_terms(terms)
    by_currency: dict[str, list[FinanceChargeEntry]] = {}
    for entry in entries:
        by_currency.setdefault(entry.currency_code, []).append(entry)
    memos = (
        compute_memo(terms, group, document_date, as_of, precision)
        for _, group in sorted(by_currency.items())
    )
    return tuple(memo for memo in memos if memo is not None)
