"""Resident ID card (居民身份证) readers: a small device protocol and a simulated reader.

A real reader (e.g. a GA 467-compliant desk reader) sits behind the same
:class:`IdCardReader` protocol; the simulated one reads a JSON file and is what
the tests and the demo use.  A read fills the form fields the catalog marks with
``id_card: name | sex | ethnicity | birth_date | address | id_number``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from kiosk.catalog.model import FieldType, IdCardPart
from kiosk.forms.filling import Filling, Source
from kiosk.forms.validators import Invalid, id_number
from kiosk.message import Message


class CardError(Exception):
    """The card could not be used; ``message`` is what the visitor is told."""

    def __init__(self, message: Message):
        self.message = message
        super().__init__(message.en)


NO_CARD = Message(
    "没有读到身份证，请将身份证平放在读卡区", "No card found; lay the ID card flat on the reader"
)
UNREADABLE = Message(
    "身份证信息读取不完整，请重新放置或手工填写",
    "The card could not be read completely; place it again or type the details",
)
EXPIRED = Message(
    "这张身份证已过有效期，不能用于办理，请使用有效证件或到窗口咨询",
    "This ID card has expired and cannot be used; use a valid card or ask at a window",
)


@dataclass(frozen=True)
class IdCard:
    name: str
    sex: str  # 男 / 女
    ethnicity: str
    birth_date: dt.date
    address: str
    id_number: str
    authority: str  # 签发机关
    valid_from: dt.date
    valid_until: dt.date | None  # None = 长期 (long-term)

    def expired(self, today: dt.date) -> bool:
        return self.valid_until is not None and self.valid_until < today

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any]) -> IdCard:
        try:
            until = str(raw["valid_until"])
            card = cls(
                name=str(raw["name"]).strip(),
                sex=str(raw["sex"]).strip(),
                ethnicity=str(raw["ethnicity"]).strip(),
                birth_date=dt.date.fromisoformat(str(raw["birth_date"])),
                address=str(raw["address"]).strip(),
                id_number=id_number(str(raw["id_number"])),
                authority=str(raw["authority"]).strip(),
                valid_from=dt.date.fromisoformat(str(raw["valid_from"])),
                valid_until=None
                if until in ("长期", "long-term")
                else dt.date.fromisoformat(until),
            )
        except (KeyError, ValueError, TypeError, Invalid):
            raise CardError(UNREADABLE) from None
        if not card.name or not card.address:
            raise CardError(UNREADABLE)
        return card


class IdCardReader(Protocol):
    def read(self) -> IdCard:
        """Read the card on the reader now; raise :class:`CardError` if there is none."""
        ...


@dataclass
class SimulatedReader:
    """Reads a card from a JSON file — the tests' and the demo's reader.

    No file (or an empty one) means no card is on the reader.
    """

    path: Path

    def read(self) -> IdCard:
        try:
            text = Path(self.path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CardError(NO_CARD) from None
        except (OSError, UnicodeDecodeError):
            raise CardError(UNREADABLE) from None
        if not text.strip():
            raise CardError(NO_CARD)
        try:
            raw = json.loads(text)
        except json.JSONDecodeError:
            raise CardError(UNREADABLE) from None
        if not isinstance(raw, dict):
            raise CardError(UNREADABLE)
        return IdCard.from_mapping(raw)


def reader_from_env() -> SimulatedReader | None:
    """The simulated reader named by KIOSK_IDCARD_FILE, if any (demo and tests)."""
    path = os.environ.get("KIOSK_IDCARD_FILE")
    return SimulatedReader(Path(path)) if path else None


def _card_value(card: IdCard, part: IdCardPart, field_type: FieldType) -> Any:
    if part is IdCardPart.ADDRESS and field_type is FieldType.ADDRESS:
        return split_address(card.address)
    return {
        IdCardPart.NAME: card.name,
        IdCardPart.SEX: card.sex,
        IdCardPart.ETHNICITY: card.ethnicity,
        IdCardPart.BIRTH_DATE: card.birth_date.isoformat(),
        IdCardPart.ADDRESS: card.address,
        IdCardPart.ID_NUMBER: card.id_number,
    }[part]


_ADDRESS_LEVELS = (
    ("province", re.compile(r"^(.{2,7}?(?:省|自治区|特别行政区|市))")),
    ("city", re.compile(r"^(.{2,10}?(?:自治州|地区|盟|市))")),
    ("district", re.compile(r"^(.{1,10}?(?:区|县|旗|市))")),
)


def split_address(address: str) -> dict[str, str]:
    """江苏省苏州市吴中区示范镇人民路8号 → province / city / district / detail.

    For a municipality (北京市朝阳区…) the city is the province.  Whatever cannot be
    recognised stays in ``detail`` for the visitor to check.
    """
    parts = {"province": "", "city": "", "district": ""}
    rest = address.strip()
    for key, pattern in _ADDRESS_LEVELS:
        if key == "city" and parts["province"].endswith("市"):
            parts["city"] = parts["province"]
            continue
        match = pattern.match(rest)
        if match:
            parts[key] = match.group(1)
            rest = rest[match.end() :]
    return {**parts, "detail": rest}


def fill_from_card(filling: Filling, card: IdCard, today: dt.date) -> list[str]:
    """Fill the slots marked ``id_card`` from a card; returns the keys filled.

    An expired card is refused.  A slot the visitor or staff already typed is left
    alone (nothing entered is overwritten); one filled by an earlier card is replaced.
    """
    if card.expired(today):
        raise CardError(EXPIRED)
    filled = []
    for key, slot in filling.slots().items():
        part = slot.field.id_card
        if part is None:
            continue
        current = filling.get(key)
        if current is not None and current.source is not Source.ID_CARD:
            continue
        if filling.set(key, _card_value(card, part, slot.field.type), Source.ID_CARD) is None:
            filled.append(key)
    return filled
