"""One settings object for the whole kiosk, loaded from a TOML file and passed in.

Never a global: the composition root (kiosk.app) builds it and hands it to the
store, the printers and the window.  Every setting has an embedded default so
the kiosk runs with no file at all (local SQLite, PDF-folder printer, the
shipped catalog).

:class:`Settings` is one frozen pydantic model: types are strict (``idle_seconds =
"60"`` is refused, not read as 60), unknown keys are refused, constraints are
``Field(...)`` s.  A problem is reported as ``kiosk.toml:7: idle_seconds must be a
whole number, not '60'`` — every problem at once, never a secret.  Settings changed
at the kiosk (the PIN, the default language and theme) are written back with
tomlkit, so the operator's comments and layout stay as they were.
"""

from __future__ import annotations

import importlib.util
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Self

import platformdirs
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails

from kiosk import SHIPPED_CATALOG
from kiosk.bureau_url import BadUrl, BureauUrl, missing_driver
from kiosk.bureau_url import parse as parse_bureau_url
from kiosk.kinds import DocumentKind, Language, PrinterBackend, ThemeName
from kiosk.private_files import private_dir, write_private

APP_NAME = "yichuangtong-kiosk"
DOCUMENT_KINDS: tuple[DocumentKind, ...] = tuple(DocumentKind)
THEMES: tuple[str, ...] = tuple(theme.value for theme in ThemeName)
KIOSK_ID_MAX = 64  # the bureau's kiosk_id columns are VARCHAR(64)
# Never echoed back, not even when they have the wrong type.
SECRET_KEYS = ("bureau_url", "pin_hash")


class ConfigError(ValueError):
    """The configuration file is unusable; ``problems`` says why, one line each."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


# Text or a path in TOML, a Path here (strict mode would take only Path objects).
LoosePath = Annotated[Path, Strict(False)]


def _path(value: Path | None) -> Path | None:
    if value is None:
        return None
    if not str(value) or str(value) == ".":
        raise ValueError("must be a path, not empty")
    return value.expanduser()


# ── devices ────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class TcpDevice:
    host: str
    port: int = 9100

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"tcp://{host}:{self.port}"


@dataclass(frozen=True)
class UsbDevice:
    vendor: int
    product: int

    def __str__(self) -> str:
        return f"usb:{self.vendor:04x}:{self.product:04x}"


@dataclass(frozen=True)
class FileDevice:
    path: Path

    def __str__(self) -> str:
        return str(self.path)


Device = TcpDevice | UsbDevice | FileDevice
_TCP = re.compile(r"tcp://(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<host>[^\s:/\[\]]+))(?::(?P<port>.*))?")
_USB = re.compile(r"usb:(?P<vendor>[0-9A-Fa-f]{1,4}):(?P<product>[0-9A-Fa-f]{1,4})")
DEVICE_FORMS = '"tcp://host:port", "usb:VID:PID" (hex) or a device path such as "/dev/usb/lp0"'


def parse_device(device: str) -> Device:
    """An ESC/POS printer's address, or ValueError saying which forms are understood."""
    if device.startswith("tcp://"):
        match = _TCP.fullmatch(device)
        if match is None:
            raise ValueError(f"{device!r} is not tcp://host:port")
        port = match.group("port")
        if port is not None and not (port.isdigit() and 0 < int(port) < 65536):
            raise ValueError(f"{device!r}: the port must be a number from 1 to 65535")
        return TcpDevice(match.group("v6") or match.group("host"), int(port) if port else 9100)
    if device.startswith("usb:"):
        match = _USB.fullmatch(device)
        if match is None:
            raise ValueError(f"{device!r} is not usb:VID:PID (hexadecimal, e.g. usb:04b8:0202)")
        return UsbDevice(int(match.group("vendor"), 16), int(match.group("product"), 16))
    if device.startswith("/") and "\x00" not in device:
        return FileDevice(Path(device))
    raise ValueError(f"{device!r} is not a printer address: use {DEVICE_FORMS}")


# ── the model ──────────────────────────────────────────────────────────────


