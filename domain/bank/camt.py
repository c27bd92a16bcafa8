"""ISO 20022 camt.053/054 is how European banks report booked money; read every version alike."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from lxml import etree

from domain.bank.camt_entries import entry_lines
from domain.bank.camt_xml import child, children, iso_date, read_date, signed_amount, text_of
from domain.bank.errors import ParseError
from domain.bank.fields import clean, compact
from domain.bank.model import BankStatement, StatementFormat, StatementLine, balance_warning
from domain.bank.xml_safety import element_path, local_name, namespace_of, parse_xml

_NAMESPACE = re.compile(
    r"^urn:iso:std:iso:20022:tech:xsd:camt\.(?P<msg>05[34])\.001\.(?P<ver>\d{2})$"
)
_MESSAGES = {
    "053": (StatementFormat.CAMT053, "BkToCstmrStmt", "Stmt"),
    "054": (StatementFormat.CAMT054, "BkToCstmrDbtCdtNtfctn", "Ntfctn"),
}
_OPENING_CODES = ("OPBD", "PRCD")
_CLOSING_CODES = ("CLBD",)


def camt_kind(root: etree._Element) -> StatementFormat:
    """Which camt message this root is (053 or 054, versions .001.02 to .001.13)."""
    namespace = namespace_of(root)
    if local_name(root) != "Document":
        raise ParseError(
            f"the XML root is <{local_name(root)}>, not an ISO 20022 <Document>", element_path(root)
        )
    match = _NAMESPACE.match(namespace)
    if match is None:
        raise ParseError(
            f"the namespace {namespace or '(none)'!r} is not a camt.053 or camt.054 message",
            element_path(root),
        )
    version = int(match.group("ver"))
    if not 2 <= version <= 13:
        raise ParseError(
            f"camt.{match.group('msg')}.001.{match.group('ver')} is not supported "
            "(versions .001.02 to .001.13 are)",
            element_path(root),
        )
    return _MESSAGES[match.group("msg")][0]


def parse_camt(data: bytes, expected: StatementFormat | None = None) -> tuple[BankStatement, ...]:
    """Read every statement (053) or notification (054) of a camt message."""
    root = parse_xml(data)
    kind = camt_kind(root)
    if expected is not None and expected != kind:
        raise ParseError(
            f"the file is a {kind.value} message, not {expected.value}", element_path(root)
        )
    message_name, report_name = next(
        (msg, rpt) for fmt, msg, rpt in _MESSAGES.values() if fmt == kind
    )
    message = child(root, message_name)
    if message is None:
        raise ParseError(f"<{message_name}> is missing", element_path(root))
    reports = children(message, report_name)
    if not reports:
        raise ParseError(f"the message holds no <{report_name}>", element_path(message))
    return tuple(_statement(report, kind) for report in reports)


def _statement(report: etree._Element, kind: StatementFormat) -> BankStatement:
    statement_id = clean(text_of(child(report, "Id")))
    if statement_id is None:
        raise ParseError("the statement has no <Id>", element_path(report))
    account = child(report, "Acct")
    iban = compact(text_of(child(account, "Id", "IBAN")))
    other = clean(text_of(child(account, "Id", "Othr", "Id")))
    account_currency = clean(text_of(child(account, "Ccy")))

    opening, opening_ccy, _ = _balance(report, _OPENING_CODES)
    closing, closing_ccy, closing_date = _balance(report, _CLOSING_CODES)
    lines: list[StatementLine] = []
    for entry in children(report, "Ntry"):
        lines.extend(entry_lines(entry, start=len(lines) + 1))

    return BankStatement(
        statement_id=statement_id,
        format=kind,
        account_iban=iban,
        account_number=None if iban else other,
        currency_code=account_currency or opening_ccy or closing_ccy,
        statement_date=closing_date or _statement_date(report),
        opening_balance=opening,
        closing_balance=closing,
        lines=tuple(lines),
        balance_warning=balance_warning(
            opening, closing, (line.amount for line in lines), opening_ccy, closing_ccy
        ),
        sequence_number=clean(text_of(child(report, "ElctrncSeqNb"))),
        legal_sequence_number=clean(text_of(child(report, "LglSeqNb"))),
    )


def _balance(
    report: etree._Element, codes: tuple[str, ...]
) -> tuple[Decimal | None, str | None, date | None]:
    """The first balance whose type code is in ``codes`` (in that order of preference)."""
    found: dict[str, etree._Element] = {}
    for bal in children(report, "Bal"):
        code = text_of(child(bal, "Tp", "CdOrPrtry", "Cd")) or text_of(
            child(bal, "Tp", "CdOrPrtry", "Prtry")
        )
        if code is not None and code.strip() in codes:
            found.setdefault(code.strip(), bal)
    for code in codes:
        bal = found.get(code)
        if bal is not None:
            amount, currency = signed_amount(bal)
            return amount, currency, read_date(child(bal, "Dt"))
    return None, None, None


def _statement_date(report: etree._Element) -> date | None:
    to_date = child(report, "FrToDt", "ToDtTm")
    if to_date is not None:
        return iso_date(to_date)
    created = child(report, "CreDtTm")
    return iso_date(created) if created is not None else None
