"""Search benchmark: cold load -> type a query -> first result, plain Material beside the plugin.

    python tests/bench/bench_search.py              # 1000 and 3000 SOPs, median of 5 (~10 min on 2 cores)
    python tests/bench/bench_search.py --quick      # 60 SOPs, 1 run: a smoke test
    python tests/bench/bench_search.py --sizes 3000 --repeat 3 --keep /tmp/bench-search

For each size: the synthetic hub (two procedures retired, so retired ids are probed too) is
built plain and with ``sop-hub``, each site served on 127.0.0.1, and headless Chromium (a fresh
context per run: cold cache) loads the home page, types a query at once and waits for the first
``.md-search-result__item``. Reported per variant, medians: ms from the load event to the first
result, bytes transferred before it (navigation + resources finished by then, Resource Timing),
ms until Material's own full-text result shows (its worker has built the lunr index), and the
total bytes of the visit. Then the ranking probe (ids, lower case, no separators, retired ids,
titles, owners, processes) on the plugin's hub, with top-1/top-3 hit rates. Targets at 3000 SOPs:
first result <= 1000 ms and <= 600 KB before it. Read the ratios, not the seconds.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import re
import statistics
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bench_build
import search_probe
import synthetic

CHROMIUM = os.environ.get("SOP_HUB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
QUERY = "purchase order"  # words of many titles: both the tier and Material's full text answer it
TARGET_MS, TARGET_KB = 1000, 600
RETIRED = {99: 100, 1999: 2000}  # procedure number -> number of its successor (0-based)

ARM = """() => {
  window.sopBench = {};
  const nav = performance.getEntriesByType('navigation')[0];
  window.sopBench.load = nav.loadEventEnd || performance.now();
  window.sopBench.first = new Promise(done => {
    // From the mutation records, not the DOM: the tier removes Material's results for pages it
    // already shows, but every observer still gets the record of Material adding them.
    const isItem = (record, node) => node.nodeType === 1 && node.classList.contains('md-search-result__item')
      && record.target.classList.contains('md-search-result__list');
    let first = null, own = null;
    const observer = new MutationObserver(records => {
      for (const record of records)
        for (const node of record.addedNodes) {
          if (!isItem(record, node)) continue;
          if (first === null) first = performance.now();
          if (own === null && !node.hasAttribute('data-sop-tier')) own = performance.now();
        }
      if (first !== null && own !== null) { observer.disconnect(); done([first, own]); }
    });
    observer.observe(document.body, {subtree: true, childList: true});
  });
}"""
BYTES_BEFORE = """(t) => {
  const nav = performance.getEntriesByType('navigation')[0];
  let total = nav.transferSize || 0;
  for (const entry of performance.getEntriesByType('resource'))
    if (entry.responseEnd <= t) total += entry.transferSize || 0;
  return total;
}"""


@dataclass
class Run:
    first_ms: float  # load event -> first result shown
    full_ms: float  # load event -> Material's own (full-text) result shown
    kb_before: float  # transferred before the first result
    kb_total: float  # the whole visit, once the full-text result showed


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return None


def one_run(browser: Any, base: str) -> Run:
    context = browser.new_context()  # a cold cache every time
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        received: dict[str, float] = {}
        cdp.on("Network.loadingFinished", lambda e: received.__setitem__(e["requestId"], e["encodedDataLength"]))
        page.goto(base, wait_until="load")
        page.evaluate(ARM)
        page.locator(".md-search__input").click()
        page.keyboard.type(QUERY)
        first, full = page.evaluate("() => window.sopBench.first", None)
        load = page.evaluate("() => window.sopBench.load")
        before = page.evaluate(BYTES_BEFORE, first)
        return Run(first - load, full - load, before / 1024, sum(received.values()) / 1024)
    finally:
        context.close()


def retire(root: Path, n: int) -> None:
    """Retire a few procedures of the synthetic hub (replaced by a neighbour), in both builds' docs."""
    for number, successor in RETIRED.items():
        if number >= n:
            continue
        path = root / "docs" / synthetic.procedure_path(n, number)
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("---\n", f"---\nsuperseded_by: {synthetic.procedure_id(successor)}\n", 1))


