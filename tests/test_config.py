"""kiosk.config: one settings object from a TOML file, defaults without one, clear errors."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from kiosk import SHIPPED_CATALOG
from kiosk.config import (
    DOCUMENT_KINDS,
    ConfigError,
    PrinterSettings,
    Settings,
    default_config_path,
    load_settings,
    settings_from_mapping,
)


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
    assert all(p.startswith(f"{path}: ") for p in caught.value.problems)
    return [p.removeprefix(f"{path}: ") for p in caught.value.problems]


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
    assert settings.printer("unknown-kind").folder == Path("/srv/kiosk/printed")


def test_the_default_config_file_is_read_when_present() -> None:
    path = default_config_path()
    path.parent.mkdir(parents=True)
    path.write_text('kiosk_id = "hall-3"\n', encoding="utf-8")
    assert load_settings().kiosk_id == "hall-3"


def test_settings_are_frozen() -> None:
    settings = Settings()
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.kiosk_id = "x"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        PrinterSettings().backend = "cups"  # type: ignore[misc]


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
bureau_url = "postgresql+psycopg://kiosk@db/bureau"
status_url = "https://zwfw.example/q/{code}"
idle_seconds = 45
form_idle_seconds = 90
countdown_seconds = 10
theme = "elder"
language = "en"
pin_hash = "scrypt$abc"
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
    assert settings.bureau_url == "postgresql+psycopg://kiosk@db/bureau"
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
    assert settings.printer("notice") == PrinterSettings(backend="cups", queue="HallLaser")
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
    assert caught.value.problems == ["env: kiosk_id must be str, not 3"]


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
        ('idle_seconds = "60"', "idle_seconds must be int, not '60'"),
        ("idle_seconds = 1.5", "idle_seconds must be int, not 1.5"),
        ("retention_days = true", "retention_days must be int, not True"),
        ("kiosk_id = 7", "kiosk_id must be str, not 7"),
        ('theme = "dark"', "theme must be one of standard, elder, contrast"),
        ('language = "fr"', "language must be zh or en"),
        ("idle_seconds = 0", "idle_seconds must be above 0"),
        ("ticket_block_size = -5", "ticket_block_size must be above 0"),
        ("day_reset_hour = 24", "day_reset_hour must be 0–23"),
        ("day_reset_hour = -1", "day_reset_hour must be 0–23"),
        ('data_dir = ""', "data_dir must be a path"),
        ("catalog_path = 5", "catalog_path must be a path"),
        ('colour = "red"', "unknown setting 'colour'"),
        ('printers = "all"', "[printers] must be a table"),
        (
            "[printers.receipt]",
            "printers.receipt: unknown document kind (use ticket, notice, form)",
        ),
        ('[printers]\nticket = "laser"', "printers.ticket must be a table"),
        (
            '[printers.ticket]\nbackend = "fax"',
            "printers.ticket.backend must be pdf-folder, cups or escpos",
        ),
        ('[printers.notice]\nbackend = "cups"', "printers.notice: a cups printer needs 'queue'"),
        (
            '[printers.ticket]\nbackend = "escpos"',
            "printers.ticket: an escpos printer needs 'device'",
        ),
        ("[printers.form]\ncolour = 1", "printers.form: unknown key(s) colour"),
        ("[printers.form]\nfolder = 3", "printers.form.folder must be text"),
        ('[printers.notice]\nbackend = "cups"\nqueue = 5', "printers.notice.queue must be text"),
        (
            '[printers.ticket]\ntimeout_s = "abc"',
            "printers.ticket.timeout_s must be a number of seconds, not 'abc'",
        ),
        (
            "[printers.ticket]\ntimeout_s = [1]",
            "printers.ticket.timeout_s must be a number of seconds, not [1]",
        ),
        (
            "[printers.ticket]\ntimeout_s = 0",
            "printers.ticket.timeout_s must be between 0 and 3600 seconds",
        ),
        (
            "[printers.ticket]\ntimeout_s = nan",
            "printers.ticket.timeout_s must be between 0 and 3600 seconds",
        ),
    ],
)
def test_a_bad_setting_is_named(tmp_path: Path, line: str, problem: str) -> None:
    assert problem in problems(tmp_path, line + "\n")


def test_every_problem_at_once(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        'idle_seconds = "x"\ntheme = "dark"\nwhatever = 1\n[printers.ticket]\nbackend = "fax"\n',
    )
    assert found == [
        "idle_seconds must be int, not 'x'",
        "unknown setting 'whatever'",
        "printers.ticket.backend must be pdf-folder, cups or escpos",
        "theme must be one of standard, elder, contrast",
    ]
