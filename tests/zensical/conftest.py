"""Builds under real Zensical (pinned 0.0.73), in its own venv without MkDocs: `make test-zensical`.

The tests run in the dev venv (pytest, Playwright); each build runs the three commands of the
README's "Zensical preview" in ``.venv-zensical`` (``$SOP_HUB_ZENSICAL_VENV``), which the
``zensical_bin`` fixture creates with ``make .venv-zensical/.deps`` when it is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
VENV = Path(os.environ.get("SOP_HUB_ZENSICAL_VENV", REPO / ".venv-zensical"))


@pytest.fixture(scope="session")
def zensical_bin() -> Path:
    """The Zensical venv's bin folder (made on first use; a failure to make it fails, never skips)."""
    if not (VENV / ".deps").is_file() or not (VENV / "bin" / "zensical").is_file():
        made = subprocess.run(["make", f"{VENV.relative_to(REPO)}/.deps"], cwd=REPO, capture_output=True, text=True)
        assert made.returncode == 0, f"could not make {VENV}:\n{made.stdout}\n{made.stderr}"
    return VENV / "bin"


@pytest.fixture(scope="session")
def zensical_build(zensical_bin: Path) -> Callable[[Path], Path]:
    """``zensical_build(root)``: prepare, build (clean) and after-build the hub at ``root``; its site."""

    def run(root: Path) -> Path:
        steps = [
            [str(zensical_bin / "sop-hub"), "prepare", "-f", "mkdocs.yml"],
            [str(zensical_bin / "zensical"), "build", "--clean", "-f", "mkdocs.zensical.yml"],
            [str(zensical_bin / "sop-hub"), "prepare", "--after-build", "-f", "mkdocs.yml"],
        ]
        env = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}
        for step in steps:
            started = time.perf_counter()
            done = subprocess.run(step, cwd=root, capture_output=True, text=True, env=env)
            print(f"{Path(step[0]).name} {step[1]}: {time.perf_counter() - started:.2f} s")
            assert done.returncode == 0, (
                f"{' '.join(step[1:])} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
            )
            assert "Traceback" not in done.stderr, done.stderr
        return root / "site"

    return run


@pytest.fixture(scope="session")
def zensical_demo(tmp_path_factory: pytest.TempPathFactory, zensical_build: Callable[[Path], Path]) -> Path:
    """The repository's demo hub, copied (prepare writes stubs into docs/) and built once."""
    root = tmp_path_factory.mktemp("zensical-demo")
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copytree(REPO / "quizzes", root / "quizzes")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return zensical_build(root)
