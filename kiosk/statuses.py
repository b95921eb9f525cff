"""What a submission, a ticket, a rating and a print job can be: the hall's fixed words.

Plain ``StrEnum`` values shared by the store (which keeps them as text), the
services and the window; nothing here knows about a database or Qt.
"""

from __future__ import annotations

from enum import StrEnum


class SubmissionStatus(StrEnum):
    """Written by the back office in the bureau database; pulled back for 办件查询."""

    RECEIVED = "received"  # 已收件
    ACCEPTED = "accepted"  # 已受理
    MORE_MATERIALS = "more_materials"  # 需补正材料
    APPROVED = "approved"  # 已办结（准予）
    REJECTED = "rejected"  # 不予受理 / 不予许可
    READY = "ready"  # 可领取


class TicketStatus(StrEnum):
    WAITING = "waiting"
    CALLED = "called"  # called to a window
    DONE = "done"
    NO_SHOW = "no_show"


class Satisfaction(StrEnum):
    """好差评, best first."""

    VERY_SATISFIED = "very_satisfied"  # 非常满意
    SATISFIED = "satisfied"  # 满意
    BASICALLY_SATISFIED = "basically_satisfied"  # 基本满意
    DISSATISFIED = "dissatisfied"  # 不满意
    VERY_DISSATISFIED = "very_dissatisfied"  # 非常不满意

    @property
    def needs_reasons(self) -> bool:
        return self in (Satisfaction.DISSATISFIED, Satisfaction.VERY_DISSATISFIED)


BAD_LEVELS = tuple(level for level in Satisfaction if level.needs_reasons)


class PrintState(StrEnum):
    QUEUED = "queued"
    ACCEPTED = "accepted"  # the printer (or spooler) took the job
    FAILED = "failed"
