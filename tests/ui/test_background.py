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
    helper = Background(on_busy=busy.append)
    yield helper, busy
    helper.wait()
    qtbot.waitUntil(lambda: helper.pending() == 0, timeout=5000)


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
    qtbot.waitUntil(lambda: "result" in seen, timeout=5000)
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
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    error, thread = errors[0]
    assert isinstance(error, ConnectionError)
    assert thread is QThread.currentThread()


def test_an_error_nobody_handles_is_logged_with_its_traceback(work, qtbot, caplog):
    helper, _ = work

    def op():
        raise ValueError("a bug")

    with caplog.at_level(logging.ERROR, logger="kiosk.ui.background"):
        helper.run(op, label="broken op")
        qtbot.waitUntil(lambda: helper.pending() == 0, timeout=5000)
    record = next(r for r in caplog.records if "broken op" in r.getMessage())
    assert record.exc_info is not None and record.exc_info[0] is ValueError


def test_busy_shows_only_when_an_op_takes_longer_than_200_ms(work, qtbot):
    helper, busy = work
    release = threading.Event()
    done: list[object] = []
    helper.run(lambda: release.wait(10), done.append)
    qtbot.waitUntil(lambda: busy == [True], timeout=5000)
    assert helper.busy
    release.set()
    qtbot.waitUntil(lambda: busy == [True, False], timeout=5000)
    assert done == [True]


def test_a_quick_op_never_shows_busy(work, qtbot):
    helper, busy = work
    done: list[object] = []
    helper.run(lambda: "quick", done.append)
    qtbot.waitUntil(lambda: done == ["quick"], timeout=5000)
    qtbot.wait(300)  # past the 200 ms mark: the busy timer was stopped, not just late
    assert busy == []
