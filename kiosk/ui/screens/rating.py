"""好差评: five levels, and for the two lowest at least one reason, for one visit.

The rating belongs to the submission or ticket just made (a
:class:`~kiosk.ui.navigation.RatingTarget` from the done screen) or, from the
home screen, to an application code the visitor types on the code keyboard.
Reasons are the service's fixed list (kiosk.services.BAD_RATING_REASONS),
stored in Chinese whatever language the screen is in; the service checks the
rule again and answers with a calm message when something is missing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.services import BAD_RATING_REASONS
from kiosk.statuses import Satisfaction
from kiosk.ui.input.kinds import GroupedLineEdit, InputKind, mark, set_caption
from kiosk.ui.navigation import RatingTarget, Screen
from kiosk.ui.screens.base import ScreenContext, ScreenPage
from kiosk.ui.services import calm_message
from kiosk.ui.widgets.common import GAP, PAD, Columns, button, card, label

if TYPE_CHECKING:
    from kiosk.services import SavedRating


class RatingScreen(ScreenPage[RatingTarget]):
    route = Screen.RATING
    scrolls = True
    title_key = "rating_title"

    def __init__(self, ctx: ScreenContext):
        super().__init__(ctx)
        self.target = RatingTarget()
        self.form = QWidget()
        columns = Columns()
        self.form.setLayout(columns)
        columns.setContentsMargins(0, 0, 0, 0)
        left = QVBoxLayout()
        left.setSpacing(GAP)
        self.about = label("", "section")
        left.addWidget(self.about)
        levels = QHBoxLayout()
        levels.setSpacing(14)
        self.level_group = QButtonGroup(self)
        self.levels: dict[Satisfaction, QPushButton] = {}
        for level in Satisfaction:
            choice = button("", "level")
            choice.setCheckable(True)
            choice.clicked.connect(self._refresh)
            self.level_group.addButton(choice)
            levels.addWidget(choice)
            self.levels[level] = choice
        left.addLayout(levels)
        self.reasons_caption = label("", "section")
        left.addWidget(self.reasons_caption)
        reasons = QGridLayout()
        reasons.setSpacing(14)
        self.reasons: list[QPushButton] = []
        for index, _reason in enumerate(BAD_RATING_REASONS):
            choice = button("", "choice")
            choice.setCheckable(True)
            choice.clicked.connect(self._refresh)
            reasons.addWidget(choice, index // 2, index % 2)
            self.reasons.append(choice)
        left.addLayout(reasons)
        self.problem = label("", "error")
        left.addWidget(self.problem)
        left.addStretch(1)
        columns.addLayout(left, 1)
        self.code_panel = QWidget()
        code_box = QVBoxLayout(self.code_panel)
        code_box.setContentsMargins(0, 0, 0, 0)
        code_box.setSpacing(12)
        self.code_caption = label("", "field")
        self.code_edit = GroupedLineEdit((5, 5), separator="-")
        self.code_edit.setProperty("role", "code")
        self.code_edit.setMaxLength(11)
        mark(self.code_edit, InputKind.CODE)  # the kiosk's code pad, never the keyboard
        self.code_edit.textChanged.connect(self._refresh)
        code_box.addWidget(self.code_caption)
        code_box.addWidget(self.code_edit)
        code_box.addStretch(1)
        self.code_panel.setMinimumWidth(420)
        columns.addWidget(self.code_panel)
        self.body.addWidget(self.form, 1)
        self.thanks, thanks_box = card("banner")
        self.thanks.setProperty("tone", "ok")
        thanks_box.setContentsMargins(PAD * 3, PAD * 3, PAD * 3, PAD * 3)
        self.thanks_title = label("", "title")
        self.thanks_hint = label("", "section")
        thanks_box.addStretch(1)
        for widget in (self.thanks_title, self.thanks_hint):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            thanks_box.addWidget(widget)
        thanks_box.addStretch(1)
        self.body.addWidget(self.thanks, 1)
        self.thanks.hide()
        self.send_button = self.add_action(button("", "primary"))
        self.send_button.clicked.connect(self.send)
        self.finish_button = self.add_action(button("", "primary"))
        self.finish_button.clicked.connect(ctx.nav.end_visit)
        self.finish_button.hide()

    def enter(self, route: RatingTarget) -> None:
        self.reset()  # a fresh rating each time; the target comes from the done screen or none
        self.target = route
        super().enter(route)
        if self.typed_code_needed():
            self.code_edit.setFocus()

    def typed_code_needed(self) -> bool:
        return self.target.submission_id is None and self.target.ticket_id is None

    def chosen_level(self) -> Satisfaction | None:
        return next((lv for lv, choice in self.levels.items() if choice.isChecked()), None)

    def chosen_reasons(self) -> list[str]:
        return [
            r.zh
            for r, choice in zip(BAD_RATING_REASONS, self.reasons, strict=True)
            if choice.isChecked()
        ]

    def retranslate(self) -> None:
        super().retranslate()
        lang = self.lang
        self.subtitle.setText(self.say("rating_hint"))
        self.subtitle.show()
        label_text = self.target.label
        self.about.setText(self.say("rating_of", label=label_text) if label_text else "")
        self.about.setVisible(bool(label_text))
        for level, choice in self.levels.items():
            choice.setText(self.say(f"level_{level.value}"))
        self.reasons_caption.setText(self.say("rating_reasons"))
        for reason, choice in zip(BAD_RATING_REASONS, self.reasons, strict=True):
            choice.setText(reason(lang))
        self.code_panel.setVisible(self.typed_code_needed())
        self.code_caption.setText(self.say("rating_code"))
        self.code_edit.setPlaceholderText(self.say("status_placeholder"))
        self.code_edit.setAccessibleName(self.say("rating_code"))
        set_caption(self.code_edit, self.say("rating_code"))
        self.send_button.setText(self.say("rating_send"))
        self.finish_button.setText(self.say("finish"))
        self.thanks_title.setText(self.say("rating_thanks"))
        self.thanks_hint.setText(self.say("rating_thanks_hint"))
        self._refresh()

    def missing(self) -> str | None:
        """What the visitor still has to do before the rating can be sent (a text key)."""
        level = self.chosen_level()
        if level is None:
            return "rating_choose"
        if level.needs_reasons and not self.chosen_reasons():
            return "rating_need_reason"
        if self.typed_code_needed() and not self.code_edit.value():
            return "rating_need_code"
        return None

    def _refresh(self) -> None:
        level = self.chosen_level()
        bad = level is not None and level.needs_reasons
        self.reasons_caption.setVisible(bad)
        for choice in self.reasons:
            choice.setVisible(bad)
        missing = self.missing()
        self.send_button.setEnabled(missing is None)
        # The one thing still needed, in words (shown once a level was picked: before that
        # the five big buttons say it themselves).
        self.problem.setText(self.say(missing) if missing and level is not None else "")
        self.problem.setVisible(bool(self.problem.text()))

    def send(self) -> None:
        ratings = self.ctx.services.ratings
        level = self.chosen_level()
        if level is None or self.missing() is not None:
            return
        reasons = self.chosen_reasons() if level.needs_reasons else []
        target = self.target
        code = self.code_edit.value() if self.typed_code_needed() else None
        self.send_button.setEnabled(False)
        self.ctx.background.run(
            lambda: ratings.rate(
                level,
                reasons,
                submission_id=target.submission_id,
                ticket_id=target.ticket_id,
                code=code,
            ),
            self._saved,
            self._failed,
            label="rate",
        )

    def _saved(self, _: SavedRating) -> None:
        self._show_form(False)

    def _failed(self, error: Exception) -> None:
        self._refresh()
        message = calm_message(error)
        self.problem.setText(message(self.lang) if message else self.say("rating_failed"))
        self.problem.show()

    def _show_form(self, form: bool) -> None:
        self.form.setVisible(form)
        self.send_button.setVisible(form)
        self.thanks.setVisible(not form)
        self.finish_button.setVisible(not form)
        self.back_button.setVisible(form)
        self.home_button.setVisible(form)  # "finish" goes home, and forgets the visit

    def reset(self) -> None:
        self.target = RatingTarget()
        self.level_group.setExclusive(False)  # an exclusive group cannot be emptied
        for choice in [*self.levels.values(), *self.reasons]:
            choice.setChecked(False)
        self.level_group.setExclusive(True)
        self.code_edit.setText("")
        self.about.setText("")
        self.problem.setText("")
        self._show_form(True)
