"""The MkDocs / ProperDocs plugin: each event hands off to the module that owns the work.

Event order in one build: config -> files (read every front-matter, build the catalog, the
generated pages and the nav) -> nav -> per page: markdown (meta made safe, ``sop_hub.markdown``
told which page comes), the extension renders header, sections and quizzes while MkDocs converts
it, content (generated pages' bodies), context (scoped nav), post_page (deferred markup) ->
post_build (register files, search index under ``--dirty``). The instance survives ``mkdocs
serve`` rebuilds (it has ``on_startup``), so parsed front-matter is cached and, with ``--dirty``,
only the pages an edit affects are rebuilt (``incremental``).
"""

from __future__ import annotations

import html
import logging
from pathlib import Path
from typing import Literal

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from sop_hub.core.catalog import page_url
from sop_hub.core.history import read_history
from sop_hub.core.hub import Hub, SourceCache, load_hub
from sop_hub.core.review import InvalidValue, ReviewSettings
from sop_hub.core.search import TIER_GZIP_PATH, TIER_PATH, search_tier_gzip, search_tier_json
from sop_hub.core.training import learning_records_settings
from sop_hub.hosts.mkdocs import nav as mkdocs_nav
from sop_hub.hosts.mkdocs import pages, problems
from sop_hub.hosts.mkdocs.config import SopHubConfig, review_settings
from sop_hub.hosts.mkdocs.incremental import DirtyServe
from sop_hub.markdown import SopHubExtension
from sop_hub.render import TEMPLATES_DIR, static
from sop_hub.render import nav as navigation
from sop_hub.render import pages as generated_pages
from sop_hub.render.page_meta import MATERIAL_STATUSES, rank_retired
from sop_hub.render.renderer import Renderer
from sop_hub.render.urls import relative_url

log = logging.getLogger("mkdocs.plugins.sop_hub")
# Feature scripts (quiz, track, learning records) load from sop-hub.js where a page uses them;
# sop-search.js must run in <head>, before Material's bundle asks for its index (on_post_page).
SEARCH_SCRIPT = static.URI.format(static.SEARCH_SCRIPT)


