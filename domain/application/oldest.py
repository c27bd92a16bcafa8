"""A customer set to apply-to-oldest pays its oldest open entries first; which entries are
the oldest, and in which currencies, is BC's rule (see docs/application-engine.md, "Order")."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

from domain.application.currency import currencies_allowed
from domain.application.engine import apply
from domain.application.model import (
    ApplicationMethod,
    ApplicationResult,
    ApplicationSetup,
    ApplyTarget,
    LedgerEntryState,
)
from domain.application.validation import sign


def select_oldest(
    open_entries: Iterable[LedgerEntryState],
    applying: LedgerEntryState,
    setup: ApplicationSetup,
    *,
    accept_pmt_disc_tolerance: bool | None = None,
) -> tuple[ApplyTarget, ...]:
    """Targets for apply-to-oldest: the party's open entries of the opposite sign posted on or
    before the applying entry, by due date, then posting date, then entry no.

    Currencies follow BC's "Appln. between Currencies": NONE takes only the applying entry's
    currency; EMU and ALL take every currency they allow (the engine then converts them at
    the posting-date rates).
    """
    applying_sign = sign(applying.remaining_amount)
    candidates = [
        entry
        for entry in open_entries
        if entry.open
        and entry.entry_no != applying.entry_no
        and entry.party_no == applying.party_no
        and currencies_allowed(applying.currency_code, entry.currency_code, setup)
        and entry.posting_date <= applying.posting_date
        and entry.remaining_amount != 0
        and sign(entry.remaining_amount) == -applying_sign
    ]
    candidates.sort(key=lambda e: (e.due_date, e.posting_date, e.entry_no))
    return tuple(
        ApplyTarget(entry, accept_pmt_disc_tolerance=accept_pmt_disc_tolerance)
        for entry in candidates
    )


def apply_to_oldest(
    applying: LedgerEntryState,
    open_entries: Iterable[LedgerEntryState],
    setup: ApplicationSetup,
    posting_date: date,
    rates: Mapping[str, Decimal] | None = None,
    *,
    application_id: int,
    accept_pmt_disc_tolerance: bool | None = None,
    block_payment_tolerance: bool = False,
) -> ApplicationResult:
    """Apply an unapplied payment to the party's oldest open entries (no payment tolerance)."""
    targets = select_oldest(
        open_entries, applying, setup, accept_pmt_disc_tolerance=accept_pmt_disc_tolerance
    )
    return apply(
        applying,
        targets,
        setup,
        posting_date,
        rates,
        application_id=application_id,
        method=ApplicationMethod.APPLY_TO_OLDEST,
        block_payment_tolerance=block_payment_tolerance,
    )
