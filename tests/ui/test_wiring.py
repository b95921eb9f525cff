"""The window's side of the services: "print this list", and submit, run in the background.

Through the real services over a temporary store: the notice is printed in a worker
(a PDF-folder printer, or one whose folder cannot be written: a calm reason in the
visitor's language), and submitting hands the worker a frozen draft, never the session.
"""

from __future__ import annotations

import threading
from dataclasses import replace

from kiosk.config import DOCUMENT_KINDS, PrinterSettings
from kiosk.services import Submissions
from kiosk.submission import SubmissionDraft
from kiosk.ui.demo import page_of
from kiosk.ui.navigation import ItemRoute, Screen
from kiosk.ui.screens.item import ItemScreen
from kiosk.ui.screens.preview import PreviewScreen
from kiosk.ui.screens.verdict import VerdictScreen

from .conftest import window_services
from .test_bundle import fill_bundle
from .visitor import printed, tap, texts


class WatchedSubmissions(Submissions):
    """The real submit, noting what it was handed and the thread it ran on."""

    def __init__(self, kiosk) -> None:
        super().__init__(kiosk.store, kiosk.book, kiosk.hall, kiosk.tickets, kiosk.printers)
        self.calls: list[object] = []
        self.threads: list[threading.Thread] = []

    def submit(self, draft):
        self.calls.append(draft)
        self.threads.append(threading.current_thread())
        return super().submit(draft)


def verdict_for_seal(window) -> VerdictScreen:
    window.go(ItemRoute("T-SEAL"))
    tap(page_of(window, ItemScreen).start)
    return page_of(window, VerdictScreen)


def test_print_this_list_runs_in_the_background_and_says_so(make_window, make_kiosk, qtbot):
    kiosk = make_kiosk()
    window = make_window(services=window_services(kiosk))
    verdict = verdict_for_seal(window)
    assert verdict.print_button.isVisible()
    tap(verdict.print_button)
    qtbot.waitUntil(lambda: window.toast.isVisible(), timeout=30_000)
    assert window.toast.message.text() == "材料清单已打印，请在下方出纸口取走。"
    (notice,) = printed(kiosk, "notice")
    assert notice.read_bytes().startswith(b"%PDF")


def test_a_refusing_printer_gives_its_reason_in_the_visitors_language(
    make_window, make_kiosk, qtbot, tmp_path
):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the printer's folder should be")
    printers = {kind: PrinterSettings(folder=blocked) for kind in DOCUMENT_KINDS}
    window = make_window(services=window_services(make_kiosk(printers=printers)))
    verdict = verdict_for_seal(window)
    tap(window.header.language)
    tap(verdict.print_button)
    qtbot.waitUntil(lambda: window.toast.isVisible(), timeout=30_000)
    message = window.toast.message.text()
    assert message and message.isascii() and "printed" not in message.lower()


def test_submitting_hands_the_worker_a_frozen_draft(make_window, make_kiosk, qtbot):
    kiosk = make_kiosk()
    watched = WatchedSubmissions(kiosk)
    window = make_window(services=replace(window_services(kiosk), submissions=watched))
    fill_bundle(window)
    tap(window.page().submit_button)  # review → preview of the forms
    assert window.current is Screen.PREVIEW
    tap(page_of(window, PreviewScreen).submit_button)
    qtbot.waitUntil(lambda: window.current is Screen.DONE, timeout=30_000)
    (draft,) = watched.calls
    assert isinstance(draft, SubmissionDraft) and draft.target_code == "BD-TEST"
    assert draft.language == "zh" and watched.threads[0] is not threading.main_thread()
    assert "办理完成" in texts(window.page(), visible_only=True)
