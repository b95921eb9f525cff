"""Run every benchmark module and write BENCHMARKS.md with the machine noted.

Each ``bench/bench_*.py`` exposes ``run() -> str`` returning a markdown section.
``python -m bench NAME ...`` runs only those modules and keeps the other sections.
"""

from __future__ import annotations

import importlib
import os
import platform
import re
import sys
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


def main(names: list[str]) -> int:
    modules = sorted(p.stem for p in HERE.glob("bench_*.py"))
    wanted = [m for m in modules if not names or m.removeprefix("bench_") in names or m in names]
    previous = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
    sections = dict(re.findall(r"<!-- (bench_\w+) -->\n(.*?)<!-- /\1 -->", previous, re.S))
    for name in wanted:
        print(f"running {name} …", flush=True)
        section = importlib.import_module(f"bench.{name}").run()
        sections[name] = section.rstrip() + "\n"
        print(section, flush=True)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    body = "".join(f"<!-- {n} -->\n{sections[n]}<!-- /{n} -->\n\n" for n in sorted(sections))
    OUT.write_text(
        f"# Benchmarks\n\nWritten by `make bench` ({stamp}).\n\nMachine: {machine()}\n\n{body}",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
