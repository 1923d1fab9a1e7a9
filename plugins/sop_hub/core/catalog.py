"""The hub as a whole: link procedures to processes and stages, and check what spans files.

``build_catalog`` is the one place the cross-file rules live (unknown process or stage,
duplicate id, dangling ``superseded_by`` or ``hands_off_to``, unknown quiz) and the one place
review status is computed, so ``mkdocs build`` and ``sop-hub check`` cannot disagree.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import quote

from sop_hub.core.metadata import Parsed, did_you_mean
from sop_hub.core.model import (
    DocStatus,
    Document,
    Owner,
    Problem,
    Procedure,
    Process,
    ReviewStatus,
    Severity,
    Stage,
    slugify,
)
from sop_hub.core.review import ReviewSettings, next_review, review_status


@dataclass(slots=True)
class Catalog:
    processes: list[Process]  # in navigation order (order, then title)
    procedures: list[Procedure]  # every procedure, by path
    by_id: dict[str, Process | Procedure]
    by_src: dict[str, Process | Procedure]
    problems: list[Problem]  # invalid metadata, sorted by path and line
    settings: ReviewSettings
    processes_by_id: dict[str, Process] = field(default_factory=dict)

    @property
    def documents(self) -> list[Process | Procedure]:
        """Processes with a page, then procedures, each in a stable order: what registers list."""
        return [*(p for p in self.processes if not p.placeholder), *self.procedures]

    def process_of(self, procedure: Procedure) -> Process | None:
        return self.processes_by_id.get(procedure.process)

    def stage_of(self, procedure: Procedure) -> Stage | None:
        process = self.process_of(procedure)
        if process is None or procedure.stage_id is None:
            return None
        return process.stage(procedure.stage_id)

    def review_findings(self) -> list[Problem]:
        """Overdue (error) and due-soon (warning) reviews, as problems on the document's date line."""
        findings = []
        for doc in self.documents:
            note = review_note(doc)
            if not note or doc.next_review is None:
                continue  # no readable date: the metadata problem on that key already says so
            severity = Severity.ERROR if doc.review_status is ReviewStatus.OVERDUE else Severity.WARNING
            key = "review_by" if doc.review_by else "last_reviewed_on"
            findings.append(
                Problem(
                    doc.path,
                    doc.line_of(key),
                    severity,
                    f"review-{doc.review_status.value}",
                    f"{doc.id} \u201c{doc.title}\u201d: {note}; review it and update `last_reviewed_on`",
                )
            )
        return findings


def person_key(name: str) -> str:
    """People are matched by name, case and spacing ignored: ``Jane  doe`` is ``Jane Doe``."""
    return " ".join(name.split()).casefold()


def people(catalog: Catalog) -> dict[str, Owner]:
    """Everyone the hub names (owners, backups, stage owners), merged by name.

    What one document says about a person completes what another leaves out: ``Jane Doe`` on one
    page and ``Jane Doe <jane@example.com>`` on the next are one person with that e-mail (the
    first e-mail and role found, in catalog order, win). Keys are :func:`person_key`; values keep
    the spelling of the name first seen.
    """
    found: dict[str, Owner] = {}
    named: list[Owner | None] = []
    for doc in catalog.documents:
        named += [doc.owner, doc.backup_owner]
    for process in catalog.processes:
        named += [stage.owner for stage in process.stages]
    for owner in named:
        if owner is None:
            continue
        key = person_key(owner.name)
        known = found.get(key)
        if known is None:
            found[key] = owner
        elif (owner.email and not known.email) or (owner.role and not known.role):
            found[key] = Owner(known.name, known.email or owner.email, known.role or owner.role)
    return found


def review_note(doc: Document) -> str:
    """``review overdue since 2026-04-02 (owner: Jane Doe)``; empty when no review is due."""
    owner = doc.owner.name if doc.owner else "no owner"
    if doc.review_status is ReviewStatus.OVERDUE:
        since = f"since {doc.next_review}" if doc.next_review else "(no valid review date)"
        return f"review overdue {since} (owner: {owner})"
    if doc.review_status is ReviewStatus.DUE_SOON:
        return f"review due by {doc.next_review} (owner: {owner})"
    return ""


