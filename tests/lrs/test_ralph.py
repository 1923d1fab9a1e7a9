"""The LRS fixture itself: Ralph stores, returns, pages, refuses and keeps statements as an LRS must."""

from __future__ import annotations

import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path

from tests.lrs.fixture import PAGE_SIZE, Ralph, basic, make_credentials


def statement(n: int = 0, statement_id: str | None = None) -> dict[str, object]:
    return {
        "id": statement_id or str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "name": f"Learner {n}", "mbox": f"mailto:learner{n}@example.com"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/passed", "display": {"en-US": "passed"}},
        "object": {"objectType": "Activity", "id": "http://127.0.0.1:8000/sop-hub/quiz/q"},
        "timestamp": "2026-06-01T10:00:00+00:00",
    }


def test_a_statement_posted_is_read_back_and_a_reused_id_is_refused(lrs: Ralph) -> None:
    first = statement(1)
    assert lrs.post(first) == 200
    assert lrs.post(statement(2)) == 200  # the second write: the upstream CREATE defect is worked around
    stored = lrs.statements()
    assert [s["id"] for s in stored] == [first["id"], stored[1]["id"]]
    assert stored[0]["actor"]["mbox"] == "mailto:learner1@example.com"
    assert lrs.post(statement(3, statement_id=first["id"])) == 409  # another statement, the same id
    assert lrs.post(first) == 204  # the same statement again (the browser resending): delivered, not doubled
    assert len(lrs.statements()) == 2


def test_the_write_only_credential_cannot_read_and_a_wrong_one_is_refused(lrs: Ralph) -> None:
    assert lrs.post(statement()) == 200
    status, _ = lrs.request("GET", "statements", auth=lrs.write_auth)
    assert status in (401, 403)
    assert lrs.post(statement(), auth=basic("sop-hub-browser", "wrong")) == 401
    status, _ = lrs.request("POST", "statements", statement(), auth=lrs.read_auth)
    assert status in (401, 403)  # the reader cannot write
    assert len(lrs.statements()) == 1


def test_reads_page_through_more(lrs: Ralph) -> None:
    lrs.post_all([statement(n) for n in range(PAGE_SIZE + 5)])
    status, body = lrs.request("GET", "statements", auth=lrs.read_auth)
    assert status == 200 and len(body["statements"]) == PAGE_SIZE and body["more"].startswith("/xAPI/statements")
    assert len({s["id"] for s in lrs.statements()}) == PAGE_SIZE + 5


def test_statements_survive_a_restart_and_cors_allows_the_site(make_lrs: Callable[..., Ralph]) -> None:
    server = make_lrs().start(site_origin="http://127.0.0.1:8123")
    kept = statement()
    assert server.post(kept) == 200
    server.stop()
    assert not server.running
    server.start(site_origin="http://127.0.0.1:8123")
    assert [s["id"] for s in server.statements()] == [kept["id"]]
    preflight = urllib.request.Request(
        server.endpoint + "statements",
        method="OPTIONS",
        headers={
            "Origin": "http://127.0.0.1:8123",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type,x-experience-api-version",
        },
    )
    with urllib.request.urlopen(preflight, timeout=10) as response:
        assert response.headers["Access-Control-Allow-Origin"] == "http://127.0.0.1:8123"


def test_credentials_made_in_a_relative_folder_land_there(tmp_path, monkeypatch):
    """`make serve-lrs` passes a folder relative to the project (.venv/lrs): ralph runs inside it."""
    monkeypatch.chdir(tmp_path)
    make_credentials(Path("lrs") / "credentials")
    assert (tmp_path / "lrs" / "credentials" / "auth.json").is_file()
