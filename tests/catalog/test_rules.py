"""The catalog's rule language: parsing every shape, refusing malformed ones, evaluating."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kiosk.catalog import rules
from kiosk.catalog.rules import (
    TODAY,
    All,
    Any_,
    Compare,
    Not,
    Ref,
    RuleError,
    holds,
    parse,
    references,
)


def lookup_from(values: dict[str, Any]) -> rules.Lookup:
    """A lookup over answered values; anything missing is not answered."""

    def lookup(kind: str, ref: str) -> tuple[bool, Any]:
        return (ref in values, values.get(ref))

    return lookup


def evaluate(raw: Any, **values: Any) -> bool | None:
    return parse(raw).evaluate(lookup_from(values))


# ── parsing: every shape ───────────────────────────────────────────────────


def test_parse_comparison_on_a_question() -> None:
    assert parse({"question": "agent", "equals": True}) == Compare(
        "question", "agent", "equals", True
    )


def test_parse_comparison_on_a_field() -> None:
    assert parse({"field": "age", "gte": 18}) == Compare("field", "age", "gte", 18)


def test_parse_in_turns_the_list_into_a_tuple() -> None:
    condition = parse({"question": "form", "in": ["a", "b"]})
    assert condition == Compare("question", "form", "in", ("a", "b"))
    hash(condition)  # frozen all the way down


@pytest.mark.parametrize(
    "op, operand",
    [
        ("answered", True),
        ("answered", False),
        ("gte", 1),
        ("lte", "2024-01-31"),
        ("gt", 0.5),
        ("lt", "100"),
        ("min_length", 0),
        ("max_length", 12),
        ("matches", r"\d{6}"),
        ("equals", "text"),
        ("equals", None),
    ],
)
def test_parse_every_comparator(op: str, operand: Any) -> None:
    assert parse({"field": "f", op: operand}) == Compare("field", "f", op, operand)


def test_parse_combinators_nest() -> None:
    condition = parse(
        {
            "all": [
                {"question": "a", "equals": True},
                {
                    "any": [
                        {"question": "b", "equals": "x"},
                        {"not": {"question": "c", "answered": True}},
                    ]
                },
            ]
        }
    )
    assert condition == All(
        (
            Compare("question", "a", "equals", True),
            Any_(
                (
                    Compare("question", "b", "equals", "x"),
                    Not(Compare("question", "c", "answered", True)),
                )
            ),
        )
    )


def test_parse_accepts_an_already_parsed_condition() -> None:
    condition = Compare("field", "f", "equals", 1)
    assert parse(condition) is condition


def test_references_lists_every_comparison() -> None:
    condition = parse(
        {
            "all": [
                {"question": "a", "equals": True},
                {"not": {"question": "b", "equals": True}},
                {"any": [{"field": "c", "gt": 1}, {"question": "d", "answered": False}]},
            ]
        }
    )
    assert [(c.kind, c.ref) for c in references(condition)] == [
        ("question", "a"),
        ("question", "b"),
        ("field", "c"),
        ("question", "d"),
    ]


# ── parsing: every malformed shape is a RuleError that says what is wrong ────


@pytest.mark.parametrize(
    "raw, message",
    [
        ("agent", "a condition must be a mapping, not str"),
        (["a"], "a condition must be a mapping, not list"),
        (None, "a condition must be a mapping, not NoneType"),
        (3, "a condition must be a mapping, not int"),
        ({"all": []}, "'all' needs a non-empty list of conditions"),
        ({"any": []}, "'any' needs a non-empty list of conditions"),
        ({"all": {"question": "a", "equals": True}}, "'all' needs a non-empty list"),
        ({"any": "a"}, "'any' needs a non-empty list"),
        ({"not": "a"}, "a condition must be a mapping, not str"),
        ({"all": ["a"]}, "a condition must be a mapping, not str"),
        ({"question": "a", "equal": True}, "unknown key(s) in condition: equal"),
        ({"question": "a", "equals": True, "colour": 1}, "unknown key(s) in condition: colour"),
        ({"all": [{"question": "a", "equals": 1}], "any": []}, "unknown key(s)"),
        ({"question": "a"}, "a condition is one of {all: [...]}"),
        ({"equals": True}, "a condition is one of"),
        ({"question": "a", "field": "b", "equals": 1}, "a condition is one of"),
        ({"question": "a", "equals": 1, "in": [1]}, "a condition is one of"),
        ({}, "a condition is one of"),
        ({"question": "", "equals": True}, "'question' must name a question"),
        ({"question": 3, "equals": True}, "'question' must name a question"),
        ({"field": None, "equals": True}, "'field' must name a field"),
        ({"question": "a", "in": []}, "'in' needs a non-empty list of values"),
        ({"question": "a", "in": "abc"}, "'in' needs a non-empty list of values"),
        ({"question": "a", "answered": "yes"}, "'answered' takes true or false"),
        ({"question": "a", "answered": 1}, "'answered' takes true or false"),
        ({"field": "a", "min_length": -1}, "'min_length' takes a whole number ≥ 0"),
        ({"field": "a", "max_length": 2.5}, "'max_length' takes a whole number ≥ 0"),
        ({"field": "a", "max_length": True}, "'max_length' takes a whole number ≥ 0"),
        ({"field": "a", "gte": "soon"}, "'gte' takes a number or a date YYYY-MM-DD"),
        ({"field": "a", "lt": [1]}, "'lt' takes a number or a date"),
        ({"field": "a", "gt": True}, "'gt' takes a number or a date"),
        ({"field": "a", "lte": None}, "'lte' takes a number or a date"),
        ({"field": "a", "matches": 5}, "'matches' takes a regular expression as text"),
        ({"field": "a", "matches": "(unclosed"}, "'matches' pattern does not compile"),
        ({"field": "a", "equals": [1, 2]}, "'equals' takes a single value; use 'in' for a list"),
        (
            {"field": "a", "equals": {"x": 1}},
            "a compared value is a constant, 'today', or {field|question: NAME}",
        ),
        ({"field": "a", "gte": {"field": 3}}, "a compared value is a constant, 'today'"),
        ({"field": "a", "gte": {"field": "b", "question": "c"}}, "a compared value is a constant"),
        ({"field": "a", "in": {"field": "b"}}, "'in' needs a non-empty list of values"),
        ({"field": "a", "min_length": "today"}, "'min_length' takes a whole number ≥ 0"),
    ],
)
def test_malformed_conditions_are_refused_with_a_clear_message(raw: Any, message: str) -> None:
    with pytest.raises(RuleError) as caught:
        parse(raw)
    assert message in str(caught.value)


def test_a_malformed_condition_deep_inside_is_found() -> None:
    with pytest.raises(RuleError, match="'in' needs a non-empty list"):
        parse({"all": [{"question": "a", "equals": True}, {"not": {"question": "b", "in": []}}]})


@pytest.mark.parametrize("operand", [".nan", "NaN", "nan", "sNaN", float("nan")])
def test_not_a_number_is_not_a_number(operand: Any) -> None:
    """NaN compares with nothing; accepting it would make every comparison blow up later."""
    with pytest.raises(RuleError, match="takes a number or a date"):
        parse({"field": "a", "gt": operand})


# ── three-valued evaluation ────────────────────────────────────────────────

YES = {"question": "a", "equals": True}


def test_a_comparison_on_an_unanswered_question_is_unknown() -> None:
    assert evaluate(YES) is None
    assert evaluate(YES, a=True) is True
    assert evaluate(YES, a=False) is False


def test_not_of_unknown_stays_unknown() -> None:
    assert evaluate({"not": YES}) is None
    assert evaluate({"not": YES}, a=True) is False
    assert evaluate({"not": YES}, a=False) is True


@pytest.mark.parametrize(
    "a, b, expected",
    [
        (True, True, True),
        (True, False, False),
        (False, None, False),  # one false is enough, whatever the other is
        (None, False, False),
        (True, None, None),
        (None, None, None),
    ],
)
def test_all_is_kleene_and(a: bool | None, b: bool | None, expected: bool | None) -> None:
    values = {k: v for k, v in (("a", a), ("b", b)) if v is not None}
    raw = {"all": [YES, {"question": "b", "equals": True}]}
    assert evaluate(raw, **values) is expected


@pytest.mark.parametrize(
    "a, b, expected",
    [
        (False, False, False),
        (True, False, True),
        (True, None, True),  # one true is enough
        (None, True, True),
        (False, None, None),
        (None, None, None),
    ],
)
def test_any_is_kleene_or(a: bool | None, b: bool | None, expected: bool | None) -> None:
    values = {k: v for k, v in (("a", a), ("b", b)) if v is not None}
    raw = {"any": [YES, {"question": "b", "equals": True}]}
    assert evaluate(raw, **values) is expected


def test_answered_is_never_unknown() -> None:
    assert evaluate({"question": "a", "answered": True}) is False
    assert evaluate({"question": "a", "answered": False}) is True
    assert evaluate({"question": "a", "answered": True}, a=False) is True
    assert evaluate({"question": "a", "answered": False}, a="x") is False


def test_holds_counts_unknown_as_not_holding() -> None:
    condition = parse(YES)
    assert holds(condition, lookup_from({})) is False
    assert holds(condition, lookup_from({"a": True})) is True
    assert holds(None, lookup_from({})) is True  # no condition: always


def test_the_lookup_is_asked_with_kind_and_reference() -> None:
    asked: list[tuple[str, str]] = []

    def lookup(kind: str, ref: str) -> tuple[bool, Any]:
        asked.append((kind, ref))
        return (True, 1)

    parse({"all": [{"field": "x", "equals": 1}, {"question": "y", "equals": 1}]}).evaluate(lookup)
    assert asked == [("field", "x"), ("question", "y")]


# ── the comparators ────────────────────────────────────────────────────────


def test_equals() -> None:
    assert evaluate({"field": "f", "equals": "a"}, f="a") is True
    assert evaluate({"field": "f", "equals": "a"}, f="b") is False
    assert evaluate({"field": "f", "equals": 3}, f=3) is True


def test_in_with_a_single_value() -> None:
    raw = {"question": "form", "in": ["person", "family"]}
    assert evaluate(raw, form="family") is True
    assert evaluate(raw, form="chain") is False


def test_in_with_multiple_choice_holds_when_any_chosen_option_is_listed() -> None:
    raw = {"field": "goods", "in": ["drinks", "alcohol"]}
    assert evaluate(raw, goods=["noodles", "drinks"]) is True
    assert evaluate(raw, goods=("alcohol",)) is True
    assert evaluate(raw, goods=["noodles", "snacks"]) is False
    assert evaluate(raw, goods=[]) is False


@pytest.mark.parametrize(
    "op, operand, value, expected",
    [
        ("gte", 18, 18, True),
        ("gte", 18, 17, False),
        ("gt", 18, 18, False),
        ("gt", 18, 19, True),
        ("lte", 10, 10, True),
        ("lt", 10, 10, False),
        ("lt", 10, 9, True),
        ("gt", 0, "0.01", True),  # money arrives as text with two decimals
        ("gt", 0, "0.00", False),
        ("gte", "1000.50", "1000.5", True),
        ("lte", 100, 100.0, True),
        ("gt", 2, "10", True),  # numerically, not as text ("10" < "2")
        ("gte", "2024-01-01", "2024-01-01", True),
        ("gte", "2024-01-01", "2023-12-31", False),
        ("lt", "2024-03-01", "2024-02-29", True),
        ("gt", "2024-01-01", "2025-01-01", True),
    ],
)
def test_numeric_and_date_comparisons(op: str, operand: Any, value: Any, expected: bool) -> None:
    assert evaluate({"field": "f", op: operand}, f=value) is expected


@pytest.mark.parametrize(
    "operand, value",
    [
        (18, "eighteen"),  # not a number
        (18, True),  # yes/no is not a number
        ("2024-01-01", 20240101),  # a date does not compare with a number
        (5, "2024-01-01"),
        (5, None),
        (5, ["5"]),
        (5, "nan"),
        (5, "NaN"),
        (5, float("nan")),
    ],
)
def test_comparing_things_that_do_not_compare_is_false_not_an_error(
    operand: Any, value: Any
) -> None:
    for op in ("gte", "lte", "gt", "lt"):
        assert evaluate({"field": "f", op: operand}, f=value) is False


def test_min_and_max_length() -> None:
    assert evaluate({"field": "f", "min_length": 4}, f="四个汉字") is True
    assert evaluate({"field": "f", "min_length": 4}, f="三个字") is False
    assert evaluate({"field": "f", "max_length": 2}, f=["a", "b"]) is True
    assert evaluate({"field": "f", "max_length": 2}, f=["a", "b", "c"]) is False
    assert evaluate({"field": "f", "max_length": 3}, f=1234) is False  # counted as digits
    assert evaluate({"field": "f", "min_length": 0}) is None  # not entered: unknown


def test_matches_is_anchored() -> None:
    raw = {"field": "postcode", "matches": r"\d{6}"}
    assert evaluate(raw, postcode="215000") is True
    assert evaluate(raw, postcode="2150001") is False
    assert evaluate(raw, postcode="x215000") is False
    assert evaluate(raw, postcode=215000) is False  # only text matches a pattern


def test_conditions_are_frozen() -> None:
    condition = parse(YES)
    with pytest.raises(AttributeError):
        condition.ref = "b"  # type: ignore[misc]


# ── comparing with another answer or with today ───────────────────────────


def test_a_compared_value_may_name_another_field() -> None:
    condition = parse({"field": "end", "gte": {"field": "start"}})
    assert condition == Compare("field", "end", "gte", Ref("field", "start"))
    assert evaluate(condition, end="2025-03-08", start="2025-03-01") is True
    assert evaluate(condition, end="2025-02-08", start="2025-03-01") is False
    assert evaluate(condition, end="2025-03-08") is None  # the other is not entered yet


def test_equals_another_question() -> None:
    raw = {"question": "a", "equals": {"question": "b"}}
    assert evaluate(raw, a="x", b="x") is True
    assert evaluate(raw, a="x", b="y") is False
    assert evaluate(raw, a="x") is None


def test_references_include_the_compared_name() -> None:
    condition = parse({"field": "end", "gt": {"field": "start"}})
    assert [(c.kind, c.ref) for c in references(condition)] == [
        ("field", "end"),
        ("field", "start"),
    ]


def test_today() -> None:
    today = dt.date.today()
    condition = parse({"field": "day", "lte": "today"})
    assert condition == Compare("field", "day", "lte", TODAY)
    assert evaluate(condition, day=today.isoformat()) is True
    assert evaluate(condition, day=(today - dt.timedelta(days=1)).isoformat()) is True
    assert evaluate(condition, day=(today + dt.timedelta(days=1)).isoformat()) is False
    assert evaluate({"field": "day", "gt": "today"}, day=today.isoformat()) is False


def test_equals_today_is_just_a_word() -> None:
    """A choice may well have an option called "today" (e.g. "when do you need it?")."""
    raw = {"question": "when", "equals": "today"}
    assert evaluate(raw, when="today") is True
    assert evaluate(raw, when=dt.date.today().isoformat()) is False
    assert evaluate({"question": "when", "in": ["today", "later"]}, when="today") is True
