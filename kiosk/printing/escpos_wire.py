"""Talking to an ESC/POS thermal printer: the link (TCP, device file, USB) and its status bytes.

A ticket counts as printed only when the printer says so, so the kiosk asks:

* before sending: ``DLE EOT 1`` (printer status: online?) and ``DLE EOT 4`` (roll
  paper sensor) — real-time commands a printer answers at once, even when busy;
* after sending the ticket and its cut: ``GS r 1`` (transmit paper sensor status),
  which the printer answers only once it has worked through everything before it.
  No answer means the ticket was not printed (a printer that takes the bytes and
  never reads them, a cable pulled mid-ticket); "paper end" means it ran out.

Each question waits a short, fixed time (:data:`STATUS_TIMEOUT_S`), so a silent
printer costs seconds, not the 30 s a print job may take.  A regular file as the
device is a capture (tests, debugging): it cannot answer, and it is not a printer.
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from kiosk.config import Device, FileDevice, TcpDevice, UsbDevice

CONNECT_TIMEOUT_S = 2.0  # a printer on the hall's LAN answers in milliseconds
STATUS_TIMEOUT_S = 1.5  # per status question

DLE_EOT = b"\x10\x04"
PRINTER_STATUS = DLE_EOT + b"\x01"
OFFLINE_CAUSE = DLE_EOT + b"\x02"
PAPER_SENSOR = DLE_EOT + b"\x04"
TRANSMIT_PAPER_STATUS = b"\x1dr\x01"  # GS r 1: answered in sequence, after the ticket


class LinkError(OSError):
    """The printer cannot be reached, or stopped taking data."""


class Link(Protocol):
    """A byte pipe to the printer; ``read`` returns b"" when nothing came in time."""

    can_answer: bool  # False for a capture file: nothing will ever be read back

    def write(self, data: bytes, timeout: float) -> None: ...

    def read(self, size: int, timeout: float) -> bytes: ...

    def close(self) -> None: ...


class TcpLink:
    can_answer = True

    def __init__(self, device: TcpDevice, connect_timeout: float):
        try:
            self.sock = socket.create_connection((device.host, device.port), connect_timeout)
        except TimeoutError as exc:
            raise LinkError(f"{device}: no answer within {connect_timeout:g} s") from exc
        except OSError as exc:
            raise LinkError(f"{device}: {exc.strerror or exc}") from exc

    def write(self, data: bytes, timeout: float) -> None:
        self.sock.settimeout(timeout)
        try:
            self.sock.sendall(data)
        except TimeoutError as exc:
            raise LinkError(f"the printer took no data for {timeout:g} s") from exc
        except OSError as exc:
            raise LinkError(f"the connection broke: {exc.strerror or exc}") from exc

    def read(self, size: int, timeout: float) -> bytes:
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(size)
        except (TimeoutError, BlockingIOError):  # nothing came in time (or, at 0 s, yet)
            return b""
        except OSError as exc:
            raise LinkError(f"the connection broke: {exc.strerror or exc}") from exc
        if not data:
            raise LinkError("the printer closed the connection")
        return data

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()


class FileLink:
    """A device file (``/dev/usb/lp0``: it answers status) or a capture file (it cannot)."""

    def __init__(self, device: FileDevice):
        path = device.path
        try:
            existing = path.stat()
        except FileNotFoundError:
            existing = None
        except OSError as exc:
            raise LinkError(f"{path}: {exc.strerror or exc}") from exc
        self.can_answer = existing is not None and stat.S_ISCHR(existing.st_mode)
        flags = os.O_RDWR if self.can_answer else os.O_WRONLY | os.O_CREAT | os.O_APPEND
        try:
            self.fd = os.open(path, flags | os.O_NOCTTY, 0o600)
        except OSError as exc:
            raise LinkError(f"{path}: {exc.strerror or exc}") from exc

    def write(self, data: bytes, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        view = memoryview(data)
        try:
            while view:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([], [self.fd], [], left)[1]:
                    raise LinkError(f"the printer took no data for {timeout:g} s")
                view = view[os.write(self.fd, view) :]
        except OSError as exc:
            if isinstance(exc, LinkError):
                raise
            raise LinkError(f"cannot write to the printer: {exc.strerror or exc}") from exc

    def read(self, size: int, timeout: float) -> bytes:
        if not self.can_answer:
            return b""
        try:
            if not select.select([self.fd], [], [], timeout)[0]:
                return b""
            return os.read(self.fd, size)
        except OSError as exc:
            raise LinkError(f"cannot read from the printer: {exc.strerror or exc}") from exc

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.fd)


class UsbLink:
    """A USB printer through python-escpos (pyusb): bulk out for data, bulk in for status."""

    can_answer = True

    def __init__(self, device: UsbDevice, timeout: float):
        try:
            from escpos.exceptions import Error as EscposError
            from escpos.printer import Usb
        except ImportError as exc:
            raise LinkError("USB printers need python-escpos: pip install 'kiosk[escpos]'") from exc
        self._errors: tuple[type[BaseException], ...] = (EscposError, OSError, ValueError)
        try:
            self.usb: Any = Usb(device.vendor, device.product, timeout=int(timeout * 1000))
            self.usb.open()
        except self._errors as exc:
            raise LinkError(f"{device}: {exc}") from exc

    def write(self, data: bytes, timeout: float) -> None:
        try:
            self.usb._raw(data)
        except self._errors as exc:
            raise LinkError(f"cannot write to the printer: {exc}") from exc

    def read(self, size: int, timeout: float) -> bytes:
        try:
            return bytes(self.usb._read())[:size]
        except self._errors:
            return b""  # pyusb's read timeout: nothing came

    def close(self) -> None:
        with contextlib.suppress(*self._errors):
            self.usb.close()


def open_link(device: Device, connect_timeout: float = CONNECT_TIMEOUT_S) -> Link:
    if isinstance(device, TcpDevice):
        return TcpLink(device, connect_timeout)
    if isinstance(device, UsbDevice):
        return UsbLink(device, connect_timeout)
    return FileLink(device)


# ── status bytes ───────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Status:
    """What the printer said: ``answered`` False means it said nothing at all."""

    answered: bool
    online: bool = False
    paper_out: bool = False
    paper_low: bool = False
    cover_open: bool = False
    error: bool = False

    @property
    def ready(self) -> bool:
        return self.answered and self.online and not self.paper_out and not self.error

    def describe(self) -> str:
        if not self.answered:
            return "the printer did not answer a status request"
        words = [
            word
            for flag, word in (
                (not self.online, "offline"),
                (self.cover_open, "cover open"),
                (self.paper_out, "paper end"),
                (self.paper_low, "paper low"),
                (self.error, "printer error"),
            )
            if flag
        ]
        return ", ".join(words)


def _real_time(reply: bytes) -> int | None:
    """The last well-formed DLE EOT answer byte (bits 1 and 4 set, 0 and 7 clear)."""
    for byte in reversed(reply):
        if byte & 0x93 == 0x12:
            return byte
    return None


def _ask(link: Link, question: bytes, timeout: float) -> int | None:
    link.write(question, timeout)
    deadline = time.monotonic() + timeout
    reply = b""
    while (left := deadline - time.monotonic()) > 0:
        chunk = link.read(16, left)
        if not chunk:
            break
        reply += chunk
        byte = _real_time(reply)
        if byte is not None:
            return byte
    return None


def drain(link: Link) -> None:
    """Drop bytes a printer sent unasked (automatic status back) before asking anything."""
    while link.read(64, 0.0):
        pass


def ask_status(link: Link, timeout: float = STATUS_TIMEOUT_S) -> Status:
    """Printer and paper status by the real-time commands (answered at once, even mid-job)."""
    if not link.can_answer:
        return Status(answered=False)
    printer = _ask(link, PRINTER_STATUS, timeout)
    if printer is None:
        return Status(answered=False)
    online = not printer & 0x08
    cover_open = error = paper_stop = False
    if not online:
        cause = _ask(link, OFFLINE_CAUSE, timeout)
        if cause is not None:
            cover_open, paper_stop, error = (
                bool(cause & 0x04),
                bool(cause & 0x20),
                bool(cause & 0x40),
            )
    paper = _ask(link, PAPER_SENSOR, timeout)
    paper_out = paper_stop or (paper is not None and paper & 0x60 == 0x60)
    paper_low = paper is not None and paper & 0x0C == 0x0C
    return Status(True, online, paper_out, paper_low, cover_open, error)


def confirm_printed(link: Link, timeout: float) -> Status:
    """After the ticket: GS r 1, answered once the printer has worked through the ticket."""
    link.write(TRANSMIT_PAPER_STATUS, timeout)
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        chunk = link.read(16, left)
        if not chunk:
            break
        for byte in reversed(chunk):
            if byte & 0x90 == 0:  # GS r answers: bits 4 and 7 clear
                return Status(
                    True, True, paper_out=byte & 0x0C == 0x0C, paper_low=byte & 0x03 == 0x03
                )
    return Status(answered=False)


def is_capture_file(device: Device) -> bool:
    """A regular file (or a path that does not exist yet): bytes are kept, nothing answers."""
    if not isinstance(device, FileDevice):
        return False
    path: Path = device.path
    try:
        return not stat.S_ISCHR(path.stat().st_mode)
    except FileNotFoundError:
        return True
    except OSError:
        return False
