"""kiosk.config: one settings object from a TOML file, defaults without one, clear errors."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest
from pydantic import ValidationError

from kiosk import SHIPPED_CATALOG
from kiosk.config import (
    DOCUMENT_KINDS,
    ConfigError,
    PrinterSettings,
    Settings,
    default_config_path,
    load_settings,
    settings_from_mapping,
    write_settings,
)
from kiosk.kinds import DocumentKind, Language, PrinterBackend, ThemeName


@pytest.fixture(autouse=True)
def own_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """platformdirs follows XDG on Linux: keep the real user's config and data out of it."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def write(tmp_path: Path, text: str, name: str = "kiosk.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert str(caught.value) == "\n".join(caught.value.problems)
    assert all(p.startswith(f"{path}") for p in caught.value.problems)
    # "kiosk.toml:3: idle_seconds …": the file, the line where found, the setting
    return [
        re.sub(r"^:\d+", "", p.removeprefix(str(path))).removeprefix(": ")
        for p in caught.value.problems
    ]


# ── defaults ───────────────────────────────────────────────────────────────


def test_no_file_means_the_defaults(tmp_path: Path) -> None:
    assert not default_config_path().exists()
    assert default_config_path().is_relative_to(tmp_path / "config")
    settings = load_settings()
    assert settings == Settings()
    assert settings.kiosk_id == "kiosk-01"
    assert settings.catalog_path == SHIPPED_CATALOG
    assert settings.bureau_url is None  # embedded SQLite only
    assert settings.theme == "standard" and settings.language == "zh"
    assert settings.theme is ThemeName.STANDARD and settings.language is Language.ZH
    assert settings.data_dir.is_relative_to(tmp_path / "data")
    assert settings.local_db_path == settings.data_dir / "kiosk.sqlite3"
    assert settings.local_url == f"sqlite:///{settings.data_dir / 'kiosk.sqlite3'}"
    assert set(settings.printers) == set(DOCUMENT_KINDS) == {"ticket", "notice", "form"}


def test_the_default_printer_is_a_pdf_folder_in_the_data_dir() -> None:
    settings = Settings(data_dir=Path("/srv/kiosk"))
    for kind in DOCUMENT_KINDS:
        printer = settings.printer(kind)
        assert printer.backend == "pdf-folder"
        assert printer.folder == Path("/srv/kiosk/printed")
        assert printer.timeout_s == 30.0
    with pytest.raises(ValueError):
        settings.printer("unknown-kind")  # a kind the code made up is a bug, not a default


def test_the_default_config_file_is_read_when_present() -> None:
    path = default_config_path()
    path.parent.mkdir(parents=True)
    path.write_text('kiosk_id = "hall-3"\n', encoding="utf-8")
    assert load_settings().kiosk_id == "hall-3"


def test_settings_are_frozen() -> None:
    settings = Settings()
    with pytest.raises(ValidationError):
        settings.kiosk_id = "x"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        PrinterSettings().backend = "cups"  # type: ignore[misc]


def test_a_changed_copy_is_validated_like_a_file(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, source=tmp_path / "kiosk.toml")
    changed = settings.with_values(language="en", theme="elder")
    assert (changed.language, changed.theme) == (Language.EN, ThemeName.ELDER)
    assert changed.data_dir == tmp_path and changed.source == tmp_path / "kiosk.toml"
    assert settings.language is Language.ZH  # the original is untouched
    with pytest.raises(ConfigError) as caught:
        settings.with_values(theme="dark", idle_seconds=0)
    assert caught.value.problems == [
        "settings: idle_seconds must be above 0, not 0",
        "settings: theme must be one of 'standard', 'elder' or 'contrast', not 'dark'",
    ]


def test_defaults_are_not_shared_between_instances() -> None:
    first, second = Settings(), Settings()
    assert first.printers == second.printers
    assert first.printers is not second.printers


# ── a full file ────────────────────────────────────────────────────────────

