"""MainWindow: a thin shell — header, a stack of screens, overlays, idle, theme.

It is the :class:`~kiosk.ui.navigation.Navigator` the screens talk to; all it
does is switch screens (calling their enter/leave hooks), switch language and
theme, call a guide, and forget the visitor when they walk away.  What a screen
shows is the screen's business.

Cold start: built without a session (``MainWindow(None, settings, None, None)``)
the window holds only its home screen, which needs no catalog, so it paints at
once; :meth:`MainWindow.attach` adds every other screen when the catalog and the
services have loaded in the background.  A tap meanwhile waits behind the busy
indicator and is carried out then.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPoint, QSize, Qt, QTimer
from PySide6.QtGui import QClipboard, QCloseEvent, QGuiApplication, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLayout,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.kinds import Language
from kiosk.ui.background import Background
from kiosk.ui.fonts import cjk_family
from kiosk.ui.host import KioskHost
from kiosk.ui.idle import IdleWatch
from kiosk.ui.input.dock import InputDock, Placement
from kiosk.ui.input.embedded import keyboard_available
from kiosk.ui.input.guard import TouchGuard
from kiosk.ui.input.kinds import spec_of, typing_field
from kiosk.ui.navigation import HomeRoute, Route, Screen
from kiosk.ui.screens.base import ScreenContext, ScreenPage
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.staff.mode import StaffMode
from kiosk.ui.text import text
from kiosk.ui.theme import Theme, theme
from kiosk.ui.widgets.common import TouchScrollArea
from kiosk.ui.widgets.header import Header
from kiosk.ui.widgets.overlays import BusyOverlay, ConfirmOverlay, CountdownOverlay, Toast
from kiosk.ui.widgets.pickers import DatePicker, Region, RegionPicker

if TYPE_CHECKING:
    from kiosk.catalog.catalog import Catalog
    from kiosk.catalog.search import SearchIndex
    from kiosk.config import Settings
    from kiosk.session import VisitorSession
    from kiosk.ui.input.keyboard import OnScreenKeyboard
    from kiosk.ui.services import Services

log = logging.getLogger(__name__)

KIOSK_SIZE = QSize(1920, 1080)
SHORT_WINDOW = 900  # px: below this, typing takes the whole height of the screen


def screen_types() -> tuple[type[ScreenPage[Any]], ...]:
    """Every screen, in stack order.  Imported on first use, not with this module: they
    pull in the catalog model, forms and search, which the cold start leaves for later."""
    from kiosk.ui.screens.apply import ApplyScreen
    from kiosk.ui.screens.bundle import BundleScreen
    from kiosk.ui.screens.bundles import BundlesScreen
    from kiosk.ui.screens.catalog import CatalogScreen
    from kiosk.ui.screens.consult import ConsultScreen
    from kiosk.ui.screens.done import DoneScreen
    from kiosk.ui.screens.event import EventScreen
    from kiosk.ui.screens.events import EventsScreen
    from kiosk.ui.screens.item import ItemScreen
    from kiosk.ui.screens.preview import PreviewScreen
    from kiosk.ui.screens.rating import RatingScreen
    from kiosk.ui.screens.review import ReviewScreen
    from kiosk.ui.screens.status import StatusScreen
    from kiosk.ui.screens.ticket import TicketScreen
    from kiosk.ui.screens.verdict import VerdictScreen

    return (
        HomeScreen,
        CatalogScreen,
        ItemScreen,
        ConsultScreen,
        VerdictScreen,
        BundlesScreen,
        BundleScreen,
        EventsScreen,
        EventScreen,
        ApplyScreen,
        ReviewScreen,
        PreviewScreen,
        DoneScreen,
        TicketScreen,
        RatingScreen,
        StatusScreen,
    )


class MainWindow(KioskHost):
    session: VisitorSession  # set by attach(); the home screen paints before it exists
    services: Services

    def __init__(
        self,
        session: VisitorSession | None,
        settings: Settings,
        services: Services | None,
        search: SearchIndex | None,
        *,
        theme_name: str | None = None,
    ):
        super().__init__()
        self.settings = settings
        self.setObjectName("KioskWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setWindowFlags(Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
        self.setWindowTitle(settings.hall_name or "")  # the catalog's name once attached
        # The window itself holds the focus between fields, so that Qt never hands it to the
        # first text field of a screen by itself (window activation does that) — the keyboard
        # opens when the visitor taps a field, not before.
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # not ClickFocus: a tap on a key keeps it
        layout = QVBoxLayout(self)
        # The only top-level widget: no size constraints to hand to the window system
        # (the offscreen platform warns about them, and a kiosk never resizes anyway).
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.header = Header(settings.hall_name or "")
        self.header.language_tapped.connect(self.toggle_language)
        self.header.elder_tapped.connect(self.toggle_elder)
        self.header.read_tapped.connect(self.read_aloud)
        self.header.guide_tapped.connect(self.call_guide)
        self.stack = QStackedWidget()
        self.stack.setObjectName("Screens")
        # The stack takes the height that is left (the input dock may take half): its pages'
        # minimum heights — every page's, shown or not — must not push the dock off the window.
        self.stack.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        # Where the visitor types: beside or below the screens, which shrink when it opens.
        self.dock = InputDock(self, self._make_keyboard, self.focus_next, self.next_field_after)
        self.dock.set_placer(self._place_dock)
        self.middle = QHBoxLayout()
        self.middle.setContentsMargins(0, 0, 0, 0)
        self.middle.setSpacing(0)
        self.middle.addWidget(self.stack, 1)
        layout.addWidget(self.header)
        layout.addLayout(self.middle, 1)
        layout.addWidget(self.dock)
        self._outer = layout
        self.guard = TouchGuard(
            self, typing_area=lambda: self.dock.keyboard_ready, before_press=self._before_press
        )
        self.dock.opened.connect(self._dock_opened)
        # The first time, the keyboard's candidate row grows the dock after it opened: the
        # field being filled is brought above it again.
        self.dock.resized.connect(lambda: QTimer.singleShot(0, self, self.reveal_focus))
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_moved)
        self.elder = False  # the visitor's own 长辈模式 switch, for this visit
        self.background = Background(self)
        self.background.busy_changed.connect(self._busy)
        self.ctx = ScreenContext(None, settings, None, None, self, self.background)
        self.staff = StaffMode(self)  # guide staff: hidden entry, PIN, panel, assisted entry
        self.screens: dict[Screen, ScreenPage[Any]] = {}
        self._add_screen(HomeScreen)
        self._waiting: list[Callable[[], None]] = []  # taps made before attach()
        self.countdown = CountdownOverlay(self)
        self.countdown.continued.connect(self._still_here)
        self.countdown.expired.connect(self.reset_visit)
        self.busy = BusyOverlay(self)
        self.confirm = ConfirmOverlay(self)
        self.date_picker = DatePicker(self)
        self.region_picker = RegionPicker(self)
        self.toast = Toast(self)
        self.idle = IdleWatch(self, settings.idle_seconds)
        self.idle.timed_out.connect(self._idle)
        self._history: list[Route] = []
        self.base_theme = theme_name or settings.theme  # staff's choice for every visitor
        self.theme: Theme = theme(self.base_theme)
        self.apply_theme(self.theme.name)
        self.elder = self.theme.name != "standard"
        self.header.set_elder(self.elder, can_read=self._can_read())
        self.go(HomeRoute())
        self.header.retranslate(self.ctx.language)
        if session is not None:
            assert services is not None and search is not None, "a session comes with services"
            self.attach(session, services, search)

    def _name_the_hall(self) -> None:
        """The hall's name in both languages: the settings' if given, else the catalog's own
        (meta.bureau) — so another bureau's catalog shows its own name, in English too."""
        catalog = self.session.catalog
        zh = catalog.hall_name(self.settings.hall_name, "zh")
        en = catalog.hall_name(self.settings.hall_name, "en")
        self.setWindowTitle(zh)
        self.header.set_hall_names(zh, en)

    def _add_screen(self, screen_type: type[ScreenPage[Any]]) -> None:
        page = screen_type(self.ctx)
        self.screens[screen_type.route] = page
        self.stack.addWidget(page)

    def use_catalog(self, catalog: Catalog, search: SearchIndex) -> None:
        """Staff reloaded the catalog: forget the visitor, rebuild every screen over the new one
        (screens lay out categories, bundles and events when built)."""
        self.reset_visit()
        self._leave()
        self.session.catalog = catalog
        self.ctx.attach(self.session, self.services, search)
        self._name_the_hall()
        for old in self.screens.values():
            self.stack.removeWidget(old)
            old.deleteLater()
        self.screens = {}
        for screen_type in screen_types():
            self._add_screen(screen_type)
        self._history = [HomeRoute()]
        self._enter()

    @property
    def ready(self) -> bool:
        return self.ctx.ready

    def attach(self, session: VisitorSession, services: Services, search: SearchIndex) -> None:
        """Complete the window for its session: every other screen, then any waiting tap."""
        self.session = session
        self.services = services
        self.ctx.attach(session, services, search)
        self._name_the_hall()
        self.header.set_elder(self.elder, can_read=self._can_read())
        for screen_type in screen_types():
            if screen_type.route not in self.screens:
                self._add_screen(screen_type)
        waiting, self._waiting = self._waiting, []
        for action in waiting:
            action()
        if not self.background.busy:
            self.busy.hide_busy()

    def _when_ready(self, action: Callable[[], None]) -> bool:
        """Before attach(): keep the action for later, show the busy indicator; True if kept."""
        if self.ready:
            return False
        self._waiting.append(action)
        self.busy.show_busy(self.ctx.language)
        return True

    # ── showing ──
    def show_kiosk(self) -> None:
        """Fullscreen on the primary screen, geometry first so it opens on the right one."""
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            self.setGeometry(screen.geometry())
        self.showFullScreen()

    def show_at(self, size: QSize = KIOSK_SIZE) -> None:
        """A window of the kiosk's size, for the demo and tests (offscreen)."""
        self.resize(size)
        self.show()

    def closeEvent(self, event: QCloseEvent) -> None:
        event.ignore()  # visitors cannot close the kiosk; staff stop it from the staff panel

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        for overlay in (
            self.countdown,
            self.busy,
            self.confirm,
            self.date_picker,
            self.region_picker,
        ):
            if overlay.isVisible():
                overlay.cover()
        self.dock.fit(event.size().width())

    def use_base_theme(self, name: str) -> None:
        """Staff chose the look for every visitor (本机设置)."""
        self.base_theme = name
        self.set_elder(name != "standard")

    def apply_theme(self, name: str) -> None:
        self.theme = theme(name)
        self.theme.apply_to(self, cjk_family())
        metrics = self.theme.metrics
        self.dock.set_sizes(metrics.keyboard, metrics.key, metrics.candidate)

    # ── typing (the input dock) ──
    def _make_keyboard(self) -> OnScreenKeyboard | None:
        if not keyboard_available():
            return None  # a hardware keyboard (development) or an input method of the system's
        # Imported on the first tap on a field, not before home paints: the module brings in
        # Qt Quick (kiosk run's background load has imported it by then).
        from kiosk.ui.input.keyboard import OnScreenKeyboard

        return OnScreenKeyboard(self.settings.data_dir / "keyboard")

    def _before_press(self, target: QWidget) -> None:
        """A tap is about to land on ``target``: unfinished Pinyin is settled as the letters
        typed, then a tapped field takes the focus (fields are not ClickFocus, so Qt's own
        focus change cannot take the first candidate first); a field that already had the
        focus reopens the dock."""
        focused = QApplication.focusWidget()
        field = typing_field(target)
        if field is not focused:
            self.dock.settle()
            if field is not None and field.isEnabled():
                field.setFocus(Qt.FocusReason.MouseFocusReason)
        elif field is not None and not self.dock.isVisible():
            QTimer.singleShot(0, self, lambda: self.dock.follow(QApplication.focusWidget()))

    def focus_next(self, current: QWidget) -> bool:
        """下一项: the next typing field on this screen, top to bottom; False at the last."""
        following = self.next_field_after(current)
        if following is None:
            return False
        following.setFocus(Qt.FocusReason.TabFocusReason)
        return True

    def next_field_after(self, current: QWidget) -> QWidget | None:
        """The typing field after ``current`` on this screen, in reading order."""
        if not self._history:
            return None
        page = self.page()
        fields = [
            w
            for w in page.findChildren(QWidget)
            if spec_of(w) is not None
            and w.isVisibleTo(page)
            and w.isEnabled()
            and w.focusPolicy() != Qt.FocusPolicy.NoFocus
        ]  # typing fields take TabFocus (kiosk.ui.input.kinds.mark)
        fields.sort(
            key=lambda w: (w.mapTo(page, QPoint(0, 0)).y(), w.mapTo(page, QPoint(0, 0)).x())
        )
        if current not in fields:
            return None
        index = fields.index(current)
        return fields[index + 1] if index + 1 < len(fields) else None

    def _place_dock(self, placement: Placement) -> None:
        """Beside the screens (a pad, landscape) or below them (the keyboard, portrait)."""
        self.middle.removeWidget(self.dock)
        self._outer.removeWidget(self.dock)
        if placement is Placement.SIDE:
            self.middle.addWidget(self.dock)
        else:
            self._outer.addWidget(self.dock)
        self._typing_layout()

    def _typing_layout(self) -> None:
        """With the keys below, the screen gives its height to the field: no title, no footer
        (the dock has 下一项 and 收起; the footer comes back with 收起)."""
        # With the keys below, or beside on a short window (1366×768), the field needs the
        # height the title, the banners and the footer take.
        short = self.height() < SHORT_WINDOW
        below = self.dock.isVisible() and (self.dock.placement is not Placement.SIDE or short)
        if self._history:
            self.page().set_typing(below)

    def _focus_moved(self, old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and self.isAncestorOf(new):
            QTimer.singleShot(0, self, self.reveal_focus)

    def _dock_opened(self, opened: bool) -> None:
        self._typing_layout()
        if opened:
            QTimer.singleShot(0, self, self.reveal_focus)

    def reveal_focus(self) -> None:
        """Scroll the focused field, with its label and message line, into what is left
        of the screen above the dock."""
        focused = QApplication.focusWidget()
        if focused is None or not self.isAncestorOf(focused):
            return
        field: QWidget = focused
        widget: QWidget | None = focused
        scroll: TouchScrollArea | None = None
        while widget is not None and widget is not self:
            if widget.property("field_key") is not None and field is focused:
                field = widget
            if isinstance(widget, TouchScrollArea):
                scroll = widget
                break
            widget = widget.parentWidget()
        if scroll is not None:
            scroll.reveal(field, margin=24)

    # ── pickers (kiosk.ui.widgets.fields.Pickers) ──
    def pick_date(self, title: str, current: dt.date | None, chosen: Callable[[dt.date], None]):
        self.dock.put_away()
        self.date_picker.pick(title, current, chosen, self.ctx.language)

    def pick_region(self, title: str, current: Region, chosen: Callable[[Region], None]) -> None:
        self.dock.put_away()
        self.region_picker.pick(title, current, chosen, self.ctx.language)

    def home_region(self) -> Region:
        """The hall's own province, city and district, from the catalog (``meta.area``)."""
        area = getattr(self.session.catalog.meta, "area", None) if self.ready else None
        if area is None:
            return ("", "", "")
        return (str(area.province), str(area.city), str(area.district))

    def _close_pickers(self) -> None:
        for picker in (self.date_picker, self.region_picker):
            if picker.isVisible():
                picker.close_picker()

    # ── elder mode, read aloud ──
    def _can_read(self) -> bool:
        services = getattr(self, "services", None)
        voice = getattr(services, "voice", None)
        return bool(getattr(voice, "available", False))

    def toggle_elder(self) -> None:
        self.set_elder(not self.elder)

    def set_elder(self, on: bool) -> None:
        """The visitor's 长辈模式: larger everything, slower timeouts, 朗读; ends with the visit."""
        self.elder = on
        base = self.base_theme
        if on:
            name = "contrast" if base == "contrast" else "elder"
        else:
            name = "standard" if base == "elder" else base
        if name != self.theme.name:
            self.apply_theme(name)
        self.header.set_elder(on, can_read=self._can_read())
        if self._history:
            self._set_idle_for(self.page())
            QTimer.singleShot(0, self, self.reveal_focus)

    def read_aloud(self) -> None:
        if not self.ready:
            return
        sentence = self.page().spoken_text()
        if not sentence:
            self.notify(text("nothing_to_read", self.ctx.language))
            return
        self.services.voice.announce(sentence, self.session.language)

    # ── navigation (the Navigator protocol) ──
    @property
    def current(self) -> Screen:
        return self._history[-1].screen

    def page(self, screen: Screen | None = None) -> ScreenPage[Any]:
        return self.screens[screen or self.current]

    def go(self, route: Route) -> None:
        """To ``route``'s screen, which enters with it; Home starts the history over."""
        _check(route)
        if route.screen not in self.screens and self._when_ready(lambda: self.go(route)):
            return
        self._leave()
        if route.screen is Screen.HOME:
            self._history = [route]
        else:
            self._history.append(route)
        self._enter()

    def replace(self, route: Route) -> None:
        _check(route)
        if route.screen not in self.screens and self._when_ready(lambda: self.replace(route)):
            return
        self._leave()
        self._history[-1] = route
        self._enter()

    def _back(self) -> None:
        if len(self._history) <= 1:
            self.home()
            return
        self._leave()
        self._history.pop()
        self._enter()

    def home(self) -> None:
        if self._leaving_a_form():
            self._ask_to_leave(self._discard_and_go_home)
            return
        self.go(HomeRoute())

    def back(self) -> None:
        if self._leaving_a_form() and self._back_leaves_the_form():
            self._ask_to_leave(self._discard_and_go_back)
            return
        self._back()

    def _leaving_a_form(self) -> bool:
        return (
            self.ready
            and self.current in (Screen.APPLY, Screen.REVIEW, Screen.PREVIEW)
            and self.session.has_typed_values()
        )

    def _back_leaves_the_form(self) -> bool:
        previous = self._history[-2].screen if len(self._history) > 1 else Screen.HOME
        return previous not in (Screen.APPLY, Screen.REVIEW, Screen.PREVIEW)

    def _ask_to_leave(self, leave: Callable[[], None]) -> None:
        self.dock.put_away()
        lang = self.ctx.language
        self.confirm.ask(
            text("leave_form_title", lang),
            text("leave_form_body", lang),
            text("leave_form_stay", lang),
            text("leave_form_go", lang),
            leave,
        )

    def _discard_and_go_home(self) -> None:
        self._leave()
        self.session.discard_case()
        self._history = []
        self.go(HomeRoute())

    def _discard_and_go_back(self) -> None:
        self._leave()
        self.session.restart_filling()
        self._history.pop()
        self._enter()

    def _leave(self) -> None:
        if self._history:
            self.dock.settle()  # unfinished Pinyin is kept as typed, not guessed
            self.page().leave()
        self.dock.close_dock()

    def _enter(self) -> None:
        route = self._history[-1]
        page = self.screens[route.screen]
        self.setFocus(Qt.FocusReason.OtherFocusReason)  # off the last screen's field
        self.stack.setCurrentWidget(page)
        page.set_typing(False)
        self._set_idle_for(page)
        self.guard.fresh()  # the second half of a double tap must not act on this screen
        page.enter(route)

    def fresh_content(self) -> None:
        """The screen swapped what it shows in place (the next question): taps wait a moment."""
        self.guard.fresh()

    def _set_idle_for(self, page: ScreenPage) -> None:
        seconds = (
            self.settings.form_idle_seconds if page.form_screen else self.settings.idle_seconds
        )
        self.idle.set_timeout(seconds * 2 if self.elder else seconds)

    # ── language, help, notices ──
    def toggle_language(self) -> None:
        if self._when_ready(self.toggle_language):
            return
        self.session.language = Language.EN if self.session.language == "zh" else Language.ZH
        self.retranslate()

    def retranslate(self) -> None:
        self.header.retranslate(self.ctx.language)
        self.dock.retranslate(self.ctx.language)
        self.page().retranslate()
        focused = QApplication.focusWidget()
        if self.dock.isVisible() and focused is not None:
            self.dock.follow(focused)  # the caption and the keyboard in the new language

    def call_guide(self) -> None:
        if self._when_ready(self.call_guide):
            return
        desk = self.services.staff  # a visitor's call lands on the staff desk
        screen, language = self.current.value, self.session.language
        self.background.run(
            lambda: desk.request_help(screen, language),
            lambda _: self.notify(text("guide_called", language)),
            self._guide_failed,
            label="call guide",
        )

    def _guide_failed(self, error: Exception) -> None:
        log.warning("help request not recorded: %s", error)
        self.notify(text("guide_failed", self.ctx.language))

    def notify(self, message: str) -> None:
        self.toast.say(message)

    def show_busy(self, busy: bool) -> None:
        """A helper's work is taking a while (True) or all done (False): the busy indicator."""
        self._busy(busy)

    def _busy(self, busy: bool) -> None:
        if busy:
            self.busy.show_busy(self.ctx.language)
        elif not self._waiting:
            self.busy.hide_busy()

    # ── idle and forgetting ──
    def visit_in_progress(self) -> bool:
        if not self.ready:
            return False
        session = self.session
        return (
            self.current is not Screen.HOME
            or session.target_code is not None
            or session.language != self.settings.language
        )

    def _idle(self) -> None:
        if not self.visit_in_progress():
            self.idle.poke()
            return
        if self.current is Screen.HOME and self.session.target_code is None:
            self.reset_visit()  # only the language was changed: nothing to warn about
            return
        self.idle.pause()
        self.dock.put_away()  # the warning must never sit under the keyboard
        self.confirm.dismiss()
        self.countdown.start(self.settings.countdown_seconds, self.session.language)

    def _still_here(self) -> None:
        self.idle.resume()

    def end_visit(self) -> None:
        self.reset_visit()

    def reset_visit(self) -> None:
        """Forget the visitor: the session, every screen's content, overlays; back home."""
        if not self.ready:
            return
        self.countdown.stop()
        self.confirm.dismiss()
        self._close_pickers()
        self.toast.dismiss()
        self.staff.visit_over()
        self.background.forget()  # a late answer must never reach the next visitor
        self._leave()
        self.dock.forget()
        self._history = []
        self.session.clear(self.settings.language)
        for page in self.screens.values():
            page.reset()
        clear_clipboard()
        self.header.retranslate(self.session.language)
        self.dock.retranslate(self.session.language)
        self.set_elder(self.base_theme != "standard")
        self.idle.resume()
        self.go(HomeRoute())


def _check(route: object) -> None:
    """A route, or an error: a screen never enters with an argument it would ignore."""
    if not isinstance(route, Route):
        raise TypeError(f"not a route: {route!r} (kiosk.ui.navigation has one type per screen)")


def clear_clipboard() -> None:
    """Nothing one visitor copied can be pasted by the next."""
    clipboard = QGuiApplication.clipboard()
    for mode in (QClipboard.Mode.Clipboard, QClipboard.Mode.Selection):
        clipboard.clear(mode)
