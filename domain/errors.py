"""Business-rule violations carry a stable code that clients branch on, never an HTTP status."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum


class ErrorCode(StrEnum):
    # generic input problems
    INVALID_INPUT = "INVALID_INPUT"
    NOT_FOUND = "NOT_FOUND"
    ALREADY_EXISTS = "ALREADY_EXISTS"
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"
    FORBIDDEN = "FORBIDDEN"
    INVALID_DATE_FORMULA = "INVALID_DATE_FORMULA"
    INVALID_AMOUNT = "INVALID_AMOUNT"
    TOO_MANY_DECIMALS = "TOO_MANY_DECIMALS"
    # setup and master data
    UNKNOWN_CUSTOMER = "UNKNOWN_CUSTOMER"
    UNKNOWN_VENDOR = "UNKNOWN_VENDOR"
    UNKNOWN_CURRENCY = "UNKNOWN_CURRENCY"
    UNKNOWN_PAYMENT_TERMS = "UNKNOWN_PAYMENT_TERMS"
    UNKNOWN_GL_ACCOUNT = "UNKNOWN_GL_ACCOUNT"
    UNKNOWN_BANK_ACCOUNT = "UNKNOWN_BANK_ACCOUNT"
    UNKNOWN_POSTING_GROUP = "UNKNOWN_POSTING_GROUP"
    INVALID_IBAN = "INVALID_IBAN"
    NO_EXCHANGE_RATE = "NO_EXCHANGE_RATE"
    # posting
    DUPLICATE_DOCUMENT_NO = "DUPLICATE_DOCUMENT_NO"
    POSTING_DATE_NOT_ALLOWED = "POSTING_DATE_NOT_ALLOWED"
    UNBALANCED_TRANSACTION = "UNBALANCED_TRANSACTION"
    # application engine
    ENTRY_NOT_FOUND = "ENTRY_NOT_FOUND"
    ENTRY_CLOSED = "ENTRY_CLOSED"
    ENTRY_OF_OTHER_PARTY = "ENTRY_OF_OTHER_PARTY"
    WRONG_SIGN = "WRONG_SIGN"
    AMOUNT_EXCEEDS_REMAINING = "AMOUNT_EXCEEDS_REMAINING"
    CURRENCY_NOT_ALLOWED = "CURRENCY_NOT_ALLOWED"
    UNKNOWN_APPLIES_TO_DOC = "UNKNOWN_APPLIES_TO_DOC"
    NOTHING_TO_APPLY = "NOTHING_TO_APPLY"
    NOTHING_TO_UNAPPLY = "NOTHING_TO_UNAPPLY"
    UNAPPLY_LATER_APPLICATION_FIRST = "UNAPPLY_LATER_APPLICATION_FIRST"
    PAYMENT_DISCOUNT_TOLERANCE_NOT_ACCEPTED = "PAYMENT_DISCOUNT_TOLERANCE_NOT_ACCEPTED"
    PAYMENT_TOLERANCE_NOT_ACCEPTED = "PAYMENT_TOLERANCE_NOT_ACCEPTED"
    PAYMENT_TOLERANCE_EXCEEDED = "PAYMENT_TOLERANCE_EXCEEDED"
    # bank
    PARSE_ERROR = "PARSE_ERROR"
    DUPLICATE_STATEMENT = "DUPLICATE_STATEMENT"
    UNKNOWN_STATEMENT = "UNKNOWN_STATEMENT"
    LINE_NOT_APPLIED = "LINE_NOT_APPLIED"
    # statements, collections, item charges
    NOTHING_OVERDUE = "NOTHING_OVERDUE"
    INVALID_TERMS = "INVALID_TERMS"
    DATES_OUT_OF_ORDER = "DATES_OUT_OF_ORDER"
    INVALID_ASSIGNMENT = "INVALID_ASSIGNMENT"
    STATEMENT_ACCOUNT_MISMATCH = "STATEMENT_ACCOUNT_MISMATCH"


class DomainError(Exception):
    """A rule was broken: the code, a sentence for a person, and where in the request.

    ``field`` is the path of the offending value inside the request (``["lines", "2",
    "amount"]``, ``["customerNo"]``), in the request's own terms; the API layer turns it into
    the path of its transport (a GraphQL input path). ``index`` names the item of a list the
    error is about when the rule saw one item only (a journal line, a document), so the caller
    that knows the list can place it.
    """

    def __init__(
        self,
        code: ErrorCode,
        message: str,
        field: Sequence[str | int] | None = None,
        *,
        index: int | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = [str(f) for f in field] if field is not None else None
        self.index = index

    def at(self, index: int) -> DomainError:
        """The same error, about item ``index`` of the request's list (unless it names one)."""
        if self.index is not None:
            return self
        return DomainError(self.code, self.message, self.field, index=index)

    def __repr__(self) -> str:
        return (
            f"DomainError({self.code.value}, {self.message!r}, field={self.field!r}, "
            f"index={self.index!r})"
        )
