"""Run every benchmark module and write BENCHMARKS.md with the machine noted.

Each ``bench/bench_*.py`` exposes ``run() -> str`` returning a markdown section.
``python -m bench NAME ...`` runs only those modules and keeps the other sections.
"""

from __future__ import annotations

import compileall
import importlib
import os
import platform
import re
import sys
import tempfile
import traceback
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).parent
OUT = HERE.parent / "BENCHMARKS.md"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}"
    )


def big_offscreen_screen() -> None:
    """One offscreen screen with room for the kiosk's 1920×1080 window (the plugin's own is
    800×600, where the window's search box lies off screen and a tap finds nothing)."""
    if os.environ.get("QT_QPA_PLATFORM", "offscreen") != "offscreen":
        return
    from bench.offscreen import SCREEN

    screen = Path(tempfile.mkdtemp(prefix="kiosk-bench-")) / "offscreen-screen.json"
    screen.write_text(SCREEN, encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={screen}"


def compile_bytecode() -> None:
    """Compile the kiosk's modules once, as installing it does (pip compiles a wheel's
    modules).  An editable checkout under PYTHONDONTWRITEBYTECODE=1 (set on this machine)
    would otherwise compile every module again at every start, and the start-up benchmarks
    would time the compiler (~40 ms of home painted) instead of the kiosk."""
    import kiosk

    compileall.compile_dir(Path(kiosk.__file__).parent, quiet=1)


def write(sections: dict[str, str]) -> None:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    body = "".join(f"<!-- {n} -->\n{sections[n]}<!-- /{n} -->\n\n" for n in sorted(sections))
    OUT.write_text(
        f"# Benchmarks\n\nWritten by `make bench` ({stamp}).\n\nMachine: {machine()}\n\n{body}",
        encoding="utf-8",
    )


def main(names: list[str]) -> int:
    big_offscreen_screen()
    compile_bytecode()
    modules = sorted(p.stem for p in HERE.glob("bench_*.py"))
    wanted = [m for m in modules if not names or m.removeprefix("bench_") in names or m in names]
    previous = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
    sections = dict(re.findall(r"<!-- (bench_\w+) -->\n(.*?)<!-- /\1 -->", previous, re.S))
    failed = []
    for name in wanted:
        print(f"running {name} …", flush=True)
        try:
            section = importlib.import_module(f"bench.{name}").run()
        except Exception:  # one broken benchmark must not lose the others' figures
            traceback.print_exc()
            failed.append(name)
            continue
        sections[name] = section.rstrip() + "\n"
        print(section, flush=True)
        write(sections)  # after each: what was measured is kept
    if failed:
        print(f"failed: {', '.join(failed)} (their sections were left as they were)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
