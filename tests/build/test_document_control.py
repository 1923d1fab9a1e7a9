"""Document control in the built site (SPEC §8): history, revision, approval, changes page and feed,
on temporary git repositories with scripted commits (fixed authors and dates)."""

from __future__ import annotations

import hashlib
import logging
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.gitrepo import Repo, git, quiet_git  # noqa: F401  (quiet_git: an autouse fixture)

PROCESS = (
    "---\ntype: process\nid: finance\ntitle: Finance\nowner: Helen Marsh\n"
    "last_reviewed_on: 2026-05-01\n---\n# Finance\n"
)
SOP = (
    "---\nid: SOP-FIN-001\ntitle: Approve invoices\nprocess: finance\nowner: Jane Doe\nversion: '2.0'\n"
    "last_reviewed_on: 2026-05-01\n{extra}---\n# Approve invoices\n\nStep one.\n"
)
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def history_hub(make_hub, tmp_path: Path):
    """A hub in git: issued, renamed, changed, then fixed editorially (and one payload commit)."""
    root = make_hub({"docs/index.md": "# Home\n"}, plugin={"changes_days": 200})
    repo = Repo(root, docs="")
    hashes = {}
    hashes["issue"] = repo.commit(
        "Issue the invoice procedure",
        {"docs/finance/index.md": PROCESS, "docs/finance/old-name.md": SOP.format(extra="")},
        when="2026-01-05",
        who="Jane Doe",
    )
    repo.move("docs/finance/old-name.md", "docs/finance/approve.md")
    hashes["move"] = repo.commit("Move the procedure", when="2026-02-01", who="Tom Okafor")
    approved = SOP.format(extra="approved_by: Helen Marsh <helen@example.com>\napproved_on: 2026-03-02\n")
    hashes["change"] = repo.commit(
        "Approval limits: <script>alert(1)</script> & more",
        {"docs/finance/approve.md": approved.replace("Step one.", "Step one.\n\nStep two.")},
        when="2026-03-01",
        who='Ann "<b>" Lee',
    )
    hashes["editorial"] = repo.commit(
        "Fix a typo\n\nSop-Change: editorial",
        {"docs/finance/approve.md": approved.replace("Step one.", "Step 1.\n\nStep two.")},
        when="2026-04-01",
        who="Bo Ek",
    )
    return root, hashes


def rows(page: str) -> list[str]:
    section = page.split("data-sop-history", 1)[1].split("</section>", 1)[0]
    return re.findall(r'<tr data-revision="([0-9a-f]*)"', section)


def test_page_shows_history_revision_effective_date_and_approval(history_hub, build) -> None:
    root, hashes = history_hub
    result = build(root, strict=True)
    assert result.ok, result.log
    page = result.html("finance/approve/")
    # Every commit, newest first, the rename followed; the revision is the latest non-editorial one.
    assert rows(page) == [hashes[k][:7] for k in ("editorial", "change", "move", "issue")]
    assert f'data-sop-revision="{hashes["change"][:7]}"' in page
    assert 'effective <time datetime="2026-03-01"' in page
    approval = re.search(r"Approved by (.*?) on <time[^>]*>2026-03-02", page)
    assert approval, page
    assert "Helen Marsh" in approval.group(1) and 'href="mailto:helen@example.com"' in approval.group(1)
    editorial_row = page.split(f'data-revision="{hashes["editorial"][:7]}"', 1)[1].split("</tr>", 1)[0]
    assert ">editorial<" in editorial_row and "Bo Ek" in editorial_row and "Fix a typo" in editorial_row
    assert "moved from <code>finance/old-name.md</code>" in page
    # Commit subjects and author names are data.
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page
    assert "<b>" not in page.split("data-sop-history", 1)[1]
    # The process page ends with its history too; the register records carry the new fields.
    assert rows(result.html("finance/")) == [hashes["issue"][:7]]
    register = (result.site / "register.json").read_text()
    assert f'"revision": "{hashes["change"][:7]}"' in register and '"effective_on": "2026-03-01"' in register
    assert '"approved_on": "2026-03-02"' in register


def test_changes_page_and_atom_feed_list_changes_newest_first(history_hub, build) -> None:
    root, hashes = history_hub
    result = build(root)
    assert result.ok, result.log
    page = result.html("changes/")
    listed = re.findall(r'<tr data-revision="([0-9a-f]{7})" data-sop-ref="([^"]+)"', page)
    # As of 2026-06-15 with changes_days 200: every commit, each document it touched.
    assert [short for short, _ in listed] == [
        hashes["editorial"][:7], hashes["change"][:7], hashes["move"][:7], hashes["issue"][:7], hashes["issue"][:7],
    ]  # fmt: skip
    assert "Changes" in result.html("changes/") and 'href="../finance/approve/"' in page
    assert "&lt;script&gt;" in page and "<script>alert" not in page
    nav = result.html("")
    assert re.search(r"Hub overview.*Changes", nav, re.DOTALL)
    feed = ET.parse(result.site / "changes.xml").getroot()  # well-formed despite the payloads
    assert feed.tag == f"{ATOM}feed" and feed.find(f"{ATOM}id") is not None and feed.find(f"{ATOM}updated") is not None
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 5
    first = entries[0]
    assert first.find(f"{ATOM}updated").text == "2026-04-01T00:00:00Z"
    assert first.find(f"{ATOM}author/{ATOM}name").text == "Bo Ek"
    assert first.find(f"{ATOM}category").get("term") == "editorial"
    assert first.find(f"{ATOM}link").get("href") == "finance/approve/"  # relative: no site_url
    assert entries[1].find(f"{ATOM}title").text.endswith("<script>alert(1)</script> & more")  # escaped, read back
    assert len({entry.find(f"{ATOM}id").text for entry in entries}) == 5


