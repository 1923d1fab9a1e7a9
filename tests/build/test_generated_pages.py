"""The generated review pages (processes, reviews, owners, register) and the register files, built
with the real MkDocs from one small hub (built once for the module)."""

from __future__ import annotations

import csv
import io
import json
import re
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from sop_hub.core.hub import load_hub, markdown_pages, settings_from
from sop_hub.core.report import REGISTER_COLUMNS, report
from tests.conftest import AS_OF, BASE_CONFIG, build_project

HOSTILE = "<script>alert(1)</script>"
HOSTILE_PERSON = '{name: "<script>alert(1)</script>", role: "<b>bold</b>"}'
GENERATED = ("processes/", "reviews/", "owners/", "register/")


def procedure(doc_id: str, title: str, owner: str, reviewed: str, backup: str | None = None, stage: str = "run") -> str:
    lines = [f"id: {doc_id}", f"title: {json.dumps(title)}", "process: ops", f"stage: {stage}", f"owner: {owner}"]
    if backup:
        lines.append(f"backup_owner: {backup}")
    lines.append(f"last_reviewed_on: {reviewed}")
    return "---\n" + "\n".join(lines) + f"\n---\n# {title}\n\n1. Do it.\n"


FILES = {
    "docs/index.md": "# Welcome\n",
    "docs/ops/index.md": """
        ---
        type: process
        title: Operations
        owner: Pat Lee <pat@example.com>
        backup_owner: Jane Doe
        last_reviewed_on: 2026-01-10
        stages: [Plan, Run]
        hands_off_to: [finance]
        ---
        # Operations
        """,
    "docs/finance/index.md": """
        ---
        type: process
        title: Finance
        owner: Jane Doe
        backup_owner: Pat Lee
        last_reviewed_on: 2026-03-01
        hands_off_to: [ops]
        ---
        # Finance
        """,
    # as of 2026-06-15 (3-month reviews): due 2026-07-01 (due soon), 2026-05-01 and 2026-04-15 (overdue),
    # 2026-09-01 (current).
    "docs/ops/due-soon.md": procedure("SOP-A", "Due soon one", "Jane Doe", "2026-04-01", backup="Pat Lee"),
    "docs/ops/overdue.md": procedure("SOP-B", "Overdue one", "Jane Doe", "2026-02-01", stage="plan"),
    "docs/ops/oldest.md": procedure("SOP-C", "Oldest overdue", "Sam Roe", "2026-01-15"),
    "docs/ops/current.md": procedure("SOP-D", "Current one", HOSTILE_PERSON, "2026-06-01", backup=HOSTILE_PERSON),
    "docs/audit.md": (
        f"---\ntype: process\ntitle: Audit\nowner: {HOSTILE_PERSON}\nlast_reviewed_on: 2026-03-01\n---\n# Audit\n"
    ),
}


def write_project(root: Path, plugin: dict[str, object] | None = None) -> Path:
    for rel, text in FILES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    config = {**BASE_CONFIG, "plugins": ["search", {"sop-hub": {"as_of": AS_OF, **(plugin or {})}}]}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return root


def build_site(root: Path) -> Path:
    return build_project(root)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(write_project(tmp_path_factory.mktemp("generated")))


