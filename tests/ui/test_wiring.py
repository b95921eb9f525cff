"""The slots the composition root fills: a notice printer and a submitter, run in the background.

The notice printers here answer the way kiosk.services does (a PrintResult that
may refuse with a calm message); they test the window's side of that contract.
Submitting goes through the real KioskServices, watched for the thread it runs on.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from kiosk.forms import Message
from kiosk.ui.demo import page_of
from kiosk.ui.navigation import Screen
from kiosk.ui.screens.item import ItemScreen
from kiosk.ui.screens.preview import PreviewScreen
from kiosk.ui.screens.verdict import VerdictScreen
from kiosk.ui.services import InMemoryHelpDesk, Services

from .test_bundle import fill_bundle
from .visitor import tap, texts


@dataclass(frozen=True)
class Outcome:
    accepted: bool
    message: Message | None = None


class Counter:
    """Records calls and the thread they ran on."""

    def __init__(self, outcome: Outcome | None = None):
        self.outcome = outcome
        self.calls: list[tuple[object, str]] = []
        self.threads: list[threading.Thread] = []

    def print_notice(self, notice, language="zh", *, code=None):
        self.calls.append((notice, language))
        self.threads.append(threading.current_thread())
        return self.outcome


class WatchedSubmitter:
    """The real services' submit, noting the thread each call ran on."""

    def __init__(self, kiosk):
        self.kiosk = kiosk
        self.calls: list[tuple[object, str]] = []
        self.threads: list[threading.Thread] = []
        self.results: list[object] = []

    def submit(self, session):
        self.calls.append((session.target_code, session.language))
        self.threads.append(threading.current_thread())
        result = self.kiosk.submit(session)
        self.results.append(result)
        return result


def verdict_for_seal(window) -> VerdictScreen:
    window.go(Screen.ITEM, "T-SEAL")
    tap(page_of(window, ItemScreen).start)
    return page_of(window, VerdictScreen)


def test_without_a_printer_there_is_no_print_button(make_window):
    window = make_window()
    assert not verdict_for_seal(window).print_button.isVisible()


def test_print_this_list_runs_in_the_background_and_says_so(make_window, qtbot):
    printer = Counter(Outcome(True))
    window = make_window(services=Services(InMemoryHelpDesk(), notice_printer=printer))
    verdict = verdict_for_seal(window)
    assert verdict.print_button.isVisible()
    tap(verdict.print_button)
    qtbot.waitUntil(lambda: window.toast.isVisible(), timeout=5000)
    assert window.toast.message.text() == "材料清单已打印，请在下方出纸口取走。"
    assert printer.calls == [(window.session.notice, "zh")]
    assert printer.threads[0] is not threading.main_thread()


def test_a_refusing_printer_gives_its_reason_in_the_visitors_language(make_window, qtbot):
    printer = Counter(Outcome(False, Message("打印机缺纸", "The printer is out of paper")))
    window = make_window(services=Services(InMemoryHelpDesk(), notice_printer=printer))
    verdict = verdict_for_seal(window)
    tap(window.header.language)
    tap(verdict.print_button)
    qtbot.waitUntil(lambda: window.toast.isVisible(), timeout=5000)
    assert window.toast.message.text() == "The printer is out of paper"


def test_a_wired_submitter_is_called_off_the_gui_thread(make_window, make_kiosk, qtbot):
    store = WatchedSubmitter(make_kiosk())
    window = make_window(services=Services(InMemoryHelpDesk(), submitter=store))
    fill_bundle(window)
    tap(window.page().submit_button)  # review → preview of the forms
    assert window.current is Screen.PREVIEW
    tap(page_of(window, PreviewScreen).submit_button)
    qtbot.waitUntil(lambda: window.current is Screen.DONE, timeout=10_000)
    assert store.calls == [("BD-TEST", "zh")]
    assert store.threads[0] is not threading.main_thread()
    assert "办理完成" in texts(window.page(), visible_only=True)
