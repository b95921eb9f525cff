"""The circuit breaker per printer: a dead printer costs the first visitor ≤ 5 s, the next
ones nothing, and a recovery probe brings it back — with the real cupsd and a fake ESC/POS
printer on loopback."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.config import DOCUMENT_KINDS, PrinterSettings, Settings
from kiosk.printing.breaker import PrinterSet
from kiosk.printing.documents import ticket_document
from kiosk.printing.printers import PrinterState
from kiosk.printing.slip import TicketSlip
from tests.printing.conftest import RawSocketPrinter, free_port, queue_jobs
from tests.printing.escpos_server import FakeThermalPrinter

PROBE_EVERY_S = 0.2  # the kiosk probes every 5 s; the tests need not wait that long


def wait_until(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


@pytest.fixture
def printer_sets() -> Iterator[Callable[[Settings], PrinterSet]]:
    made: list[PrinterSet] = []

    def make(settings: Settings) -> PrinterSet:
        printers = PrinterSet(settings, probe_every_s=PROBE_EVERY_S)
        made.append(printers)
        return printers

    yield make
    for printers in made:
        printers.close()


def every_kind(tmp_path: Path, printer: PrinterSettings) -> Settings:
    return Settings(data_dir=tmp_path, printers={kind: printer for kind in DOCUMENT_KINDS})


def test_a_cups_printer_whose_device_is_a_closed_socket(
    socket_queue: Callable[[int], str],
    printer_sets: Callable[[Settings], PrinterSet],
    tmp_path: Path,
    slip: TicketSlip,
) -> None:
    port = free_port()
    queue = socket_queue(port)
    printers = printer_sets(every_kind(tmp_path, PrinterSettings(backend="cups", queue=queue)))
    document = ticket_document(slip)

    started = time.monotonic()
    first = printers.print(document)
    assert time.monotonic() - started <= 5  # the first visitor
    assert not first.accepted and first.printer_down

    started = time.monotonic()
    second = printers.print(document)
    assert time.monotonic() - started < 2  # the next one: not even asked
    assert not second.accepted and second.state is PrinterState.OFFLINE
    assert second.detail.startswith("not sent:")
    assert queue_jobs(queue) == []  # nothing queued to come out later

    down = printers.status()  # the staff panel, from memory
    assert all(s.down_since is not None and not s.ready for s in down.values())
    assert len({id(s) for s in down.values()}) == 1  # one printer, one breaker, three kinds

    printer = RawSocketPrinter(port)  # switched on again
    try:
        wait_until(lambda: printers.status()["ticket"].down_since is None)
        again = printers.print(document)
        assert again.accepted, again
    finally:
        printer.stop()


def test_an_escpos_printer_that_never_accepts(
    printer_sets: Callable[[Settings], PrinterSet], tmp_path: Path, slip: TicketSlip
) -> None:
    fake = FakeThermalPrinter(behaviour="never_accepts").start()
    try:
        settings = Settings(
            data_dir=tmp_path,
            printers={"ticket": PrinterSettings(backend="escpos", device=fake.address)},
        )
        printers = printer_sets(settings)
        document = ticket_document(slip)
        started = time.monotonic()
        status = printers.status()["ticket"]  # status() must not take the 30 s timeout
        assert time.monotonic() - started <= 5
        assert status.state is PrinterState.OFFLINE and status.down_since is not None
        started = time.monotonic()
        result = printers.print(document)
        assert time.monotonic() - started < 2 and not result.accepted
        assert printers.status()["notice"].ready  # the other kinds' printer is another one
    finally:
        fake.stop()


def test_no_second_connection_while_down_and_a_test_page_is_a_trial(
    printer_sets: Callable[[Settings], PrinterSet], tmp_path: Path, slip: TicketSlip
) -> None:
    fake = FakeThermalPrinter(paper="out").start()
    try:
        settings = Settings(
            data_dir=tmp_path,
            printers={"ticket": PrinterSettings(backend="escpos", device=fake.address)},
        )
        printers = PrinterSet(settings, probe_every_s=3600)  # no recovery probe in this test
        try:
            document = ticket_document(slip)
            assert not printers.print(document).accepted
            connections = fake.connections
            for _ in range(3):
                assert not printers.print(document).accepted
            assert fake.connections == connections  # the visitors after the first: nothing
            fake.paper = "ok"  # staff put in a roll and print a test page
            assert printers.print(document, trial=True).accepted
            assert printers.print(document).accepted  # closed again
        finally:
            printers.close()
    finally:
        fake.stop()
