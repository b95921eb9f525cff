"""Key press → search results painted, with the on-screen keyboard up (issue 11).

The real window at 1920×1080 over the real services, offscreen, with its own Qt
Virtual Keyboard embedded.  A :class:`~kiosk.ui.demo.person.Person` opens 我要办
and taps the search box; the keyboard comes up (letters as letters: the search
matches names, pinyin and initials).  Then each letter of a set of queries is
pressed on the keyboard's own key — a press and a release at the key's centre on
the keyboard's widget, as the Person taps — and timed from the press until the
results list (or its "nothing found" line) has been painted with the new
results: the input method, the search, the rows rebuilt, the repaint.  The box
is emptied with ⌫ between queries (not timed).
"""

from __future__ import annotations

import statistics
import time
from typing import TYPE_CHECKING, Any

from bench.offscreen import child_folder, load_average, main, measure_in_child

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent, QObject

TARGET_MS = 16.0
# Full pinyin and initials, long and short (most from bench_search); every prefix of each
# finds something in the shipped catalog (some keys leave the same results on screen).
QUERIES = (
    "yibao",
    "xinshenger",
    "yingyezhizhao",
    "kaihu",
    "xse",
    "spjyxk",
    "dzdp",
    "canyin",
    "shipinjingying",
    "shebao",
    "hunyin",
    "yb",
    "q",
)
ROUNDS = 2
PATIENCE_S = 5.0
BETWEEN_KEYS_S = 0.1
SHORT_LIST = 10  # results: about what is in sight above the keyboard


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def measure() -> dict[str, Any]:
    from PySide6.QtCore import QEvent, QObject, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QWidget

    from bench.bench_ui import Window
    from kiosk.ui.demo import page_of
    from kiosk.ui.demo.person import Person
    from kiosk.ui.screens.catalog import CatalogScreen
    from kiosk.ui.screens.home import HomeScreen

    # The catalog screen's own rebuild of its list, timed apart (wrapped before the screen is
    # built: its search box's textChanged is connected to this method then).
    rebuilding: list[float] = []
    rebuild = CatalogScreen._refresh

    def timed_rebuild(self: CatalogScreen, *args: object) -> None:
        started = time.perf_counter()
        rebuild(self, *args)
        rebuilding.append((time.perf_counter() - started) * 1000)

    CatalogScreen._refresh = timed_rebuild  # type: ignore[method-assign]
    w = Window(child_folder() / "typing")
    app, window = w.app, w.window
    person = Person(window)
    catalog = page_of(window, CatalogScreen)

    class ResultsPainted(QObject):
        """Notes a paint of the results list (or its empty line) once the text has changed
        and the screen has rebuilt its list."""

        def __init__(self) -> None:
            super().__init__()
            self.armed = False
            self.painted = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if (
                self.armed
                and event.type() == QEvent.Type.Paint
                and isinstance(watched, QWidget)
                and (watched is catalog.empty or catalog.list.isAncestorOf(watched))
            ):
                self.painted = True
            return False

    watcher = ResultsPainted()
    timings: list[float] = []
    rows: list[int] = []  # rows in the list after each timed press
    rebuilt: list[float] = []  # of each timed press, ms in the screen's rebuild of its list
    hits: list[int] = []
    above: list[int] = []
    try:
        person.tap(page_of(window, HomeScreen).tiles["tile_apply"])
        person.tap(catalog.search)
        keyboard = window.dock.keyboard_ready
        person.wait_for(
            lambda: keyboard is not None and keyboard.isVisible(), "the keyboard to open"
        )
        assert keyboard is not None
        app.installEventFilter(watcher)

        def arm(_: str) -> None:
            watcher.armed = True  # after the screen's own slot: the list is rebuilt by now

        catalog.search.textChanged.connect(arm)

        def press(letter: str) -> float:
            """Milliseconds from the key's press to the results painted."""
            key = next(k for k in keyboard.visible_keys() if k.label == letter)
            target = QApplication.widgetAt(key.centre)
            assert target is not None
            local = target.mapFromGlobal(key.centre)
            left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
            before = catalog.search.text()
            before_rows = list(catalog.rows)
            watcher.armed, watcher.painted = False, False
            rebuilding.clear()
            started = time.perf_counter()
            QTest.mousePress(target, left, none, local)
            QTest.mouseRelease(target, left, none, local)
            while not watcher.painted:
                if watcher.armed and catalog.rows == before_rows:
                    # The same results as before the key ("xinsh" → "xinshe"): the list has
                    # nothing new to paint; the press is done once its events are handled.
                    app.processEvents()
                    break
                if time.perf_counter() - started > PATIENCE_S:
                    raise RuntimeError(
                        f"no results painted after the key {letter!r}: {before!r} → "
                        f"{catalog.search.text()!r}"
                    )
                app.processEvents()
            elapsed = (time.perf_counter() - started) * 1000
            watcher.armed = False
            # The next key no sooner than a fast typist's (10 keys a second): what the screen
            # does between keys (the rest of a long list) is done before it, not timed.
            rest_until = time.perf_counter() + BETWEEN_KEYS_S
            while time.perf_counter() < rest_until:
                app.processEvents()
            return elapsed

        def clear() -> None:
            while catalog.search.text():
                person.key("backspace")

        for round_ in range(ROUNDS + 1):  # the first round warms up (fonts, glyphs, QML)
            for query in QUERIES:
                for letter in query:
                    elapsed = press(letter)
                    if round_:
                        timings.append(elapsed)
                        rows.append(len(catalog.rows))
                        rebuilt.append(sum(rebuilding))
                if round_:
                    hits.append(len(catalog.rows))
                    top = keyboard.mapToGlobal(keyboard.rect().topLeft()).y()
                    above.append(
                        sum(
                            1
                            for row in catalog.rows
                            if row.isVisible()
                            and row.visibleRegion().boundingRect().height() == row.height()
                            and row.mapToGlobal(row.rect().bottomLeft()).y() < top
                        )
                    )
                clear()
        app.removeEventFilter(watcher)
    finally:
        w.close()
    return {
        "timings_ms": timings,
        "rows": rows,
        "rebuild_ms": rebuilt,
        "hits": hits,
        "rows_above_keyboard": above,
        "load": load_average(),
    }


