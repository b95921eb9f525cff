"""The documents of one visit, rendered and labelled for a printer: the API the UI calls.

Each function renders (ReportLab, a few tens of milliseconds) and returns a
:class:`~kiosk.printing.printers.Document`; hand it to
:func:`~kiosk.printing.printers.print_document`.  All plain synchronous calls:
the UI runs them off the GUI thread.
"""

from __future__ import annotations

import re
from datetime import datetime

from reportlab.lib.units import mm

from kiosk.catalog.catalog import Catalog
from kiosk.catalog.model import Bundle
from kiosk.consult import MaterialsNotice
from kiosk.forms.filling import Filling
from kiosk.printing.form import BundleRenderer, FormRenderer
from kiosk.printing.notice import NoticeRenderer
from kiosk.printing.printers import Document
from kiosk.printing.slip import TicketSlip
from kiosk.printing.ticket import TicketRenderer


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text)[:40] or "document"


def ticket_document(slip: TicketSlip, status_url: str | None = None) -> Document:
    renderer = TicketRenderer(slip, status_url)
    pdf = renderer.render()
    width, height = (round(side / mm, 1) for side in renderer.page_size)
    return Document(
        "ticket", f"ticket-{_safe(slip.number)}", pdf, slip, f"Custom.{width:g}x{height:g}mm"
    )


def notice_document(
    catalog: Catalog,
    notice: MaterialsNotice,
    *,
    code: str | None = None,
    status_url: str | None = None,
    printed_at: datetime | None = None,
) -> Document:
    pdf = NoticeRenderer(
        catalog, notice, code=code, status_url=status_url, printed_at=printed_at
    ).render()
    label = code or "-".join(notice.item_codes)
    return Document("notice", f"notice-{_safe(label)}", pdf)


def application_document(
    catalog: Catalog,
    filling: Filling,
    notice: MaterialsNotice,
    *,
    code: str,
    bundle: Bundle | None = None,
    status_url: str | None = None,
    printed_at: datetime | None = None,
) -> Document:
    """The pre-filled forms of a submission: one item's form, or a bundle's cover + forms."""
    renderer: BundleRenderer | FormRenderer
    if bundle is not None:
        renderer = BundleRenderer(
            catalog,
            bundle,
            filling,
            notice,
            code=code,
            status_url=status_url,
            printed_at=printed_at,
        )
    elif len(filling.items) != 1:
        raise ValueError("forms of several items are printed as a bundle")
    else:
        renderer = FormRenderer(
            catalog,
            filling.items[0],
            filling,
            code=code,
            notice=notice,
            status_url=status_url,
            printed_at=printed_at,
        )
    return Document("form", f"form-{_safe(code)}", renderer.render())
