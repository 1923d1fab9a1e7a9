"""Hostile quiz text (SPEC §4 "Data is never code"): each payload, if it ran, sets ``window.__xss``.

Shared by the quiz build tests and the browser test, so both try the same list.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any

PAYLOADS = [
    '<img src=x onerror="window.__xss=1">',
    "<svg onload=window.__xss=1>",
    "[x](javascript:window.__xss=1)",
    "[x](JaVaScRiPt:window.__xss=1)",
    "[x](&#106;avascript:window.__xss=1)",
    "[x]( java\tscript:window.__xss=1)",
    "![x](data:text/html,<script>window.__xss=1</script>)",
    '<a href="data:text/html,<script>window.__xss=1</script>">x</a>',
    '<a href="vbscript:window.__xss=1">x</a>',
    'text {: onfocus="window.__xss=1" autofocus tabindex=1 }',
    "text\n{: onmouseover=window.__xss=1 style=position:fixed;inset:0 }",
    '<a href="javascript:window.__xss=1">x</a>',
    "<details open ontoggle=window.__xss=1>",
    '<iframe srcdoc="<script>parent.__xss=1</script>">',
    "`code` <script>window.__xss=1</script>",
    "<form><button formaction=javascript:window.__xss=1>x</button></form>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>",
    '<a title="</p><img src=x onerror=window.__xss=1>">t</a>',
    "<p style=\"background:url('javascript:window.__xss=1')\" class=md-button id=x>styled</p>",
    "<object data=javascript:window.__xss=1></object><embed src=javascript:window.__xss=1>",
    "<input autofocus onfocus=window.__xss=1>",
    "<!-- sqz-split --><!--sqz-split--><img src=x onerror=window.__xss=1>",
    "```\n</code></pre><img src=x onerror=window.__xss=1>\n```",
]


def hostile_quiz(number: int, payload: str) -> dict[str, Any]:
    return {
        "title": f"T{number} {payload}",
        "description": f"D{number} {payload}",
        "shuffle": number % 2 == 0,
        "questions": [
            {
                "question": f"Q{number} {payload}",
                "choices": [{"text": f"C{number} {payload}", "feedback": f"F{number} {payload}"}, f"Right {number}"],
                "answer": f"Right {number}",
                "explanation": f"E{number} {payload}",
            },
            {"question": payload, "order": [f"A{number} {payload}", f"B{number} {payload}"], "explanation": payload},
            {"question": f"Typed {number}", "accept": [payload, "ok"]},
            {"question": f"Bool {number} {payload}", "answer": True, "explanation": f"{payload} done"},
        ],
    }


# What any element that came from quiz text may be, and carry (SPEC §4).
SAFE_TAGS = {
    *[
        "p",
        "br",
        "em",
        "strong",
        "code",
        "pre",
        "a",
        "ul",
        "ol",
        "li",
        "blockquote",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "img",
        "del",
        "hr",
        "sub",
        "sup",
    ],
}
_SAFE_URL = re.compile(r"^(?:https?:|mailto:|(?![a-z][a-z0-9+.-]*:))", re.IGNORECASE)
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "srcdoc", "xlink:href", "poster", "background"}


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))


def unsafe(fragment: str, allowed_tags: set[str] | None = None) -> list[str]:
    """Everything in ``fragment`` that could run script or was taken from an attribute list."""
    parser = _Collect()
    parser.feed(fragment)
    parser.close()
    found = []
    for tag, attrs in parser.elements:
        if allowed_tags is not None and tag not in allowed_tags:
            found.append(f"<{tag}>")
        if tag in {"script", "iframe", "svg", "math", "object", "embed", "details", "style", "base"}:
            found.append(f"<{tag}>")
        for name, value in attrs:
            clean = re.sub(r"[\t\n\r]", "", html.unescape(value or "")).lstrip("\x00 ")
            if name.startswith("on") or name in {"style", "autofocus", "tabindex", "srcdoc", "formaction"}:
                found.append(f"<{tag} {name}>")
            elif name in _URL_ATTRIBUTES and not _SAFE_URL.match(clean):
                found.append(f"<{tag} {name}={clean}>")
    return found


def attribute_names(fragment: str) -> set[str]:
    parser = _Collect()
    parser.feed(fragment)
    parser.close()
    return {name for _, attrs in parser.elements for name, _ in attrs}
