"""补打 of a stored submission's forms, and the ID number its ticket slip shows the tail of.

From a :class:`kiosk.store.repositories.SubmissionRecord` (the store reads it),
:func:`holder_id` finds the ID number and :func:`rebuild_forms` rebuilds what
was printed at submit — or says calmly why it cannot (personal data purged,
catalog changed).
"""

from __future__ import annotations

from collections.abc import Callable

from kiosk.catalog import Catalog
from kiosk.catalog.model import Bundle, FieldType
from kiosk.consult import Consultation, build_notice
from kiosk.forms.filling import Filling, Source
from kiosk.forms.validators import Message
from kiosk.printing.documents import application_document
from kiosk.printing.printers import Document
from kiosk.services.messages import FORMS_CATALOG_CHANGED, FORMS_PURGED
from kiosk.store.repositories import SubmissionRecord


def holder_id(catalog: Catalog, record: SubmissionRecord) -> str | None:
    """The first ID number typed on the submission's forms (the ticket shows its tail)."""
    for item_code in record.item_codes:
        item = catalog.items.get(item_code)
        values = (record.fields or {}).get(item_code, {})
        if item is None:
            continue
        for form_field in item.field_list:
            if form_field.type is FieldType.ID_NUMBER and form_field.id in values:
                return str(values[form_field.id].get("value") or "") or None
    return None


def rebuild_forms(
    catalog: Catalog, record: SubmissionRecord, status_url: str | None
) -> Callable[[], Document] | Message:
    """What was printed at submit, rebuilt from the stored answers and values."""
    if record.fields is None:
        return FORMS_PURGED
    bundle: Bundle | None = None
    if record.target_kind == "bundle":
        bundle = catalog.bundles.get(record.target_code)
        if bundle is None:
            return FORMS_CATALOG_CHANGED
    if any(code not in catalog.items for code in record.item_codes):
        return FORMS_CATALOG_CHANGED
    items = [catalog.items[code] for code in record.item_codes]
    answers = {code: dict(values) for code, values in (record.answers or {}).items()}
    consultations = [
        Consultation(item, dict(answers.get(item.code, {})), list(answers.get(item.code, {})))
        for item in items
    ]
    notice = build_notice(catalog, consultations, bundle)
    filling = Filling.for_bundle(bundle, items) if bundle else Filling.for_item(items[0])
    filling.answers = answers
    slots = filling.slots()
    for item_code, values in record.fields.items():
        for field_id, entered in values.items():
            key = filling.key(item_code, field_id)
            if key in slots:
                filling.set(key, entered.get("value"), Source(entered.get("source", "citizen")))
    return lambda: application_document(
        catalog, filling, notice, code=record.code, bundle=bundle, status_url=status_url
    )
