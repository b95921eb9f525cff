"""The loaded catalog: every item resolved, looked up by code, in the file's order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from kiosk.catalog.model import (
    Bundle,
    CatalogDocument,
    Category,
    Department,
    FormField,
    Item,
    LifeEvent,
    Meta,
    Queue,
)
from kiosk.catalog.problems import CatalogProblem, PathT, SourceMap


@dataclass(frozen=True)
class Catalog:
    meta: Meta
    categories: Mapping[str, Category]
    departments: Mapping[str, Department]
    queues: Mapping[str, Queue]
    items: Mapping[str, Item]
    bundles: Mapping[str, Bundle]
    life_events: Mapping[str, LifeEvent]
    # Where each entry is in the file, for problems found after loading (the walk).
    source: SourceMap = field(default_factory=SourceMap, compare=False, repr=False)

    @classmethod
    def build(
        cls, doc: CatalogDocument, items: Sequence[Item], source: SourceMap | None = None
    ) -> Catalog:
        def index(entries: Sequence, key: str = "code") -> Mapping:
            return MappingProxyType({getattr(e, key): e for e in entries})

        return cls(
            meta=doc.meta,
            categories=index(doc.categories),
            departments=index(doc.departments),
            queues=index(doc.queues),
            items=index(items),
            bundles=index(doc.bundles),
            life_events=index(doc.life_events),
            source=source or SourceMap(),
        )

    @property
    def version(self) -> str:
        return self.meta.version

    def hall_name(self, configured: str | None = None, language: str = "zh") -> str:
        """The hall's name: the one the kiosk's settings give, else the bureau's own."""
        return configured or self.meta.bureau(language)

    # ── where things are in the file ──
    def item_path(self, code: str) -> PathT:
        return ("items", list(self.items).index(code))

    def bundle_path(self, code: str) -> PathT:
        return ("bundles", list(self.bundles).index(code))

    def problem(self, path: PathT, message: str) -> CatalogProblem:
        """A problem found in this catalog after loading, at its file:line:column."""
        return self.source.problem(path, message)

    def items_in(self, category: str) -> list[Item]:
        return [i for i in self.items.values() if i.category == category]

    def bundle_items(self, bundle: Bundle) -> list[Item]:
        return [self.items[m.item] for m in bundle.members]

    def queue_of(self, item: Item) -> Queue:
        return self.queues[item.queue]

    def priority_queues(self) -> list[Queue]:
        return [q for q in self.queues.values() if q.priority]

    def ticket_queue(self, code: str, priority: bool = False) -> Queue:
        """The queue a ticket is for: ``code``'s (an item's, a bundle's, or one the visitor
        picked), or — when the visitor asked for the priority lane — the hall's first priority
        queue, which has its own windows.  A priority queue asked for by code stays itself.
        The one rule for submissions and 取号 alike.  KeyError: a queue the catalog lacks."""
        queue = self.queues[code]
        if priority and not queue.priority:
            lanes = self.priority_queues()
            if lanes:
                return lanes[0]
        return queue

    def next_items(self, item_code: str) -> list[Item]:
        """What usually comes next after an item, across every life event (一件事)."""
        seen: dict[str, Item] = {}
        for event in self.life_events.values():
            for step in event.steps:
                if step.item == item_code:
                    for code in step.next:
                        seen.setdefault(code, self.items[code])
        return list(seen.values())

    def shared_field(self, bundle: Bundle, field_id: str) -> FormField:
        """The definition of a bundle's shared field (the first member that has it)."""
        for item in self.bundle_items(bundle):
            found = item.field(field_id)
            if found is not None:
                return found
        raise KeyError(field_id)