FULL = """
kiosk_id = "kiosk-07"
hall_name = "山北乡政务服务站"
data_dir = "~/kiosk-data"
catalog_path = "/etc/kiosk/catalog.yaml"
bureau_url = "postgresql+psycopg://kiosk@db/bureau?sslmode=verify-full&sslrootcert=/etc/ca.pem"
status_url = "https://zwfw.example/q/{code}"
idle_seconds = 45
form_idle_seconds = 90
countdown_seconds = 10
theme = "elder"
language = "en"
pin_hash = "scrypt$abc"  # damaged: `kiosk config check` says so, the kiosk still starts
retention_days = 14
day_reset_hour = 4
ticket_block_size = 50

[printers.ticket]
backend = "escpos"
device = "tcp://192.168.1.20:9100"
timeout_s = 5

[printers.notice]
backend = "cups"
queue = "HallLaser"

[printers.form]
folder = "/var/spool/kiosk"
"""


def test_a_full_file(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, FULL))
    assert settings.kiosk_id == "kiosk-07"
    assert settings.hall_name == "山北乡政务服务站"
    assert settings.data_dir == Path("~/kiosk-data").expanduser()
    assert settings.catalog_path == Path("/etc/kiosk/catalog.yaml")
    assert settings.bureau_url == (
        "postgresql+psycopg://kiosk@db/bureau?sslmode=verify-full&sslrootcert=/etc/ca.pem"
    )
    assert settings.status_url == "https://zwfw.example/q/{code}"
    assert (settings.idle_seconds, settings.form_idle_seconds, settings.countdown_seconds) == (
        45,
        90,
        10,
    )
    assert (settings.theme, settings.language, settings.pin_hash) == ("elder", "en", "scrypt$abc")
    assert (settings.retention_days, settings.day_reset_hour, settings.ticket_block_size) == (
        14,
        4,
        50,
    )
    assert settings.printer("ticket") == PrinterSettings(
        backend="escpos", device="tcp://192.168.1.20:9100", timeout_s=5.0
    )
    assert settings.printer("ticket").backend is PrinterBackend.ESCPOS
    assert settings.printer("notice") == PrinterSettings(backend="cups", queue="HallLaser")
    assert set(settings.printers) == set(DocumentKind)
    assert settings.printer("form").folder == Path("/var/spool/kiosk")


def test_a_partial_file_keeps_the_other_defaults(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, 'theme = "contrast"\n[printers.notice]\n'))
    assert settings.theme == "contrast"
    assert settings.kiosk_id == Settings().kiosk_id
    assert settings.printers["notice"] == PrinterSettings()
    assert set(settings.printers) == set(DOCUMENT_KINDS)


def test_from_a_mapping() -> None:
    assert settings_from_mapping({"kiosk_id": "k"}).kiosk_id == "k"
    with pytest.raises(ConfigError) as caught:
        settings_from_mapping({"kiosk_id": 3}, "env")
    assert caught.value.problems == ["env: kiosk_id must be text, not 3"]
    with pytest.raises(ConfigError) as caught:
        settings_from_mapping({"source": "/etc/other.toml"}, "env")
    assert caught.value.problems == ["env: unknown setting 'source'"]


# ── errors ─────────────────────────────────────────────────────────────────


def test_an_explicit_file_that_is_missing(tmp_path: Path) -> None:
    path = tmp_path / "nope.toml"
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert caught.value.problems == [f"{path}: file not found"]


def test_a_directory(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path)
    (problem,) = caught.value.problems
    assert problem.startswith(f"{tmp_path}: cannot read: ")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "gbk.toml"
    path.write_bytes('hall_name = "示范镇"\n'.encode("gbk"))
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    (problem,) = caught.value.problems
    assert problem.startswith(f"{path}: cannot read: ")


def test_not_toml(tmp_path: Path) -> None:
    (problem,) = problems(tmp_path, "kiosk_id = \n")
    assert problem.startswith("not valid TOML: ")
    assert "line 1" in problem


