"""One rendering of a person everywhere: their name linked to their entry on the owners page, and
their e-mail when any document gives it (the catalog merges what documents say, core.catalog.people).

Also the "Report a problem with this page" link of procedure and process pages: a new issue in the
site's repository when ``repo_url`` is a GitHub or GitLab address, else an e-mail to the owner.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlsplit

from markupsafe import Markup, escape

from sop_hub.core.catalog import Catalog, people, person_key
from sop_hub.core.model import Document, Owner, slugify


@dataclass(frozen=True, slots=True)
class ReportLink:
    url: str
    via: str  # how the report travels, for the reader: "e-mail to Jane Doe", "new GitHub issue"


class People:
    """The hub's people, merged by name, with stable anchors on the owners page."""

    def __init__(self, catalog: Catalog) -> None:
        self.merged = people(catalog)
        self.anchors: dict[str, str] = {}
        used: set[str] = set()
        for key in sorted(self.merged):  # sorted: an anchor does not move when pages are added elsewhere
            anchor = base = "person-" + (slugify(self.merged[key].name) or "unnamed")
            suffix = 2
            while anchor in used:
                anchor, suffix = f"{base}-{suffix}", suffix + 1
            used.add(anchor)
            self.anchors[key] = anchor

    def of(self, owner: Owner) -> Owner:
        """The person as the whole hub knows them (with an e-mail any document gives, this one too)."""
        known = self.merged.get(person_key(owner.name))
        if known is None:
            return owner
        if (owner.email and not known.email) or (owner.role and not known.role):
            return Owner(known.name, known.email or owner.email, known.role or owner.role)
        return known

    def listed(self, owner: Owner) -> bool:
        """Whether the owners page has an entry for this person (approvers and reviewers may not)."""
        return person_key(owner.name) in self.merged

    def anchor(self, owner: Owner) -> str:
        return self.anchors.get(person_key(owner.name)) or "person-" + (slugify(owner.name) or "unnamed")

    def html(self, owner: Owner | None, owners_page: str | None) -> Markup:
        """``owners_page``: a link from the current page to the owners page (None: no such page)."""
        if owner is None:
            return Markup('<span class="sop-none">not named</span>')
        person = self.of(owner)
        name = escape(person.name)
        title = Markup(f' title="{escape(person.role)}"') if person.role else Markup("")
        if owners_page is not None and self.listed(person):
            href = f"{escape(owners_page)}#{escape(self.anchor(person))}"
            out = Markup(f'<a class="sop-person-ref" href="{href}"{title}>{name}</a>')
        else:
            out = Markup(f'<span class="sop-person-ref"{title}>{name}</span>')
        if person.email:
            out += Markup(
                f' <a class="sop-mail" href="mailto:{escape(person.email)}" title="E-mail {escape(person.email)}">'
                f'<span aria-hidden="true">✉</span><span class="sop-visually-hidden">e-mail {name}</span></a>'
            )
        return out

    def report(self, doc: Document, repo_url: str | None, page_url: str = "") -> ReportLink | None:
        """Where a reader reports a problem with ``doc``'s page (None: nowhere to send it)."""
        revision = doc.revision or doc.version  # the revision in force (SPEC §8)
        subject = f"[{doc.id}{f' rev {revision}' if revision else ''}] Problem with {doc.title}"
        body = (
            f"Document: {doc.id}\nRevision: {revision or '(not given)'}\n"
            + (f"Version: {doc.version}\n" if doc.version else "")
            + f"Title: {doc.title}\n"
            + (f"Page: {page_url}\n" if page_url else "")
            + "\nWhat is wrong (and where on the page):\n"
        )
        issue = _issue_url(repo_url, subject, body) if repo_url else None
        if issue is not None:
            return issue
        owner = self.of(doc.owner) if doc.owner else None
        if owner is None or not owner.email:
            return None
        query = urlencode({"subject": subject, "body": body}, quote_via=quote)
        return ReportLink(f"mailto:{quote(owner.email, safe='@.+-_')}?{query}", f"e-mail to {owner.name}")


def _issue_url(repo_url: str, title: str, body: str) -> ReportLink | None:
    """A prefilled new-issue URL for GitHub (``/issues/new?title=&body=``) or GitLab
    (``/-/issues/new?issue[title]=&issue[description]=``); None for other hosts."""
    parts = urlsplit(repo_url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    base = f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"
    if base.endswith(".git"):
        base = base[:-4]
    host = parts.netloc.casefold()
    if "github" in host:
        return ReportLink(
            f"{base}/issues/new?{urlencode({'title': title, 'body': body}, quote_via=quote)}", "new GitHub issue"
        )
    if "gitlab" in host:
        query = urlencode({"issue[title]": title, "issue[description]": body}, quote_via=quote)
        return ReportLink(f"{base}/-/issues/new?{query}", "new GitLab issue")
    return None
