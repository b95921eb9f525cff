"""The staff panel's pages through the real widgets over real services: sync, printers, today,
reprint by code or ticket number, and reloading the catalog (a broken file changes nothing)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, update

from kiosk.catalog import parse_catalog
from kiosk.services import ServiceUnavailable
from kiosk.store.bureau_tables import BureauSubmission
from kiosk.store.db import checkpoint
from kiosk.store.models import OutboxEntry, OutboxState
from kiosk.ui.demo import page_of
from kiosk.ui.navigation import BundlesRoute, CatalogRoute, Intent
from kiosk.ui.screens.bundles import BundlesScreen
from tests.services.conftest import ITEM, id_number, item_visit, submit, take_ticket, url_text
from tests.ui.visitor import tap

from .steps import actions, enter_staff, open_page, settle, shown

HERE = Path(__file__).parent.parent


def test_sync_page_without_a_bureau(make_kiosk, qtbot, catalog):
    kiosk = make_kiosk()
    submit(kiosk.services, item_visit(catalog))
    enter_staff(kiosk.window, qtbot)
    page = open_page(kiosk.window, qtbot, "sync")
    text = shown(page)
    # the submission, the ticket this kiosk numbered itself, and the ticket's "printed" mark
    assert "未配置审批局数据库" in text and "待上传 3 条" in text and "没有隔离的记录" in text
    tap(page.sync_button)
    settle(kiosk.window, qtbot)
    assert "本机未连接审批局数据库" in page.status.text()


def test_a_damaged_store_is_told_to_staff_first_with_what_to_do(make_kiosk, qtbot, catalog):
    kiosk = make_kiosk()
    for n in range(40):
        submit(kiosk.services, item_visit(catalog, id_number(20 + n)))
    store = kiosk.services.store
    checkpoint(store.engine)
    store.engine.dispose()
    path = kiosk.services.settings.local_db_path
    pages = path.stat().st_size // 4096
    with path.open("r+b") as damaged:  # the second half of the file: pages of rubbish
        for page in range(pages // 2, pages):
            damaged.seek(page * 4096)
            damaged.write(b"\xa5" * 4096)
    with pytest.raises(ServiceUnavailable):
        submit(kiosk.services, item_visit(catalog, id_number(99)))
    enter_staff(kiosk.window, qtbot)
    page = open_page(kiosk.window, qtbot, "sync")
    text = shown(page)
    assert "本机存储出现问题" in text and "处理办法" in text
    assert "Traceback" not in text


@pytest.mark.db
def test_sync_page_shows_a_quarantined_submission_with_its_differences(
    make_kiosk, qtbot, catalog, pg_bureau_url, pg_bureau
):
    kiosk = make_kiosk(bureau=url_text(pg_bureau_url))
    services = kiosk.services
    assert services.staff.sync_now().error is None
    result = submit(services, item_visit(catalog, id_number(9)))
    assert services.staff.sync_now().panel.backlog == 0
    with pg_bureau.begin() as connection:  # someone changed the row at the bureau …
        row = connection.execute(
            select(BureauSubmission.fields).where(BureauSubmission.code == result.code)
        ).scalar_one()
        row[ITEM]["child_name"]["value"] = "李小宝"
        connection.execute(
            update(BureauSubmission)
            .where(BureauSubmission.code == result.code)
            .values(fields=row, payload_hash="edited")
        )
    with services.store.sessions.begin() as session:  # … and the kiosk sends its row again
        session.execute(
            update(OutboxEntry)
            .where(OutboxEntry.entity_id == result.receipt.submission_id)
            .values(state=OutboxState.PENDING.value)
        )
    enter_staff(kiosk.window, qtbot)
    page = open_page(kiosk.window, qtbot, "sync")
    tap(page.sync_button)  # "sync now" from the panel finds the conflict
    settle(kiosk.window, qtbot)
    text = shown(page)
    assert "自动同步：未运行" in text, "the worker was never started here"
    assert result.display_code in text
    assert f"fields.{ITEM}.child_name.value：本机「张小宝」，审批局「李小宝」" in text
    assert "sync_now" in actions(services)


def test_printers_page_and_a_test_page(make_kiosk, qtbot):
    kiosk = make_kiosk()
    enter_staff(kiosk.window, qtbot)
    page = open_page(kiosk.window, qtbot, "printers")
    assert [page.states[k].text() for k in ("ticket", "notice", "form")] == ["打印机正常"] * 3
    assert str(kiosk.printed) in page.details["form"].text()
    tap(page.test_buttons["form"])
    settle(kiosk.window, qtbot)
    assert page.results["form"].text() == "测试页已打印"
    assert len(list(kiosk.printed.glob("*.pdf"))) == 1
    assert actions(kiosk.services)[-1] == "test_page"


def test_a_help_request_is_shown_and_closed(make_kiosk, qtbot, catalog):
    kiosk = make_kiosk()
    window = kiosk.window
    window.go(CatalogRoute(Intent.APPLY))
    tap(window.header.guide)  # a visitor presses 呼叫导服
    settle(window, qtbot)
    submitted = submit(kiosk.services, item_visit(catalog))
    kiosk.services.ratings.rate(
        "dissatisfied",
        ["等候时间太长", "自助机操作不方便"],
        submission_id=submitted.receipt.submission_id,
        comment="字太小",
    )
    enter_staff(window, qtbot)
    page = open_page(window, qtbot, "today")
    text = shown(page)
    assert "在「选择事项」页面" in text
    assert "等候时间太长、自助机操作不方便" in text and "“字太小”" in text
    assert "不满意" in text
    assert f"（{ITEM}）" in text, "submissions per item"
    assert submitted.display_code in text, "the poor rating says what it was about"
    ((_, done),) = page.done_buttons.items()
    tap(done)
    settle(window, qtbot)
    assert page.done_buttons == {}
    assert "待处理的呼叫导服\n暂无" in shown(page)
    assert kiosk.services.staff.open_help_requests() == []


@pytest.mark.db
def test_today_counts_tickets_per_queue(make_kiosk, qtbot, catalog, pg_bureau_url):
    kiosk = make_kiosk(bureau=url_text(pg_bureau_url))
    assert kiosk.services.staff.sync_now().error is None
    take_ticket(kiosk.services, "livelihood")
    take_ticket(kiosk.services, "livelihood")
    enter_staff(kiosk.window, qtbot)
    page = open_page(kiosk.window, qtbot, "today")
    name = catalog.queues["livelihood"].name.zh
    assert f"{name}（livelihood）\n2" in shown(page)


def test_reprint_by_code(make_kiosk, qtbot, catalog):
    kiosk = make_kiosk()
    result = submit(kiosk.services, item_visit(catalog))
    before = {p.name for p in kiosk.printed.glob("*-form-*.pdf")}
    enter_staff(kiosk.window, qtbot)
    page = open_page(kiosk.window, qtbot, "reprint")
    page.pad.press(result.display_code.lower())
    assert page.code.text() == result.code
    tap(page.go)
    settle(kiosk.window, qtbot)
    assert "申请表：已打印" in shown(page)
    after = {p.name for p in kiosk.printed.glob("*-form-*.pdf")}
    assert len(after - before) == 1, "the forms printed once more"
    assert page.code.text() == ""
    page.pad.press("ZZZZZ")
    tap(page.go)
    settle(kiosk.window, qtbot)
    assert "没有找到这个办件编号" in shown(page)
    assert actions(kiosk.services)[-2:] == ["reprint", "reprint"]


@pytest.mark.db
def test_reprint_a_ticket_by_its_number(make_kiosk, qtbot, pg_bureau_url):
    kiosk = make_kiosk(bureau=url_text(pg_bureau_url))
    assert kiosk.services.staff.sync_now().error is None
    ticket = take_ticket(kiosk.services, "livelihood").ticket
    assert ticket is not None
    enter_staff(kiosk.window, qtbot)
    page = open_page(kiosk.window, qtbot, "reprint")
    page.pad.press(ticket.number)
    tap(page.go)
    settle(kiosk.window, qtbot)
    assert f"号票 {ticket.number}：已打印" in shown(page)


def test_a_broken_catalog_is_refused_and_a_good_one_is_used(make_kiosk, qtbot, tmp_path, catalog):
    good = (HERE / "bundle_catalog.yaml").read_text(encoding="utf-8")
    broken = good.replace("statutory_days: 3", "statutory_days: three", 1)
    line = next(n for n, text in enumerate(broken.splitlines(), 1) if "three" in text)
    path = tmp_path / "catalog.yaml"
    path.write_text(broken, encoding="utf-8")
    kiosk = make_kiosk(catalog_path=path)
    window = kiosk.window
    enter_staff(window, qtbot)
    page = open_page(window, qtbot, "catalog")
    assert catalog.version in page.now.text()
    tap(page.reload_button)
    settle(window, qtbot)
    assert "未载入" in page.status.text() and catalog.version in page.status.text()
    assert any(p.startswith(f"catalog.yaml:{line}") for p in page.problems), page.problems
    assert f"catalog.yaml:{line}" in shown(page)
    assert window.session.catalog is catalog and kiosk.services.hall.catalog is catalog
    path.write_text(good, encoding="utf-8")
    tap(page.reload_button)
    settle(window, qtbot)
    assert "新目录已生效：版本 test-1" in page.status.text()
    assert window.session.catalog.version == "test-1" == kiosk.services.hall.catalog.version
    assert window.staff.panel_open(), "the panel stays over the rebuilt screens"
    tap(window.staff.panel.band.buttons["exit_staff"])
    settle(window, qtbot)
    window.go(BundlesRoute())
    assert list(page_of(window, BundlesScreen).rows) == [
        b.code for b in parse_catalog(good).bundles.values()
    ]
    assert [a for a in actions(kiosk.services) if a == "reload_catalog"] == ["reload_catalog"] * 2


def test_a_printer_that_fails_shows_as_down_and_since_when(make_kiosk, qtbot):
    """The breaker opened on a failed page: the printers page says so, with the time."""
    kiosk = make_kiosk()
    enter_staff(kiosk.window, qtbot)
    page = open_page(kiosk.window, qtbot, "printers")
    if kiosk.printed.is_dir():
        kiosk.printed.rmdir()
    kiosk.printed.write_text("not a folder")  # the printers' folder cannot be written
    tap(page.test_buttons["form"])
    settle(kiosk.window, qtbot)
    assert page.results["form"].text() != "测试页已打印"
    open_page(kiosk.window, qtbot, "printers")
    state = page.states["form"].text()
    assert state.startswith("打印机出现故障") and "起不可用，每 5 秒自动重试" in state, state
    # The three kinds print into the one folder here: one printer, down for all of them.
    assert page.states["ticket"].text() == state
