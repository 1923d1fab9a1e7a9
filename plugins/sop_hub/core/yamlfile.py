"""YAML loading that keeps line numbers and avoids YAML 1.1's surprises.

Front-matter and quiz files share this loader:

- dates stay strings (``review.parse_date`` reads them), so ``2026-02-30`` is a clear problem
  instead of a ``ValueError`` from PyYAML's constructor;
- only ``true``/``false`` are booleans, so a choice written ``Yes`` or ``No`` stays text;
- every node's line is kept in a ``Lines`` tree, so a problem can point at the offending key;
- a key written twice is reported instead of silently keeping the last value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

_BASE_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BOOL_TAG = "tag:yaml.org,2002:bool"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


class _Loader(_BASE_LOADER):  # type: ignore[misc]
    pass


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (_BOOL_TAG, _TIMESTAMP_TAG)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(_BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


@dataclass(slots=True)
class Lines:
    """Line numbers (1-based, in the file) of a YAML node and its children."""

    line: int
    keys: dict[Any, Lines] = field(default_factory=dict)
    items: list[Lines] = field(default_factory=list)
    raw: str | None = None  # a scalar's text as written (``2.10`` stays ``2.10``)

    def at(self, *path: Any) -> int:
        """The line of the deepest node on ``path`` that exists (``lines.at("questions", 2, "answer")``)."""
        node = self
        for step in path:
            child = node.items[step] if isinstance(step, int) and step < len(node.items) else None
            if child is None and not isinstance(step, int):
                child = node.keys.get(step)
            if child is None:
                break
            node = child
        return node.line

    def child(self, key: Any) -> Lines:
        if isinstance(key, int):
            return self.items[key] if key < len(self.items) else self
        return self.keys.get(key, self)


@dataclass(slots=True)
class YamlError:
    line: int
    message: str


@dataclass(slots=True)
class Duplicate:
    key: str
    line: int
    first_line: int


def load(text: str, first_line: int = 1) -> tuple[Any, Lines, list[Duplicate]] | YamlError:
    """Load one YAML document. ``first_line`` is the file line of ``text``'s first line.

    Never raises for bad input: every failure, including a bad explicit tag such as
    ``!!int abc`` (a ``ValueError`` inside PyYAML), comes back as a ``YamlError``.
    """
    offset = first_line - 1
    loader = _Loader(text)
    node = None
    try:
        node = loader.get_single_node()
        if node is None:
            return None, Lines(first_line), []
        duplicates: list[Duplicate] = []
        try:
            data, lines = _Builder(loader, offset, duplicates).build(node)
        except _Unusual:
            duplicates.clear()
            lines = _lines(node, offset, duplicates, {})
            data = loader.construct_document(node)
        return data, lines, duplicates
    except yaml.MarkedYAMLError as error:
        line, message = _describe(error, text)
        return YamlError(line + first_line, message)
    except yaml.YAMLError as error:  # pragma: no cover - PyYAML raises marked errors in practice
        return YamlError(first_line, str(error))
    except RecursionError:
        return YamlError(first_line, "the YAML is nested too deeply to read; flatten it")
    except Exception as error:  # PyYAML's constructors on explicit tags: `!!int abc`, `!!timestamp x`, ...
        bad_line, reason = _unreadable_scalar(loader, node) if node is not None else (None, None)
        return YamlError(
            bad_line + offset if bad_line else first_line,
            f"a tagged value cannot be read ({reason or error}); remove the `!!tag`",
        )
    finally:
        loader.dispose()


_HINTS = (
    ("mapping values are not allowed", "a value containing `: ` must be quoted, and keys at one level must line up"),
    ("did not find expected key", "line this up with the keys (or list items) above it, or quote a value with `:`"),
    ("expected '-' indicator", "line the list items up, each starting with `- `"),
    ("expected ',' or ']'", "close the `[` list with `]` (or quote a value with `,` or `[`)"),
    ("expected ',' or '}'", "close the `{` mapping with `}`"),
    ("cannot start any token", "a value starting with `@`, `` ` `` or `%` must be quoted"),
    ("could not determine a constructor", "remove the `!tag`, or quote the value"),
    ("undefined alias", "a value starting with `*` must be quoted"),
    ("alphabetic or numeric character", "a value starting with `*` or `&` must be quoted"),
    ("but found another document", "a `---` line starts a second YAML document; remove it"),
    ("unknown escape character", "in double quotes `\\` starts an escape; use single quotes instead"),
    ("unhashable key", "a key must be plain text"),
)


def _describe(error: yaml.MarkedYAMLError, text: str) -> tuple[int, str]:
    """(0-based line, message): PyYAML's words, on the line the author must fix, plus a hint."""
    problem = error.problem or "invalid YAML"
    mark = error.problem_mark or error.context_mark
    if error.context_mark and error.problem_mark and error.problem_mark.index >= len(text.rstrip()):
        # PyYAML ran to the end of the text; the author must fix the line where the quote or bracket opens.
        mark = error.context_mark
        if "quoted scalar" in (error.context or ""):
            return mark.line, "a quoted value is never closed: end it with the quote it starts with"
    line = mark.line if mark else 0
    parts = [part for part in (error.context, problem) if part]
    message = "; ".join(parts)
    hint = next((hint for needle, hint in _HINTS if needle in problem), None)
    if "tab" in problem or _indented_with_tab(text, line):
        hint = "indent with spaces, not tabs"
    return line, f"{message} ({hint})" if hint else message


