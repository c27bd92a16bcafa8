"""The leaf-assigning input conversion gives exactly what Strawberry's own conversion gives."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.schema.config import StrawberryConfig

from api.inputs.cash_receipts import CashReceiptLineInput
from api.inputs.fast import fast_input
from api.scalars import SCALAR_MAP
from domain.posting.journal import ApplyToInput, CashReceiptLine

FULL = """{postingDate: "2026-03-17", documentNo: " P-1 ", amount: "-12.50", balAccountNo: "B",
  documentType: REFUND, vendorNo: "V1", balAccountType: GL_ACCOUNT, currencyCode: "USD",
  description: "d", appliesToDocType: CREDIT_MEMO, appliesToDocNo: "CM-1", appliesToId: "x",
  applyTo: [{entryNo: 7, amountToApply: "1.25", acceptPaymentTolerance: true}, {entryNo: 8}],
  acceptPaymentDiscountTolerance: false}"""
MINIMAL = """{postingDate: "2026-03-17", documentNo: "P-2", amount: "-1", balAccountNo: "B",
  applyTo: null}"""


@strawberry.type
class Query:
    @strawberry.field
    def echo(self, line: CashReceiptLineInput) -> str:
        return repr(line.to_line())


def _echo(literal: str, query: type = Query, argument: str = "line") -> str:
    schema = strawberry.Schema(query=query, config=StrawberryConfig(scalar_map=SCALAR_MAP))
    result = schema.execute_sync(f"{{ echo({argument}: {literal}) }}")
    assert result.errors is None, result.errors
    return str(result.data["echo"])  # type: ignore[index]


def test_every_field_enum_nested_input_and_null_arrives_as_given() -> None:
    expected = CashReceiptLine(
        posting_date=date(2026, 3, 17),
        document_no="P-1",
        amount=Decimal("-12.50"),
        bal_account_no="B",
        document_type="REFUND",
        vendor_no="V1",
        bal_account_type="GL_ACCOUNT",
        currency_code="USD",
        description="d",
        applies_to_doc_type="CREDIT_MEMO",
        applies_to_doc_no="CM-1",
        applies_to_id="x",
        apply_to=(
            ApplyToInput(7, Decimal("1.25"), None, True),
            ApplyToInput(8, None, None, None),
        ),
        accept_payment_discount_tolerance=False,
    )
    assert _echo(FULL) == repr(expected)


def test_omitted_fields_take_their_defaults() -> None:
    expected = CashReceiptLine(
        posting_date=date(2026, 3, 17),
        document_no="P-2",
        amount=Decimal(-1),
        bal_account_no="B",
    )
    assert _echo(MINIMAL) == repr(expected)


@strawberry.input
class Plain:  # Strawberry's own conversion
    label: str
    lines: list[CashReceiptLineInput] | None = None


@fast_input
@strawberry.input
class Batch:
    lines: list[CashReceiptLineInput]
    more: list[CashReceiptLineInput] | None = None
    one: CashReceiptLineInput | None = None
    plain: Plain | None = None
    flag: bool = False


@strawberry.type
class BatchQuery:
    @strawberry.field
    def echo(self, batch: Batch) -> str:
        return repr(
            (
                [x.to_line() for x in batch.lines],
                None if batch.more is None else [x.to_line() for x in batch.more],
                None if batch.one is None else batch.one.to_line(),
                None if batch.plain is None else batch.plain.label,
                None
                if batch.plain is None or batch.plain.lines is None
                else [x.to_line() for x in batch.plain.lines],
                batch.flag,
            )
        )


def _echo_batch(literal: str) -> str:
    return _echo(literal, BatchQuery, "batch")


def test_lists_and_inputs_nested_in_a_fast_input_arrive_as_given() -> None:
    full = _echo(FULL)
    minimal = _echo(MINIMAL)
    given = _echo_batch(
        f"{{lines: [{FULL}, {MINIMAL}], more: [{MINIMAL}], one: {FULL},"
        f' plain: {{label: "p", lines: [{FULL}]}}, flag: true}}'
    )
    assert given == f"([{full}, {minimal}], [{minimal}], {full}, 'p', [{full}], True)"
    nulls = _echo_batch('{lines: [], more: null, one: null, plain: {label: "q"}}')
    assert nulls == "([], None, None, 'q', None, False)"
