"""Build tests: small hubs built with the real MkDocs, checked in the HTML a reader gets."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

PROCESS = """
    ---
    type: process
    title: Customer complaints
    owner: {name: Sarah Whitfield, role: Customer Service Manager, email: sarah@example.com}
    backup_owner: Tom Okafor
    purpose: Resolve every complaint fairly and learn from it.
    trigger: A customer tells us they are unhappy.
    inputs: [Complaint by phone, email or letter]
    outputs: [Closed complaint, Corrective action request]
    kpis: [Acknowledged the same working day]
    last_reviewed_on: 2026-01-10
    stages:
      - Record
      - {id: investigate, title: Investigate, owner: Ben Harris}
      - Respond
    hands_off_to: [quality]
    order: 1
    ---
    # Customer complaints

    How we handle complaints.
    """
QUALITY = """
    ---
    type: process
    title: Quality control
    owner: Priya Raman
    last_reviewed_on: 2026-03-01
    order: 2
    ---
    # Quality control
    """


def procedure(**keys: object) -> str:
    front = "\n".join(f"{key}: {value}" for key, value in keys.items())
    return f"---\n{front}\n---\n# {keys.get('title', 'Untitled')}\n\n1. Do the thing.\n"


def make_complaints(make_hub, plugin: dict[str, object] | None = None, **extra_files: str) -> Path:
    files = {
        "docs/index.md": "# Welcome\n",
        "docs/complaints/index.md": PROCESS,
        "docs/quality/index.md": QUALITY,
        "docs/complaints/intake.md": procedure(
            title="Complaint intake",
            id="SOP-CS-001",
            process="complaints",
            stage="record",
            owner="Jane Doe <jane@example.com>",
            backup_owner="Tom Okafor",
            last_reviewed_on="2026-01-02",  # + 3 months = 2026-04-02 < as-of 2026-06-15: overdue
            version="2.1",
        ),
        "docs/complaints/root-cause.md": procedure(
            title="Root cause analysis",
            id="SOP-CS-002",
            process="complaints",
            stage="Investigate",  # by title
            owner="Ben Harris",
            last_reviewed_on="2026-04-01",  # next 2026-07-01: within 30 days of 2026-06-15
        ),
        "docs/complaints/reply.md": procedure(
            title="Customer reply",
            id="SOP-CS-003",
            process="complaints",
            stage="respond",
            owner="Sarah Whitfield",
            last_reviewed_on="2026-06-01",
        ),
        "docs/complaints/paper-form.md": procedure(
            title="Paper complaint form",
            id="SOP-CS-000",
            process="complaints",
            stage="record",
            owner="Sarah Whitfield",
            last_reviewed_on="2025-01-01",
            superseded_by="SOP-CS-001",
        ),
        "docs/about/contact.md": "# Contact us\n",
    }
    files.update({path: text for path, text in extra_files.items()})
    return make_hub(files, plugin=plugin)


def test_procedure_header_shows_trail_owner_backup_version_and_dates(make_hub, build):
    result = build(make_complaints(make_hub))
    assert result.ok, result.log
    html = result.html("complaints/intake/")
    header = re.search(r'<section class="sop-header".*?</section>', html, re.S).group(0)
    assert 'data-sop-id="SOP-CS-001"' in header
    assert 'data-review-by="2026-04-02"' in header
    assert "Customer complaints" in header and "Record" in header
    assert "Jane Doe" in header and "mailto:jane@example.com" in header
    assert "Tom Okafor" in header
    assert "version 2.1" in header
    assert "2026-01-02" in header


def test_header_comes_before_any_other_review_hook(make_hub, build):
    html = build(make_complaints(make_hub)).html("complaints/")
    first = html.index("data-review-status")
    assert html.rfind("<section", 0, first) == html.index('<section class="sop-header"')


def test_overdue_page_warns_naming_owner_and_date(make_hub, build):
    html = build(make_complaints(make_hub)).html("complaints/intake/")
    assert 'data-review-status="overdue"' in html
    warning = re.search(r'<div[^>]*data-sop-warning="overdue"[^>]*>.*?</div>', html, re.S).group(0)
    assert "hidden" not in warning.split(">")[0]
    assert "2026-04-02" in warning and "Jane Doe" in warning
    due_soon = re.search(r'<div[^>]*data-sop-warning="due-soon"[^>]*>', html).group(0)
    assert "hidden" in due_soon


def test_due_soon_page_warns_and_current_page_does_not(make_hub, build):
    result = build(make_complaints(make_hub))
    soon = result.html("complaints/root-cause/")
    assert 'data-review-status="due-soon"' in soon
    assert re.search(r'data-sop-warning="due-soon" role="note">', soon)
    current = result.html("complaints/reply/")
    assert 'data-review-status="current"' in current
    assert re.search(r'data-sop-warning="overdue" role="note" hidden', current)
    assert re.search(r'data-sop-warning="due-soon" role="note" hidden', current)


def test_retired_page_points_to_successor_and_search_has_only_its_summary(make_hub, build):
    root = make_complaints(make_hub)
    form = root / "docs/complaints/paper-form.md"
    form.write_text(form.read_text() + "\nSecretword body text of the old form.\n")
    result = build(root)
    html = result.html("complaints/paper-form/")
    assert "sop-retired" in html
    assert 'href="../intake/"' in html and "Complaint intake" in html
    assert "Secretword body text" in html  # readers still see the whole page
    assert html.count("<h1") == 1  # its own heading, and no second one added by Material
    index = json.loads((result.site / "search" / "search_index.json").read_text())
    entries = [doc for doc in index["docs"] if doc["location"].startswith("complaints/paper-form/")]
    assert len(entries) == 1, entries  # one summary, no sections of its body
    (entry,) = entries
    assert entry["title"] == "Paper complaint form"
    assert "SOP-CS-000" in entry["text"]
    assert "Retired; replaced by SOP-CS-001 Complaint intake" in entry["text"]
    assert "Secretword" not in json.dumps(index)
    assert 0 < entry["boost"] < 1  # ranks below active documents
    assert "complaints/intake/" in {doc["location"] for doc in index["docs"]}
    assert not any("boost" in doc for doc in index["docs"] if doc is not entry)


def test_retired_procedure_is_not_indexed_through_its_process_page(make_hub, build):
    result = build(make_complaints(make_hub))
    index = json.loads((result.site / "search" / "search_index.json").read_text())
    process = " ".join(
        doc["title"] + " " + doc["text"]
        for doc in index["docs"]
        if doc["location"].startswith("complaints/#") or doc["location"] == "complaints/"
    )
    assert "Complaint intake" in process  # active procedures are still listed in search
    assert "Paper complaint form" not in process and "SOP-CS-000" not in process
    assert "Paper complaint form" in result.html("complaints/")  # but readers still see it listed


def test_search_finds_procedure_by_owner_id_process_and_stage(make_hub, build):
    result = build(make_complaints(make_hub))
    index = json.loads((result.site / "search" / "search_index.json").read_text())
    text = " ".join(doc["text"] for doc in index["docs"] if doc["location"].startswith("complaints/intake/"))
    for needle in ("Jane Doe", "SOP-CS-001", "Customer complaints", "Record"):
        assert needle in text, needle


def test_process_page_shows_turtle_card_stages_owners_procedures_and_handoffs(make_hub, build):
    result = build(make_complaints(make_hub))
    html = result.html("complaints/")
    for text in ("Resolve every complaint fairly", "A customer tells us", "Corrective action request", "Acknowledged"):
        assert text in html
    stages = [m for m in re.findall(r"<h3>\d+\. ([^<]+)</h3>", html)]
    assert stages == ["Record", "Investigate", "Respond"]
    assert "Ben Harris" in html  # the Investigate stage's own owner
    assert re.search(r'href="intake/">Complaint intake</a>.*?sop-badge--overdue', html, re.S)
    assert 'href="../quality/">Quality control</a>' in html
    quality = result.html("quality/")
    assert "Receives from" in quality and 'href="../complaints/">Customer complaints</a>' in quality


def test_nav_lists_home_then_processes_with_stages_then_other_pages(make_hub, build):
    html = build(make_complaints(make_hub)).html("")
    nav = html[html.index('class="md-nav md-nav--primary"') :]
    labels = [
        re.sub(r"\s+", " ", label).strip() for label in re.findall(r'<span class="md-ellipsis">(.*?)</span>', nav, re.S)
    ]
    order = [
        labels.index(label)
        for label in ("Customer complaints", "Record", "Investigate", "Respond", "Quality control", "Contact us")
    ]
    assert order == sorted(order), labels
    assert labels.index("Complaint intake") > labels.index("Record")
    assert labels.index("Root cause analysis") > labels.index("Investigate")


def test_handwritten_nav_is_kept_and_can_place_the_process_tree(make_hub, build):
    root = make_complaints(make_hub)
    config = (root / "mkdocs.yml").read_text()
    (root / "mkdocs.yml").write_text(
        config + "nav:\n  - Contact: about/contact.md\n  - Procedures: sop-hub:processes\n"
    )
    result = build(root)
    assert result.ok, result.log
    nav = result.html("")
    nav = nav[nav.index('class="md-nav md-nav--primary"') :]
    assert nav.index("Contact") < nav.index("Procedures") < nav.index("Customer complaints") < nav.index("Record")
    assert "Welcome" not in re.sub(r"<title>.*?</title>", "", nav.split("</nav>")[0])


def test_front_matter_values_are_escaped_everywhere(make_hub, build):
    evil = "<script>alert(1)</script>"
    root = make_hub(
        {
            "docs/p/index.md": f"---\ntype: process\ntitle: 'P <b>bold</b>'\nowner: '{evil}'\n"
            f"last_reviewed_on: 2026-01-01\nstages: ['<img src=x onerror=alert(2)>']\npurpose: '{evil}'\n---\n# P\n",
            "docs/p/a.md": f"---\nprocess: p\nstage: '<img src=x onerror=alert(2)>'\nowner: '{evil}'\n"
            f"version: '{evil}'\nlast_reviewed_on: 2026-01-01\n---\n# A\n",
        }
    )
    result = build(root)
    assert result.ok, result.log
    for url in ("p/", "p/a/", "", "reviews/", "owners/", "register/", "processes/"):
        path = result.site / url / "index.html"
        if not path.exists():
            continue
        html = path.read_text()
        assert "<script>alert(1)</script>" not in html, url
        assert "<img src=x onerror" not in html, url
        assert "<b>bold</b>" not in html, url
    header = result.html("p/a/").split('<section class="sop-header"')[1].split("</section>")[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in header  # shown as text, not refused or run


def test_broken_yaml_reports_file_and_line_and_page_still_builds_showing_it(make_hub, build):
    root = make_complaints(
        make_hub,
        plugin={"show_problems": "always"},
        **{
            "docs/complaints/broken.md": (
                "---\nprocess: complaints\ntitle: 'unclosed\nowner: x\n---\n# Broken page\n\nBody text.\n"
            )
        },
    )
    result = build(root)
    assert result.ok
    assert any("docs/complaints/broken.md:" in line and "not valid YAML" in line for line in result.warnings()), (
        result.log
    )
    html = result.html("complaints/broken/")
    assert "Body text." in html
    assert "sop-problems" in html and "not valid YAML" in html
    assert "process: complaints" not in html  # the unreadable front-matter is not shown as text


def test_impossible_date_names_file_line_and_fix_and_strict_fails(make_hub, build):
    root = make_complaints(
        make_hub,
        **{
            "docs/complaints/bad-date.md": "---\nprocess: complaints\nstage: record\nowner: A B\n"
            "last_reviewed_on: 2026-02-30\n---\n# Bad date\n"
        },
    )
    result = build(root)
    assert result.ok
    line = next(line for line in result.warnings() if "bad-date.md" in line)
    assert "docs/complaints/bad-date.md:5:" in line and "February 2026 has 28 days" in line
    assert "bad-date" in result.html("complaints/bad-date/")
    strict = build(root, strict=True, site_dir=root / "site-strict")
    assert not strict.ok


def test_impossible_date_never_shows_raw_yaml_and_keeps_the_title(make_hub, build):
    """MkDocs' own YAML reading fails on `2026-02-30` (PyYAML makes it a date): its page.meta is
    empty and it keeps the YAML as text. The plugin strips it and the title comes from the core."""
    root = make_complaints(
        make_hub,
        **{
            "docs/complaints/bad-date.md": "---\ntitle: Dated wrongly\nprocess: complaints\nstage: record\n"
            "owner: A B\nlast_reviewed_on: 2026-02-30\n---\n# Bad date\n\n## Purpose\n"
        },
    )
    result = build(root)
    page = result.html("complaints/bad-date/")
    article = page[page.index("<article") :]
    assert "last_reviewed_on" not in article.replace("<code>last_reviewed_on</code>", "")
    assert "process: complaints" not in page and "2026-02-30" not in article
    assert "<title>Dated wrongly" in page
    assert re.search(r'<a[^>]*href="\./"[^>]*>\s*Dated wrongly|>\s*Dated wrongly\s*<', page)  # the nav label
    header = re.search(r'<section class="sop-header".*?</section>', page, re.S).group(0)
    assert "metadata is invalid (<code>last_reviewed_on</code>)" in header
    assert "should review it" not in header


def test_missing_review_date_says_the_metadata_gives_none(make_hub, build):
    root = make_complaints(
        make_hub, **{"docs/complaints/undated.md": "---\nprocess: complaints\nowner: A B\n---\n# Undated\n"}
    )
    header = re.search(r'<section class="sop-header".*?</section>', build(root).html("complaints/undated/"), re.S)
    assert 'data-sop-no-date="missing"' in header.group(0) and "is missing" in header.group(0)


@pytest.mark.parametrize(("show", "boxes"), [(None, False), ("always", True), ("never", False)])
def test_problem_boxes_follow_show_problems_and_the_log_always_has_them(make_hub, build, show, boxes):
    root = make_complaints(
        make_hub,
        plugin={"show_problems": show} if show else None,
        **{"docs/complaints/dup.md": "---\nid: SOP-CS-001\nprocess: complaints\nowner: A B\n---\n# Dup\n"},
    )
    result = build(root)
    assert sum("duplicate-id" not in line and "is also used by" in line for line in result.warnings()) == 2
    for url in ("complaints/dup/", "complaints/intake/"):  # both files that use the id
        assert ("sop-problems" in result.html(url)) is boxes, url
    if boxes:
        assert "docs/complaints/dup.md" in result.html("complaints/intake/")
        assert "docs/complaints/intake.md" in result.html("complaints/dup/")


def test_procedure_of_missing_process_builds_under_made_up_process_with_warning(make_hub, build):
    root = make_hub(
        {
            "docs/index.md": "# Home\n",
            "docs/it/laptop.md": procedure(
                title="Laptop set-up",
                process="it-support",
                stage="Setup",
                owner="Ian Tech",
                last_reviewed_on="2026-06-01",
            ),
            "docs/it/vpn.md": procedure(
                title="VPN access",
                process="it-support",
                stage="Access",
                owner="Ian Tech",
                last_reviewed_on="2026-06-01",
            ),
        }
    )
    result = build(root)
    assert result.ok
    assert any("process `it-support` has no process page" in line for line in result.warnings())
    nav = result.html("it/laptop/")
    nav = nav[nav.index('class="md-nav md-nav--primary"') :]
    assert nav.index("It support") < nav.index("Setup") < nav.index("Access")
    assert "Laptop set-up" in nav and "VPN access" in nav


def test_listing_pages_stay_out_of_search_so_procedures_rank_first(make_hub, build):
    result = build(make_complaints(make_hub))
    index = json.loads((result.site / "search" / "search_index.json").read_text())
    pages = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert not pages & {"processes/", "reviews/", "owners/", "register/"}
    assert {"complaints/", "complaints/intake/"} <= pages  # the process and procedure pages themselves


def _many_processes(make_hub, count: int, **plugin: object) -> Path:
    files = {"docs/index.md": "# Home\n"}
    for n in range(count):
        files[f"docs/p{n:02}/index.md"] = (
            f"---\ntype: process\ntitle: Process {n:02}\nowner: Pat Lee\nlast_reviewed_on: 2026-06-01\n"
            f"stages: [Plan, Do]\norder: {n}\n---\n# Process {n:02}\n"
        )
        files[f"docs/p{n:02}/task.md"] = procedure(
            title=f"Task of {n:02}", process=f"p{n:02}", stage="do", owner="Pat Lee", last_reviewed_on="2026-06-01"
        )
    return make_hub(files, plugin=plugin or None)


def _sidebar(html: str) -> str:
    return html[html.index('class="md-nav md-nav--primary"') : html.index("md-sidebar--secondary")]


def test_large_hub_shows_a_process_page_its_own_process_and_a_link_to_all(make_hub, build):
    result = build(_many_processes(make_hub, 14))  # auto: more than 12 processes
    assert result.ok, result.log
    nav = _sidebar(result.html("p03/task/"))
    assert "Process 03" in nav and "Task of 03" in nav and "All processes" in nav
    assert 'href="../../processes/"' in nav
    assert "Process 04" not in nav and "Process 10" not in nav
    home = _sidebar(result.html(""))
    assert all(f"Process {n:02}" in home for n in range(14))  # pages outside processes: the whole nav


def test_small_hub_or_nav_processes_all_lists_every_process_everywhere(make_hub, build):
    small = build(_many_processes(make_hub, 3))
    assert "Process 02" in _sidebar(small.html("p00/task/")) and "All processes" not in small.html("p00/task/")
    everything = build(_many_processes(make_hub, 14, nav_processes="all"), site_dir=None)
    nav = _sidebar(everything.html("p03/task/"))
    assert all(f"Process {n:02}" in nav for n in range(14))


def _broken_files_hub(make_hub) -> Path:
    root = make_complaints(make_hub)
    docs = root / "docs"
    (docs / "complaints" / "latin.md").write_bytes(
        "---\nprocess: complaints\ntitle: Caf\xe9 <b>x</b>\n---\n# Caf\xe9\n".encode("latin-1")
    )
    (docs / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff\xfe<script>window.__xss=1</script>")
    (docs / "gone.md").symlink_to(docs / "nowhere.md")
    (docs / "picture.png").symlink_to(docs / "nowhere.png")  # a static file
    return root


def test_unreadable_files_are_problems_and_the_rest_of_the_site_builds(make_hub, build):
    result = build(_broken_files_hub(make_hub))
    assert result.ok, result.log + str(result.error)
    warnings = "\n".join(result.warnings())
    # The Latin-1 file is reported on the line of its first non-UTF-8 byte.
    for name, line in (
        ("docs/complaints/latin.md", 3),
        ("docs/binary.md", 1),
        ("docs/gone.md", 1),
        ("docs/picture.png", 1),
    ):
        assert f"{name}:{line}:" in warnings, name
    assert "Complaint intake" in result.html("complaints/intake/")  # the rest of the site is there
    for url, name in (("complaints/latin/", "docs/complaints/latin.md"), ("binary/", "docs/binary.md")):
        html = result.html(url)
        assert "could not be read" in html and name in html, url
        assert "\ufffd" not in html and "<script>window.__xss" not in html and "PNG" not in html, url
    assert "could not be read" in result.html("gone/")
    assert not (result.site / "picture.png").exists()
    index = json.loads((result.site / "search" / "search_index.json").read_text())
    assert not any(doc["location"].startswith(("binary/", "gone/")) for doc in index["docs"])


def test_unreadable_files_fail_a_strict_build_naming_them(make_hub, build):
    result = build(_broken_files_hub(make_hub), strict=True)
    assert not result.ok
    assert "docs/binary.md" in result.log and "docs/gone.md" in result.log


def test_extreme_review_dates_build_and_show_sensible_text(make_hub, build):
    root = make_complaints(
        make_hub,
        **{
            "docs/complaints/ancient.md": procedure(
                title="Ancient", process="complaints", stage="record", owner="A", review_by="0001-01-01"
            ),
            "docs/complaints/far.md": procedure(
                title="Far", process="complaints", stage="record", owner="A", last_reviewed_on="9999-12-31"
            ),
            "docs/complaints/far-by.md": procedure(
                title="Far by",
                process="complaints",
                stage="record",
                owner="A",
                review_by="9999-12-31",
                last_reviewed_on="9999-12-01",
            ),
        },
    )
    result = build(root)
    assert result.ok, result.log + str(result.error)
    ancient = result.html("complaints/ancient/")
    assert 'data-review-status="overdue"' in ancient and "0001-01-01" in ancient
    far = result.html("complaints/far-by/")
    assert 'data-review-by="9999-12-31"' in far
    assert "Ancient" in result.html("reviews/") and "Far by" in result.html("register/")


def test_counts_marker_shows_the_hub_in_numbers_linking_to_its_lists(make_hub, build):
    home = "# Welcome\n\n<!-- sop-hub: counts -->\n\n```\n<!-- sop-hub: counts -->\n```\n"
    result = build(make_complaints(make_hub, **{"docs/index.md": home}), strict=True)
    assert result.ok, result.log
    page = result.html("")
    block = page.split("data-sop-hub-counts", 1)[1].split("</div>", 1)[0]
    numbers = dict(re.findall(r'data-sop-hub-count="([a-z-]+)">(\d+)<', block))
    assert numbers["overdue"] == "1" and numbers["due-soon"] == "1"  # intake and root cause (as of 2026-06-15)
    register = json.loads((result.site / "register.json").read_text(encoding="utf-8"))
    assert sum(map(int, numbers.values())) == len(register["documents"])  # every document counted once
    assert 'href="reviews/#needs-review"' in block and 'href="processes/"' in block and 'href="register/"' in block
    assert "&lt;!-- sop-hub: counts --&gt;" in page  # documenting the marker in a code block keeps it as text
    assert page.count("data-sop-hub-counts") == 1
