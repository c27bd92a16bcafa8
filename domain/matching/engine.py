"""The payment reconciliation journal needs, for every bank line, the applications BC would
propose: text mappings first, then open entries ranked by BC's rules, each explained."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal

from domain.errors import DomainError, ErrorCode
from domain.matching.assign import Allocation, assign
from domain.matching.candidates import (
    AmountHit,
    DocumentHit,
    EntryKey,
    MatchIndex,
    PartyKey,
    sign,
)
from domain.matching.collector import collector_paused
from domain.matching.explain import (
    LineProbe,
    explain_allocation,
    explain_mapping,
    explain_nothing,
)
from domain.matching.groups import find_entry_set, named_entry_set
from domain.matching.model import (
    Confidence,
    MatchEntry,
    MatchLine,
    MatchSettings,
    Suggestion,
    TextMapping,
)
from domain.matching.rules import TEXT_MAPPING_SCORE, PartyMatch
from domain.matching.scoring import Candidate, LineWindow, PartyJudge, score_entry, score_group
from domain.matching.text import normalize_iban

# Entries found only by amount (party and document unknown) are kept for the oldest few.
AMOUNT_ONLY_LIMIT = 10
# A known party's entries become candidates oldest first until they cover the line amount,
# plus PARTY_ENTRY_SLACK more (in case other lines take some), never more than the limit.
PARTY_ENTRY_SLACK = 2
PARTY_ENTRY_LIMIT = 50


def suggest(
    lines: Iterable[MatchLine],
    entries: Iterable[MatchEntry],
    mappings: Iterable[TextMapping] = (),
    settings: MatchSettings | None = None,
) -> tuple[Suggestion, ...]:
    """Suggested applications for a statement's lines, ordered by line id.

    A line gets one suggestion per entry (or G/L account) it is applied to, or a single NONE
    suggestion explaining what was tried. Pure and deterministic: the same lines, entries and
    mappings in any order give the same result. The cyclic garbage collector is paused for
    the call (see collector.py: it was a third of the run time, for no garbage).
    """
    with collector_paused():
        return _suggest(lines, entries, mappings, settings or MatchSettings())


def _suggest(
    lines: Iterable[MatchLine],
    entries: Iterable[MatchEntry],
    mappings: Iterable[TextMapping],
    settings: MatchSettings,
) -> tuple[Suggestion, ...]:
    ordered_lines = _checked_lines(lines)
    index = MatchIndex(entries)
    ordered_mappings = sorted(
        (m for m in mappings if m.mapping_text.strip()),
        key=lambda m: (-len(m.mapping_text.strip()), m.mapping_text.casefold(), m.gl_account_no),
    )
    mapped: dict[int, Suggestion] = {}
    probes: dict[int, LineProbe] = {}
    candidates: list[Candidate] = []
    for line in ordered_lines:
        mapping = _mapping_for(line, ordered_mappings)
        if mapping is not None:
            mapped[line.line_id] = Suggestion(
                line.line_id,
                None,
                mapping.gl_account_no,
                line.amount,
                TEXT_MAPPING_SCORE,
                Confidence.HIGH,
                explain_mapping(line, mapping),
            )
            continue
        found, probe = _line_candidates(index, line, settings, len(ordered_mappings))
        candidates.extend(found)
        probes[line.line_id] = probe
    by_line: dict[int, list[Allocation]] = defaultdict(list)
    cents = index.cents
    remaining = {e.key: cents(e) for c in candidates for e in c.entries}
    for allocation in assign(candidates, remaining):
        by_line[allocation.candidate.line.line_id].append(allocation)
    result: list[Suggestion] = []
    for line in ordered_lines:
        if line.line_id in mapped:
            result.append(mapped[line.line_id])
        elif by_line[line.line_id]:
            result.extend(_suggestion(a) for a in by_line[line.line_id])
        else:
            probe = probes[line.line_id]
            result.append(
                Suggestion(
                    line.line_id,
                    None,
                    None,
                    Decimal(0),
                    0,
                    Confidence.NONE,
                    explain_nothing(probe, taken=bool(probe.candidates)),
                )
            )
    return tuple(result)


def _checked_lines(lines: Iterable[MatchLine]) -> list[MatchLine]:
    ordered = sorted(lines, key=lambda line: line.line_id)
    for previous, current in zip(ordered, ordered[1:], strict=False):
        if previous.line_id == current.line_id:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                f"statement line {current.line_id} is given twice",
                ["lines"],
            )
    return ordered


def _mapping_for(line: MatchLine, mappings: Sequence[TextMapping]) -> TextMapping | None:
    """The longest mapping text contained (case-insensitive) in the text or the name."""
    if not mappings or line.amount == 0:
        return None
    haystack = f"{line.text}\n{line.counterparty_name or ''}".casefold()
    for mapping in mappings:
        if mapping.mapping_text.strip().casefold() in haystack:
            return mapping
    return None


def _party_of(entry: MatchEntry) -> PartyKey:
    return (entry.ledger, entry.party_no)


def _line_candidates(
    index: MatchIndex, line: MatchLine, settings: MatchSettings, mappings_tried: int
) -> tuple[list[Candidate], LineProbe]:
    window = LineWindow.of(line, settings)
    iban = normalize_iban(line.counterparty_iban)
    if window.cents == 0:
        return [], LineProbe(line, window.tolerance, mappings_tried, iban, 0, 0, 0, 0, ())
    direction = sign(window.cents)
    currency = line.currency_code.upper()
    hits = index.amount_hits(line, window.low, window.high)
    hit_by_key = {hit.entry.key: hit for hit in hits}
    documents: dict[EntryKey, list[DocumentHit]] = defaultdict(list)
    for doc in index.documents_in_text(line.text):
        if (
            sign(doc.entry.remaining_amount) == direction
            and doc.entry.currency_code.upper() == currency
        ):
            documents[doc.entry.key].append(doc)
    judge = PartyJudge(index, line, settings)
    iban_parties = index.parties_by_iban(judge.iban)
    name_matches = judge.similar_parties() if judge.name and not iban_parties else []

    known = [*iban_parties, *(key for key, _ in name_matches)]
    known_set = set(known) | {_party_of(hits[0].entry) for hits in documents.values()}
    chosen: dict[EntryKey, MatchEntry] = {}
    for doc_hits in documents.values():
        chosen[doc_hits[0].entry.key] = doc_hits[0].entry
    amount_only = 0
    for hit in hits:
        if _party_of(hit.entry) in known_set:
            chosen[hit.entry.key] = hit.entry
        elif amount_only < AMOUNT_ONLY_LIMIT:
            chosen[hit.entry.key] = hit.entry
            amount_only += 1

    def score(keys: Iterable[EntryKey]) -> list[Candidate]:
        scored = []
        for key in sorted(keys):
            entry = chosen[key]
            candidate = score_entry(
                line,
                window,
                entry,
                judge(_party_of(entry)),
                tuple(documents.get(key, ())),
                hit_by_key.get(key),
                len(hits),
                index.cents(entry),
            )
            if candidate is not None:
                scored.append(candidate)
        return scored

    found = score(list(chosen))
    # The known party's oldest entries only matter when no named or same-amount entry can
    # take the whole line (BC's "related party, no document, no amount" rows).
    whole = window.magnitude - window.tolerance
    if known and not any(c.close_cents[0] >= whole for c in found):
        extra = [
            entry
            for party in known
            for entry in _oldest_covering(index, party, line, window)
            if entry.key not in chosen
        ]
        chosen.update((entry.key, entry) for entry in extra)
        found.extend(score(entry.key for entry in extra))
    found.extend(_entry_sets(index, line, window, settings, judge, documents, known_set, hits))
    probe = LineProbe(
        line,
        window.tolerance,
        mappings_tried,
        iban,
        len(iban_parties),
        len(name_matches),
        len(documents),
        len(hits),
        tuple(found),
    )
    return found, probe


def _oldest_covering(
    index: MatchIndex, party: PartyKey, line: MatchLine, window: LineWindow
) -> list[MatchEntry]:
    picked: list[MatchEntry] = []
    covered = 0
    extra = PARTY_ENTRY_SLACK
    for entry in index.open_entries(party, line):
        if len(picked) >= PARTY_ENTRY_LIMIT:
            break
        if covered >= window.magnitude:
            if extra == 0:
                break
            extra -= 1
        picked.append(entry)
        covered += abs(index.cents(entry))
    return picked


def _entry_sets(
    index: MatchIndex,
    line: MatchLine,
    window: LineWindow,
    settings: MatchSettings,
    judge: PartyJudge,
    documents: dict[EntryKey, list[DocumentHit]],
    known: set[PartyKey],
    hits: Sequence[AmountHit],
) -> list[Candidate]:
    """One payment for several documents, for known parties with no single matching entry."""
    if settings.max_entries_per_line < 2:
        return []
    with_single = {_party_of(hit.entry) for hit in hits}
    low, high = window.magnitude - window.tolerance, window.magnitude + window.tolerance
    sets = []
    for party in sorted(known - with_single):
        evidence = judge(party)
        open_entries = index.open_entries(party, line)
        named = frozenset(e.key for e in open_entries if e.key in documents)
        if not named and evidence.signal is PartyMatch.NO:
            continue
        found = find_entry_set(
            line,
            low,
            high,
            open_entries,
            index.cents,
            named,
            evidence.signal is not PartyMatch.NO,
            settings.max_entries_per_line,
        )
        if found is not None:
            sets.append((found, evidence, True))
        elif len(named) > 1:  # the text names several documents, the sum differs (BC still
            # proposes them together: "Yes - Multiple", amount not matched)
            found = named_entry_set(line, open_entries, index.cents, named, settings)
            sets.append((found, evidence, False))
    matched_sets = sum(1 for _, _, matched in sets if matched)
    result: list[Candidate] = []
    for entry_set, evidence, matched in sets:
        doc_hits = tuple(hit for e in entry_set.entries for hit in documents.get(e.key, ()))
        candidate = score_group(
            line,
            window,
            entry_set.entries,
            entry_set.close_cents,
            entry_set.with_discount,
            evidence,
            doc_hits,
            matched,
            len(hits) + matched_sets,
        )
        if candidate is not None:
            result.append(candidate)
    return result


def _suggestion(allocation: Allocation) -> Suggestion:
    candidate = allocation.candidate
    line = candidate.line
    cents = allocation.cents if line.amount > 0 else -allocation.cents
    return Suggestion(
        line.line_id,
        candidate.entries[allocation.position],
        None,
        Decimal(cents).scaleb(-2),
        candidate.score,
        candidate.rule.confidence,
        explain_allocation(allocation),
    )
