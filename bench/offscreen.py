"""The real window with its own on-screen keyboard, offscreen, in a process of its own.

A benchmark that types on the window's Qt Virtual Keyboard needs the input method
chosen before the QApplication exists, and a screen large enough for the window
(the offscreen plugin's default is 800×600).  ``python -m bench`` runs every
module in one process, whose QApplication (``bench_ui``) has neither, so such a
benchmark measures in a child process: :func:`measure_in_child` starts
``python -m <module> --measure``, which calls :func:`prepare` first, prints one
JSON line and exits.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# One offscreen screen with room for the kiosk's 1920×1080 window (as `kiosk demo` has it).
SCREEN = (
    '{"screens": [{"name": "kiosk", "x": 0, "y": 0, "width": 1920, "height": 1920,'
    ' "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}'
)


def prepare(folder: Path) -> None:
    """In the child, before Qt starts: offscreen on the big screen, the embedded keyboard."""
    screen = folder / "offscreen-screen.json"
    screen.write_text(SCREEN, encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={screen}"
    # Pinyin's (never written) user dictionary goes under the config folder: a scratch one.
    os.environ["XDG_CONFIG_HOME"] = str(folder / "config")
    from kiosk.ui.input.embedded import use_embedded_keyboard

    use_embedded_keyboard()


def measure_in_child(module: str, timeout_s: float = 1200) -> dict[str, Any]:
    """Run ``python -m module --measure`` and return the JSON it printed last."""
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, KIOSK_BENCH_FOLDER=tmp)
        env.pop("QT_IM_MODULE", None)
        done = subprocess.run(
            [sys.executable, "-m", module, "--measure"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
        )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = "\n".join(done.stderr.splitlines()[-30:])
        raise RuntimeError(f"{module} --measure exited with {done.returncode}:\n{tail}")
    result = json.loads(lines[-1])
    assert isinstance(result, dict)
    return result


def child_folder() -> Path:
    """The scratch folder the parent made for this child."""
    return Path(os.environ.get("KIOSK_BENCH_FOLDER") or tempfile.mkdtemp())


def load_average() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except (OSError, IndexError):
        return "?"


def main(measure: Callable[[], dict[str, Any]], run: Callable[[], str]) -> None:
    """A benchmark module run as a script: ``--measure`` (the child) prints its JSON line;
    else the whole benchmark runs and prints its section."""
    if "--measure" in sys.argv:
        prepare(child_folder())
        print(json.dumps(measure(), ensure_ascii=False), flush=True)
    else:
        print(run())
