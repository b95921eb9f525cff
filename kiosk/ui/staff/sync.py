"""Staff panel · 数据同步: backlog, last success and error, quarantined rows with their
differences, and "sync now"."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kiosk.bureau_url import redact as redact_url
from kiosk.ui.staff.base import StaffPage, local_time

if TYPE_CHECKING:
    from kiosk.services import SyncNowResult, SyncPanel
    from kiosk.ui.staff.controls import StaffControls


def _shown(value: Any) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 40 else text[:39] + "…"


class SyncPage(StaffPage):
    key = "sync"

    def __init__(self, mode: StaffControls):
        super().__init__(mode)
        self.sync_button = self.action("sync_now", self.sync_now, "primary")
        self.refresh_button = self.action("refresh", self.show_page)
        self.panel: SyncPanel | None = None

    def show_page(self) -> None:
        super().show_page()
        self.tell(self.say("loading"))
        self.call(lambda desk: desk.sync_state(), self._show, what="sync state")

    def sync_now(self) -> None:
        self.sync_button.setEnabled(False)
        self.tell(self.say("loading"))
        self.call(
            lambda desk: desk.sync_now(),
            self._synced,
            what="sync now",
            always=lambda: self.sync_button.setEnabled(True),
        )

    def _synced(self, result: SyncNowResult) -> None:
        self._show(result.panel)
        summary = self.say("sync_result", sent=result.sent, statuses=result.statuses)
        if result.error is None:
            self.tell(summary)
        elif result.sent or result.statuses:
            self.tell(f"{summary}。{result.error(self.lang)}", "error")
        else:
            self.tell(result.error(self.lang), "error")

    def _show(self, panel: SyncPanel) -> None:
        self.panel = panel
        self.tell("")
        self.list.clear()
        never = self.say("sync_never")
        _, box = self.section(self.say("sync_state"))
        if panel.store_problem:  # first: nothing else works while the store does not
            self.line(box, self.say("store_problem", problem=panel.store_problem), "error")
            if panel.store_remedy:
                self.line(box, self.say("store_remedy", remedy=panel.store_remedy), "field")
        if not panel.configured:
            self.line(box, self.say("sync_none"), "field")
        elif not panel.running:
            self.line(box, self.say("sync_stopped"), "error")
        else:
            self.line(box, self.say("sync_running"), "field")
            self.line(box, self.say("sync_online" if panel.online else "sync_offline"), "field")
        self.line(box, self.say("sync_backlog", count=panel.backlog), "field")
        at = local_time(panel.last_success, with_date=True) or never
        self.line(box, self.say("sync_last_success", at=at))
        if panel.last_error:
            # The driver's words may quote the database URL: never show its password.
            error = redact_url(panel.last_error)[:300]
            at = local_time(panel.last_error_at, with_date=True)
            self.line(box, self.say("sync_last_error", at=at, error=error), "error")
        if panel.failures:
            self.line(box, self.say("sync_failures", count=panel.failures))
        _, box = self.section(self.say("quarantine_title"))
        if not panel.quarantined:
            self.line(box, self.say("quarantine_none"), "muted")
        for view in panel.quarantined:
            item = view.item
            when = local_time(item.created_at, with_date=True)
            self.line(box, f"{view.label} · {item.kind} · {when}", "field")
            self.line(box, item.reason, "muted")
            for diff in view.differences:
                text = self.say(
                    "quarantine_diff",
                    field=diff.field,
                    kiosk=_shown(diff.kiosk),
                    bureau=_shown(diff.bureau),
                )
                self.line(box, text)
            if not view.compared:
                self.line(box, self.say("quarantine_unchecked"), "muted")
