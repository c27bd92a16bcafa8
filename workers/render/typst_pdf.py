"""Customers receive their statement as a PDF that must look the same on every machine and must
never let a customer's name or address change the document, so the Typst source is generated
from a Jinja2 template whose every value is escaped (typst_text), laid out in fixed rows
(statement_layout), and compiled in-process with bundled fonts.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
from datetime import UTC, date, datetime
from pathlib import Path

import typst

from domain.statements import Statement
from workers.render.font_widths import FONTS_DIR
from workers.render.statement_layout import GEOMETRY, company_lines, currency_list, layout_statement
from workers.render.typst_text import (
    TYPST_TEMPLATES,
    RenderError,
    TypstRaw,
    page_label,
)
from workers.render.view import CompanyInfo, StatementView, build_view

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def render_statement_typst(statement: Statement, company: CompanyInfo) -> str:
    """The Typst source of the statement (the logo, if any, is read from ``logo.png``)."""
    view = build_view(statement, company)
    return _typst_source(view, has_logo=company.logo_png is not None)


def _typst_source(view: StatementView, *, has_logo: bool) -> str:
    language = view.tr.language
    return TYPST_TEMPLATES.get_template("statement.typ.j2").render(
        v=view,
        g=GEOMETRY,
        layout=layout_statement(view, has_logo=has_logo),
        lang=TypstRaw(language if language.isalpha() else "en"),
        page_label=page_label(view.tr),
        currencies=currency_list(view),
        company_lines=company_lines(view),
        has_logo=has_logo,
    )


class _ThreadCompiler(threading.local):
    """One Typst compiler per thread (a compiler is not thread-safe): the bundled fonts are
    read and indexed once, not per statement, and the system fonts are never scanned. Its root
    is a private directory that holds only ``logo.png``; the source is passed as bytes."""

    compiler: typst.Compiler | None = None
    root: Path | None = None
    logo: bytes | None = None

    def get(self, logo: bytes | None) -> typst.Compiler:
        if self.compiler is None or self.root is None:
            root = Path(tempfile.mkdtemp(prefix="lettrage-typst-"))
            atexit.register(shutil.rmtree, root, True)
            self.compiler = typst.Compiler(
                root=root, font_paths=[FONTS_DIR], ignore_system_fonts=True
            )
            self.root, self.logo = root, None
        if logo != self.logo:
            if logo is None:
                (self.root / "logo.png").unlink(missing_ok=True)
            else:
                (self.root / "logo.png").write_bytes(logo)
            self.logo = logo
        return self.compiler


_COMPILERS = _ThreadCompiler()


def compile_typst(source: str, *, logo_png: bytes | None, day: date, what: str) -> bytes:
    """PDF bytes of a Typst ``source`` whose ``#image("logo.png")`` is ``logo_png``, dated
    ``day`` (so the same document gives the same bytes). The compiler is reused, and the files
    it reads are checked again on every compile, so a new logo is picked up.
    Raises RenderError when the logo is not a PNG or Typst rejects the document."""
    if logo_png is not None and not logo_png.startswith(PNG_SIGNATURE):
        raise RenderError("The company logo is not a PNG image.")
    stamp = datetime(day.year, day.month, day.day, tzinfo=UTC)
    try:
        pdf = _COMPILERS.get(logo_png).compile(source.encode(), format="pdf", timestamp=stamp)
    except typst.TypstError as exc:
        raise RenderError(f"Typst could not compile the {what}: {exc.message}") from exc
    if not isinstance(pdf, bytes):
        raise RenderError("Typst returned no PDF.")
    return pdf


def render_statement_pdf(statement: Statement, company: CompanyInfo) -> bytes:
    """The statement as PDF bytes, compiled in-process with the bundled fonts only.

    The PDF's creation date is the statement date, so the same statement gives the same bytes.
    Raises RenderError when the logo is not a PNG or Typst rejects the document.
    """
    return render_view_pdf(build_view(statement, company), company, statement.statement_date)


def render_view_pdf(view: StatementView, company: CompanyInfo, day: date) -> bytes:
    """The PDF of a statement view already built (the e-mail is rendered from the same one)."""
    source = _typst_source(view, has_logo=company.logo_png is not None)
    return compile_typst(source, logo_png=company.logo_png, day=day, what="statement")
