"""A dead ticket printer through the kiosk's services: the first visitor waits ≤ 5 s, the next
none, staff see the printer as down (the printers page data), and it comes back by itself."""

from __future__ import annotations

import time

from kiosk.config import PrinterSettings
from kiosk.printing.printers import PrinterState
from tests.printing.escpos_server import FakeThermalPrinter
from tests.services.conftest import MakeServices, take_ticket


def test_a_ticket_printer_that_never_accepts(make_services: MakeServices) -> None:
    fake = FakeThermalPrinter(behaviour="never_accepts").start()
    port = fake.port
    try:
        services = make_services(
            printers={"ticket": PrinterSettings(backend="escpos", device=fake.address)}
        )
        started = time.monotonic()
        first = take_ticket(services, "livelihood")
        assert time.monotonic() - started <= 5
        assert first.ticket is not None and not first.ticket.printed
        assert first.printed is not None and not first.printed.accepted

        started = time.monotonic()
        second = take_ticket(services, "livelihood")
        assert time.monotonic() - started < 2
        assert second.ticket is not None and second.ticket.number != first.ticket.number
        assert second.printed is not None and not second.printed.accepted
        assert second.printed.result.state is PrinterState.OFFLINE

        started = time.monotonic()
        staff_view = services.staff.printer_status()
        assert time.monotonic() - started < 2
        ticket_printer = staff_view["ticket"]
        assert not ticket_printer.ready and ticket_printer.down_since is not None
        assert staff_view["form"].ready  # the PDF-folder printers are fine
    finally:
        fake.stop()

    back = FakeThermalPrinter(port=port).start()  # switched on again, same address
    try:
        deadline = time.monotonic() + 60  # the recovery probe runs every 5 s
        while services.staff.printer_status()["ticket"].down_since is not None:
            assert time.monotonic() < deadline, "the printer was never seen to come back"
            time.sleep(0.2)
        third = take_ticket(services, "livelihood")
        assert third.ticket is not None and third.ticket.printed
        assert b"\x1dV" in back.received  # cut: the whole ticket reached the printer
    finally:
        back.stop()
