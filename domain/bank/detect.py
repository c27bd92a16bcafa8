"""Users upload whatever their bank gave them; recognise the format and refuse what is not one."""

from __future__ import annotations

import re
from typing import Literal

from domain.bank.camt import parse_camt
from domain.bank.csv_mapping import CsvMapping
from domain.bank.csv_statement import parse_csv
from domain.bank.errors import ParseError
from domain.bank.model import BankStatement, StatementFormat
from domain.bank.mt940 import parse_mt940
from domain.bank.ofx import parse_ofx
from domain.errors import ErrorCode

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_PEEK = 8192
_CAMT = re.compile(r"urn:iso:std:iso:20022:tech:xsd:camt\.(05[34])\.")
_MT940 = re.compile(r"(?:^|\n)\s*(?::20:|:940:|\{1:|\{4:)")


def detect_format(data: bytes) -> StatementFormat:
    """Recognise camt.053/054, MT940 or OFX from the start of the file.

    CSV has no signature: it is only read with a mapping (``AUTO`` + mapping means CSV).
    """
    head = (
        data[:_PEEK]
        .replace(b"\x00", b"")
        .decode("latin-1")
        .lstrip("\ufeff\xef\xbb\xbf\xff\xfe \t\r\n")
    )
    if (
        head.startswith("OFXHEADER")
        or "<?OFX" in head
        or re.match(r"(<\?xml[^>]*>\s*)?<OFX>", head)
    ):
        return StatementFormat.OFX
    if head.startswith("<"):
        match = _CAMT.search(head)
        if match is not None:
            return StatementFormat.CAMT053 if match.group(1) == "053" else StatementFormat.CAMT054
        raise ParseError("this XML file is neither a camt.053/camt.054 message nor an OFX file")
    if _MT940.search(head):
        return StatementFormat.MT940
    raise ParseError(
        "the file format is not recognised (camt.053/054, MT940 or OFX); "
        "a CSV file needs a column mapping"
    )


def parse_statement_file(
    data: bytes,
    fmt: StatementFormat | Literal["AUTO"] | str,
    csv_mapping: CsvMapping | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> tuple[BankStatement, ...]:
    """Read a bank statement file into statements; a broken file raises ParseError.

    Nothing is half-read: either every statement of the file is returned, or the error
    names the line (text formats) or element path (XML) that is wrong.
    """
    if len(data) > max_bytes:
        raise ParseError(
            f"the file is {len(data):,} bytes; statement files are limited to {max_bytes:,} bytes"
        )
    if not data.strip():
        raise ParseError("the file is empty")
    kind = _resolve_format(data, fmt, csv_mapping)
    if kind is StatementFormat.CSV:
        if csv_mapping is None:
            raise ParseError(
                "a CSV file needs a column mapping (csvMapping or csvMappingCode)",
                code=ErrorCode.INVALID_INPUT,
                field=("csvMapping",),
            )
        return parse_csv(data, csv_mapping)
    if kind is StatementFormat.MT940:
        return parse_mt940(data)
    if kind is StatementFormat.OFX:
        return parse_ofx(data)
    return parse_camt(data, expected=kind)


def _resolve_format(
    data: bytes, fmt: StatementFormat | str, csv_mapping: CsvMapping | None
) -> StatementFormat:
    if fmt == "AUTO":
        return StatementFormat.CSV if csv_mapping is not None else detect_format(data)
    try:
        return StatementFormat(fmt)
    except ValueError:
        raise ParseError(
            f"{fmt!r} is not a statement format (CAMT053, CAMT054, MT940, OFX, CSV or AUTO)",
            code=ErrorCode.INVALID_INPUT,
            field=("format",),
        ) from None
