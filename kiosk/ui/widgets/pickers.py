"""Choosing instead of typing: a date picker and a province → city → district picker.

Both lie over the window like the other overlays (a scrim and a dialog), take
big buttons only, and call back with the choice.  A date is four taps (decade,
year, month, day) and never a day that does not exist or lies in the future
when the field forbids it; a region is at most three, and starts at the hall's
own area so most visitors only confirm it.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk import divisions
from kiosk.ui.text import text
from kiosk.ui.widgets.common import GAP, PAD, TouchScrollArea, button, clear_layout, label
from kiosk.ui.widgets.overlays import _Cover

Region = tuple[str, str, str]


def _call(action: Callable[..., None], *args: object) -> Callable[[], None]:
    """A button's action with its arguments bound (a loop's value, not its last one)."""
    return lambda: action(*args)


class _PickerOverlay(_Cover):
    """Scrim + dialog: a title, the step's question, a grid of choices, 上一步 / 取消."""

    columns = 4

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.language = "zh"
        outer = QVBoxLayout(self)
        outer.setContentsMargins(PAD, PAD, PAD, PAD)
        outer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dialog = QFrame()
        self.dialog.setObjectName("Dialog")
        box = QVBoxLayout(self.dialog)
        box.setContentsMargins(PAD * 2, PAD, PAD * 2, PAD)
        box.setSpacing(GAP)
        self.title = label("", "title")
        self.step = label("", "section")
        self.choices = TouchScrollArea()
        self.grid = QGridLayout()
        self.grid.setSpacing(14)
        self.choices.add_layout(self.grid)
        actions = QHBoxLayout()
        actions.setSpacing(GAP * 2)
        self.back = button("", "nav")
        self.back.setObjectName("PickerBack")
        self.back.clicked.connect(self.step_back)
        self.cancel = button("", "nav")
        self.cancel.setObjectName("PickerCancel")
        self.cancel.clicked.connect(self.close_picker)
        actions.addWidget(self.back)
        actions.addStretch(1)
        actions.addWidget(self.cancel)
        box.addWidget(self.title)
        box.addWidget(self.step)
        box.addWidget(self.choices, 1)
        box.addLayout(actions)
        outer.addWidget(self.dialog)
        self.choice_buttons: list[QPushButton] = []

    def open_over(self, title: str, language: str) -> None:
        self.language = language
        self.title.setText(title)
        self.back.setText(text("picker_back", language))
        self.cancel.setText(text("picker_cancel", language))
        self.cover()
        parent = self.parentWidget()
        if parent is not None:
            self.dialog.setFixedWidth(min(1200, parent.width() - 2 * PAD))
            self.dialog.setMaximumHeight(parent.height() - 2 * PAD)
        self.show()

    def show_choices(
        self,
        step: str,
        options: list[tuple[str, Callable[[], None], bool]],
        columns: int | None = None,
    ) -> None:
        """One button per (caption, action, enabled); the list scrolls if it is long."""
        columns = columns or self.columns
        self.step.setText(step)
        clear_layout(self.grid)
        self.choice_buttons = []
        for index, (caption, action, enabled) in enumerate(options):
            choice = button(caption, "choice")
            choice.setEnabled(enabled)
            choice.clicked.connect(action)
            self.grid.addWidget(choice, index // columns, index % columns)
            self.choice_buttons.append(choice)
        for column in range(8):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)
        self.choices.to_top()
        window = self.window()
        fresh = getattr(window, "fresh_content", None)
        if callable(fresh):
            fresh()  # a double tap must not pick on the next step too

    def step_back(self) -> None:
        raise NotImplementedError

    def close_picker(self) -> None:
        clear_layout(self.grid)
        self.choice_buttons = []
        self.hide()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()  # the screen underneath waits until the picker is closed


