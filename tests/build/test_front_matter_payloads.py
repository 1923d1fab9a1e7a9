"""Data is never code (SPEC §4): script payloads in every front-matter value the plugin or Material
prints, and values of the wrong type, never reach a built page as markup and never stop the build."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

PAYLOADS = (
    "<img src=x onerror=window.__xss=1>",
    '"><script>window.__xss=1</script>',
    'x" onmouseover="window.__xss=1',
    "'><svg onload=window.__xss=1>",
)
JS_URL = "javascript:window.__xss=1"


def _page(front: dict[str, Any], body: str = "Body text.\n") -> str:
    return f"---\n{yaml.safe_dump(front, sort_keys=False, allow_unicode=True)}---\n{body}"


def hostile_files(p: str) -> dict[str, str]:
    """A hub with ``p`` in every value the plugin or Material prints (ids too)."""
    person = {"name": f"Ann {p}", "role": p, "email": p}
    return {
        "docs/index.md": "# Home\n\nWelcome.\n",
        "docs/proc/index.md": _page(
            {
                "type": "process",
                "id": f"proc{p}",
                "title": f"Process {p}",
                "owner": person,
                "backup_owner": f"Bob {p} <bob@example.com>",
                "purpose": p,
                "trigger": p,
                "inputs": [p],
                "outputs": [p],
                "kpis": [p],
                "version": p,
                "status": p,
                "tags": [p, {"x": p}],
                "review_in": p,
                "last_reviewed_on": "2026-01-01",
                "stages": [{"id": f"s{p}", "title": f"Stage {p}", "owner": person, "description": p}, f"Two {p}"],
                "hands_off_to": [p, "other"],
                "description": p,
                "subtitle": p,
                "icon": p,
            },
            "# Process\n\nText.\n",  # the body is Markdown, raw HTML allowed: the author's page, not data
        ),
        "docs/other/index.md": _page(
            {"type": "process", "id": "other", "title": "Other", "owner": "Olga", "last_reviewed_on": "2026-01-01"},
            "# Other\n",
        ),
        "docs/proc/a.md": _page(
            {
                "title": f"A {p}",
                "id": f"SOP-{p}",
                "process": f"proc{p}",
                "stage": f"s{p}",
                "owner": person,
                "backup_owner": {"name": p, "email": p, "role": p},
                "version": p,
                "status": p,
                "tags": [p, 3, {"x": p}],
                "last_reviewed_on": "2026-01-01",
                "review_in": p,
                "description": p,
                "subtitle": p,
                "author": p,
                "icon": "../../../../etc/passwd",
                "template": p,
                "hide": [p, "toc"],
                "search": p,
                "location": JS_URL,
                "revision_date": p,
            }
        ),
        "docs/proc/b.md": _page(
            {
                "title": [p, p],
                "process": f"proc{p}",
                "stage": f"Two {p}",
                "owner": p,
                "last_reviewed_on": "2026-01-01",
                "superseded_by": p,
                "hide": 5,
                "search": {"exclude": p, "boost": p},
            },
            "# Heading B & <co>\n",
        ),
        "docs/proc/c.md": _page(
            {
                "title": {"x": p},
                "process": f"proc{p}",
                "owner": p,
                "review_by": p,
                "status": "retired",
                "superseded_by": "SOP-" + p,
                "template": "../../base.html",
                "icon": ["material/home"],
            }
        ),
        "docs/proc/d.md": _page({"title": 12, "process": f"proc{p}", "owner": "Dee", "status": "draft"}),
        "docs/plain.md": _page(
            {
                "title": [p],
                "status": p,
                "description": {"x": p},
                "subtitle": p,
                "author": [p],
                "icon": p,
                "template": "nonexistent.html",
                "tags": p,
                "hide": {"x": p},
                "search": [p],
                "location": JS_URL,
                "revision_date": p,
            },
            "# Plain heading\n",
        ),
        "docs/plain2.md": _page({"title": None, "status": "new", "description": 2024, "icon": "material/home"}),
        "docs/plain3.md": _page({"title": True, "status": {"x": p}, "template": 7, "subtitle": ["x"]}),
    }


class _Scan(HTMLParser):
    """Every way a payload could have become markup: an event attribute, a script, a js: URL."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._script = tag == "script"
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action", "formaction", "content") and "javascript:" in (value or "").lower():
                self.found.append(f"<{tag} {name}={value!r}>")
            if "__xss" in name or (tag == "img" and (value or "") == "x"):
                self.found.append(f"<{tag} {name}={value!r}>")
        if tag in ("svg",) and any("__xss" in (v or "") for _, v in attrs):
            self.found.append(f"<{tag} {attrs}>")

    def handle_endtag(self, tag: str) -> None:
        self._script = False

    def handle_data(self, data: str) -> None:
        if self._script and "__xss" in data:
            self.found.append(f"<script>{data[:60]}")


