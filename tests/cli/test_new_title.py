"""`sop-hub new --title`: the title is text in the page's heading, whatever it contains."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest

from sop_hub.core.metadata import Source, parse_source
from tests.cli.conftest import PROCESS

PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    '{: onclick="alert(1)" }',
    'Intake {: onclick="alert(1)" autofocus onfocus="alert(1)" }',
    "*emphasis* and __strong__ and _under_",
    "[link](javascript:alert(1))",
    "![img](x onerror=alert(1))",
    "<javascript:alert(1)>",
    "`code` and ``double``",
    "# hashes ##",
    "Trailing #",
    "back\\slash \\* \\\\",
    "a & b &amp; &lt;x&gt; &#60;",
    "<script>alert(1)</script>",
    "x <!-- comment --> y",
    "~~del~~ ==mark== ^^ins^^ {++add++} $x$ @user :smile: ++ctrl++",
    "Table | cell | here",
    'Returns: the "48-hour" rule (it\'s #1), 100% - done; really?',
    "Ünïcödé – “quotes” — 日本語",
]


class _Page(HTMLParser):
    """The text of the first <h1>, and every on* attribute anywhere."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.h1: list[str] = []
        self.h1_tags: list[str] = []
        self.depth = 0
        self.done = False
        self.handlers: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.handlers += [(tag, name) for name, _ in attrs if name.lower().startswith("on")]
        if tag == "h1" and not self.done:
            self.depth = 1
        elif self.depth:
            self.depth += 1
            if tag != "a" or dict(attrs).get("class") != "headerlink":
                self.h1_tags.append(tag)

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1
            if self.depth == 0:
                self.done = True

    def handle_data(self, data):
        if self.depth:
            self.h1.append(data)


def test_every_title_renders_as_its_own_text_in_the_heading(make_hub, run, build):
    root = make_hub(
        {"docs/index.md": "# Home\n", "docs/complaints/index.md": PROCESS.replace("stages: [Record, Respond]\n", "")},
        config={
            "markdown_extensions": ["admonition", "attr_list", "md_in_html", "toc", "tables"],
        },
    )
    written = {}
    for number, title in enumerate(PAYLOADS):
        result = run(root, "new", "--process", "complaints", "--title", title, "--owner", f"Owner {number}")
        assert result.code == 0, (title, result.err)
        rel = result.out.strip()
        text = (root / rel).read_text(encoding="utf-8")
        parsed = parse_source(Source(rel.removeprefix("docs/"), rel, text))
        assert parsed.document is not None and parsed.document.title == title  # front-matter reads back
        written[title] = rel
    result = build(root)
    assert result.ok, result.error
    for title, rel in written.items():
        page = _Page()
        url = rel.removeprefix("docs/").removesuffix(".md") + "/"
        page.feed(result.html(url))
        assert "".join(page.h1).strip() == title, rel
        assert page.h1_tags == [], (title, page.h1_tags)  # no <em>, <code>, <a>, <img> in the heading
        assert page.handlers == [], (title, page.handlers)


@pytest.mark.parametrize("owner", ["Ann | Lee", "Ann *Lee*", "Ann_Lee_", "Ann `Lee`"])
def test_the_owner_in_the_roles_table_is_text(make_hub, run, build, owner):
    root = make_hub({"docs/complaints/index.md": PROCESS}, config={"markdown_extensions": ["tables", "toc"]})
    result = run(root, "new", "--process", "complaints", "--stage", "record", "--title", "T", "--owner", owner)
    assert result.code == 0, result.err
    built = build(root)
    assert built.ok, built.error
    cells = re.findall(r"<td>Owner \((.*?)\)</td>", built.html("complaints/t/"))
    assert [html.unescape(cell) for cell in cells] == [owner]
    assert "<" not in cells[0]  # text, not an element
