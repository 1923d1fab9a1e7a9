"""``sop-hub training`` against a real LRS (Ralph): statements posted as the browser posts them,
read back through ``more`` pages, joined with the hub and written in every format."""

from __future__ import annotations

import csv
import functools
import http.server
import io
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sop_hub.core.quiz import page_revision, revision
from tests.cli.conftest import PROCESS, Run
from tests.lrs import statements as xapi
from tests.lrs.fixture import PAGE_SIZE, Ralph, basic

SITE = "http://127.0.0.1:8000/"
INTAKE_PAGE = "complaints/intake/"
INTAKE = """\
---
id: SOP-CS-001
title: Complaint intake
process: complaints
stage: record
owner: Tom Okafor
last_reviewed_on: 2026-05-01
quiz: intake
---
# Complaint intake

Log every complaint the same day.
"""
INTAKE_QUIZ = """\
title: Complaint intake
questions:
  - question: Log a complaint the same day?
    answer: true
"""
SAFETY_QUIZ = """\
title: Site safety
questions:
  - question: Wear boots?
    answer: true
"""
TRACKS = """\
starter:
  title: New starter essentials
  quizzes: [intake, safety]
"""


@pytest.fixture
def project(make_hub: Callable[..., Path]) -> Path:
    return make_hub(
        {
            "docs/index.md": "# Home\n",
            "docs/complaints/index.md": PROCESS,
            "docs/complaints/intake.md": INTAKE,
            "quizzes/intake.yml": INTAKE_QUIZ,
            "quizzes/safety.yml": SAFETY_QUIZ,
            "quizzes/tracks.yml": TRACKS,
        },
        config={"site_url": SITE},
        plugin={"acknowledge": True},
    )


def revisions(root: Path) -> dict[str, str]:
    """The revisions the built pages stamp (what the browser puts in each statement)."""
    return {
        "intake": revision((root / "quizzes/intake.yml").read_bytes()),
        "safety": revision((root / "quizzes/safety.yml").read_bytes()),
        "page": page_revision((root / "docs/complaints/intake.md").read_text()),
    }


def quiz_statement(root: Path, who: tuple[str, str], quiz_id: str, *, passed: bool = True, **options: object) -> dict:
    rev = revisions(root)
    values: dict = {
        "raw": 1 if passed else 0,
        "max_": 1,
        "quiz_revision": rev[quiz_id],
        "page": INTAKE_PAGE,
        "page_revision": rev["page"],
        "tracks": ["starter"],
        "site": SITE,
    }
    values.update(options)
    return xapi.quiz(*who, quiz_id, passed=passed, **values)


JANE = ("Jane Doe", "jane@example.com")
OMAR = ("Omar Haddad", "omar@example.com")


@pytest.fixture
def records(project: Path, lrs: Ralph) -> Ralph:
    """Jane passed both quizzes and acknowledged the intake procedure (track complete); Omar passed
    intake before it changed, failed safety twice; plus statements from another tool."""
    rev = revisions(project)
    lrs.post_all(
        [
            quiz_statement(project, JANE, "intake", when="2026-06-01T09:00:00+02:00"),
            quiz_statement(project, JANE, "safety", when="2026-06-02T09:00:00+02:00", page="site/safety/"),
            xapi.acknowledgement(
                *JANE, "SOP-CS-001", revision=rev["page"], page=INTAKE_PAGE, site=SITE, when="2026-06-03T09:00:00Z"
            ),
            quiz_statement(project, OMAR, "intake", quiz_revision="0ld0ld0ld0", when="2026-05-20T09:00:00Z"),
            quiz_statement(project, OMAR, "safety", passed=False, raw=1, max_=4, when="2026-06-04T09:00:00Z"),
            quiz_statement(project, OMAR, "safety", passed=False, raw=3, max_=4, when="2026-06-05T09:00:00Z"),
            # Another tool in the same LRS, and a statement about a quiz this hub no longer has:
            {
                "actor": xapi.actor("Eve", "eve@example.com"),
                "verb": {"id": xapi.PASSED},
                "object": {"id": "http://lms.example.com/course/42"},
            },
            quiz_statement(project, OMAR, "intake") | {"object": {"id": f"{SITE}sop-hub/quiz/retired-quiz"}},
        ]
    )
    return lrs


