"""Voice: the ticket announced aloud ("您已领取A005号，前方等待3人") where the kiosk has audio.

espeak-ng (a Debian package, see the Makefile) writes the sentence to a WAV file
off the GUI thread, through :mod:`kiosk.ui.background`; QtMultimedia's
QSoundEffect plays it.  Where there is no audio output or no espeak-ng the voice
is silent and harmless: it never loads QtMultimedia then, because looking for
audio devices that are not there makes Qt log warnings.

Files are the voice's own: one WAV at a time in its folder, the previous one
deleted when the next is written and all of them at :meth:`Voice.close`.
"""

from __future__ import annotations

import itertools
import logging
import os
import shutil
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Protocol

from kiosk.ui.background import Background

log = logging.getLogger(__name__)

ESPEAK_VOICES = {"zh": "zh", "en": "en"}  # espeak-ng's Mandarin voice is "zh" (mb-cn1 / cmn)
SYNTH_TIMEOUT_S = 10.0


def audio_output_likely(
    environ: Mapping[str, str] = os.environ, dev_snd: Path = Path("/dev/snd")
) -> bool:
    """Whether there is somewhere to play sound: PulseAudio / PipeWire, or an ALSA playback
    device.  Judged from the file system, not QtMultimedia (which warns when it finds none)."""
    if environ.get("PULSE_SERVER"):
        return True
    runtime = environ.get("XDG_RUNTIME_DIR")
    if runtime:
        folder = Path(runtime)
        if (folder / "pulse" / "native").exists() or any(folder.glob("pipewire-*")):
            return True
    return dev_snd.is_dir() and any(dev_snd.glob("pcmC*D*p"))


class Player(Protocol):
    def play(self, wav: Path) -> None: ...


class QtPlayer:
    """Plays a WAV through QtMultimedia's QSoundEffect (created on first use)."""

    def __init__(self) -> None:
        self._effect: object | None = None

    def play(self, wav: Path) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtMultimedia import QSoundEffect

        from kiosk.ui.qtlog import quiet_categories

        if not isinstance(self._effect, QSoundEffect):
            # QtMultimedia's FFmpeg backend probes for optional video-acceleration
            # libraries (VA-API, PipeWire) and warns about each one it lacks; sound needs none.
            quiet_categories()
            self._effect = QSoundEffect()
        effect = self._effect
        effect.setSource(QUrl.fromLocalFile(str(wav)))
        effect.play()  # plays once loaded, if loading is still going on


class Voice:
    """Announces short sentences; ``available`` says whether it will make a sound at all."""

    def __init__(
        self,
        folder: Path,
        *,
        engine: str | None = "espeak-ng",
        player: Player | None = None,
        audio_present: Callable[[], bool] = audio_output_likely,
    ):
        self.folder = folder
        self.engine = shutil.which(engine) if engine else None  # None: not installed
        if player is None and audio_present():
            player = QtPlayer()
        self.player = player
        self._background: Background | None = None  # made on the GUI thread, on first use
        self._names = itertools.count(1)
        self._last: Path | None = None
        self.spoken: list[Path] = []  # WAVs handed to the player (the staff log and tests)

    @property
    def available(self) -> bool:
        return self.engine is not None and self.player is not None

    @property
    def background(self) -> Background:
        if self._background is None:
            self._background = Background()
        return self._background

    def announce(self, sentence: str, language: str) -> None:
        """Say it, if this kiosk can; returns at once (synthesis runs in the background)."""
        if not self.available:
            return
        target = self.folder / f"announce-{os.getpid()}-{next(self._names)}.wav"
        self.background.run(
            lambda: self._synthesise(sentence, language, target),
            self._play,
            self._failed,
            label="announce",
        )

    def _synthesise(self, sentence: str, language: str, target: Path) -> Path:
        assert self.engine is not None
        self.folder.mkdir(parents=True, exist_ok=True)
        voice = ESPEAK_VOICES.get(language, "zh")
        subprocess.run(
            [self.engine, "-v", voice, "-w", str(target), sentence],
            check=True,
            capture_output=True,
            timeout=SYNTH_TIMEOUT_S,
        )
        return target

    def _play(self, wav: Path) -> None:
        previous, self._last = self._last, wav
        if previous is not None:
            previous.unlink(missing_ok=True)
        if self.player is not None:
            self.spoken.append(wav)
            self.player.play(wav)

    def _failed(self, error: Exception) -> None:
        if isinstance(error, OSError | subprocess.SubprocessError):
            log.warning("the ticket was not announced: %s", error)  # the visitor still sees it
        else:
            log.error("announcing failed", exc_info=error)

    def close(self) -> None:
        """Wait for a synthesis in flight, then delete every WAV this voice wrote."""
        if self._background is not None:
            self._background.wait()
        if self.folder.is_dir():
            for wav in self.folder.glob(f"announce-{os.getpid()}-*.wav"):
                wav.unlink(missing_ok=True)
        self._last = None
