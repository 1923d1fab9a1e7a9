"""hub: reading files (every failure is a problem on that file) and finding the files MkDocs builds."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import pytest

import sop_hub
from sop_hub.core.hub import MARKDOWN_EXTENSIONS, SourceCache, load_hub, markdown_pages
from sop_hub.core.review import ReviewSettings

SETTINGS = ReviewSettings(as_of=date(2026, 6, 15))
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def _load(root: Path, names: list[str]):
    docs = root / "docs"
    pages = [(name, str(docs / name)) for name in names]
    return load_hub(pages, root=root, quizzes_dir=root / "quizzes", settings=SETTINGS)


def _unreadable(root: Path, name: str) -> tuple[int, str]:
    hub = _load(root, [name, "ok.md"])
    found = [p for p in hub.problems if p.code == "unreadable"]
    assert [p.path for p in found] == [f"docs/{name}"], hub.problems
    assert "ok.md" in hub.parsed and hub.parsed["ok.md"].problems == []
    return found[0].line, found[0].message


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "ok.md").write_text("# Fine\n", encoding="utf-8")
    return tmp_path


def test_latin1_file_says_save_it_as_utf8_and_names_the_line(root: Path) -> None:
    (root / "docs" / "old.md").write_bytes("---\nprocess: x\n---\n# Caf\u00e9\n".encode("latin-1"))
    line, message = _unreadable(root, "old.md")
    assert line == 4
    assert "not UTF-8" in message and "0xe9" in message
    assert message.endswith("save it as UTF-8")


@pytest.mark.parametrize(
    "data", [PNG, random.Random(7).randbytes(4096), b"\x00\x01\xff\xfe binary"], ids=["png", "random", "nul"]
)
def test_binary_file_says_it_is_not_text(root: Path, data: bytes) -> None:
    (root / "docs" / "image.md").write_bytes(data)
    _, message = _unreadable(root, "image.md")
    assert "not text" in message and "real extension" in message


def test_dangling_symlink_names_its_missing_target(root: Path) -> None:
    (root / "docs" / "gone.md").symlink_to("../elsewhere/missing.md")
    line, message = _unreadable(root, "gone.md")
    assert line == 1
    assert "`../elsewhere/missing.md`, which does not exist" in message
    assert message.endswith("or delete it")


def test_unreadable_permissions_say_make_it_readable(tmp_path: Path) -> None:
    """As root (CI's container) every file is readable: the reading process then drops to `nobody`
    after its imports, so the case is produced for real there too."""
    folder = Path(tempfile.mkdtemp(prefix="sop-hub-perm-", dir="/tmp"))
    try:
        folder.chmod(0o755)
        path = folder / "secret.md"
        path.write_text("# Secret\n", encoding="utf-8")
        path.chmod(0)
        probe = (
            "import os, sys; from sop_hub.core.hub import read_text, Unreadable\n"
            "if os.geteuid() == 0:\n    os.setgid(65534); os.setuid(65534)\n"
            "try:\n    read_text(sys.argv[1])\nexcept Unreadable as error:\n    print(error)\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", probe, str(path)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONPATH": str(Path(sop_hub.__file__).parents[1])},
            cwd="/",
        )
        assert "permission denied" in result.stdout and "chmod a+r" in result.stdout, result
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_a_file_that_becomes_readable_is_read_again(root: Path) -> None:
    cache = SourceCache()
    path = root / "docs" / "old.md"
    path.write_bytes(b"# Caf\xe9\n")
    parsed, _, _ = cache.parse("old.md", str(path), "docs/old.md")
    assert parsed.problems[0].code == "unreadable"
    path.write_text("# Caf\u00e9 au lait\n", encoding="utf-8")
    parsed, text, changed = cache.parse("old.md", str(path), "docs/old.md")
    assert changed and parsed.problems == [] and text == "# Caf\u00e9 au lait\n"


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "cr"])
def test_crlf_and_cr_only_files_are_read_as_mkdocs_reads_them(root: Path, newline: str) -> None:
    text = "---\ntype: process\nowner: Jane Doe\nlast_reviewed_on: 2026-06-01\n---\n# Mac\n"
    (root / "docs" / "mac.md").write_bytes(("\ufeff" + text).replace("\n", newline).encode("utf-8"))
    hub = _load(root, ["mac.md"])
    assert hub.texts["mac.md"] == text
    doc = hub.catalog.by_src["mac.md"]
    assert doc.kind == "process" and doc.owner is not None and doc.problems == []


# -- which files ----------------------------------------------------------------------------------


def test_markdown_extensions_are_the_ones_mkdocs_builds() -> None:
    from mkdocs.utils import markdown_extensions

    assert tuple(markdown_extensions) == MARKDOWN_EXTENSIONS


def test_markdown_pages_finds_every_extension_and_skips_dot_files(tmp_path: Path) -> None:
    for name in ("a.md", "b.markdown", "c.mdown", "d.mkdn", "e.mkd", "f.txt", ".hidden.md", ".git/x.md", "s/g.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("# x\n", encoding="utf-8")
    (tmp_path / "linked").symlink_to(tmp_path / "s")
    found = [src for src, _ in markdown_pages(tmp_path)]
    assert found == ["a.md", "b.markdown", "c.mdown", "d.mkdn", "e.mkd", "linked/g.md", "s/g.md"]


def test_paths_outside_the_project_are_relative_with_dot_dot(tmp_path: Path) -> None:
    root, shared = tmp_path / "hub", tmp_path / "shared-docs"
    root.mkdir()
    shared.mkdir()
    (shared / "p.md").write_text("---\ntype: process\nowner: Jane Doe\nlast_reviewed_on: 2026-06-01\n---\n")
    hub = load_hub([("p.md", str(shared / "p.md"))], root=root, quizzes_dir=root / "quizzes", settings=SETTINGS)
    assert hub.catalog.by_src["p.md"].path == "../shared-docs/p.md"
