"""China's administrative divisions for the address picker: province → city → county.

Data: ``kiosk/data/divisions.json`` (source, date and licence in the
README beside it), loaded once into frozen records.  Plain Python: the window's
picker shows these, the form stores the chosen names.

To refresh it from a newer ``china-division`` package::

    out = [[p["code"], p["name"], [[c["code"], c["name"],
            [[a["code"], a["name"]] for a in c["children"]]] for c in p["children"]]]
           for p in json.load(open("pca-code.json"))]
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).with_name("data") / "divisions.json"
SOURCE = "国家统计局 2023 年统计用区划代码（截至 2023-06-30），china-division 2.7.0"

# Addresses there are typed in full: the dataset stops at the mainland's borders.
WITHOUT_SUBDIVISIONS = (
    ("810000", "香港特别行政区"),
    ("820000", "澳门特别行政区"),
    ("710000", "台湾省"),
)
# A municipality's one prefecture-level unit carries no name of its own: skipped in the picker.
PLACEHOLDER_CITIES = frozenset({"市辖区", "县"})


@dataclass(frozen=True)
class Division:
    code: str  # 2, 4 or 6 digits in the source; always shown as given
    name: str
    children: tuple[Division, ...] = ()

    def child(self, name: str) -> Division | None:
        return next((c for c in self.children if c.name == name), None)


def _build(entry: list[Any]) -> Division:  # the file's nested [code, name, children] arrays
    code, name, *rest = entry
    children = tuple(_build(child) for child in rest[0]) if rest else ()
    return Division(str(code), str(name), children)


@cache
def provinces() -> tuple[Division, ...]:
    """Every province-level division, the mainland's from the data file, then HK, MO, TW."""
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    mainland = tuple(_build(entry) for entry in raw)
    return mainland + tuple(Division(code, name) for code, name in WITHOUT_SUBDIVISIONS)


def province(name: str) -> Division | None:
    return next((p for p in provinces() if p.name == name), None)


def cities(province_name: str) -> tuple[Division, ...]:
    """The cities to choose from; a municipality's placeholder level is passed through."""
    found = province(province_name)
    if found is None:
        return ()
    return found.children


def counties(province_name: str, city_name: str) -> tuple[Division, ...]:
    found = province(province_name)
    city = found.child(city_name) if found is not None else None
    return city.children if city is not None else ()


def city_needed(province_name: str) -> bool:
    """False for a municipality (北京市 → 市辖区): the picker goes straight to its districts."""
    options = cities(province_name)
    return not (len(options) == 1 and options[0].name in PLACEHOLDER_CITIES)


def by_code(code: str) -> tuple[str, str, str] | None:
    """(province, city, county) for a 6-digit county code: 320506 → 江苏省 苏州市 吴中区."""
    for p in provinces():
        for c in p.children:
            for county in c.children:
                if county.code[:6] == code[:6]:
                    return p.name, c.name, county.name
    return None
