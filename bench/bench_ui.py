"""The window: cold start, tap → next screen painted, memory over 1,000 visits.

* **Cold start to home painted** (target ≤ 0.5 s): ``kiosk run``'s own entry
  (``kiosk.app.run_kiosk``) in a fresh process, offscreen, timed from spawning the
  process to the home screen's first paint; it then reports when the catalog,
  store and every screen are ready, and exits.  A first run creates the data
  folder and migrates the store; the median is over the runs after it, as a
  kiosk restarts over its existing store.
* **Tap → next screen painted** (target p95 ≤ 16 ms): in this process, the real
  window at 1920×1080 over the real services; a mouse click on a button, the
  navigation it causes, and a full repaint of the window, timed together.
* **Memory over 1,000 visits** (target growth ≤ 10 MB): the demo's scripted visit
  (search, consultation, "print this list", forms, preview, submit, rating,
  status query; then the idle reset) through the same window, against a temporary
  SQLite store and the PDF-folder printer; resident memory from /proc/self/statm
  after a warm-up and after the visits.
"""

from __future__ import annotations

import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.offscreen import child_folder, main, measure_in_child

COLD_RUNS = 7
COLD_TARGET_S = 0.5
TAP_TARGET_MS = 16.0
# Every visit types through the window's own keyboard and pad (about 1 s of the kiosk's work
# each); KIOSK_BENCH_VISITS makes a shorter run, and the section says how many were made.
VISITS_TEXT = os.environ.get("KIOSK_BENCH_VISITS", "1000")
if not VISITS_TEXT.isdigit() or int(VISITS_TEXT) < 1:
    sys.exit(f"KIOSK_BENCH_VISITS={VISITS_TEXT!r}: give a whole number of visits, e.g. 100")