def review_sort_key(doc: Document) -> tuple[date, str]:
    """Most urgent first: no valid date, then the oldest next-review date."""
    return (doc.next_review or date.min, doc.id)


def page_url(src_uri: str, use_directory_urls: bool = True) -> str:
    """The site-relative URL MkDocs gives a Markdown file (mirrors ``mkdocs.structure.files.File``,
    except that the home page is ``""`` rather than ``"./"``). String operations: this runs once
    per document for every register row and link."""
    parent, _, name = src_uri.rpartition("/")
    dot = name.rfind(".")
    stem = name[:dot] if dot > 0 else name
    parent = f"{parent}/" if parent else ""
    if stem.casefold() in ("index", "readme"):
        url = parent if use_directory_urls else f"{parent}index.html"
    else:
        url = f"{parent}{stem}/" if use_directory_urls else f"{parent}{stem}.html"
    return quote(url)


def build_catalog(
    parsed: Iterable[Parsed], settings: ReviewSettings, quiz_ids: Collection[str] | None = None
) -> Catalog:
    documents = sorted((p.document for p in parsed if p.document is not None), key=lambda d: d.src_uri)
    for doc in documents:
        _reset(doc)
    problems: list[Problem] = [problem for doc in documents for problem in doc.problems]
    by_id: dict[str, Process | Procedure] = {}
    sharing: dict[str, list[Process | Procedure]] = {}  # id -> every document that uses it
    for doc in documents:
        sharing.setdefault(doc.id, []).append(doc)
        by_id.setdefault(doc.id, doc)
    # Reported on every file that uses the id (SPEC §4), each naming the others: the page that
    # had the id first is as much a part of the clash as the new one, and either may be renumbered.
    for users in sharing.values():
        for doc in users if len(users) > 1 else ():
            others = ", ".join(other.path for other in users if other is not doc)
            problems.append(
                _error(
                    doc,
                    "id",
                    "duplicate-id",
                    f"id `{doc.id}` is also used by {others}; give each document its own `id`",
                )
            )

    # A process page whose id is taken still gets listed (never a silently dropped page), but
    # procedures and hand-offs link to the first one.
    page_processes = [doc for doc in documents if isinstance(doc, Process)]
    processes = {doc.id: doc for doc in page_processes if by_id.get(doc.id) is doc}
    procedures = [doc for doc in documents if isinstance(doc, Procedure)]
    known_process_ids = sorted(processes)

    for procedure in procedures:
        if not procedure.process:
            continue  # its front-matter could not be read; that problem is already reported
        process = processes.get(procedure.process)
        if process is None:
            process = processes[procedure.process] = _placeholder(procedure.process)
            problems.append(
                _warning(
                    procedure,
                    "process",
                    "missing-process-page",
                    f"process `{procedure.process}` has no process page"
                    f"{did_you_mean(procedure.process, known_process_ids)} "
                    f"(add a page with `type: process` and `id: {procedure.process}`; known processes: "
                    f"{_id_list(known_process_ids)})",
                )
            )
        _file_under_stage(procedure, process, problems)

    for doc in documents:
        if doc.superseded_by:
            _check_superseded_by(doc, by_id, problems)
        if isinstance(doc, Procedure) and quiz_ids is not None:
            _check_quizzes(doc, quiz_ids, problems)

    for process in page_processes:
        for target in process.hands_off_to:
            receiver = processes.get(target)
            if receiver is None:
                problems.append(
                    _error(
                        process,
                        "hands_off_to",
                        "unknown-process",
                        f"`hands_off_to` names unknown process `{target}`{did_you_mean(target, known_process_ids)}"
                        f" (known processes: {_id_list(known_process_ids)})",
                    )
                )
            elif process.id not in receiver.receives_from:
                receiver.receives_from.append(process.id)

    for doc in documents:
        _review(doc, settings, problems)
    for process in processes.values():
        for stage in process.stages:
            stage.procedures.sort(key=lambda d: d.sort_key)
        process.procedures.sort(key=lambda d: d.sort_key)

    listed = [*page_processes, *(p for p in processes.values() if p.placeholder)]
    ordered = sorted(listed, key=lambda p: (p.placeholder, *p.sort_key))
    problems.sort(key=lambda p: (p.path, p.line, p.code))
    return Catalog(
        processes=ordered,
        procedures=procedures,
        by_id=by_id,
        by_src={doc.src_uri: doc for doc in documents},
        problems=problems,
        settings=settings,
        processes_by_id=processes,
    )


