"""A first-time visitor at the real kiosk: one newborn-insurance visit, by taps only.

Run by tests/ui/test_glass.py as a process of its own on an X server (Xvfb with
a window manager): the kiosk starts as ``kiosk run`` does — its composition root,
the fullscreen window, Qt Virtual Keyboard embedded — and once it is ready a
:class:`~kiosk.ui.demo.person.Person` moves the real pointer with xdotool and
clicks.  Every character goes in through the on-screen keyboard (Pinyin for
汉字) or the kiosk's pad; nothing sets a widget's text.  X screenshots of the
whole screen (``import -window root``) are saved along the way, and what was
typed is written to ``result.json`` for the test to compare with the store.

    python -m tests.ui.glass_visit --config kiosk.toml --out DIR [--elder] [--english]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import traceback
from pathlib import Path

ITEM = "MS-YB-001"
VISIT = {  # what this visitor types, in the window's two languages
    "zh": {
        "search": "xse",
        "child_name": "张小宝",
        "applicant_name": "王丽",
        "relation": "母亲",
        "detail": "人民路8号",
    },
    "en": {
        "search": "xse",
        "child_name": "Zhang Xiaobao",
        "applicant_name": "Wang Li",
        "relation": "Mother",
        "detail": "8 Renmin Road",
    },
}
CHILD_ID = "110105202401010030"
APPLICANT_ID = "11010519491231002X"
MOBILE = "13812345678"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--elder", action="store_true")
    parser.add_argument("--english", action="store_true")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    from kiosk.ui.input.embedded import use_embedded_keyboard

    use_embedded_keyboard()
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk.app import _start
    from kiosk.config import load_settings
    from kiosk.ui.launch import keep_a_log, run_window
    from kiosk.ui.window import MainWindow

    settings = load_settings(args.config)
    keep_a_log(settings.data_dir)  # as kiosk run does: a bug is logged, the visit goes on
    outcome: dict[str, object] = {}

    def ready(name: str) -> None:
        if name != "ready":
            return
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
        QTimer.singleShot(0, lambda: run_visit(window, out, args, outcome))

    code = run_window(settings, lambda: _start(settings), ready)
    (out / "result.json").write_text(json.dumps(outcome, ensure_ascii=False), encoding="utf-8")
    return 0 if outcome.get("code") and code == 0 else 1


def run_visit(window, out: Path, args: argparse.Namespace, outcome: dict[str, object]) -> None:
    from PySide6.QtWidgets import QApplication

    try:
        outcome.update(visit(window, out, elder=args.elder, english=args.english))
    except Exception as problem:  # the test reads what went wrong, with its traceback
        outcome["stuck"] = f"{problem}\n{traceback.format_exc()}"
        screenshot(out, "stuck")
    finally:
        window.background.wait()
        QApplication.exit(0)


def screenshot(out: Path, name: str) -> None:
    """The X server's whole screen, as the visitor sees it (window manager included)."""
    shots = sorted(out.glob("*.png"))
    path = out / f"{len(shots) + 1:02d}-{name}.png"
    subprocess.run(["import", "-window", "root", str(path)], check=False, timeout=30)


def visit(window, out: Path, *, elder: bool, english: bool) -> dict[str, object]:
    from kiosk.ui.demo.person import Person, Taps
    from kiosk.ui.navigation import Screen
    from kiosk.ui.screens.catalog import CatalogScreen
    from kiosk.ui.screens.consult import ConsultScreen
    from kiosk.ui.screens.done import DoneScreen
    from kiosk.ui.screens.home import HomeScreen
    from kiosk.ui.screens.rating import RatingScreen

    person = Person(window, taps=Taps.XDOTOOL, patience_s=60)
    language = "en" if english else "zh"
    words = VISIT[language]
    catalog = window.session.catalog
    item = catalog.items[ITEM]
    person.wait_for(lambda: window.isActiveWindow(), "the kiosk's window")
    screenshot(out, "home")
    if elder:
        person.tap(window.header.elder)
    if english:
        person.tap(window.header.language)
    home = window.screens[Screen.HOME]
    assert isinstance(home, HomeScreen)
    person.tap(home.tiles["tile_apply"])
    search = window.screens[Screen.CATALOG]
    assert isinstance(search, CatalogScreen)
    person.fill(search.search, words["search"])
    screenshot(out, "search")
    person.tap_text(item.name(language))
    person.tap(window.page().start)  # 开始 / Start
    consult = window.screens[Screen.CONSULT]
    assert isinstance(consult, ConsultScreen)
    yes = "是" if language == "zh" else "Yes"
    while window.current is Screen.CONSULT:
        person.tap_text(yes, within=consult)
    screenshot(out, "verdict")
    person.tap(window.page().apply_button)
    page = window.page()
    fields = page.fields
    key = f"{ITEM}.".__add__
    person.fill(fields[key("child_name")].edit, words["child_name"])
    screenshot(out, "typing-a-name")
    person.tap(window.dock.next_button)  # 下一项: the child's ID number, on the pad
    person.type(CHILD_ID)
    screenshot(out, "the-pad")
    person.tap(window.dock.pad.action_key)  # 下一项 again: the name's keyboard opens
    person.tap_text(words["relation"], within=fields[key("guardian_relation")])
    person.fill(fields[key("applicant_name")].edit, words["applicant_name"])
    person.fill(fields[key("applicant_id_number")].edit, APPLICANT_ID)
    person.fill(fields[key("applicant_mobile")].edit, MOBILE)
    address = fields[key("applicant_address")]
    person.fill(address.detail, words["detail"])
    person.tap(window.dock.hide_button)
    screenshot(out, "form")
    person.tap(page.next)
    if window.current is Screen.APPLY:  # more pages: none on this item
        raise RuntimeError(f"the form did not move on: {[k for k, w in fields.items() if w.error]}")
    screenshot(out, "review")
    person.tap(window.page().submit_button)  # to the preview
    person.wait_for(lambda: window.background.pending() == 0, "the preview")
    screenshot(out, "preview")
    person.tap(window.page().submit_button)  # 确认提交
    person.wait_for(lambda: window.current is Screen.DONE, "the done screen")
    person.wait_for(lambda: window.background.pending() == 0, "printing")
    done = window.screens[Screen.DONE]
    assert isinstance(done, DoneScreen) and done.done is not None
    screenshot(out, "done")
    person.tap(done.rate_button)
    rating = window.screens[Screen.RATING]
    assert isinstance(rating, RatingScreen)
    person.tap(next(iter(rating.levels.values())))  # 非常满意
    person.tap(rating.send_button)
    person.wait_for(lambda: rating.thanks.isVisible(), "the thanks")
    screenshot(out, "rated")
    return {
        "code": done.done.code,
        "ticket": done.number.text(),
        "taps": person.count,
        "typed": {
            "child_name": words["child_name"],
            "child_id_number": CHILD_ID,
            "applicant_name": words["applicant_name"],
            "applicant_id_number": APPLICANT_ID,
            "applicant_mobile": MOBILE,
            "detail": words["detail"],
        },
    }


if __name__ == "__main__":
    sys.exit(main())
