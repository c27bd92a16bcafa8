"""Every copied camt.053/054 sample reads to the values in its expected JSON."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from domain.bank import ParseError, StatementFormat, parse_statement_file
from tests.unit.bank.sample_files import dec, expected, sample_paths

CAMT_FILES = sample_paths("camt053") + sample_paths("camt054")


def _expected_lines(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """One expected line per entry, or per TxDtls when a batch entry splits exactly."""
    details = entry.get("transaction_details", [])
    amounts = [d.get("amount") for d in details]
    if len(details) > 1 and all(amounts) and sum(map(Decimal, amounts)) == Decimal(entry["amount"]):
        return [{**entry, **d, "amount": d["amount"]} for d in details]
    merged = dict(entry)
    if details:
        first = details[0]
        for key in (
            "end_to_end_id",
            "counterparty_name",
            "counterparty_account",
            "account_servicer_reference",
        ):
            if key in first:
                merged[key] = first[key]
        merged["refs"] = [
            text
            for d in details
            for text in d.get("remittance_unstructured", [])
            + d.get("remittance_structured_refs", [])
        ]
    return [merged]


@pytest.mark.parametrize("path", CAMT_FILES, ids=lambda p: p.name)
def test_camt_sample_reads_to_its_expected_statements(path: Path) -> None:
    want = expected(path)
    kind = StatementFormat.CAMT053 if "camt053" in path.name else StatementFormat.CAMT054

    statements = parse_statement_file(path.read_bytes(), "AUTO")

    assert len(statements) == want["statement_count"]
    for statement, exp in zip(statements, want["statements"], strict=True):
        assert statement.format is kind
        assert statement.statement_id == exp["id"]
        assert statement.account_iban == exp.get("account_iban")
        assert statement.account_number == exp.get("account_other_id")
        assert statement.sequence_number == exp.get("electronic_sequence_number")
        opening, closing = exp.get("opening_balance"), exp.get("closing_balance")
        assert statement.opening_balance == (dec(opening["amount"]) if opening else None)
        assert statement.closing_balance == (dec(closing["amount"]) if closing else None)
        currency = exp.get("account_currency") or (opening or {}).get("currency")
        assert statement.currency_code == currency
        assert (statement.balance_warning is None) == (
            exp["opening_plus_entries_equals_closing"] is not False
            and not (opening and closing and opening["currency"] != closing["currency"])
        )
        want_lines = [line for entry in exp["entries"] for line in _expected_lines(entry)]
        assert [line.line_no for line in statement.lines] == list(range(1, len(want_lines) + 1))
        for line, exp_line in zip(statement.lines, want_lines, strict=True):
            assert line.amount == dec(exp_line["amount"])
            assert line.currency_code == exp_line["currency"]
            if "booking_date" in exp_line:
                assert line.booking_date == date.fromisoformat(exp_line["booking_date"][:10])
            if "value_date" in exp_line:
                assert line.value_date == date.fromisoformat(exp_line["value_date"][:10])
            e2e = exp_line.get("end_to_end_id")
            assert line.end_to_end_id == (None if e2e == "NOTPROVIDED" else e2e)
            assert line.counterparty_name == exp_line.get("counterparty_name")
            assert line.counterparty_iban == exp_line.get("counterparty_account")
            texts = exp_line.get("refs") or exp_line.get(
                "remittance_unstructured", []
            ) + exp_line.get("remittance_structured_refs", [])
            for text in texts:
                assert text in (line.remittance_text or "")
            if "account_servicer_reference" in exp_line:
                assert line.bank_reference == exp_line["account_servicer_reference"]


def test_batch_entry_with_two_payers_becomes_two_lines_that_still_balance() -> None:
    path = sample_paths("camt053", "swiss-batch-txdtls_oca.camt053.xml")[0]

    (statement,) = parse_statement_file(path.read_bytes(), StatementFormat.CAMT053)

    assert [line.amount for line in statement.lines] == [dec("2187.00"), dec("1296.00")]
    assert [line.counterparty_iban for line in statement.lines] == [
        "CH2222000000123456789",
        "CH3333000000123456789",
    ]
    assert statement.balance_warning is None


def test_batch_entry_without_per_transaction_amounts_stays_one_line_with_all_references() -> None:
    path = sample_paths("camt054", "synthetic-v02_genkgo.camt054.xml")[0]

    (statement,) = parse_statement_file(path.read_bytes(), StatementFormat.CAMT054)

    (line,) = statement.lines
    assert line.amount == dec("-200000")
    for reference in ("ISR ref number V1", "ISR ref number V2", "Ref number V3 block 2"):
        assert reference in (line.remittance_text or "")


def test_entry_without_remittance_falls_back_to_the_additional_entry_information() -> None:
    path = sample_paths("camt053", "swiss-bank-gcamp6_ofxstatement-iso20022.camt053.xml")[0]

    (statement,) = parse_statement_file(path.read_bytes(), "AUTO")

    assert statement.lines[0].remittance_text == "Account Transfer"
    assert statement.balance_warning is not None
    assert "difference -3010.00" in statement.balance_warning


def test_balances_in_two_currencies_are_flagged_not_refused() -> None:
    path = sample_paths("camt053", "synthetic-v02-minimal_genkgo.camt053.xml")[0]

    (statement,) = parse_statement_file(path.read_bytes(), "AUTO")

    assert statement.balance_warning is not None
    assert "EUR" in statement.balance_warning
    assert "SEK" in statement.balance_warning


def test_asking_for_camt053_with_a_camt054_file_is_refused() -> None:
    path = sample_paths("camt054", "synthetic-v08-uetr_genkgo.camt054.xml")[0]

    with pytest.raises(ParseError, match="CAMT054 message, not CAMT053") as info:
        parse_statement_file(path.read_bytes(), StatementFormat.CAMT053)

    assert info.value.location == "/Document"
