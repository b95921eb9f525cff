"""A whole visit through the real window and the real services: home → forms → preview → submit →
ticket; then the submission read back from the bureau's PostgreSQL and the printed PDFs' text.

Also: through the real cupsd queue; with the bureau unreachable for the whole visit (it
completes, the window stays responsive, and the sync worker sends it once the bureau is
back); and with a printer that cannot print (the calm message keeps the number on screen).
"""

from __future__ import annotations

import re
import subprocess
import time
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.engine import URL

from kiosk.config import DOCUMENT_KINDS, PrinterSettings
from kiosk.printing import ipp
from kiosk.services import SubmissionPrints, Submissions
from kiosk.store.bureau_tables import BureauSubmission, BureauTicket
from kiosk.store.db import bureau_engine
from kiosk.ui.demo import page_of
from kiosk.ui.navigation import Screen
from kiosk.ui.screens.done import DoneScreen
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.screens.preview import PreviewScreen
from kiosk.ui.screens.review import ReviewScreen
from tests.printing.conftest import find_cups_pdf
from tests.services.conftest import closed_port_url
from tests.store.tcp_proxy import TcpProxy

from .conftest import window_services
from .test_bundle import fill_bundle
from .visitor import pdf_text, printed, settle_work, tap, texts

TICKET = re.compile(r"^C\d{3}$")  # the bundle's queue (生产经营, prefix C)


def url_text(url: URL) -> str:
    return url.render_as_string(hide_password=False)


def visit_to_done(window) -> DoneScreen:
    """From the home screen to the done screen, every step tapped or typed."""
    tap(page_of(window, HomeScreen).tiles["tile_bundle"])
    assert window.current is Screen.BUNDLES
    fill_bundle(window)
    tap(page_of(window, ReviewScreen).submit_button)
    assert window.current is Screen.PREVIEW
    settle_work(window)
    preview = page_of(window, PreviewScreen)
    assert preview.preview.loaded and preview.preview.pages >= 3, "cover + one form per item"
    tap(preview.submit_button)
    settle_work(window)
    assert window.current is Screen.DONE
    return page_of(window, DoneScreen)


def bureau_submission(engine: Engine, code: str) -> BureauSubmission | None:
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        return session.scalars(
            select(BureauSubmission).where(BureauSubmission.code == code)
        ).first()


@pytest.mark.db
def test_a_whole_visit_from_home_to_ticket_reaches_the_bureau(
    make_window, make_kiosk, pg_bureau_url, qtbot
):
    kiosk = make_kiosk(bureau=url_text(pg_bureau_url), start=True)
    window = make_window(services=window_services(kiosk))
    done = visit_to_done(window)
    assert done.done is not None and done.done.code is not None
    code = done.done.code
    number = done.number.text()
    assert TICKET.match(number)
    assert done.number.font().pixelSize() >= 150, "the ticket number is very large"
    shown = texts(done, visible_only=True)
    assert "生产经营综合窗口" in shown and "请到 6、7 号窗口等候叫号" in shown
    assert "✓ 排队号票：已打印\n✓ 申请表：已打印" in shown
    assert f"{code[:5]}-{code[5:]}" in shown
    assert not done.problem.isVisible()

    engine = bureau_engine(pg_bureau_url)
    try:
        qtbot.waitUntil(lambda: bureau_submission(engine, code) is not None, timeout=20_000)
        row = bureau_submission(engine, code)
        assert row is not None
        assert (row.target_code, row.item_codes) == ("BD-TEST", ["T-REG", "T-TAX", "T-SEAL"])
        assert row.fields["T-REG"]["applicant_name"]["value"] == "张小敏"
        assert row.fields["T-REG"]["shop_name"]["value"] == "示范镇小敏餐饮店"
        with engine.connect() as connection:
            seqs = connection.scalars(
                select(BureauTicket.seq).where(BureauTicket.id == row.ticket_id)
            ).all()
        assert seqs == [int(number[1:])]
    finally:
        engine.dispose()

    (form,) = printed(kiosk, "form")
    form_text = pdf_text(form)
    assert code in form_text and "张小敏" in form_text and "示范镇小敏餐饮店" in form_text
    (ticket,) = printed(kiosk, "ticket")
    assert number in pdf_text(ticket)


@pytest.fixture
def pdf_queue(cups_queue: str) -> str:
    # As tests/printing/test_cups.py: keep the text's Unicode mapping through CUPS.
    subprocess.run(
        ["lpadmin", "-p", cups_queue, "-o", "pdftops-renderer-default=pdftocairo"],
        check=True,
        timeout=10,
        capture_output=True,
    )
    return cups_queue


class Recording(Submissions):
    """The real submissions service, keeping what the printers did (the print jobs' ids)."""

    def __init__(self, kiosk):
        super().__init__(kiosk.store, kiosk.book, kiosk.hall, kiosk.tickets, kiosk.printers)
        self.results: list[SubmissionPrints] = []

    def print(self, submitted):
        result = super().print(submitted)
        self.results.append(result)
        return result


