"""`sop-hub` and the hosts: properdocs.yml is found, MkDocs itself is never imported, and an
installed MkDocs 2 (which cannot load plugins) is named with what to do, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sop_hub.hosts import versions as host
from tests.build.test_hosts import SMALL_HUB
from tests.cli.conftest import CURRENT, OVERDUE

ADVICE = "SOP Hub needs MkDocs 1.x: pin `mkdocs<2` or use ProperDocs (`pip install properdocs`)"
SOP_HUB = Path(sys.executable).parent / "sop-hub"  # the console script a user runs


# -- properdocs.yml -------------------------------------------------------------------------------


def test_every_command_finds_properdocs_yml(hub, run):
    root = hub(intake=OVERDUE)
    (root / "mkdocs.yml").rename(root / "properdocs.yml")
    check = run(root, "check", "--format", "json")
    assert check.code == 1 and json.loads(check.out)["summary"]["overdue"] == 1
    new = run(root, "new", "--process", "complaints", "--stage", "record", "--title", "Phone intake")
    assert new.code == 0 and (root / "docs/complaints/phone-intake.md").is_file()
    review = run(root, "review", "docs/complaints/intake.md", "--on", "2026-06-01")
    assert review.code == 0 and run(root, "check").code == 0


def test_properdocs_yml_wins_over_mkdocs_yml_as_in_properdocs(hub, run):
    root = hub(intake=CURRENT)
    text = (root / "mkdocs.yml").read_text()
    (root / "properdocs.yml").write_text(text.replace("as_of: '2026-06-15'", "as_of: '2027-06-15'"))
    assert "2027-06-15" in (root / "properdocs.yml").read_text()
    result = run(root, "check", "--fail-on", "never")
    assert "as of 2027-06-15" in result.out  # read properdocs.yml
    assert "as of 2026-06-15" in run(root, "check", "-f", "mkdocs.yml").out  # -f still chooses


def test_missing_config_names_both_files(tmp_path, run):
    result = run(tmp_path, "check")
    assert result.code == 2 and "no mkdocs.yml or properdocs.yml in" in result.err


# -- MkDocs is not imported -----------------------------------------------------------------------


def test_check_imports_no_host(hub):
    root = hub(intake=CURRENT)
    probe = (
        "import sys; from sop_hub.cli import main; code = main(['check']); "
        "print([m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'properdocs', 'material')])"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=root, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


# -- MkDocs 2 -------------------------------------------------------------------------------------


@pytest.fixture
def mkdocs_2(tmp_path: Path) -> dict[str, str]:
    """An environment whose `mkdocs` is 2.0.0, installed as a wheel would be (package + dist-info),
    shaped like the real 2.0 pre-releases: no `mkdocs.config`, no `mkdocs.plugins`."""
    fake = tmp_path / "mkdocs2"
    (fake / "mkdocs").mkdir(parents=True)
    (fake / "mkdocs/__init__.py").write_text('__version__ = "2.0.0"\n')
    (fake / "mkdocs-2.0.0.dist-info").mkdir()
    (fake / "mkdocs-2.0.0.dist-info/METADATA").write_text("Metadata-Version: 2.1\nName: mkdocs\nVersion: 2.0.0\n")
    return {**os.environ, "PYTHONPATH": str(fake), "NO_MKDOCS_2_WARNING": "1"}


def without_properdocs(*args: str) -> list[str]:
    """`sop-hub ARGS` in a Python where ProperDocs is not installed (find_spec sees None)."""
    code = f"import sys; sys.modules['properdocs'] = None; from sop_hub.cli import main; sys.exit(main({list(args)!r}))"
    return [sys.executable, "-c", code]


def test_mkdocs_2_fails_every_command_with_what_to_do(hub, mkdocs_2):
    root = hub(intake=CURRENT)
    for args in (("check",), ("new", "--process", "complaints", "--title", "X"), ("review", "docs/complaints/x.md")):
        done = subprocess.run(without_properdocs(*args), cwd=root, env=mkdocs_2, capture_output=True, text=True)
        assert done.returncode == 2, (args, done.stderr)
        assert done.stderr.startswith("sop-hub: error: MkDocs 2.0.0 is installed;")
        assert ADVICE in done.stderr and "Traceback" not in done.stderr
    assert not (root / "docs/complaints/x.md").exists()


def test_mkdocs_2_beside_properdocs_runs_with_a_note(hub, mkdocs_2):
    root = hub(intake=CURRENT)
    done = subprocess.run([str(SOP_HUB), "check"], cwd=root, env=mkdocs_2, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "note: MkDocs 2.0.0 is installed and cannot load SOP Hub: build with `properdocs build`" in done.stderr
    assert "sop-hub: 2 documents" in done.stdout


def test_mkdocs_2_plugin_import_says_what_to_do(mkdocs_2):
    load = (
        "import mkdocs; from importlib.metadata import entry_points; "  # as a host loads its plugins
        "entry_points(group='mkdocs.plugins')['sop-hub'].load()"
    )
    done = subprocess.run([sys.executable, "-c", load], env=mkdocs_2, capture_output=True, text=True)
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert (
        last == f"sop_hub.hosts.versions.UnsupportedHost: MkDocs 2.0.0 is installed and cannot load plugins. {ADVICE}."
    )
    assert "ImportError" not in done.stderr and "ModuleNotFoundError" not in done.stderr


def test_mkdocs_2_direct_plugin_import_says_what_to_do(mkdocs_2):
    done = subprocess.run(
        [sys.executable, "-c", "import sop_hub.hosts.mkdocs.plugin"], env=mkdocs_2, capture_output=True, text=True
    )
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("sop_hub.hosts.versions.UnsupportedHost: MkDocs 2.0.0 is installed and has no `mkdocs.")
    assert last.endswith(f"it cannot load plugins. {ADVICE}.")
    assert "ModuleNotFoundError" not in done.stderr


def test_properdocs_builds_the_hub_with_mkdocs_2_installed(make_hub, mkdocs_2):
    """The advice works: ProperDocs stands in for `mkdocs` even when MkDocs 2 is installed."""
    root = make_hub(SMALL_HUB)
    done = subprocess.run(
        [sys.executable, "-m", "properdocs", "build", "--strict", "-f", "mkdocs.yml"],
        cwd=root,
        env=mkdocs_2,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "sop-header" in (root / "site/complaints/intake/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("version", "expected"),
    [(None, False), ("1.6.1", False), ("1.6.7", False), ("2.0.0", True), ("2.0.dev6", True), ("10.1", True)],
)
def test_is_mkdocs_2(version, expected):
    assert host.is_mkdocs_2(version) is expected


def test_installed_version_reads_the_dist_info_without_importing(mkdocs_2):
    probe = (
        "import sys; from sop_hub.hosts import versions; "
        "print(versions.installed_version('mkdocs'), 'mkdocs' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], env=mkdocs_2, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["2.0.0", "False"]
    assert host.installed_version("no_such_package_here") is None
