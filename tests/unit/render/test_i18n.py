"""Language codes, labels and Babel formats for statements."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from workers.render.i18n import LABELS, Translator, resolve_locale


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        pytest.param("ENU", "en_US", id="bc_english_us"),
        pytest.param("FRA", "fr_FR", id="bc_french"),
        pytest.param("FRC", "fr_CA", id="bc_french_canada"),
        pytest.param("fr-CA", "fr_CA", id="iso_tag"),
        pytest.param("fr", "fr", id="bare_language"),
        pytest.param("DEU", "en", id="unsupported_language_falls_back_to_english"),
        pytest.param("de_DE", "en", id="unsupported_iso_falls_back_to_english"),
        pytest.param("", "en", id="blank"),
        pytest.param("not a locale!", "en", id="garbage"),
    ],
)
def test_language_codes_resolve_to_a_supported_locale(code: str, expected: str) -> None:
    assert str(resolve_locale(code)) == expected


@pytest.mark.parametrize(
    ("code", "amount", "currency", "expected"),
    [
        pytest.param("ENU", "1234.56", "EUR", "1,234.56", id="en"),
        pytest.param("FRA", "1234.56", "EUR", "1\u202f234,56", id="fr"),
        pytest.param("FRC", "-1234.5", "CAD", "-1\u00a0234,50", id="fr_ca_negative"),
        pytest.param("ENU", "1234", "JPY", "1,234", id="yen_has_no_decimals"),
        pytest.param("ENU", "0.125", "EUR", "0.125", id="extra_decimals_are_kept"),
        pytest.param("ENU", "7", "", "7.00", id="blank_currency_two_decimals"),
    ],
)
def test_amounts_are_grouped_with_the_currencys_decimals(
    code: str, amount: str, currency: str, expected: str
) -> None:
    assert Translator.for_code(code).money(Decimal(amount), currency) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        pytest.param("ENU", "Mar 31, 2026", id="en"),
        pytest.param("FRA", "31 mars 2026", id="fr"),
    ],
)
def test_dates_are_written_the_local_way(code: str, expected: str) -> None:
    assert Translator.for_code(code).date(date(2026, 3, 31)) == expected


def test_french_has_every_english_label() -> None:
    assert set(LABELS["fr"]) == set(LABELS["en"])


def test_labels_fill_in_their_placeholders() -> None:
    assert Translator.for_code("FRA").t("page_of", page="1", total="2") == "Page 1 sur 2"
