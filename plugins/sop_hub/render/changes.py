"""What changed in the hub (SPEC §8): the ``changes/`` page's view and the ``changes.xml`` Atom feed.

Both list every commit that changed a document in the last ``changes_days`` days up to the as-of
date, newest first, from the history the build read once (``core.history``). Without history
both say so and list nothing. Pure functions of the hub: no MkDocs, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin
from xml.sax.saxutils import escape as xml_escape

from sop_hub.core.catalog import page_url
from sop_hub.core.history import Change, HistoryStatus
from sop_hub.core.hub import Hub
from sop_hub.core.model import Procedure, Process

if TYPE_CHECKING:
    from sop_hub.render.renderer import Renderer

FEED_FILE = "changes.xml"
FEED_TITLE = "Changes to the SOP hub"


@dataclass(frozen=True, slots=True)
class ChangeRow:
    """One row of the changes page and one entry of the feed."""

    date: date
    doc: Process | Procedure
    process: Process | None  # the procedure's process, or the process itself
    author: str
    summary: str
    revision: str  # short hash
    full_hash: str
    editorial: bool
    url: str  # site-relative URL of the document's page


def window(hub: Hub) -> tuple[date, date]:
    """The first and last day the changes page covers: ``changes_days`` days up to as-of, both included."""
    settings = hub.catalog.settings
    return settings.as_of - timedelta(days=settings.changes_days - 1), settings.as_of


def change_rows(hub: Hub, *, directory_urls: bool = True) -> list[ChangeRow]:
    """Every change to a document in the window, newest first (then in log order)."""
    if hub.history is None or hub.history.status is not HistoryStatus.OK:
        return []
    since, until = window(hub)
    rows = []
    for change in hub.history.changes(since, until):
        doc = hub.catalog.by_src.get(change.src_uri)
        if doc is None:
            continue  # an ordinary page: not a controlled document
        rows.append(_row(change, doc, hub, directory_urls))
    return rows


def _row(change: Change, doc: Process | Procedure, hub: Hub, directory_urls: bool) -> ChangeRow:
    process = hub.catalog.process_of(doc) if isinstance(doc, Procedure) else doc
    revision = change.revision
    return ChangeRow(
        date=change.date,
        doc=doc,
        process=process,
        author=revision.author,
        summary=revision.summary,
        revision=revision.short,
        full_hash=revision.hash,
        editorial=revision.editorial,
        url=page_url(doc.src_uri, directory_urls),
    )


def changes_view(hub: Hub, renderer: Renderer) -> dict[str, Any]:
    """The ``changes/`` page: rows with links relative to the page, the window, the feed's link."""
    since, until = window(hub)
    history = hub.history
    rows = change_rows(hub, directory_urls=renderer.directory_urls)
    return {
        "rows": [
            {
                "row": row,
                "url": renderer.link(row.url),
                "process_url": renderer.url_of(row.process) if row.process is not None else None,
            }
            for row in rows
        ],
        "since": since.isoformat(),
        "until": until.isoformat(),
        "days": hub.catalog.settings.changes_days,
        "available": history is not None and history.status is HistoryStatus.OK,
        "hint": history.hint if history is not None else "",
        "feed_url": renderer.link(FEED_FILE),
    }


def atom_feed(hub: Hub, *, site_url: str | None, directory_urls: bool = True) -> str:
    """``changes.xml``: the changes as an Atom 1.0 feed (RFC 4287).

    Links are absolute when ``site_url`` is set (what feed readers need), else relative to the
    feed, which sits at the site root. Ids are ``tag:`` URIs that do not depend on where the site
    is hosted: ``tag:sop-hub,2000:<commit>/<document id>``, so moving the site resends nothing.
    Every text is escaped: commit subjects and author names are data.
    """
    rows = change_rows(hub, directory_urls=directory_urls)
    since, until = window(hub)
    base = site_url.rstrip("/") + "/" if site_url else ""
    updated = rows[0].date if rows else until

    def link(url: str) -> str:
        return urljoin(base, url) if base else (url or "./")

    def text(value: str) -> str:
        return xml_escape(_xml_chars(value))

    def attr(value: str) -> str:
        return xml_escape(_xml_chars(value), {'"': "&quot;"})

    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"  <title>{text(FEED_TITLE)}</title>",
        f"  <subtitle>{text(f'Every change to a controlled document from {since} to {until}')}</subtitle>",
        f"  <id>{text(_feed_id(base))}</id>",
        f"  <updated>{_stamp(updated)}</updated>",
        f'  <link rel="self" href="{attr(link(FEED_FILE))}"/>',
        f'  <link rel="alternate" href="{attr(link(""))}"/>',
        "  <author><name>SOP Hub</name></author>",
        '  <generator uri="https://pypi.org/project/sop-hub/">sop-hub</generator>',
    ]
    for row in rows:
        kind = "Editorial change" if row.editorial else "Change"
        process = f" ({row.process.title})" if row.process is not None and row.process is not row.doc else ""
        summary = f"{kind} to {row.doc.id} {row.doc.title}{process} by {row.author} on {row.date}: {row.summary}"
        out += [
            "  <entry>",
            f"    <title>{text(f'{row.doc.id} {row.doc.title}: {row.summary}')}</title>",
            f"    <id>{text(f'tag:sop-hub,2000:{row.full_hash}/{row.doc.id}')}</id>",
            f"    <updated>{_stamp(row.date)}</updated>",
            f'    <link rel="alternate" href="{attr(link(row.url))}"/>',
            f"    <author><name>{text(row.author or 'unknown')}</name></author>",
            f'    <category term="{"editorial" if row.editorial else "change"}"/>',
            f"    <summary>{text(summary)}</summary>",
            "  </entry>",
        ]
    out.append("</feed>")
    return "\n".join(out) + "\n"


def _feed_id(base: str) -> str:
    return urljoin(base, FEED_FILE) if base else "tag:sop-hub,2000:changes"


def _stamp(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _xml_chars(value: str) -> str:
    """Drop the characters XML 1.0 cannot carry at all (control characters, lone surrogates)."""
    return "".join(
        char
        for char in value
        if char in "\t\n\r" or ("\x20" <= char <= "\ud7ff") or ("\ue000" <= char <= "\ufffd") or char >= "\U00010000"
    )
