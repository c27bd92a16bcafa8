"""The e-mail that carries a reminder or finance charge memo says in a few lines what the PDF
says in full (what is due, by when), in the same words; the subject stays on one line so
customer data cannot inject mail headers."""

from __future__ import annotations

from workers.render.collection_view import CollectionView
from workers.render.email_body import mail_environment, one_line

_HTML = mail_environment(html=True)
_TEXT = mail_environment(html=False)


def render_collection_email(view: CollectionView) -> tuple[str, str, str]:
    """``(subject, html, text)`` of the e-mail the document is attached to."""
    subject = one_line(
        view.t(
            "doc_email_subject",
            title=view.title,
            document_no=view.document_no,
            company=view.company.name,
        )
    )
    context = {
        "v": view,
        "subject": subject,
        "lang": view.tr.language,
        "greeting": view.tr.t("email_greeting", name=view.customer_name),
        "contact": view.tr.t("email_contact", email=view.company.email)
        if view.company.email
        else "",
    }
    html = _HTML.get_template("collection.html.j2").render(**context)
    text = _TEXT.get_template("collection.txt.j2").render(**context)
    return subject, html, text
