"""Load catalog.yaml into a frozen :class:`Catalog`, or explain every problem with file:line.

Three passes, all errors collected before reporting:

1. read + parse YAML, keeping the line:column of every node (and refusing
   duplicate keys, which plain PyYAML silently overwrites);
2. pydantic validation of the shapes (:mod:`kiosk.catalog.model`);
3. cross-references: unknown department / queue / question / field / item,
   duplicate codes, answers a question cannot have, life-event cycles.

Every message reads ``catalog.yaml:812:7 items[37].materials[2].when: unknown
question 'has_lease'``; the loader never lets a traceback reach the operator.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from kiosk.catalog.catalog import Catalog
from kiosk.catalog.model import INLINE_TAG, USE_TAG, CatalogDocument
from kiosk.catalog.problems import CatalogError, CatalogProblem, PathT, SourceMap, render
from kiosk.catalog.resolve import resolve

__all__ = ["CatalogError", "CatalogProblem", "load_catalog", "parse_catalog"]

MAX_BYTES = 5 * 1024 * 1024  # the shipped catalog is ~0.7 MB; anything this big is a mistake
END_KEY = "end"  # the catalog's last line is `end: true`: a file cut short has none


def load_catalog(path: str | os.PathLike[str]) -> Catalog:
    """Read, validate and resolve a catalog file.  Raises :class:`CatalogError`."""
    path = Path(path)
    name = path.name
    text = _read(path, name)
    return parse_catalog(text, name)


def parse_catalog(text: str, name: str = "catalog.yaml") -> Catalog:
    data, locations = _parse_yaml(text, name)
    source = SourceMap(name, locations, text.count("\n") + (not text.endswith("\n")))
    report = _Reporter(source)
    data = _check_end(data, source, report)
    try:
        document = CatalogDocument.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        inner = {e["loc"][:n] for e in errors for n in range(len(e["loc"]))}
        for error in errors:
            # pydantic checks a list's length after dropping its invalid entries, so one bad
            # queue also says "queues: should have at least 1 item"; that only misleads.
            if error["type"] == "too_short" and error["loc"] in inner:
                continue
            report(_data_path(data, error["loc"]), _pydantic_message(error))
        raise CatalogError(report.problems) from None
    catalog = resolve(document, report, source)
    if report.problems:
        raise CatalogError(report.problems)
    return catalog


def _check_end(data: dict[str, Any], source: SourceMap, report: _Reporter) -> dict[str, Any]:
    """The last line must be ``end: true``: a file cut between two items is otherwise whole YAML.

    Returns the data without the marker (it is not part of the model).
    """
    keys = list(data)
    if END_KEY not in data:
        last = keys[-1] if keys else ""
        report.at(
            (source.text_lines, 1),
            (),
            f"the catalog does not end with the line 'end: true' — the file may have been cut "
            f"short (its last section is '{last}'); if it is whole, add that line at the end",
        )
        return data
    if keys[-1] != END_KEY:
        report(
            (END_KEY,), f"'end: true' must be the last line of the catalog ('{keys[-1]}' follows)"
        )
    elif data[END_KEY] is not True:
        report((END_KEY,), f"the end marker reads 'end: true', not 'end: {data[END_KEY]}'")
    return {k: v for k, v in data.items() if k != END_KEY}


# ── pass 1: file and YAML ──────────────────────────────────────────────────


def _read(path: Path, name: str) -> str:
    def fail(message: str) -> CatalogError:
        return CatalogError([CatalogProblem(str(path), 0, 0, "", message)])

    try:
        size = path.stat().st_size
        if path.is_dir():
            raise fail("is a directory, not a catalog file")
        if size > MAX_BYTES:
            raise fail(
                f"file is {size / 1024 / 1024:.1f} MB; a catalog may be at most "
                f"{MAX_BYTES // 1024 // 1024} MB"
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise fail("file not found") from None
    except PermissionError:
        raise fail("cannot read the file: permission denied") from None
    except OSError as exc:
        raise fail(f"cannot read the file: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail(f"not UTF-8 text (byte {exc.start}); save the catalog as UTF-8") from None
    if not text.strip():
        raise fail("the file is empty")
    return text


# libyaml's parser is ~10× faster on the 0.7 MB shipped catalog and keeps node marks.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse_yaml(text: str, name: str) -> tuple[Any, dict[PathT, tuple[int, int]]]:
    """YAML → plain data plus the (line, column) of every mapping key and list entry."""
    if not text.strip():
        raise CatalogError([CatalogProblem(name, 0, 0, "", "the file is empty")])
    loader: Any = None
    try:
        # The reader checks the characters as it is built, so that is inside the try too.
        loader = _Loader(text)
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem = exc.problem or exc.context or "malformed YAML"
        raise CatalogError(
            [CatalogProblem(name, line, col, "", f"malformed YAML: {problem}")]
        ) from None
    except yaml.reader.ReaderError as exc:  # a control character; it has only an offset
        offset = exc.position
        if exc.encoding != "unicode":  # libyaml counts UTF-8 bytes, PyYAML characters
            offset = len(text.encode("utf-8")[:offset].decode("utf-8", "ignore"))
        line = text.count("\n", 0, offset) + 1
        col = offset - (text.rfind("\n", 0, offset) + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise CatalogError(
            [
                CatalogProblem(
                    name, line, col, "", f"character U+{code:04X} is not allowed in a catalog"
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise CatalogError([CatalogProblem(name, 0, 0, "", f"malformed YAML: {exc}")]) from None
    except RecursionError:  # PyYAML's composer recurses once per nesting level
        raise CatalogError([CatalogProblem(name, 0, 0, "", _TOO_DEEP)]) from None
    finally:
        if loader is not None:
            loader.dispose()
    if root is None or (
        isinstance(root, yaml.ScalarNode)
        and root.value == ""
        and root.tag == "tag:yaml.org,2002:null"
    ):
        raise CatalogError([CatalogProblem(name, 0, 0, "", "the file is empty")])
    locations: dict[PathT, tuple[int, int]] = {}
    problems: list[CatalogProblem] = []
    try:
        data = _build(root, (), locations, problems, name, loader, _Budget())
    except RecursionError:
        raise CatalogError([CatalogProblem(name, 0, 0, "", _TOO_DEEP)]) from None
    except _TooManyValues:
        raise CatalogError(
            [
                CatalogProblem(
                    name,
                    0,
                    0,
                    "",
                    f"more than {MAX_VALUES} values (do YAML aliases expand too much?)",
                )
            ]
        ) from None
    if problems:
        raise CatalogError(problems)
    if not isinstance(data, dict):
        line, col = locations.get((), (1, 1))
        raise CatalogError(
            [
                CatalogProblem(
                    name,
                    line,
                    col,
                    "",
                    "the top level must be a mapping (meta:, categories:, items: …)",
                )
            ]
        )
    return data, locations


_TOO_DEEP = "the YAML is nested too deeply to be a catalog"
MAX_VALUES = 500_000  # the shipped catalog has ~30,000; aliases could otherwise explode


class _TooManyValues(Exception):
    pass


class _Budget:
    """Guards against alias tricks: a node that contains itself, or exponential expansion."""

    def __init__(self) -> None:
        self.built = 0
        self.active: set[int] = set()  # ids of the collection nodes being built


def _build(
    node: yaml.Node,
    path: PathT,
    locations: dict[PathT, tuple[int, int]],
    problems: list[CatalogProblem],
    name: str,
    loader: Any,
    budget: _Budget,
) -> Any:
    locations.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
    budget.built += 1
    if budget.built > MAX_VALUES:
        raise _TooManyValues
    if isinstance(node, yaml.CollectionNode):
        if id(node) in budget.active:
            line, col = locations[path]  # where the alias is used, not where its anchor is
            problems.append(
                CatalogProblem(
                    name,
                    line,
                    col,
                    render(path),
                    "a YAML alias refers to a value that contains it",
                )
            )
            return None
        budget.active.add(id(node))
        try:
            return _build_collection(node, path, locations, problems, name, loader, budget)
        finally:
            budget.active.discard(id(node))
    return _scalar(node, loader)


def _build_collection(
    node: yaml.CollectionNode,
    path: PathT,
    locations: dict[PathT, tuple[int, int]],
    problems: list[CatalogProblem],
    name: str,
    loader: Any,
    budget: _Budget,
) -> Any:
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node, loader)
            if not isinstance(key, str) or isinstance(key_node, yaml.CollectionNode):
                shown = key_node.value if isinstance(key_node, yaml.ScalarNode) else "…"
                problems.append(
                    CatalogProblem(
                        name,
                        key_node.start_mark.line + 1,
                        key_node.start_mark.column + 1,
                        render(path),
                        # YAML 1.1 reads on/off/yes/no as booleans and digits as numbers.
                        f"a mapping key must be a plain word, not {shown!r} "
                        "(put it in quotes if it is meant as text)",
                    )
                )
                continue
            if key in result:
                problems.append(
                    CatalogProblem(
                        name,
                        key_node.start_mark.line + 1,
                        key_node.start_mark.column + 1,
                        render((*path, key)),
                        f"duplicate key '{key}'",
                    )
                )
                continue
            locations[(*path, key)] = (
                key_node.start_mark.line + 1,
                key_node.start_mark.column + 1,
            )
            result[key] = _build(
                value_node, (*path, key), locations, problems, name, loader, budget
            )
        return result
    return [
        _build(child, (*path, i), locations, problems, name, loader, budget)
        for i, child in enumerate(node.value)
    ]


def _scalar(node: yaml.Node, loader: Any) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        return None
    if node.tag == "tag:yaml.org,2002:timestamp":
        return node.value  # dates stay ISO text: the form engine parses them
    try:
        return loader.construct_object(node, deep=True)
    # An explicit tag on text it cannot read (``!!int abc``, ``!!bool maybe``) raises
    # plain ValueError / KeyError from PyYAML's constructors; keep the text instead.
    except (yaml.YAMLError, ValueError, KeyError, TypeError, OverflowError):
        return node.value


# ── error reporting ────────────────────────────────────────────────────────


def _data_path(data: Any, loc: tuple[Any, ...]) -> PathT:
    """Drop pydantic's union tags and validator names from a loc, keeping real data keys."""
    path: list[str | int] = []
    node = data
    for part in loc:
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_list or (isinstance(node, dict) and part in node):
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and not _looks_like_tag(part):
            path.append(part)  # a missing key: report where it should be
            node = None
    return tuple(path)


def _looks_like_tag(part: str) -> bool:
    """A union tag or a validator's name in a pydantic loc, never a key of the catalog."""
    return part in (INLINE_TAG, USE_TAG) or "[" in part or part[:1].isupper()


def _pydantic_message(error: Mapping[str, Any]) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return "required but missing"
    if kind == "extra_forbidden":
        return "unknown key (misspelt?)"
    message = str(error.get("msg", "invalid"))
    return message.removeprefix("Value error, ")


class _Reporter:
    """Collects problems, each once, located through the file's source map."""

    def __init__(self, source: SourceMap):
        self.source = source
        self.problems: list[CatalogProblem] = []

    def __call__(self, path: PathT, message: str) -> None:
        self._add(self.source.problem(path, message))

    def at(self, where: tuple[int, int], path: PathT, message: str) -> None:
        self._add(CatalogProblem(self.source.name, *where, render(path), message))

    def _add(self, problem: CatalogProblem) -> None:
        if problem not in self.problems:
            self.problems.append(problem)
