"""An open entry can only be paid once and a bank line only spent once, so candidates are
handed out greedily, best score first, with partially used entries carried over."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

from domain.matching.candidates import EntryKey
from domain.matching.scoring import Candidate


class Allocation(NamedTuple):
    """``cents`` of the line go to entry ``position`` of the candidate (absolute cents).

    ``consumed`` is what the entry loses (more than ``cents`` when a payment discount
    closes it); ``entry_left_before`` and ``taken_before`` tell an earlier line's share.
    """

    candidate: Candidate
    position: int
    cents: int
    consumed: int
    entry_left_before: int
    taken_before: tuple[tuple[int, int], ...]  # (line id, cents) applied earlier to the entry

    @property
    def closes_entry(self) -> bool:
        return self.consumed == self.entry_left_before


def assign(candidates: Iterable[Candidate], entry_cents: dict[EntryKey, int]) -> list[Allocation]:
    """Greedy assignment by score (ties: earlier due date, entry no., line id).

    Each entry's remaining amount is used at most once in total; a line stops taking
    candidates once what is left of it is within its amount tolerance. A set of entries (one
    payment, many documents) is only taken whole, by an untouched line, from untouched entries.
    """
    entry_left = {key: abs(cents) for key, cents in entry_cents.items()}
    history: dict[EntryKey, list[tuple[int, int]]] = defaultdict(list)
    line_left: dict[int, int] = {}
    done: set[int] = set()
    allocations: list[Allocation] = []
    for candidate in sorted(candidates, key=lambda c: c.sort_key):
        line_id = candidate.line.line_id
        if line_id in done:
            continue
        left = line_left.setdefault(line_id, candidate.window.magnitude)
        if len(candidate.entries) > 1:
            untouched = left == candidate.window.magnitude and all(
                entry_left[e.key] == abs(entry_cents[e.key]) for e in candidate.entries
            )
            if not untouched:
                continue
        for position, entry in enumerate(candidate.entries):
            available = entry_left[entry.key]
            if available == 0 or left == 0:
                continue
            close = candidate.close_cents[position]
            if available != abs(entry_cents[entry.key]):  # partly used: no discount left
                close = available
            close = min(close, available)
            cents = min(left, close)
            consumed = available if cents == close else cents
            allocations.append(
                Allocation(
                    candidate,
                    position,
                    cents,
                    consumed,
                    available,
                    tuple(history[entry.key]),
                )
            )
            history[entry.key].append((line_id, cents))
            entry_left[entry.key] = available - consumed
            left -= cents
        line_left[line_id] = left
        if left <= candidate.window.tolerance:
            done.add(line_id)
    return allocations
