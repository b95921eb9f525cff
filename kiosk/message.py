"""Message: one sentence in Chinese and English — the kiosk's one way of holding its words.

The window's and the staff pages' table (:mod:`kiosk.ui.text`), the services' calm
messages (:mod:`kiosk.services.messages`) and the validators' complaints are all
``Message`` values, shown with ``message(language)``.  (Catalog content carries its
own zh/en :class:`kiosk.catalog.model.Text`, read from catalog.yaml.)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Message:
    zh: str
    en: str

    def __call__(self, language: str, **values: object) -> str:
        """The sentence in ``language`` (English for "en", else Chinese), ``{name}`` filled in."""
        template = self.en if language == "en" else self.zh
        return template.format(**values) if values else template
