"""What the window needs from the rest of the kiosk, as small Protocols.

The composition root (kiosk.app) builds :class:`kiosk.services.KioskServices`
and hands it to the window through :meth:`Services.of`: that one object fills
every slot, because the Protocols here carry its signatures.  The window never
imports a store or a printer.  A slot left empty (tests, a kiosk without a
store) makes the window show a calm "coming soon" page for that journey.

Every call may block (a database, a printer, a subprocess): the window runs
them through :mod:`kiosk.ui.background`, never on the GUI thread.  Errors the
visitor may be told about carry a zh/en ``message`` (kiosk.services.KnownError);
:func:`calm_message` finds it without the window importing the service layer.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

from kiosk.forms.validators import Message
from kiosk.ui.staff.desk import StaffDesk

if TYPE_CHECKING:
    from kiosk.consult import MaterialsNotice
    from kiosk.idcard import IdCardReader
    from kiosk.printing.printers import PrintResult
    from kiosk.services import SavedRating, StatusAnswer, SubmitResult, TicketResult
    from kiosk.session import VisitorSession


def calm_message(error: BaseException) -> Message | None:
    """The zh/en sentence a known error carries (ServiceUnavailable, RatingIncomplete…)."""
    message = getattr(error, "message", None)
    return message if isinstance(message, Message) else None


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
    """Help requests kept in memory (tests, and a window built without a store)."""

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
    """Stores the visitor's submission durably, then prints the ticket and the forms."""

    def submit(self, session: VisitorSession) -> SubmitResult: ...


class NoticePrinter(Protocol):
    """Prints the materials list (一次性告知); check ``.accepted`` on the result."""

    def print_notice(
        self, notice: MaterialsNotice, language: str = "zh", *, code: str | None = None
    ) -> PrintResult: ...


class TicketDesk(Protocol):
    """取号 without a form, and 补打 of a ticket the visitor already holds."""

    def take_ticket(
        self, queue_code: str, priority: bool = False, id_number: str | None = None
    ) -> TicketResult: ...

    def reprint_ticket(
        self,
        ticket_id: uuid.UUID,
        *,
        submission_code: str | None = None,
        id_number: str | None = None,
        actor: str = "visitor",
    ) -> TicketResult: ...


class RatingBox(Protocol):
    """好差评: raises a known error (with a message) when the rating is incomplete."""

    def rate(
        self,
        level: str,
        reasons: Sequence[str] = (),
        *,
        submission_id: uuid.UUID | None = None,
        ticket_id: uuid.UUID | None = None,
        code: str | None = None,
        comment: str | None = None,
    ) -> SavedRating: ...


class StatusDesk(Protocol):
    """办件查询: from the bureau when it answers, else honestly what this kiosk last saw."""

    def status(self, code: str) -> StatusAnswer: ...


class FormRenderer(Protocol):
    """The visitor's forms as they will print (PDF bytes), for the preview before submit."""

    def render_forms(self, session: VisitorSession) -> bytes: ...


class Announcer(Protocol):
    """Speaks a short sentence aloud where the kiosk has audio; silent elsewhere."""

    def announce(self, sentence: str, language: str) -> None: ...

    def close(self) -> None: ...


PREVIEW_CODE = "提交后生成"  # printed where the submission code will be ("made on submit")


class FormsPreview:
    """Renders the pre-filled forms with the same renderer the printer gets (no printing)."""

    def render_forms(self, session: VisitorSession) -> bytes:
        # Imported here: ReportLab is heavy and only needed once a visitor reaches a preview.
        from kiosk.printing.documents import application_document

        filling = session.filling
        if filling is None:
            raise ValueError("no form to preview")
        notice = session.notice if session.notice is not None else session.build_notice()
        document = application_document(
            session.catalog,
            filling,
            notice,
            code=PREVIEW_CODE,
            bundle=session.bundle,
            status_url=None,  # a QR code of a submission that does not exist yet would mislead
        )
        return document.pdf


class Silent:
    """The voice of a kiosk without audio: says nothing."""

    def announce(self, sentence: str, language: str) -> None:
        """Nothing to do."""

    def close(self) -> None:
        """Nothing to release."""


class KioskSide(
    HelpDesk, Submitter, NoticePrinter, TicketDesk, RatingBox, StatusDesk, StaffDesk, Protocol
):
    """Everything at once: what kiosk.services.KioskServices offers the window."""


@dataclass(frozen=True)
class Services:
    help_desk: HelpDesk
    submitter: Submitter | None = None  # None: submitting is not wired in
    notice_printer: NoticePrinter | None = None  # None: no "print this list" button
    tickets: TicketDesk | None = None  # None: 取号 is "coming soon"
    ratings: RatingBox | None = None
    status: StatusDesk | None = None
    forms: FormRenderer | None = field(default_factory=FormsPreview)  # None: no preview
    voice: Announcer = field(default_factory=Silent)
    staff: StaffDesk | None = None  # the staff panel's calls; None: its pages say "not available"
    id_reader: IdCardReader | None = None  # None: no "读取身份证" button on the forms

    @classmethod
    def of(
        cls,
        kiosk: KioskSide,
        *,
        voice: Announcer | None = None,
        id_reader: IdCardReader | None = None,
    ) -> Services:
        """Every slot filled by one object (kiosk.services.KioskServices)."""
        return cls(
            help_desk=kiosk,
            submitter=kiosk,
            notice_printer=kiosk,
            tickets=kiosk,
            ratings=kiosk,
            status=kiosk,
            forms=FormsPreview(),
            voice=voice or Silent(),
            staff=kiosk,
            id_reader=id_reader,
        )
