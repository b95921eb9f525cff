"""Verdict and materials (一次性告知): can the visitor apply, why not, and what to bring.

The notice is built from the session when the screen is entered.  Three verdicts:
eligible (the list, then the forms — or, for an item with no form, a ticket),
"later" (why, what to do first and where, and the list to bring when coming back),
refused (why, and where to go instead).  The case's fees, and in a bundle the
materials another chosen item provides, are shown with the list.  "Print this
list" prints in the background; the printer's answer (``PrintResult``) says
whether it took the page, or why not in calm words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout

from kiosk.catalog.model import MaterialFormat
from kiosk.consult import MaterialsNotice, NoticeLine, Verdict
from kiosk.ui.navigation import ApplyPage, BundleRoute, Screen, TicketRoute, VerdictRoute
from kiosk.ui.screens.base import ScreenContext, ScreenPage
from kiosk.ui.screens.consult import undo_answer
from kiosk.ui.text import listing
from kiosk.ui.widgets.common import GAP, TouchScrollArea, button, card, label

if TYPE_CHECKING:
    from kiosk.printing.printers import PrintResult


class VerdictScreen(ScreenPage[VerdictRoute]):
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
        self.apply_button.clicked.connect(self._go_on)

    def enter(self, route: VerdictRoute) -> None:
        self.notice = self.ctx.session.build_notice()
        super().enter(route)
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
        banner.setProperty("tone", "ok" if eligible else "later" if notice.later else "no")
        if eligible:
            key = "verdict_ok_bundle" if bundle else "verdict_ok"
            box.addWidget(label(self.say(key), "title"))
            names = [item.name(lang) for item in session.items]
            box.addWidget(label(listing(names, lang), "section"))
        else:
            box.addWidget(
                label(self.say("verdict_later" if notice.later else "verdict_no"), "title")
            )
            for code, verdict in notice.verdicts.items():
                if not verdict.eligible:
                    self._why_not(box, code, verdict, in_bundle=bundle is not None)
        self.content.add(banner)
        if eligible or notice.later:
            self._materials(notice, show_items=bundle is not None)
            self._fees(notice)
        if eligible and not session.has_form:
            queue = self.ctx.catalog.queue_of(session.items[0]).name(lang)
            self.content.add(label(self.say("no_form_hint", queue=queue), "section"))
        self.print_button.setText(self.say("print_notice"))
        self.print_button.setVisible(eligible or notice.later)
        self.change_button.setText(self.say("change_items"))
        self.change_button.setVisible(not eligible and bundle is not None)
        self.apply_button.setText(self.say("fill_forms" if session.has_form else "take_ticket"))
        self.apply_button.setVisible(eligible)

    def _why_not(self, box: QVBoxLayout, code: str, verdict: Verdict, *, in_bundle: bool) -> None:
        """A refused or "later" item: why, and where to go instead or what to do first."""
        lang = self.lang
        reason = verdict.reason(lang) if verdict.reason else ""
        if in_bundle:
            reason = f"{self.ctx.catalog.items[code].name(lang)}：{reason}"
        box.addWidget(label(reason, "section"))
        if verdict.instead:
            box.addWidget(label(self.say("verdict_instead", instead=verdict.instead(lang))))
        if verdict.first:
            box.addWidget(label(self.say("verdict_first", first=verdict.first(lang))))
        if verdict.where:
            box.addWidget(label(self.say("verdict_where", where=verdict.where(lang))))

    def _materials(self, notice: MaterialsNotice, *, show_items: bool) -> None:
        lang = self.lang
        title = "materials_title" if notice.eligible else "materials_come_back"
        self.content.add(label(self.say(title), "section"))
        for number, line in enumerate(notice.lines, start=1):
            self.content.add(self._material(number, line, show_items=show_items))
        if not notice.lines:
            said = [i.nothing_to_bring(lang) for i in self.ctx.session.items if i.nothing_to_bring]
            self.content.add(label("；".join(said) or self.say("nothing_to_bring")))
        if notice.provided:
            frame, box = card()
            box.addWidget(label(self.say("provided_title"), "section"))
            for provided in notice.provided:
                item = self.ctx.catalog.items[provided.by_item].name(lang)
                material = provided.material.name(lang)
                text = self.say("provided_line", material=material, item=item)
                box.addWidget(label(text, "muted"))
            self.content.add(frame)

    def _fees(self, notice: MaterialsNotice) -> None:
        """The case's charges, for the items whose catalog entry lists them."""
        fees = notice.fees()
        if not fees:
            return
        lang = self.lang
        frame, box = card()
        box.addWidget(label(self.say("fees_title"), "section"))
        for code, lines in fees.items():
            parts = [
                self.say("fee_line", note=f.note(lang), amount=f"{f.amount:.2f}") for f in lines
            ]
            if len(fees) > 1:
                parts.insert(0, self.ctx.catalog.items[code].name(lang))
            box.addWidget(label("；".join(parts)))
        total = sum(v.fee_total for v in notice.verdicts.values())
        if sum(len(lines) for lines in fees.values()) > 1:
            box.addWidget(label(self.say("fee_total", amount=f"{total:.2f}"), "section"))
        self.content.add(frame)

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
        printers = self.ctx.services.printers
        notice = self.notice  # frozen: the printer's worker only reads it
        if notice is None:
            return
        self.ctx.background.run(
            lambda: printers.notice(notice),
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

    def _go_on(self) -> None:
        """Eligible: to the forms; an item with no form goes straight to taking a ticket."""
        if self.ctx.session.has_form:
            self.ctx.nav.go(ApplyPage(0))
        else:
            self.ctx.nav.go(TicketRoute())

    def _change_items(self) -> None:
        bundle = self.ctx.session.bundle
        if bundle is not None:
            self.ctx.nav.go(BundleRoute(bundle.code))

    def go_back(self) -> None:
        # Back from a verdict means "let me change my last answer": take it back, and the
        # consultation screen (still under this one) asks that question again.
        undo_answer(self.ctx.session)
        self.ctx.nav.back()

    def reset(self) -> None:
        self.notice = None
        self.content.clear()
