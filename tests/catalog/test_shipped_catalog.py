"""The walk over the shipped catalog, and a second bureau's catalog working unchanged.

Every item of catalog.yaml (the repository root): every answer path reaches a verdict (and an
eligible one has something to bring), every form accepts its own examples.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from kiosk import SHIPPED_CATALOG
from kiosk.catalog import Catalog, load_catalog, parse_catalog, rules
from kiosk.catalog.model import FieldType
from kiosk.catalog.search import SearchIndex
from kiosk.consult import BundleConsultation, Consultation, answer_paths, build_notice
from kiosk.forms.filling import Filling, Source
from kiosk.session import VisitorSession
from kiosk.walk import check_catalog, walk_bundle

REQUIRED_ITEMS = [
    "新生儿",  # 新生儿 / 少儿医保参保登记
    "城管户外临时堆放审批",
    "企业设立登记",
    "税务登记",
    "公章刻制备案",
    "银行开户",
    "店招店牌设置审批",
    "食品经营许可",
]

DEPARTMENTS = [
    "市场监",
    "税务",
    "公安",
    "人力资源",
    "医疗保障",
    "城市管理",
    "住房和城乡建设",
    "卫生健康",
    "民政",
    "自然资源",
    "生态环境",
    "交通运输",
    "农业农村",
    "应急管理",
]


def find_item(catalog: Catalog, *needles: str) -> list[str]:
    return [
        item.code
        for item in catalog.items.values()
        if any(needle in item.name.zh or needle in item.aliases for needle in needles)
    ]


def test_the_shipped_catalog_is_a_sample_to_be_confirmed(catalog: Catalog) -> None:
    head = SHIPPED_CATALOG.read_text(encoding="utf-8")[:2000]
    assert "示例" in head and "sample" in head.lower()
    assert "确认" in catalog.meta.note.zh
    assert catalog.version


def test_at_least_100_items_over_the_three_categories(catalog: Catalog) -> None:
    count = len(catalog.items)
    assert count >= 100, f"the catalog has {count} items"
    names = {c.name.zh for c in catalog.categories.values()}
    assert names == {"投资建设", "民生服务", "生产经营"}
    per_category = Counter(item.category for item in catalog.items.values())
    for category in catalog.categories:
        assert per_category[category] >= 10, per_category


@pytest.mark.parametrize("needle", REQUIRED_ITEMS)
def test_required_items_exist(catalog: Catalog, needle: str) -> None:
    if needle == "新生儿":
        found = [
            c for c in find_item(catalog, "新生儿", "少儿") if "医保" in catalog.items[c].name.zh
        ]
    elif needle == "城管户外临时堆放审批":
        found = [
            c
            for c in find_item(catalog, "堆放")
            if "城市管理" in catalog.departments[catalog.items[c].department].name.zh
        ]
    elif needle == "店招店牌设置审批":
        found = find_item(catalog, "店招", "店牌", "招牌")
    elif needle == "银行开户":
        found = find_item(catalog, "银行开户", "开户")
    else:
        found = find_item(catalog, needle)
    assert found != [], f"no item for {needle}"


def test_queues_with_prefixes_and_a_priority_lane(catalog: Catalog) -> None:
    prefixes = [q.prefix for q in catalog.queues.values()]
    assert len(prefixes) == len(set(prefixes))
    served = {q.category for q in catalog.queues.values() if q.category}
    assert served >= set(catalog.categories)
    assert catalog.priority_queues()
    windows = {w for q in catalog.queues.values() for w in q.windows}
    assert windows <= set(range(1, catalog.meta.windows + 1))


def test_departments(catalog: Catalog) -> None:
    names = " ".join(d.name.zh for d in catalog.departments.values())
    for needed in DEPARTMENTS:
        assert needed in names


def test_every_item_is_complete(catalog: Catalog) -> None:
    for item in catalog.items.values():
        assert item.material_list, item.code
        assert item.field_list or not item.has_form, item.code
        assert item.legal_basis.zh and item.legal_basis.en
        assert item.fee.zh
        assert item.promised_days <= item.statutory_days
        for material in item.material_list:
            assert material.issuer.zh and material.obtain.zh, (item.code, material.id)


def test_every_answer_path_reaches_a_verdict_and_a_materials_list(catalog: Catalog) -> None:
    problems = []
    paths = 0
    for item in catalog.items.values():
        for path in answer_paths(item):
            paths += 1
            verdict = path.verdict()
            if verdict is None:
                problems.append(f"{item.code}: no verdict after {path.answers}")
            elif verdict.eligible and not path.materials():
                problems.append(f"{item.code}: eligible but nothing to bring after {path.answers}")
            elif not verdict.eligible and verdict.reason is None:
                problems.append(f"{item.code}: refused without a reason after {path.answers}")
    assert problems == []
    assert paths >= len(catalog.items)


def test_every_question_can_be_reached(catalog: Catalog) -> None:
    unreachable = []
    for item in catalog.items.values():
        asked = {q for path in answer_paths(item) for q in path.answers}
        unreachable += [f"{item.code}.{q.id}" for q in item.question_list if q.id not in asked]
    assert unreachable == []


def test_the_catalog_walk_finds_nothing(catalog: Catalog) -> None:
    assert check_catalog(catalog) == []


def test_field_types_are_all_used(catalog: Catalog) -> None:
    used = {f.type for item in catalog.items.values() for f in item.field_list}
    missing = sorted(t.value for t in set(FieldType) - used)
    assert missing == []


def test_rules_are_used(catalog: Catalog) -> None:
    fields = [f for item in catalog.items.values() for f in item.field_list]
    questions = [q for item in catalog.items.values() for q in item.question_list]
    items = list(catalog.items.values())
    used = {
        "required_if": sum(f.required_if is not None for f in fields),
        "relevant_if": sum(f.relevant_if is not None for f in fields),
        "constraints": sum(bool(f.constraints) for f in fields),
        "ask_if": sum(q.ask_if is not None for q in questions),
        "refusals": sum(bool(i.refusals) for i in items),
        "later": sum(bool(i.later) for i in items),
        "fees": sum(bool(i.fees) for i in items),
        "no form": sum(not i.has_form for i in items),
        "fill from an answer": sum(
            f.fill is not None and f.fill.question is not None for f in fields
        ),
        "fill from an ID number": sum(
            f.fill is not None and f.fill.field is not None for f in fields
        ),
        "rules on derived values": sum(
            any(r.derived for c in f.constraints for r in rules.references(c.check)) for f in fields
        ),
        "options by answers": sum(any(o.when is not None for o in f.options) for f in fields),
        "produces": sum(bool(i.produces.materials or i.produces.fields) for i in items),
        "bundle answers": sum(bool(b.answers) for b in catalog.bundles.values()),
        "relative examples": sum(
            isinstance(f.example, str) and f.example.startswith("today") for f in fields
        ),
    }
    assert all(used.values()), used
    for item in catalog.items.values():
        for refusal in item.refusals:
            assert refusal.reason.zh and refusal.reason.en


# ── bundles and life events ────────────────────────────────────────────────


@pytest.mark.parametrize("theme", ["模具", "餐饮"])
def test_the_two_start_a_business_bundles(catalog: Catalog, theme: str) -> None:
    bundles = [
        b for b in catalog.bundles.values() if "我要创业" in b.name.zh and theme in b.name.zh
    ]
    assert len(bundles) == 1, f"bundles: {[b.name.zh for b in catalog.bundles.values()]}"
    bundle = bundles[0]
    assert len(bundle.members) >= 5
    assert any(m.required for m in bundle.members)
    assert any(not m.required for m in bundle.members)  # à la carte
    members = catalog.bundle_items(bundle)
    names = " ".join(i.name.zh for i in members)
    for needed in ["企业设立登记", "税务", "公章"]:
        assert needed in names
    assert len(bundle.shared_fields) >= 3
    for field_id in bundle.shared_fields:
        having = [i.code for i in members if i.field(field_id) is not None]
        assert len(having) >= 2, (field_id, having)


def test_every_bundle_fills_from_examples_with_shared_fields_typed_once(catalog: Catalog) -> None:
    assert len(catalog.bundles) >= 2, "the catalog has no bundles yet"
    for bundle in catalog.bundles.values():
        members = catalog.bundle_items(bundle)
        filling = Filling.for_bundle(bundle, members)
        for slot in filling.slots().values():
            if slot.field.example is not None:
                example = slot.field.example_value()
                assert filling.set(slot.key, example) is None, (bundle.code, slot.key)
        assert [r.item for r in filling.reports() if not r.complete] == []
        shared = [s for s in filling.slots().values() if s.key in filling.shared]
        assert shared and all(len(s.items) >= 2 for s in shared)


def test_every_bundle_notice_merges_duplicates(catalog: Catalog) -> None:
    for bundle in catalog.bundles.values():
        chosen = [m.item for m in bundle.members]
        consultation = BundleConsultation.start(catalog, bundle, chosen)
        while (current := consultation.current()) is not None:
            _, question = current
            consultation.answer(question.answers()[-1])
        notice = consultation.notice()
        ids = [line.material.id for line in notice.lines]
        assert len(ids) == len(set(ids))
        assert notice.item_codes == tuple(chosen)
        assert notice.catalog_version == catalog.version
        assert any(len(line.items) >= 2 for line in notice.lines), bundle.code


def test_life_events_include_a_newborn(catalog: Catalog) -> None:
    events = {e.name.zh: e for e in catalog.life_events.values()}
    assert any("新生儿出生" in name for name in events), f"life events: {list(events)}"
    newborn = next(e for name, e in events.items() if "新生儿出生" in name)
    assert len(newborn.steps) >= 3
    names = " ".join(catalog.items[s.item].name.zh for s in newborn.steps)
    assert "出生医学证明" in names
    assert "医保" in names
    first = newborn.steps[0].item
    assert catalog.next_items(first)


# ── a second bureau: different items, codes, queues — no code change ─────

OTHER_BUREAU = """\
meta:
  bureau: {zh: 山北乡政务服务站, en: Shanbei Township Service Station}
  version: "shanbei-2031.2"
  windows: 3
  note: {zh: 山北乡测试目录, en: Shanbei test catalog}
