"""Search by name, alias, full pinyin and initials; heteronyms; ranking; categories."""

from __future__ import annotations

import pytest

from kiosk.catalog import Catalog
from kiosk.catalog.search import Rank, SearchIndex, normalise
from tests.catalog.samples import catalog_of_names, sample_catalog

ENTRIES = [
    ("S-BANK", "银行开户", "trade", ["对公账户"]),
    ("S-MEDIATE", "行政调解申请", "life", []),
    ("S-ROAD", "长宁路占道经营许可（朝阳段）", "build", []),
    ("S-BABY", "新生儿医保参保登记", "life", ["宝宝医保"]),
    ("S-KID", "少儿医保", "life", []),
    ("S-YB", "医保", "life", []),
    ("S-CARD", "医保卡补办", "life", []),
    ("S-RIVER", "三河口渔业登记", "trade", []),
    ("S-SIGN", "店招店牌设置审批", "build", ["门头招牌"]),
    ("S-FOOD", "食品经营许可", "trade", []),
    ("S-SMALL", "小餐饮经营许可", "trade", []),
    ("S-PLACE", "哪儿都能办", "life", []),
]


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex.build(catalog_of_names(ENTRIES))


def codes(index: SearchIndex, query: str, category: str | None = None) -> list[str]:
    return [hit.code for hit in index.search(query, category)]


def ranks(index: SearchIndex, query: str) -> dict[str, Rank]:
    return {hit.code: hit.rank for hit in index.search(query)}


def test_by_name(index: SearchIndex) -> None:
    assert codes(index, "银行开户") == ["S-BANK"]
    assert codes(index, "开户") == ["S-BANK"]


def test_by_alias(index: SearchIndex) -> None:
    assert codes(index, "对公账户") == ["S-BANK"]
    assert codes(index, "门头") == ["S-SIGN"]
    assert ranks(index, "宝宝医保")["S-BABY"] is Rank.EXACT


def test_by_alias_pinyin(index: SearchIndex) -> None:
    assert codes(index, "duigongzhanghu") == ["S-BANK"]
    assert codes(index, "dgzh") == ["S-BANK"]


def test_by_full_pinyin(index: SearchIndex) -> None:
    assert codes(index, "yinhangkaihu") == ["S-BANK"]
    assert ranks(index, "yinhangkaihu") == {"S-BANK": Rank.EXACT}
    assert codes(index, "shipinjingying") == ["S-FOOD"]
    assert ranks(index, "yinhang")["S-BANK"] is Rank.PREFIX


def test_by_pinyin_initials(index: SearchIndex) -> None:
    assert codes(index, "yhkh") == ["S-BANK"]
    assert ranks(index, "yhkh") == {"S-BANK": Rank.INITIALS}
    assert codes(index, "dzdp") == ["S-SIGN"]
    assert codes(index, "spjyxk") == ["S-FOOD"]


def test_query_case_spaces_and_full_width_do_not_matter(index: SearchIndex) -> None:
    assert codes(index, "YinHang KaiHu") == ["S-BANK"]
    assert codes(index, "ＹＨＫＨ") == ["S-BANK"]
    assert codes(index, " 银行 开户 ") == ["S-BANK"]
    assert codes(index, "yin-hang") == ["S-BANK"]


def test_a_heteronym_is_read_by_its_context(index: SearchIndex) -> None:
    # 行 reads hang in 银行 and xing in 行政
    assert codes(index, "yinhang") == ["S-BANK"]
    assert codes(index, "xingzheng") == ["S-MEDIATE"]
    assert codes(index, "xztj") == ["S-MEDIATE"]


@pytest.mark.parametrize(
    "query", ["changning", "zhangning", "cnlzd", "znlzd", "chaoyang", "zhaoyang"]
)
def test_either_reading_of_a_heteronym_finds_the_item(index: SearchIndex, query: str) -> None:
    # 长宁 and 朝阳 are place names: pypinyin cannot know the reading, so both must work,
    # even with several other heteronyms in the same name (路, 占, 朝 …).
    assert "S-ROAD" in codes(index, query)


def test_er_reads_er(index: SearchIndex) -> None:
    assert codes(index, "xinshenger") == ["S-BABY"]
    assert codes(index, "xse") == ["S-BABY"]
    assert codes(index, "shaoer")[0] == "S-KID"
    assert codes(index, "naer") == ["S-PLACE"]
    assert codes(index, "ne") == ["S-PLACE"]


