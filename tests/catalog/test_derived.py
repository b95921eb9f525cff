"""What an ID number tells (birth date, sex, age), days relative to today, and rules over both."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kiosk.catalog.derived import DerivedPart, age_on, birth_date, derive, relative_day
from kiosk.catalog.rules import Compare, RuleError, parse, references
from tests.catalog.samples import ID_1985, ID_CHILD, ID_X

TODAY = dt.date(2026, 11, 5)


def test_birth_date_and_sex_from_the_number() -> None:
    assert derive("birth_date", ID_1985) == "1985-03-15"
    assert derive(DerivedPart.SEX, ID_1985) == "male"  # 17th character 3: odd
    assert derive("sex", ID_X) == "female"  # 11010519491231002X: 17th character 2
    assert derive("birth_date", ID_CHILD) == "2024-01-01"


def test_age_in_whole_years_on_the_day() -> None:
    assert derive("age", ID_1985, TODAY) == 41
    assert derive("age", ID_1985, dt.date(2026, 3, 14)) == 40  # the day before the birthday
    assert derive("age", ID_1985, dt.date(2026, 3, 15)) == 41
    assert age_on(dt.date(2000, 2, 29), dt.date(2001, 2, 28)) == 0
    assert age_on(dt.date(2000, 2, 29), dt.date(2001, 3, 1)) == 1
    assert derive("age", ID_CHILD, dt.date(2023, 12, 31)) is None  # not born yet: nothing


@pytest.mark.parametrize("raw", [None, "", "12345", "32050619851301123X", 320506198503151238])
def test_a_number_that_tells_nothing(raw: Any) -> None:
    assert birth_date(raw) is None
    for part in DerivedPart:
        assert derive(part, raw) is None


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("today", TODAY),
        ("today+30d", dt.date(2026, 12, 5)),
        ("today-2w", dt.date(2026, 10, 22)),
        ("today+3m", dt.date(2027, 2, 5)),
        ("today-1y", dt.date(2025, 11, 5)),
        (" today+0d ", TODAY),
    ],
)
def test_relative_days(text: str, day: dt.date) -> None:
    assert relative_day(text, TODAY) == day


def test_months_keep_the_day_where_it_exists() -> None:
    assert relative_day("today+1m", dt.date(2027, 1, 31)) == dt.date(2027, 2, 28)
    assert relative_day("today+1y", dt.date(2028, 2, 29)) == dt.date(2029, 2, 28)


@pytest.mark.parametrize("text", ["tomorrow", "today+", "today+3x", "today 3d", "today+99999d", 3])
def test_not_a_relative_day(text: Any) -> None:
    assert relative_day(text, TODAY) is None


def lookup(values: dict[str, Any]):  # type: ignore[no-untyped-def]
    return lambda kind, ref: (ref in values, values.get(ref))


def test_a_rule_on_the_age_from_an_id_number() -> None:
    condition = parse({"field": "applicant_id", "derived": "age", "gte": 60})
    assert condition == Compare("field", "applicant_id", "gte", 60, DerivedPart.AGE)
    assert condition.evaluate(lookup({"applicant_id": ID_X})) is True  # born 1949
    assert condition.evaluate(lookup({"applicant_id": ID_1985})) is False
    assert condition.evaluate(lookup({})) is None  # not typed yet: unknown
    assert condition.evaluate(lookup({"applicant_id": "not a number"})) is None
    assert [r.derived for r in references(condition)] == [DerivedPart.AGE]


def test_rules_on_sex_and_birth_date() -> None:
    woman = parse({"field": "who", "derived": "sex", "equals": "female"})
    assert woman.evaluate(lookup({"who": ID_X})) is True
    assert woman.evaluate(lookup({"who": ID_1985})) is False
    born_before = parse({"field": "who", "derived": "birth_date", "lt": "1960-01-01"})
    assert born_before.evaluate(lookup({"who": ID_X})) is True
    answered = parse({"field": "who", "derived": "age", "answered": True})
    assert answered.evaluate(lookup({"who": "bad"})) is False


def test_a_rule_on_a_day_relative_to_today() -> None:
    due = parse({"field": "due", "gte": "today+30d"})
    later = (dt.date.today() + dt.timedelta(days=31)).isoformat()
    sooner = (dt.date.today() + dt.timedelta(days=29)).isoformat()
    assert due.evaluate(lookup({"due": later})) is True
    assert due.evaluate(lookup({"due": sooner})) is False
    assert parse({"field": "due", "equals": "today+30d"}).operand == "today+30d"  # just text


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"question": "q", "derived": "age", "gte": 1}, "use it with 'field'"),
        ({"field": "f", "derived": "height", "gte": 1}, "'derived' is one of birth_date, sex, age"),
        ({"field": "f", "gte": "today+9999y"}, "too far from today"),
        ({"field": "f", "derived": "age"}, "a condition is one of"),
    ],
)
def test_malformed_derived_rules(raw: Any, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        parse(raw)
