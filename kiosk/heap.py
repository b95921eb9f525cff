"""The C heap of a process that runs for weeks (glibc's malloc; elsewhere nothing is done).

glibc serves a large block (a rendered page, a font file read for a PDF) from its heap once
a block of that size has been freed, instead of mapping it afresh: its "dynamic mmap
threshold" rises to the largest block freed.  Such a block is then taken from the top of a
heap, freed, and kept when a small allocation made meanwhile sits above it — the kiosk's
resident memory rose ~3 MB at a time that way, with the memory in use flat
(bench/bench_ui.py: memory over 1,000 visits).  A fixed threshold keeps every block of
256 KiB or more in a mapping of its own, handed back to the system when it is freed.
"""

from __future__ import annotations

import ctypes
import logging
import sys

log = logging.getLogger(__name__)

M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter number (malloc.h)
MMAP_THRESHOLD = 256 * 1024


def _glibc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # another C library (musl): its own allocator, left as it is
        return None
    return libc if hasattr(libc, "mallopt") and hasattr(libc, "gnu_get_libc_version") else None


def map_large_blocks() -> bool:
    """Give every block of 256 KiB or more a mapping of its own (at start, once).  True if
    glibc took the setting."""
    libc = _glibc()
    if libc is None:
        return False
    taken = bool(libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD))
    if not taken:
        log.warning("glibc refused M_MMAP_THRESHOLD=%d", MMAP_THRESHOLD)
    return taken
