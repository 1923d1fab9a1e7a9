"""Views of the generated review pages: plain data, computed once, that the page templates lay out.

Each public function takes the hub and the page's renderer (for links relative to the page being
rendered) and returns the ``view`` its template ``templates/sop-hub/page-<key>.html`` reads.
Rows that show a review status carry the next-review date, so ``assets/sop-hub.js`` re-checks
them on the reader's clock.

People are matched by name (case and spacing ignored): ``Jane Doe`` and ``Jane Doe <jane@…>``
are one person, shown with the e-mail and role found on any of their documents.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from markupsafe import Markup, escape

from sop_hub.core.catalog import page_url, review_sort_key
from sop_hub.core.hub import Hub
from sop_hub.core.model import Owner, Procedure, Process, ReviewStatus, Stage, slugify
from sop_hub.render import diagram

if TYPE_CHECKING:
    from sop_hub.render.renderer import Renderer

STATUS_ORDER = (ReviewStatus.OVERDUE, ReviewStatus.DUE_SOON, ReviewStatus.CURRENT, ReviewStatus.NOT_REQUIRED)
COUNT_LABELS = {
    ReviewStatus.OVERDUE: "Overdue",
    ReviewStatus.DUE_SOON: "Due soon",
    ReviewStatus.CURRENT: "Current",
    ReviewStatus.NOT_REQUIRED: "No review due",
}
NO_OWNER = "No owner named"


@dataclass(slots=True)
class Link:
    title: str
    url: str | None
    id: str


@dataclass(slots=True)
class Row:
    """One document as the review pages list it."""

    doc: Process | Procedure
    url: str | None
    kind: str
    process: Link | None
    stage: str | None
    owner: Owner | None
    backup: Owner | None
    status: str  # ReviewStatus value at build time
    label: str
    due: date | None
    due_soon_from: str
    needs_review: bool  # overdue or due soon at build time
    # Ready-made HTML (escaped here): a listing has thousands of rows, and three Jinja macro calls
    # per row cost more than the rest of the page at 1000 SOPs.
    attrs: Markup = field(default_factory=Markup)  # the data-review-* hooks assets/sop-hub.js re-checks
    link: Markup = field(default_factory=Markup)  # title (linked) and id
    badge: Markup = field(default_factory=Markup)


@dataclass(slots=True)
class Person:
    key: str
    owner: Owner  # merged: the e-mail and role found on any of the person's documents
    anchor: str
    owns: list[Row] = field(default_factory=list)
    backs_up: list[Row] = field(default_factory=list)
    stages: list[tuple[Link, str]] = field(default_factory=list)  # (process, stage title)
    mutual_with: list[str] = field(default_factory=list)  # names

    @property
    def name(self) -> str:
        return self.owner.name


@dataclass(slots=True)
class MutualPair:
    """Two people who back up each other's documents: when both are away, these have no cover."""

    first: Person
    second: Person
    first_covered_by_second: list[Row]
    second_covered_by_first: list[Row]
    processes: list[Link]  # processes owned by either of them


@dataclass(slots=True)
class ProcessEntry:
    process: Process
    link: Link
    row: Row
    stages: list[tuple[Stage, int]]  # each stage with its number of procedures
    unstaged: int
    procedures: int
    counts: dict[str, int]
    hands_off_to: list[Link]
    receives_from: list[Link]


# -- the four pages --------------------------------------------------------------------------------


def processes(hub: Hub, renderer: Renderer) -> dict[str, Any]:
    """Every process with its stage flow, and the map of hand-offs between them."""
    catalog = hub.catalog
    entries = []
    for process in catalog.processes:
        procedures = _procedures_of(process)
        counts = {status.value: 0 for status in STATUS_ORDER}
        for procedure in procedures:
            counts[procedure.review_status.value] += 1
        entries.append(
            ProcessEntry(
                process=process,
                link=_link(process, renderer),
                row=_row(process, hub, renderer),
                stages=[(stage, len(stage.procedures)) for stage in process.stages],
                unstaged=len(process.procedures),
                procedures=len(procedures),
                counts=counts,
                hands_off_to=[_process_link(pid, hub, renderer) for pid in process.hands_off_to],
                receives_from=[_process_link(pid, hub, renderer) for pid in process.receives_from],
            )
        )
    known = catalog.processes_by_id
    handoffs = [
        (entry.link, target)
        for entry in entries
        for target in entry.hands_off_to
        if target.id in known and target.id != entry.process.id
    ]
    nodes = [
        diagram.Node(
            id=entry.process.id,
            label=entry.process.title,
            href=entry.link.url,
            note=entry.process.owner.name if entry.process.owner else "",
        )
        for entry in entries
    ]
    drawn = diagram.draw(
        nodes,
        [(source.id, target.id) for source, target in handoffs],
        title="Hand-offs between processes",
        desc=f"{len(nodes)} processes; an arrow points from a process to the one that receives its output. "
        "The same hand-offs are listed as text after the map.",
    )
    connected = {link.id for pair in handoffs for link in pair}
    return {
        "processes": entries,
        "procedures": sum(entry.procedures for entry in entries),
        "map": Markup(drawn.svg) if handoffs else None,
        "map_width": drawn.width,
        "handoffs": handoffs,
        "unconnected": [entry.link for entry in entries if entry.process.id not in connected],
    }


