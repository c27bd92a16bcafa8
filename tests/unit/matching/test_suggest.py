"""Worked examples: both ledgers and directions, names, text mappings, explanations."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.errors import DomainError, ErrorCode
from domain.matching import Confidence, Ledger, MatchSettings, TextMapping, suggest
from tests.unit.matching.factories import (
    ACME_IBAN,
    UNKNOWN_IBAN,
    entry,
    line,
    vendor_entry,
    zebra_entry,
)

ACME = {"counterparty_iban": ACME_IBAN, "counterparty_name": "ACME TRADING"}


# -- both ledgers, both directions ----------------------------------------------------------


def test_a_debit_line_pays_a_vendor_invoice() -> None:
    invoice = vendor_entry(1, "-250.00", external_document_no="RE-2026-77")

    (suggestion,) = suggest([line(1, "-250.00", "Rechnung RE-2026-77")], [invoice])

    assert suggestion.entry == invoice
    assert suggestion.entry.ledger is Ledger.VENDOR
    assert suggestion.amount == Decimal("-250.00")
    assert "external document no. RE-2026-77 found in remittance text" in (
        suggestion.explanation.notes
    )


def test_a_credit_line_is_a_vendor_refund_of_a_credit_memo() -> None:
    credit_memo = vendor_entry(1, "50.00", document_type="Credit Memo", document_no="PCM-7001")

    (suggestion,) = suggest([line(1, "50.00", "refund PCM-7001")], [credit_memo])

    assert suggestion.entry == credit_memo
    assert suggestion.amount == Decimal("50.00")


def test_a_debit_line_refunds_a_customer_credit_memo_and_ignores_invoices() -> None:
    credit_memo = entry(1, "-80.00", document_type="Credit Memo", document_no="CM-3001")
    invoice = entry(2, "80.00", document_no="CM-3001-INV")

    (suggestion,) = suggest([line(1, "-80.00", "refund CM-3001", **ACME)], [invoice, credit_memo])

    assert suggestion.entry == credit_memo
    assert suggestion.amount == Decimal("-80.00")


def test_a_credit_line_never_pays_a_vendor_invoice() -> None:
    (suggestion,) = suggest([line(1, "250.00", "PI-5001")], [vendor_entry(1, "-250.00")])

    assert suggestion.entry is None


def test_entries_in_another_currency_are_not_candidates() -> None:
    (suggestion,) = suggest(
        [line(1, "100.00", "INV-1001", **ACME)], [entry(1, "100.00", currency_code="USD")]
    )

    assert suggestion.confidence is Confidence.NONE


def test_customer_and_vendor_entries_may_share_an_entry_no() -> None:
    entries = [entry(7, "100.00"), vendor_entry(7, "-100.00")]

    suggestions = suggest([line(1, "100.00", **ACME), line(2, "-100.00", "PI-5007")], entries)

    assert [(s.line_id, s.entry.ledger) for s in suggestions if s.entry] == [
        (1, Ledger.CUSTOMER),
        (2, Ledger.VENDOR),
    ]


# -- names -----------------------------------------------------------------------------------


def test_a_misspelt_name_sharing_no_word_is_still_found() -> None:
    (suggestion,) = suggest(
        [line(1, "100.00", counterparty_name="AcmeTrading")], [entry(1, "100.00")]
    )

    assert suggestion.explanation.matched_fields == ("counterpartyName", "amount")
    assert suggestion.explanation.notes[0].startswith("name similarity 96 % between")


def test_a_different_company_sharing_one_word_is_not_related() -> None:
    (suggestion,) = suggest(
        [line(1, "100.00", counterparty_name="Acme Bakery")], [entry(1, "100.00")]
    )

    assert suggestion.explanation.rule.startswith("BC row 23 (Low, priority 4)")


# -- text mappings ---------------------------------------------------------------------------


def test_a_text_mapping_wins_over_any_entry_match() -> None:
    mappings = [TextMapping(mapping_text="bank fee", gl_account_no="8300", description="Fees")]
    lines = [line(1, "100.00", "Bank fee INV-1001", **ACME), line(2, "100.00", "INV-1001", **ACME)]

    suggestions = suggest(lines, [entry(1, "100.00")], mappings)

    mapped, paid = suggestions
    assert (mapped.gl_account_no, mapped.entry, mapped.amount) == ("8300", None, Decimal("100.00"))
    assert mapped.score == 4000
    assert mapped.confidence is Confidence.HIGH
    assert mapped.explanation.matched_fields == ("description",)
    assert paid.entry is not None  # the entry stays free for the next line


def test_the_longest_matching_mapping_text_is_used() -> None:
    mappings = [
        TextMapping(mapping_text="interest", gl_account_no="8110"),
        TextMapping(mapping_text="debit interest", gl_account_no="8400"),
    ]

    (suggestion,) = suggest([line(1, "-3.20", "DEBIT INTEREST Q1")], [], mappings)

    assert suggestion.gl_account_no == "8400"


# -- explanations ----------------------------------------------------------------------------


def test_an_exact_match_explains_itself_in_plain_sentences() -> None:
    statement_line = line(
        1,
        "1000.00",
        "Payment INV-1001, thanks",
        counterparty_iban="NL91 ABNA 0417 1643 00",
        counterparty_name="Acme",
    )

    (suggestion,) = suggest([statement_line], [entry(1, "1000.00")])

    assert suggestion.explanation.rule == (
        "BC row 3 (High, priority 4): related party fully, document no. matched, amount one match"
    )
    assert suggestion.explanation.matched_fields == ("counterpartyIban", "documentNo", "amount")
    assert suggestion.explanation.notes == (
        "IBAN NL91ABNA0417164300 is on customer C0001's bank accounts",
        "INV-1001 found in remittance text",
        "amount 1,000.00 equals remaining 1,000.00",
    )
    assert suggestion.score == 3996


def test_a_line_with_nothing_says_what_was_tried() -> None:
    mappings = [TextMapping(mapping_text="bank fee", gl_account_no="8300")]
    statement_line = line(
        1, "77.77", "hello", counterparty_name="Nobody", counterparty_iban=UNKNOWN_IBAN
    )

    (suggestion,) = suggest([statement_line], [entry(1, "100.00")], mappings)

    assert (suggestion.entry, suggestion.gl_account_no) == (None, None)
    assert suggestion.amount == 0
    assert suggestion.confidence is Confidence.NONE
    assert suggestion.score == 0
    assert suggestion.explanation.notes == (
        "no text-to-account mapping is in the text (1 tried)",
        f"IBAN {UNKNOWN_IBAN} is not on any customer's or vendor's bank accounts",
        "no customer or vendor name is similar to 'Nobody'",
        "no open entry's document no. or external document no. is in the text",
        "no open entry that an incoming payment can settle has the amount 77.77 EUR",
    )


def test_a_zero_line_gets_nothing() -> None:
    (suggestion,) = suggest([line(1, "0.00", "INV-1001", **ACME)], [entry(1, "100.00")])

    assert suggestion.confidence is Confidence.NONE
    assert suggestion.explanation.notes == ("the line amount is zero: nothing to apply",)


# -- determinism and input checks ------------------------------------------------------------


def test_the_same_input_gives_the_same_output() -> None:
    entries = [entry(n, f"{100 + n}.00") for n in range(1, 8)] + [zebra_entry(9, "101.00")]
    lines = [line(n, f"{100 + n}.00", f"INV-{1000 + n}", **ACME) for n in range(1, 6)]

    assert suggest(lines, entries) == suggest(list(reversed(lines)), list(reversed(entries)))


def test_a_line_given_twice_is_rejected() -> None:
    with pytest.raises(DomainError) as error:
        suggest([line(1, "1.00"), line(1, "2.00")], [])
    assert error.value.code is ErrorCode.INVALID_INPUT
    assert error.value.field == ["lines"]


def test_an_entry_given_twice_is_rejected() -> None:
    with pytest.raises(DomainError) as error:
        suggest([line(1, "1.00")], [entry(1, "1.00"), entry(1, "2.00")])
    assert error.value.code is ErrorCode.INVALID_INPUT
    assert error.value.field == ["entries"]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name_similarity_threshold": 0}, "nameSimilarityThreshold"),
        ({"amount_tolerance": Decimal("-1")}, "amountTolerance"),
        ({"amount_tolerance_pct": Decimal("101")}, "amountTolerancePct"),
        ({"max_entries_per_line": 0}, "maxEntriesPerLine"),
    ],
    ids=["threshold", "negative-tolerance", "pct-over-100", "no-entries"],
)
def test_settings_out_of_range_are_rejected(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(DomainError) as error:
        MatchSettings(**kwargs)  # type: ignore[arg-type]
    assert error.value.field == ["settings", field]
