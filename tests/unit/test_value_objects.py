"""The per-line value objects stay values: equal and hashable by content, slotted, copied
with dataclasses.replace."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from domain.application.model import DocumentType, LedgerEntryState
from domain.immutable import immutable


@immutable
class _Point:
    x: int
    y: Decimal = Decimal(0)


def test_immutable_classes_are_slotted_values() -> None:
    a, b = _Point(1, Decimal("2.50")), _Point(1, Decimal("2.5"))
    assert a == b
    assert hash(a) == hash(b)
    assert {a, b} == {a}
    assert not hasattr(a, "__dict__")
    assert dataclasses.replace(a, x=2) == _Point(2, Decimal("2.5"))
    assert a.x == 1  # replace copies
    with pytest.raises(TypeError):
        _Point()  # type: ignore[call-arg]


def test_ledger_entry_state_is_a_hashable_value() -> None:
    def state(remaining: str) -> LedgerEntryState:
        return LedgerEntryState(
            entry_no=1,
            party_no="C1",
            document_type=DocumentType.INVOICE,
            document_no="I1",
            posting_date=date(2026, 1, 1),
            due_date=date(2026, 1, 31),
            amount=Decimal(100),
            remaining_amount=Decimal(remaining),
            amount_lcy=Decimal(100),
            remaining_amount_lcy=Decimal(remaining),
        )

    assert state("100") == state("100.00")
    assert len({state("100"), state("100.00"), state("40")}) == 2