class DatePicker(_PickerOverlay):
    """Decade → year → month → day; today's date is the latest unless the future is allowed."""

    def __init__(self, parent: QWidget, today: Callable[[], dt.date] = dt.date.today):
        super().__init__(parent)
        self._today = today
        self._chosen: Callable[[dt.date], None] | None = None
        self._year: int | None = None
        self._month: int | None = None
        self._stage = "decade"
        self.future = False

    def pick(
        self,
        title: str,
        current: dt.date | None,
        chosen: Callable[[dt.date], None],
        language: str,
        *,
        future: bool = False,
    ) -> None:
        self._chosen = chosen
        self.future = future
        self.open_over(title, language)
        if current is not None:
            self._year, self._month = current.year, current.month
        self._decades()

    def _last(self) -> dt.date:
        today = self._today()
        return dt.date(today.year + 10, 12, 31) if self.future else today

    def _month_name(self, month: int) -> str:
        return calendar.month_abbr[month] if self.language == "en" else str(month)

    def _decades(self) -> None:
        self._stage = "decade"
        last = self._last().year
        first = last - 100
        decades = range(last // 10 * 10, first - 1, -10)
        self.show_choices(
            text("picker_decade", self.language),
            [
                (
                    text("picker_decade_button", self.language, y=decade),
                    _call(self._years, decade),
                    True,
                )
                for decade in decades
            ],
        )
        self.back.setEnabled(False)

    def _years(self, decade: int) -> None:
        self._stage = "year"
        last = self._last().year
        self.show_choices(
            text("picker_year", self.language),
            [
                (
                    text("picker_year_button", self.language, y=year),
                    _call(self._months, year),
                    year <= last,
                )
                for year in range(decade, decade + 10)
            ],
        )
        self.back.setEnabled(True)

    def _months(self, year: int) -> None:
        self._stage = "month"
        self._year = year
        last = self._last()
        self.show_choices(
            text("picker_month", self.language, y=year),
            [
                (
                    text(
                        "picker_month_button", self.language, m=month, month=self._month_name(month)
                    ),
                    _call(self._days, month),
                    (year, month) <= (last.year, last.month),
                )
                for month in range(1, 13)
            ],
        )
        self.back.setEnabled(True)

    def _days(self, month: int) -> None:
        self._stage = "day"
        self._month = month
        year = self._year or self._last().year
        last = self._last()
        count = calendar.monthrange(year, month)[1]
        self.show_choices(
            text("picker_day", self.language, y=year, m=month, month=self._month_name(month)),
            [
                (
                    str(day),
                    _call(self._pick, day),
                    dt.date(year, month, day) <= last,
                )
                for day in range(1, count + 1)
            ],
            columns=7,  # a week across: days read as on a calendar
        )
        self.back.setEnabled(True)

    def _pick(self, day: int) -> None:
        chosen, self._chosen = self._chosen, None
        date = dt.date(self._year or self._last().year, self._month or 1, day)
        self.close_picker()
        if chosen is not None:
            chosen(date)

    def step_back(self) -> None:
        if self._stage == "day" and self._year is not None:
            self._months(self._year)
        elif self._stage == "month" and self._year is not None:
            self._years(self._year // 10 * 10)
        else:
            self._decades()


class RegionPicker(_PickerOverlay):
    """Province → city → district (GB/T 2260 data, kiosk.forms.divisions)."""

    columns = 5

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self._chosen: Callable[[Region], None] | None = None
        self._province = ""
        self._city = ""
        self._stage = "province"

    def pick(
        self, title: str, current: Region, chosen: Callable[[Region], None], language: str
    ) -> None:
        self._chosen = chosen
        self.open_over(title, language)
        province, city, _ = current
        if province and divisions.province(province) is not None:
            self._province = province
            if city and divisions.counties(province, city):
                self._districts(city)
                return
            self._cities(province)
            return
        self._provinces()

    def _provinces(self) -> None:
        self._stage = "province"
        self.show_choices(
            text("picker_province", self.language),
            [(p.name, _call(self._cities, p.name), True) for p in divisions.provinces()],
        )
        self.back.setEnabled(False)

    def _cities(self, province: str) -> None:
        self._province = province
        if not divisions.cities(province):  # Hong Kong, Macao, Taiwan: typed in full
            self._pick(province, "", "")
            return
        if not divisions.city_needed(province):
            self._districts(divisions.cities(province)[0].name)
            return
        self._stage = "city"
        self.show_choices(
            text("picker_city", self.language, province=province),
            [(c.name, _call(self._districts, c.name), True) for c in divisions.cities(province)],
        )
        self.back.setEnabled(True)
        self.back.setText(text("picker_other_province", self.language))

    def _districts(self, city: str) -> None:
        self._stage = "district"
        self._city = city
        province = self._province
        shown_city = "" if city in divisions.PLACEHOLDER_CITIES else city
        self.show_choices(
            text("picker_district", self.language, province=province, city=shown_city),
            [
                (d.name, _call(self._pick, province, city, d.name), True)
                for d in divisions.counties(province, city)
            ],
        )
        self.back.setEnabled(True)
        self.back.setText(
            text(
                "picker_other_city" if divisions.city_needed(province) else "picker_other_province",
                self.language,
            )
        )

    def _pick(self, province: str, city: str, district: str) -> None:
        chosen, self._chosen = self._chosen, None
        self.close_picker()
        if chosen is not None:
            shown_city = "" if city in divisions.PLACEHOLDER_CITIES else city
            chosen((province, shown_city or province, district))

    def step_back(self) -> None:
        if self._stage == "district" and divisions.city_needed(self._province):
            self._cities(self._province)
        else:
            self._provinces()
