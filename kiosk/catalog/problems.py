"""Where a problem in the catalog is: file:line:column, the path of the entry, and what is wrong.

The loader reports every problem it finds this way, and so does the walk over a
loaded catalog (:mod:`kiosk.walk`), through the :class:`SourceMap` the loader keeps
on the :class:`~kiosk.catalog.catalog.Catalog`: an operator reading
``catalog.yaml:812:7 items[37].fields[2].example: …`` goes straight to the line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

PathT = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class CatalogProblem:
    file: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        return f"{where} {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class CatalogError(Exception):
    """The catalog cannot be used; ``problems`` lists every reason, in file order, once."""

    def __init__(self, problems: Iterable[CatalogProblem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


def render(path: PathT) -> str:
    """``("items", 3, "fields", 2)`` → ``items[3].fields[2]``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@dataclass(frozen=True)
class SourceMap:
    """The file a catalog came from and the line:column of each of its entries."""

    name: str = "catalog.yaml"
    locations: Mapping[PathT, tuple[int, int]] = field(default_factory=dict)
    text_lines: int = 0  # how many lines the file has (a missing last line is reported there)

    def locate(self, path: PathT) -> tuple[int, int]:
        """The nearest located entry at or above ``path`` (a missing key: its mapping)."""
        probe = tuple(path)
        while probe not in self.locations and probe:
            probe = probe[:-1]
        return self.locations.get(probe, (0, 0))

    def problem(self, path: PathT, message: str) -> CatalogProblem:
        line, column = self.locate(path)
        return CatalogProblem(self.name, line, column, render(path), message)
