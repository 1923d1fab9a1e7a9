"""Views of the generated review pages, from a catalog built in memory (no MkDocs)."""

from __future__ import annotations

import textwrap
from datetime import date

from sop_hub.core.catalog import build_catalog, page_url
from sop_hub.core.hub import Hub
from sop_hub.core.metadata import Source, parse_source
from sop_hub.core.model import Document
from sop_hub.core.quiz import QuizBook
from sop_hub.core.review import ReviewSettings, due_soon_from
from sop_hub.render import views

AS_OF = date(2026, 6, 15)


class FakeRenderer:
    """The part of sop_hub.render.renderer.Renderer the views use, with site-relative links."""

    page_url = "reviews/"

    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self.memo: dict[object, object] = {}

    def url_of(self, doc: Document | None) -> str | None:
        return page_url(doc.src_uri) if doc and doc.src_uri else None

    def link(self, site_url: str) -> str:
        return "../" + site_url

    def status_label(self, doc: Document) -> str:
        return doc.review_status.value

    def due_soon_from(self, doc: Document) -> str:
        return due_soon_from(doc.next_review, self.hub.catalog.settings.due_soon).isoformat() if doc.next_review else ""


def make_hub(files: dict[str, str]) -> tuple[Hub, FakeRenderer]:
    parsed = {
        src: parse_source(Source(src, f"docs/{src}", textwrap.dedent(text).lstrip())) for src, text in files.items()
    }
    catalog = build_catalog(parsed.values(), ReviewSettings(as_of=AS_OF))
    hub = Hub(catalog=catalog, quizzes=QuizBook(), parsed=parsed, texts={}, changed=set())
    return hub, FakeRenderer(hub)


def procedure(doc_id: str, owner: str, reviewed: str, backup: str | None = None, stage: str = "run") -> str:
    backup_line = f"backup_owner: {backup}\n" if backup else ""
    return (
        f"---\nid: {doc_id}\ntitle: Procedure {doc_id}\nprocess: ops\nstage: {stage}\nowner: {owner}\n"
        f"{backup_line}last_reviewed_on: {reviewed}\n---\n# {doc_id}\n"
    )


PROCESS = """
    ---
    type: process
    title: Operations
    owner: Pat Lee
    last_reviewed_on: 2026-01-10
    stages: [Plan, Run]
    hands_off_to: [finance]
    ---
    # Operations
    """
FINANCE = """
    ---
    type: process
    title: Finance
    owner: Jane Doe <jane@example.com>
    backup_owner: Pat Lee
    last_reviewed_on: 2026-03-01
    ---
    # Finance
    """


def test_needs_review_list_puts_overdue_before_due_soon_oldest_first():
    hub, renderer = make_hub(
        {
            "ops/index.md": PROCESS,
            "ops/a.md": procedure("A", "Jane Doe", "2026-04-01"),  # due 2026-07-01: due soon
            "ops/b.md": procedure("B", "Jane Doe", "2026-02-01"),  # due 2026-05-01: overdue
            "ops/c.md": procedure("C", "Jane Doe", "2026-01-15"),  # due 2026-04-15: overdue, older
            "ops/d.md": procedure("D", "Jane Doe", "2026-06-01"),  # due 2026-09-01: current
        }
    )
    view = views.reviews(hub, renderer)
    needing = [(row.doc.id, row.status) for row in view["attention"] if row.needs_review]
    assert needing == [("C", "overdue"), ("B", "overdue"), ("A", "due-soon")]
    assert view["needs_review"] == 3
    counts = {value: count for value, _label, count in view["counts"]}
    assert counts == {"overdue": 2, "due-soon": 1, "current": 2, "not-required": 0}


def test_current_documents_wait_hidden_in_the_review_list_for_the_readers_clock():
    hub, renderer = make_hub({"ops/index.md": PROCESS, "ops/d.md": procedure("D", "Jane Doe", "2026-06-01")})
    rows = views.reviews(hub, renderer)["attention"]
    current = next(row for row in rows if row.doc.id == "D")
    assert not current.needs_review
    assert current.due == date(2026, 9, 1)
    assert current.due_soon_from == "2026-08-02"


