"""Frozen, validated models of the bureau's service catalog (catalog.yaml).

The shapes here are the whole contract between the bureau's data and the kiosk:
nothing about a particular item lives in Python.  Cross-references (departments,
queues, questions, fields, items, life-event cycles) are checked in
:mod:`kiosk.catalog.loader`, which also maps every error back to file:line.
"""

from __future__ import annotations

import re
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PlainSerializer,
    Tag,
    model_validator,
)

from kiosk.catalog import rules
from kiosk.catalog.derived import DerivedPart, is_relative_day, relative_day

Code = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")]


def _parse_condition(raw: Any) -> rules.Condition:
    try:
        return rules.parse(raw)
    except rules.RuleError as exc:
        raise ValueError(str(exc)) from None


ConditionField = Annotated[
    Any,  # a rules.Condition; pydantic cannot build a schema for the dataclass union
    BeforeValidator(_parse_condition),
    PlainSerializer(lambda c: repr(c)),
]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Text(Frozen):
    """A text shown to a visitor, in both of the kiosk's languages."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def __call__(self, language: str) -> str:
        return self.en if language == "en" else self.zh


class Area(Frozen):
    """The hall's own administrative area (GB/T 2260): where an address picker starts."""

    code: str = Field(pattern=r"^[1-9][0-9]{5}$")  # the district's six-digit code, e.g. 320506
    province: str = Field(min_length=1, max_length=20)
    city: str = Field(min_length=1, max_length=20)
    district: str = Field(min_length=1, max_length=20)


class Meta(Frozen):
    bureau: Text  # the hall's name: the window's header and tickets show it (config may override)
    windows: int = Field(default=8, ge=1, le=99)  # the hall's comprehensive windows (综合窗口)
    version: str = Field(min_length=1)
    note: Text  # says the content is a sample for the bureau to confirm
    contact: Text | None = None
    address: Text | None = None
    area: Area | None = None  # checked against the GB/T 2260 codes the kiosk ships


class Category(Frozen):
    code: Code
    name: Text


class Department(Frozen):
    code: Code
    name: Text
    phone: str | None = None


class Queue(Frozen):
    """A window group: one ticket prefix, served by some of the hall's windows."""

    code: Code
    prefix: str = Field(pattern=r"^[A-Z]$")
    name: Text
    windows: tuple[int, ...] = Field(min_length=1)
    category: Code | None = None
    priority: bool = False  # 绿色通道: elderly, disabled, pregnant, veterans
    description: Text | None = None  # who the lane is for (the 绿色通道's "老年人、残疾人…")
    minutes_per_visitor: int = Field(default=8, ge=1, le=120)


class ItemKind(StrEnum):
    IMMEDIATE = "immediate"  # 即办件
    PROMISED = "promised"  # 承诺件


class QuestionKind(StrEnum):
    YESNO = "yesno"
    CHOICE = "choice"


class Option(Frozen):
    value: str = Field(min_length=1)
    label: Text


class Question(Frozen):
    id: Code
    text: Text
    kind: QuestionKind = QuestionKind.YESNO
    options: tuple[Option, ...] = ()
    help: Text | None = None
    ask_if: ConditionField | None = None  # branching: asked only when this holds

    @model_validator(mode="after")
    def _options_match_kind(self) -> Question:
        if self.kind is QuestionKind.CHOICE and len(self.options) < 2:
            raise ValueError("a choice question needs at least two options")
        if self.kind is QuestionKind.YESNO and self.options:
            raise ValueError("a yes/no question takes no options")
        _no_duplicate_values(self.options)
        return self

    def answers(self) -> tuple[str | bool, ...]:
        if self.kind is QuestionKind.YESNO:
            return (True, False)
        return tuple(o.value for o in self.options)


class QuestionUse(Frozen):
    """``{use: id}`` — a question from the catalog's shared library (same id, same words).

    A question used by several members of a bundle is asked once: its answer carries over.
    """

    use: Code
    ask_if: ConditionField | None = None


class Refusal(Frozen):
    """A "not eligible" verdict: when it holds, the reason and where to go instead."""

    when: ConditionField
    reason: Text
    instead: Text | None = None


class MaterialFormat(StrEnum):
    PAPER = "paper"
    ELECTRONIC = "electronic"
    EITHER = "either"


