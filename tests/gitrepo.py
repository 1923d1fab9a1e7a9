"""Scripted git repositories for tests: fixed authors and dates, no user or system config."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

GIT = shutil.which("git")
assert GIT, "the history tests need git on PATH"


@pytest.fixture(autouse=True)
def quiet_git(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No user or system git config may change what the tests see (signing, rename limits, aliases)."""
    empty = tmp_path_factory.mktemp("gitconfig") / "config"
    empty.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)


def git(cwd: Path, *args: str, when: str = "2026-01-05T10:00:00+00:00", who: str = "Jane Doe") -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    done = subprocess.run(
        [GIT or "git", "-c", f"user.name={who}", "-c", "user.email=someone@example.com", *args],
        cwd=cwd, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout.strip()


class Repo:
    """A repository with docs/ under it, committed to with fixed authors and dates."""

    def __init__(self, root: Path, docs: str = "docs") -> None:
        self.root = root
        self.docs = root / docs if docs else root
        self.docs.mkdir(parents=True, exist_ok=True)
        git(root, "init", "-q", "-b", "main")

    def write(self, path: str, text: str) -> None:
        target = self.docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def commit(
        self, message: str, files: dict[str, str] | None = None, *, when: str = "2026-01-05", who: str = "Jane Doe"
    ) -> str:
        for path, text in (files or {}).items():
            self.write(path, text)
        git(self.root, "add", "-A")
        stamp = when if "T" in when else f"{when}T10:00:00+00:00"
        git(self.root, "commit", "-q", "--allow-empty", "-m", message, when=stamp, who=who)
        return git(self.root, "rev-parse", "HEAD")

    def move(self, old: str, new: str) -> None:
        (self.docs / new).parent.mkdir(parents=True, exist_ok=True)
        git(self.root, "mv", str(self.docs / old), str(self.docs / new))

    def pages(self) -> list[str]:
        return sorted(path.relative_to(self.docs).as_posix() for path in self.docs.rglob("*.md"))
