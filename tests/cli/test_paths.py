"""Where the commands write: never outside the docs folder, through links, never over a device."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.cli.conftest import CURRENT, PROCESS

PROCESS_NO_STAGES = PROCESS.replace("stages: [Record, Respond]\n", "")


def _every_file(root: Path) -> set[Path]:
    return {p for p in root.rglob("*")}


def _new(run, root, *extra):
    return run(root, "new", "--process", "complaints", "--title", "Phone intake", *extra)


@pytest.mark.parametrize(
    "stage",
    ["../../..", "..", ".", "/tmp/evil", "a/b", "..\\..\\x", "x\x00y", "record/../../../x", "~", "x.y", "-"],
)
def test_new_refuses_a_stage_that_is_not_a_plain_name(make_hub, run, stage, tmp_path):
    root = make_hub({"docs/complaints/index.md": PROCESS_NO_STAGES})
    before = _every_file(tmp_path)
    result = _new(run, root, "--stage", stage)
    assert result.code == 2, result.err
    assert "is not a stage of `complaints`" in result.err or "one non-empty line" in result.err
    assert "Traceback" not in result.err
    assert _every_file(tmp_path) == before  # nothing written, no folder made


def test_new_refusal_lists_the_valid_stages(make_hub, run):
    root = make_hub(
        {
            "docs/complaints/index.md": PROCESS_NO_STAGES,
            "docs/complaints/intake.md": CURRENT.replace("stage: respond", "stage: record"),
        }
    )
    result = _new(run, root, "--stage", "../../etc")
    assert result.code == 2
    assert "(valid stages: `record`)" in result.err and "cannot name a folder" in result.err


def test_new_accepts_an_undeclared_stage_that_is_a_plain_name(make_hub, run):
    root = make_hub({"docs/complaints/index.md": PROCESS_NO_STAGES})
    result = _new(run, root, "--stage", "Call Centre")
    assert result.code == 0, result.err
    assert "stage: call-centre\n" in (root / result.out.strip()).read_text()


def test_new_never_writes_through_a_stage_folder_that_links_outside_docs(make_hub, run, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    root = make_hub(
        {
            "docs/complaints/index.md": PROCESS,
            "docs/complaints/respond/reply.md": CURRENT,  # procedures are filed in stage folders
        }
    )
    (root / "docs/complaints/record").symlink_to(outside, target_is_directory=True)
    result = run(root, "new", "--process", "complaints", "--stage", "record", "--title", "Phone intake")
    assert result.code == 2, result.err
    assert "outside the docs folder" in result.err and "docs/complaints/record/phone-intake.md" in result.err
    assert list(outside.iterdir()) == []


def test_new_writes_into_a_docs_folder_that_is_itself_a_link(tmp_path, make_hub, run):
    real = tmp_path / "real-docs"
    (real / "complaints").mkdir(parents=True)
    (real / "complaints/index.md").write_text(PROCESS_NO_STAGES)
    root = make_hub({}, config={"docs_dir": "docs-link"})
    (root / "docs-link").symlink_to(real, target_is_directory=True)
    result = _new(run, root)
    assert result.code == 0, result.err
    assert (real / "complaints/phone-intake.md").is_file()


def test_new_writes_into_a_stage_folder_that_links_inside_docs(make_hub, run):
    root = make_hub(
        {
            "docs/complaints/index.md": PROCESS,
            "docs/complaints/respond/reply.md": CURRENT,
            "docs/shared-record/.keep": "",
        }
    )
    (root / "docs/complaints/record").symlink_to(root / "docs/shared-record", target_is_directory=True)
    result = run(root, "new", "--process", "complaints", "--stage", "record", "--title", "Phone intake")
    assert result.code == 0, result.err
    assert (root / "docs/shared-record/phone-intake.md").is_file()


def test_new_does_not_follow_a_dangling_link_where_the_file_would_go(make_hub, run, tmp_path):
    root = make_hub({"docs/complaints/index.md": PROCESS_NO_STAGES})
    target = tmp_path / "elsewhere.md"
    (root / "docs/complaints/phone-intake.md").symlink_to(target)
    result = _new(run, root)
    assert result.code != 0
    assert not target.exists()


@pytest.mark.parametrize("title", ["../../../etc/passwd", "/etc/passwd", "..\\..\\x", "a/../../b"])
def test_new_title_with_path_characters_stays_a_file_name_in_the_process_folder(make_hub, run, title, tmp_path):
    root = make_hub({"docs/complaints/index.md": PROCESS_NO_STAGES})
    result = run(root, "new", "--process", "complaints", "--title", title)
    assert result.code == 0, result.err
    written = Path(result.out.strip())
    assert written.parent == Path("docs/complaints") and "/" not in written.name
    assert {p for p in _every_file(tmp_path) if p.is_file()} - {p for p in root.rglob("*")} == set()


def test_a_title_with_a_nul_is_refused(make_hub, run):
    root = make_hub({"docs/complaints/index.md": PROCESS_NO_STAGES})
    result = run(root, "new", "--process", "complaints", "--title", "a\x00b")
    assert result.code == 2 and "one non-empty line" in result.err


def test_a_title_too_long_for_a_file_name_names_the_target_and_the_fix(make_hub, run):
    root = make_hub({"docs/complaints/index.md": PROCESS_NO_STAGES})
    title = "Handling of " + "very " * 60 + "long complaints"
    result = run(root, "new", "--process", "complaints", "--title", title)
    assert result.code == 2, result.err
    assert "more than the 255" in result.err and "use a shorter --title" in result.err
    assert "docs/complaints/handling-of-very" in result.err and "\u2026" in result.err  # shortened
    assert len(result.err) < 400 and "Traceback" not in result.err
    assert sorted(p.name for p in (root / "docs/complaints").iterdir()) == ["index.md"]


def test_a_title_of_multibyte_letters_is_measured_in_bytes(make_hub, run):
    root = make_hub({"docs/complaints/index.md": PROCESS_NO_STAGES})
    title = "ü" * 126  # 126 characters, 252 bytes, and ".md" makes 255: just fits
    assert run(root, "new", "--process", "complaints", "--title", title).code == 0
    result = run(root, "new", "--process", "complaints", "--title", "ü" * 127)
    assert result.code == 2 and "use a shorter --title" in result.err


def test_a_file_where_the_stage_folder_should_be_is_a_clear_refusal(make_hub, run):
    root = make_hub({"docs/complaints/index.md": PROCESS, "docs/complaints/respond/reply.md": CURRENT})
    (root / "docs/complaints/record").write_text("not a folder")
    result = run(root, "new", "--process", "complaints", "--stage", "record", "--title", "Phone intake")
    assert result.code == 1, result.err
    assert "cannot make the folder docs/complaints/record: a file of that name is in the way" in result.err


def test_new_leaves_no_folder_behind_when_it_cannot_write(make_hub, run, monkeypatch):
    root = make_hub({"docs/complaints/index.md": PROCESS, "docs/complaints/respond/reply.md": CURRENT})

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "link", refuse)
    monkeypatch.setattr("sop_hub.cli.files.open", refuse, raising=False)  # the fallback without hard links
    result = run(root, "new", "--process", "complaints", "--stage", "record", "--title", "Phone intake")
    monkeypatch.undo()
    assert result.code == 1, result.err
    assert "cannot write docs/complaints/record/phone-intake.md: Permission denied" in result.err
    assert not (root / "docs/complaints/record").exists()
