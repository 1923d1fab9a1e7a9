"""The reader's hub (issue 10) in Chromium, at phone (390 x 844) and desktop sizes, light and dark:
a compact procedure header, search on the phone home page, 44 px touch targets, the hand-off map's
scroll hint, and the register's filter, grouping, sorting and fit."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
PROCEDURE = "quality-control/incoming/incoming-inspection/"


@pytest.fixture(params=["light", "dark"])
def phone(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = browser.new_context(**PHONE, color_scheme=request.param)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    context.close()
    assert not errors


@pytest.fixture(params=[(1280, "light"), (1920, "dark")])
def desktop(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    width, scheme = request.param
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    tab = context.new_page()
    yield tab
    context.close()


def _size(locator: Any) -> tuple[float, float]:
    box = locator.bounding_box()
    assert box is not None
    return box["width"], box["height"]


def test_phone_header_is_compact_and_the_first_heading_is_on_the_first_screen(phone, serve, demo_site):
    phone.goto(serve(demo_site) + PROCEDURE)
    scheme = phone.locator("body").get_attribute("data-md-color-scheme")
    header = phone.locator(".sop-header")
    expect(header).to_be_visible()
    details = header.locator("details[data-sop-details]")
    expect(details).not_to_have_attribute("open", "")  # closed on a phone
    expect(header.locator(".sop-header__facts")).to_be_hidden()
    summary_box = header.locator(".sop-header__summary").bounding_box()
    line = 2.6 * 16  # a line of the summary is at most ~2.6 rem with its badge
    assert summary_box and summary_box["height"] <= 2 * line, summary_box  # one or two lines of facts
    purpose = phone.locator("article h2").first
    box = purpose.bounding_box()
    assert box and box["y"] + box["height"] < 844, (scheme, box)
    # The disclosure is a real control: 44 px tall, opened from the keyboard.
    summary = details.locator("summary")
    assert _size(summary)[1] >= 44
    summary.focus()
    phone.keyboard.press("Enter")
    expect(details).to_have_attribute("open", "")
    expect(header.locator(".sop-header__facts")).to_be_visible()
    expect(header.locator(".sop-header__facts")).to_contain_text("Last reviewed")


def test_dates_never_wrap_mid_date(phone, serve, demo_site):
    phone.goto(serve(demo_site) + PROCEDURE)
    phone.locator("details[data-sop-details] summary").click()
    for page_url in (PROCEDURE, "reviews/", "register/"):
        phone.goto(serve(demo_site) + page_url)
        heights = phone.locator("article time").evaluate_all(
            "els => els.filter(e => e.offsetParent).map(e => [e.textContent, e.getClientRects().length])"
        )
        assert heights and all(rects == 1 for _, rects in heights), (page_url, heights)


def test_desktop_header_opens_details_and_links_the_owner_to_the_owners_page(desktop, serve, demo_site):
    desktop.goto(serve(demo_site) + PROCEDURE)
    details = desktop.locator(".sop-header details[data-sop-details]")
    expect(details).to_have_attribute("open", "")
    owner = desktop.locator(".sop-header .sop-owner a.sop-person-ref")
    expect(owner).to_have_text("Priya Raman")
    assert owner.get_attribute("href").endswith("owners/#person-priya-raman")
    owner.click()
    expect(desktop.locator("h2#person-priya-raman")).to_be_visible()


def test_report_a_problem_mails_the_owner_with_id_and_revision(desktop, serve, demo_site):
    desktop.goto(serve(demo_site) + PROCEDURE)
    link = desktop.get_by_role("link", name="Report a problem with this page")
    expect(link).to_be_visible()
    href = link.get_attribute("href")
    revision = desktop.locator(".sop-header").first.get_attribute("data-sop-revision")
    assert revision  # the revision in force (SPEC §8), not the free-text version
    assert (
        href.startswith("mailto:")
        and f"subject=%5BSOP-QC-001%20rev%20{revision}%5D%20Problem%20with%20Incoming" in href
    )
    assert "Version%3A%203.4" in href  # the version is in the body


def test_search_is_reachable_on_the_phone_home_page(phone, serve, demo_site):
    phone.goto(serve(demo_site))
    button = phone.locator('label.md-header__button[for="__search"]')
    expect(button).to_be_visible()
    width, height = _size(button)
    assert width >= 40 and height >= 40
    button.click()
    expect(phone.locator(".md-search__input")).to_be_visible()
    phone.locator(".md-search__input").press_sequentially("incoming", delay=50)
    expect(phone.locator(".md-search-result__item").first).to_be_visible(timeout=20_000)


def test_plugin_controls_are_44px_touch_targets_on_a_phone(phone, serve, demo_site):
    base = serve(demo_site)
    phone.goto(base + "register/")
    assert _size(phone.locator("#sop-register-filter"))[1] >= 44
    sort_buttons = phone.locator(".sop-register button.sop-sort")
    expect(sort_buttons.first).to_be_visible()
    assert min(h for _, h in (_size(sort_buttons.nth(i)) for i in range(sort_buttons.count()))) >= 44
    phone.goto(base + "reviews/")
    cards = phone.locator("a.sop-count__link")
    expect(cards.first).to_be_visible()
    assert all(_size(cards.nth(i))[1] >= 44 for i in range(cards.count()))
    links = phone.locator(".sop-review-table tbody tr:not([hidden]) td a, .sop-owner-table td a")
    assert links.count() > 5
    assert min(_size(links.nth(i))[1] for i in range(min(links.count(), 20))) >= 44


def test_handoff_map_scrolls_sideways_with_a_hint_on_a_phone(phone, serve, demo_site):
    phone.goto(serve(demo_site) + "processes/")
    box = phone.locator(".sop-map__scroll")
    expect(phone.get_by_text("Scroll sideways to see the whole map")).to_be_visible()
    expect(box).to_have_attribute("data-sop-overflows", "")
    assert box.evaluate("b => b.scrollWidth > b.clientWidth && getComputedStyle(b).overflowX === 'auto'")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # the page itself does not scroll


def test_register_filter_narrows_rows_with_a_live_count(desktop, serve, demo_site):
    desktop.goto(serve(demo_site) + "register/")
    rows = desktop.locator(".sop-register tbody tr")
    total = rows.count()
    count = desktop.locator("[data-sop-filter-count]")
    expect(count).to_have_text(f"{total} of {total} documents")
    field = desktop.get_by_label("Filter documents")
    assert field.get_attribute("type") == "search"
    for query, must_include in [
        ("sop-qc-003", "SOP-QC-003"),
        ("priya", "SOP-QC-001"),
        ("quality control", "SOP-QC-002"),
    ]:
        field.fill(query)
        visible = desktop.locator(".sop-register tbody tr:not([hidden])")
        refs = visible.evaluate_all("rows => rows.map(r => r.dataset.sopRef)")
        assert must_include in refs and len(refs) < total, (query, refs)
        expect(count).to_have_text(f"{len(refs)} of {total} documents")
    field.fill("retired")
    refs = desktop.locator(".sop-register tbody tr:not([hidden])").evaluate_all("rs => rs.map(r => r.dataset.sopRef)")
    assert refs and all(
        desktop.locator(f'.sop-register tr[data-sop-ref="{ref}"]').get_attribute("data-sop-retired") == ""
        for ref in refs
    )
    field.fill("")
    expect(count).to_have_text(f"{total} of {total} documents")


def test_register_names_a_process_once_per_group_and_again_when_sorted(desktop, serve, demo_site):
    desktop.goto(serve(demo_site) + "register/")
    repeats = desktop.locator(".sop-register td.sop-repeat")
    assert repeats.count() > 10
    color = "el => getComputedStyle(el).color"
    assert repeats.first.evaluate(color) == "rgba(0, 0, 0, 0)"
    desktop.locator(".sop-register thead th").nth(5).get_by_role("button").click()  # by owner
    assert repeats.first.evaluate(color) != "rgba(0, 0, 0, 0)"


def test_register_sorts_retired_last_also_by_next_review(desktop, serve, demo_site):
    desktop.goto(serve(demo_site) + "register/")
    header = desktop.locator(".sop-register thead th").nth(9)
    for _ in ("ascending", "descending"):
        header.get_by_role("button").click()
        retired = desktop.locator(".sop-register tbody tr").evaluate_all(
            "rows => rows.map(r => r.hasAttribute('data-sop-retired'))"
        )
        assert any(retired) and retired == sorted(retired), retired  # all False, then all True


def test_register_fits_or_scrolls_with_a_hint_and_its_headings_stick(desktop, serve, demo_site):
    desktop.goto(serve(demo_site) + "register/")
    width = desktop.viewport_size["width"]
    assert desktop.evaluate("document.documentElement.scrollWidth") <= width  # no page overflow
    box = desktop.locator("[data-sop-scroll]").first
    overflows = box.evaluate("b => b.scrollWidth > b.clientWidth + 1")
    hint = desktop.get_by_text("Scroll sideways to see every column.")
    if overflows:
        expect(hint).to_be_visible()
    else:
        expect(hint).to_be_hidden()
    ids = desktop.locator(".sop-register td:first-child code.sop-id")
    heights = ids.evaluate_all(
        "els => els.filter(e => !e.textContent.includes('/')).map(e => e.getClientRects().length)"
    )
    assert heights and set(heights) == {1}  # ids never wrap
    heading = desktop.locator(".sop-register thead th").first
    assert heading.evaluate("th => getComputedStyle(th).position") == "sticky"
    if not overflows:
        desktop.mouse.wheel(0, 1500)
        desktop.wait_for_function("window.scrollY > 1000")
        top = heading.bounding_box()["y"]
        assert 0 <= top <= 60, top  # under Material's header, still on screen


def test_review_counts_link_to_their_lists(desktop, serve, demo_site):
    desktop.goto(serve(demo_site) + "reviews/")
    overdue = desktop.locator(".sop-count--overdue a.sop-count__link")
    assert overdue.get_attribute("href").endswith("#needs-review")
    overdue.click()
    assert desktop.evaluate("location.hash") == "#needs-review"
    badge_cells = desktop.locator("table.sop-table tbody tr:not([hidden]) td.sop-badge-cell")
    for i in range(badge_cells.count()):
        cell = badge_cells.nth(i)
        inside = "td => td.querySelector('.sop-badge').getBoundingClientRect().right"
        assert cell.evaluate(inside + " <= td.getBoundingClientRect().right + 0.5")
