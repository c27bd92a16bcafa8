"""OFX is what US/Canadian/Australian banks (and some French ones) export; read it as written."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from domain.bank.errors import ParseError
from domain.bank.fields import classify_account, clean, compact, join_text
from domain.bank.model import BankStatement, StatementFormat, StatementLine
from domain.bank.ofx_tree import read_ofx_tree

_AMOUNT = re.compile(r"[+-]?(?:\d{1,18}(?:[.,]\d{0,10})?|[.,]\d{1,10})")
_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")


def parse_ofx(data: bytes) -> tuple[BankStatement, ...]:
    """Read every bank or credit-card statement (STMTRS / CCSTMTRS) of an OFX file."""
    root = read_ofx_tree(data)
    statements: list[BankStatement] = []
    for message in root:
        for transaction_set in message:
            for response in transaction_set:
                if response.tag in ("STMTRS", "CCSTMTRS"):
                    path = f"/OFX/{message.tag}/{transaction_set.tag}/{response.tag}"
                    statements.append(_statement(response, path))
    if not statements:
        raise ParseError("the OFX file holds no bank statement (STMTRS)", "/OFX")
    return tuple(statements)


def _statement(response: ET.Element, path: str) -> BankStatement:
    account = response.find("BANKACCTFROM")
    if account is None:
        account = response.find("CCACCTFROM")
    account_id = _text(account, "ACCTID")
    if account_id is None:
        raise ParseError("the statement has no account (ACCTID)", path)
    iban = _french_iban(_text(account, "BANKID"), _text(account, "BRANCHID"), account_id)
    number: str | None = None
    if iban is None:
        iban, number = classify_account(account_id)
    currency = _text(response, "CURDEF")

    lines: list[StatementLine] = []
    for position, trn in enumerate(response.iter("STMTTRN"), start=1):
        lines.append(_line(position, trn, currency, f"{path}/STMTTRN[{position}]"))

    ledger = response.find("LEDGERBAL")
    closing_text = _text(ledger, "BALAMT")
    closing = _amount(closing_text, f"{path}/LEDGERBAL/BALAMT") if closing_text else None
    closing_on = _date(_text(ledger, "DTASOF"), f"{path}/LEDGERBAL/DTASOF")
    tranlist = response.find("BANKTRANLIST")
    start_raw = _text(tranlist, "DTSTART")
    end_raw = _text(tranlist, "DTEND")
    end_on = _date(end_raw, f"{path}/BANKTRANLIST/DTEND")
    total = sum((line.amount for line in lines), Decimal(0))
    period = "-".join(p[:8] for p in (start_raw, end_raw) if p)
    return BankStatement(
        statement_id=f"{account_id}:{period}" if period else account_id,
        format=StatementFormat.OFX,
        account_iban=iban,
        account_number=number,
        currency_code=currency,
        statement_date=closing_on or end_on,
        # OFX has no opening balance: derive it so that opening + lines = closing.
        opening_balance=closing - total if closing is not None else None,
        closing_balance=closing,
        lines=tuple(lines),
        balance_warning=None,
    )


def _line(line_no: int, trn: ET.Element, currency: str | None, path: str) -> StatementLine:
    amount_text = _text(trn, "TRNAMT")
    if amount_text is None:
        raise ParseError("the transaction has no amount (TRNAMT)", path)
    posted = _date(_text(trn, "DTPOSTED"), f"{path}/DTPOSTED")
    if posted is None:
        raise ParseError("the transaction has no posting date (DTPOSTED)", path)
    available = _date(_text(trn, "DTAVAIL"), f"{path}/DTAVAIL")
    name = _text(trn, "NAME") or _text(trn.find("PAYEE"), "NAME")
    memo = _text(trn, "MEMO")
    counter_account = trn.find("BANKACCTTO")
    if counter_account is None:
        counter_account = trn.find("CCACCTTO")
    check = _text(trn, "CHECKNUM")
    line_currency = _text(trn.find("CURRENCY"), "CURSYM") or _text(
        trn.find("ORIGCURRENCY"), "CURSYM"
    )
    return StatementLine(
        line_no=line_no,
        booking_date=posted,
        value_date=available or posted,
        amount=_amount(amount_text, f"{path}/TRNAMT"),
        currency_code=line_currency or currency,
        counterparty_name=name,
        counterparty_iban=compact(_text(counter_account, "ACCTID")),
        remittance_text=join_text([name, memo]),
        end_to_end_id=None,
        bank_reference=_text(trn, "FITID"),
        customer_reference=check if check and check.strip("0") else _text(trn, "REFNUM"),
        transaction_code=_text(trn, "TRNTYPE"),
        raw_details=memo,
    )


def _text(element: ET.Element | None, tag: str) -> str | None:
    if element is None:
        return None
    child = element.find(tag)
    return clean(child.text) if child is not None else None


def _amount(text: str, path: str) -> Decimal:
    if not _AMOUNT.fullmatch(text):
        raise ParseError(f"{text[:40]!r} is not an amount", path)
    return Decimal(text.replace(",", "."))


def _date(text: str | None, path: str) -> date | None:
    """``YYYYMMDD[hhmmss[.xxx]][[-5:EST]]``: the calendar date as written, zone ignored."""
    if text is None:
        return None
    match = _DATE.match(text)
    if match is not None:
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            pass
    raise ParseError(f"{text[:40]!r} is not a date (YYYYMMDD...)", path)


def _french_iban(bank_id: str | None, branch_id: str | None, account_id: str) -> str | None:
    """French banks send the RIB in parts (BANKID 5, BRANCHID 5, ACCTID 11 [+ key 2])."""
    if not (bank_id and branch_id and re.fullmatch(r"\d{5}", bank_id)):
        return None
    if not re.fullmatch(r"\d{5}", branch_id) or not re.fullmatch(
        r"[0-9A-Z]{11}(\d{2})?", account_id
    ):
        return None
    try:
        if len(account_id) == 13:
            iban = IBAN.generate(
                "FR", bank_code=bank_id, branch_code=branch_id, account_code=account_id[:11]
            )
            return str(iban.compact) if str(iban.compact)[-2:] == account_id[-2:] else None
        return str(
            IBAN.generate(
                "FR", bank_code=bank_id, branch_code=branch_id, account_code=account_id
            ).compact
        )
    except (SchwiftyException, ValueError):
        return None
