"""Document numbers must stand in the text as whole tokens, and names compare normalised."""

from __future__ import annotations

import pytest

from domain.matching import suggest
from domain.matching.text import document_key, normalize_iban, normalize_name, text_phrases
from tests.unit.matching.factories import entry, line


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Payment INV-1001, thanks", True),
        ("INV-1001", True),
        ("inv-1001 paid", True),
        ("(INV-1001)", True),
        ("ref:INV-1001/C0001", True),
        ("Payment INV-10011", False),
        ("Payment XINV-1001", False),
        ("Payment INV-1001A", False),
        ("Payment INV 1001", False),
        ("Payment INV_1001", False),
        ("", False),
    ],
    ids=[
        "comma-after",
        "alone",
        "lower-case",
        "brackets",
        "slash-separated",
        "longer-number",
        "letter-before",
        "letter-after",
        "space-instead-of-dash",
        "underscore-is-no-dash",
        "empty",
    ],
)
def test_document_no_matches_only_as_a_whole_token(text: str, found: bool) -> None:
    key = document_key("INV-1001")
    assert key is not None
    assert (key[0] in text_phrases(text, key[1])) is found


def test_underscore_separates_tokens_like_any_non_alphanumeric() -> None:
    assert "INV1001" in text_phrases("paid_INV1001_ok", 1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("INV-1001", ("INV-1001", 2)), (" si100234 ", ("SI100234", 1)), ("1234", None), ("", None)],
    ids=["two-runs", "trimmed-upper", "too-short-like-bc", "empty"],
)
def test_document_key(value: str, expected: tuple[str, int] | None) -> None:
    assert document_key(value) == expected


def test_short_document_numbers_are_not_searched_in_text() -> None:
    short = entry(1, "100.00", document_no="1234")

    (suggestion,) = suggest([line(1, "55.00", "invoice 1234")], [short])

    assert suggestion.entry is None


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("Acme Trading B.V.", "acme trading"),
        ("ACME TRADING BV", "acme trading"),
        ("Müller & Söhne GmbH", "muller sohne"),
        ("  The Paper Co.  ", "paper"),
        (None, ""),
    ],
    ids=["dotted-legal-form", "upper-case", "accents-and-ampersand", "filler-words", "missing"],
)
def test_names_are_compared_without_case_accents_punctuation_or_legal_form(
    raw: str | None, normalized: str
) -> None:
    assert normalize_name(raw) == normalized


def test_iban_is_compared_compact_and_upper_case() -> None:
    assert normalize_iban("nl91 abna 0417 1643 00") == "NL91ABNA0417164300"
