"""The one way the window does slow work: off the GUI thread, results back on it.

Modelled on Anki's ``QueryOp`` and Picard's ``run_task``: :meth:`Background.run`
runs ``op`` on a QThreadPool worker and calls ``success(result)`` or
``failure(error)`` later on the GUI thread.  ``op`` must not touch widgets (it
runs on a worker) and should be handed frozen data only; the callbacks may.

The worker reports through the :attr:`Background.finished` signal of an object
that lives on the GUI thread, so Qt queues the delivery to it (a queued
connection across threads).  A result is delivered once, to the callbacks given
with its op; :meth:`Background.forget` drops the callbacks of every op still
running — the window calls it when a visit ends, so a late answer never reaches
the next visitor.

When an op takes longer than ``busy_delay_ms`` (200 ms), :attr:`busy_changed`
(True) asks the window to show its busy indicator; False follows when nothing the
visitor waits for is pending any more.  A ``quiet`` op never does: the visitor is not
waiting for it (the papers printed after the receipt, while the done screen already
says 正在打印…).  Errors without a ``failure`` callback are logged with their
traceback — a bug, not something to hide.

The pool has more threads than the machine has cores (:data:`THREADS`): a printer
that does not answer holds its thread for up to the printer's timeout, and the next
visitor's commit must not queue behind two such printers.
"""

from __future__ import annotations

import itertools
import logging
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

log = logging.getLogger(__name__)

BUSY_DELAY_MS = 200
THREADS = 8  # mostly waiting on printers, the store and the network, not computing

_instances: weakref.WeakSet[Background] = weakref.WeakSet()


def pending_everywhere() -> int:
    """Ops started but not yet delivered, over every live Background (for test guards)."""
    return sum(b.pending() for b in list(_instances))


@dataclass
class _Pending:
    success: Callable[[Any], None] | None
    failure: Callable[[Exception], None] | None
    label: str
    quiet: bool = False  # nobody waits for it: it never shows the busy indicator
    forgotten: bool = False  # the visit it belonged to is over: deliver to nobody


class _Task(QRunnable):
    def __init__(self, op_id: int, op: Callable[[], Any], report: Callable[..., None]):
        super().__init__()
        self._op_id = op_id
        self._op = op
        self._report = report

    def run(self) -> None:  # worker thread: no widgets here
        result: Any = None
        error: Exception | None = None
        try:
            result = self._op()
        except Exception as exc:  # delivered to the GUI thread, which decides what it means
            error = exc
        self._report(self._op_id, result, error)


class Background(QObject):
    """Runs ops on a small thread pool and delivers their outcome on the GUI thread."""

    finished = Signal(int, object, object)  # op id, result, error (emitted on a worker)
    busy_changed = Signal(bool)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        busy_delay_ms: int = BUSY_DELAY_MS,
    ):
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max(THREADS, QThreadPool.globalInstance().maxThreadCount()))
        self._ids = itertools.count(1)
        self._pending: dict[int, _Pending] = {}
        self._busy = False
        # Emitted from a worker thread; this object lives on the GUI thread, so the
        # connection is queued and _deliver runs there.
        self.finished.connect(self._deliver)
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
        quiet: bool = False,
    ) -> int:
        """Start ``op`` on a worker; returns its id (for :meth:`forget`).  ``quiet``: the
        visitor is not waiting for it, so it never shows the busy indicator."""
        op_id = next(self._ids)
        name = label or getattr(op, "__name__", "op")
        self._pending[op_id] = _Pending(success, failure, name, quiet)
        if not quiet and not self._busy_timer.isActive() and not self._busy:
            self._busy_timer.start()
        self._pool.start(_Task(op_id, op, self.finished.emit))
        return op_id

    def forget(self) -> int:
        """Deliver the ops still running to nobody (the visit they served is over).

        Their work still finishes (a commit is never cut off half-way); only the
        callbacks are dropped.  Returns how many were forgotten."""
        forgotten = 0
        for pending in self._pending.values():
            if not pending.forgotten:
                pending.forgotten = True
                forgotten += 1
        return forgotten

    def pending(self) -> int:
        return len(self._pending)

    @property
    def busy(self) -> bool:
        return self._busy

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Block until every worker is done (shutdown and tests); results arrive as events."""
        return bool(self._pool.waitForDone(timeout_ms))

    @Slot(int, object, object)
    def _deliver(self, op_id: int, result: Any, error: Exception | None) -> None:
        pending = self._pending.pop(op_id, None)
        if not self._waited_for():
            self._busy_timer.stop()
            self._set_busy(False)
        if pending is None:
            return
        if pending.forgotten:
            if error is not None:
                log.warning("background op %s of an ended visit failed: %s", pending.label, error)
            return
        if error is None:
            if pending.success is not None:
                pending.success(result)
        elif pending.failure is not None:
            pending.failure(error)
        else:
            log.error("background op %s failed", pending.label, exc_info=error)

    def _waited_for(self) -> bool:
        """Whether an op the visitor waits for (not quiet) is still pending."""
        return any(not pending.quiet for pending in self._pending.values())

    def _show_busy(self) -> None:
        if self._waited_for():
            self._set_busy(True)

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busy_changed.emit(busy)
