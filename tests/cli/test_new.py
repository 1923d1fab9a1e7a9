"""`sop-hub new`: a valid procedure from the template, in the right folder, never overwriting."""

from __future__ import annotations

import json
from datetime import date

from sop_hub.core.metadata import Source, parse_source
from sop_hub.core.model import Procedure
from tests.cli.conftest import CURRENT, PROCESS


def _parse(root, rel):
    text = (root / rel).read_text(encoding="utf-8")
    return parse_source(Source(rel.removeprefix("docs/"), rel, text))


def test_new_procedure_goes_beside_the_process_page_and_prints_its_path(hub, run):
    root = hub(response=CURRENT)  # procedures beside the process page, no stage folders
    result = run(root, "new", "--process", "complaints", "--stage", "Record", "--title", "Phone intake")
    assert result.code == 0, result.err
    assert result.out.strip() == "docs/complaints/phone-intake.md"
    parsed = _parse(root, "docs/complaints/phone-intake.md")
    assert parsed.problems == []
    doc = parsed.document
    assert isinstance(doc, Procedure)
    assert (doc.title, doc.process, doc.stage) == ("Phone intake", "complaints", "record")
    assert doc.owner and doc.owner.name == "Sarah Whitfield"  # the process owner
    # A draft (SPEC §7): not a controlled document until it is filled in and approved.
    assert doc.status.value == "draft" and doc.last_reviewed_on is None and doc.approved_by is None
    body = parsed.body
    for section in ("## Purpose", "## Scope", "## Roles", "## Procedure", "1. ", "## Records"):
        assert section in body


def test_new_procedure_goes_into_the_stage_folder_when_the_process_uses_them(make_hub, run):
    root = make_hub(
        {
            "docs/complaints/index.md": PROCESS,
            "docs/complaints/record/intake.md": CURRENT.replace("stage: respond", "stage: record"),
        }
    )
    result = run(root, "new", "--process", "complaints", "--stage", "respond", "--title", "Written reply")
    assert result.code == 0, result.err
    assert result.out.strip() == "docs/complaints/respond/written-reply.md"
    assert run(root, "check").code == 0


def test_title_with_colon_and_quotes_round_trips(hub, run):
    root = hub()
    title = 'Returns: the "48-hour" rule # and it\'s #1'
    result = run(
        root,
        "new",
        "--process",
        "complaints",
        "--stage",
        "record",
        "--title",
        title,
        "--owner",
        "Ann Lee <ann@example.com>",
    )
    assert result.code == 0, result.err
    parsed = _parse(root, result.out.strip())
    assert parsed.problems == []
    assert parsed.document.title == title
    assert parsed.document.owner.email == "ann@example.com"
    assert run(root, "check").code == 0


def test_new_never_overwrites(hub, run):
    root = hub()
    args = ("new", "--process", "complaints", "--stage", "record", "--title", "Intake")
    assert run(root, *args).code == 0
    path = root / "docs/complaints/intake.md"
    path.write_text("my edits\n")
    result = run(root, *args)
    assert result.code == 1
    assert "already exists" in result.err and "never overwrites" in result.err
    assert path.read_text() == "my edits\n"
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_unknown_process_lists_the_known_ones(hub, run):
    result = run(hub(), "new", "--process", "complaint", "--stage", "record", "--title", "X")
    assert result.code == 2
    assert "did you mean `complaints`?" in result.err
    assert "known processes: `complaints` “Customer complaint handling”; did you mean `complaints`?" in result.err


def test_stage_must_belong_to_the_process(hub, run):
    root = hub()
    result = run(root, "new", "--process", "complaints", "--stage", "recrod", "--title", "X")
    assert result.code == 2
    assert "(valid stages: `record`, `respond`); did you mean `record`?" in result.err
    assert run(root, "new", "--process", "complaints", "--title", "X").code == 2  # the process declares stages


def test_a_title_on_two_lines_is_refused(hub, run):
    result = run(hub(), "new", "--process", "complaints", "--stage", "record", "--title", "One\n::error::two")
    assert result.code == 2
    assert "one non-empty line" in result.err


def test_new_writes_a_draft_that_check_accepts_and_its_template_text_warns_once_active(hub, run):
    root = hub(response=CURRENT)
    assert run(root, "new", "--process", "complaints", "--stage", "record", "--title", "Phone intake").code == 0
    path = root / "docs/complaints/phone-intake.md"
    draft = run(root, "check", "--format", "json")
    (record,) = [doc for doc in json.loads(draft.out)["documents"] if doc["path"] == "docs/complaints/phone-intake.md"]
    assert (record["status"], record["review_status"], record["last_reviewed_on"]) == ("draft", "not-required", None)
    assert not [p for p in json.loads(draft.out)["problems"] if p["path"].endswith("phone-intake.md")]
    # Made active with the template's sentences still in it: one warning per placeholder line.
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("status: draft\n", f"last_reviewed_on: {date.today()}\n"), encoding="utf-8")
    result = run(root, "check")
    lines = path.read_text(encoding="utf-8").split("\n")
    flagged = [int(line.split(":")[1]) for line in result.out.splitlines() if "placeholder text" in line]
    expected = [number for number, line in enumerate(lines, 1) if line.endswith("sop-hub:placeholder -->")]
    expected += [number for number, line in enumerate(lines, 1) if line.endswith("sop-hub:placeholder --> |")]
    assert sorted(flagged) == sorted(expected) and len(flagged) == 7
    assert "Why this procedure exists" in lines[flagged[0] - 1]
    assert result.code == 0  # warnings: the check still passes
