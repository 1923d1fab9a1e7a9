"""One file's front-matter -> Process / Procedure + problems (SPEC §3.1-§3.3)."""

from __future__ import annotations

import random
import string
import textwrap
from datetime import date

import pytest

from sop_hub.core.metadata import (
    FRONT_MATTER,
    Parsed,
    Source,
    did_you_mean,
    first_heading,
    inline_quizzes,
    parse_source,
    split_front_matter,
)
from sop_hub.core.model import DocStatus, Interval, Owner, Problem, Procedure, Process, Severity

GOOD_SOP = """\
---
title: Approve a supplier invoice
id: SOP-FIN-004
process: month-end-close
stage: invoice-approval
owner: Jane Doe <jane@example.com>
backup_owner: Bob Smith
last_reviewed_on: 2026-01-31
review_in: 6 months
version: "2.1"
quiz: invoice-approval
order: 2
tags: [finance]
---

# Approve a supplier invoice

1. Match the invoice to the order.
"""


def parse(text: str, src_uri: str = "finance/approve.md") -> Parsed:
    return parse_source(Source(src_uri, f"docs/{src_uri}", textwrap.dedent(text)))


def sop(*lines: str, base: str = "process: p\nowner: Jane Doe\nlast_reviewed_on: 2026-01-31\n") -> Parsed:
    """A procedure whose front-matter is ``base`` then ``lines``: ``base`` is file lines 2-4."""
    return parse("---\n" + base + "".join(line + "\n" for line in lines) + "---\n\n# Title\n")


def procedure(parsed: Parsed) -> Procedure:
    assert isinstance(parsed.document, Procedure), parsed
    return parsed.document


def process(parsed: Parsed) -> Process:
    assert isinstance(parsed.document, Process), parsed
    return parsed.document


def only(parsed: Parsed, code: str) -> Problem:
    found = [p for p in parsed.problems if p.code == code]
    assert len(found) == 1, parsed.problems
    return found[0]


def codes(parsed: Parsed) -> list[str]:
    return [p.code for p in parsed.problems]


# -- a well-formed procedure -----------------------------------------------------------------------


def test_a_complete_procedure_is_read_without_problems() -> None:
    parsed = parse(GOOD_SOP)
    doc = procedure(parsed)
    assert parsed.problems == []
    assert doc.id == "SOP-FIN-004"
    assert doc.title == "Approve a supplier invoice"
    assert doc.process == "month-end-close"
    assert doc.stage == "invoice-approval"
    assert doc.owner == Owner("Jane Doe", "jane@example.com")
    assert doc.backup_owner == Owner("Bob Smith")
    assert doc.last_reviewed_on == date(2026, 1, 31)
    assert doc.review_in == Interval(6, "months")
    assert doc.version == "2.1"
    assert doc.quizzes == ["invoice-approval"]
    assert doc.order == 2
    assert doc.tags == ["finance"]
    assert doc.status is DocStatus.ACTIVE
    assert doc.path == "docs/finance/approve.md"
    assert doc.line == 1
    assert doc.line_of("owner") == 6
    assert parsed.body.startswith("# Approve a supplier invoice")


def test_id_defaults_to_the_path_and_title_to_the_first_heading() -> None:
    doc = procedure(parse("---\nprocess: p\nowner: J\nlast_reviewed_on: 2026-01-01\n---\n# Pay a bill\n", "a/b/pay.md"))
    assert doc.id == "a/b/pay"
    assert doc.title == "Pay a bill"


def test_title_falls_back_to_the_file_name() -> None:
    doc = procedure(
        parse("---\nprocess: p\nowner: J\nlast_reviewed_on: 2026-01-01\n---\nNo heading.\n", "a/pay-a_bill.md")
    )
    assert doc.title == "Pay a bill"


def test_version_keeps_what_the_author_wrote() -> None:
    assert procedure(sop("version: 2.10")).version == "2.10"
    assert procedure(sop("version: 1.0.3")).version == "1.0.3"
    assert procedure(sop("version: 3")).version == "3"


def test_yes_and_no_stay_text() -> None:
    doc = procedure(sop("version: Yes", "stage: No"))
    assert (doc.version, doc.stage) == ("Yes", "No")