class SopHubPlugin(BasePlugin[SopHubConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.cache = SourceCache()
        self.dirty = DirtyServe()
        self.command = "build"
        self.hub: Hub | None = None
        self.settings: ReviewSettings | None = None
        self.learning_records: dict[str, str] | None = None
        self.generated: dict[str, str] = {}  # src_uri of a generated page -> page key
        self.extension: SopHubExtension | None = None
        self.renderer: Renderer | None = None
        self._scoped: dict[str, Navigation] = {}  # process id -> the nav its pages show
        self._statuses: tuple[str, ...] = MATERIAL_STATUSES  # nav status values the site knows
        self._theme_has = problems.ThemeTemplates()  # does the theme have this template (or icon)

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        """Its presence keeps this instance across ``mkdocs serve`` rebuilds (the parse cache lives on).

        MkDocs keeps such instances for the whole process, so per-run state starts afresh here.
        Default priority: nothing depends on the order.
        """
        self.dirty.start(dirty and command == "serve")
        self.command = command
        self.hub = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Review settings; templates, assets and the sop_hub.markdown extension registered. Priority 0: appends."""
        self.settings = review_settings(self.config)
        try:  # SPEC §9: checked here so a bad endpoint or a missing site_url stops the build
            self.learning_records = learning_records_settings(self.config.learning_records, config.site_url)
        except InvalidValue as error:
            raise PluginError(str(error)) from None
        # Appended, so a site's own custom_dir overrides of sop-hub/*.html win.
        config.theme.dirs.append(str(TEMPLATES_DIR))
        # Real files, loaded once and cached; Material's instant navigation keeps them across pages.
        config.extra_css += [static.URI.format(name) for name in static.EVERY_PAGE_CSS]
        config.extra_javascript += [static.URI.format(name) for name in static.EVERY_PAGE_JS]
        self.extension = SopHubExtension()
        config.markdown_extensions.append(self.extension)  # type: ignore[arg-type]
        status = config.extra.get("status")
        known = tuple(str(key) for key in status) if isinstance(status, dict) and status else ()
        self._statuses = known or MATERIAL_STATUSES
        if self._quizzes_dir(config).is_dir():
            config.watch.append(str(self._quizzes_dir(config)))
        return config

    @event_priority(-50)  # after other plugins add or remove files, so the catalog sees the final set
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Read every front-matter, validate, add generated pages and assets, build the nav."""
        assert self.settings is not None and self.extension is not None
        problems.drop_missing_static_files(files, self._root(config))
        previous = self.hub
        pages_in = [(file.src_uri, file.abs_src_path) for file in files.documentation_pages() if file.abs_src_path]
        # Document control (SPEC §8): the docs folder's history in a few git processes per build.
        history = read_history(Path(config.docs_dir), [src for src, _ in pages_in])
        if history.hint:
            log.info(f"sop-hub: {history.hint}")  # INFO: a shallow CI clone must not fail --strict
        self.hub = hub = load_hub(
            pages_in,
            root=self._root(config),
            quizzes_dir=self._quizzes_dir(config),
            settings=self.settings,
            cache=self.cache,
            history=history,
        )
        problems.report(hub, strict_reviews=self.config.strict_reviews)
        env, directory_urls = config.theme.get_env(), bool(config.use_directory_urls)
        self.renderer = Renderer(
            hub, env, directory_urls=directory_urls, register_files=self.config.register_files, repo_url=config.repo_url
        )
        # Issue 9: acknowledgements, learning records and the tracks' next-item links.
        self.renderer.acknowledge_all = self.config.acknowledge
        self.renderer.learning_records = self.learning_records
        self.extension.configure(hub, self.renderer)
        self._theme_has = problems.ThemeTemplates(env)
        for name in static.SHIPPED:  # minified: about a third of the bytes readers fetch
            files.append(File.generated(config, static.URI.format(name), content=static.asset_text(name)))
        # Search tier (issue 10, SPEC §4): ids, titles and people, answered before the full-text index.
        tier = search_tier_json(hub.catalog, use_directory_urls=directory_urls)
        files.append(File.generated(config, TIER_PATH, content=tier))
        files.append(File.generated(config, TIER_GZIP_PATH, content=search_tier_gzip(tier)))
        self.generated = pages.add_generated_pages(files, config, hub, self.config)
        self.renderer.generated = self.generated
        owners = next((src for src, key in self.generated.items() if key == "owners"), None)
        self.renderer.owners_url = page_url(owners, directory_urls) if owners else None
        shown = self.config.show_problems
        self.renderer.show_problems = shown == "always" or (shown == "serve" and self.command == "serve")
        if self.config.nav:
            src_uris = [file.src_uri for file in files.documentation_pages()]
            config.nav = navigation.build(config.nav, hub.catalog, src_uris, self.generated)
        self.dirty.files_loaded(files, previous, hub, self.generated)
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        """Restore the titles of pages ``--dirty`` skips; scope the nav. Priority 0: it only reads the nav."""
        self.dirty.restore_titles(nav)
        self._scoped = {}
        if self.hub and self.config.nav and navigation.scope_applies(self.config.nav_processes, self.hub.catalog):
            overview = next((src for src, key in self.generated.items() if key == "processes"), None)
            overview_url = page_url(overview, bool(config.use_directory_urls)) if overview else ""
            self._scoped = mkdocs_nav.scoped_navs(nav, self.hub.catalog, overview_url)
        return nav

    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        """A process's pages get their scoped nav; titles kept for ``--dirty``. Priority 0: only sets ``nav``."""
        self.dirty.remember_title(page)
        scoped = mkdocs_nav.nav_of(page, self._scoped, self.hub.catalog) if self._scoped and self.hub else None
        if scoped is not None:
            context["nav"] = scoped
        return context

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        """A short safe page for a file that cannot be read (MkDocs would abort the build). Priority 0."""
        return problems.unreadable_page(self.hub, page) if self.hub is not None else None

    @event_priority(100)  # first, so other plugins (tags, search) see cleaned values too
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Clean the page's meta for Material; tell the extension which page comes; drop unreadable front-matter."""
        assert self.hub is not None and self.extension is not None
        src = page.file.src_uri
        parsed = self.hub.parsed.get(src)
        readable = parsed is not None and problems.unreadable(parsed.problems) is None
        if parsed is not None and readable and (not parsed.front_matter_ok or _kept_front_matter(page, markdown)):
            # MkDocs leaves front-matter it cannot read in the page text: the core's reading strips it.
            markdown = parsed.body
        doc = self.hub.catalog.by_src.get(src)
        problems.clean_page_meta(
            page,
            doc,
            self.hub,
            self.renderer,
            root=self._root(config),
            statuses=self._statuses,
            template_exists=self._theme_has,
        )
        self.extension.begin_page(src, page.url, self.hub.texts.get(src, ""))
        if doc is not None and doc.status.value == "retired":
            rank_retired(page.meta)
        return self.extension.source_for(markdown)

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Generated pages' bodies (the extension decorated the rest). Priority 0: search reads it later."""
        assert self.hub is not None and self.renderer is not None and self.extension is not None
        self.dirty.page_built(page.url)
        key = self.generated.get(page.file.src_uri)
        if key is not None:
            return generated_pages.render(key, page.url, self.renderer, self.hub, self.generated)
        return self.extension.end_page(html)  # a blank page, which Python-Markdown did not process

    @event_priority(100)  # first, so minifiers and other post-page plugins see the final HTML
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """Swap in the headers and quizzes kept out of ``page.content`` until search had indexed it."""
        output = self.renderer.fill(output, page.url) if self.renderer else output
        return _with_search_script(output, page.url)

    @event_priority(-100)  # after the search plugin has written its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Write the register files and ``changes.xml``; under ``serve --dirty``, mend the search index."""
        if self.hub is not None and self.config.register_files:
            pages.write_register_files(Path(config.site_dir), self.hub, bool(config.use_directory_urls))
        if self.hub is not None and "changes" in self.generated.values():  # the feed goes with its page
            pages.write_changes_feed(Path(config.site_dir), self.hub, config)
        self.dirty.after_build(config)

    @staticmethod
    def _root(config: MkDocsConfig) -> Path:
        return Path(config.config_file_path).parent if config.config_file_path else Path.cwd()

    def _quizzes_dir(self, config: MkDocsConfig) -> Path:
        return self._root(config) / self.config.quizzes_dir


def _kept_front_matter(page: Page, markdown: str) -> bool:
    """Did MkDocs fail to read this page's front-matter and leave it in the text?

    MkDocs parses front-matter with PyYAML, which turns ``2026-02-30`` into a timestamp and fails
    (ValueError); it then keeps the whole YAML block as Markdown, and ``page.meta`` is empty.
    The core reads dates as text, so it has the body and the document (with its title).
    """
    return not page.meta and markdown.startswith("---")


def _with_search_script(output: str, url: str) -> str:
    """The search tier's script in <head>, so it runs before Material's bundle asks for its index.

    A template block cannot do it: the plugin's templates come after Material's, so they cannot
    override ``main.html``.
    """
    if 'class="md-search__input"' not in output:
        return output
    src = html.escape(relative_url(SEARCH_SCRIPT, url))
    return output.replace("</head>", f'<script src="{src}"></script>\n</head>', 1)
