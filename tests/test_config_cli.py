"""`kiosk config check` explains every problem and never a secret; `kiosk set-pin` stores only
a hash; neither prints a traceback on bad input.  The bureau connection is tried for real:
the machine's PostgreSQL and MariaDB, and throwaway TLS-only servers (tests/store/tls_servers.py).
"""

from __future__ import annotations

import io
import os
import socket
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import URL

from kiosk.app import main, run_kiosk
from kiosk.cli.config import redact_url
from kiosk.config import load_settings
from kiosk.staff_pin import verify_pin
from kiosk.store.db import bureau_engine, migrate
from tests.store.conftest import (  # noqa: F401 (fixtures, used by name)
    bureau_urls,
    mariadb_server,
    pg_bureau_url,
    pg_server,
)
from tests.store.tls_servers import (  # noqa: F401 (fixtures, used by name)
    PASSWORD,
    TlsServer,
    mariadb_tls,
    pg_tls,
)

SECRET = "Hunter2-s3cret"


def check(tmp_path: Path, text: str, *extra: str) -> tuple[int, str]:
    """Run `kiosk config check` on a file holding ``text``: exit status, everything printed."""
    config = tmp_path / "kiosk.toml"
    config.write_text(text, encoding="utf-8")
    os.chmod(config, 0o600)
    return run("config", "check", "--config", str(config), *extra)


def run(*argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        status = main(list(argv))  # an exception here fails the test: no traceback, ever
    finally:
        sys.stdout, sys.stderr = saved
    return status, out.getvalue() + err.getvalue()


def url_text(url: URL) -> str:
    return url.render_as_string(hide_password=False)


# ── the file itself ────────────────────────────────────────────────────────


def test_check_passes_on_a_good_file_and_hides_the_password(tmp_path: Path) -> None:
    status, out = check(
        tmp_path,
        'kiosk_id = "hall1-03"\n'
        f'bureau_url = "postgresql+psycopg://kiosk:{SECRET}@db.hall/bureau?sslmode=require"\n'
        f'data_dir = "{tmp_path}"\n',
        "--offline",
    )
    assert status == 0, out
    assert "configuration OK" in out and "hall1-03" in out
    assert SECRET not in out, "secrets never appear in output"
    assert "postgresql+psycopg://kiosk:***@db.hall/bureau?sslmode=require" in out
    assert "not tried: --offline" in out


def test_check_explains_every_problem(tmp_path: Path) -> None:
    status, out = check(
        tmp_path,
        'idle_seconds = "soon"\ntheme = "pink"\ncolour = 3\n[printers.ticket]\nbackend = "cups"\n',
    )
    assert status == 1
    assert "kiosk.toml:1: idle_seconds must be a whole number, not 'soon'" in out
    assert "kiosk.toml:2: theme must be one of" in out
    assert "kiosk.toml:3: unknown setting 'colour'" in out
    assert "kiosk.toml:4: printers.ticket: a cups printer needs 'queue'" in out
    assert "4 problem(s); the kiosk would not start." in out


def test_check_reports_bad_toml_a_bad_url_and_a_damaged_hash(tmp_path: Path) -> None:
    status, out = check(tmp_path, "kiosk_id = \n")
    assert status == 1 and "not valid TOML" in out
    status, out = check(tmp_path, 'bureau_url = "sqlite:///x.db"\n')
    assert status == 1 and "not supported" in out
    status, out = check(tmp_path, 'pin_hash = "scrypt$1234"\n', "--offline")
    assert status == 1 and "pin_hash must look like" in out and "1234" not in out
    status, out = run("config", "check", "--config", str(tmp_path / "missing.toml"))
    assert status == 1 and "file not found" in out


def test_check_names_a_kiosk_id_the_bureau_cannot_store(tmp_path: Path) -> None:
    status, out = check(tmp_path, f'kiosk_id = "{"k" * 65}"\n')
    assert status == 1 and "kiosk_id must be at most 64 characters" in out


def test_check_refuses_a_printer_port_that_is_not_a_number(tmp_path: Path) -> None:
    status, out = check(
        tmp_path, '[printers.ticket]\nbackend = "escpos"\ndevice = "tcp://10.0.0.9:notaport"\n'
    )
    assert status == 1 and "the port must be a number from 1 to 65535" in out


def test_check_says_when_others_can_read_a_file_with_secrets(tmp_path: Path) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'bureau_url = "postgresql+psycopg://kiosk:{SECRET}@127.0.0.1/bureau"\n', "utf-8"
    )
    os.chmod(config, 0o644)
    status, out = run("config", "check", "--config", str(config), "--offline")
    assert status == 1 and f"chmod 600 {config}" in out and SECRET not in out