def test_superseded_by_implies_retired() -> None:
    doc = procedure(sop("superseded_by: SOP-2"))
    assert doc.status is DocStatus.RETIRED
    assert doc.superseded_by == "SOP-2"


@pytest.mark.parametrize("status", ["draft", "Draft", "retired", "active"])
def test_status_is_read_case_insensitively(status: str) -> None:
    assert procedure(sop(f"status: {status}")).status.value == status.lower()


def test_unknown_status_lists_the_valid_ones() -> None:
    problem = only(sop("status: retird"), "invalid-status")
    assert problem.line == 5
    assert "`active`, `draft`, `retired`" in problem.message
    assert "did you mean `retired`?" in problem.message


def test_crlf_and_bom_give_the_same_result_and_lines() -> None:
    plain = parse(GOOD_SOP.replace("2026-01-31", "2026-02-30") + "<!-- quiz: extra -->\n")
    windows = parse("\ufeff" + plain_text_crlf(GOOD_SOP.replace("2026-01-31", "2026-02-30") + "<!-- quiz: extra -->\n"))
    assert windows.problems == plain.problems
    assert procedure(windows).lines == procedure(plain).lines
    assert procedure(windows).inline_quizzes == procedure(plain).inline_quizzes == [("extra", 19)]
    assert windows.body == plain.body


def plain_text_crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


# -- owners ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "owner"),
    [
        ("Jane Doe", Owner("Jane Doe")),
        ("Jane Doe <jane@example.com>", Owner("Jane Doe", "jane@example.com")),
        ("  Jane Doe   <jane@example.com> ", Owner("Jane Doe", "jane@example.com")),
        ("{name: Jane Doe, role: Controller}", Owner("Jane Doe", None, "Controller")),
        ("{name: Jane Doe, role: Controller, email: j@x.org}", Owner("Jane Doe", "j@x.org", "Controller")),
        ("Sandra Anderson", Owner("Sandra Anderson")),
    ],
)
def test_owner_forms(written: str, owner: Owner) -> None:
    parsed = sop(f"owner: {written}", base="process: p\nlast_reviewed_on: 2026-01-31\n")
    assert parsed.problems == []
    assert procedure(parsed).owner == owner


@pytest.mark.parametrize("written", ["Jane and Bob", "Jane Doe, Bob Smith", "Jane & Bob", "Jane / Bob", "[Jane, Bob]"])
def test_owner_must_be_one_person(written: str) -> None:
    parsed = sop(f"owner: {written}", base="process: p\nlast_reviewed_on: 2026-01-31\n")
    problem = only(parsed, "invalid-owner")
    assert problem.line == 4
    assert "one named person" in problem.message
    assert "backup_owner" in problem.message
    assert procedure(parsed).owner is None


def test_owner_as_a_list_is_a_problem_with_a_fix() -> None:
    problem = only(
        sop("owner:", "  - Jane", "  - Bob", base="process: p\nlast_reviewed_on: 2026-01-31\n"), "invalid-owner"
    )
    assert problem.line == 4
    assert "not a list" in problem.message


def test_owner_mapping_needs_a_name_and_flags_unknown_keys() -> None:
    parsed = sop("owner:", "  nmae: Jane", "  role: Controller", base="process: p\nlast_reviewed_on: 2026-01-31\n")
    unknown = only(parsed, "unknown-key")
    assert (unknown.line, unknown.severity) == (5, Severity.WARNING)
    assert "did you mean `name`?" in unknown.message
    assert only(parsed, "invalid-owner").line == 4


def test_owner_with_a_bad_email_is_a_problem() -> None:
    assert "Jane Doe <jane@example.com>" in only(sop("backup_owner: Jane <jane>"), "invalid-owner").message


# -- required keys ---------------------------------------------------------------------------------


def test_missing_owner_is_an_error_on_the_front_matter_line() -> None:
    problem = only(parse("---\nprocess: p\nlast_reviewed_on: 2026-01-01\n---\n"), "missing-key")
    assert (problem.line, problem.severity) == (1, Severity.ERROR)
    assert "`owner` is required" in problem.message
    assert "owner: Jane Doe" in problem.message


