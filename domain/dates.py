"""Due dates, discount dates, grace periods and aging buckets are all BC date formulas."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from domain.errors import DomainError, ErrorCode

# A count needs at most 7 digits: year 1 to year 9999 is 3,652,058 days.
_MAX_DIGITS = 7
_UNITS_TEXT = "a unit (D, WD, W, M, Q or Y)"
_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_DIGITS = frozenset("0123456789")


class Unit(StrEnum):
    """The period a term counts in; the value is the formula letter(s)."""

    DAY = "D"
    WEEKDAY = "WD"
    WEEK = "W"
    MONTH = "M"
    QUARTER = "Q"
    YEAR = "Y"


class TermKind(StrEnum):
    """`14D` counts periods, `CM` jumps to the current period's end, `D10` to a day number."""

    COUNT = "count"
    CURRENT = "current"
    POSITION = "position"


@dataclass(frozen=True, slots=True)
class DateTerm:
    """One signed term of a formula, such as `-1M`, `+CM` or `D10`."""

    negative: bool
    kind: TermKind
    unit: Unit
    number: int = 0
    # Where the term starts in the text it was parsed from; not part of the formula's identity.
    position: int = field(default=0, compare=False)

    def __str__(self) -> str:
        sign = "-" if self.negative else "+"
        if self.kind is TermKind.COUNT:
            return f"{sign}{self.number}{self.unit.value}"
        if self.kind is TermKind.CURRENT:
            return f"{sign}C{self.unit.value}"
        return f"{sign}{self.unit.value}{self.number}"


@dataclass(frozen=True, slots=True)
class DateFormula:
    """A parsed date formula: terms applied left to right to a base date."""

    terms: tuple[DateTerm, ...] = ()

    def __str__(self) -> str:
        text = "".join(str(term) for term in self.terms)
        return text[1:] if text.startswith("+") else text


def _shown(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _invalid(text: str, position: int, expected: str) -> DomainError:
    return DomainError(
        ErrorCode.INVALID_DATE_FORMULA,
        f"Date formula {_shown(text)} is not valid at position {position}: expected {expected}.",
    )


class _Parser:
    """Recursive-descent reader of `[sign] term (sign term)*`, case-insensitive."""

    def __init__(self, text: str) -> None:
        self.original = text
        # ASCII-only upper-casing keeps positions aligned with the original text.
        self.text = text.translate(_UPPER)
        self.pos = 0

    def _skip_spaces(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \t":
            self.pos += 1

    def _peek(self, count: int = 1) -> str:
        return self.text[self.pos : self.pos + count]

    def _unit(self, allow_weekday: bool) -> Unit:
        if allow_weekday and self._peek(2) == "WD":
            self.pos += 2
            return Unit.WEEKDAY
        char = self._peek()
        if char in ("D", "W", "M", "Q", "Y"):
            self.pos += 1
            return Unit(char)
        expected = _UNITS_TEXT if allow_weekday else "a period (D, W, M, Q or Y) after C"
        raise _invalid(self.original, self.pos, expected)

    def _number(self) -> int:
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] in _DIGITS:
            self.pos += 1
        digits = self.text[start : self.pos]
        if not digits:
            raise _invalid(self.original, start, "a number")
        if len(digits.lstrip("0")) > _MAX_DIGITS:
            raise _invalid(self.original, start, f"a number of at most {_MAX_DIGITS} digits")
        return int(digits)

    def _term(self, negative: bool, start: int) -> DateTerm:
        char = self._peek()
        if char in _DIGITS:
            number = self._number()
            unit = self._unit(allow_weekday=True)
            return DateTerm(negative, TermKind.COUNT, unit, number, start)
        if char == "C":
            self.pos += 1
            unit = self._unit(allow_weekday=False)
            return DateTerm(negative, TermKind.CURRENT, unit, 0, start)
        if char in ("D", "W"):
            unit = self._unit(allow_weekday=True)
            if unit not in (Unit.DAY, Unit.WEEKDAY):
                raise _invalid(self.original, self.pos - 1, "a number before W")
            number_at = self.pos
            if self._peek() not in _DIGITS:
                raise _invalid(self.original, number_at, f"a number after {unit.value}")
            number = self._number()
            highest = 31 if unit is Unit.DAY else 7
            if not 1 <= number <= highest:
                raise _invalid(
                    self.original, number_at, f"a {unit.value} number from 1 to {highest}"
                )
            return DateTerm(negative, TermKind.POSITION, unit, number, start)
        if char in ("M", "Q", "Y"):
            raise _invalid(self.original, self.pos, f"a number before {char}")
        raise _invalid(self.original, self.pos, "a term such as 14D, CM, D10 or WD4")

    def parse(self) -> DateFormula:
        terms: list[DateTerm] = []
        self._skip_spaces()
        while self.pos < len(self.text):
            char, start = self._peek(), self.pos
            if char in ("+", "-"):
                self.pos += 1
                self._skip_spaces()
            elif terms:
                raise _invalid(self.original, self.pos, "+ or - before the next term")
            terms.append(self._term(negative=char == "-", start=start))
            self._skip_spaces()
        return DateFormula(tuple(terms))


def parse_formula(text: str) -> DateFormula:
    """Read a BC date formula such as `1M+CM`; raises INVALID_DATE_FORMULA with the position."""
    return _Parser(text).parse()


def _days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def add_months(base: date, months: int) -> date:
    """Shift by whole months keeping the day of month, clamped to the month's last day."""
    index = base.year * 12 + base.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    if not 1 <= year <= 9999:
        raise OverflowError("date out of range")
    return date(year, month, min(base.day, _days_in_month(year, month)))


def _add_weekdays(base: date, count: int, step: int) -> date:
    """Count Monday-to-Friday days: `3WD` from a Friday is the next Wednesday."""
    if count == 0:
        return base
    current = base + timedelta(days=step)
    while current.isoweekday() > 5:  # the first counted day is a weekday
        current += timedelta(days=step)
    # From a weekday, seven calendar days are exactly five weekdays.
    full_weeks, rest = divmod(count - 1, 5)
    current += timedelta(days=7 * full_weeks * step)
    while rest:
        current += timedelta(days=step)
        if current.isoweekday() <= 5:
            rest -= 1
    return current


def _period_bounds(base: date, unit: Unit) -> tuple[date, date]:
    """First and last day of the day, ISO week, month, quarter or year holding ``base``."""
    if unit is Unit.DAY:
        return base, base
    if unit is Unit.WEEK:
        start = base - timedelta(days=base.isoweekday() - 1)
        return start, start + timedelta(days=6)
    if unit is Unit.MONTH:
        return base.replace(day=1), base.replace(day=_days_in_month(base.year, base.month))
    if unit is Unit.QUARTER:
        first_month = (base.month - 1) // 3 * 3 + 1
        last_month = first_month + 2
        return (
            date(base.year, first_month, 1),
            date(base.year, last_month, _days_in_month(base.year, last_month)),
        )
    return date(base.year, 1, 1), date(base.year, 12, 31)


def _day_in_month(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, _days_in_month(year, month)))


