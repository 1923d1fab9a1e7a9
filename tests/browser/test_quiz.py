"""Quizzes and tracks in headless Chromium: answering, scoring, retrying, progress, keyboard only.

One small hub is built and served for the module; every test gets a fresh browser context, so
localStorage starts empty.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Locator, Page, expect

from tests.conftest import BASE_CONFIG, _QuietHandler, build_project

pytestmark = pytest.mark.browser

QUIZ = """
title: Complaint handling
pass_mark: 80
shuffle: false
questions:
  - question: When is a complaint acknowledged?
    choices:
      - Same working day
      - text: Within 48 hours
        feedback: 48 hours is the escalation limit.
      - Within a week
    answer: Same working day
    explanation: Step 7 sets a same-day acknowledgement.
  - question: Which details go in the log?
    choices: [Customer reference, Date received, Home address]
    answer: [Customer reference, Date received]
  - question: Open complaints go to the owner after 48 hours.
    answer: true
  - question: Put the stages in order.
    order: [Record, Investigate, Respond, Close]
  - question: Which form records a complaint?
    accept: [F-12, F12]
"""
SAFETY = """
title: Site safety
questions:
  - question: The fire alarm is tested on Wednesdays.
    answer: true
    explanation: Every Wednesday at 10:00.
"""
TRACKS = """
new-starter:
  title: New starter essentials
  quizzes: [complaints, safety]
readers:
  title: Readers
  quizzes: [safety]
  read: [SOP-CLOSE]
