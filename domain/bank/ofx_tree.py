"""OFX files come from many banks' exporters; read the header and tag soup without trusting them."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ofxtools.header import OFXHeaderV1
from ofxtools.Parser import ParseError as OfxToolsParseError
from ofxtools.Parser import TreeBuilder

from domain.bank.errors import ParseError

_XML_ENCODING = re.compile(rb"<\?xml[^>]{0,200}?encoding=[\"']([A-Za-z0-9_.-]{1,40})[\"']")
_MAX_HEADER = 4096


class _SafeTreeBuilder(TreeBuilder):
    """ofxtools' tag-soup builder with a CDATA pattern that cannot backtrack for long.

    Upstream matches CDATA greedily up to the last ``]]>`` of a line; here it stops at the
    first one (two CDATA sections on one line stay apart). Unterminated CDATA is refused
    before parsing, so no pattern ever scans a long line for a terminator that is absent.
    """

    regex = re.compile(
        r"""<(?P<tag>[A-Z0-9./_ ]+?)>
                ((<!\[CDATA\[(?P<cdata>.+?)\]\]>)|(?P<text>[^<]+))?
            (</(?P<closetag>(?P=tag))>)?
            (?P<tail>[^<]+)?
        """,
        re.VERBOSE,
    )

    def __init__(self, first_line: int) -> None:
        super().__init__()
        self._first_line = first_line
        self.open_tags: list[str] = []

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        """Open an element, remembering it so that its closing tag can be checked."""
        self.open_tags.append(tag)
        return super().start(tag, attrs)

    def end(self, tag: str) -> ET.Element:
        """Close the innermost open element; a closing tag for any other element is an error."""
        if not self.open_tags:
            raise OfxToolsParseError(f"</{tag}> closes nothing")
        if self.open_tags[-1] != tag:
            raise OfxToolsParseError(f"</{tag}> closes <{self.open_tags[-1]}>")
        self.open_tags.pop()
        return super().end(tag)

    def feed(self, data: str) -> None:
        """Build the element tree, naming the file line of any structural error."""
        for match in self.regex.finditer(data):
            try:
                groups = match.groupdict()
                if self._groomstring(groups["tail"]):
                    raise OfxToolsParseError(f"unexpected text {groups['tail'].strip()[:40]!r}")
                text = groups["cdata"] or self._groomstring(groups["text"])
                self._feedmatch(groups["tag"], text, groups["closetag"])
            except (OfxToolsParseError, ET.ParseError, AssertionError, IndexError) as exc:
                line = self._first_line + data.count("\n", 0, match.start())
                reason = str(exc) or f"closing tag </{groups['tag'].lstrip('/')}> does not match"
                raise ParseError(f"the OFX markup is broken ({reason})", f"line {line}") from exc


def _header_codec(header: bytes) -> str:
    """The text codec an OFX 1.x SGML header declares (ENCODING/CHARSET), via ofxtools."""
    try:
        text = header.decode("ascii")
        parsed, _ = OFXHeaderV1.parse(text)
        return str(parsed.codec)
    except Exception as exc:  # ascii errors, ofxtools' OFXHeaderError / OFXSpecError, ...
        raise ParseError(f"the OFX header is not valid ({exc})".split("\n")[0], "line 1") from exc


def _decode(body: bytes, codec: str, first_line: int) -> str:
    try:
        return body.decode(codec)
    except UnicodeDecodeError as exc:
        line = first_line + body[: exc.start].count(b"\n")
        raise ParseError(
            f"byte 0x{body[exc.start]:02x} is not valid {codec} text", f"line {line}"
        ) from exc
    except LookupError as exc:
        raise ParseError(f"the OFX file declares an unknown encoding {codec!r}", "line 1") from exc


def read_ofx_tree(data: bytes) -> ET.Element:
    """Parse an OFX 1.x (SGML) or 2.x (XML) file into a raw element tree, values as written."""
    stripped = data.lstrip()
    skipped_lines = data[: len(data) - len(stripped)].count(b"\n")
    if stripped.startswith((b"<?xml", b"<?OFX", b"<OFX>")):
        declared = _XML_ENCODING.match(stripped)
        codec = declared.group(1).decode("ascii") if declared else "utf-8"
        if codec.upper() in ("ASCII", "US-ASCII", "USASCII"):
            codec = "utf-8"  # a superset: banks declare ASCII and still send accents
        start = stripped.find(b"<OFX>")
        if start < 0:
            raise ParseError("the OFX 2 file has no <OFX> element", f"line {skipped_lines + 1}")
        first_line = skipped_lines + 1 + stripped[:start].count(b"\n")
        body = _decode(stripped[start:], codec, first_line)
    elif stripped.startswith(b"OFXHEADER:"):
        start = stripped.find(b"<")
        if start < 0 or start > _MAX_HEADER:
            raise ParseError(
                "the OFX 1 header is not followed by <OFX>", f"line {skipped_lines + 1}"
            )
        codec = _header_codec(stripped[:start])
        first_line = skipped_lines + 1 + stripped[:start].count(b"\n")
        body = _decode(stripped[start:], codec, first_line)
    else:
        raise ParseError("this is not an OFX file (no OFXHEADER or <?OFX header)", "line 1")
    _refuse_unterminated_cdata(body, first_line)
    builder = _SafeTreeBuilder(first_line)
    builder.feed(body)
    if builder.open_tags:
        raise ParseError(
            f"the OFX file ends before <{builder.open_tags[-1]}> is closed (truncated file?)",
            f"line {first_line + body.count(chr(10))}",
        )
    try:
        root = builder.close()
    except AssertionError as exc:
        raise ParseError("the OFX file holds no element", f"line {first_line}") from exc
    if not isinstance(root, ET.Element) or root.tag != "OFX":
        raise ParseError("the OFX file has no <OFX> element", f"line {first_line}")
    return root


def _refuse_unterminated_cdata(body: str, first_line: int) -> None:
    if "<![CDATA[" not in body:
        return
    for offset, line in enumerate(body.split("\n")):
        opening = line.rfind("<![CDATA[")
        if opening >= 0 and line.rfind("]]>") < opening:
            raise ParseError(
                "a CDATA section is not closed on its line", f"line {first_line + offset}"
            )
