"""The queue ticket (排队号票) as an 80 mm roll-paper PDF, from a :class:`TicketSlip`.

The page is exactly as long as its content: a roll printer cuts where the
page ends, so no paper is wasted and nothing is cut off.
"""

from __future__ import annotations

from io import BytesIO

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Spacer

from kiosk.printing.fonts import FONT
from kiosk.printing.layout import (
    INK,
    LIU_HAO,
    SI_HAO,
    WU_HAO,
    XIAO_SI,
    XIAO_WU,
    Heading,
    QrCode,
    Renderer,
    esc,
    local_time,
)
from kiosk.printing.slip import TicketSlip, qr_text, windows_text

ROLL_WIDTH = 80 * mm
MARGIN = 4 * mm  # most 80 mm printers print 72 mm of it
NUMBER_SIZE = 44.0


class Rule(Flowable):
    def __init__(self, dashed: bool = False, space: float = 1.8 * mm):
        super().__init__()
        self.dashed = dashed
        self.space = space

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.height = 2 * self.space
        return self.width, self.height

    def draw(self) -> None:
        self.canv.saveState()
        self.canv.setLineWidth(0.6)
        if self.dashed:
            self.canv.setDash(2, 2)
        self.canv.line(0, self.space, self.width, self.space)
        self.canv.restoreState()


class Badge(Flowable):
    """White text on a black band: the priority (绿色通道) mark, visible from across the hall."""

    def __init__(self, text: str, size: float = XIAO_SI):
        super().__init__()
        self.text = text
        self.size = size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.height = self.size * 2
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        canv.setFillColor(INK)
        canv.roundRect(0, 0, self.width, self.height, 2 * mm, stroke=0, fill=1)
        canv.setFillColorRGB(1, 1, 1)
        canv.setFont(FONT, self.size)
        canv.drawCentredString(self.width / 2, self.height / 2 - self.size * 0.35, self.text)
        canv.restoreState()


class TicketRenderer(Renderer):
    def __init__(self, slip: TicketSlip, status_url: str | None = None):
        self.slip = slip
        self.status_url = status_url
        self.title = f"排队号票 {slip.number}"
        self.author = slip.hall_name
        self.page_size = (ROLL_WIDTH, 0.0)  # the height is known once the story is laid out

    def _get_stylesheet(self) -> dict[str, ParagraphStyle]:
        def style(name: str, size: float, **kw: object) -> ParagraphStyle:
            return ParagraphStyle(
                name,
                fontName=FONT,
                fontSize=size,
                leading=size * 1.4,
                alignment=1,
                wordWrap="CJK",
                **kw,
            )

        return {
            "hall": style("hall", XIAO_SI),
            "label": style("label", XIAO_WU, textColor="#444444"),
            "queue": style("queue", XIAO_SI),
            "windows": style("windows", WU_HAO),
            "info": style("info", WU_HAO),
            "small": style("small", LIU_HAO, textColor="#444444"),
            "code": style("code", SI_HAO),
        }

    def _get_story(self, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
        slip = self.slip
        story: list[Flowable] = [
            Paragraph(esc(slip.hall_name), styles["hall"]),
            Rule(),
            Paragraph("您的排队号码", styles["label"]),
            Heading(slip.number, NUMBER_SIZE, space_after=1 * mm),
        ]
        if slip.priority:
            # The lane's own name is the queue line below (绿色通道, 爱心通道…: the catalog's).
            story += [Badge("优先办理"), Spacer(1, 1.5 * mm)]
        story += [
            Paragraph(esc(slip.queue_name), styles["queue"]),
            Paragraph(f"请到 {windows_text(slip.windows)} 号窗口办理", styles["windows"]),
            Rule(dashed=True),
        ]
        if slip.people_ahead is None:
            if not slip.standalone:  # a standalone kiosk has no network to lose
                story.append(Paragraph("网络暂时中断，无法显示前面等候人数", styles["info"]))
            story.append(Paragraph("请留意大厅叫号屏和语音叫号", styles["info"]))
        else:
            story.append(Paragraph(f"您前面还有 {slip.people_ahead} 人等候", styles["info"]))
            if slip.wait_minutes is not None:
                story.append(Paragraph(f"预计等候约 {slip.wait_minutes} 分钟", styles["info"]))
        story.append(Paragraph(f"取号时间：{local_time(slip.issued_at)}", styles["info"]))
        if slip.masked_id:
            story.append(Paragraph(f"身份证号：{slip.masked_id}", styles["info"]))
        if slip.submission_code:
            story += [
                Rule(dashed=True),
                Paragraph("办件编号", styles["label"]),
                Paragraph(esc(slip.submission_code), styles["code"]),
                Spacer(1, 1 * mm),
                QrCode(qr_text(slip.submission_code, self.status_url), 26 * mm),
                Spacer(1, 1 * mm),
                Paragraph("扫码或凭编号查询办理进度", styles["small"]),
            ]
        story += [
            Rule(),
            Paragraph("过号请到导服台重新取号 · 请妥善保管本票", styles["small"]),
        ]
        return story

    def _build_doc(self, story: list[Flowable]) -> BytesIO:
        width = ROLL_WIDTH - 2 * MARGIN
        height = 2 * MARGIN + sum(
            f.wrap(width, 1e6)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in story
        )
        height += 2 * mm  # headroom against rounding in the frame's own layout
        buffer = BytesIO()
        doc = BaseDocTemplate(
            buffer,
            pagesize=(ROLL_WIDTH, height),
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            title=self.title,
            author=self.author,
            creator="一窗通 kiosk",
            initialFontName=FONT,
        )
        frame = Frame(MARGIN, MARGIN, width, height - 2 * MARGIN, 0, 0, 0, 0, id="roll")
        doc.addPageTemplates([PageTemplate("roll", frames=[frame])])
        doc.build(story)
        self.page_size = (ROLL_WIDTH, height)
        return buffer
