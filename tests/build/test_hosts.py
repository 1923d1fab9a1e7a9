"""SOP Hub on each host it supports: MkDocs 1.x and ProperDocs, through their own command lines.

The rest of the suite builds in-process on the host $SOP_HUB_BUILDER selects (`.ci/run` runs it
once per host); these build a small hub with each host's real CLI whichever is selected.
"""

from __future__ import annotations

import importlib
import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.bench import builder
from tests.conftest import BUILDER

SMALL_HUB = {
    "docs/index.md": "# Home\n",
    "docs/complaints/index.md": """\
        ---
        type: process
        title: Customer complaint handling
        owner: Sarah Whitfield
        last_reviewed_on: 2026-05-01
        stages: [Record]
        ---
        # Complaints
        """,
    "docs/complaints/intake.md": """\
        ---
        title: Complaint intake
        id: SOP-CS-001
        process: complaints
        stage: record
        owner: Tom Okafor
        last_reviewed_on: 2026-05-01
        ---
        # Complaint intake

        Log the complaint.
        """,
}
TYPO = "docs/complaints/intake.md"


def host_build(root: Path, host: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    env.pop("SOP_HUB_AS_OF", None)
    return subprocess.run(
        builder.command(host, "build", *args), cwd=root, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("host", builder.HOSTS)
def test_each_host_builds_the_header_and_the_generated_pages(make_hub, host):
    root = make_hub(SMALL_HUB)
    done = host_build(root, host, "--strict", "-f", "mkdocs.yml")
    assert done.returncode == 0, done.stderr
    page = (root / "site/complaints/intake/index.html").read_text(encoding="utf-8")
    header = re.search(r'<section class="sop-header".*?</section>', page, re.S)
    assert header and "SOP-CS-001" in header.group(0) and "Tom Okafor" in header.group(0)
    reviews = (root / "site/reviews/index.html").read_text(encoding="utf-8")
    assert 'class="sop-generated' in reviews and "Complaint intake" in reviews
    assert (root / "site/register.json").is_file()


@pytest.mark.parametrize("host", builder.HOSTS)
def test_each_host_fails_a_strict_build_on_an_author_warning(make_hub, host):
    root = make_hub({**SMALL_HUB, TYPO: SMALL_HUB[TYPO].replace("owner:", "verison: 2\n        owner:")})
    done = host_build(root, host, "--strict", "-f", "mkdocs.yml")
    assert done.returncode == 1
    assert "docs/complaints/intake.md:6: warning: unknown key `verison`" in done.stderr


def test_properdocs_finds_properdocs_yml_itself(make_hub):
    root = make_hub(SMALL_HUB)
    (root / "mkdocs.yml").rename(root / "properdocs.yml")
    done = host_build(root, "properdocs", "--strict")
    assert done.returncode == 0, done.stderr
    assert "sop-header" in (root / "site/complaints/intake/index.html").read_text(encoding="utf-8")


def test_in_process_builds_run_on_the_selected_host_and_count_its_strict_warnings(make_hub, build):
    root = make_hub({**SMALL_HUB, TYPO: SMALL_HUB[TYPO].replace("owner:", "verison: 2\n        owner:")})
    result = build(root)
    assert result.ok and any("unknown key `verison`" in line for line in result.warnings())
    strict = build(root, strict=True, site_dir=root / "site-strict")
    assert not strict.ok and "1 warnings" in str(strict.error)
    from sop_hub.hosts.mkdocs.plugin import SopHubPlugin

    base = next(cls for cls in SopHubPlugin.__mro__ if cls.__name__ == "BasePlugin")
    assert base.__module__ == f"{BUILDER}.plugins"  # under ProperDocs, not MkDocs reached via the alias
    # and what the suite's own `from mkdocs... import` lines load is that host too
    assert importlib.import_module("mkdocs.commands.build") is importlib.import_module(f"{BUILDER}.commands.build")
