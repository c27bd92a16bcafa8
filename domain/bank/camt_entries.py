"""A camt entry may batch several payments; cash application needs each payer on its own line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from lxml import etree

from domain.bank.camt_xml import child, children, read_date, signed_amount, text_of
from domain.bank.errors import ParseError
from domain.bank.fields import compact, join_text, parse_plain_decimal
from domain.bank.model import StatementLine
from domain.bank.xml_safety import element_path

_NOT_PROVIDED = "NOTPROVIDED"


@dataclass(frozen=True, slots=True)
class _Entry:
    """What every line of one ``Ntry`` shares."""

    currency: str | None
    booking_date: date | None
    value_date: date | None
    bank_reference: str | None
    transaction_code: str | None
    additional_info: str | None


def entry_lines(entry: etree._Element, start: int) -> list[StatementLine]:
    """Lines for one ``Ntry`` (one, or one per ``TxDtls`` of a batch), numbered from ``start``."""
    amount, currency = signed_amount(entry)
    transactions = [
        tx for details in children(entry, "NtryDtls") for tx in children(details, "TxDtls")
    ]
    shared = _Entry(
        currency=currency,
        booking_date=read_date(child(entry, "BookgDt")),
        value_date=read_date(child(entry, "ValDt")),
        bank_reference=text_of(child(entry, "AcctSvcrRef")),
        transaction_code=_bank_transaction_code(child(entry, "BkTxCd")),
        additional_info=text_of(child(entry, "AddtlNtryInf")),
    )
    split = _split_amounts(transactions, amount, currency)
    if split is None:
        return [_line(start, amount, transactions, shared)]
    return [
        _line(start + i, tx_amount, [tx], shared)
        for i, (tx, tx_amount) in enumerate(zip(transactions, split, strict=True))
    ]


def _split_amounts(
    transactions: list[etree._Element], entry_amount: Decimal, currency: str | None
) -> list[Decimal] | None:
    """Per-transaction amounts when a batch entry can be split exactly, else None.

    A batch is split only when it has several ``TxDtls``, each with its own amount in the
    entry's currency, and those amounts add up to the entry amount: then every payer gets
    its own line and the statement still balances. Otherwise the entry stays one line.
    """
    if len(transactions) < 2:
        return None
    amounts: list[Decimal] = []
    for tx in transactions:
        amt = child(tx, "Amt")
        if amt is None:
            amt = child(tx, "AmtDtls", "TxAmt", "Amt")
        if amt is None:
            return None
        value = parse_plain_decimal((amt.text or "").strip())
        if value is None:
            raise ParseError(f"{(amt.text or '').strip()!r} is not an amount", element_path(amt))
        tx_currency = amt.get("Ccy")
        if currency and tx_currency and tx_currency.strip() != currency:
            return None
        indicator = text_of(child(tx, "CdtDbtInd"))
        if indicator is None:
            negative = entry_amount < 0
        elif indicator in ("CRDT", "DBIT"):
            negative = indicator == "DBIT"
        else:
            raise ParseError(
                f"the credit/debit indicator must be CRDT or DBIT, not {indicator!r}",
                element_path(tx),
            )
        amounts.append(-value if negative else value)
    if sum(amounts, Decimal(0)) != entry_amount:
        return None
    return amounts


def _line(
    line_no: int,
    amount: Decimal,
    transactions: list[etree._Element],
    entry: _Entry,
) -> StatementLine:
    incoming = amount >= 0
    party, account = ("Dbtr", "DbtrAcct") if incoming else ("Cdtr", "CdtrAcct")
    names: list[str | None] = []
    ibans: list[str | None] = []
    remittance: list[str | None] = []
    end_to_end: list[str | None] = []
    instruction: list[str | None] = []
    servicer: list[str | None] = []
    codes: list[str | None] = []
    extra: list[str | None] = []
    for tx in transactions:
        parties = child(tx, "RltdPties")
        names.append(_party_name(parties, party) or _party_name(parties, "Ultmt" + party))
        ibans.append(_account_id(child(parties, account)))
        remittance.extend(_remittance(tx))
        e2e = text_of(child(tx, "Refs", "EndToEndId"))
        end_to_end.append(None if e2e is None or e2e.upper() == _NOT_PROVIDED else e2e)
        ref = text_of(child(tx, "Refs", "InstrId"))
        instruction.append(None if ref is None or ref.upper() == _NOT_PROVIDED else ref)
        servicer.append(text_of(child(tx, "Refs", "AcctSvcrRef")))
        codes.append(_bank_transaction_code(child(tx, "BkTxCd")))
        extra.append(text_of(child(tx, "AddtlTxInf")))
    details = join_text([*extra, entry.additional_info])
    return StatementLine(
        line_no=line_no,
        booking_date=entry.booking_date,
        value_date=entry.value_date,
        amount=amount,
        currency_code=entry.currency,
        counterparty_name=_first(names),
        counterparty_iban=_first(ibans),
        remittance_text=join_text(remittance) or details,
        end_to_end_id=_first(end_to_end),
        bank_reference=_first(servicer) or entry.bank_reference,
        customer_reference=_first(instruction),
        transaction_code=_first(codes) or entry.transaction_code,
        raw_details=details,
    )


def _first(values: list[str | None]) -> str | None:
    return next((v for v in values if v), None)


def _party_name(parties: etree._Element | None, role: str) -> str | None:
    party = child(parties, role)
    return text_of(child(party, "Nm")) or text_of(child(party, "Pty", "Nm"))


def _account_id(account: etree._Element | None) -> str | None:
    return compact(
        text_of(child(account, "Id", "IBAN")) or text_of(child(account, "Id", "Othr", "Id"))
    )


def _remittance(tx: etree._Element) -> list[str | None]:
    """Unstructured text and structured references, so document numbers can be found."""
    parts: list[str | None] = []
    for info in children(tx, "RmtInf"):
        parts.extend(text_of(u) for u in children(info, "Ustrd"))
        for structured in children(info, "Strd"):
            for doc in children(structured, "RfrdDocInf"):
                parts.append(text_of(child(doc, "Nb")))
            for creditor_ref in children(structured, "CdtrRefInf"):
                parts.append(text_of(child(creditor_ref, "Ref")))
            parts.extend(text_of(a) for a in children(structured, "AddtlRmtInf"))
    return parts


def _bank_transaction_code(code: etree._Element | None) -> str | None:
    """``PMNT-RCDT-ESCT`` from the ISO domain/family/sub-family, else the proprietary code."""
    domain = child(code, "Domn")
    parts = [
        text_of(child(domain, "Cd")),
        text_of(child(domain, "Fmly", "Cd")),
        text_of(child(domain, "Fmly", "SubFmlyCd")),
    ]
    if all(parts):
        return "-".join(p for p in parts if p)
    return text_of(child(code, "Prtry", "Cd"))
