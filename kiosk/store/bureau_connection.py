"""How the kiosk connects to the bureau database: TLS arguments, the driver, a quick probe.

* :func:`tls_connect_args` — the kiosk writes TLS the same way for both databases
  (``sslmode``, ``sslrootcert``, ``sslcert``, ``sslkey``; see :mod:`kiosk.bureau_url`).
  PostgreSQL's libpq reads them itself; for MariaDB they become PyMySQL's ``ssl``
  connect argument (``sslmode=require`` → encrypted, certificate not checked;
  ``verify-ca`` → checked against ``sslrootcert``; ``verify-full`` → and the host
  name too).  PyMySQL fails the connection when the server cannot do TLS, so a
  required TLS never falls back to plain text.
* :func:`probe` — `kiosk config check` connects once with a short timeout and says
  what failed: the driver, the host, TLS, the password, the database, the schema.
"""

from __future__ import annotations

import re
import socket
import ssl
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from kiosk import bureau_url
from kiosk.store.bureau_tables import BUREAU_VERSION_TABLE

PROBE_TIMEOUT_S = 5  # libpq takes whole seconds (at least 2)


def tls_connect_args(url: URL) -> tuple[URL, dict[str, Any]]:
    """The URL to hand to the driver and the extra connect arguments for its TLS settings."""
    if url.get_backend_name() not in ("mysql", "mariadb"):
        return url, {}  # libpq understands sslmode, sslrootcert, sslcert, sslkey itself
    query = url.query
    ours = {key: query[key] for key in bureau_url.TLS_PARAMETERS if key in query}
    if not ours:
        return url, {}
    url = url.difference_update_query(list(ours))
    mode = ours.get("sslmode", "require" if "sslrootcert" in ours else "prefer")
    if isinstance(mode, tuple):
        mode = mode[0]
    if mode == "disable":
        return url, {"ssl_disabled": True}
    if mode in ("allow", "prefer"):
        return url, {}  # PyMySQL's default: TLS when the server offers it
    tls: dict[str, Any] = {
        # verify-ca / verify-full check the certificate; require only encrypts
        "verify_mode": mode in ("verify-ca", "verify-full"),
        "check_hostname": mode == "verify-full",
    }
    if "sslrootcert" in ours:
        tls["ca"] = ours["sslrootcert"]
    if "sslcert" in ours:
        tls["cert"] = ours["sslcert"]
    if "sslkey" in ours:
        tls["key"] = ours["sslkey"]
    return url, {"ssl": tls}


def missing_driver_message(url: URL) -> str:
    kind = bureau_url.POSTGRES if url.get_backend_name() == "postgresql" else bureau_url.MARIADB
    module, extra = bureau_url.DRIVER_MODULES[kind], bureau_url.EXTRAS[kind]
    return (
        f"the bureau database is {bureau_url.NAMES[kind]} but its driver ({module}) is not "
        f"installed: pip install '{extra}'"
    )


@dataclass(frozen=True)
class Probe:
    """What one connection attempt found; ``problem`` is None when all is well."""

    problem: str | None
    detail: str = ""  # the driver's words, password removed
    server: str = ""  # e.g. "PostgreSQL 15.8, TLS" when it worked

    @property
    def ok(self) -> bool:
        return self.problem is None


def probe(url_text: str, timeout_s: int = PROBE_TIMEOUT_S) -> Probe:
    """Connect once to the bureau (``timeout_s``) and say what, if anything, failed."""
    try:
        parsed = bureau_url.parse(url_text, allow_plaintext=True)
    except bureau_url.BadUrl as exc:
        return Probe(f"bureau_url {exc}")
    missing = bureau_url.missing_driver(parsed)
    if missing:
        return Probe(missing)
    try:
        url = make_url(url_text)
    except ArgumentError:
        return Probe("bureau_url is not a database URL")
    secret = url.password if isinstance(url.password, str) else None
    engine = _probe_engine(url, timeout_s)
    try:
        with engine.connect() as connection:
            version = connection.execute(text("SELECT version()")).scalar_one()
            migrated = inspect(connection).has_table(BUREAU_VERSION_TABLE)
            tls = _tls_in_use(connection)
    except DBAPIError as exc:
        return _explain(parsed, exc, secret)
    except (NoSuchModuleError, ImportError) as exc:
        return Probe(f"bureau_url: the database driver cannot be loaded: {exc}")
    except (SQLAlchemyError, OSError) as exc:
        return Probe(f"cannot reach the bureau database at {parsed.where}", _scrub(exc, secret))
    finally:
        engine.dispose()
    server = f"{parsed.name} {_short_version(str(version))}, {'TLS' if tls else 'not encrypted'}"
    if not migrated:
        return Probe(
            "the bureau database has no kiosk schema yet: run "
            "`kiosk db upgrade --bureau URL` once for the hall",
            server=server,
        )
    return Probe(None, server=server)


