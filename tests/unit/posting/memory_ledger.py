"""An in-memory ledger that takes posting plans the way the one writer does (new entries,
changed entries, detailed entries numbered in order, unapplied marks, G/L and bank rows), so
planner tests can post one plan after another and check the ledger between them."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal

from domain.ledger import DetailedLedgerEntry, Ledger, LedgerEntry
from domain.posting.numbers import APPLICATION, BANK_ENTRY, TRANSACTION, NumberPool
from domain.posting.rows import BankRow, GlRow, PostingPlan


def pool() -> NumberPool:
    return NumberPool(
        {
            TRANSACTION: range(100, 200),
            APPLICATION: range(200, 300),
            Ledger.CUSTOMER.value: range(1000, 1100),
            Ledger.VENDOR.value: range(2000, 2100),
            BANK_ENTRY: range(3000, 3100),
        }
    )


class MemoryLedger:
    """Entries of one ledger, each with its initial detailed entry, and what plans wrote."""

    def __init__(self, *entries: LedgerEntry, ledger: Ledger = Ledger.CUSTOMER) -> None:
        self.ledger = ledger
        self.entries = {e.entry_no: e for e in entries}
        self._ids = itertools.count(1)
        self.detailed = [
            DetailedLedgerEntry(
                next(self._ids),
                e.entry_no,
                "INITIAL_ENTRY",
                e.posting_date,
                e.document_type,
                e.document_no,
                e.currency_code,
                e.amount,
                e.amount_lcy,
                None,
                None,
                False,
                Decimal(0),
                None,
                0,
            )
            for e in entries
        ]
        self.gl: list[GlRow] = []
        self.bank: list[BankRow] = []

    def write(self, plan: PostingPlan) -> None:
        """Take the plan's rows of this ledger (its G/L by source type)."""
        for n in plan.new_entries:
            if n.ledger is self.ledger:
                self.entries[n.entry.entry_no] = n.entry
        for ledger, entry in plan.changed:
            if ledger is self.ledger:
                assert entry.entry_no in self.entries
                self.entries[entry.entry_no] = entry
        for d in plan.detailed:
            if d.ledger is not self.ledger:
                continue
            self.detailed.append(
                DetailedLedgerEntry(
                    next(self._ids),
                    d.ledger_entry_no,
                    d.entry_type,
                    d.posting_date,
                    d.document_type,
                    d.document_no,
                    d.currency_code,
                    d.amount,
                    d.amount_lcy,
                    d.applied_entry_no,
                    d.application_no,
                    d.unapplied,
                    d.pmt_disc_possible_delta,
                    d.unapplies_application_no,
                    d.transaction_no,
                )
            )
        undone = {no for ledger, no in plan.unapplied if ledger is self.ledger}
        self.detailed = [
            replace(d, unapplied=True)
            if d.application_no in undone and d.unapplies_application_no is None
            else d
            for d in self.detailed
        ]
        self.gl += [g for g in plan.gl if g.source_type == self.ledger.value]
        self.bank += plan.bank

    def of(self, entry_nos: Iterable[int]) -> list[DetailedLedgerEntry]:
        """The detailed entries of these entries (what the store loads as standing)."""
        wanted = set(entry_nos)
        return [d for d in self.detailed if d.ledger_entry_no in wanted]

    def touched_by(self, application_nos: Iterable[int]) -> dict[int, LedgerEntry]:
        """The entries these applications touched (what the store locks)."""
        apps = set(application_nos)
        nos = {d.ledger_entry_no for d in self.detailed if d.application_no in apps}
        return {n: self.entries[n] for n in sorted(nos)}

    def check(self) -> None:
        """Remaining = the sum of the detailed entries, open iff non-zero; each transaction's
        G/L balances."""
        amounts: dict[int, Decimal] = defaultdict(Decimal)
        lcy: dict[int, Decimal] = defaultdict(Decimal)
        for d in self.detailed:
            amounts[d.ledger_entry_no] += d.amount
            lcy[d.ledger_entry_no] += d.amount_lcy
        for e in self.entries.values():
            assert e.remaining_amount == amounts[e.entry_no], e
            assert e.remaining_amount_lcy == lcy[e.entry_no], e
            assert e.open == (e.remaining_amount != 0), e
        per_tx: dict[int, Decimal] = defaultdict(Decimal)
        for g in self.gl:
            per_tx[g.transaction_no] += g.amount
        assert all(v == 0 for v in per_tx.values()), per_tx

    def gl_by_account(self) -> dict[str, Decimal]:
        out: dict[str, Decimal] = defaultdict(Decimal)
        for g in self.gl:
            out[g.gl_account_no] += g.amount
        return {k: v for k, v in out.items() if v != 0}