def test_empty_owner_is_reported_on_its_line() -> None:
    problem = only(parse("---\nprocess: p\nowner:\nlast_reviewed_on: 2026-01-01\n---\n"), "missing-key")
    assert problem.line == 3
    assert "`owner` is empty" in problem.message


def test_missing_last_review_is_an_error_unless_draft() -> None:
    problem = only(parse("---\nprocess: p\nowner: J\n---\n"), "missing-key")
    assert "`last_reviewed_on` is required" in problem.message
    assert "status: draft" in problem.message
    assert parse("---\nprocess: p\nowner: J\nstatus: draft\n---\n").problems == []


def test_empty_last_review_is_not_silently_accepted() -> None:
    problem = only(parse("---\nprocess: p\nowner: J\nlast_reviewed_on:\n---\n"), "missing-key")
    assert problem.line == 4


def test_empty_process_is_reported_on_its_line() -> None:
    parsed = parse("---\nprocess: ''\nowner: J\nlast_reviewed_on: 2026-01-01\n---\n")
    problem = only(parsed, "missing-key")
    assert problem.line == 2
    assert "id of the process" in problem.message


# -- wrong types -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "line", "code", "hint"),
    [
        (["order: second"], 5, "wrong-type", "`order: 10`"),
        (["order: 2.5"], 5, "wrong-type", "whole number"),
        (["tags:", "  a: b"], 5, "wrong-type", "`tags: [first, second]`"),
        (["quiz: {a: b}"], 5, "wrong-type", "list of text"),
        (["title: [a, b]"], 5, "wrong-type", "must be text, not a list"),
        (["version: {a: 1}"], 5, "wrong-type", "must be text, not a mapping"),
        (["stage: true"], 5, "wrong-type", "must be text, not true/false"),
        (["review_in: 3 monthz"], 5, "invalid-interval", "did you mean `3 months`?"),
        (["review_in: 0 days"], 5, "invalid-interval", "positive whole number"),
        (["review_by: next year"], 5, "invalid-date", "YYYY-MM-DD"),
    ],
)
def test_wrong_types_are_problems_on_the_key_line(lines: list[str], line: int, code: str, hint: str) -> None:
    problem = only(sop(*lines), code)
    assert problem.line == line
    assert hint in problem.message


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("2026-02-30", "February 2026 has 28 days"),
        ("2026-13-01", "there is no month 13"),
        ("31/01/2026", "write it as YYYY-MM-DD"),
        ('"2026-02-30"', "February 2026 has 28 days"),
    ],
)
def test_impossible_dates_are_invalid_date_on_the_key_line(written: str, hint: str) -> None:
    parsed = sop(f"last_reviewed_on: {written}", base="process: p\nowner: J\n")
    problem = only(parsed, "invalid-date")
    assert problem.line == 4
    assert problem.message.startswith("`last_reviewed_on`: ")
    assert hint in problem.message
    assert "missing-key" not in codes(parsed)  # one problem, not two


def test_tagged_timestamp_is_read_as_a_date() -> None:
    assert procedure(sop("review_by: !!timestamp 2026-05-01")).review_by == date(2026, 5, 1)


# -- unknown keys and duplicates -------------------------------------------------------------------


def test_unknown_key_is_a_warning_with_the_nearest_known_key() -> None:
    problem = only(sop("ownr: Bob"), "unknown-key")
    assert (problem.line, problem.severity) == (5, Severity.WARNING)
    assert "`ownr`: did you mean `owner`?" in problem.message or "did you mean `owner`?" in problem.message


def test_unknown_key_with_nothing_close_is_ignored_with_a_warning() -> None:
    assert "(ignored)" in only(sop("zzz: 1"), "unknown-key").message


def test_keys_that_mkdocs_and_material_read_are_not_unknown() -> None:
    assert sop("description: d", "hide: [toc]", "template: t.html", "type: procedure").problems == []


def test_duplicate_key_is_a_warning_naming_the_first_line() -> None:
    parsed = sop("owner: Bob")
    problem = only(parsed, "duplicate-key")
    assert (problem.line, problem.severity) == (5, Severity.WARNING)
    assert "first on line 3" in problem.message
    assert procedure(parsed).owner == Owner("Bob")