def scan_site(site: Path) -> dict[str, list[str]]:
    """Payloads that became markup, by built HTML file."""
    hits = {}
    for path in site.rglob("*.html"):
        scanner = _Scan()
        scanner.feed(path.read_text(encoding="utf-8"))
        if scanner.found:
            hits[str(path.relative_to(site))] = scanner.found
    return hits


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_front_matter_payload_becomes_markup_on_any_page(make_hub, build, payload):
    result = build(make_hub(hostile_files(payload), config={"markdown_extensions": ["toc", "attr_list"]}))
    assert result.ok, result.log + str(result.error)
    pages = list(result.site.rglob("*.html"))
    assert len(pages) >= 12, pages  # every page was built, the broken ones included
    assert scan_site(result.site) == {}
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert "<script>window.__xss" not in text, path
        assert "&amp;lt;" not in text and "&amp;amp;" not in text and "&amp;quot;" not in text, path
        assert "<img src=x" not in text, path
        assert "<svg onload" not in text, path


def test_wrong_front_matter_values_are_dropped_with_a_warning_naming_the_file(make_hub, build):
    p = PAYLOADS[0]
    result = build(make_hub(hostile_files(p), plugin={"show_problems": "always"}))
    assert result.ok, result.log
    warnings = "\n".join(result.warnings())
    for expected in (
        "docs/plain.md:2: warning: `title` must be text",
        "docs/plain.md:10: warning: `icon` must be",
        "docs/plain.md:11: warning: `template: nonexistent.html` is not a template",
        "docs/plain.md:5: warning: `description` must be text",
        "docs/plain.md:17: warning: `location` must be",
        "docs/plain.md:13: warning: `hide` takes",
        "docs/plain.md:15: warning: `search` must be",
        "docs/plain.md:4: warning: `status` must be one of new, deprecated",
        "docs/proc/a.md:26: warning: `template:",
        "docs/proc/c.md:9: warning: `template: ../../base.html` is not a template",
        "docs/plain3.md:5: warning: `template: a number` is not a template",
        "docs/proc/b.md:2: warning: `title` must be text, not a list",
    ):
        assert expected in warnings, expected
    # Shown on the page too, as the page's problems.
    assert "nonexistent.html" in result.html("plain/")


def test_titles_are_text_once_escaped_and_wrong_types_fall_back(make_hub, build):
    result = build(make_hub(hostile_files(PAYLOADS[0])))
    home = result.html("")
    # A list title on a procedure: the core's fallback (its first heading), as text.
    b = result.html("proc/b/")
    assert "<title>Heading B &amp; &lt;co&gt; - Test hub</title>" in b
    # A list title on an ordinary page: what MkDocs derives (its first heading).
    assert "<title>Plain heading - Test hub</title>" in result.html("plain/")
    assert "<title>Plain3 - Test hub</title>" in result.html("plain3/")  # a bool title: the file name
    assert "&amp;lt;" not in home and "&amp;amp;" not in home  # never escaped twice
    root = make_hub({"docs/index.md": "# Home\n", "docs/t.md": _page({"title": "Tom & Jerry <3"}, "# x\n")})
    built = build(root)
    for url in ("", "t/"):
        html = built.html(url)
        assert "Tom &amp; Jerry &lt;3" in html, url
        assert "&amp;amp;" not in html and "&amp;lt;" not in html, url


def test_nav_status_is_only_a_known_material_value(make_hub, build):
    result = build(make_hub(hostile_files(PAYLOADS[1])))
    html = result.html("")
    classes = set(re.findall(r'md-status--([^"\s]*)', html))
    # retired procedures -> deprecated; the ordinary page's `status: new` is kept; nothing else.
    assert classes == {"deprecated", "new"}, classes


def test_site_statuses_from_extra_status(make_hub, build):
    files = {
        "docs/index.md": "# Home\n",
        "docs/p/index.md": _page({"type": "process", "id": "p", "owner": "O", "last_reviewed_on": "2026-01-01"}),
        "docs/p/r.md": _page({"title": "R", "process": "p", "owner": "O", "status": "retired"}),
        "docs/p/d.md": _page({"title": "D", "process": "p", "owner": "O", "status": "draft"}),
        "docs/n.md": _page({"title": "N", "status": "new"}),
    }
    result = build(make_hub(files, config={"extra": {"status": {"retired": "Retired", "draft": "Draft"}}}))
    classes = re.findall(r'md-status--([^"\s]*)', result.html(""))
    assert sorted(set(classes)) == ["draft", "retired"]  # `new` is not a status of this site
    assert "docs/n.md:3: warning: `status` must be one of retired, draft" in result.log


def test_tags_stay_a_list_of_escaped_text_in_search(make_hub, build):
    p = PAYLOADS[0]
    result = build(make_hub(hostile_files(p)))
    index = json.loads((result.site / "search" / "search_index.json").read_text())
    tags = [tag for doc in index["docs"] for tag in doc.get("tags", [])]
    assert tags and all("<img" not in tag for tag in tags)
    assert "&lt;img src=x onerror=window.__xss=1&gt;" in tags
