"""The Qt binding: PySide6 6.12.0 on Python 3.11 lost references to None and True.

The kiosk pins 6.11.3 (pyproject.toml) and refuses the bad combination at start
(kiosk/binding.py).  These tests fail on a binding that has the bug again.
"""

from __future__ import annotations

import ast
import gc
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QEventLoop, QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel

from kiosk import binding
from kiosk.app import main

CALLS = 1_000_000
KIOSK = Path(__file__).resolve().parents[2] / "kiosk"


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


# PySide6 6.11.3 keeps ~55 bytes for every connection to a bound C++ slot (a QEventLoop's
# quit, a widget's hide) and every timed QTimer.singleShot(ms, slot) without a context
# object, for the life of the process.  A scripted visit waits thousands of times, so its
# driver waits with the context form; the kiosk's own singleShots all name their object.
TIMED_WAITS = 3_000


def _blocks_per_call(call) -> float:  # type: ignore[no-untyped-def]
    for _ in range(200):  # the first calls fill caches
        call()
    gc.collect()
    before = sys.getallocatedblocks()
    for _ in range(TIMED_WAITS):
        call()
    gc.collect()
    return (sys.getallocatedblocks() - before) / TIMED_WAITS


def test_a_timed_wait_with_its_loop_as_context_keeps_nothing(qapp):
    def wait() -> None:
        loop = QEventLoop()
        QTimer.singleShot(1, loop, loop.quit)  # as kiosk.ui.demo.person.wait_for does
        loop.exec()

    assert _blocks_per_call(wait) < 0.2  # ~1.1 a wait without the context (a busy process
    # allocating beside it moves the count a little either way)


def test_every_single_shot_in_the_kiosk_names_its_object():
    """QTimer.singleShot(ms, object, callable): nothing kept (above), and the call is dropped
    if the object is deleted first instead of reaching a widget that is gone."""
    bare = []
    for path in KIOSK.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "singleShot"
                and len(node.args) < 3
            ):
                bare.append(f"{path.relative_to(KIOSK.parent)}:{node.lineno}")
    assert not bare, "QTimer.singleShot without its object: " + ", ".join(bare)
