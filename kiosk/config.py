"""One settings object for the whole kiosk, loaded from a TOML file and passed in.

Never a global: the composition root (kiosk.app) builds it and hands it to the
store, the printers and the window.  Every setting has an embedded default so
the kiosk runs with no file at all (local SQLite, PDF-folder printer, the
shipped catalog).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import platformdirs

from kiosk import SHIPPED_CATALOG

APP_NAME = "yichuangtong-kiosk"
DOCUMENT_KINDS = ("ticket", "notice", "form")
THEMES = ("standard", "elder", "contrast")


class ConfigError(ValueError):
    """The configuration file is unusable; ``problems`` says why, one line each."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class PrinterSettings:
    backend: str = "pdf-folder"  # pdf-folder | cups | escpos
    folder: Path | None = None  # pdf-folder: where files go (default: data dir / printed)
    queue: str | None = None  # cups: the queue name
    device: str | None = None  # escpos: file path, "tcp://host:port" or "usb:VID:PID"
    timeout_s: float = 30.0


@dataclass(frozen=True)
class Settings:
    kiosk_id: str = "kiosk-01"
    # None: the catalog's own name (meta.bureau), so another bureau's catalog shows its name
    hall_name: str | None = None
    data_dir: Path = field(default_factory=lambda: Path(platformdirs.user_data_dir(APP_NAME)))
    catalog_path: Path = SHIPPED_CATALOG
    bureau_url: str | None = None  # e.g. postgresql+psycopg://kiosk@db.hall/bureau?sslmode=require
    printers: dict[str, PrinterSettings] = field(
        default_factory=lambda: {kind: PrinterSettings() for kind in DOCUMENT_KINDS}
    )
    status_url: str | None = None  # QR pattern, e.g. "https://zwfw.example/q/{code}"
    idle_seconds: int = 60
    form_idle_seconds: int = 120
    countdown_seconds: int = 15
    theme: str = "standard"
    language: str = "zh"
    pin_hash: str | None = None
    retention_days: int = 30
    day_reset_hour: int = 0  # ticket numbers restart at this local hour
    ticket_block_size: int = 20
    source: Path | None = None  # the file these settings came from (None: embedded defaults)

    @property
    def config_path(self) -> Path:
        """Where settings changed at the kiosk (PIN, defaults) are written."""
        return self.source or default_config_path()

    @property
    def local_db_path(self) -> Path:
        return self.data_dir / "kiosk.sqlite3"

    @property
    def local_url(self) -> str:
        return f"sqlite:///{self.local_db_path}"

    def printer(self, kind: str) -> PrinterSettings:
        printer = self.printers.get(kind, PrinterSettings())
        if printer.backend == "pdf-folder" and printer.folder is None:
            printer = replace(printer, folder=self.data_dir / "printed")
        return printer


def default_config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME)) / "kiosk.toml"


