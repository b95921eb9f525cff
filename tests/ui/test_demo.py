"""`kiosk demo` and `kiosk run`: the scripted visit saves every screen; run is registered."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QImage

from kiosk.app import build_parser, main
from kiosk.ui.demo import DemoVisit
from kiosk.ui.launch import has_display


def test_demo_saves_a_1080p_screenshot_of_every_screen(tmp_path, qapp):
    assert main(["demo", "--out", str(tmp_path), "--theme", "standard"]) == 0
    shots = sorted((tmp_path / "standard").glob("*.png"))
    names = {p.stem.split("-", 1)[1] for p in shots}
    expected = {
        "home",
        "catalog-pinyin-search",
        "item-detail",
        "consultation",
        "verdict-materials",
        "apply-invalid-id",
        "apply-review",
        "life-events",
        "coming-soon",
        "idle-countdown",
    }
    assert expected <= names
    for shot in shots:
        image = QImage(str(shot))
        assert (image.width(), image.height()) == (1920, 1080), shot.name


def test_run_and_demo_are_registered_subcommands():
    parser = build_parser()
    assert parser.parse_args(["run"]).func.__name__ == "_run"
    args = parser.parse_args(["demo", "--out", "x", "--theme", "elder"])
    assert (args.func.__name__, args.out, args.theme) == ("_demo", "x", ["elder"])


def test_without_a_display_run_explains_the_demo(monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert not has_display()
    monkeypatch.setenv("DISPLAY", ":0")
    assert has_display()
    monkeypatch.setenv("QT_QPA_PLATFORM", "eglfs")  # a kiosk board drawing straight to the screen
    monkeypatch.delenv("DISPLAY")
    assert has_display()


def test_repeated_visits_leave_the_reference_to_true_intact(make_window, catalog):
    """Guards the PySide6 6.12.0 emit() refcount bug: visits must not drain True's references.

    Every Python-side ``Signal.emit`` drops one reference to ``True``; enough visits would
    abort the kiosk with "Fatal Python error: bool_dealloc".
    """
    window = make_window(catalog)
    visit = DemoVisit(window, Path("unused"))
    visit.shot = lambda name: None  # type: ignore[method-assign] - no pictures needed here
    visit.run()  # warm-up: caches, lazily built widgets
    before = sys.getrefcount(True)
    for _ in range(3):
        visit.run()
    assert sys.getrefcount(True) - before > -20
