"""ID-card reader: the simulated reader, expiry, and filling a bundle's shared fields."""

import datetime as dt
import json

import pytest

from kiosk.forms.filling import Filling, Source
from kiosk.idcard import CardError, IdCard, SimulatedReader, fill_from_card, split_address

TODAY = dt.date(2026, 11, 28)
CARD = {
    "name": "张小敏",
    "sex": "女",
    "ethnicity": "汉",
    "birth_date": "1949-12-31",
    "address": "江苏省苏州市吴中区示范镇人民路8号",
    "id_number": "11010519491231002x",
    "authority": "苏州市公安局吴中分局",
    "valid_from": "2020-01-01",
    "valid_until": "长期",
}


def reader(tmp_path, card):
    path = tmp_path / "card.json"
    path.write_text(json.dumps(card, ensure_ascii=False), encoding="utf-8")
    return SimulatedReader(path)


def test_reads_a_card(tmp_path):
    card = reader(tmp_path, CARD).read()
    assert card.name == "张小敏"
    assert card.id_number == "11010519491231002X"
    assert card.valid_until is None
    assert not card.expired(TODAY)


def test_no_card_and_a_bad_read_give_calm_messages(tmp_path):
    with pytest.raises(CardError) as missing:
        SimulatedReader(tmp_path / "none.json").read()
    assert "身份证" in missing.value.message.zh
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(CardError) as bad:
        SimulatedReader(tmp_path / "bad.json").read()
    assert "手工填写" in bad.value.message.zh
    with pytest.raises(CardError):
        reader(tmp_path, {**CARD, "id_number": "110105194912310021"}).read()


def test_bundle_shared_fields_are_filled_from_the_card(catalog, tmp_path):
    bundle = catalog.bundles["BD-START-FOOD"]
    chosen = [catalog.items[m.item] for m in bundle.members]
    filling = Filling.for_bundle(bundle, chosen)
    filling.set("applicant_mobile", "13812345678")
    filled = fill_from_card(filling, reader(tmp_path, CARD).read(), TODAY)
    assert "legal_rep_name" in filled and "legal_rep_id_number" in filled
    assert filling.get("legal_rep_name").value == "张小敏"
    assert filling.get("legal_rep_name").source is Source.ID_CARD
    assert filling.get("legal_rep_id_number").value == "11010519491231002X"
    # the shared value feeds every member form that has the field
    for item in chosen:
        if item.field("legal_rep_name"):
            assert filling.form_values(item.code)["legal_rep_name"].value == "张小敏"
    assert filling.get("applicant_mobile").source is Source.CITIZEN


def test_a_typed_value_is_not_overwritten_by_a_card(catalog, tmp_path):
    item = catalog.items["MS-YB-001"]
    filling = Filling.for_item(item)
    key = filling.key(item.code, "applicant_name")
    filling.set(key, "李四", Source.STAFF)
    fill_from_card(filling, reader(tmp_path, CARD).read(), TODAY)
    assert filling.get(key).value == "李四"
    assert filling.get(key).source is Source.STAFF
    assert filling.get(filling.key(item.code, "applicant_id_number")).source is Source.ID_CARD


def test_an_expired_card_is_refused_and_nothing_is_filled(catalog, tmp_path):
    item = catalog.items["MS-YB-001"]
    filling = Filling.for_item(item)
    card = reader(tmp_path, {**CARD, "valid_until": "2025-12-31"}).read()
    with pytest.raises(CardError) as refused:
        fill_from_card(filling, card, TODAY)
    assert "过有效期" in refused.value.message.zh
    assert filling.values() == {}


@pytest.mark.parametrize(
    ("address", "parts"),
    [
        ("江苏省苏州市吴中区示范镇人民路8号", ("江苏省", "苏州市", "吴中区", "示范镇人民路8号")),
        ("北京市朝阳区建国路1号", ("北京市", "北京市", "朝阳区", "建国路1号")),
        (
            "新疆维吾尔自治区乌鲁木齐市天山区解放路",
            ("新疆维吾尔自治区", "乌鲁木齐市", "天山区", "解放路"),
        ),
    ],
)
def test_split_address(address, parts):
    assert tuple(split_address(address).values()) == parts


def test_card_from_mapping_rejects_missing_parts():
    with pytest.raises(CardError):
        IdCard.from_mapping({"name": "张三"})
