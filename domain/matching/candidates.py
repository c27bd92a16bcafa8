"""A statement of 10,000 lines against 100,000 open entries cannot be scored pair by pair,
so each signal (IBAN, name, document no., amount, party) gets a lookup built once per call."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple, TypeVar

from rapidfuzz import fuzz, process

from domain.errors import DomainError, ErrorCode
from domain.matching.model import Ledger, MatchEntry, MatchLine
from domain.matching.text import (
    MIN_DOCUMENT_NO_LENGTH,
    document_key,
    name_index_tokens,
    normalize_iban,
    normalize_name,
    sorted_token_form,
    text_phrases,
)

# A document key shared by more entries than this (an external document no. such as
# "ORDER" reused by a customer) identifies nothing and is not indexed.
MAX_ENTRIES_PER_DOCUMENT_KEY = 50
# A name token shared by more parties than this ("transport", "bakery") is not used alone.
MAX_PARTIES_PER_NAME_TOKEN = 200
# At most this many parties are compared by name for one line, and at most
# NAME_MATCH_LIMIT of them are kept as "partially" related.
MAX_NAME_CANDIDATES = 200
NAME_MATCH_LIMIT = 5

PartyKey = tuple[Ledger, str]  # (ledger, party no.)
_K = TypeVar("_K")
_Bucket = dict[int, MatchEntry | list[MatchEntry]]
EntryKey = tuple[int, Ledger]  # (entry no., ledger)


@dataclass(frozen=True, slots=True)
class Party:
    key: PartyKey
    ledger: Ledger
    party_no: str
    name: str
    normalized_name: str
    ibans: frozenset[str]


class AmountHit(NamedTuple):
    """An entry whose amount (``discounted``: remaining − possible discount) is in a window.

    Internal records made by the thousand are NamedTuples: immutable like a frozen
    dataclass, but several times cheaper to build.
    """

    entry: MatchEntry
    cents: int
    discounted: bool


class DocumentHit(NamedTuple):
    entry: MatchEntry
    field: str  # "documentNo" or "externalDocumentNo"
    value: str


def to_cents(amount: Decimal) -> int:
    """Amounts are compared in whole cents, rounded half away from zero."""
    scaled = amount.scaleb(2)
    whole = int(scaled)
    if whole == scaled:
        return whole
    return int(scaled.to_integral_value(rounding=ROUND_HALF_UP))


def sign(amount: Decimal | int) -> int:
    return (amount > 0) - (amount < 0)


def discount_cents(entry: MatchEntry) -> int:
    """The possible payment discount in cents, with the sign of the remaining amount."""
    if entry.pmt_discount_date is None or not entry.remaining_pmt_disc_possible:
        return 0
    magnitude = abs(to_cents(entry.remaining_pmt_disc_possible))
    remaining = abs(to_cents(entry.remaining_amount))
    if magnitude >= remaining:
        return 0
    return magnitude * sign(entry.remaining_amount)


def _add(index: dict[_K, MatchEntry | list[MatchEntry]], key: _K, entry: MatchEntry) -> None:
    """Most keys have one entry: store it bare, and a list only on a collision (fewer objects
    for the garbage collector to walk on 100,000 entries)."""
    found = index.get(key)
    if found is None:
        index[key] = entry
    elif isinstance(found, list):
        found.append(entry)
    else:
        index[key] = [found, entry]


def _all(found: MatchEntry | list[MatchEntry] | None) -> Sequence[MatchEntry]:
    if found is None:
        return ()
    return found if isinstance(found, list) else (found,)


def _keep_closest(best: dict[EntryKey, AmountHit], hit: AmountHit, target: int) -> None:
    key = (hit.entry.entry_no, hit.entry.ledger)
    current = best.get(key)
    if current is None or (abs(hit.cents - target), hit.discounted) < (
        abs(current.cents - target),
        current.discounted,
    ):
        best[key] = hit


def discount_applies(entry: MatchEntry, on: date) -> bool:
    """BC grants the payment discount when the payment is dated on or before the discount date."""
    return (
        entry.pmt_discount_date is not None
        and on <= entry.pmt_discount_date
        and discount_cents(entry) != 0
    )


def _oldest_first(entry: MatchEntry) -> tuple[date, int, Ledger]:
    return (entry.due_date, entry.entry_no, entry.ledger)


class MatchIndex:
    """Lookups over the open entries of one ``suggest`` call (never reused across calls)."""

    def __init__(self, entries: Iterable[MatchEntry]) -> None:
        ordered = sorted(entries, key=_oldest_first)
        self.entries: tuple[MatchEntry, ...] = tuple(e for e in ordered if e.remaining_amount)
        self.parties: dict[PartyKey, Party] = {}
        self._cents: dict[Ledger, dict[int, int]] = {ledger: {} for ledger in Ledger}
        self._by_iban: dict[str, list[PartyKey]] = defaultdict(list)
        self._by_name_token: dict[str, list[PartyKey]] = defaultdict(list)
        # document key (document no. or external document no.) -> entries
        self._by_document: dict[str, MatchEntry | list[MatchEntry]] = {}
        self.max_document_runs = 1
        # (currency, sign) -> cents -> entries; the discounted amounts in a second map
        self._by_amount: dict[tuple[str, int], _Bucket] = defaultdict(dict)
        self._by_discounted: dict[tuple[str, int], _Bucket] = defaultdict(dict)
        self._sorted_amounts: dict[tuple[str, int], list[int]] = {}
        # party -> open entries, oldest due date first
        self._by_party: dict[PartyKey, list[MatchEntry]] = {}
        self._build()
        if sum(map(len, self._cents.values())) != len(self.entries):
            self._reject_duplicates()

    def _reject_duplicates(self) -> None:
        seen: set[EntryKey] = set()
        for entry in sorted(self.entries, key=lambda e: e.key):
            if entry.key in seen:
                raise DomainError(
                    ErrorCode.INVALID_INPUT,
                    f"{entry.ledger.word} ledger entry {entry.entry_no} is given twice",
                    ["entries"],
                )
            seen.add(entry.key)

    def cents(self, entry: MatchEntry) -> int:
        """The entry's remaining amount in cents (signed)."""
        return self._cents[entry.ledger][entry.entry_no]

    # -- building -------------------------------------------------------------------------

    def _build(self) -> None:
        ibans: dict[PartyKey, set[str]] = {}
        cents_of = self._cents
        by_party = self._by_party
        by_document = self._by_document
        by_amount = self._by_amount
        max_runs = 1
        # oldest first, so every list below is already in due-date order
        for entry in self.entries:
            ledger = entry.ledger
            party_key = (ledger, entry.party_no)
            party_entries = by_party.get(party_key)
            if party_entries is None:
                by_party[party_key] = [entry]
                ibans[party_key] = set(entry.party_ibans)
            else:
                party_entries.append(entry)
                if entry.party_ibans:
                    ibans[party_key].update(entry.party_ibans)
            scaled = entry.remaining_amount.scaleb(2)
            cents = int(scaled)
            if cents != scaled:
                cents = to_cents(entry.remaining_amount)
            cents_of[ledger][entry.entry_no] = cents
            group = (entry.currency_code.upper(), 1 if cents > 0 else -1)
            bucket = by_amount[group]
            found_entries = bucket.get(cents)
            if found_entries is None:
                bucket[cents] = entry
            else:
                _add(bucket, cents, entry)
            if entry.pmt_discount_date is not None:
                discount = discount_cents(entry)
                if discount:
                    _add(self._by_discounted[group], cents - discount, entry)
            for value in (entry.document_no, entry.external_document_no):
                if not value:
                    continue
                if value.isalnum():  # the common case, 'SI100234': one run
                    if len(value) >= MIN_DOCUMENT_NO_LENGTH:
                        key = value.upper()
                        if key in by_document:
                            _add(by_document, key, entry)
                        else:
                            by_document[key] = entry
                    continue
                found = document_key(value)
                if found is not None:
                    _add(by_document, found[0], entry)
                    if found[1] > max_runs:
                        max_runs = found[1]
        self.max_document_runs = max_runs
        names = {key: entries[0].party_name for key, entries in by_party.items()}
        for party_key in sorted(names):
            normalized = normalize_name(names[party_key])
            normalized_ibans = frozenset(i for i in map(normalize_iban, ibans[party_key]) if i)
            self.parties[party_key] = Party(
                party_key,
                party_key[0],
                party_key[1],
                names[party_key],
                normalized,
                normalized_ibans,
            )
            for iban in sorted(normalized_ibans):
                self._by_iban[iban].append(party_key)
            for token in name_index_tokens(normalized):
                self._by_name_token[token].append(party_key)
        self._party_keys = sorted(self.parties)
        self._normalized_names = [self.parties[k].normalized_name for k in self._party_keys]
        self._sorted_token_names = [sorted_token_form(n) for n in self._normalized_names]

    def _sorted(self, group: tuple[str, int]) -> list[int]:
        """Sorted amounts (full and discounted) of a group, built on first use."""
        found = self._sorted_amounts.get(group)
        if found is None:
            found = sorted({*self._by_amount.get(group, {}), *self._by_discounted.get(group, {})})
            self._sorted_amounts[group] = found
        return found

    # -- lookups ----------------------------------------------------------------------------

    def parties_by_iban(self, iban: str) -> tuple[PartyKey, ...]:
        return tuple(self._by_iban.get(iban, ())) if iban else ()

    def documents_in_text(self, text: str) -> list[DocumentHit]:
        """Open entries whose document no. or external document no. stands in the text."""
        if not text:
            return []
        hits: list[DocumentHit] = []
        by_document = self._by_document
        for phrase in text_phrases(text, self.max_document_runs):
            found = by_document.get(phrase)
            if found is None:
                continue
            matched = _all(found)
            if len(matched) > MAX_ENTRIES_PER_DOCUMENT_KEY:
                continue
            for entry in matched:
                for field, value in (
                    ("documentNo", entry.document_no),
                    ("externalDocumentNo", entry.external_document_no),
                ):
                    key = document_key(value)
                    if key is not None and key[0] == phrase:
                        hits.append(DocumentHit(entry, field, value))
        hits.sort(key=lambda h: (h.entry.entry_no, h.entry.ledger, h.field))
        return hits

    def amount_hits(self, line: MatchLine, low: int, high: int) -> list[AmountHit]:
        """Entries of the line's currency and sign whose amount lies in [low, high] cents.

        The discounted amount only counts when the line is dated on or before the discount
        date. An entry appears once, with the variant closest to the line (full on a tie).
        """
        group = (line.currency_code.upper(), sign(line.amount))
        full = self._by_amount.get(group, {})
        discounted = self._by_discounted.get(group, {})
        if low == high:
            amounts = [low]
        else:
            ordered = self._sorted(group)
            amounts = ordered[bisect_left(ordered, low) : bisect_right(ordered, high)]
        target = (low + high) // 2
        best: dict[EntryKey, AmountHit] = {}
        for cents in amounts:
            for entry in _all(full.get(cents)):
                _keep_closest(best, AmountHit(entry, cents, False), target)
            for entry in _all(discounted.get(cents)):
                if discount_applies(entry, line.booking_date):
                    _keep_closest(best, AmountHit(entry, cents, True), target)
        return sorted(best.values(), key=lambda h: _oldest_first(h.entry))

    def open_entries(self, party: PartyKey, line: MatchLine) -> Sequence[MatchEntry]:
        """The party's open entries the line can pay (same currency and sign), oldest first."""
        currency = line.currency_code.upper()
        positive = line.amount > 0
        return [
            e
            for e in self._by_party.get(party, ())
            if (e.remaining_amount > 0) == positive and e.currency_code.upper() == currency
        ]

    def similar_parties(self, query: str, threshold: int) -> list[tuple[PartyKey, float]]:
        """Parties whose name is at least ``threshold`` similar to ``query`` (a normalised
        name), on token_set_ratio, best first.

        Only parties sharing a name token with the line are compared (rarest tokens first,
        at most MAX_NAME_CANDIDATES). When no token is shared, token_set_ratio equals a plain
        ratio of the sorted token forms, so one C-level scan of all names finds typos.
        """
        if not query:
            return []
        postings = sorted(
            (self._by_name_token[t] for t in name_index_tokens(query) if t in self._by_name_token),
            key=len,
        )
        candidates: set[PartyKey] = set()
        usable = [p for p in postings if len(p) <= MAX_PARTIES_PER_NAME_TOKEN]
        for posting in usable:
            if candidates and len(candidates) + len(posting) > MAX_NAME_CANDIDATES:
                break
            candidates.update(posting[:MAX_NAME_CANDIDATES])
        if not usable and len(postings) > 1:  # only common tokens: parties having two of them
            common = set(postings[0]) & set(postings[1])
            candidates = set(sorted(common)[:MAX_NAME_CANDIDATES])
        if candidates:
            keys = sorted(candidates)
            scored = process.extract(
                query,
                [self.parties[k].normalized_name for k in keys],
                scorer=fuzz.token_set_ratio,
                processor=None,
                score_cutoff=threshold,
                limit=None,
            )
            found = [(keys[i], score) for _, score, i in scored]
        elif postings:  # one common token and unknown words: compare with every name
            scored = process.extract(
                query,
                self._normalized_names,
                scorer=fuzz.token_set_ratio,
                processor=None,
                score_cutoff=threshold,
                limit=NAME_MATCH_LIMIT * 4,
            )
            found = [(self._party_keys[i], score) for _, score, i in scored]
        else:
            scored = process.extract(
                sorted_token_form(query),
                self._sorted_token_names,
                scorer=fuzz.ratio,
                processor=None,
                score_cutoff=threshold,
                limit=NAME_MATCH_LIMIT * 4,
            )
            found = [(self._party_keys[i], score) for _, score, i in scored]
        found.sort(key=lambda item: (-item[1], item[0]))
        return found[:NAME_MATCH_LIMIT]

    def name_similarity(self, query: str, party: PartyKey) -> float:
        """token_set_ratio of a normalised name (see text.normalize_name) and the party's."""
        target = self.parties[party].normalized_name
        if not query or not target:
            return 0.0
        return float(fuzz.token_set_ratio(query, target, processor=None))