class Material(Frozen):
    id: Code
    name: Text
    originals: int = Field(default=1, ge=0, le=20)
    copies: int = Field(default=0, ge=0, le=20)
    format: MaterialFormat = MaterialFormat.PAPER
    issuer: Text
    obtain: Text
    note: Text | None = None
    when: ConditionField | None = None  # needed only when this holds


class MaterialUse(Frozen):
    """``{use: id}`` — a material from the catalog's shared library, maybe with a condition."""

    use: Code
    when: ConditionField | None = None
    originals: int | None = Field(default=None, ge=0, le=20)
    copies: int | None = Field(default=None, ge=0, le=20)


# The tags of the "library entry or written out" unions.  They are not words a catalog
# uses as keys, so an error inside a ``use:`` entry is located at its own key, not at
# ``use`` (the loader drops these tags from pydantic's error paths).
USE_TAG = "library-entry"
INLINE_TAG = "inline-entry"


def _use_or_inline(raw: Any) -> str:
    return USE_TAG if isinstance(raw, dict) and "use" in raw else INLINE_TAG


MaterialEntry = Annotated[
    Annotated[Material, Tag(INLINE_TAG)] | Annotated[MaterialUse, Tag(USE_TAG)],
    Discriminator(_use_or_inline),
]
QuestionEntry = Annotated[
    Annotated[Question, Tag(INLINE_TAG)] | Annotated[QuestionUse, Tag(USE_TAG)],
    Discriminator(_use_or_inline),
]


class Later(Frozen):
    """A "not yet" verdict: something must be done first; then come back with the materials.

    Unlike a refusal the visitor is not turned away: the remaining questions are still
    asked, so the materials to bring when coming back are the list for their case, plus
    ``bring`` (e.g. the result of what they must do first).
    """

    when: ConditionField
    reason: Text  # why not today
    first: Text  # what to do first
    where: Text  # where to do it
    bring: tuple[MaterialEntry, ...] = ()  # besides the item's materials for the case

    @property
    def materials(self) -> tuple[Material, ...]:
        """``bring`` once loaded (every ``use`` resolved by the loader)."""
        return tuple(m for m in self.bring if isinstance(m, Material))


def _amount(raw: Any) -> Any:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
        raise ValueError('an amount is a number of yuan, e.g. "20.00"')
    text = str(raw).strip()
    if not re.fullmatch(r"\d{1,9}(\.\d{1,2})?", text):
        raise ValueError(f"an amount is yuan with at most two decimals, not {raw!r}")
    return Decimal(text).quantize(Decimal("0.01"))


Amount = Annotated[Decimal, BeforeValidator(_amount), PlainSerializer(lambda d: f"{d:.2f}")]


class Fee(Frozen):
    """One charge of an item, in yuan, due when its condition holds (every one that holds)."""

    when: ConditionField | None = None
    amount: Amount
    note: Text  # what it is for, or why it is waived: 工本费, 低保对象免收…