def test_a_visit_prints_its_forms_through_the_real_cups_queue(make_window, make_kiosk, pdf_queue):
    printer = PrinterSettings(backend="cups", queue=pdf_queue, timeout_s=60)
    kiosk = make_kiosk(printers={kind: printer for kind in DOCUMENT_KINDS})
    recording = Recording(kiosk)
    window = make_window(services=replace(window_services(kiosk), submissions=recording))
    since = time.time()
    done = visit_to_done(window)
    (result,) = recording.results
    assert result.forms_print is not None and result.forms_print.accepted, result
    assert "✓ 申请表：已打印" in done.printed_list.text()
    path = find_cups_pdf(result.forms_print.result.job, since)
    assert path is not None, "cups-pdf wrote the forms"
    # cups-pdf's copy went through PostScript and back: the text layer of a font subset
    # can come back scrambled for some glyphs, so what is read back is each member form's
    # title (the values themselves are checked on the PDF-folder printer's exact copy).
    back = pdf_text(path)
    for title in ("主题联办申请材料", "个体工商户设立登记申请表", "新办纳税人涉税事项申请表"):
        assert title in back
    job = int(result.forms_print.result.job.rsplit("-", 1)[1])
    assert ipp.job_info(pdf_queue, job).state is ipp.JobState.COMPLETED


@pytest.mark.db
def test_the_bureau_down_during_a_visit_and_synced_when_it_is_back(
    make_window, make_kiosk, pg_bureau_url, qtbot
):
    with TcpProxy(pg_bureau_url.host or "127.0.0.1", pg_bureau_url.port or 5432) as proxy:
        through = pg_bureau_url.set(host="127.0.0.1", port=proxy.port)
        kiosk = make_kiosk(bureau=url_text(through), start=True)  # ticket blocks leased
        proxy.cut()  # the bureau goes away before the visitor arrives
        window = make_window(services=window_services(kiosk))
        done = visit_to_done(window)
        assert TICKET.match(done.number.text()), "the kiosk keeps numbering from its blocks"
        assert not window.busy.isVisible(), "nothing waits for the bureau"
        image = window.grab()  # the GUI thread is free: it paints
        assert not image.isNull()
        code = done.done.code if done.done else None
        tap(done.finish_button)
        assert window.current is Screen.HOME
        engine = bureau_engine(pg_bureau_url)  # straight to the server, not the proxy
        try:
            assert code is not None and bureau_submission(engine, code) is None
            proxy.restore()
            qtbot.waitUntil(lambda: bureau_submission(engine, code) is not None, timeout=60_000)
        finally:
            engine.dispose()


def blocked_printers(tmp_path: Path) -> dict[str, PrinterSettings]:
    """PDF-folder printers whose folder cannot be made: a file stands where it should be."""
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the printer's folder should be")
    printer = PrinterSettings(folder=blocked / "printed")
    return {kind: printer for kind in DOCUMENT_KINDS}


@pytest.mark.db
def test_a_printer_that_cannot_print_leaves_a_calm_message_with_the_number(
    make_window, make_kiosk, pg_bureau_url, tmp_path: Path
):
    kiosk = make_kiosk(bureau=url_text(pg_bureau_url), printers=blocked_printers(tmp_path))
    window = make_window(services=window_services(kiosk))
    done = visit_to_done(window)
    assert done.done is not None and done.done.code is not None
    display = f"{done.done.code[:5]}-{done.done.code[5:]}"
    assert TICKET.match(done.number.text()), "the number is on screen, large, paper or not"
    assert done.problem.isVisible()
    number = done.number.text()
    assert done.problem_text.text() == (
        f"号票未能打印，请记住您的号码 {number}，留意叫号；需要纸质号票可请导服人员补打。"
    )
    line = "未能打印：请凭办件编号到导服台补打"
    assert done.printed_list.text() == f"✗ 排队号票：{line}\n✗ 申请表：{line}"
    assert display in texts(done, visible_only=True), "the code to show, on screen"
    assert not done.take_hint.isVisible(), "nothing to take from the slot"
    tap(window.header.language)
    assert done.problem_text.text().startswith(
        f"The ticket did not print. Please remember your number {number}"
    )
    assert "show your application code at the guide desk" in done.printed_list.text()


def test_offline_and_unprinted_the_code_stands_where_the_number_would(
    make_window, make_kiosk, tmp_path: Path
):
    # a bureau configured but never reached: no blocks leased, no ticket numbers
    kiosk = make_kiosk(bureau=closed_port_url(), printers=blocked_printers(tmp_path))
    window = make_window(services=window_services(kiosk))
    done = visit_to_done(window)
    assert done.done is not None and done.done.code is not None
    display = f"{done.done.code[:5]}-{done.done.code[5:]}"
    assert done.number.text() == display
    assert done.caption.text() == "本机暂时无法取号"
    assert done.problem_text.text() == (
        f"申请已保存，编号 {display}。本机暂时无法取号，请凭编号到导服台取号。"
    )
