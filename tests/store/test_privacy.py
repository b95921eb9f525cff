"""Personal data at rest (#12 items 7 and 8): file modes of the store whatever the umask,
and a retention purge that leaves nothing in the raw files — WAL included.

Before: the data dir was 0755 and kiosk.sqlite3 / -wal / -shm 0644 under umask 022; a
purged rating comment survived in its outbox payload, holder keys were never purged, and
a purged ID number was still readable in the live -wal.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.codes import uuid7
from kiosk.numbering import BAND_LEASE, holder_key
from kiosk.statuses import Satisfaction
from kiosk.store.local import LocalStore
from kiosk.store.models import OutboxEntry, Ticket, TicketBlock
from kiosk.store.ticket_book import TicketBook
from tests.store.conftest import QUEUE, make_draft

ID_NUMBER = "11010519491231002X"
PHONE = "13912345678"


@pytest.fixture
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    previous = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("umask", [0o022, 0o000, 0o002], indirect=True)
def test_the_store_is_readable_by_the_kiosk_user_only(tmp_path: Path, umask: int) -> None:
    data = tmp_path / "data" / "kiosk"
    store = LocalStore.open(f"sqlite:///{data / 'kiosk.sqlite3'}", "kiosk-01")
    try:
        store.audit.record("staff", "anything")  # a write: -wal and -shm exist now
        files = [data / "kiosk.sqlite3", data / "kiosk.sqlite3-wal", data / "kiosk.sqlite3-shm"]
        assert all(f.exists() for f in files)
        assert mode(data) == 0o700
        assert {f.name: oct(mode(f)) for f in files} == {f.name: "0o600" for f in files}
    finally:
        store.close()


@pytest.mark.parametrize("umask", [0o022], indirect=True)
def test_an_existing_loose_store_is_tightened_at_open(tmp_path: Path, umask: int) -> None:
    path = tmp_path / "kiosk.sqlite3"
    LocalStore.open(f"sqlite:///{path}", "kiosk-01").close()
    tmp_path.chmod(0o755)
    path.chmod(0o644)
    LocalStore.open(f"sqlite:///{path}", "kiosk-01").close()
    assert (mode(tmp_path), mode(path)) == (0o700, 0o600)


def raw(path: Path) -> bytes:
    """The database file and its -wal and -shm, as bytes on disk."""
    return b"".join(
        p.read_bytes() for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()
    )


def test_a_purged_id_number_and_phone_are_nowhere_in_the_raw_files(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.sqlite3"
    store = LocalStore.open(f"sqlite:///{path}", "kiosk-01")
    book = TicketBook("kiosk-01", block_size=10)
    now = datetime.now(UTC)
    yesterday = now - timedelta(days=1)
    with store.sessions.begin() as session:
        for day in (book.day(yesterday), book.day(now)):
            session.add(
                TicketBlock(
                    id=uuid7(), queue=QUEUE.code, service_day=day, band=BAND_LEASE, first=1,
                    last=10, next=1,
                )
            )  # fmt: skip
    fields = {
        "MS-YB-001": {
            "applicant_id_number": {"value": ID_NUMBER, "source": "id_card"},
            "applicant_mobile": {"value": PHONE, "source": "citizen"},
            # long enough to spill into overflow pages, which a purge frees whole
            "situation": {"value": "家庭情况说明" * 2000 + f"联系 {PHONE}", "source": "citizen"},
        }
    }
    receipt = store.submit(make_draft(ID_NUMBER, fields=fields), book)
    store.ratings.rate(
        Satisfaction.SATISFIED, submission_id=receipt.submission_id, comment=f"请回电 {PHONE}"
    )
    earlier, _ = store.issue_ticket(QUEUE, book, holder_id=ID_NUMBER, now=yesterday)  # 取号
    with store.sessions() as session:
        keys = {t.holder_key for t in session.scalars(select(Ticket))}
    assert None not in keys and len(keys) == 1
    before = raw(path)
    assert ID_NUMBER.encode() in before and PHONE.encode() in before  # the test can see it
    with store.sessions.begin() as session:  # the bureau confirmed everything a month ago
        for entry in session.scalars(select(OutboxEntry)):
            entry.state, entry.synced_at = "synced", now - timedelta(days=31)
    assert store.purge(retention_days=30, now=now, today=book.day(now)) == 1
    after = raw(path)
    store.close()
    for secret in (ID_NUMBER, PHONE, *keys):
        assert secret.encode() not in after, f"{secret} is still in the store's files"
    assert earlier.id  # the ticket itself stays; only its holder key went


def test_holder_keys_are_keyed_hashes_of_the_hall() -> None:
    plain = hashlib.sha256(f"ticket-holder:{ID_NUMBER}".encode()).hexdigest()
    one, other = holder_key(ID_NUMBER, b"hall-one" * 4), holder_key(ID_NUMBER, b"hall-two" * 4)
    assert one and other and len(one) == 64
    assert plain not in (one, other) and one != other
    assert holder_key(ID_NUMBER.lower(), b"hall-one" * 4) == one  # the check letter's case
    assert holder_key(ID_NUMBER, None) is None and holder_key("", b"x") is None