# -- broken YAML -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "line", "hint"),
    [
        (['title: "Approve'], 5, "end it with the quote"),
        (["tags:", "  - a", " - b"], 7, "line this up"),
        (["\ttitle: x"], 5, "spaces, not tabs"),
        (["title: Step: one"], 5, "must be quoted"),
    ],
)
def test_broken_yaml_is_a_syntax_problem_on_the_file_line(lines: list[str], line: int, hint: str) -> None:
    parsed = sop(*lines)
    problem = only(parsed, "yaml-syntax")
    assert (problem.line, problem.severity) == (line, Severity.ERROR)
    assert problem.message.startswith("front-matter is not valid YAML")
    assert hint in problem.message
    assert parsed.front_matter_ok is False


def test_broken_yaml_keeps_the_procedure_in_its_place() -> None:
    parsed = sop("id: SOP-9", "stage: Record", 'title: "unclosed')
    doc = procedure(parsed)
    assert (doc.id, doc.process, doc.stage) == ("SOP-9", "p", "Record")
    assert doc.problems == parsed.problems


def test_broken_yaml_on_a_process_page_keeps_a_process() -> None:
    parsed = parse("---\ntype: process\nowner: [\n---\n# Month end\n", "month-end/index.md")
    doc = process(parsed)
    assert (doc.id, doc.title) == ("month-end", "Month end")
    assert codes(parsed) == ["yaml-syntax"]


def test_broken_yaml_on_an_ordinary_page_is_still_reported() -> None:
    parsed = parse("---\ntitle: 'oops\n---\n")
    assert parsed.document is None
    assert codes(parsed) == ["yaml-syntax"]


# -- which pages are documents ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "# Just a page\n",
        "---\ntitle: Home\n---\n# Home\n",
        "---\n\n---\n# Empty front-matter\n",
        "---\ntype: post\ntitle: News\n---\n",
        "---\ntype: procedure\n---\n",
        "---\nA paragraph between two rules.\n---\n",
        "---\n- a list between rules\n---\n",
    ],
)
def test_other_pages_are_not_documents_and_have_no_problems(text: str) -> None:
    parsed = parse(text)
    assert parsed.document is None
    assert parsed.problems == []


def test_a_front_matter_list_that_looks_like_ours_is_a_problem() -> None:
    parsed = parse("---\n- process: p\n- owner: Jane\n---\n")
    problem = only(parsed, "not-a-mapping")
    assert problem.line == 1
    assert "`key: value` lines" in problem.message


def test_a_misspelt_process_type_is_caught() -> None:
    parsed = parse("---\ntype: proces\nowner: J\nlast_reviewed_on: 2026-01-01\n---\n", "sales/index.md")
    assert process(parsed).id == "sales"
    problem = only(parsed, "invalid-type")
    assert problem.line == 2
    assert "did you mean `type: process`?" in problem.message


def test_type_process_is_read_case_insensitively() -> None:
    parsed = parse("---\ntype: Process\nowner: J\nlast_reviewed_on: 2026-01-01\n---\n")
    assert process(parsed)
    assert parsed.problems == []


# -- processes -------------------------------------------------------------------------------------

GOOD_PROCESS = """\
---
type: process
title: Month-end close
owner: {name: Helen Marsh, role: Finance Controller}
purpose: Close the books.
trigger: Last working day.
inputs: [Invoices, Statements]
outputs: Management accounts
kpis:
  - Close by day 5
stages:
  - Invoice approval
  - id: reconcile
    title: Account reconciliation
    owner: James Li
    description: Reconcile accounts.
  - id: report
hands_off_to: [audit]
last_reviewed_on: 2026-01-26
---
# Month end
"""


def test_a_complete_process_is_read_without_problems() -> None:
    parsed = parse(GOOD_PROCESS, "month-end-close/index.md")
    doc = process(parsed)
    assert parsed.problems == []
    assert doc.id == "month-end-close"
    assert doc.owner == Owner("Helen Marsh", role="Finance Controller")
    assert (doc.purpose, doc.trigger) == ("Close the books.", "Last working day.")
    assert (doc.inputs, doc.outputs, doc.kpis) == (
        ["Invoices", "Statements"],
        ["Management accounts"],
        ["Close by day 5"],
    )
    assert [(s.id, s.title) for s in doc.stages] == [
        ("invoice-approval", "Invoice approval"),
        ("reconcile", "Account reconciliation"),
        ("report", "report"),
    ]
    assert doc.stages[1].owner == Owner("James Li")
    assert doc.stages[1].description == "Reconcile accounts."
    assert doc.hands_off_to == ["audit"]


