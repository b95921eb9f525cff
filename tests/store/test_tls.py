"""TLS to the bureau database, against real servers with a self-signed CA (tls_servers.py).

The same URL words for both databases: PostgreSQL's libpq reads ``sslmode`` and
``sslrootcert`` itself; for MariaDB kiosk.store turns them into PyMySQL's ``ssl``
argument — before, ``?sslmode=require`` passed `config check` and then crashed the
sync with ``TypeError: unexpected keyword argument 'sslmode'``.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from kiosk.store.db import BureauUnavailable, bureau_engine, migrate
from tests.store.tls_servers import (  # noqa: F401 (fixtures, used by name)
    TlsServer,
    mariadb_tls,
    pg_tls,
)


@pytest.fixture(params=["postgresql", "mariadb"])
def tls_server(request: pytest.FixtureRequest) -> TlsServer:
    return request.getfixturevalue("pg_tls" if request.param == "postgresql" else "mariadb_tls")


def encrypted(engine: Engine) -> bool:
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            query = "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"
            return bool(connection.execute(text(query)).scalar())
        row = connection.execute(text("SHOW SESSION STATUS LIKE 'Ssl_cipher'")).first()
        return bool(row and row[1])


@pytest.mark.db
@pytest.mark.parametrize("mode", ["require", "verify-ca", "verify-full"])
def test_the_bureau_engine_speaks_tls(tls_server: TlsServer, mode: str) -> None:
    query = f"sslmode={mode}"
    if mode != "require":
        query += f"&sslrootcert={tls_server.certificates.ca}"
    engine = bureau_engine(tls_server.url(query))
    try:
        migrate(engine, "bureau")  # `kiosk db upgrade` and the sync use this engine
        assert encrypted(engine)
    finally:
        engine.dispose()


@pytest.mark.db
def test_a_server_certificate_from_another_ca_is_refused(tls_server: TlsServer) -> None:
    query = f"sslmode=verify-full&sslrootcert={tls_server.certificates.wrong_ca}"
    engine = bureau_engine(tls_server.url(query))
    try:
        with pytest.raises(BureauUnavailable, match=r"(?i)certificate"):
            migrate(engine, "bureau")
    finally:
        engine.dispose()


@pytest.mark.db
def test_verify_full_checks_the_host_name(tls_server: TlsServer) -> None:
    """The certificate names "localhost" only: reached as 127.0.0.1, verify-full refuses it
    and verify-ca (which checks only who signed it) takes it."""
    ca = tls_server.certificates.ca
    full = bureau_engine(tls_server.url(f"sslmode=verify-full&sslrootcert={ca}", host="127.0.0.1"))
    only_ca = bureau_engine(tls_server.url(f"sslmode=verify-ca&sslrootcert={ca}", host="127.0.0.1"))
    try:
        with pytest.raises(OperationalError, match=r"(?i)host ?name|match|certificate"):
            full.connect().close()
        assert encrypted(only_ca)
    finally:
        full.dispose()
        only_ca.dispose()


@pytest.mark.db
def test_plain_text_is_refused_by_a_tls_only_server(tls_server: TlsServer) -> None:
    engine = bureau_engine(tls_server.url("sslmode=disable"))
    try:
        with pytest.raises(OperationalError):
            engine.connect().close()
    finally:
        engine.dispose()
