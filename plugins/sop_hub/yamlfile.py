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


class _Loader(_BASE_LOADER):  # type: ignore[misc, valid-type]
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
    """Load one YAML document. ``first_line`` is the file line of ``text``'s first line."""
    offset = first_line - 1
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, Lines(first_line), []
        duplicates: list[Duplicate] = []
        lines = _lines(node, offset, duplicates)
        return loader.construct_document(node), lines, duplicates
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 + offset if mark else first_line
        return YamlError(line, _describe(error))
    except yaml.YAMLError as error:  # pragma: no cover - PyYAML raises marked errors in practice
        return YamlError(first_line, str(error))
    finally:
        loader.dispose()


def _describe(error: yaml.MarkedYAMLError) -> str:
    parts = [part for part in (error.context, error.problem) if part]
    text = "; ".join(parts) or "invalid YAML"
    if "mapping values are not allowed" in text:
        text += " (a value containing `: ` must be quoted)"
    elif "found character '\\t'" in text:
        text += " (indent with spaces, not tabs)"
    return text


def _lines(node: yaml.Node, offset: int, duplicates: list[Duplicate]) -> Lines:
    lines = Lines(node.start_mark.line + 1 + offset)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            child = _lines(value_node, offset, duplicates)
            child.line = key_node.start_mark.line + 1 + offset  # point at the key, not the value
            if key in lines.keys:
                duplicates.append(Duplicate(str(key), child.line, lines.keys[key].line))
            lines.keys[key] = child
    elif isinstance(node, yaml.SequenceNode):
        lines.items = [_lines(item, offset, duplicates) for item in node.value]
    elif isinstance(node, yaml.ScalarNode):
        lines.raw = node.value
    return lines