def load_settings(path: str | os.PathLike[str] | None = None) -> Settings:
    """Settings from a TOML file; no file (and no path asked for) means the defaults."""
    explicit = path is not None
    config_path = Path(path) if path is not None else default_config_path()
    if not config_path.exists():
        if explicit:
            raise ConfigError([f"{config_path}: file not found"])
        return Settings()
    try:
        raw = tomllib.loads(config_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"{config_path}: cannot read: {exc}"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{config_path}: not valid TOML: {exc}"]) from None
    return replace(settings_from_mapping(raw, str(config_path)), source=config_path)


def write_setting(path: Path, key: str, value: str) -> None:
    """Set one top-level ``key = "value"`` in a TOML file, keeping everything else as is.

    Written atomically (temporary file + rename) so a power cut never leaves half a file.
    """
    if key not in _SCALARS or _SCALARS[key] is not str:
        raise KeyError(key)
    if any(c in value for c in '"\\\n'):
        raise ValueError(f"{key}: the value may not contain quotes, backslashes or newlines")
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    line = f'{key} = "{value}"'
    pattern = rf"(?m)^{re.escape(key)}\s*=.*$"
    if re.search(pattern, text):
        text = re.sub(pattern, lambda _m: line, text, count=1)
    else:
        text = f"{line}\n{text}"  # before any [table], so it stays top-level
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


_SCALARS: dict[str, type] = {
    "kiosk_id": str,
    "hall_name": str,
    "bureau_url": str,
    "status_url": str,
    "idle_seconds": int,
    "form_idle_seconds": int,
    "countdown_seconds": int,
    "theme": str,
    "language": str,
    "pin_hash": str,
    "retention_days": int,
    "day_reset_hour": int,
    "ticket_block_size": int,
}


def settings_from_mapping(raw: dict[str, Any], origin: str = "config") -> Settings:
    problems: list[str] = []
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key in _SCALARS:
            kind = _SCALARS[key]
            if not isinstance(value, kind) or isinstance(value, bool):
                problems.append(f"{origin}: {key} must be {kind.__name__}, not {value!r}")
            else:
                values[key] = value
        elif key in ("data_dir", "catalog_path"):
            if isinstance(value, str) and value:
                values[key] = Path(value).expanduser()
            else:
                problems.append(f"{origin}: {key} must be a path")
        elif key == "printers":
            values["printers"] = _printers(value, origin, problems)
        else:
            problems.append(f"{origin}: unknown setting '{key}'")
    if values.get("theme", "standard") not in THEMES:
        problems.append(f"{origin}: theme must be one of {', '.join(THEMES)}")
    if values.get("language", "zh") not in ("zh", "en"):
        problems.append(f"{origin}: language must be zh or en")
    for key in (
        "idle_seconds",
        "form_idle_seconds",
        "countdown_seconds",
        "retention_days",
        "ticket_block_size",
    ):
        if key in values and values[key] <= 0:
            problems.append(f"{origin}: {key} must be above 0")
    if not 0 <= values.get("day_reset_hour", 0) <= 23:
        problems.append(f"{origin}: day_reset_hour must be 0–23")
    if problems:
        raise ConfigError(problems)
    return Settings(**values)


def _printers(raw: Any, origin: str, problems: list[str]) -> dict[str, PrinterSettings]:
    printers = {kind: PrinterSettings() for kind in DOCUMENT_KINDS}
    if not isinstance(raw, dict):
        problems.append(f"{origin}: [printers] must be a table")
        return printers
    for kind, table in raw.items():
        where = f"{origin}: printers.{kind}"
        if kind not in DOCUMENT_KINDS:
            problems.append(f"{where}: unknown document kind (use {', '.join(DOCUMENT_KINDS)})")
            continue
        if not isinstance(table, dict):
            problems.append(f"{where} must be a table")
            continue
        backend = table.get("backend", "pdf-folder")
        if backend not in ("pdf-folder", "cups", "escpos"):
            problems.append(f"{where}.backend must be pdf-folder, cups or escpos")
        if backend == "cups" and not table.get("queue"):
            problems.append(f"{where}: a cups printer needs 'queue'")
        if backend == "escpos" and kind != "ticket":
            problems.append(f"{where}: escpos (thermal roll) prints tickets only")
        if backend == "escpos" and not table.get("device"):
            problems.append(f"{where}: an escpos printer needs 'device'")
        unknown = set(table) - {"backend", "folder", "queue", "device", "timeout_s"}
        if unknown:
            problems.append(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
        for key in ("folder", "queue", "device"):
            if key in table and not (isinstance(table[key], str) and table[key]):
                problems.append(f"{where}.{key} must be text")
        timeout = table.get("timeout_s", 30.0)
        # float("abc") or float([1]) would raise, and nan / inf / 0 never time out sensibly.
        if isinstance(timeout, bool) or not isinstance(timeout, int | float):
            problems.append(f"{where}.timeout_s must be a number of seconds, not {timeout!r}")
            timeout = 30.0
        elif not 0 < timeout < 3600:
            problems.append(f"{where}.timeout_s must be between 0 and 3600 seconds")
            timeout = 30.0
        folder = table.get("folder")
        printers[kind] = PrinterSettings(
            backend=backend,
            folder=Path(folder).expanduser() if isinstance(folder, str) and folder else None,
            queue=table.get("queue") if isinstance(table.get("queue"), str) else None,
            device=table.get("device") if isinstance(table.get("device"), str) else None,
            timeout_s=float(timeout),
        )
    return printers
