"""The navigation, built from the catalog as an MkDocs ``nav`` config (SPEC §4).

Without a ``nav`` in mkdocs.yml: home, then each process (its page, then its stages in declared
order with their procedures), then every other page in its folder, then the generated pages.
With a ``nav``, it is kept as written; the entries ``sop-hub:processes`` and ``sop-hub:pages``
(bare, or as the value of a titled entry) are replaced by the process tree and the generated
pages. Producing config (not ``Navigation`` objects) lets MkDocs do the rest as usual, and lets
any host that reads a ``nav`` config (Zensical) use the same tree. Pure: no site generator.

    build(nav, catalog, page_src_uris, generated) -> the nav config (a list of str | {title: [...]})
"""

from __future__ import annotations

import html
from typing import Any

from markupsafe import Markup

from sop_hub.core.catalog import Catalog
from sop_hub.core.model import Process
from sop_hub.render.urls import nest_paths

PROCESSES_MARKER = "sop-hub:processes"
PAGES_MARKER = "sop-hub:pages"
_HOME = ("index.md", "README.md", "readme.md")
LISTINGS = ("processes", "reviews", "owners", "register", "changes")
OVERVIEW = "Hub overview"
TRACK_PREFIX = "track:"

NavItem = str | dict[str, Any]


def build(
    nav: list[NavItem] | None, catalog: Catalog, page_src_uris: list[str], generated: dict[str, str]
) -> list[NavItem]:
    """The nav config for this build.

    ``nav``: the site's own nav config (None: none given); ``page_src_uris``: every Markdown page
    the site builds, in MkDocs' file order, generated pages included; ``generated``: src_uri ->
    key of each generated page.
    """
    tree = process_tree(catalog)
    generated_items = generated_tree(generated)
    if nav is not None:
        return [item for entry in nav for item in _expand(entry, tree, generated_items)]
    placed = {src for src in _flatten(tree)} | set(generated)
    pages = list(page_src_uris)
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


def scope_applies(mode: str, catalog: Catalog) -> bool:
    """``nav_processes``: ``all``, ``current``, or ``auto`` (current for hubs of many processes)."""
    return mode == "current" or (mode == "auto" and len(catalog.processes) > AUTO_SCOPE_ABOVE)


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