class FieldType(StrEnum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    INTEGER = "integer"
    MONEY = "money"
    DATE = "date"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    YESNO = "yesno"
    ID_NUMBER = "id_number"  # 居民身份证号
    USCC = "uscc"  # 统一社会信用代码
    MOBILE = "mobile"
    ADDRESS = "address"


class IdCardPart(StrEnum):
    """What a resident ID card reader can fill (see the staff / ID-card issue)."""

    NAME = "name"
    SEX = "sex"
    ETHNICITY = "ethnicity"
    BIRTH_DATE = "birth_date"
    ADDRESS = "address"
    ID_NUMBER = "id_number"


class Constraint(Frozen):
    check: ConditionField
    message: Text


class FieldOption(Option):
    """An option of a form's choice field, offered only while ``when`` holds (if given)."""

    when: ConditionField | None = None


class Fill(Frozen):
    """Where a field's value comes from, so the visitor never types it twice.

    ``{question: q}`` — the consultation's answer; ``{field: f, derived: birth_date|sex|
    age}`` — what the form's ID-number field ``f`` tells.  Read-only unless ``editable``:
    an editable value is only a suggestion the visitor may change.
    """

    question: Code | None = None
    field: Code | None = None
    derived: DerivedPart | None = None
    editable: bool = False

    @model_validator(mode="after")
    def _one_source(self) -> Fill:
        if (self.question is None) == (self.field is None):
            raise ValueError("fill takes either {question: …} or {field: …, derived: …}")
        if self.field is not None and self.derived is None:
            raise ValueError("fill from a field takes derived: birth_date, sex or age")
        if self.question is not None and self.derived is not None:
            raise ValueError("derived reads an ID-number field, not a question")
        return self


class Keys(StrEnum):
    """What a text field is typed on at the kiosk (its characters, not its meaning)."""

    TEXT = "text"  # the on-screen keyboard: Pinyin (or English)
    DIGITS = "digits"  # a bank account, a card number: the kiosk's number pad
    DECIMAL = "decimal"  # a ratio, a measure: digits and a point
    LETTERS_DIGITS = "letters_digits"  # a certificate or frame number: capitals and digits


class FormField(Frozen):
    id: Code
    type: FieldType
    label: Text
    help: Text | None = None
    options: tuple[FieldOption, ...] = ()
    required: bool = True
    required_if: ConditionField | None = None
    relevant_if: ConditionField | None = None
    constraints: tuple[Constraint, ...] = ()
    max_length: int | None = Field(default=None, ge=1, le=10_000)
    id_card: IdCardPart | None = None
    fill: Fill | None = None  # pre-filled from an answer or from an ID number
    keys: Keys = Keys.TEXT  # text fields only: typed on the keyboard or on the kiosk's pad
    # A valid value; the catalog check fills every form with these.  A date may be
    # written relative to the day of the check: today, today+30d, today-1y.
    example: Any = None

    @model_validator(mode="after")
    def _options_match_type(self) -> FormField:
        choice = self.type in (FieldType.CHOICE, FieldType.MULTI_CHOICE)
        if choice and len(self.options) < 2:
            raise ValueError(f"a {self.type.value} field needs at least two options")
        if not choice and self.options:
            raise ValueError(f"a {self.type.value} field takes no options")
        _no_duplicate_values(self.options)
        if self.example is None and self.fill is None:
            raise ValueError("every field needs an example value (used by the catalog check)")
        if is_relative_day(self.example) and self.type is not FieldType.DATE:
            raise ValueError(f"a {self.type.value} field's example cannot be a day")
        if self.keys is not Keys.TEXT and self.type is not FieldType.TEXT:
            raise ValueError(f"keys: {self.keys.value} is for text fields, not {self.type.value}")
        return self

    def example_value(self, today: Any = None) -> Any:
        """The example as typed on ``today``: a relative day becomes a date."""
        if self.type is FieldType.DATE and is_relative_day(self.example):
            day = relative_day(self.example, today)
            return day.isoformat() if day is not None else self.example
        return self.example

    def offered(self, holds: Any) -> tuple[FieldOption, ...]:
        """The options offered while ``holds(condition)`` says which conditions hold."""
        return tuple(o for o in self.options if o.when is None or holds(o.when))


class FieldUse(Frozen):
    """``{use: id}`` — a field from the catalog's shared library (same id on every form)."""

    use: Code
    required: bool | None = None
    required_if: ConditionField | None = None
    relevant_if: ConditionField | None = None
    fill: Fill | None = None
    example: Any = None
    constraints: tuple[Constraint, ...] = ()  # added to the library field's own


FieldEntry = Annotated[
    Annotated[FormField, Tag(INLINE_TAG)] | Annotated[FieldUse, Tag(USE_TAG)],
    Discriminator(_use_or_inline),
]


class Preset(Frozen):
    """A question answered without asking: ``{question: license_with_this, answer: true}``."""

    question: Code
    answer: bool | str


class Produces(Frozen):
    """What an item's result gives the other members of a bundle it is chosen in.

    Its ``materials`` are not asked of them (the 营业执照 from 企业设立登记), its
    ``fields`` are not on their forms (no 统一社会信用代码 before the company exists), and
    its ``answers`` answer their questions ("is the licence applied for together?").
    """

    materials: tuple[Code, ...] = ()
    fields: tuple[Code, ...] = ()
    answers: tuple[Preset, ...] = ()


class Item(Frozen):
    """A service item (事项) as the bureau publishes it."""

    code: Code
    name: Text
    aliases: tuple[str, ...] = ()
    category: Code
    department: Code
    legal_basis: Text
    statutory_days: int = Field(ge=0, le=365)  # 法定办结时限, working days
    promised_days: int = Field(ge=0, le=365)  # 承诺办结时限, working days
    fee: Text  # 收费标准 as published; ``fees`` are the charges for the visitor's case
    fees: tuple[Fee, ...] = ()
    kind: ItemKind
    queue: Code
    online: bool = False  # also available on the provincial 政务服务网
    summary: Text | None = None
    conditions: Text | None = None  # 受理条件, shown on the item detail
    questions: tuple[QuestionEntry, ...] = ()
    refusals: tuple[Refusal, ...] = ()
    later: tuple[Later, ...] = ()
    materials: tuple[MaterialEntry, ...] = ()
    # Said instead of a list when the case needs nothing brought (data shared between
    # departments…); without it the check reports an eligible path with no materials.
    nothing_to_bring: Text | None = None
    # No fields: the item has no form — consult, notice, then a ticket for the window.
    fields: tuple[FieldEntry, ...] = ()
    produces: Produces = Produces()

    # After loading, every ``use`` is resolved (see loader), so these are plain lists.
    @property
    def question_list(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if isinstance(q, Question))

    @property
    def material_list(self) -> tuple[Material, ...]:
        return tuple(m for m in self.materials if isinstance(m, Material))

    @property
    def field_list(self) -> tuple[FormField, ...]:
        return tuple(f for f in self.fields if isinstance(f, FormField))

    @property
    def has_form(self) -> bool:
        """False for an item with no form: consult, notice, then a ticket for the window."""
        return bool(self.fields)

    def field(self, field_id: str) -> FormField | None:
        return next((f for f in self.field_list if f.id == field_id), None)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.question_list if q.id == question_id), None)

    @model_validator(mode="after")
    def _promise_within_statute(self) -> Item:
        if self.promised_days > self.statutory_days:
            raise ValueError("promised_days cannot exceed statutory_days")
        if self.kind is ItemKind.IMMEDIATE and self.promised_days != 0:
            raise ValueError("an immediate item (即办件) has promised_days 0")
        if not self.materials and self.nothing_to_bring is None:
            raise ValueError("an item lists its materials, or says nothing_to_bring")
        return self