def html(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


class Elements(HTMLParser):
    """Every start tag's attributes, in document order."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def section(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


@pytest.mark.parametrize("url", GENERATED)
def test_generated_page_is_built_with_its_title(site, url):
    page = html(site, url)
    title = {"processes/": "Processes", "reviews/": "Reviews", "owners/": "Owners", "register/": "Document register"}
    assert re.search(rf"<h1[^>]*>{title[url]}</h1>", page)
    assert 'class="sop-generated' in page


@pytest.mark.parametrize("url", GENERATED)
def test_owner_name_with_markup_is_shown_as_text_on_every_generated_page(site, url):
    page = html(site, url)
    assert HOSTILE not in page and "<b>bold</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_reviews_page_counts_documents_by_status(site):
    page = html(site, "reviews/")
    counts = dict(re.findall(r'data-sop-count="([a-z-]+)">(\d+)<', page))
    assert counts == {"overdue": "2", "due-soon": "1", "current": "4", "not-required": "0"}


def test_reviews_page_lists_overdue_before_due_soon_oldest_first(site):
    table = section(html(site, "reviews/"), 'id="needs-review"', "</table>")
    shown = [
        attrs["data-sop-ref"]
        for tag, attrs in Elements(table).found
        if tag == "tr" and "data-sop-ref" in attrs and "hidden" not in attrs
    ]
    # The processes are reviewed yearly: none is due.
    assert shown == ["SOP-C", "SOP-B", "SOP-A"]
    assert "Sam Roe" in table and "Pat Lee" in table  # owner and backup


def test_reviews_page_keeps_current_documents_hidden_for_the_readers_clock(site):
    table = section(html(site, "reviews/"), 'id="needs-review"', "</table>")
    rows = {
        attrs["data-sop-ref"]: attrs for tag, attrs in Elements(table).found if tag == "tr" and "data-sop-ref" in attrs
    }
    assert "hidden" in rows["SOP-D"]
    assert rows["SOP-D"]["data-review-by"] == "2026-09-01"
    assert rows["SOP-D"]["data-due-soon-from"] == "2026-08-02"


def test_reviews_page_groups_documents_by_owner(site):
    by_owner = html(site, "reviews/").split('id="by-owner"', 1)[1]
    assert by_owner.index("Jane Doe") < by_owner.index("Pat Lee") < by_owner.index("Sam Roe")


def test_owners_page_flags_people_who_back_up_each_other(site):
    page = html(site, "owners/")
    assert 'data-sop-pair="Jane Doe | Pat Lee"' in page
    assert "Mutual backup with Pat Lee" in page
    pair = section(page, 'data-sop-pair="Jane Doe | Pat Lee"', "</tr>")
    assert "Operations" in pair and "Finance" in pair and "Due soon one" in pair


def test_owners_page_shows_what_each_person_owns_and_backs_up(site):
    page = html(site, "owners/")
    sam = section(page, 'id="person-sam-roe"', "</section>")
    assert "Oldest overdue" in sam
    assert "Backs up" in sam
    assert 'href="mailto:pat@example.com"' in page


def test_processes_page_draws_the_handoff_map_and_lists_it_as_text(site):
    page = html(site, "processes/")
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and 'role="img"' in page
    assert 'xlink:href="../ops/"' in page and 'xlink:href="../finance/"' in page
    handoffs = section(page, 'class="sop-handoff-list"', "</ul>")
    assert 'href="../ops/">Operations</a>' in handoffs and "hands off to" in handoffs
    assert "Plan" in page and "Run" in page  # stage flow
    assert "https://" not in section(page, "<svg", "</svg>").replace("http://www.w3.org", "")


def test_register_page_lists_every_document_with_register_columns(site):
    page = html(site, "register/")
    headers = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', page)
    assert headers == [
        "ID",
        "Title",
        "Type",
        "Process",
        "Stage",
        "Owner",
        "Version",
        "Revision",
        "Approved",
        "Status",
        "Last reviewed",
        "Next review",
    ]
    refs = [attrs["data-sop-ref"] for tag, attrs in Elements(page).found if tag == "tr" and "data-sop-ref" in attrs]
    assert refs == ["audit", "finance", "ops", "SOP-B", "SOP-D", "SOP-A", "SOP-C"]  # by process, stage, title
    assert 'href="../register.csv"' in page and 'href="../register.json"' in page


def test_register_json_holds_the_same_records_as_the_check_report(site):
    root = site.parent
    settings = settings_from(
        as_of_flag=None, as_of=AS_OF, due_soon="30 days", procedure="3 months", process="12 months"
    )
    hub = load_hub(markdown_pages(root / "docs"), root=root, quizzes_dir=root / "quizzes", settings=settings)
    published = json.loads((site / "register.json").read_text(encoding="utf-8"))
    assert published == json.loads(json.dumps(report(hub.catalog, hub.problems)))
    assert len(published["documents"]) == 7
    assert published["problems"] == []


def test_register_csv_has_one_row_per_document_with_register_columns(site):
    text = (site / "register.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0].keys()) == REGISTER_COLUMNS
    assert [row["id"] for row in rows] == [
        doc["id"] for doc in json.loads((site / "register.json").read_text())["documents"]
    ]
    overdue = next(row for row in rows if row["id"] == "SOP-C")
    assert (
        overdue["owner"] == "Sam Roe" and overdue["review_status"] == "overdue" and overdue["review_by"] == "2026-04-15"
    )


@pytest.mark.parametrize(
    ("pages", "present", "absent"),
    [
        ({"reviews": False}, ["processes/", "owners/", "register/"], ["reviews/"]),
        ({"reviews": "quality/reviews/"}, ["quality/reviews/", "register/"], ["reviews/"]),
    ],
)
def test_generated_page_can_be_switched_off_or_moved(tmp_path, pages, present, absent):
    site = build_site(write_project(tmp_path, plugin={"pages": pages}))
    for url in present:
        assert (site / url / "index.html").is_file(), url
    for url in absent:
        assert not (site / url / "index.html").exists(), url
    if "quality/reviews/" in present:
        moved = html(site, "quality/reviews/")
        assert 'data-sop-count="overdue">2<' in moved
        assert 'href="../../ops/oldest/"' in moved  # links stay relative to the moved page


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("../../x/", "outside the site"),
        ("/srv/reviews/", "outside the site"),
        ("C:/reviews/", "outside the site"),
        ("a/../../b/", "outside the site"),
        (".hidden/", "not a page location"),
        ("/", "outside the site"),
        ("processes/", "is the location of the processes page too"),
        ("about.md", "docs/about.md exists"),
    ],
)
def test_generated_page_outside_the_site_or_colliding_is_a_config_error(make_hub, build, location, expected):
    files = {"docs/index.md": "# Home\n", "docs/about.md": "# About\n"}
    result = build(make_hub(files, plugin={"pages": {"reviews": location}}))
    assert not result.ok
    assert expected in result.log, result.log
    assert "pages.reviews" in result.log


def test_generated_page_moved_inside_the_site_still_builds(make_hub, build):
    result = build(
        make_hub({"docs/index.md": "# Home\n"}, plugin={"pages": {"reviews": "hub/reviews/", "owners": True}})
    )
    assert result.ok, result.error
    assert (result.site / "hub" / "reviews" / "index.html").exists()
    assert (result.site / "owners" / "index.html").exists()
