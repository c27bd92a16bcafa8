"""Cash application closes open entries with a payment (or another entry) the way BC does, for
customers and vendors alike: a pure function from entries, setup and rates to what to post."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.application.book import Book
from domain.application.currency import rate_of, share, to_own
from domain.application.model import (
    MONEY_DOCUMENTS,
    UNREALIZED_TYPES,
    ZERO,
    ApplicationMethod,
    ApplicationResult,
    ApplicationSetup,
    ApplyTarget,
    DetailedEntryType,
    LedgerEntryState,
)
from domain.application.notes import describe
from domain.application.planning import Layout, Participant, Plan, build_layout, decide
from domain.application.tolerance import DiscountKind, spread_tolerance
from domain.application.validation import validate_application
from domain.money import round_amount


def apply(
    applying: LedgerEntryState,
    targets: Sequence[ApplyTarget],
    setup: ApplicationSetup,
    posting_date: date,
    rates: Mapping[str, Decimal] | None = None,
    *,
    application_id: int,
    method: ApplicationMethod = ApplicationMethod.APPLIES_TO_ID,
    block_payment_tolerance: bool = False,
) -> ApplicationResult:
    """Apply ``applying`` to ``targets`` on ``posting_date``.

    ``rates`` are LCY per unit of each foreign currency on the posting date (needed only for
    applications across currencies). ``block_payment_tolerance`` is the party's "Block
    Payment Tolerance" (no payment tolerance, no late discount). Raises DomainError; returns
    what to post otherwise.
    """
    rates = rates or {}
    validate_application(applying, targets, setup, posting_date, method)
    layout = build_layout(applying, targets, setup, rates, method, block_payment_tolerance)
    plan = decide(layout, setup)
    run = _Run(layout, plan, setup, rates, Book(application_id, posting_date))
    run.post()
    return run.book.result()


@dataclass(slots=True)
class _Flow:
    """How much of a participant this application has used so far (cumulative rounding)."""

    participant: Participant
    own_target: Decimal
    appl_target: Decimal
    own_precision: Decimal
    base_orig: Decimal = ZERO
    base_mag: Decimal = ZERO
    appl_used: Decimal = ZERO
    own_used: Decimal = ZERO
    lcy_used: Decimal = ZERO

    @property
    def appl_left(self) -> Decimal:
        return self.appl_target - self.appl_used

    def advance(self, appl_amount: Decimal) -> Decimal:
        """Use ``appl_amount`` more; return the own-currency magnitude it represents."""
        self.appl_used += appl_amount
        if self.appl_used == self.appl_target:
            own_cum = self.own_target
        else:
            own_cum = min(
                to_own(self.appl_used, self.participant.factor, self.own_precision),
                self.own_target,
            )
        delta = own_cum - self.own_used
        self.own_used = own_cum
        return delta

    def lcy_advance(self, lcy_precision: Decimal) -> Decimal:
        """LCY (signed like the entry) of what was used since the last call."""
        cum = share(self.base_orig, self.own_used, self.base_mag, lcy_precision)
        delta = cum - self.lcy_used
        self.lcy_used = cum
        return delta


class _Run:
    """Posts a decided plan into a Book."""

    def __init__(
        self,
        layout: Layout,
        plan: Plan,
        setup: ApplicationSetup,
        rates: Mapping[str, Decimal],
        book: Book,
    ) -> None:
        self.layout = layout
        self.plan = plan
        self.setup = setup
        self.rates = rates
        self.book = book
        self.lcy = setup.lcy_precision
        self.partner: dict[int, int] = {}
        self.tolerance_parts: dict[int, Decimal] = {}
        for participant in [*layout.sources, *layout.debts]:
            book.track(participant.entry)

    def post(self) -> None:
        self._post_tolerance()
        flows = self._post_applications()
        self._post_discounts()
        self._post_rounding(flows)
        for participant in [*self.layout.debts, *self.layout.sources]:
            self._post_gains(participant)
        self.book.clear_discount_of_closed()
        describe(self.book, self.layout, self.plan, self.tolerance_parts)

    # -- valuation -------------------------------------------------------------------------

    def valuation_rate(self, currency_code: str) -> Decimal:
        """LCY per unit used for discounts, tolerance and rounding: the paying entry's rate."""
        if currency_code == "":
            return Decimal(1)
        payers = [s for s in self.layout.sources if s.entry.document_type in MONEY_DOCUMENTS]
        for participant in [*payers, self.layout.applying]:
            if participant.entry.currency_code == currency_code:
                return participant.entry.original_rate
        return rate_of(currency_code, self.rates)

    def to_lcy(self, amount: Decimal, currency_code: str) -> Decimal:
        return round_amount(amount * self.valuation_rate(currency_code), self.lcy)

    def vat_share(self, entry: LedgerEntryState, amount_lcy: Decimal) -> Decimal:
        """The part of a discount or tolerance (LCY) that reverses the VAT of ``entry``'s
        document: the same share as the VAT in its amount (BC's "Adjust for Payment Disc.")."""
        if not self.setup.adjust_for_payment_discount or entry.vat_amount == 0:
            return ZERO
        if entry.amount == 0:
            return ZERO
        return round_amount(amount_lcy * entry.vat_amount / entry.amount, self.lcy)

    # -- steps -----------------------------------------------------------------------------

    def _post_tolerance(self) -> None:
        tolerance = self.plan.tolerance
        if tolerance == 0:
            return
        x = self.layout.applying
        currency = x.entry.currency_code
        if self.layout.swapped:
            amount = x.sign * tolerance
            partner = self.layout.sources[-1].no
            lcy = self.to_lcy(amount, currency)
            self.book.post(
                x.no,
                DetailedEntryType.PAYMENT_TOLERANCE,
                amount,
                lcy,
                partner,
                vat_lcy=self.vat_share(x.entry, lcy),
            )
            self.tolerance_parts[x.no] = tolerance
            return
        debts = self.layout.debts
        parts = spread_tolerance(
            tolerance,
            [self.layout.appl(d, abs(d.entry.amount)) for d in debts],
            [self.layout.appl(d, abs(d.entry.max_payment_tolerance)) for d in debts],
            self.layout.appl_precision,
        )
        for debt, part in zip(debts, parts, strict=True):
            if part == 0:
                continue
            amount = -x.sign * part
            lcy = self.to_lcy(amount, currency)
            self.book.post(
                x.no,
                DetailedEntryType.PAYMENT_TOLERANCE,
                amount,
                lcy,
                debt.no,
                vat_lcy=self.vat_share(debt.entry, lcy),
            )
            self.tolerance_parts[debt.no] = part

    def _flow(self, participant: Participant, own_target: Decimal) -> _Flow:
        return _Flow(
            participant,
            own_target,
            self.layout.appl(participant, own_target),
            self.setup.amount_precision(participant.entry.currency_code),
        )

    def _post_applications(self) -> list[_Flow]:
        layout, plan = self.layout, self.plan
        x = layout.applying
        sources: list[_Flow] = []
        for source in layout.sources:
            own_target = source.contribution(source.no in plan.granted)
            if source is x and not layout.swapped:
                own_target -= plan.tolerance
            flow = self._flow(source, own_target)
            working = self.book.working[source.no]
            flow.base_orig = working.at_original
            flow.base_mag = abs(working.remaining)
            sources.append(flow)
        debts: list[_Flow] = []
        for debt, consume in zip(layout.debts, plan.consume, strict=True):
            if debt.no in plan.granted:
                own_target = debt.rem_own - debt.disc_own
            else:
                own_target = debt.cap_own
            if debt is x and layout.swapped:
                own_target += plan.tolerance
            flow = self._flow(debt, own_target)
            debts.append(flow)
            self._draw(flow, consume, sources)
        return [*sources, *debts]

    def _draw(self, debt: _Flow, consume: Decimal, sources: list[_Flow]) -> None:
        for source in sources:
            if consume <= 0:
                return
            take = min(consume, source.appl_left)
            if take <= 0:
                continue
            consume -= take
            self._post_pair(source, debt, take)

    def _post_pair(self, source: _Flow, debt: _Flow, take: Decimal) -> None:
        s, d = source.participant, debt.participant
        own_s = source.advance(take)
        own_d = debt.advance(take)
        lcy = source.lcy_advance(self.lcy)
        cross_group = s.entry.posting_group != d.entry.posting_group
        self.book.post(
            s.no, DetailedEntryType.APPLICATION, -s.sign * own_s, -lcy, d.no, party_line=cross_group
        )
        self.book.post(
            d.no, DetailedEntryType.APPLICATION, -d.sign * own_d, lcy, s.no, party_line=cross_group
        )
        self.partner[s.no] = d.no
        self.partner[d.no] = s.no

    def _post_discounts(self) -> None:
        for participant in [*self.layout.debts, *self.layout.sources]:
            if participant.no not in self.plan.granted:
                continue
            entry_type = (
                DetailedEntryType.PAYMENT_DISCOUNT
                if participant.kind is DiscountKind.REGULAR
                else DetailedEntryType.PAYMENT_DISCOUNT_TOLERANCE
            )
            amount = -participant.sign * participant.disc_own
            lcy = self.to_lcy(amount, participant.entry.currency_code)
            self.book.post(
                participant.no,
                entry_type,
                amount,
                lcy,
                self.partner.get(participant.no),
                vat_lcy=self.vat_share(participant.entry, lcy),
            )

    def _within_rounding(
        self, participant: Participant, leftover: Decimal, leftover_lcy: Decimal
    ) -> bool:
        """Whether a remainder is small enough to close as APPLN_ROUNDING: BC takes the
        application currency (the applying entry's, else the other entry's) and its own
        "Appln. Rounding Precision", else the G/L setup's (compared in LCY)."""
        code = self.layout.applying.entry.currency_code or participant.entry.currency_code
        own = self.setup.currency_appln_rounding(code)
        if own > 0:
            if participant.entry.currency_code == code:
                return abs(leftover) <= own
            return abs(leftover_lcy) / self.valuation_rate(code) <= own
        precision = self.setup.appln_rounding_precision
        return precision > 0 and abs(leftover_lcy) <= precision

    def _post_rounding(self, flows: list[_Flow]) -> None:
        if not any(f.participant.cross for f in flows):
            return
        for flow in flows:
            participant = flow.participant
            working = self.book.working[participant.no]
            if flow.own_used == 0 or working.remaining == 0:
                continue
            entry = participant.entry
            orig = entry.remaining_amount_lcy - entry.unrealized_lcy
            leftover_lcy = share(
                orig, abs(working.remaining), abs(entry.remaining_amount), self.lcy
            )
            if not self._within_rounding(participant, working.remaining, leftover_lcy):
                continue
            self.book.post(
                participant.no,
                DetailedEntryType.APPLN_ROUNDING,
                -working.remaining,
                -leftover_lcy,
                self.partner.get(participant.no),
            )

    def _post_gains(self, participant: Participant) -> None:
        """Reverse the unrealized share of the applied part and post the realized gain/loss
        that makes the entry's LCY match its FCY (see docs: "Currencies")."""
        entry = participant.entry
        working = self.book.working[entry.entry_no]
        start_mag = abs(entry.remaining_amount)
        consumed = start_mag - abs(working.remaining)
        if consumed == 0:
            return
        unrealized = entry.unrealized_lcy
        orig = entry.remaining_amount_lcy - unrealized
        posted = sum(
            (
                line.amount_lcy
                for line in self.book.detailed
                if line.entry_no == entry.entry_no and line.entry_type not in UNREALIZED_TYPES
            ),
            ZERO,
        )
        partner = self.partner.get(entry.entry_no)
        reversal = round_amount(-share(unrealized, consumed, start_mag, self.lcy), self.lcy)
        if reversal != 0:
            entry_type = (
                DetailedEntryType.UNREALIZED_GAIN
                if unrealized > 0
                else DetailedEntryType.UNREALIZED_LOSS
            )
            self.book.post(entry.entry_no, entry_type, ZERO, reversal, partner)
        realized = round_amount(-share(orig, consumed, start_mag, self.lcy) - posted, self.lcy)
        if realized != 0:
            entry_type = (
                DetailedEntryType.REALIZED_GAIN if realized > 0 else DetailedEntryType.REALIZED_LOSS
            )
            self.book.post(entry.entry_no, entry_type, ZERO, realized, partner)
