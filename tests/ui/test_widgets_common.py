"""clear_layout: what it empties, and that it frees what takeAt() hands over."""

from __future__ import annotations

import shiboken6
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from kiosk.ui.widgets.common import clear_layout


def test_clear_layout_frees_every_item_and_wipes_texts(qtbot):
    box = QWidget()
    qtbot.addWidget(box)
    layout = QVBoxLayout(box)
    edit = QLineEdit("320506198503071234")
    layout.addWidget(edit)
    inner = QHBoxLayout()
    inner.addWidget(QLabel("张三"))
    layout.addLayout(inner)
    layout.addStretch(1)
    items = [layout.itemAt(i) for i in range(layout.count())]
    inner_items = [inner.itemAt(i) for i in range(inner.count())]

    clear_layout(layout)

    assert layout.count() == 0
    assert edit.text() == "", "nothing personal lingers until the deferred delete"
    # takeAt() gives the item to the caller and PySide6 never frees it: 96 bytes per item
    # per visit, for good.  Every item taken — widget, nested layout, stretch — is deleted.
    assert not any(shiboken6.isValid(item) for item in items + inner_items)
    assert shiboken6.isValid(edit) and edit.isHidden(), "the widget itself goes later"
