"""Cold start: the home screen paints before the catalog and the services have loaded.

`kiosk run` itself runs in a child process (offscreen, with its own data folder): it
paints home, finishes loading in the background, and stops cleanly on SIGTERM.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from kiosk.catalog.search import SearchIndex
from kiosk.config import Settings
from kiosk.session import VisitorSession
from kiosk.ui.demo import page_of
from kiosk.ui.navigation import Screen
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.window import MainWindow

from .conftest import window_services
from .visitor import tap

HEAVY = ("pydantic", "pypinyin", "sqlalchemy", "reportlab", "kiosk.catalog.model", "kiosk.services")
# The keyboard (a QQuickWidget) is built at the first tap on a field: Qt Quick is imported
# behind the home screen, not before it paints.
QT_QUICK = ("PySide6.QtQuick", "PySide6.QtQml", "kiosk.ui.input.keyboard")

# The child: `kiosk run`'s own entry, telling the parent when home is painted and when the
# kiosk is ready, and each time whether the keyboard's module (Qt Quick) is loaded yet; it
# waits for SIGTERM like the real kiosk.
CHILD = """
import sys
from kiosk.app import run_kiosk
def milestone(name):
    print(name, "kiosk.ui.input.keyboard" in sys.modules, flush=True)
sys.exit(run_kiosk(sys.argv[1] if len(sys.argv) > 1 else None, milestone))
"""


def child_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        PYTHONPATH=str(Path(__file__).resolve().parents[2]),
    )
    env.pop("QT_IM_MODULE", None)
    return env


def test_the_window_module_imports_nothing_heavy():
    probe = "import sys, kiosk.ui.launch; print(' '.join(sorted(sys.modules)))"
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    ).stdout.split()
    assert not [m for m in loaded if m.startswith(HEAVY)], "the cold start waits for these"
    assert not [m for m in loaded if m.startswith(QT_QUICK)], "home would paint after Qt Quick"


def test_home_paints_without_a_catalog_and_a_tap_waits_for_it(
    qtbot, bundle_catalog, tmp_path, make_kiosk
):
    window = MainWindow(None, Settings(data_dir=tmp_path), None, None, theme_name="standard")
    qtbot.addWidget(window)
    window.show_at()
    assert not window.ready and window.current is Screen.HOME
    home = page_of(window, HomeScreen)
    assert home.tiles["tile_apply"].caption.text() == "我要办"
    assert list(window.screens) == [Screen.HOME]
    tap(home.tiles["tile_bundle"])  # before the catalog has loaded
    assert window.busy.isVisible() and window.current is Screen.HOME
    tap(window.header.language)  # the busy indicator covers the window: this tap does nothing
    window.attach(
        VisitorSession(bundle_catalog),
        window_services(make_kiosk()),
        SearchIndex.build(bundle_catalog),
    )
    assert window.current is Screen.BUNDLES, "the waiting tap is carried out"
    assert window.session.language == "zh", "a tap on the busy indicator is not a tap below it"
    assert not window.busy.isVisible()
    assert Screen.DONE in window.screens and Screen.STATUS in window.screens


def test_kiosk_run_paints_home_then_loads_and_stops_on_sigterm(tmp_path):
    with subprocess.Popen(
        [sys.executable, "-c", CHILD],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(tmp_path),
    ) as child:
        try:
            assert child.stdout is not None and child.stderr is not None
            assert child.stdout.readline().strip() == "painted False"
            assert child.stdout.readline().strip() == "ready True", "loaded behind home"
            child.send_signal(signal.SIGTERM)
            assert child.wait(timeout=30) == 0, child.stderr.read()
        finally:
            if child.poll() is None:
                child.kill()
    stores = list((tmp_path / "data").rglob("kiosk.sqlite3"))
    assert stores, "the embedded default: a local SQLite store in the user's data folder"


# The child: run_window with a load that says when it starts, then stops the kiosk.
LOAD_ORDER_CHILD = """
from kiosk.config import Settings
from kiosk.ui.launch import CannotStart, run_window
def load():
    print("load", flush=True)
    raise CannotStart(["stopped by the test"])
def milestone(name):
    print(name, flush=True)
raise SystemExit(run_window(Settings(), load, milestone))
"""


def test_the_load_starts_only_once_home_has_painted(tmp_path):
    """A worker importing and parsing holds the GIL the first paint needs (0.60 s → 0.36 s
    to home painted): the load waits for the paint."""
    done = subprocess.run(
        [sys.executable, "-c", LOAD_ORDER_CHILD],
        capture_output=True,
        text=True,
        env=child_env(tmp_path),
        timeout=60,
    )
    assert done.returncode == 1, done.stderr
    assert done.stdout.split() == ["painted", "load"]
    assert "stopped by the test" in done.stderr


def test_kiosk_run_with_a_broken_catalog_says_where_and_stops(tmp_path):
    broken = tmp_path / "catalog.yaml"
    broken.write_text("meta: {version: 1\n", encoding="utf-8")
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'catalog_path = "{broken}"\ndata_dir = "{tmp_path / "kiosk"}"\n', encoding="utf-8"
    )
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(config)],
        capture_output=True,
        text=True,
        env=child_env(tmp_path),
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stdout.splitlines()[:1] == ["painted False"]
    assert "catalog.yaml:" in done.stderr


def test_a_damaged_store_stops_the_kiosk_with_a_message_and_no_traceback(tmp_path):
    """The operator reads what is wrong and what to do; a traceback would bury it."""
    data = tmp_path / "store"
    data.mkdir(mode=0o700)
    (data / "kiosk.sqlite3").write_bytes(b"not a database, " * 512)
    config = tmp_path / "kiosk.toml"
    config.write_text(f'data_dir = "{data}"\n', encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "kiosk.app", "run", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=120,
        env=child_env(tmp_path),
    )
    assert done.returncode == 1, done.stderr
    assert "local store" in done.stderr
    assert "Traceback" not in done.stderr


BUGGY = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from kiosk.ui.launch import keep_a_log
app = QApplication([])
keep_a_log(Path(sys.argv[1]))
def broken():
    raise KeyError("month")  # a bug in a slot
QTimer.singleShot(0, broken)
QTimer.singleShot(200, lambda: (print("still running"), app.exit(0)))
sys.exit(app.exec())
"""


def test_a_bug_in_the_window_is_logged_not_thrown_at_the_operator(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", BUGGY, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        env=child_env(tmp_path),
    )
    assert done.returncode == 0 and "still running" in done.stdout, "the kiosk goes on"
    assert "Traceback" not in done.stderr
    assert "a bug in the window (KeyError: 'month')" in done.stderr
    log = (tmp_path / "kiosk.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "in broken" in log
    assert (tmp_path / "kiosk.log").stat().st_mode & 0o777 == 0o600
