"""The bureau database URL as the operator writes it: parsed, checked and shown without secrets.

Plain Python (no SQLAlchemy: that stays in kiosk.store), parsed the way SQLAlchemy's
``make_url`` does so that what is checked here is what the kiosk connects to.

* Two databases, each with the driver the kiosk ships as an extra:
  ``postgresql+psycopg://`` (``kiosk[postgres]``) and ``mysql+pymysql://`` /
  ``mariadb+pymysql://`` (``kiosk[mariadb]``).
* TLS is said the same way for both: ``sslmode`` (disable, prefer, require,
  verify-ca, verify-full) with ``sslrootcert`` (the CA that signed the server's
  certificate), ``sslcert`` / ``sslkey`` for a client certificate.  PostgreSQL
  reads them itself (libpq); for MariaDB kiosk.store turns them into PyMySQL's
  ``ssl`` connect arguments.  PyMySQL's own ``ssl_ca`` … parameters work too.
* A host that is not this machine must be reached over TLS (``require`` or
  better) unless the configuration says ``allow_plaintext = true``.
* :func:`redact` shows a URL with its password and secret parameters as ``***``
  and never shows a value it cannot parse.
"""

from __future__ import annotations

import importlib.util
import ipaddress
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote

POSTGRES = "postgres"
MARIADB = "mariadb"

SCHEMES = {
    "postgresql+psycopg": POSTGRES,
    "mysql+pymysql": MARIADB,
    "mariadb+pymysql": MARIADB,
}
DRIVER_MODULES = {POSTGRES: "psycopg", MARIADB: "pymysql"}
EXTRAS = {POSTGRES: "kiosk[postgres]", MARIADB: "kiosk[mariadb]"}
NAMES = {POSTGRES: "PostgreSQL", MARIADB: "MariaDB"}

SSLMODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
ENCRYPTED = ("require", "verify-ca", "verify-full")  # a connection that cannot be plain text
# The kiosk's TLS words, the same for both databases.
TLS_PARAMETERS = ("sslmode", "sslrootcert", "sslcert", "sslkey")
# PyMySQL's own TLS parameters, which SQLAlchemy hands over as its `ssl` argument.
PYMYSQL_TLS = ("ssl_ca", "ssl_cert", "ssl_key", "ssl_capath", "ssl_cipher", "ssl_check_hostname")
PARAMETERS = {
    POSTGRES: (
        *TLS_PARAMETERS,
        "host",  # libpq: a Unix socket folder, or more hosts
        "password",  # shown as *** like the one in the user part
        "sslcrl",
        "sslpassword",
        "application_name",
        "connect_timeout",
        "target_session_attrs",
        "channel_binding",
        "gssencmode",
        "options",
    ),
    MARIADB: (*TLS_PARAMETERS, *PYMYSQL_TLS, "password", "charset", "unix_socket"),
}
SECRET_PARAMETERS = ("password", "sslpassword", "ssl_key_password")
FILE_PARAMETERS = ("sslrootcert", "sslcert", "sslkey", "sslcrl", "ssl_ca", "ssl_cert", "ssl_key")

# SQLAlchemy's URL pattern (sqlalchemy.engine.url._parse_url), so both read the same parts.
_URL = re.compile(
    r"""
    (?P<scheme>[\w+]+)://
    (?:
        (?P<username>[^:/]*)
        (?::(?P<password>[^@]*))?
    @)?
    (?:
        (?:
            \[(?P<ipv6host>[^/?]+)\] |
            (?P<ipv4host>[^/:?]+)
        )?
        (?::(?P<port>[^/?]*))?
    )?
    (?:/(?P<database>[^?]*))?
    (?:\?(?P<query>.*))?
    """,
    re.X | re.S,
)


class BadUrl(ValueError):
    """Why a bureau URL cannot be used; the message never contains a secret."""


@dataclass(frozen=True)
class BureauUrl:
    scheme: str
    database_kind: str  # POSTGRES or MARIADB
    username: str | None
    has_password: bool
    host: str | None
    port: int | None
    database: str
    query: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return NAMES[self.database_kind]

    @property
    def sslmode(self) -> str | None:
        return self.query.get("sslmode")

    @property
    def encrypted(self) -> bool:
        """TLS is required: the connection fails rather than fall back to plain text."""
        if self.sslmode in ENCRYPTED:
            return True
        native = [k for k in PYMYSQL_TLS if k in self.query]
        return self.database_kind == MARIADB and bool(native)

    @property
    def local(self) -> bool:
        """The database runs on this machine (loopback or a Unix socket)."""
        hosts = [self.host] if self.host else self.query.get("host", "").split(",")
        return all(_is_local(host.strip()) for host in hosts)

    @property
    def where(self) -> str:
        host = self.host or self.query.get("host") or "localhost"
        return f"{host}:{self.port}" if self.port else host


