"""The catalog's small rule language: structured conditions, never ``eval``.

A condition is a YAML mapping with exactly one shape:

``{all: [c, ...]}`` · ``{any: [c, ...]}`` · ``{not: c}`` — combinators;
``{question: q, equals: v}`` / ``{field: f, equals: v}`` — a comparison on a
question's answer (consultation) or a form field's value (forms).  Instead of
``equals`` a comparison may use ``in: [v, ...]``, ``answered: true|false``,
``gte`` / ``lte`` / ``gt`` / ``lt`` (numbers, money, ISO dates; the compared value
may also be ``today``, a day relative to it such as ``today+30d`` / ``today-1y``, or
another ``{field|question: NAME}``), ``min_length`` / ``max_length`` (text, multiple
choice) or ``matches`` (an anchored regular expression; the pattern is checked when
the catalog loads).

A comparison on an ID-number field may look at what the number tells instead of
the number: ``{field: applicant_id, derived: age, gte: 60}`` (``age``, ``birth_date``
or ``sex`` — see :mod:`kiosk.catalog.derived`).

Evaluation is three-valued (Kleene): a comparison on a question not answered
yet is *unknown*, so a refusal rule never fires before its question was asked,
and ``not`` of an unknown stays unknown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from kiosk.catalog.derived import DerivedPart, derive, is_relative_day, relative_day

# Tri-state truth: True, False, or None for "unknown".
Truth = bool | None

_COMPARATORS = (
    "equals",
    "in",
    "answered",
    "gte",
    "lte",
    "gt",
    "lt",
    "min_length",
    "max_length",
    "matches",
)
_REF_KINDS = ("question", "field")
DERIVED = "derived"  # {field: f, derived: age, gte: 60}


@dataclass(frozen=True, slots=True)
class All:
    items: tuple[Condition, ...]

    def evaluate(self, lookup: Lookup) -> Truth:
        results = [c.evaluate(lookup) for c in self.items]
        if any(r is False for r in results):
            return False
        return None if any(r is None for r in results) else True


@dataclass(frozen=True, slots=True)
class Any_:
    items: tuple[Condition, ...]

    def evaluate(self, lookup: Lookup) -> Truth:
        results = [c.evaluate(lookup) for c in self.items]
        if any(r is True for r in results):
            return True
        return None if any(r is None for r in results) else False


@dataclass(frozen=True, slots=True)
class Not:
    item: Condition

    def evaluate(self, lookup: Lookup) -> Truth:
        result = self.item.evaluate(lookup)
        return None if result is None else not result


@dataclass(frozen=True, slots=True)
class Compare:
    """``{question|field: ref, <op>: operand}``, maybe on a derived value of the field."""

    kind: str  # "question" or "field"
    ref: str
    op: str
    operand: Any
    derived: DerivedPart | None = None  # age / birth_date / sex of an ID-number field

    def evaluate(self, lookup: Lookup) -> Truth:
        present, value = lookup(self.kind, self.ref)
        if present and self.derived is not None:
            value = derive(self.derived, value)
            present = value is not None  # an ID number that tells nothing: not known
        if self.op == "answered":
            return present is bool(self.operand)
        if not present:
            return None
        operand = self.operand
        if isinstance(operand, Ref):
            known, operand = lookup(operand.kind, operand.ref)
            if not known:
                return None
        elif self.op in _ORDERED and is_relative_day(operand):  # equals: "today" is a word
            day = relative_day(operand)
            if day is None:
                return None
            operand = day.isoformat()
        return _compare(self.op, value, operand)


@dataclass(frozen=True, slots=True)
class Ref:
    """An operand naming another question or field: ``{field: end, gte: {field: start}}``."""

    kind: str
    ref: str


TODAY = "today"  # operand of a date comparison: the day the visitor is at the kiosk;
# "today+30d", "today-1y" … name a day relative to it (kiosk.catalog.derived.relative_day)


Condition = All | Any_ | Not | Compare
# lookup(kind, ref) -> (present, value)
Lookup = Callable[[str, str], tuple[bool, Any]]


def _number(value: Any) -> Decimal | str | None:
    """Numbers compare as Decimal; ISO dates (YYYY-MM-DD) compare as strings."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    elif isinstance(value, str):
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return value
        try:
            number = Decimal(value)
        except InvalidOperation:
            return None
    else:
        return None
    # NaN cannot be ordered (Decimal raises InvalidOperation); it is simply not a number here.
    return number if not number.is_nan() else None


def _compare(op: str, value: Any, operand: Any) -> bool:
    if op == "equals":
        return bool(value == operand)
    if op == "in":
        if isinstance(value, list | tuple):  # multiple choice: any chosen option listed
            return any(v in operand for v in value)
        return value in operand
    if op in ("min_length", "max_length"):
        size = len(value) if isinstance(value, str | list | tuple) else len(str(value))
        return size >= operand if op == "min_length" else size <= operand
    if op == "matches":
        return isinstance(value, str) and re.fullmatch(operand, value) is not None
    left, right = _number(value), _number(operand)
    if left is None or right is None or type(left) is not type(right):
        return False
    if op == "gte":
        return left >= right  # type: ignore[operator]
    if op == "lte":
        return left <= right  # type: ignore[operator]
    if op == "gt":
        return left > right  # type: ignore[operator]
    return left < right  # type: ignore[operator]


