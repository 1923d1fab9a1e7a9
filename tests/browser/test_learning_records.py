"""Learning records from the browser to a real LRS (Ralph): the learner, statements exactly as
tests/lrs/statements.py writes them, the offline queue (nothing lost, nothing doubled), and
`sop-hub training` reading them back. Also: an LRS that is down, refuses the credential or
answers garbage never breaks a page (the `page` fixture fails on any page error).
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Page, expect

from tests.conftest import BASE_CONFIG, build_project
from tests.lrs import statements
from tests.lrs.fixture import Ralph

pytestmark = pytest.mark.browser

SITE = "http://127.0.0.1:8000/"  # site_url: the statements' ids; the pages are served elsewhere
QUIZ = """
title: Complaint handling
shuffle: false
questions:
  - question: Open complaints go to the owner after 48 hours.
    answer: true
  - question: Which form records a complaint?
    accept: [F-12]
"""
SAFETY = """
title: Site safety
questions:
  - question: The fire alarm is tested on Wednesdays.
    answer: true
"""
TRACKS = """
new-starter:
  title: New starter
  quizzes: [complaints, safety]
  read: [SOP-READ]
"""


def procedure(title: str, extra: str) -> str:
    return (
        f"---\ntitle: {title}\nprocess: complaints\nowner: Sarah Whitfield\nlast_reviewed_on: 2026-05-01\n{extra}---\n"
        f"# {title}\n\nThe steps.\n"
    )


FILES = {
    "docs/index.md": "# Home\n",
    "docs/complaints/intake.md": procedure("Intake", "id: SOP-INTAKE\nquiz: complaints\n"),
    "docs/safety.md": procedure("Safety", "id: SOP-SAFE\nquiz: safety\n"),
    "docs/complaints/read.md": procedure("Read me", "id: SOP-READ\n"),
    "quizzes/complaints.yml": QUIZ,
    "quizzes/safety.yml": SAFETY,
    "quizzes/tracks.yml": TRACKS,
}


def make_site(root: Path, endpoint: str, auth: str, *, site_url: str = SITE, instant: bool = False) -> Path:
    for rel, text in FILES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text.lstrip("\n"), encoding="utf-8")
    config: dict[str, Any] = {**BASE_CONFIG, "site_url": site_url}
    if instant:  # Material swaps pages in without a reload (only within site_url)
        config["theme"] = {**BASE_CONFIG["theme"], "features": ["navigation.indexes", "navigation.instant"]}
    config["plugins"] = ["search", {"sop-hub": {"learning_records": {"endpoint": endpoint, "auth": auth}}}]
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return build_project(root, root / "site")


def wait_for(probe: Callable[[], Any], what: str, timeout: float = 20.0) -> Any:
    """Poll ``probe`` until it returns something truthy (the LRS is another process)."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.2)


def learner(page: Page, base: str, name: str = "Jo Tester", email: str = "jo@example.com") -> None:
    page.goto(base + "onboarding/")
    form = page.locator("form[data-sop-learner]")
    form.get_by_label("Name").fill(name)
    form.get_by_label("E-mail").fill(email)
    form.get_by_role("button", name="Save").click()
    expect(form.locator("[data-sop-learner-state]")).to_contain_text(f"Your records are sent as {name}")


def pass_complaints(page: Page, base: str) -> None:
    page.goto(base + "complaints/intake/")
    form = page.locator('form[data-quiz="complaints"]')
    form.get_by_label("True").check()
    form.get_by_label("Your answer").fill("F-12")
    form.get_by_role("button", name="Check answers").click()
    expect(form).to_have_attribute("data-quiz-state", "passed")


def pass_safety(page: Page, base: str) -> None:
    page.goto(base + "safety/")
    form = page.locator('form[data-quiz="safety"]')
    form.get_by_label("True").check()
    form.get_by_role("button", name="Check answers").click()
    expect(form).to_have_attribute("data-quiz-state", "passed")


def queued(page: Page) -> int:
    return int(page.evaluate("(JSON.parse(localStorage.getItem('sop-hub:lr:queue')) || []).length"))


def without_volatile(statement: dict[str, Any]) -> dict[str, Any]:
    """A statement as the browser made it, without what the LRS adds or the clock decides."""
    keep = {key: statement[key] for key in ("actor", "verb", "object", "result", "context") if key in statement}
    return json.loads(json.dumps(keep))


