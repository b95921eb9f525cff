"""Search over items and bundles by name, alias, full pinyin and pinyin initials.

Ranked exact > prefix > initials > substring, then by where the match starts,
then by shorter name.  Heteronyms (多音字) are expanded with pypinyin so either
reading finds the item; 儿 reads ``er``.  The index is built once per catalog
(pinyin conversion is the slow part) and queries only compare strings.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum

from pypinyin import Style, pinyin

from kiosk.catalog.catalog import Catalog
from kiosk.catalog.model import Bundle, Item

MAX_READINGS = 16  # heteronym combinations kept per string; the rest are rare readings


class Rank(IntEnum):
    EXACT = 0
    PREFIX = 1
    INITIALS = 2
    SUBSTRING = 3


@dataclass(frozen=True)
class Hit:
    rank: Rank
    position: int
    entry: Item | Bundle

    @property
    def code(self) -> str:
        return self.entry.code


_SEP = "\n"  # normalise() removes whitespace, so no query or text contains it


@dataclass(frozen=True)
class _Texts:
    """Strings of one kind, prepared so a query costs a few C-level string operations."""

    exact: frozenset[str]
    joined: str  # every string, each preceded by _SEP
    usual: str  # the usual reading of each name (for pinyin; else the same as joined)

    @classmethod
    def of(cls, strings: Iterable[str], usual: Iterable[str] | None = None) -> _Texts:
        strings = list(dict.fromkeys(strings))
        joined = "".join(_SEP + s for s in strings)
        return cls(
            frozenset(strings),
            joined,
            joined if usual is None else "".join(_SEP + s for s in dict.fromkeys(usual)),
        )

    def match(self, query: str) -> tuple[Rank, int] | None:
        """Exact > prefix > substring, with where the match starts."""
        if query not in self.joined:  # most entries stop here
            return None
        if query in self.exact:
            return (Rank.EXACT, 0)
        if _SEP + query in self.joined:
            return (Rank.PREFIX, 0)
        # The position is taken from the usual readings when the query is there: scanning
        # every heteronym variant for the earliest start costs too much on 1,000 items.
        position = _earliest(query, self.usual)
        if position is None:
            position = _earliest(query, self.joined)
        return (Rank.SUBSTRING, position or 0)


def _earliest(query: str, joined: str) -> int | None:
    """The earliest start of ``query`` within any one string of ``joined``."""
    best: int | None = None
    start = joined.find(query)
    while start >= 0:
        position = start - joined.rfind(_SEP, 0, start) - 1
        best = position if best is None else min(best, position)
        end = joined.find(_SEP, start)
        if best <= 1 or end < 0:  # 1 is the earliest a match that is not a prefix can start
            break
        start = joined.find(query, end)  # only the first match in each string counts
    return best


@dataclass(frozen=True)
class _Entry:
    target: Item | Bundle
    category: str | None
    texts: _Texts  # normalised names, aliases, English name and code
    spellings: _Texts  # full pinyin of the names and aliases, no spaces
    initials: str  # pinyin initials, each preceded by _SEP
    length: int


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[\s·•()（）〔〕【】\[\]、，,。.;；:：—\-_/]+", "", text)


def _readings(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """All full-pinyin and initial spellings of a text (bounded)."""
    # Non-Chinese characters (digits, latin) are kept as they are.
    syllables = pinyin(text, style=Style.NORMAL, heteronym=True, errors=lambda s: s)
    options = [[normalise(r) for r in dict.fromkeys(choices) if r] or [""] for choices in syllables]
    combinations = list(itertools.islice(itertools.product(*options), MAX_READINGS))
    # The product varies the last characters first, so a long name would lose the other
    # readings of its first characters (长宁 chang/zhang).  Keep every alternative reading of
    # every character too, with the other characters at their usual reading.
    usual = [choices[0] for choices in options]
    for index, choices in enumerate(options):
        for other in choices[1:]:
            combinations.append((*usual[:index], other, *usual[index + 1 :]))
    full: list[str] = []
    initials: list[str] = []
    for combination in combinations:
        full.append("".join(combination))
        initials.append("".join(s[:1] for s in combination))
    return tuple(dict.fromkeys(full)), tuple(dict.fromkeys(initials))


class SearchIndex:
    def __init__(self, entries: Iterable[_Entry]):
        self._entries = list(entries)

    @classmethod
    def build(cls, catalog: Catalog) -> SearchIndex:
        entries = []
        targets: list[tuple[Item | Bundle, str | None]] = [
            (item, item.category) for item in catalog.items.values()
        ]
        targets += [(bundle, None) for bundle in catalog.bundles.values()]
        for target, category in targets:
            names = [target.name.zh, *target.aliases]
            texts = tuple(
                dict.fromkeys(normalise(n) for n in [*names, target.name.en, target.code])
            )
            spellings: list[str] = []
            usual: list[str] = []
            initials: list[str] = []
            for name in names:
                full, short = _readings(name)
                spellings += full
                usual.append(full[0])  # every first reading: pypinyin's most likely one
                initials += short
            entries.append(
                _Entry(
                    target,
                    category,
                    _Texts.of(texts),
                    _Texts.of(spellings, usual),
                    "".join(_SEP + i for i in dict.fromkeys(initials)),
                    len(target.name.zh),
                )
            )
        return cls(entries)

    def search(self, query: str, category: str | None = None, limit: int = 50) -> list[Hit]:
        q = normalise(query)
        if not q:
            return []
        ascii_query = q.isascii()
        initial_q = _SEP + q
        hits: list[tuple[Rank, int, int, int, Item | Bundle]] = []
        for order, entry in enumerate(self._entries):
            if category is not None and entry.category != category:
                continue
            found = entry.texts.match(q)
            if ascii_query:
                spelled = entry.spellings.match(q)
                if spelled is not None and (found is None or spelled < found):
                    found = spelled
                weaker = found is None or found[0] > Rank.INITIALS
                if weaker and initial_q in entry.initials:
                    found = (Rank.INITIALS, 0)
            if found is not None:
                hits.append((found[0], found[1], entry.length, order, entry.target))
        hits.sort(key=lambda h: h[:4])
        return [Hit(rank, position, target) for rank, position, _, _, target in hits[:limit]]
