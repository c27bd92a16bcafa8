"""SQLModel tables; importing this package registers every table on the shared metadata."""

from store.tables.auth import ApiKey, IdempotencyKey
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

__all__ = [
    "ApiKey",
    "BankAccount",
    "BankAccountLedgerEntry",
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
    "ValueEntry",
    "metadata",
]
