"""Random postings, applications, unapplies and revaluations on an in-memory ledger, for a
customer and a mirrored vendor: the ledger stays consistent after every step.

The BC rules of docs/application-engine.md that apply here are exercised too: credit memos
with their own discount, VAT adjustment of discounts and tolerances, parties blocked for
payment tolerance, a currency's own rounding precision, apply-to-oldest across currencies,
and unapplies refused while a later application stands."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from domain.application import (
    ApplicationResult,
    ApplicationSetup,
    ApplnBetweenCurrencies,
    ApplyTarget,
    DetailedEntry,
    DetailedEntryType,
    DocumentType,
    GlRole,
    LedgerEntryState,
    adjust_exchange_rates,
    apply,
    apply_to_oldest,
    unapply,
)
from domain.errors import DomainError, ErrorCode
from domain.money import round_amount
from tests.unit.application.builders import check_invariants

DAY = date(2026, 3, 17)
SETUP = ApplicationSetup(
    appln_rounding_precision=Decimal("0.01"),
    appln_rounding_precisions=(("USD", Decimal("0.02")),),
    adjust_for_payment_discount=True,
)
ACROSS = replace(SETUP, appln_between_currencies=ApplnBetweenCurrencies.ALL)
TOLERANCE_TYPES = {
    DetailedEntryType.PAYMENT_TOLERANCE,
    DetailedEntryType.PAYMENT_DISCOUNT_TOLERANCE,
}
RATES = [Decimal("1.1"), Decimal("1.12345"), Decimal("0.987"), Decimal("1.25")]
amounts = st.integers(1, 500_000).map(lambda cents: Decimal(cents) / 100)


@dataclass
class Applied:
    lines: tuple[DetailedEntry, ...]
    before: dict[int, LedgerEntryState]
    gl: dict[GlRole, Decimal]
    revalued_since: bool = False
    undone: bool = False


def _gl_by_role(result: ApplicationResult) -> dict[GlRole, Decimal]:
    by_role: dict[GlRole, Decimal] = {}
    for line in result.gl:
        by_role[line.role] = by_role.get(line.role, Decimal(0)) + line.amount_lcy
    return by_role


class Ledger(RuleBasedStateMachine):
    side = 1

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[int, LedgerEntryState] = {}
        self.detailed: list[DetailedEntry] = []
        self.applications: dict[int, Applied] = {}
        self.next_no = 1
        self.next_id = 1

    def _post(
        self, document_type: DocumentType, amount: Decimal, currency: str, discount_pct: int
    ) -> None:
        rate = Decimal(1) if currency == "" else RATES[self.next_no % len(RATES)]
        lcy = round_amount(amount * rate)
        discount = round_amount(amount * discount_pct / 100)
        no = self.next_no
        self.next_no += 1
        self.entries[no] = LedgerEntryState(
            entry_no=no,
            party_no="P1",
            document_type=document_type,
            document_no=f"D{no}",
            posting_date=DAY,
            due_date=DAY + timedelta(days=no % 5),
            amount=amount,
            remaining_amount=amount,
            amount_lcy=lcy,
            remaining_amount_lcy=lcy,
            currency_code=currency,
            original_rate=rate,
            pmt_discount_date=DAY if discount else None,
            pmt_disc_tolerance_date=DAY if discount else None,
            original_pmt_disc_possible=discount,
            remaining_pmt_disc_possible=discount,
            max_payment_tolerance=round_amount(amount / 200),
            vat_amount=(
                Decimal(0)
                if document_type is DocumentType.PAYMENT
                else round_amount(amount * 19 / 119)
            ),
        )
        self.detailed.append(
            DetailedEntry(no, DetailedEntryType.INITIAL_ENTRY, DAY, currency, amount, lcy, None, 0)
        )

    @rule(
        document_type=st.sampled_from(
            [DocumentType.INVOICE, DocumentType.CREDIT_MEMO, DocumentType.PAYMENT]
        ),
        amount=amounts,
        currency=st.sampled_from(["", "USD"]),
        pct=st.sampled_from([0, 0, 2]),
    )
    def post_entry(
        self, document_type: DocumentType, amount: Decimal, currency: str, pct: int
    ) -> None:
        """Invoices carry the side's sign; credit memos and payments the opposite. Invoices and
        credit memos (calc. pmt. disc. on cr. memos) may have a discount, and carry 19 % VAT."""
        sign = self.side if document_type is DocumentType.INVOICE else -self.side
        discount = 0 if document_type is DocumentType.PAYMENT else pct
        self._post(document_type, sign * amount, currency, discount)

    def _open(self) -> list[LedgerEntryState]:
        return [e for e in self.entries.values() if e.open]

    def _store(self, result: ApplicationResult) -> None:
        check_invariants(self.entries.values(), result)
        for update in result.entries:
            self.entries[update.entry_no] = replace(
                self.entries[update.entry_no],
                remaining_amount=update.remaining_amount,
                remaining_amount_lcy=update.remaining_amount_lcy,
                remaining_pmt_disc_possible=update.remaining_pmt_disc_possible,
                unrealized_lcy=update.unrealized_lcy,
                open=update.open,
            )
        self.detailed.extend(result.detailed)

    @precondition(lambda self: len([e for e in self.entries.values() if e.open]) >= 2)
    @rule(data=st.data())
    def apply_entries(self, data: st.DataObject) -> None:
        applying = data.draw(st.sampled_from(self._open()))
        any_sign = data.draw(st.sampled_from([False, False, False, True]))  # some are refused
        candidates = [
            e
            for e in self._open()
            if e.entry_no != applying.entry_no
            and e.currency_code == applying.currency_code
            and (any_sign or e.remaining_amount * applying.remaining_amount < 0)
        ]
        if not candidates:
            return
        chosen = data.draw(
            st.lists(st.sampled_from(candidates), unique=True, min_size=1, max_size=3)
        )
        targets = []
        for target in chosen:
            partial = data.draw(st.booleans())
            amount = round_amount(target.remaining_amount / 2) if partial else None
            targets.append(ApplyTarget(target, amount or None))
        before = {e.entry_no: e for e in [applying, *chosen]}
        app_id = self.next_id
        self.next_id += 1
        blocked = data.draw(st.booleans())
        try:
            result = apply(
                applying,
                targets,
                SETUP,
                DAY,
                application_id=app_id,
                block_payment_tolerance=blocked,
            )
        except DomainError:
            return
        if blocked:
            assert not [d for d in result.detailed if d.entry_type in TOLERANCE_TYPES]
        self._record(app_id, result, before)
        if data.draw(st.booleans()):
            self._unapply(app_id)

    def _record(
        self, app_id: int, result: ApplicationResult, before: dict[int, LedgerEntryState]
    ) -> None:
        self._store(result)
        self.applications[app_id] = Applied(result.detailed, before, _gl_by_role(result))

    @precondition(lambda self: any(e.open for e in self.entries.values()))
    @rule(data=st.data())
    def apply_payment_to_oldest_across_currencies(self, data: st.DataObject) -> None:
        """Apply-to-oldest with application between all currencies, at today's rates."""
        payments = [e for e in self._open() if e.document_type is DocumentType.PAYMENT]
        if not payments:
            return
        payment = data.draw(st.sampled_from(payments))
        rate = data.draw(st.sampled_from(RATES))
        app_id = self.next_id
        self.next_id += 1
        try:
            result = apply_to_oldest(
                payment, self._open(), ACROSS, DAY, {"USD": rate}, application_id=app_id
            )
        except DomainError:
            return
        touched = {d.entry_no for d in result.detailed}
        self._record(app_id, result, {n: self.entries[n] for n in touched})

    def _undoable(self) -> list[int]:
        found = []
        for app_id, applied in self.applications.items():
            if applied.undone:
                continue
            touched = {d.entry_no for d in applied.lines}
            later = any(
                d.application_id > app_id and d.entry_no in touched and not d.unapplied
                for d in self.detailed
                if d.application_id in self.applications
                and not self.applications[d.application_id].undone
            )
            if not later:
                found.append(app_id)
        return found

    @precondition(lambda self: bool(self._undoable()))
    @rule(data=st.data())
    def unapply_last_application(self, data: st.DataObject) -> None:
        self._unapply(data.draw(st.sampled_from(self._undoable())))

    @precondition(lambda self: any(not a.undone for a in self.applications.values()))
    @rule(data=st.data())
    def unapply_any_application(self, data: st.DataObject) -> None:
        """BC's order: refused exactly while a later application stands on one of its
        entries."""
        standing = [n for n, a in self.applications.items() if not a.undone]
        app_id = data.draw(st.sampled_from(standing))
        if app_id in self._undoable():
            self._unapply(app_id)
            return
        applied = self.applications[app_id]
        with pytest.raises(DomainError) as refused:
            unapply(
                self.entries.values(),
                applied.lines,
                DAY,
                application_id=self.next_id,
                standing=self.detailed,
            )
        assert refused.value.code is ErrorCode.UNAPPLY_LATER_APPLICATION_FIRST

    def _unapply(self, app_id: int) -> None:
        """Undo an application and check every entry it touched is back where it was, and
        its G/L (VAT lines included) is taken back exactly."""
        applied = self.applications[app_id]
        result = unapply(
            self.entries.values(),
            applied.lines,
            DAY,
            application_id=self.next_id,
            standing=self.detailed,
        )
        self.next_id += 1
        self._store(result)
        applied.undone = True
        undone = _gl_by_role(result)
        for role in set(undone) | set(applied.gl):
            assert undone.get(role, Decimal(0)) == -applied.gl.get(role, Decimal(0))
        for entry_no, old in applied.before.items():
            if entry_no not in {d.entry_no for d in applied.lines}:
                continue
            now = self.entries[entry_no]
            assert now.remaining_amount == old.remaining_amount
            assert now.remaining_pmt_disc_possible == old.remaining_pmt_disc_possible
            assert now.open == old.open
            if not applied.revalued_since:
                assert now.remaining_amount_lcy == old.remaining_amount_lcy
                assert now.unrealized_lcy == old.unrealized_lcy

    @rule(rate=st.sampled_from(RATES))
    def adjust_exchange_rates(self, rate: Decimal) -> None:
        result = adjust_exchange_rates(
            self._open(), {"USD": rate}, DAY, SETUP, application_id=self.next_id
        )
        self.next_id += 1
        self._store(result)
        if result.detailed:
            for applied in self.applications.values():
                applied.revalued_since = True
        again = adjust_exchange_rates(self._open(), {"USD": rate}, DAY, SETUP, application_id=0)
        assert again.detailed == ()

    @invariant()
    def every_remaining_is_the_sum_of_its_detailed_entries(self) -> None:
        for no, state in self.entries.items():
            lines = [d for d in self.detailed if d.entry_no == no]
            assert state.remaining_amount == sum((d.amount for d in lines), Decimal(0))
            assert state.remaining_amount_lcy == sum((d.amount_lcy for d in lines), Decimal(0))
            assert state.remaining_amount * state.amount >= 0, "remaining changed sign"
            assert abs(state.remaining_amount) <= abs(state.amount)
            assert state.open == (state.remaining_amount != 0)


class VendorLedger(Ledger):
    side = -1


LEDGER_SETTINGS = settings(max_examples=50, stateful_step_count=20, deadline=None)
TestCustomerLedger = Ledger.TestCase
TestCustomerLedger.settings = LEDGER_SETTINGS
TestVendorLedger = VendorLedger.TestCase
TestVendorLedger.settings = LEDGER_SETTINGS
