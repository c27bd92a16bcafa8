"""Column widths of the statement are computed before Typst lays it out, from the bundled
fonts' own advance widths (hmtx/cmap tables), so a value can be shortened to fit its column
instead of wrapping and breaking the fixed row pitch."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from workers.render.typst_text import BLANKS, RenderError

FONTS_DIR = Path(__file__).parent / "fonts"


class _Advances(dict[str, float]):
    """Advance per character; a character the font lacks prints as its .notdef glyph."""

    def __init__(self, advances: dict[str, float], missing: float) -> None:
        super().__init__(advances)
        self.missing = missing

    def __missing__(self, key: str) -> float:
        return self.missing


@dataclass(frozen=True, slots=True)
class FontWidths:
    """Advance widths (in em) of a bundled font's characters, read from its ``cmap`` and ``hmtx``
    tables, to tell in Python how wide Typst will set a text. Kerning aside: it narrows most
    texts and widens a few by a fraction of a point, which ``FIT_MARGIN`` leaves room for.
    Texts are measured as printed: line breaks, no-break and other blank characters count as
    the plain space ``escape_typst`` makes them."""

    advances: _Advances

    def width(self, text: str, size: float) -> float:
        return sum(map(self.advances.__getitem__, text)) * size

    def lines(self, text: str, size: float, width: float) -> int:
        """How many lines ``text`` takes in a paragraph ``width`` wide, breaking at spaces."""
        space = self.advances[" "] * size
        count, used = 1, -1.0
        for word in text.split():
            needed = self.width(word, size)
            if used >= 0 and used + space + needed > width:
                count, used = count + 1, needed
            else:
                used = needed if used < 0 else used + space + needed
        return count

    def fit(self, text: str, size: float, width: float) -> str:
        """``text``, or as much of it as fits in ``width`` followed by "…"."""
        if self.width(text, size) <= width:
            return text
        budget = width / size - self.advances["…"]
        used, end = 0.0, 0
        for end, advance in enumerate(map(self.advances.__getitem__, text)):  # noqa: B007
            used += advance
            if used > budget:
                break
        return text[:end].rstrip() + "…"


def read_font_widths(path: Path) -> FontWidths:
    """Parse the BMP ``cmap`` subtable (format 4) and the ``hmtx`` advances of a TrueType font."""
    data = path.read_bytes()
    tables: dict[bytes, int] = {}
    for i in range(struct.unpack_from(">H", data, 4)[0]):
        tag, _, offset, _ = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        tables[tag] = offset
    units = struct.unpack_from(">H", data, tables[b"head"] + 18)[0]
    metrics = struct.unpack_from(">H", data, tables[b"hhea"] + 34)[0]
    hmtx = tables[b"hmtx"]
    advances = [struct.unpack_from(">H", data, hmtx + 4 * i)[0] / units for i in range(metrics)]
    cmap = tables[b"cmap"]
    subtable = None
    for i in range(struct.unpack_from(">H", data, cmap + 2)[0]):
        platform, encoding, offset = struct.unpack_from(">HHI", data, cmap + 4 + 8 * i)
        if (platform, encoding) in {(3, 1), (0, 3)}:
            if struct.unpack_from(">H", data, cmap + offset)[0] == 4:
                subtable = cmap + offset
    if subtable is None:
        raise RenderError(f"{path.name} has no Unicode BMP character map.")
    double = struct.unpack_from(">H", data, subtable + 6)[0]
    count = double // 2
    ends = struct.unpack_from(f">{count}H", data, subtable + 14)
    starts = struct.unpack_from(f">{count}H", data, subtable + 16 + double)
    deltas = struct.unpack_from(f">{count}H", data, subtable + 16 + 2 * double)
    range_at = subtable + 16 + 3 * double
    ranges = struct.unpack_from(f">{count}H", data, range_at)
    widths: dict[str, float] = {}
    for seg in range(count):
        for code in range(starts[seg], min(ends[seg], 0xFFFE) + 1):
            if ranges[seg] == 0:
                glyph = (code + deltas[seg]) & 0xFFFF
            else:
                at = range_at + 2 * seg + ranges[seg] + 2 * (code - starts[seg])
                glyph = struct.unpack_from(">H", data, at)[0]
                glyph = (glyph + deltas[seg]) & 0xFFFF if glyph else 0
            if glyph:
                widths[chr(code)] = advances[min(glyph, metrics - 1)]
    widths.update(dict.fromkeys(BLANKS, widths.get(" ", advances[0])))
    return FontWidths(_Advances(widths, advances[0]))


@cache
def bundled_font_widths() -> tuple[FontWidths, FontWidths]:
    """(regular, bold) widths of the bundled fonts, read once per process."""
    return (
        read_font_widths(FONTS_DIR / "DejaVuSans.ttf"),
        read_font_widths(FONTS_DIR / "DejaVuSans-Bold.ttf"),
    )
