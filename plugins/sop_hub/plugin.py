"""The MkDocs plugin: event handlers that hand off to the core, the renderer and the nav builder.

Event order in one build: config -> files (read every front-matter, build the catalog and the
nav) -> page_markdown / page_content per page (header, banners, quizzes) -> env -> post_build
(register files). The plugin instance survives ``mkdocs serve`` rebuilds (it has
``on_startup``), so parsed front-matter is cached and, with ``--dirty``, only the pages an edit
affects are rebuilt.
"""

from __future__ import annotations

import html
import json
import logging
import os
import re
from pathlib import Path
from typing import Any, Literal

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from sop_hub import nav as navigation
from sop_hub import pages
from sop_hub.catalog import page_url
from sop_hub.config import SopHubConfig
from sop_hub.core.search import TIER_PATH, search_tier_json
from sop_hub.hub import Hub, SourceCache, load_hub, settings_from
from sop_hub.model import Problem, Procedure, Process, Severity
from sop_hub.page_meta import MATERIAL_STATUSES, clean_meta
from sop_hub.quiz.extension import QuizExtension
from sop_hub.render import Renderer
from sop_hub.review import InvalidValue, ReviewSettings
from sop_hub.serve_index import merge_search_index

log = logging.getLogger("mkdocs.plugins.sop_hub")

PACKAGE_DIR = Path(__file__).parent
ASSETS = ("sop-hub.css", "sop-hub.js", "quiz.css", "quiz.js")
ASSET_URI = "assets/sop-hub/{}"


