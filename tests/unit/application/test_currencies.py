"""Foreign-currency applications: realized gains and losses with and without prior unrealized
ones (domain.md example), proportional shares on partial payments, cross-currency rules,
application rounding and the exchange-rate adjustment."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from domain.application import (
    ApplicationSetup,
    ApplnBetweenCurrencies,
    ApplyTarget,
    DetailedEntryType,
    DocumentType,
    GlRole,
    adjust_exchange_rates,
    apply,
)
from domain.errors import DomainError, ErrorCode
from tests.unit.application.builders import (
    SIDE_IDS,
    SIDES,
    D,
    check_invariants,
    entry,
    gl_of,
    lcy_of,
    update_of,
)

DAY = date(2026, 3, 17)
SETUP = ApplicationSetup()
T = DetailedEntryType


def _usd_invoice(side: int, amount: int = 1000, unrealized: str = "0"):
    return entry(
        1, DocumentType.INVOICE, side * amount, currency="USD", rate="1.123", unrealized=unrealized
    )


@pytest.mark.parametrize("side", SIDES, ids=SIDE_IDS)
def test_domain_example_reverses_unrealized_gain_and_posts_realized_loss(side: int) -> None:
    invoice = _usd_invoice(side, unrealized=str(side * 2))  # adjusted at 1.125: +2
    payment = entry(
        2, DocumentType.PAYMENT, -side * 1000, currency="USD", rate="1.120", posting_date=DAY
    )
    result = apply(payment, [ApplyTarget(invoice)], SETUP, DAY, application_id=1)
    check_invariants([invoice, payment], result)
    unrealized_type = T.UNREALIZED_GAIN if side > 0 else T.UNREALIZED_LOSS
    realized_type = T.REALIZED_LOSS if side > 0 else T.REALIZED_GAIN
    assert lcy_of(result, 1, unrealized_type) == -side * 2
    assert lcy_of(result, 1, realized_type) == -side * 3
    assert lcy_of(result, 1, T.APPLICATION) == -side * D("1120")
    assert gl_of(result, GlRole(realized_type.value)) == side * 3
    assert gl_of(result, GlRole(unrealized_type.value)) == side * 2
    assert all(not u.open and u.remaining_amount_lcy == 0 for u in result.entries)


@pytest.mark.parametrize("side", SIDES, ids=SIDE_IDS)
@pytest.mark.parametrize(
    ("pay_rate", "expected_type", "expected"),
    [
        pytest.param("1.130", T.REALIZED_GAIN, "7", id="rate-up-gain"),
        pytest.param("1.120", T.REALIZED_LOSS, "-3", id="rate-down-loss"),
        pytest.param("1.123", None, "0", id="same-rate-nothing"),
    ],
)
def test_realized_result_without_prior_unrealized(
    side: int, pay_rate: str, expected_type: DetailedEntryType | None, expected: str
) -> None:
    invoice = _usd_invoice(side)
    payment = entry(
        2, DocumentType.PAYMENT, -side * 1000, currency="USD", rate=pay_rate, posting_date=DAY
    )
    result = apply(payment, [ApplyTarget(invoice)], SETUP, DAY, application_id=1)
    check_invariants([invoice, payment], result)
    realized = lcy_of(result, 1, T.REALIZED_GAIN) + lcy_of(result, 1, T.REALIZED_LOSS)
    if expected_type is not None and side < 0:
        expected_type = T.REALIZED_LOSS if expected_type is T.REALIZED_GAIN else T.REALIZED_GAIN
    assert realized == side * D(expected)
    if expected_type is not None:
        assert lcy_of(result, 1, expected_type) == side * D(expected)


@pytest.mark.parametrize("side", SIDES, ids=SIDE_IDS)
def test_partial_payment_takes_the_proportional_share_of_unrealized_and_realized(
    side: int,
) -> None:
    invoice = _usd_invoice(side, unrealized=str(side * 2))
    payment = entry(
        2, DocumentType.PAYMENT, -side * 400, currency="USD", rate="1.120", posting_date=DAY
    )
    result = apply(payment, [ApplyTarget(invoice)], SETUP, DAY, application_id=1)
    check_invariants([invoice, payment], result)
    assert lcy_of(result, 1, T.UNREALIZED_GAIN) + lcy_of(result, 1, T.UNREALIZED_LOSS) == (
        -side * D("0.80")
    )
    realized = lcy_of(result, 1, T.REALIZED_GAIN) + lcy_of(result, 1, T.REALIZED_LOSS)
    assert realized == -side * D("1.20")
    update = update_of(result, 1)
    assert update.remaining_amount == side * 600
    assert update.remaining_amount_lcy == side * D("675.00")  # 600 at the adjusted 1.125
    assert update.unrealized_lcy == side * D("1.20")


def test_discount_in_foreign_currency_is_valued_at_the_payment_rate() -> None:
    invoice = entry(
        1,
        DocumentType.INVOICE,
        1000,
        currency="USD",
        rate="1.123",
        discount="20",
        discount_date=DAY,
    )
    payment = entry(2, DocumentType.PAYMENT, -980, currency="USD", rate="1.12", posting_date=DAY)
    result = apply(payment, [ApplyTarget(invoice)], SETUP, DAY, application_id=1)
    check_invariants([invoice, payment], result)
    assert lcy_of(result, 1, T.PAYMENT_DISCOUNT) == D("-22.40")
    assert lcy_of(result, 1, T.REALIZED_LOSS) == D("-3.00")


def _cross(setup: ApplicationSetup):
    invoice = entry(1, DocumentType.INVOICE, 100, currency="GBP", rate="1.19")
    payment = entry(
        2, DocumentType.PAYMENT, "-109.09", currency="USD", rate="1.1", posting_date=DAY
    )
    rates = {"GBP": D("1.2"), "USD": D("1.1")}
    return (
        invoice,
        payment,
        apply(payment, [ApplyTarget(invoice)], setup, DAY, rates, application_id=1),
    )


def test_cross_currency_is_refused_when_the_setup_says_none() -> None:
    with pytest.raises(DomainError) as caught:
        _cross(ApplicationSetup(appln_between_currencies=ApplnBetweenCurrencies.NONE))
    assert caught.value.code is ErrorCode.CURRENCY_NOT_ALLOWED
    assert caught.value.field == ["applyTo", "0", "entryNo"]


def test_cross_currency_outside_emu_is_refused_under_emu() -> None:
    setup = ApplicationSetup(
        appln_between_currencies=ApplnBetweenCurrencies.EMU, emu_currencies=frozenset({"DEM"})
    )
    with pytest.raises(DomainError) as caught:
        _cross(setup)
    assert caught.value.code is ErrorCode.CURRENCY_NOT_ALLOWED


def test_emu_currency_applies_to_an_lcy_payment_under_emu() -> None:
    setup = ApplicationSetup(
        appln_between_currencies=ApplnBetweenCurrencies.EMU, emu_currencies=frozenset({"DEM"})
    )
    invoice = entry(1, DocumentType.INVOICE, "195.583", currency="DEM", rate="0.511292")
    payment = entry(2, DocumentType.PAYMENT, -100, posting_date=DAY)
    rates = {"DEM": D("0.511292")}
    result = apply(payment, [ApplyTarget(invoice)], setup, DAY, rates, application_id=1)
    check_invariants([invoice, payment], result)
    assert all(not u.open for u in result.entries)


def test_cross_currency_converts_through_lcy_and_realizes_the_difference() -> None:
    setup = ApplicationSetup(appln_between_currencies=ApplnBetweenCurrencies.ALL)
    invoice, payment, result = _cross(setup)
    check_invariants([invoice, payment], result)
    assert update_of(result, 1).remaining_amount == 0  # 109.09 USD = 100.00 GBP at 1.2/1.1
    assert update_of(result, 2).remaining_amount == 0
    # the payment's 120.00 LCY closes an invoice booked at 119.00 LCY: +1.00 gain
    assert lcy_of(result, 1, T.REALIZED_GAIN) == D("1.00")


def test_cross_currency_needs_the_posting_date_rates() -> None:
    setup = ApplicationSetup(appln_between_currencies=ApplnBetweenCurrencies.ALL)
    invoice = entry(1, DocumentType.INVOICE, 100, currency="GBP", rate="1.19")
    payment = entry(2, DocumentType.PAYMENT, -120, posting_date=DAY)
    with pytest.raises(DomainError) as caught:
        apply(payment, [ApplyTarget(invoice)], setup, DAY, {}, application_id=1)
    assert caught.value.code is ErrorCode.NO_EXCHANGE_RATE


@pytest.mark.parametrize(
    ("precision", "closes"),
    [pytest.param("0.05", True, id="below-precision-rounds"), pytest.param("0", False, id="off")],
)
def test_tiny_cross_currency_leftover_is_closed_as_appln_rounding(
    precision: str, closes: bool
) -> None:
    setup = ApplicationSetup(
        appln_between_currencies=ApplnBetweenCurrencies.ALL, appln_rounding_precision=D(precision)
    )
    invoice = entry(1, DocumentType.INVOICE, 100, currency="GBP", rate="1.2")
    payment = entry(
        2, DocumentType.PAYMENT, "-109.08", currency="USD", rate="1.1", posting_date=DAY
    )
    rates = {"GBP": D("1.2"), "USD": D("1.1")}
    result = apply(payment, [ApplyTarget(invoice)], setup, DAY, rates, application_id=1)
    check_invariants([invoice, payment], result)
    rounding = [d for d in result.detailed if d.entry_type is T.APPLN_ROUNDING]
    assert update_of(result, 1).open is not closes
    assert bool(rounding) is closes
    if closes:
        assert rounding[0].amount == D("-0.01")
        assert gl_of(result, GlRole.APPLN_ROUNDING) == -rounding[0].amount_lcy


@pytest.mark.parametrize("side", SIDES, ids=SIDE_IDS)
def test_adjusting_exchange_rates_posts_unrealized_and_is_idempotent(side: int) -> None:
    invoice = _usd_invoice(side)
    lcy_entry = entry(2, DocumentType.INVOICE, side * 50)
    result = adjust_exchange_rates(
        [invoice, lcy_entry], {"USD": D("1.125")}, DAY, SETUP, application_id=5
    )
    check_invariants([invoice, lcy_entry], result)
    expected_type = T.UNREALIZED_GAIN if side > 0 else T.UNREALIZED_LOSS
    assert [(d.entry_no, d.entry_type, d.amount, d.amount_lcy) for d in result.detailed] == [
        (1, expected_type, D(0), side * D(2))
    ]
    update = update_of(result, 1)
    adjusted = replace(
        invoice,
        remaining_amount_lcy=update.remaining_amount_lcy,
        unrealized_lcy=update.unrealized_lcy,
    )
    again = adjust_exchange_rates([adjusted], {"USD": D("1.125")}, DAY, SETUP, application_id=6)
    assert again.detailed == ()
    assert again.gl == ()


def test_adjusting_without_a_rate_for_an_open_currency_fails() -> None:
    with pytest.raises(DomainError) as caught:
        adjust_exchange_rates([_usd_invoice(1)], {}, DAY, SETUP, application_id=1)
    assert caught.value.code is ErrorCode.NO_EXCHANGE_RATE
