"""Customers receive their statement as a PDF that must look the same on every machine and must
never let a customer's name or address change the document, so the Typst source is generated
from a Jinja2 template whose every value is escaped, and compiled in-process with bundled fonts.
"""

from __future__ import annotations

import tempfile
import unicodedata
from datetime import UTC, datetime
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


_ENV = _environment()


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
    return _ENV.get_template("statement.typ.j2").render(
        v=view,
        lang=TypstRaw(language if language.isalpha() else "en"),
        page_label=page_label(view.tr),
        currencies=", ".join(s.currency for s in view.sections),
        has_logo=has_logo,
        aging_columns=TypstRaw(str(aging_columns)),
    )


def render_statement_pdf(statement: Statement, company: CompanyInfo) -> bytes:
    """The statement as PDF bytes, compiled in-process with the bundled fonts only.

    The PDF's creation date is the statement date, so the same statement gives the same bytes.
    Raises RenderError when the logo is not a PNG or Typst rejects the document.
    """
    logo = company.logo_png
    if logo is not None and not logo.startswith(PNG_SIGNATURE):
        raise RenderError("The company logo is not a PNG image.")
    source = render_statement_typst(statement, company).encode()
    stamp = datetime(
        statement.statement_date.year,
        statement.statement_date.month,
        statement.statement_date.day,
        tzinfo=UTC,
    )
    try:
        with tempfile.TemporaryDirectory(prefix="lettrage-statement-") as tmp:
            root = Path(tmp)
            (root / "statement.typ").write_bytes(source)
            if logo is not None:
                (root / "logo.png").write_bytes(logo)
            pdf = typst.compile(
                root / "statement.typ",
                root=root,
                font_paths=[FONTS_DIR],
                ignore_system_fonts=True,
                format="pdf",
                timestamp=stamp,
            )
    except typst.TypstError as exc:
        raise RenderError(f"Typst could not compile the statement: {exc.message}") from exc
    if not isinstance(pdf, bytes):
        raise RenderError("Typst returned no PDF.")
    return pdf
