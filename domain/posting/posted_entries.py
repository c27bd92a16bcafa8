"""Postings between entries already posted (apply, unapply, reverse, revalue) all turn an
engine result into rows the same way: its detailed entries under one document and
transaction, its G/L by role mapped to accounts (balanced, or refused), and the new cached
state of every entry it touched. The facts they read are the same too."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from domain.application import ApplicationResult, ApplicationSetup, DetailedEntry
from domain.application import DetailedEntryType as EntryType
from domain.company import CompanySetup
from domain.errors import DomainError, ErrorCode
from domain.ledger import DetailedLedgerEntry, Ledger, LedgerEntry
from domain.posting.booking import booked, detailed_rows
from domain.posting.gl import application_gl, gl_rows
from domain.posting.pricing import Currency, application_setup
from domain.posting.rows import PostingPlan


@dataclass(frozen=True, slots=True)
class LedgerFacts:
    """What the store loaded for a posting on one ledger: the company setup, the
    receivables (customers) or payables (vendors) account of each posting group, and the
    currencies (all of them: the engine rounds each by its own precision) with the rates of
    those the posting may need."""

    ledger: Ledger
    setup: CompanySetup
    party_accounts: Mapping[str, str]
    currencies: Mapping[str, Currency] = field(default_factory=dict)

    @property
    def application(self) -> ApplicationSetup:
        return application_setup(self.setup, self.currencies.values())


@dataclass(frozen=True, slots=True)
class Posted:
    """A planned posting and the number the caller reads it back by: the application
    posted (apply, unapply) or the reversal entry (reversal)."""

    plan: PostingPlan
    number: int


def not_found(entry_no: int, where: Sequence[str]) -> DomainError:
    return DomainError(ErrorCode.ENTRY_NOT_FOUND, f"ledger entry {entry_no} does not exist", where)


def engine_detailed(rows: Iterable[DetailedLedgerEntry]) -> list[DetailedEntry]:
    """Posted detailed entries as the engine reads them, in posting order (an initial entry
    posted outside any application has application id 0)."""
    return [
        DetailedEntry(
            entry_no=d.ledger_entry_no,
            entry_type=EntryType(d.entry_type),
            posting_date=d.posting_date,
            currency_code=d.currency_code,
            amount=d.amount,
            amount_lcy=d.amount_lcy,
            applied_entry_no=d.applied_entry_no,
            application_id=d.application_no or 0,
            pmt_disc_possible_delta=d.pmt_disc_possible_delta,
            unapplied=d.unapplied,
            unapplies_application_id=d.unapplies_application_no,
        )
        for d in sorted(rows, key=lambda d: d.entry_no)
    ]


def result_plan(
    result: ApplicationResult,
    entries: Mapping[int, LedgerEntry],
    facts: LedgerFacts,
    *,
    transaction_no: int,
    posting_date: date,
    document_type: str,
    document_no: str,
    description: str,
    source_no: str,
    balancing_account: str | None = None,
) -> PostingPlan:
    """What an engine result writes under one document and transaction: its detailed
    entries, its G/L one line per account, the touched entries in their new state and the
    applications an unapply undid (their detailed entries are marked unapplied)."""
    ledger = facts.ledger
    detailed = detailed_rows(
        result,
        entries,
        ledger=ledger,
        transaction_no=transaction_no,
        document_type=document_type,
        document_no=document_no,
    )
    lines = application_gl(
        result,
        entries,
        setup=facts.setup,
        description=description,
        party_accounts=facts.party_accounts,
        balancing_account=balancing_account,
    )
    gl = gl_rows(
        lines,
        posting_date=posting_date,
        document_type=document_type,
        document_no=document_no,
        transaction_no=transaction_no,
        source_type=ledger.value,
        source_no=source_no,
    )
    undone = sorted(
        {d.unapplies_application_id for d in result.detailed if d.unapplies_application_id}
    )
    return PostingPlan(
        changed=tuple((ledger, e) for e in booked(result, entries).values()),
        detailed=tuple(detailed),
        gl=tuple(gl),
        unapplied=tuple((ledger, n) for n in undone),
    )


def merged(plans: Iterable[PostingPlan]) -> PostingPlan:
    """One plan for postings made one after the other in one transaction: every row of
    each, and each changed entry once, in the state the last of them left it."""
    parts = list(plans)
    changed: dict[tuple[Ledger, int], LedgerEntry] = {}
    for part in parts:
        for ledger, entry in part.changed:
            changed[(ledger, entry.entry_no)] = entry
    return PostingPlan(
        new_entries=tuple(n for p in parts for n in p.new_entries),
        changed=tuple((ledger, changed[(ledger, no)]) for ledger, no in sorted(changed)),
        detailed=tuple(d for p in parts for d in p.detailed),
        gl=tuple(g for p in parts for g in p.gl),
        bank=tuple(b for p in parts for b in p.bank),
        unapplied=tuple(u for p in parts for u in p.unapplied),
    )
