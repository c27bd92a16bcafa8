"""A camt.053 statement built from a few entries, as a bank would send it: the demo imports
one so a new user sees suggestions on both ledgers at once, and the tests build theirs with it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

DEFAULT_IBAN = "NL77ABNA0574908765"


@dataclass(frozen=True)
class Entry:
    """One camt.053 entry: positive amount = money in (CRDT)."""

    amount: Decimal
    name: str
    iban: str | None
    text: str
    end_to_end_id: str = "NOTPROVIDED"


def camt053(
    entries: list[Entry],
    *,
    statement_id: str = "STMT-2026-11-20",
    iban: str = DEFAULT_IBAN,
    opening: Decimal = Decimal("0.00"),
    closing: Decimal | None = None,
    day: str = "2026-11-20",
) -> bytes:
    """A camt.053.001.02 statement, as a bank would send it for these entries."""
    closing = opening + sum((e.amount for e in entries), Decimal(0)) if closing is None else closing

    def balance(code: str, amount: Decimal) -> str:
        sign = "CRDT" if amount >= 0 else "DBIT"
        return (
            f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>"
            f'<Amt Ccy="EUR">{abs(amount)}</Amt><CdtDbtInd>{sign}</CdtDbtInd>'
            f"<Dt><Dt>{day}</Dt></Dt></Bal>"
        )

    def entry(e: Entry) -> str:
        credit = e.amount > 0
        party, account = ("Dbtr", "DbtrAcct") if credit else ("Cdtr", "CdtrAcct")
        acct = f"<{account}><Id><IBAN>{e.iban}</IBAN></Id></{account}>" if e.iban else ""
        return (
            f'<Ntry><Amt Ccy="EUR">{abs(e.amount)}</Amt>'
            f"<CdtDbtInd>{'CRDT' if credit else 'DBIT'}</CdtDbtInd><Sts>BOOK</Sts>"
            f"<BookgDt><Dt>{day}</Dt></BookgDt><ValDt><Dt>{day}</Dt></ValDt>"
            "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd>"
            "</Fmly></Domn></BkTxCd>"
            f"<NtryDtls><TxDtls><Refs><EndToEndId>{escape(e.end_to_end_id)}</EndToEndId></Refs>"
            f"<RltdPties><{party}><Nm>{escape(e.name)}</Nm></{party}>{acct}</RltdPties>"
            f"<RmtInf><Ustrd>{escape(e.text)}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"
        )

    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>'
        f"<GrpHdr><MsgId>MSG-{statement_id}</MsgId><CreDtTm>{day}T18:00:00</CreDtTm></GrpHdr>"
        f"<Stmt><Id>{statement_id}</Id><CreDtTm>{day}T18:00:00</CreDtTm>"
        f"<Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>EUR</Ccy></Acct>"
        f"{balance('OPBD', opening)}{balance('CLBD', closing)}"
        + "".join(entry(e) for e in entries)
        + "</Stmt></BkToCstmrStmt></Document>"
    )
    return xml.encode()
