"""BC's match-confidence table: every row is reachable and ranks exactly as BC ranks it."""

from __future__ import annotations

from itertools import product

import pytest

from domain.matching import (
    MATCH_RULES,
    TEXT_MAPPING_SCORE,
    AmountMatch,
    Confidence,
    DocumentMatch,
    Ledger,
    MatchEntry,
    MatchLine,
    MatchRule,
    PartyMatch,
    best_rule,
    suggest,
)
from tests.unit.matching.factories import ACME_IBAN, UNKNOWN_IBAN, entry, line, zebra_entry

_PARTIES = (PartyMatch.FULLY, PartyMatch.PARTIALLY, PartyMatch.NO)
_DOCUMENTS = (DocumentMatch.YES_MULTIPLE, DocumentMatch.YES, DocumentMatch.NO)
_AMOUNTS = (AmountMatch.ONE_MATCH, AmountMatch.MULTIPLE_MATCHES, AmountMatch.NO_MATCHES)


def _signals(rule: MatchRule) -> tuple[PartyMatch, DocumentMatch, AmountMatch]:
    """The first concrete signal combination for which BC would pick exactly this row."""
    for combo in product(_PARTIES, _DOCUMENTS, _AMOUNTS):
        if rule.accepts(*combo) and best_rule(*combo) is rule:
            return combo
    raise AssertionError(f"row {rule.row} can never be hit")


def _scenario(
    party: PartyMatch, document: DocumentMatch, amount: AmountMatch
) -> tuple[MatchLine, list[MatchEntry], set[tuple[int, Ledger]]]:
    """A statement line and open entries that produce exactly these three signals."""
    counterparty = {
        PartyMatch.FULLY: {"counterparty_iban": ACME_IBAN, "counterparty_name": "Acme Trading"},
        PartyMatch.PARTIALLY: {"counterparty_name": "ACME TRADING"},
        PartyMatch.NO: {"counterparty_name": "Jane Doe", "counterparty_iban": UNKNOWN_IBAN},
    }[party]
    if document is DocumentMatch.YES_MULTIPLE:
        targets = [entry(1, "600.00"), entry(2, "400.00")]
        text = "Payment INV-1001 INV-1002"
    elif document is DocumentMatch.YES:
        targets = [entry(1, "1000.00")]
        text = "Payment INV-1001, thanks"
    else:
        targets = [entry(1, "1000.00")]
        text = "Thank you"
    others = [zebra_entry(9, "1000.00")] if amount is AmountMatch.MULTIPLE_MATCHES else []
    value = "900.00" if amount is AmountMatch.NO_MATCHES else "1000.00"
    return line(1, value, text, **counterparty), targets + others, {e.key for e in targets}


def test_the_table_has_bc_default_rows_in_bc_order() -> None:
    assert [(r.confidence, r.priority) for r in MATCH_RULES] == (
        [(Confidence.HIGH, p) for p in range(2, 12)]
        + [(Confidence.MEDIUM, p) for p in range(1, 10)]
        + [(Confidence.LOW, p) for p in range(1, 6)]
    )
    assert [r.row for r in MATCH_RULES] == list(range(1, len(MATCH_RULES) + 1))


@pytest.mark.parametrize(
    "rule", MATCH_RULES, ids=[f"row{r.row}-{r.confidence.value}-{r.priority}" for r in MATCH_RULES]
)
def test_each_row_of_the_confidence_table_is_hit_by_its_own_scenario(rule: MatchRule) -> None:
    statement_line, entries, targets = _scenario(*_signals(rule))

    suggestions = [s for s in suggest([statement_line], entries) if s.line_id == 1]

    first = suggestions[0]
    assert first.entry is not None
    assert first.entry.key in targets
    assert first.confidence is rule.confidence
    assert first.score == (rule.confidence.level + 1) * 1000 - rule.priority
    assert first.explanation.rule.startswith(
        f"BC row {rule.row} ({rule.confidence.label}, priority {rule.priority}):"
    )


@pytest.mark.parametrize(
    ("confidence", "priority", "score"),
    [(Confidence.HIGH, 2, 3998), (Confidence.MEDIUM, 1, 2999), (Confidence.LOW, 5, 1995)],
    ids=["high-2", "medium-1", "low-5"],
)
def test_score_is_confidence_plus_one_thousands_minus_priority(
    confidence: Confidence, priority: int, score: int
) -> None:
    rule = next(r for r in MATCH_RULES if (r.confidence, r.priority) == (confidence, priority))
    assert rule.score == score


def test_nothing_matched_hits_no_row() -> None:
    assert best_rule(PartyMatch.NO, DocumentMatch.NO, AmountMatch.NO_MATCHES) is None


def test_not_considered_columns_accept_any_signal() -> None:
    rule = best_rule(PartyMatch.NO, DocumentMatch.YES, AmountMatch.NO_MATCHES)
    assert rule is not None
    assert (rule.confidence, rule.priority, rule.amount) == (
        Confidence.MEDIUM,
        9,
        AmountMatch.NOT_CONSIDERED,
    )


def test_a_text_mapping_outranks_every_row() -> None:
    assert TEXT_MAPPING_SCORE > max(r.score for r in MATCH_RULES)