class BundleMember(Frozen):
    item: Code
    required: bool = True


class Bundle(Frozen):
    """A themed bundle (主题联办): member items chosen à la carte, shared fields typed once."""

    code: Code
    name: Text
    aliases: tuple[str, ...] = ()
    summary: Text | None = None
    queue: Code
    members: tuple[BundleMember, ...] = Field(min_length=2)
    shared_fields: tuple[Code, ...] = ()
    # What the bundle itself says about the case ("我要创业——餐饮类": a catering business):
    # the members' questions answered so, never asked.
    answers: tuple[Preset, ...] = ()


class LifeEventStep(Frozen):
    item: Code
    next: tuple[Code, ...] = ()  # what usually comes next


class LifeEvent(Frozen):
    """一件事: a life event and the items it usually leads through."""

    code: Code
    name: Text
    summary: Text | None = None
    steps: tuple[LifeEventStep, ...] = Field(min_length=1)


class CatalogDocument(Frozen):
    """catalog.yaml as written: libraries still referenced by ``use``."""

    meta: Meta
    categories: tuple[Category, ...] = Field(min_length=1)
    departments: tuple[Department, ...] = Field(min_length=1)
    queues: tuple[Queue, ...] = Field(min_length=1)
    materials: tuple[Material, ...] = ()  # shared material library
    questions: tuple[Question, ...] = ()  # shared question library
    fields: tuple[FormField, ...] = ()  # shared field library
    items: tuple[Item, ...] = Field(min_length=1)
    bundles: tuple[Bundle, ...] = ()
    life_events: tuple[LifeEvent, ...] = ()


def _no_duplicate_values(options: tuple[Option, ...] | tuple[FieldOption, ...]) -> None:
    values = [o.value for o in options]
    if len(values) != len(set(values)):
        raise ValueError("option values must be unique")
