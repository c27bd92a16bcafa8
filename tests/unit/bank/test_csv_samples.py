"""The copied CSV samples read, with the mapping a user would save for each bank."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.bank import CsvColumns, CsvMapping, StatementFormat, parse_statement_file
from tests.unit.bank.sample_files import dec, expected, sample_paths

GENERIC = CsvMapping(
    date_format="%m/%d/%Y",
    thousands_separator=",",
    columns=CsvColumns(
        booking_date="Date",
        amount="Amount",
        description=("Label",),
        balance_after="Balance",
        counterparty_name="Partner Name",
        counterparty_iban="Bank Account",
    ),
)
ING = CsvMapping(
    date_format="%Y%m%d",
    decimal_separator=",",
    account_iban="NL99INGB9999999999",
    currency_code="EUR",
    debit_indicators=("Af",),
    columns=CsvColumns(
        booking_date="Datum",
        amount="Bedrag (EUR)",
        debit_credit_indicator="Af Bij",
        counterparty_name="Naam / Omschrijving",
        counterparty_iban="Tegenrekening",
        description=("Mededelingen",),
    ),
)
KNAB = CsvMapping(
    delimiter=";",
    skip_rows=1,
    date_format="%d-%m-%Y",
    decimal_separator=",",
    account_iban="NL99KNAB9999999999",
    debit_indicators=("D",),
    columns=CsvColumns(
        booking_date="Boekdatum",
        value_date="Valutadatum",
        amount="Bedrag",
        debit_credit_indicator="CreditDebet",
        currency="Valutacode",
        counterparty_iban="Tegenrekeningnummer",
        counterparty_name="Tegenrekeninghouder",
        description=("Omschrijving",),
    ),
)


def _read(name: str, mapping: CsvMapping):
    (path,) = sample_paths("csv", name)
    return path, parse_statement_file(path.read_bytes(), "AUTO", csv_mapping=mapping)


@pytest.mark.parametrize(
    ("name", "mapping"),
    [
        pytest.param("generic-with-balance_oca.csv", GENERIC, id="generic-running-balance"),
        pytest.param("ing-nl_ofxstatement-dutch.csv", ING, id="ing-af-bij"),
        pytest.param("knab-nl_ofxstatement-dutch.csv", KNAB, id="knab-credit-debet"),
    ],
)
def test_csv_sample_reads_to_its_expected_lines(name: str, mapping: CsvMapping) -> None:
    path, statements = _read(name, mapping)
    want = expected(path)

    assert len(statements) == want["statement_count"]
    (statement,) = statements
    (exp,) = want["statements"]
    assert statement.format is StatementFormat.CSV
    assert statement.account_number == exp.get("account")
    assert statement.currency_code == exp["currency"]
    assert statement.lines_total == dec(exp["entries_sum"])
    assert len(statement.lines) == exp["entry_count"] == want["entry_count_total"]
    for line, exp_line in zip(statement.lines, exp["entries"], strict=True):
        assert line.amount == dec(exp_line["amount"])
        assert line.booking_date == date.fromisoformat(
            exp_line.get("booking_date") or exp_line["date"]
        )
        if "value_date" in exp_line:
            assert line.value_date == date.fromisoformat(exp_line["value_date"])
        assert line.counterparty_iban == exp_line.get("counterparty_account")
        if "counterparty_name" in exp_line:
            assert line.counterparty_name == exp_line["counterparty_name"]
        description = (
            exp_line.get("remittance_info") or exp_line.get("description") or exp_line.get("label")
        )
        assert line.remittance_text == (" ".join(description.split()) if description else None)


def test_running_balance_gives_opening_and_closing() -> None:
    path, (statement,) = _read("generic-with-balance_oca.csv", GENERIC)
    (exp,) = expected(path)["statements"]

    assert statement.opening_balance == dec(exp["opening_balance"]["amount"]) == Decimal("10.00")
    assert statement.closing_balance == dec(exp["closing_balance"]["amount"])
    assert statement.balance_warning is None


def test_exports_without_balance_columns_have_no_balances() -> None:
    _, (statement,) = _read("knab-nl_ofxstatement-dutch.csv", KNAB)

    assert statement.opening_balance is None
    assert statement.closing_balance is None
    assert statement.statement_date == date(2019, 6, 21)  # the latest booking date


def test_unmapped_columns_are_kept_in_the_raw_details() -> None:
    _, (statement,) = _read("knab-nl_ofxstatement-dutch.csv", KNAB)

    assert "Referentie: B9F21PGYA068V2KD" in (statement.lines[0].raw_details or "")


def test_the_same_file_always_gets_the_same_statement_id() -> None:
    _, (first,) = _read("ing-nl_ofxstatement-dutch.csv", ING)
    _, (again,) = _read("ing-nl_ofxstatement-dutch.csv", ING)

    assert first.statement_id == again.statement_id
    assert first.statement_id.startswith("CSV-")
