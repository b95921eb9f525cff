"""Filling an item's form or a bundle's forms: rules, messages, sources, shared fields."""

from __future__ import annotations

import pytest

from kiosk.catalog import Catalog, parse_catalog
from kiosk.forms.filling import (
    REQUIRED,
    SHARED_TITLE,
    EnteredValue,
    Filling,
    Source,
    check_examples,
)
from kiosk.forms.validators import Message
from kiosk.session import VisitorSession
from tests.catalog.samples import ID_1985, SAMPLE_YAML, sample_catalog

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
    assert [s.value for s in Source] == ["citizen", "staff", "id_card"]


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


# ── the catalog check of examples ──────────────────────────────────────────


def test_examples_of_the_sample_are_valid(catalog: Catalog) -> None:
    assert [p for item in catalog.items.values() for p in check_examples(item)] == []


def test_an_invalid_example_is_reported() -> None:
    text = SAMPLE_YAML.replace('example: "13812345678"', 'example: "123"')
    catalog = parse_catalog(text, "hekou.yaml")
    problems = list(check_examples(catalog.items["T-TAX"]))
    assert problems == [
        "item T-TAX field phone: example '123' is invalid: "
        "Please enter an 11-digit mainland China mobile number"
    ]


def test_examples_that_break_a_rule_are_reported() -> None:
    text = SAMPLE_YAML.replace('example: "5000.00"', 'example: "0"')
    catalog = parse_catalog(text, "hekou.yaml")
    assert list(check_examples(catalog.items["T-REG"])) == [
        "item T-REG field capital: the examples leave the form incomplete: "
        "The capital must be above 0"
    ]


def test_examples_that_leave_a_required_if_field_empty_are_reported() -> None:
    # has_helper's example is true, so helper_name becomes required; its example is valid.
    text = SAMPLE_YAML.replace("        example: 李小红\n", "        example: 12\n")
    catalog = parse_catalog(text, "hekou.yaml")
    problems = list(check_examples(catalog.items["T-REG"]))
    assert problems == ["item T-REG field helper_name: example 12 is invalid: Please enter text"]
