"""Today's figures for the staff panel: counts per queue and per item, and the ratings.

The service day starts at ``day_reset_hour`` (as ticket numbers do).  The store
counts (:class:`kiosk.store.day_counts.DayCountsReader`); this puts the
catalog's names on the codes.  Open help requests are added by the caller.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from kiosk.catalog import Catalog
from kiosk.catalog.model import Text
from kiosk.services.results import BadRating, DayFigures, Tally
from kiosk.store.day_counts import DayCounts
from kiosk.store.ticket_book import TicketBook


def day_figures(counts: DayCounts, catalog: Catalog, day: date) -> DayFigures:
    """Everything of ``day`` but the help requests (left empty for the caller)."""
    return DayFigures(
        day=day,
        tickets=tuple(
            Tally(code, _name(catalog.queues.get(code), code), n) for code, n in counts.tickets
        ),
        submissions=tuple(
            Tally(code, _name(catalog.items.get(code) or catalog.bundles.get(code), code), n)
            for code, n in counts.submissions
        ),
        ratings=dict(counts.ratings),
        bad_ratings=tuple(
            BadRating(
                row.id,
                row.level,
                row.reasons,
                row.comment,
                row.created_at,
                row.submission_code,
                row.target_code,
                row.ticket_number,
            )
            for row in counts.bad_ratings
        ),
        help_requests=(),
    )


def day_bounds(book: TicketBook, day: date) -> tuple[datetime, datetime]:
    """When the service day begins and the next begins, in UTC."""
    start = datetime.combine(day, time(book.reset_hour))
    aware = start.replace(tzinfo=book.tz) if book.tz else start.astimezone()
    return aware.astimezone(UTC), (aware + timedelta(days=1)).astimezone(UTC)


def _name(entry: Any, code: str) -> Text:
    """A catalog entry's name; the code itself when the catalog no longer has it."""
    return entry.name if entry is not None else Text(zh=code, en=code)
