"""The shortcuts taken for speed must find exactly what the plain rules find: the length
window of the typo scan, the document-no. check, the exact-amount lookup, the collector."""

from __future__ import annotations

import gc
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from domain.matching import suggest
from domain.matching.candidates import MatchIndex, _names_phrase
from domain.matching.collector import collector_paused
from domain.matching.text import document_key, normalize_name, sorted_token_form, text_phrases
from tests.unit.matching.factories import entry, line

_letters = st.text(alphabet="abcdeilmnorst", min_size=1, max_size=9)
_names = st.lists(_letters, min_size=1, max_size=3).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(
    query=_names, names=st.lists(_names, min_size=1, max_size=25), threshold=st.integers(50, 100)
)
def test_typo_scan_finds_every_name_a_full_scan_finds(
    query: str, names: list[str], threshold: int
) -> None:
    entries = [
        entry(number, "10.00", party_no=f"C{number:04d}", party_name=name)
        for number, name in enumerate(names, start=1)
    ]
    index = MatchIndex(entries)
    found = index._similar_forms(query, threshold)
    expected = [
        ((party.ledger, party.party_no), score)
        for party in index.parties.values()
        if (score := fuzz.ratio(sorted_token_form(query), sorted_token_form(party.normalized_name)))
        >= threshold
    ]
    assert sorted(found) == sorted(expected)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("INV-1001", "Payment INV-1001 thanks"),
        ("inv-1001", "payment INV-1001"),
        ("#INV-1001.", "Payment INV-1001"),
        ("INV 1001", "Payment INV-1001"),
        ("SI100234", "SI100234/C0001"),
        ("SI1002", "SI100234"),
        ("PO-12345-7", "Ref PO-12345-7;X"),
        ("", "anything at all"),
        ("AB1", "AB1 AB1"),
    ],
)
def test_document_check_agrees_with_document_key(value: str, text: str) -> None:
    key = document_key(value)
    for phrase in text_phrases(text, 4):
        assert _names_phrase(value, phrase) == (key is not None and key[0] == phrase)


@settings(max_examples=100, deadline=None)
@given(value=st.text(alphabet="aB1-/ _.#ß", max_size=12), text=st.text(alphabet="aB1-/ _.#ß"))
def test_document_check_agrees_with_document_key_on_any_text(value: str, text: str) -> None:
    key = document_key(value)
    for phrase in text_phrases(text, 4):
        assert _names_phrase(value, phrase) == (key is not None and key[0] == phrase)


def test_exact_amount_lookup_orders_full_and_discounted_hits_oldest_first() -> None:
    older = entry(
        2,
        "102.00",
        due_date=date(2026, 1, 10),
        remaining_pmt_disc_possible=Decimal("2.00"),
        pmt_discount_date=date(2026, 3, 10),
    )
    newer = entry(1, "100.00", due_date=date(2026, 2, 10))
    index = MatchIndex([newer, older])
    hits = index.amount_hits(line(1, "100.00"), 10_000, 10_000)
    assert [(hit.entry.entry_no, hit.discounted) for hit in hits] == [(2, True), (1, False)]


@pytest.mark.parametrize("enabled_before", [True, False])
def test_collector_is_paused_during_the_call_and_restored_after(enabled_before: bool) -> None:
    was = gc.isenabled()
    try:
        (gc.enable if enabled_before else gc.disable)()
        with collector_paused():
            assert not gc.isenabled()
            with collector_paused():
                assert not gc.isenabled()
            assert not gc.isenabled()
        assert gc.isenabled() is enabled_before
        with pytest.raises(ZeroDivisionError), collector_paused():
            1 / 0  # noqa: B018
        assert gc.isenabled() is enabled_before
        suggest([line(1, "100.00")], [entry(1, "100.00")])
        assert gc.isenabled() is enabled_before
    finally:
        (gc.enable if was else gc.disable)()


def test_names_are_compared_in_normalised_form() -> None:
    index = MatchIndex([entry(1, "10.00", party_name="Acme Trading B.V.")])
    assert index.similar_parties(normalize_name("AcmeTrading"), 90)[0][1] >= 90
