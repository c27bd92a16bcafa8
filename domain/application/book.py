"""Every change to an entry must be a detailed entry with its G/L twin, so one place records
them, keeps the running state of each entry, and derives the balanced G/L from them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from domain.application.model import (
    UNREALIZED_TYPES,
    ZERO,
    ApplicationResult,
    DetailedEntry,
    DetailedEntryType,
    EntryUpdate,
    GlLine,
    GlRole,
    LedgerEntryState,
    Note,
    NoteCode,
)

_ROLE_OF = {
    DetailedEntryType.INITIAL_ENTRY: GlRole.BALANCING,
    DetailedEntryType.PAYMENT_DISCOUNT: GlRole.PAYMENT_DISCOUNT,
    DetailedEntryType.PAYMENT_TOLERANCE: GlRole.PAYMENT_TOLERANCE,
    DetailedEntryType.PAYMENT_DISCOUNT_TOLERANCE: GlRole.PAYMENT_DISCOUNT_TOLERANCE,
    DetailedEntryType.REALIZED_GAIN: GlRole.REALIZED_GAIN,
    DetailedEntryType.REALIZED_LOSS: GlRole.REALIZED_LOSS,
    DetailedEntryType.UNREALIZED_GAIN: GlRole.UNREALIZED_GAIN,
    DetailedEntryType.UNREALIZED_LOSS: GlRole.UNREALIZED_LOSS,
    DetailedEntryType.APPLN_ROUNDING: GlRole.APPLN_ROUNDING,
    DetailedEntryType.CORRECTION_OF_REMAINING_AMOUNT: GlRole.APPLN_ROUNDING,
}


def counter_role(entry_type: DetailedEntryType) -> GlRole | None:
    """The G/L role that balances the PARTY account for a detailed entry (None: application)."""
    return _ROLE_OF.get(entry_type)


@dataclass(slots=True)
class Working:
    """Running state of one entry while a result is being built."""

    entry: LedgerEntryState
    remaining: Decimal
    remaining_lcy: Decimal
    unrealized: Decimal
    disc_possible: Decimal

    @classmethod
    def of(cls, entry: LedgerEntryState) -> Working:
        return cls(
            entry=entry,
            remaining=entry.remaining_amount,
            remaining_lcy=entry.remaining_amount_lcy,
            unrealized=entry.unrealized_lcy,
            disc_possible=entry.remaining_pmt_disc_possible,
        )

    @property
    def at_original(self) -> Decimal:
        """Remaining LCY at the original rate (without unrealized gains/losses)."""
        return self.remaining_lcy - self.unrealized


class Book:
    """Collects detailed entries, G/L lines and notes of one result; nothing is mutated
    outside it."""

    def __init__(self, application_id: int, posting_date: date) -> None:
        self.application_id = application_id
        self.posting_date = posting_date
        self.working: dict[int, Working] = {}
        self.detailed: list[DetailedEntry] = []
        self.gl: list[GlLine] = []
        self.notes: list[Note] = []

    def track(self, entry: LedgerEntryState) -> Working:
        """Start (or continue) tracking an entry."""
        if entry.entry_no not in self.working:
            self.working[entry.entry_no] = Working.of(entry)
        return self.working[entry.entry_no]

    def post(
        self,
        entry_no: int,
        entry_type: DetailedEntryType,
        amount: Decimal,
        amount_lcy: Decimal,
        applied_entry_no: int | None,
        *,
        party_line: bool = False,
        disc_delta: Decimal = ZERO,
        unapplies: int | None = None,
        vat_lcy: Decimal = ZERO,
    ) -> None:
        """Record one detailed entry and its G/L lines (zero entries are skipped).

        Every type but APPLICATION moves the PARTY account against its counter role; an
        APPLICATION moves PARTY only when ``party_line`` (the two entries are in different
        posting groups, so LCY moves between receivables/payables accounts). ``vat_lcy`` (a
        part of ``amount_lcy``) goes against the VAT role instead of the counter role.
        """
        if amount == 0 and amount_lcy == 0 and disc_delta == 0:
            return
        working = self.working[entry_no]
        working.remaining += amount
        working.remaining_lcy += amount_lcy
        working.disc_possible += disc_delta
        if entry_type in UNREALIZED_TYPES:
            working.unrealized += amount_lcy
        self.detailed.append(
            DetailedEntry(
                entry_no=entry_no,
                entry_type=entry_type,
                posting_date=self.posting_date,
                currency_code=working.entry.currency_code,
                amount=amount,
                amount_lcy=amount_lcy,
                applied_entry_no=applied_entry_no,
                application_id=self.application_id,
                pmt_disc_possible_delta=disc_delta,
                unapplied=unapplies is not None,
                unapplies_application_id=unapplies,
                vat_amount_lcy=vat_lcy,
            )
        )
        if amount_lcy == 0:
            return
        role = counter_role(entry_type)
        if role is not None:
            self.gl.append(GlLine(GlRole.PARTY, amount_lcy, entry_no))
            if amount_lcy != vat_lcy:
                self.gl.append(GlLine(role, vat_lcy - amount_lcy, entry_no))
            if vat_lcy != 0:
                self.gl.append(GlLine(GlRole.VAT, -vat_lcy, entry_no))
        elif party_line:
            self.gl.append(GlLine(GlRole.PARTY, amount_lcy, entry_no))

    def note(
        self,
        code: NoteCode,
        message: str,
        entry_no: int | None = None,
        amount: Decimal | None = None,
        currency_code: str = "",
    ) -> None:
        self.notes.append(Note(code, message, entry_no, amount, currency_code))

    def clear_discount_of_closed(self) -> None:
        """A closed entry keeps no possible discount: record that on its last detailed entry,
        so an unapply gives it back."""
        for entry_no, working in self.working.items():
            if working.remaining != 0 or working.disc_possible == 0:
                continue
            for index in range(len(self.detailed) - 1, -1, -1):
                line = self.detailed[index]
                if line.entry_no == entry_no:
                    delta = line.pmt_disc_possible_delta - working.disc_possible
                    self.detailed[index] = replace(line, pmt_disc_possible_delta=delta)
                    working.disc_possible = ZERO
                    break

    def result(self) -> ApplicationResult:
        """Freeze everything recorded into an ApplicationResult (entries with detailed entries)."""
        touched = {line.entry_no for line in self.detailed}
        updates = tuple(
            EntryUpdate(
                entry_no=entry_no,
                remaining_amount=working.remaining,
                remaining_amount_lcy=working.remaining_lcy,
                remaining_pmt_disc_possible=working.disc_possible,
                unrealized_lcy=working.unrealized,
                open=working.remaining != 0,
            )
            for entry_no, working in self.working.items()
            if entry_no in touched
        )
        return ApplicationResult(
            application_id=self.application_id,
            detailed=tuple(self.detailed),
            gl=tuple(self.gl),
            entries=updates,
            notes=tuple(self.notes),
        )
