"""The Zensical preview (README "Zensical preview"): the demo built by real Zensical, in Chromium.

What applies under Zensical of the MkDocs browser tests: the header after the h1 with its review
status and warning, process pages' sections, the generated pages, quizzes, the register files,
search, no JavaScript errors, and data never becoming code. Not applicable (README): scoped nav,
``serve --dirty``, ``--strict`` counting, retired-page boost.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Page, expect

from tests.browser import test_xss as xss
from tests.conftest import site_servers

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base(zensical_demo: Path, serve: Any) -> str:
    return str(serve(zensical_demo))


@pytest.fixture(scope="module")
def serve() -> Iterator[Callable[..., str]]:  # module-scoped twin of the conftest fixture
    with site_servers() as start:
        yield start


GENERATED = ["processes", "reviews", "owners", "register", "changes", "onboarding", "onboarding/new-starter"]


def test_every_generated_page_and_the_register_files_are_built(zensical_demo: Path) -> None:
    for page in GENERATED:
        assert (zensical_demo / page / "index.html").is_file(), page
        assert 'class="sop-generated' in (zensical_demo / page / "index.html").read_text(encoding="utf-8"), page
    register = json.loads((zensical_demo / "register.json").read_text(encoding="utf-8"))
    assert any(doc["id"] == "SOP-CS-001" for doc in register["documents"])
    assert (zensical_demo / "register.csv").read_text(encoding="utf-8-sig").startswith("id,")
    assert "<feed" in (zensical_demo / "changes.xml").read_text(encoding="utf-8")


def test_a_procedure_has_its_header_after_the_title(page: Page, base: str) -> None:
    page.goto(base + "complaints/record/intake/")
    header = page.locator('[data-sop-id="SOP-CS-001"]')
    expect(header).to_be_visible()
    expect(header).to_contain_text("Current")
    expect(header).to_contain_text("Tom Okafor")
    # Right after the h1, inside the wrapper that keeps it out of Zensical's search index.
    after_title = "document.querySelector('article h1').nextElementSibling.querySelector('[data-sop-id]') !== null"
    assert page.evaluate(after_title)


def test_an_overdue_procedure_shows_its_warning(page: Page, base: str) -> None:
    page.goto(base + "client-onboarding/contract/credit-check/")
    expect(page.locator('[data-sop-id="SOP-CO-001"]')).to_contain_text("Review overdue")
    expect(page.locator('[data-sop-warning="overdue"]')).to_be_visible()


def test_a_process_page_has_its_sections_and_they_are_in_the_toc(page: Page, base: str) -> None:
    page.goto(base + "complaints/")
    expect(page.locator('[data-sop-id="complaints"]')).to_be_visible()
    for heading in ("Stages and procedures", "Connected processes"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        expect(page.locator(".md-sidebar--secondary").get_by_role("link", name=heading)).to_have_count(1)
    expect(page.locator("article").get_by_role("link", name="Complaint intake and logging").first).to_be_visible()


def test_a_quiz_can_be_answered_and_checked(page: Page, base: str) -> None:
    page.goto(base + "complaints/record/intake/")
    form = page.locator("form.sqz").first
    expect(form.locator(".sqz-nojs")).to_be_hidden()  # quiz.js ran
    page.evaluate(xss.ANSWER_EVERY_QUIZ)
    form.get_by_role("button", name="Check answers").click()
    expect(form.get_by_role("status")).to_contain_text("You scored")
    expect(form.locator("fieldset[data-result]").first).to_be_visible()
    quiz_id = form.get_attribute("data-quiz")
    stored = page.evaluate("id => localStorage.getItem('sop-hub:quiz:' + id)", quiz_id)
    assert stored and "score" in json.loads(stored), stored  # progress kept, as under MkDocs


def test_the_register_page_links_resolve(page: Page, base: str) -> None:
    page.goto(base + "register/")
    for name in ("register.csv", "register.json"):
        href = page.get_by_role("link", name=name).get_attribute("href")
        assert href is not None
        response = page.request.get(page.url + href if not href.startswith("http") else href)
        assert response.ok, (name, href, response.status)


def test_a_due_soon_procedure_shows_its_warning(page: Page, base: str) -> None:
    page.goto(base + "complaints/close/closure/")
    expect(page.locator('[data-sop-id="SOP-CS-005"]')).to_be_visible()
    # Due soon until 2026-12-08, overdue after: one of the two warnings, whichever the reader's clock says.
    expect(page.locator("[data-sop-warning]:not([hidden])").first).to_be_visible()


def test_the_nav_has_the_processes_and_the_hub_overview(page: Page, base: str) -> None:
    page.goto(base)
    nav = page.locator(".md-sidebar--primary")
    for title in ("Customer complaint handling", "Hub overview", "Onboarding"):
        expect(nav.get_by_text(title, exact=True).first).to_be_attached()


def test_search_finds_procedures_by_id_and_never_a_quiz_answer(zensical_demo: Path) -> None:
    index = json.loads((zensical_demo / "search.json").read_text(encoding="utf-8"))
    text = " ".join(item["title"] + " " + item["text"] for item in index["items"])
    assert "SOP-CS-001" in text and "Tom Okafor" in text  # by id and by owner (the header's summary)
    retired = [
        item for item in index["items"] if item["location"].startswith("complaints/record/paper-complaint-form/")
    ]
    retired_text = " ".join(item["text"] for item in retired)
    assert "Retired; replaced by SOP-CS-001" in retired_text  # the summary, not the body
    assert "complaints binder" not in retired_text
    quiz = yaml.safe_load((Path(__file__).resolve().parents[2] / "quizzes" / "complaint-handling.yml").read_text())
    explanations = [q["explanation"] for q in quiz["questions"] if q.get("explanation")]
    assert explanations and not any(explanation.strip() in text for explanation in explanations)
    listings = [item["location"] for item in index["items"] if item["location"].startswith(("reviews/", "owners/"))]
    assert listings == []  # the listings are kept out of search, as under MkDocs


@pytest.fixture(scope="module")
def payload_site(
    tmp_path_factory: pytest.TempPathFactory, zensical_build: Callable[[Path], Path], serve: Any
) -> tuple[str, list[str]]:
    """tests/browser/test_xss.py's payload hub, built by Zensical."""
    root = tmp_path_factory.mktemp("zensical-payload-hub")
    xss.write_payload_hub(root)  # authors and commit messages are payloads too
    site = zensical_build(root)
    return serve(site), xss.built_pages(site)


def test_no_payload_runs_on_any_page(browser: Any, payload_site: tuple[str, list[str]]) -> None:
    xss.test_no_payload_runs_on_any_page(browser, payload_site)


def test_the_payload_hub_still_shows_headers_and_quizzes(browser: Any, payload_site: tuple[str, list[str]]) -> None:
    xss.test_payload_hub_still_shows_legit_quiz_and_headers(browser, payload_site)
