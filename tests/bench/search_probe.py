"""Ask Material's search box in a Playwright page and read the result list, as a reader sees it.

Shared by ``tests/browser/test_search_ranking.py`` (demo hub) and ``bench_search.py`` (synthetic
hubs). Stdlib plus a Playwright ``page``; the benchmark runs it as a sibling script.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

RESULT_URLS = """() => Array.from(document.querySelectorAll(
  '.md-search-result__list > .md-search-result__item > .md-search-result__link:first-child'))
  .map(a => new URL(a.getAttribute('href'), document.baseURI).pathname)"""


@dataclass
class Outcome:
    query: str
    expected: str  # the site-relative URL that should come first
    kind: str  # "id", "id lower case", ... (for the hit rates per kind)
    got: list[str]  # result pages, best first, each once

    @property
    def top1(self) -> bool:
        return bool(self.got) and self.got[0] == self.expected

    @property
    def top3(self) -> bool:
        return self.expected in self.got[:3]


def open_search(page: Any, base: str) -> None:
    """Load the home page and wait until Material's full-text index answers (a warm-up query)."""
    page.goto(base)
    page.locator(".md-search__input").click()
    page.locator(".md-search__input").fill("zzqqxx")
    page.wait_for_function(
        "() => /no matching/i.test(document.querySelector('.md-search-result__meta').textContent)", timeout=120_000
    )


def results(page: Any, base: str, query: str, *, settle_s: float = 0.4) -> list[str]:
    """The result pages for ``query`` (site-relative URLs, each once), once the list stops changing."""
    box = page.locator(".md-search__input")
    box.fill("")
    box.fill(query)
    root = urlsplit(base).path
    last: list[str] | None = None
    stable_since = time.monotonic()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        paths = page.evaluate(RESULT_URLS)
        if paths != last:
            last, stable_since = paths, time.monotonic()
        elif paths and time.monotonic() - stable_since >= settle_s:
            break
        page.wait_for_timeout(50)
    seen: dict[str, None] = {}
    for path in last or []:
        seen.setdefault(path[len(root) :] if path.startswith(root) else path, None)
    return list(seen)


def run(page: Any, base: str, queries: list[tuple[str, str, str]]) -> list[Outcome]:
    """``queries``: (query, expected site-relative URL, kind)."""
    open_search(page, base)
    return [Outcome(query, expected, kind, results(page, base, query)) for query, expected, kind in queries]


def rates(outcomes: list[Outcome]) -> dict[str, tuple[int, int, int]]:
    """kind -> (top-1 hits, top-3 hits, queries); kind "all" for every query."""
    table: dict[str, tuple[int, int, int]] = {}
    for outcome in outcomes:
        for kind in (outcome.kind, "all"):
            one, three, count = table.get(kind, (0, 0, 0))
            table[kind] = (one + outcome.top1, three + outcome.top3, count + 1)
    return table


def report(outcomes: list[Outcome], label: str) -> list[str]:
    lines = [f"search ranking on {label}: {len(outcomes)} queries"]
    for kind, (one, three, count) in sorted(rates(outcomes).items(), key=lambda item: item[0] == "all"):
        top1, top3 = f"{one}/{count} ({one / count:.0%})", f"{three}/{count} ({three / count:.0%})"
        lines.append(f"  {kind:<22} top-1 {top1}  top-3 {top3}")
    for outcome in outcomes:
        if not outcome.top1:
            lines.append(f"  miss: {outcome.query!r} -> {outcome.got[:3]} (expected {outcome.expected})")
    return lines


def absolute(base: str, url: str) -> str:
    return urljoin(base, url)
