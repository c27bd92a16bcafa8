"""Typst's cost grows with the number of layout elements (about 0.1 ms per table cell), so the
statement's tables are not laid out cell by cell: each column of a run of lines is one cell whose
lines are joined by line breaks at a fixed pitch, with fixed column widths measured from the
fonts (a text too wide for its column is shortened with "…", so no line ever wraps and the
columns stay aligned). Row heights are fixed too, which lets this module tell where each page
will end and cut the runs of lines there; Typst then breaks the table between runs and repeats
the column headers on the next page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from workers.render.font_widths import bundled_font_widths
from workers.render.typst_text import TypstRaw, escape_typst, typst_string
from workers.render.view import SectionView, StatementView

# ---------------------------------------------------------------------------------------------
# Geometry of statement.typ.j2, in points. The template receives these numbers (``g``), so the
# heights this module adds up are the ones Typst lays out: every text line has a fixed height
# (its ``top-edge``/``bottom-edge``), paragraphs and blocks have no spacing of their own and
# every gap is an explicit ``v``.

_CM = 72 / 2.54
PAGE_WIDTH, PAGE_HEIGHT = 595.2756, 841.8898  # A4
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 1.8 * _CM, 1.8 * _CM, 2.2 * _CM  # the footer is below
BODY_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
BODY_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
FONT_SIZE = 8.5
LINE = 1.25  # height of a text line, in em: top edge 0.95em above the baseline, bottom 0.3em below
ROW = 12.6  # pitch of table lines (the cap height centred in the old 3.2pt-padded rows)
ROW_TOP = 9.4  # baseline below the top of a table line
INSET = 4.0  # horizontal padding of a table cell
FIT_MARGIN = 1.0  # points kept free in every cell: kerning can widen a text by a fraction of one
LOGO, LOGO_GAP = 1.5 * _CM, 4.0
COMPANY_SIZE, TITLE_SIZE, TITLE_GAP = 12.0, 17.0, 6.0
INFO_INSET_X, INFO_INSET_Y, INFO_GUTTER, HEADER_GUTTER = 6.0, 4.0, 12.0, 1.0 * _CM
CUSTOMER_BEFORE, CUSTOMER_AFTER, CUSTOMER_WIDTH, CUSTOMER_SIZE = 1.3 * _CM, 1.1 * _CM, 9 * _CM, 10.0
SECTION_SIZE, SUBTITLE_SIZE, UNDER_TITLE = 11.0, 10.0, 4.0
BLOCK_GAP, SECTION_GAP, NOTE_GAP, NOTE_SIZE = 10.0, 14.0, 3.0, 8.0
REF_SHARE, DOCUMENT_SHARE = 0.2, 0.22  # your ref. gets at most, the document at least, this much
NEAR_END = 6  # a page ending this few lines after a table still gets cuts (the estimate may be off)
_EPSILON = 0.01


def _pt(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".") + "pt"


GEOMETRY = {
    "margin_x": TypstRaw(_pt(MARGIN_X)),
    "margin_top": TypstRaw(_pt(MARGIN_TOP)),
    "margin_bottom": TypstRaw(_pt(MARGIN_BOTTOM)),
    "row": TypstRaw(_pt(ROW)),
    "row_top": TypstRaw(_pt(ROW_TOP)),
    "row_bottom": TypstRaw(_pt(ROW_TOP - ROW)),
    "inset": TypstRaw(_pt(INSET)),
    "size": TypstRaw(_pt(FONT_SIZE)),
    "top_edge": TypstRaw("0.95em"),
    "bottom_edge": TypstRaw("-0.3em"),
    "logo": TypstRaw(_pt(LOGO)),
    "logo_gap": TypstRaw(_pt(LOGO_GAP)),
    "company_size": TypstRaw(_pt(COMPANY_SIZE)),
    "title_size": TypstRaw(_pt(TITLE_SIZE)),
    "title_gap": TypstRaw(_pt(TITLE_GAP)),
    "info_inset_x": TypstRaw(_pt(INFO_INSET_X)),
    "info_inset_y": TypstRaw(_pt(INFO_INSET_Y)),
    "info_gutter": TypstRaw(_pt(INFO_GUTTER)),
    "header_gutter": TypstRaw(_pt(HEADER_GUTTER)),
    "customer_before": TypstRaw(_pt(CUSTOMER_BEFORE)),
    "customer_after": TypstRaw(_pt(CUSTOMER_AFTER)),
    "customer_width": TypstRaw(_pt(CUSTOMER_WIDTH)),
    "customer_size": TypstRaw(_pt(CUSTOMER_SIZE)),
    "section_size": TypstRaw(_pt(SECTION_SIZE)),
    "subtitle_size": TypstRaw(_pt(SUBTITLE_SIZE)),
    "under_title": TypstRaw(_pt(UNDER_TITLE)),
    "block_gap": TypstRaw(_pt(BLOCK_GAP)),
    "section_gap": TypstRaw(_pt(SECTION_GAP)),
    "note_gap": TypstRaw(_pt(NOTE_GAP)),
    "note_size": TypstRaw(_pt(NOTE_SIZE)),
}


@dataclass(slots=True)
class _Flow:
    """Where the next block of the statement lands, as Typst's flow will place it."""

    y: float = 0.0

    def gap(self, height: float) -> None:
        """Weak spacing: it vanishes at the top of a page."""
        if self.y > 0:
            self.y = min(self.y + height, BODY_HEIGHT)

    def block(self, height: float) -> bool:
        """An unbreakable block; True when it moves to a new page."""
        moved = self.y > 0 and self.y + height > BODY_HEIGHT + _EPSILON
        self.y = (0.0 if moved else self.y) + height
        return moved

    def lines_left(self) -> int:
        return int((BODY_HEIGHT - self.y + _EPSILON) // ROW)


@dataclass(frozen=True, slots=True)
class Column:
    """A table column: its header, one text per line, how it is sized and aligned.

    ``size``: ``fixed`` columns are as wide as their widest text, the ``flex`` column takes the
    rest of the line, a ``capped`` column is as wide as its widest text up to a share of the line;
    texts of ``flex`` and ``capped`` columns are shortened to fit. ``markup`` columns hold
    customer text, escaped as markup; the others are printed from a string literal.
    ``bold`` is extra bold text the column prints (its total)."""

    label: str
    values: tuple[str, ...]
    size: Literal["fixed", "flex", "capped"] = "fixed"
    right: bool = False
    markup: bool = False
    bold: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Table:
    """A part of a statement table laid out for ``statement.typ.j2``: Typst arguments of its grid
    (column widths, alignment, row heights, fills, zebra, rule colour), header labels and body
    cells. The zebra shading is one tiling under the whole grid (cell by cell, viewers show thin
    seams between the cells' fills); the header and closing rows cover it.
    A table is one part unless its closing row would be left alone on a new page: then its last
    line starts a second part on that page."""

    columns: TypstRaw
    align: TypstRaw
    rows: TypstRaw
    fill: TypstRaw
    stripes: TypstRaw  # zebra tiling of the block under the grid
    color: TypstRaw
    labels: tuple[str, ...]
    body: TypstRaw
    span: TypstRaw  # columns spanned by a row's label (all but the last)
    new_page: bool  # start this part (with the title, for the first part) on a new page
    first: bool  # has the title and the rows before the lines
    last: bool  # has the closing row


@dataclass(frozen=True, slots=True)
class SectionLayout:
    """One currency section: its lines and overdue tables (each one or two parts), and the
    aging band's column count, header height (in lines) and amount cells."""

    section: SectionView
    lines: tuple[Table, ...]
    overdue: tuple[Table, ...]
    aging_columns: TypstRaw
    aging_header_lines: TypstRaw
    aging_amounts: TypstRaw  # one string literal cell per bucket


@dataclass(frozen=True, slots=True)
class StatementLayout:
    """What ``statement.typ.j2`` needs besides the view: header widths and the sections."""

    right_width: TypstRaw  # of the header's title and information box
    info_width: TypstRaw
    sections: tuple[SectionLayout, ...]


def _widths(columns: Sequence[Column]) -> list[float | None]:
    """Column widths in points; None for the flex column (``1fr``)."""
    regular, bold = bundled_font_widths()
    natural = [
        max(
            [bold.width(c.label, FONT_SIZE)]
            + [regular.width(v, FONT_SIZE) for v in c.values]
            + [bold.width(v, FONT_SIZE) for v in c.bold]
        )
        + 2 * INSET
        + FIT_MARGIN
        for c in columns
    ]
    fixed = sum(w for c, w in zip(columns, natural, strict=True) if c.size == "fixed")
    widths: list[float | None] = []
    for c, w in zip(columns, natural, strict=True):
        if c.size == "capped":
            floor = bold.width(c.label, FONT_SIZE) + 2 * INSET + FIT_MARGIN
            room = BODY_WIDTH - fixed - DOCUMENT_SHARE * BODY_WIDTH
            w = max(floor, min(w, REF_SHARE * BODY_WIDTH, room))
        widths.append(None if c.size == "flex" else w)
    return widths


def _paginate(
    flow: _Flow, count: int, *, lead: float, before: int, after: int
) -> tuple[bool, list[int], int | None]:
    """Where the pages will break a table of ``count`` lines placed ``lead`` points (its title)
    under the flow's position, with ``before`` rows above the lines and ``after`` rows below.

    Returns whether to start it on a new page, where to split the lines into runs (each
    predicted page end and a few lines above it, in case the prediction is optimistic, so that
    Typst breaks the table there) and where a second part must start on a new page (so that
    the closing row is not left alone under a repeated header), if it must."""
    # the title, the header and the rows before the lines stay with the first two lines
    first = lead + ROW * (1 + before + min(count, 2) + (after if count <= 2 else 0))
    new_page = flow.block(first)
    flow.y += lead + ROW * (1 + before) - first
    cuts: set[int] = set()
    done = 0
    while True:
        end = done + flow.lines_left()
        if end < count + NEAR_END:
            cuts.update(c for c in (end - 6, end - 2, end) if done < c < count)
        if end >= count:
            flow.y += (count - done) * ROW
            break
        done, flow.y = end, ROW  # the next page starts under a repeated header
    tail = None
    if after and flow.block(after * ROW):
        if count - done >= 2:
            tail = count - 1
        flow.y = ROW * (1 + after + (1 if tail is not None else 0))
    return new_page, sorted(c for c in cuts if tail is None or c < tail), tail


def _table(
    flow: _Flow,
    columns: Sequence[Column],
    *,
    lead: float,
    before: int,
    after: int,
    color: str,
) -> tuple[Table, ...]:
    """Lay out one table placed ``lead`` points under the flow's position (its title)."""
    regular, _ = bundled_font_widths()
    widths = _widths(columns)
    fixed = sum(w for w in widths if w is not None)
    fitted = []
    for c, w in zip(columns, widths, strict=True):
        room = (BODY_WIDTH - fixed if w is None else w) - 2 * INSET - FIT_MARGIN
        if c.size == "fixed":
            fitted.append(c.values)
        else:
            fitted.append(tuple(regular.fit(v, FONT_SIZE, room) for v in c.values))
    count = len(columns[0].values)
    new_page, cuts, tail = _paginate(flow, count, lead=lead, before=before, after=after)
    parts = [(0, tail if tail is not None else count, cuts)]
    if tail is not None:
        parts.append((tail, count, []))
    tables = []
    for index, (begin, finish, part_cuts) in enumerate(parts):
        first, last = index == 0, index == len(parts) - 1
        rows = ["row"] * (1 + (before if first else 0))
        fills = [color] + ["none"] * (len(rows) - 1)
        # the zebra tiling fills the block under the grid, from its top: shade even lines
        stripes = "stripes" if (len(rows) - begin) % 2 == 0 else "stripes-odd"
        cells: list[str] = []
        bounds = [begin, *part_cuts, finish]
        for start, stop in zip(bounds, bounds[1:], strict=False):
            if stop == start:
                continue
            rows.append(f"row * {stop - start}")
            fills.append("none")
            for c, values in zip(columns, fitted, strict=True):
                run = values[start:stop]
                if c.markup:
                    cells.append("[" + " \\ ".join(escape_typst(v) for v in run) + "]")
                else:
                    cells.append(typst_string(run))
        if last:
            rows += ["row"] * after
            fills += ["white"] * after
        tables.append(
            Table(
                columns=TypstRaw(
                    "(" + ", ".join("1fr" if w is None else _pt(w) for w in widths) + ")"
                ),
                align=TypstRaw(
                    "(" + ", ".join("right" if c.right else "left" for c in columns) + ")"
                ),
                rows=TypstRaw("(" + ", ".join(rows) + ")"),
                fill=TypstRaw("(_, y) => (" + ", ".join(fills) + ").at(y)"),
                stripes=TypstRaw(stripes),
                color=TypstRaw(color),
                labels=tuple(c.label for c in columns),
                body=TypstRaw("".join(cell + ",\n  " for cell in cells)),
                span=TypstRaw(str(len(columns) - 1)),
                new_page=new_page if first else True,
                first=first,
                last=last,
            )
        )
    return tuple(tables)


def _line_columns(view: StatementView, s: SectionView) -> list[Column]:
    t = view.t
    lines = s.lines
    amounts = (
        [
            Column(t("original_amount"), tuple(x.original_amount for x in lines), right=True),
            Column(t("remaining"), tuple(x.amount for x in lines), right=True),
        ]
        if view.open_item_style
        else [Column(t("amount"), tuple(x.amount for x in lines), right=True)]
    )
    return [
        Column(t("date"), tuple(x.date for x in lines)),
        Column(t("document"), tuple(x.document for x in lines), size="flex", markup=True),
        Column(t("your_ref"), tuple(x.your_ref for x in lines), size="capped", markup=True),
        Column(t("due_date"), tuple(x.due_date for x in lines)),
        *amounts,
        Column(
            t("balance"),
            tuple(x.balance for x in lines),
            right=True,
            bold=(s.closing_balance, s.opening_balance),
        ),
    ]


def _overdue_columns(view: StatementView, s: SectionView) -> list[Column]:
    t = view.t
    items = s.overdue
    return [
        Column(t("document"), tuple(o.document for o in items), size="flex", markup=True),
        Column(t("your_ref"), tuple(o.your_ref for o in items), size="capped", markup=True),
        Column(t("due_date"), tuple(o.due_date for o in items)),
        Column(t("days_overdue"), tuple(o.days_overdue for o in items), right=True),
        Column(t("original_amount"), tuple(o.original_amount for o in items), right=True),
        Column(
            t("remaining"), tuple(o.remaining for o in items), right=True, bold=(s.overdue_total,)
        ),
    ]


def _header(view: StatementView, *, has_logo: bool) -> tuple[float, float, float]:
    """Height of the company header and the customer address block above the first section,
    width of the header's right column (title and information box) and of the box."""
    regular, bold = bundled_font_widths()
    t, company = view.t, view.company
    labels = [t("statement_date"), t("customer_no"), t("period"), t("currency")]
    strong = [view.statement_date, view.customer_no]
    values = [view.period, currency_list(view)]
    info = (
        2 * INFO_INSET_X
        + max(regular.width(x, FONT_SIZE) for x in labels)
        + INFO_GUTTER
        + max(
            [bold.width(x, FONT_SIZE) for x in strong]
            + [regular.width(x, FONT_SIZE) for x in values]
        )
        + FIT_MARGIN
    )
    right_width = max(info, bold.width(t("statement"), TITLE_SIZE) + FIT_MARGIN)
    right = LINE * TITLE_SIZE + TITLE_GAP + 2 * INFO_INSET_Y + 4 * ROW
    room = BODY_WIDTH - HEADER_GUTTER - right_width
    small = LINE * FONT_SIZE
    left = (LOGO + LOGO_GAP if has_logo else 0) + LINE * COMPANY_SIZE * bold.lines(
        company.name, COMPANY_SIZE, room
    )
    left += sum(small * regular.lines(x, FONT_SIZE, room) for x in company_lines(view))
    customer = LINE * CUSTOMER_SIZE * bold.lines(
        view.customer_name, CUSTOMER_SIZE, CUSTOMER_WIDTH
    ) + sum(small * regular.lines(x, FONT_SIZE, CUSTOMER_WIDTH) for x in view.customer_address)
    height = max(left, right) + CUSTOMER_BEFORE + customer + CUSTOMER_AFTER
    return height, right_width, info


def company_lines(view: StatementView) -> list[str]:
    """The lines under the company name: address, e-mail, VAT number."""
    company = view.company
    lines = [*company.address_lines]
    if company.email:
        lines.append(company.email)
    if company.vat_no:
        lines.append(f"{view.t('vat_no')} {company.vat_no}")
    return lines


def currency_list(view: StatementView) -> str:
    return ", ".join(s.currency for s in view.sections)


def layout_statement(view: StatementView, *, has_logo: bool) -> StatementLayout:
    """Column widths, fitted texts and page cuts of every table of the statement."""
    _, bold = bundled_font_widths()
    header, right_width, info_width = _header(view, has_logo=has_logo)
    flow = _Flow(header)
    sections = []
    for index, s in enumerate(view.sections):
        if index:
            flow.gap(SECTION_GAP)
        title = f"{s.title} {s.heading}"
        title_lines = bold.lines(title, SECTION_SIZE, BODY_WIDTH - 2 * SECTION_SIZE)
        lead = LINE * SECTION_SIZE * title_lines + UNDER_TITLE
        lines = _table(flow, _line_columns(view, s), lead=lead, before=1, after=1, color="accent")
        if not s.lines:
            flow.block(NOTE_GAP + LINE * NOTE_SIZE)
        overdue: tuple[Table, ...] = ()
        if view.include_overdue and s.has_overdue:
            flow.gap(BLOCK_GAP)
            overdue = _table(
                flow,
                _overdue_columns(view, s),
                lead=LINE * SUBTITLE_SIZE + UNDER_TITLE,
                before=0,
                after=1,
                color="alert",
            )
        aging_lines, buckets = 1, 0
        if s.aging:
            flow.gap(BLOCK_GAP)
            buckets = len(s.aging.headers)
            width = BODY_WIDTH / (buckets + 1) - 2 * INSET - FIT_MARGIN
            aging_lines = max(
                bold.lines(h, FONT_SIZE, width) for h in [*s.aging.headers, view.t("total")]
            )
            flow.block(LINE * SUBTITLE_SIZE + UNDER_TITLE + ROW * (aging_lines + 1))
        sections.append(
            SectionLayout(
                section=s,
                lines=lines,
                overdue=overdue,
                aging_columns=TypstRaw(str(buckets + 1)),
                aging_header_lines=TypstRaw(str(aging_lines)),
                aging_amounts=TypstRaw(
                    ", ".join(typst_string([a]) for a in s.aging.amounts) if s.aging else ""
                ),
            )
        )
    return StatementLayout(
        right_width=TypstRaw(_pt(right_width)),
        info_width=TypstRaw(_pt(info_width)),
        sections=tuple(sections),
    )
