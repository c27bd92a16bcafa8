"""SQLModel tables; importing this package registers every table on the shared metadata."""

from store.tables.auth import ApiKey, IdempotencyKey
from store.tables.bank import (
    BankCsvMapping,
    BankStatementLineRow,
    BankStatementRow,
    BankSuggestionRow,
    BankTextMapping,
)
from store.tables.base import metadata
from store.tables.items import Item, ItemChargeCode, ShipmentLine, ValueEntry
from store.tables.journals import CashReceiptJournal, CashReceiptJournalLine
from store.tables.ledger import (
    BankAccountLedgerEntry,
    CustomerLedgerEntry,
    DetailedCustomerLedgerEntry,
    GLEntry,
)
from store.tables.setup import (
    BankAccount,
    CompanySetup,
    Currency,
    Customer,
    CustomerBankAccount,
    CustomerPostingGroup,
    ExchangeRate,
    GLAccount,
    PaymentTerms,
)
from store.tables.statements import StatementDelivery, StatementRun

__all__ = [
    "ApiKey",
    "BankAccount",
    "BankAccountLedgerEntry",
    "BankCsvMapping",
    "BankStatementLineRow",
    "BankStatementRow",
    "BankSuggestionRow",
    "BankTextMapping",
    "CashReceiptJournal",
    "CashReceiptJournalLine",
    "CompanySetup",
    "Currency",
    "Customer",
    "CustomerBankAccount",
    "CustomerLedgerEntry",
    "CustomerPostingGroup",
    "DetailedCustomerLedgerEntry",
    "ExchangeRate",
    "GLAccount",
    "GLEntry",
    "IdempotencyKey",
    "Item",
    "ItemChargeCode",
    "PaymentTerms",
    "ShipmentLine",
    "StatementDelivery",
    "StatementRun",
    "ValueEntry",
    "metadata",
]
