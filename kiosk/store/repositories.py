"""One repository per aggregate of the local store, each over the same session factory.

Writes that belong together share one transaction: a submission, its ticket
and their outbox rows commit together or not at all.  Nothing here touches
the network; the sync worker (kiosk.sync) reads the outbox and writes back
the statuses it pulls from the bureau.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import null, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from kiosk.codes import new_code, uuid7
from kiosk.kinds import TargetKind
from kiosk.numbering import BAND_STANDALONE, NoTicketNumber, QueueRef, ticket_number
from kiosk.statuses import PrintState, Satisfaction, SubmissionStatus, TicketStatus
from kiosk.store.db import BureauUnavailable
from kiosk.store.gateway import BureauRefused, HolderClaim, RemoteTicket
from kiosk.store.models import (
    AuditEvent,
    HelpRequest,
    KioskState,
    OutboxEntry,
    OutboxKind,
    OutboxState,
    PrintJob,
    Rating,
    Submission,
    Ticket,
)
from kiosk.store.outbox import Outbox
from kiosk.store.payloads import (
    printed_payload,
    rating_payload,
    submission_payload,
    ticket_payload,
    unstorable_text,
)
from kiosk.store.ticket_book import TicketBook
from kiosk.store.types import utcnow
from kiosk.submission import SubmissionDraft

log = logging.getLogger(__name__)

Sessions = sessionmaker[Session]


class RatingInvalid(ValueError):
    """A rating the visitor must complete (e.g. the two lowest levels need a reason)."""


class UnstorableText(ValueError):
    """Text that cannot be stored as UTF-8 (a lone surrogate); ``where`` names the value.

    The validators refuse such input first; this keeps the store whole if one slips past.
    """

    def __init__(self, where: str):
        self.where = where
        super().__init__(f"{where}: text with characters that cannot be stored")


# ── views handed to the UI and the printer: frozen, detached from any session ──
@dataclass(frozen=True)
class TicketView:
    id: uuid.UUID
    number: str
    queue: str
    service_day: date
    issued_at: datetime
    priority: bool
    people_ahead: int | None  # None: issued offline, the slip says so instead of guessing
    wait_minutes: int | None
    status: str
    window: int | None
    printed: bool
    # Numbered by this kiosk alone (no bureau database): nobody can say who is ahead.
    standalone: bool = False

    @property
    def offline(self) -> bool:
        return self.people_ahead is None

    @classmethod
    def of(cls, ticket: Ticket) -> TicketView:
        return cls(
            id=ticket.id,
            number=ticket_number(ticket.prefix, ticket.seq),
            queue=ticket.queue,
            service_day=ticket.service_day,
            issued_at=ticket.issued_at,
            priority=ticket.priority,
            people_ahead=ticket.people_ahead,
            wait_minutes=ticket.wait_minutes,
            status=ticket.status,
            window=ticket.window,
            printed=ticket.printed_at is not None,
            standalone=ticket.band == BAND_STANDALONE,
        )


@dataclass(frozen=True)
class Receipt:
    """What the visitor is told after "submit": durable by the time this exists."""

    submission_id: uuid.UUID
    code: str
    ticket: TicketView | None
    reprint: bool = False  # the holder already had a waiting ticket: offer 补打, no new number
    ticket_problem: str | None = None  # why there is no ticket (numbers used up offline)


@dataclass(frozen=True)
class SubmissionStatusView:
    code: str
    target_code: str
    status: str
    status_changed_at: datetime | None
    created_at: datetime
    ticket_number: str | None


@dataclass(frozen=True)
class SubmissionRecord:
    """A stored submission read back (for 好差评 by code and staff 补打 of its forms)."""

    id: uuid.UUID
    code: str
    target_kind: TargetKind
    target_code: str
    item_codes: tuple[str, ...]
    answers: Mapping[str, Any] | None  # None once purged
    fields: Mapping[str, Any] | None
    ticket_id: uuid.UUID | None


# ── submissions ──
class SubmissionRepository:
    def __init__(self, sessions: Sessions, kiosk_id: str):
        self._sessions = sessions
        self.kiosk_id = kiosk_id

    def submit(
        self,
        draft: SubmissionDraft,
        book: TicketBook,
        now: datetime | None = None,
        *,
        held: RemoteTicket | None = None,
        claim: HolderClaim | None = None,
    ) -> Receipt:
        """Submission + ticket + outbox rows in ONE local transaction; durable on return.

        ``held``: the holder's waiting ticket at another kiosk (the bureau said so); it is
        offered for 补打 instead of a new number.  ``claim``: asked before a new ticket is
        kept (see :func:`_ticket_for`).  Raises UnstorableText before writing.
        """
        now = now or utcnow()
        where = unstorable_text(
            {"answers": draft.answers, "fields": draft.fields, "notice": draft.notice}
        )
        if where is not None:
            raise UnstorableText(where)
        with self._sessions.begin() as session:
            key = book.holder_key(session, draft.holder_id)
            ticket, reprint, problem = _ticket_for(
                session, book, draft.queue, key, draft.priority, now, held, claim
            )
            submission = Submission(
                id=uuid7(),
                code=_unique_code(session),
                kiosk_id=self.kiosk_id,
                target_kind=draft.target_kind,
                target_code=draft.target_code,
                item_codes=list(draft.item_codes),
                catalog_version=draft.catalog_version,
                language=draft.language,
                priority=draft.priority,
                answers=dict(draft.answers),
                fields=dict(draft.fields),
                notice=dict(draft.notice),
                ticket_id=ticket.id if ticket is not None else None,
                service_day=book.day(now),
                status=SubmissionStatus.RECEIVED.value,
                created_at=now,
            )
            session.add(submission)
            if ticket is not None and not reprint:
                Outbox.add(session, OutboxKind.TICKET, ticket.id, ticket_payload(ticket))
            Outbox.add(
                session, OutboxKind.SUBMISSION, submission.id, submission_payload(submission)
            )
            receipt = Receipt(
                submission.id,
                submission.code,
                TicketView.of(ticket) if ticket is not None else None,
                reprint,
                problem,
            )
        return receipt

    def status(self, code: str) -> SubmissionStatusView | None:
        with self._sessions() as session:
            submission = session.scalars(select(Submission).where(Submission.code == code)).first()
            if submission is None:
                return None
            ticket = submission.ticket
            return SubmissionStatusView(
                submission.code,
                submission.target_code,
                submission.status,
                submission.status_changed_at,
                submission.created_at,
                ticket_number(ticket.prefix, ticket.seq) if ticket else None,
            )

    def record(self, code: str) -> SubmissionRecord | None:
        """The submission with this (normalised) code at this kiosk, or None."""
        with self._sessions() as session:
            row = session.scalars(select(Submission).where(Submission.code == code)).first()
            if row is None:
                return None
            return SubmissionRecord(
                row.id,
                row.code,
                TargetKind(row.target_kind),
                row.target_code,
                tuple(row.item_codes),
                row.answers,
                row.fields,
                row.ticket_id,
            )

    def apply_statuses(self, changes: Iterable[tuple[uuid.UUID, str, datetime]]) -> int:
        """Statuses pulled from the bureau; returns how many rows changed."""
        changed = 0
        with self._sessions.begin() as session:
            for submission_id, status, at in changes:
                result = session.execute(
                    update(Submission)
                    .where(
                        Submission.id == submission_id,
                        or_(Submission.status != status, Submission.status_changed_at.is_(None)),
                    )
                    .values(status=status, status_changed_at=at)
                )
                changed += result.rowcount or 0  # type: ignore[attr-defined]
        return changed

    def ids_for_day(self, day: date | None) -> set[uuid.UUID]:
        with self._sessions() as session:
            query = select(Submission.id)
            if day is not None:
                query = query.where(Submission.service_day == day)
            return set(session.scalars(query))

    def purge_synced(
        self, retention_days: int, now: datetime | None = None, today: date | None = None
    ) -> int:
        """Forget personal data ``retention_days`` after the bureau confirmed it; audited.

        Submissions lose their answers, fields and notice; rating comments go; every
        confirmed outbox payload older than the cutoff goes (they repeat the same data);
        holder keys go once their service day is over (they only serve "one waiting
        ticket per person and day").  Returns the number of submissions purged.
        """
        now = now or utcnow()
        today = today or (now - timedelta(days=1)).date()  # the service day, when known
        cutoff = now - timedelta(days=retention_days)
        confirmed_before = (
            OutboxEntry.state == OutboxState.SYNCED.value,
            OutboxEntry.synced_at < cutoff,
        )
        with self._sessions.begin() as session:
            confirmed = (
                select(OutboxEntry.entity_id)
                .where(OutboxEntry.kind == OutboxKind.SUBMISSION.value, *confirmed_before)
                .scalar_subquery()
            )
            submissions = session.scalars(
                select(Submission).where(
                    Submission.purged_at.is_(None), Submission.id.in_(confirmed)
                )
            ).all()
            ids = [s.id for s in submissions]
            for submission in submissions:
                submission.answers = None
                submission.fields = None
                submission.notice = None
                submission.purged_at = now
            ratings = session.scalars(
                select(Rating)
                .join(OutboxEntry, OutboxEntry.entity_id == Rating.id)
                .where(*confirmed_before, Rating.comment.is_not(None))
            ).all()
            for rating in ratings:
                rating.comment = None
            payloads = session.execute(
                update(OutboxEntry)
                .where(*confirmed_before, OutboxEntry.payload.is_not(None))
                .values(payload=null())  # SQL NULL: a JSON null would still be IS NOT NULL
            ).rowcount  # type: ignore[attr-defined]
            ticket_ids = [s.ticket_id for s in submissions if s.ticket_id is not None]
            keys = session.execute(
                update(Ticket)
                .where(
                    Ticket.holder_key.is_not(None),
                    or_(Ticket.service_day < today, Ticket.id.in_(ticket_ids)),
                )
                .values(holder_key=None)
            ).rowcount  # type: ignore[attr-defined]
            if ids or ratings or payloads or keys:
                session.add(
                    AuditEvent(
                        id=uuid7(),
                        at=now,
                        actor="system",
                        action="retention_purge",
                        subject=None,
                        detail={
                            "submissions": len(ids),
                            "rating_comments": len(ratings),
                            "outbox_payloads": int(payloads or 0),
                            "holder_keys": int(keys or 0),
                            "retention_days": retention_days,
                            "cutoff": cutoff.isoformat(),
                            "codes": [s.code for s in submissions][:1000],
                        },
                    )
                )
        return len(ids)


def _unique_code(session: Session) -> str:
    while True:
        code = new_code()
        if session.scalar(select(Submission.id).where(Submission.code == code)) is None:
            return code


def _ticket_for(
    session: Session,
    book: TicketBook,
    queue: QueueRef,
    key: str | None,
    priority: bool,
    now: datetime,
    held: RemoteTicket | None,
    claim: HolderClaim | None = None,
) -> tuple[Ticket | None, bool, str | None]:
    """(ticket, is a 补打 offer, why there is none): the holder's waiting ticket here or at
    another kiosk, else a new number.

    ``claim`` (online, with an ID number): the new ticket is claimed at the bureau before
    the local transaction commits; should another kiosk's ticket keep the claim, the new
    one is rolled back (its number is not used) and that ticket is offered for 补打.  A
    copy of another kiosk's ticket adopted here earlier is not trusted then (its status
    is not pulled): the claim says whether it still waits.  Should the bureau not answer,
    the rule holds per kiosk, as offline."""
    waiting = book.waiting_ticket(session, queue, key, now)
    if waiting is not None and (claim is None or waiting.kiosk_id == book.kiosk_id):
        return waiting, True, None
    if held is not None and held.queue == queue.code:
        return _adopt(session, held), True, None
    try:
        with session.begin_nested():
            ticket = book.issue(session, queue, key=key, priority=priority, now=now)
            if claim is not None and key is not None:
                try:
                    held = claim(_as_remote(ticket))
                except (BureauUnavailable, BureauRefused) as exc:
                    log.info("ticket claim skipped, bureau unreachable: %s", exc)
                    if waiting is not None:
                        raise _ClaimedElsewhere(None) from exc
                    held = None
                if held is not None:
                    raise _ClaimedElsewhere(held)
        return ticket, False, None
    except NoTicketNumber as exc:
        return None, False, str(exc)
    except _ClaimedElsewhere as lost:
        book.unissued(ticket.queue, ticket.service_day)
        if lost.held is None:
            assert waiting is not None
            return waiting, True, None
        return _adopt(session, lost.held), True, None


class _ClaimedElsewhere(Exception):
    """Rolls the savepoint of a new ticket back: another kiosk's ticket keeps the claim
    (``held``), or, the bureau silent, the copy already here does (None)."""

    def __init__(self, held: RemoteTicket | None):
        super().__init__(held.id if held is not None else None)
        self.held = held


def _as_remote(ticket: Ticket) -> RemoteTicket:
    return RemoteTicket(
        id=ticket.id,
        queue=ticket.queue,
        prefix=ticket.prefix,
        seq=ticket.seq,
        service_day=ticket.service_day,
        kiosk_id=ticket.kiosk_id,
        band=ticket.band,
        priority=ticket.priority,
        issued_at=ticket.issued_at,
        holder_key=ticket.holder_key,
    )


def _adopt(session: Session, held: RemoteTicket) -> Ticket:
    """A copy of another kiosk's ticket, so staff and the visitor can reprint it here.

    No outbox row: the bureau already has it (and its own kiosk sends its statuses)."""
    ticket = session.get(Ticket, held.id)
    if ticket is None:
        ticket = Ticket(
            id=held.id,
            queue=held.queue,
            prefix=held.prefix,
            seq=held.seq,
            service_day=held.service_day,
            kiosk_id=held.kiosk_id,
            band=held.band,
            priority=held.priority,
            holder_key=held.holder_key,
            people_ahead=None,
            wait_minutes=None,
            status=TicketStatus.WAITING.value,
            issued_at=held.issued_at,
            printed_at=held.issued_at,  # it was issued (and counted) at its own kiosk
        )
        session.add(ticket)
        session.flush()
    return ticket


# ── tickets ──
class TicketRepository:
    def __init__(self, sessions: Sessions):
        self._sessions = sessions

    def issue(
        self,
        queue: QueueRef,
        book: TicketBook,
        *,
        holder_id: str | None = None,
        priority: bool = False,
        now: datetime | None = None,
        held: RemoteTicket | None = None,
        claim: HolderClaim | None = None,
    ) -> tuple[TicketView, bool]:
        """A ticket without a submission (e.g. to collect a result); (ticket, is_reprint).

        ``held``: the holder's waiting ticket at another kiosk, offered for 补打.
        ``claim``: the bureau's claim, asked before a new ticket is kept (_ticket_for).
        Raises NoTicketNumber when numbers are used up offline.
        """
        now = now or utcnow()
        with self._sessions.begin() as session:
            key = book.holder_key(session, holder_id)
            ticket, reprint, problem = _ticket_for(
                session, book, queue, key, priority, now, held, claim
            )
            if ticket is None:
                raise NoTicketNumber(problem or "no ticket number")
            if not reprint:
                Outbox.add(session, OutboxKind.TICKET, ticket.id, ticket_payload(ticket))
            return TicketView.of(ticket), reprint

    def ids_of(self, kiosk_id: str, day: date | None) -> set[uuid.UUID]:
        """The tickets this kiosk issued (one day, or all): not the ones adopted for 补打."""
        with self._sessions() as session:
            query = select(Ticket.id).where(Ticket.kiosk_id == kiosk_id)
            if day is not None:
                query = query.where(Ticket.service_day == day)
            return set(session.scalars(query))

    def by_number(self, prefix: str, seq: int, day: date) -> uuid.UUID | None:
        """The ticket with this number on ``day`` at this kiosk (the newest, should two
        queues share a prefix)."""
        with self._sessions() as session:
            return session.scalar(
                select(Ticket.id)
                .where(Ticket.prefix == prefix, Ticket.seq == seq, Ticket.service_day == day)
                .order_by(Ticket.issued_at.desc())
                .limit(1)
            )

    def get(self, ticket_id: uuid.UUID) -> TicketView | None:
        with self._sessions() as session:
            ticket = session.get(Ticket, ticket_id)
            return TicketView.of(ticket) if ticket is not None else None

    def mark_printed(self, ticket_id: uuid.UUID, at: datetime | None = None) -> None:
        """The printer accepted the ticket: it now counts as issued (first print only)."""
        with self._sessions.begin() as session:
            _mark_printed(session, ticket_id, at or utcnow())

    def apply_statuses(
        self, changes: Iterable[tuple[uuid.UUID, str, int | None, datetime | None, datetime | None]]
    ) -> int:
        """(id, status, window, called_at, done_at) pulled from the bureau."""
        changed = 0
        with self._sessions.begin() as session:
            for ticket_id, status, window, called_at, done_at in changes:
                ticket = session.get(Ticket, ticket_id)
                if ticket is None or (ticket.status, ticket.window) == (status, window):
                    continue
                ticket.status = status
                ticket.window = window
                ticket.called_at = called_at
                ticket.done_at = done_at
                ticket.status_changed_at = utcnow()
                changed += 1
        return changed


def _mark_printed(session: Session, ticket_id: uuid.UUID, at: datetime) -> None:
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise KeyError(ticket_id)
    if ticket.printed_at is None:
        ticket.printed_at = at
        Outbox.add(session, OutboxKind.TICKET_PRINTED, ticket_id, printed_payload(ticket_id, at))


# ── print jobs ──
class PrintJobRepository:
    def __init__(self, sessions: Sessions):
        self._sessions = sessions

    def record(
        self, document: str, subject_id: uuid.UUID | None, printer: str, *, reprint: bool = False
    ) -> uuid.UUID:
        job_id = uuid7()
        with self._sessions.begin() as session:
            now = utcnow()
            session.add(
                PrintJob(
                    id=job_id,
                    document=document,
                    subject_id=subject_id,
                    printer=printer,
                    state=PrintState.QUEUED.value,
                    reprint=reprint,
                    created_at=now,
                    updated_at=now,
                )
            )
        return job_id

    def accepted(self, job_id: uuid.UUID) -> None:
        """The printer took the job; a ticket job marks its ticket printed in the same commit."""
        with self._sessions.begin() as session:
            job = session.get(PrintJob, job_id)
            if job is None:
                raise KeyError(job_id)
            job.state = PrintState.ACCEPTED.value
            job.updated_at = utcnow()
            if job.document == "ticket" and job.subject_id is not None:
                _mark_printed(session, job.subject_id, job.updated_at)

    def failed(self, job_id: uuid.UUID, error: str) -> None:
        with self._sessions.begin() as session:
            job = session.get(PrintJob, job_id)
            if job is None:
                raise KeyError(job_id)
            job.state = PrintState.FAILED.value
            job.error = error[:2000]
            job.updated_at = utcnow()

    def failed_jobs(self) -> list[tuple[uuid.UUID, str, str | None]]:
        with self._sessions() as session:
            rows = session.execute(
                select(PrintJob.id, PrintJob.document, PrintJob.error)
                .where(PrintJob.state == PrintState.FAILED.value)
                .order_by(PrintJob.id)
            ).all()
            return [(r.id, r.document, r.error) for r in rows]


# ── ratings ──
class RatingRepository:
    def __init__(self, sessions: Sessions, kiosk_id: str):
        self._sessions = sessions
        self.kiosk_id = kiosk_id

    def rate(
        self,
        level: Satisfaction,
        *,
        submission_id: uuid.UUID | None = None,
        ticket_id: uuid.UUID | None = None,
        reasons: Sequence[str] = (),
        comment: str | None = None,
    ) -> uuid.UUID:
        level = Satisfaction(level)
        reasons = [r.strip() for r in reasons if r.strip()]
        if level.needs_reasons and not reasons:
            raise RatingInvalid(f"a rating of {level.value} needs at least one reason")
        if submission_id is None and ticket_id is None:
            raise RatingInvalid("a rating belongs to a ticket or a submission")
        where = unstorable_text({"reasons": reasons, "comment": comment})
        if where is not None:
            raise UnstorableText(where)
        with self._sessions.begin() as session:
            rating = Rating(
                id=uuid7(),
                submission_id=submission_id,
                ticket_id=ticket_id,
                kiosk_id=self.kiosk_id,
                level=level.value,
                reasons=reasons,
                comment=(comment or "").strip() or None,
                created_at=utcnow(),
            )
            session.add(rating)
            Outbox.add(session, OutboxKind.RATING, rating.id, rating_payload(rating))
            return rating.id


# ── small facts the kiosk keeps (sync watermark …) ──
class KioskFacts:
    def __init__(self, sessions: Sessions):
        self._sessions = sessions

    def get(self, key: str) -> str | None:
        with self._sessions() as session:
            row = session.get(KioskState, key)
            return row.value if row is not None else None

    def set(self, key: str, value: str) -> None:
        with self._sessions.begin() as session:
            session.merge(KioskState(key=key, value=value))


# ── audit ──
class AuditLog:
    def __init__(self, sessions: Sessions):
        self._sessions = sessions

    def record(
        self, actor: str, action: str, subject: str | None = None, **detail: Any
    ) -> uuid.UUID:
        event_id = uuid7()
        with self._sessions.begin() as session:
            session.add(
                AuditEvent(
                    id=event_id,
                    at=utcnow(),
                    actor=actor,
                    action=action,
                    subject=subject,
                    detail=detail,
                )
            )
        return event_id

    def recent(self, limit: int = 100, action: str | None = None) -> list[AuditEvent]:
        with self._sessions() as session:
            query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
            if action is not None:
                query = query.where(AuditEvent.action == action)
            return list(session.scalars(query))


# ── help requests (呼叫导服) ──
@dataclass(frozen=True)
class HelpRequestView:
    id: uuid.UUID
    screen: str
    language: str
    requested_at: datetime
    closed_at: datetime | None = None
    closed_by: str | None = None

    @property
    def open(self) -> bool:
        return self.closed_at is None

    @classmethod
    def of(cls, row: HelpRequest) -> HelpRequestView:
        return cls(row.id, row.screen, row.language, row.requested_at, row.closed_at, row.closed_by)


class HelpRequestRepository:
    def __init__(self, sessions: Sessions, kiosk_id: str):
        self._sessions = sessions
        self.kiosk_id = kiosk_id

    def request(self, screen: str, language: str, at: datetime | None = None) -> HelpRequestView:
        with self._sessions.begin() as session:
            row = HelpRequest(
                id=uuid7(),
                kiosk_id=self.kiosk_id,
                screen=screen[:64],
                language=language[:2],
                requested_at=at or utcnow(),
                closed_at=None,
                closed_by=None,
            )
            session.add(row)
            return HelpRequestView.of(row)

    def open(self) -> list[HelpRequestView]:
        """Requests nobody has closed yet, oldest first."""
        with self._sessions() as session:
            rows = session.scalars(
                select(HelpRequest)
                .where(HelpRequest.closed_at.is_(None))
                .order_by(HelpRequest.requested_at, HelpRequest.id)
            ).all()
            return [HelpRequestView.of(r) for r in rows]

    def close(self, request_id: uuid.UUID, actor: str = "staff") -> HelpRequestView | None:
        """Mark a request done, audited in the same commit; None if there is no such request.

        Closing one that is already closed changes nothing (two guides may tap "done").
        """
        with self._sessions.begin() as session:
            row = session.get(HelpRequest, request_id)
            if row is None:
                return None
            if row.closed_at is None:
                row.closed_at = utcnow()
                row.closed_by = actor[:64]
                session.add(
                    AuditEvent(
                        id=uuid7(),
                        at=row.closed_at,
                        actor=actor[:64],
                        action="close_help_request",
                        subject=str(request_id),
                        detail={"screen": row.screen},
                    )
                )
            return HelpRequestView.of(row)
