"""Build tests for quizzes and tracks: placement, answers kept out of sight, escaping, track pages.

One small hub is built once for the module; each test reads the HTML a reader would get.
"""

from __future__ import annotations

import html
import json
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from sop_hub.render.quiz import decode
from tests.conftest import BASE_CONFIG, build_project

QUIZ = """
title: Complaint <b>handling</b>
description: Intake to closure.
pass_mark: 75
shuffle: false
questions:
  - question: Which deadline applies to **acknowledgements**?
    choices:
      - text: Within a fortnight
        feedback: FEEDBACK-SECRET-9 is too slow.
      - Same working day
    answer: Same working day
    explanation: EXPLAIN-SECRET-1 sets it.
  - question: Select the log fields.
    choices: [Reference, Date, Home address]
    answer: [Reference, Date]
  - question: Escalate after 48 hours.
    answer: yes
  - question: Order the stages.
    order: [Alpha-stage, Bravo-stage, Charlie-stage, Delta-stage]
  - question: Which form?
    accept: [ACCEPT-SECRET-7, "</script><script>alert(1)</script>"]
"""
SAFETY = """
title: Site safety
questions:
  - question: Fire alarm test on Wednesdays.
    answer: true
"""
TRACKS = """
new-starter:
  title: New <starter> essentials
  description: First week.
  quizzes: [complaints, safety]
empty:
  title: Empty track
  quizzes: []
"""


def procedure(title: str, body: str, **keys: str) -> str:
    front = {"process": "complaints", "owner": "Sarah Whitfield", "last_reviewed_on": "2026-05-01", **keys}
    lines = "\n".join(f"{key}: {value}" for key, value in front.items())
    return f"---\ntitle: {title}\n{lines}\n---\n# {title}\n\n{textwrap.dedent(body).strip()}\n"


FILES = {
    "docs/index.md": "# Home\n",
    "docs/complaints/intake.md": procedure(
        "Intake",
        """
        Read this first.

        <!-- quiz: complaints -->

        After the quiz.

        ```
        <!-- quiz: complaints -->
        ```
        """,
    ),
    "docs/complaints/close.md": procedure("Close", "Close the complaint.", quiz="[complaints, safety]"),
    "docs/complaints/broken.md": procedure("Broken", "Text.\n\n<!-- quiz: no-such-quiz -->\n"),
    "quizzes/complaints.yml": QUIZ,
    "quizzes/safety.yml": SAFETY,
    "quizzes/tracks.yml": TRACKS,
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Any:

    root = tmp_path_factory.mktemp("quiz-hub")
    for rel, text in FILES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text.lstrip("\n"), encoding="utf-8")
    (root / "mkdocs.yml").write_text(yaml.safe_dump(BASE_CONFIG, sort_keys=False), encoding="utf-8")
    return build_project(root)


