"""Shared pieces of the printed documents: type sizes, styles, grid rows, ruled tables, QR,
page furniture and numbering.

Type sizes follow the Chinese 字号 used on government forms (小二 title, 五号
body).  Every document is built by a small renderer class in the pretix shape —
``_register_fonts``, ``_get_stylesheet``, ``_get_story``, ``_build_doc`` — and
returns PDF bytes; the A4 documents (notice, forms) share :class:`A4Renderer`,
which draws the same header and footer on each of their pages.  Pages are
numbered "第 x 页 共 y 页" per *part* (a bundle's cover and each member form are
numbered on their own, as each goes to its own back office), which needs the
page count before a page is finished: that is what :class:`PagedCanvas` is for.
"""

from __future__ import annotations

import functools
import html
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from io import BytesIO
from typing import Any

import qrcode
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

from kiosk.catalog.catalog import Catalog
from kiosk.printing.fonts import FONT, register_fonts
from kiosk.printing.slip import qr_text

# 字号 in points.
XIAO_ER = 18.0  # 小二: form titles
SAN_HAO = 16.0  # 三号
SI_HAO = 14.0  # 四号
XIAO_SI = 12.0  # 小四
WU_HAO = 10.5  # 五号: body text
XIAO_WU = 9.0  # 小五: notes, headers, footers
LIU_HAO = 7.5  # 六号

INK = colors.black
RULE = colors.HexColor("#333333")
SHADE = colors.HexColor("#EDEDED")  # label cells: light enough for any laser printer
SECTION = colors.HexColor("#D9D9D9")
MUTED = colors.HexColor("#555555")


# The font has no ☑; a filled box reads as ticked.  Drawn a size up: at body size
# the font's boxes are smaller than the characters beside them.
def box(checked: bool, size: float = 13) -> str:
    return f'<font size="{size}">{"■" if checked else "□"}</font>'


CHECKED = box(True)
UNCHECKED = box(False)
GAP = "&nbsp;" * 4  # a visible gap (Paragraph collapses ordinary and ideographic spaces)
BLANK_DATE = f"{'&nbsp;' * 10}年{'&nbsp;' * 5}月{'&nbsp;' * 5}日"  # for a date written by hand

A4_MARGIN = 18 * mm
HEADER_HEIGHT = 24 * mm  # code and QR band at the top of every A4 page
FOOTER_HEIGHT = 14 * mm


def esc(text: str) -> str:
    """Visitor text for a Paragraph: markup escaped, line breaks kept."""
    return html.escape(text, quote=False).replace("\n", "<br/>")


