"""`mkdocs serve --dirty`: an edit rebuilds what it affects, and the hub stays correct."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from tests.build.test_hub_build import make_complaints
from tests.gitrepo import Repo, quiet_git  # noqa: F401  (quiet_git: an autouse fixture)


def _serve_build(root: Path, site: Path) -> None:
    """One rebuild as `mkdocs serve --dirty` does it: a fresh config, the same plugin instance."""
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(site))
    config.site_url = "http://127.0.0.1:8000/"
    build(config, serve_url="http://127.0.0.1:8000/", dirty=True)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new))
    stamp = time.time() + 2  # newer than every built page, whatever the file system's resolution
    os.utime(path, (stamp, stamp))


def _mtime(site: Path, url: str) -> float:
    return (site / url / "index.html").stat().st_mtime


def test_dirty_rebuild_updates_edited_page_its_process_and_generated_pages_only(make_hub):
    root = make_complaints(make_hub)
    # In git, as a hub is: an uncommitted body edit keeps the revision the listings show (SPEC §8).
    # (Without history the revision is the body's hash, so a body edit changes the register too.)
    Repo(root, docs="").commit("Issue the hub", when="2026-01-05")
    site = root / "site"
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=True)
    try:
        _serve_build(root, site)
        untouched_before = _mtime(site, "quality")
        time.sleep(0.05)

        # A review recorded: the page, its process page and the reviews page change; others do not.
        _edit(root / "docs/complaints/intake.md", "last_reviewed_on: 2026-01-02", "last_reviewed_on: 2026-06-01")
        _serve_build(root, site)
        assert 'data-review-status="current"' in (site / "complaints/intake/index.html").read_text()
        process = (site / "complaints/index.html").read_text()
        assert "sop-badge--overdue" not in process.split("Complaint intake")[1].split("</li>")[0]
        assert _mtime(site, "quality") == untouched_before
        nav = (site / "complaints/intake/index.html").read_text().split('class="md-nav md-nav--primary"')[1]
        assert ">None<" not in nav and "Customer reply" in nav and "Contact us" in nav  # skipped pages keep titles
        register = json.loads((site / "register.json").read_text())
        intake = next(doc for doc in register["documents"] if doc["id"] == "SOP-CS-001")
        assert intake["review_status"] == "current" and intake["last_reviewed_on"] == "2026-06-01"
        reviews = (site / "reviews" / "index.html").read_text()
        row = reviews.split('data-sop-ref="SOP-CS-001"')[1].split("</tr>")[0]
        assert "2026-09-01" in row  # its new next-review date

        # Search still knows every page, not only the one rebuilt.
        index = json.loads((site / "search" / "search_index.json").read_text())
        locations = {entry["location"].split("#")[0] for entry in index["docs"]}
        assert {"complaints/reply/", "quality/", "complaints/intake/"} <= locations
        every = [entry["location"] for entry in index["docs"]]
        assert len(every) == len(set(every)), "search entries duplicated by the partial rebuild"

        # Only a body changed: the page is rebuilt, the generated listings are not.
        listing_before = _mtime(site, "register")
        time.sleep(0.05)
        _edit(root / "docs/complaints/reply.md", "1. Do the thing.", "1. Do the thing carefully.")
        _serve_build(root, site)
        assert "Do the thing carefully." in (site / "complaints/reply/index.html").read_text()
        assert _mtime(site, "register") == listing_before

        # A title change shows in every page's navigation, so every page is rebuilt.
        _edit(root / "docs/complaints/reply.md", "title: Customer reply", "title: Written reply to customer")
        _serve_build(root, site)
        assert "Written reply to customer" in (site / "quality/index.html").read_text()
    finally:
        config.plugins.on_shutdown()
