"""The one way the window does slow work: off the GUI thread, results back on it.

Modelled on Anki's ``QueryOp`` and Picard's ``run_task``: :meth:`Background.run`
runs ``op`` on a QThreadPool worker and calls ``success(result)`` or
``failure(error)`` later on the GUI thread.  ``op`` must not touch widgets (it
runs on a worker); the callbacks may.

The worker hands its result over by posting an event to an object that lives
on the GUI thread (``QCoreApplication.postEvent`` is thread-safe) rather than
by emitting a signal: PySide6 6.12.0's ``SignalInstance.emit`` returns
``True`` without taking a reference, so every Python-side emit drops one
reference to ``True`` and a long-running kiosk eventually aborts with
"Fatal Python error: bool_dealloc".  The window uses plain callbacks for the
same reason.

When an op takes longer than ``busy_delay_ms`` (200 ms), ``on_busy(True)`` asks
the window to show its busy indicator; ``on_busy(False)`` follows when nothing
is pending any more.  Errors without a ``failure`` callback are logged with
their traceback — a bug, not something to hide.
"""

from __future__ import annotations

import itertools
import logging
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QRunnable, QThreadPool, QTimer

log = logging.getLogger(__name__)

BUSY_DELAY_MS = 200
_DONE = QEvent.Type(QEvent.registerEventType())

_instances: weakref.WeakSet[Background] = weakref.WeakSet()


def pending_everywhere() -> int:
    """Ops started but not yet delivered, over every live Background (for test guards)."""
    return sum(b.pending() for b in list(_instances))


@dataclass
class _Pending:
    success: Callable[[Any], None] | None
    failure: Callable[[Exception], None] | None
    label: str


class _Inbox(QObject):
    """Lives on the GUI thread; workers drop results here and post it an event."""

    def __init__(self, deliver: Callable[[int, Any, Exception | None], None]):
        super().__init__()
        self._deliver = deliver
        self._lock = threading.Lock()
        self._done: list[tuple[int, Any, Exception | None]] = []

    def put(self, op_id: int, result: Any, error: Exception | None) -> None:  # any thread
        with self._lock:
            self._done.append((op_id, result, error))
        QCoreApplication.postEvent(self, QEvent(_DONE))

    def event(self, event: QEvent) -> bool:  # GUI thread
        if event.type() != _DONE:
            return super().event(event)
        with self._lock:
            done, self._done = self._done, []
        for op_id, result, error in done:
            self._deliver(op_id, result, error)
        return True


class _Task(QRunnable):
    def __init__(self, op_id: int, op: Callable[[], Any], inbox: _Inbox):
        super().__init__()
        self._op_id = op_id
        self._op = op
        self._inbox = inbox

    def run(self) -> None:  # worker thread: no widgets here
        result: Any = None
        error: Exception | None = None
        try:
            result = self._op()
        except Exception as exc:  # delivered to the GUI thread, which decides what it means
            error = exc
        self._inbox.put(self._op_id, result, error)


class Background(QObject):
    def __init__(
        self,
        parent: QObject | None = None,
        *,
        on_busy: Callable[[bool], None] | None = None,
        busy_delay_ms: int = BUSY_DELAY_MS,
    ):
        super().__init__(parent)
        # Created before the inbox, so destroyed first: the pool's destructor waits for
        # running tasks while the inbox they post to still exists.
        self._pool = QThreadPool(self)
        self._inbox = _Inbox(self._deliver)
        self._inbox.setParent(self)
        self._ids = itertools.count(1)
        self._pending: dict[int, _Pending] = {}
        self._busy = False
        self.on_busy = on_busy
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(busy_delay_ms)
        self._busy_timer.timeout.connect(self._show_busy)
        _instances.add(self)

    def run(
        self,
        op: Callable[[], Any],
        success: Callable[[Any], None] | None = None,
        failure: Callable[[Exception], None] | None = None,
        *,
        label: str = "",
    ) -> None:
        op_id = next(self._ids)
        self._pending[op_id] = _Pending(success, failure, label or getattr(op, "__name__", "op"))
        if not self._busy_timer.isActive() and not self._busy:
            self._busy_timer.start()
        self._pool.start(_Task(op_id, op, self._inbox))

    def pending(self) -> int:
        return len(self._pending)

    @property
    def busy(self) -> bool:
        return self._busy

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Block until every worker is done (shutdown and tests); results arrive as events."""
        return bool(self._pool.waitForDone(timeout_ms))

    def _deliver(self, op_id: int, result: Any, error: Exception | None) -> None:
        pending = self._pending.pop(op_id, None)
        if not self._pending:
            self._busy_timer.stop()
            self._set_busy(False)
        if pending is None:
            return
        if error is None:
            if pending.success is not None:
                pending.success(result)
        elif pending.failure is not None:
            pending.failure(error)
        else:
            log.error("background op %s failed", pending.label, exc_info=error)

    def _show_busy(self) -> None:
        if self._pending:
            self._set_busy(True)

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            if self.on_busy is not None:
                self.on_busy(busy)