def _probe_engine(url: URL, timeout_s: int) -> Engine:
    url, connect_args = tls_connect_args(url)
    if url.get_backend_name() == "postgresql":
        connect_args["connect_timeout"] = max(2, timeout_s)
    else:
        connect_args.update(
            connect_timeout=timeout_s, read_timeout=timeout_s, write_timeout=timeout_s
        )
    return create_engine(url, connect_args=connect_args, poolclass=NullPool)


def _tls_in_use(connection: Any) -> bool:
    dialect = connection.dialect.name
    if dialect == "postgresql":
        row = connection.execute(text("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"))
        return bool(row.scalar())
    row = connection.execute(text("SHOW SESSION STATUS LIKE 'Ssl_cipher'")).first()
    return bool(row and row[1])


def _short_version(version: str) -> str:
    match = re.search(r"\d+\.\d+(\.\d+)?(-MariaDB)?", version)
    return match.group(0).removesuffix("-MariaDB") if match else version[:40]


def _scrub(exc: BaseException, secret: str | None) -> str:
    orig = getattr(exc, "orig", None) or exc
    args: tuple[Any, ...] = getattr(orig, "args", ())
    if len(args) == 2 and isinstance(args[0], int):  # PyMySQL: (error number, message)
        message = f"error {args[0]}: {args[1]}"
    else:
        message = str(orig).strip()
    if secret:
        message = message.replace(secret, "***")
    return re.sub(r"\s+", " ", message)[:300]


# MariaDB / MySQL client and server error numbers.
_MYSQL_AUTH = {1044, 1045, 1698}
_MYSQL_NO_DATABASE = {1049}
_MYSQL_TLS = {2026}
_MYSQL_INSECURE = 3159  # require_secure_transport: a plain-text connection


def _explain(url: bureau_url.BureauUrl, exc: DBAPIError, secret: str | None) -> Probe:
    """Authentication, host, TLS or database — from the driver's error, in plain words."""
    detail = _scrub(exc, secret)
    orig = exc.orig
    lowered = detail.lower()
    code = orig.args[0] if orig is not None and orig.args and isinstance(orig.args[0], int) else 0
    sqlstate = getattr(orig, "sqlstate", None) or ""
    cause = orig.__cause__ or orig.__context__ if orig is not None else None
    user = url.username or "(none)"
    if re.search(r"no encryption|insecure transport", lowered) or code == _MYSQL_INSECURE:
        problem = (
            f"the bureau database at {url.where} accepts only encrypted connections: "
            "set sslmode=verify-full&sslrootcert=/path/to/bureau-ca.pem (or sslmode=require)"
        )
    elif sqlstate.startswith("28") or code in _MYSQL_AUTH or "authentication failed" in lowered:
        problem = (
            f"the bureau database refused user {user!r}: wrong password, "
            "or the user may not log in from this kiosk"
        )
        if url.database_kind == bureau_url.MARIADB and not url.encrypted:
            # MariaDB answers a plain-text login under require_secure_transport the same way
            problem += ", or the server accepts only encrypted connections (sslmode=require)"
    elif sqlstate == "3D000" or code in _MYSQL_NO_DATABASE:
        problem = f"the bureau database server has no database {url.database!r}"
    elif re.search(r"ssl|tls", lowered) and re.search(r"(n't|not) support", lowered):
        problem = (
            f"the bureau database at {url.where} does not offer TLS, and the URL requires it "
            f"(sslmode={url.sslmode or 'require'}): turn TLS on in the database server"
        )
    elif (
        code in _MYSQL_TLS
        or isinstance(cause, ssl.SSLError)
        or re.search(r"ssl|tls|certificate", lowered)
    ):
        problem = (
            f"TLS with the bureau database at {url.where} failed: check sslmode, sslrootcert "
            "(the CA that signed the server's certificate) and the host name in the URL"
        )
    elif isinstance(cause, socket.gaierror) or re.search(
        r"translate host name|name or service not known|getaddrinfo|nodename", lowered
    ):
        problem = f"the bureau database host {url.host!r} is unknown (a typo, or no DNS)"
    elif re.search(r"timeout|timed out", lowered):
        problem = f"the bureau database at {url.where} did not answer in time"
    else:
        problem = f"cannot reach the bureau database at {url.where}"
    return Probe(problem, detail)
