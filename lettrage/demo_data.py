"""Demo data for `lettrage demo`: customers, vendors, currencies, terms, invoices to play with,
and yesterday's bank statement with receipts, supplier payments and a fee, already suggested."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncEngine

from api.auth import hash_key, new_key
from domain.sales_posting import DocumentKind, DocumentLine
from lettrage.demo_statement import Entry, camt053
from store import setup
from store.api_keys import create_api_key
from store.bank.statements import import_statement_file, upsert_text_mapping
from store.db import create_engine
from store.parties.master import CUSTOMER, VENDOR, get_party, upsert_party
from store.posting.purchases import PurchaseDocumentInput, post_purchase_document
from store.posting.sales import SalesDocumentInput, post_sales_document

DEMO_CUSTOMERS = [
    ("C10000", "The Cannon Group PLC", "", "14D2", "NL91ABNA0417164300", "en"),
    ("C20000", "Selangorian Ltd.", "", "1M8D", "DE89370400440532013000", "en"),
    ("C30000", "Librairie Lettrée SARL", "", "CM", "FR1420041010050500013M02606", "fr"),
    ("C40000", "Blanemark Hifi Shop", "USD", "1M8D", "GB29NWBK60161331926819", "en"),
    ("C50000", "Guildford Water Department", "GBP", "14D2", "BE68539007547034", "en"),
]

DEMO_VENDORS = [
    ("V10000", "Fabrikam Supplies GmbH", "DE02120300000000202051"),
    ("V20000", "Transportes Rápidos S.L.", "ES9121000418450200051332"),
]
BANK_IBAN = "FR7630006000011234567890189"


async def load_demo_data(database_url: str, today: date | None = None) -> str:
    """Load the demo ledger once (a second start reuses it) and mint a fresh admin key."""
    today = today or date.today()
    engine = create_engine(database_url, pool_size=2)
    try:
        async with engine.connect() as conn:
            loaded = await get_party(conn, CUSTOMER, DEMO_CUSTOMERS[0][0]) is not None
        if not loaded:
            await _load(engine, today)
        key = new_key()
        await create_api_key(engine, "demo admin", hash_key(key), ["read", "post", "admin"])
        return key
    finally:
        await engine.dispose()


async def _load(engine: AsyncEngine, today: date) -> None:
    await setup.update_setup(
        engine,
        {
            "name": "Lettrage Demo SA",
            "address": "1 rue du Lettrage\n75001 Paris",
            "email": "ar@lettrage.example",
            "payment_tolerance_pct": Decimal("0.5"),
            "max_payment_tolerance_amount": Decimal("5.00"),
            "payment_discount_grace_period": "5D",
            "appln_between_currencies": "ALL",
        },
    )
    year_ago = today - timedelta(days=400)
    for code, rate in (("USD", Decimal("0.92")), ("GBP", Decimal("1.17"))):
        await setup.upsert_currency(
            engine,
            code,
            {
                "description": code,
                "payment_tolerance_pct": Decimal("0.5"),
                "max_payment_tolerance_amount": Decimal(5),
            },
        )
        await setup.set_exchange_rate(engine, code, year_ago, rate)
    await setup.upsert_payment_terms(
        engine,
        "14D2",
        {
            "description": "14 days, 2 % within 7 days",
            "due_date_calculation": "14D",
            "discount_date_calculation": "7D",
            "discount_pct": Decimal(2),
        },
    )
    await setup.upsert_payment_terms(
        engine,
        "1M8D",
        {
            "description": "1 month, 2 % within 8 days",
            "due_date_calculation": "1M",
            "discount_date_calculation": "8D",
            "discount_pct": Decimal(2),
        },
    )
    await setup.upsert_payment_terms(
        engine, "CM", {"description": "End of current month", "due_date_calculation": "CM"}
    )
    await setup.upsert_bank_account(
        engine,
        "BANK-EUR",
        {
            "name": "Main EUR account",
            "iban": BANK_IBAN,
            "gl_account_no": "1100",
        },
    )
    for no, name, currency, terms, iban, lang in DEMO_CUSTOMERS:
        await upsert_party(
            engine,
            CUSTOMER,
            no,
            {
                "name": name,
                "currency_code": currency,
                "payment_terms_code": terms,
                "language_code": lang,
                "email": f"ap@{no.lower()}.example",
                "application_method": "APPLY_TO_OLDEST" if no == "C30000" else "MANUAL",
            },
            [iban],
        )
    n = 0
    for no, _name, _cur, _terms, _iban, _lang in DEMO_CUSTOMERS:
        for k, (days_ago, amount) in enumerate(((75, "1200.00"), (40, "830.50"), (10, "455.25"))):
            n += 1
            await post_sales_document(
                engine,
                SalesDocumentInput(
                    kind=DocumentKind.INVOICE,
                    customer_no=no,
                    document_no=f"INV-{1000 + n}",
                    posting_date=today - timedelta(days=days_ago),
                    external_document_no=f"PO-{no[-3:]}-{k + 1}",
                    lines=(DocumentLine("Goods and services", "", Decimal(amount), Decimal(20)),),
                ),
            )
    await post_sales_document(
        engine,
        SalesDocumentInput(
            kind=DocumentKind.CREDIT_MEMO,
            customer_no="C10000",
            document_no="CM-1001",
            posting_date=today - timedelta(days=20),
            lines=(DocumentLine("Returned goods", "", Decimal("100.00"), Decimal(20)),),
        ),
    )
    await _vendors_and_statement(engine, today)


async def _vendors_and_statement(engine: AsyncEngine, today: date) -> None:
    """Two suppliers with open documents, then a statement that touches both ledgers."""
    for no, name, iban in DEMO_VENDORS:
        await upsert_party(engine, VENDOR, no, {"name": name, "payment_terms_code": "1M8D"}, [iban])
    for kind, vendor, doc, their_no, amount in (
        (DocumentKind.INVOICE, "V10000", "PI-5001", "FS-2026-118", "1500.00"),
        (DocumentKind.INVOICE, "V10000", "PI-5002", "FS-2026-131", "640.00"),
        (DocumentKind.CREDIT_MEMO, "V20000", "PCM-2001", "TR-AV-77", "120.00"),
    ):
        await post_purchase_document(
            engine,
            PurchaseDocumentInput(
                kind=kind,
                vendor_no=vendor,
                document_no=doc,
                vendor_invoice_no=their_no,
                posting_date=today - timedelta(days=20),
                lines=(DocumentLine("Supplies", "", Decimal(amount), Decimal(20)),),
            ),
        )
    await upsert_text_mapping(engine, "FRAIS BANCAIRES", "8960", "Bank fees")
    customer_iban = {c[0]: c[4] for c in DEMO_CUSTOMERS}
    statement = camt053(
        [
            Entry(Decimal("546.30"), "The Cannon Group PLC", customer_iban["C10000"], "INV-1003"),
            Entry(Decimal("1000.00"), "Selangorian Ltd.", customer_iban["C20000"], "INV-1004"),
            Entry(Decimal("-1800.00"), "Fabrikam Supplies GmbH", DEMO_VENDORS[0][2], "FS-2026-118"),
            Entry(
                Decimal("144.00"), "Transportes Rapidos SL", DEMO_VENDORS[1][2], "Abono TR-AV-77"
            ),
            Entry(Decimal("-12.50"), "Banque", None, "FRAIS BANCAIRES NOVEMBRE"),
        ],
        statement_id=f"DEMO-{today.isoformat()}",
        iban=BANK_IBAN,
        day=(today - timedelta(days=1)).isoformat(),
    )
    await import_statement_file(engine, "BANK-EUR", statement)
