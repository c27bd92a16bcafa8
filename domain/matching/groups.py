"""Customers often pay several invoices with one transfer, so when no single entry explains a
line, the party's open entries are searched for a set whose sum is the line amount."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from domain.matching.candidates import EntryKey, discount_applies, discount_cents
from domain.matching.model import MatchEntry, MatchLine, MatchSettings

# Subset-sum runs over the party's oldest entries only, and stops after this many search
# nodes: a payment of many documents almost always settles the oldest ones.
SUBSET_POOL_SIZE = 16
SUBSET_NODE_BUDGET = 20_000


class EntrySet(NamedTuple):
    entries: tuple[MatchEntry, ...]
    close_cents: tuple[int, ...]
    with_discount: tuple[bool, ...]


def find_entry_set(
    line: MatchLine,
    low: int,
    high: int,
    open_entries: Sequence[MatchEntry],
    cents: Callable[[MatchEntry], int],
    named: frozenset[EntryKey],
    allow_unnamed: bool,
    max_entries: int,
) -> EntrySet | None:
    """A set of 2..max_entries of the party's entries whose sum lies in [low, high] (absolute
    cents), or None.

    Entries named in the text come first: all of them, then all of them plus the fewest of
    the oldest other entries. Only when the text names none (and ``allow_unnamed``: the party
    is known by IBAN or name) is a set searched among the oldest entries alone. Each entry
    counts with its payment discount when the line is dated within the discount period; if
    no set is found that way, with full remaining amounts.
    """
    if max_entries < 2 or len(open_entries) < 2:
        return None
    required: list[MatchEntry] = []
    others: list[MatchEntry] = []
    for entry in open_entries:
        (required if entry.key in named else others).append(entry)
    del required[max_entries:], others[SUBSET_POOL_SIZE:]
    pool = list(open_entries[:SUBSET_POOL_SIZE])
    if required:
        considered = required + others
    elif allow_unnamed:
        considered = pool
    else:
        return None
    # Only the considered entries' amounts are computed (a party may have hundreds open);
    # the second variant is tried only when one of them has a discount to leave out.
    variants = [True]
    if any(discount_applies(e, line.booking_date) for e in considered):
        variants.append(False)
    for use_discount in variants:
        amounts = {e.key: _close(e, cents(e), line, use_discount) for e in considered}
        picked: list[MatchEntry] | None = None
        if required:
            base = sum(amounts[e.key][0] for e in required)
            extra_min = max(0, 2 - len(required))
            chosen = _subset(
                [amounts[e.key][0] for e in others],
                base,
                low,
                high,
                extra_min,
                max_entries - len(required),
            )
            if chosen is not None:
                picked = required + [others[i] for i in chosen]
        else:
            chosen = _subset([amounts[e.key][0] for e in pool], 0, low, high, 2, max_entries)
            if chosen is not None:
                picked = [pool[i] for i in chosen]
        if picked is not None:
            picked.sort(key=lambda e: (e.due_date, e.key))
            return EntrySet(
                tuple(picked),
                tuple(amounts[e.key][0] for e in picked),
                tuple(amounts[e.key][1] for e in picked),
            )
    return None


def named_entry_set(
    line: MatchLine,
    open_entries: Sequence[MatchEntry],
    cents: Callable[[MatchEntry], int],
    named: frozenset[EntryKey],
    settings: MatchSettings,
) -> EntrySet:
    """The documents the text names, oldest first, each with what closes it."""
    picked = [e for e in open_entries if e.key in named][: settings.max_entries_per_line]
    closes = [_close(e, cents(e), line, True) for e in picked]
    return EntrySet(tuple(picked), tuple(c for c, _ in closes), tuple(d for _, d in closes))


def _close(entry: MatchEntry, cents: int, line: MatchLine, use_discount: bool) -> tuple[int, bool]:
    if use_discount and discount_applies(entry, line.booking_date):
        return abs(cents - discount_cents(entry)), True
    return abs(cents), False


def _subset(
    amounts: list[int], base: int, low: int, high: int, min_pick: int, max_pick: int
) -> tuple[int, ...] | None:
    """Indices of the smallest subset (then the earliest, lexicographically) of ``amounts``
    (all positive) with base + sum in [low, high]; None past the node budget."""
    count = len(amounts)
    suffix_max = [0] * (count + 1)
    for i in range(count - 1, -1, -1):
        suffix_max[i] = max(amounts[i], suffix_max[i + 1])
    budget = [SUBSET_NODE_BUDGET]

    def search(start: int, left: int, total: int, chosen: list[int]) -> tuple[int, ...] | None:
        if left == 0:
            return tuple(chosen) if low <= total <= high else None
        for i in range(start, count - left + 1):
            budget[0] -= 1
            if budget[0] < 0:
                return None
            value = total + amounts[i]
            if value > high:
                continue
            if value + (left - 1) * suffix_max[i + 1] < low:
                continue
            chosen.append(i)
            found = search(i + 1, left - 1, value, chosen)
            chosen.pop()
            if found is not None:
                return found
        return None

    if min_pick == 0 and low <= base <= high:
        return ()
    for size in range(max(1, min_pick), max_pick + 1):
        if base > high:
            return None
        found = search(0, size, base, [])
        if found is not None:
            return found
        if budget[0] < 0:
            return None
    return None
