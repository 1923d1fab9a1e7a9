"""Zensical's side of ``sop_hub.markdown``: which page is converted, and the hub, loaded once.

Zensical (pinned 0.0.73) drops the ``sop-hub`` plugin but runs the configured Python-Markdown
extensions. For each page it builds a new ``Markdown`` (so a new ``SopHubExtension``) with its
``ContextExtension`` first, whose preprocessor ``rendering_context`` holds ``.page`` (``path`` =
the src_uri, ``url``, ``meta`` = the front-matter, already stripped from the text) and
``.config`` (Zensical's parsed config: ``root_dir``, ``theme.custom_dir``, ...). It converts each
page about three times on a clean build. So:

- ``attach`` (the ``sop_hub.hosts`` entry point ``sop_hub.markdown`` calls when no host began the
  page) reads the page from that context and configures the extension;
- the hub, renderer and generated pages are loaded once per process and kept while the config
  file and ``.sop-hub/fingerprint`` (which ``sop-hub prepare`` rewrites whenever any source or quiz
  changes) keep their modification times.

Zensical's templates print ``page.meta`` values raw, as Material's do under MkDocs (checked:
``<title>`` and ``<meta name="description">``), and abort the build on an icon or template that
does not exist; the ``meta`` dict the extension sees is the one handed back to Zensical, so it
is cleaned in place with the same rules as the MkDocs host (``render/page_meta.py``, pure), each
dropped value a problem on the page as there.

No ``on_post_page`` here: what the MkDocs host defers until search has indexed the page goes
straight in, inside ``data-search-exclude`` (Zensical's indexer leaves it out), with the text
search should see instead in a ``hidden`` element (which it does index).
"""

from __future__ import annotations

import os
import re
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown import Markdown

from sop_hub.core.catalog import page_url
from sop_hub.core.hub import Hub
from sop_hub.core.model import Problem, Severity
from sop_hub.hosts.zensical import prepare
from sop_hub.markdown import SopHubExtension
from sop_hub.render.page_meta import MATERIAL_STATUSES, clean_meta, rank_retired
from sop_hub.render.renderer import Renderer, template_environment

CONTEXT = "rendering_context"  # the preprocessor Zensical's ContextExtension registers


class ZensicalRenderer(Renderer):
    """Deferred markup inline, out of Zensical's search; the searchable substitute ``hidden``."""

    def defer(self, page_url: str, markup: str, searchable: str = "") -> str:
        hidden = f'<div class="sop-searchable" hidden>{searchable}</div>' if searchable else ""
        return f"<div data-search-exclude>{markup}</div>{hidden}"


class _ThemeFiles:
    """Does ``custom_dir`` or Zensical's theme have this template (or ``.icons/...svg``)? Cached."""

    def __init__(self, dirs: list[Path]) -> None:
        self.dirs = dirs
        self._known: dict[str, bool] = {}

    def __call__(self, name: str) -> bool:
        if name not in self._known:
            self._known[name] = ".." not in name.split("/") and any((folder / name).is_file() for folder in self.dirs)
        return self._known[name]


@dataclass(slots=True)
class _State:
    key: tuple[float, float]
    hub: Hub
    renderer: Renderer
    generated: dict[str, str]
    theme_has: _ThemeFiles
    docs_prefix: str  # docs_dir relative to the project root, with "/": problems' paths start with it


_STATES: dict[Path, _State] = {}
_LOCK = threading.Lock()


def attach(extension: SopHubExtension, md: Markdown, config_file: str) -> bool:
    """Configure ``extension`` for the page Zensical is converting; False when ``md`` is not Zensical's."""
    if CONTEXT not in md.preprocessors:
        return False
    context: Any = md.preprocessors[CONTEXT]
    page, config = context.page, context.config or {}
    root = Path(str(config.get("root_dir") or os.getcwd()))
    custom_dir = (config.get("theme") or {}).get("custom_dir") if isinstance(config.get("theme"), dict) else None
    state = _state((root / config_file).resolve(), str(custom_dir) if custom_dir else None)
    extension.configure(state.hub, state.renderer, state.generated)
    meta = page.meta if isinstance(page.meta, dict) else {}
    key = meta.get(prepare.GENERATED_KEY)
    src_uri = str(page.path).replace(os.sep, "/")
    extension.begin_page(
        src_uri, str(page.url), state.hub.texts.get(src_uri, ""), generated_key=key if isinstance(key, str) else None
    )
    _clean(meta, src_uri, state, config)
    return True


