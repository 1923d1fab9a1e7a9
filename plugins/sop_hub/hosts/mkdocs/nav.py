"""The navigation parts that work on MkDocs' ``Navigation`` objects: scoped navs, the nav's key.

The nav config itself is built host-neutrally by ``sop_hub.render.nav.build``.
"""

from __future__ import annotations

from mkdocs.structure.files import Files
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page

from sop_hub.core.catalog import Catalog
from sop_hub.core.model import Process

ALL_PROCESSES = "All processes"


def scoped_navs(nav: Navigation, catalog: Catalog, overview_url: str) -> dict[str, Navigation]:
    """For each process, the nav its pages show: that process in full, the others behind one link.

    With ``navigation.prune`` Material still renders every top-level item into every page, so a
    hub's size multiplies with its number of processes; this keeps each page's nav the size of
    its own process, and the build linear. Pages outside processes keep the whole nav.
    """
    positions = {}
    for index, item in enumerate(nav.items):
        process_id = _process_of(item, catalog)
        if process_id and process_id not in positions:
            positions[process_id] = index
    if not positions:
        return {}
    first = min(positions.values())
    taken = set(positions.values())
    others = [item for index, item in enumerate(nav.items) if index not in taken]
    link = Link(ALL_PROCESSES, overview_url or ".")
    scoped = {}
    for process_id, index in positions.items():
        view = Navigation([*others[:first], link, nav.items[index], *others[first:]], nav.pages)
        view.homepage = nav.homepage
        scoped[process_id] = view
    return scoped


def nav_of(page: Page, scoped: dict[str, Navigation], catalog: Catalog) -> Navigation | None:
    """The scoped nav ``page`` shows (None: the whole nav): its process's, for a process's pages."""
    doc = catalog.by_src.get(page.file.src_uri)
    process_id = doc.id if isinstance(doc, Process) else doc.process if doc is not None else None
    return scoped.get(process_id) if process_id else None


def _process_of(item: object, catalog: Catalog) -> str | None:
    """The process a top-level nav section holds (from the first SOP page in it)."""
    if not isinstance(item, Section):
        return None
    for child in item.children:
        if isinstance(child, Page):
            doc = catalog.by_src.get(child.file.src_uri)
            if doc is not None:
                return doc.id if isinstance(doc, Process) else doc.process
        elif isinstance(child, Section):
            found = _process_of(child, catalog)
            if found:
                return found
    return None


def structure_key(catalog: Catalog, files: Files) -> tuple[object, ...]:
    """Everything the navigation shows; when it changes, every page must be rebuilt."""
    docs = tuple(
        (doc.src_uri, doc.id, doc.title, getattr(doc, "process", None), getattr(doc, "stage_id", None), doc.order)
        for doc in catalog.documents
    )
    stages = tuple((p.id, tuple((s.id, s.title) for s in p.stages)) for p in catalog.processes)
    pages = tuple(sorted(file.src_uri for file in files.documentation_pages()))
    return docs, stages, pages
