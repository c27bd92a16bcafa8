"""Whatever bytes arrive, every parser returns statements or raises ParseError, nothing else."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.bank import BankStatement, CsvColumns, CsvMapping, ParseError, parse_statement_file
from tests.unit.bank.sample_files import sample_paths

MAPPING = CsvMapping(
    delimiter=";",
    decimal_separator=",",
    date_format="%d-%m-%Y",
    debit_indicators=("D",),
    columns=CsvColumns(
        booking_date="0", amount="1", debit_credit_indicator="2", description=("3",)
    ),
    has_header=False,
)
FORMATS: dict[str, list[bytes]] = {
    "CAMT053": [p.read_bytes() for p in sample_paths("camt053")],
    "CAMT054": [p.read_bytes() for p in sample_paths("camt054")],
    "MT940": [p.read_bytes() for p in sample_paths("mt940")],
    "OFX": [p.read_bytes() for p in sample_paths("ofx")],
    "CSV": [b"01-02-2024;12,50;C;invoice 1\n02-02-2024;3,00;D;fee\n"],
}
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _parse_or_refuse(data: bytes, fmt: str) -> None:
    mapping = MAPPING if fmt == "CSV" else None
    try:
        statements = parse_statement_file(data, fmt, csv_mapping=mapping)
    except ParseError as error:
        location = error.location
        statements = ()
        assert location, "a ParseError must say where"
    assert isinstance(statements, tuple)
    for statement in statements:
        assert isinstance(statement, BankStatement)
        assert [line.line_no for line in statement.lines] == list(
            range(1, len(statement.lines) + 1)
        )


@st.composite
def mutated(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    """A real sample with random byte flips, insertions, deletions or a truncation."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(min_value=1, max_value=8))):
        if not data:
            break
        position = draw(st.integers(min_value=0, max_value=len(data) - 1))
        action = draw(st.sampled_from(["flip", "insert", "delete", "truncate"]))
        if action == "flip":
            data[position] = draw(st.integers(min_value=0, max_value=255))
        elif action == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=8))
        elif action == "delete":
            del data[position : position + draw(st.integers(min_value=1, max_value=16))]
        else:
            del data[position:]
    return bytes(data)


@FUZZ
@given(data=st.binary(max_size=2048), fmt=st.sampled_from([*FORMATS, "AUTO"]))
def test_arbitrary_bytes_give_statements_or_a_parse_error(data: bytes, fmt: str) -> None:
    _parse_or_refuse(data, fmt)


@FUZZ
@given(data=mutated(FORMATS["CAMT053"] + FORMATS["CAMT054"]))
def test_mutated_camt_samples_give_statements_or_a_parse_error(data: bytes) -> None:
    _parse_or_refuse(data, "AUTO")
    _parse_or_refuse(data, "CAMT053")


@FUZZ
@given(data=mutated(FORMATS["MT940"]))
def test_mutated_mt940_samples_give_statements_or_a_parse_error(data: bytes) -> None:
    _parse_or_refuse(data, "MT940")


@FUZZ
@given(data=mutated(FORMATS["OFX"]))
def test_mutated_ofx_samples_give_statements_or_a_parse_error(data: bytes) -> None:
    _parse_or_refuse(data, "OFX")


@FUZZ
@given(data=mutated(FORMATS["CSV"] + [p.read_bytes() for p in sample_paths("csv")]))
def test_mutated_csv_files_give_statements_or_a_parse_error(data: bytes) -> None:
    _parse_or_refuse(data, "CSV")


MT940_TOKENS = [*":0123456789CDRNTFEUR,/?+- \n", ":20:", ":25:", ":60F:", ":61:", ":86:", ":62F:"]


@FUZZ
@given(tokens=st.lists(st.sampled_from(MT940_TOKENS), max_size=200))
def test_mt940_like_text_gives_statements_or_a_parse_error(tokens: list[str]) -> None:
    text = ":20:X\n:25:1\n:60F:C240101EUR1,00\n" + "".join(tokens)
    _parse_or_refuse(text.encode(), "MT940")
