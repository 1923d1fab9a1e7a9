"""xAPI statements exactly as the hub's browser code sends them (SPEC §9): what the matrix reads."""

from __future__ import annotations

import uuid
from typing import Any

PASSED = "http://adlnet.gov/expapi/verbs/passed"
FAILED = "http://adlnet.gov/expapi/verbs/failed"
ACKNOWLEDGED = "http://activitystrea.ms/schema/1.0/acknowledge"
SITE = "http://127.0.0.1:8000/"


def actor(name: str, email: str) -> dict[str, str]:
    return {"objectType": "Agent", "name": name, "mbox": f"mailto:{email}"}


def _context(site: str, page: str, page_title: str, tracks: list[str], revisions: dict[str, str]) -> dict[str, Any]:
    return {
        "contextActivities": {
            "parent": [{"objectType": "Activity", "id": site + page, "definition": {"name": {"en-US": page_title}}}],
            "grouping": [{"objectType": "Activity", "id": f"{site}sop-hub/track/{track}"} for track in tracks],
        },
        "extensions": {f"{site}sop-hub/revision": revisions},
    }


def quiz(
    name: str,
    email: str,
    quiz_id: str,
    *,
    passed: bool,
    raw: int,
    max_: int,
    quiz_revision: str,
    page: str,
    page_revision: str,
    when: str = "2026-06-01T09:30:00+02:00",
    tracks: list[str] | None = None,
    site: str = SITE,
    title: str = "",
    page_title: str = "",
    statement_id: str | None = None,
) -> dict[str, Any]:
    verb = PASSED if passed else FAILED
    return {
        "id": statement_id or str(uuid.uuid4()),
        "actor": actor(name, email),
        "verb": {"id": verb, "display": {"en-US": "passed" if passed else "failed"}},
        "object": {
            "objectType": "Activity",
            "id": f"{site}sop-hub/quiz/{quiz_id}",
            "definition": {
                "type": "http://adlnet.gov/expapi/activities/assessment",
                "name": {"en-US": title or quiz_id},
            },
        },
        "result": {
            "score": {"scaled": round(raw / max_, 4), "raw": raw, "min": 0, "max": max_},
            "success": passed,
            "completion": True,
        },
        "context": _context(
            site, page, page_title or page, tracks or [], {"quiz": quiz_revision, "page": page_revision}
        ),
        "timestamp": when,
    }


def acknowledgement(
    name: str,
    email: str,
    doc_id: str,
    *,
    revision: str,
    page: str,
    when: str = "2026-06-01T09:30:00+02:00",
    tracks: list[str] | None = None,
    site: str = SITE,
    title: str = "",
    statement_id: str | None = None,
) -> dict[str, Any]:
    return {
        "id": statement_id or str(uuid.uuid4()),
        "actor": actor(name, email),
        "verb": {"id": ACKNOWLEDGED, "display": {"en-US": "acknowledged"}},
        "object": {
            "objectType": "Activity",
            "id": f"{site}sop-hub/document/{doc_id}",
            "definition": {
                "type": "http://activitystrea.ms/schema/1.0/page",
                "name": {"en-US": title or doc_id},
            },
        },
        "context": _context(site, page, title or doc_id, tracks or [], {"page": revision}),
        "timestamp": when,
    }
