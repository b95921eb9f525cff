"""Today's figures for the staff panel: counts per queue and per item, and the ratings.

The service day starts at ``day_reset_hour`` (as ticket numbers do).  One read
session counts everything; open help requests are added by the caller after it
has ended (see :meth:`kiosk.services.staff.StaffServices.today`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from kiosk.catalog import Catalog
from kiosk.catalog.model import Text
from kiosk.queue import TicketBook, ticket_number
from kiosk.services.results import BadRating, DayFigures, Tally
from kiosk.store.models import Rating, Satisfaction, Submission, Ticket

BAD_LEVELS = tuple(level for level in Satisfaction if level.needs_reasons)


def day_figures(session: Session, catalog: Catalog, book: TicketBook, day: date) -> DayFigures:
    """Everything of ``day`` but the help requests (left empty for the caller)."""
    start, end = day_bounds(book, day)
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
        .outerjoin(Ticket, Ticket.id == func.coalesce(Rating.ticket_id, Submission.ticket_id))
        .where(
            Rating.created_at >= start,
            Rating.created_at < end,
            Rating.level.in_([level.value for level in BAD_LEVELS]),
        )
        .order_by(Rating.created_at)
    ).all()
    return DayFigures(
        day=day,
        tickets=tuple(Tally(code, _name(catalog.queues.get(code), code), n) for code, n in tickets),
        submissions=tuple(
            Tally(code, _name(catalog.items.get(code) or catalog.bundles.get(code), code), n)
            for code, n in submissions
        ),
        ratings={level: int(levels.get(level.value, 0)) for level in Satisfaction},
        bad_ratings=tuple(
            BadRating(
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
        help_requests=(),
    )


def day_bounds(book: TicketBook, day: date) -> tuple[datetime, datetime]:
    """When the service day begins and the next begins, in UTC."""
    start = datetime.combine(day, time(book.reset_hour))
    aware = start.replace(tzinfo=book.tz) if book.tz else start.astimezone()
    return aware.astimezone(UTC), (aware + timedelta(days=1)).astimezone(UTC)


def _count_per(
    session: Session,
    key: InstrumentedAttribute[str],
    service_day: InstrumentedAttribute[date],
    day: date,
) -> Sequence[Any]:
    """(key, count) rows of one service day, in key order."""
    return session.execute(
        select(key, func.count()).where(service_day == day).group_by(key).order_by(key)
    ).all()


def _name(entry: Any, code: str) -> Text:
    """A catalog entry's name; the code itself when the catalog no longer has it."""
    return entry.name if entry is not None else Text(zh=code, en=code)
