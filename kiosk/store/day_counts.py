"""Counts of one service day at this kiosk, for the staff panel's "today" page.

Plain rows (codes and numbers); the services put catalog names on them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session, sessionmaker

from kiosk.numbering import ticket_number
from kiosk.statuses import BAD_LEVELS, Satisfaction
from kiosk.store.models import Rating, Submission, Ticket


@dataclass(frozen=True)
class BadRatingRow:
    id: uuid.UUID
    level: Satisfaction
    reasons: tuple[str, ...]
    comment: str | None
    created_at: datetime
    submission_code: str | None
    target_code: str | None
    ticket_number: str | None


@dataclass(frozen=True)
class DayCounts:
    tickets: tuple[tuple[str, int], ...]  # (queue code, count), in code order
    submissions: tuple[tuple[str, int], ...]  # (item or bundle code, count)
    ratings: dict[Satisfaction, int]  # every level, 0 when none
    bad_ratings: tuple[BadRatingRow, ...]  # every 不满意 / 非常不满意, oldest first


class DayCountsReader:
    def __init__(self, sessions: sessionmaker[Session]):
        self._sessions = sessions

    def of(self, day: date, start: datetime, end: datetime) -> DayCounts:
        """Tickets and submissions of service day ``day``; ratings made in [start, end)."""
        with self._sessions() as session:
            tickets = _count_per(session, Ticket.queue, Ticket.service_day, day)
            submissions = _count_per(session, Submission.target_code, Submission.service_day, day)
            levels = dict(
                session.execute(
                    select(Rating.level, func.count())
                    .where(Rating.created_at >= start, Rating.created_at < end)
                    .group_by(Rating.level)
                ).all()
            )
            bad = session.execute(
                select(Rating, Submission.code, Submission.target_code, Ticket.prefix, Ticket.seq)
                .outerjoin(Submission, Submission.id == Rating.submission_id)
                .outerjoin(
                    Ticket, Ticket.id == func.coalesce(Rating.ticket_id, Submission.ticket_id)
                )
                .where(
                    Rating.created_at >= start,
                    Rating.created_at < end,
                    Rating.level.in_([level.value for level in BAD_LEVELS]),
                )
                .order_by(Rating.created_at)
            ).all()
            return DayCounts(
                tickets=tuple((code, int(n)) for code, n in tickets),
                submissions=tuple((code, int(n)) for code, n in submissions),
                ratings={level: int(levels.get(level.value, 0)) for level in Satisfaction},
                bad_ratings=tuple(
                    BadRatingRow(
                        rating.id,
                        Satisfaction(rating.level),
                        tuple(rating.reasons),
                        rating.comment,
                        rating.created_at,
                        code,
                        target,
                        ticket_number(prefix, seq) if prefix is not None else None,
                    )
                    for rating, code, target, prefix, seq in bad
                ),
            )


def _count_per(
    session: Session,
    key: InstrumentedAttribute[str],
    service_day: InstrumentedAttribute[date],
    day: date,
) -> Any:
    """(key, count) rows of one service day, in key order."""
    return session.execute(
        select(key, func.count()).where(service_day == day).group_by(key).order_by(key)
    ).all()
