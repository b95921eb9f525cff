"""A second bureau's catalog, written in the schema, runs unchanged end to end.

tests/second_bureau/catalog.yaml (山北乡): other queue letters, categories and
departments, a bundle and a life event, and every construct a real case needs.  It
goes through the check, the consultation, the forms, the documents and the kiosk's
services; nothing of the sample bureau (示范镇) shows anywhere.
"""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from kiosk.app import build_services, main
from kiosk.catalog import Catalog, load_catalog
from kiosk.catalog.search import SearchIndex
from kiosk.config import Settings
from kiosk.consult import BundleConsultation, Consultation, build_notice
from kiosk.forms.filling import Filling, Source
from kiosk.printing.form import FormRenderer
from kiosk.printing.notice import NoticeRenderer
from kiosk.session import VisitorSession
from kiosk.walk import check_catalog
from tests.printing.pdfcheck import squash, text
from tests.second_bureau import SECOND_CATALOG

SAMPLE_BUREAU = "示范镇"
ID_1948 = "330523194803050017"  # a man born 5 March 1948
ID_1985 = "320506198503151238"


@pytest.fixture(scope="module")
def shanbei() -> Catalog:
    return load_catalog(SECOND_CATALOG)


def pdf_text(pdf: bytes, tmp_path: Path, name: str) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    return squash(text(path))


def test_it_is_a_different_bureau(shanbei: Catalog, catalog: Catalog) -> None:
    assert shanbei.meta.bureau.zh == "山北乡便民服务中心"
    assert {q.prefix for q in shanbei.queues.values()} == {"E", "N", "S", "Y"}
    assert not {q.prefix for q in shanbei.queues.values()} & {"A", "B", "C", "D", "V"}
    assert set(shanbei.categories).isdisjoint(catalog.categories)
    assert shanbei.bundles and shanbei.life_events
    assert shanbei.meta.area is not None and shanbei.meta.area.district == "安吉县"
    (lane,) = shanbei.priority_queues()
    assert lane.description is not None and "抱婴" in lane.description.zh


def test_the_check_walks_it_clean(shanbei: Catalog, capsys: pytest.CaptureFixture[str]) -> None:
    assert check_catalog(shanbei) == []
    assert main(["catalog", "check", str(SECOND_CATALOG)]) == 0
    assert capsys.readouterr().out.startswith("catalog.yaml: OK — catalog version shanbei-2031.4")


def test_an_age_from_the_id_number(shanbei: Catalog) -> None:
    item = shanbei.items["LN-001"]
    filling = Filling.for_item(item)
    assert filling.set("LN-001.id_number", ID_1985) is None
    errors = {s.slot.field.id: s.error.en for s in filling.report("LN-001").problems if s.error}
    assert errors["id_number"] == "By the ID number the applicant is under 60"
    filling.set("LN-001.id_number", ID_1948)
    status = {s.slot.field.id: s for s in filling.report("LN-001").fields}
    assert status["id_number"].error is None
    assert status["birth_date"].read_only and status["birth_date"].entered.value == "1948-03-05"
    assert (
        status["sex"].entered.value == "male" and status["sex"].entered.source is Source.PREFILLED
    )


def test_come_back_after_the_assessment(shanbei: Catalog, tmp_path: Path) -> None:
    consultation = Consultation(shanbei.items["CJ-001"])
    consultation.answer("assessed", False)
    assert consultation.verdict() is None  # the remaining question is still asked
    consultation.answer("by_agent", True)
    verdict = consultation.verdict()
    assert verdict is not None and verdict.later
    assert verdict.where is not None and "县人民医院" in verdict.where.zh
    assert [m.id for m in consultation.materials()] == [
        "id_card",
        "photo",
        "proxy_letter",
        "assessment_form",  # what to bring when coming back
    ]
    notice = build_notice(shanbei, [consultation])
    printed = pdf_text(NoticeRenderer(shanbei, notice).render(), tmp_path, "later")
    assert "暂时还不能办理：办证前须先做残疾评定" in printed and "残疾评定表" in printed


@pytest.mark.parametrize(("dibao", "amount"), [(False, "40.00"), (True, "0.00")])
def test_a_fee_waived_for_dibao(shanbei: Catalog, dibao: bool, amount: str) -> None:
    consultation = Consultation(shanbei.items["HJ-002"])
    consultation.answer("dibao", dibao)
    verdict = consultation.verdict()
    assert verdict is not None and verdict.fee_total == Decimal(amount)