def local_time(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def chinese_date(moment: datetime) -> str:
    local = moment.astimezone()
    return f"{local.year}年{local.month}月{local.day}日"


def stylesheet() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle(
        "body",
        fontName=FONT,
        fontSize=WU_HAO,
        leading=WU_HAO * 1.45,
        wordWrap="CJK",  # Chinese breaks between any two characters
        textColor=INK,
    )

    def derive(name: str, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    return {
        "body": base,
        "label": derive("label", alignment=TA_CENTER),
        "value": derive("value", alignment=TA_LEFT),
        "small": derive("small", fontSize=XIAO_WU, leading=XIAO_WU * 1.4, textColor=MUTED),
        "note": derive("note", fontSize=XIAO_WU, leading=XIAO_WU * 1.5),
        "cell": derive("cell", fontSize=XIAO_WU, leading=XIAO_WU * 1.35),
        "cell_center": derive(
            "cell_center", fontSize=XIAO_WU, leading=XIAO_WU * 1.35, alignment=TA_CENTER
        ),
        "section": derive("section", fontSize=WU_HAO, leading=WU_HAO * 1.4),
        "subtitle": derive(
            "subtitle", fontSize=XIAO_WU, leading=XIAO_WU * 1.5, alignment=TA_CENTER
        ),
        "centered": derive("centered", alignment=TA_CENTER),
        "declaration": derive("declaration", fontSize=WU_HAO, leading=WU_HAO * 1.7),
    }


def staff_mark() -> str:
    """The mark beside a value that guide staff (导服) typed for the visitor."""
    return f'<font size="{LIU_HAO}" color="#555555"> 〔导服代填〕</font>'


class Heading(Flowable):
    """A centred title, wrapped by character.

    The font has one weight.  A synthetic bold (text render mode 2, fill + stroke)
    looked right on screen but turned into untagged Type 3 glyphs on the way
    through CUPS, so the title could no longer be read back: plain weight it is.
    """

    def __init__(self, text: str, size: float = XIAO_ER, space_after: float = 2 * mm):
        super().__init__()
        self.text = text
        self.size = size
        self.space_after = space_after
        self.lines: list[str] = [text]

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.lines = break_lines(self.text, FONT, self.size, avail_width)
        self.height = len(self.lines) * self.size * 1.35 + self.space_after
        return self.width, self.height

    def draw(self) -> None:
        draw_centred_lines(
            self.canv, self.lines, self.width / 2, self.height - self.size, self.size
        )


def break_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy per-character line breaking (enough for CJK titles)."""
    lines: list[str] = []
    line = ""
    for char in text:
        if line and stringWidth(line + char, font, size) > width:
            lines.append(line)
            line = ""
        line += char
    if line or not lines:
        lines.append(line)
    return lines


def draw_centred_lines(
    canv: Canvas, lines: Sequence[str], x_center: float, y: float, size: float
) -> None:
    canv.saveState()
    canv.setFont(FONT, size)
    canv.setFillColor(INK)
    for n, line in enumerate(lines):
        canv.drawCentredString(x_center, y - n * size * 1.35, line)
    canv.restoreState()


# A submission's code is drawn on its ticket and on each of its forms: a few recent ones.
@functools.lru_cache(maxsize=8)
def qr_matrix(content: str) -> tuple[tuple[bool, ...], ...]:
    code = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(content)
    code.make(fit=True)
    return tuple(tuple(row) for row in code.get_matrix())


def draw_qr(canv: Canvas, content: str, x: float, y: float, size: float) -> None:
    """A vector QR code (one rectangle per run of dark modules), lower-left corner at (x, y).

    Drawn straight on the canvas rather than through a ReportLab Drawing, whose
    renderer names Helvetica on every page (an unembedded font in our PDFs).
    """
    matrix = qr_matrix(content)
    module = size / len(matrix)
    path = canv.beginPath()
    for row, cells in enumerate(matrix):
        top = y + size - (row + 1) * module
        start = None
        for col, dark in enumerate((*cells, False)):
            if dark and start is None:
                start = col
            elif not dark and start is not None:
                path.rect(x + start * module, top, (col - start) * module, module)
                start = None
    canv.saveState()
    canv.setFillColor(INK)
    canv.drawPath(path, stroke=0, fill=1)
    canv.restoreState()


class QrCode(Flowable):
    def __init__(self, content: str, size: float):
        super().__init__()
        self.content = content
        self.width = self.height = size
        self.hAlign = "CENTER"

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        draw_qr(self.canv, self.content, 0, 0, self.width)


@dataclass
class GridCell:
    paragraph: Paragraph
    width: float
    shaded: bool = False
    continued: Paragraph | None = None  # what a label cell says on a continuation page
    middle: bool = False  # centred vertically (labels); values start at the top
    fill: colors.Color = SHADE


def label_cell(label: str, width: float, styles: dict[str, ParagraphStyle]) -> GridCell:
    """A shaded label cell (markup); on a continuation page it says （续）."""
    return GridCell(
        Paragraph(label, styles["label"]),
        width,
        shaded=True,
        continued=Paragraph(f"{label}（续）", styles["label"]),
        middle=True,
    )


class GridRow(Flowable):
    """One row of a form's ruled grid.

    Unlike a Table row, it can split across pages inside a cell: a long value
    keeps its first lines here and continues on the next page under its label
    marked （续）, so nothing is ever clipped.
    """

    PAD = 1.6 * mm

    def __init__(
        self, cells: Sequence[GridCell], min_height: float = 8 * mm, split_cell: int | None = None
    ):
        super().__init__()
        self.cells = list(cells)
        self.min_height = min_height
        self.split_cell = split_cell
        self._heights: list[float] = []

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._heights = [
            c.paragraph.wrap(c.width - 2 * self.PAD, 1e6)[1] + 2 * self.PAD for c in self.cells
        ]
        self.width = sum(c.width for c in self.cells)
        self.height = max([self.min_height, *self._heights])
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        if self.split_cell is None or avail_height < self.min_height:
            return []
        cell = self.cells[self.split_cell]
        parts = cell.paragraph.split(cell.width - 2 * self.PAD, avail_height - 2 * self.PAD)
        if len(parts) < 2:
            return []
        head = list(self.cells)
        head[self.split_cell] = replace(cell, paragraph=parts[0])
        tail = [replace(c, paragraph=c.continued or c.paragraph) for c in self.cells]
        tail[self.split_cell] = replace(cell, paragraph=parts[1])
        return [
            GridRow(head, min(self.min_height, avail_height), None),
            GridRow(tail, self.min_height, self.split_cell),
        ]

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.6)
        x = 0.0
        for cell, height in zip(self.cells, self._heights, strict=True):
            if cell.shaded:
                canv.setFillColor(cell.fill)
                canv.rect(x, 0, cell.width, self.height, stroke=0, fill=1)
            canv.rect(x, 0, cell.width, self.height, stroke=1, fill=0)
            inner = height - 2 * self.PAD
            top = (self.height + inner) / 2 if cell.middle else self.height - self.PAD
            cell.paragraph.drawOn(canv, x + self.PAD, top - inner)
            x += cell.width
        canv.restoreState()


def ruled_table(
    header: Sequence[str],
    rows: Sequence[list[Flowable]],
    widths: Sequence[float | None],
    styles: dict[str, ParagraphStyle],
) -> Table:
    """A ruled list (materials, items) whose shaded header row repeats on every page.

    One width may be ``None``: that column takes what the others leave of the A4 frame.
    """
    rest = a4_frame_width() - sum(w for w in widths if w is not None)
    table = Table(
        [[Paragraph(h, styles["cell_center"]) for h in header], *rows],
        colWidths=[rest if w is None else w for w in widths],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, RULE),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


@dataclass
class PagePart:
    """One separately numbered part of a PDF (a notice, a cover sheet, one item's form)."""

    decorate: Callable[[Canvas, int, int], None]  # (canvas, page number, page count)


class StartPart(Flowable):
    """Zero-size marker: the pages from here on belong to ``part``."""

    def __init__(self, part: PagePart):
        super().__init__()
        self.part = part
        self.width = self.height = 0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv.kiosk_part = self.part  # read back by PagedCanvas


class PagedCanvas(Canvas):
    """Holds every page back until the end, so each part's pages can say 共 y 页."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.kiosk_part: PagePart | None = None
        self._held: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        counts = Counter(id(state["kiosk_part"]) for state in self._held)
        seen: Counter[int] = Counter()
        for state in self._held:
            self.__dict__.update(state)
            part = state["kiosk_part"]
            seen[id(part)] += 1
            if part is not None:
                part.decorate(self, seen[id(part)], counts[id(part)])
            super().showPage()
        super().save()


def a4_doc(buffer: BytesIO, title: str, author: str) -> BaseDocTemplate:
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=A4_MARGIN,
        rightMargin=A4_MARGIN,
        topMargin=A4_MARGIN + HEADER_HEIGHT,
        bottomMargin=A4_MARGIN + FOOTER_HEIGHT,
        title=title,
        author=author,
        creator="一窗通 kiosk",
        initialFontName=FONT,  # else every page names an unused, unembedded Helvetica
    )
    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    doc.addPageTemplates([PageTemplate("a4", frames=[frame])])
    return doc


def a4_frame_width() -> float:
    return A4[0] - 2 * A4_MARGIN


def draw_a4_header(
    canv: Canvas,
    *,
    left_top: str,
    left_bottom: str,
    code: str | None,
    qr_content: str,
) -> None:
    """The band at the top of an A4 page: who issued it, what it is, the code and its QR."""
    width, height = A4
    top = height - A4_MARGIN
    qr_size = HEADER_HEIGHT - 5 * mm
    canv.saveState()
    draw_qr(canv, qr_content, width - A4_MARGIN - qr_size, top - qr_size, qr_size)
    canv.setFont(FONT, XIAO_WU)
    canv.setFillColor(INK)
    canv.drawString(A4_MARGIN, top - XIAO_WU, left_top)
    canv.setFillColor(MUTED)
    room = width - 2 * A4_MARGIN - qr_size - 40 * mm  # keep clear of the code and its QR
    if stringWidth(left_bottom, FONT, XIAO_WU) > room:
        left_bottom = break_lines(left_bottom, FONT, XIAO_WU, room - XIAO_WU)[0] + "…"
    canv.drawString(A4_MARGIN, top - XIAO_WU * 2.6, left_bottom)
    if code:
        label_x = width - A4_MARGIN - qr_size - 2 * mm
        canv.setFillColor(MUTED)
        canv.setFont(FONT, LIU_HAO)
        canv.drawRightString(label_x, top - LIU_HAO, "办件编号")
        canv.setFillColor(INK)
        canv.setFont(FONT, SI_HAO)
        canv.drawRightString(label_x, top - LIU_HAO - SI_HAO - 1, code)
    canv.setStrokeColor(INK)
    canv.setLineWidth(1.2)
    rule_y = top - HEADER_HEIGHT + 2 * mm
    canv.line(A4_MARGIN, rule_y, width - A4_MARGIN, rule_y)
    canv.setLineWidth(0.4)
    canv.line(A4_MARGIN, rule_y - 1.2, width - A4_MARGIN, rule_y - 1.2)
    canv.restoreState()


def draw_a4_footer(
    canv: Canvas, page: int, pages: int, *, left: str, right: str, note: str | None = None
) -> None:
    width, _ = A4
    y = A4_MARGIN
    canv.saveState()
    canv.setStrokeColor(RULE)
    canv.setLineWidth(0.4)
    canv.line(A4_MARGIN, y + 4.5 * mm, width - A4_MARGIN, y + 4.5 * mm)
    canv.setFont(FONT, XIAO_WU)
    canv.setFillColor(INK)
    canv.drawCentredString(width / 2, y, f"第 {page} 页  共 {pages} 页")
    canv.setFont(FONT, LIU_HAO)
    canv.setFillColor(MUTED)
    canv.drawString(A4_MARGIN, y, left)
    canv.drawRightString(width - A4_MARGIN, y, right)
    if note:
        canv.drawString(A4_MARGIN, y + 6.5 * mm, note)
    canv.restoreState()


class Renderer:
    """The pretix invoice-renderer shape: fonts, stylesheet, story, document → bytes."""

    title = ""
    author = ""

    def _register_fonts(self) -> None:
        register_fonts()

    def _get_stylesheet(self) -> dict[str, ParagraphStyle]:
        return stylesheet()

    def _get_story(self, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
        raise NotImplementedError

    def _build_doc(self, story: list[Flowable]) -> BytesIO:
        buffer = BytesIO()
        a4_doc(buffer, self.title, self.author).build(story, canvasmaker=PagedCanvas)
        return buffer

    def render(self) -> bytes:
        self._register_fonts()
        return self._build_doc(self._get_story(self._get_stylesheet())).getvalue()


class A4Renderer(Renderer):
    """An A4 document of the bureau (notice, form, bundle cover): the same furniture on every page.

    The header names the bureau and what the document is — ``page_title`` (the
    title unless set), marked （续页） from page 2 on, then ``page_subject`` —
    beside the submission code and its QR code; the footer says 第 x 页 共 y 页,
    what the document can be traced back to (``footer_note``) and the print time.
    """

    page_title = ""
    page_subject = ""
    footer_note = ""

    def __init__(
        self,
        catalog: Catalog,
        *,
        code: str | None,
        status_url: str | None,
        printed_at: datetime | None,
    ):
        self.catalog = catalog
        self.code = code
        self.status_url = status_url
        self.printed_at = printed_at or datetime.now(UTC)
        self.author = catalog.meta.bureau.zh

    def qr_content(self) -> str:
        """What the header's QR code holds: the submission's status page, or its code."""
        if self.code is None:
            raise NotImplementedError(
                f"{type(self).__name__} without a code: say what the QR holds"
            )
        return qr_text(self.code, self.status_url)

    def _decorate(self, canv: Canvas, page: int, pages: int) -> None:
        continued = "（续页）" if page > 1 else ""
        draw_a4_header(
            canv,
            left_top=self.catalog.meta.bureau.zh,
            left_bottom=f"{self.page_title or self.title}{continued}{self.page_subject}",
            code=self.code,
            qr_content=self.qr_content(),
        )
        draw_a4_footer(
            canv,
            page,
            pages,
            left=self.footer_note,
            right=f"打印时间 {local_time(self.printed_at)}",
        )