def _file_under_stage(procedure: Procedure, process: Process, problems: list[Problem]) -> None:
    declared = [stage for stage in process.stages if stage.declared]
    if procedure.stage is None:
        # When the YAML could not be read the stage may be in it; that problem is reported already.
        unreadable = any(problem.code == "yaml-syntax" for problem in procedure.problems)
        if declared and not unreadable:
            problems.append(
                _error(
                    procedure,
                    "process",
                    "missing-stage",
                    f"`stage` is required: process `{process.id}` has stages {_stage_list(declared)}",
                )
            )
        process.procedures.append(procedure)
        return
    stage = process.stage(procedure.stage)
    if stage is None and declared:
        problems.append(
            _error(
                procedure,
                "stage",
                "unknown-stage",
                f"`stage: {procedure.stage}` is not a stage of `{process.id}`; valid stages: {_stage_list(declared)}"
                f"{_stage_hint(procedure.stage, declared)}",
            )
        )
        process.procedures.append(procedure)
        return
    if stage is None:
        # A process that declares no stages gets them in the order procedures first name them.
        stage = Stage(id=slugify(procedure.stage) or procedure.stage, title=procedure.stage, declared=False)
        process.stages.append(stage)
    procedure.stage_id = stage.id
    stage.procedures.append(procedure)


def _check_superseded_by(doc: Document, by_id: dict[str, Process | Procedure], problems: list[Problem]) -> None:
    """The replacement must exist, be another document, and be in use (not itself retired).

    A chain (A replaced by B, B by C) is followed to its end, at most once round any loop.
    """
    target = doc.superseded_by
    assert target is not None
    if target not in by_id:
        problems.append(
            _error(
                doc,
                "superseded_by",
                "unknown-document",
                f"`superseded_by: {target}` names no document; use the id of the document that "
                f"replaces this one{did_you_mean(target, by_id)}",
            )
        )
        return
    if by_id[target] is doc or target == doc.id:
        problems.append(
            _error(
                doc,
                "superseded_by",
                "superseded-by-itself",
                f"`superseded_by: {target}` names this document itself; use the id of the document that replaces it",
            )
        )
        return
    chain = [doc.id, target]
    current = by_id[target]
    while current.status is DocStatus.RETIRED and current.superseded_by in by_id:
        following = current.superseded_by
        assert following is not None
        if following in chain:
            loop = " → ".join(f"`{id_}`" for id_ in [*chain[chain.index(following) :], following])
            problems.append(
                _error(
                    doc,
                    "superseded_by",
                    "superseded-by-loop",
                    f"`superseded_by: {target}` leads round a loop ({loop}): let the newest document in that loop"
                    " have no `superseded_by`",
                )
            )
            return
        chain.append(following)
        current = by_id[following]
    if current.status is not DocStatus.RETIRED:
        if len(chain) > 2:
            path = " → ".join(f"`{id_}`" for id_ in chain)
            problems.append(
                _warning(
                    doc,
                    "superseded_by",
                    "superseded-by-retired",
                    f"`superseded_by: {target}` names a retired document ({path}); point to the one in use:"
                    f" `superseded_by: {current.id}`",
                )
            )
        return
    problems.append(
        _warning(
            doc,
            "superseded_by",
            "superseded-by-retired",
            f"`superseded_by: {target}` names a retired document"
            + (f" (the chain ends at `{current.id}`, retired too)" if len(chain) > 2 else "")
            + "; point to the document in use that replaces this one",
        )
    )


