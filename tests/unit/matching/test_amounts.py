"""Amounts and assignment: discounts, tolerance, one vs several, carry-over, split payments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.matching import Confidence, MatchSettings, suggest
from tests.unit.matching.factories import ACME_IBAN, entry, line, zebra_entry

ACME = {"counterparty_iban": ACME_IBAN, "counterparty_name": "ACME TRADING"}


# -- amounts: discount, tolerance, one vs several ------------------------------------------


def test_discounted_amount_matches_within_the_discount_period() -> None:
    invoice = entry(
        1,
        "1000.00",
        remaining_pmt_disc_possible=Decimal("20.00"),
        pmt_discount_date=date(2026, 3, 10),
    )

    (suggestion,) = suggest([line(1, "980.00", "INV-1001", **ACME)], [invoice])

    assert suggestion.entry == invoice
    assert suggestion.amount == Decimal("980.00")
    assert suggestion.confidence is Confidence.HIGH
    assert (
        "amount 980.00 equals remaining 1,000.00 less payment discount 20.00 "
        "(until 2026-03-10)" in suggestion.explanation.notes
    )
    assert "closes INV-1001 with a payment discount of 20.00" in suggestion.explanation.notes


def test_discounted_amount_no_longer_matches_after_the_discount_date() -> None:
    invoice = entry(
        1,
        "1000.00",
        remaining_pmt_disc_possible=Decimal("20.00"),
        pmt_discount_date=date(2026, 3, 1),
    )

    (suggestion,) = suggest([line(1, "980.00", "INV-1001", **ACME)], [invoice])

    assert suggestion.confidence is Confidence.MEDIUM  # document and party, not the amount
    assert "amount" not in suggestion.explanation.matched_fields
    assert any("20.00 of INV-1001 stays open" in n for n in suggestion.explanation.notes)


def test_paying_the_full_amount_within_the_discount_period_closes_without_discount() -> None:
    invoice = entry(
        1,
        "1000.00",
        remaining_pmt_disc_possible=Decimal("20.00"),
        pmt_discount_date=date(2026, 3, 10),
    )

    (suggestion,) = suggest([line(1, "1000.00", "INV-1001", **ACME)], [invoice])

    assert suggestion.amount == Decimal("1000.00")
    assert "amount 1,000.00 equals remaining 1,000.00" in suggestion.explanation.notes


@pytest.mark.parametrize(
    ("settings", "matched"),
    [
        (MatchSettings(), False),
        (MatchSettings(amount_tolerance_pct=Decimal("0.51")), True),  # 5.07 of 995.00
        (MatchSettings(amount_tolerance_pct=Decimal("0.5")), False),  # 4.98 of 995.00
        (MatchSettings(amount_tolerance=Decimal("5.00")), True),
        (MatchSettings(amount_tolerance=Decimal("4.99")), False),
    ],
    ids=["no-tolerance", "pct-of-the-line", "just-under-pct", "absolute-5", "just-under-absolute"],
)
def test_amount_tolerance_percentage_or_absolute(settings: MatchSettings, matched: bool) -> None:
    (suggestion,) = suggest([line(1, "995.00", **ACME)], [entry(1, "1000.00")], (), settings)

    assert ("amount" in suggestion.explanation.matched_fields) is matched
    expected = Confidence.HIGH if matched else Confidence.LOW
    assert suggestion.confidence is expected


def test_amount_within_tolerance_is_explained_with_the_tolerance() -> None:
    settings = MatchSettings(amount_tolerance=Decimal("5.00"))

    (suggestion,) = suggest([line(1, "995.00", **ACME)], [entry(1, "1000.00")], (), settings)

    assert "amount 995.00 is within tolerance 5.00 of remaining 1,000.00" in (
        suggestion.explanation.notes
    )
    assert suggestion.amount == Decimal("995.00")


def test_the_only_entry_with_the_amount_is_a_one_match() -> None:
    (suggestion,) = suggest([line(1, "250.00", **ACME)], [entry(1, "250.00"), entry(2, "300.00")])

    assert suggestion.explanation.rule.startswith("BC row 8 (High, priority 9)")


def test_another_entry_with_the_same_amount_makes_it_a_multiple_match() -> None:
    entries = [entry(1, "250.00"), zebra_entry(2, "250.00")]

    suggestions = suggest([line(1, "250.00", **ACME)], entries)

    (first,) = suggestions
    assert first.entry == entries[0]
    assert first.explanation.rule.startswith("BC row 13 (Medium, priority 3)")
    assert "amount 250.00 equals remaining 250.00; 1 other open entry has it" in (
        first.explanation.notes
    )


# -- greedy assignment -----------------------------------------------------------------------


def test_partial_use_of_an_entry_carries_over_to_the_next_line() -> None:
    lines = [
        line(1, "40.00", "INV-1001"),
        line(2, "60.00", "INV-1001"),
        line(3, "30.00", "INV-1001"),
    ]

    suggestions = suggest(lines, [entry(1, "100.00")])

    assert [(s.line_id, s.amount) for s in suggestions] == [
        (1, Decimal("40.00")),
        (2, Decimal("60.00")),
        (3, Decimal(0)),
    ]
    second = suggestions[1].explanation.notes
    assert "line 1 already applied 40.00 to INV-1001" in second
    assert "takes the 60.00 left" in second
    assert suggestions[2].confidence is Confidence.NONE
    assert any(
        "applied to lines with a higher score" in n for n in suggestions[2].explanation.notes
    )


def test_the_higher_score_wins_the_entry_whatever_the_line_order() -> None:
    lines = [line(1, "100.00", "thanks"), line(2, "100.00", "INV-1001", **ACME)]

    suggestions = suggest(lines, [entry(1, "100.00")])

    winner = [s for s in suggestions if s.entry is not None]
    assert [s.line_id for s in winner] == [2]


def test_ties_go_to_the_entry_due_first() -> None:
    entries = [entry(1, "100.00", due_date=date(2026, 2, 20)), entry(2, "100.00")]

    suggestions = suggest([line(1, "100.00", **ACME)], entries)

    assert [s.entry.entry_no for s in suggestions if s.entry] == [2]


def test_an_overpayment_spills_over_to_the_partys_oldest_other_entry() -> None:
    entries = [entry(1, "100.00"), entry(2, "80.00", due_date=date(2026, 2, 10))]

    suggestions = suggest([line(1, "150.00", "INV-1001", **ACME)], entries)

    assert [(s.entry.entry_no, s.amount) for s in suggestions if s.entry] == [
        (1, Decimal("100.00")),
        (2, Decimal("50.00")),
    ]


# -- one payment, several documents ---------------------------------------------------------


def test_one_payment_for_several_documents_found_by_subset_sum() -> None:
    entries = [
        entry(1, "300.00", due_date=date(2026, 1, 10)),
        entry(2, "200.00", due_date=date(2026, 1, 20)),
        entry(3, "500.00", due_date=date(2026, 1, 30)),
    ]

    suggestions = suggest([line(1, "700.00", "March payment", **ACME)], entries)

    assert [(s.entry.entry_no, s.amount) for s in suggestions if s.entry] == [
        (2, Decimal("200.00")),
        (3, Decimal("500.00")),
    ]
    notes = suggestions[0].explanation.notes
    assert "one payment for 2 documents: INV-1002, INV-1003 (total 700.00, line 700.00)" in notes
    assert suggestions[0].confidence is Confidence.HIGH


def test_documents_named_in_the_text_are_preferred_for_the_split() -> None:
    entries = [entry(1, "300.00"), entry(2, "400.00"), entry(3, "400.00")]

    suggestions = suggest([line(1, "700.00", "INV-1001 + INV-1003", **ACME)], entries)

    assert [s.entry.entry_no for s in suggestions if s.entry] == [1, 3]
    assert suggestions[0].explanation.rule.startswith("BC row 1 (High, priority 2)")
    assert suggestions[0].explanation.matched_fields == (
        "counterpartyIban",
        "documentNo",
        "amount",
    )


def test_max_entries_per_line_limits_the_split() -> None:
    entries = [entry(n, "100.00", due_date=date(2026, 1, n)) for n in range(1, 5)]
    settings = MatchSettings(max_entries_per_line=3)

    suggestions = suggest([line(1, "400.00", "payment", **ACME)], entries, (), settings)

    assert all("one payment for" not in n for s in suggestions for n in s.explanation.notes)