def _clean(meta: dict[str, Any], src_uri: str, state: _State, config: dict[str, Any]) -> None:
    """The page's front-matter as the theme may print it (``page_meta.clean_meta``), in place."""
    doc = state.hub.catalog.by_src.get(src_uri)
    extra = config.get("extra") if isinstance(config.get("extra"), dict) else {}
    status = extra.get("status") if isinstance(extra, dict) else None
    statuses = tuple(str(name) for name in status) if isinstance(status, dict) and status else MATERIAL_STATUSES
    cleaned = clean_meta(
        meta,
        title=doc.title if doc is not None else None,
        statuses=statuses,
        doc_status=doc.status.value if doc is not None else None,
        template_exists=state.theme_has,
        icon_exists=lambda icon: state.theme_has(f".icons/{icon}.svg"),
    )
    if doc is not None and doc.status.value == "retired":
        rank_retired(meta)  # `search.boost`: Zensical ignores it today, and keeps it for when it does not
    text = state.hub.texts.get(src_uri, "")
    path = doc.path if doc is not None else f"{state.docs_prefix}{src_uri}"
    for note in cleaned.dropped:
        key = note[1 : note.index("`", 1)].split(":")[0] if note.startswith("`") else ""
        match = re.search(rf"^{re.escape(key)}[ \t]*:", text, re.MULTILINE) if key else None
        line = text.count("\n", 0, match.start()) + 1 if match else 1
        state.renderer.add_problem(src_uri, Problem(path, line, Severity.WARNING, "material-meta", note))


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _state(config_file: Path, custom_dir: str | None) -> _State:
    key = (_mtime(config_file), _mtime(config_file.parent / prepare.STATE_DIR / prepare.FINGERPRINT))
    with _LOCK:
        state = _STATES.get(config_file)
        if state is None or state.key != key:
            state = _STATES[config_file] = _load(config_file, custom_dir, key)
        return state


def _load(config_file: Path, custom_dir: str | None, key: tuple[float, float]) -> _State:
    loaded = prepare.load(str(config_file))
    project, hub, generated = loaded.project, loaded.hub, loaded.generated
    dirs = [str(project.root / custom_dir)] if custom_dir else []
    renderer = ZensicalRenderer(
        hub,
        template_environment(*dirs),
        directory_urls=project.directory_urls,
        register_files=project.options.get("register_files", True) is not False,
        defer=True,
        repo_url=loaded.repo_url,
    )
    owners = next((src for src, page_key in generated.items() if page_key == "owners"), None)
    renderer.owners_url = page_url(owners, project.directory_urls) if owners else None
    shown = project.options.get("show_problems", "serve")
    serving = len(sys.argv) > 1 and sys.argv[1] == "serve"  # `zensical serve`: the author's preview
    renderer.show_problems = shown == "always" or (shown == "serve" and serving)
    theme_dirs = [Path(dirs[0])] if dirs else []
    zensical = sys.modules.get("zensical")  # the host that loaded us: its bundled theme
    if zensical is not None and getattr(zensical, "__file__", None):
        templates = Path(str(zensical.__file__)).parent / "templates"
        theme_dirs.append(templates)  # its icons are templates/.icons/<set>/<name>.svg
    docs = (
        project.docs_dir.relative_to(project.root).as_posix() if project.docs_dir.is_relative_to(project.root) else ""
    )
    return _State(key, hub, renderer, generated, _ThemeFiles(theme_dirs), f"{docs}/" if docs else "")
