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

No ``on_post_page`` here: what the MkDocs host defers until search has indexed the page goes
straight in, inside ``data-search-exclude`` (Zensical's indexer leaves it out), with the text
search should see instead in a ``hidden`` element (which it does index).
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown import Markdown

from sop_hub.core.catalog import page_url
from sop_hub.core.hub import Hub
from sop_hub.hosts.zensical import prepare
from sop_hub.markdown import SopHubExtension
from sop_hub.render.renderer import Renderer, template_environment

CONTEXT = "rendering_context"  # the preprocessor Zensical's ContextExtension registers


class ZensicalRenderer(Renderer):
    """Deferred markup inline, out of Zensical's search; the searchable substitute ``hidden``."""

    def defer(self, page_url: str, markup: str, searchable: str = "") -> str:
        hidden = f'<div class="sop-searchable" hidden>{searchable}</div>' if searchable else ""
        return f"<div data-search-exclude>{markup}</div>{hidden}"


@dataclass(slots=True)
class _State:
    key: tuple[float, float]
    hub: Hub
    renderer: Renderer
    generated: dict[str, str]


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
    return True


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
    return _State(key, hub, renderer, generated)
