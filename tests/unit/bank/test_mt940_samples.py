"""Every copied MT940 sample reads to the values in its expected JSON."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from domain.bank import StatementFormat, parse_statement_file
from domain.bank.fields import compact
from tests.unit.bank.sample_files import dec, expected, sample_paths

MT940_FILES = sample_paths("mt940")


@pytest.mark.parametrize("path", MT940_FILES, ids=lambda p: p.name)
def test_mt940_sample_reads_to_its_expected_statements(path: Path) -> None:
    want = expected(path)

    statements = parse_statement_file(path.read_bytes(), "AUTO")

    assert len(statements) == want["statement_count"]
    for statement, exp in zip(statements, want["statements"], strict=True):
        assert statement.format is StatementFormat.MT940
        assert statement.statement_id == exp["transaction_reference"].strip()
        assert statement.sequence_number == exp["statement_number"].replace("\n", "")
        if statement.account_iban is not None:  # "NL34RABO0142623393 EUR" -> the IBAN
            assert (compact(exp["account"]) or "").startswith(statement.account_iban)
        else:
            assert statement.account_number == exp["account"]
        assert statement.currency_code == exp["currency"]
        assert statement.opening_balance == dec(exp["opening_balance"]["amount"])
        closing = exp["closing_balance"]
        assert statement.closing_balance == (dec(closing["amount"]) if closing else None)
        assert statement.statement_date == date.fromisoformat(
            (closing or exp["opening_balance"])["date"]
        )
        assert (statement.balance_warning is None) == (
            exp["opening_plus_entries_equals_closing"] is not False
        )
        assert len(statement.lines) == exp["entry_count"]

    lines = [line for statement in statements for line in statement.lines]
    assert len(lines) == want["entry_count_total"] == len(want["entries"])
    for line, exp_line in zip(lines, want["entries"], strict=True):
        assert line.amount == dec(exp_line["amount"])
        assert line.value_date == date.fromisoformat(exp_line["value_date"])
        assert line.booking_date == date.fromisoformat(
            exp_line.get("entry_date", exp_line["value_date"])
        )
        assert line.transaction_code == exp_line["transaction_type"]
        assert line.customer_reference == exp_line.get("customer_reference")
        assert line.bank_reference == exp_line.get("bank_reference")
        details = exp_line.get("details") or exp_line.get("non_swift")
        assert (line.raw_details or "").rstrip() == (details or "").rstrip()
        if "counterparty_name" in exp_line:
            assert line.counterparty_name == exp_line["counterparty_name"]
        if "counterparty_account" in exp_line:
            assert line.counterparty_iban == exp_line["counterparty_account"]
        if "end_to_end_reference" in exp_line:
            assert line.end_to_end_id == exp_line["end_to_end_reference"].strip()
        if exp_line.get("remittance_info"):
            assert " ".join(exp_line["remittance_info"].split()) in (line.remittance_text or "")


def _one(name: str):
    (path,) = sample_paths("mt940", name)
    return parse_statement_file(path.read_bytes(), StatementFormat.MT940)


def test_february_30_value_date_is_read_as_the_last_day_of_february() -> None:
    (statement,) = _one("german-february-30_wolph.sta")

    assert statement.lines[0].value_date == date(2016, 2, 29)
    assert statement.lines[0].booking_date == date(2016, 3, 1)


def test_ing_structured_details_give_counterparty_and_references() -> None:
    (statement,) = _one("ing-nl_oca.940")

    first = statement.lines[0]
    assert first.counterparty_iban == "NL32INGB0000012345"
    assert first.counterparty_name == "ING BANK NV INZAKE WEB"
    assert first.end_to_end_id == "EV12341REP1231456T1234"
    assert first.remittance_text == "EV10001REP1000000T1000"
    # a structured creditor reference (/REMI/STRD/CUR/...) is kept for the matcher
    assert statement.lines[6].remittance_text == "9001123412341234"


def test_swift_envelope_and_daily_statements_are_all_read() -> None:
    statements = _one("asn-bank-nl_wolph.940.txt")

    assert len(statements) == 31
    assert statements[0].sequence_number == "1/1"
    assert statements[-1].closing_balance == dec("501.23")


def test_non_swift_ns_details_are_kept_as_raw_details() -> None:
    (statement,) = _one("sberbank-hu_wolph.sta")

    assert statement.lines[0].transaction_code == "S   "
    assert "ERGO Versicherung AG" in (statement.lines[0].raw_details or "")
    assert "ERGO Versicherung AG" in (statement.lines[0].remittance_text or "")


def test_control_characters_around_the_message_are_ignored() -> None:
    (statement,) = _one("mbank-pl_wolph.sta")

    assert statement.account_iban == "PL29114010810000267002001002"
    assert [line.bank_reference for line in statement.lines] == [
        "MB170119012058",
        "MB170119012085",
        "MB170119012121",
    ]
