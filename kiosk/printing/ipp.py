"""Just enough IPP to ask the CUPS scheduler how a job and a queue are doing.

``lp`` submits and ``cancel`` cancels, but neither ``lp`` nor ``lpstat`` tells a
*completed* job from a *cancelled* or *aborted* one (``lpstat -W completed``
lists all three, with the same job-state-reasons under cups-pdf), and ``lpstat``
does not show why a queue is unhappy (media-empty, offline-report).  The
scheduler answers both over IPP: Get-Job-Attributes and Get-Printer-Attributes,
encoded here by hand (RFC 8010) rather than through pycups, which needs the
libcups headers to build.  The server is the one the CUPS tools use:
``$CUPS_SERVER``, else the local domain socket, else localhost:631.
"""

from __future__ import annotations

import http.client
import itertools
import os
import socket
import struct
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

SOCKETS = (Path("/run/cups/cups.sock"), Path("/var/run/cups/cups.sock"))
_request_ids = itertools.count(1)

# Operations (RFC 8011 §5.4).
GET_JOB_ATTRIBUTES = 0x0009
GET_PRINTER_ATTRIBUTES = 0x000B

# Value tags used in requests and decoded in answers.
_INTEGER, _BOOLEAN, _ENUM = 0x21, 0x22, 0x23
_TEXT_TAGS = {0x41, 0x42, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49}  # text, name, keyword, uri, …
_OPERATION_GROUP, _END = 0x01, 0x03


NOT_FOUND = 0x0406  # client-error-not-found: no such queue or job


class IppError(OSError):
    """The scheduler could not be reached, or answered with an error status."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class JobState(IntEnum):
    PENDING = 3
    HELD = 4
    PROCESSING = 5
    STOPPED = 6
    CANCELED = 7
    ABORTED = 8
    COMPLETED = 9

    @property
    def finished(self) -> bool:
        return self >= JobState.CANCELED


class QueueState(IntEnum):
    IDLE = 3
    PROCESSING = 4
    STOPPED = 5  # cupsdisable, or a backend failure under the stop-printer policy


@dataclass(frozen=True)
class JobInfo:
    state: JobState
    reasons: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class QueueInfo:
    state: QueueState
    reasons: tuple[str, ...]
    accepting: bool
    message: str
    device_uri: str = ""  # where CUPS sends the jobs: socket://10.0.0.9:9100, usb://…


class _UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float):
        super().__init__("localhost", timeout=timeout)
        self._path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(self._path)
        except OSError:
            sock.close()
            raise
        self.sock = sock


def _server() -> tuple[str | None, str, int]:
    """(socket path, host, port) of the scheduler, as the CUPS command-line tools find it."""
    configured = os.environ.get("CUPS_SERVER", "").strip()
    if configured.startswith("/"):
        return configured, "localhost", 631
    if configured:
        host, _, port = configured.partition(":")
        return None, host, int(port or 631)
    for path in SOCKETS:
        if path.exists():
            return str(path), "localhost", 631
    return None, "localhost", 631


def _attribute(tag: int, name: str, values: list[bytes]) -> bytes:
    out = b""
    for n, value in enumerate(values):
        label = name.encode() if n == 0 else b""  # further values of a set have no name
        out += struct.pack(">BH", tag, len(label)) + label + struct.pack(">H", len(value)) + value
    return out


def _request(operation: int, queue: str, extra: bytes, wanted: list[str]) -> bytes:
    uri = f"ipp://localhost/printers/{quote(queue)}"
    user = os.environ.get("USER") or "kiosk"
    return (
        struct.pack(">BBHI", 1, 1, operation, next(_request_ids))
        + bytes([_OPERATION_GROUP])
        + _attribute(0x47, "attributes-charset", [b"utf-8"])
        + _attribute(0x48, "attributes-natural-language", [b"en"])
        + _attribute(0x45, "printer-uri", [uri.encode()])
        + extra
        + _attribute(0x42, "requesting-user-name", [user.encode()])
        + _attribute(0x44, "requested-attributes", [w.encode() for w in wanted])
        + bytes([_END])
    )


def _decode(body: bytes) -> dict[str, list[Any]]:
    """Every attribute of the answer (all groups flattened; we ask about one object)."""
    if len(body) < 8:
        raise IppError(f"short IPP answer ({len(body)} bytes)")
    status = struct.unpack(">H", body[2:4])[0]
    if status >= 0x0400:
        raise IppError(f"IPP status 0x{status:04x}", status)
    attributes: dict[str, list[Any]] = {}
    last = ""
    at = 8
    while at < len(body):
        tag = body[at]
        at += 1
        if tag == _END:
            break
        if tag < 0x10:  # the start of another attribute group
            continue
        (name_length,) = struct.unpack(">H", body[at : at + 2])
        name = body[at + 2 : at + 2 + name_length].decode("utf-8", "replace")
        at += 2 + name_length
        (value_length,) = struct.unpack(">H", body[at : at + 2])
        raw = body[at + 2 : at + 2 + value_length]
        at += 2 + value_length
        value: Any
        if tag in (_INTEGER, _ENUM) and value_length == 4:
            value = struct.unpack(">i", raw)[0]
        elif tag == _BOOLEAN and value_length == 1:
            value = raw != b"\x00"
        elif tag in _TEXT_TAGS:
            value = raw.decode("utf-8", "replace")
        else:
            value = raw
        if name:
            last = name
            attributes[last] = [value]
        elif last:
            attributes[last].append(value)
    return attributes


def _post(
    operation: int, queue: str, extra: bytes, wanted: list[str], timeout: float
) -> dict[str, list[Any]]:
    """Ask the scheduler about ``queue`` (or one of its jobs): the answer's attributes."""
    payload = _request(operation, queue, extra, wanted)
    path, host, port = _server()
    connection: http.client.HTTPConnection = (
        _UnixHTTPConnection(path, timeout)
        if path
        else http.client.HTTPConnection(host, port, timeout=timeout)
    )
    try:
        connection.request(
            "POST",
            f"/printers/{quote(queue)}",
            body=payload,
            headers={"Content-Type": "application/ipp"},
        )
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise IppError(f"CUPS answered HTTP {response.status} {response.reason}")
    except (OSError, http.client.HTTPException) as exc:
        if isinstance(exc, IppError):
            raise
        raise IppError(f"cannot reach the CUPS scheduler: {exc}") from exc
    finally:
        connection.close()
    return _decode(body)


