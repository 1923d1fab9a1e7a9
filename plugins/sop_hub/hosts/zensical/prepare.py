"""``sop-hub prepare``: what Zensical cannot make itself (issue 11, the Zensical preview).

Zensical reads ``mkdocs.yml`` but silently drops every plugin it does not know, ``sop-hub``
included; it does run the configured Python-Markdown extensions, once per page, with the page's
path, URL and front-matter (``context.py``). So the hub's build splits in three:

- before the build (``prepare``), what only a plugin could add: a stub Markdown file for each
  generated page (processes, reviews, owners, register, changes, onboarding and its tracks), the
  browser assets, ``.sop-hub/fingerprint`` and ``mkdocs.zensical.yml`` (``INHERIT: mkdocs.yml``
  plus the extension, the assets, what to watch and the nav);
- during the build, ``sop_hub.markdown`` fills each page (header, warnings, sections, quizzes,
  the bodies of the generated pages);
- after the build (``after_build``), ``register.json``, ``register.csv`` and ``changes.xml`` go
  into the site folder (Zensical deletes files it did not write from ``site_dir`` on every build).

Zensical caches rendered pages and re-renders a page only when its own file, the config, the
templates or a ``watch``ed file changed; a page's header depends on other pages (its process, its
stage, the review dates), so ``.sop-hub/fingerprint`` (watched) changes whenever the hub does, and
every file here is written only when its content changes (so nothing re-renders for nothing).
Host-neutral rules (where generated pages go, the nav, the register files) are ``render.pages``
and ``render.nav``, shared with the MkDocs plugin. No MkDocs import.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sop_hub.core.hub import Hub
from sop_hub.core.model import Problem
from sop_hub.core.project import Project, ProjectError, load_project_hub, read_project
from sop_hub.render import changes, static
from sop_hub.render import nav as navigation
from sop_hub.render import pages as generated_pages

EXTENSION = "sop_hub.markdown"
ZENSICAL_CONFIG = "mkdocs.zensical.yml"
STATE_DIR = ".sop-hub"
FINGERPRINT = "fingerprint"
ASSETS = tuple(name for name in static.SHIPPED if name != static.SEARCH_SCRIPT)  # Zensical has its own search
# A line of every stub: prepare rewrites or removes only files that have it.
STUB_MARK = "<!-- Written by `sop-hub prepare` for Zensical: do not edit, it is rewritten on every run. -->"
GENERATED_KEY = "sop_hub_page"  # front-matter key naming the generated page a stub stands for


class PrepareError(ProjectError):
    """prepare cannot run (a config it cannot use, a page in the way); the message says what to fix."""


class UnreadablePages(Exception):
    """Pages whose front-matter Zensical would abort the whole build on (exit 1)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} page(s) with front-matter that is not YAML")
        self.problems = problems


@dataclass(slots=True)
class Loaded:
    project: Project
    hub: Hub
    generated: dict[str, str]  # src_uri -> page key ("processes", "track:new-starter", ...)
    repo_url: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)  # the config's own keys (tags read as nothing)


def is_stub(path: Path) -> bool:
    """A file prepare wrote (the mark follows its front-matter): left out of the hub, rewritten freely."""
    try:
        with open(path, encoding="utf-8") as handle:
            return STUB_MARK in handle.read(4096).splitlines()
    except (OSError, UnicodeDecodeError):
        return False


def load(config_file: str | None, as_of: str | None = None) -> Loaded:
    """The project, its hub (stubs left out) and its generated pages: what prepare and the extension share."""
    project = read_project(config_file)
    sources = [(src, path) for src, path in project.pages() if not is_stub(Path(path))]
    hub, _ = load_project_hub(project, as_of, pages=sources)  # with git history (SPEC §8)
    locations = project.options.get("pages") or {}
    if not isinstance(locations, dict):
        raise PrepareError(f"{project.config_file}: sop-hub `pages` must be a mapping of page: location")
    taken = {src for src, _ in sources}
    try:
        planned = generated_pages.plan(locations, hub, exists=taken.__contains__)
    except generated_pages.PageLocationError as error:
        raise PrepareError(str(error)) from None
    raw = _raw(project.config_file)
    repo_url = raw.get("repo_url") if isinstance(raw.get("repo_url"), str) else None
    return Loaded(project, hub, {page.src_uri: page.key for page in planned}, repo_url, raw)


def unreadable_front_matter(hub: Hub) -> list[Problem]:
    """Pages whose front-matter is not YAML: Zensical reads front-matter itself and aborts on them."""
    return [
        parsed.problems[0]
        for _src, parsed in sorted(hub.parsed.items())
        if not parsed.front_matter_ok and parsed.problems
    ]


def stub_text(page: generated_pages.GeneratedPage) -> str:
    """The page's stub front-matter (title, search exclusion), which page it is, and the mark."""
    head = page.stub.removesuffix("---\n")
    return f"{head}{GENERATED_KEY}: {page.key}\n---\n{STUB_MARK}\n"