@pytest.mark.parametrize(
    "line, problem",
    [
        ('idle_seconds = "60"', "idle_seconds must be a whole number, not '60'"),
        ("idle_seconds = 1.5", "idle_seconds must be a whole number, not 1.5"),
        ("retention_days = true", "retention_days must be a whole number, not True"),
        ("kiosk_id = 7", "kiosk_id must be text, not 7"),
        ('kiosk_id = ""', "kiosk_id must not be empty"),
        (f'kiosk_id = "{"k" * 65}"', "kiosk_id must be at most 64 characters"),
        ('kiosk_id = " hall-1"', "kiosk_id: must be printable text without spaces around it"),
        ('theme = "dark"', "theme must be one of 'standard', 'elder' or 'contrast', not 'dark'"),
        ('language = "fr"', "language must be one of 'zh' or 'en', not 'fr'"),
        ('allow_plaintext = "yes"', "allow_plaintext must be true or false, not 'yes'"),
        ("idle_seconds = 0", "idle_seconds must be above 0, not 0"),
        ("ticket_block_size = -5", "ticket_block_size must be above 0, not -5"),
        ("ticket_block_size = 900", "ticket_block_size must be at most 899, not 900"),
        ("day_reset_hour = 24", "day_reset_hour must be at most 23, not 24"),
        ("day_reset_hour = -1", "day_reset_hour must be at least 0, not -1"),
        ('data_dir = ""', "data_dir: must be a path, not empty"),
        ("catalog_path = 5", "catalog_path must be a path (text), not 5"),
        ('colour = "red"', "unknown setting 'colour'"),
        ('printers = "all"', "[printers] must be a table"),
        (
            "[printers.receipt]",
            "printers.receipt: unknown document kind (use ticket, notice, form)",
        ),
        ('[printers]\nticket = "laser"', "printers.ticket must be a table"),
        (
            '[printers.ticket]\nbackend = "fax"',
            "printers.ticket.backend must be one of 'pdf-folder', 'cups' or 'escpos', not 'fax'",
        ),
        ('[printers.notice]\nbackend = "cups"', "printers.notice: a cups printer needs 'queue'"),
        (
            '[printers.ticket]\nbackend = "escpos"',
            "printers.ticket: an escpos printer needs 'device'",
        ),
        (
            '[printers.form]\nbackend = "escpos"\ndevice = "/dev/usb/lp0"',
            "printers.form: escpos (thermal roll) prints tickets only",
        ),
        ("[printers.form]\ncolour = 1", "printers.form: unknown key 'colour'"),
        ("[printers.form]\nfolder = 3", "printers.form.folder must be a path (text), not 3"),
        (
            '[printers.notice]\nbackend = "cups"\nqueue = 5',
            "printers.notice.queue must be text, not 5",
        ),
        (
            '[printers.notice]\nbackend = "cups"\nqueue = "Hall Laser"',
            "printers.notice.queue may not contain spaces, '/' or '#', not 'Hall Laser'",
        ),
        (
            '[printers.ticket]\ntimeout_s = "abc"',
            "printers.ticket.timeout_s must be a number of seconds, not 'abc'",
        ),
        (
            "[printers.ticket]\ntimeout_s = [1]",
            "printers.ticket.timeout_s must be a number of seconds, not [1]",
        ),
        ("[printers.ticket]\ntimeout_s = 0", "printers.ticket.timeout_s must be above 0, not 0"),
        (
            "[printers.ticket]\ntimeout_s = nan",
            "printers.ticket.timeout_s must be a finite number of seconds, not nan",
        ),
    ],
)
def test_a_bad_setting_is_named(tmp_path: Path, line: str, problem: str) -> None:
    found = problems(tmp_path, line + "\n")
    assert any(p.startswith(problem) for p in found), found


@pytest.mark.parametrize(
    "device, reason",
    [
        ("tcp://10.0.0.9:notaport", "the port must be a number from 1 to 65535"),
        ("tcp://10.0.0.9:70000", "the port must be a number from 1 to 65535"),
        ("tcp://", "is not tcp://host:port"),
        ("usb:04b8", "is not usb:VID:PID"),
        ("usb:zz:0202", "is not usb:VID:PID"),
        ("lp0", "is not a printer address"),
        ("COM3", "is not a printer address"),
    ],
)
def test_a_printer_device_that_cannot_be_reached_is_refused(
    tmp_path: Path, device: str, reason: str
) -> None:
    (found,) = problems(tmp_path, f'[printers.ticket]\nbackend = "escpos"\ndevice = "{device}"\n')
    assert found.startswith("printers.ticket.device: ") and reason in found


