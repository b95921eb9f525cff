"""Consultation: one question per screen, big Yes / No (or the choices), Back undoes an answer.

The progress line says 第 N 题，共 M 题: M counts the questions still possible on the
visitor's answers so far (a branch not taken drops out), each shared question once.

Reads and answers ``session.consultation`` — one item's :class:`Consultation`
or a bundle's :class:`BundleConsultation`, which carries shared answers over.
When nothing is left to ask, the verdict screen takes this screen's place.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QPushButton

from kiosk.catalog.model import Item, Question, QuestionKind
from kiosk.consult import Answer, BundleConsultation, Consultation
from kiosk.session import VisitorSession
from kiosk.ui.navigation import ConsultRoute, Screen, VerdictRoute
from kiosk.ui.screens.base import ScreenContext, ScreenPage
from kiosk.ui.widgets.common import GAP, PAD, WrapButton, card, clear_layout, label


def asked_answers(consultation: Consultation | BundleConsultation | None) -> list[Answer]:
    """The answers the visitor gave, in order — without those carried over between members."""
    if isinstance(consultation, Consultation):
        return [consultation.answers[q] for q in consultation.history]
    if not isinstance(consultation, BundleConsultation):
        return []
    asked: list[Answer] = []
    earlier: set[str] = set()
    for member in consultation.members:
        asked += [member.answers[q] for q in member.history if q not in earlier]
        earlier |= set(member.answers)
    return asked


def undo_answer(session: VisitorSession) -> bool:
    """Take back the visitor's last answer; False when there is none.

    A bundle is replayed from the start without its last *asked* answer:
    ``BundleConsultation.back()`` pops the last answer, which may be one carried
    over from an earlier member — and the next ``current()`` carries it over
    again, so the visitor would be stuck on the same question.
    """
    consultation = session.consultation
    if isinstance(consultation, Consultation):
        return consultation.back() is not None
    if not isinstance(consultation, BundleConsultation):
        return False
    asked = asked_answers(consultation)
    if not asked:
        return False
    chosen = [member.item.code for member in consultation.members]
    replay = BundleConsultation.start(session.catalog, consultation.bundle, chosen)
    for value in asked[:-1]:
        replay.answer(value)
    session.consultation = replay
    return True


class ConsultScreen(ScreenPage[ConsultRoute]):
    route = Screen.CONSULT
    scrolls = True
    title_key = "consult_title"

    def __init__(self, ctx: ScreenContext):
        super().__init__(ctx)
        self.question: Question | None = None
        self.item: Item | None = None
        self.answer_values: dict[QPushButton, Answer] = {}  # the buttons of the open question
        frame, box = card()
        box.setContentsMargins(PAD * 3, PAD * 2, PAD * 3, PAD * 2)
        box.setSpacing(GAP)
        self.progress = label("", "muted")
        self.about = label("", "section")
        self.text = label("", "question")
        self.help = label("", "muted")
        for widget in (self.text, self.help):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box.addWidget(self.progress)
        box.addWidget(self.about)
        box.addStretch(1)
        box.addWidget(self.text)
        box.addWidget(self.help)
        box.addSpacing(GAP * 2)
        # The answers right under the question, the two together in the middle of the card:
        # never down where the previous screen's 开始办理 was (a portrait screen's card is tall).
        self.answers = QGridLayout()
        self.answers.setSpacing(GAP + 8)
        box.addLayout(self.answers)
        box.addStretch(1)
        self.body.addWidget(frame, 1)

    def enter(self, route: ConsultRoute) -> None:
        super().enter(route)
        if self.question is None:  # nothing to ask: straight to the verdict
            self.ctx.nav.replace(VerdictRoute())

    def current(self) -> tuple[Item, Question] | None:
        consultation = self.ctx.session.consultation
        if isinstance(consultation, BundleConsultation):
            found = consultation.current()
            return (found[0].item, found[1]) if found else None
        if isinstance(consultation, Consultation):
            question = consultation.next_question()
            return (consultation.item, question) if question else None
        return None

    def retranslate(self) -> None:
        super().retranslate()
        found = self.current()
        self.item, self.question = found if found else (None, None)
        clear_layout(self.answers)
        self.answer_values = {}
        if self.question is None or self.item is None:
            for widget in (self.progress, self.about, self.text, self.help):
                widget.setText("")
            return
        lang = self.lang
        question = self.question
        consultation = self.ctx.session.consultation
        assert consultation is not None  # current() found a question in it
        n, m = consultation.progress()  # the total counts only questions still possible
        self.progress.setText(self.say("consult_progress_of", n=n, m=m))
        bundle = isinstance(self.ctx.session.consultation, BundleConsultation)
        self.about.setText(self.say("consult_about", item=self.item.name(lang)) if bundle else "")
        self.about.setVisible(bundle)
        self.text.setText(question.text(lang))
        self.help.setText(question.help(lang) if question.help else "")
        self.help.setVisible(question.help is not None)
        choices: list[tuple[Answer, str]]
        if question.kind is QuestionKind.YESNO:
            choices = [(True, self.say("yes")), (False, self.say("no"))]
            columns = 2
        else:
            choices = [(o.value, o.label(lang)) for o in question.options]
            # Short answers two across; long ones (有限责任公司（含一人有限公司）) one per row.
            longest = max(len(caption) for _, caption in choices)
            columns = 2 if len(choices) <= 4 and longest <= 8 else 1
        for index, (value, caption) in enumerate(choices):
            answer = WrapButton(caption, "answer")
            answer.setObjectName(f"answer-{index}")
            self.answer_values[answer] = value
            answer.clicked.connect(lambda _=False, v=value: self.answer(v))
            self.answers.addWidget(answer, index // columns, index % columns)

    def answer(self, value: Answer) -> None:
        consultation = self.ctx.session.consultation
        if self.question is None or consultation is None:
            return
        if isinstance(consultation, BundleConsultation):
            consultation.answer(value)
        else:
            consultation.answer(self.question.id, value)
        self.retranslate()
        if self.question is None:
            self.ctx.nav.go(VerdictRoute())

    def go_back(self) -> None:
        if undo_answer(self.ctx.session):
            self.retranslate()
        else:
            self.ctx.nav.back()

    def reset(self) -> None:
        self.question = None
        self.item = None
        clear_layout(self.answers)
        self.answer_values = {}
        for widget in (self.progress, self.about, self.text, self.help):
            widget.setText("")
