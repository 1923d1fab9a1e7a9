"""The Python-Markdown extension: page header, banners, problems, process sections and quizzes.

The seam any Python-Markdown host can load. Two ways to set it up:

    # A host that has the hub already (the MkDocs/ProperDocs plugin):
    extension = SopHubExtension()
    extension.configure(hub, renderer)          # once per build (Renderer(..., defer=True))

    # Standalone: the hub is read from the same `plugins: - sop-hub:` settings mkdocs.yml has.
    extension = SopHubExtension(config_file="mkdocs.yml")   # or extensions=["sop_hub.markdown"]

    # Per page, before converting it:
    extension.begin_page(src_uri, url, source_text)   # e.g. "proc/a.md", "proc/a/", the file's text
    html = markdown.Markdown(extensions=[extension]).convert(body)
    html = extension.end_page(html)                   # only needed if the body may be blank

What it adds to a page's conversion:

- a preprocessor (35, before whitespace normalisation at 30, so exactly as if the author had
  written them) appending the headings the sections live under (process: stages, connected
  processes; procedure: "Knowledge check" for quizzes not placed inline), so they join the TOC;
- the quiz marker preprocessor (22, ``render.quiz.QuizExtension``, composed here);
- a postprocessor (0, after raw HTML is restored at 30 and every usual postprocessor) putting
  the header, banners and problems after the first ``</h1>`` and filling the section slots; a
  retired page's body is kept out of search (deferred, searchable summary instead). Treeprocessors
  run postprocessors on fragments too (``toc`` on each heading's text), so it acts only once a
  treeprocessor at -100, after every other, has marked the tree done.

Deferral (``Renderer(defer=True)``, the MkDocs host): header and quiz markup are placeholders in
the converted HTML, swapped in by ``Renderer.fill`` on the final page (``on_post_page``), so
search never parses them. Standalone the renderer is built with ``defer`` (config option,
default ``False``: the HTML is final as converted).

Standalone under a host that gives the page to Python-Markdown itself (Zensical), nobody calls
``begin_page``: the extension asks the host adapters registered under the entry-point group
``sop_hub.hosts`` (``hosts/zensical/context.py``) to ``attach(extension, md, config_file)``;
the one that recognises the ``Markdown`` instance configures the extension with its (cached) hub,
renderer and generated pages and begins the page. A page whose front-matter names a generated page
(``sop_hub_page: processes``, written by ``sop-hub prepare``) gets that page's body.

Python-Markdown returns ``""`` for a blank source before any extension runs: a host that can
change the page's Markdown passes it through ``source_for(markdown)`` (a blank process page
still gets its section headings), and calls ``end_page(html)`` after converting (a blank page
still gets its header and problems). Both change nothing for a page with a body.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from sop_hub.core.hub import Hub
from sop_hub.core.model import Procedure, Process
from sop_hub.core.project import load_project_hub, read_project
from sop_hub.render import pages as generated_pages
from sop_hub.render import views
from sop_hub.render.quiz import QuizExtension
from sop_hub.render.renderer import Renderer, template_environment

__all__ = ["HOSTS_GROUP", "SopHubExtension", "makeExtension"]

HOSTS_GROUP = "sop_hub.hosts"  # entry points: ``attach(extension, md, config_file) -> bool`` per host
_attachers: list[Callable[[SopHubExtension, Markdown, str], bool]] | None = None


def _host_attachers() -> list[Callable[[SopHubExtension, Markdown, str], bool]]:
    """The registered host adapters, loaded once per process (a host makes a Markdown per page)."""
    global _attachers
    if _attachers is None:
        _attachers = [entry.load() for entry in entry_points(group=HOSTS_GROUP)]
    return _attachers


class SopHubExtension(Extension):
    """Header, banners, problems, process sections and quizzes for the pages of one hub."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "config_file": ["", "mkdocs.yml (or properdocs.yml) to read the hub's settings from; '' = configure()"],
            "defer": [False, "standalone: keep header and quiz markup as placeholders until Renderer.fill"],
        }
        super().__init__(**kwargs)
        self.quiz = QuizExtension()
        self.hub: Hub | None = None
        self.renderer: Renderer | None = None
        self.generated: dict[str, str] = {}  # src_uri -> key of each generated page (standalone hosts)
        self._generated_key: str | None = None  # this page is that generated page
        self._attached = False  # a host adapter configured this instance (attach)
        self._src_uri = ""
        self._url = ""
        self._doc: Process | Procedure | None = None
        self._sections_added = False  # source_for() appended them to a blank page already
        self._decorated = False  # the postprocessor ran for this page
        self._tree_done = False  # postprocessors now see the whole document, not a fragment
        self._ends = ("", "")  # whitespace around the decorated page, which Markdown.convert strips

    # -- set-up ---------------------------------------------------------------------------------
    def configure(self, hub: Hub, renderer: Renderer, generated: dict[str, str] | None = None) -> None:
        """Render the pages of ``hub`` with ``renderer`` (a host that has loaded the hub itself).

        ``generated``: src_uri -> key of the generated pages whose bodies this extension renders
        (a host with no page events of its own); the MkDocs plugin renders them itself.
        """
        self.hub, self.renderer = hub, renderer
        self.generated = dict(generated or {})
        self.quiz.configure(hub.quizzes, renderer)

    def load(self, config_file: str) -> None:
        """Read the hub as ``sop-hub check`` does, from ``config_file``'s ``sop-hub`` settings.

        Raises ``core.project.ProjectError`` when the config cannot be read.
        """
        project = read_project(config_file)
        hub, _ = load_project_hub(project)  # with git history, as the MkDocs plugin reads it
        renderer = Renderer(
            hub,
            template_environment(),
            directory_urls=project.directory_urls,
            register_files=project.options.get("register_files") is not False,
            defer=bool(self.getConfig("defer")),
        )
        self.configure(hub, renderer)

    # -- per page -------------------------------------------------------------------------------
    def begin_page(self, src_uri: str, url: str, source_text: str, *, generated_key: str | None = None) -> None:
        """The page converted next: its path in docs (``proc/a.md``), its site URL (``proc/a/``) and
        the file's whole text (front-matter included: a quiz's page revision is taken from it).

        ``generated_key``: the page is the generated page of that key (``configure(generated=...)``)
        and gets its body; ignored unless ``src_uri`` is where that page goes.
        """
        hub = self._hub()
        self._src_uri, self._url = src_uri, url
        key = generated_key if generated_key and self.generated.get(src_uri) == generated_key else None
        self._generated_key = key
        self._doc = hub.catalog.by_src.get(src_uri)
        self._sections_added = self._decorated = False
        self._ends = ("", "")
        self.quiz.begin_page(self._doc, source_text, url)

    def source_for(self, markdown: str) -> str:
        """The page's Markdown to convert: unchanged, except that a blank body gets its section headings."""
        if markdown.strip() or self._doc is None or self.renderer is None:
            return markdown
        self._sections_added = True
        return self.renderer.with_page_sections(markdown, self._doc)

    def end_page(self, html: str) -> str:
        """The converted page's HTML, decorated even when Python-Markdown skipped every extension.

        Also puts back the whitespace ``Markdown.convert`` strips from the ends of the decorated
        HTML (a filled section slot ends with a newline), so the page is byte for byte what
        decorating the converted HTML gives.
        """
        if not self._decorated:
            return self.decorate(html)
        head, tail = self._ends
        return head + html + tail

    def decorate(self, html: str) -> str:
        """Header, banners and problems after the first ``</h1>``; section slots filled."""
        assert self.renderer is not None and self.hub is not None
        self._decorated = True
        if self._generated_key is not None:
            content = generated_pages.render(self._generated_key, self._url, self.renderer, self.hub, self.generated)
            self._ends = ("", "")
            return content
        content = self.renderer.decorate(html, self._src_uri, self._url)
        doc = self._doc
        if doc is not None and doc.status.value == "retired":
            content = self.renderer.defer_page(self._url, content, self.renderer.retired_summary(doc))
        stripped = content.strip()
        start = content.find(stripped) if stripped else len(content)
        self._ends = (content[:start], content[start + len(stripped) :])
        return content

    # -- Python-Markdown ------------------------------------------------------------------------
    def extendMarkdown(self, md: Markdown) -> None:  # Python-Markdown's name
        config_file = str(self.getConfig("config_file") or "")
        if self.hub is None or self._attached:  # standalone: does a host adapter know this Markdown?
            self._attached = bool(config_file) and any(attach(self, md, config_file) for attach in _host_attachers())
        self._hub()
        md.registerExtension(self)
        self.quiz.extendMarkdown(md)
        md.preprocessors.register(_Sections(md, self), "sop_hub_sections", 35)
        # Like quiz markers: after fenced code (25) has stashed code, before raw HTML (20).
        md.preprocessors.register(_Counts(md, self), "sop_hub_counts", 21)
        md.treeprocessors.register(_TreeDone(md, self), "sop_hub_tree_done", -100)
        md.postprocessors.register(_Decorate(md, self), "sop_hub_decorate", 0)

    def _hub(self) -> Hub:
        if self.hub is None:
            config_file = str(self.getConfig("config_file") or "")
            if not config_file:
                raise RuntimeError(
                    "sop_hub.markdown has no hub: give it `config_file: mkdocs.yml` (the file with the "
                    "`sop-hub` plugin settings), or let the sop-hub plugin configure it"
                )
            self.load(str(Path(config_file)))
        assert self.hub is not None
        return self.hub


