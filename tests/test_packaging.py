"""catalog.yaml lives at the repository root, and the installed package still finds it.

A source tree (and the editable install that runs from it) reads the root file; a
wheel carries a copy that setup.py's build hook puts into the package.  Both are
exercised here: the wheel is built from a copy of the tree and installed into a
scratch folder, then imported on its own.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import kiosk
from kiosk import SHIPPED_CATALOG
from kiosk.catalog import load_catalog

ROOT = Path(__file__).resolve().parent.parent


def test_the_catalog_is_the_bureaus_file_at_the_repository_root() -> None:
    assert SHIPPED_CATALOG == ROOT / "catalog.yaml"
    assert SHIPPED_CATALOG.is_file()
    assert not (ROOT / "kiosk" / "catalog.yaml").exists()  # one file, not two to keep in step
    assert Path(kiosk.__file__).resolve().parent == ROOT / "kiosk"  # this run: the tree


def test_a_wheel_carries_the_catalog_and_the_installed_package_finds_it(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "catalog.yaml"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(ROOT / "kiosk", source / "kiosk", ignore=shutil.ignore_patterns("__pycache__"))
    wheels = tmp_path / "wheels"
    pip = [sys.executable, "-m", "pip"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "-q", "-w", str(wheels), str(source)],
        check=True,
        capture_output=True,
        timeout=240,
    )
    (wheel,) = wheels.glob("kiosk-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read("kiosk/catalog.yaml") == (ROOT / "catalog.yaml").read_bytes()

    target = tmp_path / "site"
    subprocess.run(
        [*pip, "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
        timeout=240,
    )
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "import kiosk; from kiosk.catalog import load_catalog;"
        "print(kiosk.SHIPPED_CATALOG); print(load_catalog(kiosk.SHIPPED_CATALOG).version)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(target)],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    found, version = done.stdout.split()
    assert Path(found) == target / "kiosk" / "catalog.yaml"
    assert version == load_catalog(SHIPPED_CATALOG).version