def test_quiz_results_and_an_acknowledgement_reach_the_lrs_once_and_the_matrix_shows_them(
    make_lrs: Callable[..., Ralph], serve: Callable[[Path], str], page: Page, tmp_path: Path
) -> None:
    server = make_lrs()
    (tmp_path / "hub" / "site").mkdir(parents=True)
    base = serve(tmp_path / "hub" / "site")
    site = make_site(tmp_path / "hub", server.endpoint, server.write_auth)
    assert (site / "assets/sop-hub/lr.js").is_file()
    server.start(site_origin=base.rstrip("/"))

    # Without a learner nothing is sent, and the page says why.
    pass_complaints(page, base)
    sent = page.locator('form[data-quiz="complaints"] [data-sqz-sent]')
    expect(sent).to_have_text(
        "Not sent to the training record: give your name and e-mail on the onboarding page first."
    )
    assert server.statements() == [] and queued(page) == 0

    learner(page, base)
    pass_complaints(page, base)
    expect(sent).to_have_text("Sent to the training record for Jo Tester.")
    got = wait_for(server.statements, "the quiz statement")
    assert len(got) == 1
    rev = page.locator('form[data-quiz="complaints"]')
    expected = statements.quiz(
        "Jo Tester",
        "jo@example.com",
        "complaints",
        passed=True,
        raw=2,
        max_=2,
        quiz_revision=str(rev.get_attribute("data-rev")),
        page="complaints/intake/",
        page_revision=str(rev.get_attribute("data-page-rev")),
        tracks=["new-starter"],
        title="Complaint handling",
        page_title="Intake",
    )
    assert without_volatile(got[0]) == without_volatile(expected)

    # The LRS goes away: the statement waits in the browser, across a reload, until it is back.
    server.stop()
    pass_safety(page, base)
    expect(page.locator('form[data-quiz="safety"] [data-sqz-sent]')).to_contain_text("waits in this browser")
    assert queued(page) == 1
    page.reload()
    assert queued(page) == 1
    server.start(site_origin=base.rstrip("/"))
    page.reload()
    wait_for(lambda: queued(page) == 0, "the queue to empty")
    page.reload()
    page.goto(base + "onboarding/")
    expect(page.locator("[data-sop-lr-queue]")).to_be_hidden()
    got = server.statements()
    objects = sorted(s["object"]["id"] for s in got)
    assert objects == [SITE + "sop-hub/quiz/complaints", SITE + "sop-hub/quiz/safety"]  # exactly once each

    # Read and understood.
    page.goto(base + "complaints/read/")
    box = page.locator("[data-sop-ack]")
    button = box.locator("button[data-sop-acknowledge]")
    revision = str(box.get_attribute("data-rev"))
    expect(button).to_have_text(f"I have read and understood this procedure (revision {revision})")
    button.click()
    expect(box.locator("[data-sop-acknowledged]")).to_be_visible()
    acks = wait_for(
        lambda: [s for s in server.statements() if s["verb"]["id"] == statements.ACKNOWLEDGED], "the acknowledgement"
    )
    expected_ack = statements.acknowledgement(
        "Jo Tester",
        "jo@example.com",
        "SOP-READ",
        revision=revision,
        page="complaints/read/",
        tracks=["new-starter"],
        title="Read me",
    )
    assert without_volatile(acks[0]) == without_volatile(expected_ack)

    # The training matrix, read back with the read credential.
    command = [sys.executable, "-m", "sop_hub", "training", "--lrs", server.endpoint, "--auth", server.read_auth]
    result = subprocess.run(
        [*command, "-f", str(tmp_path / "hub" / "mkdocs.yml"), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    matrix = json.loads(result.stdout)
    (person,) = matrix["learners"]
    assert person["email"] == "jo@example.com"
    status = {(item["kind"], item["id"]): item["status"] for item in person["items"]}
    assert status[("quiz", "complaints")] == "passed"
    assert status[("quiz", "safety")] == "passed"
    assert status[("document", "SOP-READ")] == "acknowledged"
    (track,) = person["tracks"]
    assert (track["id"], track["complete"], track["done"], track["total"]) == ("new-starter", True, 3, 3)


class _Garbage(BaseHTTPRequestHandler):
    """An 'LRS' that answers nonsense (or refuses) with CORS allowed, so the browser sees it."""

    status = 200

    def _cors(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Headers", "*")
        self.send_header("Access-Control-Allow-Methods", "POST, OPTIONS")

    def do_OPTIONS(self) -> None:
        self.send_response(204)
        self._cors()
        self.end_headers()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(self.status)
        self._cors()
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"<html>{not json")

    def log_message(self, format: str, *args: Any) -> None:
        return None


FEATURES = ("quiz.js", "track.js", "track.css", "lr.js")
QUIZ_PAGE_BUDGET = 8 * 1024  # issue 9: SOP Hub JS + CSS a quiz page needs, gzipped


def _fetched(page: Page, url: str, then: Callable[[], None] | None = None) -> set[str]:
    """The feature files (FEATURES) fetched while loading ``url`` and doing ``then``."""
    got: set[str] = set()
    handler = lambda request: got.add(request.url.rsplit("/", 1)[-1])  # noqa: E731
    page.on("request", handler)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    if then:
        then()
        page.wait_for_load_state("networkidle")
    page.remove_listener("request", handler)
    return got & set(FEATURES)


def test_feature_scripts_load_only_where_they_are_used_and_a_quiz_page_stays_light(
    serve: Callable[[Path], str], page: Page, tmp_path: Path
) -> None:
    import gzip

    # An LRS nobody listens on: statements wait in the queue, which is what this test looks at.
    site = make_site(tmp_path / "hub", "http://127.0.0.1:9/xapi/", "Basic eDp5")
    base = serve(site)
    html = (site / "complaints/intake/index.html").read_text(encoding="utf-8")
    assert "sop-hub.js" in html and not any(name in html for name in FEATURES)  # none in the page itself

    assert _fetched(page, base) == set()  # a page without quizzes: none of them
    assert _fetched(page, base + "complaints/intake/") == {"quiz.js"}  # no learner, nothing queued
    # Passing without a learner sends nothing, so lr.js stays away; the page says why.
    assert _fetched(page, base + "complaints/intake/", lambda: pass_complaints(page, base)) == {"quiz.js"}
    expect(page.locator('form[data-quiz="complaints"] [data-sqz-sent]')).to_contain_text("give your name")
    learner(page, base)
    assert _fetched(page, base + "onboarding/") == {"quiz.js", "track.js", "track.css", "lr.js"}  # tracks, learner
    # A quiz page loads lr.js only once there is something to send: a learner's result ...
    assert _fetched(page, base + "complaints/intake/", lambda: pass_complaints(page, base)) == {"quiz.js", "lr.js"}
    assert queued(page) == 1
    # ... or one still queued from before.
    assert _fetched(page, base + "safety/") == {"quiz.js", "lr.js"}

    def gz(name: str) -> int:
        return len(gzip.compress((site / "assets/sop-hub" / name).read_bytes(), 9))

    weight = gz("quiz.css") + gz("quiz.js") + gz("lr.js")  # quiz.css counted though every page loads it
    print(f"quiz page: quiz.css + quiz.js + lr.js = {weight} bytes gzipped (budget {QUIZ_PAGE_BUDGET})")
    assert weight <= QUIZ_PAGE_BUDGET


def pending(page: Page) -> int:
    return int(page.evaluate("(JSON.parse(localStorage.getItem('sop-hub:lr:pending')) || []).length"))


def test_a_result_made_while_lr_js_cannot_be_fetched_waits_and_is_queued_later(
    serve: Callable[[Path], str], page: Page, tmp_path: Path
) -> None:
    # lr.js loads only when a learner's record is made; if that fetch fails (offline, a server
    # error) the event waits in storage, and the next page that can fetch lr.js queues it, once.
    site = make_site(tmp_path / "hub", "http://127.0.0.1:9/xapi/", "Basic eDp5")
    base = serve(site)
    learner(page, base)
    page.route("**/lr.js", lambda route: route.abort())
    page.goto(base + "safety/")
    made = time.time()
    pass_safety(page, base)
    note = page.locator('form[data-quiz="safety"] [data-sqz-sent]')
    expect(note).to_contain_text("waits in this browser")
    assert pending(page) == 1 and queued(page) == 0
    page.unroute("**/lr.js")
    page.goto(base)  # a page without quizzes: nothing to do there
    assert pending(page) == 1
    page.goto(base + "complaints/intake/")  # lr.js can load now: the event becomes one statement
    page.wait_for_function("() => (JSON.parse(localStorage.getItem('sop-hub:lr:queue')) || []).length == 1")
    assert pending(page) == 0
    stamp = page.evaluate("JSON.parse(localStorage.getItem('sop-hub:lr:queue'))[0].s.timestamp")
    assert abs(datetime.fromisoformat(stamp).timestamp() - made) < 30  # when it happened, not when queued
    page.reload()
    assert queued(page) == 1 and pending(page) == 0  # never doubled


def test_learning_records_survive_instant_navigation(serve: Callable[[Path], str], page: Page, tmp_path: Path) -> None:
    # Material re-runs the scripts of a page it swaps in by copying their text only: the LRS
    # settings must not be a script (they once became one, a page error, and records stopped).
    (tmp_path / "hub" / "site").mkdir(parents=True)
    base = serve(tmp_path / "hub" / "site")
    make_site(tmp_path / "hub", "http://127.0.0.1:9/xapi/", "Basic eDp5", site_url=base, instant=True)
    learner(page, base)
    page.goto(base)
    page.wait_for_load_state("networkidle")  # Material's sitemap, for instant navigation
    page.evaluate("window.__same_visit = true")
    page.evaluate(
        """() => { const a = document.createElement('a'); a.href = 'safety/'; a.id = 'go';
        a.textContent = 'Safety'; document.querySelector('.md-content').appendChild(a); }"""
    )
    page.locator("#go").click()
    page.wait_for_url("**/safety/")
    form = page.locator('form[data-quiz="safety"]')
    form.get_by_label("True").check()
    form.get_by_role("button", name="Check answers").click()
    expect(form.locator("[data-sqz-sent]")).to_contain_text("Recorded for Jo Tester")
    assert page.evaluate("window.__same_visit") is True
    page.wait_for_function("() => (JSON.parse(localStorage.getItem('sop-hub:lr:queue')) || []).length == 1")


@pytest.mark.parametrize("answer", ["unreachable", 401, 500, "garbage"])
def test_an_lrs_that_is_down_refuses_or_answers_garbage_breaks_nothing(
    answer: str | int, serve: Callable[[Path], str], page: Page, tmp_path: Path
) -> None:
    fake = None
    if answer == "unreachable":
        endpoint = "http://127.0.0.1:9/xAPI/"  # the discard port: nothing listens
    else:
        handler = type("Handler", (_Garbage,), {"status": 200 if answer == "garbage" else answer})
        fake = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=fake.serve_forever, daemon=True).start()
        endpoint = f"http://127.0.0.1:{fake.server_address[1]}/xAPI/"
    try:
        (tmp_path / "hub" / "site").mkdir(parents=True)
        base = serve(tmp_path / "hub" / "site")
        make_site(tmp_path / "hub", endpoint, "Basic d3Jvbmc6a2V5")
        learner(page, base)
        pass_complaints(page, base)
        note = page.locator('form[data-quiz="complaints"] [data-sqz-sent]')
        if answer == "garbage":  # a 200 is delivery, whatever the body says
            expect(note).to_have_text("Sent to the training record for Jo Tester.")
            assert queued(page) == 0
        else:
            expect(note).to_contain_text("waits in this browser")
            assert queued(page) == 1
        page.goto(base + "onboarding/")
        notice = page.locator("[data-sop-lr-notice]")
        if answer == 401:
            expect(notice).to_contain_text("refused this hub's credential (HTTP 401)")
        else:
            expect(notice).to_be_hidden()
        page.goto(base + "complaints/read/")
        page.locator("button[data-sop-acknowledge]").click()
        expect(page.locator("[data-sop-acknowledged]")).to_be_visible()
    finally:
        if fake is not None:
            fake.shutdown()
            fake.server_close()


def test_the_queue_is_capped_and_the_onboarding_page_says_how_many_were_dropped(
    serve: Callable[[Path], str], page: Page, tmp_path: Path
) -> None:
    (tmp_path / "hub" / "site").mkdir(parents=True)
    base = serve(tmp_path / "hub" / "site")
    make_site(tmp_path / "hub", "http://127.0.0.1:9/xAPI/", "")
    learner(page, base)
    old = int(time.time() * 1000) - 31 * 86_400_000  # older than 30 days
    entries = [{"s": {"id": f"id-{n}"}, "t": old if n < 10 else int(time.time() * 1000)} for n in range(505)]
    page.evaluate("q => localStorage.setItem('sop-hub:lr:queue', JSON.stringify(q))", entries)
    pass_complaints(page, base)  # one more: 496 fresh ones, the 10 stale ones dropped
    assert queued(page) == 496
    page.goto(base + "onboarding/")
    expect(page.locator("[data-sop-lr-notice]")).to_contain_text("10 learning records were dropped")
    expect(page.locator("[data-sop-lr-notice]")).to_contain_text("Download my record")
    expect(page.locator("[data-sop-lr-queue]")).to_have_text("496 records waiting to be sent to the training record.")


def test_learning_records_need_a_valid_endpoint_and_site_url(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from mkdocs.exceptions import Abort

    cases = [
        ("a", "https://lrs.example.com/xAPI/", "", "needs `site_url` in mkdocs.yml"),
        ("b", "https://lrs.example.com/xAPI", SITE, "use an http(s) URL ending with `/`"),
        ("c", "javascript:alert(1)//", SITE, "use an http(s) URL ending with `/`"),
    ]
    for folder, endpoint, site_url, message in cases:
        caplog.clear()
        with pytest.raises(Abort):
            make_site(tmp_path / folder, endpoint, "Basic x", site_url=site_url)
        assert message in caplog.text