# ── never a secret, never a traceback ──────────────────────────────────────


@pytest.mark.parametrize(
    "text",
    [
        "pin_hash = 1234\n",
        'pin_hash = "1234"\n',
        f'pin_hash = "{SECRET}"\n',
        f'bureau_url = ["postgresql+psycopg://kiosk:{SECRET}@db/bureau"]\n',
        f'bureau_url = {{ url = "postgresql+psycopg://kiosk:{SECRET}@db/bureau" }}\n',
        f'bureau_url = "postgresql+psycopg://kiosk:{SECRET}@db.hall/bureau"\n',  # no TLS
        f'bureau_url = "postgresql+psycopg://kiosk:Hun@ter2-{SECRET}@db/bureau?sslmode=require"\n',
        f'bureau_url = "postgresql+psycopg://kiosk@127.0.0.1/bureau?password={SECRET}"\n',
        f'bureau_url = "postgresql+psycopg://kiosk@127.0.0.1/bureau?password={SECRET}&x=1"\n',
        f'bureau_url = "postgresql+psycopg://kiosk:{SECRET}@127.0.0.1:1/bureau"\n',  # unreachable
        f'bureau_url = "mysql+pymysql://kiosk:{SECRET}@127.0.0.1:1/bureau"\n',
        f'bureau_url = "postgresql+psycopg://kiosk:{SECRET}@127.0.0.1:bad/bureau"\n',
        f'bureau_url = "{SECRET}"\n',
        f'bureau_url = "postgresql+psycopg://kiosk:{SECRET}@127.0.0.1/bureau"\nwhatever = 1\n',
        f'[printers.ticket]\nbureau_url = "postgresql+psycopg://k:{SECRET}@db/b"\n',
    ],
)
def test_no_secret_on_any_path(tmp_path: Path, text: str) -> None:
    for extra in ((), ("--offline",)):
        _status, out = check(tmp_path, text, *extra)
        assert out.strip()
        assert SECRET not in out and "Hun@ter2" not in out, out
        assert "1234" not in out, out


@pytest.mark.parametrize(
    "text",
    [
        b"\xff\xfe not utf-8",
        b"[[printers]]\n",
        b"printers = []\n",
        b'[printers.ticket]\nbackend = "escpos"\ndevice = ["x"]\n',
        b'catalog_path = "/"\n',
        b'catalog_path = "/bin/sh"\n',
        b'data_dir = "/dev/null/kiosk"\n',
        b'[printers.form]\nfolder = "/dev/null/printed"\n',
        b"idle_seconds = 1e400\n",
        b"day_reset_hour = 99999999999999999999999\n",
        'hall_name = "\U0001f600\\ud800"\n'.encode(),
        b'bureau_url = "postgresql+psycopg://kiosk@127.0.0.1/bureau\\u0000"\n',
    ],
)
def test_bad_input_never_ends_in_a_traceback(tmp_path: Path, text: bytes) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_bytes(text)
    status, out = run("config", "check", "--config", str(config), "--offline")
    assert status == 1, out
    assert "Traceback" not in out and out.strip()


def test_a_directory_as_the_config_file(tmp_path: Path) -> None:
    status, out = run("config", "check", "--config", str(tmp_path))
    assert status == 1 and "cannot read" in out


def test_redact_url() -> None:
    assert redact_url("postgresql://u:pw@h/db") == "postgresql://u:***@h/db"
    assert redact_url("postgresql://u@h/db") == "postgresql://u@h/db"
    assert redact_url("postgresql://u:p@ss@h/db") == "postgresql://u:***@h/db"
    assert redact_url("postgresql://u@h/db?password=pw&sslmode=require") == (
        "postgresql://u@h/db?password=***&sslmode=require"
    )
    assert redact_url(["postgresql://u:pw@h/db"]) == "(not shown)"
    assert redact_url("u:pw@h") == "(not shown: not a URL)"


