"""`kiosk demo` and `kiosk run`: the scripted visit saves every screen and every printed PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from kiosk.app import build_parser, main
from kiosk.ui.launch import has_display

from .visitor import pdf_text

KINDS = ("notice", "form", "ticket")


EVERY_SCREEN = {
    "home",
    "catalog-pinyin-search",
    "item-detail",
    "consultation",
    "verdict-materials",
    "apply-invalid-id",
    "apply-review",
    "apply-preview",
    "apply-done",
    "rating-reasons",
    "rating-thanks",
    "bundle-picker",
    "bundle-preview",
    "bundle-done",
    "ticket",
    "ticket-done",
    "ticket-reprinted",
    "status-code-pad",
    "status",
    "life-events",
    "idle-countdown",
}


def form_codes(forms: list[Path]) -> set[str]:
    """The submissions whose forms were printed (staff may reprint one: same code)."""
    return {path.stem.rsplit("-", 1)[1] for path in forms}


def shot_names(folder: Path) -> set[str]:
    shots = sorted(folder.glob("*.png"))
    for shot in shots:
        image = QImage(str(shot))
        assert (image.width(), image.height()) == (1920, 1080), shot.name
    return {p.stem.split("-", 1)[1] for p in shots}


@pytest.mark.db
def test_demo_saves_every_screen_and_every_printed_pdf(tmp_path, qapp, pg_bureau_url):
    """The whole scripted visit, with ticket numbers from the bureau database."""
    bureau = pg_bureau_url.render_as_string(hide_password=False)
    assert main(["demo", "--out", str(tmp_path), "--theme", "standard", "--bureau", bureau]) == 0
    assert shot_names(tmp_path / "standard") >= EVERY_SCREEN
    printed = {kind: sorted((tmp_path / "printed").glob(f"*-{kind}-*.pdf")) for kind in KINDS}
    assert len(printed["notice"]) == 1  # "print this list" on the verdict screen
    assert len(form_codes(printed["form"])) == 2  # the item and the 餐饮 bundle
    assert len(printed["ticket"]) >= 4  # two submissions, 取号, and its 补打
    assert any("主题联办申请材料" in pdf_text(form) for form in printed["form"])
    first_ticket = pdf_text(printed["ticket"][0])
    assert "您的排队号码" in first_ticket and "B001" in first_ticket
    store = tmp_path / "store" / "kiosk.sqlite3"
    assert store.exists(), "the demo kiosk kept its own store in the folder"


def test_the_demo_runs_offline_and_says_so(tmp_path, qapp):
    """`make demo` on a fresh machine: no bureau; the kiosk numbers its own tickets."""
    assert main(["demo", "--out", str(tmp_path), "--theme", "elder"]) == 0
    names = shot_names(tmp_path / "elder")
    assert {"apply-done", "bundle-done", "ticket-done", "status"} <= names
    assert len(form_codes(sorted((tmp_path / "printed").glob("*-form-*.pdf")))) == 2


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


SECOND_BUREAU = Path(__file__).resolve().parent.parent / "second_bureau" / "catalog.yaml"


def test_another_bureaus_demo_shows_that_bureau_only(tmp_path, qapp):
    """Only `catalog_path` set: the header, every printed paper and the demo's ID card are
    the second bureau's; nothing of the sample town (示范镇) leaks into them."""
    config = tmp_path / "kiosk.toml"
    config.write_text(f'catalog_path = "{SECOND_BUREAU}"\n', encoding="utf-8")
    out = tmp_path / "out"
    assert main(["demo", "--out", str(out), "--config", str(config), "--theme", "standard"]) == 0
    printed = sorted((out / "printed").glob("*.pdf"))
    assert {"ticket", "form"} <= {path.stem.split("-")[-2] for path in printed}
    texts = {path.name: pdf_text(path) for path in printed}
    assert not [name for name, words in texts.items() if "示范镇" in words]
    tickets = [words for name, words in texts.items() if "-ticket-" in name]
    assert tickets and all("山北乡便民服务中心" in words for words in tickets)
    card = (out / "demo-idcard.json").read_text(encoding="utf-8")
    assert "浙江省湖州市安吉县" in card and "示范镇" not in card


def test_a_demo_that_gets_stuck_says_where_and_fails(tmp_path, qapp, monkeypatch, capsys):
    """`kiosk demo` in CI: a visit that cannot go on exits non-zero naming the step."""
    from kiosk.ui.demo import visit
    from kiosk.ui.demo.person import Stuck

    def stuck(self: visit.DemoVisit, code: str | None) -> None:
        self.doing("looking up the application")
        raise Stuck("waited 30 s for the status screen")

    monkeypatch.setattr(visit.DemoVisit, "status", stuck)
    assert main(["demo", "--out", str(tmp_path), "--theme", "standard"]) == 1
    said = capsys.readouterr().err
    assert "the demo could not finish the visit" in said
    assert "looking up the application: waited 30 s for the status screen" in said
    assert "Traceback" not in said
