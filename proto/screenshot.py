"""Screenshot pages of a built site in Chromium (the suite's flags) and check what the hub adds.

Usage: .venv/bin/python proto/screenshot.py SITE_DIR OUT_DIR URL_PATH...
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.conftest import CHROMIUM, CHROMIUM_ARGS


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> int:
    site, out, paths = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
    out.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.on("pageerror", lambda error: errors.append(str(error)))
        for path in paths:
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            facts = page.evaluate(
                """() => ({
                  header: !!document.querySelector('.sop-header'),
                  headerAfterH1: !!document.querySelector('h1 + div .sop-header, h1 + .sop-header'),
                  quizzes: document.querySelectorAll(".sqz").length,
                  quizReady: !!document.querySelector(".sqz .sqz-score, .sqz [role=status], .sqz button"),
                  css: [...document.styleSheets].some(s => (s.href || '').includes('sop-hub.css')),
                  headerStyled: (() => { const h = document.querySelector('.sop-header');
                      return h ? getComputedStyle(h).display + ' ' + getComputedStyle(h).borderTopStyle : null })(),
                })"""
            )
            print(path, facts)
            name = (path.strip("/").replace("/", "_") or "home") + ".png"
            page.screenshot(path=str(out / name), full_page=False)
        browser.close()
    server.shutdown()
    for error in errors:
        print("page error:", error)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
