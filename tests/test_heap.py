"""kiosk.heap: large blocks get mappings of their own, so freeing one gives it back.

Run in a child process: the setting is for the whole process and stays.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

# A 4 MiB block, freed and asked for again: glibc's dynamic threshold serves the second one
# from the heap (where it stays resident once freed) unless the threshold is fixed.
CHILD = """
import ctypes, sys
from kiosk import heap

FIELDS = "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost"
class Info(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in FIELDS.split()]

libc = ctypes.CDLL("libc.so.6")
libc.mallinfo2.restype = Info
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]
if sys.argv[1] == "fixed":
    assert heap.map_large_blocks()
elif sys.argv[1] == "window":  # what every window process starts with
    from kiosk.ui.launch import application
    application()
libc.free(libc.malloc(4 << 20))
before = libc.mallinfo2().hblks
block = libc.malloc(4 << 20)
print("mapped" if libc.mallinfo2().hblks == before + 1 else "heap")
libc.free(block)
"""


def _second_block(mode: str) -> str:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", CHILD, mode], capture_output=True, text=True, timeout=60, env=env
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc")
def test_a_large_block_freed_and_asked_for_again_gets_its_own_mapping():
    assert _second_block("default") == "heap", "glibc's default, which the kiosk changes"
    assert _second_block("fixed") == "mapped"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc")
def test_the_window_process_sets_it_as_its_application_starts():
    """kiosk run, kiosk demo and the benchmarks all start the window with application()."""
    assert _second_block("window") == "mapped"
