"""The pdf-folder and ESC/POS backends, and choosing a printer per document kind."""

from __future__ import annotations

import os
import socket
import stat
import time
from collections.abc import Callable, Iterator
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
from tests.printing.escpos_server import FakeThermalPrinter
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


@pytest.mark.parametrize("umask", [0o022, 0o000])
def test_printed_pdfs_are_private_whatever_the_umask(
    tmp_path: Path, item_case: Case, umask: int
) -> None:
    """Forms carry names and ID numbers as extractable text: 0600 files in a 0700 folder."""
    settings = Settings(data_dir=tmp_path / "data")
    document = notice_document(item_case.catalog, item_case.notice, code="K7M2Q9XP")
    older = tmp_path / "older-printed"  # made by an older version under umask 022
    older.mkdir(mode=0o755)
    os.chmod(older, 0o755)
    old = os.umask(umask)
    try:
        result = print_document(settings, document)
        from_older = PdfFolderPrinter(older).print(document)
    finally:
        os.umask(old)
    for printed in (result, from_older):
        path = Path(printed.job or "")
        assert printed.accepted and path.read_bytes() == document.pdf
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, oct(path.stat().st_mode)
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700  # made here, too


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
    for phrase in ("测试镇行政审批局", "生产经营综合窗口", "优先办理", "您前面还有 4 人等候"):
        assert phrase.encode("gbk") in data, phrase
    assert b"\x1c\x26" in data  # FS &: Chinese character mode
    assert b"C012" in data and b"**************002X" in data
    assert GS_QR in data and b"https://zwfw.example/q/K7M2Q9XP" in data
    assert data.rstrip(b"\x00").find(GS_CUT) > data.find(GS_QR) > 0  # the cut comes last
    assert "测试镇".encode() not in data  # no UTF-8 leaking through


def test_escpos_priority_ticket_names_the_catalogs_lane(slip: TicketSlip) -> None:
    """The lane is the ticket's queue: its name is the catalog's, never a fixed 绿色通道."""
    data = escpos_ticket(replace(slip, queue_name="爱心通道（老年人、残疾人）", priority=True))
    assert "爱心通道（老年人、残疾人）".encode("gbk") in data and "优先办理".encode("gbk") in data
    assert "绿色通道".encode("gbk") not in data
    plain = escpos_ticket(replace(slip, priority=False))
    assert "优先办理".encode("gbk") not in plain


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
def thermal() -> Iterator[Callable[..., FakeThermalPrinter]]:
    """Fake ESC/POS printers on loopback (tests/printing/escpos_server.py), stopped after."""
    made: list[FakeThermalPrinter] = []

    def make(**faults: object) -> FakeThermalPrinter:
        printer = FakeThermalPrinter(**faults).start()  # type: ignore[arg-type]
        made.append(printer)
        return printer

    yield make
    for printer in made:
        printer.stop()


def test_escpos_network_printer_gets_the_ticket_and_confirms_it(
    thermal: Callable[..., FakeThermalPrinter], slip: TicketSlip
) -> None:
    fake = thermal()
    printer = EscposPrinter(fake.address, timeout_s=10)
    assert printer.status().ready
    result = printer.print(ticket_document(slip))
    assert result.accepted, result
    assert GS_CUT in fake.received and "生产经营综合窗口".encode("gbk") in fake.received
    # asked before (printer, paper) and, after the ticket, the in-sequence paper status
    assert fake.questions[-3:] == [b"\x10\x04\x01", b"\x10\x04\x04", b"\x1dr\x01"]


def test_escpos_paper_low_still_prints_and_says_so(
    thermal: Callable[..., FakeThermalPrinter], slip: TicketSlip
) -> None:
    fake = thermal(paper="low")
    printer = EscposPrinter(fake.address)
    status = printer.status()
    assert status.ready and "paper low" in status.detail
    result = printer.print(ticket_document(slip))
    assert result.accepted and result.detail == "paper low"


def test_escpos_out_of_paper_is_not_printed_and_nothing_is_sent(
    thermal: Callable[..., FakeThermalPrinter], slip: TicketSlip
) -> None:
    fake = thermal(paper="out")
    printer = EscposPrinter(fake.address)
    assert printer.status().state is PrinterState.OUT_OF_PAPER
    result = printer.print(ticket_document(slip))
    assert not result.accepted and result.state is PrinterState.OUT_OF_PAPER
    assert result.message is not None and "缺纸" in result.message.zh
    assert GS_CUT not in fake.received  # the ticket never left the kiosk


def test_escpos_running_out_mid_ticket_is_not_printed(
    thermal: Callable[..., FakeThermalPrinter], slip: TicketSlip
) -> None:
    fake = thermal(runs_out_mid_ticket=True)
    result = EscposPrinter(fake.address).print(ticket_document(slip))
    assert GS_CUT in fake.received  # sent …
    assert not result.accepted and result.state is PrinterState.OUT_OF_PAPER  # … not printed


@pytest.mark.parametrize("fault", [{"online": False}, {"cover_open": True}])
def test_escpos_offline_or_cover_open_is_refused(
    thermal: Callable[..., FakeThermalPrinter], slip: TicketSlip, fault: dict[str, bool]
) -> None:
    fake = thermal(**fault)
    printer = EscposPrinter(fake.address)
    assert not printer.status().ready
    assert not printer.print(ticket_document(slip)).accepted
    assert GS_CUT not in fake.received


@pytest.mark.parametrize("behaviour", ["silent", "never_reads", "never_accepts"])
def test_escpos_printer_that_never_answers_is_offline_within_seconds(
    thermal: Callable[..., FakeThermalPrinter], slip: TicketSlip, behaviour: str
) -> None:
    """A printer that takes the connection (or not) and never answers: not printed, and
    neither status() nor print() waits for the 30 s print timeout."""
    fake = thermal(behaviour=behaviour)
    printer = EscposPrinter(fake.address, timeout_s=30)
    started = time.monotonic()
    status = printer.status()
    assert status.state is PrinterState.OFFLINE, status
    assert time.monotonic() - started <= 5
    started = time.monotonic()
    result = printer.print(ticket_document(slip))
    assert time.monotonic() - started <= 5
    assert not result.accepted and result.state is PrinterState.OFFLINE
    assert result.printer_down


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
