"""Retention of the files the kiosk writes besides its database: printed PDFs.

A ``pdf-folder`` printer keeps every document it "prints" — forms with the
applicant's name, ID number and phone as extractable text.  They are removed
once older than the retention period, like the store's own personal data.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger(__name__)

PRINTED_PATTERNS = ("*.pdf", "*.pdf.part")


def purge_printed(folders: Iterable[Path], retention_days: int, now: float | None = None) -> int:
    """Delete printed PDFs older than ``retention_days`` in ``folders``; returns how many."""
    cutoff = (now if now is not None else time.time()) - retention_days * 86400
    removed = 0
    for folder in {Path(f) for f in folders}:
        if not folder.is_dir():
            continue
        for pattern in PRINTED_PATTERNS:
            for path in folder.glob(pattern):
                try:
                    if path.stat().st_mtime < cutoff:
                        path.unlink()
                        removed += 1
                except FileNotFoundError:
                    continue  # removed meanwhile (a second purge, staff tidying up)
                except OSError as exc:
                    log.warning("cannot remove printed file %s: %s", path, exc)
    return removed
