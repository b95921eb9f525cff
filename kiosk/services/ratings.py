"""好差评: a rating of a submission (by id or code) or a ticket, with reasons for the two lowest.

A rating's own words are checked like form text (length, control characters, and what
else the form validators refuse); the reasons offered are short texts.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from kiosk.catalog.model import FieldType, FormField, Text
from kiosk.codes import normalise_code
from kiosk.forms.validators import Invalid, normalise
from kiosk.services.messages import REASONS_NEEDED, UNKNOWN_CODE, UNSTORABLE_TEXT
from kiosk.services.results import RatingIncomplete, SavedRating, store_errors
from kiosk.statuses import Satisfaction
from kiosk.store.local import LocalStore
from kiosk.store.repositories import UnstorableText

COMMENT_FIELD = FormField(
    id="rating_comment",
    type=FieldType.LONG_TEXT,
    label=Text(zh="意见和建议", en="Comments"),
    required=False,
    max_length=500,
    example="等候区座位不够",
)
REASON_FIELD = FormField(
    id="rating_reason",
    type=FieldType.TEXT,
    label=Text(zh="不满意原因", en="Reason"),
    required=False,
    max_length=100,
    example="等候时间太长",
)


class Ratings:
    def __init__(self, store: LocalStore):
        self.store = store

    def rate(
        self,
        level: Satisfaction,
        reasons: Sequence[str] = (),
        *,
        submission_id: uuid.UUID | None = None,
        ticket_id: uuid.UUID | None = None,
        code: str | None = None,
        comment: str | None = None,
    ) -> SavedRating:
        """Save a rating of a submission (by id or code) or a ticket.

        Raises :class:`RatingIncomplete` (with a zh/en message) when a 不满意 /
        非常不满意 rating has no reason or ``code`` is unknown at this kiosk.
        """
        level = Satisfaction(level)
        try:
            cleaned = tuple(normalise(REASON_FIELD, r) for r in reasons if r.strip())
            comment = normalise(COMMENT_FIELD, comment) if comment and comment.strip() else None
        except Invalid as exc:
            raise RatingIncomplete(exc.message, f"rating text refused: {exc}") from exc
        if level.needs_reasons and not cleaned:
            raise RatingIncomplete(REASONS_NEEDED, f"a rating of {level.value} needs a reason")
        if code is not None:
            normal = normalise_code(code)
            with store_errors(self.store):
                record = self.store.submissions.record(normal) if normal else None
            if record is None:
                raise RatingIncomplete(UNKNOWN_CODE, f"no submission {code!r} at this kiosk")
            submission_id = record.id
            ticket_id = ticket_id or record.ticket_id
        if submission_id is None and ticket_id is None:
            raise ValueError("a rating belongs to a submission or a ticket")
        try:
            with store_errors(self.store):
                rating_id = self.store.ratings.rate(
                    level,
                    submission_id=submission_id,
                    ticket_id=ticket_id,
                    reasons=cleaned,
                    comment=comment,
                )
        except UnstorableText as exc:
            raise RatingIncomplete(UNSTORABLE_TEXT, str(exc)) from exc
        return SavedRating(rating_id, level, cleaned, submission_id, ticket_id)