# ── the bureau connection, tried for real ──────────────────────────────────


def test_check_reaches_a_migrated_bureau(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    bureau = url_text(request.getfixturevalue("pg_bureau_url"))
    status, out = check(tmp_path, f'bureau_url = "{bureau}"\n')
    assert status == 0, out
    assert "reached: PostgreSQL" in out and "not encrypted" in out  # this machine: loopback


def test_check_says_the_schema_is_missing(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    url = url_text(request.getfixturevalue("mariadb_server").create("empty"))
    status, out = check(tmp_path, f'bureau_url = "{url}"\n')
    assert status == 1 and "kiosk db upgrade --bureau URL" in out


@pytest.fixture(scope="module")
def migrated_tls(request: pytest.FixtureRequest) -> dict[str, TlsServer]:
    servers = {
        "postgresql": request.getfixturevalue("pg_tls"),
        "mariadb": request.getfixturevalue("mariadb_tls"),
    }
    for server in servers.values():
        engine = bureau_engine(
            server.url(f"sslmode=verify-full&sslrootcert={server.certificates.ca}")
        )
        migrate(engine, "bureau")
        engine.dispose()
    return servers


@pytest.fixture(params=["postgresql", "mariadb"])
def tls_server(request: pytest.FixtureRequest, migrated_tls: dict[str, TlsServer]) -> TlsServer:
    return migrated_tls[request.param]


@pytest.mark.db
def test_check_over_verified_tls(tmp_path: Path, tls_server: TlsServer) -> None:
    ca = tls_server.certificates.ca
    status, out = check(
        tmp_path, f'bureau_url = "{tls_server.url(f"sslmode=verify-full&sslrootcert={ca}")}"\n'
    )
    assert status == 0, out
    assert ", TLS" in out and PASSWORD not in out


@pytest.mark.db
def test_check_says_the_password_is_wrong(tmp_path: Path, tls_server: TlsServer) -> None:
    url = tls_server.url("sslmode=require", password=SECRET)
    status, out = check(tmp_path, f'bureau_url = "{url}"\n')
    assert status == 1 and f"refused user '{tls_server.user}': wrong password" in out
    assert SECRET not in out


@pytest.mark.db
def test_check_says_tls_failed(tmp_path: Path, tls_server: TlsServer) -> None:
    wrong = tls_server.certificates.wrong_ca
    url = tls_server.url(f"sslmode=verify-full&sslrootcert={wrong}")
    status, out = check(tmp_path, f'bureau_url = "{url}"\n')
    assert status == 1 and "TLS with the bureau database at localhost" in out and "failed" in out


@pytest.mark.db
def test_check_says_the_server_wants_encryption(tmp_path: Path, tls_server: TlsServer) -> None:
    status, out = check(tmp_path, f'bureau_url = "{tls_server.url("sslmode=disable")}"\n')
    assert status == 1
    assert "accepts only encrypted connections" in out


@pytest.mark.db
def test_check_says_the_server_offers_no_tls(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    bureau: URL = request.getfixturevalue("pg_bureau_url")
    url = url_text(bureau.update_query_dict({"sslmode": "require"}))
    status, out = check(tmp_path, f'bureau_url = "{url}"\n')
    assert status == 1 and "does not offer TLS" in out


def test_check_says_the_host_is_unknown(tmp_path: Path) -> None:
    url = "postgresql+psycopg://kiosk@no-such-host.invalid/bureau?sslmode=require"
    status, out = check(tmp_path, f'bureau_url = "{url}"\n')
    assert status == 1 and "host 'no-such-host.invalid' is unknown" in out


def test_check_says_nothing_listens(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    status, out = check(tmp_path, f'bureau_url = "mysql+pymysql://root@127.0.0.1:{port}/b"\n')
    assert status == 1 and f"cannot reach the bureau database at 127.0.0.1:{port}" in out


@pytest.fixture
def frozen_port() -> Iterator[int]:
    """A port whose accept queue is full: a connection attempt hangs (a frozen server)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port = server.getsockname()[1]
    plug = socket.create_connection(("127.0.0.1", port), timeout=5)
    yield port
    plug.close()
    server.close()


def test_check_gives_up_after_its_timeout(tmp_path: Path, frozen_port: int) -> None:
    url = f"postgresql+psycopg://kiosk@127.0.0.1:{frozen_port}/bureau"
    status, out = check(tmp_path, f'bureau_url = "{url}"\n', "--timeout", "2")
    assert status == 1 and "did not answer in time" in out


# ── a missing extra ────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "module, text, extra",
    [
        ("psycopg", 'bureau_url = "postgresql+psycopg://k@127.0.0.1/b"\n', "kiosk[postgres]"),
        ("pymysql", 'bureau_url = "mysql+pymysql://k@127.0.0.1/b"\n', "kiosk[mariadb]"),
        (
            "escpos",
            '[printers.ticket]\nbackend = "escpos"\ndevice = "/dev/usb/lp0"\n',
            "kiosk[escpos]",
        ),
    ],
)
def test_a_missing_driver_names_the_extra_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: str, text: str, extra: str
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # as if the extra were not installed
    status, out = check(tmp_path, text)
    assert status == 1 and f"pip install '{extra}'" in out, out
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    assert run_kiosk(str(tmp_path / "kiosk.toml")) == 1  # `kiosk run` refuses to start, too
    assert f"pip install '{extra}'" in err.getvalue()


# ── set-pin ────────────────────────────────────────────────────────────────


def set_pin(config: Path, typed: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(typed))
    return run("set-pin", "--stdin", "--config", str(config))


def test_set_pin_stores_a_private_hash_and_keeps_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text(
        '# kiosk 3\nkiosk_id = "hall1-03"\n[printers.form]\nbackend = "pdf-folder"\n', "utf-8"
    )
    old = os.umask(0o022)
    try:
        status, out = set_pin(config, "97531\n97531\n", monkeypatch)
    finally:
        os.umask(old)
    assert status == 0, out
    text = config.read_text(encoding="utf-8")
    assert "97531" not in text and "97531" not in out
    assert text.startswith("# kiosk 3\n")
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    settings = load_settings(config)
    assert settings.kiosk_id == "hall1-03"
    assert settings.pin_hash and verify_pin("97531", settings.pin_hash)
    status, out = set_pin(config, "1111\n2222\n", monkeypatch)
    assert status == 1 and "differ" in out
    assert verify_pin("97531", load_settings(config).pin_hash or "")


@pytest.mark.parametrize(
    "typed, message",
    [
        ("12\n12\n", "4–12 digits"),
        ("abcd\nabcd\n", "4–12 digits"),
        ("", "4–12 digits"),
        ("１２３４\n１２３４\n", "4–12 digits"),  # full-width digits
        ("1234\n", None),  # the repetition defaults to the first line: accepted
    ],
)
def test_set_pin_refuses_bad_pins_calmly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, typed: str, message: str | None
) -> None:
    status, out = set_pin(tmp_path / "kiosk.toml", typed, monkeypatch)
    if message is None:
        assert status == 0, out
    else:
        assert status == 1 and message in out and "nothing changed" in out


@pytest.mark.parametrize(
    "existing, message",
    [
        (b"kiosk_id = \n", "not valid TOML"),
        (b'theme = "dark"\n', "theme must be one of"),
        (b"\xff\xfe", "cannot read"),
    ],
)
def test_set_pin_leaves_a_broken_file_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, existing: bytes, message: str
) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_bytes(existing)
    status, out = set_pin(config, "2468\n2468\n", monkeypatch)
    assert status == 1 and message in out and "nothing changed" in out
    assert config.read_bytes() == existing


def test_set_pin_where_nothing_can_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    status, out = set_pin(blocker / "kiosk.toml", "2468\n2468\n", monkeypatch)
    assert status == 1 and "cannot write" in out and "Traceback" not in out
    status, out = set_pin(tmp_path, "2468\n2468\n", monkeypatch)  # a directory
    assert status == 1 and "nothing changed" in out
