"""Live review status: a site built while a procedure was current warns a reader after its due
date, judged by the reader's own clock (Playwright's clock API), also after instant navigation."""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from tests.conftest import AS_OF, BASE_CONFIG, build_project

pytestmark = pytest.mark.browser

# Built as of 2026-06-15: SOP-D was reviewed 2026-06-01, so it is current until its review is due
# on 2026-09-01 (due soon from 2026-08-02); SOP-B is overdue already.
FILES = {
    "docs/index.md": "# Welcome\n\nStart with [the current procedure](ops/current.md).\n",
    "docs/ops/index.md": """
        ---
        type: process
        title: Operations
        owner: Pat Lee
        last_reviewed_on: 2026-01-10
        ---
        # Operations
        """,
    "docs/ops/current.md": """
        ---
        id: SOP-D
        title: Current one
        process: ops
        owner: Jane Doe
        last_reviewed_on: 2026-06-01
        ---
        # Current one

        1. Do it.
        """,
    "docs/ops/overdue.md": """
        ---
        id: SOP-B
        title: Overdue one
        process: ops
        owner: Sam Roe
        last_reviewed_on: 2026-02-01
        ---
        # Overdue one
        """,
}


def build_site(root: Path, site_url: str | None = None) -> Path:

    for rel, text in FILES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    theme = {**BASE_CONFIG["theme"], "features": ["navigation.indexes", "navigation.instant"]}
    config = {**BASE_CONFIG, "theme": theme, "plugins": ["search", {"sop-hub": {"as_of": AS_OF}}]}
    if site_url:
        config["site_url"] = site_url
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return build_project(root)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(tmp_path_factory.mktemp("live-review"))


def test_built_as_current_the_procedure_warns_a_reader_after_its_due_date(page, serve, site):
    base = serve(site)
    assert 'data-review-status="current"' in (site / "ops/current/index.html").read_text(encoding="utf-8")
    page.clock.set_fixed_time(datetime(2026, 9, 10, 10, 0))
    page.goto(base + "ops/current/")
    header = page.locator(".sop-header")
    expect(header).to_have_attribute("data-review-status", "overdue")
    warning = page.locator('[data-sop-warning="overdue"]')
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("Jane Doe")
    expect(warning).to_contain_text("2026-09-01")
    expect(page.locator('[data-sop-warning="due-soon"]')).to_be_hidden()
    expect(header.locator("[data-sop-badge]")).to_have_text("Review overdue")
    expect(header.locator("[data-sop-badge]")).to_have_class("sop-badge sop-badge--overdue")


def test_due_soon_warning_shows_in_the_weeks_before_the_due_date(page, serve, site):
    page.clock.install(time=datetime(2026, 8, 10, 9, 0))
    page.goto(serve(site) + "ops/current/")
    expect(page.locator(".sop-header")).to_have_attribute("data-review-status", "due-soon")
    expect(page.locator('[data-sop-warning="due-soon"]')).to_be_visible()
    expect(page.locator('[data-sop-warning="overdue"]')).to_be_hidden()
    expect(page.locator(".sop-header [data-sop-badge]")).to_have_text("Review due soon")


def test_no_warning_while_the_procedure_is_current(page, serve, site):
    page.clock.set_fixed_time(datetime(2026, 6, 20, 9, 0))
    page.goto(serve(site) + "ops/current/")
    expect(page.locator(".sop-header")).to_have_attribute("data-review-status", "current")
    expect(page.locator(".sop-warning")).to_have_count(2)
    expect(page.locator('[data-sop-warning="overdue"]')).to_be_hidden()
    expect(page.locator('[data-sop-warning="due-soon"]')).to_be_hidden()
    expect(page.locator(".sop-header [data-sop-badge]")).to_have_text("Current")


