"""Every document kind through the real cupsd and its cups-pdf queue, and the failure paths.

The queue is the one `make test` sets up (scripts/start-cupsd.sh, default name
PDF).  cups-pdf turns what CUPS sends it back into a PDF, which we read:
the Chinese text, the embedded font, a rendered page.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.config import PrinterSettings, Settings
from kiosk.printing import ipp
from kiosk.printing.documents import application_document, notice_document, ticket_document
from kiosk.printing.printers import (
    CupsPrinter,
    Document,
    PrinterState,
    print_document,
    printer_for,
    queue_state,
)
from kiosk.printing.slip import TicketSlip
from tests.printing.conftest import (
    Case,
    RawSocketPrinter,
    find_cups_pdf,
    free_port,
    queue_jobs,
)
from tests.printing.pdfcheck import fonts, render_png, squash, text

CODE = "K7M2Q9XP"


@pytest.fixture(scope="module")
def pdf_queue(cups_queue: str) -> str:
    # CUPS turns a PDF into PostScript for cups-pdf; its default converter (Ghostscript)
    # keeps the glyphs but drops the text's Unicode mapping, so nothing could be read
    # back.  pdftocairo keeps it.  Only matters for reading the PDF queue's output.
    subprocess.run(
        ["lpadmin", "-p", cups_queue, "-o", "pdftops-renderer-default=pdftocairo"],
        check=True,
        timeout=10,
        capture_output=True,
    )
    return cups_queue


def cups_settings(tmp_path: Path, queue: str, timeout_s: float = 60) -> Settings:
    printer = PrinterSettings(backend="cups", queue=queue, timeout_s=timeout_s)
    return Settings(data_dir=tmp_path, printers={k: printer for k in ("ticket", "notice", "form")})


def printed_pdf(job: str, since: float) -> Path:
    path = find_cups_pdf(job, since)
    assert path is not None, f"cups-pdf wrote nothing for {job}"
    return path


def check_printed(path: Path, tmp_path: Path, expected: list[str]) -> None:
    printed = squash(text(path))
    for phrase in expected:
        assert phrase in printed, f"{phrase!r} not in what {path.name} says"
    table = fonts(path)
    assert any("WenQuanYiMicroHei" in f["name"] for f in table), table
    assert all(f["emb"] == "yes" for f in table), table
    png = render_png(path, tmp_path)
    assert png.stat().st_size > 2_000


def test_every_document_kind_prints_through_cups(
    pdf_queue: str, tmp_path: Path, slip: TicketSlip, item_case: Case, bundle_case: Case
) -> None:
    settings = cups_settings(tmp_path, pdf_queue)
    documents: list[tuple[Document, list[str]]] = [
        (ticket_document(slip), ["测试镇行政审批局", "生产经营综合窗口", "您前面还有4人等候"]),
        (
            notice_document(item_case.catalog, item_case.notice, code=CODE),
            ["一次性告知书", "经营者居民身份证", "经营场所租赁合同"],
        ),
        (
            application_document(item_case.catalog, item_case.filling, item_case.notice, code=CODE),
            ["个体工商户设立登记申请表", "测试镇小敏餐饮店", "导服代填"],
        ),
        (
            application_document(
                bundle_case.catalog,
                bundle_case.filling,
                bundle_case.notice,
                code=CODE,
                bundle=bundle_case.catalog.bundles["BD-T-START"],
            ),
            ["主题联办申请材料", "新办纳税人涉税事项套餐申请表", "增值税普通发票"],
        ),
    ]
    for document, expected in documents:
        since = time.time()
        result = print_document(settings, document)
        assert result.accepted, result
        assert result.state is PrinterState.READY and result.job
        assert (
            ipp.job_info(pdf_queue, int(result.job.rsplit("-", 1)[1])).state
            is ipp.JobState.COMPLETED
        )
        check_printed(printed_pdf(result.job, since), tmp_path, expected)


def test_a_ticket_keeps_its_roll_size(pdf_queue: str, slip: TicketSlip, tmp_path: Path) -> None:
    document = ticket_document(slip)
    since = time.time()
    result = CupsPrinter(pdf_queue).print(document)
    assert result.accepted, result
    info = subprocess.run(
        ["pdfinfo", str(printed_pdf(result.job or "", since))],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout
    width = float(info.split("Page size:")[1].split()[0])
    assert abs(width - 226.8) < 2  # 80 mm, not A4


def test_printing_works_in_the_kiosks_own_chinese_locale(
    pdf_queue: str, slip: TicketSlip, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`kiosk run` sets LANG=zh_CN.UTF-8 (the keyboard's language); lp then answers
    "请求 ID 为 PDF-12", and the job id must still be read."""
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.setenv("LANGUAGE", "zh_CN:zh")
    result = CupsPrinter(pdf_queue).print(ticket_document(slip))
    assert result.accepted, result
    assert result.job and result.job.startswith(f"{pdf_queue}-")


