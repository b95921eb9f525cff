"""Files only the kiosk's own user may read: 0600 files in 0700 folders, whatever the umask.

The configuration (PIN hash, bureau password), printed PDFs (names, ID numbers) and
the PIN lockout go through here.  Modes are set with ``chmod`` after creating, so a
umask of 022 (or 000) never leaves them readable by other local users; a write is
atomic (temporary file, fsync, rename), so a power cut never leaves half a file.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path, *, tighten: bool = True) -> Path:
    """Create ``path`` (and missing parents) as 0700 folders.

    ``tighten`` also brings an existing folder the kiosk owns to 0700 (a printed-PDF
    folder made by an older version); a folder owned by someone else is left alone.
    """
    missing: list[Path] = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another thread made it meanwhile
            folder.mkdir(mode=DIR_MODE)
        os.chmod(folder, DIR_MODE)  # mkdir's mode went through the umask
    if tighten and not missing:
        info = path.stat()
        if info.st_uid == os.geteuid() and stat.S_IMODE(info.st_mode) != DIR_MODE:
            os.chmod(path, DIR_MODE)
    return path


def write_private(path: Path, data: bytes, *, temporary: Path | None = None) -> None:
    """Write ``data`` to ``path`` as a 0600 file, atomically (``temporary`` then rename)."""
    partial = temporary or path.with_name(f".{path.name}.{os.getpid()}.part")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)  # O_CREAT's mode went through the umask; an old file kept its own
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except OSError:
        os.close(fd)
        with contextlib.suppress(OSError):
            partial.unlink()
        raise
    os.close(fd)
    try:
        os.replace(partial, path)
    except OSError:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise


def readable_by_others(path: Path) -> bool:
    """Whether group or other users may read ``path`` (for `kiosk config check`)."""
    return bool(path.stat().st_mode & (stat.S_IRGRP | stat.S_IROTH))
