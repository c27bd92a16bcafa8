"""Purchase item lines: the direct unit cost priced like a sales unit price, the cost in LCY."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.errors import DomainError, ErrorCode
from domain.items import ItemLine, amount_lcy, line_amount

D = Decimal
CENT = D("0.01")


@pytest.mark.parametrize(
    ("amount", "rate", "precision", "expected"),
    [
        pytest.param("100.00", "1", CENT, "100.00", id="lcy-unchanged"),
        pytest.param("100.00", "1.1", CENT, "110.00", id="foreign-currency"),
        pytest.param("33.33", "0.915", CENT, "30.50", id="rounded-half-away-30.49695"),
        pytest.param("0.05", "0.5", CENT, "0.03", id="half-cent-away-from-zero"),
        pytest.param("10.00", "1.23456", D("1"), "12", id="whole-unit-lcy"),
    ],
)
def test_amount_lcy_rounds_like_the_gl_line(amount, rate, precision, expected):
    assert amount_lcy(D(amount), D(rate), precision) == D(expected)


@pytest.mark.parametrize(
    ("quantity", "cost", "discount", "expected"),
    [
        pytest.param("10", "10.00", "0", "100.00", id="bc-10-at-10"),
        pytest.param("4", "50.00", "10", "180.00", id="line-discount"),
        pytest.param("3", "3.335", "0", "10.01", id="rounded-to-currency"),
    ],
)
def test_purchase_line_amount_is_quantity_times_direct_unit_cost(
    quantity, cost, discount, expected
):
    line = ItemLine("W", D(quantity), D(cost), D(discount), D(0))
    assert line_amount(line, CENT, ["l"], price_field="directUnitCost") == D(expected)


@pytest.mark.parametrize(
    ("cost", "discount"),
    [
        pytest.param("-1.00", "0", id="negative-cost"),
        pytest.param("0.00", "0", id="zero-amount"),
        pytest.param("10.00", "100", id="fully-discounted"),
    ],
)
def test_purchase_line_errors_name_the_direct_unit_cost(cost, discount):
    line = ItemLine("W", D(1), D(cost), D(discount), D(0))
    with pytest.raises(DomainError) as caught:
        line_amount(line, CENT, ["l"], price_field="directUnitCost")
    assert (caught.value.code, caught.value.field) == (
        ErrorCode.INVALID_AMOUNT,
        ["l", "directUnitCost"],
    )
