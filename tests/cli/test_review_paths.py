"""`sop-hub review`: through links, past failures, keeping every line ending, leaving nothing behind."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from tests.cli.conftest import CURRENT

DOC = CURRENT  # last_reviewed_on: 2026-05-01


def _temp_files(*folders: Path) -> list[str]:
    return [p.name for folder in folders if folder.exists() for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_review_through_a_link_updates_the_target_and_keeps_the_link(hub, run, tmp_path):
    root = hub()
    shared = tmp_path / "shared"
    shared.mkdir()
    target = shared / "intake.md"
    target.write_text(DOC)
    target.chmod(0o640)
    link = root / "docs/complaints/intake.md"
    link.symlink_to("../../../shared/intake.md")
    result = run(root, "review", "docs/complaints/intake.md", "--on", "2026-06-12")
    assert result.code == 0, result.err
    assert link.is_symlink() and os.readlink(link) == "../../../shared/intake.md"
    assert target.read_text() == DOC.replace("2026-05-01", "2026-06-12")
    assert target.stat().st_mode & 0o777 == 0o640
    assert _temp_files(shared, link.parent) == []


def test_one_failing_file_is_reported_and_the_others_are_still_reviewed(hub, run):
    root = hub(first=DOC, last=DOC)
    (root / "docs/complaints/folder.md").mkdir()
    os.mkfifo(root / "docs/complaints/pipe.md")  # reading it would wait for ever
    (root / "docs/complaints/dangling.md").symlink_to(root / "nowhere.md")
    names = ["first", "folder", "missing", "pipe", "dangling", "last"]
    result = run(root, "review", *(f"docs/complaints/{n}.md" for n in names), "--on", "2026-06-12")
    assert result.code == 1
    errors = result.err.splitlines()
    assert errors == [
        "sop-hub: docs/complaints/folder.md: cannot read the file: it is a folder, not a file",
        "sop-hub: docs/complaints/missing.md: cannot read the file: No such file or directory",
        "sop-hub: docs/complaints/pipe.md: cannot read the file: "
        "it is not a regular file (a device, a FIFO or a socket)",
        f"sop-hub: docs/complaints/dangling.md: cannot read the file: it is a symbolic link to {root}/nowhere.md, "
        "which does not exist",
    ]
    for name in ("first", "last"):
        assert "last_reviewed_on: 2026-06-12\n" in (root / f"docs/complaints/{name}.md").read_text()
    assert _temp_files(root / "docs/complaints") == []


def test_a_link_to_a_device_is_refused_unread(hub, run):
    root = hub()
    (root / "docs/complaints/zero.md").symlink_to("/dev/zero")  # reading it would never end
    result = run(root, "review", "docs/complaints/zero.md")
    assert result.code == 1 and "not a regular file" in result.err
    assert (root / "docs/complaints/zero.md").is_symlink()


def test_a_write_that_fails_is_reported_names_the_file_and_leaves_no_temporary_file(hub, run, monkeypatch):
    root = hub(first=DOC)
    doomed = root / "docs/doomed"
    doomed.mkdir()
    (doomed / "intake.md").write_text(DOC)
    import sop_hub.cli.review as review

    verify = review._verify

    def remove_the_folder_then_verify(path, *args):  # the folder goes away between reading and writing
        verify(path, *args)
        if path.parent == Path("docs/doomed"):
            shutil.rmtree(doomed)

    monkeypatch.setattr(review, "_verify", remove_the_folder_then_verify)
    result = run(root, "review", "docs/doomed/intake.md", "docs/complaints/first.md", "--on", "2026-06-12")
    assert result.code == 1
    assert result.err.startswith("sop-hub: docs/doomed/intake.md: cannot write the file, left as it was: ")
    assert "docs/doomed/intake.md: cannot write" in result.err and "Traceback" not in result.err
    assert len(result.err.splitlines()) == 1
    assert "last_reviewed_on: 2026-06-12\n" in (root / "docs/complaints/first.md").read_text()
    assert _temp_files(root / "docs/complaints") == []


def test_a_replace_refused_by_the_system_leaves_the_file_and_no_temporary_file(hub, run, monkeypatch):
    root = hub(first=DOC, second=DOC)

    def denied(self, target):
        raise PermissionError(13, "Permission denied", str(self), str(target))

    monkeypatch.setattr(Path, "replace", denied)
    result = run(root, "review", "docs/complaints/first.md", "docs/complaints/second.md", "--on", "2026-06-12")
    assert result.code == 1
    assert result.err.splitlines() == [
        f"sop-hub: docs/complaints/{name}.md: cannot write the file, left as it was: Permission denied"
        for name in ("first", "second")
    ]
    assert (root / "docs/complaints/first.md").read_text() == DOC
    assert _temp_files(root / "docs/complaints") == []


def test_a_file_name_near_the_length_limit_can_be_reviewed(hub, run):
    root = hub()
    name = "i" * 250 + ".md"  # 253 bytes: a temporary name of `.<name>.XXXXXXXX.tmp` would not fit
    (root / "docs/complaints" / name).write_text(DOC)
    result = run(root, "review", f"docs/complaints/{name}", "--on", "2026-06-12")
    assert result.code == 0, result.err
    assert "2026-06-12" in (root / "docs/complaints" / name).read_text()


def test_a_cr_only_file_is_reviewed_keeping_its_line_endings(hub, run):
    root = hub()
    path = root / "docs/complaints/old-mac.md"
    path.write_bytes(DOC.replace("\n", "\r").encode())
    assert run(root, "review", str(path), "--on", "2026-06-12").code == 0
    assert path.read_bytes() == DOC.replace("2026-05-01", "2026-06-12").replace("\n", "\r").encode()


def test_a_cr_only_draft_gets_its_date_inserted_with_a_cr(hub, run):
    root = hub()
    path = root / "docs/complaints/draft.md"
    text = "---\rtitle: New\rprocess: complaints\rstage: record\rowner: A\rstatus: draft\r---\r# New\r"
    path.write_bytes(text.encode())
    assert run(root, "review", str(path), "--on", "2026-06-12").code == 0
    assert path.read_bytes() == text.replace("draft\r---", "draft\rlast_reviewed_on: 2026-06-12\r---").encode()


def test_a_crlf_draft_gets_its_date_inserted_with_a_crlf(hub, run):
    root = hub()
    path = root / "docs/complaints/draft.md"
    text = "---\r\ntitle: New\r\nprocess: complaints\r\nstage: record\r\nowner: A\r\nstatus: draft\r\n---\r\n# New\r\n"
    path.write_bytes(text.encode())
    assert run(root, "review", str(path), "--on", "2026-06-12").code == 0
    assert path.read_bytes() == text.replace("draft\r\n---", "draft\r\nlast_reviewed_on: 2026-06-12\r\n---").encode()


def test_mixed_line_endings_are_each_kept(hub, run):
    root = hub()
    path = root / "docs/complaints/mixed.md"
    text = (
        "---\r\ntitle: Mixed\rprocess: complaints\nstage: record\r\nowner: A\rlast_reviewed_on: 2026-01-01\n---\r# M\n"
    )
    path.write_bytes(text.encode())
    assert run(root, "review", str(path), "--on", "2026-06-12").code == 0
    assert path.read_bytes() == text.replace("2026-01-01", "2026-06-12").encode()


def test_a_file_name_with_a_line_break_is_reported_on_one_line(hub, run):
    root = hub()
    result = run(root, "review", "docs/x\n::error::y.md", "--on", "2026-06-12")
    assert result.code == 1
    assert result.err == "sop-hub: docs/x\\n::error::y.md: cannot read the file: No such file or directory\n"