class PrinterSettings(BaseModel):
    """The printer of one document kind."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, hide_input_in_errors=True)

    backend: Annotated[PrinterBackend, Strict(False)] = PrinterBackend.PDF_FOLDER
    # pdf-folder: where files go (default: <data dir>/printed)
    folder: LoosePath | None = None
    # cups: the queue name (CUPS names have no spaces, '/' or '#')
    queue: str | None = Field(default=None, min_length=1, max_length=127, pattern=r"^[^\s/#]+$")
    # escpos: "/dev/usb/lp0", "tcp://host:port" or "usb:VID:PID"
    device: str | None = Field(default=None, min_length=1)
    timeout_s: float = Field(default=30.0, gt=0, lt=3600, allow_inf_nan=False)

    _folder = field_validator("folder")(_path)

    @field_validator("device")
    @classmethod
    def _device(cls, device: str | None) -> str | None:
        if device is not None:
            parse_device(device)
        return device

    @model_validator(mode="after")
    def _needs(self) -> Self:
        if self.backend is PrinterBackend.CUPS and not self.queue:
            raise ValueError("a cups printer needs 'queue'")
        if self.backend is PrinterBackend.ESCPOS and not self.device:
            raise ValueError("an escpos printer needs 'device'")
        return self

    @property
    def target(self) -> str:
        """What the printer is called for staff and the print-job log."""
        if self.backend is PrinterBackend.CUPS:
            return self.queue or ""
        if self.backend is PrinterBackend.ESCPOS:
            return self.device or ""
        return str(self.folder) if self.folder else ""


def _default_printers() -> dict[DocumentKind, PrinterSettings]:
    return {kind: PrinterSettings() for kind in DocumentKind}


def _default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME))


class Settings(BaseModel):
    """Everything configurable about one kiosk (see README, "Configuration")."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, hide_input_in_errors=True)

    kiosk_id: str = Field(default="kiosk-01", min_length=1, max_length=KIOSK_ID_MAX)
    # None: the catalog's own name (meta.bureau), so another bureau's catalog shows its name
    hall_name: str | None = Field(default=None, min_length=1, max_length=100)
    data_dir: LoosePath = Field(default_factory=_default_data_dir)
    catalog_path: LoosePath = SHIPPED_CATALOG
    # Declared before bureau_url: its check reads this one.
    allow_plaintext: bool = False  # a bureau on another machine without TLS (closed networks)
    # e.g. postgresql+psycopg://kiosk@db.hall/bureau?sslmode=verify-full&sslrootcert=/etc/…
    bureau_url: str | None = None
    printers: dict[Annotated[DocumentKind, Strict(False)], PrinterSettings] = Field(
        default_factory=_default_printers
    )
    status_url: str | None = Field(default=None, min_length=1)  # QR pattern: "https://…/q/{code}"
    idle_seconds: int = Field(default=60, gt=0)
    form_idle_seconds: int = Field(default=120, gt=0)
    countdown_seconds: int = Field(default=15, gt=0)
    theme: Annotated[ThemeName, Strict(False)] = ThemeName.STANDARD
    language: Annotated[Language, Strict(False)] = Language.ZH
    pin_hash: str | None = None  # scrypt$…: `kiosk set-pin` writes it
    retention_days: int = Field(default=30, gt=0)
    day_reset_hour: int = Field(default=0, ge=0, le=23)  # ticket numbers restart at this local hour
    ticket_block_size: int = Field(default=20, gt=0, le=899)  # numbers 001–899 come in blocks
    # The file these settings came from (None: embedded defaults); never read from TOML.
    source: LoosePath | None = None

    _paths = field_validator("data_dir", "catalog_path")(_path)

    @field_validator("kiosk_id")
    @classmethod
    def _kiosk_id(cls, value: str) -> str:
        if value != value.strip() or not value.isprintable():
            raise ValueError("must be printable text without spaces around it")
        return value

    @field_validator("bureau_url")
    @classmethod
    def _bureau_url(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None:
            try:
                parse_bureau_url(value, allow_plaintext=info.data.get("allow_plaintext", False))
            except BadUrl as exc:
                raise ValueError(str(exc)) from None
        return value

    @field_validator("printers")
    @classmethod
    def _printers(
        cls, printers: dict[DocumentKind, PrinterSettings]
    ) -> dict[DocumentKind, PrinterSettings]:
        for kind, printer in printers.items():
            if printer.backend is PrinterBackend.ESCPOS and kind is not DocumentKind.TICKET:
                raise ValueError(f"printers.{kind}: escpos (thermal roll) prints tickets only")
        return {**_default_printers(), **printers}  # a kind not configured: the default

    # ── derived ──
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

    @property
    def staff_lockout_path(self) -> Path:
        """Where wrong PINs are counted, so a restart does not clear a lockout."""
        return self.data_dir / "staff-lockout.json"

    @property
    def bureau(self) -> BureauUrl | None:
        """The parsed bureau URL (validated when the settings were made)."""
        if self.bureau_url is None:
            return None
        return parse_bureau_url(self.bureau_url, allow_plaintext=True)

    def printer(self, kind: str) -> PrinterSettings:
        printer = self.printers.get(DocumentKind(kind), PrinterSettings())
        if printer.backend is PrinterBackend.PDF_FOLDER and printer.folder is None:
            printer = printer.model_copy(update={"folder": self.data_dir / "printed"})
        return printer

    def with_values(self, **values: Any) -> Settings:
        """A copy with some settings changed, validated like a file (ConfigError if not)."""
        current = {name: getattr(self, name) for name in type(self).model_fields}
        return settings_from_mapping({**current, **values}, "settings", allow_source=True)


def missing_extras(settings: Settings) -> list[str]:
    """What this configuration needs installed and is not: the bureau database's driver
    (``kiosk[postgres]`` / ``kiosk[mariadb]``), python-escpos (``kiosk[escpos]``)."""
    missing = []
    bureau = settings.bureau
    if bureau is not None and (driver := missing_driver(bureau)):
        missing.append(driver)
    for kind, printer in settings.printers.items():
        if printer.backend is PrinterBackend.ESCPOS and importlib.util.find_spec("escpos") is None:
            missing.append(
                f"printers.{kind} is an escpos printer but python-escpos is not installed: "
                "pip install 'kiosk[escpos]'"
            )
    return missing


def default_config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME)) / "kiosk.toml"


