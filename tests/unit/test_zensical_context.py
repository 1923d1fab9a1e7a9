"""sop_hub.markdown under Zensical's calling convention, without Zensical: a fake rendering context.

Zensical (0.0.73) makes a new Markdown, so a new extension, for every page render, with its
``ContextExtension`` registered first as the preprocessor ``rendering_context`` (``.page`` with
``path``, ``url``, ``meta``; ``.config``). The real build is tests/zensical/.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import markdown
from markdown.preprocessors import Preprocessor

from sop_hub.hosts.zensical import context, prepare
from sop_hub.markdown import SopHubExtension

PROCEDURE = """---
id: SOP-1
title: Log a complaint
process: complaints
owner: Sarah Whitfield
last_reviewed_on: 2026-05-01
icon: no/such-icon
---
# Log a complaint

Open the log.
"""
PROCESS = """---
type: process
id: complaints
title: Complaints
owner: Sarah Whitfield
last_reviewed_on: 2026-05-01
---
# Complaints
"""


class _Context(markdown.Extension):
    """Zensical's ContextExtension, as far as the extension sees it."""

    def __init__(self, root: Path, path: str, url: str, meta: dict[str, Any]) -> None:
        super().__init__()
        self.page = SimpleNamespace(path=path, url=url, meta=meta)
        self.config_dict = {"root_dir": str(root), "theme": {}, "extra": {}}

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        pre = Preprocessor(md)
        pre.run = lambda lines: lines  # type: ignore[method-assign]
        pre.page, pre.config = self.page, self.config_dict  # type: ignore[attr-defined]
        md.preprocessors.register(pre, context.CONTEXT, 100)


def _render(root: Path, path: str, url: str, meta: dict[str, Any], body: str) -> str:
    extensions = [_Context(root, path, url, meta), SopHubExtension(config_file="mkdocs.yml"), "toc"]
    return markdown.Markdown(extensions=extensions).convert(body)


def _hub(make_hub: Any) -> Path:
    root: Path = make_hub(
        {"docs/index.md": "# Home\n", "docs/complaints/index.md": PROCESS, "docs/complaints/log.md": PROCEDURE}
    )
    prepare.prepare(str(root / "mkdocs.yml"))
    return root


def test_a_page_gets_its_header_and_the_hub_is_loaded_once_per_fingerprint(make_hub: Any) -> None:
    root = _hub(make_hub)
    meta: dict[str, Any] = {"title": "Log a complaint", "icon": "no/such-icon"}
    body = "# Log a complaint\n\nOpen the log.\n"
    first = _render(root, "complaints/log.md", "complaints/log/", meta, body)
    assert 'data-sop-id="SOP-1"' in first and first.index("</h1>") < first.index('data-sop-id="SOP-1"')
    assert "icon" not in meta  # the meta Zensical gets back: an icon its theme lacks would abort the build
    hub = context._STATES[(root / "mkdocs.yml").resolve()].hub
    again = _render(root, "complaints/log.md", "complaints/log/", {"title": "Log a complaint"}, body)
    assert again == _render(root, "complaints/log.md", "complaints/log/", {"title": "Log a complaint"}, body)
    assert context._STATES[(root / "mkdocs.yml").resolve()].hub is hub  # not read again per page
    fingerprint = root / prepare.STATE_DIR / prepare.FINGERPRINT
    os.utime(fingerprint, (fingerprint.stat().st_mtime + 5,) * 2)  # prepare rewrote it: the hub changed
    _render(root, "complaints/log.md", "complaints/log/", {"title": "Log a complaint"}, body)
    assert context._STATES[(root / "mkdocs.yml").resolve()].hub is not hub


def test_a_process_page_gets_its_sections_in_the_toc_once(make_hub: Any) -> None:
    root = _hub(make_hub)
    md_html = _render(root, "complaints/index.md", "complaints/", {"title": "Complaints"}, "# Complaints\n")
    assert md_html.count(">Stages and procedures</h2>") == 1
    assert md_html.count('data-sop-id="complaints"') == 1


def test_a_stub_gets_its_generated_page_and_other_pages_stay_as_written(make_hub: Any) -> None:
    root = _hub(make_hub)
    stub = (root / "docs" / "reviews.md").read_text(encoding="utf-8")
    html = _render(
        root, "reviews.md", "reviews/", {"title": "Reviews", "sop_hub_page": "reviews"}, stub.split("---\n")[-1]
    )
    assert 'class="sop-generated' in html and "SOP-1" in html
    # A page that only claims to be a generated page, somewhere else, is left alone.
    plain = _render(root, "notes.md", "notes/", {"sop_hub_page": "reviews"}, "# Notes\n")
    assert plain == '<h1 id="notes">Notes</h1>'


def test_without_zensical_the_adapter_declines() -> None:
    md = markdown.Markdown()
    assert context.attach(SopHubExtension(), md, "mkdocs.yml") is False
