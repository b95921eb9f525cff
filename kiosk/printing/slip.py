"""What a queue ticket says: :class:`TicketSlip`, built by the store from its ticket rows.

Plain data with no ReportLab in it, so the store can build one without pulling
in the renderers.  The ID number never reaches the ticket in full: only its last
four characters are kept, and the slip refuses more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

ID_TAIL = 4


@dataclass(frozen=True)
class TicketSlip:
    hall_name: str
    number: str  # e.g. "B012"
    queue_name: str  # e.g. 民生服务综合窗口
    windows: tuple[int, ...]
    issued_at: datetime  # timezone-aware; printed in the kiosk's local time
    people_ahead: int | None = None  # None: not known right now (offline) — said so on the ticket
    wait_minutes: int | None = None  # None: no estimate
    priority: bool = False  # 绿色通道
    submission_code: str | None = None  # the short code, when the visit ended in a submission
    id_tail: str | None = None  # the ID number's last 4 characters, never more
    standalone: bool = False  # a kiosk with no bureau database: no waiting counts, by design

    def __post_init__(self) -> None:
        if self.issued_at.tzinfo is None:
            raise ValueError("issued_at must be timezone-aware")
        if self.id_tail is not None and len(self.id_tail) > ID_TAIL:
            raise ValueError("id_tail holds at most the last 4 characters of the ID number")
        if self.people_ahead is not None and self.people_ahead < 0:
            raise ValueError("people_ahead cannot be negative")
        if self.wait_minutes is not None and self.wait_minutes < 0:
            raise ValueError("wait_minutes cannot be negative")

    @property
    def offline(self) -> bool:
        return self.people_ahead is None

    @property
    def masked_id(self) -> str | None:
        return mask_id_number(self.id_tail) if self.id_tail else None


def id_tail(id_number: str | None) -> str | None:
    """The part of an ID number a ticket may show: its last 4 characters."""
    if not id_number:
        return None
    return id_number.strip()[-ID_TAIL:]


def mask_id_number(id_number: str) -> str:
    """``11010519491231002X`` (or just ``002X``) → ``**************002X``."""
    tail = id_number.strip()[-ID_TAIL:]
    return "*" * 14 + tail


def windows_text(windows: Sequence[int]) -> str:
    """``(3, 4, 5)`` → ``3、4、5``; a long run of windows is written as a range (``1–6``)."""
    ordered = sorted(set(windows))
    if len(ordered) >= 4 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{ordered[0]}–{ordered[-1]}"
    return "、".join(str(w) for w in ordered)


def qr_text(code: str, status_url: str | None) -> str:
    """What a QR code of a submission holds: the status-page URL if the hall has one, else the code.

    ``status_url`` is a pattern with ``{code}`` (``Settings.status_url``); a pattern
    without the placeholder gets the code appended, so a typo in the config still
    yields a code that staff can read.
    """
    if not status_url:
        return code
    if "{code}" in status_url:
        return status_url.replace("{code}", code)
    return status_url + code