# ── loading ────────────────────────────────────────────────────────────────


def load_settings(path: str | os.PathLike[str] | None = None) -> Settings:
    """Settings from a TOML file; no file (and no path asked for) means the defaults."""
    explicit = path is not None
    config_path = Path(path) if path is not None else default_config_path()
    if not config_path.exists():
        if explicit:
            raise ConfigError([f"{config_path}: file not found"])
        return Settings()
    try:
        text = config_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"{config_path}: cannot read: {_os_reason(exc)}"]) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{config_path}: not valid TOML: {exc}"]) from None
    settings = settings_from_mapping(raw, str(config_path), text=text)
    return settings.model_copy(update={"source": config_path})


def settings_from_mapping(
    raw: Mapping[str, Any],
    origin: str = "config",
    *,
    text: str | None = None,
    allow_source: bool = False,
) -> Settings:
    """Settings from already-parsed TOML; ConfigError names every problem at once.

    ``text`` (the file's text) lets a problem name its line.
    """
    if "source" in raw and not allow_source:
        raise ConfigError([f"{origin}: unknown setting 'source'"])
    try:
        return Settings.model_validate(dict(raw))
    except ValidationError as exc:
        lines = _Lines(text) if text is not None else None
        found: list[tuple[int, str]] = []
        for error in exc.errors(include_url=False):
            line = lines.find(error["loc"]) if lines is not None else None
            where = f"{origin}:{line}" if line else origin
            found += [(line or 0, f"{where}: {p}") for p in _explain(error).splitlines()]
        found.sort(key=lambda pair: pair[0])  # in the file's order (stable for the rest)
        raise ConfigError([problem for _, problem in found]) from None


def _os_reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)


def _dotted(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc)


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


