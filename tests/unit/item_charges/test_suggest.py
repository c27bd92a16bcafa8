"""Worked examples of splitting an item charge over shipment and receipt lines."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.errors import DomainError, ErrorCode
from domain.item_charges import (
    Assigned,
    AssignmentLine,
    AssignmentMethod,
    suggest_assignment,
)

D = Decimal


def line(
    key: str,
    quantity: str = "1",
    amount: str = "0",
    weight: str = "0",
    volume: str = "0",
    qty_to_assign: str | None = None,
) -> AssignmentLine:
    return AssignmentLine(
        key=key,
        quantity=D(quantity),
        amount=D(amount),
        gross_weight=D(weight),
        unit_volume=D(volume),
        qty_to_assign=None if qty_to_assign is None else D(qty_to_assign),
    )


def amounts(result: tuple[Assigned, ...]) -> list[str]:
    return [str(a.amount_to_assign) for a in result]


@pytest.mark.parametrize(
    ("charge", "method", "lines", "expected"),
    [
        pytest.param(
            "100.00",
            AssignmentMethod.EQUALLY,
            [line("A"), line("B"), line("C")],
            ["33.33", "33.33", "33.34"],
            id="equally-100-over-3-remainder-on-last",
        ),
        pytest.param(
            "200.00",
            AssignmentMethod.EQUALLY,
            [line("A", "7"), line("B", "1")],
            ["100.00", "100.00"],
            id="equally-ignores-quantities",
        ),
        pytest.param(
            "10.00",
            AssignmentMethod.BY_AMOUNT,
            [line("A", amount="100"), line("B", amount="200"), line("C", amount="400")],
            ["1.43", "2.86", "5.71"],
            id="by-amount-1-2-4",
        ),
        pytest.param(
            "1.00",
            AssignmentMethod.BY_AMOUNT,
            [line("A", amount="2"), line("B", amount="1")],
            ["0.67", "0.33"],
            id="by-amount-rounds-half-away-not-down",
        ),
        pytest.param(
            "90.00",
            AssignmentMethod.BY_WEIGHT,
            [line("A", "10", weight="2"), line("B", "5", weight="8"), line("C", "0", weight="9")],
            ["30.00", "60.00", "0.00"],
            id="by-weight-is-quantity-times-unit-weight",
        ),
        pytest.param(
            "50.00",
            AssignmentMethod.BY_WEIGHT,
            [line("A", "1", weight="1"), line("B", "1", weight="1"), line("C", "1", weight="1")],
            ["16.67", "16.67", "16.66"],
            id="by-weight-rounding-up-leaves-less-for-last",
        ),
        pytest.param(
            "100.00",
            AssignmentMethod.BY_VOLUME,
            [line("A", "4", volume="0.25"), line("B", "2", volume="1.5")],
            ["25.00", "75.00"],
            id="by-volume-is-quantity-times-unit-volume",
        ),
        pytest.param(
            "-100.00",
            AssignmentMethod.EQUALLY,
            [line("A"), line("B"), line("C")],
            ["-33.33", "-33.33", "-33.34"],
            id="credit-memo-reversal-mirrors-the-charge",
        ),
        pytest.param(
            "0.00",
            AssignmentMethod.BY_AMOUNT,
            [line("A", amount="5"), line("B", amount="7")],
            ["0.00", "0.00"],
            id="zero-charge-assigns-nothing",
        ),
    ],
)
def test_charge_is_split_by_method_with_remainder_on_last_line(charge, method, lines, expected):
    result = suggest_assignment(D(charge), method, lines)
    assert amounts(result) == expected
    assert [a.key for a in result] == [ln.key for ln in lines]
    assert sum(a.amount_to_assign for a in result) == D(charge)


def test_bc_example_freight_and_duty_land_on_the_single_receipt_line():
    receipt = [line("RCPT-1", "100", amount="1000", weight="1", volume="1")]
    freight = suggest_assignment(D("200.00"), AssignmentMethod.BY_WEIGHT, receipt)
    duty = suggest_assignment(D("100.00"), AssignmentMethod.BY_AMOUNT, receipt)
    assert freight[0].amount_to_assign == D("200.00")
    assert duty[0].amount_to_assign == D("100.00")
    assert freight[0].qty_to_assign == D(1)


def test_suggested_quantities_split_the_charge_quantity_like_the_amount():
    result = suggest_assignment(
        D("100.00"),
        AssignmentMethod.EQUALLY,
        [line("A"), line("B"), line("C")],
        charge_quantity=D(1),
    )
    assert [a.qty_to_assign for a in result] == [D("0.33333"), D("0.33333"), D("0.33334")]


def test_charge_of_several_units_spreads_its_quantity_by_amount():
    result = suggest_assignment(
        D("30.00"),
        AssignmentMethod.BY_AMOUNT,
        [line("A", amount="10"), line("B", amount="20")],
        charge_quantity=D(3),
    )
    assert [(a.qty_to_assign, a.amount_to_assign) for a in result] == [
        (D("1.00000"), D("10.00")),
        (D("2.00000"), D("20.00")),
    ]


def test_manual_assignment_uses_the_quantities_given():
    result = suggest_assignment(
        D("100.00"),
        AssignmentMethod.MANUAL,
        [line("A", qty_to_assign="1"), line("B", qty_to_assign="2"), line("C")],
        charge_quantity=D(3),
    )
    assert amounts(result) == ["33.33", "66.67", "0.00"]
    assert [a.qty_to_assign for a in result] == [D(1), D(2), D(0)]


def test_suggestion_ignores_quantities_typed_before_for_other_methods():
    result = suggest_assignment(
        D("10.00"),
        AssignmentMethod.EQUALLY,
        [line("A", qty_to_assign="1"), line("B", qty_to_assign="0")],
    )
    assert amounts(result) == ["5.00", "5.00"]


def test_precision_of_a_whole_unit_currency_is_respected():
    result = suggest_assignment(
        D("100"),
        AssignmentMethod.EQUALLY,
        [line("A"), line("B"), line("C")],
        precision=D(1),
    )
    assert amounts(result) == ["33", "33", "34"]


def test_many_small_shares_never_pile_their_rounding_onto_the_last_line():
    lines = [line(f"L{i}") for i in range(30)]
    result = suggest_assignment(D("0.10"), AssignmentMethod.EQUALLY, lines)
    assert sum(a.amount_to_assign for a in result) == D("0.10")
    assert all(abs(a.amount_to_assign - D("0.10") / 30) < D("0.01") for a in result)
    # rounding each line alone would give 0.00 to 29 lines and the whole 0.10 to the last
    assert result[-1].amount_to_assign == D("0.01")


def test_method_may_be_given_by_its_name():
    result = suggest_assignment(D("4.00"), "EQUALLY", [line("A"), line("B")])  # type: ignore[arg-type]
    assert amounts(result) == ["2.00", "2.00"]


@pytest.mark.parametrize(
    ("charge", "method", "lines", "kwargs", "field", "words"),
    [
        pytest.param(
            "10.00",
            AssignmentMethod.EQUALLY,
            [],
            {},
            ["lines"],
            "at least one",
            id="no-lines",
        ),
        pytest.param(
            "10.00",
            AssignmentMethod.EQUALLY,
            [line("A"), line("A")],
            {},
            ["lines", "1", "key"],
            "twice",
            id="duplicate-keys",
        ),
        pytest.param(
            "10.00",
            AssignmentMethod.BY_WEIGHT,
            [line("A", "5"), line("B", "0", weight="3")],
            {},
            ["lines"],
            "gross weight",
            id="zero-total-weight",
        ),
        pytest.param(
            "10.00",
            AssignmentMethod.BY_VOLUME,
            [line("A", "5", weight="1")],
            {},
            ["lines"],
            "volume",
            id="zero-total-volume",
        ),
        pytest.param(
            "10.00",
            AssignmentMethod.BY_AMOUNT,
            [line("A", "5"), line("B", "2")],
            {},
            ["lines"],
            "amount",
            id="zero-total-amount",
        ),
        pytest.param(
            "10.00",
            AssignmentMethod.EQUALLY,
            [line("A", "-1")],
            {},
            ["lines", "0", "quantity"],
            "negative",
            id="negative-quantity",
        ),
        pytest.param(
            "10.00",
            AssignmentMethod.BY_WEIGHT,
            [line("A", weight="1"), line("B", weight="-1")],
            {},
            ["lines", "1", "grossWeight"],
            "negative",
            id="negative-gross-weight",
        ),
        pytest.param(
            "10.00",
            AssignmentMethod.MANUAL,
            [line("A", qty_to_assign="2"), line("B", qty_to_assign="-1")],
            {},
            ["lines", "1", "qtyToAssign"],
            "negative",
            id="negative-qty-to-assign",
        ),
        pytest.param(
            "10.005",
            AssignmentMethod.EQUALLY,
            [line("A")],
            {},
            ["chargeAmount"],
            "more decimals",
            id="charge-with-more-decimals-than-precision",
        ),
        pytest.param(
            "10.02",
            AssignmentMethod.EQUALLY,
            [line("A")],
            {"precision": D("0.05")},
            ["chargeAmount"],
            "0.05",
            id="charge-not-a-multiple-of-a-0.05-precision",
        ),
        pytest.param(
            "10.00",
            AssignmentMethod.MANUAL,
            [line("A", qty_to_assign="0.5"), line("B", qty_to_assign="0.4")],
            {},
            ["lines"],
            "sum to 0.9 but the charge quantity is 1",
            id="manual-quantities-short-of-the-charge",
        ),
        pytest.param(
            "10.00",
            AssignmentMethod.MANUAL,
            [line("A", qty_to_assign="1"), line("B", qty_to_assign="1")],
            {"charge_quantity": D(1)},
            ["lines"],
            "sum to 2 but the charge quantity is 1",
            id="manual-quantities-over-the-charge",
        ),
        pytest.param(
            "10.00",
            AssignmentMethod.EQUALLY,
            [line("A")],
            {"charge_quantity": D(0)},
            ["chargeQuantity"],
            "positive",
            id="zero-charge-quantity",
        ),
        pytest.param(
            "10.00",
            AssignmentMethod.EQUALLY,
            [line("A")],
            {"precision": D(0)},
            ["precision"],
            "positive",
            id="zero-precision",
        ),
        pytest.param(
            "10.00",
            "BY_COLOUR",
            [line("A")],
            {},
            ["method"],
            "BY_COLOUR",
            id="unknown-method",
        ),
    ],
)
def test_invalid_assignment_is_refused_naming_the_field(
    charge, method, lines, kwargs, field, words
):
    with pytest.raises(DomainError) as caught:
        suggest_assignment(D(charge), method, lines, **kwargs)
    assert caught.value.code is ErrorCode.INVALID_ASSIGNMENT
    assert caught.value.field == field
    assert words in caught.value.message
