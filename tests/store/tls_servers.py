"""Throwaway database servers with TLS, started by the tests: PostgreSQL and MariaDB.

Each runs from a temporary folder on a free loopback port with a self-signed
certificate authority of its own (openssl), so the kiosk's TLS settings meet a
real server: ``sslmode=require``, ``verify-full`` against the right and a wrong CA,
a server that refuses plain text, a wrong password.

* PostgreSQL 15 (initdb + postgres as the ``postgres`` user): ``ssl = on``,
  ``hostssl … scram-sha-256`` and ``hostnossl … reject`` — TLS only, with a password.
* MariaDB (mariadb-install-db + mariadbd): ``ssl_cert`` / ``ssl_key`` and
  ``require_secure_transport = ON``; user ``kiosk`` with a password.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PASSWORD = "tls-Test-pw1"
DATABASE = "bureau"


@dataclass(frozen=True)
class Certificates:
    folder: Path
    ca: Path  # the CA that signed the server's certificate
    wrong_ca: Path  # a CA that did not
    cert: Path
    key: Path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run(*command: str | Path, **kwargs: object) -> None:
    # initdb refuses a locale the machine does not have (a test process may set LANG).
    kwargs.setdefault("env", {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"})
    subprocess.run(
        [str(c) for c in command], check=True, capture_output=True, timeout=120, **kwargs
    )  # type: ignore[call-overload]


def make_certificates(folder: Path) -> Certificates:
    """A CA, a server certificate for "localhost" signed by it, and a stranger CA.

    Only the name: reached as 127.0.0.1 the host name does not match (verify-full refuses,
    verify-ca takes it).
    """
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("ca", "wrong-ca"):
        _run(
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", f"/CN=kiosk test {name}", "-keyout", folder / f"{name}.key",
            "-out", folder / f"{name}.pem",
        )  # fmt: skip
    (folder / "san.ext").write_text("subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n")
    _run(
        "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
        "-keyout", folder / "server.key", "-out", folder / "server.csr",
    )  # fmt: skip
    _run(
        "openssl", "x509", "-req", "-in", folder / "server.csr", "-CA", folder / "ca.pem",
        "-CAkey", folder / "ca.key", "-CAcreateserial", "-days", "2",
        "-extfile", folder / "san.ext", "-out", folder / "server.pem",
    )  # fmt: skip
    return Certificates(
        folder,
        folder / "ca.pem",
        folder / "wrong-ca.pem",
        folder / "server.pem",
        folder / "server.key",
    )


def _wait(ready: Callable[[], bool], what: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120  # a busy machine: generous
    while not ready():
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start within 120 s")
        time.sleep(0.2)


def _listening(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
        return True
    return False


@dataclass
class TlsServer:
    kind: str  # "postgresql" | "mariadb"
    port: int
    certificates: Certificates
    user: str

    def url(self, query: str = "", *, password: str = PASSWORD, host: str = "localhost") -> str:
        scheme = "postgresql+psycopg" if self.kind == "postgresql" else "mysql+pymysql"
        tail = f"?{query}" if query else ""
        return f"{scheme}://{self.user}:{password}@{host}:{self.port}/{DATABASE}{tail}"


@contextlib.contextmanager
def postgres_with_tls() -> Iterator[TlsServer]:
    binaries = Path("/usr/lib/postgresql")
    versions = sorted(binaries.glob("*/bin/initdb"))
    if not versions or shutil.which("runuser") is None:
        raise RuntimeError("PostgreSQL server binaries (initdb) are not installed")
    bin_dir = versions[-1].parent
    root = Path(tempfile.mkdtemp(prefix="kiosk-pg-tls-"))
    try:
        certificates = make_certificates(root / "certs")
        data = root / "data"
        data.mkdir()
        for path in (root, data, certificates.folder, *certificates.folder.iterdir()):
            shutil.chown(path, "postgres", "postgres")
        os.chmod(certificates.key, 0o600)
        os.chmod(root, 0o755)
        initdb = bin_dir / "initdb"
        _run("runuser", "-u", "postgres", "--", initdb, "-D", data, "-A", "trust", "-E", "UTF8")
        (data / "pg_hba.conf").write_text(
            "local all all trust\n"
            "hostssl all all 127.0.0.1/32 scram-sha-256\n"
            "hostnossl all all 127.0.0.1/32 reject\n"
        )
        port = _free_port()
        server = subprocess.Popen(
            [
                "runuser", "-u", "postgres", "--", str(bin_dir / "postgres"), "-D", str(data),
                "-p", str(port), "-k", str(root), "-c", "listen_addresses=127.0.0.1",
                "-c", "ssl=on", "-c", f"ssl_cert_file={certificates.cert}",
                "-c", f"ssl_key_file={certificates.key}", "-c", "fsync=off",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            _wait(
                lambda: (root / f".s.PGSQL.{port}").exists() and _listening(port),
                "postgres",
                server,
            )
            psql = [str(bin_dir.parent / "bin" / "psql"), "-h", str(root), "-p", str(port)]
            if not Path(psql[0]).exists():
                psql[0] = shutil.which("psql") or "psql"
            for sql in (
                f"ALTER USER postgres PASSWORD '{PASSWORD}'",
                f"CREATE DATABASE {DATABASE}",
            ):
                _run("runuser", "-u", "postgres", "--", *psql, "-U", "postgres", "-c", sql)
            yield TlsServer("postgresql", port, certificates, "postgres")
        finally:
            server.terminate()
            server.wait(timeout=60)
    finally:
        shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def mariadb_with_tls() -> Iterator[TlsServer]:
    install = shutil.which("mariadb-install-db")
    daemon = shutil.which("mariadbd") or "/usr/sbin/mariadbd"
    if install is None or not Path(daemon).exists():
        raise RuntimeError("MariaDB server binaries (mariadb-install-db) are not installed")
    root = Path(tempfile.mkdtemp(prefix="kiosk-mariadb-tls-"))
    try:
        certificates = make_certificates(root / "certs")
        data = root / "data"
        _run(
            install, "--no-defaults", f"--datadir={data}", "--user=root",
            "--auth-root-authentication-method=normal", "--skip-test-db",
        )  # fmt: skip
        port = _free_port()
        sock = root / "mariadb.sock"
        server = subprocess.Popen(
            [
                daemon, "--no-defaults", f"--datadir={data}", "--user=root",
                f"--port={port}", "--bind-address=127.0.0.1", f"--socket={sock}",
                f"--pid-file={root / 'mariadb.pid'}", "--skip-log-bin",
                f"--ssl-ca={certificates.ca}", f"--ssl-cert={certificates.cert}",
                f"--ssl-key={certificates.key}", "--require-secure-transport=ON",
                "--innodb-buffer-pool-size=16M", "--innodb-log-file-size=8M",
                "--skip-innodb-doublewrite", "--skip-name-resolve",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            _wait(lambda: sock.exists() and _listening(port), "mariadbd", server)
            client = shutil.which("mariadb") or shutil.which("mysql") or "mariadb"
            sql = (
                f"CREATE DATABASE {DATABASE} CHARACTER SET utf8mb4; "
                f"CREATE USER 'kiosk'@'127.0.0.1' IDENTIFIED BY '{PASSWORD}'; "
                f"GRANT ALL ON {DATABASE}.* TO 'kiosk'@'127.0.0.1';"
            )
            _run(client, "--no-defaults", f"--socket={sock}", "-uroot", "-e", sql)
            yield TlsServer("mariadb", port, certificates, "kiosk")
        finally:
            server.terminate()
            server.wait(timeout=60)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _started(
    start: Callable[[], contextlib.AbstractContextManager[TlsServer]], what: str
) -> Iterator[TlsServer]:
    try:
        with start() as server:
            yield server
    except RuntimeError as exc:  # no server binaries on this machine
        if os.environ.get("KIOSK_REQUIRE_DB") == "1":
            pytest.fail(f"{what} with TLS could not be started: {exc}", pytrace=False)
        pytest.skip(f"{what} with TLS could not be started: {exc}")


@pytest.fixture(scope="session")
def pg_tls() -> Iterator[TlsServer]:
    """A throwaway PostgreSQL that speaks only TLS and wants a password."""
    yield from _started(postgres_with_tls, "PostgreSQL")


@pytest.fixture(scope="session")
def mariadb_tls() -> Iterator[TlsServer]:
    """A throwaway MariaDB that speaks only TLS (require_secure_transport)."""
    yield from _started(mariadb_with_tls, "MariaDB")
