"""PySide6 6.12.0 drops references to None (void calls) and True (emit, some deliveries);
the window's guard gives them back before a count could reach zero (kiosk/ui/refcount.py)."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel

from kiosk.ui.refcount import GUARDED, IMMORTAL, ReferenceGuard, references, top_up


class _Flag(QObject):
    toggled = Signal(bool)


def test_void_calls_drop_references_to_none_and_the_top_up_gives_them_back(qapp):
    label = QLabel()
    before = references(None)
    for _ in range(1_000):
        label.setText("A005")
    dropped = before - references(None)
    # The bug this guards against (0 once PySide6 or Python fixes it: the guard is harmless).
    assert dropped in (0, 1_000) or IMMORTAL
    floor = references(None) + 5_000
    given = top_up(None, floor)
    assert IMMORTAL or (given > 5_000 and references(None) >= floor)
    assert top_up(None, floor) == 0, "above the floor: nothing to give"


def test_a_drained_true_is_topped_up(qapp):
    flag = _Flag()
    before = references(True)
    for _ in range(1_000):
        flag.toggled.emit(True)  # kiosk/ui never emits; this is why
    drained = references(True)
    floor = max(before, drained) + 5_000
    given = top_up(True, floor)  # before any assertion: a drained True aborts the run at exit
    # About one reference per emit under the bug; none once it is fixed.
    assert IMMORTAL or before - drained < 10 or before - drained > 900
    assert IMMORTAL or (given > 0 and references(True) >= floor)


@pytest.mark.parametrize("obj", GUARDED)
def test_the_window_keeps_a_guard_running(make_window, obj):
    window = make_window()
    guard = window.reference_guard
    assert isinstance(guard, ReferenceGuard) and guard.running
    guard.floor = sys.getrefcount(obj) + 1_000
    guard.check()
    assert IMMORTAL or references(obj) >= guard.floor
