"""`kiosk catalog check [FILE]`: counts and exit 0, or file:line problems and exit 1."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk import SHIPPED_CATALOG
from kiosk.app import main
from kiosk.catalog import Catalog
from tests.catalog.samples import SAMPLE_YAML, line_of


def counts(out: str) -> dict[str, int]:
    return {
        name: int(number)
        for name, number in re.findall(
            r"^  (categories|items|bundles|life events|queues)\s+(\d+)$", out, re.M
        )
    }


def test_the_shipped_catalog_checks_out(
    catalog: Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["catalog", "check"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.startswith(f"catalog.yaml: OK — catalog version {catalog.version}\n")
    assert counts(out) == {
        "categories": len(catalog.categories),
        "items": len(catalog.items),
        "bundles": len(catalog.bundles),
        "life events": len(catalog.life_events),
        "queues": len(catalog.queues),
    }
    for category in catalog.categories.values():
        expected = len(catalog.items_in(category.code))
        assert re.search(rf"^    {category.name.zh}\s+{expected} items$", out, re.M)


def test_another_file_checks_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "hekou.yaml"
    path.write_text(SAMPLE_YAML, encoding="utf-8")
    assert main(["catalog", "check", str(path)]) == 0
    out, _ = capsys.readouterr()
    assert out.startswith("hekou.yaml: OK — catalog version hekou-test-7\n")
    assert counts(out) == {
        "categories": 3,
        "items": 6,
        "bundles": 1,
        "life events": 1,
        "queues": 3,
    }


def test_a_broken_catalog_prints_file_line_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = SAMPLE_YAML.replace("    department: tax\n", "    department: customs\n")
    text = text.replace("      - {item: T-TAX}\n", "      - {item: T-VAT}\n")
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["catalog", "check", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        f"broken.yaml:{line_of(text, 'department: customs')}:5 items[1].department: "
        "unknown department 'customs'",
        f"broken.yaml:{line_of(text, '{item: T-VAT}')}:10 bundles[0].members[1].item: "
        "unknown item 'T-VAT'",
        "2 problem(s); the catalog was not loaded.",
    ]


def test_malformed_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("meta: {bureau: [\n", encoding="utf-8")
    assert main(["catalog", "check", str(path)]) == 1
    _, err = capsys.readouterr()
    first = err.splitlines()[0]
    assert re.fullmatch(r"bad\.yaml:\d+:\d+: malformed YAML: .+", first), first


def test_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "missing.yaml"
    assert main(["catalog", "check", str(path)]) == 1
    _, err = capsys.readouterr()
    assert err.splitlines() == [
        f"{path}: file not found",
        "1 problem(s); the catalog was not loaded.",
    ]


def test_problems_found_walking_the_catalog(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "walk.yaml"
    path.write_text(SAMPLE_YAML.replace('example: "13812345678"', 'example: "123"'), "utf-8")
    assert main(["catalog", "check", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert lines[-1] == f"{len(lines) - 1} problem(s) found walking the catalog."
    assert any(
        line.startswith("walk.yaml:")
        and " items[1].fields[2]: field 'phone': example '123' is invalid: "
        "Please enter an 11-digit mainland China mobile number"
        in line
        for line in lines
    )
    assert all(
        re.match(r"walk\.yaml:\d+:\d+ items\[\d\]\.fields\[\d\]: ", line) for line in lines[:-1]
    )


def test_catalog_without_a_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["catalog"])
    assert caught.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_the_installed_command() -> None:
    kiosk = Path(sys.executable).with_name("kiosk")
    assert kiosk.exists(), f"{kiosk} is not installed (pip install -e .)"
    done = subprocess.run(
        [str(kiosk), "catalog", "check", str(SHIPPED_CATALOG)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("catalog.yaml: OK — catalog version ")
    assert counts(done.stdout)["items"] >= 100
    assert "Traceback" not in done.stderr
