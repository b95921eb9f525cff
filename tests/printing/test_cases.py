"""Printed documents for the catalog's case constructs: 'later' verdicts, fees, materials a
bundle member provides, nothing to bring, section numbers and titles that fit the form."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from kiosk.catalog import Catalog, parse_catalog
from kiosk.consult import BundleConsultation, Consultation, MaterialsNotice, build_notice
from kiosk.forms.filling import Filling
from kiosk.printing.form import FormRenderer, form_title
from kiosk.printing.notice import NoticeRenderer
from tests.catalog.samples import SAMPLE_YAML
from tests.printing.pdfcheck import squash, text

CODE = "K7M2Q9XP"

LATER = """\
    later:
      - when: {question: has_lease, equals: false}
        reason: {zh: 须先签订租赁合同, en: Sign the lease first}
        first: {zh: 与出租方签订租赁合同并备案, en: Sign and file the lease}
        where: {zh: 镇房管所二楼, en: The town housing office}
        bring:
          - id: lease_filing
            name: {zh: 租赁备案证明, en: Lease filing receipt}
            issuer: {zh: 房管所, en: Housing office}
            obtain: {zh: 备案后领取, en: After filing}
    fees:
      - amount: "20"
        note: {zh: 执照工本费, en: Licence fee}
      - when: {question: agent, equals: true}
        amount: "5.5"
        note: {zh: 代办费, en: Agent fee}
"""


def case_catalog() -> Catalog:
    text = SAMPLE_YAML.replace(
        "      - when: {question: has_lease, equals: false}\n"
        "        reason: {zh: 须先取得经营场所, en: You need premises first}\n",
        "",
    )
    text = text.replace(
        "    materials:\n      - use: id_card\n      - id: lease",
        LATER + "    materials:\n      - use: id_card\n      - id: lease",
        1,
    )
    text = text.replace(  # T-REG's licence is what the bundle's other members ask for
        "    questions:\n      - id: agent\n",
        "    produces: {materials: [licence]}\n    questions:\n      - id: agent\n",
        1,
    )
    return parse_catalog(text, "hekou.yaml")


def answered(catalog: Catalog, **answers: bool | str) -> Consultation:
    consultation = Consultation(catalog.items["T-REG"])
    for question, value in answers.items():
        consultation.answer(question, value)
    return consultation


def printed_notice(catalog: Catalog, notice: MaterialsNotice) -> str:
    return squash(text_of(NoticeRenderer(catalog, notice).render()))


def text_of(pdf: bytes) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.pdf"
        path.write_bytes(pdf)
        return text(path)


def test_a_later_notice_says_why_what_first_where_and_what_to_bring_back() -> None:
    catalog = case_catalog()
    consultation = answered(catalog, agent=True, form="person", rented=True, has_lease=False)
    printed = printed_notice(catalog, build_notice(catalog, [consultation]))
    for expected in (
        "暂时还不能办理：须先签订租赁合同",
        "请先：与出租方签订租赁合同并备案",
        "办理地点：镇房管所二楼",
        "办好后，请带齐本告知书所列材料再来办理",
        "租赁备案证明",  # what the later rule adds to the list
        "租赁合同",
    ):
        assert expected in printed, expected


def test_the_notice_prints_the_fees_of_the_case() -> None:
    catalog = case_catalog()
    with_agent = answered(catalog, agent=True, form="person", rented=False)
    printed = printed_notice(catalog, build_notice(catalog, [with_agent]))
    assert "执照工本费20.00元；代办费5.50元；合计25.50元" in printed
    alone = answered(catalog, agent=False, form="person", rented=False)
    printed = printed_notice(catalog, build_notice(catalog, [alone]))
    assert "执照工本费20.00元" in printed and "合计" not in printed and "代办费" not in printed
    # an item without fees prints its published 收费标准
    tax = Consultation(catalog.items["T-TAX"])
    tax.answer("agent", False)
    tax.answer("invoices", False)
    assert "收费标准不收费" in printed_notice(catalog, build_notice(catalog, [tax]))


def test_a_bundle_notice_says_which_materials_another_member_provides() -> None:
    catalog = case_catalog()
    bundle = BundleConsultation.start(
        catalog, catalog.bundles["B-SHOP"], ["T-REG", "T-TAX", "T-SEAL"]
    )
    while (current := bundle.current()) is not None:
        _member, question = current
        bundle.answer(False if question.id in ("agent", "invoices") else question.answers()[0])
    printed = printed_notice(catalog, bundle.notice())
    assert "本次联办中以下材料无需提交：营业执照（由个体工商户设立登记办理后产生）" in printed


def test_nothing_to_bring_is_said_in_the_catalogs_words() -> None:
    start = SAMPLE_YAML.index("  - code: L-BIRTH")
    end = SAMPLE_YAML.index("  - code: L-HUKOU")
    item = SAMPLE_YAML[start:end].replace(
        "    materials:\n      - use: id_card\n",
        "    nothing_to_bring:"
        " {zh: 医院已将出生信息推送到本中心, en: The hospital sent the record}\n",
    )
    catalog = parse_catalog(SAMPLE_YAML[:start] + item + SAMPLE_YAML[end:], "hekou.yaml")
    (path,) = [Consultation(catalog.items["L-BIRTH"])]
    printed = printed_notice(catalog, build_notice(catalog, [path]))
    assert "医院已将出生信息推送到本中心" in printed and "不符合申请条件" not in printed


def test_section_numbers_follow_the_sections_present() -> None:
    # L-BIRTH with only an item field: no applicant section, so the declaration is 三.
    start = SAMPLE_YAML.index("  - code: L-BIRTH")
    end = SAMPLE_YAML.index("  - code: L-HUKOU")
    item = SAMPLE_YAML[start:end].replace(
        "    fields:\n      - use: person_name\n",
        "    fields:\n      - {id: hospital, type: text, label: {zh: 出生医院, en: Hospital},"
        " example: 河口镇卫生院}\n",
    )
    catalog = parse_catalog(SAMPLE_YAML[:start] + item + SAMPLE_YAML[end:], "hekou.yaml")
    filling = Filling.for_item(catalog.items["L-BIRTH"])
    assert filling.fill_examples() == {}
    printed = squash(
        text_of(FormRenderer(catalog, catalog.items["L-BIRTH"], filling, code=CODE).render())
    )
    numbers = re.findall(r"([一二三四五])、(申请人信息|申请事项信息|提交材料|申请人承诺)", printed)
    assert numbers == [("一", "申请事项信息"), ("二", "提交材料"), ("三", "申请人承诺")]


def test_titles_never_say_apply_twice(catalog: Catalog) -> None:
    titles = [form_title(item) for item in catalog.items.values()]
    assert not [t for t in titles if "申请申请" in t or "申领申请" in t]
    by_name = {item.name.zh: form_title(item) for item in catalog.items.values()}
    assert by_name["临时救助申请"] == "临时救助申请表"
    assert by_name["食品经营许可"] == "食品经营许可申请表"
