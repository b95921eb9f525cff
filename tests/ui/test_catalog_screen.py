"""Catalog: categories, pinyin search, touch scrolling, and the item's guide."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QScroller

from kiosk.ui.demo import page_of
from kiosk.ui.demo.person import Person
from kiosk.ui.navigation import CatalogRoute, Intent, ItemRoute, Screen
from kiosk.ui.screens.catalog import IN_SIGHT, CatalogScreen
from kiosk.ui.screens.item import ItemScreen

from .visitor import tap, texts


def codes(page: CatalogScreen) -> list[str]:
    return [row.property("code") for row in page.rows]


def test_categories_filter_the_list(make_window):
    window = make_window()
    window.go(CatalogRoute(Intent.GUIDE))
    page = page_of(window, CatalogScreen)
    assert codes(page) == ["T-REG", "T-TAX", "T-SEAL"]
    tap(page.tab_buttons["livelihood"])
    assert codes(page) == []
    assert page.empty.isVisible() and "没有找到" in page.empty.text()
    tap(page.tab_buttons["business"])
    assert codes(page) == ["T-REG", "T-TAX", "T-SEAL"]


def test_search_by_pinyin_initials_and_by_name(make_window):
    window = make_window()
    window.go(CatalogRoute(Intent.APPLY))
    page = page_of(window, CatalogScreen)
    visitor = Person(window)
    visitor.fill(page.search, "gtgsh")  # 个体工商户, on the keyboard: letters, never Pinyin
    assert page.search.text() == "gtgsh"
    assert codes(page)[0] == "T-REG"
    assert page.list.isVisible(), "the results are above the keyboard"
    visitor.fill(page.search, "gongzhang")  # 公章, full pinyin
    assert codes(page)[0] == "T-SEAL"


def test_a_bundle_found_by_search_opens_its_picker(make_window):
    window = make_window()
    window.go(CatalogRoute(Intent.APPLY))
    page = page_of(window, CatalogScreen)
    Person(window).fill(page.search, "kaixiaodian")  # 开小店
    assert codes(page) == ["BD-TEST"]
    tap(page.rows[0])
    assert window.current is Screen.BUNDLE


def test_the_list_scrolls_by_dragging_with_no_scrollbars(make_window, catalog, qtbot):
    window = make_window(catalog)  # the shipped catalog: enough items to scroll
    window.go(CatalogRoute(Intent.GUIDE))
    page = page_of(window, CatalogScreen)
    viewport = page.list.viewport()
    assert QScroller.hasScroller(viewport)
    assert page.list.verticalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    bar = page.list.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 400, timeout=30_000)  # the shipped list is long
    QScroller.scroller(viewport).scrollTo(QPointF(0, 400), 0)
    assert bar.value() == 400


def test_a_tap_on_a_row_opens_the_items_guide(make_window):
    window = make_window()
    window.go(CatalogRoute(Intent.GUIDE))
    page = page_of(window, CatalogScreen)
    tap(page.rows[0])
    assert window.current is Screen.ITEM
    shown = " ".join(texts(page_of(window, ItemScreen), visible_only=True))
    for expected in ("个体工商户设立登记", "有固定经营场所", "承诺 1 个工作日（法定 3 个工作日）"):
        assert expected in shown
    for expected in ("不收费", "6、7 号窗口", "市场监督管理局", "促进个体工商户发展条例"):
        assert expected in shown


def test_back_from_an_item_returns_to_the_same_place_in_the_list(make_window, catalog, qtbot):
    window = make_window(catalog)
    window.go(CatalogRoute(Intent.GUIDE))
    page = page_of(window, CatalogScreen)
    bar = page.list.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 400, timeout=30_000)
    QScroller.scroller(page.list.viewport()).scrollTo(QPointF(0, 400), 0)
    rows = list(page.rows)
    window.go(ItemRoute(rows[10].property("code")))
    tap(window.page().back_button)
    assert window.current is Screen.CATALOG
    assert page.rows == rows, "the list was kept, not rebuilt"
    assert bar.value() == 400


def test_each_key_reuses_the_rows_and_a_long_list_follows_whole(make_window, catalog, qtbot):
    """Typing must keep up with the keys (bench_typing): rows are built once per entry and
    shown again, and a long list's rows beyond the first few arrive right after, in order."""
    window = make_window(catalog)
    window.go(CatalogRoute(Intent.APPLY))
    page = page_of(window, CatalogScreen)
    visitor = Person(window)
    visitor.fill(page.search, "sh")
    first = {row.property("code"): row for row in page.rows}
    assert len(first) > IN_SIGHT, "a query that finds a long list"

    def whole_list_in_order() -> bool:
        tops = [row.mapTo(page.list.body, row.rect().topLeft()).y() for row in page.rows]
        return all(row.isVisible() for row in page.rows) and tops == sorted(tops)

    qtbot.waitUntil(whole_list_in_order, timeout=30_000)
    visitor.fill(page.search, "she")
    again = [row for row in page.rows if row.property("code") in first]
    assert again, "some entries are found by both queries"
    assert all(row is first[row.property("code")] for row in again), "the same rows, reused"
    qtbot.waitUntil(whole_list_in_order, timeout=30_000)
    gone = [row for code, row in first.items() if row not in page.rows]
    assert gone and not any(row.isVisible() for row in gone), "rows not found are put away"