def test_ranking_exact_prefix_substring_for_chinese(index: SearchIndex) -> None:
    hits = index.search("医保")
    assert [(h.code, h.rank, h.position) for h in hits] == [
        ("S-YB", Rank.EXACT, 0),
        ("S-CARD", Rank.PREFIX, 0),
        ("S-KID", Rank.SUBSTRING, 2),  # 少儿医保
        ("S-BABY", Rank.SUBSTRING, 2),  # 宝宝医保 (alias) beats 新生儿医保… (position 3)
    ]


def test_ranking_exact_prefix_substring_for_pinyin(index: SearchIndex) -> None:
    assert ranks(index, "yibao") == {
        "S-YB": Rank.EXACT,
        "S-CARD": Rank.PREFIX,
        "S-KID": Rank.SUBSTRING,
        "S-BABY": Rank.SUBSTRING,
    }
    assert codes(index, "yibao")[:2] == ["S-YB", "S-CARD"]


def test_ranking_prefix_initials_substring(index: SearchIndex) -> None:
    found = ranks(index, "sh")
    assert found["S-KID"] is Rank.PREFIX  # SHaoer…
    assert found["S-RIVER"] is Rank.INITIALS  # San He kou…
    assert found["S-BABY"] is Rank.SUBSTRING  # xinSHenger…
    order = codes(index, "sh")
    assert order.index("S-KID") < order.index("S-RIVER") < order.index("S-BABY")


def test_initials_rank_among_equals_by_shorter_name(index: SearchIndex) -> None:
    assert ranks(index, "yb")["S-YB"] is Rank.INITIALS
    assert ranks(index, "yb")["S-CARD"] is Rank.INITIALS
    assert codes(index, "yb")[:2] == ["S-YB", "S-CARD"]


def test_earlier_substring_ranks_higher(index: SearchIndex) -> None:
    hits = index.search("经营许可")
    assert [h.code for h in hits] == ["S-FOOD", "S-SMALL", "S-ROAD"]
    assert [h.position for h in hits] == [2, 3, 5]


def test_within_a_category(index: SearchIndex) -> None:
    assert codes(index, "经营许可", category="trade") == ["S-FOOD", "S-SMALL"]
    assert codes(index, "经营许可", category="build") == ["S-ROAD"]
    assert codes(index, "经营许可", category="life") == []
    assert codes(index, "yibao", category="trade") == []


@pytest.mark.parametrize("query", ["", "   ", "（）", "—", "·"])
def test_an_empty_query_finds_nothing(index: SearchIndex, query: str) -> None:
    assert index.search(query) == []


def test_nothing_matches(index: SearchIndex) -> None:
    assert index.search("火箭发射") == []
    assert index.search("qqqq") == []


def test_the_limit(index: SearchIndex) -> None:
    assert len(index.search("i", limit=3)) == 3


def test_by_code_and_english_name(index: SearchIndex) -> None:
    assert codes(index, "S-BANK") == ["S-BANK"]
    assert ranks(index, "item s-food") == {"S-FOOD": Rank.EXACT}


def test_bundles_are_found_but_not_within_a_category() -> None:
    catalog: Catalog = sample_catalog()
    index = SearchIndex.build(catalog)
    assert codes(index, "我要开店") == ["B-SHOP"]
    assert codes(index, "wykd") == ["B-SHOP"]
    assert codes(index, "开店一件事") == ["B-SHOP"]
    assert codes(index, "我要开店", category="trade") == []
    hit = index.search("我要开店")[0]
    assert hit.entry is catalog.bundles["B-SHOP"]


def test_normalise() -> None:
    assert normalise(" 新生儿（少儿）医保 ") == "新生儿少儿医保"
    assert normalise("ＡＢＣ-d_e/f") == "abcdef"


def test_the_shipped_catalog_finds_its_required_items(catalog: Catalog) -> None:
    index = SearchIndex.build(catalog)
    baby = [h.code for h in index.search("新生儿")]
    assert baby, "新生儿 finds nothing"
    assert index.search("xinshenger")[0].code == baby[0]
    assert index.search("xse")[0].code in baby
