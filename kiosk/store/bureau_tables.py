"""The bureau database's tables: shared by every kiosk of the hall, written by the back office.

Kiosks insert submissions, tickets and ratings (through the sync worker) and
lease ticket-number blocks from ``ticket_counter``; the back office writes the
status columns, which the kiosks read back for 办件查询.  No foreign keys:
rows from many kiosks arrive in any order.  ``payload_hash`` is what the kiosk
sent, never updated, so a resend can be recognised as the same or a conflict.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kiosk.statuses import Satisfaction, SubmissionStatus, TicketStatus
from kiosk.store.models import NAMING, enum_list
from kiosk.store.types import UTCDateTime, utcnow

BUREAU_VERSION_TABLE = "alembic_version_bureau"


class BureauBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON,
        uuid.UUID: Uuid,
    }


class BureauSubmission(BureauBase):
    __tablename__ = "bureau_submission"
    __table_args__ = (
        CheckConstraint(f"status IN ({enum_list(SubmissionStatus)})", name="status"),
        Index("ix_bureau_submission_kiosk_changed", "kiosk_id", "status_changed_at"),
        Index("ix_bureau_submission_day", "service_day"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    kiosk_id: Mapped[str] = mapped_column(String(64))
    target_kind: Mapped[str] = mapped_column(String(8))
    target_code: Mapped[str] = mapped_column(String(64))
    item_codes: Mapped[list[str]] = mapped_column(JSON)
    catalog_version: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(2))
    priority: Mapped[bool] = mapped_column(Boolean, default=False)
    answers: Mapped[dict[str, Any]]
    fields: Mapped[dict[str, Any]]
    notice: Mapped[dict[str, Any]]
    ticket_id: Mapped[uuid.UUID | None]
    service_day: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime]  # on the kiosk
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(20), default=SubmissionStatus.RECEIVED.value)
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    payload_hash: Mapped[str] = mapped_column(String(64))


class BureauTicket(BureauBase):
    __tablename__ = "bureau_ticket"
    __table_args__ = (
        UniqueConstraint("queue", "service_day", "seq", name="uq_bureau_ticket_number"),
        CheckConstraint(f"status IN ({enum_list(TicketStatus)})", name="status"),
        Index("ix_bureau_ticket_waiting", "queue", "service_day", "status"),
        Index("ix_bureau_ticket_kiosk_changed", "kiosk_id", "status_changed_at"),
        Index("ix_bureau_ticket_holder", "holder_key", "queue", "service_day"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    queue: Mapped[str] = mapped_column(String(64))
    prefix: Mapped[str] = mapped_column(String(1))
    seq: Mapped[int] = mapped_column(Integer)
    service_day: Mapped[date] = mapped_column(Date)
    kiosk_id: Mapped[str] = mapped_column(String(64))
    band: Mapped[str] = mapped_column(String(8))
    priority: Mapped[bool] = mapped_column(Boolean, default=False)
    issued_at: Mapped[datetime]
    printed_at: Mapped[datetime | None]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(12), default=TicketStatus.WAITING.value)
    window: Mapped[int | None] = mapped_column(Integer)
    called_at: Mapped[datetime | None]
    done_at: Mapped[datetime | None]
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    payload_hash: Mapped[str] = mapped_column(String(64))
    # HMAC-SHA256 of the holder's ID number with the hall's secret (kiosk.numbering): lets
    # any kiosk find a waiting ticket of the same person.  Never the ID number itself.
    holder_key: Mapped[str | None] = mapped_column(String(64))


class BureauRating(BureauBase):
    __tablename__ = "bureau_rating"
    __table_args__ = (CheckConstraint(f"level IN ({enum_list(Satisfaction)})", name="level"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    submission_id: Mapped[uuid.UUID | None]
    ticket_id: Mapped[uuid.UUID | None]
    kiosk_id: Mapped[str] = mapped_column(String(64))
    level: Mapped[str] = mapped_column(String(24))
    reasons: Mapped[list[str]] = mapped_column(JSON)
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    payload_hash: Mapped[str] = mapped_column(String(64))


class TicketCounter(BureauBase):
    """The next regular-band number of one queue on one service day; locked to lease a block."""

    __tablename__ = "ticket_counter"

    queue: Mapped[str] = mapped_column(String(64), primary_key=True)
    service_day: Mapped[date] = mapped_column(Date, primary_key=True)
    next_seq: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class TicketLease(BureauBase):
    """Every block handed out, so a gap in the numbers can always be explained."""

    __tablename__ = "ticket_lease"
    __table_args__ = (Index("ix_ticket_lease_queue", "queue", "service_day"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    queue: Mapped[str] = mapped_column(String(64))
    service_day: Mapped[date] = mapped_column(Date)
    kiosk_id: Mapped[str] = mapped_column(String(64))
    first: Mapped[int] = mapped_column(Integer)
    last: Mapped[int] = mapped_column(Integer)
    leased_at: Mapped[datetime] = mapped_column(default=utcnow)


class BureauKiosk(BureauBase):
    """Kiosks of the hall; ``kiosk_index`` picks each kiosk's slice of the fallback band."""

    __tablename__ = "bureau_kiosk"

    kiosk_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kiosk_index: Mapped[int] = mapped_column(Integer, unique=True)
    registered_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)


class BureauHall(BureauBase):
    """Facts of the hall every kiosk shares: the secret its holder keys are made with."""

    __tablename__ = "bureau_hall"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))


class TicketClaim(BureauBase):
    """Who holds the one waiting ticket of a person in a queue on a day, across the hall.

    A kiosk inserts its claim (the primary key is the rule) before it issues, in one
    short transaction; a claim already there is kept while its ticket waits (or, not yet
    synced, for :data:`kiosk.store.gateway.CLAIM_GRACE`), else taken over.  The ticket's
    number is kept here so another kiosk can offer 补打 before the ticket is synced.
    Like ``bureau_ticket`` (which holds the same keys), nothing on the bureau purges these
    rows yet: the back office's retention should delete both by ``service_day``.
    """

    __tablename__ = "ticket_claim"
    __table_args__ = (Index("ix_ticket_claim_day", "service_day"),)

    holder_key: Mapped[str] = mapped_column(String(64), primary_key=True)  # HMAC, never the ID
    queue: Mapped[str] = mapped_column(String(64), primary_key=True)
    service_day: Mapped[date] = mapped_column(Date, primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(64))
    ticket_id: Mapped[uuid.UUID]
    prefix: Mapped[str] = mapped_column(String(1))
    seq: Mapped[int] = mapped_column(Integer)
    band: Mapped[str] = mapped_column(String(8))
    priority: Mapped[bool] = mapped_column(Boolean, default=False)
    issued_at: Mapped[datetime]
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)
