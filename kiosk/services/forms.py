"""A case's pre-filled forms, rebuilt from what was entered: for the preview, the first
print after submit, and staff 补打 — one path, so all three are the same paper.

The case is a :class:`~kiosk.submission.SubmissionDraft` (frozen on the GUI thread) or a
stored :class:`~kiosk.store.repositories.SubmissionRecord`: the item or bundle, the
answers and each form's values with who entered them.  A fresh
:class:`~kiosk.forms.filling.Filling` is made from them here, on the worker, so the
visitor's live session is never touched.  :func:`forms_document` says calmly when the
forms cannot be made (personal data purged, catalog changed).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from kiosk.catalog import Catalog
from kiosk.catalog.model import Bundle, FieldType
from kiosk.consult import Consultation, build_notice
from kiosk.forms.filling import Filling, Source
from kiosk.kinds import TargetKind
from kiosk.message import Message
from kiosk.printing.documents import application_document
from kiosk.printing.printers import Document
from kiosk.services.messages import FORMS_CATALOG_CHANGED, FORMS_PURGED

PREVIEW_CODE = "提交后生成"  # printed where the submission code will be ("made on submit")


class EnteredCase(Protocol):
    """What a visitor entered for one item or bundle (a draft, or a stored submission)."""

    @property
    def target_kind(self) -> TargetKind: ...
    @property
    def target_code(self) -> str: ...
    @property
    def item_codes(self) -> tuple[str, ...]: ...
    @property
    def answers(self) -> Mapping[str, Any] | None: ...
    @property
    def fields(self) -> Mapping[str, Any] | None: ...


def holder_id(catalog: Catalog, case: EnteredCase) -> str | None:
    """The first ID number typed on the case's forms (the ticket shows its tail)."""
    for item_code in case.item_codes:
        item = catalog.items.get(item_code)
        values = (case.fields or {}).get(item_code, {})
        if item is None:
            continue
        for form_field in item.field_list:
            if form_field.type is FieldType.ID_NUMBER and form_field.id in values:
                return str(values[form_field.id].get("value") or "") or None
    return None


def forms_document(
    catalog: Catalog, case: EnteredCase, code: str | None, status_url: str | None
) -> Callable[[], Document] | Message:
    """The forms as they print for ``code`` (None: a preview, before there is a code — no QR
    code of a submission that does not exist yet), or why they cannot be made."""
    if case.fields is None:
        return FORMS_PURGED
    bundle: Bundle | None = None
    if case.target_kind is TargetKind.BUNDLE:
        bundle = catalog.bundles.get(case.target_code)
        if bundle is None:
            return FORMS_CATALOG_CHANGED
    if not case.item_codes or any(code not in catalog.items for code in case.item_codes):
        return FORMS_CATALOG_CHANGED
    items = [catalog.items[code] for code in case.item_codes]
    answers = {code: dict(values) for code, values in (case.answers or {}).items()}
    consultations = [
        Consultation(item, dict(answers.get(item.code, {})), list(answers.get(item.code, {})))
        for item in items
    ]
    notice = build_notice(catalog, consultations, bundle)
    filling = Filling.for_bundle(bundle, items) if bundle else Filling.for_item(items[0])
    filling.answers = answers
    slots = filling.slots()
    for item_code, values in case.fields.items():
        for field_id, entered in values.items():
            key = filling.key(item_code, field_id)
            if key in slots:
                filling.set(key, entered.get("value"), Source(entered.get("source", "citizen")))
    return lambda: application_document(
        catalog,
        filling,
        notice,
        code=code or PREVIEW_CODE,
        bundle=bundle,
        status_url=status_url if code else None,
    )
