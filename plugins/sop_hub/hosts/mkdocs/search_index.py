"""Keep the search index whole and exact during ``mkdocs serve --dirty``.

Material's search plugin handles a dirty rebuild by assuming one page was rebuilt and dropping
the previous entries whose location *starts with* that page's URL. The hub rebuilds several pages
per edit (the page, its process page, generated pages), and a process page's URL is a prefix of
its procedures', so that would drop them from search. After search writes its index, this
rewrites it exactly: fresh entries for the pages rebuilt in this pass, the previous entries for
every other page that still exists.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def _page_of(location: str) -> str:
    return location.split("#", 1)[0]


def merge_search_index(
    index_path: Path, previous: list[dict[str, Any]] | None, rebuilt: set[str], existing: set[str]
) -> list[dict[str, Any]] | None:
    """Rewrite ``index_path``; return its entries, to pass as ``previous`` next time.

    ``previous`` is None on the first (full) build: the index is taken as it is.
    """
    try:
        index = json.loads(index_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return previous
    docs: list[dict[str, Any]] = index.get("docs", [])
    if previous is None:
        return docs
    fresh = [entry for entry in docs if _page_of(entry.get("location", "")) in rebuilt]
    kept = [
        entry for entry in previous if (page := _page_of(entry.get("location", ""))) in existing and page not in rebuilt
    ]
    merged = kept + fresh
    index["docs"] = merged
    index_path.write_text(json.dumps(index, separators=(",", ":")), encoding="utf-8")
    return merged
