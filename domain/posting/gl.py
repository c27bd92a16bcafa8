"""Every transaction's G/L must balance, and each engine role (discount, tolerance, gains,
rounding...) goes to the account the company setup names for it: both decided here."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal

from domain.application import ApplicationResult, GlRole
from domain.company import CompanySetup
from domain.errors import DomainError, ErrorCode
from domain.ledger import LedgerEntry
from domain.posting.rows import GlRow
from domain.sales_posting import GlPostingLine

ZERO = Decimal(0)


def gl_rows(
    lines: Sequence[GlPostingLine],
    *,
    posting_date: date,
    document_type: str,
    document_no: str,
    transaction_no: int,
    source_type: str,
    source_no: str,
) -> list[GlRow]:
    """The G/L rows of one balanced transaction (zero lines dropped); an unbalanced one is
    refused: nothing is posted."""
    if sum(line.amount_lcy for line in lines) != 0:
        raise DomainError(
            ErrorCode.UNBALANCED_TRANSACTION,
            f"the G/L lines of {document_no} do not balance: "
            + ", ".join(f"{x.account_no} {x.amount_lcy}" for x in lines),
        )
    return [
        GlRow(
            line.account_no,
            posting_date,
            document_type,
            document_no,
            line.description,
            line.amount_lcy,
            source_type,
            source_no,
            transaction_no,
        )
        for line in lines
        if line.amount_lcy != 0
    ]


def role_account(
    role: GlRole,
    posting_group: str,
    setup: CompanySetup,
    party_accounts: Mapping[str, str],
    balancing: str | None = None,
) -> str:
    """The G/L account of an engine role: the party's receivables/payables account of its
    posting group, the original balancing account (reversals), or the setup's account."""
    if role is GlRole.PARTY:
        return party_accounts[posting_group]
    if role is GlRole.BALANCING:
        if balancing is None:
            raise AssertionError("a reversal needs the original balancing account")
        return balancing
    return _SETUP_ACCOUNT[role](setup)


_SETUP_ACCOUNT: dict[GlRole, Callable[[CompanySetup], str]] = {
    GlRole.PAYMENT_DISCOUNT: lambda s: s.payment_discount_account,
    GlRole.PAYMENT_TOLERANCE: lambda s: s.payment_tolerance_account,
    GlRole.PAYMENT_DISCOUNT_TOLERANCE: lambda s: s.payment_tolerance_account,
    GlRole.REALIZED_GAIN: lambda s: s.realized_gains_account,
    GlRole.REALIZED_LOSS: lambda s: s.realized_losses_account,
    GlRole.UNREALIZED_GAIN: lambda s: s.unrealized_gains_account,
    GlRole.UNREALIZED_LOSS: lambda s: s.unrealized_losses_account,
    GlRole.APPLN_ROUNDING: lambda s: s.appln_rounding_account,
}


def application_gl(
    result: ApplicationResult,
    entries: Mapping[int, LedgerEntry],
    *,
    setup: CompanySetup,
    description: str,
    party_accounts: Mapping[str, str],
    balancing_account: str | None = None,
) -> list[GlPostingLine]:
    """An application's G/L, one line per account (the engine gives one per detailed entry)."""
    totals: dict[str, Decimal] = {}
    for g in result.gl:
        account = role_account(
            g.role, entries[g.entry_no].posting_group, setup, party_accounts, balancing_account
        )
        totals[account] = totals.get(account, ZERO) + g.amount_lcy
    return [GlPostingLine(a, v, description) for a, v in totals.items() if v != 0]