_State = TypeVar("_State", JobState, QueueState)


def _state(attributes: dict[str, list[Any]], name: str, states: type[_State], of: str) -> _State:
    """The answer's job-state or printer-state: without it the answer tells nothing."""
    try:
        return states(attributes[name][0])
    except (KeyError, ValueError) as exc:
        raise IppError(f"no {name} for {of}") from exc


def _first(attributes: dict[str, list[Any]], name: str, default: Any) -> Any:
    return (attributes.get(name) or [default])[0]


def job_info(queue: str, job_id: int, timeout: float = 5.0) -> JobInfo:
    extra = _attribute(_INTEGER, "job-id", [struct.pack(">i", job_id)])
    wanted = ["job-state", "job-state-reasons", "job-printer-state-message"]
    attributes = _post(GET_JOB_ATTRIBUTES, queue, extra, wanted, timeout)
    return JobInfo(
        _state(attributes, "job-state", JobState, f"job {job_id}"),
        tuple(str(r) for r in attributes.get("job-state-reasons", [])),
        str(_first(attributes, "job-printer-state-message", "")),
    )


def queue_info(queue: str, timeout: float = 5.0) -> QueueInfo:
    wanted = [
        "printer-state",
        "printer-state-reasons",
        "printer-is-accepting-jobs",
        "printer-state-message",
        "device-uri",
    ]
    attributes = _post(GET_PRINTER_ATTRIBUTES, queue, b"", wanted, timeout)
    return QueueInfo(
        _state(attributes, "printer-state", QueueState, f"queue {queue}"),
        tuple(str(r) for r in attributes.get("printer-state-reasons", []) if r != "none"),
        bool(_first(attributes, "printer-is-accepting-jobs", True)),
        str(_first(attributes, "printer-state-message", "")),
        str(_first(attributes, "device-uri", "")),
    )
