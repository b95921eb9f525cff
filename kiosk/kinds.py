"""The kiosk's small closed vocabularies: documents, printer backends, languages, targets, themes.

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


class TargetKind(StrEnum):
    """What a submission is for: one service item, or a 主题联办 bundle of several."""

    ITEM = "item"
    BUNDLE = "bundle"


class ThemeName(StrEnum):
    STANDARD = "standard"
    ELDER = "elder"  # large type
    CONTRAST = "contrast"  # high contrast
