"""The form engine: field types and validators, item and bundle filling, who typed what."""

from kiosk.forms.filling import EnteredValue, FieldStatus, Filling, FormReport, Page, Slot, Source
from kiosk.forms.validators import Invalid, display, normalise
from kiosk.message import Message

__all__ = [
    "EnteredValue",
    "FieldStatus",
    "Filling",
    "FormReport",
    "Invalid",
    "Message",
    "Page",
    "Slot",
    "Source",
    "display",
    "normalise",
]
