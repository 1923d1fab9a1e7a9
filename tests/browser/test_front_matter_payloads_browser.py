"""Data is never code, in a real browser: no front-matter payload runs on any page of the site."""

from __future__ import annotations

import pytest

from tests.build.test_front_matter_payloads import PAYLOADS, hostile_files

PAGES = ("", "proc/", "proc/a/", "proc/b/", "proc/c/", "proc/d/", "other/", "plain/", "plain2/", "plain3/",
         "processes/", "reviews/", "owners/", "register/", "404.html")  # fmt: skip
PROVOKE = """() => {
  for (const el of document.querySelectorAll('*')) {
    for (const type of ['mouseover', 'mouseenter', 'focus', 'click']) {
      if (type === 'click' && el.closest('a, button, form')) continue;
      el.dispatchEvent(new Event(type, {bubbles: true}));
    }
  }
  return window.__xss === undefined;
}"""


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_front_matter_payload_runs_on_any_page(make_hub, build, serve, page, payload):
    result = build(make_hub(hostile_files(payload)))
    assert result.ok, result.log
    base = serve(result.site)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for url in PAGES:
        assert (result.site / (url if url.endswith(".html") else url + "index.html")).exists(), url
        page.goto(base + url)
        page.wait_for_load_state("load")
        assert page.evaluate(PROVOKE), f"a payload ran on {url or 'home'}"
        page.hover("body")
    assert not dialogs
    assert page.evaluate("window.__xss") is None
