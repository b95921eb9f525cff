"""Ticket numbering: prefixes, the daily reset, the bands, and what a number means.

The rules only — the local store hands numbers out of its blocks
(:mod:`kiosk.store.ticket_book`) and the bureau gateway leases blocks
(:mod:`kiosk.store.gateway`).  The scheme (also in the README):

* A ticket number is the queue's prefix and three digits, ``A001``–``A999``,
  counted per queue and *service day*.  The service day starts at
  ``day_reset_hour`` local time, so with ``day_reset_hour = 4`` a ticket taken
  at 02:00 still belongs to the day before.
* **Regular band 001–899.**  The bureau database keeps one counter row per
  queue and service day.  A kiosk leases a *block* of numbers at a time under
  the counter's row lock; two kiosks never hold overlapping blocks.  Kiosks
  lease the next block in the background while half of the current one is
  left, so a kiosk keeps issuing from its blocks while the bureau is down.
* **Fallback band 900–999.**  The first time a kiosk reaches the bureau it is
  given a kiosk index 0, 1, 2 ….  Kiosk *k* (k ≤ 9) owns ``9k0``–``9k9`` of
  every queue and day: ten numbers it may hand out, without asking anyone,
  when its leased blocks run out while the bureau is unreachable.  A kiosk
  with index 10 or more, or that has never reached the bureau, has no
  fallback slice: the visitor is sent to the guide desk (the submission itself
  is still saved).
* **Standalone, with no bureau database** (``bureau_url`` unset): the kiosk
  numbers tickets itself, one local block of 001–999 per queue and day (band
  ``"local"``).  A kiosk that later joins a bureau on the same day never hands
  out the rest of that block, and its first lease starts past the numbers it
  already issued (:func:`lease_floor`).
* Numbers are unique, not consecutive: windows call tickets in issue order
  (priority tickets first), not by number.
* People ahead and the wait are shown only when the waiting counts are fresh.
* One waiting ticket per ID number per queue and day.  The store keeps only a
  keyed hash of the ID number (:func:`holder_key`, HMAC-SHA256 with the hall's
  secret), never the number itself.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

REGULAR_FIRST = 1
REGULAR_LAST = 899
FALLBACK_FIRST = 900
FALLBACK_SLICE = 10  # numbers per kiosk index in the fallback band
FALLBACK_KIOSKS = 10  # kiosk indexes 0–9 have a fallback slice
OUTLOOK_FRESH_S = 60.0  # waiting counts older than this are not shown to visitors

STANDALONE_FIRST = 1
STANDALONE_LAST = 999

BAND_LEASE = "lease"
BAND_FALLBACK = "fallback"
# Numbered by a kiosk with no bureau database.  At most 8 characters: ``band`` is a
# String(8) in both the local and the bureau schema.
BAND_STANDALONE = "local"


class NoTicketNumber(Exception):
    """No number left to hand out: offline with blocks and fallback slice used up, or
    standalone with 001–999 used up for the day. Known error."""


@dataclass(frozen=True)
class QueueRef:
    """What numbering needs to know about a queue (a catalog ``Queue`` fits)."""

    code: str
    prefix: str
    minutes_per_visitor: int = 8
    windows: int = 1
    priority: bool = False

    @classmethod
    def of(cls, queue: Any) -> QueueRef:
        """From a catalog ``Queue``."""
        return cls(
            code=queue.code,
            prefix=queue.prefix,
            minutes_per_visitor=queue.minutes_per_visitor,
            windows=max(1, len(queue.windows)),
            priority=queue.priority,
        )


def queues_of(catalog: Any) -> list[QueueRef]:
    """The catalog's queues as numbering needs them."""
    return [QueueRef.of(q) for q in catalog.queues.values()]


@dataclass(frozen=True)
class Lease:
    """A block of regular-band numbers the bureau handed to one kiosk."""

    id: Any  # uuid.UUID
    queue: str
    service_day: date
    first: int
    last: int


def service_day(now: datetime, reset_hour: int, tz: tzinfo | None = None) -> date:
    """The service day a moment belongs to: the local date, shifted back by the reset hour."""
    return (now.astimezone(tz) - timedelta(hours=reset_hour)).date()


def ticket_number(prefix: str, seq: int) -> str:
    return f"{prefix}{seq:03d}"


def fallback_slice(kiosk_index: int | None) -> tuple[int, int] | None:
    """The first and last fallback number of a kiosk index, or None when it has none."""
    if kiosk_index is None or not 0 <= kiosk_index < FALLBACK_KIOSKS:
        return None
    first = FALLBACK_FIRST + kiosk_index * FALLBACK_SLICE
    return first, first + FALLBACK_SLICE - 1


def lease_floor(highest_issued: int | None) -> int:
    """The lowest number a new lease may start at, given the highest this kiosk already
    issued from its own (standalone or leased) blocks today: never one it handed out."""
    return max(REGULAR_FIRST, (highest_issued or 0) + 1)


def estimate_wait(people_ahead: int, queue: QueueRef) -> int:
    """Minutes, rounded up: the people ahead shared over the queue's windows."""
    return math.ceil(people_ahead * queue.minutes_per_visitor / max(1, queue.windows))


def holder_key(id_number: str | None, secret: bytes | None) -> str | None:
    """What the store keeps to find a holder's waiting ticket: an HMAC of the ID number
    with the hall's secret (a plain hash of an ID number is recovered in milliseconds from
    its region and birth date).  None without an ID number or without a secret."""
    if not id_number or not secret:
        return None
    message = f"ticket-holder:{id_number.strip().upper()}".encode("utf-8", "surrogatepass")
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


class QueueOutlook:
    """Waiting counts per queue and day, as last pulled from the bureau (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: dict[tuple[str, date], int] = {}
        self._fetched_at: datetime | None = None

    def update(self, waiting: Mapping[tuple[str, date], int], at: datetime) -> None:
        with self._lock:
            self._waiting = dict(waiting)
            self._fetched_at = at

    def snapshot(self, queue: str, day: date, now: datetime) -> tuple[int, datetime] | None:
        """(waiting, fetched_at) when the counts are fresh; None means "offline, don't guess"."""
        with self._lock:
            fetched = self._fetched_at
            if fetched is None or (now - fetched).total_seconds() > OUTLOOK_FRESH_S:
                return None
            return self._waiting.get((queue, day), 0), fetched
