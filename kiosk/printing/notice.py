"""The 一次性告知书 (one-time complete notice of materials) as an A4 PDF.

Built from a :class:`~kiosk.consult.MaterialsNotice` and the catalog it came
from: per item the verdict, department, time limits, fee, legal basis, place
and contact; then every material of the visitor's case with its counts, form,
issuing body and how to get it.  The catalog version and print time are on
every page, so a notice can always be traced back to the catalog it quoted.
The rows and the materials table it is built from (:func:`section_row`,
:func:`info_row`, :func:`materials_table`, :func:`material_cells`) serve the
forms' cover sheet and materials checklist too.
"""

from __future__ import annotations

from datetime import datetime

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from kiosk.catalog.catalog import Catalog
from kiosk.catalog.model import Item, ItemKind, MaterialFormat
from kiosk.consult import MaterialsNotice, NoticeLine, Verdict
from kiosk.printing.layout import (
    CHECKED,
    SECTION,
    UNCHECKED,
    A4Renderer,
    GridCell,
    GridRow,
    Heading,
    PagePart,
    StartPart,
    a4_frame_width,
    esc,
    label_cell,
    ruled_table,
)

LABEL_WIDTH = 28 * mm
CHINESE_NUMBERS = "一二三四五六七八九十"


def ordinal(n: int) -> str:
    """0 → （一）, 9 → （十）, then （11）, （12）, …"""
    return f"（{CHINESE_NUMBERS[n]}）" if n < len(CHINESE_NUMBERS) else f"（{n + 1}）"


FORMATS = {
    MaterialFormat.PAPER: "纸质",
    MaterialFormat.ELECTRONIC: "电子",
    MaterialFormat.EITHER: "纸质或电子",
}
MATERIAL_COLUMNS = ("序号", "材料名称", "原件", "复印件", "形式")  # first in every materials list


def material_cells(
    n: int,
    name: str,
    originals: int,
    copies: int,
    material_format: MaterialFormat,
    styles: dict[str, ParagraphStyle],
) -> list[Flowable]:
    """The cells under :data:`MATERIAL_COLUMNS`: number, name (markup), counts ("—": none), form."""
    cell, centre = styles["cell"], styles["cell_center"]
    return [
        Paragraph(str(n), centre),
        Paragraph(name, cell),
        Paragraph(f"{originals} 份" if originals else "—", centre),
        Paragraph(f"{copies} 份" if copies else "—", centre),
        Paragraph(FORMATS[material_format], centre),
    ]


def time_limit(item: Item) -> str:
    if item.kind is ItemKind.IMMEDIATE:
        return "即办件：材料齐全、符合法定形式的，当场办结"
    return (
        f"承诺件：法定办结时限 {item.statutory_days} 个工作日，"
        f"承诺办结时限 {item.promised_days} 个工作日"
    )


def verdict_text(verdict: Verdict | None) -> str:
    if verdict is None:
        return f"{UNCHECKED} 尚未完成咨询，请到窗口确认是否符合申请条件"
    if verdict.eligible:
        return f"{CHECKED} 符合申请条件，可以申请"
    reason = esc(verdict.reason.zh) if verdict.reason else ""
    if verdict.later:
        text = f"{CHECKED} 暂时还不能办理：{reason}"
        if verdict.first:
            text += f"<br/>请先：{esc(verdict.first.zh)}"
        if verdict.where:
            text += f"<br/>办理地点：{esc(verdict.where.zh)}"
        return text + "<br/>办好后，请带齐本告知书所列材料再来办理。"
    text = f"{CHECKED} 不符合申请条件：{reason}"
    if verdict.instead:
        text += f"<br/>建议：{esc(verdict.instead.zh)}"
    return text


def fee_text(item: Item, verdict: Verdict | None) -> str:
    """The charges for the visitor's case when the item lists them, else its published fee."""
    if verdict is None or not verdict.fees:
        return esc(item.fee.zh)
    parts = [f"{esc(f.note.zh)} {f.amount:.2f} 元" for f in verdict.fees]
    text = "；".join(parts)
    if len(verdict.fees) > 1:
        text += f"；合计 {verdict.fee_total:.2f} 元"
    return text