def training(run: Callable[..., Run], root: Path, lrs: Ralph, *args: str, auth: str | None = None) -> Run:
    return run(root, "training", "--lrs", lrs.endpoint, "--auth", auth or lrs.read_auth, *args)


def test_json_is_the_matrix_of_section_9(run: Callable[..., Run], project: Path, records: Ralph) -> None:
    result = training(run, project, records, "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    rev = revisions(project)
    assert data["as_of"] == "2026-06-15"
    assert [(learner["name"], learner["email"]) for learner in data["learners"]] == [JANE, OMAR]
    jane, omar = data["learners"]
    item = dict.fromkeys(("kind", "id", "status", "date", "score", "revision"))
    assert jane["items"] == [
        item
        | {"kind": "quiz", "id": "intake", "status": "passed", "date": "2026-06-01", "score": 100}
        | {"revision": rev["intake"]},
        item
        | {"kind": "quiz", "id": "safety", "status": "passed", "date": "2026-06-02", "score": 100}
        | {"revision": rev["safety"]},
        item
        | {"kind": "document", "id": "SOP-CS-001", "status": "acknowledged", "date": "2026-06-03"}
        | {"revision": rev["page"]},
    ]
    assert jane["tracks"] == [{"id": "starter", "complete": True, "done": 2, "total": 2, "date": "2026-06-02"}]
    assert [(i["id"], i["status"], i["score"]) for i in omar["items"]] == [
        ("intake", "refresh-needed", 100),
        ("safety", "failed", 75),
        ("SOP-CS-001", "not-started", None),
    ]
    assert omar["tracks"] == [{"id": "starter", "complete": False, "done": 0, "total": 2, "date": None}]
    assert "2 of 8 statements ignored" in result.err  # one line, not fatal


def test_text_csv_and_html(run: Callable[..., Run], project: Path, records: Ralph, tmp_path: Path) -> None:
    text = training(run, project, records)
    assert text.code == 0, text.err
    assert "Jane Doe <jane@example.com>" in text.out
    assert "track starter: 2 of 2 done, complete on 2026-06-02" in text.out
    assert "safety      not passed, best score 75% (last attempt 2026-06-05)" in text.out
    assert "refresh needed: passed on 2026-05-20 (revision 0ld0ld0ld0, 100%), changed since" in text.out

    rows = list(csv.DictReader(io.StringIO(training(run, project, records, "--format", "csv").out)))
    assert {(r["email"], r["kind"], r["id"], r["status"], r["score"]) for r in rows} >= {
        ("omar@example.com", "quiz", "safety", "failed", "75"),
        ("jane@example.com", "track", "starter", "complete", ""),
        ("omar@example.com", "document", "SOP-CS-001", "not-started", ""),
    }

    page = tmp_path / "matrix.html"
    result = training(run, project, records, "--format", "html", "--output", str(page))
    assert result.code == 0 and result.out == ""
    html = page.read_text()
    assert "<h2>Track: New starter essentials</h2>" in html
    assert '<td class="failed">not passed, best score 75% (last attempt 2026-06-05)</td>' in html
    assert '<td class="complete">Complete on 2026-06-02' in html
    assert "<script" not in html and "src=" not in html and "href=" not in html and "url(" not in html


def test_learner_text_is_escaped_in_html_and_defused_in_csv(run: Callable[..., Run], project: Path, lrs: Ralph) -> None:
    lrs.post(quiz_statement(project, ("<img src=x onerror=alert(1)>", "x@example.com"), "intake"))
    lrs.post(quiz_statement(project, ('=HYPERLINK("http://evil")', "y@example.com"), "intake"))
    html = training(run, project, lrs, "--format", "html").out
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    rows = list(csv.reader(io.StringIO(training(run, project, lrs, "--format", "csv").out)))
    assert {row[0] for row in rows[1:]} == {"<img src=x onerror=alert(1)>", '\'=HYPERLINK("http://evil")'}


def test_pages_through_more(run: Callable[..., Run], project: Path, lrs: Ralph) -> None:
    count = 2 * PAGE_SIZE + 7  # three pages at Ralph's page size
    lrs.post_all([quiz_statement(project, (f"Learner {n:03}", f"l{n}@example.com"), "intake") for n in range(count)])
    result = training(run, project, lrs, "--format", "json")
    assert result.code == 0, result.err
    assert len(json.loads(result.out)["learners"]) == count


def test_the_credential_may_come_from_the_environment(
    run: Callable[..., Run], project: Path, records: Ralph, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOP_HUB_LRS_AUTH", records.read_auth)
    result = run(project, "training", "--lrs", records.endpoint.rstrip("/"), "--format", "json")
    assert result.code == 0, result.err
    assert len(json.loads(result.out)["learners"]) == 2
    monkeypatch.setenv("SOP_HUB_LRS_AUTH", "sop-hub-training:training-read-key")  # user:password works too
    assert run(project, "training", "--lrs", records.endpoint).code == 0


@pytest.mark.parametrize(
    ("auth", "message"),
    [
        (basic("sop-hub-training", "wrong"), "refused the credential (HTTP 401)"),
        ("write-only", "refused the credential (HTTP 40"),  # the browser's key cannot read
        ("", "needs a credential (HTTP 401)"),
    ],
)
def test_a_refused_credential_is_exit_2_with_one_line(
    run: Callable[..., Run], project: Path, records: Ralph, auth: str, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOP_HUB_LRS_AUTH", raising=False)
    auth = records.write_auth if auth == "write-only" else auth
    result = run(project, "training", "--lrs", records.endpoint, "--auth", auth)
    assert result.code == 2 and result.out == ""
    assert message in result.err and len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err


def test_an_unreachable_lrs_is_exit_2(run: Callable[..., Run], project: Path, records: Ralph) -> None:
    records.stop()
    result = training(run, project, records)
    assert result.code == 2
    assert result.err.strip() == (
        f"sop-hub: error: cannot reach the LRS at {records.endpoint} (Connection refused); "
        "check --lrs and that the LRS is running"
    )


@pytest.fixture
def fake_lrs(tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """A server that is not an LRS: ``fake_lrs(body)`` serves ``body`` for every statements query."""
    folder = tmp_path / "fake"
    (folder / "xAPI").mkdir(parents=True)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def serve(body: str) -> str:
        (folder / "xAPI" / "statements").write_text(body)
        return f"http://127.0.0.1:{server.server_address[1]}/xAPI/"

    try:
        yield serve
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<html>a login page</html>", "did not answer with JSON"),
        ('{"statements": "none"}', "did not answer with xAPI statements"),
        ("[1, 2]", "did not answer with JSON"),
        ('{"statements": [], "more": "/xAPI/statements"}', "sent the same `more` link twice"),
        ('{"statements": [], "more": "http://elsewhere.example/steal"}', "a `more` link to another server"),
    ],
)
def test_a_malformed_answer_is_exit_2(
    run: Callable[..., Run], project: Path, fake_lrs: Callable[[str], str], body: str, message: str
) -> None:
    result = run(project, "training", "--lrs", fake_lrs(body), "--auth", "a:b")
    assert result.code == 2 and message in result.err and "Traceback" not in result.err


def test_garbage_statements_are_ignored(run: Callable[..., Run], project: Path, fake_lrs: Callable[[str], str]) -> None:
    good = quiz_statement(project, JANE, "intake")
    body = json.dumps({"statements": [None, 7, "x", {"verb": []}, {"verb": {"id": xapi.PASSED}, "object": 3}, good]})
    result = run(project, "training", "--lrs", fake_lrs(body), "--auth", "a:b", "--format", "json")
    assert result.code == 0, result.err
    learners = json.loads(result.out)["learners"]
    assert [(learner["email"], learner["items"][0]["status"]) for learner in learners] == [
        ("jane@example.com", "passed")
    ]
    assert "5 of 6 statements ignored (5 malformed)" in result.err


def test_bad_arguments_are_exit_2(run: Callable[..., Run], project: Path) -> None:
    assert run(project, "training", "--lrs", "ftp://lrs.example.com/").code == 2
    assert run(project, "training", "--lrs", "http://lrs.example.com/xAPI/", "--auth", "token").code == 2
    assert run(project, "training").code == 2
