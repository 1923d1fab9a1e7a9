"""`sop-hub review`: set last_reviewed_on, changing no other byte, atomically."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tests.cli.conftest import CURRENT, DRAFT

ORIGINAL = (
    "\ufeff---\r\n"
    "# Owned by the quality team\r\n"
    "title: 'Intake: phone & email'   # keep short\r\n"
    "process: complaints\r\n"
    "stage: record\r\n"
    "owner: Tom Okafor\r\n"
    'last_reviewed_on: "2026-01-10"  # last audit\r\n'
    "review_in: 6 months\r\n"
    "review_by: 2026-07-10\r\n"
    "tags: [complaints]\r\n"
    "---\r\n"
    "\r\n"
    "# Intake\r\n"
    "last_reviewed_on: 2020-01-01 in the body is not front-matter\r\n"
)


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_review_changes_only_the_dates_byte_for_byte(hub, run):
    root = hub(intake=CURRENT)
    path = root / "docs/complaints/intake.md"
    path.write_bytes(ORIGINAL.encode("utf-8"))
    path.chmod(0o640)
    result = run(root, "review", "docs/complaints/intake.md", "--on", "2026-06-12")
    assert result.code == 0, result.err
    expected = ORIGINAL.replace('"2026-01-10"', '"2026-06-12"').replace(
        "review_by: 2026-07-10", "review_by: 2026-12-12"
    )
    assert path.read_bytes() == expected.encode("utf-8")
    assert path.stat().st_mode & 0o777 == 0o640
    assert "last_reviewed_on 2026-06-12" in result.out and "review_by 2026-12-12" in result.out
    assert _files(path.parent) == ["index.md", "intake.md"]  # no temporary file left


def test_review_by_moves_by_the_configured_default_interval(hub, run):
    root = hub(plugin={"review_in": {"procedure": "2 months"}})
    path = root / "docs/complaints/intake.md"
    path.write_text(
        CURRENT.replace("last_reviewed_on: 2026-05-01\n", "last_reviewed_on: 2026-05-01\nreview_by: 2026-08-01\n")
    )
    assert run(root, "review", str(path), "--on", "2026-06-30").code == 0
    assert "review_by: 2026-08-30\n" in path.read_text()  # 30 June + 2 months


def test_review_of_a_draft_inserts_the_date_before_the_closing_fence(hub, run):
    root = hub(new_form=DRAFT)
    path = root / "docs/complaints/new-form.md"
    before = path.read_text()
    assert run(root, "review", str(path), "--on", "2026-06-01").code == 0
    assert path.read_text() == before.replace(
        "status: draft\n---\n", "status: draft\nlast_reviewed_on: 2026-06-01\n---\n"
    )


def test_review_defaults_to_today_and_the_check_then_passes(hub, run):
    root = hub(intake=CURRENT.replace("2026-05-01", "2025-01-01"))
    assert run(root, "check").code == 1
    assert run(root, "review", "docs/complaints/intake.md").code == 0
    assert f"last_reviewed_on: {date.today().isoformat()}\n" in (root / "docs/complaints/intake.md").read_text()


def test_review_refuses_files_that_are_not_documents(hub, run):
    root = hub()
    (root / "docs/plain.md").write_text("# No front-matter\n")
    (root / "docs/page.md").write_text("---\ntitle: A page\n---\n# Page\n")
    result = run(root, "review", "docs/plain.md", "docs/page.md", "docs/missing.md")
    assert result.code == 1
    assert result.err.count("not a process or procedure") == 2
    assert "docs/missing.md: cannot read the file" in result.err
    assert (root / "docs/plain.md").read_text() == "# No front-matter\n"


def test_review_refuses_broken_front_matter_and_leaves_it_alone(hub, run):
    root = hub()
    path = root / "docs/complaints/broken.md"
    text = "---\nprocess: complaints\ntitle: [unclosed\nlast_reviewed_on: 2026-01-01\n---\n"
    path.write_text(text)
    result = run(root, "review", str(path))
    assert result.code == 1 and "cannot be read" in result.err
    assert path.read_text() == text


def test_review_refuses_a_date_it_cannot_edit_in_place(hub, run):
    root = hub()
    path = root / "docs/complaints/odd.md"
    text = "---\nprocess: complaints\nstage: record\nowner: A\nlast_reviewed_on:\n  2026-01-01\n---\n"
    path.write_text(text)
    result = run(root, "review", str(path))
    assert result.code == 1 and "one-line `last_reviewed_on: YYYY-MM-DD`" in result.err
    assert path.read_text() == text


def test_bad_review_date_exits_two(hub, run):
    root = hub(intake=CURRENT)
    assert run(root, "review", "docs/complaints/intake.md", "--on", "2026-02-30").code == 2


def test_an_interrupted_review_loses_nothing(hub, run, monkeypatch):
    root = hub(intake=CURRENT)
    path = root / "docs/complaints/intake.md"
    before = path.read_bytes()

    def interrupted(self, target):
        raise KeyboardInterrupt

    monkeypatch.setattr(Path, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run(root, "review", str(path), "--on", "2026-06-01")
    assert path.read_bytes() == before
    assert _files(path.parent) == ["index.md", "intake.md"]


def test_review_fills_in_an_empty_date_keeping_its_comment(hub, run):
    root = hub()
    path = root / "docs/complaints/empty.md"
    path.write_text("---\nprocess: complaints\nstage: record\nowner: A\nlast_reviewed_on:   # fill me\n---\n# E\n")
    assert run(root, "review", str(path), "--on", "2026-06-01").code == 0
    assert "\nlast_reviewed_on: 2026-06-01  # fill me\n---\n" in path.read_text()


def test_review_by_records_the_reviewer_inserting_the_key_and_changing_nothing_else(hub, run):
    root = hub(intake=CURRENT)
    path = root / "docs/complaints/intake.md"
    before = path.read_text()
    result = run(root, "review", str(path), "--on", "2026-06-01", "--by", "Jane Doe <jane@example.com>")
    assert result.code == 0, result.err
    assert path.read_text() == before.replace(
        "last_reviewed_on: 2026-05-01\n---\n",
        "last_reviewed_on: 2026-06-01\nreviewed_by: Jane Doe <jane@example.com>\n---\n",
    )
    assert "reviewed_by Jane Doe <jane@example.com>" in result.out
    # A second review by someone else replaces the value in place, keeping its comment.
    path.write_text(path.read_text().replace("<jane@example.com>", "<jane@example.com>  # QA lead"))
    assert run(root, "review", str(path), "--on", "2026-06-02", "--by", "Tom: Okafor").code == 0
    assert '\nreviewed_by: "Tom: Okafor"  # QA lead\n' in path.read_text()  # quoted: a plain `a: b` is a mapping
    check = json.loads(run(root, "check", "--format", "json").out)
    (record,) = [doc for doc in check["documents"] if doc["path"] == "docs/complaints/intake.md"]
    assert record["reviewed_by"] == {"name": "Tom: Okafor", "email": None, "role": None}


@pytest.mark.parametrize("person", ["Jane Doe, Tom Okafor", "  ", "Jane <no-address>"])
def test_review_by_refuses_what_is_not_one_person_and_writes_nothing(hub, run, person):
    root = hub(intake=CURRENT)
    path = root / "docs/complaints/intake.md"
    before = path.read_bytes()
    result = run(root, "review", str(path), "--by", person)
    assert result.code == 2 and "--by" in result.err
    assert path.read_bytes() == before
