"""Invariants of the greedy assignment, whatever the statement and the open entries."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from random import Random

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.matching import Ledger, MatchEntry, MatchLine, MatchSettings, suggest
from tests.unit.matching.factories import (
    ACME_IBAN,
    UNKNOWN_IBAN,
    ZEBRA_IBAN,
    entry,
    line,
    vendor_entry,
    zebra_entry,
)

_BUILDERS = (entry, zebra_entry, vendor_entry)
_COUNTERPARTIES: tuple[dict[str, str], ...] = (
    {"counterparty_iban": ACME_IBAN},
    {"counterparty_name": "Acme Trading"},
    {"counterparty_iban": ZEBRA_IBAN, "counterparty_name": "Zebra Logistics"},
    {"counterparty_name": "Paper Supplies"},
    {"counterparty_iban": UNKNOWN_IBAN, "counterparty_name": "Nobody"},
    {},
)
_cents = st.integers(min_value=1, max_value=3_000)


@st.composite
def statements(draw: st.DrawFn) -> tuple[list[MatchLine], list[MatchEntry], MatchSettings]:
    entries: list[MatchEntry] = []
    for entry_no in range(1, draw(st.integers(0, 8)) + 1):
        builder = draw(st.sampled_from(_BUILDERS))
        cents = draw(_cents) * draw(st.sampled_from((1, 1, -1)))
        if builder is vendor_entry:
            cents = -cents
        discount = draw(st.integers(0, abs(cents) // 10))
        entries.append(
            builder(
                entry_no,
                str(Decimal(cents).scaleb(-2)),
                due_date=date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 40))),
                remaining_pmt_disc_possible=Decimal(discount if cents > 0 else -discount).scaleb(
                    -2
                ),
                pmt_discount_date=date(2026, 3, draw(st.integers(1, 3))),
            )
        )
    documents = [e.document_no for e in entries] + ["INV-9999"]
    lines: list[MatchLine] = []
    for line_id in range(1, draw(st.integers(1, 6)) + 1):
        reuse = draw(st.booleans())
        if entries and reuse:
            base = draw(st.sampled_from(entries)).remaining_amount
            amount = base * draw(st.sampled_from((Decimal(1), Decimal("0.5"), Decimal(2))))
        else:
            amount = Decimal(draw(_cents) * draw(st.sampled_from((1, -1)))).scaleb(-2)
        named = draw(st.lists(st.sampled_from(documents), max_size=3))
        lines.append(
            line(
                line_id,
                str(amount.quantize(Decimal("0.01"))),
                "pay " + ", ".join(named),
                **draw(st.sampled_from(_COUNTERPARTIES)),
            )
        )
    tolerance = MatchSettings(
        amount_tolerance=Decimal(draw(st.integers(0, 200))).scaleb(-2),
        amount_tolerance_pct=Decimal(draw(st.integers(0, 2))),
        max_entries_per_line=draw(st.integers(1, 4)),
    )
    return lines, entries, tolerance


@settings(deadline=None, max_examples=150)
@given(statements())
def test_no_entry_is_given_more_than_its_remaining_amount(
    case: tuple[list[MatchLine], list[MatchEntry], MatchSettings],
) -> None:
    lines, entries, matcher = case
    applied: dict[tuple[int, Ledger], Decimal] = defaultdict(Decimal)
    for suggestion in suggest(lines, entries, (), matcher):
        if suggestion.entry is not None:
            assert (suggestion.amount > 0) == (suggestion.entry.remaining_amount > 0)
            applied[suggestion.entry.key] += abs(suggestion.amount)
    for e in entries:
        assert applied[e.key] <= abs(e.remaining_amount)


@settings(deadline=None, max_examples=150)
@given(statements())
def test_a_line_never_gives_away_more_than_its_amount(
    case: tuple[list[MatchLine], list[MatchEntry], MatchSettings],
) -> None:
    lines, entries, matcher = case
    given_away: dict[int, Decimal] = defaultdict(Decimal)
    for suggestion in suggest(lines, entries, (), matcher):
        given_away[suggestion.line_id] += abs(suggestion.amount)
    for statement_line in lines:
        assert given_away[statement_line.line_id] <= abs(statement_line.amount)


@settings(deadline=None, max_examples=150)
@given(statements(), st.randoms(use_true_random=False))
def test_the_order_of_the_inputs_does_not_change_the_suggestions(
    case: tuple[list[MatchLine], list[MatchEntry], MatchSettings], shuffler: Random
) -> None:
    lines, entries, matcher = case
    shuffled_entries = list(entries)
    shuffled_lines = list(lines)
    shuffler.shuffle(shuffled_entries)
    shuffler.shuffle(shuffled_lines)

    assert suggest(shuffled_lines, shuffled_entries, (), matcher) == suggest(
        lines, entries, (), matcher
    )


@settings(deadline=None, max_examples=100)
@given(statements())
def test_every_line_gets_at_least_one_suggestion(
    case: tuple[list[MatchLine], list[MatchEntry], MatchSettings],
) -> None:
    lines, entries, matcher = case
    assert {s.line_id for s in suggest(lines, entries, (), matcher)} == {
        statement_line.line_id for statement_line in lines
    }
