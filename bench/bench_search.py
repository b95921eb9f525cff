"""Search latency over a 1,000-item catalog (target: ≤ 5 ms per query).

The shipped items are replicated with new codes and varied names (a place or
theme prefix, so pinyin and initials differ too) until there are 1,000; the
bundles stay as they are.  Each query of a mix of Chinese, full-pinyin and
initials queries is timed many times; the table gives median and p95 per query.
"""

from __future__ import annotations

import statistics
import time
from types import MappingProxyType

from kiosk import SHIPPED_CATALOG
from kiosk.catalog import Catalog, load_catalog
from kiosk.catalog.model import Item, Text
from kiosk.catalog.search import SearchIndex

TARGET_ITEMS = 1_000
REPEATS = 60
TARGET_MS = 5.0

# Prefixes that make each copy's name (and its pinyin) different; some are heteronyms.
PREFIXES = [
    "",
    "长宁",
    "东山",
    "朝阳",
    "三河",
    "重阳",
    "行政",
    "乐园",
    "单县",
    "曾家",
    "西湖",
    "南浔",
    "北固",
    "临时",
    "乡村",
    "社区",
]

QUERIES = [
    ("zh", "医保"),
    ("zh", "新生儿"),
    ("zh", "营业执照"),
    ("zh", "堆放"),
    ("zh", "开户"),
    ("zh", "食品经营许可"),
    ("pinyin", "yibao"),
    ("pinyin", "xinshenger"),
    ("pinyin", "yingyezhizhao"),
    ("pinyin", "changning"),
    ("pinyin", "shipinjingying"),
    ("pinyin", "kaihu"),
    ("initials", "yb"),
    ("initials", "xse"),
    ("initials", "spjyxk"),
    ("initials", "dzdp"),
    ("initials", "q"),
    ("none", "zzzzzz"),
]


def synthetic_catalog(base: Catalog, size: int = TARGET_ITEMS) -> Catalog:
    originals = list(base.items.values())
    items: dict[str, Item] = {}
    copy = 0
    while len(items) < size:
        for item in originals:
            if len(items) >= size:
                break
            prefix = PREFIXES[copy % len(PREFIXES)]
            code = f"{item.code}-{copy:03d}"
            name = Text(zh=f"{prefix}{item.name.zh}", en=f"{item.name.en} ({copy})")
            items[code] = item.model_copy(update={"code": code, "name": name})
        copy += 1
    return Catalog(
        meta=base.meta,
        categories=base.categories,
        departments=base.departments,
        queues=base.queues,
        items=MappingProxyType(items),
        bundles=base.bundles,
        life_events=base.life_events,
    )


def run() -> str:
    base = load_catalog(SHIPPED_CATALOG)
    catalog = synthetic_catalog(base)
    started = time.perf_counter()
    index = SearchIndex.build(catalog)
    build_s = time.perf_counter() - started

    rows = []
    everything: list[float] = []
    for kind, query in QUERIES:
        index.search(query)  # warm up
        times = []
        for _ in range(REPEATS):
            t0 = time.perf_counter()
            hits = index.search(query)
            times.append((time.perf_counter() - t0) * 1000)
        everything += times
        rows.append((kind, query, len(hits), statistics.median(times), _p95(times)))

    worst = max(r[4] for r in rows)
    verdict = "meets" if worst <= TARGET_MS else "MISSES"
    lines = [
        "## Search latency",
        "",
        f"{len(catalog.items)} items ({len(base.items)} shipped items replicated with varied "
        f"names) + {len(catalog.bundles)} bundles; index built in {build_s:.2f} s. "
        f"{REPEATS} runs per query, default limit 50.",
        "",
        "| kind | query | hits | median ms | p95 ms |",
        "|---|---|---:|---:|---:|",
    ]
    lines += [f"| {k} | `{q}` | {n} | {med:.2f} | {p95:.2f} |" for k, q, n, med, p95 in rows]
    lines += [
        "",
        f"All queries: median {statistics.median(everything):.2f} ms, "
        f"p95 {_p95(everything):.2f} ms; worst per-query p95 {worst:.2f} ms — "
        f"{verdict} the ≤ {TARGET_MS:.0f} ms target.",
        "",
    ]
    return "\n".join(lines)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


if __name__ == "__main__":
    print(run())
