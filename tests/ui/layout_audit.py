"""Does what the window shows fit?  Overlaps, widgets outside the window, clipped words.

Used on every screen the demo visits, at each supported window size
(tests/ui/test_layouts.py).  The rules, for every widget a visitor can see:

* it lies inside the window (content in a scrolling list only needs to fit across);
* it does not overlap a sibling in the same layout (overlays, which lie over the
  screen on purpose, are checked on their own);
* its words fit: a one-line label or a button is wide enough for its text, a wrapping
  label tall enough for its lines, a long number's box wide enough for all its digits;
* a finger cannot catch two targets at once: buttons a visitor can tap lie at least
  12 px apart (issue 11, item 4), measured on what is in sight of a scrolling list.
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

from kiosk.ui.input.kinds import GroupedLineEdit
from kiosk.ui.widgets.common import LayoutButton
from kiosk.ui.widgets.overlays import Toast, _Cover

SLACK = 1  # px: rounding
TARGETS_APART = 12  # px between two tappable buttons


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
    if isinstance(widget, GroupedLineEdit) and widget.text():
        # A long number is read whole (ID 6-8-4): never scrolled partly out of its box.
        needed = widget.fontMetrics().horizontalAdvance(widget.text())
        room = widget.contentsRect().width() - 2 * 16  # the theme's padding
        if needed > room + SLACK:
            return f"the number needs {needed} px across, has {room}"
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
    problems.extend(_targets_too_close(window, where))
    return problems


def in_sight(widget: QWidget, window: QWidget) -> QRect:
    """The part of ``widget`` a visitor can see (and tap): clipped by the lists it is in."""
    rect = _in_window(widget, window)
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent.parentWidget(), QAbstractScrollArea):
            rect = rect.intersected(_in_window(parent, window))
        parent = parent.parentWidget()
    return rect


def _targets_too_close(window: QWidget, where: str) -> list[str]:
    # Only what a finger can reach: a button under an overlay (the guide's panel, a question
    # over the screen) is not a target while the overlay is up.
    targets: list[tuple[QAbstractButton, QRect]] = []
    for button in window.findChildren(QAbstractButton):
        if not (_seen(button) and button.isEnabled()) or button.window() is not window:
            continue
        if not all(_seen(p) for p in _ancestors(button, window)):
            continue
        rect = in_sight(button, window)
        if rect.width() <= 0 or rect.height() <= 0:
            continue
        on_top = window.childAt(rect.center())
        if on_top is button or (on_top is not None and button.isAncestorOf(on_top)):
            targets.append((button, rect))
    return _close_pairs(targets, where)


def _close_pairs(targets: list[tuple[QAbstractButton, QRect]], where: str) -> list[str]:
    problems = []
    for index, (button, rect) in enumerate(targets):
        for other, other_rect in targets[index + 1 :]:
            if button.isAncestorOf(other) or other.isAncestorOf(button):
                continue
            across = max(other_rect.x() - rect.right(), rect.x() - other_rect.right()) - 1
            down = max(other_rect.y() - rect.bottom(), rect.y() - other_rect.bottom()) - 1
            gap = max(across, down)
            if 0 <= gap < TARGETS_APART:
                problems.append(f"{where}: {_name(button)} and {_name(other)} are {gap} px apart")
    return problems


def _ancestors(widget: QWidget, window: QWidget) -> list[QWidget]:
    found = []
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        found.append(parent)
        parent = parent.parentWidget()
    return found
