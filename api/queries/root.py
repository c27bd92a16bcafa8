"""Query root: one mixin per resource family."""

from __future__ import annotations

import strawberry

from api.mutations.collections import CollectionsQuery
from api.mutations.journals import JournalQuery
from api.mutations.payment_registration import PaymentRegistrationQuery
from api.mutations.vendors import VendorQuery
from api.queries.bank import BankQuery
from api.queries.items import ItemQuery
from api.queries.ledger import LedgerQuery
from api.queries.reports import ReportQuery
from api.queries.statements import StatementQuery
from api.queries.viewer import ViewerQuery


@strawberry.type
class Query(
    ViewerQuery,
    LedgerQuery,
    ItemQuery,
    StatementQuery,
    JournalQuery,
    BankQuery,
    PaymentRegistrationQuery,
    VendorQuery,
    CollectionsQuery,
    ReportQuery,
):
    pass
