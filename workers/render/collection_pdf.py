"""Reminders and finance charge memos are PDFs built like statements: a Jinja2 template with
Typst-safe delimiters whose every value is escaped (customer data cannot change the document),
compiled in-process with the bundled fonts only, dated by the document date so the same
document gives the same bytes."""

from __future__ import annotations

from store.collections.deliveries import FINANCE_CHARGE_MEMO, REMINDER
from workers.render.collection_view import CollectionView
from workers.render.typst_pdf import compile_typst
from workers.render.typst_text import TYPST_TEMPLATES, TypstRaw, page_label

TEMPLATE = "collection.typ.j2"
WIDE_COLUMN = {REMINDER: 0, FINANCE_CHARGE_MEMO: 2}  # document / calculation takes the rest


def render_collection_typst(view: CollectionView) -> str:
    """The Typst source of the document (the logo, if any, is read from ``logo.png``)."""
    language = view.tr.language
    alignment = ", ".join("right" if right else "left" for right in view.right_aligned)
    wide = WIDE_COLUMN.get(view.kind, 0)
    widths = ", ".join("1fr" if i == wide else "auto" for i in range(len(view.columns)))
    return TYPST_TEMPLATES.get_template(TEMPLATE).render(
        v=view,
        lang=TypstRaw(language if language.isalpha() else "en"),
        page_label=page_label(view.tr),
        has_logo=view.company.logo_png is not None,
        column_widths=TypstRaw(widths + ","),
        column_align=TypstRaw(f"({alignment},)"),
    )


def render_collection_pdf(view: CollectionView) -> bytes:
    """The document as PDF bytes; RenderError when the logo is not a PNG or Typst fails."""
    return compile_typst(
        render_collection_typst(view),
        logo_png=view.company.logo_png,
        day=view.document_date,
        what="document",
    )