def reviews(hub: Hub, renderer: Renderer) -> dict[str, Any]:
    """Counts by status; what needs review, oldest first; then everything by owner."""
    rows = [_row(doc, hub, renderer) for doc in hub.catalog.documents]
    counts = {status: 0 for status in STATUS_ORDER}
    for row in rows:
        counts[ReviewStatus(row.status)] += 1
    # Every document with a review date, oldest first: overdue ones come before due-soon ones by
    # construction. Current ones are in the list but hidden, so the script can show a document
    # that falls due after the build (the site still warns when read months later).
    # An active document without a readable date is overdue and leads the list (review_sort_key).
    dated = sorted(
        (row for row in rows if row.due is not None or row.needs_review), key=lambda r: review_sort_key(r.doc)
    )
    people = _people(rows, renderer)
    as_of = hub.catalog.settings.as_of
    return {
        "as_of": hub.catalog.settings.as_of.isoformat(),
        "counts": [(status.value, COUNT_LABELS[status], counts[status]) for status in STATUS_ORDER],
        "total": len(rows),
        "attention": dated,
        # Days overdue at build time, by page (the reviews page's "How late" column).
        "late": {row.doc.src_uri: max((as_of - row.due).days, 0) for row in dated if row.due is not None},
        "needs_review": sum(1 for row in dated if row.needs_review),
        "owners": [(person, sorted(person.owns, key=_review_order)) for person in people if person.owns],
    }


def owners(hub: Hub, renderer: Renderer) -> dict[str, Any]:
    """Each person with what they own and back up; mutual backup pairs first, as a cover risk."""
    rows = [_row(doc, hub, renderer) for doc in hub.catalog.documents]
    people = _people(rows, renderer)
    by_key = {person.key: person for person in people}
    for process in hub.catalog.processes:
        for stage in process.stages:
            if stage.owner is not None:
                person = _person_for(stage.owner, by_key, people, renderer)
                person.stages.append((_link(process, renderer), stage.title))
    pairs = _mutual_pairs(people, by_key, rows)
    return {
        "people": [person for person in people if person.key != _key(NO_OWNER)],
        "unowned": by_key[_key(NO_OWNER)].owns if _key(NO_OWNER) in by_key else [],
        "pairs": pairs,
        "without_backup": [row for row in rows if row.backup is None and row.doc.status.value == "active"],
    }


def register(hub: Hub, renderer: Renderer) -> dict[str, Any]:
    """The master document register, grouped by process (then stage order) until the reader sorts it."""
    ordered: list[Process | Procedure] = []
    for process in hub.catalog.processes:
        if not process.placeholder:
            ordered.append(process)
        # Retired documents last in their group: they are kept for reference, not for use.
        ordered.extend(sorted(_procedures_of(process), key=lambda doc: doc.status.value == "retired"))
    listed = {id(doc) for doc in ordered}
    ordered += [doc for doc in hub.catalog.documents if id(doc) not in listed]
    return {
        "rows": [_row(doc, hub, renderer) for doc in ordered],
        "as_of": hub.catalog.settings.as_of.isoformat(),
        "csv_url": renderer.link("register.csv"),
        "json_url": renderer.link("register.json"),
        "files": bool(getattr(renderer, "register_files", True)),
    }


# -- helpers ----------------------------------------------------------------------------------------


def _procedures_of(process: Process) -> list[Procedure]:
    return [*(p for stage in process.stages for p in stage.procedures), *process.procedures]


def _link(doc: Process | Procedure, renderer: Renderer) -> Link:
    return Link(doc.title, renderer.url_of(doc), doc.id)


def _process_link(process_id: str, hub: Hub, renderer: Renderer) -> Link:
    process = hub.catalog.processes_by_id.get(process_id)
    if process is None:
        return Link(process_id, None, process_id)
    return _link(process, renderer)


def _row(doc: Process | Procedure, hub: Hub, renderer: Renderer) -> Row:
    """One document's row; made once per build for all listing pages in the same folder."""
    key = (doc.src_uri, doc.id, renderer.page_url.rpartition("/")[0])
    row = renderer.memo.get(key)
    if row is None:
        row = renderer.memo[key] = _new_row(doc, hub, renderer)
    return cast(Row, row)