"""
ORDER = ["Record", "Investigate", "Respond", "Close"]


def procedure(title: str, body: str, extra: str = "") -> str:
    return (
        f"---\ntitle: {title}\nprocess: complaints\nowner: Sarah Whitfield\nlast_reviewed_on: 2026-05-01\n{extra}---\n"
        f"# {title}\n\n{body}\n"
    )


FILES = {
    "docs/index.md": "# Home\n\n[Intake](complaints/intake.md)\n",
    "docs/complaints/intake.md": procedure("Intake", "Read this.\n\n<!-- quiz: complaints -->\n\nThe end."),
    "docs/complaints/close.md": procedure(
        "Close", "Close it.\n\n[Intake](intake.md)", "id: SOP-CLOSE\nquiz: [complaints]\n"
    ),
    "docs/safety.md": procedure("Safety", "Be safe.", "quiz: safety\n"),
    "quizzes/complaints.yml": QUIZ,
    "quizzes/safety.yml": SAFETY,
    "quizzes/tracks.yml": TRACKS,
}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:

    root = tmp_path_factory.mktemp("quiz-browser")
    for rel, text in FILES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text.lstrip("\n"), encoding="utf-8")
    config = {**BASE_CONFIG, "theme": {**BASE_CONFIG["theme"], "features": ["navigation.instant"]}}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    build_project(root)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root / "site"))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def quiz(page: Page, quiz_id: str = "complaints") -> Locator:
    return page.locator(f'form[data-quiz="{quiz_id}"]')


def question(form: Locator, number: int) -> Locator:
    return form.locator("fieldset").nth(number - 1)


def order_items(fieldset: Locator) -> list[str]:
    return [text.strip() for text in fieldset.locator(".sqz-item").all_inner_texts()]


def put_in_order(fieldset: Locator, wanted: list[str]) -> None:
    """Move each item up until the list reads ``wanted`` (by the labelled move buttons)."""
    for position, text in enumerate(wanted):
        while order_items(fieldset).index(text) > position:
            fieldset.get_by_role("button", name=f"Move up: {text}").click()


def answer_all_right(form: Locator) -> None:
    form.get_by_label("Same working day").check()
    form.get_by_label("Customer reference").check()
    form.get_by_label("Date received").check()
    question(form, 3).get_by_label("True").check()
    put_in_order(question(form, 4), ORDER)
    question(form, 5).get_by_label("Your answer").fill("  f12 ")


def answer_all_wrong(form: Locator) -> None:
    form.get_by_label("Within 48 hours").check()
    form.get_by_label("Customer reference").check()  # one of two: still wrong
    question(form, 3).get_by_label("False").check()
    question(form, 5).get_by_label("Your answer").fill("F-13")


def today(page: Page) -> str:
    return str(page.evaluate("new Date().toLocaleDateString('sv-SE')"))  # YYYY-MM-DD, the reader's clock


def test_right_answers_pass_with_full_score_and_explanations(page: Page, base: str) -> None:
    page.goto(base + "complaints/intake/")
    form = quiz(page)
    expect(form.locator(".sqz-nojs")).to_be_hidden()
    answer_all_right(form)
    form.get_by_role("button", name="Check answers").click()
    score = form.get_by_role("status")
    expect(score).to_have_text("You scored 5 of 5 (100%). Passed: the pass mark is 80%.")
    expect(score).to_be_focused()
    expect(form.locator('fieldset[data-result="right"]')).to_have_count(5)
    expect(question(form, 1)).to_contain_text("Step 7 sets a same-day acknowledgement.")
    expect(form).to_have_attribute("data-passed", "true")


def test_wrong_answers_show_feedback_right_answers_and_fail(page: Page, base: str) -> None:
    page.goto(base + "complaints/intake/")
    form = quiz(page)
    answer_all_wrong(form)
    form.get_by_role("button", name="Check answers").click()
    expect(form.get_by_role("status")).to_have_text("You scored 0 of 5 (0%). Not passed: the pass mark is 80%.")
    first = question(form, 1)
    expect(first).to_have_attribute("data-result", "wrong")
    expect(first).to_contain_text("Not quite.")
    expect(first.locator(".sqz-cfb")).to_have_text("48 hours is the escalation limit.")
    expect(first.locator("label.sqz-right")).to_contain_text("Same working day")
    expect(first.locator("label.sqz-right")).to_contain_text("right answer")
    expect(question(form, 2).locator("label.sqz-right")).to_have_count(2)
    expect(question(form, 4).locator(".sqz-answer li")).to_have_text(ORDER)
    expect(question(form, 5).locator(".sqz-answer")).to_have_text("Accepted answer: F-12")
    expect(form.locator("input").first).to_be_disabled()


def test_try_again_clears_the_marks_and_allows_a_pass(page: Page, base: str) -> None:
    page.goto(base + "complaints/intake/")
    form = quiz(page)
    answer_all_wrong(form)
    form.get_by_role("button", name="Check answers").click()
    expect(form.get_by_role("status")).to_contain_text("0 of 5")
    form.get_by_role("button", name="Try again").click()
    expect(form.locator("[data-result]")).to_have_count(0)
    expect(form.locator(".sqz-right, .sqz-wrong, .sqz-missed, .sqz-picked, .sqz-added")).to_have_count(0)
    expect(form.get_by_role("status")).to_have_text("")
    expect(form.locator("input").first).to_be_focused()
    answer_all_right(form)
    form.get_by_role("button", name="Check answers").click()
    expect(form.get_by_role("status")).to_contain_text("Passed")


def test_best_result_survives_reload_and_shows_on_every_page_with_the_quiz(page: Page, base: str) -> None:
    page.goto(base + "complaints/intake/")
    answer_all_right(quiz(page))
    quiz(page).get_by_role("button", name="Check answers").click()
    date = today(page)
    best = f"Passed on {date} (best result 100%)."
    expect(quiz(page).locator(".sqz-best")).to_have_text(best)
    page.reload()
    expect(quiz(page).locator(".sqz-best")).to_have_text(best)
    page.goto(base + "complaints/close/")
    expect(quiz(page).locator(".sqz-best")).to_have_text(best)
    expect(quiz(page)).to_have_attribute("data-quiz-state", "passed")
    # A worse later attempt does not replace the best result.
    answer_all_wrong(quiz(page))
    quiz(page).get_by_role("button", name="Check answers").click()
    expect(quiz(page).locator(".sqz-best")).to_have_text(best)


def test_corrupted_storage_is_ignored_without_a_script_error(page: Page, base: str) -> None:
    page.goto(base)
    for value in ("{not json", "null", '{"pct": "x"}', "[1,2]", '"text"'):
        page.evaluate("v => localStorage.setItem('sop-hub:quiz:complaints', v)", value)
        page.goto(base + "complaints/intake/")
        expect(quiz(page).locator(".sqz-best")).to_be_hidden()
    answer_all_right(quiz(page))
    quiz(page).get_by_role("button", name="Check answers").click()
    expect(quiz(page).get_by_role("status")).to_contain_text("Passed")
    page.goto(base + "onboarding/new-starter/")
    expect(page.locator("progress")).to_have_attribute("value", "1")


def test_full_or_disabled_storage_still_scores_and_says_so(page: Page, base: str) -> None:
    # Only for our keys: the theme's own scripts do not guard their storage calls.
    page.add_init_script(
        "for (const name of ['setItem', 'getItem']) {"
        "  const real = Storage.prototype[name];"
        "  Storage.prototype[name] = function (key, ...rest) {"
        "    if (String(key).startsWith('sop-hub:quiz:')) throw new DOMException('full', 'QuotaExceededError');"
        "    return real.call(this, key, ...rest);"
        "  };"
        "}"
    )
    page.goto(base + "complaints/intake/")
    answer_all_right(quiz(page))
    quiz(page).get_by_role("button", name="Check answers").click()
    expect(quiz(page).get_by_role("status")).to_contain_text("Passed: the pass mark is 80%.")
    expect(quiz(page).get_by_role("status")).to_contain_text("could not be saved")
    page.goto(base + "onboarding/new-starter/")
    expect(page.locator('[data-quiz="complaints"] [data-sqz-status]')).to_have_text("Not started")


def test_a_quiz_can_be_answered_with_the_keyboard_only(page: Page, base: str) -> None:
    page.goto(base + "complaints/intake/")
    form = quiz(page)
    form.locator("input").first.focus()  # Tab order from the page top depends on the theme
    keys = page.keyboard
    keys.press("Space")  # radio 1: "Same working day"
    keys.press("Tab")
    keys.press("Space")  # checkbox "Customer reference"
    keys.press("Tab")
    keys.press("Space")  # checkbox "Date received"
    keys.press("Tab")
    keys.press("Tab")
    keys.press("Space")  # radio "True"
    # The order starts scrambled; move items with the focused buttons.
    for position, text in enumerate(ORDER):
        while order_items(question(form, 4)).index(text) > position:
            question(form, 4).get_by_role("button", name=f"Move up: {text}").focus()
            keys.press("Enter")
            expect(form.locator(".sqz-sr")).to_contain_text(f"{text}: position")
    question(form, 5).get_by_label("Your answer").focus()
    keys.type("F-12")
    keys.press("Enter")  # never submits: moves on to "Check answers"
    expect(form.get_by_role("status")).to_have_text("")
    expect(form.get_by_role("button", name="Check answers")).to_be_focused()
    keys.press("Enter")
    expect(form.get_by_role("status")).to_contain_text("You scored 5 of 5")
    expect(form.get_by_role("status")).to_be_focused()


def test_move_buttons_keep_focus_on_the_item_moved(page: Page, base: str) -> None:
    page.goto(base + "complaints/intake/")
    fieldset = question(quiz(page), 4)
    top = order_items(fieldset)[0]
    fieldset.get_by_role("button", name=f"Move down: {top}").click()
    assert order_items(fieldset)[1] == top
    expect(fieldset.get_by_role("button", name=f"Move down: {top}")).to_be_focused()
    expect(fieldset.get_by_role("button", name=f"Move up: {order_items(fieldset)[0]}")).to_be_disabled()


def test_quiz_works_after_instant_navigation(page: Page, base: str) -> None:
    page.goto(base)
    page.get_by_role("link", name="Intake").first.click()
    page.wait_for_url("**/complaints/intake/")
    form = quiz(page)
    expect(form.get_by_role("button", name="Check answers")).to_have_count(1)
    answer_all_right(form)
    form.get_by_role("button", name="Check answers").click()
    expect(form.get_by_role("status")).to_contain_text("Passed")


def test_quiz_and_track_scripts_run_again_on_each_page_of_an_instant_visit(
    page: Page, serve: Callable[[Path], str], tmp_path: Path
) -> None:
    # sop-hub.js loads quiz.js (and track.js) once; on later pages of the same visit (Material's
    # instant navigation, no reload) it runs them again for the new page's quizzes and tracks.
    # Material navigates instantly only within site_url: the site is built for where it is served.
    for rel, text in FILES.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text.lstrip("\n"), encoding="utf-8")
    (tmp_path / "site").mkdir()
    base = serve(tmp_path / "site")
    theme = {**BASE_CONFIG["theme"], "features": ["navigation.instant"]}
    config = {**BASE_CONFIG, "site_url": base, "theme": theme}
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    build_project(tmp_path, tmp_path / "site")
    page.goto(base + "complaints/close/")
    page.wait_for_load_state("networkidle")  # Material's sitemap is loaded
    expect(quiz(page).get_by_role("button", name="Check answers")).to_have_count(1)
    page.evaluate("window.__same_visit = true")
    page.locator(".md-content").get_by_role("link", name="Intake").click()
    page.wait_for_url("**/complaints/intake/")
    form = quiz(page)
    answer_all_right(form)
    form.get_by_role("button", name="Check answers").click()
    expect(form.get_by_role("status")).to_contain_text("Passed")
    page.evaluate(
        """() => { const a = document.createElement('a'); a.href = '../../onboarding/'; a.textContent = 'Tracks';
        a.id = 'to-tracks'; document.querySelector('.md-content').appendChild(a); }"""
    )
    page.locator("#to-tracks").click()
    page.wait_for_url("**/onboarding/")
    item = page.locator('[data-sqz-item][data-quiz="complaints"]').first
    expect(item).to_have_attribute("data-status", "passed")
    assert page.evaluate("window.__same_visit") is True  # no reload on the way
    loaded = page.evaluate("performance.getEntriesByType('resource').map(e => e.name.split('/').pop())")
    assert loaded.count("quiz.js") == 1 and loaded.count("track.js") == 1


def test_coming_back_to_the_tab_never_sets_a_quiz_or_track_up_twice(page: Page, base: str) -> None:
    # sop-hub.js re-checks review dates when the tab becomes visible; that must not run the quiz
    # and track scripts again on the same page (a second set of controls, each result twice).
    page.goto(base + "complaints/intake/")
    form = quiz(page)
    expect(form.get_by_role("button", name="Check answers")).to_have_count(1)
    for _ in range(2):
        page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    expect(form.get_by_role("button", name="Check answers")).to_have_count(1)
    expect(form.locator(".sqz-move")).to_have_count(4)  # the order question's four items, once each
    page.goto(base + "onboarding/")
    expect(page.locator("[data-sqz-status]").first).to_be_visible()
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    downloads: list[Any] = []
    page.on("download", lambda download: downloads.append(download))
    with page.expect_download():
        page.locator("[data-sop-download]").click()
    page.wait_for_timeout(500)
    assert len(downloads) == 1  # one handler: one file


# -- tracks ---------------------------------------------------------------------------------------


def record(tab: Page, quiz_id: str, **changes: Any) -> None:
    """Store a result for ``quiz_id`` as the quiz would, with the current revisions from the track page."""
    item = tab.locator(f'[data-sqz-item][data-quiz="{quiz_id}"]')
    link = item.locator("[data-page]").first
    result = {
        "pct": 100,
        "score": 1,
        "total": 1,
        "passed": True,
        "date": "2026-06-10",
        "quiz": item.get_attribute("data-rev"),
        "page": link.get_attribute("data-page-rev"),
        "url": link.get_attribute("data-page"),
        **changes,
    }
    tab.evaluate("([k, v]) => localStorage.setItem(k, v)", [f"sop-hub:quiz:{quiz_id}", json.dumps(result)])


def status(page: Page, quiz_id: str) -> Locator:
    return page.locator(f'[data-sqz-item][data-quiz="{quiz_id}"]')


def test_track_shows_progress_statuses_and_completion(page: Page, base: str) -> None:
    track = base + "onboarding/new-starter/"
    page.goto(track)
    progress = page.locator("progress")
    expect(progress).to_have_attribute("value", "0")
    expect(progress).to_have_attribute("max", "2")
    expect(status(page, "complaints")).to_have_attribute("data-status", "none")
    expect(status(page, "complaints").locator("[data-sqz-status]")).to_have_text("Not started")
    expect(status(page, "complaints").get_by_role("link")).to_have_text(["Complaint handling", "Close", "Intake"])

    # Pass one quiz for real, fail the other.
    status(page, "complaints").get_by_role("link", name="Intake").click()
    answer_all_right(quiz(page))
    quiz(page).get_by_role("button", name="Check answers").click()
    page.goto(base + "safety/")
    question(quiz(page, "safety"), 1).get_by_label("False").check()
    quiz(page, "safety").get_by_role("button", name="Check answers").click()
    page.goto(track)
    expect(status(page, "complaints").locator("[data-sqz-status]")).to_have_text(f"Passed on {today(page)}")
    expect(status(page, "safety").locator("[data-sqz-status]")).to_have_text("Not passed, best score 0%")
    expect(progress).to_have_attribute("value", "1")
    expect(page.locator("[data-sqz-count]")).to_have_text("1 of 2 done")
    expect(page.locator("[data-sqz-complete]")).to_be_hidden()

    record(page, "safety", date="2026-06-12")
    page.reload()
    expect(progress).to_have_attribute("value", "2")
    complete = page.locator("[data-sqz-complete]")
    expect(complete).to_be_visible()
    expect(complete).to_contain_text("Completed on")
    expect(page.locator(".sqz-track")).to_have_attribute("data-complete", "true")

    # The onboarding index shows the same progress.
    page.goto(base + "onboarding/")
    expect(page.locator('[data-sqz-track="new-starter"] progress')).to_have_attribute("value", "2")


@pytest.mark.parametrize("changed", ["quiz", "page"])
def test_track_asks_for_a_refresh_when_the_quiz_or_its_procedure_changed(page: Page, base: str, changed: str) -> None:
    page.goto(base + "onboarding/new-starter/")
    record(page, "complaints", **{changed: "0000000000"})  # passed on an older revision
    page.reload()
    item = status(page, "complaints")
    expect(item).to_have_attribute("data-status", "refresh")
    expect(item.locator("[data-sqz-status]")).to_have_text(
        "Refresh needed: the quiz or its procedure changed after you passed on 2026-06-10"
    )
    expect(page.locator("progress")).to_have_attribute("value", "0")


def test_reset_asks_in_the_page_first(page: Page, base: str) -> None:
    page.on("dialog", lambda dialog: pytest.fail(f"a browser dialog opened: {dialog.message}"))
    page.goto(base + "onboarding/new-starter/")
    record(page, "complaints")
    page.reload()
    expect(page.locator("progress")).to_have_attribute("value", "1")
    page.get_by_role("button", name="Reset my progress").click()
    expect(page.get_by_role("button", name="Cancel")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name="Yes, reset my progress")).to_be_hidden()
    expect(page.locator("progress")).to_have_attribute("value", "1")
    page.get_by_role("button", name="Reset my progress").click()
    page.get_by_role("button", name="Yes, reset my progress").click()
    expect(page.locator("progress")).to_have_attribute("value", "0")
    expect(page.locator(".sqz-live")).to_have_text("Your progress in this track was reset.")
    assert page.evaluate("localStorage.getItem('sop-hub:quiz:complaints')") is None


def test_without_javascript_questions_show_with_a_note(browser: Any, base: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(base + "complaints/intake/")
        form = quiz(tab)
        expect(form.locator(".sqz-nojs")).to_be_visible()
        expect(form.locator("fieldset legend")).to_have_count(5)
        expect(form.get_by_label("Same working day")).to_be_visible()
        expect(form.locator("button")).to_have_count(0)
    finally:
        context.close()


# -- quizzes that lead somewhere (issue 10 item 3) -------------------------------------------------


def test_checking_with_questions_unanswered_lists_them_and_records_nothing(page: Page, base: str) -> None:
    page.goto(base + "complaints/intake/")
    form = quiz(page)
    form.get_by_label("Same working day").check()
    question(form, 5).get_by_label("Your answer").fill("   ")  # spaces are no answer
    form.get_by_role("button", name="Check answers").click()
    result = form.locator("[data-quiz-result]")
    expect(result).to_contain_text("nothing was checked or recorded")
    expect(result.get_by_role("link")).to_have_text(["question 2", "question 3", "question 5"])
    expect(form.locator("[data-result], .sqz-added, .sqz-answer")).to_have_count(0)  # no answer revealed
    assert page.evaluate("localStorage.getItem('sop-hub:quiz:complaints')") is None
    result.get_by_role("link", name="question 3").click()
    assert page.evaluate("location.hash") == "#" + str(question(form, 3).get_attribute("id"))


def test_enter_in_a_typed_answer_never_submits(page: Page, base: str) -> None:
    page.goto(base + "complaints/intake/")
    form = quiz(page)
    answer_all_right(form)
    question(form, 5).get_by_label("Your answer").press("Enter")
    expect(form.get_by_role("button", name="Check answers")).to_be_focused()
    expect(form.locator("[data-quiz-result]")).to_have_text("")
    assert page.evaluate("localStorage.getItem('sop-hub:quiz:complaints')") is None


def test_wrong_pick_and_missed_answer_are_told_apart_in_words(page: Page, base: str) -> None:
    page.goto(base + "complaints/intake/")
    form = quiz(page)
    answer_all_wrong(form)
    form.get_by_role("button", name="Check answers").click()
    expect(question(form, 1).locator("label.sqz-wrong .sqz-tag")).to_have_text("✗ your pick (wrong)")
    expect(question(form, 1).locator("label.sqz-missed .sqz-tag")).to_have_text("○ right answer you missed")
    expect(question(form, 2).locator("label.sqz-picked .sqz-tag")).to_have_text("✓ your pick (right)")
    expect(question(form, 2).locator("label.sqz-missed")).to_contain_text("Date received")


def test_a_pass_shows_on_load_and_leads_to_the_next_item_and_back(page: Page, base: str) -> None:
    page.goto(base + "complaints/intake/")
    form = quiz(page)
    nexts = form.locator("[data-sqz-next]")
    expect(nexts).to_be_hidden()
    answer_all_right(form)
    form.get_by_role("button", name="Check answers").click()
    expect(nexts).to_be_visible()
    step = nexts.locator('[data-track="new-starter"]')
    expect(step).to_contain_text("Next in New starter essentials: Site safety.")
    page.reload()
    expect(form).to_have_attribute("data-quiz-state", "passed")
    expect(form.locator(".sqz-best")).to_have_text(f"Passed on {today(page)} (best result 100%).")
    step.get_by_role("link", name="Site safety").click()
    page.wait_for_url("**/safety/")
    safety = quiz(page, "safety")
    question(safety, 1).get_by_label("True").check()
    safety.get_by_role("button", name="Check answers").click()
    done = safety.locator('[data-sqz-step][data-track="new-starter"]')
    expect(done.locator("[data-sqz-step-done]")).to_have_text("You have completed New starter essentials.")
    expect(done.locator("[data-sqz-step-next]")).to_be_hidden()
    # In the readers track, the next item is the procedure to read and acknowledge.
    expect(safety.locator('[data-track="readers"]')).to_contain_text("Next in Readers: Close.")
    done.get_by_role("link", name="Back to New starter essentials").click()
    page.wait_for_url("**/onboarding/new-starter/")
    expect(page.locator("[data-sqz-complete]")).to_be_visible()


def test_a_changed_page_shows_refresh_on_the_quiz(page: Page, base: str) -> None:
    page.goto(base + "complaints/intake/")
    form = quiz(page)
    result = {"pct": 100, "score": 5, "total": 5, "passed": True, "date": "2026-06-10"}
    result |= {"quiz": form.get_attribute("data-rev"), "page": "0000000000", "url": form.get_attribute("data-page")}
    page.evaluate("r => localStorage.setItem('sop-hub:quiz:complaints', JSON.stringify(r))", result)
    page.reload()
    expect(form).to_have_attribute("data-quiz-state", "refresh")
    expect(form.locator(".sqz-best")).to_contain_text("Refresh needed: you passed on 2026-06-10")
    expect(form.locator("[data-sqz-next]")).to_be_hidden()


def test_acknowledging_a_reading_counts_in_its_track_and_a_new_revision_asks_again(page: Page, base: str) -> None:
    page.goto(base + "complaints/close/")
    box = page.locator("[data-sop-ack]")
    expect(box.locator("[data-sop-acknowledged]")).to_be_hidden()
    box.locator("button[data-sop-acknowledge]").click()
    shown = box.locator("[data-sop-acknowledged]")
    expect(shown).to_have_attribute("data-sop-acknowledged", today(page))
    expect(shown).to_contain_text(f"on {today(page)}")
    page.reload()
    expect(box.locator("button[data-sop-acknowledge]")).to_be_hidden()
    page.goto(base + "onboarding/readers/")
    item = page.locator('[data-sqz-item][data-doc="SOP-CLOSE"]')
    expect(item.locator("[data-sqz-status]")).to_have_text(f"Acknowledged on {today(page)}")
    expect(page.locator("progress")).to_have_attribute("max", "2")
    expect(page.locator("progress")).to_have_attribute("value", "1")
    # A new revision of the procedure: the stored acknowledgement is of an older one.
    page.evaluate("localStorage.setItem('sop-hub:ack:SOP-CLOSE', JSON.stringify({date: '2026-01-02', rev: 'old'}))")
    page.reload()
    expect(item.locator("[data-sqz-status]")).to_contain_text("Refresh needed")
    page.goto(base + "complaints/close/")
    expect(box.locator("[data-sop-ack-refresh]")).to_contain_text("acknowledged revision old on 2026-01-02")
    expect(box.locator("button[data-sop-acknowledge]")).to_be_visible()


def test_without_javascript_a_track_claims_no_progress(browser: Any, base: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(base + "onboarding/new-starter/")
        expect(tab.locator(".sqz-nojs")).to_have_text(
            "Turn on JavaScript to see your progress: it is kept in this browser."
        )
        expect(tab.get_by_text("Not started")).to_have_count(0)
        expect(tab.locator("progress")).to_be_hidden()
        expect(tab.get_by_role("link", name="Complaint handling")).to_be_visible()
    finally:
        context.close()


@pytest.mark.parametrize("size", [(1280, 900), (390, 844)])
def test_controls_are_44_px_on_touch_screens_and_the_live_region_is_hidden(
    browser: Any, base: str, size: tuple[int, int], tmp_path: Any
) -> None:
    phone = size[0] < 500
    context = browser.new_context(
        viewport={"width": size[0], "height": size[1]}, has_touch=phone, is_mobile=phone, color_scheme="dark"
    )
    try:
        tab = context.new_page()
        tab.goto(base + "complaints/intake/")
        tab.evaluate("localStorage.setItem('__palette', JSON.stringify({index: 1, color: {scheme: 'slate'}}))")
        tab.reload()
        form = quiz(tab)
        fieldset = question(form, 4)
        fieldset.locator("button[data-move]").nth(1).click()
        live = form.locator(".sqz-sr")
        expect(live).to_contain_text("position")
        box = live.bounding_box()
        assert box is not None and box["width"] <= 1 and box["height"] <= 1  # announced, not shown
        coarse = tab.evaluate("matchMedia('(pointer: coarse)').matches")
        controls = [*fieldset.locator("button[data-move]").all(), *form.locator("label.sqz-choice").all()]
        controls.append(form.get_by_role("button", name="Check answers"))
        for control in controls:
            rect = control.bounding_box()
            assert rect is not None
            if coarse:
                assert rect["height"] >= 44, control
                if control.get_attribute("data-move") is not None:
                    assert rect["width"] >= 44
        assert coarse == phone
        form.scroll_into_view_if_needed()
        tab.screenshot(path=str(tmp_path / f"quiz-{size[0]}.png"), full_page=True)
    finally:
        context.close()
