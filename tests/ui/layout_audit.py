"""Does what the window shows fit?  Overlaps, widgets outside the window, clipped words.

Used on every screen the demo visits, at each supported window size
(tests/ui/test_layouts.py).  The rules, for every widget a visitor can see:

* it lies inside the window (content in a scrolling list only needs to fit across);
* it does not overlap a sibling in the same layout (overlays, which lie over the
  screen on purpose, are checked on their own);
* its words fit: a one-line label or a button is wide enough for its text, a wrapping
  label tall enough for its lines.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QLabel,
    QScrollBar,
    QStackedWidget,
    QWidget,
)

from kiosk.ui.widgets.common import LayoutButton
from kiosk.ui.widgets.overlays import Toast, _Cover

SLACK = 1  # px: rounding


def _in_window(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def _scroll_viewport(widget: QWidget) -> QWidget | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent.parentWidget(), QAbstractScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


def _laid_out(widget: QWidget) -> bool:
    """Whether the parent's layout places ``widget`` (overlays are placed by hand, over it)."""
    parent = widget.parentWidget()
    layout = parent.layout() if parent is not None else None
    if layout is None or isinstance(widget, _Cover | Toast):
        return False
    pending = [layout]
    while pending:
        current = pending.pop()
        for index in range(current.count()):
            item = current.itemAt(index)
            if item is None:
                continue
            if item.widget() is widget:
                return True
            if item.layout() is not None:
                pending.append(item.layout())
    return False


def _seen(widget: QWidget) -> bool:
    return widget.isVisible() and widget.width() > 0 and widget.height() > 0


def _name(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, QLabel | QAbstractButton) else ""
    return f"{type(widget).__name__}{' ' + repr(text[:20]) if text else ''}"


def _words_fit(widget: QWidget) -> str | None:
    if isinstance(widget, QLabel) and widget.text().strip():
        room = widget.contentsRect()
        metrics = widget.fontMetrics()
        if widget.wordWrap():
            needed = widget.heightForWidth(room.width())
            if needed > room.height() + SLACK:
                return f"needs {needed} px high, has {room.height()}"
        else:
            lines = widget.text().split("\n")
            needed = max(metrics.horizontalAdvance(line) for line in lines)
            if needed > room.width() + SLACK:
                return f"needs {needed} px across, has {room.width()}"
    if isinstance(widget, QAbstractButton) and not isinstance(widget, LayoutButton):
        text = widget.text()
        if text:
            needed = widget.fontMetrics().horizontalAdvance(text)
            if needed > widget.width() - 8:  # the border and a little air either side
                return f"needs {needed} px across, has {widget.width()}"
    return None


def layout_problems(window: QWidget, where: str = "") -> list[str]:
    problems: list[str] = []
    frame = window.rect()
    for widget in window.findChildren(QWidget):
        if not _seen(widget) or isinstance(widget, QScrollBar) or widget.isWindow():
            continue
        if not all(_seen(p) for p in _ancestors(widget, window)):
            continue
        name = f"{where}: {_name(widget)}"
        rect = _in_window(widget, window)
        viewport = _scroll_viewport(widget)
        if viewport is None:
            if not frame.adjusted(-SLACK, -SLACK, SLACK, SLACK).contains(rect):
                problems.append(f"{name} leaves the window ({rect.getRect()})")
        else:
            across = _in_window(viewport, window)
            if rect.left() < across.left() - SLACK or rect.right() > across.right() + SLACK:
                problems.append(f"{name} is wider than its list ({rect.getRect()})")
        clipped = _words_fit(widget)
        if clipped:
            problems.append(f"{name}: its words do not fit ({clipped})")
        parent = widget.parentWidget()
        if parent is None or isinstance(parent, QStackedWidget) or not _laid_out(widget):
            continue
        for sibling in parent.children():
            if (
                not isinstance(sibling, QWidget)
                or sibling is widget
                or not _seen(sibling)
                or sibling.isWindow()
                or id(sibling) < id(widget)  # each pair once
                or not _laid_out(sibling)
            ):
                continue
            both = widget.geometry().intersected(sibling.geometry())
            if both.width() > SLACK and both.height() > SLACK:
                problems.append(f"{name} overlaps {_name(sibling)}")
    return problems


def _ancestors(widget: QWidget, window: QWidget) -> list[QWidget]:
    found = []
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        found.append(parent)
        parent = parent.parentWidget()
    return found
