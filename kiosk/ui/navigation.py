"""Where the visitor can be: a typed set of screens, and the navigator that moves between them.

The window owns one :class:`Navigator`; screens ask it to ``go`` somewhere with
an optional argument (an item code, a page number).  The history is a stack, so
Back is always "where I was before", and going Home starts it over.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import Enum
from typing import Protocol


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
    SOON = "soon"


@dataclass(frozen=True)
class ApplyPage:
    """Argument of Screen.APPLY: which page, which field to focus, and where Next leads."""

    index: int = 0
    focus: str | None = None  # a Filling slot key
    from_review: bool = False


@dataclass(frozen=True)
class RatingTarget:
    """Argument of Screen.RATING: what the visitor rates (None: they type a code instead)."""

    submission_id: uuid.UUID | None = None
    ticket_id: uuid.UUID | None = None
    label: str = ""  # the code or ticket number, shown so the visitor knows what they rate


class Navigator(Protocol):
    def go(self, screen: Screen, arg: object = None) -> None: ...

    def replace(self, screen: Screen, arg: object = None) -> None:
        """Go somewhere that takes the current screen's place in the history."""

    def back(self) -> None: ...

    def home(self) -> None: ...

    def call_guide(self) -> None: ...

    def notify(self, message: str) -> None:
        """Show a short calm notice over the current screen."""

    def end_visit(self) -> None:
        """The visitor is finished: forget them and go home (as the idle reset does)."""