@pytest.mark.parametrize(
    "device", ["tcp://10.0.0.9:9100", "tcp://printer.hall", "tcp://[fe80::1]:9100", "usb:04b8:0202"]
)
def test_printer_devices_that_are_understood(tmp_path: Path, device: str) -> None:
    text = f'[printers.ticket]\nbackend = "escpos"\ndevice = "{device}"\n'
    assert load_settings(write(tmp_path, text)).printer("ticket").device == device


def test_every_problem_at_once_in_the_files_order_with_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'idle_seconds = "x"\ntheme = "dark"\nwhatever = 1\n[printers.ticket]\nbackend = "fax"\n',
    )
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert caught.value.problems == [
        f"{path}:1: idle_seconds must be a whole number, not 'x'",
        f"{path}:2: theme must be one of 'standard', 'elder' or 'contrast', not 'dark'",
        f"{path}:3: unknown setting 'whatever'",
        f"{path}:5: printers.ticket.backend must be one of 'pdf-folder', 'cups' or 'escpos', "
        "not 'fax'",
    ]


# ── secrets are never echoed ───────────────────────────────────────────────

PASSWORD = "Hunter2-s3cret"


@pytest.mark.parametrize(
    "line",
    [
        "pin_hash = 1234",
        f'bureau_url = ["postgresql+psycopg://kiosk:{PASSWORD}@db/bureau"]',
        f'bureau_url = "postgresql+psycopg://kiosk:{PASSWORD}@db/bureau"',  # no TLS
        f'bureau_url = "postgresql+psycopg://kiosk:{PASSWORD}@@db/bureau?sslmode=require"',
        f'bureau_url = "postgresql+psycopg://kiosk@db/bureau?password={PASSWORD}&x=1"',
        f'bureau_url = "mysql+pymysql://kiosk:{PASSWORD}@db/bureau?ssl=true"',
        f'bureau_url = "sqlite:///{PASSWORD}.db"',
        f'bureau_url = "postgresql+psycopg://kiosk:{PASSWORD}@db:port/bureau?sslmode=require"',
    ],
)
def test_a_bad_secret_setting_is_explained_without_its_value(tmp_path: Path, line: str) -> None:
    found = problems(tmp_path, line + "\n")
    assert found
    text = "\n".join(found)
    assert PASSWORD not in text and "1234" not in text, text
    assert text.startswith(("pin_hash", "bureau_url"))


def test_a_validation_error_from_code_does_not_show_the_url_either() -> None:
    with pytest.raises(ValidationError) as caught:
        Settings(bureau_url=f"postgresql+psycopg://kiosk:{PASSWORD}@db.hall/bureau")
    assert PASSWORD not in str(caught.value)


# ── the bureau URL ─────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://kiosk@127.0.0.1/bureau",  # this machine: no TLS needed
        "postgresql+psycopg://kiosk@localhost:5432/bureau",
        "postgresql+psycopg://kiosk@[::1]/bureau",
        "postgresql+psycopg:///bureau?host=/run/postgresql",  # a Unix socket
        "postgresql+psycopg://kiosk@db.hall/bureau?sslmode=require",
        "postgresql+psycopg://kiosk@db.hall/bureau?sslmode=verify-full&sslrootcert=/etc/ca.pem",
        "postgresql+psycopg://kiosk:p%40ss@db.hall/bureau?sslmode=verify-ca",
        "mysql+pymysql://kiosk@db.hall/bureau?sslmode=require",
        "mysql+pymysql://kiosk@db.hall/bureau?sslmode=verify-full&sslrootcert=/etc/ca.pem",
        "mariadb+pymysql://kiosk@db.hall/bureau?ssl_ca=/etc/ca.pem",
    ],
)
def test_bureau_urls_that_are_accepted(url: str) -> None:
    assert Settings(bureau_url=url).bureau_url == url


