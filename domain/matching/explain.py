"""A reviewer accepts a suggestion only when it says why, in words an accountant uses: which
BC rule, which fields matched, and sentences about IBAN, names, documents and amounts."""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from domain.matching.assign import Allocation
from domain.matching.candidates import DocumentHit, discount_cents
from domain.matching.model import Explanation, MatchLine, TextMapping
from domain.matching.rules import TEXT_MAPPING_SCORE, AmountMatch, PartyMatch
from domain.matching.scoring import Candidate, PartyEvidence


def money(cents: int) -> str:
    """1000.00 -> '1,000.00' (absolute value; the sign is in the sentence)."""
    return f"{Decimal(abs(cents)).scaleb(-2):,.2f}"


class LineProbe(NamedTuple):
    """What was looked up for a line, to explain a line that got nothing."""

    line: MatchLine
    tolerance_cents: int
    mappings_tried: int
    iban: str
    iban_parties: int
    name_parties: int
    documents: int
    same_amount: int
    candidates: tuple[Candidate, ...]


def explain_mapping(line: MatchLine, mapping: TextMapping) -> Explanation:
    label = f" ({mapping.description})" if mapping.description else ""
    return Explanation(
        rule=f"text-to-account mapping '{mapping.mapping_text}' → G/L account "
        f"{mapping.gl_account_no} (score {TEXT_MAPPING_SCORE}, above any entry match)",
        matched_fields=("description",),
        notes=(
            f"'{mapping.mapping_text}' found in the text: post the whole line to G/L account "
            f"{mapping.gl_account_no}{label}",
        ),
    )


def explain_allocation(allocation: Allocation) -> Explanation:
    candidate = allocation.candidate
    entry = candidate.entries[allocation.position]
    fields: list[str] = []
    notes: list[str] = []
    _party_notes(candidate.party, candidate.line, fields, notes)
    for hit in candidate.documents:
        if hit.entry.key == entry.key or len(candidate.entries) > 1:
            _document_note(hit, fields, notes)
    if len(candidate.entries) > 1:
        names = ", ".join(e.document_no for e in candidate.entries)
        total = sum(candidate.close_cents)
        notes.append(
            f"one payment for {len(candidate.entries)} documents: {names} "
            f"(total {money(total)}, line {money(candidate.window.magnitude)})"
        )
        if candidate.amount is not AmountMatch.NO_MATCHES:
            fields.append("amount")
    else:
        _amount_notes(candidate, fields, notes)
    _application_notes(allocation, notes)
    return Explanation(
        rule=candidate.rule.describe(),
        matched_fields=tuple(dict.fromkeys(fields)),
        notes=tuple(notes),
    )


def explain_nothing(probe: LineProbe, taken: bool) -> Explanation:
    """A NONE suggestion: say what was tried and why nothing came of it."""
    line = probe.line
    notes: list[str] = []
    if line.amount == 0:
        notes.append("the line amount is zero: nothing to apply")
        return Explanation("no rule matched", (), tuple(notes))
    if probe.mappings_tried:
        notes.append(f"no text-to-account mapping is in the text ({probe.mappings_tried} tried)")
    if not probe.iban:
        notes.append("the line has no counterparty IBAN")
    elif not probe.iban_parties:
        notes.append(f"IBAN {probe.iban} is not on any customer's or vendor's bank accounts")
    if not line.counterparty_name:
        notes.append("the line has no counterparty name")
    elif not probe.iban_parties and not probe.name_parties:
        notes.append(f"no customer or vendor name is similar to '{line.counterparty_name}'")
    if not probe.documents:
        notes.append("no open entry's document no. or external document no. is in the text")
    window = f" (± {money(probe.tolerance_cents)})" if probe.tolerance_cents else ""
    direction = "incoming" if line.amount > 0 else "outgoing"
    if not probe.same_amount:
        notes.append(
            f"no open entry that an {direction} payment can settle has the amount "
            f"{money(int(line.amount.scaleb(2)))} {line.currency_code}{window}"
        )
    if taken:
        docs = ", ".join(sorted({e.document_no for c in probe.candidates for e in c.entries}))
        notes.append(f"its candidates ({docs}) were applied to lines with a higher score")
    elif probe.candidates:
        notes.append("the candidates found do not reach any BC rule")
    return Explanation("no rule matched", (), tuple(notes))


def _party_notes(
    evidence: PartyEvidence, line: MatchLine, fields: list[str], notes: list[str]
) -> None:
    party = evidence.party
    who = f"{party.ledger.word} {party.party_no}"
    if evidence.signal is PartyMatch.FULLY:
        fields.append("counterpartyIban")
        notes.append(f"IBAN {evidence.iban} is on {who}'s bank accounts")
    elif evidence.signal is PartyMatch.PARTIALLY:
        fields.append("counterpartyName")
        notes.append(
            f"name similarity {evidence.similarity:.0f} % between '{line.counterparty_name}' "
            f"and {who} '{party.name}'"
        )
    elif line.counterparty_name or line.counterparty_iban:
        notes.append(f"the counterparty does not identify {who} (neither IBAN nor name)")


def _document_note(hit: DocumentHit, fields: list[str], notes: list[str]) -> None:
    fields.append(hit.field)
    label = "" if hit.field == "documentNo" else "external document no. "
    notes.append(f"{label}{hit.value} found in remittance text")


def _amount_notes(candidate: Candidate, fields: list[str], notes: list[str]) -> None:
    entry = candidate.entries[0]
    line_cents = candidate.window.magnitude
    hit = candidate.amount_hit
    if hit is None:
        full = money(int(entry.remaining_amount.scaleb(2)))
        notes.append(f"amount {money(line_cents)} does not match remaining {full}")
        return
    fields.append("amount")
    if hit.discounted:
        discount = discount_cents(entry)
        what = (
            f"remaining {money(hit.cents + discount)} less payment discount "
            f"{money(discount)} (until {entry.pmt_discount_date})"
        )
    else:
        what = f"remaining {money(hit.cents)}"
    if line_cents == abs(hit.cents):
        sentence = f"amount {money(line_cents)} equals {what}"
    else:
        sentence = (
            f"amount {money(line_cents)} is within tolerance "
            f"{money(candidate.window.tolerance)} of {what}"
        )
    if candidate.amount is AmountMatch.MULTIPLE_MATCHES:
        others = candidate.same_amount_count - 1
        sentence += f"; {others} other open {'entry has' if others == 1 else 'entries have'} it"
    notes.append(sentence)


def _application_notes(allocation: Allocation, notes: list[str]) -> None:
    candidate = allocation.candidate
    entry = candidate.entries[allocation.position]
    for line_id, cents in allocation.taken_before:
        notes.append(f"line {line_id} already applied {money(cents)} to {entry.document_no}")
    if allocation.taken_before:
        notes.append(f"takes the {money(allocation.entry_left_before)} left")
    if candidate.with_discount[allocation.position] and allocation.closes_entry:
        discount = allocation.consumed - allocation.cents
        if discount:
            notes.append(f"closes {entry.document_no} with a payment discount of {money(discount)}")
    left = allocation.entry_left_before - allocation.consumed
    if left:
        notes.append(
            f"applies {money(allocation.cents)}; {money(left)} of {entry.document_no} stays open"
        )
