"""What the window gets from the rest of the kiosk: its services, a voice, an ID-card reader.

One frozen record of concrete objects, filled by the composition root (kiosk.app)
with :meth:`Services.of`, and by the tests the same way over a temporary store.  No
Protocols stand between the window and the services: each service has one
implementation, the tests use the real ones, and the types say exactly what a screen
may call.  Only the ID-card reader may be absent (a kiosk without one: no
"读取身份证" button on the forms).

Every service call may block (a database, a printer, the bureau): the window runs
them through :mod:`kiosk.ui.background` with frozen data only, never on the GUI
thread.  Errors the visitor may be told about carry a zh/en ``message``
(kiosk.services.KnownError); :func:`calm_message` finds it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.message import Message

if TYPE_CHECKING:  # the services pull in the store and ReportLab: not for the first paint
    from kiosk.idcard import IdCardReader
    from kiosk.services import (
        KioskServices,
        Printers,
        Ratings,
        StaffDesk,
        StatusQuery,
        Submissions,
        Tickets,
    )
    from kiosk.ui.voice import Voice


def calm_message(error: BaseException) -> Message | None:
    """The zh/en sentence a known error carries (ServiceUnavailable, RatingIncomplete…)."""
    message = getattr(error, "message", None)
    return message if isinstance(message, Message) else None


@dataclass(frozen=True)
class Services:
    submissions: Submissions
    tickets: Tickets
    ratings: Ratings
    status: StatusQuery
    staff: StaffDesk
    printers: Printers
    voice: Voice
    shut_down: Callable[[], None]  # staff close the kiosk: stop syncing, release the store
    id_reader: IdCardReader | None = None  # None: this kiosk has no ID-card reader

    @classmethod
    def of(
        cls, kiosk: KioskServices, voice: Voice, *, id_reader: IdCardReader | None = None
    ) -> Services:
        return cls(
            submissions=kiosk.submissions,
            tickets=kiosk.tickets,
            ratings=kiosk.ratings,
            status=kiosk.status,
            staff=kiosk.staff,
            printers=kiosk.printers,
            voice=voice,
            shut_down=kiosk.close,
            id_reader=id_reader,
        )
