"""Which Qt binding the kiosk may start on: refuse the known-bad PySide6 release at once.

PySide6 6.12.0 on Python 3.11 drops one reference to ``None`` on every C++ call
that returns nothing and one to ``True`` on every Python-side signal emit; a
busy window aborts after a few thousand calls ("Fatal Python error:
none_dealloc").  6.11.3 and older on 3.11, and 6.12.0 on Python 3.12 and later
(where those objects are immortal), are fine.  ``pyproject.toml`` pins 6.11.3;
this check catches an environment that was changed by hand (qutebrowser's
``earlyinit`` does the same for its Qt).  It reads the installed version from
package metadata, so it runs before anything imports Qt.
"""

from __future__ import annotations

import sys
from importlib import metadata

BINDING = "PySide6-Essentials"
BAD_RELEASES = {"6.12.0"}  # with Python < 3.12


class UnsupportedBinding(RuntimeError):
    """The installed PySide6 is known to crash the kiosk on this Python."""


def installed_version(package: str = BINDING) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def problem(version: str | None, python: tuple[int, int]) -> str | None:
    """Why this PySide6 on this Python cannot run the kiosk; None when it can."""
    if version is None:
        return f"{BINDING} is not installed: run `make run` (or `pip install -e .`)."
    if version in BAD_RELEASES and python < (3, 12):
        return (
            f"{BINDING} {version} on Python {python[0]}.{python[1]} loses references to None "
            "and True on every call and the kiosk would abort after a few minutes. Install "
            f"the pinned release (pip install '{BINDING}==6.11.3' 'PySide6-Addons==6.11.3') "
            "or use Python 3.12 or later."
        )
    return None


def check() -> None:
    """Raise :class:`UnsupportedBinding` with the reason when the kiosk must not start."""
    major, minor = sys.version_info[:2]
    reason = problem(installed_version(), (major, minor))
    if reason is not None:
        raise UnsupportedBinding(reason)
