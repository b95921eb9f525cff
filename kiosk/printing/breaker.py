"""A circuit breaker per printer: a dead printer costs the first visitor seconds, the next none.

:class:`PrinterSet` holds the kiosk's printers (one per distinct printer, however many
document kinds share it), each behind a :class:`GuardedPrinter`:

* closed — documents go to the printer;
* open — after the printer failed (offline, out of paper, timed out): documents are
  refused at once with the printer's last known state, no connection is tried, and
  :meth:`GuardedPrinter.status` answers from memory with ``down_since`` set, so the
  staff panel shows the printer as down without waiting on it;
* a recovery probe asks the printer's status every :data:`PROBE_EVERY_S` seconds in
  a background thread and closes the breaker the moment the printer is ready.

A staff test page is a *trial*: it goes to the printer even while the breaker is
open, and closes it when it prints.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from kiosk.config import Settings
from kiosk.kinds import DocumentKind
from kiosk.printing.printers import (
    MESSAGES,
    Document,
    Printer,
    PrinterState,
    PrinterStatus,
    PrintResult,
    make_printer,
)

log = logging.getLogger(__name__)

PROBE_EVERY_S = 5.0


class GuardedPrinter:
    """One printer behind a circuit breaker (thread-safe)."""

    def __init__(
        self,
        printer: Printer,
        target: str,
        *,
        probe_every_s: float = PROBE_EVERY_S,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        self.printer = printer
        self.target = target  # queue, device or folder, as the staff panel names it
        self.probe_every_s = probe_every_s
        self._now = now
        self._lock = threading.Lock()
        self._down: PrinterStatus | None = None  # set while the breaker is open
        self._stop = threading.Event()
        self._prober: threading.Thread | None = None

    @property
    def backend(self) -> str:
        return self.printer.backend

    @property
    def down(self) -> PrinterStatus | None:
        """The printer's last known bad state while the breaker is open, else None."""
        with self._lock:
            return self._down

    def print(self, document: Document, *, trial: bool = False) -> PrintResult:
        down = self.down
        if down is not None and not trial:
            detail = f"not sent: {down.target} is down since {down.down_since:%H:%M:%S} UTC"
            log.info("%s (%s)", detail, down.detail)
            return PrintResult(
                False, down.state, down.message, None, detail, 0.0, printer_down=True
            )
        result = self.printer.print(document)
        if result.accepted:
            self._close("printed")
        elif result.printer_down:
            self._open(result.state, result.detail)
        return result

    def status(self) -> PrinterStatus:
        """From memory while down (never blocks then); else the printer's own answer."""
        down = self.down
        if down is not None:
            return down
        status = self.printer.status()
        if not status.ready:
            self._open(status.state, status.detail, status)
            return self.down or status
        return status

    def close(self) -> None:
        """Stop the recovery probe (the kiosk is shutting down)."""
        self._stop.set()
        prober = self._prober
        if prober is not None:
            prober.join(timeout=30)

    # ── the breaker ──
    def _open(self, state: PrinterState, detail: str, status: PrinterStatus | None = None) -> None:
        with self._lock:
            if self._down is not None:
                self._down = replace(self._down, state=state, detail=detail)
                return
            base = status or PrinterStatus(
                state, MESSAGES[state], self.backend, self.target, detail
            )
            self._down = replace(base, down_since=self._now())
            log.warning("printer %s marked down (%s): %s", base.target, state.value, detail)
            if self._stop.is_set():
                return
            if self._prober is None or not self._prober.is_alive():
                self._prober = threading.Thread(
                    target=self._probe, name=f"printer-probe {base.target}", daemon=True
                )
                self._prober.start()

    def _close(self, why: str) -> None:
        with self._lock:
            if self._down is None:
                return
            target = self._down.target
            self._down = None
        log.warning("printer %s is back (%s)", target, why)

    def _probe(self) -> None:
        """Ask the printer every few seconds; the first ready answer closes the breaker."""
        while not self._stop.wait(self.probe_every_s):
            if self.down is None:
                return
            try:
                status = self.printer.status()
            except Exception:  # a bug (BugError): logged with its traceback, the probe goes on
                log.exception("printer probe failed")
                continue
            if status.ready:
                self._close("recovery probe")
                return
            with self._lock:
                if self._down is not None:
                    self._down = replace(self._down, state=status.state, detail=status.detail)


class PrinterSet:
    """The kiosk's printers, one guarded printer per distinct printer, looked up by kind."""

    def __init__(self, settings: Settings, *, probe_every_s: float = PROBE_EVERY_S):
        by_target: dict[tuple[str, str], GuardedPrinter] = {}
        self._by_kind: dict[DocumentKind, GuardedPrinter] = {}
        for kind in DocumentKind:
            config = settings.printer(kind)
            key = (config.backend.value, config.target)
            if key not in by_target:
                printer = make_printer(config, settings.status_url)
                by_target[key] = GuardedPrinter(printer, config.target, probe_every_s=probe_every_s)
            self._by_kind[kind] = by_target[key]
        self._printers = tuple(by_target.values())

    def __getitem__(self, kind: str) -> GuardedPrinter:
        return self._by_kind[DocumentKind(kind)]

    def print(self, document: Document, *, trial: bool = False) -> PrintResult:
        return self[document.kind].print(document, trial=trial)

    def status(self) -> dict[str, PrinterStatus]:
        """Per document kind; a printer shared by several kinds is asked once."""
        asked: dict[int, PrinterStatus] = {}
        out: dict[str, PrinterStatus] = {}
        for kind, guarded in self._by_kind.items():
            if id(guarded) not in asked:
                asked[id(guarded)] = guarded.status()
            out[kind.value] = asked[id(guarded)]
        return out

    def close(self) -> None:
        for guarded in self._printers:
            guarded.close()
