"""一窗通 — the self-service kiosk of a one-stop administrative approval bureau."""

from pathlib import Path

__version__ = "0.1.0"


def _shipped_catalog() -> Path:
    """The bureau's catalog.yaml.

    In a source tree — and so in an editable install, which runs from it — the file at
    the repository root, the one the bureau edits.  In a wheel the build copies it into
    the package (setup.py), since an installed package has no repository root.
    """
    package = Path(__file__).resolve().parent
    root = package.parent
    if (root / "pyproject.toml").is_file() and (root / "catalog.yaml").is_file():
        return root / "catalog.yaml"
    return package / "catalog.yaml"


SHIPPED_CATALOG = _shipped_catalog()