def _new_row(doc: Process | Procedure, hub: Hub, renderer: Renderer) -> Row:
    process = hub.catalog.process_of(doc) if isinstance(doc, Procedure) else None
    stage = hub.catalog.stage_of(doc) if isinstance(doc, Procedure) else None
    status = doc.review_status
    row = Row(
        doc=doc,
        url=renderer.url_of(doc),
        kind=doc.kind,
        process=_link(process, renderer) if process else None,
        stage=stage.title if stage else None,
        owner=doc.owner,
        backup=doc.backup_owner,
        status=status.value,
        label=renderer.status_label(doc),
        due=doc.next_review,
        due_soon_from=renderer.due_soon_from(doc),
        needs_review=status in (ReviewStatus.OVERDUE, ReviewStatus.DUE_SOON),
    )
    doc_id, title = escape(doc.id), escape(doc.title)
    row.attrs = Markup(
        f'data-sop-ref="{doc_id}" data-review-status="{escape(row.status)}" '
        f'data-review-by="{escape(row.due or "")}" data-due-soon-from="{escape(row.due_soon_from)}"'
    )
    linked = Markup(f'<a href="{escape(row.url)}">{title}</a>') if row.url else title
    row.link = Markup(f'{linked} <code class="sop-id">{doc_id}</code>')
    row.badge = Markup(
        f'<span class="sop-badge sop-badge--{escape(row.status)}" data-sop-badge>{escape(row.label)}</span>'
    )
    return row


def _review_order(row: Row) -> tuple[int, date, str]:
    return (STATUS_ORDER.index(ReviewStatus(row.status)), row.due or date.max, row.doc.title.casefold())


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _people(rows: list[Row], renderer: Renderer) -> list[Person]:
    """Everyone who owns or backs up a document, by name; "No owner named" collects the unowned."""
    people: list[Person] = []
    by_key: dict[str, Person] = {}
    for row in rows:
        owner = row.owner or Owner(NO_OWNER)
        _person_for(owner, by_key, people, renderer).owns.append(row)
        if row.backup is not None:
            _person_for(row.backup, by_key, people, renderer).backs_up.append(row)
    people.sort(key=lambda p: (p.key == _key(NO_OWNER), p.key))
    return people


def _person_for(owner: Owner, by_key: dict[str, Person], people: list[Person], renderer: Renderer) -> Person:
    key = _key(owner.name)
    person = by_key.get(key)
    if person is None:
        directory = getattr(renderer, "people", None)  # render/people.py: the anchors every page links to
        if directory is not None and key != _key(NO_OWNER):
            anchor = directory.anchor(owner)
            owner = directory.of(owner)
        else:
            used = {p.anchor for p in people}
            anchor = base = "person-" + (slugify(owner.name) or "unnamed")
            suffix = 2
            while anchor in used:
                anchor, suffix = f"{base}-{suffix}", suffix + 1
        person = by_key[key] = Person(key=key, owner=owner, anchor=anchor)
        people.append(person)
    elif (owner.email and not person.owner.email) or (owner.role and not person.owner.role):
        person.owner = Owner(person.owner.name, person.owner.email or owner.email, person.owner.role or owner.role)
    return person


def _mutual_pairs(people: list[Person], by_key: dict[str, Person], rows: list[Row]) -> list[MutualPair]:
    """Pairs of people each named as backup on a document the other owns.

    There is no "critical" key: a document whose author named a backup owner is one that must
    not stop when its owner is away, so every such document counts. When both people of a pair
    are away at once, the documents they cover for each other have nobody to pick them up.
    """
    covered: dict[tuple[str, str], list[Row]] = {}  # (owner key, backup key) -> rows
    for row in rows:
        if row.owner is None or row.backup is None or row.doc.status.value == "retired":
            continue
        owner, backup = _key(row.owner.name), _key(row.backup.name)
        if owner != backup:
            covered.setdefault((owner, backup), []).append(row)
    pairs = []
    for (a, b), a_rows in sorted(covered.items()):
        if a < b and (b, a) in covered:
            first, second = by_key[a], by_key[b]
            first.mutual_with.append(second.name)
            second.mutual_with.append(first.name)
            owned = [
                row for row in rows if isinstance(row.doc, Process) and row.owner and _key(row.owner.name) in (a, b)
            ]
            pairs.append(
                MutualPair(
                    first=first,
                    second=second,
                    first_covered_by_second=a_rows,
                    second_covered_by_first=covered[(b, a)],
                    processes=[Link(row.doc.title, row.url, row.doc.id) for row in owned],
                )
            )
    return pairs


def hub_counts(hub: Hub, renderer: Renderer) -> dict[str, Any]:
    """The hub in numbers, for a ``<!-- sop-hub: counts -->`` marker (the demo's home page).

    Counted from the catalog when the site is built (the reviews page they link to re-checks
    each document on the reader's own clock).
    """
    counts = {status: 0 for status in STATUS_ORDER}
    for doc in hub.catalog.documents:
        counts[doc.review_status] += 1
    links = {}
    for src_uri, key in getattr(renderer, "generated", {}).items():
        if key in ("processes", "reviews", "register", "onboarding", "changes", "owners"):
            links[key] = renderer.link(page_url(src_uri, renderer.directory_urls))
    return {
        "as_of": hub.catalog.settings.as_of.isoformat(),
        "processes": sum(1 for process in hub.catalog.processes if not process.placeholder),
        "procedures": len(hub.catalog.procedures),
        "tracks": len(hub.quizzes.tracks),
        "counts": [(status.value, COUNT_LABELS[status], counts[status]) for status in STATUS_ORDER],
        "links": links,
    }