def test_a_disabled_queue_is_refused_calmly_and_nothing_waits_to_print_later(
    disabled_queue: str, tmp_path: Path, slip: TicketSlip
) -> None:
    printer = printer_for(cups_settings(tmp_path, disabled_queue), "ticket")
    status = printer.status()
    assert status.state is PrinterState.OFFLINE and not status.ready
    before = pending_jobs(disabled_queue)
    result = printer.print(ticket_document(slip))
    assert not result.accepted
    assert result.state is PrinterState.OFFLINE
    assert result.message is not None and "工作人员" in result.message.zh
    assert disabled_queue in result.detail
    assert pending_jobs(disabled_queue) == before  # nothing queued to pop out on re-enable


def test_after_re_enabling_the_queue_prints_again(
    pdf_queue: str, tmp_path: Path, slip: TicketSlip
) -> None:
    subprocess.run(["cupsdisable", pdf_queue], check=True, timeout=10)
    try:
        assert not CupsPrinter(pdf_queue).print(ticket_document(slip)).accepted
    finally:
        subprocess.run(["cupsenable", pdf_queue], check=True, timeout=10)
    assert CupsPrinter(pdf_queue).print(ticket_document(slip)).accepted  # the reprint


def test_a_queue_that_rejects_jobs_is_offline(pdf_queue: str, slip: TicketSlip) -> None:
    subprocess.run(["cupsreject", pdf_queue], check=True, timeout=10)
    try:
        result = CupsPrinter(pdf_queue).print(ticket_document(slip))
    finally:
        subprocess.run(["cupsaccept", pdf_queue], check=True, timeout=10)
    assert not result.accepted and result.state is PrinterState.OFFLINE


def test_an_unknown_queue_is_an_error(slip: TicketSlip, cups_queue: str) -> None:
    printer = CupsPrinter("KIOSK_NO_SUCH_QUEUE")
    assert printer.status().state is PrinterState.ERROR
    result = printer.print(ticket_document(slip))
    assert not result.accepted and result.state is PrinterState.ERROR


def test_a_switched_off_network_printer_is_refused_before_anything_is_queued(
    socket_queue: Callable[[int], str], slip: TicketSlip
) -> None:
    """The queue's device is a closed socket: refused in seconds (not after the 30 s job
    timeout), and no job is left to print by itself when the printer comes back."""
    queue = socket_queue(free_port())
    printer = CupsPrinter(queue, timeout_s=30)
    status = printer.status()
    assert status.state is PrinterState.OFFLINE and "cannot be reached" in status.detail
    started = time.monotonic()
    result = printer.print(ticket_document(slip))
    assert time.monotonic() - started <= 5
    assert not result.accepted and result.state is PrinterState.OFFLINE and result.printer_down
    assert result.message is not None and "工作人员" in result.message.zh
    assert queue_jobs(queue) == []


def test_a_job_the_printer_never_finishes_times_out_and_is_cancelled(
    socket_queue: Callable[[int], str], slip: TicketSlip
) -> None:
    """The printer takes the connection and then never reads: the job is cancelled at the
    timeout, so it cannot come out minutes later next to a reprint."""
    frozen = RawSocketPrinter(reads=False)
    try:
        queue = socket_queue(frozen.port)
        started = time.perf_counter()
        result = CupsPrinter(queue, timeout_s=2.0).print(ticket_document(slip))
        assert not result.accepted
        assert result.state in (PrinterState.OFFLINE, PrinterState.ERROR)
        assert time.perf_counter() - started < 30
        assert result.job is not None
        job_id = int(result.job.rsplit("-", 1)[1])
        assert ipp.job_info(queue, job_id).state in (ipp.JobState.CANCELED, ipp.JobState.ABORTED)
    finally:
        frozen.stop()


def test_a_network_printer_that_answers_prints(
    socket_queue: Callable[[int], str], slip: TicketSlip
) -> None:
    printer_port = RawSocketPrinter()
    try:
        queue = socket_queue(printer_port.port)
        assert CupsPrinter(queue).status().ready
        result = CupsPrinter(queue, timeout_s=60).print(ticket_document(slip))
        assert result.accepted, result
        assert printer_port.jobs and printer_port.jobs[-1]
    finally:
        printer_port.stop()


def test_queue_state_reads_printer_state_reasons() -> None:
    def info(state: ipp.QueueState, *reasons: str, accepting: bool = True) -> ipp.QueueInfo:
        return ipp.QueueInfo(state, reasons, accepting, "")

    assert queue_state(info(ipp.QueueState.IDLE)) is PrinterState.READY
    assert queue_state(info(ipp.QueueState.IDLE, "media-empty-error")) is PrinterState.OUT_OF_PAPER
    assert queue_state(info(ipp.QueueState.STOPPED, "paused")) is PrinterState.OFFLINE
    assert queue_state(info(ipp.QueueState.IDLE, accepting=False)) is PrinterState.OFFLINE
    assert queue_state(info(ipp.QueueState.IDLE, "offline-report")) is PrinterState.OFFLINE
    assert queue_state(info(ipp.QueueState.IDLE, "media-jam-error")) is PrinterState.ERROR
    assert queue_state(info(ipp.QueueState.PROCESSING, "connecting-to-device")) is (
        PrinterState.READY
    )


def pending_jobs(queue: str) -> list[str]:
    out = subprocess.run(
        ["lpstat", "-W", "not-completed", "-o", queue],
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    ).stdout
    return [line.split()[0] for line in out.splitlines() if line.strip()]