def section_row(title: str, styles: dict[str, ParagraphStyle]) -> GridRow:
    return GridRow(
        [
            GridCell(
                Paragraph(title, styles["section"]), a4_frame_width(), True, None, True, SECTION
            )
        ],
        min_height=7.5 * mm,
    )


def info_row(
    label: str, value: str, styles: dict[str, ParagraphStyle], width: float | None = None
) -> GridRow:
    """A ruled label/value row; the value may continue on the next page."""
    width = width or a4_frame_width()
    return GridRow(
        [
            label_cell(label, LABEL_WIDTH, styles),
            GridCell(Paragraph(value, styles["value"]), width - LABEL_WIDTH, middle=True),
        ],
        min_height=7.5 * mm,
        split_cell=1,
    )


def materials_table(
    lines: list[NoticeLine], catalog: Catalog, styles: dict[str, ParagraphStyle], show_items: bool
) -> Table:
    cell = styles["cell"]
    header = [*MATERIAL_COLUMNS, "出具单位", "获取方式"]
    widths: list[float | None] = [11 * mm, 43 * mm, 11 * mm, 14 * mm, 14 * mm, 26 * mm, None]
    if show_items:
        header.append("适用事项")
        widths.append(30 * mm)
    rows: list[list[Flowable]] = []
    for n, line in enumerate(lines, 1):
        material = line.material
        name = esc(material.name.zh)
        if material.note:
            name += f'<br/><font size="7" color="#555555">{esc(material.note.zh)}</font>'
        row = [
            *material_cells(n, name, line.originals, line.copies, material.format, styles),
            Paragraph(esc(material.issuer.zh), cell),
            Paragraph(esc(material.obtain.zh), cell),
        ]
        if show_items:
            row.append(
                Paragraph("、".join(esc(catalog.items[c].name.zh) for c in line.items), cell)
            )
        rows.append(row)
    return ruled_table(header, rows, widths, styles)