VISITS = int(VISITS_TEXT)
WARM_UP_VISITS = min(30, max(5, VISITS // 10))
MEMORY_TARGET_MB = 10.0
# After the first hundred visits (caches filling), growth counts as flat below a tenth of the
# target's pace: 0.1 MB a hundred visits (the target allows 1 MB a hundred).
FLAT_SHARE = 0.1

# What made the visits grow, each found (tracemalloc, heaptrack) and fixed with a test.
HISTORY = (
    "What made it grow before, each fixed with a test: the layout items `QLayout.takeAt()` "
    "hands over, which PySide6 never frees (96 bytes each, ~170 a visit); the scripted "
    "visit's own waits (PySide6 6.11 keeps ~55 bytes for every timed `singleShot` to a bare "
    "C++ slot, ~15 kB a visit); a property cache the keyboard's QML kept for every number "
    "box ever focused (a box that connects a signal to an undeclared method of its own has "
    "a meta-object of its own: ~2 kB a box, 3 a visit); and glibc's dynamic mmap threshold, "
    "which left big blocks resident once freed (resident memory rose ~3 MB at a time with "
    "the memory in use flat; `kiosk/heap.py` fixes the threshold at start).  SQLite's page "
    "cache is held to 512 KiB a connection."
)

CHILD = """
import sys
from PySide6.QtWidgets import QApplication
from kiosk.ui.input.embedded import use_embedded_keyboard
use_embedded_keyboard()  # as `kiosk run` does, before the QApplication
from kiosk.app import run_kiosk
def milestone(name):
    print(name, flush=True)
    if name == "ready":
        QApplication.instance().exit(0)
sys.exit(run_kiosk(None, milestone))
"""


def cold_start(data_home: Path) -> tuple[float, float]:
    """Seconds from spawning `kiosk run` to home painted, and to every screen ready."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_DATA_HOME=str(data_home))
    started = time.perf_counter()
    seen: dict[str, float] = {}
    with subprocess.Popen(
        [sys.executable, "-c", CHILD], stdout=subprocess.PIPE, text=True, env=env
    ) as child:
        assert child.stdout is not None
        for line in child.stdout:
            seen[line.strip()] = time.perf_counter() - started
        if child.wait(timeout=60) != 0:
            raise RuntimeError(f"kiosk run exited with {child.returncode}")
    return seen["painted"], seen["ready"]


def rss_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def growth_shape(samples: list[float]) -> str:
    """What the samples (RSS after the warm-up, then after every 100 visits; three or more)
    say of the growth after the first hundred visits: flat, or how fast it goes on."""
    first = samples[1] - samples[0]
    later = samples[-1] - samples[1]
    hundreds = len(samples) - 2
    pace = later / hundreds
    flat = FLAT_SHARE * MEMORY_TARGET_MB / 10
    said = (
        f"The first hundred visits added {first:+.1f} MB; the {hundreds * 100:,} after them "
        f"{later:+.1f} MB, {pace:+.2f} MB a hundred visits"
    )
    if pace <= flat:
        return (
            f"{said}: under {flat:.1f} MB a hundred (a tenth of the target's pace), so it levels "
            "off — what growth there is comes first (caches filling: font glyphs, SQLite pages)."
        )
    return f"{said}: over {flat:.1f} MB a hundred (a tenth of the target's pace): not levelled off."


class Window:
    """The real window over the real services, offscreen at the kiosk's size."""

    def __init__(self, folder: Path):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from kiosk import SHIPPED_CATALOG
        from kiosk.app import _window_services, build_services, demo_settings
        from kiosk.catalog import load_catalog
        from kiosk.config import Settings
        from kiosk.ui.launch import application, build_window

        self.app = application()
        self.catalog = load_catalog(SHIPPED_CATALOG)
        settings = demo_settings(Settings(), folder, None)
        self.kiosk = build_services(settings, self.catalog)
        services = _window_services(self.kiosk, settings)
        self.window = build_window(settings, self.catalog, services, theme_name="standard")
        self.window.show_at()
        self.app.processEvents()

    def close(self) -> None:
        self.window.reset_visit()
        self.window.background.wait()
        self.app.processEvents()
        self.window.services.voice.close()
        self.kiosk.close()
        self.window.deleteLater()
        self.app.processEvents()


def tap_timings(w: Window, rounds: int = 25) -> list[float]:
    """Milliseconds from a click to the next screen fully repainted, over a round of taps."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from kiosk.ui.demo import page_of
    from kiosk.ui.navigation import Screen
    from kiosk.ui.screens.catalog import CatalogScreen
    from kiosk.ui.screens.consult import ConsultScreen
    from kiosk.ui.screens.home import HomeScreen
    from kiosk.ui.screens.item import ItemScreen

    window = w.window
    home = page_of(window, HomeScreen)
    timings: list[float] = []

    def tap(widget) -> None:  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton, pos=widget.rect().center())
        window.repaint()
        timings.append((time.perf_counter() - started) * 1000)
        w.app.processEvents()

    for _ in range(rounds):
        window.reset_visit()
        for tile in ("tile_ticket", "tile_status", "tile_rating", "tile_bundle", "tile_event"):
            tap(home.tiles[tile])
            tap(window.page().home_button)
        tap(home.tiles["tile_apply"])
        catalog = page_of(window, CatalogScreen)
        tap(catalog.rows[0])
        tap(page_of(window, ItemScreen).start)
        consult = page_of(window, ConsultScreen)
        while window.current is Screen.CONSULT and consult.answer_values:
            tap(next(iter(consult.answer_values)))
        tap(window.page().back_button)
        tap(window.page().home_button)
    return timings


def memory_growth(w: Window) -> tuple[list[float], float]:
    """RSS (MB) after the warm-up and after every 100 visits; seconds per visit."""
    from kiosk.ui.demo import DemoVisit, finish_work, settle

    class Visit(DemoVisit):
        def shot(self, name: str) -> None:
            """No pictures: only the visit."""

        def let_pages_paint(self) -> None:
            """Nobody looks at the pages here."""

    visit = Visit(w.window, Path("unused"))
    item = w.catalog.items["MS-YB-001"]
    # The touch guard ignores taps for 400 ms after each screen change (a double tap must
    # not act on the next screen), and the scripted person waits that out before every tap:
    # most of a visit was that waiting (~8 s a visit).  Memory does not grow while it waits,
    # so the visits here do not wait, and the 1,000 visits the target names take minutes.
    w.window.guard.quiet_ms = 0

    def one() -> None:
        w.window.reset_visit()
        code = visit.single_item(item)
        w.window.reset_visit()
        visit.status(code)
        finish_work(w.window)
        w.window.reset_visit()
        # No event loop runs here (the kiosk's app.exec() would): settle() also carries out
        # the deleteLater() deletions a loop would, or every visit's widgets would pile up.
        settle()

    for _ in range(WARM_UP_VISITS):
        one()
    gc.collect()
    before = rss_mb()
    samples = [before]
    started = time.perf_counter()
    for n in range(1, VISITS + 1):
        one()
        if n % 100 == 0:
            gc.collect()
            samples.append(rss_mb())
    seconds = (time.perf_counter() - started) / VISITS
    return samples, seconds


def measure() -> dict[str, object]:
    """In the child (the embedded keyboard, a screen with room for the window): taps and
    memory over whole visits typed key by key."""
    w = Window(child_folder() / "visits")
    try:
        taps = tap_timings(w)
        samples, per_visit = memory_growth(w)
    finally:
        w.close()
    return {"taps": taps, "samples": samples, "per_visit": per_visit}


def run() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cold_start(folder / "cold")  # creates the data folder and migrates the store
        runs = [cold_start(folder / "cold") for _ in range(COLD_RUNS)]
        painted = [p for p, _ in runs]
        ready = [r for _, r in runs]
    result = measure_in_child("bench.bench_ui", timeout_s=VISITS * 20 + 600)
    taps: list[float] = result["taps"]
    samples: list[float] = result["samples"]
    per_visit: float = result["per_visit"]
    cold = statistics.median(painted)
    tap95 = p95(taps)
    before, after = samples[0], samples[-1]
    growth = after - before
    # The target is for 1,000 visits: a shorter run is judged at its pace, as if it went on.
    per_thousand = growth * 1000 / VISITS
    trend = ", ".join(f"{s - before:+.1f}" for s in samples[1:])

    def verdict(ok: bool) -> str:
        return "✅" if ok else "❌"

    return "\n".join(
        [
            "## The window (`bench/bench_ui.py`)",
            "",
            "Offscreen Qt at 1920×1080; real services over a temporary SQLite store, "
            "PDF-folder printers; the taps and the visits in a process of their own with the "
            "window's own keyboard, every character typed on its keys or the pad.",
            "",
            "| measure | target | result | |",
            "| --- | --- | --- | --- |",
            f"| cold start → home painted (`kiosk run`, median of {COLD_RUNS}; max) | ≤ 0.5 s | "
            f"{cold:.2f} s; {max(painted):.2f} s | {verdict(cold <= COLD_TARGET_S)} |",
            f"| cold start → every screen ready behind it (median) | — | "
            f"{statistics.median(ready):.2f} s | |",
            f"| tap → next screen painted ({len(taps)} taps: median; p95) | p95 ≤ 16 ms | "
            f"{statistics.median(taps):.1f} ms; {tap95:.1f} ms | "
            f"{verdict(tap95 <= TAP_TARGET_MS)} |",
            f"| resident memory growth over {VISITS:,} scripted visits (target: over 1,000) "
            f"| ≤ 10 MB a thousand | "
            f"{growth:+.1f} MB ({before:.0f} → {after:.0f} MB; {per_visit * 1000:.0f} ms a visit)"
            + (f"; {per_thousand:+.1f} MB a thousand at this pace " if VISITS < 1000 else " ")
            + f"| {verdict(per_thousand <= MEMORY_TARGET_MB)} |",
            "",
            f"Resident memory after every 100 visits, against the warm-up (MB): {trend}.",
            "",
            (
                growth_shape(samples)
                if len(samples) > 2
                else f"This run made {VISITS} visits (KIOSK_BENCH_VISITS) after "
                f"{WARM_UP_VISITS} to warm up: too few to see whether the growth levels off "
                "(typed key by key, a visit takes about a second; 1,000 of them some 20 minutes)."
            )
            + "  "
            + HISTORY,
            "",
            "Home paints before the catalog (0.7 MB of YAML) is loaded: the window starts with "
            "its home screen only and builds the rest when the catalog, the store and the "
            "services have loaded in the background; a tap meanwhile waits behind the busy "
            "indicator.",
            "",
        ]
    )


if __name__ == "__main__":
    main(measure, run)