class _Unusual(Exception):
    """A node the fast builder leaves to PyYAML: merge keys, unhashable keys, !!set, !!omap, ..."""


_STR, _NULL, _INT, _FLOAT = (f"tag:yaml.org,2002:{name}" for name in ("str", "null", "int", "float"))
_MAP, _SEQ, _MERGE = (f"tag:yaml.org,2002:{name}" for name in ("map", "seq", "merge"))


class _Builder:
    """Values and line numbers in one walk over the node graph.

    What PyYAML's SafeConstructor would build, for the tags front-matter uses (about twice as fast
    as constructing and then walking again for lines); anything else raises ``_Unusual`` and the
    caller takes the slow, exact path.
    """

    def __init__(self, loader: Any, offset: int, duplicates: list[Duplicate]) -> None:
        self.loader = loader
        self.offset = offset
        self.duplicates = duplicates
        self.seen: dict[int, tuple[Any, Lines]] = {}  # aliases are the same node object

    def build(self, node: yaml.Node) -> tuple[Any, Lines]:
        if isinstance(node, yaml.ScalarNode):  # most nodes: no memo needed, scalars are immutable
            return self.scalar(node), Lines(node.start_mark.line + 1 + self.offset, raw=node.value)
        known = self.seen.get(id(node))
        if known is not None:
            return known
        lines = Lines(node.start_mark.line + 1 + self.offset)
        if isinstance(node, yaml.MappingNode) and node.tag == _MAP:
            mapping: dict[Any, Any] = {}
            self.seen[id(node)] = mapping, lines
            keys = lines.keys
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.tag != _MERGE:
                    name = key_node.value
                    key = name if key_node.tag == _STR else self.scalar(key_node)
                else:
                    raise _Unusual  # merge keys (`<<`) and unhashable keys: PyYAML's rules
                item, item_lines = self.build(value_node)
                # Point at the key, not the value (a copy: an aliased value is shared).
                line = key_node.start_mark.line + 1 + self.offset
                if name in keys:
                    self.duplicates.append(Duplicate(name, line, keys[name].line))
                keys[name] = Lines(line, item_lines.keys, item_lines.items, item_lines.raw)
                mapping[key] = item
            return mapping, lines
        if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
            sequence: list[Any] = []
            self.seen[id(node)] = sequence, lines
            for item_node in node.value:
                item, item_lines = self.build(item_node)
                sequence.append(item)
                lines.items.append(item_lines)
            return sequence, lines
        raise _Unusual

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag == _NULL:
            return None
        if tag == _BOOL_TAG:
            return node.value.casefold() == "true"
        if tag == _INT:
            return self.loader.construct_yaml_int(node)
        if tag == _FLOAT:
            return self.loader.construct_yaml_float(node)
        raise _Unusual


def _lines(node: yaml.Node, offset: int, duplicates: list[Duplicate], seen: dict[int, Lines]) -> Lines:
    # An alias is the same node object as its anchor: walk it once (``seen``), so recursive
    # (``a: &x [*x]``) or exponential ("billion laughs") aliases cost nothing.
    known = seen.get(id(node))
    if known is not None:
        return known
    lines = seen[id(node)] = Lines(node.start_mark.line + 1 + offset)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            value = _lines(value_node, offset, duplicates, seen)
            # Point at the key, not the value (a copy: an aliased value is shared).
            child = Lines(key_node.start_mark.line + 1 + offset, value.keys, value.items, value.raw)
            if key in lines.keys:
                duplicates.append(Duplicate(str(key), child.line, lines.keys[key].line))
            lines.keys[key] = child
    elif isinstance(node, yaml.SequenceNode):
        lines.items = [_lines(item, offset, duplicates, seen) for item in node.value]
    elif isinstance(node, yaml.ScalarNode):
        lines.raw = node.value
    return lines


def _unreadable_scalar(loader: Any, root: yaml.Node) -> tuple[int | None, str | None]:
    """The 1-based line (in ``text``) of the first scalar PyYAML cannot construct, and why."""
    loader.constructed_objects, loader.recursive_objects = {}, {}  # left over from the failed attempt
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            try:
                loader.construct_object(node, deep=True)
            except Exception as error:
                return int(node.start_mark.line) + 1, str(error)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(item for pair in reversed(node.value) for item in reversed(pair))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
    return None, None


def _indented_with_tab(text: str, line: int) -> bool:
    lines = text.split("\n")
    if not 0 <= line < len(lines):
        return False
    row = lines[line]
    return "\t" in row[: len(row) - len(row.lstrip(" \t"))]
