"""The local store's tables: what one kiosk keeps, durable before the visitor is told.

Submission, Ticket, Rating, PrintJob, AuditEvent, HelpRequest, the Outbox that the sync
worker drains, and the ticket-number blocks leased from the bureau.  Every key
is a client-made UUIDv7 and every timestamp a timezone-aware UTC datetime.
The same models run on SQLite (the embedded default) and PostgreSQL.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any, ClassVar, cast

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from kiosk.codes import uuid7
from kiosk.statuses import PrintState, Satisfaction, SubmissionStatus, TicketStatus
from kiosk.store.types import UTCDateTime, utcnow

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class OutboxState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # picked for a batch; resent if the kiosk dies before "synced"
    SYNCED = "synced"  # the bureau committed it
    QUARANTINED = "quarantined"  # conflicts with what the bureau has; staff must look


class OutboxKind(StrEnum):
    SUBMISSION = "submission"
    TICKET = "ticket"
    RATING = "rating"
    TICKET_PRINTED = "ticket_printed"


def table_of(model: type[Any]) -> Table:
    """A model's Core table, typed as a Table (``__table__`` is typed as a FromClause)."""
    return cast(Table, model.__table__)


def enum_list(enum: type[StrEnum]) -> str:
    return ", ".join(f"'{member.value}'" for member in enum)


class LocalBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON,
        uuid.UUID: Uuid,
    }


class Ticket(LocalBase):
    __tablename__ = "ticket"
    __table_args__ = (
        UniqueConstraint("queue", "service_day", "seq", name="uq_ticket_number"),
        CheckConstraint(f"status IN ({enum_list(TicketStatus)})", name="status"),
        Index("ix_ticket_holder", "holder_key", "queue", "service_day"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    queue: Mapped[str] = mapped_column(String(64))
    prefix: Mapped[str] = mapped_column(String(1))
    seq: Mapped[int] = mapped_column(Integer)  # 1–999; shown as prefix + 3 digits
    service_day: Mapped[date] = mapped_column(Date)
    kiosk_id: Mapped[str] = mapped_column(String(64))
    band: Mapped[str] = mapped_column(String(8))  # "lease", "fallback", "local" (numbering)
    priority: Mapped[bool] = mapped_column(Boolean, default=False)
    # HMAC of the holder's ID number (kiosk.numbering.holder_key): finds their waiting ticket
    # for 补打; purged once the service day is over
    holder_key: Mapped[str | None] = mapped_column(String(64))
    people_ahead: Mapped[int | None] = mapped_column(Integer)  # None: issued offline
    wait_minutes: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default=TicketStatus.WAITING.value)
    window: Mapped[int | None] = mapped_column(Integer)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    printed_at: Mapped[datetime | None]
    called_at: Mapped[datetime | None]
    done_at: Mapped[datetime | None]
    status_changed_at: Mapped[datetime | None]

    submissions: Mapped[list[Submission]] = relationship(back_populates="ticket")

    @property
    def number(self) -> str:
        return f"{self.prefix}{self.seq:03d}"


class Submission(LocalBase):
    __tablename__ = "submission"
    __table_args__ = (
        CheckConstraint(f"status IN ({enum_list(SubmissionStatus)})", name="status"),
        CheckConstraint("target_kind IN ('item', 'bundle')", name="target_kind"),
        Index("ix_submission_day", "service_day"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    kiosk_id: Mapped[str] = mapped_column(String(64))
    target_kind: Mapped[str] = mapped_column(String(8))
    target_code: Mapped[str] = mapped_column(String(64))
    item_codes: Mapped[list[str]] = mapped_column(JSON)
    catalog_version: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(2))
    priority: Mapped[bool] = mapped_column(Boolean, default=False)
    # Personal data: set to None by the retention purge once the bureau has confirmed it.
    answers: Mapped[dict[str, Any] | None]
    fields: Mapped[dict[str, Any] | None]
    notice: Mapped[dict[str, Any] | None]
    ticket_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("ticket.id"))
    service_day: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=SubmissionStatus.RECEIVED.value)
    status_changed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    purged_at: Mapped[datetime | None]

    ticket: Mapped[Ticket | None] = relationship(back_populates="submissions")


class Rating(LocalBase):
    """好差评 for one service: five levels, reasons required for the two lowest."""

    __tablename__ = "rating"
    __table_args__ = (
        CheckConstraint(f"level IN ({enum_list(Satisfaction)})", name="level"),
        CheckConstraint("submission_id IS NOT NULL OR ticket_id IS NOT NULL", name="linked"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    submission_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("submission.id"))
    ticket_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("ticket.id"))
    kiosk_id: Mapped[str] = mapped_column(String(64))
    level: Mapped[str] = mapped_column(String(24))
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PrintJob(LocalBase):
    __tablename__ = "print_job"
    __table_args__ = (
        CheckConstraint(f"state IN ({enum_list(PrintState)})", name="state"),
        Index("ix_print_job_subject", "subject_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    document: Mapped[str] = mapped_column(String(16))  # ticket | notice | form
    subject_id: Mapped[uuid.UUID | None]  # the ticket or submission printed
    printer: Mapped[str] = mapped_column(String(128))
    state: Mapped[str] = mapped_column(String(12), default=PrintState.QUEUED.value)
    error: Mapped[str | None] = mapped_column(Text)
    reprint: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEvent(LocalBase):
    """Staff actions and the store's own irreversible acts (retention purge)."""

    __tablename__ = "audit_event"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))  # "staff", "system", …
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str | None] = mapped_column(String(128))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class OutboxEntry(LocalBase):
    """One row to send to the bureau; ``payload`` never changes once written."""

    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint(f"state IN ({enum_list(OutboxState)})", name="state"),
        Index("ix_outbox_state", "state", "id"),
        Index("ix_outbox_entity", "entity_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    kind: Mapped[str] = mapped_column(String(24))
    entity_id: Mapped[uuid.UUID]
    payload: Mapped[dict[str, Any] | None]  # None once purged after confirmed sync
    payload_hash: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(12), default=OutboxState.PENDING.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Times the bureau refused this row alone (bad data, not an outage); quarantined at
    # kiosk.store.outbox.MAX_REFUSALS so one bad row never blocks the rest.
    refusals: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    synced_at: Mapped[datetime | None]


class TicketBlock(LocalBase):
    """Numbers this kiosk may hand out for one queue and service day, ``next`` to ``last``."""

    __tablename__ = "ticket_block"
    __table_args__ = (Index("ix_ticket_block_queue", "queue", "service_day"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)  # the lease id
    queue: Mapped[str] = mapped_column(String(64))
    service_day: Mapped[date] = mapped_column(Date)
    band: Mapped[str] = mapped_column(String(8))
    first: Mapped[int] = mapped_column(Integer)
    last: Mapped[int] = mapped_column(Integer)
    next: Mapped[int] = mapped_column(Integer)
    leased_at: Mapped[datetime] = mapped_column(default=utcnow)


class HelpRequest(LocalBase):
    """A visitor pressed 呼叫导服: where and when, nothing personal; open until staff close it."""

    __tablename__ = "help_request"
    __table_args__ = (Index("ix_help_request_open", "closed_at", "requested_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    kiosk_id: Mapped[str] = mapped_column(String(64))
    screen: Mapped[str] = mapped_column(String(64))  # the screen the visitor was on
    language: Mapped[str] = mapped_column(String(2))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    closed_by: Mapped[str | None] = mapped_column(String(64))


class KioskState(LocalBase):
    """Small facts the kiosk learns and must keep: its fallback index, sync watermarks."""

    __tablename__ = "kiosk_state"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(256))