@pytest.mark.parametrize(
    ("src_uri", "expected"), [("sales/index.md", "sales"), ("sales/README.md", "sales"), ("sales/flow.md", "flow")]
)
def test_process_id_defaults_to_folder_or_stem(src_uri: str, expected: str) -> None:
    assert process(parse("---\ntype: process\nowner: J\nlast_reviewed_on: 2026-01-01\n---\n", src_uri)).id == expected


def test_stages_must_be_a_list() -> None:
    parsed = parse("---\ntype: process\nowner: J\nlast_reviewed_on: 2026-01-01\nstages: Record\n---\n")
    problem = only(parsed, "wrong-type")
    assert problem.line == 5
    assert "stages: [Record, Investigate]" in problem.message


def test_stage_problems_point_at_the_stage() -> None:
    parsed = parse(
        "---\ntype: process\nowner: J\nlast_reviewed_on: 2026-01-01\nstages:\n"
        "  - Record\n  - record\n  - {description: no title}\n  - id: x\n    titel: X\n---\n"
    )
    assert only(parsed, "duplicate-stage").line == 7
    assert only(parsed, "invalid-stage").line == 8
    unknown = only(parsed, "unknown-key")
    assert (unknown.line, unknown.severity) == (10, Severity.WARNING)
    assert "did you mean `title`?" in unknown.message
    assert [s.id for s in process(parsed).stages] == ["record", "x"]


def test_process_keys_are_not_allowed_on_a_procedure() -> None:
    assert "unknown key `stages`" in only(sop("stages: [a]"), "unknown-key").message


# -- inline quizzes and headings -------------------------------------------------------------------


def test_inline_quiz_markers_have_their_file_line_and_skip_code_fences() -> None:
    text = (
        "---\nprocess: p\nowner: J\nlast_reviewed_on: 2026-01-01\n---\n\n\n# T\n"  # body starts on line 8
        "<!-- quiz: first -->\n"  # 9
        "```markdown\n<!-- quiz: in-fence -->\n```\n"  # 10-12
        "!!! note\n    ~~~~\n    <!-- quiz: in-indented-fence -->\n    ~~~~\n"  # 13-16
        "  <!-- quiz:second-->  \n"  # 17
        "````\n```\n<!-- quiz: in-longer-fence -->\n````\n"  # 18-21
        "```\n<!-- quiz: unclosed-fence -->\n"  # 22-23
    )
    assert procedure(parse(text)).inline_quizzes == [("first", 9), ("second", 17)]


def test_inline_quizzes_helper_counts_from_the_given_line() -> None:
    assert inline_quizzes("a\n<!-- quiz: q -->\n", 10) == [("q", 11)]


def test_first_heading_skips_code_and_attribute_lists() -> None:
    assert first_heading("```\n# not this\n```\n# Real title {#real .big}\n") == "Real title"
    assert first_heading("## Sub\n# Title #\n") == "Title"
    assert first_heading("No heading\n") is None


def test_split_front_matter_reports_the_yaml_first_line() -> None:
    assert split_front_matter("---\na: 1\n---\n\nBody\n") == ("a: 1\n", "Body\n", 2)
    assert split_front_matter("Body\n") == (None, "Body\n", 1)
    assert FRONT_MATTER.match("---\na: 1\n...\n")


def test_did_you_mean_suggests_the_nearest_choice() -> None:
    assert did_you_mean("ownr", ["owner", "order"]) == "; did you mean `owner`?"
    assert did_you_mean("zzz", ["owner"]) == ""


# -- every problem is complete, and garbage never raises -------------------------------------------

