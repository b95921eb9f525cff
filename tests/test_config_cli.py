"""`kiosk config check` explains every problem; `kiosk set-pin` stores only a hash."""

import io
import sys

from kiosk.app import main
from kiosk.config import load_settings
from kiosk.config_cli import redact_url
from kiosk.staff import verify_pin


def test_check_passes_on_a_good_file(tmp_path, capsys):
    config = tmp_path / "kiosk.toml"
    config.write_text(
        'kiosk_id = "hall1-03"\n'
        'bureau_url = "postgresql+psycopg://kiosk:s3cret@db.hall/bureau?sslmode=require"\n'
        f'data_dir = "{tmp_path}"\n',
        encoding="utf-8",
    )
    assert main(["config", "check", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "hall1-03" in out
    assert "s3cret" not in out, "secrets never appear in output"
    assert "***" in out


def test_check_explains_every_problem(tmp_path, capsys):
    config = tmp_path / "kiosk.toml"
    config.write_text(
        'idle_seconds = "soon"\ntheme = "pink"\ncolour = 3\n[printers.ticket]\nbackend = "cups"\n',
        encoding="utf-8",
    )
    assert main(["config", "check", "--config", str(config)]) == 1
    err = capsys.readouterr().err
    assert "idle_seconds must be int" in err
    assert "theme must be one of" in err
    assert "unknown setting 'colour'" in err
    assert "a cups printer needs 'queue'" in err


def test_check_reports_bad_toml_and_a_bad_url_and_hash(tmp_path, capsys):
    broken = tmp_path / "broken.toml"
    broken.write_text("kiosk_id = \n", encoding="utf-8")
    assert main(["config", "check", "--config", str(broken)]) == 1
    assert "not valid TOML" in capsys.readouterr().err
    odd = tmp_path / "odd.toml"
    odd.write_text('bureau_url = "sqlite:///x.db"\npin_hash = "1234"\n', encoding="utf-8")
    assert main(["config", "check", "--config", str(odd)]) == 1
    err = capsys.readouterr().err
    assert "not supported" in err
    assert "pin_hash must look like" in err
    assert main(["config", "check", "--config", str(tmp_path / "missing.toml")]) == 1
    assert "file not found" in capsys.readouterr().err


def test_set_pin_stores_a_hash_and_keeps_the_rest(tmp_path, monkeypatch, capsys):
    config = tmp_path / "kiosk.toml"
    config.write_text(
        'kiosk_id = "hall1-03"\n[printers.form]\nbackend = "pdf-folder"\n', encoding="utf-8"
    )
    monkeypatch.setattr(sys, "stdin", io.StringIO("97531\n97531\n"))
    assert main(["set-pin", "--stdin", "--config", str(config)]) == 0
    text = config.read_text(encoding="utf-8")
    assert "97531" not in text
    settings = load_settings(config)
    assert settings.kiosk_id == "hall1-03"
    assert settings.pin_hash and verify_pin("97531", settings.pin_hash)
    monkeypatch.setattr(sys, "stdin", io.StringIO("1111\n2222\n"))
    assert main(["set-pin", "--stdin", "--config", str(config)]) == 1
    assert "differ" in capsys.readouterr().err
    assert verify_pin("97531", load_settings(config).pin_hash)


def test_redact_url():
    assert redact_url("postgresql://u:pw@h/db") == "postgresql://u:***@h/db"
    assert redact_url("postgresql://u@h/db") == "postgresql://u@h/db"


def test_write_setting_keeps_tables_and_refuses_what_toml_cannot_hold(tmp_path):
    import pytest

    from kiosk.config import write_setting

    config = tmp_path / "kiosk.toml"
    config.write_text('theme = "standard"\n[printers.form]\nbackend = "pdf-folder"\n', "utf-8")
    write_setting(config, "theme", "elder")
    write_setting(config, "language", "en")
    settings = load_settings(config)
    assert (settings.theme, settings.language) == ("elder", "en")
    assert settings.source == config and settings.config_path == config
    assert settings.printers["form"].backend == "pdf-folder"
    with pytest.raises(ValueError):
        write_setting(config, "hall_name", 'a "quoted" name')
    with pytest.raises(KeyError):
        write_setting(config, "idle_seconds", "60")  # not a text setting
