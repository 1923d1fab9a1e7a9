"""Learning records -> the training matrix (SPEC §9). Pure core: no MkDocs, no HTTP, no HTML.

The browser sends xAPI 1.0.3 statements to a Learning Record Store; ``sop-hub training`` reads
them back and hands them here with the current catalog (quizzes and documents with their current
revisions, tracks with their quizzes and readings). The statements the matrix understands:

- a checked quiz: verb ``http://adlnet.gov/expapi/verbs/passed`` or ``.../failed``, object id
  ``<site_url>sop-hub/quiz/<quiz id>``, ``result.score`` (``scaled``, or ``raw`` and ``max``);
- an acknowledged procedure: verb ``http://activitystrea.ms/schema/1.0/acknowledge`` (Activity
  Streams 1.0 "acknowledged", listed in the xAPI vocabulary and registry; neither ADL's verbs
  ``http://adlnet.gov/expapi/verbs/*`` nor ``https://w3id.org/xapi/adl/verbs/*`` has an
  acknowledging verb), object id ``<site_url>sop-hub/document/<doc id>``;
- both: actor ``{"name", "mbox": "mailto:..."}`` (the learner is the mbox, case-insensitive),
  ``timestamp`` (the date is taken in the statement's own offset: the learner's day), context
  ``contextActivities.parent`` = the procedure page (``<site_url><page url>``), ``grouping`` =
  the tracks, and the extension ``<site_url>sop-hub/revision`` = ``{"quiz": ..., "page": ...}``,
  the revisions the learner saw (an acknowledgement needs only ``page``).

Anything else in the same LRS (other tools' statements, other verbs, items no longer in the hub,
malformed statements) is ignored and counted, never fatal. The same statement id twice counts once.

Revisions: a quiz's is ``Quiz.revision``; a page's and a document's come from the caller (a
mapping doc id -> current revision), since document control (SPEC §8) supplies them;
``content_revisions`` gives today's content revision, the one quiz.js compares with.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import unquote

from sop_hub.core.catalog import page_url
from sop_hub.core.hub import Hub
from sop_hub.core.model import DocStatus
from sop_hub.core.quiz import page_revision

VERB_PASSED = "http://adlnet.gov/expapi/verbs/passed"
VERB_FAILED = "http://adlnet.gov/expapi/verbs/failed"
VERB_ACKNOWLEDGED = "http://activitystrea.ms/schema/1.0/acknowledge"
VERBS = (VERB_PASSED, VERB_FAILED, VERB_ACKNOWLEDGED)
HUB_PATH = "sop-hub/"  # under site_url: quiz/<id>, document/<id>, track/<id>, revision

# Item statuses (the JSON values).
PASSED, FAILED, ACKNOWLEDGED = "passed", "failed", "acknowledged"
REFRESH, NOT_STARTED = "refresh-needed", "not-started"

# Why a statement was left out (the keys of ``Matrix.ignored``).
FOREIGN = "other tools or verbs"
UNKNOWN = "about items no longer in the hub"
MALFORMED = "malformed"


# -- the catalog ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QuizItem:
    id: str
    title: str
    revision: str
    pages: Mapping[str, str] = field(default_factory=dict)  # site-relative URL of each page embedding it -> revision


@dataclass(frozen=True, slots=True)
class DocumentItem:
    id: str
    title: str
    revision: str
    url: str = ""  # site-relative
    expected: bool = False  # asks for acknowledgement (`acknowledge: true`) or a track lists it under `read:`


@dataclass(frozen=True, slots=True)
class TrackItem:
    id: str
    title: str
    quizzes: tuple[str, ...] = ()
    read: tuple[str, ...] = ()  # document ids


@dataclass(slots=True)
class TrainingCatalog:
    """What the matrix is joined with. ``site_url`` ends with ``/``; empty when the hub has none
    (then a statement about ``…/sop-hub/quiz/<id>`` on any host counts)."""

    site_url: str
    quizzes: dict[str, QuizItem] = field(default_factory=dict)
    documents: dict[str, DocumentItem] = field(default_factory=dict)
    tracks: dict[str, TrackItem] = field(default_factory=dict)


def normalise_site_url(site_url: str | None) -> str:
    text = (site_url or "").strip()
    return text if not text or text.endswith("/") else text + "/"


def content_revisions(hub: Hub) -> dict[str, str]:
    """doc id -> the content revision of its page (``page_revision``), what quiz pages stamp today."""
    return {doc.id: page_revision(hub.texts.get(doc.src_uri, "")) for doc in hub.catalog.procedures}


def catalog_from_hub(
    hub: Hub,
    *,
    site_url: str | None,
    revisions: Mapping[str, str],
    directory_urls: bool = True,
    acknowledge_all: bool = False,
) -> TrainingCatalog:
    """The training catalog of a loaded hub: every quiz, every procedure that is not retired
    (marked ``expected`` when it asks for acknowledgement or a track lists it), every track."""
    procedures = [doc for doc in hub.catalog.procedures if doc.status is not DocStatus.RETIRED]
    tracks = {
        track.id: TrackItem(
            track.id,
            track.title,
            tuple(track.quizzes),
            tuple(getattr(track, "read", ()) or ()),  # `read:` arrives with issue 9 item 2
        )
        for track in hub.quizzes.tracks.values()
    }
    read = {doc_id for track in tracks.values() for doc_id in track.read}
    pages: dict[str, dict[str, str]] = {}
    documents: dict[str, DocumentItem] = {}
    for doc in procedures:
        url = page_url(doc.src_uri, directory_urls)
        revision = revisions.get(doc.id, "")
        for quiz_id in doc.all_quizzes:
            pages.setdefault(quiz_id, {})[url] = revision
        asks = acknowledge_all or bool(getattr(doc, "acknowledge", False))  # `acknowledge:` (issue 9 item 1)
        documents[doc.id] = DocumentItem(doc.id, doc.title, revision, url, expected=asks or doc.id in read)
    quizzes = {
        quiz.id: QuizItem(quiz.id, quiz.title, quiz.revision, pages.get(quiz.id, {}))
        for quiz in hub.quizzes.quizzes.values()
    }
    return TrainingCatalog(normalise_site_url(site_url), quizzes, documents, tracks)


# -- statements ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Event:
    """One understood statement."""

    statement_id: str
    email: str  # as written, without `mailto:`
    name: str
    kind: str  # "quiz" | "document"
    item: str
    verb: str
    when: datetime
    score: int | None  # percent
    quiz_revision: str | None
    page_revision: str | None
    page: str | None  # site-relative URL of the page it was taken on

    @property
    def day(self) -> date:
        return self.when.date()


class Ignored(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def read_statement(statement: Any, catalog: TrainingCatalog) -> Event:
    """The event a statement records; ``Ignored`` (with the reason) when it is not one of ours."""
    if not isinstance(statement, dict):
        raise Ignored(MALFORMED)
    verb = _get(statement, "verb", "id")
    object_id = _get(statement, "object", "id")
    if not isinstance(verb, str) or not isinstance(object_id, str):
        raise Ignored(MALFORMED)
    found = _hub_item(object_id, catalog.site_url)
    if found is None or verb not in VERBS:
        raise Ignored(FOREIGN)
    base, kind, item = found
    if (kind == "quiz") == (verb == VERB_ACKNOWLEDGED):
        raise Ignored(FOREIGN)  # a quiz acknowledged or a document passed: not a statement we send
    if (kind == "quiz" and item not in catalog.quizzes) or (kind == "document" and item not in catalog.documents):
        raise Ignored(UNKNOWN)
    mbox = _get(statement, "actor", "mbox")
    when = _when(statement.get("timestamp")) or _when(statement.get("stored"))
    statement_id = statement.get("id")
    if not isinstance(mbox, str) or not mbox.lower().startswith("mailto:") or "@" not in mbox or when is None:
        raise Ignored(MALFORMED)
    name = _get(statement, "actor", "name")
    revisions = _get(statement, "context", "extensions", base + HUB_PATH + "revision")
    if not isinstance(revisions, dict):
        revisions = {}
    return Event(
        statement_id=statement_id if isinstance(statement_id, str) else "",
        email=mbox[len("mailto:") :].strip(),
        name=name.strip() if isinstance(name, str) else "",
        kind=kind,
        item=item,
        verb=verb,
        when=when,
        score=_score(_get(statement, "result", "score")),
        quiz_revision=_text(revisions.get("quiz")),
        page_revision=_text(revisions.get("page")),
        page=_parent_page(statement, base),
    )


def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _hub_item(object_id: str, site_url: str) -> tuple[str, str, str] | None:
    """(site base, "quiz"|"document", id) for ``<base>sop-hub/quiz/<id>`` and ``.../document/<id>``."""
    if site_url:
        if not object_id.startswith(site_url + HUB_PATH):
            return None
        base, rest = site_url, object_id[len(site_url) + len(HUB_PATH) :]
    else:
        at = object_id.rfind("/" + HUB_PATH)
        if at < 0 or "://" not in object_id[:at]:
            return None
        base, rest = object_id[: at + 1], object_id[at + 1 + len(HUB_PATH) :]
    kind, _, item = rest.partition("/")
    if kind not in ("quiz", "document") or not item:
        return None
    return base, kind, unquote(item)


def _when(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        return None


def _score(score: Any) -> int | None:
    """A percentage from ``scaled`` (or ``raw``/``max``), clamped to 0..100; None when absent or garbage."""
    if not isinstance(score, dict):
        return None

    def number(key: str) -> float | None:
        value = score.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            return None
        return float(value)

    scaled, raw, top = number("scaled"), number("raw"), number("max")
    if scaled is None and raw is not None and top:
        scaled = raw / top
    if scaled is None:
        return None
    return max(0, min(100, round(scaled * 100)))


def _parent_page(statement: dict[str, Any], base: str) -> str | None:
    parents = _get(statement, "context", "contextActivities", "parent")
    if isinstance(parents, dict):
        parents = [parents]
    if not isinstance(parents, list):
        return None
    for parent in parents:
        parent_id = _get(parent, "id")
        if isinstance(parent_id, str) and parent_id.startswith(base):
            return parent_id[len(base) :].split("#", 1)[0]
    return None


# -- the matrix ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ItemStatus:
    kind: str  # "quiz" | "document"
    id: str
    title: str
    status: str  # passed | failed | refresh-needed | not-started (quiz); acknowledged | refresh-needed | not-started
    date: date | None = None  # of the pass or acknowledgement shown; of the latest attempt when failed
    score: int | None = None  # percent: of that pass; the best when failed
    revision: str | None = None  # the quiz's (quiz) or the document's (document) revision it was done on

    @property
    def done(self) -> bool:
        return self.status in (PASSED, ACKNOWLEDGED)


@dataclass(frozen=True, slots=True)
class TrackStatus:
    id: str
    title: str
    done: int
    total: int
    date: date | None = None  # when complete: the date of the last item done

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done == self.total


@dataclass(slots=True)
class Learner:
    name: str
    email: str
    items: list[ItemStatus]
    tracks: list[TrackStatus]

    def item(self, kind: str, item_id: str) -> ItemStatus | None:
        return next((item for item in self.items if item.kind == kind and item.id == item_id), None)


@dataclass(slots=True)
class Matrix:
    as_of: date
    catalog: TrainingCatalog
    learners: list[Learner]
    columns: list[tuple[str, str]]  # (kind, id) of every item, in order: quizzes, then documents
    ignored: Counter[str] = field(default_factory=Counter)
    read: int = 0  # statements looked at

    def note(self) -> str | None:
        """One line about the statements left out, or None when none were."""
        total = sum(self.ignored.values())
        if not total:
            return None
        parts = ", ".join(f"{count} {reason}" for reason, count in sorted(self.ignored.items()))
        return f"{total} of {self.read} statements ignored ({parts})"


def training_matrix(statements: Iterable[Any], catalog: TrainingCatalog, as_of: date) -> Matrix:
    """Join statements with the catalog: one row per learner (ordered by name, then email)."""
    ignored: Counter[str] = Counter()
    seen: set[str] = set()
    by_learner: dict[str, list[Event]] = {}
    count = 0
    for statement in statements:
        count += 1
        try:
            event = read_statement(statement, catalog)
        except Ignored as why:
            ignored[why.reason] += 1
            continue
        if event.statement_id:
            if event.statement_id in seen:
                continue  # the same statement returned twice: once
            seen.add(event.statement_id)
        by_learner.setdefault(event.email.casefold(), []).append(event)
    acknowledged = {e.item for events in by_learner.values() for e in events if e.kind == "document"}
    columns = [("quiz", quiz_id) for quiz_id in catalog.quizzes]
    columns += [("document", doc.id) for doc in catalog.documents.values() if doc.expected or doc.id in acknowledged]
    learners = [_learner(events, catalog, columns) for events in by_learner.values()]
    learners.sort(key=lambda learner: (learner.name.casefold(), learner.email.casefold()))
    return Matrix(as_of, catalog, learners, columns, ignored, count)


def _learner(events: list[Event], catalog: TrainingCatalog, columns: list[tuple[str, str]]) -> Learner:
    events.sort(key=lambda e: e.when)
    latest = events[-1]
    by_item: dict[tuple[str, str], list[Event]] = {}
    for event in events:
        by_item.setdefault((event.kind, event.item), []).append(event)
    items = []
    for kind, item_id in columns:
        found = by_item.get((kind, item_id), [])
        if kind == "quiz":
            items.append(_quiz_status(catalog.quizzes[item_id], found))
        else:
            items.append(_document_status(catalog.documents[item_id], found))
    status = {(item.kind, item.id): item for item in items}
    tracks = []
    for track in catalog.tracks.values():
        wanted = [("quiz", q) for q in track.quizzes if q in catalog.quizzes]
        wanted += [("document", d) for d in track.read if d in catalog.documents]
        done = [status[key] for key in wanted if key in status and status[key].done]
        dates = [item.date for item in done if item.date]
        complete = bool(wanted) and len(done) == len(wanted)
        finished = max(dates) if complete and dates else None
        tracks.append(TrackStatus(track.id, track.title, len(done), len(wanted), finished))
    name = next((e.name for e in reversed(events) if e.name), "")
    return Learner(name, latest.email, items, tracks)


def _quiz_status(quiz: QuizItem, events: list[Event]) -> ItemStatus:
    """As quiz.js judges a stored result: stale when the quiz changed, or the page it was taken on
    still embeds it and changed."""

    def current(e: Event) -> bool:
        page_changed = e.page in quiz.pages and e.page_revision != quiz.pages[e.page or ""]
        return e.quiz_revision == quiz.revision and not page_changed

    passes = [e for e in events if e.verb == VERB_PASSED]
    fresh = [e for e in passes if current(e)]
    if fresh or passes:
        last = (fresh or passes)[-1]
        status = PASSED if fresh else REFRESH
        return ItemStatus("quiz", quiz.id, quiz.title, status, last.day, last.score, last.quiz_revision)
    if events:
        best = max((e.score for e in events if e.score is not None), default=None)
        last = events[-1]
        return ItemStatus("quiz", quiz.id, quiz.title, FAILED, last.day, best, last.quiz_revision)
    return ItemStatus("quiz", quiz.id, quiz.title, NOT_STARTED)


def _document_status(doc: DocumentItem, events: list[Event]) -> ItemStatus:
    if not events:
        return ItemStatus("document", doc.id, doc.title, NOT_STARTED)
    fresh = [e for e in events if e.page_revision == doc.revision]
    last = (fresh or events)[-1]
    status = ACKNOWLEDGED if fresh else REFRESH
    return ItemStatus("document", doc.id, doc.title, status, last.day, None, last.page_revision)