class _Sections(Preprocessor):
    """Appends the headings the page's sections live under (``Renderer.with_page_sections``)."""

    def __init__(self, md: Markdown, extension: SopHubExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        ext = self.extension
        if ext._sections_added:  # source_for() put them into this (blank) page's source already
            ext._sections_added = False
            return lines
        if ext._doc is None or ext.renderer is None:
            return lines
        return ext.renderer.with_page_sections("\n".join(lines), ext._doc).split("\n")


COUNTS_MARKER = re.compile(r"^ {0,3}<!--\s*sop-hub:\s*counts\s*-->[ \t]*$")


class _Counts(Preprocessor):
    """A line ``<!-- sop-hub: counts -->`` becomes the hub in numbers (``views.hub_counts``)."""

    def __init__(self, md: Markdown, extension: SopHubExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        renderer = self.extension.renderer
        if renderer is None or not any("sop-hub" in line and COUNTS_MARKER.match(line) for line in lines):
            return lines
        renderer.page_url = self.extension._url  # the counts link to generated pages from this one
        if not getattr(renderer, "generated", None):  # a standalone host told the extension, not the renderer
            renderer.generated = self.extension.generated
        block = renderer.render("sop-hub/counts.html", view=views.hub_counts(self.extension._hub(), renderer))
        out: list[str] = []
        for line in lines:
            if COUNTS_MARKER.match(line):
                out += ["", self.md.htmlStash.store(block.strip()), ""]
            else:
                out.append(line)
        return out


class _TreeDone(Treeprocessor):
    def __init__(self, md: Markdown, extension: SopHubExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: Any) -> None:
        self.extension._tree_done = True


class _Decorate(Postprocessor):
    """The whole document only: before the tree is done, postprocessors see fragments (a heading's text)."""

    def __init__(self, md: Markdown, extension: SopHubExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, text: str) -> str:
        if not self.extension._tree_done:
            return text
        self.extension._tree_done = False
        return self.extension.decorate(text.strip())  # what Markdown.convert returns, as a host sees it


def makeExtension(**kwargs: Any) -> SopHubExtension:  # Python-Markdown's name
    return SopHubExtension(**kwargs)
