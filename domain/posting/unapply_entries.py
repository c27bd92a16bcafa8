"""Unapplying posted entries (BC's Unapply Entries): the last application standing on an
entry is posted again with opposite amounts, which reopens every entry it closed exactly as
it was, on a posting date inside the window and not before the application. BC's order
holds: an application cannot be undone while a later one stands on one of its entries
(UNAPPLY_LATER_APPLICATION_FIRST), so the store passes every standing detailed entry of the
entries the application touched."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date

from domain.application import DetailedEntry, DetailedEntryType, unapply
from domain.errors import DomainError, ErrorCode
from domain.ledger import DetailedLedgerEntry, LedgerEntry
from domain.posting.booking import entry_state
from domain.posting.numbers import APPLICATION, TRANSACTION, NumberPool
from domain.posting.posted_entries import (
    LedgerFacts,
    Posted,
    engine_detailed,
    not_found,
    result_plan,
)
from domain.posting.rows import PostingPlan
from domain.sales_posting import check_posting_date

APPLICATION_TYPE = DetailedEntryType.APPLICATION.value


def standing_applications(entry_no: int, detailed: Iterable[DetailedLedgerEntry]) -> list[int]:
    """The applications standing on an entry, latest first: those with an application
    detailed entry on it that no unapply has undone (an unapply's own entries are not
    applications to undo)."""
    return sorted(
        {
            d.application_no
            for d in detailed
            if d.ledger_entry_no == entry_no
            and d.entry_type == APPLICATION_TYPE
            and not d.unapplied
            and d.unapplies_application_no is None
            and d.application_no is not None
        },
        reverse=True,
    )


def application_to_undo(
    entry_no: int, entry: LedgerEntry | None, detailed: Iterable[DetailedLedgerEntry]
) -> int:
    """Which application unapplying entry ``entry_no`` undoes: the last one standing on it
    (``detailed``: the entry's posted detailed entries; ``entry`` None: it does not exist)."""
    if entry is None:
        raise not_found(entry_no, ["entryNo"])
    standing = standing_applications(entry_no, detailed)
    if not standing:
        raise DomainError(
            ErrorCode.NOTHING_TO_UNAPPLY,
            f"entry {entry_no} has no application to unapply",
            ["entryNo"],
        )
    return standing[0]


class Unapplying:
    """Locked entries and the standing detailed entries on them, as the unapplies planned so
    far leave them: a reversal undoes several applications one after the other."""

    def __init__(
        self, entries: Mapping[int, LedgerEntry], detailed: Iterable[DetailedLedgerEntry]
    ) -> None:
        rows = sorted(detailed, key=lambda d: d.entry_no)
        self.entries = dict(entries)
        self.detailed = engine_detailed(rows)
        # an unapply posts under the document of the application's first detailed entry
        self._documents: dict[int, tuple[str, str]] = {}
        for d in rows:
            if d.application_no is not None:
                self._documents.setdefault(d.application_no, (d.document_type, d.document_no))

    def undo(
        self,
        application_no: int,
        posting_date: date | None,
        facts: LedgerFacts,
        numbers: NumberPool,
    ) -> Posted:
        """Plan the unapply of ``application_no`` (on ``posting_date``, else on the day of
        the application) and fold it into the state."""
        lines = [
            d
            for d in self.detailed
            if d.application_id == application_no and d.unapplies_application_id is None
        ]
        if not lines:
            raise DomainError(
                ErrorCode.NOTHING_TO_UNAPPLY,
                f"application {application_no} has nothing to unapply",
                ["entryNo"],
            )
        when = posting_date or max(d.posting_date for d in lines)
        setup = facts.setup
        check_posting_date(when, setup.allow_posting_from, setup.allow_posting_to)
        new_no = numbers.take(APPLICATION)
        result = unapply(
            [entry_state(e) for e in self.entries.values()],
            lines,
            when,
            application_id=new_no,
            standing=self.detailed,
        )
        touched = {d.entry_no for d in lines}
        entries = {n: self.entries[n] for n in sorted(touched)}
        document_type, document_no = self._documents[application_no]
        plan = result_plan(
            result,
            entries,
            facts,
            transaction_no=numbers.take(TRANSACTION),
            posting_date=when,
            document_type=document_type,
            document_no=document_no,
            description=f"Unapply of application {application_no}",
            source_no=next(iter(entries.values())).party_no,
        )
        self._fold(application_no, plan, result.detailed)
        return Posted(plan, new_no)

    def _fold(
        self, application_no: int, plan: PostingPlan, posted: Iterable[DetailedEntry]
    ) -> None:
        self.entries.update({e.entry_no: e for _, e in plan.changed})
        self.detailed = [
            replace(d, unapplied=True)
            if d.application_id == application_no and d.unapplies_application_id is None
            else d
            for d in self.detailed
        ] + list(posted)


def plan_unapply(
    application_no: int,
    posting_date: date | None,
    entries: Mapping[int, LedgerEntry],
    detailed: Iterable[DetailedLedgerEntry],
    facts: LedgerFacts,
    numbers: NumberPool,
) -> Posted:
    """Undo ``application_no`` (chosen by ``application_to_undo``). ``entries``: every
    entry it touched, locked; ``detailed``: the standing detailed entries of those entries
    (the application's among them)."""
    return Unapplying(entries, detailed).undo(application_no, posting_date, facts, numbers)
