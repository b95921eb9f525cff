"""What a resident ID number tells, and days relative to today.

An 18-character 居民身份证号码 (GB 11643) holds the birth date (characters 7–14)
and the sex (the 17th: odd for men, even for women).  The catalog uses these as
*derived values* of an ID-number field: in rules (``{field: applicant_id, derived:
age, gte: 60}``) and to pre-fill a form's birth date, sex or age
(``fill: {field: applicant_id, derived: birth_date}``).  The forms validate an ID
number before it is stored, so here a malformed one simply tells nothing (None).

Examples and rules may also name a day relative to today: ``today``, ``today+30d``,
``today-2w``, ``today+6m``, ``today-1y`` — so a due date in the catalog never goes
stale.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from enum import StrEnum
from typing import Any


class DerivedPart(StrEnum):
    """What a catalog may take from an ID-number field."""

    BIRTH_DATE = "birth_date"  # ISO date text, as a date field holds it
    SEX = "sex"  # "male" / "female", as the options of a sex field are named
    AGE = "age"  # whole years on the day of the visit


SEX_VALUES = ("male", "female")
_ID = re.compile(r"[0-9]{17}[0-9X]")


def birth_date(id_number: str) -> dt.date | None:
    if not isinstance(id_number, str) or not _ID.fullmatch(id_number):
        return None
    try:
        return dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None


def age_on(born: dt.date, day: dt.date) -> int:
    """Whole years: a person born on 29 February turns a year older on 1 March."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def derive(part: DerivedPart | str, id_number: Any, today: dt.date | None = None) -> Any:
    """The part of a (valid) ID number, or None when it tells nothing."""
    born = birth_date(id_number)
    if born is None:
        return None
    part = DerivedPart(part)
    if part is DerivedPart.BIRTH_DATE:
        return born.isoformat()
    if part is DerivedPart.SEX:
        return SEX_VALUES[0] if int(id_number[16]) % 2 else SEX_VALUES[1]
    day = today or dt.date.today()
    return age_on(born, day) if born <= day else None


_RELATIVE = re.compile(r"today(?:([+-])(\d{1,4})([dwmy]))?")


def is_relative_day(text: Any) -> bool:
    return isinstance(text, str) and _RELATIVE.fullmatch(text.strip()) is not None


def relative_day(text: str, today: dt.date | None = None) -> dt.date | None:
    """``today+30d`` → the date 30 days from today; None when ``text`` is no such thing.

    Months and years keep the day of the month where it exists (31 January + 1 month
    is the last day of February).
    """
    match = _RELATIVE.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        return None
    day = today or dt.date.today()
    sign, amount, unit = match.groups()
    if sign is None:
        return day
    n = int(amount) * (1 if sign == "+" else -1)
    if unit in "dw":
        return day + dt.timedelta(days=n * (7 if unit == "w" else 1))
    months = day.year * 12 + day.month - 1 + n * (12 if unit == "y" else 1)
    year, month = divmod(months, 12)
    if not 1 <= year <= 9999:
        return None
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
