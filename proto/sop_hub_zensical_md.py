"""PROTOTYPE of ``sop_hub.markdown`` under Zensical (issue 11 item 3): not part of the package.

Configured by ``sop-hub prepare`` in ``mkdocs.zensical.yml``::

    markdown_extensions:
      - sop_hub_zensical_md:          # sop_hub.markdown once it exists
          config_file: mkdocs.yml     # where the `sop-hub` plugin settings are (Zensical drops them)

How it learns the page: Zensical (0.0.73, zensical/markdown/render.py) builds a fresh ``Markdown``
per page with a ``ContextExtension`` first in the list, whose preprocessor ``rendering_context``
holds ``.page`` (``path`` = src_uri, ``url``, ``title``, ``meta`` = parsed front-matter, already
stripped from the text) and ``.config`` (Zensical's parsed config: ``root_dir``, ``docs_dir``,
``theme.custom_dir``, ``use_directory_urls``, ...). ``md.Meta`` does not exist.

What it does per page: procedures and processes get the header and warnings after the first h1,
their sections and quizzes; the stubs ``sop-hub prepare`` wrote get the generated page's body.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jinja2
from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from sop_hub import pages as generated_pages
from sop_hub.hosts.zensical import prepare
from sop_hub.hub import Hub
from sop_hub.model import Procedure, Process
from sop_hub.quiz.extension import QuizExtension
from sop_hub.render import Renderer, codespans

PACKAGE_DIR = Path(prepare.__file__).resolve().parents[2]


class ZensicalRenderer(Renderer):
    """No ``on_post_page`` under Zensical: what MkDocs defers goes straight in, out of search.

    Zensical's search indexer honours ``data-search-exclude`` (checked on 0.0.73).
    """

    def defer(self, page_url: str, markup: str, searchable: str = "") -> str:
        hidden = f'<div class="sop-searchable" hidden>{searchable}</div>' if searchable else ""
        return f"<div data-search-exclude>{markup}</div>{hidden}"

    def defer_page(self, page_url: str, content: str, searchable: str) -> str:
        return self.defer(page_url, content, searchable)


class _State:
    """One hub per config file and fingerprint (prepare rewrites it when anything changed)."""

    def __init__(self, config_file: Path, custom_dir: str | None) -> None:
        self.fingerprint = _read_fingerprint(config_file)
        project, hub, generated = prepare.load(str(config_file))
        self.hub: Hub = hub
        self.generated = generated
        dirs = [custom_dir] if custom_dir else []
        env = jinja2.Environment(loader=jinja2.FileSystemLoader([*dirs, str(PACKAGE_DIR / "templates")]))
        env.filters["codespans"] = codespans
        config = SimpleNamespace(use_directory_urls=project.directory_urls, theme=SimpleNamespace(get_env=lambda: env))
        self.renderer = ZensicalRenderer(config, hub)  # type: ignore[arg-type]
        self.quiz = QuizExtension()
        self.quiz.configure(hub.quizzes, self.renderer)


_STATES: dict[Path, _State] = {}
_LOCK = threading.Lock()


def _read_fingerprint(config_file: Path) -> str:
    try:
        return (config_file.parent / prepare.STATE_DIR / prepare.FINGERPRINT).read_text(encoding="utf-8")
    except OSError:
        return ""


def _state(config_file: Path, custom_dir: str | None) -> _State:
    with _LOCK:
        state = _STATES.get(config_file)
        if state is None or state.fingerprint != _read_fingerprint(config_file):
            state = _STATES[config_file] = _State(config_file, custom_dir)
        return state


def _page_of(md: Markdown) -> tuple[Any, dict[str, Any]]:
    if "rendering_context" not in md.preprocessors:
        raise RuntimeError("sop_hub.markdown: no Zensical rendering context; under MkDocs use the sop-hub plugin")
    context = md.preprocessors["rendering_context"]
    return context.page, context.config  # type: ignore[attr-defined]


class _Sections(Preprocessor):
    """Append the headings the hub's sections live under (so they are in the TOC)."""

    def __init__(self, md: Markdown, ext: SopHubMarkdown) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, lines: list[str]) -> list[str]:
        state, page = self.ext.current
        doc = state.hub.catalog.by_src.get(page.path)
        if isinstance(doc, Process | Procedure):
            return state.renderer.with_page_sections("\n".join(lines), doc).split("\n")  # type: ignore[no-any-return]
        return lines


class _TreeDone(Treeprocessor):
    """Marks the end of the tree stage. ``toc`` runs every postprocessor on each heading's text
    (to build TOC labels); the page's own postprocessor pass comes only after this."""

    def __init__(self, md: Markdown, ext: SopHubMarkdown) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, root: Any) -> None:
        self.ext.tree_done = True


class _Decorate(Postprocessor):
    """After raw HTML is back (30): header after the h1, slots, or a generated page's whole body."""

    def __init__(self, md: Markdown, ext: SopHubMarkdown) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, text: str) -> str:
        if not self.ext.tree_done:
            return text  # a heading's TOC label, not the page
        state, page = self.ext.current
        fake = SimpleNamespace(url=page.url, file=SimpleNamespace(src_uri=page.path))
        key = page.meta.get(prepare.GENERATED_KEY)
        if key and state.generated.get(page.path) == key:
            return generated_pages.render(key, fake, state.renderer, state.hub, state.generated)  # type: ignore[arg-type]
        content = state.renderer.decorate(text, fake)  # type: ignore[arg-type]
        doc = state.hub.catalog.by_src.get(page.path)
        if doc is not None and doc.status.value == "retired":  # body out of search, summary in
            return state.renderer.defer_page(page.url, content, state.renderer.retired_summary(doc))
        return content


class SopHubMarkdown(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {"config_file": ["mkdocs.yml", "the MkDocs config holding the sop-hub settings"]}
        self.current: Any = None
        self.tree_done = False
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        # Zensical makes one Markdown (and so one extension instance) per page render, with its
        # rendering context registered first: the page is known here already.
        page, config = _page_of(md)
        root = Path(config["root_dir"])
        custom = config["theme"].get("custom_dir")
        state = _state((root / self.getConfig("config_file")).resolve(), str(root / custom) if custom else None)
        self.current = (state, page)
        doc = state.hub.catalog.by_src.get(page.path)
        state.quiz.begin_page(doc, state.hub.texts.get(page.path, ""), page.url)
        md.preprocessors.register(_Sections(md, self), "sop_hub_sections", 35)
        state.quiz.extendMarkdown(md)  # the quiz markers (priority 22)
        md.treeprocessors.register(_TreeDone(md, self), "sop_hub_tree_done", -100)
        md.postprocessors.register(_Decorate(md, self), "sop_hub_decorate", 5)
        if os.environ.get("SOP_HUB_PROBE"):
            print(f"sop_hub.markdown: extension built in pid {os.getpid()}")


def makeExtension(**kwargs: Any) -> SopHubMarkdown:
    return SopHubMarkdown(**kwargs)
