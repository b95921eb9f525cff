"""`kiosk db upgrade`, `kiosk sync reconcile`, `kiosk bureau …` on bad input: one precise
line and exit status 2, never a traceback, never a password (#12 item 14).

Before: a MariaDB URL with ``?sslmode=require`` raised TypeError, ``tcp://host:notaport``
ValueError, a broken kiosk.toml ConfigError, a bureau without its schema ProgrammingError —
each as a traceback on the operator's terminal.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.app import main as kiosk_main
from tests.store.conftest import MARIADB_URL, ScratchDatabases

DEAD = "postgresql+psycopg://kiosk:S3cretPW@127.0.0.1:1/bureau"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = kiosk_main(list(args))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    return code, captured.err


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("tcp://host:notaport", "cannot be read"),
        ("postgresql+psycopg://kiosk@db:notaport/bureau", "cannot be read"),
        ("nonsense", "not a database URL"),
        ("sqlite:///bureau.db", "PostgreSQL or MariaDB"),
        ("oracle://kiosk@db/bureau", "PostgreSQL or MariaDB"),
        (f"{MARIADB_URL}?sslmode=require", "ssl_ca"),
    ],
)
def test_a_bureau_url_that_cannot_work_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, url: str, says: str
) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text(f'data_dir = "{tmp_path}"\n', encoding="utf-8")
    for command in (
        ["db", "upgrade", "--bureau", url],
        ["sync", "reconcile", "--config", str(config), "--bureau", url],
        ["bureau", "call-next", "B", "--window", "1", "--config", str(config), "--bureau", url],
        ["bureau", "set-status", "K7QXM3P9RT", "ready", "--config", str(config), "--bureau", url],
    ):
        code, err = run(capsys, *command)
        assert code == 2 and says in err and len(err.strip().splitlines()) == 1, (command, err)


def test_an_unreachable_bureau_is_one_line_without_the_password(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text(f'data_dir = "{tmp_path}"\n', encoding="utf-8")
    for command in (
        ["db", "upgrade", "--bureau", DEAD],
        ["sync", "reconcile", "--config", str(config), "--bureau", DEAD],
        ["bureau", "call-next", "B", "--window", "1", "--config", str(config), "--bureau", DEAD],
    ):
        code, err = run(capsys, *command)
        assert code == 2 and "bureau database" in err and "S3cretPW" not in err, err


def test_a_broken_config_file_is_named_not_thrown(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text("kiosk_id = [unclosed\n", encoding="utf-8")
    code, err = run(capsys, "sync", "reconcile", "--config", str(config), "--bureau", DEAD)
    assert code == 2 and "not valid TOML" in err
    code, err = run(capsys, "db", "upgrade", "--config", str(tmp_path / "missing.toml"))
    assert code == 2 and "file not found" in err
    config.write_text(f'data_dir = "{tmp_path}"\n', encoding="utf-8")
    code, err = run(capsys, "bureau", "call-next", "B", "--window", "1", "--config", str(config))
    assert code == 2 and "no bureau database" in err


@pytest.mark.db
def test_a_bureau_without_its_schema_says_what_to_run(
    capsys: pytest.CaptureFixture[str], pg_server: ScratchDatabases
) -> None:
    url = pg_server.create("noschema").render_as_string(hide_password=False)
    code, err = run(capsys, "bureau", "set-status", "K7QXM3P9RT", "ready", "--bureau", url)
    assert code == 2 and "kiosk db upgrade --bureau" in err


def test_the_installed_command_prints_no_traceback(tmp_path: Path) -> None:
    kiosk = Path(sys.executable).with_name("kiosk")
    done = subprocess.run(
        [str(kiosk), "db", "upgrade", "--bureau", f"{MARIADB_URL}?sslmode=require"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "sslmode" in done.stderr and "ssl_ca" in done.stderr
