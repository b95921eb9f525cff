"""Small building blocks every screen uses: labelled cards, row and tile buttons, touch scrolling.

They set only ``role`` / ``tone`` properties; :mod:`kiosk.ui.theme` decides
how a role looks.  Layout spacing lives here as the few constants below, so
screens do not invent their own.
"""

from __future__ import annotations

from collections.abc import Sequence

import shiboken6
from PySide6.QtCore import QEasingCurve, QPoint, QPointF, QRect, QRectF, QSize, QSizeF, Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QScrollArea,
    QScroller,
    QScrollerProperties,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

GAP = 20  # between blocks
PAD = 28  # inside cards
MARGIN = 48  # screen edges


def set_prop(widget: QWidget, name: str, value: str) -> None:
    """Change a styling property and re-polish, so the QSS rule for it applies now.

    Values are strings: QSS matches them as text, and Python bools stored in
    Qt properties have tripped a PySide6 reference-count bug at exit.
    """
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    for child in widget.findChildren(QWidget):
        style.unpolish(child)
        style.polish(child)


def label(text: str = "", role: str | None = None, *, wrap: bool = True) -> QLabel:
    widget = QLabel(text)
    if role:
        widget.setProperty("role", role)
    widget.setWordWrap(wrap)
    widget.setTextFormat(Qt.TextFormat.PlainText)  # catalog text is data, never markup
    return widget


class KioskButton(QPushButton):
    """A push button whose words are shown as written: "Investment & Construction" keeps its
    "&" (QPushButton would take it for a keyboard accelerator and underline the next letter)."""

    def setText(self, text: str) -> None:
        super().setText(text.replace("&", "&&"))

    def text(self) -> str:
        return super().text().replace("&&", "&")


def button(text: str = "", role: str | None = None) -> QPushButton:
    widget = KioskButton()
    widget.setText(text)
    if role:
        widget.setProperty("role", role)
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # touch: buttons never steal an input's focus
    widget.setCursor(Qt.CursorShape.PointingHandCursor)
    return widget


def card(role: str = "card") -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setProperty("role", role)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(PAD, PAD - 6, PAD, PAD - 6)
    layout.setSpacing(10)
    return frame, layout


def clear_layout(layout: QLayout) -> None:
    """Empty a layout: texts wiped first (nothing personal lingers), then widgets deleted.

    ``takeAt()`` hands the layout item over to the caller, and PySide6 (6.11 as 6.12) never
    frees it: each one left behind was 96 bytes lost for good (most of the kiosk's memory
    growth per visit, bench/bench_ui.py).  So the item is deleted here; the widget it
    held goes later, as the visitor's tap that led here may still be running in it.
    """
    while layout.count():
        entry = layout.takeAt(0)
        if entry is None:
            break
        widget = entry.widget()
        inner = entry.layout()
        if widget is not None:
            wipe_texts(widget)
            widget.hide()
            widget.deleteLater()
        elif inner is not None:
            clear_layout(inner)
        shiboken6.delete(entry)  # a nested layout goes with its item: it is empty now


def wipe_texts(root: QWidget) -> None:
    from PySide6.QtWidgets import QAbstractButton, QLineEdit, QPlainTextEdit

    for widget in [root, *root.findChildren(QWidget)]:
        if isinstance(widget, QLineEdit):
            widget.setText("")  # setText, not clear(): clear() keeps the undo history
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText("")
        elif isinstance(widget, QLabel | QAbstractButton):
            widget.setText("")


class Columns(QBoxLayout):
    """Side by side where the width allows every column its least width, one above the
    other where it does not (a portrait screen, the elder theme's large words)."""

    def __init__(self, spacing: int = GAP * 2):
        super().__init__(QBoxLayout.Direction.LeftToRight)
        self.setSpacing(spacing)

    def _widths(self) -> list[int]:
        items = (self.itemAt(i) for i in range(self.count()))
        return [item.minimumSize().width() for item in items if item is not None]

    def _side_by_side_width(self) -> int:
        widths = self._widths()
        return sum(widths) + self.spacing() * max(0, len(widths) - 1)

    def setGeometry(self, rect: QRect) -> None:
        across = rect.width() >= self._side_by_side_width()
        wanted = QBoxLayout.Direction.LeftToRight if across else QBoxLayout.Direction.TopToBottom
        if self.direction() != wanted:
            self.setDirection(wanted)
        super().setGeometry(rect)

    def minimumSize(self) -> QSize:
        # As narrow as the widest column: below that the columns go one above the other.
        stacked = super().minimumSize()
        widest = max(self._widths(), default=0)
        return QSize(widest, stacked.height())


class LayoutButton(QPushButton):
    """A button whose face is a layout of labels; its size follows that layout."""

    def __init__(self, role: str):
        super().__init__()
        self.setProperty("role", role)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

    @staticmethod
    def passive(*children: QWidget) -> None:
        """Labels on the face let taps through to the button."""
        for child in children:
            child.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    # QPushButton's own size hint ignores a child layout, so the labels would be clipped.
    def sizeHint(self) -> QSize:
        own = super().sizeHint()
        layout = self.layout()
        if layout is None:
            return own
        inner = layout.sizeHint()
        return QSize(max(own.width(), inner.width()), max(own.height(), inner.height()))

    def minimumSizeHint(self) -> QSize:
        return QSize(super().minimumSizeHint().width(), self.heightForWidth(max(self.width(), 1)))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        own = super().sizeHint().height()
        layout = self.layout()
        if layout is None:
            return own
        return max(own, layout.heightForWidth(width))


