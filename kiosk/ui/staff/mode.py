"""StaffMode: the state of guide-staff mode in the window, and the one object the window holds.

Locked → (gesture or chord) PIN pad → unlocked with the panel over the
visitor's screen → "help this visitor" lifts the panel and marks what staff
type as :attr:`Source.STAFF` → back to the panel, or out.  Staff mode leaves
itself after :data:`kiosk.staff.STAFF_IDLE_SECONDS` without a touch, and on
"leave staff mode".  Every staff action is an audit event (``services.audit``:
the store stamps when; the action; on what), written one after another in the
background so the trail keeps the order things happened in.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QBoxLayout

from kiosk.kinds import Language, ThemeName
from kiosk.staff_pin import STAFF_IDLE_SECONDS, PinGate
from kiosk.ui.background import Background
from kiosk.ui.idle import IdleWatch
from kiosk.ui.navigation import Screen
from kiosk.ui.staff.entry import CHORD, CornerTaps
from kiosk.ui.text import text

if TYPE_CHECKING:  # the panel, forms and catalog are imported on first use: cold start stays fast
    from kiosk.catalog.catalog import Catalog
    from kiosk.catalog.search import SearchIndex
    from kiosk.forms.filling import Source
    from kiosk.services import StaffDesk
    from kiosk.ui.host import KioskHost  # the window, without importing it (no cycle)
    from kiosk.ui.staff.entry import PinPad
    from kiosk.ui.staff.panel import StaffBand, StaffPanel

log = logging.getLogger(__name__)


def _quit_application() -> None:
    # exit(), not quit(): quit() asks the windows to close first, and the kiosk window
    # refuses every close request (visitors must not close it).
    QApplication.exit(0)


class StaffMode(QObject):
    def __init__(
        self,
        window: KioskHost,
        *,
        clock: Callable[[], float] = time.monotonic,
        quit_application: Callable[[], None] = _quit_application,
    ):
        super().__init__(window)
        self.window = window
        # Staff work has a helper of its own: a visit ending (Background.forget on the
        # window's) must not drop the audit trail's writes or a reprint under way.
        self.background = Background(self)
        self.background.busy_changed.connect(window.show_busy)
        self.gate = PinGate(window.settings.pin_hash, clock, window.settings.staff_lockout_path)
        self.quit_application = quit_application
        self.unlocked = False
        self.corner = CornerTaps(window, clock)
        self.corner.gesture.connect(lambda: self.open_entry("gesture"))
        self.chord = QShortcut(QKeySequence(CHORD), window)
        self.chord.setContext(Qt.ShortcutContext.ApplicationShortcut)
        self.chord.activated.connect(lambda: self.open_entry("chord"))
        # Built on first use, so they add nothing to the cold start.
        self._pin_pad: PinPad | None = None
        self._panel: StaffPanel | None = None
        self._bar: StaffBand | None = None
        self.idle = IdleWatch(self, STAFF_IDLE_SECONDS)
        self.idle.timed_out.connect(self._idle)
        self.idle.pause()
        window.ctx.entry_source = self.entry_source
        self._assisting: datetime | None = None  # the visit (its start) staff are helping
        self._assisted_keys: set[str] = set()
        self._audits: deque[tuple[str, str | None, dict[str, Any], Callable[[], None] | None]]
        self._audits = deque()
        self._auditing = False
        window.installEventFilter(self)

    # ── parts ──
    @property
    def language(self) -> str:
        return self.window.ctx.language

    @property
    def desk(self) -> StaffDesk | None:
        """The staff desk of the services (None while the kiosk is still starting)."""
        if not self.window.ready:
            return None
        return self.window.services.staff

    @property
    def pin_pad(self) -> PinPad:
        if self._pin_pad is None:
            from kiosk.ui.staff.entry import PinPad

            self._pin_pad = PinPad(self, self.window)
        return self._pin_pad

    @property
    def panel(self) -> StaffPanel:
        if self._panel is None:
            from kiosk.ui.staff.panel import StaffPanel

            self._panel = StaffPanel(self, self.window)
        return self._panel

    @property
    def bar(self) -> StaffBand:
        """The strip under the header while staff help a visitor on the visitor's screens."""
        if self._bar is None:
            from kiosk.ui.staff.panel import StaffBand

            self._bar = StaffBand([("to_panel", ""), ("exit_staff", "primary")])
            self._bar.buttons["to_panel"].clicked.connect(lambda: self.show_panel())
            self._bar.buttons["exit_staff"].clicked.connect(self._leave_button)
            self._bar.hide()
            layout = self.window.layout()
            if isinstance(layout, QBoxLayout):
                layout.insertWidget(1, self._bar)
        return self._bar

    @property
    def assisting(self) -> bool:
        window = self.window
        return self.unlocked and window.ready and self._assisting == window.session.started_at

    def panel_open(self) -> bool:
        return self._panel is not None and self._panel.isVisible()

    def pin_pad_open(self) -> bool:
        return self._pin_pad is not None and self._pin_pad.isVisible()

    # ── entry ──
    def open_entry(self, how: str = "gesture") -> None:
        if self.unlocked:
            self.show_panel()
            return
        if self.pin_pad_open():
            return
        log.info("staff entry opened by %s", how)
        self.window.idle.pause()  # the visitor's countdown must not run over the PIN pad
        self.window.countdown.stop()
        self.idle.resume()  # an abandoned PIN pad closes itself
        self.pin_pad.open()

    def cancel_entry(self) -> None:
        self.pin_pad.close_pad()
        self.idle.pause()
        self.window.idle.resume()

    def unlocked_by_pin(self) -> None:
        self.unlocked = True
        self.pin_pad.close_pad()
        self.audit("staff_enter", self.window.current.value)
        self.show_panel()

    def pin_refused(self, *, locked: bool, error: str = "") -> None:
        details: dict[str, Any] = {"failures": self.gate.failures}
        if error:
            details["error"] = error[:200]
        self.audit("staff_pin_refused", None, **details)
        if locked:
            self.audit("staff_locked", None, seconds=round(self.gate.locked_for()))

    # ── the panel and helping the visitor ──
    def show_panel(self, page: str | None = None) -> None:
        if not self.unlocked:
            return
        if self._bar is not None:
            self._bar.hide()
        self._assisting = None
        self.window.idle.pause()
        self.window.countdown.stop()
        self.idle.resume()
        self.panel.present(page)

    def assist(self) -> None:
        """ "Help this visitor": the panel lifts; what staff now type is marked as theirs."""
        window = self.window
        if not self.unlocked or not window.ready:
            return
        session = window.session
        self.audit("assist_visitor", session.target_code or window.current.value)
        self._assisting = session.started_at
        self._assisted_keys = set()
        self.panel.hide()
        bar = self.bar
        lang = self.language
        bar.retranslate(lang, text("staff_mode", lang), text("assisting", lang))
        bar.show()
        self.window.idle.resume()

    def entry_source(self, key: str) -> Source:
        """Who is typing into the visitor's field ``key`` now (the field widgets ask)."""
        from kiosk.forms.filling import Source

        if not self.assisting:
            return Source.CITIZEN
        if key not in self._assisted_keys:  # which fields, never what was typed
            self._assisted_keys.add(key)
            self.audit("assist_edit", key, visit=self.window.session.target_code)
        return Source.STAFF

    # ── leaving ──
    def _leave_button(self) -> None:
        self.leave("button")

    def leave(self, reason: str) -> None:
        if not self.unlocked:
            return
        self.audit("staff_exit", None, reason=reason)
        self.unlocked = False
        self._assisting = None
        self.idle.pause()
        if self._panel is not None:
            self._panel.hide()
            self._panel.wipe()
        if self._bar is not None:
            self._bar.hide()
        window = self.window
        window.idle.resume()
        if window.ready and window.current is Screen.HOME and window.session.target_code is None:
            window.reset_visit()  # nobody was being helped: greet the next visitor as set

    def visit_over(self) -> None:
        """The window forgot its visitor: if staff were helping them, staff mode ends too."""
        if self._bar is not None and self._bar.isVisible():
            self.leave("visit_over")

    def _idle(self) -> None:
        if self.unlocked:
            self.leave("idle")
        elif self.pin_pad_open():
            self.cancel_entry()

    # ── staff actions ──
    def set_defaults(self, *, language: str | None = None, theme: str | None = None) -> None:
        window = self.window
        new_language = new_theme = None
        if language is not None and language != window.settings.language:
            new_language = Language(language)
            window.settings = window.settings.with_values(language=new_language)
        if theme is not None and theme != window.settings.theme:
            new_theme = ThemeName(theme)
            window.settings = window.settings.with_values(theme=new_theme)
            window.use_base_theme(new_theme)
        desk = self.desk
        if (new_language is None and new_theme is None) or desk is None:
            return
        # Kept across restarts: written to the config file (and audited) off the GUI thread.
        self.background.run(
            lambda: desk.save_defaults(language=new_language, theme=new_theme),
            lambda _path: None,
            lambda error: log.warning("defaults not saved: %r", error),
            label="save defaults",
        )

    def use_catalog(self, catalog: Catalog, search: SearchIndex) -> None:
        """A reloaded catalog (already audited by the services): the window's screens use it."""
        self.window.use_catalog(catalog, search)
        if self._panel is not None:
            self._panel.cover()  # the screens were rebuilt underneath; stay on top

    def exit_kiosk(self) -> None:
        """Close the application: audited, the sync worker stopped, the databases released."""
        self.audit("exit_kiosk", self.window.settings.kiosk_id, then=self._close_services)

    def _close_services(self) -> None:
        if not self.window.ready:
            self.quit_application()
            return
        shut_down = self.window.services.shut_down

        def closed(_: object = None) -> None:
            self.quit_application()

        def failed(error: Exception) -> None:
            log.error("closing the services failed", exc_info=error)
            self.quit_application()

        self.background.run(shut_down, closed, failed, label="close services")

    # ── the audit trail ──
    def audit(
        self,
        action: str,
        target: str | None = None,
        *,
        then: Callable[[], None] | None = None,
        **details: Any,
    ) -> None:
        """Record a staff action; written in order, one at a time, off the GUI thread."""
        if self.desk is None:
            log.info("staff %s %s (no audit log on this kiosk)", action, target or "")
            if then is not None:
                then()
            return
        self._audits.append((action, target, details, then))
        self._next_audit()

    def _next_audit(self) -> None:
        if self._auditing or not self._audits or self.desk is None:
            return
        desk = self.desk
        action, target, details, then = self._audits.popleft()
        self._auditing = True

        def written(_: object = None) -> None:
            self._auditing = False
            if then is not None:
                then()
            self._next_audit()

        def failed(error: Exception) -> None:
            log.warning("audit %s %s not written: %r", action, target, error)
            written()

        self.background.run(
            lambda: desk.audit(action, target, **details), written, failed, label="staff audit"
        )

    # ── keeping the layers in place ──
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Resize:
            if self.panel_open():
                self.panel.cover()
            if self.pin_pad_open():
                self.pin_pad.setGeometry(self.window.rect())
        return False