def ranking_queries(site: Path, n: int) -> list[tuple[str, str, str]]:
    register = json.loads((site / "register.json").read_text(encoding="utf-8"))["documents"]
    url = {doc["id"]: doc["url"] for doc in register}
    picks = sorted({min(n - 1, k) for k in (0, 7, 41, 707, 1234, 2999, n // 2, n - 1) if k < n})
    queries: list[tuple[str, str, str]] = []
    for k in picks:
        sop = synthetic.procedure_id(k)
        queries += [(sop, url[sop], "id"), (sop.lower(), url[sop], "id lower case")]
        queries.append((sop.replace("-", ""), url[sop], "id no separators"))
        queries.append((re.sub(r"(?<![0-9])0+(?=[0-9])", "", sop), url[sop], "id without leading zeros"))
    for number in RETIRED:
        if number < n:
            sop = synthetic.procedure_id(number)
            queries += [(sop, url[sop], "retired id"), (sop.lower().replace("-", ""), url[sop], "retired id")]
    for k in picks[:4]:
        doc = next(d for d in register if d["id"] == synthetic.procedure_id(k))
        queries.append((doc["title"], doc["url"], "title"))
    active = [doc for doc in register if doc["status"] != "retired"]
    for name in sorted({(doc["owner"] or {}).get("name", "") for doc in active} - {""})[:4]:
        owned = next(doc for doc in active if (doc["owner"] or {}).get("name") == name)
        queries.append((name, owned["url"], "owner"))
    for process in [doc for doc in register if doc["type"] == "process"][:4]:
        queries.append((process["title"], process["url"], "process"))
    return queries


def median_run(runs: list[Run]) -> Run:
    return Run(*(statistics.median(getattr(run, field) for run in runs) for field in Run.__dataclass_fields__))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,3000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="60 SOPs, one run: a smoke test")
    parser.add_argument("--keep", type=Path, help="generate the hubs here and keep them")
    parser.add_argument("--no-ranking", action="store_true", help="skip the ranking probe")
    args = parser.parse_args(argv)
    sizes = [60] if args.quick else [int(size) for size in args.sizes.split(",")]
    repeat = 1 if args.quick else args.repeat
    from playwright.sync_api import sync_playwright

    lines = [f"sop-hub search benchmark: Chromium {CHROMIUM}, cold cache, query {QUERY!r}, median of {repeat}", ""]
    lines.append(f"{'N':>6} {'variant':>8} {'first ms':>9} {'KB before':>10} {'full-text ms':>13} {'KB total':>9}")
    summary: list[str] = []
    ranking: list[str] = []
    with tempfile.TemporaryDirectory(prefix="sop-hub-bench-search-") as temp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        base_dir = args.keep or Path(temp)
        for n in sizes:
            root = synthetic.write_hub(base_dir / f"hub-{n}", n)
            retire(root, n)
            medians: dict[str, Run] = {}
            for kind in ("plain", "plugin"):
                print(f"N={n}: building {kind} ...", file=sys.stderr, flush=True)
                bench_build.build_seconds(root, f"{kind}.yml", root / f"site-{kind}")
                server, base = serve(root / f"site-{kind}")
                try:
                    runs = [one_run(browser, base) for _ in range(repeat)]
                    if kind == "plugin" and not args.no_ranking:
                        context = browser.new_context()
                        try:
                            outcomes = search_probe.run(
                                context.new_page(), base, ranking_queries(root / "site-plugin", n)
                            )
                        finally:
                            context.close()
                        ranking += search_probe.report(outcomes, f"the synthetic hub, N={n}")
                finally:
                    server.shutdown()
                    server.server_close()
                medians[kind] = run = median_run(runs)
                lines.append(
                    f"{n:>6} {kind:>8} {run.first_ms:>9.0f} {run.kb_before:>10.0f} "
                    f"{run.full_ms:>13.0f} {run.kb_total:>9.0f}"
                )
            plain, plugin = medians["plain"], medians["plugin"]
            ok = plugin.first_ms <= TARGET_MS and plugin.kb_before <= TARGET_KB
            summary.append(
                f"N={n}: plugin/plain first result {plugin.first_ms / plain.first_ms:.2f}, "
                f"KB before it {plugin.kb_before / plain.kb_before:.2f}, "
                f"full text {plugin.full_ms / plain.full_ms:.2f}; "
                f"target first <= {TARGET_MS} ms and <= {TARGET_KB} KB: {'ok' if ok else 'MISSED'}"
            )
        browser.close()
    print("\n".join([*lines, "", *summary, "", *ranking]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
