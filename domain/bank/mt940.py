"""MT940 is still how many banks deliver statements; split it into statements line by line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from domain.bank.errors import ParseError
from domain.bank.fields import classify_account, clean
from domain.bank.model import BankStatement, StatementFormat, StatementLine, balance_warning
from domain.bank.mt940_details import interpret_details
from domain.bank.mt940_fields import Balance, parse_balance, parse_entry_line

_TAG = re.compile(r":(?P<tag>\d{2}[A-Z]?|NS):")
_KNOWN_TAGS = frozenset(
    {"13", "13D", "20", "21", "25", "25P", "28", "28C", "34F", "60", "60F", "60M", "61",
     "62", "62F", "62M", "64", "65", "86", "90C", "90D", "NS"}
)  # fmt: skip
_ENVELOPE = re.compile(r"^(?:\{\d:[^{}]*\})*\{4:")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(slots=True)
class _Field:
    """One ``:tag:`` with its value lines and the file line it starts on."""

    tag: str
    line_no: int
    lines: list[str]

    @property
    def where(self) -> str:
        return f"line {self.line_no}"

    @property
    def value(self) -> str:
        return "\n".join(self.lines)


@dataclass(slots=True)
class _Entry:
    head: _Field
    details: list[str] = field(default_factory=list)
    details_field: _Field | None = None


@dataclass(slots=True)
class _Statement:
    start: _Field
    account: _Field | None = None
    number: str | None = None
    opening: Balance | None = None
    closing: Balance | None = None
    closing_seen: bool = False
    entries: list[_Entry] = field(default_factory=list)


def decode_mt940(data: bytes) -> str:
    """MT940 text as UTF-8 (a BOM is dropped); invalid bytes name their line."""
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n") + 1
        raise ParseError(
            f"byte 0x{body[exc.start]:02x} is not valid UTF-8 (convert the file to UTF-8)",
            f"line {line}",
        ) from exc


def tokenize(text: str) -> list[_Field]:
    """Split the text into tag fields, dropping SWIFT envelopes, ``-`` trailers and preambles.

    Lines before the first tag of a message (bank headers such as ``ABNANL2A`` / ``940``)
    are ignored; a line that does not start with a known tag continues the previous field.
    """
    fields: list[_Field] = []
    current: _Field | None = None
    for number, raw in enumerate(text.split("\n"), start=1):
        raw = raw.replace("\r", "")
        line = _CONTROL.sub("", raw).rstrip()
        if line.startswith("{"):
            envelope = _ENVELOPE.match(line)
            line = line[envelope.end() :] if envelope else ""
            current = None
        if line.startswith(("-}", "}")):
            current = None  # end of a SWIFT envelope: what follows is a new message
            continue
        if not raw or line == "-":
            continue  # blank separator lines and the "-" message trailer carry no data
        match = _TAG.match(line)
        if match is not None and match.group("tag") in _KNOWN_TAGS:
            current = _Field(match.group("tag"), number, [line[match.end() :]])
            fields.append(current)
        elif current is not None:
            current.lines.append(line)
    return fields


def parse_mt940(data: bytes) -> tuple[BankStatement, ...]:
    """Read every statement (``:20:`` ... ``:62F:``) of an MT940 file."""
    fields = tokenize(decode_mt940(data))
    if not fields:
        raise ParseError("no MT940 tag (:20:, :25:, :60F:, :61:, ...) was found", "line 1")
    statements: list[_Statement] = []
    for item in fields:
        if item.tag == "20":
            statements.append(_Statement(start=item))
            continue
        if not statements:
            raise ParseError(f"the :{item.tag}: tag comes before any :20: statement", item.where)
        _apply(statements[-1], item)
    return tuple(_build(statement) for statement in statements)


def _apply(statement: _Statement, item: _Field) -> None:
    tag = item.tag
    if tag in ("25", "25P"):
        statement.account = item
    elif tag in ("28", "28C"):
        statement.number = clean("".join(item.lines))
    elif tag in ("60", "60F", "60M"):
        statement.opening = parse_balance(item.lines[0], item.where)
    elif tag in ("62", "62F", "62M"):
        statement.closing = parse_balance(item.lines[0], item.where)
        statement.closing_seen = True
    elif tag == "61":
        if statement.opening is None:
            raise ParseError(
                "a :61: statement line comes before the opening balance :60F:", item.where
            )
        statement.entries.append(_Entry(head=item))
    elif tag in ("86", "NS") and statement.entries and not statement.closing_seen:
        entry = statement.entries[-1]
        if entry.details_field is None:
            entry.details_field = item
        entry.details.extend(item.lines)
    # :13D:, :21:, :34F:, :64:, :65:, :90C:/:90D: and statement-level :86: carry nothing a
    # statement line needs.


def _build(statement: _Statement) -> BankStatement:
    start = statement.start
    statement_id = clean(start.value)
    if statement_id is None:
        raise ParseError("the :20: transaction reference is empty", start.where)
    if statement.account is None:
        raise ParseError(f"the statement {statement_id!r} has no :25: account", start.where)
    if statement.opening is None:
        raise ParseError(
            f"the statement {statement_id!r} has no :60F: opening balance", start.where
        )
    iban, number = classify_account(statement.account.value)
    if iban is None and number is None:
        raise ParseError("the :25: account is empty", statement.account.where)
    opening, closing = statement.opening, statement.closing
    lines = tuple(
        _line(i, entry, opening.currency) for i, entry in enumerate(statement.entries, start=1)
    )
    return BankStatement(
        statement_id=statement_id,
        format=StatementFormat.MT940,
        account_iban=iban,
        account_number=number,
        currency_code=opening.currency,
        statement_date=closing.on if closing else opening.on,
        opening_balance=opening.amount,
        closing_balance=closing.amount if closing else None,
        lines=lines,
        balance_warning=balance_warning(
            opening.amount,
            closing.amount if closing else None,
            (line.amount for line in lines),
            opening.currency,
            closing.currency if closing else None,
        ),
        sequence_number=statement.number,
    )


def _line(line_no: int, entry: _Entry, currency: str) -> StatementLine:
    head = parse_entry_line(entry.head.lines, entry.head.where)
    raw = "\n".join(entry.details) if entry.details_field is not None else None
    where = entry.details_field.where if entry.details_field else entry.head.where
    details = interpret_details(raw, where) if raw is not None and raw.strip() else None
    return StatementLine(
        line_no=line_no,
        booking_date=head.entry_date or head.value_date,
        value_date=head.value_date,
        amount=head.amount,
        currency_code=currency,
        counterparty_name=details.counterparty_name if details else None,
        counterparty_iban=details.counterparty_iban if details else None,
        remittance_text=details.remittance_text if details else None,
        end_to_end_id=details.end_to_end_id if details else None,
        bank_reference=head.bank_reference,
        customer_reference=head.customer_reference,
        transaction_code=head.transaction_type,
        raw_details=raw if raw is not None and raw.strip() else None,
    )
