"""The Qt binding: PySide6 6.12.0 on Python 3.11 lost references to None and True.

The kiosk pins 6.11.3 (pyproject.toml) and refuses the bad combination at start
(kiosk/binding.py).  These tests fail on a binding that has the bug again.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel

from kiosk import binding
from kiosk.app import main

CALLS = 1_000_000


class _Flag(QObject):
    toggled = Signal(bool)


def test_a_million_void_calls_keep_the_references_to_none(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    timer = QTimer()
    before = sys.getrefcount(None)
    for _ in range(CALLS // 2):
        label.setText("x")  # void C++ calls: 6.12.0 dropped one reference to None each
        timer.stop()
    assert sys.getrefcount(None) - before > -1_000  # a few may move with the interpreter


def test_a_million_emits_keep_the_references_to_true(qtbot):
    flag = _Flag()
    seen = []
    flag.toggled.connect(seen.append)
    flag.toggled.disconnect(seen.append)
    before = sys.getrefcount(True)
    for _ in range(CALLS):
        flag.toggled.emit(True)  # 6.12.0 dropped one reference to True per emit
    assert sys.getrefcount(True) - before > -1_000
    assert not seen


@pytest.mark.parametrize(
    ("version", "python", "refused"),
    [
        ("6.12.0", (3, 11), True),
        ("6.12.0", (3, 12), False),
        ("6.12.0", (3, 13), False),
        ("6.11.3", (3, 11), False),
        (None, (3, 11), True),
    ],
)
def test_the_known_bad_binding_is_refused(version, python, refused):
    reason = binding.problem(version, python)
    assert (reason is not None) is refused
    if version == "6.12.0" and refused:
        assert "6.11.3" in reason and "3.12" in reason


def test_the_installed_binding_is_the_pinned_one():
    assert binding.installed_version() == "6.11.3"
    binding.check()


@pytest.mark.parametrize("command", [["run"], ["demo", "--out"]])
def test_kiosk_run_refuses_the_bad_binding_with_a_clear_message(
    command, monkeypatch, capsys, tmp_path
):
    monkeypatch.setattr(binding, "installed_version", lambda package=binding.BINDING: "6.12.0")
    monkeypatch.setattr(binding.sys, "version_info", (3, 11, 7, "final", 0))
    out = tmp_path / "demo-out"
    assert main([*command, str(out)] if command[-1] == "--out" else command) == 2
    err = capsys.readouterr().err
    assert "6.12.0" in err and "Traceback" not in err
    assert not out.exists()
