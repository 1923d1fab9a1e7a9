"""The problems the MkDocs host reports or finds itself, all on the ``mkdocs.plugins.sop_hub`` logger.

Every warning there counts for ``mkdocs build --strict``. Besides the hub's own problems (the
core finds those), the host finds what only a build meets: a static file that cannot be copied,
a page file that cannot be read, and front-matter values Material's templates cannot take.
"""

from __future__ import annotations

import html
import json
import logging
import os
import re
from collections.abc import Callable
from pathlib import Path

import jinja2
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from sop_hub.core.hub import Hub
from sop_hub.core.model import Problem, Procedure, Process, Severity
from sop_hub.render.page_meta import clean_meta
from sop_hub.render.renderer import Renderer

log = logging.getLogger("mkdocs.plugins.sop_hub")


def report(hub: Hub, *, strict_reviews: bool) -> None:
    """Every problem is a warning, so ``--strict`` fails on it; overdue reviews only with ``strict_reviews``."""
    for problem in hub.problems:
        log.warning(str(problem))
    reviews = hub.catalog.review_findings()
    if reviews:
        overdue = [p for p in reviews if p.severity is Severity.ERROR]
        emit = log.warning if strict_reviews else log.info
        for problem in overdue:
            emit(f"{problem.path}:{problem.line}: {problem.message}")
        log.info(
            f"sop-hub: {len(overdue)} review(s) overdue and {len(reviews) - len(overdue)} due soon "
            f"as of {hub.catalog.settings.as_of}"
        )


def drop_missing_static_files(files: Files, root: Path) -> None:
    """A dangling symlink among static files would abort the build when MkDocs copies it."""
    for file in list(files):
        if file.is_documentation_page() or not file.abs_src_path or file.generated_by:
            continue
        if not os.path.exists(file.abs_src_path):
            files.remove(file)
            log.warning(
                f"{_path_for_file(file, root)}:1: cannot read the file (a link to a file that does not "
                "exist?): it is not copied to the site; restore the file it points to or remove it"
            )


def unreadable_page(hub: Hub, page: Page) -> str | None:
    """A short safe page for a file that cannot be read (MkDocs would abort the whole build).

    The problem is already a warning in the log (so ``--strict`` fails naming the file); the
    page says, escaped, that the file could not be read and why. Readers see no raw bytes.
    """
    parsed = hub.parsed.get(page.file.src_uri)
    problem = unreadable(parsed.problems) if parsed is not None else None
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


def unreadable(problems: list[Problem]) -> Problem | None:
    return next((problem for problem in problems if problem.code == "unreadable"), None)


def clean_page_meta(
    page: Page,
    doc: Process | Procedure | None,
    hub: Hub,
    renderer: Renderer | None,
    *,
    root: Path,
    statuses: tuple[str, ...],
    template_exists: Callable[[str], bool],
) -> None:
    """Every value Material prints is text; what had to be dropped is a warning, and a problem on the page."""
    cleaned = clean_meta(
        page.meta,
        title=doc.title if doc is not None else None,
        statuses=statuses,
        doc_status=doc.status.value if doc is not None else None,
        template_exists=template_exists,
        icon_exists=lambda icon: template_exists(f".icons/{icon}.svg"),
    )
    if not cleaned.dropped:
        return
    path = doc.path if doc is not None else _path_for(page, root)
    text = hub.texts.get(page.file.src_uri, "")
    for note in cleaned.dropped:
        key = note[1 : note.index("`", 1)].split(":")[0] if note.startswith("`") else ""
        problem = Problem(path, _line_of(text, key), Severity.WARNING, "material-meta", note)
        log.warning(str(problem))
        if renderer is not None:
            renderer.add_problem(page.file.src_uri, problem)


class ThemeTemplates:
    """Does the theme have this template (or icon)? Asked per page, answered once per build."""

    def __init__(self, env: jinja2.Environment | None = None) -> None:
        self.env = env
        self._known: dict[str, bool] = {}

    def __call__(self, name: str) -> bool:
        if name not in self._known:
            try:
                if self.env is None:
                    raise jinja2.TemplateNotFound(name)
                self.env.get_template(name)
                self._known[name] = True
            except jinja2.TemplateError:
                self._known[name] = False
        return self._known[name]


def _path_for(page: Page, root: Path) -> str:
    if not page.file.abs_src_path:
        return page.file.src_uri
    rel = os.path.relpath(page.file.abs_src_path, os.path.abspath(root))
    return (page.file.abs_src_path if rel.startswith("..") else rel).replace(os.sep, "/")


def _path_for_file(file: File, root: Path) -> str:
    rel = os.path.relpath(file.abs_src_path or file.src_uri, os.path.abspath(root))
    return rel.replace(os.sep, "/") if not rel.startswith("..") else file.src_uri


def _line_of(text: str, key: str) -> int:
    """The line of ``key:`` in the front-matter (1 when it cannot be found)."""
    if key:
        match = re.search(rf"^{re.escape(key)}[ \t]*:", text, re.MULTILINE)
        if match:
            return text.count("\n", 0, match.start()) + 1
    return 1
