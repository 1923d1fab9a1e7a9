"""Relative links and nav nesting as MkDocs computes them, without MkDocs.

``relative_url`` is ``mkdocs.utils.get_relative_url`` and ``nest_paths`` is
``mkdocs.utils.nest_paths`` (MkDocs 1.6), rule for rule, so a host that is not MkDocs renders the
same links and the same default nav; ``tests/unit/test_urls.py`` compares them case by case.
"""

from __future__ import annotations

import functools
import posixpath
from pathlib import PurePath
from typing import Any


def relative_url(target: str, from_url: str) -> str:
    """``target`` (a site-relative URL) as a link from the page at ``from_url``.

    Both are slash-separated paths; the last part of ``from_url`` is dropped when it has a dot
    (a file, e.g. ``reviews.html``); ``..`` never climbs above the site root; a trailing slash
    on ``target`` is kept. ``relative_url("a/b/", "a/c/") == "../b/"``.
    """
    dirname, _, basename = from_url.rpartition("/")
    if "." in basename:
        from_url = dirname
    from_parts = _norm_parts(from_url)
    target_parts = _norm_parts(target)
    common = 0
    for a, b in zip(from_parts, target_parts, strict=False):
        if a != b:
            break
        common += 1
    rel = "/".join([".."] * (len(from_parts) - common) + list(target_parts[common:])) or "."
    return rel + "/" if target.endswith("/") else rel


@functools.lru_cache(maxsize=16384)  # a build asks for the same few thousand paths 40 000 times
def _norm_parts(path: str) -> tuple[str, ...]:
    if not path.startswith("/"):
        path = "/" + path
    path = posixpath.normpath(path)[1:]
    return tuple(path.split("/")) if path else ()


def dirname_to_title(dirname: str) -> str:
    """A nav section title from a folder name: ``how-to`` -> ``How to``; ``API_v2`` stays ``API v2``."""
    title = dirname.replace("-", " ").replace("_", " ")
    return title.capitalize() if title.lower() == title else title


def nest_paths(paths: list[str]) -> list[Any]:
    """Page paths -> MkDocs nav config, one titled section per folder: ``["a/b.md"]`` -> ``[{"A": ["a/b.md"]}]``."""
    nested: list[Any] = []
    for path in paths:
        branch = nested
        for part in PurePath(path).parent.parts:
            branch = _find_or_create(branch, dirname_to_title(part))
        branch.append(path)
    return nested


def _find_or_create(branch: list[Any], key: str) -> list[Any]:
    for node in branch:
        if isinstance(node, dict) and key in node:
            return node[key]  # type: ignore[no-any-return]
    new: list[Any] = []
    branch.append({key: new})
    return new