class WrapButton(LayoutButton):
    """A big button whose words wrap onto more lines rather than run past its edges (a long
    answer such as 有限责任公司（含一人有限公司） on a narrow screen, in large text)."""

    def __init__(self, text: str = "", role: str = "answer"):
        super().__init__(role)
        box = QVBoxLayout(self)
        box.setContentsMargins(PAD, 12, PAD, 12)
        self.words = label(text, role)
        self.words.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box.addWidget(self.words)
        self.passive(self.words)

    def setText(self, text: str) -> None:
        self.words.setText(text)

    def text(self) -> str:
        return self.words.text()


class RowButton(LayoutButton):
    """A full-width tappable card: a bold title, a line of detail, and a tag on the right."""

    def __init__(self, title: str = "", detail: str = "", tag: str = "", role: str = "row"):
        super().__init__(role)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(PAD, 20, PAD, 20)
        outer.setSpacing(GAP)
        self.check = label("", "check", wrap=False)  # shown by pickers: ✓ when chosen
        self.check.hide()
        outer.addWidget(self.check)
        column = QVBoxLayout()
        column.setSpacing(6)
        self.title = label(title, role)
        self.detail = label(detail, "muted")
        self.tag = label(tag, "muted", wrap=False)
        self.tag.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        column.addWidget(self.title)
        column.addWidget(self.detail)
        outer.addLayout(column, 1)
        outer.addWidget(self.tag)
        self.passive(self.check, self.title, self.detail, self.tag)
        self.set_texts(title, detail, tag)

    def set_check(self, state: str) -> None:
        """Show the picker's box: "on" (chosen), "off", or "locked" (always included)."""
        self.check.show()
        self.check.setText("" if state == "off" else "✓")
        set_prop(self.check, "state", state)

    def set_texts(self, title: str, detail: str = "", tag: str = "") -> None:
        self.title.setText(title)
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        self.tag.setText(tag)
        self.tag.setVisible(bool(tag))
        self.updateGeometry()


class TouchScrollArea(QScrollArea):
    """A vertical list that scrolls by dragging (kinetic, QScroller); no scrollbars to aim at."""

    def __init__(self, parent: QWidget | None = None, *, stretch: bool = True):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a tap on a row must not take the focus
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.body = QWidget()
        self.body.setObjectName("ScrollBody")
        self.rows = QVBoxLayout(self.body)
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.rows.setSpacing(14)
        if stretch:  # rows gather at the top (a list); without, the layout fills the height
            self.rows.addStretch(1)
        self.setWidget(self.body)
        # Touch screens deliver taps as mouse events, so the mouse gesture is the one that
        # fires on both; a tap without movement still reaches the row underneath.
        QScroller.grabGesture(self.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        scroller = QScroller.scroller(self.viewport())
        props = scroller.scrollerProperties()
        props.setScrollMetric(QScrollerProperties.ScrollMetric.DecelerationFactor, 0.35)
        props.setScrollMetric(
            QScrollerProperties.ScrollMetric.ScrollingCurve,
            QEasingCurve(QEasingCurve.Type.OutCubic),
        )
        props.setScrollMetric(
            QScrollerProperties.ScrollMetric.HorizontalOvershootPolicy,
            QScrollerProperties.OvershootPolicy.OvershootAlwaysOff,
        )
        props.setScrollMetric(QScrollerProperties.ScrollMetric.DragStartDistance, 0.004)
        scroller.setScrollerProperties(props)

    def show_position(self) -> None:
        """A thin bar on the right shows where in a long list the visitor is (not a control:
        taps go through it, dragging the list is how it moves)."""
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        bar = self.verticalScrollBar()
        bar.setObjectName("Position")
        bar.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def add(self, widget: QWidget) -> None:
        """Append a row above the closing stretch."""
        self.rows.insertWidget(self.rows.count() - 1, widget)

    def arrange(self, rows: Sequence[QWidget]) -> None:
        """Show exactly these rows, in this order, above the closing stretch.

        Rows left out are hidden and kept (still children of the list) for the next time:
        the catalog reuses its rows from key to key instead of building them again.
        """
        layout = self.rows
        wanted = set(rows)
        for index in reversed(range(layout.count())):
            item = layout.itemAt(index)
            widget = item.widget() if item is not None else None
            if widget is not None and widget not in wanted:
                layout.removeWidget(widget)  # deletes the layout item, not the widget
                widget.hide()
        for index, row in enumerate(rows):
            item = layout.itemAt(index)
            if item is None or item.widget() is not row:
                if layout.indexOf(row) >= 0:
                    layout.removeWidget(row)
                layout.insertWidget(index, row)
            if row.isHidden():
                row.show()

    def add_layout(self, layout: QLayout) -> None:
        self.rows.insertLayout(self.rows.count() - 1, layout)

    def clear(self) -> None:
        clear_layout(self.rows)
        self.rows.addStretch(1)

    def to_top(self) -> None:
        # Through the scroller: moving the scroll bar behind its back makes it swallow the
        # next tap (it believes the content is still where it left it).
        QScroller.scroller(self.viewport()).scrollTo(QPointF(0, 0), 0)

    def reveal(self, widget: QWidget, margin: int = 120) -> None:
        """Scroll so the widget is in view — through the scroller, which owns the position."""
        if not self.body.isAncestorOf(widget):
            return
        top_left = widget.mapTo(self.body, QPoint(0, 0))
        area = QRectF(QPointF(top_left), QSizeF(widget.size()))
        QScroller.scroller(self.viewport()).ensureVisible(area, 0, margin, 0)

    def scroll_by(self, dy: float) -> None:
        scroller = QScroller.scroller(self.viewport())
        bar = self.verticalScrollBar()
        scroller.scrollTo(QPointF(0, max(0.0, min(bar.maximum(), bar.value() + dy))), 0)
