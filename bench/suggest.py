"""Suggested applications for a 10,000-line statement against 100,000 open entries: time,
memory, precision/recall per confidence, and the indexed engine vs a naive all-pairs scorer.

python bench/suggest.py [--entries 100000 --customers 10000 --lines 10000 --naive-lines 1000]

Pure domain code, no database: the baseline is the naive scorer, run in the same process on
a subset of the same statement. Prints `name  value  unit  baseline  ratio`.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import string
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from rapidfuzz import fuzz, process

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine_speed_ms  # noqa: E402
from domain.matching import (  # noqa: E402
    Confidence,
    Ledger,
    MatchEntry,
    MatchLine,
    MatchSettings,
    Suggestion,
    suggest,
)
from domain.matching.assign import Allocation, assign  # noqa: E402
from domain.matching.candidates import (  # noqa: E402
    AmountHit,
    DocumentHit,
    Party,
    discount_applies,
    discount_cents,
    to_cents,
)
from domain.matching.groups import EntrySet, find_entry_set, named_entry_set  # noqa: E402
from domain.matching.rules import PartyMatch  # noqa: E402
from domain.matching.scoring import (  # noqa: E402
    Candidate,
    LineWindow,
    PartyEvidence,
    score_entry,
    score_group,
)
from domain.matching.text import (  # noqa: E402
    document_key,
    normalize_iban,
    normalize_name,
    text_phrases,
)

STATEMENT_DATE = date(2026, 3, 2)
WORDS = (
    "logistics transport bakery consulting trading metals textiles foods systems dental "
    "garden electric plumbing roofing marine media print pharma optics motors design "
    "software coffee wines flowers paper plastics steel timber glass tools cleaning "
    "security travel fitness catering furniture shoes fashion bikes music photo toys "
    "energy solar water farming dairy fishing mining chemicals labs robotics audio"
).split()
LEGAL = ("BV", "B.V.", "GmbH", "Ltd", "SARL", "NV", "", "", "Inc", "SA")
TEMPLATES = (
    "Payment {doc}",
    "INVOICE {doc} THANK YOU",
    "{doc}",
    "Betaling factuur {doc} klant {cust}",
    "Ref: {doc}/{cust}",
    "Zahlung RE {doc} vom {day}",
    "PMT {doc};{cust}",
)


def _surnames(rng: random.Random, count: int) -> list[str]:
    syllables = [
        "ba",
        "de",
        "ri",
        "ko",
        "lu",
        "man",
        "sen",
        "vel",
        "tor",
        "ni",
        "sch",
        "berg",
        "ha",
        "mi",
        "ro",
        "ste",
        "van",
        "wa",
        "gel",
        "dorf",
        "lin",
        "mar",
        "pe",
        "zu",
    ]
    names: set[str] = set()
    while len(names) < count:
        names.add("".join(rng.choices(syllables, k=rng.randint(2, 3))).capitalize())
    return sorted(names)


def _iban(rng: random.Random, bank: str) -> str:
    account = "".join(rng.choices(string.digits, k=10))
    digits = "".join(str(int(c, 36)) for c in f"{bank}{account}NL00")
    check = 98 - int(digits) % 97
    return f"NL{check:02d}{bank}{account}"


@dataclass
class Customer:
    no: str
    name: str
    iban: str


@dataclass
class Dataset:
    customers: list[Customer]
    entries: list[MatchEntry]
    lines: list[MatchLine]
    truth: dict[int, tuple[int, str] | None]  # line id -> entry key, None for noise
    kinds: dict[int, str]


def generate(n_entries: int, n_customers: int, n_lines: int, seed: int = 7) -> Dataset:
    rng = random.Random(seed)
    surnames = _surnames(rng, 400)
    customers: list[Customer] = []
    seen: set[str] = set()
    while len(customers) < n_customers:
        base = f"{rng.choice(surnames)} {rng.choice(WORDS).capitalize()}"
        if base in seen:
            continue
        seen.add(base)
        name = f"{base} {rng.choice(LEGAL)}".strip()
        customers.append(Customer(f"C{len(customers) + 1:05d}", name, _iban(rng, "ABNA")))
    entries: list[MatchEntry] = []
    for i in range(n_entries):
        customer = customers[i % n_customers] if i < n_customers else rng.choice(customers)
        posting = STATEMENT_DATE - timedelta(days=rng.randint(5, 150))
        credit = rng.random() < 0.05
        amount = Decimal(round(10 ** rng.uniform(1.3, 4.3), 2)).quantize(Decimal("0.01"))
        discount = Decimal(0)
        discount_date = None
        if not credit and rng.random() < 0.2:
            discount = (amount * Decimal("0.02")).quantize(Decimal("0.01"))
            discount_date = STATEMENT_DATE + timedelta(days=rng.randint(-20, 10))
        entries.append(
            MatchEntry(
                entry_no=i + 1,
                ledger=Ledger.CUSTOMER,
                party_no=customer.no,
                party_name=customer.name,
                party_ibans=(customer.iban,),
                document_type="Credit Memo" if credit else "Invoice",
                document_no=f"{'CM' if credit else 'SI'}{100000 + i}",
                external_document_no=f"PO-{rng.randint(10000, 99999)}-{i % 97}"
                if rng.random() < 0.3
                else "",
                posting_date=posting,
                due_date=posting + timedelta(days=30),
                remaining_amount=-amount if credit else amount,
                remaining_pmt_disc_possible=discount,
                pmt_discount_date=discount_date,
                currency_code="EUR",
            )
        )
    by_customer = {c.no: c for c in customers}
    invoices = [e for e in entries if e.remaining_amount > 0]
    rng.shuffle(invoices)
    lines: list[MatchLine] = []
    truth: dict[int, tuple[int, str] | None] = {}
    kinds: dict[int, str] = {}
    for n in range(n_lines):
        line_id = n + 1
        share = n / n_lines
        kind = (
            "exact"
            if share < 0.70
            else "doc_other_amount"
            if share < 0.85
            else "party_only"
            if share < 0.95
            else "noise"
        )
        kinds[line_id] = kind
        if kind == "noise":
            truth[line_id] = None
            lines.append(
                MatchLine(
                    line_id=line_id,
                    amount=Decimal(round(rng.uniform(5, 5000), 2)).quantize(Decimal("0.01")),
                    booking_date=STATEMENT_DATE,
                    currency_code="EUR",
                    counterparty_name=f"{rng.choice(['J.', 'M.', 'A.'])} "
                    f"{''.join(rng.choices(string.ascii_letters, k=8))}",
                    counterparty_iban=_iban(rng, "RABO"),
                    text=" ".join(rng.choices(["refund", "gift", "rent", "march", "thanks"], k=3)),
                )
            )
            continue
        entry = invoices[n]
        customer = by_customer[entry.party_no]
        truth[line_id] = entry.key
        if kind == "exact":
            amount = entry.remaining_amount
            if discount_applies(entry, STATEMENT_DATE) and rng.random() < 0.5:
                amount -= entry.remaining_pmt_disc_possible
        elif kind == "doc_other_amount":
            amount = (entry.remaining_amount * Decimal(rng.uniform(0.3, 0.95))).quantize(
                Decimal("0.01")
            )
        else:
            amount = entry.remaining_amount
        counterparty: str | None = _name_variant(rng, customer.name)
        iban: str | None = customer.iban if rng.random() < 0.9 else None
        if kind == "party_only":
            text = rng.choice(["Payment", "Invoice payment", "Thank you", "March"])
            if rng.random() < 0.5:
                counterparty = None
            else:
                iban = None
        else:
            doc = (
                entry.external_document_no
                if entry.external_document_no and rng.random() < 0.3
                else entry.document_no
            )
            text = rng.choice(TEMPLATES).format(doc=doc, cust=customer.no, day="01.03.2026")
        lines.append(
            MatchLine(
                line_id=line_id,
                amount=amount,
                booking_date=STATEMENT_DATE,
                currency_code="EUR",
                counterparty_name=counterparty,
                counterparty_iban=iban,
                text=text,
            )
        )
    return Dataset(customers, entries, lines, truth, kinds)


def _name_variant(rng: random.Random, name: str) -> str:
    roll = rng.random()
    if roll < 0.3:
        return name.upper()[:35]
    if roll < 0.5:  # one typo
        i = rng.randrange(1, len(name) - 1)
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    if roll < 0.6:
        return f"{name} Amsterdam NL"
    return name


# -- the naive baseline: every line against every entry, same rules, no lookups --------------


def naive_allocations(
    lines: list[MatchLine], entries: list[MatchEntry], settings: MatchSettings
) -> list[Allocation]:
    """The same rules as ``suggest`` with no lookup structure: every line is compared with
    every open entry and every party (names scanned in full), then the same greedy pass."""
    threshold = settings.name_similarity_threshold
    parties: dict[tuple[Ledger, str], Party] = {}
    for e in entries:
        key = (e.ledger, e.party_no)
        if key not in parties:
            parties[key] = Party(
                key,
                e.ledger,
                e.party_no,
                e.party_name,
                normalize_name(e.party_name),
                frozenset(normalize_iban(i) for i in e.party_ibans),
            )
    party_keys = sorted(parties)
    party_names = [parties[k].normalized_name for k in party_keys]
    cents = {e.key: to_cents(e.remaining_amount) for e in entries}
    max_runs = 1
    doc_keys: dict[tuple[int, Ledger], list[tuple[str, str, str]]] = {}
    for e in entries:
        for field, value in (
            ("documentNo", e.document_no),
            ("externalDocumentNo", e.external_document_no),
        ):
            doc = document_key(value)
            if doc:
                doc_keys.setdefault(e.key, []).append((doc[0], field, value))
                max_runs = max(max_runs, doc[1])
    ordered = sorted(entries, key=lambda e: (e.due_date, e.entry_no, e.ledger))
    static = [
        (
            e,
            e.key,
            (e.ledger, e.party_no),
            cents[e.key],
            discount_cents(e),
            e.pmt_discount_date,
            e.currency_code,
            doc_keys.get(e.key),
        )
        for e in ordered
    ]
    candidates: list[Candidate] = []
    for line in lines:
        window = LineWindow.of(line, settings)
        iban = normalize_iban(line.counterparty_iban)
        similarity: dict[tuple[Ledger, str], float] = {}
        if line.counterparty_name:
            query = normalize_name(line.counterparty_name)
            for _, score, i in process.extract(
                query,
                party_names,
                scorer=fuzz.token_set_ratio,
                processor=None,
                limit=None,
                score_cutoff=threshold,
            ):
                similarity[party_keys[i]] = score
        evidence: dict[tuple[Ledger, str], PartyEvidence] = {}

        def judge(key: tuple[Ledger, str]) -> PartyEvidence:
            found = evidence.get(key)  # noqa: B023
            if found is None:
                party = parties[key]
                if iban and iban in party.ibans:  # noqa: B023
                    found = PartyEvidence(party, PartyMatch.FULLY, iban, 0.0)  # noqa: B023
                else:
                    score = similarity.get(key, 0.0)  # noqa: B023
                    signal = PartyMatch.PARTIALLY if score >= threshold else PartyMatch.NO
                    found = PartyEvidence(party, signal, "", score)
                evidence[key] = found  # noqa: B023
            return found

        related = {k for k, p in parties.items() if iban and iban in p.ibans} | set(similarity)
        phrases = text_phrases(line.text, max_runs)
        positive = window.cents > 0
        low, high, booking = window.low, window.high, line.booking_date
        payable = []
        for e, _key, party_key, c, d, discount_date, currency, keys in static:
            if (c > 0) != positive or currency != line.currency_code:
                continue
            hit = None
            if low <= c <= high:
                hit = AmountHit(e, c, False)
            if d and discount_date is not None and booking <= discount_date:
                if low <= c - d <= high and (
                    hit is None or abs(c - d - window.cents) < abs(c - window.cents)
                ):
                    hit = AmountHit(e, c - d, True)
            docs: tuple[DocumentHit, ...] = ()
            if keys:
                docs = tuple(DocumentHit(e, f, v) for k, f, v in keys if k in phrases)
            if hit is None and not docs and party_key not in related:
                continue  # no row of the table accepts nothing at all
            payable.append((e, hit, docs))
        same_amount = sum(1 for _, hit, _ in payable if hit is not None)
        by_party: dict[tuple[Ledger, str], list[MatchEntry]] = defaultdict(list)
        for e, _, _ in payable:
            by_party[(e.ledger, e.party_no)].append(e)
        named_parties = {(e.ledger, e.party_no) for e, _, docs in payable if docs}
        known = {k for k in by_party if judge(k).signal is not PartyMatch.NO}
        for key in named_parties - known:  # a named party's other entries: scan again
            by_party[key] = [
                e
                for e, _, pk, c, _, _, cur, _ in static
                if pk == key and (c > 0) == positive and cur == line.currency_code
            ]
        line_candidates: list[Candidate] = []
        party_only: list[Candidate] = []
        for e, hit, docs in payable:
            candidate = score_entry(
                line,
                window,
                e,
                judge((e.ledger, e.party_no)),
                docs,
                hit,
                same_amount,
                cents[e.key],
            )
            if candidate is None:
                continue
            (party_only if hit is None and not docs else line_candidates).append(candidate)
        whole = window.magnitude - window.tolerance
        if not any(c.close_cents[0] >= whole for c in line_candidates):
            line_candidates += party_only  # the known parties' entries, with no limit
        low, high = window.magnitude - window.tolerance, window.magnitude + window.tolerance
        with_single = {(e.ledger, e.party_no) for e, hit, _ in payable if hit is not None}
        all_docs = {e.key: docs for e, _, docs in payable if docs}
        sets: list[tuple[EntrySet, PartyEvidence, bool]] = []
        for key in sorted((known | named_parties) - with_single):
            ev = judge(key)
            named = frozenset(e.key for e in by_party[key] if e.key in all_docs)
            if settings.max_entries_per_line < 2 or (not named and ev.signal is PartyMatch.NO):
                continue
            found = find_entry_set(
                line,
                low,
                high,
                by_party[key],
                lambda e: cents[e.key],
                named,
                ev.signal is not PartyMatch.NO,
                settings.max_entries_per_line,
            )
            if found is not None:
                sets.append((found, ev, True))
            elif len(named) > 1:
                found = named_entry_set(
                    line, by_party[key], lambda e: cents[e.key], named, settings
                )
                sets.append((found, ev, False))
        matched_sets = sum(1 for _, _, matched in sets if matched)
        for found, ev, matched in sets:
            docs = tuple(h for e in found.entries for h in all_docs.get(e.key, ()))
            candidate = score_group(
                line,
                window,
                found.entries,
                found.close_cents,
                found.with_discount,
                ev,
                docs,
                matched,
                same_amount + matched_sets,
            )
            if candidate is not None:
                line_candidates.append(candidate)
        candidates += line_candidates
    remaining = {e.key: cents[e.key] for c in candidates for e in c.entries}
    return assign(candidates, remaining)


# -- measuring -------------------------------------------------------------------------------


def report(name: str, value: float, unit: str, baseline: float | None = None) -> None:
    ratio = f"{value / baseline:.4g}" if baseline else "-"
    base = f"{baseline:.3f}" if baseline is not None else "-"
    print(f"{name:<40} {value:>12.3f} {unit:<8} {base:>12} {ratio:>8}", flush=True)


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def quality(suggestions: tuple[Suggestion, ...], data: Dataset) -> None:
    suggested: Counter[Confidence] = Counter()
    correct: Counter[Confidence] = Counter()
    found_truth: set[int] = set()
    for s in suggestions:
        if s.entry is None:
            continue
        suggested[s.confidence] += 1
        if data.truth.get(s.line_id) == s.entry.key:
            correct[s.confidence] += 1
            found_truth.add(s.line_id)
    expected = sum(1 for t in data.truth.values() if t is not None)
    for confidence in (Confidence.HIGH, Confidence.MEDIUM, Confidence.LOW):
        n = suggested[confidence]
        precision = 100 * correct[confidence] / n if n else 0.0
        report(
            f"precision_{confidence.value.lower()}",
            precision,
            "%",
            99.0 if confidence is Confidence.HIGH else None,
        )
        report(f"recall_{confidence.value.lower()}", 100 * correct[confidence] / expected, "%")
        report(f"suggestions_{confidence.value.lower()}", n, "count")
    report("recall_any_confidence", 100 * len(found_truth) / expected, "%")
    by_kind = Counter(data.kinds.values())
    hit_kind = Counter(data.kinds[line_id] for line_id in found_truth)
    for kind in ("exact", "doc_other_amount", "party_only"):
        report(f"recall_{kind}", 100 * hit_kind[kind] / by_kind[kind], "%")
    none_lines = {s.line_id for s in suggestions if s.confidence is Confidence.NONE}
    noise = [k for k, v in data.kinds.items() if v == "noise"]
    report(
        "noise_lines_left_unmatched", 100 * sum(k in none_lines for k in noise) / len(noise), "%"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--naive-lines", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    data = generate(args.entries, args.customers, args.lines, args.seed)
    settings = MatchSettings()
    rss_before = peak_rss_mib()
    print(f"{'name':<40} {'value':>12} {'unit':<8} {'baseline':>12} {'ratio':>8}")
    report("machine_sum_range_1e6_best_of_5", machine_speed_ms(), "ms")
    report("load_average_1min", os.getloadavg()[0], "procs")
    started, cpu_started = time.perf_counter(), time.process_time()
    suggestions = suggest(data.lines, data.entries, (), settings)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    report(f"suggest_{args.lines}_lines_{args.entries}_entries", elapsed, "s", 2.0)
    # CPU time of the same call: what the wall time would be on an otherwise idle core
    report(f"suggest_{args.lines}_lines_{args.entries}_entries_cpu", cpu, "s", 2.0)
    report("peak_rss", peak_rss_mib(), "MiB", rss_before)
    repeats, cpu_repeats = [], []
    for _ in range(2):
        started, cpu_started = time.perf_counter(), time.process_time()
        suggest(data.lines, data.entries, (), settings)
        repeats.append(time.perf_counter() - started)
        cpu_repeats.append(time.process_time() - cpu_started)
    report("suggest_same_again_best_of_2", min(repeats), "s", 2.0)
    report("suggest_same_again_best_of_2_cpu", min(cpu_repeats), "s", 2.0)
    report("load_average_1min", os.getloadavg()[0], "procs")
    quality(suggestions, data)

    subset = data.lines[:: max(1, len(data.lines) // args.naive_lines)][: args.naive_lines]
    started = time.perf_counter()
    indexed = suggest(subset, data.entries, (), settings)
    indexed_time = time.perf_counter() - started
    started = time.perf_counter()
    naive = naive_allocations(subset, data.entries, settings)
    naive_time = time.perf_counter() - started
    report(f"suggest_{len(subset)}_lines_indexed_vs_naive", indexed_time, "s", naive_time)
    mine = {(s.line_id, s.entry.key, s.amount) for s in indexed if s.entry is not None}
    theirs = {
        (
            a.candidate.line.line_id,
            a.candidate.entries[a.position].key,
            Decimal(a.cents if a.candidate.line.amount > 0 else -a.cents).scaleb(-2),
        )
        for a in naive
    }
    agree = len(mine & theirs) / max(1, len(mine | theirs))
    report("indexed_naive_same_suggestions", 100 * agree, "%")


if __name__ == "__main__":
    main()
