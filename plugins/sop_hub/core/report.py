"""Machine-readable records of the hub: ``register.json``/``register.csv`` and ``sop-hub check``.

One function makes a document's record, so the register the site publishes and the JSON the
CI check prints are the same records (SPEC §4, §7).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from sop_hub.core.catalog import Catalog, page_url
from sop_hub.core.model import Problem, Procedure, Process, ReviewStatus

REGISTER_COLUMNS = (
    "id", "title", "type", "process", "stage", "owner", "backup_owner", "version", "status",
    "last_reviewed_on", "review_by", "review_status", "revision", "effective_on", "approved_by", "approved_on",
    "reviewed_by", "superseded_by", "path", "url",
)  # fmt: skip


def document_record(doc: Process | Procedure, catalog: Catalog, directory_urls: bool = True) -> dict[str, Any]:
    if isinstance(doc, Procedure):
        process = catalog.process_of(doc)
        process_id = process.id if process else doc.process or None
        stage = catalog.stage_of(doc)
    else:
        process_id, stage = doc.id, None
    return {
        "id": doc.id,
        "type": doc.kind,
        "title": doc.title,
        "path": doc.path,
        "url": page_url(doc.src_uri, directory_urls),
        "process": process_id,
        "stage": stage.id if stage else None,
        "owner": doc.owner.as_dict() if doc.owner else None,
        "backup_owner": doc.backup_owner.as_dict() if doc.backup_owner else None,
        "version": doc.version,
        "status": doc.status.value,
        "last_reviewed_on": doc.last_reviewed_on.isoformat() if doc.last_reviewed_on else None,
        "review_by": doc.next_review.isoformat() if doc.next_review else None,
        "review_status": doc.review_status.value,
        "quizzes": doc.all_quizzes if isinstance(doc, Procedure) else [],
        # Document control (SPEC §8):
        "revision": doc.revision,
        "effective_on": doc.effective_on.isoformat() if doc.effective_on else None,
        "approved_by": doc.approved_by.as_dict() if doc.approved_by else None,
        "approved_on": doc.approved_on.isoformat() if doc.approved_on else None,
        "reviewed_by": doc.reviewed_by.as_dict() if doc.reviewed_by else None,
        "superseded_by": doc.superseded_by,
    }


def problem_record(problem: Problem) -> dict[str, Any]:
    return {
        "path": problem.path,
        "line": problem.line,
        "severity": problem.severity.value,
        "code": problem.code,
        "message": problem.message,
    }


def summary(catalog: Catalog, problems: list[Problem]) -> dict[str, int]:
    counts = {status: 0 for status in ReviewStatus}
    documents = catalog.documents
    for doc in documents:
        counts[doc.review_status] += 1
    return {
        "documents": len(documents),
        "current": counts[ReviewStatus.CURRENT],
        "due_soon": counts[ReviewStatus.DUE_SOON],
        "overdue": counts[ReviewStatus.OVERDUE],
        "not_required": counts[ReviewStatus.NOT_REQUIRED],
        "problems": len(problems),
    }


def report(catalog: Catalog, problems: list[Problem], directory_urls: bool = True) -> dict[str, Any]:
    """The JSON document of SPEC §7 (``sop-hub check --format json`` and ``register.json``)."""
    return {
        "as_of": catalog.settings.as_of.isoformat(),
        "summary": summary(catalog, problems),
        "documents": [document_record(doc, catalog, directory_urls) for doc in catalog.documents],
        "problems": [problem_record(problem) for problem in problems],
    }


def register_csv(records: list[dict[str, Any]]) -> str:
    """One row per document, the register's columns; people as ``Name <email>``."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=REGISTER_COLUMNS, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for record in records:
        row = dict(record)
        for key in ("owner", "backup_owner", "approved_by", "reviewed_by"):
            person = record.get(key)
            row[key] = _person(person) if person else ""
        writer.writerow({key: _cell(value) for key, value in row.items()})
    return out.getvalue()


def _person(person: dict[str, Any]) -> str:
    return f"{person['name']} <{person['email']}>" if person.get("email") else str(person["name"])


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    # Spreadsheets run cells starting with these as formulas (CSV injection): keep them text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
