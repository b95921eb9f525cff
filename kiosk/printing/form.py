"""Pre-filled application forms (申请表) as A4 PDFs: one per item, and a bundle's cover + forms.

The layout is the ruled grid of a paper government form: title, the applicant
block (the fields an ID card can fill, and the contact phone), the item's other
fields, a checklist of materials for the window to tick, the applicant's
declaration and signature, and a box for the window's acceptance.  Nothing is
specific to an item: a field's type decides how it is laid out (short values
two to a row, long ones across the page), so another bureau's catalog prints
unchanged.

Every page carries the submission code and its QR code and says "第 x 页 共 y
页".  A long value wraps, and what does not fit continues on the next page under
its label marked （续） — never clipped.  Values typed by guide staff are marked
〔导服代填〕 so the applicant checks them before signing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from kiosk.catalog.catalog import Catalog
from kiosk.catalog.model import Bundle, FieldType, FormField, IdCardPart, Item, Material
from kiosk.consult import MaterialsNotice
from kiosk.forms.filling import EnteredValue, FieldStatus, Filling, Source
from kiosk.forms.validators import display
from kiosk.printing.layout import (
    BLANK_DATE,
    CHECKED,
    GAP,
    RULE,
    UNCHECKED,
    A4Renderer,
    GridCell,
    GridRow,
    Heading,
    PagePart,
    StartPart,
    a4_frame_width,
    box,
    chinese_date,
    esc,
    label_cell,
    ruled_table,
    staff_mark,
)
from kiosk.printing.notice import (
    MATERIAL_COLUMNS,
    info_row,
    material_cells,
    materials_table,
    section_row,
    time_limit,
)

LABEL_WIDTH = 34 * mm
SHORT_TYPES = {
    FieldType.ID_NUMBER,
    FieldType.MOBILE,
    FieldType.DATE,
    FieldType.INTEGER,
    FieldType.MONEY,
    FieldType.USCC,
    FieldType.YESNO,
}
SHORT_TEXT = 40  # a text field this long or shorter fits half a row


def form_title(item: Item) -> str:
    """The form's title: the item's name and 申请表, never 申请 twice (临时救助申请表)."""
    name = item.name.zh
    if name.endswith("表"):
        return name
    if name.endswith(("申请", "申领", "申报")):
        return f"{name}表"
    return f"{name}申请表"


def is_short(field: FormField) -> bool:
    """Whether a field's value fits in half a row (two fields side by side)."""
    if field.type in SHORT_TYPES:
        return True
    if field.type is FieldType.TEXT:
        return field.max_length is not None and field.max_length <= SHORT_TEXT
    if field.type is FieldType.CHOICE:
        return sum(len(o.label.zh) + 2 for o in field.options) <= 16
    return False


def is_applicant_field(field: FormField) -> bool:
    """The applicant block: what the ID card reader can fill, and the contact phone."""
    return field.id_card is not None or field.type is FieldType.MOBILE


def value_markup(field: FormField, entered: EnteredValue | None) -> str:
    value = entered.value if entered is not None else None
    if field.type is FieldType.YESNO:
        text = GAP.join(
            f"{CHECKED if value is flag else UNCHECKED} {label}"
            for flag, label in ((True, "是"), (False, "否"))
        )
    elif field.type in (FieldType.CHOICE, FieldType.MULTI_CHOICE):
        chosen = value if isinstance(value, list) else [value]
        text = GAP.join(
            f"{CHECKED if o.value in chosen else UNCHECKED} {esc(o.label.zh)}"
            for o in field.options
        )
    elif value is None:
        return ""
    elif field.type is FieldType.DATE:
        year, month, day = str(value).split("-")
        text = f"{year}年{int(month)}月{int(day)}日"
    else:
        text = esc(display(field, value, "zh"))
    if entered is not None and entered.source is Source.STAFF:
        text += staff_mark()
    return text


