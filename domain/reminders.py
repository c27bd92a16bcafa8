"""Reminders chase overdue invoices level by level, adding the fees the reminder terms allow."""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from domain.dates import calc_date, parse_formula
from domain.errors import DomainError, ErrorCode
from domain.money import ZERO, from_lcy, round_amount

HUNDRED = Decimal(100)
TEXT_PLACEHOLDERS = frozenset({"total", "due_date"})  # what a level text may print
MAX_TEXT_LENGTH = 2000
# Entries a reminder chases. Reminder fee entries are not reminded again (that would charge
# fees on fees); credit memos and payments are never overdue.
REMINDABLE_DOCUMENT_TYPES = frozenset({"INVOICE", "FINANCE_CHARGE_MEMO"})


@dataclass(frozen=True, slots=True)
class ReminderLevel:
    """One step of the escalation: when it starts, when the reminder is due, what it costs."""

    no: int
    grace_period: str
    due_date_formula: str
    fixed_fee: Decimal
    pct_of_remaining: Decimal
    additional_fee_per_line: Decimal
    texts: tuple[tuple[str, str], ...] = ()  # (language code, text) printed on the reminder


@dataclass(frozen=True, slots=True)
class ReminderTerms:
    """BC's Reminder Terms: the levels, a minimum overdue total and a cap on reminders.

    ``max_reminders`` 0 means no cap (as BC).
    """

    code: str
    minimum_overdue_amount: Decimal
    max_reminders: int
    levels: tuple[ReminderLevel, ...]


@dataclass(frozen=True, slots=True)
class ReminderCandidate:
    """An open customer ledger entry as the reminder run sees it.

    ``last_reminder_date`` is the due date of the last reminder issued for the entry (BC
    counts the next level's grace period from it); None when never reminded.
    """

    entry_no: int
    document_type: str
    document_no: str
    currency_code: str
    posting_date: date
    document_date: date
    due_date: date
    remaining_amount: Decimal
    last_reminder_level: int
    last_reminder_date: date | None


@dataclass(frozen=True, slots=True)
class ReminderLine:
    """An overdue entry on a reminder and the level it is raised to."""

    entry_no: int
    document_type: str
    document_no: str
    due_date: date
    remaining_amount: Decimal
    level: int


@dataclass(frozen=True, slots=True)
class Reminder:
    """A proposed reminder for one currency: its lines, fees and what the customer owes."""

    currency_code: str
    level: int
    document_date: date
    due_date: date
    lines: tuple[ReminderLine, ...]
    remaining_amount: Decimal
    fixed_fee: Decimal
    pct_fee: Decimal
    line_fee: Decimal
    fee_amount: Decimal
    total_amount: Decimal


def _amount_error(value: Decimal, field: list[str], what: str) -> DomainError:
    return DomainError(ErrorCode.INVALID_AMOUNT, f"{what} cannot be negative, not {value}.", field)


def _check_formula(text: str, field: list[str]) -> None:
    try:
        parse_formula(text)
    except DomainError as error:
        raise DomainError(error.code, error.message, field) from None