categories:
  - {code: farm, name: {zh: 农业农村, en: Farming}}
  - {code: family, name: {zh: 家庭事务, en: Family}}
  - {code: roads, name: {zh: 道路交通, en: Roads}}
  - {code: misc, name: {zh: 其他, en: Other}}
departments:
  - {code: AGRI, name: {zh: 农业站, en: Farming station}}
  - {code: CIVIL, name: {zh: 民政办, en: Civil affairs office}}
queues:
  - {code: W1, prefix: F, name: {zh: 农业窗口, en: Farming window}, windows: [1], category: farm}
  - {code: W2, prefix: H, name: {zh: 家庭窗口, en: Family window}, windows: [2, 3]}
items:
  - code: NY.0001
    name: {zh: 农机购置补贴申请, en: Farm machinery purchase subsidy}
    aliases: [农机补贴]
    category: farm
    department: AGRI
    legal_basis: {zh: 《农业机械化促进法》, en: Agricultural Mechanisation Law}
    statutory_days: 30
    promised_days: 10
    fee: {zh: 不收费, en: Free}
    kind: promised
    queue: W1
    questions:
      - id: machine_type
        kind: choice
        text: {zh: 购买的是哪类农机？, en: "Which kind of machine?"}
        options:
          - {value: tractor, label: {zh: 拖拉机, en: Tractor}}
          - {value: harvester, label: {zh: 收割机, en: Harvester}}
          - {value: drone, label: {zh: 植保无人机, en: Crop drone}}
      - id: licensed_pilot
        text: {zh: 是否有无人机操作证？, en: "Do you hold a drone licence?"}
        ask_if: {question: machine_type, equals: drone}
    refusals:
      - when: {question: licensed_pilot, equals: false}
        reason: {zh: 植保无人机补贴须持操作证, en: A drone subsidy needs a pilot licence}
        instead: {zh: 请先参加农业站的培训, en: Take the course at the farming station first}
    materials:
      - id: invoice
        name: {zh: 购机发票, en: Purchase invoice}
        issuer: {zh: 经销商, en: Dealer}
        obtain: {zh: 购机时索取, en: Ask the dealer}
      - id: pilot_licence
        name: {zh: 无人机操作证, en: Drone pilot licence}
        issuer: {zh: 培训机构, en: Training body}
        obtain: {zh: 培训合格后发放, en: Issued after the course}
        when: {question: licensed_pilot, equals: true}
    fields:
      - id: farmer
        type: text
        label: {zh: 购机人, en: Buyer}
        example: 赵大山
      - id: farmer_id
        type: id_number
        label: {zh: 购机人身份证号码, en: Buyer's ID number}
        example: "320583201006150047"
      - id: price
        type: money
        label: {zh: 购机价格, en: Price}
        example: "128000.00"
  - code: JT.0001
    name: {zh: 困难家庭临时救助, en: Temporary assistance for families in hardship}
    category: family
    department: CIVIL
    legal_basis: {zh: 《社会救助暂行办法》, en: Interim Measures on Social Assistance}
    statutory_days: 10
    promised_days: 5
    fee: {zh: 不收费, en: Free}
    kind: promised
    queue: W2
    materials:
      - id: hardship_statement
        name: {zh: 困难情况说明, en: Statement of hardship}
        issuer: {zh: 申请人, en: The applicant}
        obtain: {zh: 窗口填写, en: Written at the window}
    fields:
      - id: household_size
        type: integer
        label: {zh: 家庭人口, en: Household size}
        constraints:
          - check: {field: household_size, gte: 1}
            message: {zh: 至少 1 人, en: At least one person}
        example: 4
      - id: contact
        type: mobile
        label: {zh: 联系电话, en: Phone}
        example: "13912345678"
bundles:
  - code: PKG-FARM
    name: {zh: 种粮大户一件事, en: Big grain growers}
    queue: W1
    members: [{item: NY.0001}, {item: JT.0001, required: false}]
life_events:
  - code: EV-HARVEST
    name: {zh: 秋收, en: Autumn harvest}
    steps: [{item: NY.0001}]
end: true
"""


def test_a_second_bureau_works_without_a_code_change() -> None:
    catalog = parse_catalog(OTHER_BUREAU, "shanbei.yaml")
    assert catalog.version == "shanbei-2031.2"
    assert len(catalog.categories) == 4
    assert check_catalog(catalog) == []

    # consultation: a branch, a refusal with where to go instead, and the materials
    item = catalog.items["NY.0001"]
    consultation = Consultation(item)
    assert consultation.next_question().id == "machine_type"
    consultation.answer("machine_type", "drone")
    assert consultation.next_question().id == "licensed_pilot"
    consultation.answer("licensed_pilot", False)
    verdict = consultation.verdict()
    assert verdict is not None and not verdict.eligible
    assert verdict.instead is not None and "培训" in verdict.instead.zh
    consultation.back()
    consultation.answer("licensed_pilot", True)
    assert consultation.verdict().eligible
    assert [m.id for m in consultation.materials()] == ["invoice", "pilot_licence"]
    notice = build_notice(catalog, [consultation])
    assert (notice.catalog_version, notice.item_codes) == ("shanbei-2031.2", ("NY.0001",))

    # filling
    filling = Filling.for_item(catalog.items["JT.0001"])
    assert filling.set("JT.0001.household_size", "0") is None
    report = filling.report("JT.0001")
    assert [s.error.en for s in report.problems if s.error] == [
        "At least one person",
        "This field is required",
    ]
    filling.set("JT.0001.household_size", "3", Source.STAFF)
    filling.set("JT.0001.contact", "139 1234 5678")
    assert filling.is_complete()
    assert filling.get("JT.0001.contact").value == "13912345678"

    # search, by name and by pinyin initials, within a category of this bureau
    index = SearchIndex.build(catalog)
    assert [h.code for h in index.search("农机")] == ["NY.0001"]
    assert index.search("njgzbt")[0].code == "NY.0001"
    assert [h.code for h in index.search("救助", category="family")] == ["JT.0001"]
    assert index.search("救助", category="farm") == []
    assert index.search("zhongliang")[0].code == "PKG-FARM"

    # a whole visit through the session, on the bundle
    session = VisitorSession(catalog)
    session.start_bundle(catalog.bundles["PKG-FARM"], ["JT.0001"])
    assert session.chosen == ["NY.0001", "JT.0001"]
    assert session.consultation is not None
    while not session.consultation_done():
        assert isinstance(session.consultation, BundleConsultation)
        session.consultation.answer("tractor")
    assert session.build_notice().item_codes == ("NY.0001", "JT.0001")
    assert catalog.queue_of(item).prefix == "F"


def test_the_shipped_catalog_file_loads_the_same_twice() -> None:
    first = load_catalog(SHIPPED_CATALOG)
    second = load_catalog(SHIPPED_CATALOG)
    assert first == second


# ── the dead ends a first-time visitor hit, and the hall's own data ────────


def test_the_hall_has_its_area_and_the_priority_lane_says_who_it_is_for(catalog: Catalog) -> None:
    area = catalog.meta.area
    assert area is not None and (area.code, area.district) == ("320506", "吴中区")
    (lane,) = catalog.priority_queues()
    assert lane.description is not None and "老年人" in lane.description.zh


def newborn(catalog: Catalog) -> str:
    (code,) = [c for c in find_item(catalog, "新生儿") if "医保" in catalog.items[c].name.zh]
    return code


def test_a_newborn_without_hukou_is_never_asked_for_an_id_number(catalog: Catalog) -> None:
    item = catalog.items[newborn(catalog)]
    consultation = Consultation(item)
    consultation.answer("local_hukou", False)
    consultation.answer("parent_insured_here", True)
    assert consultation.verdict() is not None and consultation.verdict().eligible
    filling = Filling.for_item(item)
    filling.answers = {item.code: consultation.all_answers()}
    report = {s.slot.field.id: s for s in filling.report(item.code).fields}
    assert not report["child_id_number"].relevant and not report["child_id_number"].required
    assert report["birth_certificate_number"].required  # what a newborn does have
    assert not report["child_birth_date"].read_only  # typed from the birth certificate
    assert "birth_certificate" in [m.id for m in consultation.materials()]


def test_a_registered_childs_birth_date_and_sex_come_from_its_id_number(catalog: Catalog) -> None:
    item = catalog.items[newborn(catalog)]
    filling = Filling.for_item(item)
    filling.answers = {item.code: {"local_hukou": True}}
    assert filling.set(f"{item.code}.child_id_number", "110105202401010030") is None
    report = {s.slot.field.id: s for s in filling.report(item.code).fields}
    assert report["child_id_number"].required
    assert report["child_birth_date"].read_only
    assert report["child_birth_date"].entered.value == "2024-01-01"
    assert report["child_sex"].entered.value == "male"


def test_no_question_is_asked_as_a_double_negative_or_twice_on_one_path(catalog: Catalog) -> None:
    for item in catalog.items.values():
        for question in item.question_list:
            assert not re.search(r"是否(未|不|没)", question.text.zh), (item.code, question.text.zh)
        texts = [q.text.zh for q in item.question_list]
        assert len(texts) == len(set(texts)), item.code
    # the newborn item asked about the household booklet on both branches
    assert "has_hukou_book" not in {q.id for q in catalog.items[newborn(catalog)].question_list}


def food_bundle(catalog: Catalog) -> str:
    (code,) = [b.code for b in catalog.bundles.values() if "餐饮" in b.name.zh]
    return code


def test_the_restaurant_bundle_asks_nothing_it_knows(catalog: Catalog) -> None:
    bundle = catalog.bundles[food_bundle(catalog)]
    chosen = [m.item for m in bundle.members]
    consultation = BundleConsultation.start(catalog, bundle, chosen)
    asked = []
    while (current := consultation.current()) is not None:
        _member, question = current
        asked.append(question.id)
        consultation.answer(question.answers()[-1])
    assert len(asked) == len(set(asked))
    # applied together, what kind of food business, the use of the place: all known
    for known in (
        "license_applied_together",
        "food_business_kind",
        "discharger_kind",
        "place_usage",
    ):
        assert known not in asked
    notice = consultation.notice()
    assert "business_license" not in [line.material.id for line in notice.lines]
    assert "business_license" in [p.material.id for p in notice.provided]
    filling = Filling.for_bundle(bundle, [catalog.items[c] for c in chosen])
    assert "company_uscc" not in {s.field.id for s in filling.slots().values()}  # not yet exists
    filling.answers = {m.item.code: m.all_answers() for m in consultation.members}
    licence = next(i for i in chosen if "营业执照" in catalog.items[i].name.zh)
    entered = filling.get(f"{licence}.enterprise_form")
    assert entered is not None and entered.source is Source.PREFILLED  # the company type: once


def test_cold_food_is_offered_only_to_those_who_make_it(catalog: Catalog) -> None:
    (code,) = find_item(catalog, "食品经营许可")
    filling = Filling.for_item(catalog.items[code])
    key = f"{code}.food_business_items"
    filling.answers = {code: {"food_business_kind": "catering", "cold_or_raw": False}}
    assert "cold_food" not in [o.value for o in filling.options(key)]
    filling.answers = {code: {"food_business_kind": "catering", "cold_or_raw": True}}
    assert "cold_food" in [o.value for o in filling.options(key)]


def test_the_business_scope_is_chosen_from_the_catalogue(catalog: Catalog) -> None:
    (code,) = [c for c in find_item(catalog, "企业设立登记")]
    field = catalog.items[code].field("business_scope")
    assert field is not None and field.type is FieldType.MULTI_CHOICE
    assert "other" in [o.value for o in field.options]


def test_every_bundle_walks_clean_over_every_choice_and_path(catalog: Catalog) -> None:
    for bundle in catalog.bundles.values():
        assert walk_bundle(catalog, bundle) == [], bundle.code
