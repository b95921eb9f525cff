"""长辈模式: the visitor's own switch in the header, for this visit only.

Everything 1.5× (the theme's metrics, tests/ui/test_theme.py), the keyboard and
the pad with it, slower timeouts, and 朗读 — which reads the screen aloud with
espeak-ng where the kiosk has sound, and says plainly where it has none.
"""

from __future__ import annotations

import wave
from pathlib import Path

from PySide6.QtWidgets import QLabel

from kiosk.ui.demo import page_of
from kiosk.ui.demo.person import Person
from kiosk.ui.navigation import ApplyPage, ItemRoute
from kiosk.ui.screens.consult import ConsultScreen
from kiosk.ui.screens.item import ItemScreen
from kiosk.ui.services import Services
from kiosk.ui.voice import Voice

from .visitor import field, tap


class Speaker:
    """Where the WAV files go on a kiosk with sound: a list, here (this machine has no sound
    card); espeak-ng, the real synthesiser, writes them."""

    def __init__(self) -> None:
        self.played: list[Path] = []

    def play(self, wav: Path) -> None:
        self.played.append(wav)


def test_the_visitor_turns_it_on_in_the_header_and_everything_grows(make_window):
    window = make_window()
    window.go(ItemRoute("T-REG"))
    person = Person(window)
    standard_body = max(w.font().pixelSize() for w in window.page().findChildren(QLabel))
    idle = window.idle.seconds
    person.tap(window.header.elder)
    assert window.elder and window.theme.name == "elder"
    assert window.header.elder.text() == "✓ 大字"
    sizes = [w.font().pixelSize() for w in window.findChildren(QLabel) if w.isVisible()]
    assert min(sizes) >= 24, "no text under 24 px"
    assert max(sizes) >= 1.4 * standard_body
    assert window.idle.seconds == 2 * idle, "twice the time before 'are you still there?'"
    person.tap(page_of(window, ItemScreen).start)  # and it stays on from screen to screen
    assert window.theme.name == "elder"


def test_the_keys_grow_too(make_window):
    window = make_window()
    window.session.start_item(window.session.catalog.items["T-SEAL"])

    window.go(ApplyPage(0))
    person = Person(window)
    person.tap(field(window, "T-SEAL.applicant_mobile").edit)
    standard_key = window.dock.pad.keys["1"].height()
    person.tap(field(window, "T-SEAL.applicant_name").edit)
    standard_keyboard = window.dock.keyboard_ready.width()
    person.tap(window.dock.hide_button)
    person.tap(window.header.elder)
    person.tap(field(window, "T-SEAL.applicant_mobile").edit)
    assert window.dock.pad.keys["1"].height() >= 1.4 * standard_key
    person.tap(field(window, "T-SEAL.applicant_name").edit)
    assert window.dock.keyboard_ready.width() > 1.15 * standard_keyboard


def test_it_ends_with_the_visit(make_window):
    window = make_window()
    tap(window.header.elder)
    assert window.theme.name == "elder"
    window.reset_visit()
    assert window.theme.name == "standard" and not window.elder
    assert window.header.elder.text() == "大字"


def test_read_aloud_speaks_the_question_on_screen(make_window, make_kiosk, tmp_path):
    speaker = Speaker()
    voice = Voice(tmp_path / "voice", player=speaker, audio_present=lambda: True)
    window = make_window(services=Services.of(make_kiosk(), voice=voice))
    person = Person(window)
    person.tap(window.header.elder)
    assert window.header.read.isVisible() and window.header.read.isEnabled()
    window.go(ItemRoute("T-REG"))
    person.tap(page_of(window, ItemScreen).start)
    question = page_of(window, ConsultScreen).question
    assert question.text("zh") in window.page().spoken_text()
    person.tap(window.header.read)
    person.wait_for(lambda: bool(speaker.played), "espeak-ng to speak")
    with wave.open(str(speaker.played[-1])) as sound:
        seconds = sound.getnframes() / sound.getframerate()
    assert seconds > 1.0, "a whole question, not a beep"
    voice.close()


def test_without_sound_read_aloud_says_so(make_window, make_kiosk, tmp_path):
    voice = Voice(tmp_path / "voice", audio_present=lambda: False)
    window = make_window(services=Services.of(make_kiosk(), voice=voice))
    tap(window.header.elder)
    assert window.header.read.isVisible()
    assert not window.header.read.isEnabled()
    assert window.header.read.text() == "无声音"
