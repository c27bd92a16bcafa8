"""A statement of 10,000 lines against 100,000 open entries cannot be scored pair by pair,
so each signal (IBAN, name, document no., amount, party) gets a lookup built once per call."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from operator import attrgetter
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
EntryKey = tuple[int, Ledger]  # (entry no., ledger)
_K = TypeVar("_K", int, str)
# A key's entries: a bare entry, or a list (oldest first) only once several share the key,
# so that 100,000 mostly distinct keys do not cost 100,000 lists.
Bucket = dict[_K, MatchEntry | list[MatchEntry]]


class Party(NamedTuple):
    """A customer or vendor as the matcher sees it (one per party with open entries)."""

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


def _add(index: Bucket[_K], key: _K, entry: MatchEntry) -> None:
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


# (due date, entry no., ledger): oldest first, a total order. attrgetter builds the key in C
# (100,000 entries are sorted on every call).
_oldest_first = attrgetter("due_date", "entry_no", "ledger")


def _hit_oldest_first(hit: AmountHit) -> tuple[date, int, Ledger]:
    entry = hit.entry
    return (entry.due_date, entry.entry_no, entry.ledger)


_ENTRY_NO = attrgetter("entry_no")
_ENTRY_KEY = attrgetter("entry_no", "ledger")
_IBANS = attrgetter("party_ibans")


class MatchIndex:
    """Lookups over the open entries of one ``suggest`` call (never reused across calls).

    Parties are numbered in key order (``_party_keys``) so that the name index holds small
    ints: sets, sorts and slices of ints cost a fraction of those of (ledger, no.) tuples.
    """

    def __init__(self, entries: Iterable[MatchEntry]) -> None:
        kept = [e for e in entries if e.remaining_amount]
        # Oldest first: (due date, entry no., ledger) by stable sorts on one attribute each,
        # minor key first: 3× faster than one sort on tuples.
        for attribute in ("ledger", "entry_no", "due_date"):
            kept.sort(key=attrgetter(attribute))
        self.entries: tuple[MatchEntry, ...] = tuple(kept)
        # entry nos. are unique per ledger; (entry no., ledger) tuples only when nos. repeat
        if len(set(map(_ENTRY_NO, kept))) != len(kept) and len(set(map(_ENTRY_KEY, kept))) != len(
            kept
        ):
            self._reject_duplicates()
        self.parties: dict[PartyKey, Party] = {}
        self._by_iban: dict[str, list[PartyKey]] = defaultdict(list)
        # name token -> party numbers (ascending, i.e. in key order)
        self._by_name_token: dict[str, list[int]] = {}
        self._party_keys: list[PartyKey] = []
        self._normalized_names: list[str] = []
        # names' sorted token forms ordered by length, for the typo scan; built on first use
        self._forms_by_length: tuple[list[int], list[str], list[int]] | None = None
        self._sorted_amounts: dict[tuple[str, int], list[int]] = {}
        # (party, currency, incoming) -> the entries such a line can pay, oldest first
        self._payable: dict[tuple[PartyKey, str, bool], tuple[MatchEntry, ...]] = {}
        # id(entry) -> remaining cents: the entries live as long as the index (self.entries)
        self._cents: dict[int, int] = {}
        # (currency, sign) -> cents -> entries; the discounted amounts in a second map
        self._by_amount: dict[tuple[str, int], Bucket[int]] = {}
        self._by_discounted: dict[tuple[str, int], Bucket[int]] = {}
        # document key (document no. or external document no.) -> entries
        self._by_document: Bucket[str] = {}
        self.max_document_runs = 1
        # party -> open entries, oldest due date first
        self._by_party: dict[PartyKey, list[MatchEntry]] = {}
        self._build()

    def _reject_duplicates(self) -> None:
        """Entry numbers repeat across ledgers; the same (entry no., ledger) twice is an error."""
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
        return self._cents[id(entry)]

    # -- building -------------------------------------------------------------------------

    def _build(self) -> None:
        """One pass over the open entries, oldest first (so every list is in due-date order).

        It runs 100,000 times per call, so it is written for CPython: names bound locally,
        no helper calls in the common case (two-decimal amounts, alphanumeric document
        nos.), the amount buckets of a (currency, sign) found by the raw currency code, and
        a bucket holding a bare entry until a second entry shares its key.
        """
        cents_by_id = self._cents
        by_party = self._by_party
        by_document = self._by_document
        # raw currency code -> bucket, for incoming (False) and outgoing (True) amounts
        buckets: tuple[dict[str, Bucket[int]], dict[str, Bucket[int]]] = ({}, {})
        min_length = MIN_DOCUMENT_NO_LENGTH
        max_runs = 1
        for entry in self.entries:
            party_key = (entry.ledger, entry.party_no)
            party_entries = by_party.get(party_key)
            if party_entries is None:
                by_party[party_key] = [entry]
            else:
                party_entries.append(entry)
            numerator, denominator = entry.remaining_amount.as_integer_ratio()
            if 100 % denominator == 0:
                cents = numerator * (100 // denominator)
            else:
                cents = to_cents(entry.remaining_amount)
            cents_by_id[id(entry)] = cents
            outgoing = cents < 0
            bucket = buckets[outgoing].get(entry.currency_code)
            if bucket is None:
                bucket = self._bucket(self._by_amount, entry.currency_code, outgoing)
                buckets[outgoing][entry.currency_code] = bucket
            found = bucket.get(cents)
            if found is None:
                bucket[cents] = entry
            elif isinstance(found, list):
                found.append(entry)
            else:
                bucket[cents] = [found, entry]
            if entry.pmt_discount_date is not None and entry.remaining_pmt_disc_possible:
                discount = discount_cents(entry)
                if discount:
                    group = self._bucket(self._by_discounted, entry.currency_code, outgoing)
                    _add(group, cents - discount, entry)
            value = entry.document_no
            if value.isalnum() and len(value) >= min_length:  # the common case: 'SI100234'
                key = value.upper()
                found = by_document.get(key)
                if found is None:
                    by_document[key] = entry
                else:
                    _add(by_document, key, entry)
            elif value:
                max_runs = max(max_runs, self._add_document(value, entry))
            if entry.external_document_no:
                max_runs = max(max_runs, self._add_document(entry.external_document_no, entry))
        self.max_document_runs = max_runs
        self._build_parties()

    @staticmethod
    def _bucket(
        groups: dict[tuple[str, int], Bucket[int]], currency: str, outgoing: bool
    ) -> Bucket[int]:
        return groups.setdefault((currency.upper(), -1 if outgoing else 1), {})

    def _add_document(self, value: str, entry: MatchEntry) -> int:
        """Index a document no. under its key; the key's count of runs (0: not indexed)."""
        found = document_key(value)
        if found is None:
            return 0
        _add(self._by_document, found[0], entry)
        return found[1]

    def _build_parties(self) -> None:
        by_party = self._by_party
        by_iban = self._by_iban
        by_token = self._by_name_token
        names = self._normalized_names
        self._party_keys = sorted(by_party)
        for number, party_key in enumerate(self._party_keys):
            party_entries = by_party[party_key]
            name = party_entries[0].party_name
            normalized = normalize_name(name)
            raw_ibans = set().union(*map(_IBANS, party_entries))
            normalized_ibans = frozenset(i for i in map(normalize_iban, raw_ibans) if i)
            self.parties[party_key] = Party(
                party_key, party_key[0], party_key[1], name, normalized, normalized_ibans
            )
            for iban in sorted(normalized_ibans):
                by_iban[iban].append(party_key)
            for token in name_index_tokens(normalized):
                posting = by_token.get(token)
                if posting is None:
                    by_token[token] = [number]
                else:
                    posting.append(number)
            names.append(normalized)

    def _sorted(self, group: tuple[str, int]) -> list[int]:
        """Sorted amounts (full and discounted) of a group, built on first use."""
        found = self._sorted_amounts.get(group)
        if found is None:
            found = sorted({*self._by_amount.get(group, {}), *self._by_discounted.get(group, {})})
            self._sorted_amounts[group] = found
        return found

    def _sorted_forms(self) -> tuple[list[int], list[str], list[int]]:
        """Lengths, sorted token forms and party numbers of all names, shortest first."""
        if self._forms_by_length is None:
            forms = sorted(
                (len(form), number, form)
                for number, form in enumerate(map(sorted_token_form, self._normalized_names))
            )
            self._forms_by_length = (
                [length for length, _, _ in forms],
                [form for _, _, form in forms],
                [number for _, number, _ in forms],
            )
        return self._forms_by_length

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
                    if _names_phrase(value, phrase):
                        hits.append(DocumentHit(entry, field, value))
        if len(hits) > 1:
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
            return _exact_hits(full, discounted, low, line.booking_date)
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
        return sorted(best.values(), key=_hit_oldest_first)

    def open_entries(self, party: PartyKey, line: MatchLine) -> Sequence[MatchEntry]:
        """The party's open entries the line can pay (same currency and sign), oldest first."""
        currency = line.currency_code.upper()
        positive = line.amount > 0
        key = (party, currency, positive)
        found = self._payable.get(key)
        if found is None:
            found = tuple(
                e
                for e in self._by_party.get(party, ())
                if (e.remaining_amount > 0) == positive and e.currency_code.upper() == currency
            )
            self._payable[key] = found
        return found

    def similar_parties(self, query: str, threshold: int) -> list[tuple[PartyKey, float]]:
        """Parties whose name is at least ``threshold`` similar to ``query`` (a normalised
        name), on token_set_ratio, best first.

        Only parties sharing a name token with the line are compared (rarest tokens first,
        at most MAX_NAME_CANDIDATES). When no token is shared, token_set_ratio equals a plain
        ratio of the sorted token forms, so one C-level scan of the names finds typos.
        """
        if not query:
            return []
        by_token = self._by_name_token
        ranked = []  # rarest token first; ties by token (a frozenset has no stable order)
        for token in name_index_tokens(query):
            posting = by_token.get(token)
            if posting is not None:
                ranked.append((len(posting), token, posting))
        ranked.sort()
        postings = [posting for _, _, posting in ranked]
        candidates: set[int] = set()
        usable = [p for p in postings if len(p) <= MAX_PARTIES_PER_NAME_TOKEN]
        for posting in usable:
            if candidates and len(candidates) + len(posting) > MAX_NAME_CANDIDATES:
                break
            candidates.update(posting)
        if not usable and len(postings) > 1:  # only common tokens: parties having two of them
            common = set(postings[0]).intersection(postings[1])
            candidates = set(sorted(common)[:MAX_NAME_CANDIDATES])
        keys = self._party_keys
        if candidates:
            numbers = sorted(candidates)
            names = self._normalized_names
            scored = process.extract(
                query,
                [names[n] for n in numbers],
                scorer=fuzz.token_set_ratio,
                processor=None,
                score_cutoff=threshold,
                limit=None,
            )
            found = [(keys[numbers[i]], score) for _, score, i in scored]
        elif postings:  # one common token and unknown words: compare with every name
            scored = process.extract(
                query,
                self._normalized_names,
                scorer=fuzz.token_set_ratio,
                processor=None,
                score_cutoff=threshold,
                limit=NAME_MATCH_LIMIT * 4,
            )
            found = [(keys[i], score) for _, score, i in scored]
        else:
            found = self._similar_forms(query, threshold)
        found.sort(key=lambda item: (-item[1], item[0]))
        return found[:NAME_MATCH_LIMIT]

    def _similar_forms(self, query: str, threshold: int) -> list[tuple[PartyKey, float]]:
        """fuzz.ratio of the sorted token forms, over the names of a length that can reach
        the threshold t: ratio = 100 × (1 − indel distance / (m + n)) and the distance is at
        least |m − n|, so n lies in [⌈m·t / (200 − t)⌉, ⌊m·(200 − t) / t⌋] (exact integer
        bounds, inclusive). On the benchmark this skips 70 % of the 10,000 names."""
        form = sorted_token_form(query)
        lengths, forms, numbers = self._sorted_forms()
        size = len(form)
        shortest = -(-threshold * size // (200 - threshold))
        longest = size * (200 - threshold) // threshold
        start, stop = bisect_left(lengths, shortest), bisect_right(lengths, longest)
        scored = process.extract(
            form,
            forms[start:stop],
            scorer=fuzz.ratio,
            processor=None,
            score_cutoff=threshold,
            limit=None,
        )
        keys = self._party_keys
        return [(keys[numbers[start + i]], score) for _, score, i in scored]

    def name_similarity(self, query: str, party: PartyKey) -> float:
        """token_set_ratio of a normalised name (see text.normalize_name) and the party's."""
        target = self.parties[party].normalized_name
        if not query or not target:
            return 0.0
        return float(fuzz.token_set_ratio(query, target, processor=None))


def _names_phrase(value: str, phrase: str) -> bool:
    """document_key(value) is the phrase. The phrase starts and ends with a letter or digit,
    so a value equal to it (upper case) is its own key; the key is part of value.upper()."""
    if not value:
        return False
    upper = value.upper()
    if upper == phrase:
        return True
    if phrase not in upper:
        return False
    key = document_key(value)
    return key is not None and key[0] == phrase


def _exact_hits(
    full: Bucket[int], discounted: Bucket[int], cents: int, on: date
) -> list[AmountHit]:
    """amount_hits without tolerance: every hit is at distance 0, so an entry's full amount
    and discounted amount (never equal) cannot compete, and the full bucket is already
    oldest first."""
    found = full.get(cents)
    if found is None:
        hits = []
    elif isinstance(found, list):
        hits = [AmountHit(entry, cents, False) for entry in found]
    else:
        hits = [AmountHit(found, cents, False)]
    found = discounted.get(cents)
    if found is not None:
        extra = [AmountHit(e, cents, True) for e in _all(found) if discount_applies(e, on)]
        if extra:
            hits.extend(extra)
            hits.sort(key=_hit_oldest_first)
    return hits
