"""Reminders and finance charge memos speak to the customer in their language and grow firmer
with each reminder level; their wording lives here, next to (and falling back on) the statement
catalog in i18n.py, whose number and date formats they share."""

from __future__ import annotations

from workers.render.i18n import Translator

FINAL_LEVEL = 3  # level 3 and above use the last wording

COLLECTION_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "reminder_title_1": "Payment reminder",
        "reminder_title_2": "Second reminder",
        "reminder_title_3": "Final reminder",
        "reminder_text_1": "According to our records, the amounts below were not paid by their "
        "due date. If you have already paid them, please disregard this reminder. Otherwise, "
        "please pay {total} by {due_date}.",
        "reminder_text_2": "Despite our previous reminder, the amounts below remain unpaid. "
        "Please pay {total} by {due_date}.",
        "reminder_text_3": "Despite our previous reminders, the amounts below are still unpaid. "
        "Please pay {total} by {due_date} at the latest to avoid further collection steps.",
        "memo_title": "Finance charge memo",
        "memo_text": "As provided in our terms of payment, interest is charged on the amounts "
        "below, which were paid late or are still overdue. Please pay {total} upon receipt.",
        "document_no": "Document no.",
        "document_date": "Date",
        "pay_by": "Pay by",
        "reminder_level": "Reminder level",
        "interest_to": "Interest to",
        "days": "Days",
        "calculation": "Calculation",
        "interest": "Interest",
        "reminder_fee": "Reminder fee",
        "additional_fee": "Additional fee",
        "total_due": "Total due",
        "formula": "{base} × {rate} % × {days} / {period} days",
        "formula_average": "average balance {base} × {rate} % × {days} / {period} days",
        "doc_email_subject": "{title} {document_no} – {company}",
        "doc_email_attached": "The document is attached as a PDF.",
        "amount_due": "Amount due",
    },
    "fr": {
        "reminder_title_1": "Rappel de paiement",
        "reminder_title_2": "Deuxième relance",
        "reminder_title_3": "Dernière relance",
        "reminder_text_1": "Sauf erreur de notre part, les montants ci-dessous n’ont pas été "
        "réglés à leur échéance. Si vous les avez déjà payés, merci de ne pas tenir compte de "
        "ce rappel. Dans le cas contraire, merci de régler {total} au plus tard le {due_date}.",
        "reminder_text_2": "Malgré notre précédent rappel, les montants ci-dessous restent "
        "impayés. Merci de régler {total} au plus tard le {due_date}.",
        "reminder_text_3": "Malgré nos rappels précédents, les montants ci-dessous ne sont "
        "toujours pas réglés. Merci de régler {total} au plus tard le {due_date} afin d’éviter "
        "toute autre procédure de recouvrement.",
        "memo_title": "Facture d’intérêts de retard",
        "memo_text": "Conformément à nos conditions de paiement, des intérêts de retard sont "
        "facturés sur les montants ci-dessous, réglés en retard ou toujours impayés. Merci de "
        "régler {total} dès réception.",
        "document_no": "N° de document",
        "document_date": "Date",
        "pay_by": "À régler le",
        "reminder_level": "Niveau de relance",
        "interest_to": "Intérêts au",
        "days": "Jours",
        "calculation": "Calcul",
        "interest": "Intérêts",
        "reminder_fee": "Frais de relance",
        "additional_fee": "Frais supplémentaires",
        "total_due": "Total à payer",
        "formula": "{base} × {rate} % × {days} / {period} jours",
        "formula_average": "solde moyen {base} × {rate} % × {days} / {period} jours",
        "doc_email_subject": "{title} {document_no} – {company}",
        "doc_email_attached": "Vous trouverez le document en pièce jointe (PDF).",
        "amount_due": "Montant dû",
    },
}


def collection_text(tr: Translator, key: str, **values: str) -> str:
    """``key`` from the collections catalog in ``tr``'s language (English when missing there),
    else from the statement catalog."""
    own = COLLECTION_LABELS.get(tr.language, {}).get(key) or COLLECTION_LABELS["en"].get(key)
    if own is None:
        return tr.t(key, **values)
    return own.format(**values) if values else own


def level_key(prefix: str, level: int) -> str:
    """``reminder_text_2`` for level 2; levels past the last wording use the last one."""
    return f"{prefix}_{min(max(level, 1), FINAL_LEVEL)}"
