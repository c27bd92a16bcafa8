"""The adjusted unit cost of a shipment/receipt line after its charges are assigned."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.errors import DomainError, ErrorCode
from domain.item_charges import unit_cost_after

D = Decimal


@pytest.mark.parametrize(
    ("quantity", "unit_cost", "charges", "expected"),
    [
        pytest.param("100", "10", ["200", "100"], "13", id="bc-100-at-10-freight-200-duty-100"),
        pytest.param("100", "10", [], "10", id="no-charge-keeps-the-cost"),
        pytest.param("100", "10", ["200", "-200"], "10", id="credit-memo-reverses-the-freight"),
        pytest.param("3", "1", ["1"], "1.33333", id="rounded-to-unit-amount-precision"),
        pytest.param("3", "1", ["2"], "1.66667", id="rounded-half-away-from-zero"),
    ],
)
def test_unit_cost_after_adds_assigned_charges_per_unit(quantity, unit_cost, charges, expected):
    result = unit_cost_after(D(quantity), D(unit_cost), [D(c) for c in charges])
    assert result == D(expected)


def test_unit_cost_precision_can_be_chosen():
    assert unit_cost_after(D(3), D(1), [D(1)], precision=D("0.01")) == D("1.33")


@pytest.mark.parametrize(
    ("quantity", "unit_cost", "field"),
    [
        pytest.param("0", "10", ["quantity"], id="zero-quantity"),
        pytest.param("-5", "10", ["quantity"], id="negative-quantity"),
        pytest.param("5", "-1", ["unitCost"], id="negative-unit-cost"),
    ],
)
def test_unit_cost_needs_a_positive_quantity_and_a_cost(quantity, unit_cost, field):
    with pytest.raises(DomainError) as caught:
        unit_cost_after(D(quantity), D(unit_cost), [D(1)])
    assert caught.value.code is ErrorCode.INVALID_ASSIGNMENT
    assert caught.value.field == field
