"""Filling an item's form or a bundle's forms: rules, messages, sources, shared fields."""

from __future__ import annotations

import pytest

from kiosk.catalog import Catalog, parse_catalog
from kiosk.forms.filling import (
    NOT_OFFERED,
    READ_ONLY,
    REQUIRED,
    SHARED_TITLE,
    EnteredValue,
    Filling,
    Source,
)
from kiosk.message import Message
from kiosk.session import VisitorSession
from tests.catalog.samples import ID_1985, ID_X, SAMPLE_YAML, sample_catalog

ADDRESS = {"province": "江苏省", "city": "苏州市", "district": "吴中区", "detail": "老街 3 号"}

# Everything T-REG needs, typed by a visitor (has_helper left out: it is optional).
T_REG_VALUES = {
    "person_name": "王小明",
    "person_id": ID_1985,
    "phone": "13812345678",
    "shop_name": "河口小王面馆",
    "capital": "5000",
    "staff": "2",
    "open_date": "2026-05-01",
    "goods": ["noodles"],
    "scope": "餐饮服务",
    "shop_address": ADDRESS,
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return sample_catalog()


def fill(filling: Filling, item: str, values: dict[str, object]) -> None:
    for field_id, raw in values.items():
        assert filling.set(filling.key(item, field_id), raw) is None, field_id


def errors(filling: Filling, item: str) -> dict[str, str]:
    return {
        s.slot.field.id: s.error.en for s in filling.report(item).problems if s.error is not None
    }


# ── one item ───────────────────────────────────────────────────────────────


def test_slots_and_pages_of_one_item(catalog: Catalog) -> None:
    item = catalog.items["T-REG"]
    filling = Filling.for_item(item)
    assert list(filling.slots()) == [f"T-REG.{f.id}" for f in item.field_list]
    assert all(slot.items == ("T-REG",) for slot in filling.slots().values())
    (page,) = filling.pages()
    assert page.item == "T-REG" and page.title == item.name
    assert [s.field.id for s in page.slots] == [f.id for f in item.field_list]


def test_required_fields(catalog: Catalog) -> None:
    filling = Filling.for_item(catalog.items["T-REG"])
    missing = errors(filling, "T-REG")
    assert set(missing) == set(T_REG_VALUES)  # has_helper and the helper fields are optional
    assert set(missing.values()) == {"This field is required"}
    assert Message("此项必填", "This field is required") == REQUIRED
    assert not filling.is_complete()
    fill(filling, "T-REG", T_REG_VALUES)
    assert errors(filling, "T-REG") == {}
    assert filling.is_complete()


def test_required_if(catalog: Catalog) -> None:
    filling = Filling.for_item(catalog.items["T-REG"])
    fill(filling, "T-REG", T_REG_VALUES)
    status = {s.slot.field.id: s for s in filling.report("T-REG").fields}
    assert not status["helper_name"].required
    filling.set("T-REG.has_helper", False)
    assert filling.is_complete()
    filling.set("T-REG.has_helper", True)
    assert errors(filling, "T-REG") == {"helper_name": "This field is required"}
    filling.set("T-REG.helper_name", "李小红")
    assert filling.is_complete()


def test_relevant_if_drops_irrelevant_values_from_the_form(catalog: Catalog) -> None:
    filling = Filling.for_item(catalog.items["T-REG"])
    fill(filling, "T-REG", T_REG_VALUES)
    filling.set("T-REG.has_helper", True)
    filling.set("T-REG.helper_name", "李小红")
    filling.set("T-REG.helper_count", "3")
    assert filling.form_values("T-REG")["helper_count"].value == 3
    filling.set("T-REG.has_helper", False)  # the visitor changes their mind
    values = filling.form_values("T-REG")
    assert "helper_count" not in values  # irrelevant: not printed, not submitted
    assert values["helper_name"].value == "李小红"  # only required_if: still relevant
    status = {s.slot.field.id: s for s in filling.report("T-REG").fields}
    assert not status["helper_count"].relevant
    assert status["helper_count"].error is None and not status["helper_count"].required


def test_an_unanswered_relevant_if_means_not_relevant(catalog: Catalog) -> None:
    filling = Filling.for_item(catalog.items["T-REG"])
    filling.set("T-REG.helper_count", "3")
    assert "helper_count" not in filling.form_values("T-REG")


@pytest.mark.parametrize(
    "field_id, raw, zh, en",
    [
        ("capital", "0", "资金数额须大于 0", "The capital must be above 0"),
        ("staff", "0", "至少 1 人", "At least 1 person"),
        ("open_date", "2019-12-31", "开业日期不早于 2020 年", "Not before 2020"),
        ("shop_name", "小店", "店名至少 4 个字", "The shop name needs at least 4 characters"),
    ],
)
def test_constraints_with_their_messages(
    catalog: Catalog, field_id: str, raw: str, zh: str, en: str
) -> None:
    filling = Filling.for_item(catalog.items["T-REG"])
    fill(filling, "T-REG", T_REG_VALUES)
    assert filling.set(f"T-REG.{field_id}", raw) is None  # valid for its type …
    (problem,) = filling.report("T-REG").problems  # … but breaks the bureau's rule
    assert problem.slot.field.id == field_id
    assert problem.error == Message(zh, en)
    assert problem.entered is not None  # the value is kept, so the visitor can correct it
    assert not filling.is_complete()


def test_an_invalid_input_keeps_the_previous_valid_value(catalog: Catalog) -> None:
    filling = Filling.for_item(catalog.items["T-REG"])
    assert filling.set("T-REG.phone", "138 1234 5678", Source.STAFF) is None
    message = filling.set("T-REG.phone", "123")
    assert message == Message(
        "请输入 11 位中国大陆手机号码", "Please enter an 11-digit mainland China mobile number"
    )
    assert filling.get("T-REG.phone") == EnteredValue("13812345678", Source.STAFF)
    assert filling.set("T-REG.capital", "-5") is not None
    assert filling.get("T-REG.capital") is None  # nothing valid was there before


def test_an_empty_input_clears_the_value(catalog: Catalog) -> None:
    filling = Filling.for_item(catalog.items["T-REG"])
    filling.set("T-REG.person_name", "王小明")
    assert filling.set("T-REG.person_name", "   ") is None
    assert filling.get("T-REG.person_name") is None
    assert errors(filling, "T-REG")["person_name"] == "This field is required"


def test_every_value_records_who_entered_it(catalog: Catalog) -> None:
    filling = Filling.for_item(catalog.items["T-REG"])
    filling.set("T-REG.person_name", "王小明", Source.ID_CARD)
    filling.set("T-REG.person_id", ID_1985, Source.ID_CARD)
    filling.set("T-REG.phone", "13812345678")
    filling.set("T-REG.shop_name", "河口小王面馆", Source.STAFF)
    assert {k: v.source for k, v in filling.values().items()} == {
        "T-REG.person_name": Source.ID_CARD,
        "T-REG.person_id": Source.ID_CARD,
        "T-REG.phone": Source.CITIZEN,
        "T-REG.shop_name": Source.STAFF,
    }
    filling.set("T-REG.person_name", "王晓明")  # the citizen corrects the card reader
    assert filling.get("T-REG.person_name") == EnteredValue("王晓明", Source.CITIZEN)
    assert [s.value for s in Source] == ["citizen", "staff", "id_card", "prefilled"]


def test_values_are_normalised_and_displayed(catalog: Catalog) -> None:
    filling = Filling.for_item(catalog.items["T-REG"])
    fill(filling, "T-REG", T_REG_VALUES)
    assert filling.get("T-REG.capital").value == "5000.00"
    assert filling.get("T-REG.staff").value == 2
    assert filling.display("T-REG.goods") == "面食"
    assert filling.display("T-REG.goods", "en") == "Noodles"
    assert filling.display("T-REG.shop_address") == "江苏省苏州市吴中区老街 3 号"
    assert filling.display("T-REG.helper_name") == ""
    assert filling.display("NOPE.x") == ""


def test_an_unknown_key(catalog: Catalog) -> None:
    filling = Filling.for_item(catalog.items["T-REG"])
    with pytest.raises(KeyError):
        filling.set("T-TAX.tax_type", "small")
    with pytest.raises(KeyError):
        filling.set("person_name", "王小明")  # not a bundle: keys are ITEM.FIELD


def test_clear_forgets_every_value(catalog: Catalog) -> None:
    filling = Filling.for_item(catalog.items["T-REG"])
    fill(filling, "T-REG", T_REG_VALUES)
    filling.clear()
    assert filling.values() == {}


# ── bundles: shared fields typed once ──────────────────────────────────────


def test_bundle_slots_and_pages(catalog: Catalog) -> None:
    bundle = catalog.bundles["B-SHOP"]
    members = [catalog.items["T-REG"], catalog.items["T-TAX"]]
    filling = Filling.for_bundle(bundle, members)
    assert filling.shared == {"person_name", "person_id", "phone", "shop_name"}
    slots = filling.slots()
    assert slots["person_name"].items == ("T-REG", "T-TAX")
    assert slots["shop_name"].items == ("T-REG",)  # T-TAX has no shop name
    assert "T-REG.person_name" not in slots
    assert slots["T-TAX.tax_type"].items == ("T-TAX",)
    pages = filling.pages()
    assert [p.item for p in pages] == [None, "T-REG", "T-TAX"]
    assert pages[0].title == SHARED_TITLE
    assert [s.key for s in pages[0].slots] == ["person_name", "person_id", "phone", "shop_name"]
    assert [s.key for s in pages[2].slots] == ["T-TAX.tax_type"]


def test_a_shared_field_typed_once_feeds_every_chosen_member(catalog: Catalog) -> None:
    bundle = catalog.bundles["B-SHOP"]
    members = [catalog.items[c] for c in ("T-REG", "T-TAX", "T-SEAL")]
    filling = Filling.for_bundle(bundle, members)
    assert filling.set("person_name", "王小明", Source.ID_CARD) is None
    assert filling.set("shop_name", "河口小王面馆") is None
    for code in ("T-REG", "T-TAX", "T-SEAL"):
        assert filling.form_values(code)["person_name"] == EnteredValue("王小明", Source.ID_CARD)
    assert filling.form_values("T-SEAL")["shop_name"].value == "河口小王面馆"
    assert "shop_name" not in filling.form_values("T-TAX")


def test_each_member_form_reports_its_own_completeness(catalog: Catalog) -> None:
    bundle = catalog.bundles["B-SHOP"]
    members = [catalog.items[c] for c in ("T-REG", "T-TAX", "T-SEAL")]
    filling = Filling.for_bundle(bundle, members)
    filling.set("person_name", "王小明")
    filling.set("person_id", ID_1985)
    filling.set("phone", "13812345678")
    filling.set("T-TAX.tax_type", "small")
    complete = {r.item: r.complete for r in filling.reports()}
    assert complete == {"T-REG": False, "T-TAX": True, "T-SEAL": False}
    assert errors(filling, "T-SEAL") == {
        "shop_name": "This field is required",
        "seal_count": "This field is required",
    }
    filling.set("shop_name", "河口小王面馆")
    filling.set("T-SEAL.seal_count", "2")
    assert filling.report("T-SEAL").complete
    assert not filling.is_complete()
    fill(filling, "T-REG", {k: v for k, v in T_REG_VALUES.items() if k not in filling.shared})
    assert filling.is_complete()


def test_a_shared_value_breaking_one_members_rule_marks_only_that_member(catalog: Catalog) -> None:
    bundle = catalog.bundles["B-SHOP"]
    members = [catalog.items[c] for c in ("T-REG", "T-SEAL")]
    filling = Filling.for_bundle(bundle, members)
    filling.set("shop_name", "小店")  # too short for the constraint on both forms
    assert errors(filling, "T-REG")["shop_name"] == "The shop name needs at least 4 characters"
    assert errors(filling, "T-SEAL")["shop_name"] == "The shop name needs at least 4 characters"


def test_same_local_field_id_on_two_items_is_two_values_unless_shared() -> None:
    text = SAMPLE_YAML.replace(
        "    shared_fields: [person_name, person_id, phone, shop_name]",
        "    shared_fields: [person_id]",
    )
    catalog = parse_catalog(text, "hekou.yaml")
    bundle = catalog.bundles["B-SHOP"]
    filling = Filling.for_bundle(bundle, [catalog.items["T-REG"], catalog.items["T-TAX"]])
    filling.set("T-REG.person_name", "王小明")
    filling.set("T-TAX.person_name", "王大明")
    assert filling.form_values("T-REG")["person_name"].value == "王小明"
    assert filling.form_values("T-TAX")["person_name"].value == "王大明"


def test_a_la_carte_choice_keeps_the_values_typed_so_far(catalog: Catalog) -> None:
    session = VisitorSession(catalog)
    bundle = catalog.bundles["B-SHOP"]
    session.start_bundle(bundle)
    assert session.chosen == ["T-REG", "T-TAX"]  # the required members
    filling = session.filling
    assert filling is not None
    filling.set("person_name", "王小明", Source.ID_CARD)
    filling.set("shop_name", "河口小王面馆")
    filling.set("T-TAX.tax_type", "general", Source.STAFF)

    session.choose_members(["T-SEAL"])
    assert session.chosen == ["T-REG", "T-TAX", "T-SEAL"]
    filling = session.filling
    assert filling is not None
    assert filling.get("person_name") == EnteredValue("王小明", Source.ID_CARD)
    assert filling.get("T-TAX.tax_type") == EnteredValue("general", Source.STAFF)
    assert filling.form_values("T-SEAL")["shop_name"].value == "河口小王面馆"
    filling.set("T-SEAL.seal_count", "1")

    session.choose_members([])  # T-SEAL dropped again; required members stay
    assert session.chosen == ["T-REG", "T-TAX"]
    filling = session.filling
    assert filling is not None
    assert "T-SEAL.seal_count" not in filling.values()
    assert filling.get("person_name") == EnteredValue("王小明", Source.ID_CARD)
    assert filling.get("shop_name").value == "河口小王面馆"

    session.choose_members(["T-REG"])  # naming a required member changes nothing
    assert session.chosen == ["T-REG", "T-TAX"]


# ── pre-filled fields, options that depend on answers, fields a member provides ──

PREFILLED = """\
      - id: birth_date
        type: date
        label: {zh: 出生日期, en: Date of birth}
        fill: {field: person_id, derived: birth_date}
      - id: sex
        type: choice
        label: {zh: 性别, en: Sex}
        options:
          - {value: male, label: {zh: 男, en: Male}}
          - {value: female, label: {zh: 女, en: Female}}
        fill: {field: person_id, derived: sex, editable: true}
      - id: age
        type: integer
        label: {zh: 年龄, en: Age}
        required: false
        fill: {field: person_id, derived: age}
        constraints:
          - check: {field: person_id, derived: age, gte: 18}
            message: {zh: 经营者须年满 18 周岁, en: The operator must be 18 or over}
      - id: by_agent
        type: yesno
        label: {zh: 委托办理, en: By an agent}
        fill: {question: agent}
"""


def prefilled_catalog() -> Catalog:
    text = SAMPLE_YAML.replace("      - use: phone\n", "      - use: phone\n" + PREFILLED, 1)
    text = text.replace(
        "          - {value: drinks, label: {zh: 饮品, en: Drinks}}\n",
        "          - {value: drinks, label: {zh: 饮品, en: Drinks},"
        " when: {question: rented, equals: true}}\n",
    )
    return parse_catalog(text, "hekou.yaml")


def test_birth_date_and_sex_come_from_the_id_number() -> None:
    filling = Filling.for_item(prefilled_catalog().items["T-REG"])
    birth = filling.prefill("T-REG.birth_date")
    assert birth is not None and birth.value is None and not birth.read_only  # no ID yet
    assert birth.source_label.zh == "身份证号码"
    assert filling.get("T-REG.birth_date") is None
    filling.set("T-REG.person_id", ID_1985)
    assert filling.get("T-REG.birth_date") == EnteredValue("1985-03-15", Source.PREFILLED)
    assert filling.get("T-REG.sex") == EnteredValue("male", Source.PREFILLED)
    assert filling.get("T-REG.age") is not None
    birth = filling.prefill("T-REG.birth_date")
    assert birth is not None and birth.read_only and not birth.editable
    status = {s.slot.field.id: s for s in filling.report("T-REG").fields}
    assert status["birth_date"].read_only and status["birth_date"].prefilled
    assert not status["sex"].read_only and status["sex"].prefilled  # editable: a suggestion
    assert filling.display("T-REG.sex") == "男"


def test_a_read_only_value_follows_its_source_and_cannot_be_typed_over() -> None:
    filling = Filling.for_item(prefilled_catalog().items["T-REG"])
    filling.set("T-REG.person_id", ID_1985)
    assert filling.set("T-REG.birth_date", "2000-01-01") == READ_ONLY
    assert filling.get("T-REG.birth_date").value == "1985-03-15"
    assert filling.set("T-REG.birth_date", "1985-03-15") is None  # handed back as shown
    assert filling.set("T-REG.birth_date", "") is None  # a window showing nothing yet
    assert filling.get("T-REG.birth_date").value == "1985-03-15"
    filling.set("T-REG.person_id", ID_X)  # corrected: the birth date follows
    assert filling.get("T-REG.birth_date").value == "1949-12-31"
    assert filling.get("T-REG.sex").value == "female"


def test_without_a_source_the_field_is_typed_as_any_other() -> None:
    filling = Filling.for_item(prefilled_catalog().items["T-REG"])
    assert filling.set("T-REG.birth_date", "2000-01-01") is None  # no ID number: typed
    assert filling.get("T-REG.birth_date") == EnteredValue("2000-01-01", Source.CITIZEN)
    filling.set("T-REG.person_id", ID_1985)  # now the ID number says
    assert filling.get("T-REG.birth_date").value == "1985-03-15"


def test_an_editable_value_is_a_suggestion_the_visitor_may_change() -> None:
    filling = Filling.for_item(prefilled_catalog().items["T-REG"])
    filling.set("T-REG.person_id", ID_1985)
    assert filling.set("T-REG.sex", "female") is None
    assert filling.get("T-REG.sex") == EnteredValue("female", Source.CITIZEN)
    filling.set("T-REG.sex", "")  # cleared: the suggestion is back
    assert filling.get("T-REG.sex") == EnteredValue("male", Source.PREFILLED)


def test_a_field_filled_from_an_answer() -> None:
    filling = Filling.for_item(prefilled_catalog().items["T-REG"])
    assert filling.get("T-REG.by_agent") is None
    filling.answers = {"T-REG": {"agent": True}}
    assert filling.get("T-REG.by_agent") == EnteredValue(True, Source.PREFILLED)
    assert filling.prefill("T-REG.by_agent").source_label.zh == "是否委托他人办理？"
    assert filling.set("T-REG.by_agent", False) == READ_ONLY
    assert filling.form_values("T-REG")["by_agent"].value is True


def test_a_rule_on_the_age_from_the_id_number() -> None:
    filling = Filling.for_item(prefilled_catalog().items["T-REG"])
    assert filling.set("T-REG.person_id", "110105201001010010") is None  # born 2010: under 18
    assert errors(filling, "T-REG")["age"] == "The operator must be 18 or over"
    filling.set("T-REG.person_id", ID_1985)
    assert "age" not in errors(filling, "T-REG")


def test_options_follow_the_answers() -> None:
    filling = Filling.for_item(prefilled_catalog().items["T-REG"])
    filling.answers = {"T-REG": {"rented": False}}
    assert [o.value for o in filling.options("T-REG.goods")] == ["noodles", "snacks"]
    assert filling.set("T-REG.goods", ["drinks"]) == NOT_OFFERED
    filling.answers = {"T-REG": {"rented": True}}
    assert [o.value for o in filling.options("T-REG.goods")] == ["noodles", "drinks", "snacks"]
    assert filling.set("T-REG.goods", ["noodles", "drinks"]) is None
    filling.answers = {"T-REG": {"rented": False}}  # went back and changed the answer
    assert errors(filling, "T-REG")["goods"] == NOT_OFFERED.en


def test_a_field_another_member_provides_is_on_no_form() -> None:
    text = SAMPLE_YAML.replace(
        "    questions:\n      - id: agent\n",
        "    produces: {fields: [shop_name, phone]}\n    questions:\n      - id: agent\n",
        1,
    )
    catalog = parse_catalog(text, "hekou.yaml")
    bundle = catalog.bundles["B-SHOP"]
    items = [catalog.items[c] for c in ("T-REG", "T-TAX", "T-SEAL")]
    filling = Filling.for_bundle(bundle, items)
    assert "shop_name" in filling.shared and "phone" in filling.shared  # T-REG still asks them
    assert filling.slots()["shop_name"].items == ("T-REG",)
    assert "shop_name" not in [f.id for f in filling.fields_of(items[2])]
    assert filling.provided_by(items[2], "shop_name") == "T-REG"
    assert filling.provided_by(items[0], "shop_name") is None  # its own field
    # Alone, T-SEAL asks for the shop name as always.
    assert "T-SEAL.shop_name" in Filling.for_item(items[2]).slots()
    copy = filling.copy()
    assert copy.slots().keys() == filling.slots().keys()


def test_an_item_with_no_form() -> None:
    start = SAMPLE_YAML.index("  - code: L-BIRTH")
    end = SAMPLE_YAML.index("  - code: L-HUKOU")
    item = SAMPLE_YAML[start:end].replace("    fields:\n      - use: person_name\n", "")
    catalog = parse_catalog(SAMPLE_YAML[:start] + item + SAMPLE_YAML[end:], "hekou.yaml")
    filling = Filling.for_item(catalog.items["L-BIRTH"])
    assert not filling.has_form and filling.pages() == [] and filling.is_complete()
    session = VisitorSession(catalog)
    session.start_item(catalog.items["L-BIRTH"])
    assert not session.has_form
    session.start_item(catalog.items["L-BABY"])
    assert session.has_form