class SopHubPlugin(BasePlugin[SopHubConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.cache = SourceCache()
        self.dirty = False
        self.hub: Hub | None = None
        self.settings: ReviewSettings | None = None
        self.generated: dict[str, str] = {}  # src_uri of a generated page -> page key
        self.quiz_extension: QuizExtension | None = None
        self.renderer: Renderer | None = None
        self._structure: object = None
        self._built_urls: set[str] = set()  # pages rendered in this pass
        self._search_docs: list[dict[str, Any]] | None = None  # the whole index, for serve --dirty
        self._page_urls: set[str] = set()
        self._titles: dict[str, str | None] = {}  # src_uri -> the title MkDocs gave the page last time
        self._scoped: dict[str, Navigation] = {}  # process id -> the nav its pages show
        self._statuses: tuple[str, ...] = MATERIAL_STATUSES  # nav status values the site knows
        self._theme_has: dict[str, bool] = {}  # template name -> does the theme have it

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        """Its presence keeps this instance across ``mkdocs serve`` rebuilds (the parse cache lives on).

        MkDocs keeps such instances for the whole process, so per-run state starts afresh here.
        """
        self.dirty = dirty and command == "serve"
        self.hub = None
        self._structure = None
        self._search_docs = None
        self._titles = {}

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Resolve review settings, register templates, assets and the quiz Markdown extension."""
        try:
            self.settings = settings_from(
                as_of_flag=None,
                as_of=self.config.as_of,
                due_soon=self.config.due_soon,
                procedure=self.config.review_in.procedure,
                process=self.config.review_in.process,
            )
        except InvalidValue as error:
            raise PluginError(f"sop-hub: {error}") from None
        # Appended, so a site's own custom_dir overrides of sop-hub/*.html win.
        config.theme.dirs.append(str(PACKAGE_DIR / "templates"))
        # Real files, loaded once and cached; Material's instant navigation keeps them across pages.
        config.extra_css += [ASSET_URI.format("sop-hub.css"), ASSET_URI.format("quiz.css")]
        config.extra_javascript += [ASSET_URI.format("sop-hub.js"), ASSET_URI.format("quiz.js")]
        self.quiz_extension = QuizExtension()
        config.markdown_extensions.append(self.quiz_extension)  # type: ignore[arg-type]
        status = config.extra.get("status")
        known = tuple(str(key) for key in status) if isinstance(status, dict) and status else ()
        self._statuses = known or MATERIAL_STATUSES
        self._theme_has = {}
        quizzes_dir = self._quizzes_dir(config)
        if quizzes_dir.is_dir():
            config.watch.append(str(quizzes_dir))
        return config

    @event_priority(-50)  # after other plugins add or remove files, so the catalog sees the final set
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Read every front-matter, validate, add generated pages and assets, build the nav."""
        assert self.settings is not None and self.quiz_extension is not None
        self._drop_missing_static_files(files, config)
        previous = self.hub
        pages_in = [(file.src_uri, file.abs_src_path) for file in files.documentation_pages() if file.abs_src_path]
        self.hub = hub = load_hub(
            pages_in,
            root=self._root(config),
            quizzes_dir=self._quizzes_dir(config),
            settings=self.settings,
            cache=self.cache,
        )
        self._report(hub)
        self._page_urls = {file.url for file in files.documentation_pages()}
        self.renderer = Renderer(config, hub, register_files=self.config.register_files)
        self.quiz_extension.configure(hub.quizzes, self.renderer)
        for name in ASSETS:
            files.append(
                File.generated(config, ASSET_URI.format(name), abs_src_path=str(PACKAGE_DIR / "assets" / name))
            )
        # Search tier (issue 10): loaded in <head>, before Material's bundle (see sop-search.js).
        files.append(
            File.generated(config, SEARCH_SCRIPT, abs_src_path=str(PACKAGE_DIR / "render" / "assets" / "sop-search.js"))
        )
        tier = search_tier_json(hub.catalog, use_directory_urls=bool(config.use_directory_urls))
        files.append(File.generated(config, TIER_PATH, content=tier))
        self.generated = pages.add_generated_pages(files, config, hub, self.config)
        if self.config.nav:
            config.nav = navigation.build(config.nav, hub.catalog, files, self.generated)
        if self.dirty:
            self._mark_affected(files, previous, hub)
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        """Under ``serve --dirty``, give pages MkDocs will skip the titles they had last time.

        MkDocs learns a page's title by reading it; a skipped page would show "None" in the nav.
        """
        if self.dirty:
            for page in nav.pages:
                if page.file.src_uri in self._titles and not page.file.is_modified():
                    page.title = self._titles[page.file.src_uri]
        self._scoped = {}
        if self.hub and self.config.nav and navigation.scope_applies(self.config.nav_processes, self.hub.catalog):
            overview = next((src for src, key in self.generated.items() if key == "processes"), None)
            overview_url = page_url(overview, bool(config.use_directory_urls)) if overview else ""
            self._scoped = navigation.scoped_navs(nav, self.hub.catalog, overview_url)
        return nav

    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        """Give a process's pages their scoped nav; remember titles for the next dirty rebuild."""
        if self.dirty:
            self._titles[page.file.src_uri] = page.title
        if self._scoped and self.hub is not None:
            doc = self.hub.catalog.by_src.get(page.file.src_uri)
            process_id = doc.id if isinstance(doc, Process) else doc.process if doc is not None else None
            if process_id in self._scoped:
                context["nav"] = self._scoped[process_id]
        return context

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        """A short safe page for a file that cannot be read (MkDocs would abort the whole build).

        The problem is already a warning in the log (so ``--strict`` fails naming the file); the
        page says, escaped, that the file could not be read and why. Readers see no raw bytes.
        """
        if self.hub is None:
            return None
        parsed = self.hub.parsed.get(page.file.src_uri)
        problem = _unreadable(parsed.problems) if parsed is not None else None
        if problem is None:
            return None
        name = page.file.name.replace("-", " ").replace("_", " ").strip() or page.file.src_uri
        reason = html.escape(problem.message, quote=False)
        return (
            f"---\ntitle: {json.dumps(name)}\nsearch: {{exclude: true}}\n---\n"
            f'<p class="sop-unreadable">This page could not be built: the file '
            f"<code>{html.escape(problem.path, quote=False)}</code> could not be read ({reason}). "
            "Save it as UTF-8 text (or restore the file it links to) and build again.</p>\n"
        )

    @event_priority(100)  # first, so other plugins (tags, search) see cleaned values too
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Clean the page's meta for Material; place quiz markers; drop front-matter MkDocs could not read."""
        assert self.hub is not None and self.quiz_extension is not None
        src = page.file.src_uri
        parsed = self.hub.parsed.get(src)
        unreadable = parsed is not None and _unreadable(parsed.problems) is not None
        if parsed is not None and not parsed.front_matter_ok and not unreadable:
            markdown = parsed.body  # MkDocs leaves unreadable front-matter in the page text
        doc = self.hub.catalog.by_src.get(src)
        self._clean_meta(page, doc, config)
        self.quiz_extension.begin_page(doc, self.hub.texts.get(src, ""), page.url)
        if doc is None:
            return markdown
        if doc.status.value == "retired":
            # Found by id and title, ranked below active documents; the body is not indexed
            # (on_page_content hands search a summary instead).
            search = page.meta.get("search")
            page.meta["search"] = {**(search if isinstance(search, dict) else {}), "boost": RETIRED_BOOST}
            page.meta["search"].pop("exclude", None)
        return self.renderer.with_page_sections(markdown, doc) if self.renderer else markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Add the header, banners and problems (and the whole body of generated pages)."""
        assert self.hub is not None and self.renderer is not None
        self._built_urls.add(page.url)
        key = self.generated.get(page.file.src_uri)
        if key is not None:
            return pages.render(key, page, self.renderer, self.hub, self.generated)
        content = self.renderer.decorate(html, page)
        doc = self.hub.catalog.by_src.get(page.file.src_uri)
        if doc is not None and doc.status.value == "retired":
            return self.renderer.defer_page(page.url, content, self.renderer.retired_summary(doc))
        return content

    @event_priority(100)  # first, so minifiers and other post-page plugins see the final HTML
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """Swap in the headers and quizzes kept out of ``page.content`` until search had indexed it."""
        output = self.renderer.fill(output, page.url) if self.renderer else output
        return _with_search_script(output, page)

    @event_priority(-100)  # after the search plugin has written its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Write ``register.json`` and ``register.csv``; under ``serve --dirty``, mend the search index."""
        if self.hub is not None and self.config.register_files:
            pages.write_register_files(Path(config.site_dir), self.hub, config)
        if self.dirty:
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

    # -- helpers --------------------------------------------------------------------------------
    def _clean_meta(self, page: Page, doc: Process | Procedure | None, config: MkDocsConfig) -> None:
        """Every value Material prints is text; what had to be dropped is a warning on the page."""
        cleaned = clean_meta(
            page.meta,
            title=doc.title if doc is not None else None,
            statuses=self._statuses,
            doc_status=doc.status.value if doc is not None else None,
            template_exists=self._theme_template,
            icon_exists=lambda icon: self._theme_template(f".icons/{icon}.svg"),
        )
        if not cleaned.dropped or self.hub is None:
            return
        path = doc.path if doc is not None else self._path_for(page, config)
        text = self.hub.texts.get(page.file.src_uri, "")
        for note in cleaned.dropped:
            key = note[1 : note.index("`", 1)].split(":")[0] if note.startswith("`") else ""
            line = _line_of(text, key)
            problem = Problem(path, line, Severity.WARNING, "material-meta", note)
            log.warning(str(problem))
            if self.renderer is not None:
                self.renderer.add_problem(page.file.src_uri, problem)

    def _theme_template(self, name: str) -> bool:
        if name not in self._theme_has:
            try:
                assert self.renderer is not None
                self.renderer.env.get_template(name)
                self._theme_has[name] = True
            except (jinja2.TemplateError, AssertionError):
                self._theme_has[name] = False
        return self._theme_has[name]

    def _path_for(self, page: Page, config: MkDocsConfig) -> str:
        if not page.file.abs_src_path:
            return page.file.src_uri
        root = os.path.abspath(self._root(config))
        rel = os.path.relpath(page.file.abs_src_path, root)
        return (page.file.abs_src_path if rel.startswith("..") else rel).replace(os.sep, "/")

    def _drop_missing_static_files(self, files: Files, config: MkDocsConfig) -> None:
        """A dangling symlink among static files would abort the build when MkDocs copies it."""
        for file in list(files):
            if file.is_documentation_page() or not file.abs_src_path or file.generated_by:
                continue
            if not os.path.exists(file.abs_src_path):
                files.remove(file)
                log.warning(
                    f"{self._path_for_file(file, config)}:1: cannot read the file (a link to a file that does not "
                    "exist?): it is not copied to the site; restore the file it points to or remove it"
                )

    def _path_for_file(self, file: File, config: MkDocsConfig) -> str:
        root = os.path.abspath(self._root(config))
        rel = os.path.relpath(file.abs_src_path or file.src_uri, root)
        return rel.replace(os.sep, "/") if not rel.startswith("..") else file.src_uri

    def _report(self, hub: Hub) -> None:
        # Every problem is a warning on the mkdocs logger, so `mkdocs build --strict` fails on it.
        for problem in hub.problems:
            log.warning(str(problem))
        reviews = hub.catalog.review_findings()
        if reviews:
            overdue = [p for p in reviews if p.severity is Severity.ERROR]
            emit = log.warning if self.config.strict_reviews else log.info
            for problem in overdue:
                emit(f"{problem.path}:{problem.line}: {problem.message}")
            log.info(
                f"sop-hub: {len(overdue)} review(s) overdue and {len(reviews) - len(overdue)} due soon "
                f"as of {hub.catalog.settings.as_of}"
            )

    def _mark_affected(self, files: Files, previous: Hub | None, hub: Hub) -> None:
        """With ``serve --dirty``: rebuild what an edit affects, not only the edited file.

        Generated pages are always rebuilt (their content is in memory). A change to anything
        the navigation shows (a page added or removed, a title, process, stage or order) rebuilds
        every page, because every page shows the navigation.
        """
        structure = navigation.structure_key(hub.catalog, files)
        # An ordinary page's title comes from its text, which the catalog does not track.
        ordinary_edit = any(src not in hub.catalog.by_src for src in hub.changed)
        if previous is None or structure != self._structure or ordinary_edit:
            self._structure = structure  # first build, or the navigation changed: rebuild everything
            rebuild = {file.src_uri for file in files.documentation_pages()}
        else:
            rebuild = self._affected(previous, hub)
            if not self._data_changed(previous, hub):
                # Only page bodies changed: the generated listings would come out the same.
                rebuild -= set(self.generated)
                for file in files.documentation_pages():
                    if file.src_uri in self.generated:
                        file.is_modified = _never  # type: ignore[method-assign]
        for file in files.documentation_pages():
            if file.src_uri in rebuild:
                file.is_modified = _always  # type: ignore[method-assign]

    @staticmethod
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

    @staticmethod
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

    @staticmethod
    def _root(config: MkDocsConfig) -> Path:
        return Path(config.config_file_path).parent if config.config_file_path else Path.cwd()

    def _quizzes_dir(self, config: MkDocsConfig) -> Path:
        return self._root(config) / self.config.quizzes_dir


SEARCH_SCRIPT = ASSET_URI.format("sop-search.js")


def _with_search_script(output: str, page: Page) -> str:
    """The search tier's script in <head>, so it runs before Material's bundle asks for its index."""
    from mkdocs.utils import get_relative_url

    if 'class="md-search__input"' not in output:
        return output
    src = html.escape(get_relative_url(SEARCH_SCRIPT, page.url))
    return output.replace("</head>", f'<script src="{src}"></script>\n</head>', 1)


RETIRED_BOOST = 0.1  # search ranks a retired document below active ones (SPEC §4)


def _unreadable(problems: list[Problem]) -> Problem | None:
    return next((problem for problem in problems if problem.code == "unreadable"), None)


def _line_of(text: str, key: str) -> int:
    """The line of ``key:`` in the front-matter (1 when it cannot be found)."""
    if key:
        match = re.search(rf"^{re.escape(key)}[ \t]*:", text, re.MULTILINE)
        if match:
            return text.count("\n", 0, match.start()) + 1
    return 1


def _always() -> bool:
    return True


def _never() -> bool:
    return False
