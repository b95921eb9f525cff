"""Keeps ``None``, ``True`` and ``False`` alive under PySide6 6.12.0 on Python 3.11.

PySide6 6.12.0 hands some of Python's singletons back without taking a reference:
every call of a C++ method that returns nothing (``setText()``, ``show()``,
``QTimer.start()``) drops one from ``None``, and Python-side signal ``emit()`` and
some deliveries to Python slots drop one from ``True``.  Other paths leak the
other way, so a busy kiosk drifts up, but one left idle — the header clock
ticking, the idle timer restarted by every touch — drifts down, and when a count
reaches zero the process aborts ("Fatal Python error: none_dealloc" /
"bool_dealloc").  The window never emits from Python (a test forbids emitting),
which removes the largest drain; this guard covers the rest.

:class:`ReferenceGuard` looks at the counts every ten seconds and gives back what
was taken whenever one has fallen below a floor: one write to the object's reference
count (``ob_refcnt``, the first field of every object in CPython ≤ 3.11), the same as
that many ``Py_IncRef`` calls but in microseconds instead of a second on the GUI
thread; no memory is held.  On Python ≥ 3.12 these objects are immortal (PEP 683):
their counts never move, and the guard does nothing.
"""

from __future__ import annotations

import ctypes
import logging
import sys

from PySide6.QtCore import QObject, QTimer

log = logging.getLogger(__name__)

GUARDED: tuple[object, ...] = (None, True, False)
FLOOR = 500_000  # far above what a minute of the busiest use drops (tens of thousands)
CHECK_MS = 10_000
FIRST_CHECK_MS = 1_000
IMMORTAL = sys.version_info >= (3, 12)


def references(obj: object) -> int:
    return sys.getrefcount(obj)


def top_up(obj: object, floor: int = FLOOR) -> int:
    """Bring ``obj``'s reference count back above ``floor``; how many were given back."""
    if IMMORTAL:
        return 0
    missing = floor - references(obj)
    if missing <= 0:
        return 0
    given = missing + floor // 2  # headroom, so the next top-up is far off
    ctypes.c_ssize_t.from_address(id(obj)).value += given  # ob_refcnt; GIL held throughout
    log.info("gave back %d references to %r dropped by PySide6", given, obj)
    return given


def top_up_all(floor: int = FLOOR) -> int:
    return sum(top_up(obj, floor) for obj in GUARDED)


class ReferenceGuard(QObject):
    """Tops the guarded counts up every ten seconds (owned by the window).

    The first check runs a second after start, once the home screen has painted: the
    cold start does not wait for it, and nothing drains that fast (an idle reset of the
    whole window drops about 150 references; a machine-driven loop of them, 6,000 a second).
    """

    def __init__(self, parent: QObject, floor: int = FLOOR, interval_ms: int = CHECK_MS):
        super().__init__(parent)
        self.floor = floor
        self.given = 0
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)
        self._timer.start()
        QTimer.singleShot(FIRST_CHECK_MS, self.check)

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def check(self) -> None:
        self.given += top_up_all(self.floor)
