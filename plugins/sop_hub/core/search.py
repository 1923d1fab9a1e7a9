"""The search tier: a small JSON of every document's id, title, place and people (SPEC §4 "Search").

The browser loads it the moment the reader opens Material's search box and answers ids, titles,
owners, processes and stages from it at once, while Material's full-text index (megabytes at
thousands of SOPs) loads behind it. About 100 bytes a document: repeated strings (people,
process › stage labels, URL folders) are written once and referred to by index.

Format, version 1 (``docs`` rows are arrays; trailing default fields are left off)::

    {"v": 1,
     "people": ["Priya Shah", ...],
     "groups": ["Quality control", "Quality control › Inspection", ...],
     "dirs":   ["", "quality-control/inspect/", ...],
     "docs":   [[id, title, dir, leaf, group, owner, backup, state, replaced_by], ...]}

``dir``/``group``/``owner``/``backup`` index the tables above (-1: none); the page's URL, relative
to the site root, is ``dirs[dir] + leaf``. ``state`` is 0 active, 1 draft, 2 retired;
``replaced_by`` is the successor's "id title" (or the id as written when it has no page).
"""

from __future__ import annotations

import gzip
import json
from typing import Any

from sop_hub.core.catalog import Catalog, page_url
from sop_hub.core.model import DocStatus, Owner, Procedure, Process

TIER_VERSION = 1
TIER_PATH = "sop-hub/search-tier.json"  # in the site, beside the plugin's other files
# The same bytes gzipped, which the browser fetches and inflates itself (DecompressionStream): a
# seventh of the size on any web server, whether or not it compresses JSON (nginx does not by
# default). The plain file stays for browsers without DecompressionStream and for other tools.
TIER_GZIP_PATH = TIER_PATH + ".gz"
_STATES = {DocStatus.ACTIVE: 0, DocStatus.DRAFT: 1, DocStatus.RETIRED: 2}


def search_tier(catalog: Catalog, *, use_directory_urls: bool = True) -> dict[str, Any]:
    """The tier's data for every document with a page, in the catalog's order."""
    people: dict[str, int] = {}
    groups: dict[str, int] = {}
    dirs: dict[str, int] = {}

    def index(table: dict[str, int], value: str | None) -> int:
        if not value:
            return -1
        return table.setdefault(value, len(table))

    def person(owner: Owner | None) -> int:
        return index(people, owner.name if owner is not None else None)

    rows: list[list[Any]] = []
    for doc in catalog.documents:
        if not doc.src_uri:
            continue
        url = page_url(doc.src_uri, use_directory_urls)
        folder, leaf = _split_url(url)
        row: list[Any] = [
            doc.id,
            doc.title,
            dirs.setdefault(folder, len(dirs)),
            leaf,
            index(groups, _group(catalog, doc)),
            person(doc.owner),
            person(doc.backup_owner),
            _STATES.get(doc.status, 0),
            _replacement(catalog, doc),
        ]
        rows.append(_trim(row))
    return {"v": TIER_VERSION, "people": list(people), "groups": list(groups), "dirs": list(dirs), "docs": rows}


def search_tier_json(catalog: Catalog, *, use_directory_urls: bool = True) -> str:
    """The tier as compact JSON text (no spaces; non-ASCII kept as is, the file is UTF-8)."""
    data = search_tier(catalog, use_directory_urls=use_directory_urls)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def search_tier_gzip(text: str) -> bytes:
    """The tier's text gzipped, byte-identical for the same text (no timestamp in the header)."""
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def _split_url(url: str) -> tuple[str, str]:
    """``"a/b/c/"`` -> ``("a/b/", "c/")``; ``"a/"`` -> ``("", "a/")``; ``""`` -> ``("", "")``."""
    body = url[:-1] if url.endswith("/") else url
    cut = body.rfind("/") + 1
    return url[:cut], url[cut:]


def _group(catalog: Catalog, doc: Process | Procedure) -> str | None:
    if isinstance(doc, Process):
        return None
    process = catalog.process_of(doc)
    if process is None:
        return None
    stage = catalog.stage_of(doc)
    return f"{process.title} › {stage.title}" if stage is not None else process.title


def _replacement(catalog: Catalog, doc: Process | Procedure) -> str:
    if doc.status is not DocStatus.RETIRED or not doc.superseded_by:
        return ""
    successor = catalog.by_id.get(doc.superseded_by)
    return f"{successor.id} {successor.title}" if successor is not None else doc.superseded_by


_DEFAULTS: tuple[Any, ...] = (None, None, 0, "", -1, -1, -1, 0, "")


def _trim(row: list[Any]) -> list[Any]:
    """Leave off trailing fields that hold their default (the browser fills them back in)."""
    end = len(row)
    while end > 4 and row[end - 1] == _DEFAULTS[end - 1]:
        end -= 1
    return row[:end]
