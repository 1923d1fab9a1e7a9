"""`sop-hub check --output FILE`: through a symbolic link, onto a device, never replacing either."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.cli.conftest import OVERDUE


def _report(path: Path) -> dict:
    return json.loads(path.read_text())


def _no_temp_files(*folders: Path) -> None:
    for folder in folders:
        assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")] == [], folder


def test_output_through_a_link_writes_the_target_and_keeps_the_link(hub, run, tmp_path):
    root = hub(intake=OVERDUE)
    reports = tmp_path / "reports"
    reports.mkdir()
    target = reports / "report.json"
    target.write_text("old")
    target.chmod(0o640)
    (root / "report.json").symlink_to("../reports/report.json")  # relative, as links in a repo are
    result = run(root, "check", "--format", "json", "--output", "report.json")
    assert result.code == 1, result.err
    assert (root / "report.json").is_symlink() and os.readlink(root / "report.json") == "../reports/report.json"
    assert _report(target)["summary"]["overdue"] == 1
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    _no_temp_files(root, reports)


def test_output_through_a_chain_of_links_and_a_dangling_one(hub, run, tmp_path):
    root = hub(intake=OVERDUE)
    (root / "a.json").symlink_to(root / "b.json")
    (root / "b.json").symlink_to(tmp_path / "final.json")  # dangling: the target is created
    assert run(root, "check", "--format", "json", "-o", "a.json").code == 1
    assert (root / "a.json").is_symlink() and (root / "b.json").is_symlink()
    assert _report(tmp_path / "final.json")["summary"]["overdue"] == 1


def test_output_to_dev_null_leaves_the_device_alone(hub, run):
    root = hub(intake=OVERDUE)
    result = run(root, "check", "--output", "/dev/null")
    assert result.code == 1 and result.out == "" and result.err == ""
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_output_to_a_link_to_dev_null_keeps_the_link(hub, run):
    root = hub(intake=OVERDUE)
    (root / "discard").symlink_to("/dev/null")
    assert run(root, "check", "-o", "discard").code == 1
    assert (root / "discard").is_symlink() and stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_output_to_a_fifo_is_written_to_not_replaced(hub, run, tmp_path):
    root = hub(intake=OVERDUE)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    assert run(root, "check", "--format", "json", "-o", str(fifo)).code == 1
    reader.join(timeout=10)
    assert json.loads(received[0])["summary"]["overdue"] == 1
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    _no_temp_files(tmp_path)


@pytest.mark.parametrize("redirect", ["pipe", "file"])
def test_output_to_dev_stdout_writes_to_what_stdout_is(hub, tmp_path, redirect):
    root = hub(intake=OVERDUE)
    command = [sys.executable, "-m", "sop_hub", "check", "--format", "json", "-o", "/dev/stdout"]
    if redirect == "pipe":
        result = subprocess.run(command, cwd=root, capture_output=True, text=True)
        assert result.returncode == 1, result.stderr
        assert json.loads(result.stdout)["summary"]["overdue"] == 1
        return
    out = tmp_path / "out.json"
    out.write_text("")
    inode = out.stat().st_ino
    with open(out, "a") as handle:  # as `>> out.json` does
        result = subprocess.run(command, cwd=root, stdout=handle, stderr=subprocess.PIPE, text=True)
    assert result.returncode == 1, result.stderr
    assert out.stat().st_ino == inode  # the file the shell opened, not a replacement
    assert _report(out)["summary"]["overdue"] == 1


def test_output_to_a_full_device_is_one_clear_line(hub, run):
    root = hub(intake=OVERDUE)
    result = run(root, "check", "-o", "/dev/full")
    assert result.code == 2
    assert result.err == "sop-hub: error: cannot write the report to /dev/full: No space left on device\n"


def test_output_into_a_missing_folder_is_a_clear_error(hub, run):
    root = hub(intake=OVERDUE)
    result = run(root, "check", "-o", "missing/report.txt")
    assert result.code == 2
    assert "cannot write the report to missing/report.txt: the folder missing does not exist" in result.err
    assert not (root / "missing").exists()


def test_output_to_a_folder_is_a_clear_error(hub, run):
    root = hub(intake=OVERDUE)
    (root / "out").mkdir()
    result = run(root, "check", "-o", "out")
    assert result.code == 2
    assert result.err == "sop-hub: error: cannot write the report to out: it is a folder; name a file\n"
    assert list((root / "out").iterdir()) == []


def test_output_replaces_a_regular_file_atomically(hub, run):
    root = hub(intake=OVERDUE)
    out = root / "report.txt"
    out.write_text("old report\n")
    out.chmod(0o600)
    assert run(root, "check", "-o", "report.txt").code == 1
    assert "overdue" in out.read_text() and "old report" not in out.read_text()
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    _no_temp_files(root)


def test_a_report_name_near_the_length_limit_still_gets_its_temporary_file(hub, run):
    root = hub(intake=OVERDUE)
    name = "r" * 250 + ".txt"  # 254 bytes: the temporary name must be shortened, not 255 + 14
    assert run(root, "check", "-o", name).code == 1
    assert "overdue" in (root / name).read_text()
    _no_temp_files(root)
