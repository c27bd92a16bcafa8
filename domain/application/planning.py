"""Before posting, BC decides which entries close, which take their discount and whether a small
difference is written off as tolerance; this plan is made on amounts alone, then posted."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.application.currency import ONE, conversion_factor, to_appl
from domain.application.model import (
    MONEY_DOCUMENTS,
    ZERO,
    ApplicationMethod,
    ApplicationSetup,
    ApplyTarget,
    DocumentType,
    LedgerEntryState,
)
from domain.application.tolerance import DiscountKind, discount_kind
from domain.application.validation import sign, target_field
from domain.errors import DomainError, ErrorCode
from domain.immutable import immutable


@dataclass(slots=True)
class Participant:
    """An entry taking part in an application, with its magnitudes for this application.

    Magnitudes (``cap_own``, ``disc_own``) are positive amounts in the entry's own currency;
    ``factor`` converts them into the application currency (the applying entry's).
    """

    entry: LedgerEntryState
    target: ApplyTarget | None
    index: int | None
    factor: Decimal
    cap_own: Decimal
    kind: DiscountKind = DiscountKind.NONE
    disc_own: Decimal = ZERO

    @property
    def no(self) -> int:
        return self.entry.entry_no

    @property
    def sign(self) -> int:
        return sign(self.entry.remaining_amount)

    @property
    def rem_own(self) -> Decimal:
        return abs(self.entry.remaining_amount)

    @property
    def cross(self) -> bool:
        return self.factor != ONE

    def field(self, name: str) -> list[str]:
        return [name] if self.index is None else target_field(self.index, name)

    def contribution(self, discounted: bool) -> Decimal:
        """Own-currency magnitude this entry gives as a source (less its discount if taken)."""
        return self.rem_own - self.disc_own if discounted else self.cap_own


@dataclass(slots=True)
class Layout:
    """Who pays (sources, used in order) and what is paid (debts, closed in order)."""

    applying: Participant
    sources: list[Participant]
    debts: list[Participant]
    swapped: bool
    appl_precision: Decimal
    pay_date: date | None
    tolerance_allowed: bool

    def appl(self, participant: Participant, own: Decimal) -> Decimal:
        return to_appl(own, participant.factor, self.appl_precision)

    def debt_need(self, debt: Participant, with_discount: bool) -> Decimal:
        """Application-currency amount that closes ``debt`` (after its discount if taken)."""
        if with_discount:
            return self.appl(debt, debt.rem_own - debt.disc_own)
        return self.appl(debt, debt.cap_own)


@immutable
class Plan:
    """What the application will do, in application currency (magnitudes).

    ``tolerance`` is the payment tolerance posted (+ over-payment, - under-payment);
    ``declined_tolerance`` the one the user refused; ``consume`` per debt, in debt order.
    ``granted`` are the entries that take their discount: debts, and credit memos among the
    sources (their own discount, with "calc. pmt. disc. on credit memos").
    """

    tolerance: Decimal
    declined_tolerance: Decimal
    granted: frozenset[int]
    consume: tuple[Decimal, ...]


def build_layout(
    applying: LedgerEntryState,
    targets: Sequence[ApplyTarget],
    setup: ApplicationSetup,
    rates: Mapping[str, Decimal],
    method: ApplicationMethod,
    block_payment_tolerance: bool = False,
) -> Layout:
    """Split the entries into sources and debts (see docs/application-engine.md, "Order").

    ``block_payment_tolerance`` is the party's "Block Payment Tolerance": no payment
    tolerance and no late (grace-period) discount for it.
    """
    appl_currency = applying.currency_code
    x = Participant(applying, None, None, ONE, abs(applying.remaining_amount))
    same: list[Participant] = []
    opposite: list[Participant] = []
    for index, target in enumerate(targets):
        entry = target.entry
        cap = entry.remaining_amount if target.amount_to_apply is None else target.amount_to_apply
        factor = conversion_factor(entry.currency_code, appl_currency, rates)
        participant = Participant(entry, target, index, factor, abs(cap))
        if sign(entry.remaining_amount) == x.sign:
            same.append(participant)
        else:
            opposite.append(participant)
    x_is_money = applying.document_type in MONEY_DOCUMENTS
    money_targets = any(p.entry.document_type in MONEY_DOCUMENTS for p in opposite)
    if x_is_money or not money_targets:
        sources, debts, swapped = [*same, x], opposite, False
    else:
        # The applying entry is a document paid by the targets: the payments are the sources.
        ordered = sorted(opposite, key=lambda p: p.entry.document_type in MONEY_DOCUMENTS)
        sources, debts, swapped = ordered, [x, *same], True
    money_dates = [
        s.entry.posting_date for s in sources if s.entry.document_type in MONEY_DOCUMENTS
    ]
    pay_date = max(money_dates) if money_dates else None
    for debt in debts:
        debt.kind = discount_kind(debt.entry, pay_date)
        if block_payment_tolerance and debt.kind is DiscountKind.LATE:
            debt.kind = DiscountKind.NONE
        if debt.kind is not DiscountKind.NONE:
            debt.disc_own = min(abs(debt.entry.remaining_pmt_disc_possible), debt.rem_own)
    for source in sources:
        # BC (CheckCalcPmtDisc): a credit memo paid with a payment takes its own discount
        # when the payment is on or before its discount date.
        if source.entry.document_type is not DocumentType.CREDIT_MEMO:
            continue
        if discount_kind(source.entry, pay_date) is DiscountKind.REGULAR:
            source.kind = DiscountKind.REGULAR
            source.disc_own = min(abs(source.entry.remaining_pmt_disc_possible), source.rem_own)
    return Layout(
        applying=x,
        sources=sources,
        debts=debts,
        swapped=swapped,
        appl_precision=setup.amount_precision(appl_currency),
        pay_date=pay_date,
        tolerance_allowed=method is not ApplicationMethod.APPLY_TO_OLDEST
        and pay_date is not None
        and not block_payment_tolerance,
    )


def _eligible(layout: Layout, accept_late: Mapping[int, bool]) -> frozenset[int]:
    eligible: set[int] = set()
    for debt in layout.debts:
        if debt.disc_own <= 0 or debt.cap_own < debt.rem_own - debt.disc_own:
            continue
        if debt.kind is DiscountKind.REGULAR or (
            debt.kind is DiscountKind.LATE and accept_late.get(debt.no, False)
        ):
            eligible.add(debt.no)
    return frozenset(eligible)


def _tolerance_candidate(layout: Layout, eligible: frozenset[int], available: Decimal) -> Decimal:
    """The payment tolerance that would close every debt, or 0 when there is none."""
    if not layout.tolerance_allowed:
        return ZERO
    if any(d.no not in eligible and d.cap_own < d.rem_own for d in layout.debts):
        return ZERO  # an explicit partial amount: nothing is meant to close
    need = sum(
        (layout.debt_need(d, d.no in eligible) for d in layout.debts),
        ZERO,
    )
    difference = available - need
    limit = sum(
        (layout.appl(d, abs(d.entry.max_payment_tolerance)) for d in layout.debts),
        ZERO,
    )
    if difference == 0 or abs(difference) > limit:
        return ZERO
    x = layout.applying
    if not layout.swapped and difference > x.cap_own:
        return ZERO  # the over-payment is not on the applying entry
    return difference


def _discounted_sources(layout: Layout) -> frozenset[int]:
    """Credit memos among the sources that can take their discount (their whole remaining
    less the discount is to be applied)."""
    return frozenset(
        s.no for s in layout.sources if s.disc_own > 0 and s.cap_own >= s.rem_own - s.disc_own
    )


def _fully_used(layout: Layout, plan: Plan, discounted: frozenset[int]) -> frozenset[int]:
    """The discounted sources whose whole contribution the plan uses (sources pay in order);
    a credit memo left partly open keeps its discount for later (BC)."""
    used = sum(plan.consume, ZERO)
    kept: set[int] = set()
    end = ZERO
    for source in layout.sources:
        end += layout.appl(source, source.contribution(source.no in discounted))
        if source.no in discounted and end <= used:
            kept.add(source.no)
    return frozenset(kept)


def make_plan(layout: Layout, accept_late: Mapping[int, bool], accept_tolerance: bool) -> Plan:
    """Plan the application for given answers to the two warnings.

    Credit memo sources are first assumed to take their discount; one that the plan does not
    use in full gives it up and the plan is made again (using less of a source never changes
    what the debts consume, so this ends after at most one round per credit memo).
    """
    discounted = _discounted_sources(layout)
    while True:
        plan = _plan_once(layout, accept_late, accept_tolerance, discounted)
        kept = _fully_used(layout, plan, discounted)
        if kept == discounted:
            return plan
        discounted = kept


def _plan_once(
    layout: Layout,
    accept_late: Mapping[int, bool],
    accept_tolerance: bool,
    discounted: frozenset[int],
) -> Plan:
    eligible = _eligible(layout, accept_late)
    available = sum(
        (layout.appl(s, s.contribution(s.no in discounted)) for s in layout.sources), ZERO
    )
    candidate = _tolerance_candidate(layout, eligible, available)
    if candidate != 0 and accept_tolerance:
        consume = [layout.debt_need(d, d.no in eligible) for d in layout.debts]
        if layout.swapped:
            consume[0] += candidate  # the tolerance is posted on the applying entry, a debt
        return Plan(candidate, ZERO, eligible | discounted, tuple(consume))
    left = available
    granted: set[int] = set()
    amounts: list[Decimal] = []
    for debt in layout.debts:
        if debt.no in eligible:
            need = layout.debt_need(debt, True)
            if left >= need:
                granted.add(debt.no)
                amounts.append(need)
                left -= need
                continue
        take = min(layout.debt_need(debt, False), left)
        amounts.append(take)
        left -= take
    return Plan(ZERO, candidate, frozenset(granted) | discounted, tuple(amounts))


def _answer(layout: Layout, debt: Participant, tolerance: bool) -> bool | None:
    """The user's answer for a debt; for the applying entry as debt, the payments' answers."""
    if debt.target is not None:
        target = debt.target
        return target.accept_pmt_tolerance if tolerance else target.accept_pmt_disc_tolerance
    answers = [
        (s.target.accept_pmt_tolerance if tolerance else s.target.accept_pmt_disc_tolerance)
        for s in layout.sources
        if s.target is not None
    ]
    if any(a is False for a in answers):
        return False
    if answers and all(a is True for a in answers):
        return True
    return None


def decide(layout: Layout, setup: ApplicationSetup) -> Plan:
    """Apply the warning switches and the user's answers; raise when an answer is missing."""
    warn_late = setup.payment_discount_tolerance_warning
    accept_late: dict[int, bool] = {}
    for debt in layout.debts:
        if debt.kind is DiscountKind.LATE:
            answer = _answer(layout, debt, tolerance=False) if warn_late else True
            accept_late[debt.no] = True if answer is None else answer
    trial = make_plan(layout, accept_late, accept_tolerance=True)
    if warn_late:
        for debt in layout.debts:
            unanswered = _answer(layout, debt, tolerance=False) is None
            if debt.kind is DiscountKind.LATE and unanswered and debt.no in trial.granted:
                raise _late_discount_error(layout, debt)
    if trial.tolerance == 0 or not setup.payment_tolerance_warning:
        return trial
    answers = [_answer(layout, d, tolerance=True) for d in layout.debts]
    if any(a is None for a in answers):
        raise _tolerance_error(layout, trial.tolerance, answers)
    if all(answers):
        return trial
    declined = make_plan(layout, accept_late, accept_tolerance=False)
    return Plan(ZERO, trial.tolerance, declined.granted, declined.consume)


def _late_discount_error(layout: Layout, debt: Participant) -> DomainError:
    entry = debt.entry
    currency = entry.currency_code or "LCY"
    discount_date = entry.pmt_discount_date.isoformat() if entry.pmt_discount_date else "-"
    pay_date = layout.pay_date.isoformat() if layout.pay_date else "-"
    return DomainError(
        ErrorCode.PAYMENT_DISCOUNT_TOLERANCE_NOT_ACCEPTED,
        f"A late payment discount of {debt.disc_own} {currency} would be granted on entry "
        f"{entry.entry_no} ({entry.document_type.value.lower()} {entry.document_no}): paid on "
        f"{pay_date}, after the discount date {discount_date} but within the grace period. "
        "Set acceptPaymentDiscountTolerance to true to grant it or false to refuse it.",
        field=debt.field("acceptPaymentDiscountTolerance"),
    )


def _tolerance_error(
    layout: Layout, tolerance: Decimal, answers: Sequence[bool | None]
) -> DomainError:
    currency = layout.applying.entry.currency_code or "LCY"
    kind = "over-payment" if tolerance > 0 else "under-payment"
    entries = ", ".join(f"{d.no} ({d.entry.document_no})" for d in layout.debts)
    first = next(d for d, a in zip(layout.debts, answers, strict=True) if a is None)
    return DomainError(
        ErrorCode.PAYMENT_TOLERANCE_NOT_ACCEPTED,
        f"The {kind} of {abs(tolerance)} {currency} is within the payment tolerance: entries "
        f"{entries} would be closed and {abs(tolerance)} {currency} posted as payment "
        "tolerance. Set acceptPaymentTolerance to true to post it or false to leave it as a "
        "remaining amount.",
        field=first.field("acceptPaymentTolerance"),
    )
