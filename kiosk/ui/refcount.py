"""Keeps Python's ``None`` alive under PySide6 6.12.0, whose void methods drop a reference to it.

Every call of a C++ method that returns nothing — ``setText()``, ``show()``,
``update()``, ``QTimer.start()`` — hands ``None`` back to Python without taking a
reference (PySide6 6.12.0 on Python 3.11, where ``None`` is not yet immortal).
Other paths leak references the other way, so a busy kiosk drifts upwards, but
one left idle — the header clock ticking, the idle timer restarted by every
touch, the busy spinner turning — drifts down and would end, after days, in
"Fatal Python error: none_dealloc".  (The same bug with ``True`` in signal
``emit()`` is why the window never emits from Python.)

:class:`NoneGuard` looks at the count once a minute and, when it has fallen
below a floor, gives back the references PySide took (``Py_IncRef``: a number
in the object, no memory held).  Python ≥ 3.12 makes ``None`` immortal and the
guard does nothing there.
"""

from __future__ import annotations

import ctypes
import logging
import sys

from PySide6.QtCore import QObject, QTimer

log = logging.getLogger(__name__)

FLOOR = 200_000  # far above what a day of idling drops (a few thousand)
CHECK_MS = 60_000
IMMORTAL = sys.version_info >= (3, 12)


def none_references() -> int:
    return sys.getrefcount(None)


def top_up(floor: int = FLOOR) -> int:
    """Bring None's reference count back above ``floor``; how many were given back."""
    if IMMORTAL:
        return 0
    missing = floor - none_references()
    if missing <= 0:
        return 0
    given = missing + floor // 2  # headroom, so the next top-up is far off
    incref = ctypes.pythonapi.Py_IncRef
    incref.argtypes = [ctypes.py_object]
    for _ in range(given):
        incref(None)
    log.info("gave back %d references to None dropped by PySide6", given)
    return given


class NoneGuard(QObject):
    """Tops None's reference count up once a minute (owned by the window; the first check a
    minute after start, off the cold start's path — nothing drains that fast)."""

    def __init__(self, parent: QObject, floor: int = FLOOR, interval_ms: int = CHECK_MS):
        super().__init__(parent)
        self.floor = floor
        self.given = 0
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def check(self) -> None:
        self.given += top_up(self.floor)
