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
from collections.abc import Iterable, Sequence
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


@dataclass(frozen=True)
class _Entry:
    target: Item | Bundle
    category: str | None
    texts: tuple[str, ...]  # normalised names and aliases
    spellings: tuple[str, ...]  # full pinyin, no spaces
    initials: tuple[str, ...]
    length: int


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[\s·•()（）〔〕【】\[\]、，,。.;；:：—\-_/]+", "", text)


def _readings(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """All full-pinyin and initial spellings of a text (bounded)."""
    # Non-Chinese characters (digits, latin) are kept as they are.
    syllables = pinyin(text, style=Style.NORMAL, heteronym=True, errors=lambda s: s)
    options = [[normalise(r) for r in dict.fromkeys(choices) if r] or [""] for choices in syllables]
    full: list[str] = []
    initials: list[str] = []
    for combination in itertools.islice(itertools.product(*options), MAX_READINGS):
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
            initials: list[str] = []
            for name in names:
                full, short = _readings(name)
                spellings += full
                initials += short
            entries.append(
                _Entry(
                    target,
                    category,
                    texts,
                    tuple(dict.fromkeys(spellings)),
                    tuple(dict.fromkeys(initials)),
                    len(target.name.zh),
                )
            )
        return cls(entries)

    def search(self, query: str, category: str | None = None, limit: int = 50) -> list[Hit]:
        q = normalise(query)
        if not q:
            return []
        ascii_query = q.isascii()
        hits: list[tuple[Rank, int, int, int, Item | Bundle]] = []
        for order, entry in enumerate(self._entries):
            if category is not None and entry.category != category:
                continue
            found = _match(q, entry.texts)
            if ascii_query:
                spelled = _match(q, entry.spellings)
                if spelled is not None and (found is None or spelled < found):
                    found = spelled
                weaker = found is None or found[0] > Rank.INITIALS
                if weaker and any(i.startswith(q) for i in entry.initials):
                    found = (Rank.INITIALS, 0)
            if found is not None:
                hits.append((found[0], found[1], entry.length, order, entry.target))
        hits.sort(key=lambda h: h[:4])
        return [Hit(rank, position, target) for rank, position, _, _, target in hits[:limit]]


def _match(query: str, candidates: Sequence[str]) -> tuple[Rank, int] | None:
    best: tuple[Rank, int] | None = None
    for text in candidates:
        if text == query:
            return (Rank.EXACT, 0)
        if text.startswith(query):
            best = (Rank.PREFIX, 0)
        elif best is None or best[0] == Rank.SUBSTRING:
            position = text.find(query)
            if position >= 0 and (best is None or position < best[1]):
                best = (Rank.SUBSTRING, position)
    return best
