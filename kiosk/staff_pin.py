"""Guide-staff (导服) entry: the PIN, stored only as a salted scrypt hash, and its lockout.

Five wrong PINs lock entry for five minutes, and a restart does not clear that (the
count is kept in the data dir); staff mode leaves itself after two minutes idle (the
window enforces that with :data:`STAFF_IDLE_SECONDS`).  The clock is passed in so
the lockout is testable without waiting.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.private_files import private_dir, write_private

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
LOCKOUT_SECONDS = 5 * 60
STAFF_IDLE_SECONDS = 2 * 60
_N, _R, _P = 2**14, 8, 1  # scrypt cost: ~50 ms here, fine for a PIN typed by hand


class PinError(ValueError):
    pass


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    """``scrypt$N$r$p$salt$hash`` (base64) — what goes into the config file."""
    # ASCII digits only: the PIN pad has no other (a full-width "１２３４" could never be typed)
    if not (pin.isascii() and pin.isdigit()) or not 4 <= len(pin) <= 12:
        raise PinError("the PIN must be 4–12 digits")
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    encode = base64.b64encode
    return f"scrypt${_N}${_R}${_P}${encode(salt).decode()}${encode(digest).decode()}"


def verify_pin(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest, validate=True)
        actual = hashlib.scrypt(
            pin.encode(),
            salt=base64.b64decode(salt, validate=True),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except (ValueError, TypeError):  # malformed hash in the config: no one gets in
        return False
    return hmac.compare_digest(actual, expected)


def check_pin_hash(stored: str) -> str | None:
    """Why a configured hash is unusable, or None if it is well-formed."""
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        return "pin_hash must look like scrypt$N$r$p$salt$hash (use `kiosk set-pin`)"
    try:
        int(parts[1]), int(parts[2]), int(parts[3])
        base64.b64decode(parts[4], validate=True)
        base64.b64decode(parts[5], validate=True)
    except ValueError:
        return "pin_hash is damaged (use `kiosk set-pin` to set it again)"
    return None


@dataclass
class PinGate:
    """Counts wrong PINs and locks entry after :data:`MAX_ATTEMPTS` for a while.

    With ``state`` (``Settings.staff_lockout_path``) the count and the lockout are kept
    in a 0600 file, so restarting the kiosk (pulling the plug) neither clears a lockout
    nor gives five fresh tries.  The file holds a wall-clock deadline, read back into
    ``clock``'s terms and never for longer than :data:`LOCKOUT_SECONDS`, so a clock
    set back cannot lock staff out for longer.
    """

    pin_hash: str | None
    clock: Callable[[], float] = time.monotonic
    state: Path | None = None
    failures: int = 0
    locked_until: float = field(default=0.0)

    def __post_init__(self) -> None:
        if self.state is not None:
            self._load(self.state)

    def locked_for(self) -> float:
        """Seconds until entry is possible again (0 when open)."""
        return max(0.0, self.locked_until - self.clock())

    def attempt(self, pin: str) -> bool:
        if self.locked_for() > 0:
            return False
        if self.pin_hash is not None and verify_pin(pin, self.pin_hash):
            self.failures = 0
            self._save()
            return True
        self.failures += 1
        if self.failures >= MAX_ATTEMPTS:
            self.failures = 0
            self.locked_until = self.clock() + LOCKOUT_SECONDS
        self._save()
        return False

    # ── kept across restarts ──
    def _load(self, path: Path) -> None:
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
            failures = int(saved.get("failures", 0))
            locked_until_wall = float(saved.get("locked_until", 0.0))
        except FileNotFoundError:
            return
        except (OSError, ValueError, TypeError, AttributeError) as exc:
            # Unreadable or damaged: treat as a fresh lockout rather than as no record.
            log.warning("staff lockout file %s unusable (%s): locking entry", path, exc)
            failures, locked_until_wall = 0, time.time() + LOCKOUT_SECONDS
        left = min(max(0.0, locked_until_wall - time.time()), LOCKOUT_SECONDS)
        self.failures = min(max(failures, 0), MAX_ATTEMPTS - 1)
        self.locked_until = self.clock() + left if left > 0 else 0.0

    def _save(self) -> None:
        if self.state is None:
            return
        left = self.locked_for()
        record = {
            "failures": self.failures,
            "locked_until": time.time() + left if left > 0 else 0.0,
        }
        try:
            private_dir(self.state.parent, tighten=False)
            write_private(self.state, json.dumps(record).encode("utf-8"))
        except OSError as exc:  # the lockout still holds in memory
            log.warning("staff lockout not saved to %s: %s", self.state, exc)