def _position_day(base: date, day: int, negative: bool) -> date:
    """Next (or, negative, previous) day ``day`` of a month strictly after (before) ``base``.

    Months too short for the day use their last day, so `D31` always means "month end".
    """
    candidate = _day_in_month(base.year, base.month, day)
    if not negative and candidate > base:
        return candidate
    if negative and candidate < base:
        return candidate
    other = add_months(base.replace(day=1), -1 if negative else 1)
    return _day_in_month(other.year, other.month, day)


def _position_weekday(base: date, weekday: int, negative: bool) -> date:
    """Next (previous) given ISO weekday strictly after (before) ``base``, never ``base``."""
    if negative:
        back = (base.isoweekday() - weekday) % 7 or 7
        return base - timedelta(days=back)
    ahead = (weekday - base.isoweekday()) % 7 or 7
    return base + timedelta(days=ahead)


def _apply(term: DateTerm, base: date) -> date:
    step = -1 if term.negative else 1
    if term.kind is TermKind.CURRENT:
        start, end = _period_bounds(base, term.unit)
        return start if term.negative else end
    if term.kind is TermKind.POSITION:
        if term.unit is Unit.DAY:
            return _position_day(base, term.number, term.negative)
        return _position_weekday(base, term.number, term.negative)
    if term.unit is Unit.DAY:
        return base + timedelta(days=step * term.number)
    if term.unit is Unit.WEEK:
        return base + timedelta(days=step * 7 * term.number)
    if term.unit is Unit.WEEKDAY:
        return _add_weekdays(base, term.number, step)
    months = {Unit.MONTH: 1, Unit.QUARTER: 3, Unit.YEAR: 12}[term.unit]
    return add_months(base, step * months * term.number)


def calc_date(formula: str | DateFormula, base: date) -> date:
    """Apply a date formula to ``base``; an empty formula leaves the date unchanged.

    Terms apply left to right, each to the previous result (BC's CALCDATE). A result outside
    years 1 to 9999 is an INVALID_DATE_FORMULA error naming the term's position.
    """
    # A formula object is re-read from its canonical text: that validates hand-built terms
    # and gives error positions that match the text shown in the message.
    text = formula if isinstance(formula, str) else str(formula)
    parsed = parse_formula(text)
    current = base
    for term in parsed.terms:
        try:
            current = _apply(term, current)
        except (OverflowError, ValueError):
            shown = str(DateFormula((term,)))
            raise DomainError(
                ErrorCode.INVALID_DATE_FORMULA,
                f"Date formula {_shown(text)} cannot be applied to {base.isoformat()}: at position "
                f"{term.position}, {shown} gives a date outside years 1 to 9999.",
            ) from None
    return current


def canonical_formula(text: str) -> str:
    """The canonical spelling of a formula (`+1m + cm` → `1M+CM`), for storing and display."""
    return str(parse_formula(text))