def validate_terms(terms: ReminderTerms) -> None:
    """Refuse reminder terms that cannot produce a sensible reminder."""
    if not terms.levels:
        raise DomainError(
            ErrorCode.INVALID_TERMS,
            f"Reminder terms {terms.code!r} need at least one level.",
            ["levels"],
        )
    if terms.max_reminders < 0:
        raise DomainError(
            ErrorCode.INVALID_TERMS,
            f"The maximum number of reminders cannot be negative, not {terms.max_reminders}.",
            ["maxReminders"],
        )
    if not terms.minimum_overdue_amount.is_finite() or terms.minimum_overdue_amount < 0:
        raise _amount_error(
            terms.minimum_overdue_amount, ["minimumOverdueAmount"], "A minimum amount"
        )
    numbers = sorted(level.no for level in terms.levels)
    if numbers != list(range(1, len(numbers) + 1)):
        raise DomainError(
            ErrorCode.INVALID_TERMS,
            "Reminder levels must be numbered 1, 2, 3 ... without gaps or repeats, "
            f"not {', '.join(str(n) for n in numbers)}.",
            ["levels"],
        )
    for index, level in enumerate(terms.levels):
        where = ["levels", str(index)]
        _check_formula(level.grace_period, [*where, "gracePeriod"])
        _check_formula(level.due_date_formula, [*where, "dueDateCalculation"])
        for value, name, what in (
            (level.fixed_fee, "fixedFee", "A fixed fee"),
            (level.pct_of_remaining, "pctOfRemaining", "A percentage of the remaining amount"),
            (level.additional_fee_per_line, "additionalFeePerLine", "A fee per line"),
        ):
            if not value.is_finite() or value < 0:
                raise _amount_error(value, [*where, name], what)
        if level.pct_of_remaining > HUNDRED:
            raise DomainError(
                ErrorCode.INVALID_AMOUNT,
                f"A percentage of the remaining amount cannot exceed 100, not "
                f"{level.pct_of_remaining}.",
                [*where, "pctOfRemaining"],
            )
        _check_texts(level.texts, [*where, "texts"])


def _check_texts(texts: Sequence[tuple[str, str]], where: list[str]) -> None:
    """One text per language; it may print {total} and {due_date}, nothing else."""
    seen: set[str] = set()
    for k, (language, text) in enumerate(texts):
        field = [*where, str(k)]
        code = language.strip().lower()
        if not (2 <= len(code) <= 8 and code.replace("-", "").isalpha()) or code in seen:
            raise DomainError(
                ErrorCode.INVALID_TERMS,
                f"A level text needs a language code such as 'en' or 'fr', once per level, "
                f"not {language!r}.",
                [*field, "languageCode"],
            )
        seen.add(code)
        if not text.strip() or len(text) > MAX_TEXT_LENGTH:
            raise DomainError(
                ErrorCode.INVALID_TERMS,
                f"A level text must have 1 to {MAX_TEXT_LENGTH} characters.",
                [*field, "text"],
            )
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        except ValueError as exc:
            raise DomainError(
                ErrorCode.INVALID_TERMS,
                f"A level text has an unbalanced brace ({exc}); write {{{{ and }}}} for braces.",
                [*field, "text"],
            ) from exc
        unknown = names - TEXT_PLACEHOLDERS
        if unknown:
            raise DomainError(
                ErrorCode.INVALID_TERMS,
                f"A level text may only use {{total}} and {{due_date}}, not "
                f"{', '.join('{' + n + '}' for n in sorted(unknown))}.",
                [*field, "text"],
            )


def level_text(level: ReminderLevel, language: str, *, total: str, due_date: str) -> str | None:
    """The level's own text in ``language`` (``fr`` serves ``fr-BE``), filled in, or None when
    the terms have none for it (the built-in wording is printed then)."""
    wanted = language.strip().lower()
    by_code = {code.lower(): text for code, text in level.texts}
    text = by_code.get(wanted) or by_code.get(wanted.split("-")[0])
    return None if text is None else text.format(total=total, due_date=due_date)


def terms_in_currency(terms: ReminderTerms, rate: Decimal, precision: Decimal) -> ReminderTerms:
    """Reminder terms whose LCY amounts (fees, minimum) are converted at ``rate`` (LCY/unit).

    BC keeps reminder fees and the minimum in LCY; call this before proposing reminders for
    a foreign-currency customer.
    """
    levels = tuple(
        replace(
            level,
            fixed_fee=from_lcy(level.fixed_fee, rate, precision),
            additional_fee_per_line=from_lcy(level.additional_fee_per_line, rate, precision),
        )
        for level in terms.levels
    )
    minimum = from_lcy(terms.minimum_overdue_amount, rate, precision)
    return replace(terms, minimum_overdue_amount=minimum, levels=levels)


def _level_terms(terms: ReminderTerms, level_no: int) -> ReminderLevel:
    """The highest defined level not above ``level_no``: past the last one, the last repeats."""
    defined = [level for level in terms.levels if level.no <= level_no]
    return max(defined, key=lambda level: level.no)


