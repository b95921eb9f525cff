"""The background helper: work off the GUI thread, results back on it, busy after 200 ms."""

from __future__ import annotations

import logging
import threading

import pytest
from PySide6.QtCore import QThread

from kiosk.ui.background import Background


@pytest.fixture
def work(qtbot):
    busy: list[bool] = []
    helper = Background()
    helper.busy_changed.connect(busy.append)
    yield helper, busy
    helper.wait()
    qtbot.waitUntil(lambda: helper.pending() == 0, timeout=30_000)


def test_op_runs_off_the_gui_thread_and_its_result_comes_back_on_it(work, qtbot):
    helper, _ = work
    gui = QThread.currentThread()
    seen: dict[str, object] = {}

    def op():
        seen["op thread"] = QThread.currentThread()
        return 42

    def success(result):
        seen["result"] = result
        seen["callback thread"] = QThread.currentThread()

    helper.run(op, success)
    qtbot.waitUntil(lambda: "result" in seen, timeout=30_000)
    assert seen["result"] == 42
    assert seen["op thread"] is not gui
    assert seen["callback thread"] is gui
    assert helper.pending() == 0


def test_an_error_is_delivered_to_failure_on_the_gui_thread(work, qtbot):
    helper, _ = work
    errors: list[tuple[Exception, QThread]] = []

    def op():
        raise ConnectionError("printer offline")

    helper.run(op, failure=lambda e: errors.append((e, QThread.currentThread())))
    qtbot.waitUntil(lambda: bool(errors), timeout=30_000)
    error, thread = errors[0]
    assert isinstance(error, ConnectionError)
    assert thread is QThread.currentThread()


def test_an_error_nobody_handles_is_logged_with_its_traceback(work, qtbot, caplog):
    helper, _ = work

    def op():
        raise ValueError("a bug")

    with caplog.at_level(logging.ERROR, logger="kiosk.ui.background"):
        helper.run(op, label="broken op")
        qtbot.waitUntil(lambda: helper.pending() == 0, timeout=30_000)
    record = next(r for r in caplog.records if "broken op" in r.getMessage())
    assert record.exc_info is not None and record.exc_info[0] is ValueError


def test_busy_shows_only_when_an_op_takes_longer_than_200_ms(work, qtbot):
    helper, busy = work
    release = threading.Event()
    done: list[object] = []
    helper.run(lambda: release.wait(10), done.append)
    qtbot.waitUntil(lambda: busy == [True], timeout=30_000)
    assert helper.busy
    release.set()
    qtbot.waitUntil(lambda: busy == [True, False], timeout=30_000)
    assert done == [True]


def test_a_quick_op_never_shows_busy(work, qtbot):
    helper, busy = work
    done: list[object] = []
    helper.run(lambda: "quick", done.append)
    qtbot.waitUntil(lambda: done == ["quick"], timeout=30_000)
    qtbot.wait(300)  # past the 200 ms mark: the busy timer was stopped, not just late
    assert busy == []


def test_a_quiet_op_never_shows_busy_and_a_waited_for_one_still_does(work, qtbot):
    """Printing after the receipt is quiet: the done screen says 正在打印…, no spinner covers it."""
    helper, busy = work
    printing, committing = threading.Event(), threading.Event()
    done: list[object] = []
    helper.run(lambda: printing.wait(10), done.append, quiet=True)
    qtbot.wait(300)  # past the 200 ms mark
    assert busy == [] and not helper.busy
    helper.run(lambda: committing.wait(10), done.append)  # the visitor waits for this one
    qtbot.waitUntil(lambda: busy == [True], timeout=30_000)
    committing.set()
    qtbot.waitUntil(lambda: busy == [True, False], timeout=30_000)  # the quiet one runs on
    assert done == [True] and helper.pending() == 1
    printing.set()
    qtbot.waitUntil(lambda: helper.pending() == 0, timeout=30_000)
    assert busy == [True, False]


def test_ops_stuck_on_printers_do_not_hold_up_the_next_one(work, qtbot):
    """Printers that never answer hold their threads (up to their timeout); a commit after
    them still runs at once, even on a machine with two cores."""
    helper, _ = work
    stuck = threading.Event()
    for _ in range(4):
        helper.run(lambda: stuck.wait(10), quiet=True)
    done: list[object] = []
    helper.run(lambda: "committed", done.append)
    qtbot.waitUntil(lambda: done == ["committed"], timeout=30_000)
    stuck.set()
    qtbot.waitUntil(lambda: helper.pending() == 0, timeout=30_000)
