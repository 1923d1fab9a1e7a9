"""`sop-hub check`: every format, exit status and the as-of precedence (SPEC §7)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date

import pytest
import yaml

from tests.cli.conftest import CURRENT, DRAFT, DUE_SOON, INVALID, OVERDUE, PROCESS, TYPO, procedure, workflow_commands
from tests.gitrepo import Repo, quiet_git  # noqa: F401  (an autouse fixture: no user git config)

LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): (?P<severity>error|warning): (?P<message>.+)$")


# -- exit status ----------------------------------------------------------------------------------


def test_all_current_exits_zero(hub, run):
    result = run(hub(response=CURRENT), "check")
    assert result.code == 0, result.out
    assert result.out.strip().splitlines()[-1].startswith("sop-hub: 2 documents as of 2026-06-15")


def test_overdue_review_exits_one_and_never_ignores_it(hub, run):
    root = hub(intake=OVERDUE)
    assert run(root, "check").code == 1
    assert run(root, "check", "--fail-on", "never").code == 0


def test_due_soon_passes_unless_fail_on_due_soon(hub, run):
    root = hub(escalation=DUE_SOON)
    assert run(root, "check").code == 0
    assert run(root, "check", "--fail-on", "due-soon").code == 1


def test_invalid_metadata_fails_even_with_fail_on_never(hub, run):
    result = run(hub(paper_form=INVALID), "check", "--fail-on", "never")
    assert result.code == 1
    assert "docs/complaints/paper-form.md:6: error: `last_reviewed_on`: `2026-02-30` is not a real date" in result.out


def test_warnings_alone_do_not_fail(hub, run):
    result = run(hub(closure=TYPO), "check")
    assert result.code == 0
    assert "warning: unknown key `verison`; did you mean `version`?" in result.out


def test_missing_config_exits_two(tmp_path, run):
    result = run(tmp_path, "check")
    assert result.code == 2
    assert "no mkdocs.yml" in result.err


def test_bad_arguments_exit_two(hub, run):
    root = hub(response=CURRENT)
    assert run(root, "check", "--format", "xml").code == 2
    assert run(root, "check", "--as-of", "2026-13-01").code == 2
    assert run(root).code == 2  # no command


def test_invalid_interval_in_config_exits_two(hub, run):
    result = run(hub(response=CURRENT, plugin={"due_soon": "a fortnight"}), "check")
    assert result.code == 2
    assert "due_soon" in result.err


def test_config_without_the_plugin_runs_with_defaults_and_says_so(hub, run):
    root = hub(response=CURRENT, config={"plugins": ["search"]})
    result = run(root, "check", "--as-of", "2026-06-15")
    assert result.code == 0
    assert "does not use the `sop-hub` plugin" in result.err


# -- as-of ----------------------------------------------------------------------------------------


def _as_of(run, root, *args):
    result = run(root, "check", "--format", "json", *args)
    return json.loads(result.out)["as_of"]


def test_as_of_flag_beats_environment_beats_config_beats_today(hub, run, monkeypatch):
    root = hub(response=CURRENT)
    assert _as_of(run, root) == "2026-06-15"  # the config
    monkeypatch.setenv("SOP_HUB_AS_OF", "2026-07-01")
    assert _as_of(run, root) == "2026-07-01"
    assert _as_of(run, root, "--as-of", "2026-08-01") == "2026-08-01"
    monkeypatch.delenv("SOP_HUB_AS_OF")
    no_as_of = hub(response=CURRENT, plugin={"as_of": None})
    assert _as_of(run, no_as_of) == date.today().isoformat()


def test_invalid_environment_as_of_exits_two(hub, run, monkeypatch):
    monkeypatch.setenv("SOP_HUB_AS_OF", "next tuesday")
    result = run(hub(response=CURRENT), "check")
    assert result.code == 2
    assert "SOP_HUB_AS_OF" in result.err


def test_as_of_changes_the_verdict(hub, run):
    root = hub(response=CURRENT)  # next review 2026-08-01
    assert run(root, "check", "--as-of", "2026-08-02").code == 1


# -- text -----------------------------------------------------------------------------------------


def test_text_lists_every_finding_then_a_summary(hub, run):
    root = hub(intake=OVERDUE, escalation=DUE_SOON, response=CURRENT, paper_form=INVALID, closure=TYPO)
    lines = run(root, "check").out.splitlines()
    findings = [LINE.match(line) for line in lines[:-1]]
    assert all(findings), lines
    by_file = {(m["path"], m["severity"]) for m in findings if m}
    assert ("docs/complaints/intake.md", "error") in by_file  # overdue
    assert ("docs/complaints/escalation.md", "warning") in by_file  # due soon
    assert ("docs/complaints/paper-form.md", "error") in by_file
    assert ("docs/complaints/closure.md", "warning") in by_file
    assert not any(m and m["path"].endswith("response.md") for m in findings)
    overdue = next(m for m in findings if m and m["path"].endswith("intake.md"))
    assert overdue["line"] == "6"  # the last_reviewed_on line
    assert "Tom Okafor" in overdue["message"]
    assert lines[-1] == (
        "sop-hub: 6 documents as of 2026-06-15: 2 overdue, 1 due soon, 3 current, 0 not required; "
        "1 metadata error, 1 warning"
    )


def test_text_has_no_colour_when_not_a_terminal(hub, run):
    assert "\033[" not in run(hub(intake=OVERDUE), "check").out


# -- json -----------------------------------------------------------------------------------------


def test_json_has_the_documented_shape(hub, run):
    root = hub(intake=OVERDUE, escalation=DUE_SOON, new_form=DRAFT, paper_form=INVALID)
    report = json.loads(run(root, "check", "--format", "json").out)
    assert set(report) == {"as_of", "summary", "documents", "problems"}
    assert report["summary"] == {
        "documents": 5, "current": 1, "due_soon": 1, "overdue": 2, "not_required": 1, "problems": 1,
    }  # fmt: skip
    intake = next(doc for doc in report["documents"] if doc["path"] == "docs/complaints/intake.md")
    assert intake == {
        "id": "complaints/intake", "type": "procedure", "title": "Intake", "path": "docs/complaints/intake.md",
        "url": "complaints/intake/", "process": "complaints", "stage": "record",
        "owner": {"name": "Tom Okafor", "email": None, "role": None}, "backup_owner": None, "version": None,
        "status": "active", "last_reviewed_on": "2026-01-10", "review_by": "2026-04-10",
        "review_status": "overdue", "quizzes": [],
        # not in git: the revision is the body's content hash (SPEC §8), no effective date, no approval
        "revision": intake["revision"], "effective_on": None, "approved_by": None, "approved_on": None,
        "reviewed_by": None, "superseded_by": None,
    }  # fmt: skip
    assert re.fullmatch(r"[0-9a-f]{7}", intake["revision"])
    (problem,) = report["problems"]
    assert problem["path"] == "docs/complaints/paper-form.md" and problem["line"] == 6
    assert problem["severity"] == "error" and problem["code"] == "invalid-date"


def test_json_urls_follow_use_directory_urls(hub, run):
    root = hub(intake=OVERDUE, config={"use_directory_urls": False})
    report = json.loads(run(root, "check", "--format", "json").out)
    assert {doc["url"] for doc in report["documents"]} == {"complaints/index.html", "complaints/intake.html"}


def test_output_file_gets_the_report_and_stdout_stays_empty(hub, run):
    root = hub(intake=OVERDUE)
    (root / "out").mkdir()
    result = run(root, "check", "--format", "json", "--output", "out/report.json")
    assert result.code == 1 and result.out == ""
    assert json.loads((root / "out/report.json").read_text())["summary"]["overdue"] == 1
    assert [p.name for p in (root / "out").iterdir()] == ["report.json"]  # no temporary file left


# -- github ---------------------------------------------------------------------------------------


def test_github_annotates_errors_and_warnings_with_file_and_line(hub, run):
    root = hub(intake=OVERDUE, escalation=DUE_SOON, paper_form=INVALID, closure=TYPO)
    commands = workflow_commands(run(root, "check", "--format", "github").out)
    found = {(c["kind"], c["file"], c["line"]) for c in commands}
    assert found == {
        ("error", "docs/complaints/intake.md", "6"),
        ("warning", "docs/complaints/escalation.md", "6"),
        ("error", "docs/complaints/paper-form.md", "6"),
        ("warning", "docs/complaints/closure.md", "7"),
    }
    assert [c["kind"] for c in commands] == ["error", "error", "warning", "warning"]  # errors survive the cap
    overdue = next(c for c in commands if c["file"].endswith("intake.md"))
    assert overdue["title"] == "Review overdue: complaints/intake Intake"


def test_github_paths_are_relative_to_the_workspace(hub, run, monkeypatch):
    root = hub(intake=OVERDUE)
    monkeypatch.setenv("GITHUB_WORKSPACE", str(root.parent))
    commands = workflow_commands(run(root, "check", "--format", "github").out)
    assert commands[0]["file"] == f"{root.name}/docs/complaints/intake.md"


def test_a_title_cannot_inject_a_workflow_command(hub, run):
    evil = '"Evil\\n::error file=x.md,line=1::pwned %0A::warning::more, title: x"'
    root = hub(intake=procedure(evil, "2026-01-10"))
    out = run(root, "check", "--format", "github").out
    commands = [line for line in out.splitlines() if line.startswith("::")]
    assert len(commands) == 1 and commands[0].startswith("::error file=docs/complaints/intake.md,line=6,title=")
    commands = workflow_commands(out)
    assert commands[0]["file"] == "docs/complaints/intake.md"
    assert (
        commands[0]["title"]
        == "Review overdue: complaints/intake Evil ::error file=x.md,line=1::pwned %0A::warning::more, title: x"
    )
    assert "Evil\n::error file=x.md,line=1::pwned %0A::warning::more" in commands[0]["message"]


def test_step_summary_lists_everything_past_the_annotation_cap(hub, run, monkeypatch, tmp_path):
    many = {f"sop_{n:02}": procedure(f"Task {n} <b>|", "2026-01-10") for n in range(12)}
    root = hub(escalation=DUE_SOON, paper_form=INVALID, **many)
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    out = run(root, "check", "--format", "github").out
    assert len([c for c in workflow_commands(out) if c["kind"] == "error"]) == 13
    assert "GitHub shows 10 annotations of each kind per step" in out
    text = summary.read_text()
    assert text.startswith("earlier step\n## SOP Hub check")  # appended, not replaced
    assert "#### Tom Okafor — 13 overdue, 1 due soon" in text  # 12 late + the one with no valid date
    assert text.count("🔴 overdue") == 13 and text.count("🟡 due soon") == 1
    assert "Task 11 &lt;b&gt;\\|" in text and "<b>" not in text  # escaped, one table cell
    assert "docs/complaints/paper\\-form\\.md" in text  # every problem too
    rows = [line for line in text.splitlines() if line.startswith("| 🔴")]
    assert all(line.count(" | ") == 4 for line in rows)


def test_without_step_summary_variable_no_file_is_written(hub, run, monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    root = hub(intake=OVERDUE)
    before = sorted(p.name for p in root.iterdir())
    run(root, "check", "--format", "github")
    assert sorted(p.name for p in root.iterdir()) == before


# -- junit ----------------------------------------------------------------------------------------


def test_junit_has_one_case_per_document_and_fails_overdue_and_invalid(hub, run):
    root = hub(intake=OVERDUE, escalation=DUE_SOON, response=CURRENT, new_form=DRAFT, paper_form=INVALID)
    (root / "docs/notes.md").write_text("---\ntitle: [unclosed\n---\n# Notes\n")  # a page, not a document
    result = run(root, "check", "--format", "junit")
    assert result.code == 1
    tree = ET.fromstring(result.out)
    assert tree.tag == "testsuites"
    (suite,) = tree.findall("testsuite")
    cases = suite.findall("testcase")
    assert len(cases) == 7  # 6 documents + the page with broken front-matter
    for element in (tree, suite):
        assert element.get("tests") == "7"
        assert element.get("failures") == "3"
        assert element.get("errors") == "0"
        assert element.get("skipped") == "1"
    by_file = {case.get("file"): case for case in cases}
    intake = by_file["docs/complaints/intake.md"]
    assert intake.get("classname") == "complaints" and intake.get("name") == "complaints/intake Intake"
    assert intake.find("failure").get("type") == "review-overdue"
    assert by_file["docs/complaints/paper-form.md"].find("failure").get("type") == "invalid-metadata"
    assert by_file["docs/notes.md"].get("classname") == "files"
    assert by_file["docs/notes.md"].find("failure") is not None
    assert by_file["docs/complaints/new-form.md"].find("skipped") is not None
    escalation = by_file["docs/complaints/escalation.md"]
    assert escalation.find("failure") is None
    assert "review due by 2026-06-20" in escalation.find("system-out").text
    assert by_file["docs/complaints/response.md"].find("failure") is None


def test_junit_failures_follow_fail_on(hub, run):
    root = hub(intake=OVERDUE, escalation=DUE_SOON)
    suite = ET.fromstring(run(root, "check", "--format", "junit", "--fail-on", "due-soon").out).find("testsuite")
    assert suite.get("failures") == "2"
    suite = ET.fromstring(run(root, "check", "--format", "junit", "--fail-on", "never").out).find("testsuite")
    assert suite.get("failures") == "0"


def test_junit_survives_characters_xml_forbids(hub, run):
    root = hub(intake=procedure('"Bell \\a & <tag>"', "2026-01-10"))
    tree = ET.fromstring(run(root, "check", "--format", "junit").out)
    names = [case.get("name") for case in tree.iter("testcase")]
    assert "complaints/intake Bell \ufffd & <tag>" in names


# -- the MkDocs config ----------------------------------------------------------------------------


def test_config_is_read_with_inherit_env_tags_and_python_tags(tmp_path, run, monkeypatch):
    root = tmp_path / "project"
    (root / "content/complaints").mkdir(parents=True)
    (root / "content/complaints/index.md").write_text(
        "---\ntype: process\nowner: Sarah Whitfield\nlast_reviewed_on: 2026-01-05\n---\n"
    )
    (root / "content/complaints/intake.md").write_text(procedure("Intake", "2026-05-01"))
    (root / "base.yml").write_text(
        yaml.safe_dump({"site_name": "x", "docs_dir": "content", "plugins": [{"sop-hub": {"as_of": "2026-06-15"}}]})
    )
    (root / "mkdocs.yml").write_text(
        "INHERIT: base.yml\n"
        "plugins:\n  - sop-hub:\n      as_of: !ENV [HUB_DATE, 2026-06-15]\n"
        "markdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
    )
    monkeypatch.setenv("HUB_DATE", "2026-09-01")
    report = json.loads(run(root, "check", "--format", "json").out)
    assert report["as_of"] == "2026-09-01"
    assert [doc["path"] for doc in report["documents"]] == [
        "content/complaints/index.md",
        "content/complaints/intake.md",
    ]


def test_config_in_a_subfolder_with_f_shows_paths_from_here(hub, run):
    root = hub(intake=OVERDUE)
    result = run(root.parent, "check", "-f", f"{root.name}/mkdocs.yml")
    assert result.out.startswith(f"{root.name}/docs/complaints/intake.md:6: error:")


def test_excluded_docs_are_not_checked(hub, run):
    root = hub(intake=OVERDUE, config={"exclude_docs": "complaints/intake.md\n"})
    (root / "docs/templates").mkdir()
    (root / "docs/templates/x.md").write_text(INVALID)  # excluded by MkDocs by default
    assert run(root, "check").code == 0


# -- as a program ---------------------------------------------------------------------------------


def test_python_m_sop_hub_runs_without_building_the_site(hub):
    root = hub(intake=OVERDUE)
    env = {**os.environ, "NO_COLOR": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "sop_hub", "check", "--format", "json"],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["summary"]["overdue"] == 1
    assert not (root / "site").exists()


def test_help_and_version(run, tmp_path):
    result = run(tmp_path, "check", "--help")
    assert result.code == 0 and "--fail-on" in result.out and "exit status" in result.out
    version = run(tmp_path, "--version")
    assert version.code == 0 and re.match(r"sop-hub \d+\.\d+", version.out)


def test_json_is_one_record_per_line_and_equals_the_register_records(hub, run):
    from sop_hub.cli import read_project, review_settings
    from sop_hub.core.hub import load_hub
    from sop_hub.core.report import report

    root = hub(intake=OVERDUE, paper_form=INVALID)
    out = run(root, "check", "--format", "json").out
    project = read_project(str(root / "mkdocs.yml"))
    loaded = load_hub(
        project.pages(), root=project.root, quizzes_dir=project.quizzes_dir, settings=review_settings(project, None)
    )
    assert json.loads(out) == report(loaded.catalog, loaded.problems)
    assert sum(1 for line in out.splitlines() if line.startswith('    {"id": ')) == 3


def test_impossible_as_of_in_the_config_exits_two_with_a_message(hub, run):
    root = hub(response=CURRENT)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("as_of: '2026-06-15'", "as_of: 2026-02-30"))
    result = run(root, "check")
    assert result.code == 2
    assert "February 2026 has 28 days" in result.err


# -- extreme dates --------------------------------------------------------------------------------

EXTREME = {
    "first_day": procedure("First day", "2026-05-01", extra="review_by: 0001-01-01\n"),
    "last_day": procedure("Last day", "2026-05-01", extra="review_by: 9999-12-31\n"),
    "far_review": procedure("Far review", "9999-12-31", extra="review_in: 9999 years\n"),
    "far_days": procedure("Far days", "9999-12-31", extra="review_in: 999999 days\n"),
    "year_one": procedure("Year one", "0001-01-01"),
}


@pytest.mark.parametrize("due_soon", ["30 days", "9999 years", "999999 days"])
@pytest.mark.parametrize("fmt", ["text", "json", "junit", "github"])
def test_extreme_dates_never_overflow_in_any_format(hub, run, fmt, due_soon, tmp_path, monkeypatch):
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))
    result = run(hub(plugin={"due_soon": due_soon}, **EXTREME), "check", "--format", fmt)
    assert result.code == 1, result.err  # review_by 0001-01-01 is overdue
    assert "Traceback" not in result.err
    assert "0001-01-01" in result.out
    if fmt == "json":
        dates = {doc["id"]: doc["review_by"] for doc in json.loads(result.out)["documents"]}
        assert dates["complaints/first-day"] == "0001-01-01"
        assert dates["complaints/far-review"] == "9999-12-31"
        assert dates["complaints/far-days"] == "9999-12-31"
    if fmt == "junit":
        ET.fromstring(result.out)


# -- unreadable files -----------------------------------------------------------------------------


def test_unreadable_files_are_problems_on_that_file_and_the_rest_is_checked(hub, run):
    root = hub(response=CURRENT)
    docs = root / "docs" / "complaints"
    (docs / "latin.md").write_bytes(b"---\nprocess: complaints\ntitle: Caf\xe9\n---\n")
    (docs / "picture.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    (docs / "moved.md").symlink_to("gone.md")
    result = run(root, "check", "--format", "json")
    assert result.code == 1
    report = json.loads(result.out)
    unreadable = {p["path"]: p for p in report["problems"] if p["code"] == "unreadable"}
    assert sorted(unreadable) == [f"docs/complaints/{n}.md" for n in ("latin", "moved", "picture")]
    assert unreadable["docs/complaints/latin.md"]["line"] == 3
    assert unreadable["docs/complaints/latin.md"]["message"].endswith("save it as UTF-8")
    assert "`gone.md`, which does not exist" in unreadable["docs/complaints/moved.md"]["message"]
    assert "complaints/response" in {doc["id"] for doc in report["documents"]}
    text = run(root, "check").out
    assert "docs/complaints/latin.md:3: error: the file is not UTF-8" in text


# -- which files, and their paths -----------------------------------------------------------------


def test_check_reads_every_markdown_extension_and_skips_what_mkdocs_build_skips(hub, run):
    broken = procedure("Broken", "2026-02-30")
    root = hub(
        config={"exclude_docs": "old/\n", "draft_docs": "drafts/\n*.draft.md\n"},
        response=CURRENT,
    )
    docs = root / "docs"
    for name in ("complaints/a.markdown", "complaints/b.mdown", "complaints/c.mkdn", "complaints/d.mkd"):
        (docs / name).write_text(procedure(name, "2026-05-01", stage="respond"), encoding="utf-8")
    for name in ("old/x.md", "drafts/y.md", "complaints/z.draft.md", "templates/t.md", ".hidden/h.md", "_.md/.d.md"):
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(broken, encoding="utf-8")
    result = run(root, "check", "--format", "json")
    report = json.loads(result.out)
    assert result.code == 0, report["problems"]
    paths = {doc["path"] for doc in report["documents"]}
    assert {f"docs/complaints/{n}" for n in ("a.markdown", "b.mdown", "c.mkdn", "d.mkd")} <= paths
    assert not any(p.startswith(("docs/old", "docs/drafts", "docs/templates", "docs/.hidden")) for p in paths)


def test_paths_are_relative_to_the_project_when_docs_dir_is_outside_it(make_hub, run, build):
    root = make_hub(
        {"../shared-docs/complaints/index.md": PROCESS, "../shared-docs/complaints/response.md": CURRENT},
        config={"docs_dir": "../shared-docs"},
    )
    report = json.loads(run(root, "check", "--format", "json").out)
    paths = sorted(doc["path"] for doc in report["documents"])
    assert paths == ["../shared-docs/complaints/index.md", "../shared-docs/complaints/response.md"]
    site = build(root)
    assert site.ok, site.error
    register = json.loads((site.site / "register.json").read_text(encoding="utf-8"))
    assert sorted(doc["path"] for doc in register["documents"]) == paths
    csv_text = (site.site / "register.csv").read_text(encoding="utf-8")
    assert "../shared-docs/complaints/response.md" in csv_text and str(root.parent) not in csv_text


def test_json_records_carry_revision_and_effective_date_from_git(hub, run):
    """One git log: the revision is the latest non-editorial commit's short hash (SPEC §8)."""
    root = hub(intake=CURRENT.replace("---\n# Body", "approved_by: Ann Lee\napproved_on: 2026-05-02\n---\n# Body"))
    repo = Repo(root, docs="")  # the project root is the repository; docs/ is in it
    issued = repo.commit("Issue the intake procedure", when="2026-03-01", who="Tom Okafor")
    path = root / "docs/complaints/intake.md"
    path.write_text(path.read_text() + "Typo fixed.\n")
    repo.commit("Fix a typo\n\nSop-Change: editorial", when="2026-04-01")
    report = json.loads(run(root, "check", "--format", "json").out)
    (record,) = [doc for doc in report["documents"] if doc["path"] == "docs/complaints/intake.md"]
    assert (record["revision"], record["effective_on"]) == (issued[:7], "2026-03-01")
    assert record["approved_by"] == {"name": "Ann Lee", "email": None, "role": None}
    assert record["approved_on"] == "2026-05-02"