@pytest.mark.parametrize(
    "url, reason",
    [
        ("postgresql+psycopg://kiosk@db.hall/bureau", "not encrypted"),
        ("postgresql+psycopg://kiosk@db.hall/bureau?sslmode=prefer", "not encrypted"),
        ("mysql+pymysql://kiosk@10.0.0.5/bureau", "not encrypted"),
        ("postgresql+psycopg:///bureau?host=db.hall", "not encrypted"),
        ("mysql+pymysql://kiosk@db/bureau?sslmode=verify-full", "needs sslrootcert"),
        ("mysql+pymysql://kiosk@db/bureau?sslmode=require&ssl_ca=/ca.pem", "not both"),
        ("mysql+pymysql://kiosk@db/bureau?sslmode=sure", "sslmode must be one of"),
        ("postgresql+psycopg://kiosk@db/bureau?sslmode=require&sslrootcert=ca.pem", "absolute"),
        ("postgresql+psycopg://kiosk@db/bureau?sslmode=require&sslmode=disable", "twice"),
        ("postgresql://kiosk@127.0.0.1/bureau", "names no driver"),
        ("sqlite:///bureau.db", "not supported"),
        ("postgresql+psycopg://kiosk@127.0.0.1", "names no database"),
        ("db.hall/bureau", "not a database URL"),
    ],
)
def test_bureau_urls_that_are_refused(tmp_path: Path, url: str, reason: str) -> None:
    (found,) = problems(tmp_path, f'bureau_url = "{url}"\n')
    assert found.startswith("bureau_url ") and reason in found, found


def test_plain_text_to_another_machine_when_the_operator_says_so(tmp_path: Path) -> None:
    url = "postgresql+psycopg://kiosk@10.0.0.5/bureau"
    settings = load_settings(write(tmp_path, f'allow_plaintext = true\nbureau_url = "{url}"\n'))
    assert settings.bureau_url == url and settings.allow_plaintext


# ── writing back ───────────────────────────────────────────────────────────


def test_writing_back_keeps_comments_and_layout(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "# 示范镇 hall, kiosk 3 — ask IT before editing\n"
        'kiosk_id = "hall1-03"  # printed on the audit trail\n'
        'theme = "standard"\n'
        "\n"
        "[printers.form]  # the laser by the door\n"
        'backend = "pdf-folder"\n',
    )
    write_settings(path, {"theme": "elder", "language": "en"})
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# 示范镇 hall, kiosk 3 — ask IT before editing\n")
    assert 'kiosk_id = "hall1-03"  # printed on the audit trail' in text
    assert 'theme = "elder"' in text and "[printers.form]  # the laser by the door" in text
    settings = load_settings(path)
    assert (settings.theme, settings.language, settings.kiosk_id) == ("elder", "en", "hall1-03")
    assert text.index('language = "en"') < text.index("[printers.form]")  # still top-level


def test_writing_back_refuses_what_would_not_load(tmp_path: Path) -> None:
    path = write(tmp_path, 'theme = "standard"\n')
    with pytest.raises(ConfigError):
        write_settings(path, {"theme": "dark"})
    with pytest.raises(ConfigError):
        write_settings(path, {"idle_seconds": "60"})
    with pytest.raises(KeyError):
        write_settings(path, {"colour": "red"})
    with pytest.raises(KeyError):
        write_settings(path, {"source": "/elsewhere.toml"})
    assert path.read_text(encoding="utf-8") == 'theme = "standard"\n'  # untouched
    write_settings(path, {"hall_name": 'a "quoted" \\ name\nover two lines'})  # TOML escapes it
    assert load_settings(path).hall_name == 'a "quoted" \\ name\nover two lines'


# ── file modes ─────────────────────────────────────────────────────────────


@pytest.mark.parametrize("umask", [0o022, 0o000])
def test_the_config_file_is_private_whatever_the_umask(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, umask: int
) -> None:
    """It holds the PIN hash and may hold the bureau password: 0600 in a 0700 folder."""
    path = default_config_path()  # the kiosk's own folder, made here
    old = os.umask(umask)
    try:
        write_settings(path, {"pin_hash": "scrypt$16384$8$1$AAAA$AAAA"})
        loose = write(tmp_path, 'kiosk_id = "k"\n')  # an operator's file, 0644 by the umask
        os.chmod(loose, 0o644)
        write_settings(loose, {"theme": "elder"})
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(loose.stat().st_mode) == 0o600


def test_the_readme_example_is_a_valid_configuration(tmp_path: Path) -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Configuration", 1)[1]
    example = section.split("```toml\n", 1)[1].split("```", 1)[0]
    settings = load_settings(write(tmp_path, example))
    assert settings.kiosk_id == "hall1-kiosk-03"
    assert settings.printer("ticket").backend is PrinterBackend.ESCPOS
    assert settings.bureau is not None and settings.bureau.encrypted