class FormRenderer(A4Renderer):
    code: str  # a form is always printed for a submission

    def __init__(
        self,
        catalog: Catalog,
        item: Item,
        filling: Filling,
        *,
        code: str,
        notice: MaterialsNotice | None = None,
        status_url: str | None = None,
        printed_at: datetime | None = None,
    ):
        super().__init__(catalog, code=code, status_url=status_url, printed_at=printed_at)
        self.item = item
        self.filling = filling
        self.notice = notice
        self.title = form_title(item)
        self.footer_note = f"事项编码 {item.code} · 事项目录版本 {catalog.version}"

    # ── the grid ──
    @staticmethod
    def _label(field: FormField, styles: dict[str, ParagraphStyle]) -> GridCell:
        return label_cell(esc(field.label.zh), LABEL_WIDTH, styles)

    @staticmethod
    def _value(
        status: FieldStatus, width: float, styles: dict[str, ParagraphStyle], middle: bool = True
    ) -> GridCell:
        markup = value_markup(status.slot.field, status.entered)
        return GridCell(Paragraph(markup, styles["value"]), width, middle=middle)

    def _pair_row(
        self, left: FieldStatus, right: FieldStatus, styles: dict[str, ParagraphStyle]
    ) -> GridRow:
        half = a4_frame_width() / 2 - LABEL_WIDTH
        return GridRow(
            [
                self._label(left.slot.field, styles),
                self._value(left, half, styles),
                self._label(right.slot.field, styles),
                self._value(right, half, styles),
            ],
            min_height=8 * mm,
        )

    def _full_row(self, status: FieldStatus, styles: dict[str, ParagraphStyle]) -> GridRow:
        field = status.slot.field
        tall = field.type in (FieldType.LONG_TEXT, FieldType.MULTI_CHOICE)
        return GridRow(
            [
                self._label(field, styles),
                # a tall box is for writing in: its value starts at the top
                self._value(status, a4_frame_width() - LABEL_WIDTH, styles, middle=not tall),
            ],
            min_height=(16 if tall else 8) * mm,
            split_cell=1,  # only the value splits; the label repeats as （续）
        )

    def _field_rows(
        self, statuses: Sequence[FieldStatus], styles: dict[str, ParagraphStyle]
    ) -> list[Flowable]:
        """Short fields two to a row, in catalog order; long ones across the page."""
        rows: list[Flowable] = []
        pending: FieldStatus | None = None
        for status in statuses:
            if is_short(status.slot.field):
                if pending is None:
                    pending = status
                else:
                    rows.append(self._pair_row(pending, status, styles))
                    pending = None
                continue
            if pending is not None:
                rows.append(self._full_row(pending, styles))
                pending = None
            rows.append(self._full_row(status, styles))
        if pending is not None:
            rows.append(self._full_row(pending, styles))
        return rows

    def _materials(self) -> list[tuple[Material, bool]]:
        """The item's materials for this case, and whether each one is only "if applicable"."""
        materials = self.item.material_list
        if self.notice is None:
            return [(m, m.when is not None) for m in materials]
        needed = {line.material.id for line in self.notice.lines if self.item.code in line.items}
        return [(m, False) for m in materials if m.id in needed]

    def _materials_checklist(self, styles: dict[str, ParagraphStyle]) -> Table:
        centre = styles["cell_center"]
        rows: list[list[Flowable]] = []
        for n, (material, conditional) in enumerate(self._materials(), 1):
            name = esc(material.name.zh) + ("（如适用）" if conditional else "")
            rows.append(
                [
                    *material_cells(
                        n, name, material.originals, material.copies, material.format, styles
                    ),
                    Paragraph(f"{box(False, 10)} 已收{GAP}{box(False, 10)} 缺", centre),
                ]
            )
        widths = [11 * mm, None, 14 * mm, 14 * mm, 20 * mm, 26 * mm]
        return ruled_table([*MATERIAL_COLUMNS, "窗口核验"], rows, widths, styles)

    def _signature(self, styles: dict[str, ParagraphStyle], number: str) -> list[Flowable]:
        width = a4_frame_width()
        declaration = (
            "本人承诺：本申请表所填写的内容及提交的材料真实、准确、完整、有效，"
            "如有虚假，愿承担相应的法律责任。"
        )
        sign = Table(
            [
                [
                    Paragraph("申请人（签字）：", styles["body"]),
                    "",
                    Paragraph(f"日期：{BLANK_DATE}", styles["body"]),
                ]
            ],
            colWidths=[32 * mm, width - 32 * mm - 62 * mm, 62 * mm],
            rowHeights=[10 * mm],
        )
        sign.setStyle(
            TableStyle(
                [
                    ("LINEBELOW", (1, 0), (1, 0), 0.6, RULE),
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        acceptance = GridRow(
            [
                label_cell("窗口受理意见", LABEL_WIDTH, styles),
                GridCell(
                    Paragraph(
                        f"{UNCHECKED} 材料齐全，予以受理{GAP}{UNCHECKED} 需补正材料（见补正告知书）"
                        f"<br/><br/>受理人：{'&nbsp;' * 24}{GAP}受理日期：{BLANK_DATE}",
                        styles["body"],
                    ),
                    width - LABEL_WIDTH,
                ),
            ],
            min_height=17 * mm,
        )
        return [
            KeepTogether(
                [
                    section_row(f"{number}、申请人承诺", styles),
                    Spacer(1, 2 * mm),
                    Paragraph(declaration, styles["declaration"]),
                    sign,
                    Spacer(1, 3 * mm),
                    Paragraph("以下由窗口工作人员填写", styles["small"]),
                    Spacer(1, 1 * mm),
                    acceptance,
                ]
            )
        ]

    def _get_story(self, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
        item = self.item
        department = self.catalog.departments[item.department]
        statuses = [s for s in self.filling.report(item.code).fields if s.relevant]
        applicant = [s for s in statuses if is_applicant_field(s.slot.field)]
        details = [s for s in statuses if not is_applicant_field(s.slot.field)]
        staff_typed = any(
            s.entered is not None and s.entered.source is Source.STAFF for s in statuses
        )

        story: list[Flowable] = [
            StartPart(PagePart(self._decorate)),
            Heading(self.title),
            Paragraph(
                f"事项编码：{item.code}{GAP}实施部门：{esc(department.name.zh)}{GAP}"
                f"申请日期：{chinese_date(self.printed_at)}",
                styles["subtitle"],
            ),
            Spacer(1, 4 * mm),
        ]
        number = iter("一二三四五六七八九")
        if applicant:
            story.append(section_row(f"{next(number)}、申请人信息", styles))
            story += self._field_rows(applicant, styles)
            story.append(Spacer(1, 4 * mm))
        if details:
            story.append(section_row(f"{next(number)}、申请事项信息", styles))
            story += self._field_rows(details, styles)
        if staff_typed:
            story += [
                Spacer(1, 1.5 * mm),
                Paragraph(
                    "注：标注〔导服代填〕的内容由大厅导服人员根据申请人口述代为录入，"
                    "请申请人核对无误后签字确认。",
                    styles["note"],
                ),
            ]
        story += [
            Spacer(1, 4 * mm),
            section_row(f"{next(number)}、提交材料（窗口核验）", styles),
            self._materials_checklist(styles),
            Spacer(1, 5 * mm),
        ]
        story += self._signature(styles, next(number))  # numbered after the sections present
        return story


def cover_person(catalog: Catalog, filling: Filling) -> tuple[str, str]:
    """The applicant's name and phone for a cover sheet: the first name (from the ID-card
    fields) and the first mobile number among the values typed."""
    name = phone = ""
    for slot in filling.slots().values():
        entered = filling.get(slot.key)
        if entered is None:
            continue
        if not name and slot.field.id_card is IdCardPart.NAME:
            name = display(slot.field, entered.value)
        if not phone and slot.field.type is FieldType.MOBILE:
            phone = display(slot.field, entered.value)
    return name, phone


class BundleRenderer(A4Renderer):
    """A 主题联办 bundle: a cover sheet (items + merged materials), then each item's form."""

    code: str
    page_title = "主题联办申请封面"  # the cover's pages; each member form heads its own

    def __init__(
        self,
        catalog: Catalog,
        bundle: Bundle,
        filling: Filling,
        notice: MaterialsNotice,
        *,
        code: str,
        status_url: str | None = None,
        printed_at: datetime | None = None,
    ):
        super().__init__(catalog, code=code, status_url=status_url, printed_at=printed_at)
        self.bundle = bundle
        self.filling = filling
        self.notice = notice
        self.title = f"主题联办申请 {bundle.name.zh}"
        self.footer_note = f"联办编码 {bundle.code} · 事项目录版本 {catalog.version}"

    def _items_table(self, styles: dict[str, ParagraphStyle]) -> Table:
        cell, centre = styles["cell"], styles["cell_center"]
        rows: list[list[Flowable]] = []
        for n, item in enumerate(self.filling.items, 1):
            department = self.catalog.departments[item.department]
            rows.append(
                [
                    Paragraph(str(n), centre),
                    Paragraph(esc(item.name.zh), cell),
                    Paragraph(item.code, centre),
                    Paragraph(esc(department.name.zh), cell),
                    Paragraph(time_limit(item), cell),
                ]
            )
        header = ("序号", "事项名称", "事项编码", "实施部门", "办理时限")
        return ruled_table(header, rows, [11 * mm, None, 28 * mm, 34 * mm, 44 * mm], styles)

    def _get_story(self, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
        name, phone = cover_person(self.catalog, self.filling)
        queue = self.catalog.queues[self.bundle.queue]
        story: list[Flowable] = [
            StartPart(PagePart(self._decorate)),
            Heading("主题联办申请材料"),
            Paragraph(f"“{esc(self.bundle.name.zh)}”", styles["subtitle"]),
            Spacer(1, 4 * mm),
            info_row("办件编号", self.code, styles),
            info_row("申请人", esc(name), styles),
            info_row("联系电话", esc(phone), styles),
            info_row(
                "受理窗口",
                f"{esc(queue.name.zh)}（{'、'.join(str(w) for w in queue.windows)} 号窗口）",
                styles,
            ),
            info_row("申请日期", chinese_date(self.printed_at), styles),
            Spacer(1, 5 * mm),
            section_row(f"一、本次联办事项（共 {len(self.filling.items)} 项）", styles),
            self._items_table(styles),
            Spacer(1, 5 * mm),
            section_row("二、合并材料清单（相同材料只需提交一次原件）", styles),
            materials_table(list(self.notice.lines), self.catalog, styles, show_items=True),
            Spacer(1, 3 * mm),
            Paragraph(
                "本联办申请一次提交、窗口统一受理，各事项申请表附后，由后台各部门分别审批；"
                "办结后凭办件编号在统一出件窗口领取全部结果。",
                styles["note"],
            ),
        ]
        for item in self.filling.items:
            form = FormRenderer(
                self.catalog,
                item,
                self.filling,
                code=self.code,
                notice=self.notice,
                status_url=self.status_url,
                printed_at=self.printed_at,
            )
            story += [PageBreak(), *form._get_story(styles)]
        return story
