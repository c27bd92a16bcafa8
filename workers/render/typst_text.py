"""Typst source is generated from Jinja2 templates; every customer value passes through here
so that no name, address or reference can become Typst code: escaped markup, string literals,
and the shared template environment."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from workers.render.i18n import Translator

TEMPLATES_DIR = Path(__file__).parent / "templates"
_PUNCTUATION = frozenset("\\#$*_[]<>@`~\"'/=-+.:;,!?%&(){}|^")
_ESCAPES = {ord(ch): "\\" + ch for ch in _PUNCTUATION}


class RenderError(Exception):
    """The statement could not be turned into a PDF (bad logo, Typst failure)."""


class TypstRaw(str):
    """Typst source written by this module, passed to the template without escaping."""

    __slots__ = ()


@lru_cache(maxsize=4096)
def _blank(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"}


BLANKS = "\t\n\r\x0b\x0c\x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(
    map(chr, range(0x2000, 0x200B))
)
_SPACES = str.maketrans(dict.fromkeys(BLANKS, " "))


def _plain(text: str) -> str:
    """``text`` with line breaks, tabs and other control or separator characters as spaces."""
    if text.isprintable():  # False for any of them but the plain space
        return text
    text = text.translate(_SPACES)  # the common ones: no-break spaces of French numbers, ...
    if text.isprintable():
        return text
    return "".join(" " if _blank(ch) else ch for ch in text)


def escape_typst(text: str) -> str:
    """Make ``text`` print literally inside Typst markup (a ``[...]`` content block).

    Every ASCII punctuation character gets a backslash, which Typst reads as "this character,
    literally": that neutralises ``#`` code, ``$`` maths, ``*``/``_`` strong and emphasis,
    ``[ ]`` content, ``< >`` labels, ``@`` references, backquotes, ``~``, quotes, ``//`` and
    ``/* */`` comments, ``=``/``-``/``+`` line markers, ``--``/``...`` shorthands and URLs.
    Line breaks, tabs and other control or separator characters become a plain space.
    """
    return _plain(text).translate(_ESCAPES)


def typst_string(lines: Sequence[str]) -> TypstRaw:
    """A Typst string literal of ``lines`` joined by line breaks. Inside a string only the
    backslash and the double quote are special, so escaping them (and making control characters
    spaces) prints any text literally; a string is also one element where markup with escapes
    is several, which Typst lays out faster."""
    body = "\\n".join(_plain(line).replace("\\", "\\\\").replace('"', '\\"') for line in lines)
    return TypstRaw(f'"{body}"')


def _finalize(value: Any) -> str:
    if isinstance(value, TypstRaw):
        return value
    if value is None:
        return ""
    return escape_typst(str(value))


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
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
    # a macro's output is Typst source the template wrote (its values already escaped)
    env.filters["macro_output"] = TypstRaw
    return env


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
