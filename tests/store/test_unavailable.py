"""A store the kiosk cannot use, and text it cannot keep, become known errors (#12 item 14).

Real faults: a corrupted header, corrupted pages under a running kiosk, a data folder
that is a file.  Each ends in one StoreUnavailable saying what happened and what to do —
never a raw DatabaseError or OSError — and the command line prints it without a
traceback.  Text UTF-8 cannot encode (a lone surrogate) is refused before anything is
written, and hashing a payload never crashes on it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.store.db import StoreUnavailable, checkpoint
from kiosk.store.local import LocalStore
from kiosk.store.models import OutboxEntry, Submission
from kiosk.store.payloads import payload_hash
from kiosk.store.repositories import UnstorableText
from kiosk.store.ticket_book import TicketBook
from tests.store.conftest import make_draft

PAGE = 4096


def kiosk_command(*args: str, config: Path) -> subprocess.CompletedProcess[str]:
    kiosk = Path(sys.executable).with_name("kiosk")
    return subprocess.run(
        [str(kiosk), *args, "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def config_for(tmp_path: Path, data_dir: Path) -> Path:
    config = tmp_path / "kiosk.toml"
    config.write_text(f'kiosk_id = "kiosk-01"\ndata_dir = "{data_dir}"\n', encoding="utf-8")
    return config


def filled_store(path: Path, submissions: int = 300) -> None:
    store = LocalStore.open(f"sqlite:///{path}", "kiosk-01")
    book = TicketBook("kiosk-01", standalone=True)
    for i in range(submissions):
        store.submit(make_draft(f"ID{i}"), book)
    checkpoint(store.engine)
    store.close()


def test_a_damaged_header_is_one_clear_problem_at_start(tmp_path: Path) -> None:
    path = tmp_path / "data" / "kiosk.sqlite3"
    filled_store(path, 3)
    with path.open("r+b") as damaged:
        damaged.write(b"this is not an SQLite file at all" * 4)
    with pytest.raises(StoreUnavailable) as refused:
        LocalStore.open(f"sqlite:///{path}", "kiosk-01")
    assert "damaged" in refused.value.problem and str(path) in refused.value.problem
    assert "move" in refused.value.remedy and "-wal" in refused.value.remedy
    done = kiosk_command("db", "upgrade", config=config_for(tmp_path, path.parent))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "is damaged" in done.stderr and "what to do:" in done.stderr


def damage_pages(path: Path) -> None:
    """Garbage over the second half of the file: tables and indexes, not the schema."""
    pages = path.stat().st_size // PAGE
    with path.open("r+b") as damaged:
        for page in range(pages // 2, pages):
            damaged.seek(page * PAGE)
            damaged.write(b"\xa5" * PAGE)


def test_damaged_pages_under_a_running_kiosk_are_a_known_error(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.sqlite3"
    filled_store(path)
    store = LocalStore.open(f"sqlite:///{path}", "kiosk-01")
    try:
        store.engine.dispose()  # nothing cached: the next statement reads the disk
        damage_pages(path)
        with pytest.raises(StoreUnavailable) as refused:
            store.submit(make_draft("AFTER"), TicketBook("kiosk-01", standalone=True))
        assert "damaged" in refused.value.problem
        assert store.problem is refused.value  # kept for the staff panel
    finally:
        store.close()
    with pytest.raises(StoreUnavailable) as at_start:  # and at the next start, at once
        LocalStore.open(f"sqlite:///{path}", "kiosk-01")
    assert "damaged" in at_start.value.problem


def test_a_data_folder_the_kiosk_cannot_write_is_a_known_error(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data folder should be", encoding="utf-8")
    with pytest.raises(StoreUnavailable) as refused:
        LocalStore.open(f"sqlite:///{blocker / 'kiosk' / 'kiosk.sqlite3'}", "kiosk-01")
    assert "cannot write" in refused.value.problem and "data_dir" in refused.value.remedy
    done = kiosk_command("db", "upgrade", config=config_for(tmp_path, blocker / "kiosk"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "cannot write its local store" in done.stderr


def test_text_utf8_cannot_encode_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    store = LocalStore.open(f"sqlite:///{tmp_path / 'kiosk.sqlite3'}", "kiosk-01")
    book = TicketBook("kiosk-01", standalone=True)
    broken = {"MS-YB-001": {"name": {"value": "王\ud800明", "source": "citizen"}}}
    try:
        with pytest.raises(UnstorableText) as refused:
            store.submit(make_draft("ID1", fields=broken), book)
        assert refused.value.where == "fields.MS-YB-001.name.value"
        with store.sessions() as session:
            assert session.scalar(select(func.count()).select_from(Submission)) == 0
            assert session.scalar(select(func.count()).select_from(OutboxEntry)) == 0
        assert store.submit(make_draft("ID1"), book).code  # the kiosk goes on
    finally:
        store.close()


def test_hashing_a_payload_never_crashes_on_unencodable_text() -> None:
    """Before: UnicodeEncodeError in payload_hash, and the submit crashed."""
    digest = payload_hash({"comment": "王\ud800明"})
    assert len(digest) == 64 and digest != payload_hash({"comment": "王明"})
