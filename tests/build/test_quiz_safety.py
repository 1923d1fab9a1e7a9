"""Quiz text is data, never code (SPEC §4): hostile Markdown and HTML in every quiz and track field
is reduced to the safe subset in the built HTML and in the encoded key; legit Markdown still renders;
markers on pages that are not procedures render nothing.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml
from markupsafe import escape

from sop_hub.render.quiz import decode, sanitize
from tests.build.test_quiz_build import attr, forms, read
from tests.conftest import BASE_CONFIG, build_project
from tests.payloads import PAYLOADS, SAFE_TAGS, attribute_names, hostile_quiz, unsafe

_KEY_ATTRIBUTES = {"href", "title", "src", "alt", "start", "align", "rel"}


LEGIT = {
    "title": "Legit Markdown",
    "shuffle": False,
    "questions": [
        {
            "question": "Read *this* and **that**, `F-12`, [the site](https://example.com/a?b=c), "
            "[mail](mailto:qa@example.com), [intake](../intake/), <del>old</del>",
            "choices": ["A *one*", "B `two`"],
            "answer": "A *one*",
            "explanation": "| Step | Who |\n|:--|--:|\n| 1 | Ann |\n\n- first\n- second\n\n"
            '1. one\n2. two\n\n![diagram](pic.png "Flow")\n\n> quoted\n\n```\ncode <b>block</b>\n```',
        },
        {"question": "Order", "order": ["**Record**", "[Close](https://example.com/close)"]},
    ],
}


def procedure(title: str, quizzes: str, body: str = "Text.") -> str:
    return (
        f"---\ntitle: {title}\nprocess: complaints\nowner: Sarah Whitfield\nlast_reviewed_on: 2026-05-01\n"
        f"quiz: {quizzes}\n---\n# {title}\n\n{body}\n"
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("quiz-safety")
    ids = [f"p{n}" for n in range(len(PAYLOADS))]
    files = {
        "docs/index.md": "# Home\n",
        "docs/complaints/index.md": "---\ntype: process\ntitle: Complaints\nowner: Sarah Whitfield\n"
        "stages: [Record]\n---\n# Complaints\n\n<!-- quiz: legit -->\n",
        "docs/complaints/hostile.md": procedure("Hostile", "[" + ", ".join(ids) + "]"),
        "docs/complaints/legit.md": procedure("Legit", "[legit]"),
        "docs/about.md": "# About\n\nBefore.\n\n<!-- quiz: legit -->\n\nAfter.\n",
        "quizzes/legit.yml": yaml.safe_dump(LEGIT),
        "quizzes/tracks.yml": yaml.safe_dump(
            {
                f"t{n}": {"title": f"T{n} {payload}", "description": f"D{n} {payload}", "quizzes": [f"p{n}"]}
                for n, payload in enumerate(PAYLOADS)
            }
        ),
    }
    files.update({f"quizzes/p{n}.yml": yaml.safe_dump(hostile_quiz(n, p)) for n, p in enumerate(PAYLOADS)})
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    (root / "mkdocs.yml").write_text(yaml.safe_dump(BASE_CONFIG, sort_keys=False), encoding="utf-8")
    return build_project(root)


def content(page: str) -> str:
    """The article (what the plugin renders), without the theme's own scripts."""
    return page[page.index("<article") : page.index("</article>")]


def test_every_hostile_quiz_renders_and_nothing_in_it_can_run(site: Path) -> None:
    found = forms(read(site, "complaints/hostile"))
    assert len(found) == len(PAYLOADS)  # nothing dropped
    for form in found:
        assert len(re.findall("<fieldset", form)) == 4
        assert unsafe(form) == [], form
        # Authors cannot set ids or classes: the only ids are the title's and the questions' (the
        # targets of the "still to answer" links), every class is the quiz's.
        title = attr(form, "aria-labelledby")
        questions = [f"{title[:-2]}-q{n}" for n in range(1, 5)]
        assert re.findall(r'\sid="([^"]*)"', form) == [title, *questions]
        assert all(c.startswith("sqz") for cls in re.findall(r'class="([^"]*)"', form) for c in cls.split())


def test_the_encoded_key_carries_only_the_safe_subset(site: Path) -> None:
    for form in forms(read(site, "complaints/hostile")):
        key = decode(attr(form, "data-key"), attr(form, "data-quiz"), attr(form, "data-rev"))
        fragments = [q["e"] for q in key if "e" in q] + [text for q in key for text in q.get("f", {}).values()]
        assert len(fragments) == 4
        for fragment in fragments:
            assert unsafe(fragment, SAFE_TAGS) == [], fragment
            assert attribute_names(fragment) <= _KEY_ATTRIBUTES, fragment


def test_track_and_onboarding_pages_print_titles_and_descriptions_as_text(site: Path) -> None:
    for number, payload in enumerate(PAYLOADS):
        page = content(read(site, f"onboarding/t{number}"))
        assert unsafe(page) == [], page
        assert str(escape(f"D{number} {payload}")) in page  # shown, as text
    assert unsafe(content(read(site, "onboarding"))) == []


def test_attribute_lists_in_quiz_text_stay_text(site: Path) -> None:
    payload = 'text {: onfocus="window.__xss=1" autofocus tabindex=1 }'
    form = forms(read(site, "complaints/hostile"))[PAYLOADS.index(payload)]
    legend = re.findall(r"<legend>(.*?)</legend>", form, re.DOTALL)[0]
    assert html.unescape(legend).endswith(payload)  # as written, as text
    assert "autofocus" not in attribute_names(form) and "tabindex" not in attribute_names(form)


def test_legit_markdown_still_renders(site: Path) -> None:
    form = forms(read(site, "complaints/legit"))[0]
    legend = re.findall(r"<legend>(.*?)</legend>", form, re.DOTALL)[0]
    assert "<em>this</em>" in legend and "<strong>that</strong>" in legend and "<code>F-12</code>" in legend
    assert '<a href="https://example.com/a?b=c" rel="noopener noreferrer">the site</a>' in legend
    assert '<a href="mailto:qa@example.com" rel="noopener noreferrer">mail</a>' in legend
    assert '<a href="../intake/" rel="noopener noreferrer">intake</a>' in legend and "<del>old</del>" in legend
    assert "A <em>one</em>" in form and "<strong>Record</strong>" in form
    key = decode(attr(form, "data-key"), "legit", attr(form, "data-rev"))
    explanation = key[0]["e"]
    assert '<th align="left">Step</th>' in explanation and '<td align="right">Ann</td>' in explanation
    assert "<ul>\n<li>first</li>" in explanation and "<ol>" in explanation and "<blockquote>" in explanation
    assert '<img alt="diagram" src="pic.png" title="Flow">' in explanation
    assert "<pre><code>code &lt;b&gt;block&lt;/b&gt;\n</code></pre>" in explanation


@pytest.mark.parametrize("url", ["about", "complaints"])
def test_a_marker_on_a_page_that_is_not_a_procedure_renders_no_quiz(site: Path, url: str) -> None:
    page = read(site, url)
    assert forms(page) == [] and "sqz-missing" not in page
    assert "<!-- quiz: legit -->" in page  # left as the invisible comment it is


def test_sanitize_cuts_no_tag_in_half() -> None:
    # The legend is cut out of the Markdown output before it is sanitized, never after.
    payload = '<a title="</p><img src=x onerror=window.__xss=1>">t</a>'
    for fragment in (sanitize(payload), sanitize(payload + "</p><p>more")):
        assert unsafe(fragment, SAFE_TAGS) == []
