"""The kiosk's small closed vocabularies: document kinds, printer backends, languages, themes.

Plain ``StrEnum`` s, so a member still equals its text (``DocumentKind.TICKET == "ticket"``)
and reads back from TOML, the store and the audit trail unchanged.
"""

from __future__ import annotations

from enum import StrEnum


class DocumentKind(StrEnum):
    """What is printed; each kind has its own printer in the configuration."""

    TICKET = "ticket"  # the queue ticket (thermal roll or 80 mm PDF)
    NOTICE = "notice"  # 一次性告知: the materials notice
    FORM = "form"  # the pre-filled application forms


class PrinterBackend(StrEnum):
    PDF_FOLDER = "pdf-folder"
    CUPS = "cups"
    ESCPOS = "escpos"


class Language(StrEnum):
    ZH = "zh"
    EN = "en"


class ThemeName(StrEnum):
    STANDARD = "standard"
    ELDER = "elder"  # large type
    CONTRAST = "contrast"  # high contrast
