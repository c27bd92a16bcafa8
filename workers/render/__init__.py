"""Statements leave the company as a PDF and an e-mail in the customer's language; this package
turns a computed statement into those, with no database or network access."""

from __future__ import annotations

from workers.render.email_body import render_email
from workers.render.typst_pdf import render_statement_pdf, render_statement_typst
from workers.render.typst_text import RenderError, escape_typst
from workers.render.view import CompanyInfo

__all__ = [
    "CompanyInfo",
    "RenderError",
    "escape_typst",
    "render_email",
    "render_statement_pdf",
    "render_statement_typst",
]