KEYS = ["process", "type", "owner", "backup_owner", "stage", "stages", "id", "title", "last_reviewed_on"]
KEYS += ["review_in", "review_by", "status", "superseded_by", "quiz", "order", "tags", "version", "ownr"]
VALUES = [
    "process", "p", "", "~", "2026-02-30", "2026-01-31", "31/01/2026", "3 monthz", "monthly", "Yes", "true",
    "[a, b]", "{name: J}", "{x: 1}", "'unclosed", '"C:\\q"', "&a [*a]", "*nope", "!!int x", "!!timestamp 2026-02-30",
    "- a", "Jane and Bob", "Jane <j@x.org>", "0", "-1", "2.10", "@x", "`x`", "|\n  block", "? [a]\n: b", "\t",
]  # fmt: skip


def _garbage(rng: random.Random) -> str:
    lines = ["process: p"] if rng.random() < 0.5 else []
    for _ in range(rng.randrange(0, 10)):
        roll = rng.random()
        if roll < 0.9:
            indent = " " * rng.choice([0] * 12 + [1, 2, 4])
            lines.append(f"{indent}{rng.choice(KEYS)}: {rng.choice(VALUES)}")
        elif roll < 0.96:
            lines.append(f"  - {rng.choice(VALUES)}")
        else:
            lines.append("".join(rng.choice(string.printable) for _ in range(rng.randrange(1, 30))))
    return "---\n" + "\n".join(lines).replace("\r", "").replace("\x0b", "").replace("\x0c", "") + "\n---\n# T\n"


def test_random_garbage_front_matter_never_raises_and_every_problem_is_complete() -> None:
    rng = random.Random(315)
    seen_codes: set[str] = set()
    for _ in range(3000):
        text = _garbage(rng)
        parsed = parse(text)
        for problem in parsed.problems:
            assert problem.path == "docs/finance/approve.md", text
            assert 1 <= problem.line <= text.count("\n"), (text, problem)
            assert problem.code and problem.message, (text, problem)
            seen_codes.add(problem.code)
    assert {"yaml-syntax", "unknown-key", "invalid-date", "missing-key", "wrong-type"} <= seen_codes


# -- near-miss front-matter (SPEC §3.3): read anyway, reported, never shown as raw YAML -------------

NEAR_BASE = "process: p\nowner: Jane Doe\nlast_reviewed_on: 2026-01-31\nstage: record\n"


def _near(text: str) -> tuple[Procedure, Parsed]:
    parsed = parse_source(Source("p/x.md", "docs/p/x.md", text))
    doc = procedure(parsed)
    assert doc.process == "p" and doc.owner == Owner("Jane Doe") and doc.stage == "record"
    assert parsed.front_matter_ok is False  # MkDocs leaves it in the text: the plugin renders the body
    assert "process:" not in parsed.body
    return doc, parsed


def _codes(parsed: Parsed) -> list[tuple[int, str, Severity]]:
    return [(p.line, p.code, p.severity) for p in parsed.problems]


def test_front_matter_without_closing_fence_ends_at_the_first_blank_line_and_is_an_error() -> None:
    doc, parsed = _near("---\n" + NEAR_BASE + "\n# Intake\n\n<!-- quiz: q -->\n")
    assert _codes(parsed) == [(1, "unclosed-front-matter", Severity.ERROR)]
    assert "add a line `---` after line 5" in parsed.problems[0].message
    assert parsed.body.startswith("# Intake\n")
    assert doc.line_of("stage") == 5
    assert doc.inline_quizzes == [("q", 9)]  # line 6 blank, 7 heading, 8 blank


def test_front_matter_without_closing_fence_ends_at_a_heading() -> None:
    _, parsed = _near("---\n" + NEAR_BASE + "# Intake\nText\n")
    assert parsed.body == "# Intake\nText\n"


def test_an_ordinary_page_opening_with_a_rule_is_left_to_markdown() -> None:
    texts = ("---\nJust a rule and a paragraph.\n", "\n\n---\ntitle: Other plugin\n---\n# T\n", "---\ntitle: x\n---")
    for text in texts:
        parsed = parse(text)
        assert parsed.document is None and parsed.problems == [] and parsed.front_matter_ok, text


def test_closing_fence_on_the_last_line_without_a_line_break_is_read_and_reported() -> None:
    doc, parsed = _near("---\n" + NEAR_BASE + "---")
    assert _codes(parsed) == [(6, "front-matter-at-end", Severity.WARNING)]
    assert parsed.body == "" and doc.line_of("owner") == 3


