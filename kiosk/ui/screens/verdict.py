"""Verdict and materials (一次性告知): can the visitor apply, why not, and what to bring.

The notice is built from the session when the screen is entered; "print this
list" appears only when the composition root wired a notice printer, and
printing runs in the background; the printer's answer (``PrintResult``) says
whether it took the page, or why not in calm words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFrame, QHBoxLayout

from kiosk.catalog.model import MaterialFormat
from kiosk.consult import MaterialsNotice, NoticeLine
from kiosk.ui.navigation import ApplyPage, Screen
from kiosk.ui.screens.base import ScreenContext, ScreenPage
from kiosk.ui.screens.consult import undo_answer
from kiosk.ui.text import listing
from kiosk.ui.widgets.common import GAP, TouchScrollArea, button, card, label

if TYPE_CHECKING:
    from kiosk.printing.printers import PrintResult


class VerdictScreen(ScreenPage):
    route = Screen.VERDICT
    title_key = "verdict_title"

    def __init__(self, ctx: ScreenContext):
        super().__init__(ctx)
        self.notice: MaterialsNotice | None = None
        self.content = TouchScrollArea()
        self.body.addWidget(self.content, 1)
        self.print_button = self.add_action(button("", None))
        self.print_button.clicked.connect(self._print)
        self.change_button = self.add_action(button("", None))
        self.change_button.clicked.connect(self._change_items)
        self.apply_button = self.add_action(button("", "primary"))
        self.apply_button.clicked.connect(lambda: self.ctx.nav.go(Screen.APPLY, ApplyPage(0)))

    def enter(self, arg: object = None) -> None:
        self.notice = self.ctx.session.build_notice()
        super().enter(arg)
        self.content.to_top()

    def retranslate(self) -> None:
        super().retranslate()
        self.content.clear()
        notice = self.notice
        if notice is None:
            return
        lang = self.lang
        session = self.ctx.session
        bundle = session.bundle
        eligible = notice.eligible
        banner, box = card("banner")
        banner.setProperty("tone", "ok" if eligible else "no")
        if eligible:
            key = "verdict_ok_bundle" if bundle else "verdict_ok"
            box.addWidget(label(self.say(key), "title"))
            names = [item.name(lang) for item in session.items]
            box.addWidget(label(listing(names, lang), "section"))
        else:
            box.addWidget(label(self.say("verdict_no"), "title"))
            for code, verdict in notice.verdicts.items():
                if verdict.eligible:
                    continue
                reason = verdict.reason(lang) if verdict.reason else ""
                if bundle:
                    reason = f"{self.ctx.catalog.items[code].name(lang)}：{reason}"
                box.addWidget(label(reason, "section"))
                if verdict.instead:
                    box.addWidget(label(self.say("verdict_instead", instead=verdict.instead(lang))))
        self.content.add(banner)
        if eligible:
            self.content.add(label(self.say("materials_title"), "section"))
            for number, line in enumerate(notice.lines, start=1):
                self.content.add(self._material(number, line, show_items=bundle is not None))
        printer = self.ctx.services.notice_printer
        self.print_button.setText(self.say("print_notice"))
        self.print_button.setVisible(eligible and printer is not None)
        self.change_button.setText(self.say("change_items"))
        self.change_button.setVisible(not eligible and bundle is not None)
        self.apply_button.setText(self.say("fill_forms"))
        self.apply_button.setVisible(eligible)

    def _material(self, number: int, line: NoticeLine, *, show_items: bool) -> QFrame:
        lang = self.lang
        material = line.material
        frame, box = card()
        top = QHBoxLayout()
        top.setSpacing(GAP)
        step = label(str(number), "step", wrap=False)
        top.addWidget(step)
        top.addWidget(label(material.name(lang), "section"), 1)
        box.addLayout(top)
        if line.copies:
            counts = self.say("material_counts", originals=line.originals, copies=line.copies)
        else:
            counts = self.say("material_original_only", originals=line.originals)
        if material.format is MaterialFormat.EITHER:
            counts += " · " + self.say("material_either")
        elif material.format is MaterialFormat.ELECTRONIC:
            counts = self.say("material_electronic")
        box.addWidget(label(counts))
        if show_items:
            names = listing((self.ctx.catalog.items[c].name(lang) for c in line.items), lang)
            box.addWidget(label(self.say("material_for", items=names), "muted"))
        box.addWidget(label(self.say("material_obtain", obtain=material.obtain(lang)), "muted"))
        if material.note:
            box.addWidget(label(material.note(lang), "muted"))
        return frame

    def _print(self) -> None:
        printer = self.ctx.services.notice_printer
        notice = self.notice
        if printer is None or notice is None:
            return
        lang = self.lang
        self.ctx.background.run(
            lambda: printer.print_notice(notice, lang),
            self._printed,
            lambda _: self.ctx.nav.notify(self.say("print_failed")),
            label="print notice",
        )

    def _printed(self, outcome: PrintResult) -> None:
        if outcome.accepted:
            self.ctx.nav.notify(self.say("notice_printed"))
        else:  # the printer's own calm reason (out of paper, offline…) when it gave one
            reason = outcome.message
            self.ctx.nav.notify(reason(self.lang) if reason else self.say("print_failed"))

    def _change_items(self) -> None:
        bundle = self.ctx.session.bundle
        if bundle is not None:
            self.ctx.nav.go(Screen.BUNDLE, bundle.code)

    def go_back(self) -> None:
        # Back from a verdict means "let me change my last answer": take it back, and the
        # consultation screen (still under this one) asks that question again.
        undo_answer(self.ctx.session)
        self.ctx.nav.back()

    def reset(self) -> None:
        self.notice = None
        self.content.clear()
