"""Applying posted entries to each other (BC's Apply Customer/Vendor Entries with applies-to
ID): one entry applied to the entries a user picked, on a posting date inside the window.
A pure function of the request, the locked entries and the facts."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from domain.application import ApplicationMethod, ApplyTarget, apply
from domain.errors import DomainError, ErrorCode
from domain.immutable import immutable
from domain.ledger import LedgerEntry
from domain.posting.booking import entry_state
from domain.posting.journal import ApplyToInput
from domain.posting.numbers import APPLICATION, TRANSACTION, NumberPool
from domain.posting.posted_entries import LedgerFacts, Posted, not_found, result_plan
from domain.posting.pricing import rates_on
from domain.sales_posting import check_posting_date


@immutable
class ApplyRequest:
    """Apply entry ``entry_no`` to the ``apply_to`` entries of the same ledger."""

    entry_no: int
    apply_to: tuple[ApplyToInput, ...]
    posting_date: date

    @property
    def entry_nos(self) -> list[int]:
        """The entries the store must lock (in entry-no. order) before planning."""
        return sorted({self.entry_no, *(a.entry_no for a in self.apply_to)})


def plan_apply(
    request: ApplyRequest,
    entries: Mapping[int, LedgerEntry],
    facts: LedgerFacts,
    numbers: NumberPool,
) -> Posted:
    """The application of ``request`` (``entries``: the request's entries as locked; one
    that is missing does not exist). Posted under the applying entry's document; errors
    name the request's fields (``applyTo``, its items by position)."""
    setup = facts.setup
    check_posting_date(request.posting_date, setup.allow_posting_from, setup.allow_posting_to)
    if not request.apply_to:
        raise DomainError(ErrorCode.NOTHING_TO_APPLY, "give the entries to apply to", ["applyTo"])
    applying = entries.get(request.entry_no)
    if applying is None:
        raise not_found(request.entry_no, ["entryNo"])
    targets = []
    for k, a in enumerate(request.apply_to):
        target = entries.get(a.entry_no)
        if target is None:
            raise not_found(a.entry_no, ["applyTo", str(k), "entryNo"])
        targets.append(
            ApplyTarget(
                entry_state(target),
                a.amount_to_apply,
                a.accept_payment_discount_tolerance,
                a.accept_payment_tolerance,
            )
        )
    application_no = numbers.take(APPLICATION)
    codes = [e.currency_code for e in entries.values()]
    result = apply(
        entry_state(applying),
        targets,
        facts.application,
        request.posting_date,
        rates_on(facts.currencies, codes, request.posting_date),
        application_id=application_no,
        method=ApplicationMethod.APPLIES_TO_ID,
    )
    plan = result_plan(
        result,
        entries,
        facts,
        transaction_no=numbers.take(TRANSACTION),
        posting_date=request.posting_date,
        document_type=applying.document_type,
        document_no=applying.document_no,
        description=f"Application of {applying.document_no}",
        source_no=applying.party_no,
    )
    return Posted(plan, application_no)
