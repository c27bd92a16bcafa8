"""Inputs that cannot be applied are refused with a code and the input path, and BC's two
warnings become errors until the user answers them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from domain.application import (
    ApplicationMethod,
    ApplicationSetup,
    ApplyTarget,
    DetailedEntryType,
    DocumentType,
    NoteCode,
    apply,
)
from domain.errors import DomainError, ErrorCode
from tests.unit.application.builders import D, amount_of, entry, remaining

DAY = date(2026, 3, 17)
SETUP = ApplicationSetup()
INVOICE = entry(1, DocumentType.INVOICE, 100)
PAYMENT = entry(9, DocumentType.PAYMENT, -100, posting_date=DAY)


def _closed(entry_no: int, document_type: DocumentType, amount: int):
    return replace(
        entry(entry_no, document_type, amount, posting_date=DAY),
        remaining_amount=D(0),
        remaining_amount_lcy=D(0),
        open=False,
    )


CASES = [
    pytest.param(
        _closed(9, DocumentType.PAYMENT, -100),
        [ApplyTarget(INVOICE)],
        ApplicationMethod.APPLIES_TO_ID,
        ErrorCode.ENTRY_CLOSED,
        ["entryNo"],
        id="applying-entry-closed",
    ),
    pytest.param(
        PAYMENT,
        [],
        ApplicationMethod.APPLIES_TO_ID,
        ErrorCode.NOTHING_TO_APPLY,
        ["applyTo"],
        id="no-targets",
    ),
    pytest.param(
        PAYMENT,
        [ApplyTarget(INVOICE), ApplyTarget(_closed(2, DocumentType.INVOICE, 50))],
        ApplicationMethod.APPLIES_TO_ID,
        ErrorCode.ENTRY_CLOSED,
        ["applyTo", "1", "entryNo"],
        id="target-closed",
    ),
    pytest.param(
        PAYMENT,
        [ApplyTarget(entry(3, DocumentType.INVOICE, 100, party="P2"))],
        ApplicationMethod.APPLIES_TO_ID,
        ErrorCode.ENTRY_OF_OTHER_PARTY,
        ["applyTo", "0", "entryNo"],
        id="other-party",
    ),
    pytest.param(
        PAYMENT,
        [ApplyTarget(entry(4, DocumentType.PAYMENT, -30))],
        ApplicationMethod.APPLIES_TO_ID,
        ErrorCode.WRONG_SIGN,
        ["applyTo", "0", "entryNo"],
        id="same-sign-payment",
    ),
    pytest.param(
        PAYMENT,
        [ApplyTarget(entry(5, DocumentType.CREDIT_MEMO, -30))],
        ApplicationMethod.APPLIES_TO_ID,
        ErrorCode.WRONG_SIGN,
        ["applyTo", "0", "entryNo"],
        id="credit-memo-without-invoice",
    ),
    pytest.param(
        PAYMENT,
        [ApplyTarget(INVOICE), ApplyTarget(entry(5, DocumentType.CREDIT_MEMO, -30))],
        ApplicationMethod.APPLY_TO_OLDEST,
        ErrorCode.WRONG_SIGN,
        ["applyTo", "1", "entryNo"],
        id="credit-memo-only-with-applies-to-id",
    ),
    pytest.param(
        PAYMENT,
        [ApplyTarget(INVOICE, D(-10))],
        ApplicationMethod.APPLIES_TO_ID,
        ErrorCode.WRONG_SIGN,
        ["applyTo", "0", "amountToApply"],
        id="amount-to-apply-wrong-sign",
    ),
    pytest.param(
        PAYMENT,
        [ApplyTarget(INVOICE, D(101))],
        ApplicationMethod.APPLIES_TO_ID,
        ErrorCode.AMOUNT_EXCEEDS_REMAINING,
        ["applyTo", "0", "amountToApply"],
        id="amount-to-apply-exceeds-remaining",
    ),
    pytest.param(
        PAYMENT,
        [ApplyTarget(INVOICE, D(0))],
        ApplicationMethod.APPLIES_TO_ID,
        ErrorCode.INVALID_AMOUNT,
        ["applyTo", "0", "amountToApply"],
        id="amount-to-apply-zero",
    ),
    pytest.param(
        PAYMENT,
        [ApplyTarget(INVOICE), ApplyTarget(INVOICE)],
        ApplicationMethod.APPLIES_TO_ID,
        ErrorCode.INVALID_INPUT,
        ["applyTo", "1", "entryNo"],
        id="entry-twice",
    ),
    pytest.param(
        PAYMENT,
        [ApplyTarget(INVOICE), ApplyTarget(entry(6, DocumentType.INVOICE, 5))],
        ApplicationMethod.APPLIES_TO_DOC,
        ErrorCode.INVALID_INPUT,
        ["applyTo"],
        id="applies-to-doc-names-one-entry",
    ),
    pytest.param(
        PAYMENT,
        [ApplyTarget(entry(7, DocumentType.INVOICE, 100, currency="USD"))],
        ApplicationMethod.APPLIES_TO_ID,
        ErrorCode.CURRENCY_NOT_ALLOWED,
        ["applyTo", "0", "entryNo"],
        id="currency-not-allowed",
    ),
    pytest.param(
        PAYMENT,
        [ApplyTarget(entry(8, DocumentType.INVOICE, 100, posting_date=date(2026, 3, 18)))],
        ApplicationMethod.APPLIES_TO_ID,
        ErrorCode.POSTING_DATE_NOT_ALLOWED,
        ["postingDate"],
        id="posting-date-before-an-entry",
    ),
]


@pytest.mark.parametrize(("applying", "targets", "method", "code", "field"), CASES)
def test_invalid_application_is_refused_with_code_and_field(
    applying, targets, method, code, field
) -> None:
    with pytest.raises(DomainError) as caught:
        apply(applying, targets, SETUP, DAY, application_id=1, method=method)
    assert caught.value.code is code
    assert caught.value.field == field
    assert caught.value.message.endswith(".")


def _late_invoice(entry_no: int = 1):
    return entry(
        entry_no,
        DocumentType.INVOICE,
        1000,
        document_no="INV-1001",
        discount="20",
        discount_date=date(2026, 3, 15),
        tolerance_date=date(2026, 3, 20),
        max_tolerance="5",
    )


def test_unanswered_late_discount_raises_a_message_with_amount_entry_and_document() -> None:
    setup = ApplicationSetup(payment_discount_tolerance_warning=True)
    payment = entry(9, DocumentType.PAYMENT, -980, posting_date=DAY)
    with pytest.raises(DomainError) as caught:
        apply(payment, [ApplyTarget(_late_invoice())], setup, DAY, application_id=1)
    error = caught.value
    assert error.code is ErrorCode.PAYMENT_DISCOUNT_TOLERANCE_NOT_ACCEPTED
    assert error.field == ["applyTo", "0", "acceptPaymentDiscountTolerance"]
    assert "20 LCY" in error.message
    assert "entry 1" in error.message
    assert "INV-1001" in error.message


def test_late_discount_is_not_asked_when_the_payment_cannot_take_it() -> None:
    setup = ApplicationSetup(payment_discount_tolerance_warning=True)
    payment = entry(9, DocumentType.PAYMENT, -500, posting_date=DAY)
    result = apply(payment, [ApplyTarget(_late_invoice())], setup, DAY, application_id=1)
    assert remaining(result, _late_invoice()) == 500


def test_late_discount_is_granted_silently_with_a_note_when_the_warning_is_off() -> None:
    payment = entry(9, DocumentType.PAYMENT, -980, posting_date=DAY)
    result = apply(payment, [ApplyTarget(_late_invoice())], SETUP, DAY, application_id=1)
    assert amount_of(result, 1, DetailedEntryType.PAYMENT_DISCOUNT_TOLERANCE) == -20
    assert NoteCode.PAYMENT_DISCOUNT_TOLERANCE in [n.code for n in result.notes]


def test_unanswered_payment_tolerance_raises_with_the_difference() -> None:
    setup = ApplicationSetup(payment_tolerance_warning=True)
    payment = entry(9, DocumentType.PAYMENT, -997, posting_date=DAY)
    invoice = entry(1, DocumentType.INVOICE, 1000, max_tolerance="5")
    with pytest.raises(DomainError) as caught:
        apply(payment, [ApplyTarget(invoice)], setup, DAY, application_id=1)
    assert caught.value.code is ErrorCode.PAYMENT_TOLERANCE_NOT_ACCEPTED
    assert caught.value.field == ["applyTo", "0", "acceptPaymentTolerance"]
    assert "under-payment of 3 LCY" in caught.value.message


@pytest.mark.parametrize(
    ("accept", "left"),
    [pytest.param(True, 0, id="accepted-closes"), pytest.param(False, 3, id="refused-stays-open")],
)
def test_answered_payment_tolerance_is_posted_or_left_as_remaining(accept: bool, left: int) -> None:
    setup = ApplicationSetup(payment_tolerance_warning=True)
    payment = entry(9, DocumentType.PAYMENT, -997, posting_date=DAY)
    invoice = entry(1, DocumentType.INVOICE, 1000, max_tolerance="5")
    result = apply(
        payment,
        [ApplyTarget(invoice, accept_pmt_tolerance=accept)],
        setup,
        DAY,
        application_id=1,
    )
    assert remaining(result, invoice) == left
    codes = [n.code for n in result.notes]
    assert (NoteCode.PAYMENT_TOLERANCE_DECLINED in codes) is not accept
