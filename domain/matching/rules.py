"""Users trust a suggestion when it ranks like BC's: its default "Payment Application Rules"
table, kept here as data so every row can be tested and shown in an explanation."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from itertools import product
from types import MappingProxyType

from domain.matching.model import Confidence

SCORE_RANGE = 1000
# BC's text mapper scores (Medium + 1) × 1000 and so only beats Medium and lower; Lettrage's
# domain rules want a text-to-account mapping to rank above any entry match: (High + 1) × 1000.
TEXT_MAPPING_SCORE = (Confidence.HIGH.level + 1) * SCORE_RANGE


class PartyMatch(StrEnum):
    """Related party: Fully = IBAN on the party's bank accounts, Partially = similar name."""

    NOT_CONSIDERED = "NOT_CONSIDERED"
    FULLY = "FULLY"
    PARTIALLY = "PARTIALLY"
    NO = "NO"


class DocumentMatch(StrEnum):
    """Document no. / external document no. found in the text; several = one payment, many."""

    NOT_CONSIDERED = "NOT_CONSIDERED"
    YES = "YES"
    YES_MULTIPLE = "YES_MULTIPLE"
    NO = "NO"


class AmountMatch(StrEnum):
    """Amount incl. tolerance: this entry matches and is the only one / one of several / no."""

    NOT_CONSIDERED = "NOT_CONSIDERED"
    ONE_MATCH = "ONE_MATCH"
    MULTIPLE_MATCHES = "MULTIPLE_MATCHES"
    NO_MATCHES = "NO_MATCHES"


_PARTY_WORDS = {
    PartyMatch.NOT_CONSIDERED: "related party not considered",
    PartyMatch.FULLY: "related party fully",
    PartyMatch.PARTIALLY: "related party partially",
    PartyMatch.NO: "related party not matched",
}
_DOCUMENT_WORDS = {
    DocumentMatch.NOT_CONSIDERED: "document no. not considered",
    DocumentMatch.YES: "document no. matched",
    DocumentMatch.YES_MULTIPLE: "several document nos. matched",
    DocumentMatch.NO: "no document no.",
}
_AMOUNT_WORDS = {
    AmountMatch.NOT_CONSIDERED: "amount not considered",
    AmountMatch.ONE_MATCH: "amount one match",
    AmountMatch.MULTIPLE_MATCHES: "amount multiple matches",
    AmountMatch.NO_MATCHES: "amount no match",
}


@dataclass(frozen=True, slots=True)
class MatchRule:
    """One row of the table; NOT_CONSIDERED columns accept any signal."""

    row: int
    confidence: Confidence
    priority: int
    related_party: PartyMatch
    document_no: DocumentMatch
    amount: AmountMatch
    score: int = field(init=False)  # BC's score: (confidence + 1) × 1000 − priority

    def __post_init__(self) -> None:
        object.__setattr__(self, "score", (self.confidence.level + 1) * SCORE_RANGE - self.priority)

    def accepts(self, party: PartyMatch, document: DocumentMatch, amount: AmountMatch) -> bool:
        return (
            self.related_party in (PartyMatch.NOT_CONSIDERED, party)
            and self.document_no in (DocumentMatch.NOT_CONSIDERED, document)
            and self.amount in (AmountMatch.NOT_CONSIDERED, amount)
        )

    def describe(self) -> str:
        """'BC row 3 (High, priority 4): related party fully, document no. matched, ...'."""
        return (
            f"BC row {self.row} ({self.confidence.label}, priority {self.priority}): "
            f"{_PARTY_WORDS[self.related_party]}, {_DOCUMENT_WORDS[self.document_no]}, "
            f"{_AMOUNT_WORDS[self.amount]}"
        )


_F, _P, _N = PartyMatch.FULLY, PartyMatch.PARTIALLY, PartyMatch.NO
_YM, _Y, _DN = DocumentMatch.YES_MULTIPLE, DocumentMatch.YES, DocumentMatch.NO
_ONE, _MANY, _NONE = AmountMatch.ONE_MATCH, AmountMatch.MULTIPLE_MATCHES, AmountMatch.NO_MATCHES
_NC = AmountMatch.NOT_CONSIDERED
_H, _M, _L = Confidence.HIGH, Confidence.MEDIUM, Confidence.LOW

# BC W1 `Bank Pmt. Appl. Rule`.InsertDefaultMatchingRules, in BC's order and with BC's
# priorities. BC's High priority 1 is "Direct Debit Collect. Matched = Yes", which has no
# counterpart in Lettrage (no direct debit collections), so High starts at priority 2.
_TABLE: tuple[tuple[Confidence, int, PartyMatch, DocumentMatch, AmountMatch], ...] = (
    (_H, 2, _F, _YM, _ONE),
    (_H, 3, _F, _YM, _MANY),
    (_H, 4, _F, _Y, _ONE),
    (_H, 5, _F, _Y, _MANY),
    (_H, 6, _P, _YM, _ONE),
    (_H, 7, _P, _YM, _MANY),
    (_H, 8, _P, _Y, _ONE),
    (_H, 9, _F, _DN, _ONE),
    (_H, 10, _N, _YM, _ONE),
    (_H, 11, _N, _YM, _MANY),
    (_M, 1, _F, _YM, _NC),
    (_M, 2, _F, _Y, _NC),
    (_M, 3, _F, _DN, _MANY),
    (_M, 4, _P, _YM, _NC),
    (_M, 5, _P, _Y, _NC),
    (_M, 6, _N, _Y, _ONE),
    (_M, 7, _N, _YM, _NC),
    (_M, 8, _P, _DN, _ONE),
    (_M, 9, _N, _Y, _NC),
    (_L, 1, _F, _DN, _NONE),
    (_L, 2, _P, _DN, _MANY),
    (_L, 3, _P, _DN, _NONE),
    (_L, 4, _N, _DN, _ONE),
    (_L, 5, _N, _DN, _MANY),
)

MATCH_RULES: tuple[MatchRule, ...] = tuple(
    MatchRule(row, confidence, priority, party, document, amount)
    for row, (confidence, priority, party, document, amount) in enumerate(_TABLE, start=1)
)

_SIGNALS_PARTY = (PartyMatch.FULLY, PartyMatch.PARTIALLY, PartyMatch.NO)
_SIGNALS_DOCUMENT = (DocumentMatch.YES, DocumentMatch.YES_MULTIPLE, DocumentMatch.NO)
_SIGNALS_AMOUNT = (AmountMatch.ONE_MATCH, AmountMatch.MULTIPLE_MATCHES, AmountMatch.NO_MATCHES)


def _best(party: PartyMatch, document: DocumentMatch, amount: AmountMatch) -> MatchRule | None:
    hits = [rule for rule in MATCH_RULES if rule.accepts(party, document, amount)]
    return max(hits, key=lambda rule: rule.score) if hits else None


# The 27 signal combinations resolved once (BC's GetBestMatchScore: highest-scoring row whose
# columns equal the signal or are "Not Considered"); read-only.
_LOOKUP = MappingProxyType(
    {combo: _best(*combo) for combo in product(_SIGNALS_PARTY, _SIGNALS_DOCUMENT, _SIGNALS_AMOUNT)}
)


def best_rule(party: PartyMatch, document: DocumentMatch, amount: AmountMatch) -> MatchRule | None:
    """The row BC would pick for these signals, or None (no match: confidence NONE)."""
    return _LOOKUP[(party, document, amount)]