def test_an_item_with_no_form(shanbei: Catalog) -> None:
    item = shanbei.items["NJ-005"]
    assert not item.has_form
    session = VisitorSession(shanbei)
    session.start_item(item)
    assert session.consultation is not None and not session.has_form
    consultation = session.consultation
    assert isinstance(consultation, Consultation)
    consultation.answer("machine", "drone")
    notice = session.build_notice()
    assert notice.eligible and "pilot_licence" in [line.material.id for line in notice.lines]
    assert shanbei.queue_of(item).prefix == "N"  # a ticket for the farming window


def test_only_conditional_materials_and_nothing_to_bring(shanbei: Catalog) -> None:
    consultation = Consultation(shanbei.items["YL-004"])
    consultation.answer("by_agent", False)
    assert consultation.verdict() is not None and consultation.materials() == []
    assert shanbei.items["YL-004"].nothing_to_bring is not None


def test_the_reason_asked_once(shanbei: Catalog) -> None:
    item = shanbei.items["JZ-003"]
    filling = Filling.for_item(item)
    filling.answers = {"JZ-003": {"reason": "work"}}
    assert filling.get("JZ-003.residence_reason").value == "work"
    assert filling.prefill("JZ-003.residence_reason").read_only


def test_the_farm_stay_bundle(shanbei: Catalog, tmp_path: Path) -> None:
    bundle = shanbei.bundles["BD-FARMSTAY"]
    session = VisitorSession(shanbei)
    session.start_bundle(bundle)
    consultation = session.consultation
    assert isinstance(consultation, BundleConsultation)
    asked = []
    while (current := consultation.current()) is not None:
        _member, question = current
        asked.append(question.id)
        consultation.answer(True if question.id == "cold_dishes" else question.answers()[-1])
    # has_licence: the registration in the bundle gives it; food_kind: the bundle says
    assert asked == ["by_agent", "cold_dishes"]
    notice = session.build_notice()
    assert notice.eligible and "licence" not in [line.material.id for line in notice.lines]
    filling = session.filling
    assert filling is not None
    assert "SP-102.uscc" not in filling.slots()  # the licence does not exist yet
    assert "cold" in [o.value for o in filling.options("SP-102.food_items")]
    assert filling.fill_examples() == {}
    assert filling.is_complete()
    printed = pdf_text(NoticeRenderer(shanbei, notice).render(), tmp_path, "bundle-notice")
    assert "营业执照（由个体工商户登记办理后产生）" in printed
    form = FormRenderer(shanbei, shanbei.items["SP-102"], filling, code="K7M2Q9XP").render()
    printed_form = pdf_text(form, tmp_path, "form")
    assert "食品经营许可申请表" in printed_form and "山北乡便民服务中心" in printed_form
    assert "统一社会信用代码" not in printed_form
    assert SAMPLE_BUREAU not in printed_form


def test_search_and_life_event(shanbei: Catalog) -> None:
    index = SearchIndex.build(shanbei)
    assert index.search("农家乐")[0].code == "BD-FARMSTAY"
    assert index.search("lnr")[0].code == "LN-001"  # 老年人 by its initials
    assert [i.code for i in shanbei.next_items("LN-001")] == ["YL-004"]


def test_the_halls_name_is_the_bureaus_own(shanbei: Catalog, tmp_path: Path) -> None:
    assert Settings().hall_name is None
    assert shanbei.hall_name(None) == "山北乡便民服务中心"
    assert shanbei.hall_name(None, "en") == "Shanbei Township Service Centre"
    assert shanbei.hall_name("山北乡政务服务站") == "山北乡政务服务站"  # the config may say
    services = build_services(Settings(data_dir=tmp_path / "kiosk"), shanbei)
    try:
        taken = services.tickets.print(services.tickets.take("q-elders"))
        assert taken.ticket is not None and taken.ticket.number == "E001"
        assert taken.printed is not None and taken.printed.accepted
        printed = squash(text(Path(str(taken.printed.result.job))))
        assert "山北乡便民服务中心" in printed and SAMPLE_BUREAU not in printed
        first = services.tickets.print(services.tickets.take("q-elders", priority=True))
        assert first.ticket is not None and first.ticket.number.startswith("Y")
        assert first.printed is not None
        lane = squash(text(Path(str(first.printed.result.job))))
        assert "爱心通道" in lane and "优先办理" in lane and "绿色通道" not in lane
    finally:
        services.close()


def test_the_kiosk_command_checks_it() -> None:
    kiosk = Path(sys.executable).with_name("kiosk")
    done = subprocess.run(
        [str(kiosk), "catalog", "check", str(SECOND_CATALOG)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
