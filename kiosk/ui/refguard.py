"""Keeps Python's ``True`` alive despite a PySide6 6.12 reference-count bug.

PySide6 6.12.0 drops one reference to ``True`` on Python-side signal emits and on some
signal deliveries to Python slots (seen here: a few hundred per visit).  When the count
reaches zero the process aborts ("Fatal Python error: bool_dealloc") — a kiosk would die
after some hundreds of visitors.  Until the binding is fixed, the kiosk holds a reserve
of references and tops it up on a timer; each lost reference then costs 8 bytes instead
of the process.  kiosk/ui avoids Python-side emit() altogether (a test forbids it).
"""

from __future__ import annotations

import sys

RESERVE = 1_000_000  # references held in hand; a visit loses at most a few hundred
_held: list[bool] = []


def top_up_true(reserve: int = RESERVE) -> int:
    """Make sure ``True`` has at least ``reserve`` references more than a live program needs.

    Returns how many references were added (0 when the reserve was intact).
    """
    missing = reserve - (sys.getrefcount(True) - _baseline())
    if missing <= 0:
        return 0
    _held.extend([True] * missing)
    return missing


def _baseline() -> int:
    """References to True the interpreter itself holds, measured once at import."""
    return _BASELINE


_BASELINE = sys.getrefcount(True)
