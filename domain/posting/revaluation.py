"""Adjusting exchange rates (BC's Adjust Exchange Rates, for customers and vendors): every open
foreign-currency entry posted by the adjustment date is valued at that day's rate; each
ledger's differences post as one transaction of unrealized gains and losses (document
ADJ-<date>), which a later application reverses."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from domain.application import adjust_exchange_rates
from domain.company import CompanySetup
from domain.ledger import LedgerEntry
from domain.posting.booking import entry_state
from domain.posting.numbers import APPLICATION, TRANSACTION, NumberPool
from domain.posting.posted_entries import LedgerFacts, merged, result_plan
from domain.posting.pricing import rates_on
from domain.posting.rows import PostingPlan
from domain.sales_posting import check_posting_date


@dataclass(frozen=True, slots=True)
class Revaluation:
    plan: PostingPlan
    adjusted: int  # entries revalued


def revalued(entry: LedgerEntry, on: date) -> bool:
    """Whether the adjustment on ``on`` values ``entry``: open, in a foreign currency and
    posted by then (the store locks those; the engine skips a zero remaining)."""
    return entry.open and entry.currency_code != "" and entry.posting_date <= on


def numbers_needed(ledgers: Iterable[Sequence[LedgerEntry]], on: date) -> dict[str, int]:
    """An application and a transaction per ledger with an entry to revalue."""
    n = sum(1 for entries in ledgers if any(revalued(e, on) for e in entries))
    return {APPLICATION: n, TRANSACTION: n}


def plan_revaluation(
    posting_date: date,
    setup: CompanySetup,
    ledgers: Sequence[tuple[LedgerFacts, Sequence[LedgerEntry]]],
    numbers: NumberPool,
) -> Revaluation:
    """Revalue each ledger's ``entries`` (its candidates, locked) on ``posting_date``; a
    second run with the same rates posts nothing. A rate missing on the day is refused."""
    check_posting_date(posting_date, setup.allow_posting_from, setup.allow_posting_to)
    day = posting_date.isoformat()
    parts: list[PostingPlan] = []
    adjusted = 0
    for facts, entries in ledgers:
        candidates = {
            e.entry_no: e
            for e in sorted(entries, key=lambda e: e.entry_no)
            if revalued(e, posting_date)
        }
        if not candidates:
            continue
        application_no, transaction_no = numbers.take(APPLICATION), numbers.take(TRANSACTION)
        codes = [e.currency_code for e in candidates.values()]
        result = adjust_exchange_rates(
            [entry_state(e) for e in candidates.values()],
            rates_on(facts.currencies, codes, posting_date),
            posting_date,
            facts.application,
            application_id=application_no,
        )
        if not result.detailed:
            continue
        parts.append(
            result_plan(
                result,
                candidates,
                facts,
                transaction_no=transaction_no,
                posting_date=posting_date,
                document_type="",
                document_no=f"ADJ-{day}",
                description=f"Exchange rate adjustment {day}",
                source_no=next(iter(candidates.values())).party_no,
            )
        )
        adjusted += len({d.entry_no for d in result.detailed})
    return Revaluation(merged(parts), adjusted)