def test_blank_lines_before_the_opening_fence_are_read_and_reported() -> None:
    doc, parsed = _near("\n  \n---\n" + NEAR_BASE + "---\n# Intake\n<!-- quiz: q -->\n")
    assert _codes(parsed) == [(1, "front-matter-not-first", Severity.WARNING)]
    assert "2 blank lines before the opening `---` (line 3)" in parsed.problems[0].message
    assert doc.line_of("process") == 4 and doc.inline_quizzes == [("q", 10)]
    assert parsed.body == "# Intake\n<!-- quiz: q -->\n"


def test_problems_in_near_miss_front_matter_keep_their_file_lines() -> None:
    _, parsed = _near("\n---\n" + NEAR_BASE + "review_by: 2026-02-30\n---\n# T\n")
    assert (7, "invalid-date", Severity.ERROR) in _codes(parsed)


@pytest.mark.parametrize("newline", ["\r", "\r\n"], ids=["cr-only", "crlf"])
def test_cr_only_and_crlf_files_are_front_matter_as_mkdocs_reads_them(newline: str) -> None:
    text = ("\ufeff---\n" + NEAR_BASE + "---\n# T\n<!-- quiz: q -->\n").replace("\n", newline)
    parsed = parse_source(Source("p/x.md", "docs/p/x.md", text))
    doc = procedure(parsed)
    assert parsed.front_matter_ok and parsed.problems == [] and doc.stage == "record"
    assert parsed.body == "# T\n<!-- quiz: q -->\n" and doc.inline_quizzes == [("q", 8)]


# -- quiz markers -----------------------------------------------------------------------------------


def test_marker_indented_four_spaces_or_a_tab_is_not_placed_and_is_a_warning() -> None:
    body = "   <!-- quiz: three -->\n    <!-- quiz: four -->\n\t<!-- quiz: tab -->\n!!! note\n    <!-- quiz: adm -->\n"
    parsed = sop("---\n# T\n" + body, base="process: p\nowner: Jane Doe\nlast_reviewed_on: 2026-01-31\n---\n")
    doc = procedure(parsed)
    assert doc.inline_quizzes == [("three", 8)]
    warned = [(p.line, p.code, p.severity) for p in parsed.problems]
    assert warned == [(n, "quiz-marker-indented", Severity.WARNING) for n in (9, 10, 12)]
    assert parsed.problems[0].message.startswith("`<!-- quiz: four -->` is indented four spaces or more")
    assert parsed.problems[0].message.endswith("remove the indentation")


def test_markers_in_fenced_code_are_documentation_and_silent() -> None:
    parsed = sop(base="process: p\nowner: Jane Doe\nlast_reviewed_on: 2026-01-31\n---\n```\n    <!-- quiz: x -->\n```")
    assert procedure(parsed).inline_quizzes == [] and parsed.problems == []


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("# Plain page\n\n<!-- quiz: q -->\n", 3),
        ("---\ntitle: Other plugin\n---\n# Page\n<!-- quiz: q -->\n", 5),
        ("---\ntype: process\nowner: Jane Doe\nlast_reviewed_on: 2026-01-31\n---\n\n    <!-- quiz: q -->\n", 7),
    ],
    ids=["ordinary", "front-matter", "process"],
)
def test_marker_on_a_page_that_is_not_a_procedure_is_a_warning(text: str, line: int) -> None:
    parsed = parse(text)
    found = [(p.line, p.code, p.severity) for p in parsed.problems]
    assert found == [(line, "quiz-outside-procedure", Severity.WARNING)]
    assert "not a procedure" in parsed.problems[0].message
    if parsed.document is not None:
        assert parsed.document.problems == parsed.problems


def test_inline_quiz_pattern_accepts_at_most_three_spaces() -> None:
    from sop_hub.core.metadata import INLINE_QUIZ

    assert INLINE_QUIZ.fullmatch("   <!-- quiz: a -->")
    assert not INLINE_QUIZ.fullmatch("    <!-- quiz: a -->")
    assert not INLINE_QUIZ.fullmatch("\t<!-- quiz: a -->")
