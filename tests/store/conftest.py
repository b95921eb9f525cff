"""Database fixtures: a fresh PostgreSQL / MariaDB database per test session.

Server URLs come from KIOSK_TEST_PG_URL / KIOSK_TEST_MARIADB_URL.  Each session
creates ``kiosk_test_<random>`` databases and drops them afterwards, so
parallel or repeated runs never collide.  An unreachable server skips the
tests, unless KIOSK_REQUIRE_DB=1 (as in CI), where it fails them.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError

from kiosk.numbering import QueueRef
from kiosk.store.bureau_tables import BureauBase
from kiosk.store.db import bureau_engine, local_engine, migrate
from kiosk.store.gateway import BureauGateway
from kiosk.store.local import LocalStore
from kiosk.store.models import LocalBase
from kiosk.store.ticket_book import TicketBook
from kiosk.submission import SubmissionDraft

PG_URL = os.environ.get("KIOSK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
MARIADB_URL = os.environ.get("KIOSK_TEST_MARIADB_URL", "mysql+pymysql://root@127.0.0.1:3306/test")

QUEUE = QueueRef("livelihood", "B", minutes_per_visitor=8, windows=3)


def _unreachable(what: str, exc: Exception) -> None:
    message = f"{what} is not reachable: {exc}"
    if os.environ.get("KIOSK_REQUIRE_DB") == "1":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


class ScratchDatabases:
    """Creates databases named kiosk_test_<token>_<suffix> on one server; drops them all."""

    def __init__(self, server_url: str, what: str):
        self.server = make_url(server_url)
        self.what = what
        self.token = secrets.token_hex(4)
        self.created: list[str] = []
        self._admin: Engine | None = None
        self._error: Exception | None = None

    def admin(self) -> Engine:
        if self._error is not None:
            _unreachable(self.what, self._error)
        if self._admin is None:
            engine = create_engine(self.server, isolation_level="AUTOCOMMIT")
            try:
                with engine.connect() as connection:
                    connection.execute(text("SELECT 1"))
            except OperationalError as exc:
                engine.dispose()
                self._error = exc
                _unreachable(self.what, exc)
            self._admin = engine
        return self._admin

    def create(self, suffix: str) -> URL:
        name = f"kiosk_test_{self.token}_{suffix}"
        with self.admin().connect() as connection:
            if self.server.get_backend_name() == "postgresql":
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            else:
                connection.execute(text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4"))
        self.created.append(name)
        return self.server.set(database=name)

    def drop_all(self) -> None:
        if self._admin is None:
            return
        with self._admin.connect() as connection:
            for name in self.created:
                if self.server.get_backend_name() == "postgresql":
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                else:
                    connection.execute(text(f"DROP DATABASE IF EXISTS `{name}`"))
        self._admin.dispose()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[ScratchDatabases]:
    databases = ScratchDatabases(PG_URL, "PostgreSQL")
    yield databases
    databases.drop_all()


@pytest.fixture(scope="session")
def mariadb_server() -> Iterator[ScratchDatabases]:
    databases = ScratchDatabases(MARIADB_URL, "MariaDB")
    yield databases
    databases.drop_all()


def _truncate(engine: Engine, tables: list[str]) -> None:
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(tables)}"))
        else:
            for table in tables:
                connection.execute(text(f"DELETE FROM {table}"))


@pytest.fixture(scope="session")
def bureau_urls() -> dict[str, URL]:
    return {}


def _session_bureau(request: pytest.FixtureRequest, kind: str) -> URL:
    cache: dict[str, URL] = request.getfixturevalue("bureau_urls")
    if kind not in cache:
        server = request.getfixturevalue("pg_server" if kind == "postgresql" else "mariadb_server")
        url = server.create("bureau")
        engine = bureau_engine(url)
        migrate(engine, "bureau")
        engine.dispose()
        cache[kind] = url
    return cache[kind]


@pytest.fixture(params=["postgresql", "mariadb"])
def bureau_url(request: pytest.FixtureRequest) -> URL:
    """A migrated, emptied bureau database (PostgreSQL and MariaDB)."""
    url = _session_bureau(request, request.param)
    engine = bureau_engine(url)
    _truncate(engine, list(BureauBase.metadata.tables))
    engine.dispose()
    return url


@pytest.fixture
def pg_bureau_url(request: pytest.FixtureRequest) -> URL:
    """The PostgreSQL bureau only (proxy, concurrency and crash tests)."""
    url = _session_bureau(request, "postgresql")
    engine = bureau_engine(url)
    _truncate(engine, list(BureauBase.metadata.tables))
    engine.dispose()
    return url


@pytest.fixture
def bureau(bureau_url: URL) -> Iterator[Engine]:
    engine = bureau_engine(bureau_url)
    yield engine
    engine.dispose()


@pytest.fixture
def gateway(bureau: Engine) -> BureauGateway:
    """The bureau gateway over the ``bureau`` engine (PostgreSQL and MariaDB)."""
    return BureauGateway(bureau)


@pytest.fixture
def pg_bureau(pg_bureau_url: URL) -> Iterator[Engine]:
    engine = bureau_engine(pg_bureau_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def pg_local_url(pg_server: ScratchDatabases) -> URL:
    url = pg_server.create("local")
    engine = local_engine(url)
    migrate(engine, "local")
    engine.dispose()
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LocalStore]:
    """The kiosk's local store on SQLite (the default) and on PostgreSQL."""
    if request.param == "sqlite":
        local = LocalStore.open(f"sqlite:///{tmp_path / 'kiosk.sqlite3'}", "kiosk-01")
    else:
        url = request.getfixturevalue("pg_local_url")
        local = LocalStore.open(url.render_as_string(hide_password=False), "kiosk-01")
        _truncate(local.engine, list(LocalBase.metadata.tables))
    yield local
    local.close()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[LocalStore]:
    local = LocalStore.open(f"sqlite:///{tmp_path / 'kiosk.sqlite3'}", "kiosk-01")
    yield local
    local.close()


