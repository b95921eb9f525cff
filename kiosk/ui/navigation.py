"""Where the visitor can be: a typed set of screens, one route type per screen, and the navigator.

Screens ask the window (the :class:`Navigator`) to ``go`` to a route: a small frozen
dataclass that names its screen and carries exactly what that screen needs (an item
code, a page of the form, what was just submitted).  Each screen's ``enter`` takes
its own route type, so a wrong argument is a type error (mypy), and the window
refuses anything that is not a route at run time.  The history is a stack of routes,
so Back is always "where I was before", and going Home starts it over.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from enum import Enum, StrEnum
from typing import TYPE_CHECKING, ClassVar, Protocol

from kiosk.kinds import DocumentKind
from kiosk.message import Message
from kiosk.statuses import PrintState

if TYPE_CHECKING:  # results of the services, kept as they came: not for the first paint
    from kiosk.services import SubmissionPrints, Submitted, TicketResult, TicketView


class Screen(Enum):
    HOME = "home"
    CATALOG = "catalog"
    ITEM = "item"
    CONSULT = "consult"
    VERDICT = "verdict"
    BUNDLES = "bundles"
    BUNDLE = "bundle"
    EVENTS = "events"
    EVENT = "event"
    APPLY = "apply"
    REVIEW = "review"
    PREVIEW = "preview"  # the forms as they will print, before submitting
    DONE = "done"  # after submit or 取号: the ticket, the code, what was printed
    TICKET = "ticket"  # 取号 without a form
    RATING = "rating"  # 好差评
    STATUS = "status"  # 办件查询


@dataclass(frozen=True)
class Route:
    """Where to go; each subclass is the one argument its screen's ``enter`` takes."""

    screen: ClassVar[Screen]


@dataclass(frozen=True)
class HomeRoute(Route):
    screen = Screen.HOME


class Intent(StrEnum):
    """Why the visitor opened the catalog: to apply (我要办), or to read the guide (办事指南)."""

    APPLY = "apply"
    GUIDE = "guide"


@dataclass(frozen=True)
class CatalogRoute(Route):
    screen = Screen.CATALOG
    intent: Intent = Intent.APPLY


@dataclass(frozen=True)
class ItemRoute(Route):
    """An item's guide (办事指南)."""

    screen = Screen.ITEM
    code: str


@dataclass(frozen=True)
class ConsultRoute(Route):
    """The questions of the item or bundle the session holds."""

    screen = Screen.CONSULT


@dataclass(frozen=True)
class VerdictRoute(Route):
    screen = Screen.VERDICT


@dataclass(frozen=True)
class BundlesRoute(Route):
    screen = Screen.BUNDLES


@dataclass(frozen=True)
class BundleRoute(Route):
    """A bundle's item picker."""

    screen = Screen.BUNDLE
    code: str


@dataclass(frozen=True)
class EventsRoute(Route):
    screen = Screen.EVENTS


@dataclass(frozen=True)
class EventRoute(Route):
    """A life event's steps."""

    screen = Screen.EVENT
    code: str


@dataclass(frozen=True)
class ApplyPage(Route):
    """A page of the form: which page, which field to focus, and where Next leads."""

    screen = Screen.APPLY
    index: int = 0
    focus: str | None = None  # a Filling slot key
    from_review: bool = False


@dataclass(frozen=True)
class ReviewRoute(Route):
    screen = Screen.REVIEW


@dataclass(frozen=True)
class PreviewRoute(Route):
    screen = Screen.PREVIEW


@dataclass(frozen=True)
class TicketRoute(Route):
    """取号 without a form."""

    screen = Screen.TICKET


@dataclass(frozen=True)
class RatingTarget(Route):
    """What the visitor rates (nothing given: they type a code instead)."""

    screen = Screen.RATING
    submission_id: uuid.UUID | None = None
    ticket_id: uuid.UUID | None = None
    label: str = ""  # the code or ticket number, shown so the visitor knows what they rate


@dataclass(frozen=True)
class StatusRoute(Route):
    """办件查询."""

    screen = Screen.STATUS


Paper = tuple[DocumentKind, PrintState]  # one paper and where its printing stands


