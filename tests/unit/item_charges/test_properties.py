"""Properties every suggested assignment keeps, whatever the lines and the charge."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from domain.item_charges import AssignmentLine, AssignmentMethod, suggest_assignment

PRECISIONS = st.sampled_from([Decimal("0.01"), Decimal("0.05"), Decimal(1)])
MEASURE = st.decimals(min_value=0, max_value=10_000, places=3)


@st.composite
def lines(draw: st.DrawFn) -> list[AssignmentLine]:
    keys = draw(st.lists(st.text(min_size=1, max_size=4), min_size=1, max_size=40, unique=True))
    return [
        AssignmentLine(
            key=key,
            quantity=draw(MEASURE),
            amount=draw(MEASURE),
            gross_weight=draw(MEASURE),
            unit_volume=draw(MEASURE),
        )
        for key in keys
    ]


@st.composite
def charges(draw: st.DrawFn) -> tuple[Decimal, Decimal]:
    precision = draw(PRECISIONS)
    units = draw(st.integers(min_value=-10_000_000, max_value=10_000_000))
    return units * precision, precision


def method_weight(method: AssignmentMethod, line: AssignmentLine) -> Fraction:
    if method is AssignmentMethod.EQUALLY:
        return Fraction(1)
    if method is AssignmentMethod.BY_AMOUNT:
        return Fraction(line.amount)
    if method is AssignmentMethod.BY_WEIGHT:
        return Fraction(line.quantity) * Fraction(line.gross_weight)
    return Fraction(line.quantity) * Fraction(line.unit_volume)


AUTOMATIC = st.sampled_from(
    [
        AssignmentMethod.EQUALLY,
        AssignmentMethod.BY_AMOUNT,
        AssignmentMethod.BY_WEIGHT,
        AssignmentMethod.BY_VOLUME,
    ]
)


def has_weight(method: AssignmentMethod, ls: list[AssignmentLine]) -> bool:
    return sum(method_weight(method, ln) for ln in ls) > 0


@settings(deadline=None, max_examples=200)
@given(charge=charges(), method=AUTOMATIC, ls=lines())
def test_assigned_amounts_sum_exactly_to_the_charge_and_stay_near_their_share(charge, method, ls):
    amount, precision = charge
    assume(has_weight(method, ls))
    result = suggest_assignment(amount, method, ls, precision=precision)
    assert sum(a.amount_to_assign for a in result) == amount
    assert sum(a.qty_to_assign for a in result) == 1
    total_weight = sum(method_weight(method, ln) for ln in ls)
    for assigned, ln in zip(result, ls, strict=True):
        share = Fraction(amount) * method_weight(method, ln) / total_weight
        assert abs(Fraction(assigned.amount_to_assign) - share) < Fraction(precision)
        assert assigned.amount_to_assign % precision == 0


@settings(deadline=None, max_examples=200)
@given(charge=charges(), method=AUTOMATIC, ls=lines())
def test_order_of_keys_is_preserved(charge, method, ls):
    amount, precision = charge
    assume(has_weight(method, ls))
    result = suggest_assignment(amount, method, ls, precision=precision)
    assert [a.key for a in result] == [ln.key for ln in ls]


@settings(deadline=None, max_examples=100)
@given(charge=charges(), method=AUTOMATIC, ls=lines())
def test_a_reversal_is_the_mirror_image_of_the_charge(charge, method, ls):
    amount, precision = charge
    assume(has_weight(method, ls))
    forward = suggest_assignment(amount, method, ls, precision=precision)
    backward = suggest_assignment(-amount, method, ls, precision=precision)
    assert [a.amount_to_assign for a in backward] == [-a.amount_to_assign for a in forward]
    assert [a.qty_to_assign for a in backward] == [a.qty_to_assign for a in forward]


@settings(deadline=None, max_examples=100)
@given(
    charge=charges(),
    quantities=st.lists(st.integers(min_value=0, max_value=500), min_size=1, max_size=20),
)
def test_manual_quantities_come_back_unchanged_and_amounts_still_sum(charge, quantities):
    amount, precision = charge
    assume(sum(quantities) > 0)
    ls = [
        AssignmentLine(
            key=f"L{i}",
            quantity=Decimal(1),
            amount=Decimal(0),
            qty_to_assign=Decimal(q) / 100,
        )
        for i, q in enumerate(quantities)
    ]
    charge_quantity = Decimal(sum(quantities)) / 100
    result = suggest_assignment(
        amount, AssignmentMethod.MANUAL, ls, precision=precision, charge_quantity=charge_quantity
    )
    assert [a.qty_to_assign for a in result] == [ln.qty_to_assign for ln in ls]
    assert sum(a.amount_to_assign for a in result) == amount
    for assigned, q in zip(result, quantities, strict=True):
        share = Fraction(amount) * q / sum(quantities)
        assert abs(Fraction(assigned.amount_to_assign) - share) < Fraction(precision)
