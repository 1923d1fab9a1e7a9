"""Controlled copies (SPEC §8): a printed procedure says "Uncontrolled when printed" on every sheet,
with the print date, id, version and revision, and leaves out navigation, search, buttons and quizzes."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

OVERDUE_SOP = "quality-control/in-process/first-off-inspection/"  # overdue for good: its warning must print
QUIZ_SOP = "month-end-close/invoice-approval/supplier-invoice-approval/"  # embeds a quiz
RETIRED = "complaints/record/paper-complaint-form/"
PDFTOTEXT = shutil.which("pdftotext")


def test_print_hides_navigation_search_buttons_and_quizzes_and_keeps_warnings(page, serve, demo_site):
    base = serve(demo_site)
    page.goto(base + QUIZ_SOP)
    expect(page.locator("form[data-quiz]").first).to_be_visible()
    expect(page.locator(".sop-print-mark")).to_be_hidden()  # on screen: not there
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-search", "form[data-quiz]", ".md-typeset button"):
        for element in page.locator(selector).all():
            expect(element).to_be_hidden()
    mark = page.locator(".sop-print-mark")
    expect(mark).to_be_visible()
    expect(mark).to_contain_text("Uncontrolled when printed")
    expect(mark).to_contain_text(date.today().isoformat())  # the reader's clock: the day it is printed
    revision = page.locator(".sop-header").get_attribute("data-sop-revision")
    assert revision and re.fullmatch(r"[0-9a-f]{7}", revision)
    expect(mark).to_contain_text(f"SOP-FIN-001 version 4.0 revision {revision}")
    expect(page.locator("[data-sop-history]")).to_be_visible()

    page.goto(base + OVERDUE_SOP)
    page.emulate_media(media="print")
    expect(page.locator('[data-sop-warning="overdue"]')).to_be_visible()
    expect(page.locator('[data-sop-warning="due-soon"]')).to_be_hidden()
    page.goto(base + RETIRED)
    page.emulate_media(media="print")
    expect(page.locator(".sop-retired")).to_be_visible()


def test_every_printed_sheet_carries_the_control_line(page, serve, demo_site, tmp_path):
    """Chromium's PDF of a procedure: each page has the mark, the print date and the document."""
    assert PDFTOTEXT, "pdftotext (poppler-utils) is needed: apt-get install poppler-utils"
    page.goto(serve(demo_site) + OVERDUE_SOP)
    expect(page.locator(".sop-header")).to_be_visible()
    revision = page.locator(".sop-header").get_attribute("data-sop-revision")
    pdf = tmp_path / "printed.pdf"
    page.pdf(path=str(pdf), format="A4")
    text = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    sheets = [sheet for sheet in text.split("\f") if sheet.strip()]
    assert len(sheets) >= 2, "the test needs a procedure that prints on two sheets or more"
    for number, sheet in enumerate(sheets, 1):
        assert "Uncontrolled when printed" in sheet, f"sheet {number}"
        assert f"Printed {date.today().isoformat()}" in sheet, f"sheet {number}"
        assert "SOP-QC-002" in sheet and f"revision {revision}" in sheet, f"sheet {number}"
        assert f"Page {number} of {len(sheets)}" in sheet
    assert "Search" not in sheets[0].split("Uncontrolled when printed")[0]  # no header bar above the mark
