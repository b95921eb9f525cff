"""The receipt comes from the commit; the papers are printed after it; a reset drops what is late.

* Printers that never answer — a real CUPS queue whose device accepts the job and never
  reads it, and an ESC/POS ticket printer that accepts the connection and never reads —
  cannot hold the visitor: the done screen is up within 100 ms of the commit, says
  正在打印…, and then 未能打印 with what to do; the submission is stored all along.
* The visitor walks away while the submit is still waiting for the store (its write lock
  held by another connection): the idle reset forgets the visit, the late receipt goes to
  nobody, the next visitor never sees the previous done screen, and no worker thread ever
  reads or writes the visitor's session — only the frozen draft crosses.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import replace

import pytest

from kiosk.config import DOCUMENT_KINDS, PrinterSettings, Settings
from kiosk.forms.filling import Filling
from kiosk.kinds import PrinterBackend
from kiosk.services import Submissions, Tickets
from kiosk.session import VisitorSession
from kiosk.statuses import Satisfaction
from kiosk.ui.demo import page_of
from kiosk.ui.navigation import Screen
from kiosk.ui.screens.done import DoneScreen
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.screens.preview import PreviewScreen
from kiosk.ui.screens.rating import RatingScreen
from kiosk.ui.screens.review import ReviewScreen
from kiosk.ui.screens.status import StatusScreen
from kiosk.ui.screens.ticket import TicketScreen
from tests.printing.conftest import RawSocketPrinter, socket_queue  # noqa: F401 (a fixture)
from tests.printing.escpos_server import FakeThermalPrinter

from .conftest import window_services
from .holds import store_held
from .test_bundle import fill_bundle
from .visitor import printed, settle_work, tap, type_into

DONE_WITHIN_S = 0.1
PRINTER_TIMEOUT_S = 3.0
QUICK = Settings(idle_seconds=2, form_idle_seconds=2, countdown_seconds=1)


class Clocked(Submissions):
    """The real submissions service, noting when each commit returned."""

    def __init__(self, kiosk) -> None:
        super().__init__(kiosk.store, kiosk.book, kiosk.hall, kiosk.tickets, kiosk.printers)
        self.committed: list[float] = []

    def submit(self, draft):
        submitted = super().submit(draft)
        self.committed.append(time.monotonic())
        return submitted


class ClockedTickets(Tickets):
    """The real 取号 service, noting when each ticket was stored."""

    def __init__(self, kiosk) -> None:
        super().__init__(
            kiosk.settings.kiosk_id, kiosk.store, kiosk.book, kiosk.hall, kiosk.printers
        )
        self.committed: list[float] = []

    def take(self, *args, **kwargs):
        taken = super().take(*args, **kwargs)
        self.committed.append(time.monotonic())
        return taken


def screens_entered(window) -> list[tuple[Screen, float]]:
    """Each screen the window shows from now on, and when (the stack's own signal)."""
    entered: list[tuple[Screen, float]] = []
    window.stack.currentChanged.connect(
        lambda _index: entered.append((window.current, time.monotonic()))
    )
    return entered


@pytest.fixture
def thermal_never_reads() -> Iterator[FakeThermalPrinter]:
    printer = FakeThermalPrinter(behaviour="never_reads").start()
    yield printer
    printer.stop()


@pytest.fixture
def cups_never_completes(socket_queue) -> Iterator[str]:  # noqa: F811 (the fixture above)
    device = RawSocketPrinter(reads=False)  # takes the connection, never reads the job
    yield socket_queue(device.port)
    device.stop()


def silent_printers(thermal: FakeThermalPrinter, queue: str) -> dict[str, PrinterSettings]:
    ticket = PrinterSettings(
        backend=PrinterBackend.ESCPOS, device=thermal.address, timeout_s=PRINTER_TIMEOUT_S
    )
    papers = PrinterSettings(backend=PrinterBackend.CUPS, queue=queue, timeout_s=PRINTER_TIMEOUT_S)
    printers = {kind: papers for kind in DOCUMENT_KINDS}
    printers["ticket"] = ticket
    return printers


def test_done_is_up_within_100_ms_of_the_commit_while_the_printers_never_answer(
    make_window, make_kiosk, qtbot, thermal_never_reads, cups_never_completes
):
    kiosk = make_kiosk(printers=silent_printers(thermal_never_reads, cups_never_completes))
    clocked = Clocked(kiosk)
    window = make_window(services=replace(window_services(kiosk), submissions=clocked))
    fill_bundle(window)
    tap(page_of(window, ReviewScreen).submit_button)
    settle_work(window)  # the preview rendered
    entered = screens_entered(window)
    tap(page_of(window, PreviewScreen).submit_button)
    qtbot.waitUntil(lambda: window.current is Screen.DONE, timeout=30_000)

    ((screen, shown_at),) = entered
    (committed_at,) = clocked.committed
    assert screen is Screen.DONE and shown_at - committed_at <= DONE_WITHIN_S
    done = page_of(window, DoneScreen)
    assert done.done is not None and done.done.printing
    assert done.printed_list.text() == "排队号票：正在打印…\n申请表：正在打印…"
    busy: list[bool] = []
    window.background.busy_changed.connect(busy.append)
    code = done.done.code
    assert code is not None and kiosk.store.submissions.status(code) is not None  # durable

    qtbot.waitUntil(lambda: not done.done.printing, timeout=4 * PRINTER_TIMEOUT_S * 1000 + 20_000)
    line = "未能打印：请凭办件编号到导服台补打"
    assert done.printed_list.text() == f"✗ 排队号票：{line}\n✗ 申请表：{line}"
    assert done.number.text() == done.done.ticket.number  # the number stays on the screen
    assert True not in busy, "no busy indicator covered the number while the printers worked"
    assert kiosk.staff.printer_status()["ticket"].down_since is not None  # the breaker opened


def test_a_ticket_is_on_screen_at_once_and_its_slip_follows(
    make_window, make_kiosk, qtbot, thermal_never_reads
):
    ticket = PrinterSettings(
        backend=PrinterBackend.ESCPOS, device=thermal_never_reads.address, timeout_s=2
    )
    kiosk = make_kiosk(
        printers={**{k: PrinterSettings() for k in DOCUMENT_KINDS}, "ticket": ticket}
    )
    clocked = ClockedTickets(kiosk)
    window = make_window(services=replace(window_services(kiosk), tickets=clocked))
    tap(page_of(window, HomeScreen).tiles["tile_ticket"])
    page = page_of(window, TicketScreen)
    tap(page.queue_rows["business"])
    entered = screens_entered(window)
    tap(page.take_button)
    qtbot.waitUntil(lambda: window.current is Screen.DONE, timeout=30_000)

    ((screen, shown_at),) = entered
    (committed_at,) = clocked.committed
    assert screen is Screen.DONE and shown_at - committed_at <= DONE_WITHIN_S
    done = page_of(window, DoneScreen)
    assert done.number.text() == "C001" and done.printed_list.text() == "排队号票：正在打印…"
    busy: list[bool] = []
    window.background.busy_changed.connect(busy.append)
    qtbot.waitUntil(lambda: not done.done.printing, timeout=30_000)
    assert True not in busy
    assert done.printed_list.text().startswith("✗ 排队号票：未能打印：请记住您的号码")
    assert not kiosk.store.tickets.get(done.done.ticket.id).printed  # not issued on paper


def test_the_visitor_may_leave_while_the_papers_print(
    make_window, make_kiosk, qtbot, thermal_never_reads, cups_never_completes
):
    kiosk = make_kiosk(printers=silent_printers(thermal_never_reads, cups_never_completes))
    window = make_window(services=window_services(kiosk))
    fill_bundle(window)
    tap(page_of(window, ReviewScreen).submit_button)
    settle_work(window)
    tap(page_of(window, PreviewScreen).submit_button)
    qtbot.waitUntil(lambda: window.current is Screen.DONE, timeout=30_000)
    done = page_of(window, DoneScreen)
    entered = screens_entered(window)
    tap(done.finish_button)  # 完成, while the printers still say nothing
    assert window.current is Screen.HOME and window.background.pending() == 1
    settle_work(window)  # the printing ends (not printed) and its answer goes to nobody
    assert [screen for screen, _ in entered] == [Screen.HOME]
    assert done.done is None and done.printed_list.text() == ""


# ── a reset while the submit is in flight ──

GUI = threading.main_thread()


class WatchedSession(VisitorSession):
    """The visitor's session, noting every attribute read or written from another thread."""

    foreign: list[str]

    def __getattribute__(self, name: str):
        if threading.current_thread() is not GUI:
            object.__getattribute__(self, "foreign").append(f"read {name}")
        return super().__getattribute__(name)

    def __setattr__(self, name: str, value) -> None:
        if threading.current_thread() is not GUI:
            object.__getattribute__(self, "foreign").append(f"write {name}")
        super().__setattr__(name, value)


@pytest.fixture
def watched_fillings(monkeypatch) -> list[str]:
    """Every use of a Filling the window made, from another thread (the workers make their
    own from the draft: those are theirs)."""
    window_made: set[int] = set()
    foreign: list[str] = []
    original_init = Filling.__init__
    original_get = Filling.__getattribute__

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        if threading.current_thread() is GUI:
            window_made.add(id(self))

    def get(self, name):
        if threading.current_thread() is not GUI and id(self) in window_made:
            foreign.append(name)
        return original_get(self, name)

    monkeypatch.setattr(Filling, "__init__", init)
    monkeypatch.setattr(Filling, "__getattribute__", get)
    return foreign


def test_an_idle_reset_during_a_submit_drops_the_receipt_and_never_touches_the_session(
    make_window, make_kiosk, bundle_catalog, qtbot, watched_fillings
):
    kiosk = make_kiosk()
    session = WatchedSession(bundle_catalog)
    object.__setattr__(session, "foreign", [])
    window = make_window(settings=QUICK, services=window_services(kiosk), session=session)
    window.idle.pause()  # the visit takes its time; the countdown comes when the test says
    fill_bundle(window)
    tap(page_of(window, ReviewScreen).submit_button)
    settle_work(window)
    preview = page_of(window, PreviewScreen)
    entered = screens_entered(window)
    with store_held(kiosk):  # the commit waits for the store's write lock
        tap(preview.submit_button)
        assert not preview.submit_button.isEnabled() and window.background.pending() == 1
        window.idle.resume()  # … and the visitor walks away
        qtbot.waitUntil(lambda: window.countdown.isVisible(), timeout=30_000)
        qtbot.waitUntil(lambda: window.current is Screen.HOME, timeout=30_000)
        assert window.background.pending() == 1, "the submit is still in flight"
        assert window.session.target_code is None, "the visit is forgotten"
    settle_work(window)  # the store lets go: the commit completes, its receipt goes to nobody

    assert Screen.DONE not in [screen for screen, _ in entered]
    assert window.current is Screen.HOME and page_of(window, DoneScreen).done is None
    assert session.foreign == [], "a worker used the visitor's session"
    assert watched_fillings == [], "a worker used the visitor's form"
    assert kiosk.staff.today().submissions[0].count == 1, "what was submitted is stored"

    # The next visitor gets the submit button back and their own done screen.
    fill_bundle(window)
    tap(page_of(window, ReviewScreen).submit_button)
    settle_work(window)
    assert preview.submit_button.isEnabled()
    tap(preview.submit_button)
    settle_work(window)
    assert window.current is Screen.DONE
    assert session.foreign == [] and watched_fillings == []


def start_ticket(window) -> None:
    tap(page_of(window, HomeScreen).tiles["tile_ticket"])
    page = page_of(window, TicketScreen)
    tap(page.queue_rows["business"])
    tap(page.take_button)


def start_status(window) -> None:
    tap(page_of(window, HomeScreen).tiles["tile_status"])
    page = page_of(window, StatusScreen)
    type_into(window, page.code_edit, "K7QXM3P9RT")
    tap(page.query_button)


def start_rating(window) -> None:
    tap(page_of(window, HomeScreen).tiles["tile_rating"])
    page = page_of(window, RatingScreen)
    tap(page.levels[Satisfaction.SATISFIED])
    type_into(window, page.code_edit, "K7QXM3P9RT")
    tap(page.send_button)


@pytest.mark.parametrize(
    "start", [start_ticket, start_status, start_rating], ids=lambda f: f.__name__
)
def test_a_late_answer_of_a_reset_visit_goes_to_nobody(make_window, make_kiosk, start):
    """取号, 办件查询 and 好差评 answer through the same helper as submit: a visit reset while
    one waits on the store never shows its answer to the next visitor."""
    kiosk = make_kiosk()
    window = make_window(services=window_services(kiosk))
    entered = screens_entered(window)
    with store_held(kiosk):
        start(window)
        assert window.background.pending() == 1, "waiting on the store"
        window.reset_visit()  # what the idle countdown does when it runs out
        assert window.current is Screen.HOME
    settle_work(window)
    assert window.current is Screen.HOME and not window.toast.isVisible()
    assert Screen.DONE not in [screen for screen, _ in entered]
    status, rating = page_of(window, StatusScreen), page_of(window, RatingScreen)
    assert status.answer is None and not status.result.isVisible()
    assert not rating.thanks.isVisible() and rating.problem.text() == ""


def test_back_from_the_rating_the_papers_are_as_they_were_and_not_printed_again(
    make_window, make_kiosk
):
    kiosk = make_kiosk()
    window = make_window(services=window_services(kiosk))
    fill_bundle(window)
    tap(page_of(window, ReviewScreen).submit_button)
    settle_work(window)
    tap(page_of(window, PreviewScreen).submit_button)
    settle_work(window)
    done = page_of(window, DoneScreen)
    assert done.printed_list.text() == "✓ 排队号票：已打印\n✓ 申请表：已打印"
    tap(done.rate_button)
    assert window.current is Screen.RATING
    tap(window.page().back_button)
    settle_work(window)
    assert window.current is Screen.DONE
    assert done.printed_list.text() == "✓ 排队号票：已打印\n✓ 申请表：已打印"
    assert len(printed(kiosk, "ticket")) == 1 and len(printed(kiosk, "form")) == 1
