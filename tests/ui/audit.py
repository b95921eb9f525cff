"""An automated accessibility audit of what the window shows right now.

Touch targets at least 60×60 px, no text under 18 px, and text contrast at
least 4.5:1 — computed from the colours the theme's QSS gave each widget, which
must be colours of the theme's palette (so the check is about the theme, not
about Qt's defaults).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from kiosk.ui.theme import Theme, contrast_ratio

MIN_TARGET = 60
MIN_TEXT_PX = 18
MIN_CONTRAST = 4.5


def _hex(widget: QWidget, role: QPalette.ColorRole) -> str:
    return widget.palette().color(role).name().upper()


def background_of(widget: QWidget) -> str | None:
    """The colour actually behind a widget's text: its own styled background, or an ancestor's."""
    current: QWidget | None = widget
    while current is not None:
        if isinstance(current, QAbstractButton):
            return _hex(current, QPalette.ColorRole.Button)
        if isinstance(current, QLineEdit | QPlainTextEdit):
            return _hex(current, QPalette.ColorRole.Base)
        if current.testAttribute(Qt.WidgetAttribute.WA_StyledBackground):
            scrolling = isinstance(current, QAbstractScrollArea) or isinstance(
                current.parentWidget(), QAbstractScrollArea
            )
            # A scroll area and its viewport are painted with the Base role in QSS mode.
            role = QPalette.ColorRole.Base if scrolling else current.backgroundRole()
            colour = current.palette().color(role)
            if colour.alpha() == 255:
                return colour.name().upper()
        current = current.parentWidget()
    return None


def foreground_of(widget: QWidget) -> str:
    if isinstance(widget, QAbstractButton):
        return _hex(widget, QPalette.ColorRole.ButtonText)
    if isinstance(widget, QLineEdit) and not widget.text():
        return _hex(widget, QPalette.ColorRole.PlaceholderText)
    if isinstance(widget, QLineEdit | QPlainTextEdit):
        return _hex(widget, QPalette.ColorRole.Text)
    return _hex(widget, widget.foregroundRole())


def _text(widget: QWidget) -> str:
    if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
        return widget.text() or (widget.placeholderText() if isinstance(widget, QLineEdit) else "")
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    return ""


def audit(window: QWidget, theme: Theme) -> list[str]:
    palette = {c.upper() for c in vars(theme.palette).values() if c.startswith("#")}
    problems: list[str] = []
    for widget in [w for w in window.findChildren(QWidget) if w.isVisible()]:
        name = f"{type(widget).__name__} {_text(widget)[:24]!r}"
        tappable = isinstance(widget, QAbstractButton | QLineEdit | QPlainTextEdit)
        if tappable and (widget.width() < MIN_TARGET or widget.height() < MIN_TARGET):
            problems.append(f"{name}: touch target {widget.width()}×{widget.height()} px")
        text = _text(widget)
        if not text:
            continue
        size = widget.font().pixelSize()
        if size < MIN_TEXT_PX:
            problems.append(f"{name}: text {size} px")
        fg, bg = foreground_of(widget), background_of(widget)
        if bg is None:
            problems.append(f"{name}: no background found")
            continue
        for colour in (fg, bg):
            if colour not in palette:
                problems.append(f"{name}: colour {colour} is not from the {theme.name} palette")
        ratio = contrast_ratio(fg, bg)
        if ratio < MIN_CONTRAST:
            problems.append(f"{name}: contrast {fg} on {bg} is {ratio:.2f}:1")
    return problems
