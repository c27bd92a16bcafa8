"""A batch of journal lines posts in order against the entries it locked: each line sees what
the lines before it did. This is that running state, and the rows posted so far, taken a part
at a time for the writer (a new entry goes in in its state when its part is taken, so only
entries posted before and changed since need an update)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from domain.application import Note
from domain.ledger import Ledger, LedgerEntry
from domain.posting.rows import BankRow, DetailedRow, GlRow, NewEntry, PostingPlan

LEDGERS = (Ledger.CUSTOMER, Ledger.VENDOR)
DocumentKey = tuple[str, str, str]  # party no., document type, document no.


@dataclass(frozen=True, slots=True)
class LinePlan:
    """What one journal line posts: its new entry (None for a G/L line), the entries it
    changes in their new state (the new entry among them when it was applied), its rows."""

    index: int
    ledger: Ledger | None
    transaction_no: int
    entry: LedgerEntry | None = None
    bank_entry_no: int | None = None
    changed: Mapping[int, LedgerEntry] = field(default_factory=dict)
    detailed: list[DetailedRow] = field(default_factory=list)
    gl: list[GlRow] = field(default_factory=list)
    bank: BankRow | None = None
    notes: tuple[Note, ...] = ()


class Batch:
    """The locked entries of a batch as they stand, and the rows not yet taken."""

    def __init__(
        self,
        entries: Mapping[Ledger, Iterable[LedgerEntry]],
        documents: Mapping[Ledger, Mapping[DocumentKey, int]],
    ) -> None:
        self._entries: dict[Ledger, dict[int, LedgerEntry]] = {x: {} for x in LEDGERS}
        self._by_party: dict[Ledger, dict[str, list[int]]] = {x: {} for x in LEDGERS}
        for ledger, locked in entries.items():
            for entry in locked:
                self._entries[ledger][entry.entry_no] = entry
                self._by_party[ledger].setdefault(entry.party_no, []).append(entry.entry_no)
        self._documents = {x: dict(documents.get(x, {})) for x in LEDGERS}
        self._new_in_batch: dict[Ledger, set[int]] = {x: set() for x in LEDGERS}
        # rows posted since the last `take`
        self._new: dict[Ledger, dict[int, int]] = {x: {} for x in LEDGERS}  # entry -> tx
        self._changed: dict[Ledger, set[int]] = {x: set() for x in LEDGERS}
        self._detailed: list[DetailedRow] = []
        self._gl: list[GlRow] = []
        self._bank: list[BankRow] = []

    # -- what a line sees ----------------------------------------------------------------

    def entry(self, ledger: Ledger, entry_no: int) -> LedgerEntry | None:
        return self._entries[ledger].get(entry_no)

    def document(self, ledger: Ledger, key: DocumentKey) -> int | None:
        """The entry an applies-to doc. names: a posted one (the lowest entry no.), else one
        posted earlier in this batch."""
        found = self._documents[ledger].get(key)
        if found is not None:
            return found
        entries = self._entries[ledger]
        return next(
            (
                n
                for n in self._new_in_batch[ledger]
                if (entries[n].party_no, entries[n].document_type, entries[n].document_no) == key
            ),
            None,
        )

    def open_entries(self, ledger: Ledger, party_no: str) -> list[LedgerEntry]:
        """The party's open entries as they stand now (apply-to-oldest candidates)."""
        entries = self._entries[ledger]
        return [entries[n] for n in self._by_party[ledger].get(party_no, []) if entries[n].open]

    # -- recording lines and taking their rows ---------------------------------------------

    def record(self, plan: LinePlan) -> None:
        """Fold a planned line into the running state and the rows to write."""
        if plan.ledger is not None and plan.entry is not None:
            ledger, entry = plan.ledger, plan.entry
            self._entries[ledger][entry.entry_no] = entry
            self._by_party[ledger].setdefault(entry.party_no, []).append(entry.entry_no)
            self._new_in_batch[ledger].add(entry.entry_no)
            self._new[ledger][entry.entry_no] = plan.transaction_no
        if plan.ledger is not None and plan.changed:
            ledger = plan.ledger
            self._entries[ledger].update(plan.changed)
            new = self._new[ledger]
            self._changed[ledger].update(n for n in plan.changed if n not in new)
        self._detailed.extend(plan.detailed)
        self._gl.extend(plan.gl)
        if plan.bank is not None:
            self._bank.append(plan.bank)

    def take(self) -> PostingPlan:
        """The rows recorded since the last take: new entries in their state now, the
        detailed, G/L and bank rows, and the posted entries changed since. An entry taken
        here and changed again later is updated again by a later part."""
        new_entries: list[NewEntry] = []
        changed: list[tuple[Ledger, LedgerEntry]] = []
        for ledger in LEDGERS:
            entries = self._entries[ledger]
            new_entries += [NewEntry(ledger, entries[n], tx) for n, tx in self._new[ledger].items()]
            self._new[ledger] = {}
            changed += [(ledger, entries[n]) for n in sorted(self._changed[ledger])]
            self._changed[ledger] = set()
        plan = PostingPlan(
            new_entries=tuple(new_entries),
            changed=tuple(changed),
            detailed=tuple(self._detailed),
            gl=tuple(self._gl),
            bank=tuple(self._bank),
        )
        self._detailed, self._gl, self._bank = [], [], []
        return plan