def _line(what: str, timings: list[float], target: bool) -> str:
    if not timings:
        return f"| {what} (none) | | | |"
    tail = p95(timings)
    verdict = ("✅" if tail <= TARGET_MS else "❌") if target else ""
    return (
        f"| {what} ({len(timings)} presses: median; p95; max) | "
        f"{'p95 ≤ 16 ms' if target else ''} | {statistics.median(timings):.1f} ms; "
        f"{tail:.1f} ms; {max(timings):.1f} ms | {verdict} |"
    )


def run() -> str:
    result = measure_in_child("bench.bench_typing")
    timings: list[float] = result["timings_ms"]
    rows: list[int] = result["rows"]
    rebuilt: list[float] = result["rebuild_ms"]
    hits: list[int] = result["hits"]
    above: list[int] = result["rows_above_keyboard"]
    in_sight = [a for a, n in zip(above, hits, strict=True) if n > SHORT_LIST] or above
    short = [t for t, n in zip(timings, rows, strict=True) if n <= SHORT_LIST]
    long = [t for t, n in zip(timings, rows, strict=True) if n > SHORT_LIST]
    long_rebuild = [r for r, n in zip(rebuilt, rows, strict=True) if n > SHORT_LIST]
    share = statistics.median(long_rebuild) if long_rebuild else 0.0
    rest = statistics.median(long) - share if long else 0.0
    most = max(rows)
    return "\n".join(
        [
            "## Key press → search results painted, keyboard up (`bench/bench_typing.py`)",
            "",
            "The real window at 1920×1080, offscreen, its own Qt Virtual Keyboard up under the "
            "catalog's search box; each letter pressed on the keyboard's key (press and "
            "release at its centre) and timed until the results list has been repainted with "
            "the new results (where a key leaves the same results, until its events are "
            "handled); keys at most 10 a second.  Queries: "
            + ", ".join(f"`{q}`" for q in QUERIES)
            + f", letter by letter, {ROUNDS} rounds after a warm-up round; the box emptied "
            "with ⌫ between queries (not timed).  Load average (1 min) at the end: "
            f"{result['load']} on 2 cores.",
            "",
            "| measure | target | result | |",
            "| --- | --- | --- | --- |",
            _line("key press → results painted, every press", timings, True),
            _line(f"… presses that left ≤ {SHORT_LIST} results", short, False),
            _line(f"… presses that left {SHORT_LIST + 1}–{most} results", long, False),
            "",
            f"Where the time goes: the search itself takes about 1 ms (bench_search); with "
            f"more than {SHORT_LIST} results the screen's own part (`CatalogScreen._refresh`: "
            "the search, then the rows in sight put in order — each entry's row is built "
            "once and reused — while the rest of a long list follows 30 ms later, between "
            f"keys) takes {share:.0f} ms (median); the rest, {rest:.0f} ms, is laying out "
            "and painting the rows and the key's own redraw on the keyboard.  "
            f"{min(in_sight)}–{max(in_sight)} whole rows are in sight above the keyboard "
            f"(1920×1080, standard theme) when a query finds more than {SHORT_LIST}.  "
            "Building 50 new rows on every key, as the screen did before, took p95 143 ms.",
            "",
        ]
    )


if __name__ == "__main__":
    main(measure, run)
