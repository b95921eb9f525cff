"""The CJK font every printed document uses: WenQuanYi Micro Hei, shipped in assets/fonts.

Registered once per process in ReportLab; every PDF then embeds a subset of it,
so a ticket or form prints the same on any machine.  The screens register the
same file with Qt (see :func:`font_path`).
"""

from __future__ import annotations

import threading
from pathlib import Path

from reportlab.lib import textsplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import paragraph

FONT = "WenQuanYiMicroHei"  # the ReportLab name of subfont 0 of the TTC
FONT_FILE = "wqy-microhei.ttc"
SHIPPED_FONT = Path(__file__).resolve().parents[2] / "assets" / "fonts" / FONT_FILE
# Debian's copy (fonts-wqy-microhei): used only when running from an install without assets/.
SYSTEM_FONT = Path("/usr/share/fonts/truetype/wqy") / FONT_FILE

_lock = threading.Lock()
CANNOT_START = "，。、；：！？）》」』】〕…"


class FontMissing(RuntimeError):
    """Neither the shipped font nor the system copy is there: the install is broken."""


def font_path() -> Path:
    for candidate in (SHIPPED_FONT, SYSTEM_FONT):
        if candidate.is_file():
            return candidate
    raise FontMissing(f"CJK font not found: {SHIPPED_FONT} (nor {SYSTEM_FONT})")


def register_fonts() -> str:
    """Register the font with ReportLab once (thread-safe); returns its name."""
    with _lock:
        if FONT not in pdfmetrics.getRegisteredFontNames():
            # subfontIndex 0 is the proportional face; 1 is "Micro Hei Mono".
            pdfmetrics.registerFont(TTFont(FONT, str(font_path()), subfontIndex=0))
            # ReportLab's list of characters that may not start a line is Japanese; add the
            # full-width Chinese punctuation so a line never begins with "；" or "，" (it
            # hangs in the cell padding instead, as Chinese typesetting does).
            for module in (paragraph, textsplit):  # each keeps its own copy of the list
                extra = "".join(c for c in CANNOT_START if c not in module.ALL_CANNOT_START)
                module.ALL_CANNOT_START += extra
    return FONT


def has_glyph(char: str) -> bool:
    """Whether the printed font can draw ``char`` (anything else prints as a blank)."""
    register_fonts()
    font = pdfmetrics.getFont(FONT)
    return ord(char) in font.face.charToGlyph
