"""The forms as they will print, on screen: QtPdf's view over PDF bytes held in memory.

The bytes never touch the disk (a QBuffer feeds QPdfDocument), so forgetting a
visitor is closing the document and emptying the buffer — no temporary file can
be left behind.  Pages scroll by dragging, like every list on the kiosk.

QPdfView renders pages on a thread of its own by default; a render still
running when the view or its document goes away crashes the process (PySide6
6.12), so the view's renderer is switched to render on the GUI thread — only
the one or two pages in sight, a few tens of milliseconds.
"""

from __future__ import annotations

import atexit
import weakref

import shiboken6
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMargins, QPointF, Qt
from PySide6.QtPdf import QPdfDocument, QPdfPageRenderer
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QApplication, QFrame, QScroller

_previews: weakref.WeakSet[FormPreview] = weakref.WeakSet()


@atexit.register
def _close_all() -> None:
    """A document still open when the process ends crashes QtPdf's teardown (PySide6 6.12):
    close every preview first — also where no event loop ran (tests, the demo)."""
    for preview in list(_previews):
        if shiboken6.isValid(preview):
            preview.clear()


class FormPreview(QPdfView):
    def __init__(self) -> None:
        super().__init__()
        for renderer in self.findChildren(QPdfPageRenderer):
            renderer.setRenderMode(QPdfPageRenderer.RenderMode.SingleThreaded)
        # Not the view's child: a view destroyed with its document loaded (its child) crashes
        # in QtPdf's teardown (PySide6 6.12).  The document lives as long as this object.
        self.pdf = QPdfDocument()
        self.setDocument(self.pdf)
        self.setPageMode(QPdfView.PageMode.MultiPage)
        self.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.setPageSpacing(24)
        self.setDocumentMargins(QMargins(0, 0, 0, 0))  # the page to the edges of the view
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        QScroller.grabGesture(self.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        self._buffer: QBuffer | None = None
        _previews.add(self)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.clear)  # before the application object goes away

    @property
    def pages(self) -> int:
        return self.pdf.pageCount()

    @property
    def loaded(self) -> bool:
        return self.pdf.status() is QPdfDocument.Status.Ready

    def show_pdf(self, pdf: bytes) -> int:
        """Show these PDF bytes (replacing what was shown); returns the number of pages."""
        self.clear()
        buffer = QBuffer(self.pdf)  # lives (at most) as long as the document reading it
        buffer.setData(QByteArray(pdf))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._buffer = buffer
        self.pdf.load(buffer)
        QScroller.scroller(self.viewport()).scrollTo(QPointF(0, 0), 0)
        return self.pages

    def clear(self) -> None:
        """Close the document and drop its bytes."""
        self.pdf.close()
        buffer, self._buffer = self._buffer, None
        if buffer is not None:
            buffer.close()
            buffer.setData(QByteArray())
            buffer.deleteLater()

    def held_bytes(self) -> int:
        """How many bytes of a PDF are still held (0 after :meth:`clear`; for tests)."""
        return self._buffer.size() if self._buffer is not None else 0