@pytest.fixture
def book() -> TicketBook:
    return TicketBook("kiosk-01", block_size=10)


def make_draft(
    holder_id: str | None = None, queue: QueueRef = QUEUE, **extra: object
) -> SubmissionDraft:
    values = {
        "target_kind": "item",
        "target_code": "MS-YB-001",
        "item_codes": ("MS-YB-001",),
        "catalog_version": "test-1",
        "language": "zh",
        "queue": queue,
        "answers": {"MS-YB-001": {"agent": False}},
        "fields": {"MS-YB-001": {"name": {"value": "张三", "source": "citizen"}}},
        "notice": {"lines": [{"material": "id-card", "originals": 1, "copies": 1}]},
        "holder_id": holder_id,
    }
    values.update(extra)
    return SubmissionDraft(**values)  # type: ignore[arg-type]


def add_backlog(store: LocalStore, book: TicketBook, count: int) -> None:
    """``count`` submissions waiting in the outbox, written in one transaction (fast):
    the backlog a kiosk builds up offline."""
    from kiosk.codes import new_code, uuid7
    from kiosk.statuses import SubmissionStatus
    from kiosk.store.models import OutboxKind, Submission
    from kiosk.store.outbox import Outbox
    from kiosk.store.payloads import submission_payload
    from kiosk.store.types import utcnow

    draft = make_draft()
    with store.sessions.begin() as session:
        for _ in range(count):
            now = utcnow()
            submission = Submission(
                id=uuid7(),
                code=new_code(),
                kiosk_id=store.kiosk_id,
                target_kind=draft.target_kind,
                target_code=draft.target_code,
                item_codes=list(draft.item_codes),
                catalog_version=draft.catalog_version,
                language=draft.language,
                priority=False,
                answers=dict(draft.answers),
                fields=dict(draft.fields),
                notice=dict(draft.notice),
                ticket_id=None,
                service_day=book.day(now),
                status=SubmissionStatus.RECEIVED.value,
                created_at=now,
            )
            session.add(submission)
            session.flush()
            Outbox.add(
                session, OutboxKind.SUBMISSION, submission.id, submission_payload(submission)
            )
