"""Revision history from git (SPEC §8): temporary repositories with scripted commits, and trailers."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from tests.gitrepo import GIT, Repo, git, quiet_git  # noqa: F401  (quiet_git: an autouse fixture)

from sop_hub.core.history import (
    UNCOMMITTED,
    HistoryStatus,
    body_revision,
    is_editorial,
    parse_trailers,
    read_history,
)

PAGE = "---\nprocess: finance\nowner: Jane Doe\n---\n# Approve invoices\n\nStep one.\n"


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo(tmp_path / "hub")


def summaries(repo: Repo, src_uri: str) -> list[str]:
    return [row.summary for row in read_history(repo.docs, repo.pages()).for_file(src_uri).revisions]


# -- history, revision, effective date ---------------------------------------------------------------


def test_history_lists_each_commit_newest_first_with_date_author_summary_and_short_hash(repo: Repo) -> None:
    first = repo.commit("Issue the invoice procedure", {"approve.md": PAGE}, when="2026-01-05", who="Jane Doe")
    second = repo.commit(
        "Add the credit-note step", {"approve.md": PAGE + "Step two.\n"}, when="2026-02-10", who="Tom Okafor"
    )

    page = read_history(repo.docs, ["approve.md"]).for_file("approve.md")

    assert page.status is HistoryStatus.OK and page.available
    assert [(r.date, r.author, r.summary, r.short) for r in page.revisions] == [
        (date(2026, 2, 10), "Tom Okafor", "Add the credit-note step", second[:7]),
        (date(2026, 1, 5), "Jane Doe", "Issue the invoice procedure", first[:7]),
    ]
    assert page.revision == second[:7]
    assert page.effective_on == date(2026, 2, 10)


def test_date_is_the_committers_calendar_day_in_their_own_time_zone(repo: Repo) -> None:
    # 00:30 in Berlin on 2 March is still 1 March in UTC: the committer's clock said 2 March.
    repo.commit("Issue", {"a.md": PAGE}, when="2026-03-02T00:30:00+01:00")
    repo.commit("Late change", {"a.md": PAGE + "x\n"}, when="2026-03-02T23:30:00-08:00")  # 3 March in UTC

    assert [row.date for row in read_history(repo.docs, ["a.md"]).for_file("a.md").revisions] == [
        date(2026, 3, 2),
        date(2026, 3, 2),
    ]


def test_commit_date_not_author_date_sets_the_effective_date(repo: Repo) -> None:
    repo.write("a.md", PAGE)
    git(repo.root, "add", "-A")
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": "2026-01-01T09:00:00+00:00",
        "GIT_COMMITTER_DATE": "2026-02-01T09:00:00+00:00",
    }
    subprocess.run(
        ["git", "-c", "user.name=Jane Doe", "-c", "user.email=j@x", "commit", "-qm", "January, landed February"],
        cwd=repo.root, env=env, check=True,
    )  # fmt: skip

    assert read_history(repo.docs, ["a.md"]).for_file("a.md").effective_on == date(2026, 2, 1)


def test_editorial_commit_is_marked_and_keeps_the_revision_and_effective_date(repo: Repo) -> None:
    real = repo.commit("Issue", {"a.md": PAGE}, when="2026-01-05")
    repo.commit("Fix a typo\n\nSop-Change: editorial", {"a.md": PAGE.replace("one", "One")}, when="2026-02-01")

    page = read_history(repo.docs, ["a.md"]).for_file("a.md")

    assert [row.editorial for row in page.revisions] == [True, False]
    assert page.revision == real[:7]
    assert page.effective_on == date(2026, 1, 5)


def test_real_change_after_an_editorial_one_moves_the_revision(repo: Repo) -> None:
    repo.commit("Issue", {"a.md": PAGE}, when="2026-01-05")
    repo.commit("Typo\n\nSop-Change: editorial", {"a.md": PAGE + "a\n"}, when="2026-01-06")
    real = repo.commit("New approval limit", {"a.md": PAGE + "b\n"}, when="2026-01-07")

    page = read_history(repo.docs, ["a.md"]).for_file("a.md")

    assert (page.revision, page.effective_on) == (real[:7], date(2026, 1, 7))


def test_the_word_editorial_in_the_body_is_not_a_trailer(repo: Repo) -> None:
    first = repo.commit("Issue", {"a.md": PAGE}, when="2026-01-05")
    message = (
        "Rework the approval limits\n\nNot an editorial change: Sop-Change: editorial is wrong.\nAll limits change."
    )
    second = repo.commit(message, {"a.md": PAGE + "b\n"}, when="2026-01-07")

    page = read_history(repo.docs, ["a.md"]).for_file("a.md")

    assert [row.editorial for row in page.revisions] == [False, False]
    assert page.revision == second[:7] != first[:7]


def test_only_editorial_commits_leave_the_creation_as_the_revision(repo: Repo) -> None:
    created = repo.commit("Issue\n\nSop-Change: editorial", {"a.md": PAGE}, when="2026-01-05")
    repo.commit("Typo\n\nsop-change: Editorial", {"a.md": PAGE + "a\n"}, when="2026-01-06")

    page = read_history(repo.docs, ["a.md"]).for_file("a.md")

    assert (page.revision, page.effective_on) == (created[:7], date(2026, 1, 5))


# -- renames, deletions --------------------------------------------------------------------------------


def test_renamed_file_keeps_its_history_and_a_pure_move_keeps_its_revision(repo: Repo) -> None:
    issued = repo.commit("Issue", {"old/approve.md": PAGE}, when="2026-01-05")
    repo.move("old/approve.md", "finance/approve.md")
    repo.commit("Move finance procedures", when="2026-02-01")

    page = read_history(repo.docs, repo.pages()).for_file("finance/approve.md")

    assert [row.summary for row in page.revisions] == ["Move finance procedures", "Issue"]
    assert page.revisions[0].renamed_from == "old/approve.md"
    assert page.revision == issued[:7]


def test_rename_with_an_edit_is_a_change(repo: Repo) -> None:
    repo.commit("Issue", {"a.md": PAGE * 3}, when="2026-01-05")
    repo.move("a.md", "b.md")
    repo.write("b.md", PAGE * 3 + "One more line.\n")
    moved = repo.commit("Move and extend", when="2026-02-01")

    page = read_history(repo.docs, ["b.md"]).for_file("b.md")

    assert [row.summary for row in page.revisions] == ["Move and extend", "Issue"]
    assert page.revision == moved[:7]


def test_history_follows_two_renames_and_not_the_deleted_file_at_the_old_path(repo: Repo) -> None:
    repo.commit("Issue a", {"a.md": PAGE + "alpha " * 40}, when="2026-01-01")
    repo.move("a.md", "b.md")
    repo.commit("a becomes b", when="2026-01-02")
    repo.move("b.md", "c.md")
    repo.commit("b becomes c", when="2026-01-03")
    repo.commit("A new, different a", {"a.md": "# Something else\n" + "omega " * 40}, when="2026-01-04")

    history = read_history(repo.docs, repo.pages())

    assert [row.summary for row in history.for_file("c.md").revisions] == ["b becomes c", "a becomes b", "Issue a"]
    assert [row.summary for row in history.for_file("a.md").revisions] == ["A new, different a"]


def test_file_deleted_and_created_again_starts_a_new_history(repo: Repo) -> None:
    repo.commit("First life", {"a.md": PAGE + "old " * 30}, when="2026-01-01")
    (repo.docs / "a.md").unlink()
    repo.commit("Withdraw", when="2026-01-02")
    repo.commit("Second life", {"a.md": "# New\n" + "new " * 30}, when="2026-01-03")

    assert summaries(repo, "a.md") == ["Second life"]


def test_two_files_swapping_names_in_one_commit_keep_their_own_histories(repo: Repo) -> None:
    repo.commit("Issue", {"x.md": "# X\n" + "xray " * 50, "y.md": "# Y\n" + "yankee " * 50}, when="2026-01-01")
    repo.commit("Edit x", {"x.md": "# X\n" + "xray " * 50 + "more\n"}, when="2026-01-02")
    x, y = (repo.docs / "x.md").read_text(), (repo.docs / "y.md").read_text()
    repo.commit("Swap", {"x.md": y, "y.md": x}, when="2026-01-03")

    history = read_history(repo.docs, repo.pages())

    # As `git log -- PATH` shows it: both paths stay, so git sees two edits, not two renames.
    assert [row.summary for row in history.for_file("y.md").revisions] == ["Swap", "Issue"]
    assert [row.summary for row in history.for_file("x.md").revisions] == ["Swap", "Edit x", "Issue"]


# -- many files, changes page ----------------------------------------------------------------------


def test_commit_touching_many_files_is_in_each_files_history_and_each_a_change(repo: Repo) -> None:
    repo.commit("Issue", {f"p{i}.md": PAGE + f"{i}\n" for i in range(40)}, when="2026-01-01")
    bulk = repo.commit(
        "New letterhead on every form", {f"p{i}.md": PAGE + f"{i} v2\n" for i in range(40)}, when="2026-03-01"
    )
    pages = repo.pages()

    history = read_history(repo.docs, pages)

    assert all(history.for_file(path).revision == bulk[:7] for path in pages)
    changes = history.changes(since=date(2026, 2, 1), until=date(2026, 3, 31))
    assert sorted(change.src_uri for change in changes) == pages
    assert {change.revision.short for change in changes} == {bulk[:7]}


def test_changes_are_newest_first_inside_the_window_with_both_ends_included(repo: Repo) -> None:
    repo.commit("Too old", {"a.md": PAGE}, when="2026-01-31")
    repo.commit("First day", {"a.md": PAGE + "1\n"}, when="2026-02-01")
    repo.commit("Same day, earlier", {"b.md": PAGE}, when="2026-02-10T09:00:00+00:00")
    repo.commit("Same day, later\n\nSop-Change: editorial", {"a.md": PAGE + "2\n"}, when="2026-02-10T15:00:00+00:00")
    repo.commit("Last day", {"b.md": PAGE + "3\n"}, when="2026-02-28")
    repo.commit("After the as-of date", {"b.md": PAGE + "4\n"}, when="2026-03-01")

    changes = read_history(repo.docs, ["a.md", "b.md"]).changes(since=date(2026, 2, 1), until=date(2026, 2, 28))

    assert [(c.date, c.src_uri, c.revision.summary, c.revision.editorial) for c in changes] == [
        (date(2026, 2, 28), "b.md", "Last day", False),
        (date(2026, 2, 10), "a.md", "Same day, later", True),
        (date(2026, 2, 10), "b.md", "Same day, earlier", False),
        (date(2026, 2, 1), "a.md", "First day", False),
    ]


def test_changes_name_only_the_sites_files_and_not_files_outside_docs(repo: Repo) -> None:
    repo.commit("Issue", {"a.md": PAGE, "gone.md": PAGE + "g\n"}, when="2026-02-01")
    (repo.root / "README.md").write_text("outside the docs\n")
    (repo.docs / "gone.md").unlink()
    repo.commit("Withdraw gone, edit README", when="2026-02-02")

    history = read_history(repo.docs, repo.pages())

    assert [c.src_uri for c in history.changes(date(2026, 1, 1), date(2026, 12, 31))] == ["a.md"]
    assert history.for_file("README.md").revisions == ()


# -- uncommitted changes (mkdocs serve) ------------------------------------------------------------


def test_uncommitted_edit_shows_first_and_does_not_change_the_revision(repo: Repo) -> None:
    issued = repo.commit("Issue", {"a.md": PAGE}, when="2026-01-05")
    repo.write("a.md", PAGE + "Work in progress.\n")

    page = read_history(repo.docs, ["a.md"]).for_file("a.md")

    assert [(row.summary, row.uncommitted) for row in page.revisions] == [(UNCOMMITTED, True), ("Issue", False)]
    assert page.revision == issued[:7]


def test_new_file_not_yet_committed_has_only_uncommitted_changes_and_a_content_revision(repo: Repo) -> None:
    repo.commit("Issue", {"a.md": PAGE}, when="2026-01-05")
    repo.write("new.md", PAGE)

    page = read_history(repo.docs, repo.pages()).for_file("new.md")

    assert page.status is HistoryStatus.NOT_TRACKED
    assert [row.summary for row in page.revisions] == [UNCOMMITTED]
    assert page.revision == body_revision(PAGE)
    assert page.effective_on is None


def test_staged_rename_keeps_the_history(repo: Repo) -> None:
    issued = repo.commit("Issue", {"a.md": PAGE}, when="2026-01-05")
    repo.move("a.md", "renamed.md")

    page = read_history(repo.docs, repo.pages()).for_file("renamed.md")

    assert [row.summary for row in page.revisions] == [UNCOMMITTED, "Issue"]
    assert page.revision == issued[:7]


class CountingGit:
    """A git wrapper that records each subcommand it runs, to count processes."""

    def __init__(self, tmp_path: Path) -> None:
        self.calls = tmp_path / "calls.txt"
        self.path = tmp_path / "counting-git"
        self.path.write_text(
            f"#!{sys.executable}\nimport os, sys\n"
            f"args = [a for a in sys.argv[1:] if not a.startswith('-') and '=' not in a]\n"
            f"open({str(self.calls)!r}, 'a').write((args[0] if args else '?') + '\\n')\n"
            f"os.execv({GIT!r}, [{GIT!r}, *sys.argv[1:]])\n"
        )
        self.path.chmod(0o755)

    def take(self) -> list[str]:
        calls = self.calls.read_text().split() if self.calls.exists() else []
        self.calls.unlink(missing_ok=True)
        return calls


def test_rebuild_without_a_new_commit_runs_no_git_log_and_a_new_commit_shows_next_time(
    repo: Repo, tmp_path: Path
) -> None:
    counting = CountingGit(tmp_path)
    repo.commit("Issue", {f"p{i}.md": PAGE for i in range(20)}, when="2026-01-05")
    read_history(repo.docs, repo.pages(), git=str(counting.path))
    assert counting.take() == ["rev-parse", "status", "log"]  # never one process per file

    repo.write("p1.md", PAGE + "edit while serving\n")
    again = read_history(repo.docs, repo.pages(), git=str(counting.path))
    assert counting.take() == ["rev-parse", "status"]
    assert again.for_file("p1.md").revisions[0].uncommitted

    new = repo.commit("Commit while serving", when="2026-01-06")
    after = read_history(repo.docs, repo.pages(), git=str(counting.path))
    assert counting.take() == ["rev-parse", "status", "log"]
    assert after.for_file("p1.md").revision == new[:7]
    assert not after.for_file("p1.md").revisions[0].uncommitted


# -- where the repository is -------------------------------------------------------------------------


def test_docs_at_the_repository_root(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "flat", docs="")
    issued = repo.commit("Issue", {"a.md": PAGE}, when="2026-01-05")

    assert read_history(repo.docs, ["a.md"]).for_file("a.md").revision == issued[:7]


def test_worktree_reads_the_same_history(repo: Repo, tmp_path: Path) -> None:
    issued = repo.commit("Issue", {"a.md": PAGE}, when="2026-01-05")
    git(repo.root, "worktree", "add", "-q", "-b", "other", str(tmp_path / "wt"))

    page = read_history(tmp_path / "wt" / "docs", ["a.md"]).for_file("a.md")

    assert page.status is HistoryStatus.OK and page.revision == issued[:7]


def test_detached_head_as_in_a_ci_checkout(repo: Repo) -> None:
    issued = repo.commit("Issue", {"a.md": PAGE}, when="2026-01-05")
    repo.commit("Later", {"a.md": PAGE + "x\n"}, when="2026-01-06")
    git(repo.root, "checkout", "-q", "--detach", issued)

    page = read_history(repo.docs, ["a.md"]).for_file("a.md")

    assert [row.summary for row in page.revisions] == ["Issue"]


def test_docs_in_a_submodule(tmp_path: Path) -> None:
    inner = Repo(tmp_path / "docs-repo", docs="docs")
    issued = inner.commit("Issue", {"a.md": PAGE}, when="2026-01-05")
    outer = Repo(tmp_path / "site", docs="")
    outer.commit("Start the site", {"index.md": "# Site\n"}, when="2026-01-01")
    git(outer.root, "-c", "protocol.file.allow=always", "submodule", "add", "-q", inner.root.as_uri(), "handbook")
    outer.commit("Add the handbook", when="2026-01-06")

    page = read_history(outer.root / "handbook" / "docs", ["a.md"]).for_file("a.md")

    assert page.status is HistoryStatus.OK
    assert [row.summary for row in page.revisions] == ["Issue"] and page.revision == issued[:7]


# -- without history --------------------------------------------------------------------------------


def test_shallow_clone_has_no_history_a_content_revision_and_a_hint(repo: Repo, tmp_path: Path) -> None:
    repo.commit("Issue", {"a.md": PAGE}, when="2026-01-05")
    repo.commit("Change", {"a.md": PAGE + "x\n"}, when="2026-01-06")
    git(tmp_path, "clone", "-q", "--depth", "1", repo.root.as_uri(), "shallow")

    history = read_history(tmp_path / "shallow" / "docs", ["a.md"])
    page = history.for_file("a.md")

    assert history.status is HistoryStatus.SHALLOW
    assert "fetch-depth: 0" in history.hint and "\n" not in history.hint
    assert (page.available, page.revisions, page.effective_on) == (False, (), None)
    assert page.revision == body_revision(PAGE + "x\n")


def test_no_git_on_path(repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo.commit("Issue", {"a.md": PAGE}, when="2026-01-05")
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))

    history = read_history(repo.docs, ["a.md"])

    assert history.status is HistoryStatus.NO_GIT and "install git" in history.hint
    assert history.for_file("a.md").revision == body_revision(PAGE)


def test_not_a_repository(tmp_path: Path) -> None:
    docs = tmp_path / "plain" / "docs"
    docs.mkdir(parents=True)
    (docs / "a.md").write_text(PAGE)

    history = read_history(docs, ["a.md"])

    assert history.status is HistoryStatus.NOT_A_REPOSITORY and "not in a git repository" in history.hint
    assert history.for_file("a.md").revision == body_revision(PAGE)
    assert history.changes(date(2000, 1, 1), date(2100, 1, 1)) == []


def test_repository_without_commits_or_with_the_docs_not_committed(repo: Repo) -> None:
    repo.write("a.md", PAGE)
    assert read_history(repo.docs, ["a.md"]).status is HistoryStatus.NOT_TRACKED  # unborn HEAD

    (repo.root / "README.md").write_text("code only\n")
    git(repo.root, "add", "README.md")
    git(repo.root, "commit", "-qm", "Code only")
    history = read_history(repo.docs, ["a.md"])

    assert history.status is HistoryStatus.NOT_TRACKED and "commit the docs" in history.hint
    assert history.for_file("a.md").revision == body_revision(PAGE)


def test_failing_git_is_named_in_the_hint(repo: Repo, tmp_path: Path) -> None:
    repo.commit("Issue", {"a.md": PAGE}, when="2026-01-05")
    broken = tmp_path / "broken-git"
    broken.write_text(
        f"#!{sys.executable}\nimport os, sys\n"
        "if 'status' in sys.argv:\n"
        "    sys.stderr.write('fatal: detected dubious ownership in repository\\n')\n"
        "    sys.exit(128)\n"
        f"os.execv({GIT!r}, [{GIT!r}, *sys.argv[1:]])\n"
    )
    broken.chmod(0o755)

    history = read_history(repo.docs, ["a.md"], git=str(broken))

    assert history.status is HistoryStatus.GIT_FAILED
    assert "dubious ownership" in history.hint and "fatal:" not in history.hint


# -- content revision ----------------------------------------------------------------------------------


def test_body_revision_is_sha256_of_the_body_after_the_front_matter() -> None:
    body = "# Approve invoices\n\nStep one.\n"
    assert body_revision(PAGE) == hashlib.sha256(body.encode()).hexdigest()[:7]
    assert body_revision(PAGE.replace("Jane Doe", "Tom Okafor")) == body_revision(PAGE)  # front-matter only
    assert body_revision(PAGE + "Step two.\n") != body_revision(PAGE)
    assert body_revision(body) == body_revision(PAGE)  # no front-matter: the whole text is the body


# -- trailers ----------------------------------------------------------------------------------------

TRAILER_CASES = {
    "plain": "Fix typo\n\nSop-Change: editorial\n",
    "lowercase key, spaced colon": "Fix typo\n\nsop-change :  Editorial\n",
    "subject only": "Sop-Change: editorial\n",
    "no blank line before": "Fix typo\nSop-Change: editorial\n",
    "in the body": "Rework\n\nSop-Change: editorial is what we did not do.\nIt changes limits.\n",
    "not the last paragraph": "Fix\n\nSop-Change: editorial\n\nMore words after.\n",
    "with other trailers": "Fix\n\nBody.\n\nReviewed-by: Tom <t@x>\nSop-Change: editorial\nSigned-off-by: J <j@x>\n",
    "continuation": "Fix\n\nNote: first part\n  second part\nSop-Change: editorial\n",
    "mixed block, git-generated": "Fix\n\nthis line is prose\nSigned-off-by: J <j@x>\nSop-Change: editorial\n",
    "mixed block, no git-generated": "Fix\n\nthis line is prose\nSop-Change: editorial\n",
    "space in key": "Fix\n\nSop Change: editorial\n",
    "trailing blank lines": "Fix\n\nSop-Change: editorial\n\n\n",
    "comment line": "Fix\n\n# a comment\nSop-Change: editorial\n",
    "url value": "Fix\n\nSee: https://example.com/a:b\n",
}


@pytest.mark.parametrize("message", TRAILER_CASES.values(), ids=TRAILER_CASES.keys())
def test_trailers_are_read_as_git_interpret_trailers_reads_them(message: str) -> None:
    done = subprocess.run(
        [GIT or "git", "interpret-trailers", "--parse", "--no-divider"],
        input=message,
        capture_output=True,
        text=True,
        check=True,
    )
    expected = [tuple(part.strip() for part in line.split(":", 1)) for line in done.stdout.splitlines()]

    assert parse_trailers(message) == expected


@pytest.mark.parametrize(
    ("message", "editorial"),
    [
        ("Fix typo\n\nSop-Change: editorial", True),
        ("Fix typo\n\nSOP-CHANGE: EDITORIAL", True),
        ("Fix typo\n\nSop-Change: major", False),
        ("Fix typo\n\nSop-Change: editorial\nSop-Change: major", False),  # the last one counts
        ("Sop-Change: editorial", False),  # a subject is never a trailer
        ("Fix typo\n\nThis is only an editorial change.", False),
        ("Fix typo\n\nSop-Change-Reason: editorial", False),
        ("Fix typo\n\nSop-Change: editorial (spelling)", False),
    ],
)
def test_editorial_trailer(message: str, editorial: bool) -> None:
    assert is_editorial(message) is editorial
