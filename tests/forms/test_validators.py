"""Field-type validators: valid input normalised, invalid input refused in zh and en."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from kiosk.catalog.model import FieldType, FormField
from kiosk.forms.validators import (
    Invalid,
    Message,
    display,
    format_address,
    free_text,
    id_number,
    is_empty,
    normalise,
)
from tests.catalog.samples import ID_1985, ID_CHILD, ID_X, USCC_OK

OPTIONS = [
    {"value": "a", "label": {"zh": "甲", "en": "A"}},
    {"value": "b", "label": {"zh": "乙", "en": "B"}},
    {"value": "c", "label": {"zh": "丙", "en": "C"}},
]
ADDRESS = {"province": "江苏省", "city": "苏州市", "district": "吴中区", "detail": "人民路 8 号"}


def make(kind: FieldType | str, **extra: Any) -> FormField:
    kind = FieldType(kind)
    if kind in (FieldType.CHOICE, FieldType.MULTI_CHOICE):
        extra.setdefault("options", OPTIONS)
    return FormField(id="f", type=kind, label={"zh": "字段", "en": "Field"}, example="x", **extra)


def refused(kind: FieldType | str, raw: Any, **extra: Any) -> Message:
    with pytest.raises(Invalid) as caught:
        normalise(make(kind, **extra), raw)
    message = caught.value.message
    assert message.zh and message.en
    assert message.zh != message.en
    assert any("\u4e00" <= c <= "\u9fff" for c in message.zh)  # the zh message is Chinese
    assert message.en.isascii()
    assert str(caught.value) == message.en
    assert message("zh") == message.zh and message("en") == message.en
    return message


def with_check_digit(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "0")


# ── text and long text ─────────────────────────────────────────────────────


def test_text_is_stripped_and_spaces_collapsed() -> None:
    assert normalise(make("text"), "  王   小明 \t") == "王 小明"
    assert normalise(make("text"), "\u3000示范镇\u3000") == "示范镇"


def test_long_text_keeps_its_lines() -> None:
    assert normalise(make("long_text"), " 第一行\n第二行 ") == "第一行\n第二行"


@pytest.mark.parametrize("kind", ["text", "long_text"])
def test_text_refuses_control_characters(kind: str) -> None:
    message = refused(kind, "a\x00b")
    assert message == Message(
        "包含无法识别的控制字符，请重新输入", "Contains control characters; please retype"
    )
    refused(kind, "bell\x07")


def test_text_limits() -> None:
    assert normalise(make("text"), "字" * 200) == "字" * 200
    message = refused("text", "字" * 201)
    assert message == Message(
        "最多 200 个字，当前 201 个字", "At most 200 characters; you entered 201"
    )
    assert refused("text", "abcdef", max_length=5).en == "At most 5 characters; you entered 6"
    assert normalise(make("long_text"), "字" * 2000)
    refused("long_text", "字" * 2001)


UNREADABLE = Message(
    "包含无法识别的字符，请删除后重新输入",
    "Contains a character that cannot be read; please retype",
)


@pytest.mark.parametrize(
    ("kind", "raw"),
    [
        ("text", "王\ud800明"),  # a lone surrogate passed before and crashed the submit
        ("long_text", "第一行\n\udfff"),
        ("text", "王\ufffe明"),  # a noncharacter
        ("text", "\ufdd0"),
        ("address", {**ADDRESS, "detail": "人民路\ud83d 8 号"}),
        ("id_number", "11010519491231002\ud800"),
        ("uscc", "\udc0091320505MA1P7Q8R0"),
        ("multi_choice", ["a", "\ud800"]),
        ("choice", "\ud800"),
        ("mobile", "138\ud80012345678"),
    ],
)
def test_unreadable_text_is_refused_with_a_message(kind: str, raw: Any) -> None:
    assert refused(kind, raw) == UNREADABLE


def test_what_is_accepted_can_always_be_encoded() -> None:
    value = normalise(make("text"), "王\U0002a6a5明")  # a rare character beyond the BMP is fine
    assert value.encode("utf-8")
    assert id_number("11010519491231002x") == "11010519491231002X"


def test_text_is_normalised_to_nfc() -> None:
    decomposed = "Zoe\u0308 e\u0301"  # ë and é as letter + combining mark
    assert normalise(make("text"), decomposed) == "Zo\u00eb \u00e9"
    assert normalise(make("long_text"), decomposed) == "Zo\u00eb \u00e9"
    address = normalise(make("address"), {**ADDRESS, "detail": "Cafe\u0301 街 1 号"})
    assert address["detail"] == "Caf\u00e9 街 1 号"


def test_free_text_is_the_rule_for_any_typed_text() -> None:
    # e.g. a rating comment: the same rules as a form's text field, its own limit.
    assert free_text("  很好\n谢谢 ", max_length=10, multiline=True) == "很好\n谢谢"
    with pytest.raises(Invalid) as caught:
        free_text("很\ud800好", max_length=10)
    assert caught.value.message == UNREADABLE
    with pytest.raises(Invalid):
        free_text("很好" * 6, max_length=10)


@pytest.mark.parametrize("raw", [3, 4.5, None, ["a"], {"a": 1}, True, b"bytes"])
def test_text_must_be_text(raw: Any) -> None:
    assert refused("text", raw) == Message("请输入文字", "Please enter text")


# ── integer ────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "raw, value",
    [("42", 42), (" 1,234 ", 1234), ("1，234", 1234), ("-3", -3), ("+7", 7), (7, 7), ("０８", 8)],
)
def test_integer_accepts(raw: Any, value: int) -> None:
    result = normalise(make("integer"), raw)
    assert result == value and type(result) is int


@pytest.mark.parametrize("raw", ["4.0", "abc", "", "1e3", "1234567890123456", 10**30, 4.5, None])
def test_integer_refuses(raw: Any) -> None:
    assert refused("integer", raw) == Message(
        "请输入整数（不带小数点）", "Please enter a whole number (no decimal point)"
    )


def test_integer_refuses_yes_and_no() -> None:
    assert refused("integer", True) == Message("请输入整数", "Please enter a whole number")


# ── money ──────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "raw, value",
    [
        ("1500", "1500.00"),
        ("1,500.5", "1500.50"),
        ("¥12.34", "12.34"),
        ("￥0", "0.00"),
        ("-0", "0.00"),
        (5, "5.00"),
        (12.5, "12.50"),
        ("999999999999.99", "999999999999.99"),
        ("１２", "12.00"),
    ],
)
def test_money_accepts_two_decimals(raw: Any, value: str) -> None:
    assert normalise(make("money"), raw) == value


@pytest.mark.parametrize("raw", ["1.234", "abc", "1e3", "12.", ".5", "", "1 000 000", None])
def test_money_refuses_more_than_two_decimals_and_non_numbers(raw: Any) -> None:
    assert refused("money", raw) == Message(
        "请输入金额，最多两位小数，如 1500.00",
        "Please enter an amount with at most two decimals, e.g. 1500.00",
    )


@pytest.mark.parametrize("raw", ["-5", "-0.01", -3])
def test_money_refuses_negatives(raw: Any) -> None:
    assert refused("money", raw) == Message("金额不能为负数", "The amount cannot be negative")


def test_money_refuses_absurd_amounts() -> None:
    assert refused("money", "1000000000000").en == "The amount is too large; please check it"
    assert refused("money", True).en == "Please enter an amount"


# ── dates ──────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "raw",
    [
        "2025-03-08",
        "2025-3-8",
        "2025/03/08",
        "2025.3.8",
        "2025年3月8日",
        " 2025-03-08 ",
        dt.date(2025, 3, 8),
        dt.datetime(2025, 3, 8, 14, 30),
    ],
)
def test_date_accepts(raw: Any) -> None:
    assert normalise(make("date"), raw) == "2025-03-08"


def test_a_leap_day() -> None:
    assert normalise(make("date"), "2024-02-29") == "2024-02-29"
    assert refused("date", "2023-02-29") == Message(
        "没有这一天，请核对日期", "That day does not exist; please check the date"
    )


@pytest.mark.parametrize("raw", ["2025-13-01", "2025-04-31", "0000-01-01"])
def test_date_refuses_days_that_do_not_exist(raw: str) -> None:
    assert refused("date", raw).en == "That day does not exist; please check the date"


@pytest.mark.parametrize("raw", ["08/03/2025", "tomorrow", "", "2025-03", 20250308, None, []])
def test_date_refuses_other_formats(raw: Any) -> None:
    assert refused("date", raw) == Message(
        "请按 年-月-日 输入日期，如 2025-03-08",
        "Please enter the date as year-month-day, e.g. 2025-03-08",
    )


# ── choices and yes/no ─────────────────────────────────────────────────────


def test_choice() -> None:
    assert normalise(make("choice"), "b") == "b"
    assert refused("choice", "d") == Message(
        "请从选项中选择一项", "Please choose one of the options"
    )
    refused("choice", "甲")  # the label is not the value
    refused("choice", ["a"])
    refused("choice", None)


def test_multi_choice_keeps_option_order_without_duplicates() -> None:
    field = make("multi_choice")
    assert normalise(field, ["c", "a"]) == ["a", "c"]
    assert normalise(field, ("b", "b")) == ["b"]
    assert normalise(field, {"a"}) == ["a"]
    assert normalise(field, []) == []


@pytest.mark.parametrize("raw", [["a", "d"], ["a", 1], [["a"]], [{"a": 1}], [None]])
def test_multi_choice_refuses_what_is_not_offered(raw: Any) -> None:
    assert refused("multi_choice", raw) == Message(
        "包含不在选项中的内容", "Contains a choice that is not offered"
    )


@pytest.mark.parametrize("raw", ["a", "a,b", None, 1, {"a": True}])
def test_multi_choice_needs_a_list(raw: Any) -> None:
    assert refused("multi_choice", raw) == Message(
        "请从选项中选择", "Please choose from the options"
    )


def test_yes_no() -> None:
    assert normalise(make("yesno"), True) is True
    assert normalise(make("yesno"), False) is False
    for raw in ["yes", "是", 1, 0, None]:
        assert refused("yesno", raw) == Message("请选择“是”或“否”", "Please choose Yes or No")


# ── 居民身份证号 ─────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "raw, value",
    [
        (ID_1985, ID_1985),
        (ID_CHILD, ID_CHILD),
        (ID_X, ID_X),
        (ID_X.lower(), ID_X),  # lower-case x normalised
        (" 3205 0619 8503 1512 38 ", ID_1985),
        ("３２０５０６１９８５０３１５１２３８", ID_1985),  # full-width input method
        ("１１０１０５１９４９１２３１００２ｘ", ID_X),
    ],
)
def test_id_number_accepts(raw: str, value: str) -> None:
    assert normalise(make("id_number"), raw) == value


def test_a_county_code_assigned_after_the_birth_year_is_accepted() -> None:
    # 320506 (吴中区) was created in 2000; a citizen born there in 1985 holds this number.
    assert id_number("320506198503151238") == "320506198503151238"


def test_id_number_check_digit() -> None:
    wrong = ID_1985[:-1] + ("0" if ID_1985[-1] != "0" else "1")
    assert refused("id_number", wrong) == Message(
        "身份证号码校验位不对，请逐位核对",
        "The ID number's check digit is wrong; please check each digit",
    )
    refused("id_number", ID_X[:-1] + "0")


@pytest.mark.parametrize(
    ("raw", "length"),
    [(ID_1985[:-1], 17), (ID_1985 + "1", 19), ("", 0), ("110105194912310", 15)],
)
def test_id_number_length_says_how_many(raw: str, length: int) -> None:
    assert refused("id_number", raw) == Message(
        f"身份证号码应为 18 位，现在是 {length} 位",
        f"An ID number has 18 characters; this one has {length}",
    )


@pytest.mark.parametrize(
    ("raw", "position", "char"),
    [
        ("32050619850315123Y", 18, "Y"),
        ("3205061985A3151238", 11, "A"),  # 18 characters, a letter inside: not a length problem
        ("身份证号码身份证号码身份证号码身份证", 1, "身"),
        ("١١٠١٠٥١٩٤٩١٢٣١٠٠٢X", 1, "١"),  # Arabic-Indic digits are not an ID number
        ("320506-19850315123", 7, "-"),
    ],
)
def test_id_number_names_the_character_not_allowed(raw: str, position: int, char: str) -> None:
    assert refused("id_number", raw) == Message(
        f"身份证号码只能包含数字和 X，第 {position} 位“{char}”不对，请核对",
        f"An ID number holds only digits and X; character {position} is not one of them",
    )


def test_id_number_x_only_last() -> None:
    assert refused("id_number", "X20506198503151238") == Message(
        "X 只能是身份证号码的最后一位（第 1 位是 X），请核对",
        "X can only be the last character of an ID number (character 1 is X)",
    )


@pytest.mark.parametrize("birth", ["19850230", "19851301", "19850000", "00000101"])
def test_id_number_needs_a_real_birth_date(birth: str) -> None:
    number = with_check_digit("320506" + birth + "123")
    assert refused("id_number", number) == Message(
        "身份证号码中的出生日期不存在，请核对",
        "The birth date inside the ID number does not exist; please check it",
    )


def test_id_number_birth_date_not_in_the_future() -> None:
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    number = with_check_digit("320506" + tomorrow.strftime("%Y%m%d") + "123")
    message = refused("id_number", number)
    assert message == Message(
        "身份证号码中的出生日期不正确，请核对",
        "The birth date inside the ID number is not possible; please check it",
    )
    assert id_number(ID_CHILD, today=dt.date(2024, 1, 1)) == ID_CHILD  # born today: fine
    with pytest.raises(Invalid, match="not possible"):
        id_number(ID_CHILD, today=dt.date(2023, 12, 31))


def test_id_number_birth_year_before_1890_is_not_possible() -> None:
    with pytest.raises(Invalid, match="not possible"):
        id_number(with_check_digit("32050618800101123"))


def test_id_number_province_code() -> None:
    number = with_check_digit("99050619850315123")
    assert refused("id_number", number) == Message(
        "身份证号码前两位（省份代码）不正确，请核对",
        "The first two digits (province code) of the ID number are wrong",
    )


@pytest.mark.parametrize("raw", [320506198503151238, None, ["x"]])
def test_id_number_must_be_text(raw: Any) -> None:
    assert refused("id_number", raw) == Message("请输入身份证号码", "Please enter the ID number")


# ── 统一社会信用代码 (python-stdnum cn.uscc) ────────────────────────────────


@pytest.mark.parametrize(
    "raw",
    [USCC_OK, USCC_OK.lower(), " 9132 0505 MA1P 7Q8R 0H ", "９１３２０５０５ＭＡ１Ｐ７Ｑ８Ｒ０Ｈ"],
)
def test_uscc_accepts(raw: str) -> None:
    assert normalise(make("uscc"), raw) == USCC_OK


def test_uscc_check_character() -> None:
    assert refused("uscc", USCC_OK[:-1] + "J") == Message(
        "统一社会信用代码校验位（第 18 位）不符，请逐位核对营业执照",
        "The code's check character (the 18th) does not match; please copy it from the licence",
    )


@pytest.mark.parametrize("letter", list("IOZSV"))
def test_uscc_letters_it_never_uses_are_named_not_blamed_on_the_check(letter: str) -> None:
    raw = USCC_OK[:9] + letter + USCC_OK[10:]
    message = refused("uscc", raw)
    assert message.zh.startswith(f"统一社会信用代码不用字母 I、O、Z、S、V，第 10 位“{letter}”不对")
    assert "校验" not in message.zh
    assert "character 10" in message.en


def test_uscc_other_characters_and_format() -> None:
    assert refused("uscc", USCC_OK[:5] + "#" + USCC_OK[6:]) == Message(
        "统一社会信用代码只有数字和大写字母，第 6 位“#”不对",
        "The code holds only digits and capital letters; character 6 is neither",
    )
    assert refused("uscc", "9132A505MA1P7Q8R0H") == Message(
        "统一社会信用代码前 8 位应为数字，第 5 位“A”不对，请核对营业执照",
        "The first 8 characters of the code are digits; character 5 is not",
    )


@pytest.mark.parametrize(("raw", "length"), [(USCC_OK[:-1], 17), (USCC_OK + "0", 19), ("", 0)])
def test_uscc_length(raw: str, length: int) -> None:
    assert refused("uscc", raw) == Message(
        f"统一社会信用代码应为 18 位，现在是 {length} 位",
        f"The unified social credit code has 18 characters; this one has {length}",
    )


def test_uscc_must_be_text() -> None:
    assert refused("uscc", 91320505).en == "Please enter the unified social credit code"


# ── mobile (phonenumbers, CN) ──────────────────────────────────────────────


@pytest.mark.parametrize(
    "raw",
    [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "+86 138 1234 5678",
        "008613812345678",
        "１３８１２３４５６７８",
        13812345678,
    ],
)
def test_mobile_accepts(raw: Any) -> None:
    assert normalise(make("mobile"), raw) == "13812345678"


@pytest.mark.parametrize(
    "raw",
    [
        "051268001234",  # a fixed line in Suzhou
        "12345678901",
        "1381234567",  # 10 digits
        "138123456789",
        "+1 650 253 0000",  # not China
        "+852 6123 4567",  # Hong Kong: not mainland
        "abc",
        "",
        None,
        True,
        13.8,
    ],
)
def test_mobile_refuses(raw: Any) -> None:
    message = refused("mobile", raw)
    assert message.en in (
        "Please enter an 11-digit mainland China mobile number",
        "Please enter a mobile number",
    )


# ── address ────────────────────────────────────────────────────────────────


def test_address() -> None:
    field = make("address")
    assert normalise(field, ADDRESS) == ADDRESS
    spaced = {**ADDRESS, "detail": "  人民路   8 号 "}
    assert normalise(field, spaced)["detail"] == "人民路 8 号"
    assert format_address(ADDRESS) == "江苏省苏州市吴中区人民路 8 号"


@pytest.mark.parametrize(
    "part, zh, en",
    [
        ("province", "省", "province"),
        ("city", "市", "city"),
        ("district", "区（县）", "district"),
        ("detail", "详细地址", "street address"),
    ],
)
def test_every_address_part_is_needed(part: str, zh: str, en: str) -> None:
    expected = Message(f"请填写地址中的“{zh}”", f"Please fill in the {en}")
    assert refused("address", {k: v for k, v in ADDRESS.items() if k != part}) == expected
    assert refused("address", {**ADDRESS, part: "  "}) == expected
    assert refused("address", {**ADDRESS, part: 3}) == expected


def test_address_limits() -> None:
    refused("address", {**ADDRESS, "city": "市" * 21})
    assert normalise(make("address"), {**ADDRESS, "detail": "路" * 200})
    assert refused("address", {**ADDRESS, "detail": "路" * 201}) == Message(
        "地址过长，请简写", "The address is too long; please shorten it"
    )


def test_address_refuses_unknown_parts_and_control_characters() -> None:
    assert refused("address", {**ADDRESS, "postcode": "215000"}) == Message(
        "地址格式不正确", "The address is malformed"
    )
    refused("address", {**ADDRESS, "detail": "人民路\x008 号"})


@pytest.mark.parametrize("raw", ["江苏省苏州市", None, ["江苏省"], 5])
def test_address_must_be_parts(raw: Any) -> None:
    assert refused("address", raw) == Message("请填写完整地址", "Please fill in the whole address")


# ── display and emptiness ──────────────────────────────────────────────────


def test_display() -> None:
    assert display(make("yesno"), True) == "是"
    assert display(make("yesno"), False, "en") == "No"
    assert display(make("choice"), "b") == "乙"
    assert display(make("multi_choice"), ["a", "c"], "en") == "A、C"
    assert display(make("address"), ADDRESS) == "江苏省苏州市吴中区人民路 8 号"
    assert display(make("money"), "12.00") == "12.00"
    assert display(make("text"), None) == ""


@pytest.mark.parametrize("raw", [None, "", "  ", [], (), set(), {}, {"province": " ", "city": ""}])
def test_empty(raw: Any) -> None:
    assert is_empty(raw)


@pytest.mark.parametrize("raw", [0, False, "0", ["a"], {"province": "江苏省"}])
def test_not_empty(raw: Any) -> None:
    assert not is_empty(raw)


# ── Hypothesis: every validator is total ────────────────────────────────────

binaryish = st.binary(max_size=40).map(lambda b: b.decode("latin-1"))
# Text that may hold lone surrogates and noncharacters (st.text leaves those out).
halfpairs = st.text(
    st.one_of(st.characters(), st.sampled_from(["\ud800", "\udfff", "\ufffe", "\U0010ffff"])),
    max_size=20,
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**4400, max_value=10**4500),  # str() of these raises ValueError
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True),
    st.text(max_size=40),
    binaryish,
    halfpairs,
    st.dates(),
    st.sampled_from(["", "a", "b", "13812345678", ID_1985, USCC_OK, "2024-02-29", "1,000.00"]),
)
anything = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.tuples(children, children),
        st.dictionaries(st.text(max_size=8), children, max_size=4),
        st.dictionaries(
            st.sampled_from(["province", "city", "district", "detail", "extra"]),
            st.one_of(st.text(max_size=30), binaryish, children),
            max_size=5,
        ),
    ),
    max_leaves=8,
)


@pytest.mark.parametrize("kind", list(FieldType))
@settings(max_examples=150, deadline=None)
@given(raw=anything)
def test_every_validator_returns_a_value_or_raises_invalid(kind: FieldType, raw: Any) -> None:
    field = make(kind)
    try:
        value = normalise(field, raw)
    except Invalid as exc:
        assert exc.message.zh and exc.message.en
        return
    # A normalised value is stable: the session stores it and may validate it again.
    assert normalise(field, value) == value
    json.dumps(value, ensure_ascii=False, default=str).encode("utf-8")  # storable as UTF-8
    display(field, value)
    display(field, value, "en")


@pytest.mark.parametrize("kind", ["integer", "money", "date", "mobile"])
def test_a_number_too_long_for_str_is_refused_calmly(kind: str) -> None:
    refused(kind, 10**5000)  # str() raises ValueError beyond 4,300 digits
