"""`sop-hub prepare` (the Zensical preview): stubs, assets, nav, config, register files, exit codes.

These run without Zensical: they check what prepare writes. The build under real Zensical, and
the browser tests against it, are tests/zensical/ (`make test-zensical`).
"""

from __future__ import annotations

import json

import pytest
import yaml

from sop_hub.cli import main
from sop_hub.hosts.zensical import prepare
from tests.cli.conftest import CURRENT, OVERDUE


def _prepare(root, capsys, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["prepare", "-f", str(root / "mkdocs.yml"), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_writes_a_stub_per_generated_page_and_a_config_that_inherits_mkdocs_yml(hub, capsys):
    root = hub(intake=OVERDUE, response=CURRENT)
    code, out, _err = _prepare(root, capsys)
    assert code == 0, out
    for name in ("processes", "reviews", "owners", "register", "changes"):
        text = (root / "docs" / f"{name}.md").read_text(encoding="utf-8")
        meta = yaml.safe_load(text.split("---\n")[1])
        assert meta[prepare.GENERATED_KEY] == name
        assert prepare.is_stub(root / "docs" / f"{name}.md")
    assert not (root / "docs" / "onboarding").exists()  # no tracks.yml: no onboarding page
    config = yaml.safe_load((root / prepare.ZENSICAL_CONFIG).read_text(encoding="utf-8"))
    assert config["INHERIT"] == "mkdocs.yml"
    assert config["markdown_extensions"] == [{"sop_hub.markdown": {"config_file": "mkdocs.yml"}}]
    assert "assets/sop-hub/sop-hub.css" in config["extra_css"]
    assert ".sop-hub" in config["watch"]
    process = next(item for item in config["nav"] if isinstance(item, dict) and "Customer complaint handling" in item)
    assert process["Customer complaint handling"][0] == "complaints/index.md"
    assert {"Hub overview": ["processes.md", "reviews.md", "owners.md", "register.md", "changes.md"]} in config["nav"]
    assert (root / "docs" / "assets" / "sop-hub" / "quiz.js").is_file()


def test_a_second_run_changes_nothing_so_zensical_keeps_its_cache(hub, capsys):
    root = hub(intake=OVERDUE)
    _prepare(root, capsys)
    fingerprint = (root / ".sop-hub" / "fingerprint").read_text(encoding="utf-8")
    code, out, _err = _prepare(root, capsys)
    assert code == 0
    assert out == ""  # nothing rewritten: no mtime changes, no full re-render
    assert (root / ".sop-hub" / "fingerprint").read_text(encoding="utf-8") == fingerprint


def test_an_edit_to_any_document_changes_the_watched_fingerprint(hub, capsys):
    root = hub(intake=OVERDUE)
    _prepare(root, capsys)
    before = (root / ".sop-hub" / "fingerprint").read_text(encoding="utf-8")
    intake = root / "docs" / "complaints" / "intake.md"
    intake.write_text(intake.read_text(encoding="utf-8").replace("Intake", "Intake and logging"), encoding="utf-8")
    _code, out, _err = _prepare(root, capsys)
    assert "fingerprint" in out
    assert (root / ".sop-hub" / "fingerprint").read_text(encoding="utf-8") != before


def test_an_authors_page_at_a_generated_location_is_never_overwritten(hub, capsys, make_hub):
    root = hub(intake=OVERDUE)
    (root / "docs" / "reviews.md").write_text("# Our own reviews page\n", encoding="utf-8")
    code, _out, err = _prepare(root, capsys)
    assert code == 2
    assert "docs/reviews.md exists" in err and "pages: {reviews: other/path/}" in err
    assert (root / "docs" / "reviews.md").read_text(encoding="utf-8") == "# Our own reviews page\n"


def test_a_switched_off_page_loses_its_stub(hub, capsys):
    root = hub(intake=OVERDUE)
    _prepare(root, capsys)
    hub(intake=OVERDUE, plugin={"pages": {"owners": False}})  # the same project, owners switched off
    code, _out, err = _prepare(root, capsys)
    assert code == 0, err
    assert not (root / "docs" / "owners.md").exists()
    assert (root / "docs" / "reviews.md").exists()


def test_a_nav_of_the_users_own_is_refused_with_the_reason(hub, capsys):
    root = hub(intake=OVERDUE, config={"nav": ["index.md"]})
    code, _out, err = _prepare(root, capsys)
    assert code == 2
    assert "has a `nav`" in err and "Zensical appends to the lists it inherits" in err


@pytest.mark.parametrize("register_files", [True, False])
def test_after_build_writes_the_register_files_into_the_site(hub, capsys, register_files):
    root = hub(intake=OVERDUE, plugin={"register_files": register_files})
    (root / "site").mkdir()
    code, _out, _err = _prepare(root, capsys, "--after-build")
    assert code == 0
    if not register_files:
        assert not (root / "site" / "register.json").exists()
        return
    data = json.loads((root / "site" / "register.json").read_text(encoding="utf-8"))
    assert [doc["title"] for doc in data["documents"] if doc["type"] == "procedure"] == ["Intake"]
    assert (root / "site" / "register.csv").read_text(encoding="utf-8-sig").startswith("id,")
    assert "<feed" in (root / "site" / "changes.xml").read_text(encoding="utf-8")


def test_front_matter_zensical_cannot_read_fails_before_anything_is_written(hub, capsys):
    root = hub(intake=OVERDUE, broken="---\ntitle: [unclosed\n---\n# Broken\n")
    code, out, err = _prepare(root, capsys)
    assert code == 1
    assert "docs/complaints/broken.md:" in err and "Zensical stops the whole build" in err
    assert out == "" and not (root / prepare.ZENSICAL_CONFIG).exists()


def test_the_hubs_problems_are_reported_like_sop_hub_check(hub, capsys):
    root = hub(intake=OVERDUE)
    code, _out, err = _prepare(root, capsys)
    assert code == 0
    assert "docs/complaints/intake.md:" in err and "overdue" in err and "sop-hub: 2 documents" in err


def test_after_build_without_a_site_says_to_build_first(hub, capsys):
    root = hub(intake=OVERDUE)
    code, _out, err = _prepare(root, capsys, "--after-build")
    assert code == 2 and "run `zensical build -f mkdocs.zensical.yml` first" in err
