"""Bank statement files in, one statement model out: the input of payment reconciliation."""

from __future__ import annotations

from domain.bank.csv_mapping import CsvColumns, CsvMapping, validate_mapping
from domain.bank.detect import DEFAULT_MAX_BYTES, detect_format, parse_statement_file
from domain.bank.errors import ParseError
from domain.bank.model import BankStatement, StatementFormat, StatementLine, balance_warning

__all__ = [
    "DEFAULT_MAX_BYTES",
    "BankStatement",
    "CsvColumns",
    "CsvMapping",
    "ParseError",
    "StatementFormat",
    "StatementLine",
    "balance_warning",
    "detect_format",
    "parse_statement_file",
    "validate_mapping",
]
