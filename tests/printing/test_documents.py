"""The documents themselves: what goes in comes out as text, on the right pages."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Paragraph

from kiosk.catalog import Catalog
from kiosk.consult import BundleConsultation, Consultation, answer_paths, build_notice
from kiosk.forms.filling import Filling, Source
from kiosk.printing.documents import application_document, notice_document, ticket_document
from kiosk.printing.fonts import FONT, SHIPPED_FONT, font_path, has_glyph, register_fonts
from kiosk.printing.form import BundleRenderer, FormRenderer
from kiosk.printing.layout import A4_MARGIN, FOOTER_HEIGHT, HEADER_HEIGHT, stylesheet
from kiosk.printing.notice import NoticeRenderer
from kiosk.printing.slip import TicketSlip, id_tail, mask_id_number, qr_text, windows_text
from kiosk.printing.ticket import TicketRenderer
from tests.printing.conftest import LONG_SCOPE, Case, fill_examples
from tests.printing.pdfcheck import body_text, first_page_text, fonts, pages_text, squash, text

CODE = "K7M2Q9XP"


# ── font ──


def test_the_font_ships_with_its_licence() -> None:
    assert font_path() == SHIPPED_FONT
    licence = SHIPPED_FONT.with_name("LICENSE-wqy-microhei.txt").read_text(encoding="utf-8")
    assert "Apache License" in licence and "WenQuanYi" in licence


def test_fonts_register_once() -> None:
    assert register_fonts() == register_fonts() == FONT
    assert has_glyph("审") and has_glyph("号") and not has_glyph("\U0001f600")


def test_every_pdf_embeds_only_the_subset_font(tmp_path: Path, slip: TicketSlip) -> None:
    path = tmp_path / "ticket.pdf"
    path.write_bytes(TicketRenderer(slip).render())
    table = fonts(path)
    assert table and all(f["emb"] == "yes" and f["sub"] == "yes" for f in table), table
    assert all("WenQuanYiMicroHei" in f["name"] for f in table), table


# ── ticket ──


def test_slip_keeps_only_the_last_four_of_the_id_number(slip: TicketSlip) -> None:
    assert id_tail("11010519491231002X") == "002X"
    assert mask_id_number("11010519491231002X") == "**************002X"
    with pytest.raises(ValueError, match="last 4"):
        replace(slip, id_tail="11010519491231002X")
    with pytest.raises(ValueError, match="timezone"):
        replace(slip, issued_at=datetime(2026, 1, 1))


def test_windows_and_qr_text() -> None:
    assert windows_text((5, 3, 4)) == "3、4、5"
    assert windows_text((1, 2, 3, 4, 5, 6)) == "1–6"
    assert qr_text(CODE, None) == CODE
    assert qr_text(CODE, "https://zwfw.example/q/{code}") == f"https://zwfw.example/q/{CODE}"


def test_ticket_says_everything_the_visitor_needs(slip: TicketSlip) -> None:
    printed = squash(text(TicketRenderer(slip).render()))
    for expected in (
        "测试镇行政审批局",
        "C012",
        "生产经营综合窗口",
        "请到6、7号窗口办理",
        "您前面还有4人等候",
        "预计等候约48分钟",
        "优先办理",
        CODE,
        "**************002X",
    ):
        assert expected in printed, expected
    assert "11010519491231002X" not in printed
    assert "绿色通道" not in printed  # the lane's name is the catalog's, on the queue line


def test_offline_ticket_says_so_honestly(slip: TicketSlip) -> None:
    offline = replace(slip, people_ahead=None, wait_minutes=None, priority=False)
    printed = squash(text(TicketRenderer(offline).render()))
    assert "无法显示前面等候人数" in printed
    assert "您前面还有" not in printed and "预计等候" not in printed and "优先办理" not in printed


def test_ticket_is_one_80mm_page_as_long_as_its_content(slip: TicketSlip) -> None:
    full = ticket_document(slip)
    short = ticket_document(replace(slip, submission_code=None, id_tail=None))
    assert len(pages_text(full.pdf)) == 1
    width, height = re.fullmatch(r"Custom\.([\d.]+)x([\d.]+)mm", full.media).groups()
    assert float(width) == 80
    short_height = float(short.media.split("x")[1].removesuffix("mm"))
    assert 90 < short_height < float(height) < 200  # no QR block: a shorter slip


# ── notice ──


def test_notice_lists_every_material_with_counts_and_the_traceable_facts(item_case: Case) -> None:
    printed = squash(text(NoticeRenderer(item_case.catalog, item_case.notice, code=CODE).render()))
    for expected in (
        "一次性告知书",
        "个体工商户设立登记（SC-T-001）",
        "符合申请条件，可以申请",
        "市场监督管理局",
        "承诺办结时限1个工作日",
        "《促进个体工商户发展条例》",
        "测试镇人民路1号",
        "生产经营综合窗口（6、7号窗口）",
        "0512-11112222",
        "经营者居民身份证",
        "经营场所租赁合同",
        "与出租方签订",
        "原件2份，复印件2份",
        "事项目录版本test-1",
        "打印时间",
        CODE,
    ):
        assert expected in printed, expected


def test_notice_of_a_refused_item_lists_no_materials(catalog: Catalog) -> None:
    item = catalog.items["MS-YB-001"]
    refused = next(p for p in answer_paths(item) if (v := p.verdict()) and not v.eligible)
    printed = squash(text(NoticeRenderer(catalog, build_notice(catalog, [refused])).render()))
    assert "不符合申请条件" in printed and "无需准备材料" in printed
    assert "出生医学证明" not in printed


# ── forms ──


def test_form_prints_every_value_and_marks_what_staff_typed(item_case: Case) -> None:
    item = item_case.catalog.items["SC-T-001"]
    pdf = FormRenderer(
        item_case.catalog, item, item_case.filling, code=CODE, notice=item_case.notice
    ).render()
    printed = squash(text(pdf))
    for expected in (
        "个体工商户设立登记申请表",
        "测试镇小敏餐饮店",
        "11010519491231002X",
        "江苏省苏州市吴中区测试镇商业街18号",
        "■个人经营",
        "□家庭经营",
        "2026年12月1日",
        "餐饮服务；食品销售（仅销售预包装食品）",
        "13912345678〔导服代填〕",
        "经营场所租赁合同",
        "申请人（签字）",
        "窗口受理意见",
    ):
        assert expected in printed, expected
    assert printed.count("〔导服代填〕") == 2  # the value, and the note explaining the mark
    assert "张小敏〔导服代填〕" not in printed


def test_form_without_staff_values_has_no_staff_note(item_case: Case) -> None:
    filling = item_case.filling
    filling.set("SC-T-001.mobile", "13912345678", Source.CITIZEN)
    item = item_case.catalog.items["SC-T-001"]
    printed = text(FormRenderer(item_case.catalog, item, filling, code=CODE).render())
    assert "导服代填" not in printed


def test_a_2000_character_value_continues_on_a_continuation_page(item_case: Case) -> None:
    item = item_case.catalog.items["SC-T-001"]
    assert len(LONG_SCOPE) == 2000
    assert item_case.filling.set("SC-T-001.scope", LONG_SCOPE) is None
    pdf = FormRenderer(item_case.catalog, item, item_case.filling, code=CODE).render()
    pages = pages_text(pdf)
    assert len(pages) >= 2
    body = squash(
        "".join(body_text(pdf, A4_MARGIN + FOOTER_HEIGHT, A4[1] - A4_MARGIN - HEADER_HEIGHT))
    )
    assert squash(LONG_SCOPE) in body.replace("经营范围（续）", ""), "part of the value is lost"
    assert "经营范围（续）" in squash(pages[1])
    assert "（续页）" in pages[1]
    for n, page in enumerate(pages, 1):
        assert CODE in page, f"page {n} has no submission code"
        assert f"第 {n} 页  共 {len(pages)} 页" in page


def test_fields_of_an_abandoned_branch_are_not_printed(item_case: Case) -> None:
    item = item_case.catalog.items["SC-T-001"]
    printed = text(FormRenderer(item_case.catalog, item, item_case.filling, code=CODE).render())
    assert "是否开展网络经营" in printed  # relevant, answered "no"


def test_bundle_is_a_cover_then_each_members_form_numbered_on_its_own(bundle_case: Case) -> None:
    bundle = bundle_case.catalog.bundles["BD-T-START"]
    pages = pages_text(
        BundleRenderer(
            bundle_case.catalog, bundle, bundle_case.filling, bundle_case.notice, code=CODE
        ).render()
    )
    cover = squash(pages[0])
    assert "主题联办申请材料" in cover and "我要开餐馆" in cover
    assert "个体工商户设立登记" in cover and "新办纳税人涉税事项套餐" in cover
    assert "张小敏" in cover and "13812345678" in cover
    assert "经营者居民身份证" in cover
    titles = [p for p in pages[1:] if "申请表" in p and "第 1 页" in p]
    assert len(titles) == 2
    assert "■增值税普通发票" in squash(pages[-1]) and "□增值税专用发票" in squash(pages[-1])
    assert all(CODE in p for p in pages)
    assert "第 1 页  共 1 页" in pages[0]


def test_application_document_picks_form_or_bundle(item_case: Case, bundle_case: Case) -> None:
    single = application_document(item_case.catalog, item_case.filling, item_case.notice, code=CODE)
    bundle = application_document(
        bundle_case.catalog,
        bundle_case.filling,
        bundle_case.notice,
        code=CODE,
        bundle=bundle_case.catalog.bundles["BD-T-START"],
    )
    assert single.kind == bundle.kind == "form" and single.media == "A4"
    assert "主题联办" not in text(single.pdf) and "主题联办" in text(bundle.pdf)
    notice = notice_document(item_case.catalog, item_case.notice, code=CODE)
    assert notice.kind == "notice" and notice.name == f"notice-{CODE}"


# ── the shipped catalog ──


def test_every_shipped_item_renders_its_form_and_notice(catalog: Catalog) -> None:
    for item in catalog.items.values():
        filling = Filling.for_item(item)
        fill_examples(filling)
        form = FormRenderer(catalog, item, filling, code=CODE).render()
        assert squash(item.name.zh) in squash(first_page_text(form)), item.code
        notice = build_notice(catalog, [next(iter(answer_paths(item)))])
        assert item.code in first_page_text(NoticeRenderer(catalog, notice).render())


def test_the_font_can_print_every_character_of_the_shipped_catalog(catalog: Catalog) -> None:
    """A character missing from the font prints as a blank: catch it in the catalog."""
    seen: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, str):
            seen.update(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list | tuple):
            for v in value:
                walk(v)
        elif hasattr(value, "model_dump"):
            walk(value.model_dump())

    walk(catalog.meta)
    for collection in (catalog.items, catalog.bundles, catalog.departments, catalog.queues):
        for entry in collection.values():
            walk(entry)
    missing = sorted(c for c in seen if c.isprintable() and not c.isspace() and not has_glyph(c))
    assert not missing, f"characters the font cannot print: {''.join(missing)}"


def test_consultation_without_answers_still_prints(catalog: Catalog) -> None:
    item = catalog.items["MS-YB-001"]
    notice = build_notice(catalog, [Consultation(item)])
    printed = squash(text(NoticeRenderer(catalog, notice, printed_at=datetime.now(UTC)).render()))
    assert "尚未完成咨询" in printed


def test_every_shipped_bundle_renders_cover_and_member_forms(catalog: Catalog) -> None:
    for bundle in catalog.bundles.values():
        chosen = [m.item for m in bundle.members]
        consultation = BundleConsultation.start(catalog, bundle, chosen)
        while (current := consultation.current()) is not None:
            consultation.answer(current[1].answers()[0])
        filling = Filling.for_bundle(bundle, [catalog.items[c] for c in chosen])
        fill_examples(filling)
        pages = pages_text(
            BundleRenderer(catalog, bundle, filling, consultation.notice(), code=CODE).render()
        )
        assert squash(bundle.name.zh) in squash(pages[0]), bundle.code
        printed = squash("".join(pages))
        for code in chosen:
            assert f"事项编码：{code}" in printed, (bundle.code, code)


def test_a_line_never_starts_with_a_comma() -> None:
    register_fonts()
    paragraph = Paragraph("注册资本（出资额，万元）", stylesheet()["label"])
    paragraph.wrap(87, 1000)
    lines = ["".join(words) for _, words in paragraph.blPara.lines]
    assert len(lines) == 2 and not lines[1].startswith("，"), lines