_KINDS = {
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "int_parsing": "a whole number",
    "string_type": "text",
    "bool_type": "true or false",
    "float_type": "a number",
    "float_parsing": "a number",
    "finite_number": "a finite number",
    "path_type": "a path (text)",
}


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _explain(error: ErrorDetails) -> str:
    """One pydantic error as the operator reads it (several lines for a joined check)."""
    loc = tuple(error["loc"])
    kind = error["type"]
    ctx = error.get("ctx") or {}
    secret = bool(loc) and loc[0] in SECRET_KEYS
    where = _dotted(loc)
    value = "" if secret else f", not {_shown(error.get('input'))}"
    if kind == "extra_forbidden":
        if len(loc) == 1:
            return f"unknown setting '{loc[0]}'"
        return f"{_dotted(loc[:-1])}: unknown key '{loc[-1]}'"
    if len(loc) == 3 and loc[0] == "printers" and loc[2] == "[key]":
        kinds = ", ".join(DOCUMENT_KINDS)
        return f"printers.{loc[1]}: unknown document kind (use {kinds})"
    if kind in ("dict_type", "model_type"):
        return "[printers] must be a table" if loc == ("printers",) else f"{where} must be a table"
    if kind in ("enum", "literal_error"):
        return f"{where} must be one of {ctx.get('expected', '')}{value}"
    if kind in _KINDS:
        if secret:
            hint = " (use `kiosk set-pin`)" if loc[0] == "pin_hash" else ""
            return f"{where} must be {_KINDS[kind]}; the value is not shown{hint}"
        seconds = " of seconds" if loc[-1] == "timeout_s" else ""
        return f"{where} must be {_KINDS[kind]}{seconds}{value}"
    bounds = {
        "greater_than": f"above {_number(ctx.get('gt'))}",
        "greater_than_equal": f"at least {_number(ctx.get('ge'))}",
        "less_than": f"below {_number(ctx.get('lt'))}",
        "less_than_equal": f"at most {_number(ctx.get('le'))}",
    }
    if kind in bounds:
        return f"{where} must be {bounds[kind]}{value}"
    if kind == "string_too_short":
        return f"{where} must not be empty"
    if kind == "string_too_long":
        return f"{where} must be at most {ctx.get('max_length')} characters{value}"
    if kind == "string_pattern_mismatch":
        return f"{where} may not contain spaces, '/' or '#'{value}"
    if kind == "value_error":
        reason = str(ctx.get("error", error["msg"]))
        if loc == ("bureau_url",):
            return f"bureau_url {reason}"
        if loc == ("printers",):  # the message names the kind itself: printers.form: …
            return reason
        return "\n".join(f"{where}: {line}" if where else line for line in reason.splitlines())
    return f"{where}: {error['msg']}"


class _Lines:
    """Finds the line of a key in the TOML text: top-level keys and [printers.<kind>] tables."""

    def __init__(self, text: str):
        self.keys: dict[tuple[str, ...], int] = {}
        table: tuple[str, ...] = ()
        for number, line in enumerate(text.splitlines(), start=1):
            header = re.match(r"^\s*\[\s*([A-Za-z0-9_.\-\s\"]+?)\s*\]", line)
            if header:
                table = tuple(p.strip().strip('"') for p in header.group(1).split("."))
                self.keys.setdefault(table, number)
                continue
            key = re.match(r"^\s*([A-Za-z0-9_\-]+)\s*=", line)
            if key:
                self.keys.setdefault((*table, key.group(1)), number)

    def find(self, loc: tuple[int | str, ...]) -> int | None:
        path = tuple(str(p) for p in loc if p != "[key]")
        while path:
            if path in self.keys:
                return self.keys[path]
            path = path[:-1]
        return None


# ── writing back ───────────────────────────────────────────────────────────


def write_settings(path: Path, values: Mapping[str, str | int | bool]) -> None:
    """Set top-level settings in a TOML file, keeping everything else (comments too) as is.

    The result is validated first (ConfigError, and nothing written, if the file would
    be unusable) and written atomically as a 0600 file: it may hold the PIN hash and
    the bureau password.
    """
    unknown = [key for key in values if key not in Settings.model_fields or key == "printers"]
    if unknown or "source" in values:
        raise KeyError(", ".join(unknown) or "source")
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"{path}: cannot read: {_os_reason(exc)}"]) from None
    # Imported here, not at the top: only a setting changed at the kiosk needs it, and
    # `kiosk run` reads its settings before the first paint (bench_ui: home painted).
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    try:
        document = tomlkit.parse(text)
    except TOMLKitError as exc:
        raise ConfigError([f"{path}: not valid TOML: {exc}"]) from None
    for key, value in values.items():
        document[key] = value.value if isinstance(value, Enum) else value
    updated = tomlkit.dumps(document)
    settings_from_mapping(tomllib.loads(updated), str(path), text=updated)
    # A folder made here is 0700; an existing one is tightened only if it is the kiosk's own
    # (an operator's /etc/kiosk is theirs).
    private_dir(path.parent, tighten=path.parent == default_config_path().parent)
    write_private(path, updated.encode("utf-8"))


def write_setting(path: Path, key: str, value: str | int | bool) -> None:
    """One setting: see :func:`write_settings`."""
    write_settings(path, {key: value})