@dataclass(frozen=True)
class Done(Route):
    """After submit or 取号: the receipt, and each paper's printing (queued → accepted | failed).

    Made from the service's answer the moment it is stored (:meth:`of_submission`,
    :meth:`of_ticket`): the papers are printed afterwards by the done screen, once, from
    ``submitted`` / ``taken``, and their outcome updates it (:meth:`printed_submission`,
    :meth:`printed_ticket`).
    """

    screen = Screen.DONE
    ticket: TicketView | None
    code: str | None = None  # the submission's code, when there is a submission
    submission_id: uuid.UUID | None = None
    papers: tuple[Paper, ...] = ()
    message: Message | None = None  # the calm sentence when something is missing
    reprint_offered: bool = False
    id_tail: str | None = None
    announce: bool = True  # a new number: say it aloud
    submitted: Submitted | None = None  # what to print: a submission's ticket and forms
    taken: TicketResult | None = None  # … or a ticket's slip

    @property
    def key(self) -> uuid.UUID | None:
        """Which visit's papers these are: the submission, else the ticket."""
        if self.submission_id is not None:
            return self.submission_id
        return self.ticket.id if self.ticket is not None else None

    @property
    def printing(self) -> bool:
        return any(state is PrintState.QUEUED for _, state in self.papers)

    @classmethod
    def of_submission(cls, submitted: Submitted) -> Done:
        papers: list[Paper] = [(DocumentKind.FORM, PrintState.QUEUED)]
        if submitted.ticket_to_print:
            papers.insert(0, (DocumentKind.TICKET, PrintState.QUEUED))
        return cls(
            ticket=submitted.ticket,
            code=submitted.code,
            submission_id=submitted.receipt.submission_id,
            papers=tuple(papers),
            message=submitted.message,
            reprint_offered=submitted.reprint_offered,
            id_tail=submitted.id_tail,
            announce=submitted.ticket is not None and not submitted.reprint_offered,
            submitted=submitted,
        )

    @classmethod
    def of_ticket(cls, taken: TicketResult) -> Done:
        fresh = taken.ticket is not None and not taken.reprint_offered
        return cls(
            ticket=taken.ticket,
            papers=((DocumentKind.TICKET, PrintState.QUEUED),) if fresh else (),
            message=taken.problem,
            reprint_offered=taken.reprint_offered,
            id_tail=taken.id_tail,
            announce=fresh,
            taken=taken if fresh else None,
        )

    def printed_submission(self, prints: SubmissionPrints) -> Done:
        papers: list[Paper] = []
        if prints.ticket_print is not None:
            papers.append((DocumentKind.TICKET, _state(prints.ticket_print.accepted)))
        forms = prints.forms_print
        papers.append((DocumentKind.FORM, _state(forms is not None and forms.accepted)))
        return replace(
            self,
            ticket=prints.ticket or self.ticket,
            papers=tuple(papers),
            message=self.message or prints.problem,
        )

    def printed_ticket(self, result: TicketResult) -> Done:
        """A ticket printed (or reprinted) for this visit."""
        accepted = result.printed is not None and result.printed.accepted
        papers = dict(self.papers)
        papers[DocumentKind.TICKET] = _state(accepted)
        return replace(
            self,
            ticket=result.ticket or self.ticket,
            papers=tuple(papers.items()),
            message=result.problem or self.message,
            reprint_offered=False,
        )

    def not_printed(self) -> Done:
        """Printing failed as a bug (logged): every paper still waiting is not printed."""
        failed = tuple(
            (kind, PrintState.FAILED if state is PrintState.QUEUED else state)
            for kind, state in self.papers
        )
        return replace(self, papers=failed)


def _state(accepted: bool) -> PrintState:
    return PrintState.ACCEPTED if accepted else PrintState.FAILED


class Navigator(Protocol):
    def go(self, route: Route) -> None: ...

    def replace(self, route: Route) -> None:
        """Go somewhere that takes the current screen's place in the history."""

    def back(self) -> None: ...

    def home(self) -> None: ...

    def call_guide(self) -> None: ...

    def notify(self, message: str) -> None:
        """Show a short calm notice over the current screen."""

    def end_visit(self) -> None:
        """The visitor is finished: forget them and go home (as the idle reset does)."""
