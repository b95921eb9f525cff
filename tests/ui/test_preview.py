"""The preview before submit: the forms as they will print (QtPdf), rendered in the background,
kept only while the visitor looks at them."""

from __future__ import annotations

import threading
from dataclasses import replace

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtPdf import QPdfDocument

from kiosk.services import Submissions
from kiosk.submission import SubmissionDraft
from kiosk.ui.demo import page_of
from kiosk.ui.navigation import PreviewRoute, Screen
from kiosk.ui.screens.preview import PreviewScreen
from kiosk.ui.screens.review import ReviewScreen

from .conftest import window_services
from .test_bundle import fill_bundle
from .visitor import settle_work, tap


class WatchedSubmissions(Submissions):
    """The real submissions service, noting what each preview was made from and where."""

    def __init__(self, kiosk) -> None:
        super().__init__(kiosk.store, kiosk.book, kiosk.hall, kiosk.tickets, kiosk.printers)
        self.threads: list[threading.Thread] = []
        self.drafts: list[object] = []
        self.go_on = threading.Event()  # the test sees the screen while the render runs

    def preview(self, draft):
        self.threads.append(threading.current_thread())
        self.drafts.append(draft)
        self.go_on.wait(30)
        return super().preview(draft)


def document_text(document: QPdfDocument) -> str:
    return "".join(document.getAllText(page).text() for page in range(document.pageCount()))


def test_the_preview_shows_the_forms_as_they_will_print(make_window, make_kiosk):
    kiosk = make_kiosk()
    renderer = WatchedSubmissions(kiosk)
    window = make_window(services=replace(window_services(kiosk), submissions=renderer))
    fill_bundle(window)
    review = page_of(window, ReviewScreen)
    assert review.submit_button.text() == "下一步：预览申请表"
    tap(review.submit_button)
    preview = page_of(window, PreviewScreen)
    assert preview.state.text() == "正在生成预览…"
    renderer.go_on.set()
    settle_work(window)
    assert renderer.threads and renderer.threads[0] is not threading.main_thread()
    # the worker got a frozen draft, never the visitor's session
    assert all(isinstance(d, SubmissionDraft) for d in renderer.drafts)
    view = preview.preview
    assert view.loaded and view.pages == 4, "the bundle's cover and one form per chosen item"
    assert preview.state.text() == "共 4 页"
    shown = document_text(view.pdf)
    for value in ("张小敏", "示范镇小敏餐饮店", "个体工商户设立登记申请表", "提交后生成"):
        assert value in shown
    assert preview.submit_button.isEnabled()

    tap(preview.change_button)  # back to the review: the preview is closed
    assert window.current is Screen.REVIEW
    assert view.pdf.status() is QPdfDocument.Status.Null
    assert view.held_bytes() == 0


def test_a_preview_finished_after_the_visitor_left_is_dropped(make_window):
    window = make_window()
    fill_bundle(window)
    window.go(PreviewRoute())
    window.back()  # before the render has answered
    settle_work(window)
    view = page_of(window, PreviewScreen).preview
    assert not view.loaded and view.held_bytes() == 0


def test_a_preview_that_cannot_be_made_still_lets_the_visitor_submit(make_window):
    window = make_window()
    window.session.start_bundle(window.session.catalog.bundles["BD-TEST"])
    window.session.filling = None  # nothing to render: the real renderer refuses
    window.go(PreviewRoute())
    settle_work(window)
    preview = page_of(window, PreviewScreen)
    assert preview.state.text() == "预览暂时无法显示，您仍然可以提交，申请表会照常打印。"
    assert preview.state.property("role") == "error"
    assert preview.submit_button.isEnabled()


def test_on_a_portrait_screen_the_page_spans_the_width_and_the_card_reads_whole(make_window, qtbot):
    """1080×1920: the page across the whole width (not a 400 px column beside the card), the
    card a band below it, every chosen item's name in sight, 确认提交 below the page; a
    landscape screen keeps the card beside the page."""
    window = make_window(theme="elder")
    fill_bundle(window)
    tap(page_of(window, ReviewScreen).submit_button)
    preview = page_of(window, PreviewScreen)
    settle_work(window)
    qtbot.waitUntil(lambda: preview.preview.loaded, timeout=30_000)
    view, card, words = preview.preview, preview.side, preview.words

    def at(widget):
        return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())

    assert at(card).right() < at(view).left(), "landscape: the card beside the page"
    window.resize(QSize(1080, 1920))  # the screen turned to portrait
    qtbot.waitUntil(lambda: at(card).top() >= at(view).bottom(), timeout=30_000)

    assert view.width() >= 0.85 * preview.width(), "the page across the screen"
    assert at(preview.submit_button).top() > at(view).bottom()
    assert words.body.height() <= words.viewport().height(), "the card's words read whole"
    names = [item.name("zh") for item in window.session.items]
    assert len(names) == 3 and all(name in preview.items.text() for name in names)

    window.resize(QSize(1920, 1080))
    qtbot.waitUntil(lambda: at(card).right() < at(view).left(), timeout=30_000)
    assert at(card).width() <= 560 and words.minimumHeight() == 0