def test_reviews_group_every_document_under_its_owner():
    hub, renderer = make_hub(
        {
            "ops/index.md": PROCESS,
            "ops/a.md": procedure("A", "Jane Doe", "2026-02-01"),
            "ops/b.md": procedure("B", "Sam Roe", "2026-05-01"),
        }
    )
    groups = {person.name: [row.doc.id for row in rows] for person, rows in views.reviews(hub, renderer)["owners"]}
    assert groups == {"Jane Doe": ["A"], "Pat Lee": ["ops"], "Sam Roe": ["B"]}


def test_one_person_written_two_ways_is_one_owner_with_their_email():
    hub, renderer = make_hub(
        {
            "ops/index.md": PROCESS,
            "finance.md": FINANCE,
            "ops/a.md": procedure("A", "jane  doe", "2026-05-01"),
        }
    )
    people = {person.name: person for person in views.owners(hub, renderer)["people"]}
    jane = next(person for name, person in people.items() if name.casefold() == "jane doe")
    assert sorted(row.doc.id for row in jane.owns) == ["A", "finance"]
    assert jane.owner.email == "jane@example.com"


def test_people_who_back_up_each_other_are_a_mutual_pair():
    hub, renderer = make_hub(
        {
            "ops/index.md": PROCESS,
            "finance.md": FINANCE,  # Jane owns, Pat backs up
            "ops/a.md": procedure("A", "Pat Lee", "2026-05-01", backup="Jane Doe"),  # Pat owns, Jane backs up
            "ops/b.md": procedure("B", "Sam Roe", "2026-05-01", backup="Jane Doe"),  # one way only
        }
    )
    view = views.owners(hub, renderer)
    assert len(view["pairs"]) == 1
    pair = view["pairs"][0]
    assert {pair.first.name, pair.second.name} == {"Jane Doe", "Pat Lee"}
    covered = {row.doc.id for row in [*pair.first_covered_by_second, *pair.second_covered_by_first]}
    assert covered == {"finance", "A"}
    assert {link.id for link in pair.processes} == {"finance", "ops"}
    people = {person.name: person for person in view["people"]}
    assert people["Sam Roe"].mutual_with == []
    assert people["Jane Doe"].mutual_with == ["Pat Lee"]


def test_documents_without_backup_are_listed():
    hub, renderer = make_hub({"ops/index.md": PROCESS, "ops/a.md": procedure("A", "Sam Roe", "2026-05-01")})
    assert {row.doc.id for row in views.owners(hub, renderer)["without_backup"]} == {"ops", "A"}


def test_register_lists_each_process_then_its_procedures_in_stage_order():
    hub, renderer = make_hub(
        {
            "ops/index.md": PROCESS,
            "finance.md": FINANCE,
            "ops/z.md": procedure("Z", "Sam Roe", "2026-05-01", stage="plan"),
            "ops/a.md": procedure("A", "Sam Roe", "2026-05-01", stage="run"),
            "orphan.md": procedure("O", "Sam Roe", "2026-05-01").replace("process: ops", "process: missing"),
        }
    )
    view = views.register(hub, renderer)
    assert [row.doc.id for row in view["rows"]] == ["finance", "ops", "Z", "A", "O"]
    assert view["csv_url"] == "../register.csv"


def test_processes_view_lists_handoffs_for_the_map_and_as_text():
    hub, renderer = make_hub(
        {"ops/index.md": PROCESS, "finance.md": FINANCE, "other.md": FINANCE.replace("Finance", "Other")}
    )
    view = views.processes(hub, renderer)
    assert [(source.id, target.id) for source, target in view["handoffs"]] == [("ops", "finance")]
    assert [link.id for link in view["unconnected"]] == ["other"]
    assert 'data-process="ops"' in view["map"]