def read(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def forms(page: str) -> list[str]:
    return re.findall(r'<form class="sqz".*?</form>', page, re.DOTALL)


def attr(fragment: str, name: str) -> str:
    match = re.search(rf'{name}="([^"]*)"', fragment)
    assert match, name
    return html.unescape(match.group(1))


def test_inline_marker_puts_the_quiz_where_it_stands(site: Path) -> None:
    page = read(site, "complaints/intake")
    assert page.index("Read this first.") < page.index('data-quiz="complaints"') < page.index("After the quiz.")
    assert len(forms(page)) == 1
    assert "&lt;!-- quiz: complaints --&gt;" in page  # the marker inside a code fence stays code


def test_front_matter_quizzes_go_under_knowledge_check(site: Path) -> None:
    page = read(site, "complaints/close")
    heading = page.index('id="knowledge-check"')
    found = forms(page)
    assert [attr(form, "data-quiz") for form in found] == ["complaints", "safety"]
    assert heading < page.index('data-quiz="complaints"')


def test_each_question_is_a_fieldset_with_its_legend(site: Path) -> None:
    form = forms(read(site, "complaints/intake"))[0]
    legends = re.findall(r"<fieldset[^>]*>\s*<legend>(.*?)</legend>", form, re.DOTALL)
    assert len(legends) == 5
    assert "<strong>acknowledgements</strong>" in legends[0]  # question text is Markdown
    assert 'type="checkbox"' in form and 'type="radio"' in form and 'type="text"' in form


def test_unknown_quiz_shows_a_box_on_the_page(site: Path) -> None:
    page = read(site, "complaints/broken")
    assert "Quiz <code>no-such-quiz</code> cannot be shown" in page
    assert "sqz-missing" in page


def test_answers_and_explanations_are_not_in_the_page_source(site: Path) -> None:
    page = read(site, "complaints/intake")
    for secret in ("EXPLAIN-SECRET", "FEEDBACK-SECRET", "ACCEPT-SECRET", "accept-secret", "alert(1)"):
        assert secret not in page
    assert "correct" not in forms(page)[0].casefold()


def test_answers_are_not_in_the_search_index(site: Path) -> None:
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    for secret in ("EXPLAIN-SECRET", "FEEDBACK-SECRET", "ACCEPT-SECRET", "Alpha-stage", "Same working day"):
        assert secret not in index
    assert "After the quiz." in json.dumps(json.loads(index))  # the page itself is still indexed


def test_the_encoded_key_holds_what_the_script_needs(site: Path) -> None:
    form = forms(read(site, "complaints/intake"))[0]
    key = decode(attr(form, "data-key"), "complaints", attr(form, "data-rev"))
    assert key[0]["c"] == [1] and "EXPLAIN-SECRET-1" in key[0]["e"] and "FEEDBACK-SECRET-9" in key[0]["f"]["0"]
    assert key[1]["c"] == [0, 1]
    assert key[2]["c"] == [0]  # `answer: yes` is True, the first of True/False
    assert key[4]["a"] == ["</script><script>alert(1)</script>", "accept-secret-7"]


def test_order_items_are_never_shown_in_the_right_order(site: Path) -> None:
    form = forms(read(site, "complaints/intake"))[0]
    shown = re.findall(r'<li data-value="\d">([^<]*)</li>', form)
    assert sorted(shown) == ["Alpha-stage", "Bravo-stage", "Charlie-stage", "Delta-stage"]
    assert shown != sorted(shown)


def test_quiz_title_is_escaped(site: Path) -> None:
    form = forms(read(site, "complaints/intake"))[0]
    assert "Complaint &lt;b&gt;handling&lt;/b&gt;" in form and "<b>handling" not in form


def test_without_javascript_the_questions_show_with_a_note(site: Path) -> None:
    form = forms(read(site, "complaints/intake"))[0]
    assert '<p class="sqz-nojs">Turn on JavaScript to check your answers.' in form
    assert "<button" not in form  # the check button is made by the script, so it never does nothing


def test_pages_embedding_one_quiz_share_its_revision_but_not_the_page(site: Path) -> None:
    intake = forms(read(site, "complaints/intake"))[0]
    close = forms(read(site, "complaints/close"))[0]
    assert attr(intake, "data-rev") == attr(close, "data-rev")
    assert (attr(intake, "data-page"), attr(close, "data-page")) == ("complaints/intake/", "complaints/close/")
    assert attr(intake, "data-page-rev") != attr(close, "data-page-rev")


def test_track_page_lists_quizzes_with_their_pages_and_progress(site: Path) -> None:
    page = read(site, "onboarding/new-starter")
    assert '<progress value="0" max="2"' in page
    body = page[page.index('<div class="sop-generated sqz-track"') :]
    assert "New &lt;starter&gt; essentials" in body and "<starter>" not in body
    items = re.findall(r"<li class=\"sqz-track-item\".*?</li>", page, re.DOTALL)
    assert [attr(item, "data-quiz") for item in items] == ["complaints", "safety"]
    links = re.findall(r'<a href="([^"]+)" data-page="([^"]+)" data-page-rev="([^"]+)">([^<]+)</a>', items[0])
    assert [(href, url, title) for href, url, _, title in links] == [
        ("../../complaints/close/", "complaints/close/", "Close"),
        ("../../complaints/intake/", "complaints/intake/", "Intake"),
    ]
    intake_form = forms(read(site, "complaints/intake"))[0]
    assert links[1][2] == attr(intake_form, "data-page-rev")  # the same page revision as the form
    assert attr(items[0], "data-rev") == attr(intake_form, "data-rev")


def test_onboarding_index_links_every_track(site: Path) -> None:
    page = read(site, "onboarding")
    assert '<a href="new-starter/">New &lt;starter&gt; essentials</a>' in page
    assert 'data-sqz-track="new-starter"' in page and '<progress value="0" max="2"' in page


def test_a_track_without_quizzes_says_so_without_a_progress_bar(site: Path) -> None:
    page = read(site, "onboarding/empty")
    body = page[page.index('<div class="sop-generated sqz-track"') :]
    assert "This track has no quizzes yet." in body
    assert "<progress" not in body and "quizzes passed" not in body and "Reset my progress" not in body
    index = read(site, "onboarding")
    section = index[index.index('data-sqz-track="empty"') :]
    section = section[: section.index("</section>")]
    assert "This track has no quizzes yet." in section and "<progress" not in section
