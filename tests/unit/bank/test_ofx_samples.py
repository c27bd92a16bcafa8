"""Every copied OFX sample reads to the values in its expected JSON."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from domain.bank import StatementFormat, parse_statement_file
from tests.unit.bank.sample_files import dec, expected, sample_paths

OFX_FILES = sample_paths("ofx")


@pytest.mark.parametrize("path", OFX_FILES, ids=lambda p: p.name)
def test_ofx_sample_reads_to_its_expected_statements(path: Path) -> None:
    want = expected(path)

    statements = parse_statement_file(path.read_bytes(), "AUTO")

    assert len(statements) == want["statement_count"]
    # Every STMTTRN block is a line, even one with an empty FITID that ofxparse (which
    # produced the expected JSON) rejects: money moved, so the line is kept.
    assert sum(len(s.lines) for s in statements) == want["stmttrn_blocks_in_file"]
    for statement, exp in zip(statements, want["statements"], strict=True):
        assert statement.format is StatementFormat.OFX
        if statement.account_iban is None:
            assert statement.account_number == exp["account_id"]
        assert statement.currency_code == exp.get("currency")
        assert statement.closing_balance == dec(exp.get("closing_balance"))
        assert statement.opening_balance == dec(exp.get("derived_opening_balance"))
        assert statement.balance_warning is None
        ledger = exp.get("ledger_balance")
        if ledger:
            assert statement.statement_date == date.fromisoformat(ledger["date"])
        for line, exp_line in zip(statement.lines, exp.get("entries", []), strict=False):
            assert line.amount == dec(exp_line["amount"])
            assert line.booking_date == date.fromisoformat(exp_line["date"])
            assert line.bank_reference == exp_line["fitid"]
            assert line.counterparty_name == exp_line.get("name")
            assert line.raw_details == exp_line.get("memo")
            assert line.transaction_code is not None
            assert line.transaction_code.lower() == exp_line["type"]


def test_french_rib_parts_become_the_account_iban() -> None:
    (path,) = sample_paths("ofx", "fr-iban-v211-xml_oca.ofx")

    checking, card = parse_statement_file(path.read_bytes(), StatementFormat.OFX)

    assert checking.account_iban == "FR7630001007941234567890185"
    assert checking.account_number is None
    assert card.account_iban is None
    assert card.account_number == "123412341234"


def test_dates_are_the_calendar_dates_written_whatever_the_time_zone() -> None:
    (path,) = sample_paths("ofx", "ca-checking-v102-sgml_ofxparse.ofx")

    (statement,) = parse_statement_file(path.read_bytes(), "AUTO")

    # DTPOSTED 20090401122017.000[-5:EST] is 1 April where the bank is
    assert statement.lines[0].booking_date == date(2009, 4, 1)
    assert statement.statement_id == "12300 000012345678:20090401-20090523"


def test_empty_tags_leave_currency_and_balances_unknown_but_keep_the_transaction() -> None:
    (path,) = sample_paths("ofx", "au-empty-tags-v102_ofxparse.ofx")

    (statement,) = parse_statement_file(path.read_bytes(), "AUTO")

    assert statement.currency_code is None
    assert statement.closing_balance is None
    assert statement.opening_balance is None
    (line,) = statement.lines
    assert line.amount == dec("12.34")
    assert line.currency_code == "AUD"
    assert line.bank_reference is None


def test_check_number_is_the_customer_reference() -> None:
    (path,) = sample_paths("ofx", "us-checking-v102-sgml_ofxparse.ofx")

    (statement,) = parse_statement_file(path.read_bytes(), "AUTO")

    assert [line.customer_reference for line in statement.lines] == [None, None, "319"]
