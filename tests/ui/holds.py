"""Real trouble for a kiosk's local store, for window tests: held busy, or gone.

:func:`store_held` takes SQLite's write lock on the kiosk's own file from another
connection, as a long sync batch or a backup would: every write the kiosk starts
meanwhile waits (``BEGIN IMMEDIATE`` under its busy timeout) until the hold ends —
a submit, a 取号 or a help request "in flight" for as long as the test wants.
:func:`store_gone` makes the file impossible to open, as a vanished disk would.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from kiosk.services import KioskServices


@contextmanager
def store_held(kiosk: KioskServices) -> Iterator[None]:
    holder = sqlite3.connect(kiosk.settings.local_db_path, isolation_level=None, timeout=30)
    try:
        holder.execute("BEGIN IMMEDIATE")
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@contextmanager
def store_gone(kiosk: KioskServices) -> Iterator[None]:
    path = kiosk.settings.local_db_path
    kiosk.store.engine.dispose()
    for leftover in path.parent.glob(path.name + "*"):
        leftover.unlink()
    path.mkdir()  # the file is gone and cannot be made again: "unable to open database file"
    try:
        yield
    finally:
        shutil.rmtree(path)
