"""What a kiosk sends to the bureau: one JSON payload per row, fixed when the row is made.

The payload is written into the outbox in the same transaction as the row it
describes and never rebuilt, so its hash is stable: a resend hashes the same,
and anything else with the same id is a conflict.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from kiosk.store.models import OutboxKind, Rating, Submission, Ticket


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def payload_hash(payload: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON.  Never raises on text UTF-8 cannot encode (a lone
    surrogate): the store refuses such text on entry, and an old row must still hash."""
    return hashlib.sha256(canonical_json(payload).encode("utf-8", "surrogatepass")).hexdigest()


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _uuid(value: uuid.UUID | None) -> str | None:
    return str(value) if value is not None else None


def submission_payload(submission: Submission) -> dict[str, Any]:
    return {
        "id": str(submission.id),
        "code": submission.code,
        "kiosk_id": submission.kiosk_id,
        "target_kind": submission.target_kind,
        "target_code": submission.target_code,
        "item_codes": list(submission.item_codes),
        "catalog_version": submission.catalog_version,
        "language": submission.language,
        "priority": submission.priority,
        "answers": submission.answers,
        "fields": submission.fields,
        "notice": submission.notice,
        "ticket_id": _uuid(submission.ticket_id),
        "service_day": _iso(submission.service_day),
        "created_at": _iso(submission.created_at),
    }


def ticket_payload(ticket: Ticket) -> dict[str, Any]:
    return {
        "id": str(ticket.id),
        "queue": ticket.queue,
        "prefix": ticket.prefix,
        "seq": ticket.seq,
        "service_day": _iso(ticket.service_day),
        "kiosk_id": ticket.kiosk_id,
        "band": ticket.band,
        "priority": ticket.priority,
        "issued_at": _iso(ticket.issued_at),
        "holder_key": ticket.holder_key,
    }


def rating_payload(rating: Rating) -> dict[str, Any]:
    return {
        "id": str(rating.id),
        "submission_id": _uuid(rating.submission_id),
        "ticket_id": _uuid(rating.ticket_id),
        "kiosk_id": rating.kiosk_id,
        "level": rating.level,
        "reasons": list(rating.reasons),
        "comment": rating.comment,
        "created_at": _iso(rating.created_at),
    }


def printed_payload(ticket_id: uuid.UUID, printed_at: datetime) -> dict[str, Any]:
    return {"id": str(ticket_id), "printed_at": _iso(printed_at)}


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value is not None else None


def _d(value: str) -> date:
    return date.fromisoformat(value)


def _u(value: str | None) -> uuid.UUID | None:
    return uuid.UUID(value) if value is not None else None


def bureau_row(kind: str, payload: dict[str, Any], digest: str, now: datetime) -> dict[str, Any]:
    """The bureau table row for an insert payload (typed values, plus hash and receipt time)."""
    row = dict(payload)
    row["id"] = uuid.UUID(payload["id"])
    row["payload_hash"] = digest
    row["received_at"] = now
    if kind == OutboxKind.SUBMISSION:
        row["ticket_id"] = _u(payload["ticket_id"])
        row["service_day"] = _d(payload["service_day"])
        row["created_at"] = _dt(payload["created_at"])
        row["status_changed_at"] = now
        row["answers"] = payload["answers"] or {}
        row["fields"] = payload["fields"] or {}
        row["notice"] = payload["notice"] or {}
    elif kind == OutboxKind.TICKET:
        row["service_day"] = _d(payload["service_day"])
        row["issued_at"] = _dt(payload["issued_at"])
        row["status_changed_at"] = now
        row.setdefault("holder_key", None)  # rows written before holder keys went to the bureau
    elif kind == OutboxKind.RATING:
        row["submission_id"] = _u(payload["submission_id"])
        row["ticket_id"] = _u(payload["ticket_id"])
        row["created_at"] = _dt(payload["created_at"])
    else:
        raise ValueError(f"{kind} is not an insert")
    return row


def unstorable_text(value: Any, where: str = "") -> str | None:
    """The path of the first text in ``value`` that UTF-8 cannot encode (a lone
    surrogate), or None when everything can be stored."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return where or "text"
        return None
    if isinstance(value, Mapping):
        for key, item in value.items():
            found = unstorable_text(key, where) or unstorable_text(item, f"{where}.{key}")
            if found:
                return found.lstrip(".")
        return None
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found = unstorable_text(item, f"{where}[{index}]")
            if found:
                return found.lstrip(".")
    return None
