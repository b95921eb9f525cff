"""Engines for the local store and the bureau database, and Alembic upgrades for both.

The local SQLite file runs in WAL mode with ``synchronous=FULL`` (a commit is
on disk before ``submit`` returns) and foreign keys on; every transaction
starts with ``BEGIN IMMEDIATE`` so the submit path and the sync thread queue
for the write lock instead of failing halfway with "database is locked".
The file holds personal data: the data directory is made 0700 and the file
0600 before SQLite opens it, whatever the umask (SQLite gives ``-wal`` and
``-shm`` the database file's mode), and ``secure_delete`` overwrites what the
retention purge removes.  The bureau engine has short connect timeouts and
pre-ping so a dead server shows up as :class:`BureauUnavailable` within
seconds, never a hang.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any, Literal

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError

from kiosk.store.bureau_connection import missing_driver_message, tls_connect_args
from kiosk.store.bureau_tables import BUREAU_VERSION_TABLE

MIGRATIONS = Path(__file__).with_name("migrations")
LOCAL_VERSION_TABLE = "alembic_version"
PAGE_CACHE_KIB = 512  # per connection to the local SQLite store
Target = Literal["local", "bureau"]

# How long the bureau may take before the kiosk calls it unreachable.
BUREAU_CONNECT_TIMEOUT_S = 5
BUREAU_IO_TIMEOUT_S = 30


class StoreUnavailable(Exception):
    """The local store cannot be opened or written (damaged file, disk full, permissions).

    A known, environmental error: the visitor gets a calm message, staff and the operator
    are told what happened (``problem``) and what to do about it (``remedy``).
    """

    def __init__(self, problem: str, remedy: str = ""):
        self.problem = problem
        self.remedy = remedy
        super().__init__(f"{problem}. {remedy}" if remedy else problem)


SIDE_FILES = ("-wal", "-shm", "-journal")


def prepare_local_file(path: Path) -> None:
    """Make the data directory (0700) and the store file (0600) before SQLite does.

    Raises StoreUnavailable when the directory cannot be made or written.
    """
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(path.parent, 0o700)  # also one made earlier, or under a looser umask
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        os.close(descriptor)
        os.chmod(path, 0o600)
        for suffix in SIDE_FILES:
            side = path.with_name(path.name + suffix)
            if side.exists():
                os.chmod(side, 0o600)
    except OSError as exc:
        raise StoreUnavailable(
            f"the kiosk cannot write its local store {path}: {exc.strerror or exc}",
            f"Give the kiosk's user write access to {path.parent} (or set data_dir in "
            "kiosk.toml to a folder it owns) and start the kiosk again",
        ) from exc


class BureauUnavailable(Exception):
    """The bureau database cannot be reached or refused the connection. Known error."""


def local_engine(url: str | URL) -> Engine:
    """An engine for the local store; SQLite gets WAL, synchronous=FULL, foreign keys."""
    url = make_url(url)
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if url.database and url.database != ":memory:":
        prepare_local_file(Path(url.database))
    engine = create_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the sqlite3 module: it would otherwise
        # begin lazily (DEFERRED) and a reader upgrading to writer can deadlock.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        # What the retention purge deletes is overwritten, not just unlinked from the b-tree.
        cursor.execute("PRAGMA secure_delete=ON")
        # Each connection's page cache fills up to its size as the store grows (SQLite's
        # default: 2 MB, on each of the pool's connections); the local store is small and
        # the system's file cache holds it anyway (bench_ui: memory over 1,000 visits).
        cursor.execute(f"PRAGMA cache_size=-{PAGE_CACHE_KIB}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def bureau_engine(url: str | URL, *, pool_size: int = 2) -> Engine:
    """An engine for the bureau PostgreSQL / MariaDB with short, bounded timeouts."""
    url, connect_args = tls_connect_args(make_url(url))  # sslmode for MariaDB too
    backend = url.get_backend_name()
    if backend == "postgresql":
        connect_args |= {
            "connect_timeout": BUREAU_CONNECT_TIMEOUT_S,
            "keepalives": 1,
            "keepalives_idle": 10,
            "keepalives_interval": 5,
            "keepalives_count": 3,
            # A statement that hangs (a dead peer behind a NAT) is abandoned, not waited on.
            "options": f"-c statement_timeout={BUREAU_IO_TIMEOUT_S * 1000}",
        }
    elif backend in ("mysql", "mariadb"):
        connect_args |= {
            "connect_timeout": BUREAU_CONNECT_TIMEOUT_S,
            "read_timeout": BUREAU_IO_TIMEOUT_S,
            "write_timeout": BUREAU_IO_TIMEOUT_S,
            "charset": "utf8mb4",
        }
    try:
        return create_engine(
            url,
            connect_args=connect_args,
            pool_pre_ping=True,
            pool_size=pool_size,
            max_overflow=2,
            pool_recycle=600,
            isolation_level="READ COMMITTED",
        )
    except ImportError as exc:  # the driver is an extra: say which one to install
        raise BureauUnavailable(missing_driver_message(url)) from exc


def _alembic_config(target: Target) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS / target))
    return config


def _version_table(target: Target) -> str:
    return BUREAU_VERSION_TABLE if target == "bureau" else LOCAL_VERSION_TABLE


def current_revision(engine: Engine, target: Target) -> str | None:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"version_table": _version_table(target)}
        )
        return context.get_current_revision()


_migrate_lock = threading.Lock()


def migrate(engine: Engine, target: Target) -> bool:
    """Bring the schema to the newest revision; returns whether anything was applied.

    Safe to run from several kiosks at once against one bureau database: the
    upgrade holds a server-side lock, so the second one finds nothing to do.
    """
    config = _alembic_config(target)
    heads = set(ScriptDirectory.from_config(config).get_heads())
    try:
        if current_revision(engine, target) in heads:
            return False
        with _migrate_lock, engine.begin() as connection:
            backend = connection.dialect.name
            if backend == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(7301, 1)"))
            elif backend in ("mysql", "mariadb"):
                connection.execute(text("SELECT GET_LOCK('kiosk_migrate', 60)"))
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            if backend in ("mysql", "mariadb"):
                connection.execute(text("SELECT RELEASE_LOCK('kiosk_migrate')"))
    except OperationalError as exc:
        where = "bureau database" if target == "bureau" else "local store"
        raise (BureauUnavailable if target == "bureau" else StoreUnavailable)(
            f"cannot upgrade the {where}: {exc.orig}"
        ) from exc
    return True


def checkpoint(engine: Engine) -> None:
    """Copy the WAL into the database file and truncate it (after a purge: the old pages
    must not linger in ``-wal``).  Nothing to do for a non-SQLite local store."""
    if engine.dialect.name != "sqlite":
        return
    raw = engine.raw_connection()
    try:
        raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[union-attr]
    finally:
        raw.close()
