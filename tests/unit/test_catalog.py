"""The hub as a whole: linking and the cross-file checks (SPEC §3.2-§3.5)."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from sop_hub.core.catalog import Catalog, build_catalog, page_url
from sop_hub.core.metadata import Parsed, Source, parse_source
from sop_hub.core.model import Problem, Procedure, Process, ReviewStatus, Severity
from sop_hub.core.review import ReviewSettings

AS_OF = date(2026, 6, 15)
SETTINGS = ReviewSettings(as_of=AS_OF)

CLOSE = """\
---
type: process
id: close
title: Month-end close
owner: Helen Marsh
last_reviewed_on: 2026-01-26
stages:
  - id: approve
    title: Invoice approval
  - Reconcile
hands_off_to: [audit]
---
"""
AUDIT = "---\ntype: process\nid: audit\nowner: Ann Lee\nlast_reviewed_on: 2026-06-01\n---\n"


def sop(process: str = "close", stage: str | None = "approve", extra: str = "", reviewed: str = "2026-05-01") -> str:
    stage_line = f"stage: {stage}\n" if stage is not None else ""
    return f"---\nprocess: {process}\n{stage_line}owner: Jane Doe\nlast_reviewed_on: {reviewed}\n{extra}---\n# T\n"


def parse_all(files: dict[str, str]) -> list[Parsed]:
    return [parse_source(Source(src, f"docs/{src}", text)) for src, text in files.items()]


def catalog(files: dict[str, str], quiz_ids: list[str] | None = None, as_of: date = AS_OF) -> Catalog:
    return build_catalog(parse_all(files), ReviewSettings(as_of=as_of), quiz_ids)


def problems(cat: Catalog, code: str) -> list[Problem]:
    return [p for p in cat.problems if p.code == code]


def only(cat: Catalog, code: str) -> Problem:
    found = problems(cat, code)
    assert len(found) == 1, cat.problems
    return found[0]


def doc(cat: Catalog, src: str) -> Process | Procedure:
    return cat.by_src[src]


# -- linking ---------------------------------------------------------------------------------------


def test_procedures_are_filed_under_their_process_and_stage_in_order() -> None:
    cat = catalog(
        {
            "close/index.md": CLOSE,
            "audit/index.md": AUDIT,
            "close/b.md": sop(extra="title: Bravo\n"),
            "close/a.md": sop(extra="title: Alpha\n"),
            "close/first.md": sop(extra="title: Zulu\norder: 1\n"),
            "close/rec.md": sop(stage="Reconcile"),
        }
    )
    assert cat.problems == []
    close = cat.processes_by_id["close"]
    assert [p.title for p in close.stages[0].procedures] == ["Zulu", "Alpha", "Bravo"]
    assert [p.src_uri for p in close.stages[1].procedures] == ["close/rec.md"]
    assert cat.stage_of(doc(cat, "close/rec.md")) is close.stages[1]  # type: ignore[arg-type]
    assert cat.process_of(doc(cat, "close/a.md")) is close  # type: ignore[arg-type]
    assert cat.processes_by_id["audit"].receives_from == ["close"]
    assert [p.id for p in cat.processes] == ["audit", "close"]  # by order, then title
    assert [d.id for d in cat.documents][:2] == ["audit", "close"]


def test_stage_given_by_title_or_its_slug_works() -> None:
    files = {"close/index.md": CLOSE, "audit/index.md": AUDIT, "a.md": sop(stage="invoice approval")}
    cat = catalog({**files, "b.md": sop(stage="reconcile")})
    assert cat.problems == []
    assert doc(cat, "a.md").stage_id == "approve"  # type: ignore[union-attr]
    assert doc(cat, "b.md").stage_id == "reconcile"  # type: ignore[union-attr]


# -- unknown process / stage -----------------------------------------------------------------------


def test_unknown_process_makes_a_placeholder_and_warns() -> None:
    files = {"close/index.md": CLOSE, "audit/index.md": AUDIT, "a.md": sop(process="clsoe", stage="Count")}
    cat = catalog({**files, "b.md": sop("clsoe", "Ship")})
    placeholder = cat.processes_by_id["clsoe"]
    assert placeholder.placeholder
    assert [s.title for s in placeholder.stages] == ["Count", "Ship"]  # in the order procedures name them
    assert cat.processes[-1] is placeholder
    assert placeholder not in cat.documents
    assert doc(cat, "a.md") in cat.procedures
    problem = only(cat, "missing-process-page")  # once per missing process, not per procedure
    assert (problem.path, problem.line, problem.severity) == ("docs/a.md", 2, Severity.WARNING)
    assert "did you mean `close`?" in problem.message
    assert "`type: process`" in problem.message
    assert [p.code for p in cat.problems] == ["missing-process-page"]


def test_unknown_stage_lists_the_valid_stage_ids() -> None:
    cat = catalog({"close/index.md": CLOSE, "a.md": sop(stage="Invoice aproval")})
    problem = only(cat, "unknown-stage")
    assert (problem.path, problem.line, problem.severity) == ("docs/a.md", 3, Severity.ERROR)
    assert "did you mean `approve`?" in problem.message
    assert "valid stages: `approve` (Invoice approval), `reconcile` (Reconcile)" in problem.message
    close = cat.processes_by_id["close"]
    assert doc(cat, "a.md") in close.procedures  # still listed, under the process
    assert [s.id for s in close.stages] == ["approve", "reconcile"]  # no stage made up


def test_missing_stage_when_the_process_declares_stages() -> None:
    problem = only(catalog({"close/index.md": CLOSE, "a.md": sop(stage=None)}), "missing-stage")
    assert problem.line == 2
    assert "`approve`" in problem.message and "`reconcile`" in problem.message


def test_a_process_page_without_stages_takes_them_from_its_procedures() -> None:
    flat = "---\ntype: process\nid: flat\nowner: A\nlast_reviewed_on: 2026-06-01\n---\n"
    cat = catalog({"flat.md": flat, "a.md": sop("flat", "One"), "b.md": sop("flat", "Two"), "c.md": sop("flat", None)})
    assert cat.problems == []
    process = cat.processes_by_id["flat"]
    assert [s.title for s in process.stages] == ["One", "Two"]
    assert [p.src_uri for p in process.procedures] == ["c.md"]


# -- ids, superseded_by, hands_off_to, quizzes -----------------------------------------------------


def test_duplicate_id_is_reported_on_every_file_naming_the_others() -> None:
    cat = catalog({"close/index.md": CLOSE, "a.md": sop(extra="id: SOP-1\n"), "b.md": sop(extra="id: SOP-1\n")})
    found = {p.path: p for p in problems(cat, "duplicate-id")}
    assert set(found) == {"docs/a.md", "docs/b.md"}
    assert (found["docs/b.md"].line, found["docs/a.md"].line) == (6, 6)
    assert "docs/a.md" in found["docs/b.md"].message and "docs/b.md" in found["docs/a.md"].message
    assert all(p.severity is Severity.ERROR for p in found.values())
    assert {p.src_uri for p in cat.procedures} == {"a.md", "b.md"}
    assert len(cat.processes_by_id["close"].stages[0].procedures) == 2


def test_an_id_used_three_times_names_both_other_files_on_each() -> None:
    files = {"close/index.md": CLOSE, **{f"{n}.md": sop(extra="id: SOP-1\n") for n in "abc"}}
    found = {p.path: p.message for p in problems(catalog(files), "duplicate-id")}
    assert set(found) == {"docs/a.md", "docs/b.md", "docs/c.md"}
    assert "docs/b.md" in found["docs/a.md"] and "docs/c.md" in found["docs/a.md"]
    assert "docs/a.md" in found["docs/c.md"] and "docs/b.md" in found["docs/c.md"]


def test_duplicate_process_id_keeps_both_process_pages() -> None:
    cat = catalog({"close/index.md": CLOSE, "x/close.md": CLOSE, "a.md": sop()})
    found = {p.path: p.message for p in problems(cat, "duplicate-id")}
    assert "docs/close/index.md" in found["docs/x/close.md"] and "docs/x/close.md" in found["docs/close/index.md"]
    assert [p.src_uri for p in cat.processes] == ["close/index.md", "x/close.md"]
    assert cat.processes_by_id["close"].src_uri == "close/index.md"
    assert len([d for d in cat.documents if isinstance(d, Process)]) == 2


def test_superseded_by_must_name_a_document() -> None:
    cat = catalog(
        {"close/index.md": CLOSE, "a.md": sop(extra="id: SOP-1\n"), "b.md": sop(extra="superseded_by: SOP-l\n")}
    )
    problem = only(cat, "unknown-document")
    assert (problem.path, problem.line) == ("docs/b.md", 6)
    assert "did you mean `SOP-1`?" in problem.message
    assert doc(cat, "b.md").review_status is ReviewStatus.NOT_REQUIRED  # retired


def test_superseded_by_an_existing_document_is_fine() -> None:
    files = {"close/index.md": CLOSE, "audit/index.md": AUDIT, "a.md": sop(extra="id: SOP-1\n")}
    assert catalog({**files, "b.md": sop(extra="superseded_by: SOP-1\n")}).problems == []


def test_hands_off_to_an_unknown_process_is_an_error() -> None:
    problem = only(catalog({"close/index.md": CLOSE}), "unknown-process")
    assert (problem.path, problem.line) == ("docs/close/index.md", 11)
    assert "`audit`" in problem.message
    assert "known processes: `close`" in problem.message


def test_unknown_quiz_in_front_matter_and_body() -> None:
    body = "\n```\n<!-- quiz: fenced -->\n```\n<!-- quiz: missing-inline -->\n<!-- quiz: known -->\n"
    files = {"close/index.md": CLOSE, "audit/index.md": AUDIT, "a.md": sop(extra="quiz: [known, unkown]\n") + body}
    cat = catalog(files, quiz_ids=["known", "unknown"])
    found = problems(cat, "unknown-quiz")
    assert [(p.line, p.severity) for p in found] == [(6, Severity.ERROR), (13, Severity.ERROR)]
    assert "did you mean `unknown`?" in found[0].message
    assert "known quizzes: known, unknown" in found[0].message
    assert "`<!-- quiz: missing-inline -->`" in found[1].message


def test_quizzes_are_not_checked_when_no_quiz_ids_are_given() -> None:
    assert catalog({"close/index.md": CLOSE, "audit/index.md": AUDIT, "a.md": sop(extra="quiz: x\n")}).problems == []


# -- review status ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "reviewed", "status", "next_date"),
    [
        ("", "2026-03-15", ReviewStatus.DUE_SOON, date(2026, 6, 15)),  # next review == as-of
        ("", "2026-04-15", ReviewStatus.DUE_SOON, date(2026, 7, 15)),  # == as-of + 30 days
        ("", "2026-04-16", ReviewStatus.CURRENT, date(2026, 7, 16)),  # as-of + 31 days
        ("", "2026-03-14", ReviewStatus.OVERDUE, date(2026, 6, 14)),  # as-of - 1
        ("status: draft\n", "2020-01-01", ReviewStatus.NOT_REQUIRED, date(2020, 4, 1)),
        ("status: retired\n", "2020-01-01", ReviewStatus.NOT_REQUIRED, date(2020, 4, 1)),
        ("review_by: 2026-12-01\n", "2020-01-01", ReviewStatus.CURRENT, date(2026, 12, 1)),
        ("review_in: 1 month\n", "2026-05-01", ReviewStatus.OVERDUE, date(2026, 6, 1)),
        ("review_in: yearly\n", "2025-06-20", ReviewStatus.DUE_SOON, date(2026, 6, 20)),
    ],
)
def test_review_status_of_procedures(extra: str, reviewed: str, status: ReviewStatus, next_date: date) -> None:
    cat = catalog({"close/index.md": CLOSE, "audit/index.md": AUDIT, "a.md": sop(extra=extra, reviewed=reviewed)})
    procedure = doc(cat, "a.md")
    assert (procedure.next_review, procedure.review_status) == (next_date, status)


def test_processes_default_to_a_yearly_review() -> None:
    cat = catalog({"close/index.md": CLOSE, "audit/index.md": AUDIT})
    assert cat.processes_by_id["close"].next_review == date(2027, 1, 26)
    assert cat.processes_by_id["close"].review_status is ReviewStatus.CURRENT


def test_future_last_review_is_a_warning() -> None:
    cat = catalog({"close/index.md": CLOSE, "audit/index.md": AUDIT, "a.md": sop(reviewed="2027-01-01")})
    problem = only(cat, "future-date")
    assert (problem.line, problem.severity) == (5, Severity.WARNING)
    assert "2027-01-01" in problem.message


def test_review_findings_name_the_owner_and_date() -> None:
    cat = catalog(
        {
            "close/index.md": CLOSE,
            "audit/index.md": AUDIT,
            "late.md": sop(reviewed="2026-01-01"),
            "soon.md": sop(reviewed="2026-03-20"),
            "fine.md": sop(reviewed="2026-06-01"),
        }
    )
    findings = {f.path: f for f in cat.review_findings()}
    assert set(findings) == {"docs/late.md", "docs/soon.md"}
    late, soon = findings["docs/late.md"], findings["docs/soon.md"]
    assert (late.severity, late.code, late.line) == (Severity.ERROR, "review-overdue", 5)
    assert "2026-04-01" in late.message and "Jane Doe" in late.message
    assert (soon.severity, soon.code) == (Severity.WARNING, "review-due-soon")


# -- every problem is complete ---------------------------------------------------------------------


def test_every_problem_names_a_file_and_a_line() -> None:
    cat = catalog(
        {
            "close/index.md": CLOSE.replace("[audit]", "[audti]"),
            "a.md": sop(stage="nope", extra="id: X\nquiz: nope\nsuperseded_by: gone\n"),
            "b.md": sop(process="ghost", extra="id: X\n"),
            "c.md": sop(stage=None, reviewed="2030-01-01"),
            "d.md": "---\nprocess: close\nstage: approve\ntitle: 'broken\n---\n",
        },
        quiz_ids=[],
    )
    assert {p.code for p in cat.problems} >= {
        "unknown-process", "unknown-stage", "duplicate-id", "unknown-quiz", "unknown-document",
        "missing-process-page", "missing-stage", "future-date", "yaml-syntax",
    }  # fmt: skip
    for problem in cat.problems:
        assert problem.path.startswith("docs/") and problem.line >= 1 and problem.message, problem
    assert cat.problems == sorted(cat.problems, key=lambda p: (p.path, p.line, p.code))
    assert doc(cat, "d.md") in cat.processes_by_id["close"].stages[0].procedures  # broken YAML, still filed


# -- rebuilding from cached parses (mkdocs serve) --------------------------------------------------


def _snapshot(cat: Catalog) -> object:
    return (
        [
            (p.id, p.placeholder, p.receives_from, [p_.id for p_ in p.procedures],
             [(s.id, s.declared, [d.id for d in s.procedures]) for s in p.stages])
            for p in cat.processes
        ],
        [(d.id, d.stage_id, d.next_review, d.review_status) for d in cat.procedures],
        cat.problems,
        sorted(cat.by_id),
    )  # fmt: skip


def test_building_twice_from_the_same_parses_gives_the_same_catalog() -> None:
    flat = "---\ntype: process\nid: flat\nowner: A\nlast_reviewed_on: 2026-06-01\nhands_off_to: [close]\n---\n"
    parsed = parse_all(
        {
            "close/index.md": CLOSE,
            "audit/index.md": AUDIT,
            "flat.md": flat,
            "a.md": sop(),
            "b.md": sop(stage="Reconcile"),
            "c.md": sop("flat", "Made up"),
            "d.md": sop("ghost", "Somewhere"),
            "e.md": sop(stage="nope"),
            "f.md": sop(stage=None),
        }
    )
    first = build_catalog(parsed, SETTINGS, [])
    before = copy.deepcopy(_snapshot(first))
    second = build_catalog(parsed, SETTINGS, [])
    assert _snapshot(second) == before
    assert _snapshot(first) == before  # the first catalog's values are recomputed identically


def test_a_rebuild_with_another_as_of_recomputes_status() -> None:
    parsed = parse_all({"close/index.md": CLOSE, "audit/index.md": AUDIT, "a.md": sop(reviewed="2026-05-01")})
    assert build_catalog(parsed, SETTINGS).by_src["a.md"].review_status is ReviewStatus.CURRENT
    later = ReviewSettings(as_of=date(2026, 9, 1))
    assert build_catalog(parsed, later).by_src["a.md"].review_status is ReviewStatus.OVERDUE


# -- URLs ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "directory_urls", "url"),
    [
        ("index.md", True, ""),
        ("close/index.md", True, "close/"),
        ("close/README.md", True, "close/"),
        ("close/approve.md", True, "close/approve/"),
        ("close/approve.md", False, "close/approve.html"),
        ("close/index.md", False, "close/index.html"),
        ("index.md", False, "index.html"),
        ("a.b.md", True, "a.b/"),
        ("my file.md", True, "my%20file/"),
    ],
)
def test_page_url_matches_mkdocs(src: str, directory_urls: bool, url: str) -> None:
    assert page_url(src, directory_urls) == url


@pytest.mark.parametrize("src", ["index.md", "close/index.md", "close/README.md", "close/a.md", "é/ü x.md"])
@pytest.mark.parametrize("directory_urls", [True, False])
def test_page_url_agrees_with_mkdocs_file_url(src: str, directory_urls: bool) -> None:
    from mkdocs.structure.files import File  # the core must not import MkDocs; its tests may

    expected = File(src, "docs", "site", directory_urls).url
    assert page_url(src, directory_urls) == ("" if expected == "./" else expected)


def test_a_procedure_with_unreadable_yaml_gets_one_problem_not_a_cascade() -> None:
    broken = "---\nprocess: close\ntitle: 'oops\n---\n"  # no stage can be read, though the process has stages
    cat = catalog({"close/index.md": CLOSE, "audit/index.md": AUDIT, "a.md": broken})
    assert [p.code for p in cat.problems] == ["yaml-syntax"]
    assert doc(cat, "a.md") in cat.processes_by_id["close"].procedures


# -- superseded_by chains, hand-off lists ------------------------------------------------------------


def _retired(doc_id: str, by: str | None) -> str:
    return sop(extra=f"id: {doc_id}\n" + (f"superseded_by: {by}\n" if by else "status: retired\n"))


def test_superseded_by_itself_is_an_error() -> None:
    problem = only(catalog({"close/index.md": CLOSE, "a.md": _retired("SOP-1", "SOP-1")}), "superseded-by-itself")
    assert (problem.path, problem.line, problem.severity) == ("docs/a.md", 7, Severity.ERROR)
    assert problem.message.endswith("use the id of the document that replaces it")


def test_superseded_by_a_retired_document_names_the_end_of_the_chain() -> None:
    files = {
        "close/index.md": CLOSE,
        "a.md": _retired("SOP-1", "SOP-2"),
        "b.md": _retired("SOP-2", "SOP-3"),
        "c.md": _retired("SOP-3", "SOP-4"),
        "d.md": sop(extra="id: SOP-4\n"),
    }
    cat = catalog(files)
    found = {p.path: p for p in problems(cat, "superseded-by-retired")}
    assert sorted(found) == ["docs/a.md", "docs/b.md"]
    assert found["docs/a.md"].severity is Severity.WARNING and found["docs/a.md"].line == 7
    assert found["docs/a.md"].message.endswith("point to the one in use: `superseded_by: SOP-4`")
    assert "`SOP-1` \u2192 `SOP-2` \u2192 `SOP-3` \u2192 `SOP-4`" in found["docs/a.md"].message


def test_superseded_by_a_retired_document_without_replacement_is_a_warning() -> None:
    cat = catalog({"close/index.md": CLOSE, "a.md": _retired("SOP-1", "SOP-2"), "b.md": _retired("SOP-2", None)})
    assert "names a retired document; point to the document in use" in only(cat, "superseded-by-retired").message


def test_superseded_by_loop_is_an_error_and_ends() -> None:
    files = {
        "close/index.md": CLOSE,
        "a.md": _retired("SOP-1", "SOP-2"),
        "b.md": _retired("SOP-2", "SOP-3"),
        "c.md": _retired("SOP-3", "SOP-2"),
    }
    found = problems(catalog(files), "superseded-by-loop")
    assert [p.path for p in found] == ["docs/a.md", "docs/b.md", "docs/c.md"]
    assert all(p.severity is Severity.ERROR for p in found)
    assert "(`SOP-2` \u2192 `SOP-3` \u2192 `SOP-2`)" in found[0].message


DUPLICATE_HANDS = CLOSE.replace("hands_off_to: [audit]", "hands_off_to:\n  - audit\n  - close\n  - audit")


def test_duplicate_hand_off_is_a_warning_on_its_line_and_counted_once() -> None:
    cat = catalog({"close/index.md": DUPLICATE_HANDS, "audit/index.md": AUDIT})
    duplicate = only(cat, "duplicate-hand-off")
    assert (duplicate.line, duplicate.severity) == (14, Severity.WARNING)
    assert duplicate.message.endswith("delete this entry")
    close = cat.processes_by_id["close"]
    assert close.hands_off_to == ["audit"]
    assert cat.processes_by_id["audit"].receives_from == ["close"]


def test_hand_off_to_itself_is_a_warning_and_not_linked() -> None:
    cat = catalog({"close/index.md": DUPLICATE_HANDS, "audit/index.md": AUDIT})
    problem = only(cat, "hands-off-to-itself")
    assert (problem.path, problem.line, problem.severity) == ("docs/close/index.md", 13, Severity.WARNING)
    assert cat.processes_by_id["close"].receives_from == []


# -- document control (SPEC §3.1, §6, §8) -----------------------------------------------------------

APPROVED = "approved_by: Ann Lee <ann@example.com>\napproved_on: 2026-05-02\n"


def test_approval_is_read_with_its_person_forms() -> None:
    cat = catalog(
        {"close/index.md": CLOSE, "audit/index.md": AUDIT, "a.md": sop(extra=APPROVED + "reviewed_by: Bo Ek\n")}
    )
    procedure = doc(cat, "a.md")
    assert procedure.approved_by is not None and procedure.approved_by.email == "ann@example.com"
    assert procedure.approved_on == date(2026, 5, 2)
    assert procedure.reviewed_by is not None and procedure.reviewed_by.name == "Bo Ek"
    assert not [p for p in cat.problems if p.path == "docs/a.md"]


@pytest.mark.parametrize(
    ("extra", "code", "line", "words"),
    [
        ("approved_by: Ann Lee\n", "missing-key", 6, "approved_on"),  # an approval needs its date
        ("approved_on: 2026-05-02\n", "missing-key", 6, "approved_by"),  # and a date needs its approver
        ("approved_by: Ann Lee\napproved_on: 2026-06-16\n", "future-approval", 7, "after the as-of date 2026-06-15"),
        ("approved_by: Ann Lee\napproved_on: 2026-02-30\n", "invalid-date", 7, "approved_on"),
        ("approved_by: Ann Lee, Bo Ek\napproved_on: 2026-05-02\n", "invalid-owner", 6, "name one person"),
        ("reviewed_by: [Ann Lee, Bo Ek]\n", "invalid-owner", 6, "not a list"),
        ("acknowledge: yes please\n", "wrong-type", 6, "`true` or `false`"),
        ("aproved_by: Ann Lee\n", "unknown-key", 6, "did you mean `approved_by`"),
    ],
)
def test_approval_mistakes_name_the_line_and_the_fix(extra: str, code: str, line: int, words: str) -> None:
    cat = catalog({"close/index.md": CLOSE, "audit/index.md": AUDIT, "a.md": sop(extra=extra)})
    problem = only(cat, code)
    assert problem.line == line and words in problem.message, problem


def test_approval_on_the_as_of_date_is_fine_and_acknowledge_is_a_boolean() -> None:
    cat = catalog(
        {
            "close/index.md": CLOSE,
            "audit/index.md": AUDIT,
            "a.md": sop(extra="approved_by: Ann Lee\napproved_on: 2026-06-15\nacknowledge: true\n"),
        }
    )
    assert doc(cat, "a.md").acknowledge is True and not problems(cat, "future-approval")


def test_require_approval_makes_an_unapproved_active_document_an_error() -> None:
    files = {
        "close/index.md": CLOSE.replace("stages:", APPROVED + "stages:"),
        "audit/index.md": AUDIT,  # active, not approved
        "a.md": sop(extra=APPROVED),
        "b.md": sop(),  # active, not approved
        "c.md": sop(extra="status: draft\n"),  # drafts need no approval
        "d.md": sop(extra="superseded_by: a\n"),
    }
    cat = build_catalog(parse_all(files), ReviewSettings(as_of=AS_OF, require_approval=True))
    assert sorted(p.path for p in problems(cat, "not-approved")) == ["docs/audit/index.md", "docs/b.md"]
    assert all(p.severity is Severity.ERROR and "require_approval" in p.message for p in problems(cat, "not-approved"))
    assert not problems(catalog(files), "not-approved")  # off by default
