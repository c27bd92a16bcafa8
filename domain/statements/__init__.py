"""Customer statements tell a customer what they owe and how old it is, per currency, in numbers
that tie to the ledger; this package computes that content, the workers render it."""

from __future__ import annotations

from domain.statements.aging import age_open_items, bucket_ranges, step_back_formula
from domain.statements.content import build_statement, check_period
from domain.statements.model import (
    Aging,
    AgingBucket,
    AgingBy,
    BucketKind,
    CurrencyAmount,
    CurrencySection,
    CustomerSelection,
    CustomerSummary,
    DocumentType,
    MovementType,
    OverdueLine,
    Statement,
    StatementCustomer,
    StatementEntry,
    StatementLine,
    StatementMovement,
    StatementOptions,
    StatementStyle,
)
from domain.statements.selection import select_customers, summarize_customer

__all__ = [
    "Aging",
    "AgingBucket",
    "AgingBy",
    "BucketKind",
    "CurrencyAmount",
    "CurrencySection",
    "CustomerSelection",
    "CustomerSummary",
    "DocumentType",
    "MovementType",
    "OverdueLine",
    "Statement",
    "StatementCustomer",
    "StatementEntry",
    "StatementLine",
    "StatementMovement",
    "StatementOptions",
    "StatementStyle",
    "age_open_items",
    "bucket_ranges",
    "build_statement",
    "check_period",
    "select_customers",
    "step_back_formula",
    "summarize_customer",
]