def _is_local(host: str) -> bool:
    if not host or host == "localhost" or host.startswith("/"):  # default, or a Unix socket
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse(url: str, *, allow_plaintext: bool = False) -> BureauUrl:
    """The parts of a bureau URL, or :class:`BadUrl` saying what is wrong (no secrets)."""
    if url != url.strip() or any(ord(c) < 32 for c in url):
        raise BadUrl("has spaces or control characters around or inside it")
    if url.count("@") > 1:
        # SQLAlchemy would end the password at the first '@' and read the rest as the host.
        raise BadUrl(
            "has more than one '@': write a '@' inside the password as %40 "
            "(and ':' as %3A, '/' as %2F)"
        )
    match = _URL.fullmatch(url)
    if match is None:
        raise BadUrl("is not a database URL (like postgresql+psycopg://kiosk@db.hall/bureau)")
    scheme = match.group("scheme")
    kind = SCHEMES.get(scheme.lower())
    if kind is None:
        if scheme.lower() in ("postgresql", "postgres", "mysql", "mariadb"):
            raise BadUrl(
                f"{scheme}:// names no driver: write postgresql+psycopg:// or mysql+pymysql://"
            )
        raise BadUrl(
            f"{scheme}:// is not supported (use postgresql+psycopg:// or mysql+pymysql://)"
        )
    port_text = match.group("port")
    port = None
    if port_text:
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise BadUrl("the port is not a number from 1 to 65535")
        port = int(port_text)
    database = unquote(match.group("database") or "")
    if not database:
        raise BadUrl("names no database (end it with /bureau, the database's name)")
    query: dict[str, str] = {}
    for key, value in parse_qsl(match.group("query") or "", keep_blank_values=True):
        if key in query:
            raise BadUrl(f"gives ?{key}= twice")
        query[key] = value
    parsed = BureauUrl(
        scheme=scheme,
        database_kind=kind,
        username=unquote(match.group("username")) if match.group("username") else None,
        has_password=match.group("password") is not None,
        host=match.group("ipv6host") or match.group("ipv4host"),
        port=port,
        database=database,
        query=query,
    )
    _check_parameters(parsed)
    if not parsed.local and not parsed.encrypted and not allow_plaintext:
        raise BadUrl(
            f"{parsed.where} is another machine and the connection is not encrypted: "
            "add ?sslmode=verify-full&sslrootcert=/path/to/bureau-ca.pem (or sslmode=require), "
            "or set allow_plaintext = true for a closed hall network"
        )
    return parsed


def _check_parameters(url: BureauUrl) -> None:
    known = PARAMETERS[url.database_kind]
    for key in url.query:
        if key not in known:
            if url.database_kind == MARIADB and key == "ssl":
                raise BadUrl("MariaDB: write ?sslmode=require (or verify-full), not ?ssl=")
            raise BadUrl(
                f"{url.name} takes no parameter {key!r} (known: {', '.join(sorted(known))})"
            )
    mode = url.sslmode
    if mode is not None and mode not in SSLMODES:
        raise BadUrl(f"sslmode must be one of {', '.join(SSLMODES)}")
    native = [k for k in PYMYSQL_TLS if k in url.query]
    ours = [k for k in TLS_PARAMETERS if k in url.query]
    if native and ours:
        raise BadUrl(f"give TLS either as {', '.join(ours)} or as {', '.join(native)}, not both")
    needs_ca = url.database_kind == MARIADB and mode in ("verify-ca", "verify-full")
    if needs_ca and not url.query.get("sslrootcert"):
        raise BadUrl(
            f"sslmode={mode} needs sslrootcert=/path/to/bureau-ca.pem "
            "(the certificate authority that signed the server's certificate)"
        )
    for key in FILE_PARAMETERS:
        value = url.query.get(key)
        system = key == "sslrootcert" and value == "system"  # libpq: the system's CAs
        if value is not None and not value.startswith("/") and not system:
            raise BadUrl(f"{key} must be an absolute path")


def missing_driver(url: BureauUrl) -> str | None:
    """What to install when the database driver for this URL is missing, else None."""
    module = DRIVER_MODULES[url.database_kind]
    if importlib.util.find_spec(module) is not None:
        return None
    extra = EXTRAS[url.database_kind]
    return (
        f"bureau_url is a {url.name} database but its driver ({module}) is not installed: "
        f"pip install '{extra}'"
    )


def redact(url: object) -> str:
    """A URL fit to print: password and secret parameters as ***; never the unparsable."""
    if not isinstance(url, str):
        return "(not shown)"
    head = re.match(r"^([\w+]+)://", url)
    if head is None:
        return "(not shown: not a URL)"
    rest = url[head.end() :]
    if "@" in rest:
        userinfo, _, rest = rest.rpartition("@")
        user, colon, _password = userinfo.partition(":")
        rest = f"{user}{':***' if colon else ''}@{rest}"
    base, question, query = rest.partition("?")
    if question:
        pairs = []
        for pair in query.split("&"):
            key, equals, _value = pair.partition("=")
            secret = unquote(key).lower() in SECRET_PARAMETERS
            pairs.append(f"{key}=***" if equals and secret else pair)
        base = f"{base}?{'&'.join(pairs)}"
    return f"{head.group(0)}{base}"
