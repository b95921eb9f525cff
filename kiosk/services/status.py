"""办件查询: a submission's status — from the bureau when it answers, else what this kiosk saw.

The bureau being unreachable is a flag on the answer (with a calm sentence), never an
error: the visitor is told honestly that this is the last status seen here.
"""

from __future__ import annotations

import logging

from kiosk.codes import normalise_code
from kiosk.services.messages import LAST_KNOWN, NOT_FOUND_OFFLINE, STATUS_TEXT, UNKNOWN_CODE
from kiosk.services.results import StatusAnswer, store_errors
from kiosk.statuses import SubmissionStatus
from kiosk.store.db import BureauUnavailable
from kiosk.store.gateway import BureauGateway, BureauRefused
from kiosk.store.local import LocalStore

log = logging.getLogger(__name__)


class StatusQuery:
    def __init__(self, store: LocalStore, bureau: BureauGateway | None = None):
        self.store = store
        self.bureau = bureau

    def query(self, code: str) -> StatusAnswer:
        """The status of the submission with this code (typed or scanned)."""
        normal = normalise_code(code)
        if normal is None:
            return StatusAnswer(code.strip(), False, message=UNKNOWN_CODE)
        with store_errors(self.store):
            local = self.store.submissions.status(normal)
        unreachable = False
        if self.bureau is not None:
            try:
                live = self.bureau.lookup_status(normal)
            except (BureauUnavailable, BureauRefused) as exc:
                log.info("status %s: bureau unreachable: %s", normal, exc)
                unreachable = True
            else:
                if live is not None:
                    status = SubmissionStatus(live[0])
                    return StatusAnswer(
                        normal,
                        True,
                        status,
                        STATUS_TEXT[status],
                        live[1],
                        local.target_code if local else None,
                        local.ticket_number if local else None,
                        from_bureau=True,
                    )
        if local is None:
            message = NOT_FOUND_OFFLINE if unreachable else UNKNOWN_CODE
            return StatusAnswer(normal, False, bureau_unreachable=unreachable, message=message)
        status = SubmissionStatus(local.status)
        return StatusAnswer(
            normal,
            True,
            status,
            STATUS_TEXT[status],
            local.status_changed_at or local.created_at,
            local.target_code,
            local.ticket_number,
            bureau_unreachable=unreachable,
            message=LAST_KNOWN if unreachable else None,
        )
