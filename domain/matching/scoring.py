"""A suggestion is only as good as its evidence: each (line, candidate) pair gets BC's three
signals, the rule row they hit and the amounts it would close, all kept for the explanation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import NamedTuple

from domain.matching.candidates import (
    AmountHit,
    DocumentHit,
    EntryKey,
    MatchIndex,
    Party,
    PartyKey,
    discount_applies,
    discount_cents,
    to_cents,
)
from domain.matching.model import Ledger, MatchEntry, MatchLine, MatchSettings
from domain.matching.rules import AmountMatch, DocumentMatch, MatchRule, PartyMatch, best_rule
from domain.matching.text import normalize_iban, normalize_name


class LineWindow(NamedTuple):
    """The line in cents and the amounts accepted for it (absolute values)."""

    cents: int  # signed
    tolerance: int  # half-width of the window

    @property
    def magnitude(self) -> int:
        return abs(self.cents)

    @property
    def low(self) -> int:
        return self.cents - self.tolerance

    @property
    def high(self) -> int:
        return self.cents + self.tolerance

    @classmethod
    def of(cls, line: MatchLine, settings: MatchSettings) -> LineWindow:
        cents = to_cents(line.amount)
        tolerance = to_cents(settings.amount_tolerance)
        if settings.amount_tolerance_pct:
            by_pct = to_cents(abs(line.amount) * settings.amount_tolerance_pct / Decimal(100))
            tolerance = max(tolerance, by_pct)
        return cls(cents, tolerance)


class PartyEvidence(NamedTuple):
    """Whether a line's counterparty is this party (NamedTuples: one per line and party)."""

    party: Party
    signal: PartyMatch
    iban: str  # the line's IBAN when it is on the party's bank accounts
    similarity: float  # token_set_ratio of the names, 0 when not compared


class Candidate(NamedTuple):
    """Pay ``entries`` (one, or several for one payment of many documents) from ``line``.

    ``close_cents[i]`` is what closes entry i (absolute cents: the remaining amount, less the
    payment discount when ``with_discount[i]``). A NamedTuple: tens of thousands are made.
    """

    line: MatchLine
    window: LineWindow
    entries: tuple[MatchEntry, ...]
    party: PartyEvidence
    documents: tuple[DocumentHit, ...]
    amount: AmountMatch
    amount_hit: AmountHit | None  # single-entry candidates whose amount matched
    same_amount_count: int  # entries (and sets) of the line's amount, this one included
    close_cents: tuple[int, ...]
    with_discount: tuple[bool, ...]
    rule: MatchRule

    @property
    def score(self) -> int:
        return self.rule.score

    @property
    def sort_key(self) -> tuple[int, date, int, Ledger, int, tuple[EntryKey, ...]]:
        """Greedy order: score, earlier due date, entry no., line id; total and stable."""
        first = self.entries[0]  # single entry, or a set sorted by due date
        return (
            -self.rule.score,
            first.due_date,
            first.entry_no,
            first.ledger,
            self.line.line_id,
            tuple(e.key for e in self.entries) if len(self.entries) > 1 else (),
        )


def document_signal(documents: tuple[DocumentHit, ...], entry_count: int) -> DocumentMatch:
    """Yes when the text names the entry; Yes - Multiple when it names several of a set."""
    if not documents:
        return DocumentMatch.NO
    if entry_count > 1 and len({hit.entry.key for hit in documents}) > 1:
        return DocumentMatch.YES_MULTIPLE
    return DocumentMatch.YES


class PartyJudge:
    """Related-party signal of one line against any party, computed once per party."""

    def __init__(self, index: MatchIndex, line: MatchLine, settings: MatchSettings) -> None:
        self._index = index
        self._threshold = settings.name_similarity_threshold
        self.iban = normalize_iban(line.counterparty_iban)
        self._raw_name = line.counterparty_name
        self._name: str | None = None
        self._known: dict[PartyKey, float] = {}
        self._cache: dict[PartyKey, PartyEvidence] = {}

    @property
    def name(self) -> str:
        """The counterparty name, normalised on first use (most lines are known by IBAN)."""
        if self._name is None:
            self._name = normalize_name(self._raw_name)
        return self._name

    def similar_parties(self) -> list[tuple[PartyKey, float]]:
        """Parties named like the line's counterparty (remembered for the signal)."""
        found = self._index.similar_parties(self.name, self._threshold)
        self._known.update(found)
        return found

    def __call__(self, key: PartyKey) -> PartyEvidence:
        found = self._cache.get(key)
        if found is not None:
            return found
        party = self._index.parties[key]
        if self.iban and self.iban in party.ibans:
            evidence = PartyEvidence(party, PartyMatch.FULLY, self.iban, 0.0)
        else:
            similarity = self._known.get(key)
            if similarity is None and self.name:
                similarity = self._index.name_similarity(self.name, key)
            similarity = similarity or 0.0
            signal = PartyMatch.PARTIALLY if similarity >= self._threshold else PartyMatch.NO
            evidence = PartyEvidence(party, signal, "", similarity)
        self._cache[key] = evidence
        return evidence


def amount_signal(matched: bool, same_amount_count: int) -> AmountMatch:
    if not matched:
        return AmountMatch.NO_MATCHES
    return AmountMatch.ONE_MATCH if same_amount_count == 1 else AmountMatch.MULTIPLE_MATCHES


def score_entry(
    line: MatchLine,
    window: LineWindow,
    entry: MatchEntry,
    party: PartyEvidence,
    documents: tuple[DocumentHit, ...],
    hit: AmountHit | None,
    same_amount_count: int,
    entry_cents: int,
) -> Candidate | None:
    """One open entry against one line; None when no BC row accepts the signals."""
    amount = amount_signal(hit is not None, same_amount_count)
    rule = best_rule(party.signal, document_signal(documents, 1), amount)
    if rule is None:
        return None
    # Close with the discount when the discounted amount matched, or when nothing matched
    # and the line is dated within the discount period; a line paying the full remaining
    # amount closes it without discount.
    with_discount = discount_applies(entry, line.booking_date) and (hit is None or hit.discounted)
    close = abs(entry_cents - discount_cents(entry)) if with_discount else abs(entry_cents)
    return Candidate(
        line,
        window,
        (entry,),
        party,
        documents,
        amount,
        hit,
        same_amount_count,
        (close,),
        (with_discount,),
        rule,
    )


def score_group(
    line: MatchLine,
    window: LineWindow,
    entries: tuple[MatchEntry, ...],
    close_cents: tuple[int, ...],
    with_discount: tuple[bool, ...],
    party: PartyEvidence,
    documents: tuple[DocumentHit, ...],
    amount_matched: bool,
    same_amount_count: int,
) -> Candidate | None:
    """Several entries paid by one line (their sum matches the line amount, or the text names
    them all): the set is judged as one candidate."""
    amount = amount_signal(amount_matched, same_amount_count)
    rule = best_rule(party.signal, document_signal(documents, len(entries)), amount)
    if rule is None:
        return None
    return Candidate(
        line,
        window,
        entries,
        party,
        documents,
        amount,
        None,
        same_amount_count,
        close_cents,
        with_discount,
        rule,
    )