class NoticeRenderer(A4Renderer):
    title = "一次性告知书"

    def __init__(
        self,
        catalog: Catalog,
        notice: MaterialsNotice,
        *,
        code: str | None = None,
        status_url: str | None = None,
        printed_at: datetime | None = None,
    ):
        super().__init__(catalog, code=code, status_url=status_url, printed_at=printed_at)
        self.notice = notice
        self.items = [catalog.items[c] for c in notice.item_codes]
        self.bundle = catalog.bundles[notice.bundle_code] if notice.bundle_code else None
        if self.bundle is not None:
            self.page_subject = f" · 联办编码 {self.bundle.code}"
        else:
            self.page_subject = f" · 事项编码 {'、'.join(notice.item_codes)}"
        self.footer_note = f"事项目录版本 {notice.catalog_version}"

    @property
    def subject(self) -> str:
        if self.bundle is not None:
            return f"主题联办：{self.bundle.name.zh}"
        return "、".join(i.name.zh for i in self.items)

    def qr_content(self) -> str:
        if self.code:
            return super().qr_content()
        # No submission yet: the window can still see which items and catalog this quotes.
        return f"{self.notice.catalog_version}|{','.join(self.notice.item_codes)}"

    def _shown_lines(self) -> list[NoticeLine]:
        """Materials of the items the visitor may apply for, now or when coming back
        (a refused item needs none)."""
        refused = {c for c, v in self.notice.verdicts.items() if v.refused}
        return [line for line in self.notice.lines if set(line.items) - refused]

    def _no_materials(self) -> str:
        """What the notice says when nothing is listed: why, in the catalog's own words."""
        if self.notice.refused and not any(
            v.eligible or v.later for v in self.notice.verdicts.values()
        ):
            return "不符合申请条件，无需准备材料。"
        said = [i.nothing_to_bring.zh for i in self.items if i.nothing_to_bring is not None]
        return esc("；".join(said)) if said else "无需提交材料。"

    def _item_rows(self, n: int, item: Item, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
        department = self.catalog.departments[item.department]
        name = esc(department.name.zh) + (f"（{department.phone}）" if department.phone else "")
        heading = f"{esc(item.name.zh)}（{item.code}）"
        if len(self.items) > 1:
            heading = f"{ordinal(n)}{heading}"
        return [
            info_row("事项名称", heading, styles),
            info_row("办理结论", verdict_text(self.notice.verdicts.get(item.code)), styles),
            info_row("实施部门", name, styles),
            info_row("办理时限", time_limit(item), styles),
            info_row("收费标准", fee_text(item, self.notice.verdicts.get(item.code)), styles),
            info_row("设定依据", esc(item.legal_basis.zh), styles),
        ]

    def _place_rows(self, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
        """Where and whom to ask: once for the whole notice (a bundle has one window group)."""
        meta = self.catalog.meta
        queue = (
            self.catalog.queues[self.bundle.queue]
            if self.bundle is not None
            else self.catalog.queue_of(self.items[0])
        )
        windows = "、".join(str(w) for w in queue.windows)
        place = f"{esc(meta.address.zh)}，" if meta.address else ""
        place += f"{esc(queue.name.zh)}（{windows} 号窗口）"
        rows = [info_row("办理地点", place, styles)]
        if meta.contact:
            rows.append(info_row("咨询电话", esc(meta.contact.zh), styles))
        return rows

    def _remarks(self) -> list[str]:
        remarks = [
            "本告知书所列为您本次申请需要提交的全部材料，窗口不会要求您补充清单以外的材料。",
            "委托他人办理的，受托人须携带授权委托书及本人身份证件。",
        ]
        if self.code:
            remarks.append("扫描右上角二维码，或凭办件编号，可查询办理进度。")
        remarks.append(esc(self.catalog.meta.note.zh))
        return [f"{n}．{text}" for n, text in enumerate(remarks, 1)]

    def _get_story(self, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
        story: list[Flowable] = [
            StartPart(PagePart(self._decorate)),
            Heading("一次性告知书"),
            Paragraph(esc(self.subject), styles["subtitle"]),
            Spacer(1, 4 * mm),
            Paragraph(
                "您好！根据您在自助终端上的回答，办理下列事项需要提交的全部材料一次性告知如下。"
                "材料齐全、符合法定形式的，窗口当场受理；如您的情况与所答不符，"
                "以窗口工作人员审核为准。",
                styles["declaration"],
            ),
            Spacer(1, 3 * mm),
            section_row("一、事项信息", styles),
        ]
        for n, item in enumerate(self.items):
            story += self._item_rows(n, item, styles)
            if len(self.items) > 1:
                story.append(Spacer(1, 1.5 * mm))
        story += self._place_rows(styles)
        story.append(Spacer(1, 5 * mm))
        lines = self._shown_lines()
        story.append(section_row("二、需提交的材料", styles))
        if lines:
            story.append(materials_table(lines, self.catalog, styles, len(self.items) > 1))
        else:
            story.append(info_row("材料", self._no_materials(), styles))
        if self.notice.provided:
            provided = "；".join(
                f"{esc(p.material.name.zh)}（由{esc(self.catalog.items[p.by_item].name.zh)}办理后产生）"
                for p in self.notice.provided
            )
            story += [
                Spacer(1, 2 * mm),
                Paragraph(f"本次联办中以下材料无需提交：{provided}。", styles["note"]),
            ]
        originals = sum(line.originals for line in lines)
        copies = sum(line.copies for line in lines)
        story += [
            Spacer(1, 2 * mm),
            Paragraph(
                f"共 {len(lines)} 项材料：原件 {originals} 份，复印件 {copies} 份。"
                "复印件请使用 A4 纸；可提供电子证照的，窗口现场核验。",
                styles["note"],
            ),
            Spacer(1, 5 * mm),
            KeepTogether(
                [
                    section_row("三、告知说明", styles),
                    Spacer(1, 2 * mm),
                    Paragraph("<br/>".join(self._remarks()), styles["note"]),
                ]
            ),
        ]
        return story
