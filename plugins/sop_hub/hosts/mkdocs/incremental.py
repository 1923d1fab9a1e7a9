"""``mkdocs serve --dirty``: rebuild what an edit affects, keep titles and the search index whole.

MkDocs' ``--dirty`` rebuilds only files whose source changed. A hub page shows more than its
own file (its process, generated listings, embedded quizzes, the nav), so this decides which
pages to rebuild after each edit, gives the pages MkDocs skips the titles they had last time,
and mends the search index after Material's search plugin wrote it. The plugin calls::

    dirty.start(enabled)                       # on_startup
    dirty.files_loaded(files, previous, hub, generated)   # on_files, after the hub is loaded
    dirty.restore_titles(nav)                  # on_nav
    dirty.page_built(url)                      # on_page_content
    dirty.remember_title(page)                 # on_page_context
    dirty.after_build(config)                  # on_post_build, after search wrote its index

With ``enabled`` false (``build``, plain ``serve``) every call does nothing (the URLs of built
pages are still forgotten after each build).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from sop_hub.core.hub import Hub
from sop_hub.core.model import Procedure
from sop_hub.hosts.mkdocs.nav import structure_key
from sop_hub.hosts.mkdocs.search_index import merge_search_index


class DirtyServe:
    """The state ``serve --dirty`` keeps from one rebuild to the next."""

    def __init__(self) -> None:
        self.enabled = False
        self._structure: object = None
        self._titles: dict[str, str | None] = {}  # src_uri -> the title MkDocs gave the page last time
        self._built_urls: set[str] = set()  # pages rendered in this pass
        self._page_urls: set[str] = set()
        self._search_docs: list[dict[str, Any]] | None = None  # the whole index

    def start(self, enabled: bool) -> None:
        """A new ``serve`` (or build) run: per-run state starts afresh."""
        self.enabled = enabled
        self._structure = None
        self._search_docs = None
        self._titles = {}

    def files_loaded(self, files: Files, previous: Hub | None, hub: Hub, generated: dict[str, str]) -> None:
        """Mark the pages this rebuild must render (``File.is_modified``)."""
        self._page_urls = {file.url for file in files.documentation_pages()}
        if self.enabled:
            self._mark_affected(files, previous, hub, generated)

    def restore_titles(self, nav: Navigation) -> None:
        """Give pages MkDocs will skip the titles they had last time.

        MkDocs learns a page's title by reading it; a skipped page would show "None" in the nav.
        """
        if not self.enabled:
            return
        for page in nav.pages:
            if page.file.src_uri in self._titles and not page.file.is_modified():
                page.title = self._titles[page.file.src_uri]

    def remember_title(self, page: Page) -> None:
        if self.enabled:
            self._titles[page.file.src_uri] = page.title

    def page_built(self, url: str) -> None:
        self._built_urls.add(url)

    def after_build(self, config: MkDocsConfig) -> None:
        """Rewrite the search index exactly (``search_index.merge_search_index``)."""
        if self.enabled:
            self._search_docs = merge_search_index(
                Path(config.site_dir) / "search" / "search_index.json",
                self._search_docs,
                self._built_urls,
                self._page_urls,
            )
            # Material would otherwise prefix-merge its own previous index next time (see serve_index).
            search = config.plugins.get("search") or config.plugins.get("material/search")
            if search is not None and hasattr(search, "search_index_prev"):
                search.search_index_prev = None
        self._built_urls = set()

    def _mark_affected(self, files: Files, previous: Hub | None, hub: Hub, generated: dict[str, str]) -> None:
        """Rebuild what an edit affects, not only the edited file.

        Generated pages are always rebuilt (their content is in memory). A change to anything
        the navigation shows (a page added or removed, a title, process, stage or order) rebuilds
        every page, because every page shows the navigation.
        """
        structure = structure_key(hub.catalog, files)
        # An ordinary page's title comes from its text, which the catalog does not track.
        ordinary_edit = any(src not in hub.catalog.by_src for src in hub.changed)
        if previous is None or structure != self._structure or ordinary_edit:
            self._structure = structure  # first build, or the navigation changed: rebuild everything
            rebuild = {file.src_uri for file in files.documentation_pages()}
        else:
            rebuild = _affected(previous, hub)
            if not _data_changed(previous, hub):
                # Only page bodies changed: the generated listings would come out the same.
                rebuild -= set(generated)
                for file in files.documentation_pages():
                    if file.src_uri in generated:
                        file.is_modified = _never  # type: ignore[method-assign]
        for file in files.documentation_pages():
            if file.src_uri in rebuild:
                file.is_modified = _always  # type: ignore[method-assign]


def _data_changed(previous: Hub, hub: Hub) -> bool:
    """Did an edit change anything but page bodies? (Generated pages show only metadata,
    and track pages each quiz-embedding page's revision.)"""
    if hub.quizzes.changed_since(previous.quizzes) or previous.problems != hub.problems:
        return True
    for src in hub.changed:
        old, new = previous.parsed.get(src), hub.parsed.get(src)
        if old is None or new is None or old.document != new.document:
            return True
        if isinstance(new.document, Procedure) and new.document.all_quizzes:
            return True
    return False


def _affected(previous: Hub, hub: Hub) -> set[str]:
    """The edited pages, their processes' pages, and every page embedding an edited quiz."""
    rebuild = set(hub.changed)
    for src in hub.changed:
        doc = hub.catalog.by_src.get(src)
        process = hub.catalog.process_of(doc) if isinstance(doc, Procedure) else None
        if process is not None and process.src_uri:
            rebuild.add(process.src_uri)
    changed_quizzes = hub.quizzes.changed_since(previous.quizzes)
    for procedure in hub.catalog.procedures:
        if changed_quizzes.intersection(procedure.all_quizzes):
            rebuild.add(procedure.src_uri)
    return rebuild


def _always() -> bool:
    return True


def _never() -> bool:
    return False
