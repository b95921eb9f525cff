"""The whole visit at the glass: the real kiosk under Xvfb with a window manager, tapped with
xdotool, typed on its own on-screen keyboard — in the standard theme, in 长辈模式 and in
English — and what was typed is what the store holds.

The kiosk runs as a process of its own (tests/ui/glass_visit.py starts it through the
composition root, as ``kiosk run`` does); this test owns the X server.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.store.local import LocalStore

ROOT = Path(__file__).resolve().parents[2]
NEEDED = ("Xvfb", "matchbox-window-manager", "xdotool", "import")


def _free_display() -> int:
    for number in range(40, 90):
        if (
            not Path(f"/tmp/.X11-unix/X{number}").exists()
            and not Path(f"/tmp/.X{number}-lock").exists()
        ):
            return number
    raise RuntimeError("no free X display number")


@pytest.fixture
def x_server() -> Iterator[str]:
    """An X server of the kiosk's size with a window manager, for this test alone."""
    missing = [tool for tool in NEEDED if shutil.which(tool) is None]
    if missing:
        message = f"not installed: {', '.join(missing)} (make test installs them)"
        if os.environ.get("CI") or os.environ.get("KIOSK_REQUIRE_DB") == "1":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    display = f":{_free_display()}"
    server = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    env = {**os.environ, "DISPLAY": display}
    deadline = time.monotonic() + 30
    while subprocess.run(["xdpyinfo"], env=env, capture_output=True).returncode != 0:
        assert server.poll() is None, "Xvfb stopped"
        assert time.monotonic() < deadline, "Xvfb did not come up"
        time.sleep(0.1)
    manager = subprocess.Popen(
        ["matchbox-window-manager", "-use_titlebar", "no"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield display
    finally:
        for process in (manager, server):
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()


def run_visit(display: str, tmp_path: Path, *flags: str) -> tuple[dict, LocalStore]:
    data = tmp_path / "data"
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'data_dir = "{data}"\nkiosk_id = "glass-01"\n'
        f'[printers.ticket]\nbackend = "pdf-folder"\nfolder = "{tmp_path / "printed"}"\n'
        f'[printers.form]\nbackend = "pdf-folder"\nfolder = "{tmp_path / "printed"}"\n'
        f'[printers.notice]\nbackend = "pdf-folder"\nfolder = "{tmp_path / "printed"}"\n',
        encoding="utf-8",
    )
    out = tmp_path / "screens"
    env = {k: v for k, v in os.environ.items() if not k.startswith("QT_")}
    env.update(
        DISPLAY=display,
        QT_QPA_PLATFORM="xcb",
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "xdg-data"),
        PYTHONPATH=str(ROOT),
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.ui.glass_visit",
            "--config",
            str(config),
            "--out",
            str(out),
            *flags,
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    result_file = out / "result.json"
    result = json.loads(result_file.read_text(encoding="utf-8")) if result_file.exists() else {}
    assert "stuck" not in result, result.get("stuck")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    log = (data / "kiosk.log").read_text(encoding="utf-8")
    assert "a bug in the window" not in log, log[-3000:]
    return result, LocalStore.open(f"sqlite:///{data / 'kiosk.sqlite3'}", "glass-01")


@pytest.mark.parametrize(
    "flags",
    [
        pytest.param((), id="standard"),
        pytest.param(("--elder",), id="elder"),
        pytest.param(("--english",), id="english"),
    ],
)
def test_a_first_time_visitor_finishes_by_touch(x_server, tmp_path, flags):
    result, store = run_visit(x_server, tmp_path, *flags)
    try:
        record = store.submissions.record(result["code"])
    finally:
        store.close()
    assert record is not None, "the submission is stored"
    fields = record.fields["MS-YB-001"]
    typed = result["typed"]
    for key in ("child_name", "child_id_number", "applicant_name", "applicant_id_number"):
        assert fields[key]["value"] == typed[key], key
    assert fields["applicant_mobile"]["value"] == typed["applicant_mobile"]
    assert fields["child_birth_date"]["value"] == "2024-01-01", "read from the ID number"
    address = fields["applicant_address"]["value"]
    assert (address["province"], address["city"], address["district"]) == (
        "江苏省",
        "苏州市",
        "吴中区",
    ), "the hall's own district, not typed"
    assert address["detail"] == typed["detail"]
    assert result["ticket"], "a queue number"
