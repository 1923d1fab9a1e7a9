"""HTML for procedure and process pages, from Jinja templates in ``templates/sop-hub/``.

Plain values in, HTML out; no site generator is imported. The public surface::

    renderer = Renderer(hub, env, directory_urls=True, register_files=True, defer=True)
    renderer.with_page_sections(markdown, doc)   # Markdown + the headings our sections live under
    renderer.decorate(html, src_uri, url)        # header, banners, problems after the h1; sections
    renderer.render("sop-hub/<name>.html", **context)  # any template (generated pages, quizzes)
    renderer.fill(output, url)                   # swap in deferred markup (final page HTML)

``env`` is a Jinja2 ``Environment`` whose loader finds ``sop-hub/*.html``: the MkDocs host passes
``config.theme.get_env()`` (its folder is appended to ``theme.dirs``, so a site's ``custom_dir``
overrides any template); another host builds one with ``template_environment(custom_dir)``.
MkDocs' environment does not autoescape; every template of ours wraps itself in
``{% autoescape true %}``, so front-matter values are always data, never markup.

With ``defer=True`` (MkDocs: it has ``on_post_page``) markup search need not see stays out of
``page.content`` as a placeholder until ``fill``; with ``defer=False`` the final HTML is
rendered in place and ``fill`` changes nothing.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

import jinja2
from markupsafe import Markup

from sop_hub.core.catalog import page_url
from sop_hub.core.hub import Hub
from sop_hub.core.model import DocStatus, Document, Owner, Problem, Procedure, Process, ReviewStatus, Severity
from sop_hub.core.quiz import page_revision
from sop_hub.core.review import due_soon_from
from sop_hub.render import TEMPLATES_DIR
from sop_hub.render.onboarding import next_steps
from sop_hub.render.people import People, ReportLink
from sop_hub.render.urls import relative_url

STATUS_LABELS = {
    ReviewStatus.OVERDUE: "Review overdue",
    ReviewStatus.DUE_SOON: "Review due soon",
    ReviewStatus.CURRENT: "Current",
    ReviewStatus.NOT_REQUIRED: "No review due",
}
_SLOT = '<div data-sop-slot="{}"></div>'
_CODE = re.compile(r"`([^`]+)`")
_H1_END = re.compile(r"</h1>", re.IGNORECASE)


class Renderer:
    """Renders the hub's HTML fragments for one build."""

    def __init__(
        self,
        hub: Hub,
        env: jinja2.Environment,
        *,
        directory_urls: bool,
        register_files: bool,
        defer: bool = True,
        repo_url: str | None = None,
    ) -> None:
        self.hub = hub
        self.register_files = register_files  # the register page links to register.csv/.json
        self.directory_urls = directory_urls
        self.env = env
        self.env.filters["codespans"] = codespans
        self.deferring = defer
        self.page_url = ""  # the page being rendered, for relative links
        self._templates: dict[str, Any] = {}
        self._deferred: dict[str, dict[str, str]] = {}  # page url -> {placeholder: HTML}
        self.memo: dict[object, object] = {}  # per-build cache for views (rows shared by listings)
        self._problems: dict[str, list[Problem]] = {}
        self._page_problems: dict[str, list[Problem]] = {}  # src_uri -> found while building the page
        # Issue 10: one rendering of a person; "report a problem"; problem boxes only where
        # `show_problems` says (the host sets these two after it knows its pages and command).
        self.people = People(hub.catalog)
        self.repo_url = repo_url or None  # where "Report a problem" opens an issue (GitHub, GitLab)
        self.owners_url: str | None = None  # site URL of the owners page (None: switched off)
        self.show_problems = True
        self._person_html: dict[tuple[str, str | None, str | None], Markup] = {}
        # Issue 9 (set by the host after construction): config `acknowledge`, the checked
        # `learning_records` ({endpoint, auth, site} or None), generated pages (src_uri -> key).
        self.acknowledge_all = False
        self.learning_records: dict[str, str] | None = None
        self.generated: dict[str, str] = {}
        for problem in hub.problems:
            self._problems.setdefault(problem.path, []).append(problem)

    # -- shared helpers for templates -----------------------------------------------------------
    def render(self, name: str, **context: Any) -> str:
        template = self._templates.get(name)
        if template is None:
            template = self._templates[name] = self.env.get_template(name)
        return str(template.render(sop=self, **context))

    def url_of(self, doc: Document | None) -> str | None:
        """A link from the current page to ``doc``'s page (None when it has no page)."""
        if doc is None or not doc.src_uri:
            return None
        return self.link(page_url(doc.src_uri, self.directory_urls))

    def link(self, site_url: str) -> str:
        return relative_url(site_url or ".", self.page_url or ".")

    @staticmethod
    def link_from(site_url: str, from_url: str) -> str:
        """A link to ``site_url`` from the page at ``from_url`` (both site-relative)."""
        return relative_url(site_url or ".", from_url or ".")

    # -- acknowledgements and learning records (SPEC §5.4, §9) ------------------------------------
    def asks_acknowledgement(self, doc: Document) -> bool:
        """An active procedure asks for read-and-understood when its `acknowledge:` (else the
        config's) says so, or when a track lists it under `read:`."""
        if not isinstance(doc, Procedure) or doc.status is not DocStatus.ACTIVE:
            return False
        if doc.acknowledge if doc.acknowledge is not None else self.acknowledge_all:
            return True
        return any(doc.id in track.read for track in self.hub.quizzes.tracks.values())

    def lr_config(self) -> Markup:
        """The learning-record settings for lr.js, as JSON in an attribute (escaped), or nothing.

        Not a ``<script type="application/json">``: Material's instant navigation re-runs every
        script in the page it swaps in by copying only its text, so a JSON block became a
        script (a page error) and lost its attribute, and learning records stopped.
        """
        if not self.learning_records:
            return Markup("")
        text = json.dumps(self.learning_records, ensure_ascii=True, sort_keys=True)
        return Markup('<div hidden data-sop-lr="{}"></div>').format(text)

    def doc(self, doc_id: str | None) -> Process | Procedure | None:
        return self.hub.catalog.by_id.get(doc_id) if doc_id else None

    def process(self, process_id: str) -> Process | None:
        return self.hub.catalog.processes_by_id.get(process_id)

    def person(self, owner: Owner | None) -> Markup:
        """The one rendering of a person (render/people.py), linked to the owners page."""
        if owner is None:
            return self.people.html(None, None)
        owners_page = self.link(self.owners_url) if self.owners_url is not None else None
        key = (owner.name, owner.email, owners_page)
        found = self._person_html.get(key)
        if found is None:
            found = self._person_html[key] = self.people.html(owner, owners_page)
        return found

    def report_link(self, doc: Document) -> ReportLink | None:
        return self.people.report(doc, self.repo_url)

    @staticmethod
    def status_label(doc: Document) -> str:
        if doc.review_status is ReviewStatus.NOT_REQUIRED:
            return doc.status.value.capitalize() if doc.status.value != "active" else "No review date"
        return STATUS_LABELS[doc.review_status]

    def due_soon_from(self, doc: Document) -> str:
        if doc.next_review is None:
            return ""
        return due_soon_from(doc.next_review, self.hub.catalog.settings.due_soon).isoformat()

    def problems_for(self, path: str) -> list[Problem]:
        return self._problems.get(path, [])

    def add_problem(self, src_uri: str, problem: Problem) -> None:
        """A problem found while building a page (a front-matter value Material cannot take)."""
        self._page_problems.setdefault(src_uri, []).append(problem)

    def retired_summary(self, doc: Document) -> str:
        """What search indexes of a retired page: its id, title and fate, not its body (SPEC §4)."""
        successor = self.doc(doc.superseded_by)
        fate = "Retired"
        if successor is not None:
            fate += f"; replaced by {successor.id} {successor.title}"
        elif doc.superseded_by:
            fate += f"; replaced by {doc.superseded_by}"
        text = f"{doc.id} · {doc.title}. {fate}."
        return f"<p>{html.escape(text, quote=False)}</p>"

    # -- deferred HTML --------------------------------------------------------------------------
    def defer(self, page_url: str, markup: str, searchable: str = "") -> str:
        """A placeholder for ``markup``, which joins the page only in its final HTML (``fill``).

        Material's search parses every tag of ``page.content`` in Python; markup that search does
        not need (header layout, warnings, quizzes) is kept out of it. ``searchable`` is the
        (already escaped) text search should see instead. Without deferral: ``markup`` itself.
        """
        if not self.deferring:
            return markup
        slots = self._deferred.setdefault(page_url, {})
        placeholder = f'<div data-sop-deferred="{len(slots)}">{searchable}</div>'
        slots[placeholder] = markup
        return placeholder

    def defer_page(self, page_url: str, content: str, searchable: str) -> str:
        """Keep ``content`` out of search (which sees ``searchable``); readers get it all.

        A leading ``<h1>`` stays in place: Material adds a second title heading to any page
        whose content has no ``<h1``.
        """
        match = _H1_END.search(content) if content.lstrip().startswith("<h1") else None
        at = match.end() if match else 0
        return content[:at] + self.defer(page_url, self.fill(content[at:], page_url), searchable)

    def fill(self, output: str, page_url: str) -> str:
        """Swap the page's placeholders for their HTML (from ``on_post_page``)."""
        for placeholder, markup in self._deferred.pop(page_url, {}).items():
            output = output.replace(placeholder, markup, 1)
        return output

    # -- pages ----------------------------------------------------------------------------------
    def with_page_sections(self, markdown: str, doc: Process | Procedure) -> str:
        """Append the Markdown headings our sections live under, so they appear in the TOC."""
        if isinstance(doc, Procedure):
            inline = {quiz for quiz, _ in doc.inline_quizzes}
            tail = [quiz for quiz in doc.quizzes if quiz not in inline]
            if not tail:
                return markdown
            markers = "\n\n".join(f"<!-- quiz: {quiz} -->" for quiz in tail)
            return f"{markdown.rstrip()}\n\n## Knowledge check\n\n{markers}\n"
        parts = [markdown.rstrip(), "## Stages and procedures", _SLOT.format("stages")]
        if doc.hands_off_to or doc.receives_from:
            parts += ["## Connected processes", _SLOT.format("handoffs")]
        return "\n\n".join(parts) + "\n"

    def decorate(self, content: str, src_uri: str, url: str) -> str:
        """Header (and banners, problems) after the h1 of the page ``src_uri`` at ``url``; fill the section slots."""
        self.page_url = url
        path = self._path_of(src_uri)
        doc = self.hub.catalog.by_src.get(src_uri)
        problems = [*(self.problems_for(path) if path else []), *self._page_problems.pop(src_uri, [])]
        if not self.show_problems:
            problems = []  # still in the build log and `sop-hub check` (SPEC §4)
        if doc is None and not problems:
            return content
        top = ""
        if doc is not None:
            header = self.render("sop-hub/header.html", doc=doc)
            top = self.defer(url, header, self.render("sop-hub/header-search.html", doc=doc))
        top += self.render("sop-hub/problems.html", problems=problems) if problems else ""
        if isinstance(doc, Process):
            top += self.render("sop-hub/process-card.html", process=doc)
            for slot in ("stages", "handoffs"):
                content = content.replace(
                    _SLOT.format(slot), self.render(f"sop-hub/process-{slot}.html", process=doc), 1
                )
        match = _H1_END.search(content)
        at = match.end() if match else 0
        content = content[:at] + top + content[at:]
        if doc is not None and self.asks_acknowledgement(doc):
            content += self.defer(url, self.acknowledgement(doc, url))
        if doc is not None:  # every procedure and process page ends with its history (SPEC §8), not searched
            history = self.render("sop-hub/history.html", history=self.hub.file_history(doc.src_uri))
            content += self.defer(url, history)
            content += self.defer(url, self.render("sop-hub/report.html", doc=doc))
        return content

    def acknowledgement(self, doc: Document, url: str) -> str:
        """The read-and-understood block at the end of a procedure (quiz.js and lr.js run it)."""
        tracks = [track.id for track in self.hub.quizzes.tracks.values() if doc.id in track.read]
        steps = next_steps("document", doc.id, self.hub, self)
        return self.render(
            "sop-hub/acknowledge.html",
            doc=doc,
            page=url,
            revision=doc.revision or page_revision(self.hub.texts.get(doc.src_uri, "")),  # SPEC §8
            tracks=" ".join(tracks),
            steps=steps,
            here=url,
        )

    def _path_of(self, src_uri: str) -> str:
        parsed = self.hub.parsed.get(src_uri)
        if parsed is not None and parsed.document is not None:
            return parsed.document.path
        if parsed is not None and parsed.problems:
            return parsed.problems[0].path
        return ""


def template_environment(*custom_dirs: str) -> jinja2.Environment:
    """A Jinja environment over ``custom_dirs`` then our templates (the first folder with a name wins)."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader([*custom_dirs, str(TEMPLATES_DIR)]), auto_reload=False)


def codespans(text: str) -> Markup:
    """Escape, then turn `code` into <code>code</code> (problem messages quote keys that way)."""
    return Markup(_CODE.sub(r"<code>\1</code>", html.escape(str(text), quote=False)))


def is_error(problem: Problem) -> bool:
    return problem.severity is Severity.ERROR
