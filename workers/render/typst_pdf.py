"""Customers receive their statement as a PDF that must look the same on every machine and must
never let a customer's name or address change the document, so the Typst source is generated
from a Jinja2 template whose every value is escaped, and compiled in-process with bundled fonts.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
import unicodedata
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import jinja2
import typst

from domain.statements import Statement
from workers.render.i18n import Translator
from workers.render.view import CompanyInfo, StatementView, build_view

FONTS_DIR = Path(__file__).parent / "fonts"
TEMPLATES_DIR = Path(__file__).parent / "templates"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PUNCTUATION = frozenset("\\#$*_[]<>@`~\"'/=-+.:;,!?%&(){}|^")


class RenderError(Exception):
    """The statement could not be turned into a PDF (bad logo, Typst failure)."""


class TypstRaw(str):
    """Typst source written by this module, passed to the template without escaping."""

    __slots__ = ()


def escape_typst(text: str) -> str:
    """Make ``text`` print literally inside Typst markup (a ``[...]`` content block).

    Every ASCII punctuation character gets a backslash, which Typst reads as "this character,
    literally": that neutralises ``#`` code, ``$`` maths, ``*``/``_`` strong and emphasis,
    ``[ ]`` content, ``< >`` labels, ``@`` references, backquotes, ``~``, quotes, ``//`` and
    ``/* */`` comments, ``=``/``-``/``+`` line markers, ``--``/``...`` shorthands and URLs.
    Line breaks, tabs and other control or separator characters become a plain space.
    """
    out: list[str] = []
    for ch in text:
        if ch in _PUNCTUATION:
            out.append("\\" + ch)
        elif ch.isspace() or unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"}:
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def _finalize(value: Any) -> str:
    if isinstance(value, TypstRaw):
        return value
    if value is None:
        return ""
    return escape_typst(str(value))


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        block_start_string="<%",
        block_end_string="%>",
        variable_start_string="<<",
        variable_end_string=">>",
        comment_start_string="<#",
        comment_end_string="#>",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        autoescape=False,
    )


TYPST_TEMPLATES = _environment()  # shared by every Typst document (statements, reminders)


def page_label(tr: Translator) -> TypstRaw:
    """``Page 1 of 2`` in the statement's language, as Typst code evaluated on each page."""
    before, _, rest = tr.t("page_of", page="\0", total="\1").partition("\0")
    middle, _, after = rest.partition("\1")
    return TypstRaw(
        escape_typst(before)
        + "#counter(page).display()"
        + escape_typst(middle)
        + "#counter(page).final().first()"
        + escape_typst(after)
    )


def render_statement_typst(statement: Statement, company: CompanyInfo) -> str:
    """The Typst source of the statement (the logo, if any, is read from ``logo.png``)."""
    view = build_view(statement, company)
    return _typst_source(view, has_logo=company.logo_png is not None)


def _typst_source(view: StatementView, *, has_logo: bool) -> str:
    language = view.tr.language
    aging_columns = 1 + max((len(s.aging.headers) for s in view.sections if s.aging), default=5)
    return TYPST_TEMPLATES.get_template("statement.typ.j2").render(
        v=view,
        lang=TypstRaw(language if language.isalpha() else "en"),
        page_label=page_label(view.tr),
        currencies=", ".join(s.currency for s in view.sections),
        has_logo=has_logo,
        aging_columns=TypstRaw(str(aging_columns)),
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
    source = render_statement_typst(statement, company)
    return compile_typst(
        source, logo_png=company.logo_png, day=statement.statement_date, what="statement"
    )
