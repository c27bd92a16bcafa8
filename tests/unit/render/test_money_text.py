"""Amounts are written without Babel's per-call machinery; the text must be exactly what Babel
writes, in every language and currency."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workers.render.i18n import Translator, babel_money

LANGUAGES = ["ENU", "ENG", "FRA", "FRC", "FRB", "FRS", "fr", "xx"]
CURRENCIES = ["", "EUR", "USD", "JPY", "BHD"]

# amounts as a ledger holds them: up to 18 digits, 0 to 6 decimals (or a positive exponent)
amounts = st.builds(
    lambda digits, exponent, negative: Decimal((negative, tuple(digits), exponent)),
    st.lists(st.integers(0, 9), min_size=1, max_size=18),
    st.integers(-6, 3),
    st.integers(0, 1),
)


@settings(max_examples=400, deadline=None)
@given(language=st.sampled_from(LANGUAGES), currency=st.sampled_from(CURRENCIES), amount=amounts)
def test_the_fast_money_format_writes_what_babel_writes(
    language: str, currency: str, amount: Decimal
) -> None:
    tr = Translator.for_code(language)

    assert tr.money(amount, currency) == babel_money(tr.locale, amount, currency)


@pytest.mark.parametrize(
    "amount",
    [Decimal("-0.00"), Decimal("0"), Decimal("1E+3"), Decimal("-1234567.5"), Decimal("NaN")],
)
def test_edge_amounts_are_written_as_babel_writes_them(amount: Decimal) -> None:
    for language in LANGUAGES:
        tr = Translator.for_code(language)
        assert tr.money(amount, "EUR") == babel_money(tr.locale, amount, "EUR")