def test_changes_window_follows_changes_days_and_site_url_makes_links_absolute(history_hub, build) -> None:
    root, _ = history_hub
    config = (root / "mkdocs.yml").read_text().replace("changes_days: 200", "changes_days: 80")
    (root / "mkdocs.yml").write_text(config + "site_url: https://sops.example.com/hub/\n")
    result = build(root)
    entries = ET.parse(result.site / "changes.xml").getroot().findall(f"{ATOM}entry")
    assert len(entries) == 1  # 2026-03-28 .. 2026-06-15: only the editorial fix
    assert entries[0].find(f"{ATOM}link").get("href") == "https://sops.example.com/hub/finance/approve/"


def test_uncommitted_edits_show_as_a_pseudo_row(history_hub, build) -> None:
    root, hashes = history_hub
    path = root / "docs/finance/approve.md"
    path.write_text(path.read_text() + "\nStep three.\n")
    page = build(root).html("finance/approve/")
    assert rows(page) == ["", *(hashes[k][:7] for k in ("editorial", "change", "move", "issue"))]
    assert "Uncommitted changes" in page
    assert f'data-sop-revision="{hashes["change"][:7]}"' in page  # the revision is still the committed one


def test_shallow_clone_says_history_unavailable_and_logs_one_info_line(history_hub, build, tmp_path, caplog) -> None:
    caplog.set_level(logging.INFO, logger="mkdocs")
    root, _ = history_hub
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{root}", str(clone))
    result = build(clone, strict=True)  # INFO, not WARNING: --strict does not fail on it
    assert result.ok, result.log
    hints = [record for record in caplog.records if "fetch-depth: 0" in record.getMessage()]
    assert len(hints) == 1 and hints[0].levelno == logging.INFO
    page = result.html("finance/approve/")
    assert "data-sop-history-unavailable" in page and "<tr data-revision" not in page
    body = (clone / "docs/finance/approve.md").read_text().split("---\n", 2)[2]
    assert f'data-sop-revision="{hashlib.sha256(body.encode()).hexdigest()[:7]}"' in page


def test_without_git_on_path_the_site_builds_with_content_hash_revisions(make_hub, build, monkeypatch, caplog) -> None:
    caplog.set_level(logging.INFO, logger="mkdocs")
    root = make_hub({"docs/finance/index.md": PROCESS, "docs/finance/approve.md": SOP.format(extra="")})
    monkeypatch.setenv("PATH", str(root / "no-such-bin"))
    result = build(root, strict=True)
    assert result.ok, result.log
    page = result.html("finance/approve/")
    assert "data-sop-history-unavailable" in page and "Not approved" in page
    assert sum("git is not installed" in record.getMessage() for record in caplog.records) == 1


def test_editorial_commit_keeps_the_quiz_revision_and_a_real_change_moves_it(make_hub, build) -> None:
    quiz = "title: Approve\nquestions:\n  - question: Who approves?\n    choices: [Jane, Tom]\n    answer: Jane\n"
    root = make_hub(
        {
            "docs/finance/index.md": PROCESS,
            "docs/finance/approve.md": SOP.format(extra="quiz: approve\n"),
            "quizzes/approve.yml": quiz,
        }
    )
    repo = Repo(root, docs="")
    issued = repo.commit("Issue", when="2026-01-05")

    def stamped() -> str:
        page = build(root).html("finance/approve/")
        found = re.search(r'data-page-rev="([^"]+)"', page)
        assert found, "the quiz form carries the page's revision"
        return found.group(1)

    assert stamped() == issued[:7]
    path = root / "docs/finance/approve.md"
    path.write_text(path.read_text().replace("Step one.", "Step 1."))
    repo.commit("Typo\n\nSop-Change: editorial", when="2026-02-01")
    assert stamped() == issued[:7]  # no retake for a typo
    path.write_text(path.read_text() + "\nStep two.\n")
    changed = repo.commit("Add step two", when="2026-03-01")
    assert stamped() == changed[:7]


def test_require_approval_fails_a_strict_build(make_hub, build) -> None:
    root = make_hub(
        {"docs/finance/index.md": PROCESS, "docs/finance/approve.md": SOP.format(extra="")},
        plugin={"require_approval": True},
    )
    result = build(root, strict=True)
    assert not result.ok and "not approved" in result.log and "require_approval" in result.log