@pytest.mark.parametrize(
    ("timezone", "utc_time", "expected"),
    [
        # 12:00 UTC on the due date is already the 2nd of September on Kiritimati (UTC+14).
        ("Pacific/Kiritimati", datetime(2026, 9, 1, 12, 0, tzinfo=UTC), "overdue"),
        # 05:00 UTC on the 2nd is still the due date (1 September) in Pago Pago (UTC-11).
        ("Pacific/Pago_Pago", datetime(2026, 9, 2, 5, 0, tzinfo=UTC), "due-soon"),
    ],
)
def test_status_follows_the_readers_local_calendar_date(browser, serve, site, timezone, utc_time, expected):
    context = browser.new_context(timezone_id=timezone)
    try:
        tab = context.new_page()
        errors: list[str] = []
        tab.on("pageerror", lambda exc: errors.append(str(exc)))
        tab.clock.set_fixed_time(utc_time)
        tab.goto(serve(site) + "ops/current/")
        expect(tab.locator(".sop-header")).to_have_attribute("data-review-status", expected)
        assert not errors
    finally:
        context.close()


def test_warning_appears_after_instant_navigation(page, serve, tmp_path):
    # Material navigates instantly only to URLs in its sitemap, matched with the port, so the
    # site is built for the address it is served from (the server reads files per request).
    (tmp_path / "site").mkdir()
    base = serve(tmp_path / "site")
    build_site(tmp_path, site_url=base)
    page.clock.set_fixed_time(datetime(2026, 9, 10, 10, 0))
    page.goto(base)
    page.wait_for_load_state("networkidle")  # the sitemap is loaded
    page.evaluate("window.__same_document = true")
    page.get_by_role("link", name="the current procedure").click()
    expect(page).to_have_url(base + "ops/current/")
    expect(page.locator(".sop-header")).to_have_attribute("data-review-status", "overdue")
    expect(page.locator('[data-sop-warning="overdue"]')).to_be_visible()
    # Material swapped the page in place: the script re-ran without a reload.
    assert page.evaluate("window.__same_document") is True


def test_reviews_page_lists_a_document_that_fell_due_after_the_build(page, serve, site):
    base = serve(site)
    page.goto(base + "reviews/")  # the reader's clock is today (after the build's as-of date)
    page.clock.set_fixed_time(datetime(2026, 6, 20, 9, 0))
    page.goto(base + "reviews/")
    row = page.locator('.sop-attention tr[data-sop-ref="SOP-D"]')
    expect(row).to_be_hidden()
    expect(page.locator('[data-sop-count="overdue"]')).to_have_text("1")

    page.clock.set_fixed_time(datetime(2026, 9, 10, 9, 0))
    page.reload()
    expect(row).to_be_visible()
    expect(row.locator("[data-sop-badge]")).to_have_text("Review overdue")
    expect(page.locator('[data-sop-count="overdue"]')).to_have_text("2")
    expect(page.locator('[data-sop-count="current"]')).to_have_text("1")
    # Still oldest first: SOP-B (due 2026-05-01) before SOP-D (due 2026-09-01).
    refs = page.locator(".sop-attention tbody tr:visible").evaluate_all("rows => rows.map(r => r.dataset.sopRef)")
    assert refs == ["SOP-B", "SOP-D"]


def test_nothing_due_note_shows_when_the_reader_is_before_every_due_date(page, serve, site):
    page.clock.set_fixed_time(datetime(2026, 3, 1, 9, 0))
    page.goto(serve(site) + "reviews/")
    expect(page.locator(".sop-attention [data-sop-empty]")).to_be_visible()
    expect(page.locator(".sop-attention table")).to_be_hidden()


def test_days_overdue_are_counted_from_the_readers_clock(page, serve, site):
    page.clock.set_fixed_time(datetime(2026, 9, 10, 10, 0))  # due 2026-09-01: nine days late
    page.goto(serve(site) + "ops/current/")
    expect(page.locator('[data-sop-warning="overdue"] [data-sop-days-overdue]')).to_have_text("9 days")
    page.goto(serve(site) + "reviews/")
    row = page.locator('.sop-review-table tr[data-sop-ref="SOP-D"]')
    expect(row).to_be_visible()
    expect(row.locator("[data-sop-days-overdue]")).to_have_text("9 days")