class RuleError(ValueError):
    """A malformed condition in the catalog; the message says what is wrong."""


def parse(raw: Any) -> Condition:
    """Turn the YAML form of a condition into a frozen condition tree."""
    if isinstance(raw, All | Any_ | Not | Compare):
        return raw
    if not isinstance(raw, Mapping):
        raise RuleError(f"a condition must be a mapping, not {type(raw).__name__}")
    keys = set(raw)
    if keys in ({"all"}, {"any"}):
        (key,) = keys
        items = raw[key]
        if not isinstance(items, list) or not items:
            raise RuleError(f"'{key}' needs a non-empty list of conditions")
        parsed = tuple(parse(item) for item in items)
        return All(parsed) if key == "all" else Any_(parsed)
    if keys == {"not"}:
        return Not(parse(raw["not"]))
    refs = keys & set(_REF_KINDS)
    ops = keys & set(_COMPARATORS)
    unknown = keys - set(_REF_KINDS) - set(_COMPARATORS) - {DERIVED}
    if unknown:
        raise RuleError(f"unknown key(s) in condition: {', '.join(sorted(map(str, unknown)))}")
    if len(refs) != 1 or len(ops) != 1:
        raise RuleError(
            "a condition is one of {all: [...]}, {any: [...]}, {not: ...} or "
            "{question|field: NAME, equals|in|answered|gte|lte|gt|lt|min_length|max_length|"
            "matches: VALUE}"
        )
    (kind,), (op,) = refs, ops
    ref, operand = raw[kind], raw[op]
    if not isinstance(ref, str) or not ref:
        raise RuleError(f"'{kind}' must name a {kind}")
    derived = _parse_derived(raw, kind)
    if op in (*_ORDERED, "equals") and isinstance(operand, Mapping):
        return Compare(kind, ref, op, _parse_ref(operand), derived)
    if op in _ORDERED and is_relative_day(operand):
        if relative_day(operand) is None:
            raise RuleError(f"'{operand}' is too far from today")
        return Compare(kind, ref, op, operand.strip(), derived)
    _check_operand(op, operand)
    if op == "in":
        operand = tuple(operand)
    return Compare(kind, ref, op, operand, derived)


def _parse_derived(raw: Mapping[Any, Any], kind: str) -> DerivedPart | None:
    if DERIVED not in raw:
        return None
    if kind != "field":
        raise RuleError("'derived' reads an ID-number field: use it with 'field', not 'question'")
    try:
        return DerivedPart(raw[DERIVED])
    except (ValueError, TypeError):
        parts = ", ".join(p.value for p in DerivedPart)
        raise RuleError(f"'derived' is one of {parts}, not {raw[DERIVED]!r}") from None


_ORDERED = ("gte", "lte", "gt", "lt")


def _parse_ref(raw: Mapping[Any, Any]) -> Ref:
    if (
        len(raw) != 1
        or next(iter(raw)) not in _REF_KINDS
        or not isinstance(next(iter(raw.values())), str)
    ):
        raise RuleError("a compared value is a constant, 'today', or {field|question: NAME}")
    ((kind, ref),) = raw.items()
    return Ref(kind, ref)


def _check_operand(op: str, operand: Any) -> None:
    if op == "in" and (not isinstance(operand, list) or not operand):
        raise RuleError("'in' needs a non-empty list of values")
    if op == "answered" and not isinstance(operand, bool):
        raise RuleError("'answered' takes true or false")
    if op in ("min_length", "max_length") and (
        not isinstance(operand, int) or isinstance(operand, bool) or operand < 0
    ):
        raise RuleError(f"'{op}' takes a whole number ≥ 0")
    if op in ("gte", "lte", "gt", "lt") and _number(operand) is None:
        raise RuleError(f"'{op}' takes a number or a date YYYY-MM-DD (or today, today+30d …)")
    if op == "matches":
        if not isinstance(operand, str):
            raise RuleError("'matches' takes a regular expression as text")
        try:
            re.compile(operand)
        except re.error as exc:
            raise RuleError(f"'matches' pattern does not compile: {exc}") from None
    if op == "equals" and isinstance(operand, list | dict):
        raise RuleError("'equals' takes a single value; use 'in' for a list")


def references(condition: Condition) -> Iterator[Compare]:
    """Every comparison in a condition tree (to check what it refers to).

    A compared reference (``{gte: {field: start}}``) is yielded as an ``answered`` check
    of that field, so callers see every name a condition uses.
    """
    if isinstance(condition, Compare):
        yield condition
        if isinstance(condition.operand, Ref):
            yield Compare(condition.operand.kind, condition.operand.ref, "answered", True)
    elif isinstance(condition, Not):
        yield from references(condition.item)
    else:
        for item in condition.items:
            yield from references(item)


def holds(condition: Condition | None, lookup: Lookup) -> bool:
    """True only when the condition is definitely true (unknown counts as not holding)."""
    return condition is None or condition.evaluate(lookup) is True