def _next_level(terms: ReminderTerms, entry: ReminderCandidate, overdue_as_of: date) -> int:
    """The level this entry would be raised to, or 0 when it is not to be reminded now."""
    if entry.document_type not in REMINDABLE_DOCUMENT_TYPES or entry.remaining_amount <= 0:
        return 0
    if terms.max_reminders and entry.last_reminder_level >= terms.max_reminders:
        return 0
    next_level = max(entry.last_reminder_level, 0) + 1
    level = _level_terms(terms, next_level)
    since = entry.due_date
    if entry.last_reminder_level > 0 and entry.last_reminder_date is not None:
        since = entry.last_reminder_date
    if overdue_as_of > calc_date(level.grace_period, since):
        return next_level
    return 0


def _reminder(
    terms: ReminderTerms,
    currency: str,
    lines: list[ReminderLine],
    document_date: date,
    precision: Decimal,
) -> Reminder:
    lines.sort(key=lambda line: (line.due_date, line.entry_no))
    level_no = max(line.level for line in lines)
    level = _level_terms(terms, level_no)
    remaining = sum((line.remaining_amount for line in lines), ZERO)
    fixed_fee = round_amount(level.fixed_fee, precision)
    pct_fee = round_amount(level.pct_of_remaining * remaining / HUNDRED, precision)
    line_fee = round_amount(level.additional_fee_per_line * len(lines), precision)
    fee = fixed_fee + pct_fee + line_fee
    return Reminder(
        currency_code=currency,
        level=level_no,
        document_date=document_date,
        due_date=calc_date(level.due_date_formula, document_date),
        lines=tuple(lines),
        remaining_amount=remaining,
        fixed_fee=fixed_fee,
        pct_fee=pct_fee,
        line_fee=line_fee,
        fee_amount=fee,
        total_amount=remaining + fee,
    )


def propose_reminders(
    terms: ReminderTerms,
    entries: Sequence[ReminderCandidate],
    document_date: date,
    overdue_as_of: date,
    precision: Decimal,
) -> tuple[Reminder, ...]:
    """One reminder per currency for a customer's overdue entries, as BC's Create Reminders.

    An entry is on the reminder when it is an invoice or finance charge memo with a positive
    remaining amount, is below ``max_reminders`` and ``overdue_as_of`` is after the grace
    period of its next level (counted from its due date, or from its last reminder's due
    date). The reminder's level is the highest of its lines' levels; its fee is that level's
    fixed fee + % of the remaining total + fee per line × lines. A currency whose overdue
    total is below the terms' minimum gets no reminder. Raises NOTHING_OVERDUE when no
    reminder results, DATES_OUT_OF_ORDER when ``overdue_as_of`` is after ``document_date``.
    """
    validate_terms(terms)
    if overdue_as_of > document_date:
        raise DomainError(
            ErrorCode.DATES_OUT_OF_ORDER,
            f"Entries cannot be overdue as of {overdue_as_of.isoformat()}, after the reminder's "
            f"document date {document_date.isoformat()}.",
            ["documentDate"],
        )
    by_currency: dict[str, list[ReminderLine]] = {}
    for entry in entries:
        level = _next_level(terms, entry, overdue_as_of)
        if level:
            line = ReminderLine(
                entry.entry_no,
                entry.document_type,
                entry.document_no,
                entry.due_date,
                entry.remaining_amount,
                level,
            )
            by_currency.setdefault(entry.currency_code, []).append(line)
    if not by_currency:
        raise DomainError(
            ErrorCode.NOTHING_OVERDUE,
            f"No entry is overdue beyond its grace period on {overdue_as_of.isoformat()}.",
        )
    reminders = tuple(
        _reminder(terms, currency, lines, document_date, precision)
        for currency, lines in sorted(by_currency.items())
        if sum((line.remaining_amount for line in lines), ZERO) >= terms.minimum_overdue_amount
    )
    if not reminders:
        raise DomainError(
            ErrorCode.NOTHING_OVERDUE,
            f"The overdue balance is below the minimum of {terms.minimum_overdue_amount} set "
            f"in reminder terms {terms.code!r}.",
        )
    return reminders
