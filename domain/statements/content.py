"""A statement must tie to the ledger to the cent, so its content is computed from the detailed
ledger entries alone: balances are sums of detailed amounts up to a date, never stored totals.

Only entries posted on or before the end date are considered, and only their detailed entries
posted on or before it. Entries with a blank currency code belong to ``options.lcy_code``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal

from domain.errors import DomainError, ErrorCode
from domain.statements.aging import age_open_items, bucket_ranges
from domain.statements.model import (
    ZERO,
    Aging,
    AgingBy,
    CurrencySection,
    MovementType,
    OverdueLine,
    Statement,
    StatementCustomer,
    StatementEntry,
    StatementLine,
    StatementOptions,
    StatementStyle,
)

_MOVEMENT_ORDER = {kind: i for i, kind in enumerate(MovementType)}
_LAST = 1 << 62  # sorts the net application line after the entries of its day


def build_statement(
    customer: StatementCustomer, entries: Iterable[StatementEntry], options: StatementOptions
) -> Statement:
    """The customer's statement: one section per currency that has anything to show.

    The customer's own currency comes first, then the others by code. Raises
    DATES_OUT_OF_ORDER when the start date is after the end date and INVALID_DATE_FORMULA for
    an aging period that is not a date formula or does not move dates back.
    """
    check_period(options.start_date, options.end_date)
    if options.include_aging:
        bucket_ranges(options.aging_period, options.end_date, options.aging_by)
    by_currency = group_by_currency(entries, options.end_date, options.lcy_code)
    own = customer.currency_code or options.lcy_code
    order = sorted(by_currency, key=lambda code: (code != own, code))
    sections = tuple(
        section
        for code in order
        if (section := _section(code, by_currency[code], options)) is not None
    )
    language = options.language_code or customer.language_code
    return Statement(customer=customer, options=options, language_code=language, sections=sections)


def check_period(start_date: date, end_date: date) -> None:
    """A statement period runs forward: the start date may not be after the end date."""
    if start_date > end_date:
        raise DomainError(
            ErrorCode.DATES_OUT_OF_ORDER,
            f"The start date {start_date} is after the end date {end_date}.",
            ["startDate"],
        )


def group_by_currency(
    entries: Iterable[StatementEntry], end_date: date, lcy_code: str
) -> dict[str, list[StatementEntry]]:
    """Entries posted on or before the end date, per currency (blank = ``lcy_code``)."""
    groups: dict[str, list[StatementEntry]] = defaultdict(list)
    for entry in entries:
        if entry.posting_date <= end_date:
            groups[entry.currency_code or lcy_code].append(entry)
    for group in groups.values():
        group.sort(key=lambda e: (e.posting_date, e.entry_no))
    return dict(groups)


def _section(
    currency_code: str, entries: Sequence[StatementEntry], options: StatementOptions
) -> CurrencySection | None:
    start, end = options.start_date, options.end_date
    closing = sum((e.remaining_as_of(end) for e in entries), ZERO)
    if options.style is StatementStyle.BALANCE:
        opening = sum(
            (m.amount for e in entries for m in e.detailed if m.posting_date < start), ZERO
        )
        lines = balance_lines(entries, start, end, opening)
    else:
        open_before = [e for e in entries if e.posting_date < start]
        opening = sum((e.remaining_as_of(end) for e in open_before), ZERO)
        lines = open_item_lines(entries, start, end, opening)
    if opening == ZERO and not lines and closing == ZERO:
        return None
    overdue = overdue_lines(entries, end) if options.include_overdue else ()
    aging = _aging(entries, options) if options.include_aging else None
    return CurrencySection(
        currency_code=currency_code,
        opening_balance=opening,
        lines=lines,
        closing_balance=closing,
        overdue=overdue,
        aging=aging,
    )


def balance_lines(
    entries: Sequence[StatementEntry], start: date, end: date, opening: Decimal
) -> tuple[StatementLine, ...]:
    """Every movement in the period that changes the balance, in date order, with a running
    balance starting from ``opening``.

    An entry's initial entry is a line on its posting date; payment discounts, tolerances,
    rounding, corrections (and gains/losses when they carry an amount in the entry currency)
    are lines of their own. Applications move an amount from one entry to another: within one
    currency they add up to zero on their posting date and are not printed. When they do not
    (an application between currencies), their net for that day is one line of kind
    APPLICATION without an entry, so the running balance still ties to the ledger.
    """
    keyed: list[tuple[tuple[date, int, int], StatementLine]] = []
    application_net: dict[date, Decimal] = defaultdict(lambda: ZERO)
    for entry in entries:
        for movement in entry.detailed:
            if not start <= movement.posting_date <= end or movement.amount == ZERO:
                continue
            if movement.entry_type is MovementType.APPLICATION:
                application_net[movement.posting_date] += movement.amount
                continue
            line = _line(entry, movement.posting_date, movement.entry_type, movement.amount)
            key = (movement.posting_date, entry.entry_no, _MOVEMENT_ORDER[movement.entry_type])
            keyed.append((key, line))
    for day, net in application_net.items():
        if net != ZERO:
            keyed.append(((day, _LAST, 0), _net_application_line(day, net)))
    keyed.sort(key=lambda pair: pair[0])
    return _with_running_balance((line for _, line in keyed), opening)


def open_item_lines(
    entries: Sequence[StatementEntry], start: date, end: date, opening: Decimal
) -> tuple[StatementLine, ...]:
    """Entries posted in the period and still open at the end date, with their remaining
    amount at the end date as the line amount (BC's "Open Items" statement style)."""
    lines = []
    for entry in entries:
        if not start <= entry.posting_date <= end:
            continue
        remaining = entry.remaining_as_of(end)
        if remaining != ZERO:
            lines.append(_line(entry, entry.posting_date, MovementType.INITIAL_ENTRY, remaining))
    return _with_running_balance(lines, opening)


def overdue_lines(entries: Sequence[StatementEntry], end: date) -> tuple[OverdueLine, ...]:
    """Entries still owed at the end date (remaining > 0) whose due date is before it."""
    result = []
    for entry in entries:
        remaining = entry.remaining_as_of(end)
        if remaining > ZERO and entry.due_date is not None and entry.due_date < end:
            result.append(
                OverdueLine(
                    entry_no=entry.entry_no,
                    document_type=entry.document_type,
                    document_no=entry.document_no,
                    external_document_no=entry.external_document_no,
                    posting_date=entry.posting_date,
                    due_date=entry.due_date,
                    days_overdue=(end - entry.due_date).days,
                    original_amount=entry.amount,
                    remaining_amount=remaining,
                )
            )
    result.sort(key=lambda o: (o.due_date, o.entry_no))
    return tuple(result)


def _aging(entries: Sequence[StatementEntry], options: StatementOptions) -> Aging:
    end = options.end_date
    items = []
    for entry in entries:
        remaining = entry.remaining_as_of(end)
        if remaining == ZERO:
            continue
        if options.aging_by is AgingBy.DUE_DATE:
            items.append((entry.due_date or entry.posting_date, remaining))
        else:
            items.append((entry.posting_date, remaining))
    return age_open_items(items, options.aging_period, end, options.aging_by)


def _line(
    entry: StatementEntry, posting_date: date, kind: MovementType, amount: Decimal
) -> StatementLine:
    return StatementLine(
        posting_date=posting_date,
        kind=kind,
        entry_no=entry.entry_no,
        document_type=entry.document_type,
        document_no=entry.document_no,
        external_document_no=entry.external_document_no,
        due_date=entry.due_date,
        original_amount=entry.amount,
        amount=amount,
        balance=ZERO,
    )


def _net_application_line(day: date, net: Decimal) -> StatementLine:
    return StatementLine(
        posting_date=day,
        kind=MovementType.APPLICATION,
        entry_no=None,
        document_type=None,
        document_no="",
        external_document_no="",
        due_date=None,
        original_amount=net,
        amount=net,
        balance=ZERO,
    )


def _with_running_balance(
    lines: Iterable[StatementLine], opening: Decimal
) -> tuple[StatementLine, ...]:
    balance = opening
    result = []
    for line in lines:
        balance += line.amount
        result.append(replace(line, balance=balance))
    return tuple(result)
