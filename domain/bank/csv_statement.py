"""A CSV export becomes a statement only through its mapping; every bad row names its line."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from domain.bank.csv_mapping import CsvMapping, validate_mapping
from domain.bank.errors import ParseError
from domain.bank.fields import classify_account, clean, compact, join_text
from domain.bank.model import BankStatement, StatementFormat, StatementLine, balance_warning

_NUMBER = re.compile(r"\d+(?:\.\d+)?|\.\d+")


@dataclass(frozen=True, slots=True)
class _Row:
    line_no: int
    values: list[str]


@dataclass(frozen=True, slots=True)
class _Balances:
    before: Decimal | None
    after: Decimal | None


def parse_csv(data: bytes, mapping: CsvMapping) -> tuple[BankStatement, ...]:
    """Read a CSV export with ``mapping`` into one statement."""
    validate_mapping(mapping)
    text = _decode(data, mapping.encoding)
    rows = _rows(text, mapping)
    if not rows:
        raise ParseError("the file holds no rows", f"line {mapping.skip_rows + 1}")
    first_line = rows[0].line_no
    names: list[str] = []
    if mapping.has_header:
        names = [value.strip().lstrip("\ufeff") for value in rows[0].values]
        rows = rows[1:]
        if not rows:
            raise ParseError("the file holds no transaction rows below its header")
    width = len(names) if mapping.has_header else len(rows[0].values)
    index = _resolve(mapping, names, width, first_line)
    for row in rows:
        if len(row.values) != width:
            raise ParseError(
                f"the row has {len(row.values)} fields, expected {width} "
                f"(check the delimiter {mapping.delimiter!r} and the quoting)",
                f"line {row.line_no}",
            )
    reader = _RowReader(mapping, index, names)
    lines: list[StatementLine] = []
    balances: list[_Balances] = []
    for number, row in enumerate(rows, start=1):
        line, balance = reader.read(number, row)
        lines.append(line)
        balances.append(balance)
    return (_statement(data, mapping, lines, balances),)


def _decode(data: bytes, encoding: str) -> str:
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        return body.decode(encoding)
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n") + 1
        raise ParseError(
            f"byte 0x{body[exc.start]:02x} is not valid {encoding} text "
            "(check the encoding of the mapping)",
            f"line {line}",
        ) from exc


def _rows(text: str, mapping: CsvMapping) -> list[_Row]:
    parts = text.split("\n", mapping.skip_rows)
    if len(parts) <= mapping.skip_rows:
        raise ParseError(f"the file has fewer than {mapping.skip_rows + 1} lines")
    body = parts[mapping.skip_rows] if mapping.skip_rows else text
    if mapping.quote_char is None:
        reader = csv.reader(
            io.StringIO(body, newline=""),
            delimiter=mapping.delimiter,
            quoting=csv.QUOTE_NONE,
            strict=True,
        )
    else:
        reader = csv.reader(
            io.StringIO(body, newline=""),
            delimiter=mapping.delimiter,
            quotechar=mapping.quote_char,
            strict=True,
        )
    rows: list[_Row] = []
    try:
        for record in reader:
            if not any(value.strip() for value in record):
                continue  # blank line (or a row of empty fields)
            rows.append(_Row(mapping.skip_rows + reader.line_num, record))
    except csv.Error as exc:
        raise ParseError(
            f"the row cannot be read as CSV ({exc})", f"line {mapping.skip_rows + reader.line_num}"
        ) from exc
    return rows


def _resolve(mapping: CsvMapping, names: list[str], width: int, line_no: int) -> dict[str, int]:
    """Column position of every mapped field (description columns as ``description.N``)."""
    wanted = dict(mapping.columns.mapped())
    for position, reference in enumerate(mapping.columns.description):
        wanted[f"description.{position}"] = reference
    index: dict[str, int] = {}
    for name, reference in wanted.items():
        if mapping.has_header:
            matches = [i for i, header in enumerate(names) if header == reference.strip()]
            if not matches:
                raise ParseError(
                    f"the column {reference!r} is not in the header", f"line {line_no}"
                )
            if len(matches) > 1:
                raise ParseError(
                    f"the header has the column {reference!r} twice", f"line {line_no}"
                )
            index[name] = matches[0]
        else:
            position = int(reference)
            if position >= width:
                raise ParseError(
                    f"column {position} is mapped but the rows have only {width} fields",
                    f"line {line_no}",
                )
            index[name] = position
    return index


class _RowReader:
    """Reads the mapped fields of one row."""

    def __init__(self, mapping: CsvMapping, index: dict[str, int], names: list[str]) -> None:
        self._mapping = mapping
        self._index = index
        self._names = names
        self._debit_marks = {mark.strip().casefold() for mark in mapping.debit_indicators}
        self._used = set(index.values())

    def read(self, line_no: int, row: _Row) -> tuple[StatementLine, _Balances]:
        booking = self._date(row, "booking_date")
        if booking is None:
            raise ParseError("the booking date is empty", f"line {row.line_no}")
        value = self._date(row, "value_date") if "value_date" in self._index else None
        descriptions = [
            self._get(row, key) for key in sorted(self._index) if key.startswith("description.")
        ]
        return (
            StatementLine(
                line_no=line_no,
                booking_date=booking,
                value_date=value or booking,
                amount=self._amount(row),
                currency_code=clean(self._get(row, "currency")) or self._mapping.currency_code,
                counterparty_name=clean(self._get(row, "counterparty_name")),
                counterparty_iban=compact(self._get(row, "counterparty_iban")),
                remittance_text=join_text(descriptions),
                end_to_end_id=clean(self._get(row, "end_to_end_id")),
                raw_details=self._unmapped(row),
            ),
            _Balances(self._number(row, "balance_before"), self._number(row, "balance_after")),
        )

    def _get(self, row: _Row, key: str) -> str | None:
        position = self._index.get(key)
        return None if position is None else row.values[position]

    def _date(self, row: _Row, key: str) -> date | None:
        text = clean(self._get(row, key))
        if text is None:
            return None
        try:
            return datetime.strptime(text, self._mapping.date_format).date()
        except ValueError as exc:
            raise ParseError(
                f"{text[:40]!r} in column {self._column(key)} does not match the date format "
                f"{self._mapping.date_format!r}",
                f"line {row.line_no}",
            ) from exc

    def _number(self, row: _Row, key: str) -> Decimal | None:
        text = clean(self._get(row, key))
        if text is None:
            return None
        value = parse_number(
            text, self._mapping.decimal_separator, self._mapping.thousands_separator
        )
        if value is None:
            raise ParseError(
                f"{text[:40]!r} in column {self._column(key)} is not an amount "
                f"(decimal separator {self._mapping.decimal_separator!r})",
                f"line {row.line_no}",
            )
        return value

    def _amount(self, row: _Row) -> Decimal:
        if "amount" in self._index:
            amount = self._number(row, "amount")
            if amount is None:
                raise ParseError("the amount is empty", f"line {row.line_no}")
            if "debit_credit_indicator" in self._index:
                mark = (self._get(row, "debit_credit_indicator") or "").strip().casefold()
                return -abs(amount) if mark in self._debit_marks else abs(amount)
            return amount
        debit = self._number(row, "debit_amount")
        credit = self._number(row, "credit_amount")
        if debit is None and credit is None:
            raise ParseError(
                "both the debit and the credit amount are empty", f"line {row.line_no}"
            )
        return abs(credit or Decimal(0)) - abs(debit or Decimal(0))

    def _column(self, key: str) -> str:
        position = self._index[key]
        return repr(self._names[position]) if self._names else str(position)

    def _unmapped(self, row: _Row) -> str | None:
        """Columns the mapping does not use, kept as ``header: value`` for the user."""
        parts = []
        for position, value in enumerate(row.values):
            if position in self._used or not value.strip():
                continue
            label = self._names[position] if self._names else str(position)
            parts.append(f"{label}: {value.strip()}" if label else value.strip())
        return " | ".join(parts) or None


def parse_number(
    text: str, decimal_separator: str, thousands_separator: str | None
) -> Decimal | None:
    """``-1.533,50`` / ``1,533.50`` / ``(12.00)`` / ``12.00-`` -> Decimal; None if not a number."""
    value = text.strip()
    negative = False
    if value.startswith("(") and value.endswith(")"):
        negative, value = True, value[1:-1].strip()
    if value[:1] in "+-" and value:
        negative, value = negative != (value[0] == "-"), value[1:].strip()
    elif value.endswith("-"):
        negative, value = not negative, value[:-1].strip()
    if thousands_separator:
        value = value.replace(thousands_separator, "")
    value = value.replace(decimal_separator, ".")
    if not _NUMBER.fullmatch(value) or len(value) > 30:
        return None
    number = Decimal(value)
    return -number if negative else number


def _statement(
    data: bytes, mapping: CsvMapping, lines: list[StatementLine], balances: list[_Balances]
) -> BankStatement:
    iban, number = classify_account(mapping.account_iban)
    # Exports list newest first or oldest first; the earliest row carries the opening balance.
    newest_first = (lines[0].booking_date or date.min) > (lines[-1].booking_date or date.min)
    first, last = (len(lines) - 1, 0) if newest_first else (0, len(lines) - 1)
    opening = balances[first].before
    first_after = balances[first].after
    if opening is None and first_after is not None:
        opening = first_after - lines[first].amount
    closing = balances[last].after
    last_before = balances[last].before
    if closing is None and last_before is not None:
        closing = last_before + lines[last].amount
    currencies = {line.currency_code for line in lines}
    return BankStatement(
        statement_id="CSV-" + hashlib.sha256(data).hexdigest()[:16],
        format=StatementFormat.CSV,
        account_iban=iban,
        account_number=number,
        currency_code=mapping.currency_code or (currencies.pop() if len(currencies) == 1 else None),
        statement_date=max(line.booking_date for line in lines if line.booking_date),
        opening_balance=opening,
        closing_balance=closing,
        lines=tuple(lines),
        balance_warning=balance_warning(opening, closing, (line.amount for line in lines)),
    )
