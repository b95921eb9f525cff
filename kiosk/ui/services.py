"""What the window needs from the rest of the kiosk, as small Protocols.

The composition root (kiosk.app) implements these and hands them to the window
through its constructor; the window never imports a store or a printer.  The
signatures match :class:`kiosk.services.KioskServices`, so one object can fill
every slot.  Until it is wired in, :class:`InMemoryHelpDesk` keeps help
requests in a list, and a missing submitter or notice printer makes the window
show a calm "coming soon" page (or no print button) instead.

Every call may block (a database, a printer): the window runs them through
:mod:`kiosk.ui.background`, never on the GUI thread.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from kiosk.consult import MaterialsNotice
from kiosk.forms import Message
from kiosk.session import VisitorSession


class HelpDesk(Protocol):
    def request_help(self, screen: str, language: str = "zh") -> object:
        """Record a 呼叫导服 for the staff panel.  May block; raises when it cannot."""


@dataclass(frozen=True)
class HelpRequest:
    """Nothing personal: on which screen, in which language, when."""

    screen: str
    language: str
    at: datetime = field(default_factory=lambda: datetime.now(UTC))


class InMemoryHelpDesk:
    """Help requests kept in memory until the store persists them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # called from the background pool
        self._requests: list[HelpRequest] = []

    def request_help(self, screen: str, language: str = "zh") -> HelpRequest:
        request = HelpRequest(screen, language)
        with self._lock:
            self._requests.append(request)
        return request

    @property
    def requests(self) -> list[HelpRequest]:
        with self._lock:
            return list(self._requests)


class Submitter(Protocol):
    """Turns the visitor's session into a durable submission (the store's job)."""

    def submit(self, session: VisitorSession) -> object: ...


class PrintOutcome(Protocol):
    """What a printer said: accepted, or not and a calm reason (kiosk.printing.PrintResult)."""

    @property
    def accepted(self) -> bool: ...

    @property
    def message(self) -> Message | None: ...


class NoticePrinter(Protocol):
    """Prints the materials list (一次性告知)."""

    def print_notice(self, notice: MaterialsNotice, language: str = "zh") -> PrintOutcome: ...


@dataclass(frozen=True)
class Services:
    help_desk: HelpDesk
    submitter: Submitter | None = None  # None: submitting is not wired in yet
    notice_printer: NoticePrinter | None = None  # None: no "print this list" button
