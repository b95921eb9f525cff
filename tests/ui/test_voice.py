"""Voice: a new ticket announced through espeak-ng → WAV → the player; silent and harmless
where there is no audio output or no espeak-ng.

This machine has no sound card, so the player here is the window's Player slot
recording what it was handed; espeak-ng and the WAV it writes are real.
"""

from __future__ import annotations

import logging
import shutil
import uuid
import wave
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from kiosk.kinds import DocumentKind
from kiosk.statuses import PrintState
from kiosk.store.repositories import TicketView
from kiosk.ui.navigation import Done
from kiosk.ui.voice import Voice, audio_output_likely

from .conftest import window_services

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None, reason="espeak-ng is not installed (make system-packages)"
)


class RecordingPlayer:
    """Keeps each WAV it is asked to play, and what the file held at that moment."""

    def __init__(self) -> None:
        self.played: list[tuple[Path, int, int]] = []  # path, frames, sample rate

    def play(self, wav: Path) -> None:
        with wave.open(str(wav), "rb") as sound:
            self.played.append((wav, sound.getnframes(), sound.getframerate()))


PRINTED = ((DocumentKind.TICKET, PrintState.ACCEPTED),)


def ticket(number: str = "A005", ahead: int | None = 3) -> TicketView:
    return TicketView(
        id=uuid.uuid4(),
        number=number,
        queue="business",
        service_day=date(2026, 11, 28),
        issued_at=datetime(2026, 11, 28, 8, 30, tzinfo=UTC),
        priority=False,
        people_ahead=ahead,
        wait_minutes=None if ahead is None else ahead * 8,
        status="waiting",
        window=None,
        printed=True,
    )


@needs_espeak
def test_a_new_ticket_is_spoken_a_wav_written_and_played(make_window, make_kiosk, qtbot, tmp_path):
    player = RecordingPlayer()
    voice = Voice(tmp_path / "voice", player=player)
    assert voice.available
    window = make_window(services=window_services(make_kiosk(), voice))
    window.go(Done(ticket(), papers=PRINTED))
    qtbot.waitUntil(lambda: bool(player.played), timeout=30_000)
    ((wav, frames, rate),) = player.played
    assert wav.parent == tmp_path / "voice" and wav.suffix == ".wav"
    assert frames > rate, "more than a second of speech: 您已领取A005号，前方等待3人"
    window.toggle_language()  # the screen redraws; the announcement is not repeated
    window.go(Done(ticket("A006"), papers=PRINTED))
    qtbot.waitUntil(lambda: len(player.played) == 2, timeout=30_000)
    assert not wav.exists(), "one WAV at a time: the previous one is gone"
    voice.close()
    assert not list((tmp_path / "voice").glob("*.wav")), "close() leaves no file behind"


def test_without_audio_the_voice_is_silent_and_writes_nothing(make_window, make_kiosk, tmp_path):
    voice = Voice(tmp_path / "voice", audio_present=lambda: False)
    assert not voice.available
    window = make_window(services=window_services(make_kiosk(), voice))
    window.go(Done(ticket(), papers=PRINTED))
    assert voice.spoken == []
    assert not (tmp_path / "voice").exists()
    assert window.background.pending() == 0
    voice.close()


def test_without_espeak_the_voice_is_silent(tmp_path):
    voice = Voice(tmp_path / "voice", engine=None, player=RecordingPlayer())
    assert not voice.available
    voice.announce("您已领取A005号", "zh")
    assert voice.spoken == [] and not (tmp_path / "voice").exists()


def test_a_synthesis_that_fails_is_logged_and_nothing_plays(qtbot, tmp_path, caplog):
    player = RecordingPlayer()
    voice = Voice(tmp_path / "voice", engine="false", player=player)  # exits 1 at once
    with caplog.at_level(logging.WARNING, logger="kiosk.ui.voice"):
        voice.announce("您已领取A005号", "zh")
        qtbot.waitUntil(lambda: voice.background.pending() == 0, timeout=30_000)
    assert player.played == []
    assert "the ticket was not announced" in caplog.text


def test_audio_is_looked_for_without_qt(tmp_path):
    snd = tmp_path / "snd"
    assert not audio_output_likely({}, snd)
    assert audio_output_likely({"PULSE_SERVER": "tcp:speaker"}, snd)
    runtime = tmp_path / "run"
    (runtime / "pulse").mkdir(parents=True)
    (runtime / "pulse" / "native").touch()
    assert audio_output_likely({"XDG_RUNTIME_DIR": str(runtime)}, snd)
    snd.mkdir()
    (snd / "controlC0").touch()
    assert not audio_output_likely({}, snd), "a mixer is not a playback device"
    (snd / "pcmC0D0p").touch()
    assert audio_output_likely({}, snd)
