"""Bank lines are reconciled by applying them to open entries; this package proposes those
applications the way Business Central's automatic application does, and says why."""

from __future__ import annotations

from domain.matching.engine import suggest
from domain.matching.model import (
    Confidence,
    Explanation,
    Ledger,
    MatchEntry,
    MatchLine,
    MatchSettings,
    Suggestion,
    TextMapping,
)
from domain.matching.rules import (
    MATCH_RULES,
    TEXT_MAPPING_SCORE,
    AmountMatch,
    DocumentMatch,
    MatchRule,
    PartyMatch,
    best_rule,
)

__all__ = [
    "MATCH_RULES",
    "TEXT_MAPPING_SCORE",
    "AmountMatch",
    "Confidence",
    "DocumentMatch",
    "Explanation",
    "Ledger",
    "MatchEntry",
    "MatchLine",
    "MatchRule",
    "MatchSettings",
    "PartyMatch",
    "Suggestion",
    "TextMapping",
    "best_rule",
    "suggest",
]
