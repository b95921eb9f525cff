"""Client-made identifiers: UUIDv7 keys and the short human codes of submissions.

Python 3.11 has no ``uuid.uuid7``; this is RFC 9562 §5.7 with the 12-bit
``rand_a`` field used as a per-process counter, so ids made in one process in
the same millisecond still sort in creation order (the outbox drains by id).
Human codes use an alphabet without 0/O/1/I so a visitor can read one aloud
or type it for 办件查询 without ambiguity.
"""

from __future__ import annotations

import os
import secrets
import threading
import time
import uuid

# 32 symbols: digits 2–9 and A–Z without I and O (0/O and 1/I are easily confused).
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
# 10 symbols = 50 bits: for ten million submissions in one bureau database the chance of
# any two codes colliding is about 4 %; the bureau's unique index catches that rare case.
CODE_LENGTH = 10

_lock = threading.Lock()
_last_ms = 0
_counter = 0


def uuid7() -> uuid.UUID:
    """A new UUIDv7: 48-bit Unix milliseconds, a 12-bit counter, 62 random bits."""
    global _last_ms, _counter
    with _lock:
        ms = time.time_ns() // 1_000_000
        if ms > _last_ms:
            _last_ms = ms
            _counter = secrets.randbits(11)  # random start, room to count up within the ms
        else:
            _counter += 1
            if _counter > 0xFFF:  # more than ~2000 ids in one ms: borrow the next ms
                _last_ms += 1
                _counter = 0
            ms = _last_ms
        counter = _counter
    rand_b = int.from_bytes(os.urandom(8)) & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76 | counter << 64
    value |= 0b10 << 62 | rand_b
    return uuid.UUID(int=value)


def uuid7_time_ms(value: uuid.UUID) -> int:
    """The Unix milliseconds a UUIDv7 was made at."""
    return value.int >> 80


def new_code() -> str:
    """A random short human code, e.g. ``K7QXM3P9RT``."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """For print and screen: two groups of five, ``K7QXM-3P9RT``."""
    return f"{code[:5]}-{code[5:]}" if len(code) == CODE_LENGTH else code


def normalise_code(typed: str) -> str | None:
    """What a visitor typed → the stored code (case, spaces and dashes forgiven), or None."""
    cleaned = typed.upper().replace("-", "").replace(" ", "")
    if len(cleaned) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in cleaned):
        return None
    return cleaned
