"""Printer backends: where a rendered document goes, and whether the printer took it.

Three backends, chosen per document kind by ``Settings.printer(kind)``:

* ``pdf-folder`` (the embedded default) writes the PDF into a folder, as a file
  only the kiosk's user can read (0600 in a 0700 folder: it holds names and ID
  numbers);
* ``cups`` submits to a named queue with ``lp`` and follows the job on the
  scheduler until it is completed, failed or timed out (a job that times out is
  cancelled, so it cannot pop out of the printer minutes later next to a
  reprint).  Before submitting, a network printer behind the queue
  (``socket://``, ``ipp://``, ``lpd://`` …) must accept a TCP connection, so a
  printer that is switched off is found in a second, not after the job timeout;
* ``escpos`` sends a ticket to a thermal printer (device path, ``tcp://host:port``
  or ``usb:VID:PID``) as ESC/POS commands, asking its status before and after
  (:mod:`kiosk.printing.escpos_wire`): a ticket counts as printed only when the
  printer confirms it.

Every call is a plain synchronous function that may block for up to the
printer's timeout: the services run it off the GUI thread, behind a circuit
breaker per printer (:mod:`kiosk.printing.breaker`).  A printer problem is
never raised: it comes back as a :class:`PrintResult` with ``accepted=False``
and a calm bilingual message, and :meth:`Printer.status` says ready / offline /
out of paper / error for the staff panel.  Only bugs raise.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from kiosk.config import PrinterSettings, Settings, parse_device
from kiosk.kinds import DocumentKind, PrinterBackend
from kiosk.message import Message
from kiosk.printing import escpos_wire, ipp
from kiosk.printing.slip import TicketSlip
from kiosk.private_files import private_dir, write_private

log = logging.getLogger(__name__)


class PrinterState(StrEnum):
    READY = "ready"
    OFFLINE = "offline"
    OUT_OF_PAPER = "out_of_paper"
    ERROR = "error"


MESSAGES = {
    PrinterState.READY: Message("打印机正常", "The printer is ready"),
    PrinterState.OFFLINE: Message(
        "打印机暂时无法连接，工作人员会尽快处理", "The printer is not reachable; staff will help"
    ),
    PrinterState.OUT_OF_PAPER: Message(
        "打印机缺纸，工作人员会尽快处理", "The printer is out of paper; staff will help"
    ),
    PrinterState.ERROR: Message(
        "打印机出现故障，工作人员会尽快处理", "The printer has a problem; staff will help"
    ),
}
TIMED_OUT = Message(
    "打印机长时间没有响应，工作人员会尽快处理", "The printer did not respond; staff will help"
)
NOT_A_TICKET = Message(
    "这台打印机只能打印排队号票，请联系工作人员",
    "This printer prints tickets only; please ask staff",
)


@dataclass(frozen=True)
class Document:
    """A rendered document on its way to a printer."""

    kind: str  # a DocumentKind ("ticket" | "notice" | "form"), as in Settings.printers
    name: str  # short and file-name safe, e.g. "ticket-C012" or "form-K7M2Q9XP"
    pdf: bytes
    slip: TicketSlip | None = None  # tickets: the data, for printers that draw it themselves
    media: str = "A4"  # the paper, as CUPS names it; a ticket is "Custom.80x146mm"

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", DocumentKind(self.kind))  # a wrong kind is a bug


@dataclass(frozen=True)
class PrinterStatus:
    state: PrinterState
    message: Message
    backend: str
    target: str  # folder, queue or device, for the staff panel
    detail: str = ""  # what the system said, for staff and the log
    # Set while the kiosk has stopped sending to this printer (circuit breaker open):
    # since when it has been down; a recovery probe checks it every few seconds.
    down_since: datetime | None = None

    @property
    def ready(self) -> bool:
        return self.state is PrinterState.READY


@dataclass(frozen=True)
class PrintResult:
    """Whether the printer accepted the document; if not, the calm reason why."""

    accepted: bool
    state: PrinterState
    message: Message | None = None  # for the visitor, when not accepted
    job: str | None = None  # file path, CUPS job id ("PDF-12") or device
    detail: str = ""  # for staff and the log
    seconds: float = 0.0
    # The printer itself is the trouble (not this document): the breaker stops using it.
    printer_down: bool = False

    @classmethod
    def refused(
        cls,
        state: PrinterState,
        detail: str,
        message: Message | None = None,
        job: str | None = None,
        *,
        printer_down: bool = True,
    ) -> PrintResult:
        log.warning("print not accepted (%s): %s", state.value, detail)
        return cls(False, state, message or MESSAGES[state], job, detail, 0.0, printer_down)


class Printer(Protocol):
    backend: str

    def print(self, document: Document) -> PrintResult: ...

    def status(self) -> PrinterStatus: ...


def _stamp() -> str:
    return datetime.now().astimezone().strftime("%Y%m%d-%H%M%S-%f")


# ── pdf-folder ──────────────────────────────────────────────────────────────


class PdfFolderPrinter:
    """Writes each document into a folder (the default: the kiosk works with no printer).

    The folder is 0700 and every PDF 0600, whatever the umask: the forms carry names
    and ID numbers as text anyone could extract.
    """

    backend = "pdf-folder"

    def __init__(self, folder: Path):
        self.folder = folder

    def status(self) -> PrinterStatus:
        try:
            private_dir(self.folder)
        except OSError as exc:
            return self._status(PrinterState.ERROR, str(exc))
        if not os.access(self.folder, os.W_OK):
            return self._status(PrinterState.ERROR, f"{self.folder} is not writable")
        return self._status(PrinterState.READY)

    def _status(self, state: PrinterState, detail: str = "") -> PrinterStatus:
        return PrinterStatus(state, MESSAGES[state], self.backend, str(self.folder), detail)

    def print(self, document: Document) -> PrintResult:
        started = time.perf_counter()
        path = self.folder / f"{_stamp()}-{document.name}.pdf"
        try:
            private_dir(self.folder)
            # whole file or none: whatever watches the folder never sees half a PDF
            write_private(path, document.pdf, temporary=path.with_suffix(".pdf.part"))
        except OSError as exc:  # disk full, read-only, permissions
            return PrintResult.refused(PrinterState.ERROR, f"cannot write {path}: {exc}")
        return PrintResult(True, PrinterState.READY, job=str(path), seconds=_since(started))


def _since(started: float) -> float:
    return time.perf_counter() - started


# ── cups ────────────────────────────────────────────────────────────────────

_JOB_ID = re.compile(r"request id is (\S+)-(\d+)")
_PAPER = ("media-empty", "media-needed")
# not "connecting-to-device": every job to a network printer starts with it
_OFFLINE = ("offline", "paused", "shutdown")


def queue_state(info: ipp.QueueInfo) -> PrinterState:
    """What a CUPS queue's state and printer-state-reasons mean for the staff panel."""
    reasons = info.reasons
    if any(r.startswith(_PAPER) for r in reasons):
        return PrinterState.OUT_OF_PAPER
    if (
        info.state is ipp.QueueState.STOPPED
        or not info.accepting
        or any(r.startswith(_OFFLINE) for r in reasons)
    ):
        return PrinterState.OFFLINE
    if any(r.endswith("-error") for r in reasons):
        return PrinterState.ERROR
    return PrinterState.READY