def _check_quizzes(procedure: Procedure, quiz_ids: Collection[str], problems: list[Problem]) -> None:
    known = sorted(quiz_ids)
    hint = f"known quizzes: {', '.join(known)}" if known else "there are no quiz files yet"
    for quiz in procedure.quizzes:
        if quiz not in quiz_ids:
            problems.append(
                _error(
                    procedure,
                    "quiz",
                    "unknown-quiz",
                    f"`quiz: {quiz}` names no quiz file{did_you_mean(quiz, known)} ({hint})",
                )
            )
    for quiz, line in procedure.inline_quizzes:
        if quiz not in quiz_ids:
            problems.append(
                Problem(
                    procedure.path,
                    line,
                    Severity.ERROR,
                    "unknown-quiz",
                    f"`<!-- quiz: {quiz} -->` names no quiz file{did_you_mean(quiz, known)} ({hint})",
                )
            )


def _review(doc: Document, settings: ReviewSettings, problems: list[Problem]) -> None:
    default = settings.process_interval if isinstance(doc, Process) else settings.procedure_interval
    doc.next_review = next_review(doc.last_reviewed_on, doc.review_in, doc.review_by, default)
    doc.review_status = review_status(doc.next_review, doc.status, settings)
    if doc.last_reviewed_on and doc.last_reviewed_on > settings.as_of:
        problems.append(
            _warning(
                doc,
                "last_reviewed_on",
                "future-date",
                f"`last_reviewed_on: {doc.last_reviewed_on}` is in the future (as of {settings.as_of}); "
                "write the date of the last review that took place",
            )
        )
    if doc.approved_on and doc.approved_on > settings.as_of:
        problems.append(
            _error(
                doc,
                "approved_on",
                "future-approval",
                f"`approved_on: {doc.approved_on}` is after the as-of date {settings.as_of}: a document cannot be"
                " approved in advance; write the date the approval was given",
            )
        )
    if settings.require_approval and doc.status is DocStatus.ACTIVE and doc.approved_by is None:
        problems.append(
            _error(
                doc,
                "approved_by",
                "not-approved",
                f"{doc.id} is active but not approved (config `require_approval: true`): add `approved_by` and"
                " `approved_on` once it is approved, or set `status: draft` until then",
            )
        )


def _reset(doc: Process | Procedure) -> None:
    """Clear what a previous catalog linked, so parsed documents can be cached across rebuilds."""
    if isinstance(doc, Process):
        doc.stages = [stage for stage in doc.stages if stage.declared]
        for stage in doc.stages:
            stage.procedures = []
        doc.procedures = []
        doc.receives_from = []
    else:
        doc.stage_id = None


def _placeholder(process_id: str) -> Process:
    return Process(
        id=process_id,
        title=process_id.replace("-", " ").replace("_", " ").capitalize(),
        src_uri="",
        path="",
        placeholder=True,
        status=DocStatus.ACTIVE,
    )


def _stage_list(stages: list[Stage]) -> str:
    return ", ".join(f"`{stage.id}`" + (f" ({stage.title})" if stage.title != stage.id else "") for stage in stages)


def _stage_hint(written: str, stages: list[Stage]) -> str:
    """The nearest stage, by id or by title, as ``; did you mean `id`?``."""
    names = {stage.id.casefold(): stage.id for stage in stages}
    names.update({stage.title.casefold(): stage.id for stage in stages})
    close = difflib.get_close_matches(written.casefold(), list(names), n=1, cutoff=0.6)
    return f"; did you mean `{names[close[0]]}`?" if close else ""


def _id_list(ids: list[str]) -> str:
    return ", ".join(f"`{id_}`" for id_ in ids) or "none"


def _error(doc: Document, key: str, code: str, message: str) -> Problem:
    return Problem(doc.path, doc.line_of(key), Severity.ERROR, code, message)


def _warning(doc: Document, key: str, code: str, message: str) -> Problem:
    return Problem(doc.path, doc.line_of(key), Severity.WARNING, code, message)
