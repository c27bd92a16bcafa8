"""Broken and malicious files are refused with a ParseError that says where, never anything else."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from domain.bank import CsvColumns, CsvMapping, ParseError, StatementFormat, parse_statement_file
from domain.errors import ErrorCode
from tests.unit.bank.sample_files import sample_paths

CAMT_NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"
MAPPING = CsvMapping(
    columns=CsvColumns(booking_date="date", amount="amount", description=("text",)),
)


def _camt(body: str, prolog: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}'
        f'<Document xmlns="{CAMT_NS}"><BkToCstmrStmt>{body}</BkToCstmrStmt></Document>'
    ).encode()


def _refused(data: bytes, fmt: str = "AUTO", mapping: CsvMapping | None = None) -> ParseError:
    with pytest.raises(ParseError) as info:
        parse_statement_file(data, fmt, csv_mapping=mapping)
    error = info.value
    assert error.code in (ErrorCode.PARSE_ERROR, ErrorCode.INVALID_INPUT)
    assert error.location
    return error


XXE = _camt(
    "<Stmt><Id>&xxe;</Id></Stmt>",
    '<!DOCTYPE Document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n',
)
BILLION_LAUGHS = _camt(
    "<Stmt><Id>&lol9;</Id></Stmt>",
    "<!DOCTYPE Document [\n"
    + '<!ENTITY lol "lol">\n'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">\n' for i in range(2, 10)).replace(
        "&lol1;", "&lol;"
    )
    + '<!ENTITY lol9 "&lol8;&lol8;">\n]>\n',
)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(XXE, id="xxe-etc-passwd"),
        pytest.param(BILLION_LAUGHS, id="billion-laughs"),
        pytest.param(_camt("<Stmt/>", "<!DOCTYPE Document>\n"), id="plain-doctype"),
        pytest.param(XXE.decode().replace("UTF-8", "UTF-16").encode("utf-16"), id="xxe-utf16"),
    ],
)
@pytest.mark.parametrize("fmt", ["AUTO", "CAMT053"])
def test_xml_with_a_doctype_is_refused_before_any_entity_is_expanded(data: bytes, fmt: str) -> None:
    error = _refused(data, fmt)

    assert "DOCTYPE not allowed" in error.message
    assert "root:" not in error.message  # nothing of /etc/passwd leaks into the message


def test_truncated_camt_names_the_line_where_it_breaks() -> None:
    (path,) = sample_paths("camt053", "dnb-lt_ofxstatement-iso20022.camt053.xml")
    data = path.read_bytes()

    error = _refused(data[: len(data) // 2], "CAMT053")

    assert error.location.startswith("line ")
    assert "not well-formed" in error.message


@pytest.mark.parametrize(
    ("data", "words"),
    [
        pytest.param(
            _camt("").replace(b"camt.053.001.02", b"pain.001.001.03"),
            "not a camt.053 or camt.054",
            id="pain-namespace",
        ),
        pytest.param(
            _camt("").replace(b"camt.053.001.02", b"camt.053.001.14"),
            "not supported",
            id="future-version",
        ),
        pytest.param(
            _camt("").replace(b"camt.053.001.02", b"camt.053.001.01"),
            "not supported",
            id="version-01",
        ),
        pytest.param(
            b'<?xml version="1.0"?><Invoice xmlns="' + CAMT_NS.encode() + b'"/>',
            "not an ISO 20022 <Document>",
            id="wrong-root",
        ),
        pytest.param(
            _camt("<Stmt><Id>1</Id></Stmt>").replace(b' xmlns="' + CAMT_NS.encode() + b'"', b""),
            "namespace",
            id="no-namespace",
        ),
    ],
)
def test_xml_that_is_not_a_supported_camt_message_is_refused(data: bytes, words: str) -> None:
    error = _refused(data, "CAMT053")

    assert words in error.message
    assert error.location.startswith("/")


def test_camt_amount_that_is_not_a_number_names_the_element() -> None:
    (path,) = sample_paths("camt053", "synthetic-v02-multi-statement_genkgo.camt053.xml")
    data = path.read_bytes().replace(b">7.00</Amt>", b">7,00 EUR</Amt>", 1)

    error = _refused(data)

    assert error.location == "/Document/BkToCstmrStmt/Stmt[2]/Ntry/Amt"


def test_camt_entry_without_credit_debit_indicator_is_refused() -> None:
    data = _camt(
        "<Stmt><Id>S1</Id><Ntry><Amt Ccy='EUR'>1.00</Amt><CdtDbtInd>XX</CdtDbtInd></Ntry></Stmt>"
    )

    error = _refused(data)

    assert error.location == "/Document/BkToCstmrStmt/Stmt/Ntry/CdtDbtInd"


PARSERS: list[tuple[str, CsvMapping | None]] = [
    ("AUTO", None),
    ("CAMT053", None),
    ("CAMT054", None),
    ("MT940", None),
    ("OFX", None),
    ("CSV", MAPPING),
]


@pytest.mark.parametrize(("fmt", "mapping"), PARSERS, ids=[p[0] for p in PARSERS])
def test_a_100_mb_file_is_refused_by_size_at_once(fmt: str, mapping: CsvMapping | None) -> None:
    data = b":20:" + b"A" * (100 * 1024 * 1024)
    started = time.perf_counter()

    error = _refused(data, fmt, mapping)

    assert time.perf_counter() - started < 1
    assert "limited to 20,971,520 bytes" in error.message


@pytest.mark.parametrize(("fmt", "mapping"), PARSERS, ids=[p[0] for p in PARSERS])
@pytest.mark.parametrize("data", [b"", b"   \r\n\t  \n"], ids=["empty", "blank"])
def test_an_empty_file_is_refused(fmt: str, mapping: CsvMapping | None, data: bytes) -> None:
    assert "empty" in _refused(data, fmt, mapping).message


GARBAGE = bytes((i * 7919 + 13) % 256 for i in range(4096))


@pytest.mark.parametrize(("fmt", "mapping"), PARSERS, ids=[p[0] for p in PARSERS])
def test_binary_garbage_is_refused(fmt: str, mapping: CsvMapping | None) -> None:
    _refused(GARBAGE, fmt, mapping)


@pytest.mark.parametrize(
    ("fmt", "mapping", "data", "line"),
    [
        pytest.param("MT940", None, b":20:X\n:25:1\n:86:caf\xe9\n", "line 3", id="mt940"),
        pytest.param(
            "CSV", MAPPING, b"date,amount,text\n2024-01-02,1.00,caf\xe9\n", "line 2", id="csv"
        ),
        pytest.param(
            "CAMT053",
            None,
            _camt("<Stmt>\n<Id>caf\xc3</Id></Stmt>".replace("\xc3", "")).replace(
                b"caf", b"caf\xff"
            ),
            "line 3",
            id="camt",
        ),
    ],
)
def test_invalid_utf8_names_its_line(
    fmt: str, mapping: CsvMapping | None, data: bytes, line: str
) -> None:
    assert _refused(data, fmt, mapping).location == line


MT940_OK = b":20:REF1\n:25:NL91ABNA0417164300\n:28C:1/1\n:60F:C240101EUR100,00\n"


@pytest.mark.parametrize(
    ("data", "words", "line"),
    [
        pytest.param(
            b":25:NL91ABNA0417164300\n:60F:C240101EUR1,00\n",
            "before any :20:",
            "line 1",
            id="missing-20",
        ),
        pytest.param(
            b":20:REF1\n:25:NL91ABNA0417164300\n:62F:C240101EUR1,00\n",
            "no :60F: opening balance",
            "line 1",
            id="missing-60F",
        ),
        pytest.param(
            b":20:REF1\n:25:NL91ABNA0417164300\n:61:240101C5,00NTRFNONREF\n",
            "before the opening balance",
            "line 3",
            id="line-before-60F",
        ),
        pytest.param(
            MT940_OK + b":61:240102CABC,00NTRFX\n",
            "not a statement line",
            "line 5",
            id="amount-abc",
        ),
        pytest.param(
            MT940_OK.replace(b"100,00", b"1O0,00"), "not a balance", "line 4", id="balance-letter-o"
        ),
        pytest.param(MT940_OK + b":61:241332C5,00NTRFX\n", "not a date", "line 5", id="month-13"),
        pytest.param(
            b":20:REF1\n:60F:C240101EUR1,00\n", "no :25: account", "line 1", id="missing-25"
        ),
        pytest.param(b"hello\nworld\n", "no MT940 tag", "line 1", id="no-tags"),
    ],
)
def test_broken_mt940_names_the_line_and_the_problem(data: bytes, words: str, line: str) -> None:
    error = _refused(data, "MT940")

    assert words in error.message
    assert error.location == line


def test_a_megabyte_line_of_garbage_does_not_hang_the_mt940_reader() -> None:
    data = MT940_OK + b":61:" + b"9," * 500_000 + b"\n:86:" + b"?2" * 500_000 + b"\n"
    started = time.perf_counter()

    _refused(data, "MT940")

    assert time.perf_counter() - started < 2


def test_a_megabyte_of_german_subfields_is_read_quickly() -> None:
    data = MT940_OK + b":61:240102C5,00NTRFX\n:86:166?20" + b"AB?2" * 250_000 + b"\n"
    started = time.perf_counter()

    (statement,) = parse_statement_file(data, "MT940")

    assert statement.lines[0].amount == 5
    assert time.perf_counter() - started < 5


OFX_HEAD = (
    b"OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\n"
    b"CHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n"
)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        pytest.param(
            OFX_HEAD + b"<OFX><A><![CDATA[" * 80_000, "CDATA section is not closed", id="cdata-bomb"
        ),
        pytest.param(OFX_HEAD + b"<OFX><BANKMSGSRSV1><STMTTRNRS>", "truncated", id="truncated"),
        pytest.param(OFX_HEAD + b"<OFX><A>1</B></OFX>", "markup is broken", id="mismatched-tags"),
        pytest.param(
            b"OFXHEADER:100\n" + b" " * 1_000_000 + b"\n<OFX></OFX>", "header", id="space-header"
        ),
        pytest.param(OFX_HEAD + b"<OFX></OFX>", "no bank statement", id="no-statement"),
    ],
)
def test_broken_ofx_is_refused_quickly(data: bytes, words: str) -> None:
    started = time.perf_counter()

    error = _refused(data, "OFX")

    assert words in error.message
    assert time.perf_counter() - started < 2


def test_ofx_amount_that_is_not_a_number_names_the_element() -> None:
    (path,) = sample_paths("ofx", "us-checking-v211-xml_oca.ofx")
    data = path.read_bytes().replace(b"<TRNAMT>-90</TRNAMT>", b"<TRNAMT>ninety</TRNAMT>", 1)

    error = _refused(data)

    assert error.location == "/OFX/BANKMSGSRSV1/STMTTRNRS/STMTRS/STMTTRN[2]/TRNAMT"


CSV_HEADER = b"date,amount,text\n"


@pytest.mark.parametrize(
    ("data", "words", "line"),
    [
        pytest.param(
            CSV_HEADER + b"2024-01-02,1.00,a\n2024-01-03,2.00\n",
            "2 fields, expected 3",
            "line 3",
            id="ragged",
        ),
        pytest.param(
            CSV_HEADER + b"2024-01-02,abc,a\n", "not an amount", "line 2", id="amount-abc"
        ),
        pytest.param(
            CSV_HEADER + b"02/01/2024,1.00,a\n", "date format", "line 2", id="date-format"
        ),
        pytest.param(
            CSV_HEADER + b'2024-01-02,1.00,"a\n', "cannot be read as CSV", "line 2", id="open-quote"
        ),
        pytest.param(
            b"day,amount,text\n2024-01-02,1.00,a\n",
            "'date' is not in the header",
            "line 1",
            id="missing-column",
        ),
        pytest.param(
            CSV_HEADER + b"2024-01-02,1.00," + b"x" * 200_000 + b"\n",
            "cannot be read",
            "line 2",
            id="huge-field",
        ),
    ],
)
def test_broken_csv_names_the_line(data: bytes, words: str, line: str) -> None:
    error = _refused(data, "CSV", MAPPING)

    assert words in error.message
    assert error.location == line


def test_csv_in_another_encoding_than_mapped_names_the_line() -> None:
    data = "date,amount,text\n2024-01-02,1.00,caf\u00e9\n".encode("latin-1")

    error = _refused(data, "CSV", MAPPING)

    assert error.location == "line 2"
    assert "check the encoding" in error.message


@pytest.mark.parametrize(
    ("call", "field"),
    [
        pytest.param(
            lambda: parse_statement_file(b"x", "CSV"), ["csvMapping"], id="csv-no-mapping"
        ),
        pytest.param(lambda: parse_statement_file(b"x", "PDF"), ["format"], id="unknown-format"),
    ],
)
def test_a_wrong_request_is_invalid_input_not_a_parse_error(
    call: Callable[[], object], field: list[str]
) -> None:
    with pytest.raises(ParseError) as info:
        call()

    assert info.value.code is ErrorCode.INVALID_INPUT
    assert info.value.field == field


def test_parse_error_message_starts_with_its_location() -> None:
    error = _refused(b":20:REF\n:25:X\n:60F:C240101EUR1,00\n:61:xx\n", StatementFormat.MT940)

    assert error.message.startswith("line 4: ")
