"""Statement XML comes from outside: it must never reach the network, the disk or expand."""

from __future__ import annotations

import codecs
import re

from lxml import etree

from domain.bank.errors import ParseError

_DOCTYPE = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def _as_text_for_scan(data: bytes) -> str:
    """Decode just enough to look for a DOCTYPE, whatever the (BOM-declared) encoding."""
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace")
    if data[:4] in (b"<\x00?\x00", b"\x00<\x00?"):
        return data.decode("utf-16-le" if data[0] == 0x3C else "utf-16-be", errors="replace")
    return data.decode("latin-1")


def parse_xml(data: bytes) -> etree._Element:
    """Parse untrusted XML: no DTD, no entities, no network, no huge trees.

    Any DOCTYPE is refused before parsing, so neither external entities (XXE) nor entity
    expansion (billion laughs) can happen, whatever libxml2 would otherwise do.
    """
    if _DOCTYPE.search(_as_text_for_scan(data)):
        raise ParseError("DOCTYPE not allowed: statement files must not declare a DTD or entities")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_pis=True,
        remove_comments=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else 1
        raise ParseError(f"the XML is not well-formed ({exc.msg})", f"line {line}") from exc
    except (ValueError, LookupError) as exc:
        raise ParseError(f"the XML cannot be read ({exc})", "line 1") from exc
    if root is None:
        raise ParseError("the XML document is empty", "line 1")
    docinfo = root.getroottree().docinfo
    if docinfo.doctype:
        raise ParseError("DOCTYPE not allowed: statement files must not declare a DTD or entities")
    return root


def local_name(element: etree._Element) -> str:
    """The tag without its namespace (``{urn:...}Ntry`` -> ``Ntry``)."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def namespace_of(element: etree._Element) -> str:
    """The namespace URI of an element, empty when it has none."""
    tag = element.tag
    if not isinstance(tag, str) or not tag.startswith("{"):
        return ""
    return tag[1:].partition("}")[0]


def element_path(element: etree._Element) -> str:
    """A readable path such as ``/Document/BkToCstmrStmt/Stmt[1]/Ntry[3]/Amt``."""
    parts: list[str] = []
    current: etree._Element | None = element
    while current is not None:
        name = local_name(current)
        parent = current.getparent()
        if parent is None:
            parts.append(name)
        else:
            same = [c for c in parent if local_name(c) == name]
            parts.append(f"{name}[{same.index(current) + 1}]" if len(same) > 1 else name)
        current = parent
    return "/" + "/".join(reversed(parts))
