"""The navigation, built from the catalog as an MkDocs ``nav`` config (SPEC §4).

Without a ``nav`` in mkdocs.yml: home, then each process (its page, then its stages in declared
order with their procedures), then every other page in its folder, then the generated pages.
With a ``nav``, it is kept as written; the entries ``sop-hub:processes`` and ``sop-hub:pages``
(bare, or as the value of a titled entry) are replaced by the process tree and the generated
pages. Producing config (not ``Navigation`` objects) lets MkDocs do the rest as usual.
"""

from __future__ import annotations

import html
from typing import Any

from markupsafe import Markup
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import nest_paths

from sop_hub.core.catalog import Catalog
from sop_hub.core.model import Process

PROCESSES_MARKER = "sop-hub:processes"
PAGES_MARKER = "sop-hub:pages"
_HOME = ("index.md", "README.md", "readme.md")
LISTINGS = ("processes", "reviews", "owners", "register", "changes")
OVERVIEW = "Hub overview"
TRACK_PREFIX = "track:"

NavItem = str | dict[str, Any]


def build(nav: list[NavItem] | None, catalog: Catalog, files: Files, generated: dict[str, str]) -> list[NavItem]:
    """The nav config for this build. ``generated``: src_uri -> key of each generated page."""
    tree = process_tree(catalog)
    generated_items = generated_tree(generated)
    if nav is not None:
        return [item for entry in nav for item in _expand(entry, tree, generated_items)]
    placed = {src for src in _flatten(tree)} | set(generated)
    pages = [file.src_uri for file in files.documentation_pages()]
    home = next((src for src in _HOME if src in pages), None)
    rest = [src for src in pages if src not in placed and src != home]
    items: list[NavItem] = [home] if home else []
    items += tree
    items += nest_paths(rest)
    items += generated_items
    return items


def process_tree(catalog: Catalog) -> list[NavItem]:
    tree: list[NavItem] = []
    for process in catalog.processes:
        children = _process_children(process)
        if children:
            tree.append({_title(process.title): children})
    return tree


def generated_tree(generated: dict[str, str]) -> list[NavItem]:
    """The listing pages in one "Hub overview" section, then onboarding with its tracks.

    Grouped because with ``navigation.prune`` every top-level item is rendered into every page:
    one section instead of four keeps each page's nav, and the build, smaller.
    """
    listings = [src for src, key in generated.items() if key in LISTINGS]
    tracks = [src for src, key in generated.items() if key.startswith(TRACK_PREFIX)]
    onboarding = [src for src, key in generated.items() if key == "onboarding"]
    items: list[NavItem] = [{OVERVIEW: listings}] if len(listings) > 1 else list(listings)
    if onboarding:
        items.append({"Onboarding": [*onboarding, *tracks]} if tracks else onboarding[0])
    return items


def _process_children(process: Process) -> list[NavItem]:
    children: list[NavItem] = [process.src_uri] if process.src_uri else []
    for stage in process.stages:
        if stage.procedures:
            children.append({_title(stage.title): [doc.src_uri for doc in stage.procedures]})
    children += [doc.src_uri for doc in process.procedures]
    return children


AUTO_SCOPE_ABOVE = 12  # processes: past this, a sidebar listing all of them is long and costly
ALL_PROCESSES = "All processes"


def scope_applies(mode: str, catalog: Catalog) -> bool:
    """``nav_processes``: ``all``, ``current``, or ``auto`` (current for hubs of many processes)."""
    return mode == "current" or (mode == "auto" and len(catalog.processes) > AUTO_SCOPE_ABOVE)


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


def _expand(entry: NavItem, tree: list[NavItem], generated: list[NavItem]) -> list[NavItem]:
    if entry == PROCESSES_MARKER:
        return list(tree)
    if entry == PAGES_MARKER:
        return list(generated)
    if isinstance(entry, dict) and len(entry) == 1:
        ((title, value),) = entry.items()
        if value == PROCESSES_MARKER:
            return [{title: list(tree)}]
        if value == PAGES_MARKER:
            return [{title: list(generated)}]
        if isinstance(value, list):
            return [{title: [item for child in value for item in _expand(child, tree, generated)]}]
    return [entry]


def _flatten(items: list[NavItem]) -> list[str]:
    out: list[str] = []
    for item in items:
        if isinstance(item, str):
            out.append(item)
        else:
            for value in item.values():
                out += _flatten(value) if isinstance(value, list) else [value]
    return out


def _title(text: str) -> str:
    # Material prints nav titles unescaped; titles we create from front-matter must stay text.
    # Markup: where Material does escape (`| e` in an aria-label), it is not escaped twice.
    return Markup(html.escape(text, quote=True))
