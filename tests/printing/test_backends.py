"""The pdf-folder and ESC/POS backends, and choosing a printer per document kind."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from kiosk.config import PrinterSettings, Settings
from kiosk.printing.documents import notice_document, ticket_document
from kiosk.printing.printers import (
    CupsPrinter,
    EscposPrinter,
    PdfFolderPrinter,
    PrinterState,
    print_document,
    printer_for,
)
from kiosk.printing.slip import TicketSlip
from kiosk.printing.thermal import escpos_ticket
from tests.printing.conftest import Case
from tests.printing.pdfcheck import text

GS_QR = b"\x1d(k"  # GS ( k: the printer's own QR code
GS_CUT = b"\x1dV"  # GS V: cut


# ── choosing ──


def test_each_document_kind_gets_its_configured_printer(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path,
        printers={
            "ticket": PrinterSettings(backend="escpos", device=str(tmp_path / "lp0")),
            "notice": PrinterSettings(backend="cups", queue="PDF"),
            "form": PrinterSettings(),
        },
        status_url="https://zwfw.example/q/{code}",
    )
    ticket = printer_for(settings, "ticket")
    assert isinstance(ticket, EscposPrinter) and ticket.status_url == settings.status_url
    assert isinstance(printer_for(settings, "notice"), CupsPrinter)
    form = printer_for(settings, "form")
    assert isinstance(form, PdfFolderPrinter) and form.folder == tmp_path / "printed"


# ── pdf-folder ──


def test_pdf_folder_writes_the_whole_file(tmp_path: Path, item_case: Case) -> None:
    settings = Settings(data_dir=tmp_path)
    document = notice_document(item_case.catalog, item_case.notice, code="K7M2Q9XP")
    result = print_document(settings, document)
    assert result.accepted and result.state is PrinterState.READY
    path = Path(result.job or "")
    assert path.parent == tmp_path / "printed" and path.name.endswith("notice-K7M2Q9XP.pdf")
    assert path.read_bytes() == document.pdf
    assert "一次性告知书" in text(path)
    assert not list(path.parent.glob("*.part"))
    assert printer_for(settings, "notice").status().ready


def test_pdf_folder_that_cannot_exist_is_a_calm_failure(tmp_path: Path, slip: TicketSlip) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    printer = PdfFolderPrinter(blocker / "printed")
    assert printer.status().state is PrinterState.ERROR
    result = printer.print(ticket_document(slip))
    assert not result.accepted and result.state is PrinterState.ERROR
    assert result.message is not None and result.message.en


# ── ESC/POS ──


def test_escpos_ticket_is_gbk_text_a_native_qr_and_a_cut(tmp_path: Path, slip: TicketSlip) -> None:
    device = tmp_path / "escpos.bin"
    printer = EscposPrinter(str(device), "https://zwfw.example/q/{code}")
    assert printer.status().ready
    result = printer.print(ticket_document(slip))
    assert result.accepted, result
    data = device.read_bytes()
    for phrase in ("测试镇行政审批局", "生产经营综合窗口", "绿色通道", "您前面还有 4 人等候"):
        assert phrase.encode("gbk") in data, phrase
    assert b"\x1c\x26" in data  # FS &: Chinese character mode
    assert b"C012" in data and b"**************002X" in data
    assert GS_QR in data and b"https://zwfw.example/q/K7M2Q9XP" in data
    assert data.rstrip(b"\x00").find(GS_CUT) > data.find(GS_QR) > 0  # the cut comes last
    assert "测试镇".encode() not in data  # no UTF-8 leaking through


def test_escpos_offline_ticket_and_no_code_has_no_qr(slip: TicketSlip) -> None:
    data = escpos_ticket(replace(slip, people_ahead=None, wait_minutes=None, submission_code=None))
    assert "无法显示前面等候人数".encode("gbk") in data
    assert GS_QR not in data and GS_CUT in data


def test_escpos_refuses_a_form(tmp_path: Path, item_case: Case) -> None:
    printer = EscposPrinter(str(tmp_path / "escpos.bin"))
    document = notice_document(item_case.catalog, item_case.notice)
    result = printer.print(document)
    assert not result.accepted and result.state is PrinterState.ERROR
    assert not (tmp_path / "escpos.bin").exists()


def test_escpos_missing_device_is_offline(tmp_path: Path, slip: TicketSlip) -> None:
    printer = EscposPrinter(str(tmp_path / "no-such-dir" / "lp0"))
    assert printer.status().state is PrinterState.OFFLINE
    result = printer.print(ticket_document(slip))
    assert not result.accepted and result.state is PrinterState.OFFLINE


@pytest.fixture
def listening_printer() -> Iterator[tuple[str, list[bytes]]]:
    """A TCP "printer" on localhost (port 9100 style) that keeps what it receives."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.1)
    received: list[bytes] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            with connection:
                connection.settimeout(0.5)
                chunks = []
                try:
                    while chunk := connection.recv(65536):
                        chunks.append(chunk)
                except TimeoutError:
                    pass  # a status query: the printer stays silent, like many do
                received.append(b"".join(chunks))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"tcp://127.0.0.1:{server.getsockname()[1]}", received
    finally:
        stop.set()
        thread.join(timeout=5)
        server.close()


def test_escpos_network_printer_gets_the_ticket(
    listening_printer: tuple[str, list[bytes]], slip: TicketSlip
) -> None:
    address, received = listening_printer
    printer = EscposPrinter(address, timeout_s=1.0)
    result = printer.print(ticket_document(slip))
    assert result.accepted, result
    assert printer.status().ready  # connected; no paper-end report
    assert any(GS_CUT in r and "生产经营综合窗口".encode("gbk") in r for r in received)


def test_escpos_network_printer_switched_off_is_offline(slip: TicketSlip) -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]  # free once closed: nobody listens there
    printer = EscposPrinter(f"tcp://127.0.0.1:{port}", timeout_s=1.0)
    assert printer.status().state is PrinterState.OFFLINE
    result = printer.print(ticket_document(slip))
    assert not result.accepted and result.state is PrinterState.OFFLINE


def test_escpos_usb_printer_not_plugged_in_is_offline(slip: TicketSlip) -> None:
    printer = EscposPrinter("usb:0fe6:811e")  # a common thermal printer's ids; none attached
    assert printer.status().state is PrinterState.OFFLINE
    result = printer.print(ticket_document(slip))
    assert not result.accepted and result.state is PrinterState.OFFLINE
