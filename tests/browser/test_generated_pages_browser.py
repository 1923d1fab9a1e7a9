"""The generated pages in headless Chromium: sorting the register, and the hand-off map."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from tests.conftest import AS_OF, BASE_CONFIG, build_project

pytestmark = pytest.mark.browser


def column(page, index: int) -> list[str]:
    return page.locator(f".sop-register tbody tr td:nth-child({index})").evaluate_all(
        "cells => cells.map(c => (c.dataset.sort ?? c.textContent).trim())"
    )


def test_register_sorts_by_next_review_when_the_header_is_clicked(page, serve, demo_site):
    page.goto(serve(demo_site) + "register/")
    header = page.locator(".sop-register thead th").nth(11)
    header.get_by_role("button", name="Next review").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    dates = column(page, 12)
    filled = [d for d in dates if d]
    assert filled == sorted(filled) and len(filled) > 5
    assert dates == filled + [""] * (len(dates) - len(filled))  # documents without a date come last

    header.get_by_role("button", name="Next review").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    filled_desc = [d for d in column(page, 12) if d]
    assert filled_desc == sorted(filled, reverse=True)
    expect(page.locator(".sop-register thead th[aria-sort]")).to_have_count(1)


def test_register_sorts_by_owner_from_the_keyboard_and_returns_to_process_order(page, serve, demo_site):
    page.goto(serve(demo_site) + "register/")
    default = page.locator(".sop-register tbody tr").evaluate_all("rows => rows.map(r => r.dataset.sopRef)")
    owner = page.locator(".sop-register thead th").nth(5)
    owner.get_by_role("button").focus()
    page.keyboard.press("Enter")
    expect(owner).to_have_attribute("aria-sort", "ascending")
    names = [name for name in column(page, 6) if name]
    assert names == sorted(names, key=str.casefold)

    process = page.locator(".sop-register thead th").nth(3)
    process.get_by_role("button").focus()
    page.keyboard.press("Space")
    expect(process).to_have_attribute("aria-sort", "ascending")
    expect(owner).not_to_have_attribute("aria-sort", "ascending")
    again = page.locator(".sop-register tbody tr").evaluate_all("rows => rows.map(r => r.dataset.sopRef)")
    assert again == default


def test_register_reads_in_process_order_without_javascript(browser, serve, demo_site):
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(serve(demo_site) + "register/")
        expect(tab.locator(".sop-register tbody tr").first).to_be_visible()
        expect(tab.locator(".sop-register button")).to_have_count(0)
        orders = tab.locator(".sop-register tbody tr").evaluate_all("rows => rows.map(r => +r.dataset.sopOrder)")
        assert orders == sorted(orders)
    finally:
        context.close()


FILES = {
    "docs/index.md": "# Welcome\n",
    "docs/sales/index.md": """
        ---
        type: process
        title: Sales
        owner: Pat Lee
        last_reviewed_on: 2026-01-10
        hands_off_to: [billing]
        ---
        # Sales
        """,
    "docs/billing/index.md": """
        ---
        type: process
        title: Billing
        owner: Jane Doe
        last_reviewed_on: 2026-01-10
        ---
        # Billing
        """,
}


def test_handoff_map_survives_instant_navigation_and_opens_a_process(page, serve, tmp_path):
    for rel, text in FILES.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    (tmp_path / "site").mkdir()
    base = serve(tmp_path / "site")  # Material navigates instantly only within its site_url
    theme = {**BASE_CONFIG["theme"], "features": ["navigation.indexes", "navigation.instant"]}
    config = {**BASE_CONFIG, "site_url": base, "theme": theme, "plugins": ["search", {"sop-hub": {"as_of": AS_OF}}]}
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    _build(tmp_path)

    page.goto(base)
    page.wait_for_load_state("networkidle")
    page.evaluate("window.__same_document = true")
    page.locator(".md-sidebar--primary").get_by_text("Hub overview", exact=True).first.click()  # open the section
    page.locator(".md-nav").get_by_role("link", name="Processes", exact=True).first.click()
    expect(page).to_have_url(base + "processes/")
    svg = page.locator("svg.sop-map__svg")
    expect(svg).to_be_visible()
    assert page.evaluate("window.__same_document") is True  # instant navigation, no reload
    # The page fixture fails the test on any JavaScript error (Material rewrites links on swap).
    expect(page.locator(".sop-handoff-list")).to_contain_text("Sales")
    page.locator('svg.sop-map__svg a[data-process="billing"]').click()
    expect(page).to_have_url(base + "billing/")
    expect(page.locator("h1")).to_have_text("Billing")


def _build(root: Path) -> None:
    build_project(root)
