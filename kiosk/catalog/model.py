"""Frozen, validated models of the bureau's service catalog (catalog.yaml).

The shapes here are the whole contract between the bureau's data and the kiosk:
nothing about a particular item lives in Python.  Cross-references (departments,
queues, questions, fields, items, life-event cycles) are checked in
:mod:`kiosk.catalog.loader`, which also maps every error back to file:line.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

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


class Meta(Frozen):
    bureau: Text
    windows: int = Field(default=8, ge=1, le=99)  # the hall's comprehensive windows (综合窗口)
    version: str = Field(min_length=1)
    note: Text  # says the content is a sample for the bureau to confirm
    contact: Text | None = None
    address: Text | None = None


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


def _use_or_inline(raw: Any) -> str:
    return "use" if isinstance(raw, dict) and "use" in raw else "inline"


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


class FormField(Frozen):
    id: Code
    type: FieldType
    label: Text
    help: Text | None = None
    options: tuple[Option, ...] = ()
    required: bool = True
    required_if: ConditionField | None = None
    relevant_if: ConditionField | None = None
    constraints: tuple[Constraint, ...] = ()
    max_length: int | None = Field(default=None, ge=1, le=10_000)
    id_card: IdCardPart | None = None
    example: Any = None  # a valid value; the catalog walk test fills every form with these

    @model_validator(mode="after")
    def _options_match_type(self) -> FormField:
        choice = self.type in (FieldType.CHOICE, FieldType.MULTI_CHOICE)
        if choice and len(self.options) < 2:
            raise ValueError(f"a {self.type.value} field needs at least two options")
        if not choice and self.options:
            raise ValueError(f"a {self.type.value} field takes no options")
        _no_duplicate_values(self.options)
        if self.example is None:
            raise ValueError("every field needs an example value (used by the catalog check)")
        return self


class FieldUse(Frozen):
    """``{use: id}`` — a field from the catalog's shared library (same id on every form)."""

    use: Code
    required: bool | None = None
    required_if: ConditionField | None = None
    relevant_if: ConditionField | None = None


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
    fee: Text
    kind: ItemKind
    queue: Code
    online: bool = False  # also available on the provincial 政务服务网
    summary: Text | None = None
    conditions: Text | None = None  # 受理条件, shown on the item detail
    questions: tuple[Question, ...] = ()
    refusals: tuple[Refusal, ...] = ()
    materials: tuple[
        Annotated[
            Annotated[Material, Tag("inline")] | Annotated[MaterialUse, Tag("use")],
            Discriminator(_use_or_inline),
        ],
        ...,
    ] = Field(min_length=1)
    fields: tuple[
        Annotated[
            Annotated[FormField, Tag("inline")] | Annotated[FieldUse, Tag("use")],
            Discriminator(_use_or_inline),
        ],
        ...,
    ] = Field(min_length=1)

    # After loading, every ``use`` is resolved (see loader), so these are plain lists.
    @property
    def material_list(self) -> tuple[Material, ...]:
        return tuple(m for m in self.materials if isinstance(m, Material))

    @property
    def field_list(self) -> tuple[FormField, ...]:
        return tuple(f for f in self.fields if isinstance(f, FormField))

    def field(self, field_id: str) -> FormField | None:
        return next((f for f in self.field_list if f.id == field_id), None)

    @model_validator(mode="after")
    def _promise_within_statute(self) -> Item:
        if self.promised_days > self.statutory_days:
            raise ValueError("promised_days cannot exceed statutory_days")
        if self.kind is ItemKind.IMMEDIATE and self.promised_days != 0:
            raise ValueError("an immediate item (即办件) has promised_days 0")
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
    fields: tuple[FormField, ...] = ()  # shared field library
    items: tuple[Item, ...] = Field(min_length=1)
    bundles: tuple[Bundle, ...] = ()
    life_events: tuple[LifeEvent, ...] = ()


def _no_duplicate_values(options: tuple[Option, ...]) -> None:
    values = [o.value for o in options]
    if len(values) != len(set(values)):
        raise ValueError("option values must be unique")


Language = Literal["zh", "en"]