def prepare(config_file: str | None, *, as_of: str | None = None) -> tuple[Loaded, list[Path]]:
    """Write the stubs, assets, fingerprint and ``mkdocs.zensical.yml``; return what was (re)written.

    Raises ``PrepareError`` (config, pages in the way, a nav of the user's) and
    ``UnreadablePages`` before writing anything.
    """
    loaded = load(config_file, as_of)
    project, hub = loaded.project, loaded.hub
    unreadable = unreadable_front_matter(hub)
    if unreadable:
        raise UnreadablePages(unreadable)
    config_text = zensical_config(loaded)
    written: list[Path] = []
    docs = project.docs_dir
    locations = project.options.get("pages") or {}
    planned = generated_pages.plan(locations, hub, exists=lambda src: False)
    for page in planned:
        target = docs / page.src_uri
        if _write_if_changed(target, stub_text(page)):
            written.append(target)
    _remove_stale_stubs(docs, {page.src_uri for page in planned})
    written += copy_assets(project)
    state = project.root / STATE_DIR
    _write_if_changed(state / ".gitignore", "*\n")
    if _write_if_changed(state / FINGERPRINT, _fingerprint(project, hub) + "\n"):
        written.append(state / FINGERPRINT)
    config = project.root / ZENSICAL_CONFIG
    if _write_if_changed(config, config_text):
        written.append(config)
    return loaded, written


def zensical_config(loaded: Loaded) -> str:
    """``mkdocs.zensical.yml``: the user's config (INHERIT), plus what the plugin would have added.

    Zensical merges INHERIT with deepmerge's ``always_merger``: lists are *appended* to (MkDocs
    replaces them), so this file lists only additions; a nav of the user's own cannot be replaced.
    """
    project, hub = loaded.project, loaded.hub
    watch = [STATE_DIR]
    if project.quizzes_dir.is_dir():
        watch.append(project.quizzes_dir.relative_to(project.root).as_posix())
    data: dict[str, Any] = {
        "INHERIT": project.config_file.name,
        "markdown_extensions": [{EXTENSION: {"config_file": project.config_file.name}}],
        "extra_css": [static.URI.format(name) for name in static.EVERY_PAGE_CSS],
        "extra_javascript": [static.URI.format(name) for name in static.EVERY_PAGE_JS],
        "watch": watch,
    }
    if project.options.get("nav", True) is not False:
        if loaded.raw.get("nav"):
            raise PrepareError(
                f"{project.config_file} has a `nav`; the Zensical preview cannot replace it yet (Zensical "
                "appends to the lists it inherits): remove it to let sop-hub build the nav, or set the "
                "plugin's `nav: false` to keep yours as written"
            )
        src_uris = sorted({src for src, _ in project.pages()} | set(loaded.generated))
        data["nav"] = _plain(navigation.build(None, hub.catalog, src_uris, loaded.generated))
    head = "# Written by `sop-hub prepare`: do not edit. Build with `zensical build -f mkdocs.zensical.yml`.\n"
    return head + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def _plain(value: Any) -> Any:
    """Nav titles are ``Markup`` (escaped for Material's templates, which print them raw): YAML
    takes plain strings. Zensical's templates print nav titles unescaped too (checked in the
    browser tests with a payload title), so the escaped text is what it needs."""
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return str(value)


def after_build(config_file: str | None, *, as_of: str | None = None) -> list[Path]:
    """Write ``register.json``/``register.csv`` and ``changes.xml`` into the built site."""
    loaded = load(config_file, as_of)
    project, hub = loaded.project, loaded.hub
    site_dir = project.root / str(loaded.raw.get("site_dir") or "site")
    if not site_dir.is_dir():
        raise PrepareError(f"{site_dir} does not exist: run `zensical build -f {ZENSICAL_CONFIG}` first")
    written = []
    if project.options.get("register_files", True) is not False:
        for name, content in generated_pages.register_files(hub, project.directory_urls).items():
            (site_dir / name).write_bytes(content)
            written.append(site_dir / name)
    if "changes" in loaded.generated.values():
        feed = changes.atom_feed(hub, site_url=project.site_url or None, directory_urls=project.directory_urls)
        (site_dir / changes.FEED_FILE).write_text(feed, encoding="utf-8")
        written.append(site_dir / changes.FEED_FILE)
    return written


def copy_assets(project: Project) -> list[Path]:
    """Zensical serves what docs_dir holds: the assets go to ``docs/assets/sop-hub/`` (git-ignored)."""
    target = project.docs_dir / "assets" / "sop-hub"
    _write_if_changed(target / ".gitignore", "*\n")
    return [target / name for name in ASSETS if _write_if_changed(target / name, static.asset_text(name))]


def _raw(config_file: Path) -> dict[str, Any]:
    try:
        with open(config_file, encoding="utf-8") as handle:
            data = yaml.load(handle, Loader=_Plain)
    except (OSError, yaml.YAMLError):
        return {}  # read_project has read it already, and said what is wrong if anything is
    return data if isinstance(data, dict) else {}


class _Plain(yaml.SafeLoader):
    """Any tag read as nothing (``!ENV``, ``!!python/name:...``): only keys are looked at here."""


_Plain.add_multi_constructor("", lambda loader, suffix, node: None)


def _fingerprint(project: Project, hub: Hub) -> str:
    digest = hashlib.sha256()
    digest.update(str(hub.catalog.settings).encode())
    digest.update(project.config_file.read_bytes())
    for src in sorted(hub.texts):
        digest.update(src.encode() + b"\0" + hub.texts[src].encode() + b"\0")
    quizzes = project.quizzes_dir
    if quizzes.is_dir():
        for path in sorted(quizzes.rglob("*.y*ml")):
            digest.update(path.relative_to(quizzes).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _remove_stale_stubs(docs: Path, keep: set[str]) -> None:
    for path in docs.rglob("*.md"):
        src = path.relative_to(docs).as_posix()
        if src not in keep and is_stub(path):
            path.unlink()
            if path.parent != docs and not any(path.parent.iterdir()):
                shutil.rmtree(path.parent)


def _write_if_changed(path: Path, text: str) -> bool:
    """Unchanged files keep their mtime: Zensical re-renders every page when a watched file changes."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True
