"""Field-type validators: raw input → normalised value, or a message in zh and en.

Each validator is total: whatever a visitor (or a fuzzer) types, it returns a
value or raises :class:`Invalid` with a calm bilingual message — never anything else.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import phonenumbers
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError

from kiosk.catalog.model import FieldType, FormField, Keys
from kiosk.message import Message

ADDRESS_PARTS = ("province", "city", "district", "detail")
MONEY_LIMIT = Decimal("1000000000000")  # 万亿: nothing a township form asks is larger


class Invalid(ValueError):
    def __init__(self, zh: str, en: str):
        self.message = Message(zh, en)
        super().__init__(en)


UNREADABLE = (
    "包含无法识别的字符，请删除后重新输入",
    "Contains a character that cannot be read; please retype",
)


def _refuse_unreadable(raw: Any) -> None:
    """Refuse text that cannot be stored or printed: lone surrogates and noncharacters.

    Python strings may hold half of a UTF-16 pair (an input method or a paste can
    leave one behind); such a value passes every pattern, then fails to encode when the
    submission is hashed or saved.  Looked at inside lists and mappings too (an address,
    a multiple choice).  The message never echoes the character: it cannot be shown.
    """
    if isinstance(raw, str):
        if any(_unreadable(c) for c in raw):
            raise Invalid(*UNREADABLE)
    elif isinstance(raw, list | tuple | set | frozenset):
        for value in raw:
            _refuse_unreadable(value)
    elif isinstance(raw, Mapping):
        for key, value in raw.items():
            _refuse_unreadable(key)
            _refuse_unreadable(value)


def _unreadable(c: str) -> bool:
    code = ord(c)
    return (
        0xD800 <= code <= 0xDFFF  # a lone surrogate: not encodable as UTF-8
        or 0xFDD0 <= code <= 0xFDEF  # noncharacters: never text
        or code & 0xFFFE == 0xFFFE
    )


def free_text(raw: Any, *, max_length: int, multiline: bool = False) -> str:
    """Text as the kiosk keeps it: NFC, trimmed, no control or unreadable characters.

    The one rule for every typed text — form fields, and also a rating comment.
    """
    if not isinstance(raw, str):
        raise Invalid("请输入文字", "Please enter text")
    _refuse_unreadable(raw)
    # NFC: the same name typed with a composed or a decomposed character is one value.
    value = unicodedata.normalize("NFC", raw).strip()
    if not multiline:
        value = re.sub(r"\s+", " ", value)
    if any(ord(c) < 32 and c not in "\n\t" for c in value):
        raise Invalid(
            "包含无法识别的控制字符，请重新输入", "Contains control characters; please retype"
        )
    if len(value) > max_length:
        raise Invalid(
            f"最多 {max_length} 个字，当前 {len(value)} 个字",
            f"At most {max_length} characters; you entered {len(value)}",
        )
    return value


def _text(raw: Any, field: FormField, *, multiline: bool) -> str:
    text = free_text(
        raw, max_length=field.max_length or (2000 if multiline else 200), multiline=multiline
    )
    if field.keys is not Keys.TEXT:  # typed on the pad: no spaces, capitals as printed
        text = re.sub(r"\s", "", text).upper()
    return text


def _str(raw: Any) -> str:
    """str() of an input; Python refuses str() of an int over 4,300 digits (ValueError)."""
    try:
        return str(raw)
    except ValueError:
        return ""


def _integer(raw: Any, field: FormField) -> int:
    if isinstance(raw, bool):
        raise Invalid("请输入整数", "Please enter a whole number")
    text = _str(raw).strip().replace(",", "").replace("，", "")
    if not re.fullmatch(r"[+-]?\d{1,15}", text):  # ints too: 10**30 is no more an answer
        raise Invalid("请输入整数（不带小数点）", "Please enter a whole number (no decimal point)")
    return int(text)


def _money(raw: Any, field: FormField) -> str:
    if isinstance(raw, bool):
        raise Invalid("请输入金额", "Please enter an amount")
    text = _str(raw).strip().replace(",", "").replace("，", "").removeprefix("¥").removeprefix("￥")
    if not re.fullmatch(r"[+-]?\d{1,13}(\.\d{1,2})?", text):
        raise Invalid(
            "请输入金额，最多两位小数，如 1500.00",
            "Please enter an amount with at most two decimals, e.g. 1500.00",
        )
    try:
        amount = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern above rules this out
        raise Invalid("请输入金额", "Please enter an amount") from None
    if amount < 0:
        raise Invalid("金额不能为负数", "The amount cannot be negative")
    if amount >= MONEY_LIMIT:
        raise Invalid("金额过大，请核对", "The amount is too large; please check it")
    return f"{amount + 0:.2f}"  # + 0 turns "-0" into 0.00, not "-0.00"


def _date(raw: Any, field: FormField) -> str:
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    text = _str(raw).strip().replace("/", "-").replace(".", "-")
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text) or re.fullmatch(
        r"(\d{4})年(\d{1,2})月(\d{1,2})日", text
    )
    if not match:
        raise Invalid(
            "请按 年-月-日 输入日期，如 2025-03-08",
            "Please enter the date as year-month-day, e.g. 2025-03-08",
        )
    try:
        return dt.date(*(int(g) for g in match.groups())).isoformat()
    except ValueError:
        raise Invalid(
            "没有这一天，请核对日期", "That day does not exist; please check the date"
        ) from None


def _option_values(field: FormField) -> list[str]:
    return [o.value for o in field.options]


def _choice(raw: Any, field: FormField) -> str:
    if raw not in _option_values(field):
        raise Invalid("请从选项中选择一项", "Please choose one of the options")
    return str(raw)


def _multi_choice(raw: Any, field: FormField) -> list[str]:
    if isinstance(raw, str) or not isinstance(raw, list | tuple | set | frozenset):
        raise Invalid("请从选项中选择", "Please choose from the options")
    allowed = _option_values(field)
    # The type check comes first: set() of unhashable entries (lists, dicts) would raise.
    if any(not isinstance(v, str) for v in raw):
        raise Invalid("包含不在选项中的内容", "Contains a choice that is not offered")
    chosen = [v for v in allowed if v in raw]  # option order, no duplicates
    if len(chosen) != len(set(raw)):
        raise Invalid("包含不在选项中的内容", "Contains a choice that is not offered")
    return chosen


def _yesno(raw: Any, field: FormField) -> bool:
    if isinstance(raw, bool):
        return raw
    raise Invalid("请选择“是”或“否”", "Please choose Yes or No")


def id_number(raw: Any, field: FormField | None = None, *, today: dt.date | None = None) -> str:
    """居民身份证号码: 18 characters, GB 11643 checksum, a real birth date not in the future.

    Each message says what is wrong: a character that is not allowed (and where), an X
    that is not last, the length, the birth date, the check digit, the province.
    """
    if not isinstance(raw, str):
        raise Invalid("请输入身份证号码", "Please enter the ID number")
    _refuse_unreadable(raw)
    # NFKC: a Chinese input method in full-width mode types １２３Ｘ for 123X.
    text = unicodedata.normalize("NFKC", raw).strip().replace(" ", "").upper()
    for position, c in enumerate(text, 1):
        if c not in "0123456789X":  # not \d: no other scripts' digits
            raise Invalid(
                f"身份证号码只能包含数字和 X，第 {position} 位“{c}”不对，请核对",
                f"An ID number holds only digits and X; character {position} is not one of them",
            )
    if "X" in text[:-1]:
        position = text.index("X") + 1
        raise Invalid(
            f"X 只能是身份证号码的最后一位（第 {position} 位是 X），请核对",
            f"X can only be the last character of an ID number (character {position} is X)",
        )
    if len(text) != 18:
        raise Invalid(
            f"身份证号码应为 18 位，现在是 {len(text)} 位",
            f"An ID number has 18 characters; this one has {len(text)}",
        )
    try:
        birth = ric.get_birth_date(text)
    except StdnumError:
        raise Invalid(
            "身份证号码中的出生日期不存在，请核对",
            "The birth date inside the ID number does not exist; please check it",
        ) from None
    if birth > (today or dt.date.today()) or birth.year < 1890:
        raise Invalid(
            "身份证号码中的出生日期不正确，请核对",
            "The birth date inside the ID number is not possible; please check it",
        )
    if text[-1] != ric.calc_check_digit(text):
        raise Invalid(
            "身份证号码校验位不对，请逐位核对",
            "The ID number's check digit is wrong; please check each digit",
        )
    if text[:2] not in _provinces():
        raise Invalid(
            "身份证号码前两位（省份代码）不正确，请核对",
            "The first two digits (province code) of the ID number are wrong",
        )
    # Deliberately not ric.validate(): it also requires the county code to have existed
    # in the birth year, but the code is where the number was first issued, so e.g. a
    # 1985-born citizen of 吴中区 (code 320506, created 2000) holds a valid 320506-1985 ID.
    return text


@functools.cache
def _provinces() -> frozenset[str]:
    from stdnum import numdb

    database = numdb.get("cn/loc")
    return frozenset(f"{p:02d}" for p in range(10, 100) if database.info(f"{p:02d}0000")[0][1])


USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100: no I, O, Z, S or V


def _uscc(raw: Any, field: FormField) -> str:
    """统一社会信用代码 (GB 32100): 18 characters, 8 digits first, its own alphabet, a check."""
    if not isinstance(raw, str):
        raise Invalid("请输入统一社会信用代码", "Please enter the unified social credit code")
    _refuse_unreadable(raw)
    text = unicodedata.normalize("NFKC", raw).strip().replace(" ", "").replace("-", "").upper()
    for position, c in enumerate(text, 1):
        if c in "IOZSV":
            raise Invalid(
                f"统一社会信用代码不用字母 I、O、Z、S、V，第 {position} 位“{c}”不对"
                "（是否应为数字 1、0、2、5 或字母 U？）",
                f"The code never uses the letters I, O, Z, S or V; character {position} "
                "is one of them (1, 0, 2, 5 or U?)",
            )
        if c not in USCC_ALPHABET:
            raise Invalid(
                f"统一社会信用代码只有数字和大写字母，第 {position} 位“{c}”不对",
                f"The code holds only digits and capital letters; character {position} is neither",
            )
    if len(text) != 18:
        raise Invalid(
            f"统一社会信用代码应为 18 位，现在是 {len(text)} 位",
            f"The unified social credit code has 18 characters; this one has {len(text)}",
        )
    for position, c in enumerate(text[:8], 1):
        if not c.isdigit():
            raise Invalid(
                f"统一社会信用代码前 8 位应为数字，第 {position} 位“{c}”不对，请核对营业执照",
                f"The first 8 characters of the code are digits; character {position} is not",
            )
    try:
        return str(uscc.validate(text))
    except StdnumError:  # length, alphabet and digits are checked above: the check character
        raise Invalid(
            "统一社会信用代码校验位（第 18 位）不符，请逐位核对营业执照",
            "The code's check character (the 18th) does not match; please copy it from the licence",
        ) from None


def _mobile(raw: Any, field: FormField) -> str:
    if not isinstance(raw, str | int) or isinstance(raw, bool):
        raise Invalid("请输入手机号码", "Please enter a mobile number")
    text = re.sub(r"[\s-]", "", _str(raw))
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        number = None
    if (
        number is None
        or number.country_code != 86
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) is not phonenumbers.PhoneNumberType.MOBILE
    ):
        raise Invalid(
            "请输入 11 位中国大陆手机号码", "Please enter an 11-digit mainland China mobile number"
        )
    return str(number.national_number)


def _address(raw: Any, field: FormField) -> dict[str, str]:
    if not isinstance(raw, Mapping):
        raise Invalid("请填写完整地址", "Please fill in the whole address")
    _refuse_unreadable(raw)
    result: dict[str, str] = {}
    names = {
        "province": ("省", "province"),
        "city": ("市", "city"),
        "district": ("区（县）", "district"),
        "detail": ("详细地址", "street address"),
    }
    for part in ADDRESS_PARTS:
        value = raw.get(part)
        if not isinstance(value, str) or not value.strip():
            zh, en = names[part]
            raise Invalid(f"请填写地址中的“{zh}”", f"Please fill in the {en}")
        value = unicodedata.normalize("NFC", re.sub(r"\s+", " ", value.strip()))
        if any(ord(c) < 32 for c in value):  # as for text: a NUL would not survive the database
            raise Invalid(
                "包含无法识别的控制字符，请重新输入", "Contains control characters; please retype"
            )
        if len(value) > (200 if part == "detail" else 20):
            raise Invalid("地址过长，请简写", "The address is too long; please shorten it")
        result[part] = value
    if set(raw) - set(ADDRESS_PARTS):
        raise Invalid("地址格式不正确", "The address is malformed")
    return result


def format_address(value: Mapping[str, str]) -> str:
    return "".join(value.get(part, "") for part in ADDRESS_PARTS)


_VALIDATORS: dict[FieldType, Callable[[Any, FormField], Any]] = {
    FieldType.TEXT: lambda raw, f: _text(raw, f, multiline=False),
    FieldType.LONG_TEXT: lambda raw, f: _text(raw, f, multiline=True),
    FieldType.INTEGER: _integer,
    FieldType.MONEY: _money,
    FieldType.DATE: _date,
    FieldType.CHOICE: _choice,
    FieldType.MULTI_CHOICE: _multi_choice,
    FieldType.YESNO: _yesno,
    FieldType.ID_NUMBER: id_number,
    FieldType.USCC: _uscc,
    FieldType.MOBILE: _mobile,
    FieldType.ADDRESS: _address,
}


def normalise(field: FormField, raw: Any) -> Any:
    """The field's value in canonical form, or :class:`Invalid`."""
    _refuse_unreadable(raw)  # whatever the type: nothing unstorable gets in
    return _VALIDATORS[field.type](raw, field)


def is_empty(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, list | tuple | set):
        return not raw
    if isinstance(raw, Mapping):
        return all(is_empty(v) for v in raw.values())
    return False


def display(field: FormField, value: Any, language: str = "zh") -> str:
    """A value as the visitor and the printed form show it."""
    if value is None:
        return ""
    if field.type is FieldType.YESNO:
        return ("Yes" if value else "No") if language == "en" else ("是" if value else "否")
    if field.type in (FieldType.CHOICE, FieldType.MULTI_CHOICE):
        labels = {o.value: o.label(language) for o in field.options}
        values = value if isinstance(value, list) else [value]
        return "、".join(labels.get(v, str(v)) for v in values)
    if field.type is FieldType.ADDRESS and isinstance(value, Mapping):
        return format_address(value)
    return str(value)
