"""The demo hub in real headless Chromium: what a member of staff sees and finds."""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

OVERDUE_SOP = "quality-control/in-process/first-off-inspection/"  # last reviewed 2026-03-02: overdue for good


def test_overdue_procedure_shows_header_and_warning_naming_owner(page, serve, demo_site):
    page.goto(serve(demo_site) + OVERDUE_SOP)
    header = page.locator(".sop-header").first
    expect(header).to_be_visible()
    expect(header).to_have_attribute("data-sop-id", "SOP-QC-002")
    expect(header).to_have_attribute("data-review-status", "overdue")
    expect(header.locator(".sop-header__trail")).to_contain_text("Quality control")
    warning = page.locator('[data-sop-warning="overdue"]')
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("Ben Harris")
    expect(warning).to_contain_text("2026-06-02")
    expect(page.locator('[data-sop-warning="due-soon"]')).to_be_hidden()


def search_shows(page, query: str, expected: str) -> None:
    """Search with Material's search box until ``expected`` is among the results (20 s at most).

    The query is typed key by key, as a person types (Material's search reacts to key events, which
    fill() does not send), and typed again if the search worker was still loading its index.
    """
    box = page.locator("input.md-search__input")
    results = page.locator(".md-search-result")
    box.click()
    for _ in range(10):
        box.press_sequentially(query, delay=20)
        try:
            results.get_by_text(expected).first.wait_for(timeout=2_000)
            return
        except PlaywrightTimeout:
            box.fill("")
    raise AssertionError(f"searching {query!r} never showed {expected!r}: {results.inner_text()[:300]}")


def test_search_finds_a_procedure_by_its_owners_name(page, serve, demo_site):
    page.goto(serve(demo_site))
    search_shows(page, "Ben Harris", "First-off and in-process inspection")


def test_search_finds_a_procedure_by_its_document_id(page, serve, demo_site):
    page.goto(serve(demo_site))
    search_shows(page, "SOP-QC-002", "First-off and in-process inspection")