# Network device URIs and their default ports: the printer behind the queue can be tried.
_NETWORK_PORTS = {"socket": 9100, "ipp": 631, "ipps": 631, "http": 80, "https": 443, "lpd": 515}
DEVICE_TIMEOUT_S = 2.0


def device_reachable(device_uri: str, timeout: float = DEVICE_TIMEOUT_S) -> str | None:
    """Why the network printer behind a queue cannot be reached, or None (reachable, or a
    device that cannot be tried from here: USB, cups-pdf, …)."""
    try:
        parts = urlsplit(device_uri)
        port = parts.port or _NETWORK_PORTS.get(parts.scheme)
    except ValueError:
        return None
    if parts.scheme not in _NETWORK_PORTS or not parts.hostname or port is None:
        return None
    try:
        with socket.create_connection((parts.hostname, port), timeout):
            return None
    except TimeoutError:
        return f"the printer at {parts.hostname}:{port} did not answer within {timeout:g} s"
    except OSError as exc:
        return f"the printer at {parts.hostname}:{port} cannot be reached: {exc.strerror or exc}"


class CupsPrinter:
    """A named CUPS queue: ``lp`` to submit, the scheduler's job state to follow."""

    backend = "cups"
    POLL_FIRST = 0.02  # cups-pdf finishes a ticket in well under a second: look often at first
    POLL_MAX = 0.25

    def __init__(self, queue: str, timeout_s: float = 30.0):
        self.queue = queue
        self.timeout_s = timeout_s

    def _status(self, state: PrinterState, detail: str = "") -> PrinterStatus:
        return PrinterStatus(state, MESSAGES[state], self.backend, self.queue, detail)

    def status(self) -> PrinterStatus:
        """The queue's state and, while it is idle, whether its network printer answers.

        Only an idle queue's printer is tried: while CUPS sends a job, a raw port 9100
        printer may refuse a second connection, which says nothing about its health.
        """
        queue, info = self._queue_status()
        if queue.ready and info is not None and info.state is ipp.QueueState.IDLE:
            unreachable = device_reachable(info.device_uri)
            if unreachable:
                return self._status(PrinterState.OFFLINE, unreachable)
        return queue

    def _queue_status(self) -> tuple[PrinterStatus, ipp.QueueInfo | None]:
        try:
            info = ipp.queue_info(self.queue)
        except ipp.IppError as exc:
            if exc.status == ipp.NOT_FOUND:
                return self._status(PrinterState.ERROR, f"no CUPS queue named {self.queue}"), None
            return self._status(PrinterState.OFFLINE, str(exc)), None
        detail = ", ".join(info.reasons) or info.message
        if not info.accepting:
            detail = f"not accepting jobs; {detail}".rstrip("; ")
        return self._status(queue_state(info), detail), info

    def print(self, document: Document) -> PrintResult:
        started = time.perf_counter()
        # Refuse up front when the queue is stopped: a job queued there would print by
        # itself when someone re-enables the queue, after the visitor got a reprint.
        before = self.status()
        if not before.ready:
            return PrintResult.refused(before.state, f"{self.queue}: {before.detail}")
        if shutil.which("lp") is None:
            return PrintResult.refused(PrinterState.ERROR, "the CUPS client (lp) is not installed")
        try:
            submitted = subprocess.run(
                # media: a roll printer cuts the ticket where the page ends; an A4
                # printer set up for Letter still prints the form at full size
                ["lp", "-d", self.queue, "-t", document.name, "-o", f"media={document.media}"],
                input=document.pdf,
                capture_output=True,
                timeout=self.timeout_s,
                check=False,
                # lp's "request id is …" is read back: in the C locale, not the kiosk's
                # zh_CN (the on-screen keyboard's), where it says "请求 ID 为 …".
                env={**os.environ, "LC_ALL": "C", "LANGUAGE": ""},
            )
        except subprocess.TimeoutExpired:
            return PrintResult.refused(PrinterState.OFFLINE, "lp did not return", TIMED_OUT)
        output = (submitted.stdout + submitted.stderr).decode("utf-8", "replace").strip()
        match = _JOB_ID.search(output)
        if submitted.returncode != 0 or match is None:
            state = (
                PrinterState.OFFLINE
                if re.search(r"not accepting|connect|not running", output, re.I)
                else PrinterState.ERROR
            )
            return PrintResult.refused(state, f"lp -d {self.queue}: {output}")
        job = f"{match.group(1)}-{match.group(2)}"
        return self._follow(job, int(match.group(2)), started)

    def _follow(self, job: str, job_id: int, started: float) -> PrintResult:
        deadline = started + self.timeout_s
        pause = self.POLL_FIRST
        while True:
            try:
                info = ipp.job_info(self.queue, job_id)
            except ipp.IppError as exc:
                self._cancel(job)
                return PrintResult.refused(PrinterState.OFFLINE, f"{job}: {exc}", job=job)
            if info.state is ipp.JobState.COMPLETED:
                return PrintResult(True, PrinterState.READY, job=job, seconds=_since(started))
            if info.state.finished:  # cancelled (by staff) or aborted (filter/backend failed)
                detail = (
                    f"{job} {info.state.name.lower()}: {info.message or ', '.join(info.reasons)}"
                )
                return PrintResult.refused(PrinterState.ERROR, detail, job=job)
            queue, _ = self._queue_status()
            if queue.state is not PrinterState.READY:  # stopped or ran out of paper meanwhile
                self._cancel(job)
                return PrintResult.refused(queue.state, f"{job}: {queue.detail}", job=job)
            if time.perf_counter() >= deadline:
                self._cancel(job)
                detail = f"{job} not printed within {self.timeout_s:g} s ({info.message})"
                return PrintResult.refused(PrinterState.OFFLINE, detail, TIMED_OUT, job=job)
            time.sleep(pause)
            pause = min(pause * 1.5, self.POLL_MAX)

    @staticmethod
    def _cancel(job: str) -> None:
        try:
            subprocess.run(["cancel", job], capture_output=True, timeout=10, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            log.warning("could not cancel %s: %s", job, exc)


# ── escpos ──────────────────────────────────────────────────────────────────

ESCPOS_MISSING = "thermal printers need python-escpos: pip install 'kiosk[escpos]'"


class EscposPrinter:
    """A thermal ticket printer spoken to in ESC/POS; a ticket counts once the printer says so.

    Status questions wait :data:`~kiosk.printing.escpos_wire.STATUS_TIMEOUT_S` at most
    (never ``timeout_s``): a printer that does not answer is offline within seconds.
    ``timeout_s`` bounds sending the ticket and waiting for the printer to confirm it.
    """

    backend = "escpos"

    def __init__(self, device: str, status_url: str | None = None, timeout_s: float = 10.0):
        self.device = device
        self.address = parse_device(device)  # ValueError for a bad address (config checks it)
        self.status_url = status_url
        self.timeout_s = timeout_s

    def _status(self, state: PrinterState, detail: str = "") -> PrinterStatus:
        return PrinterStatus(state, MESSAGES[state], self.backend, self.device, detail)

    def _short(self, limit: float) -> float:
        return min(limit, self.timeout_s)

    def _open(self) -> escpos_wire.Link:
        return escpos_wire.open_link(self.address, self._short(escpos_wire.CONNECT_TIMEOUT_S))

    def status(self) -> PrinterStatus:
        if escpos_wire.is_capture_file(self.address):
            path = Path(self.device)
            usable = os.access(path, os.W_OK) if path.exists() else os.access(path.parent, os.W_OK)
            if usable:
                return self._status(PrinterState.READY, "a capture file, not a printer")
            return self._status(PrinterState.OFFLINE, f"{path} is not writable")
        try:
            link = self._open()
        except escpos_wire.LinkError as exc:
            return self._status(PrinterState.OFFLINE, str(exc))
        try:
            escpos_wire.drain(link)
            answer = escpos_wire.ask_status(link, self._short(escpos_wire.STATUS_TIMEOUT_S))
        except escpos_wire.LinkError as exc:
            return self._status(PrinterState.OFFLINE, str(exc))
        finally:
            link.close()
        return self._status(_escpos_state(answer), answer.describe())

    def print(self, document: Document) -> PrintResult:
        started = time.perf_counter()
        if document.slip is None:
            return PrintResult.refused(
                PrinterState.ERROR,
                f"escpos prints tickets only, not {document.kind}",
                NOT_A_TICKET,
                printer_down=False,
            )
        try:
            from kiosk.printing.thermal import escpos_ticket
        except ImportError:
            return PrintResult.refused(PrinterState.ERROR, ESCPOS_MISSING)
        data = escpos_ticket(document.slip, self.status_url)
        try:
            link = self._open()
        except escpos_wire.LinkError as exc:
            return PrintResult.refused(PrinterState.OFFLINE, str(exc))
        try:
            return self._send(link, data, started)
        except escpos_wire.LinkError as exc:
            return PrintResult.refused(PrinterState.OFFLINE, f"{self.device}: {exc}")
        finally:
            link.close()

    def _send(self, link: escpos_wire.Link, data: bytes, started: float) -> PrintResult:
        if not link.can_answer:  # a capture file: the bytes are all there is
            link.write(data, self.timeout_s)
            return PrintResult(True, PrinterState.READY, job=self.device, seconds=_since(started))
        escpos_wire.drain(link)
        before = escpos_wire.ask_status(link, self._short(escpos_wire.STATUS_TIMEOUT_S))
        if not before.ready:
            detail = f"{self.device} before printing: {before.describe()}"
            return PrintResult.refused(_escpos_state(before), detail)
        link.write(data, self.timeout_s)
        after = escpos_wire.confirm_printed(link, self.timeout_s)
        if not after.answered:
            detail = f"{self.device}: took the ticket but never confirmed printing it"
            return PrintResult.refused(PrinterState.OFFLINE, detail, TIMED_OUT, self.device)
        if after.paper_out:
            detail = f"{self.device}: ran out of paper while printing"
            return PrintResult.refused(PrinterState.OUT_OF_PAPER, detail, job=self.device)
        return PrintResult(
            True,
            PrinterState.READY,
            job=self.device,
            detail="paper low" if after.paper_low or before.paper_low else "",
            seconds=_since(started),
        )


def _escpos_state(answer: escpos_wire.Status) -> PrinterState:
    if not answer.answered:
        return PrinterState.OFFLINE
    if answer.paper_out:
        return PrinterState.OUT_OF_PAPER
    if answer.error:
        return PrinterState.ERROR
    if not answer.online:
        return PrinterState.OFFLINE
    return PrinterState.READY


# ── choosing ────────────────────────────────────────────────────────────────


def make_printer(settings: PrinterSettings, status_url: str | None = None) -> Printer:
    if settings.backend is PrinterBackend.CUPS:
        if not settings.queue:
            raise ValueError("a cups printer needs a queue")
        return CupsPrinter(settings.queue, settings.timeout_s)
    if settings.backend is PrinterBackend.ESCPOS:
        if not settings.device:
            raise ValueError("an escpos printer needs a device")
        return EscposPrinter(settings.device, status_url, settings.timeout_s)
    if settings.folder is None:
        raise ValueError("a pdf-folder printer needs a folder")
    return PdfFolderPrinter(settings.folder)


def printer_for(settings: Settings, kind: str) -> Printer:
    """The printer configured for one kind of document (ticket, notice, form)."""
    return make_printer(settings.printer(kind), settings.status_url)


def print_document(settings: Settings, document: Document) -> PrintResult:
    """Send a document to the printer configured for its kind; never raises for printer trouble.

    No circuit breaker here: the services print through a :class:`~kiosk.printing.breaker.
    PrinterSet`, which remembers a printer that is down.
    """
    return printer_for(settings, document.kind).print(document)
