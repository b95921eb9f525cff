"""The CJK font the window draws with.

The printing issue ships ``assets/fonts/wqy-microhei.ttc`` (also embedded in
printed PDFs); when it is there the window uses the very same font.  Without
it, the first installed WenQuanYi / Noto CJK family is used.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

import kiosk

log = logging.getLogger(__name__)

SHIPPED_FONT = (
    Path(kiosk.__file__).resolve().parent.parent / "assets" / "fonts" / "wqy-microhei.ttc"
)
SYSTEM_FAMILIES = (
    "WenQuanYi Micro Hei",
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
)


@functools.cache  # once per process: QFontDatabase is process-wide too
def cjk_family(shipped: Path = SHIPPED_FONT) -> str:
    """Load the shipped font (QApplication must exist) and return the family to use."""
    family = None
    if shipped.exists():
        font_id = QFontDatabase.addApplicationFont(str(shipped))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if families:
            family = families[0]
        else:
            log.warning("could not load %s; using a system CJK font", shipped)
    if family is None:
        installed = set(QFontDatabase.families())
        family = next((f for f in SYSTEM_FAMILIES if f in installed), None)
    if family is None:
        family = QApplication.font().family()
        log.warning("no CJK font found; Chinese text may not render (install fonts-wqy-microhei)")
    return family
