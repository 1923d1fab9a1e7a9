"""The report formats of ``sop-hub check`` (SPEC §7): text, JSON, GitHub workflow commands with a
step summary, and JUnit XML.

Pure functions from a catalog and its problems to a string: no I/O, no argument parsing, so
each format is tested on its own and the command line only decides where the string goes.
Paths are shown with ``prefix`` in front (the project root seen from where the check runs), so
``file=`` in an annotation points at the file in the repository even when mkdocs.yml is in a
subfolder.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterable
from enum import StrEnum

from sop_hub.core.catalog import Catalog, review_note, review_sort_key
from sop_hub.core.model import Problem, Procedure, Process, ReviewStatus, Severity
from sop_hub.core.report import report, summary

GITHUB_ANNOTATION_CAP = 10  # GitHub shows at most this many annotations of each kind per step
STEP_SUMMARY_LIMIT = 1_000_000  # bytes; GitHub rejects a step summary over 1 MiB


class FailOn(StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due-soon"
    NEVER = "never"


def failing_statuses(fail_on: FailOn) -> frozenset[ReviewStatus]:
    """The review statuses that make the check fail (invalid metadata fails whatever this says)."""
    if fail_on is FailOn.NEVER:
        return frozenset()
    if fail_on is FailOn.DUE_SOON:
        return frozenset({ReviewStatus.OVERDUE, ReviewStatus.DUE_SOON})
    return frozenset({ReviewStatus.OVERDUE})


def fails(catalog: Catalog, problems: Iterable[Problem], fail_on: FailOn) -> bool:
    """True when the check should exit 1: an error-severity problem, or a review at/above ``fail_on``.

    Warnings (an unknown key, a missing process page, a future date) never fail the check.
    """
    if any(problem.severity is Severity.ERROR for problem in problems):
        return True
    statuses = failing_statuses(fail_on)
    return any(doc.review_status in statuses for doc in catalog.documents)


def findings(catalog: Catalog, problems: Iterable[Problem]) -> list[Problem]:
    """Problems and review findings (overdue: error, due soon: warning), by file and line."""
    return sorted([*problems, *catalog.review_findings()], key=lambda p: (p.path, p.line, p.code))


def show_path(path: str, prefix: str) -> str:
    if not prefix or path.startswith("/") or re.match(r"^[A-Za-z]:[/\\]", path):
        return path
    return f"{prefix.rstrip('/')}/{path}"


# -- text ---------------------------------------------------------------------------------------

_COLOURS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m"}


def text_report(catalog: Catalog, problems: list[Problem], *, prefix: str = "", colour: bool = False) -> str:
    """One line per finding, ``path:line: severity: message``, then a summary line."""
    lines = []
    for finding in findings(catalog, problems):
        severity = finding.severity.value
        if colour:
            severity = f"{_COLOURS[finding.severity]}{severity}\033[0m"
        lines.append(f"{show_path(finding.path, prefix)}:{finding.line}: {severity}: {_one_line(finding.message)}")
    lines.append(summary_line(catalog, problems))
    return "\n".join(lines) + "\n"


def summary_line(catalog: Catalog, problems: list[Problem]) -> str:
    counts = summary(catalog, problems)
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    warnings = len(problems) - errors
    return (
        f"sop-hub: {_plural(counts['documents'], 'document')} as of {catalog.settings.as_of}: "
        f"{counts['overdue']} overdue, {counts['due_soon']} due soon, {counts['current']} current, "
        f"{counts['not_required']} not required; "
        f"{_plural(errors, 'metadata error')}, {_plural(warnings, 'warning')}"
    )


# -- json ---------------------------------------------------------------------------------------


def json_report(catalog: Catalog, problems: list[Problem], *, directory_urls: bool = True) -> str:
    """The JSON document of SPEC §7: the same records as the site's ``register.json``.

    One record per line: readable and diffable, and written by the C encoder (``indent=``
    switches ``json`` to its pure-Python encoder, which took longer than the whole check).
    """
    parts = []
    for key, value in report(catalog, problems, directory_urls).items():
        if isinstance(value, list) and value:
            text = "[\n" + ",\n".join("    " + _json(item) for item in value) + "\n  ]"
        else:
            text = _json(value)
        parts.append(f"  {_json(key)}: {text}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


_ENCODER = json.JSONEncoder(ensure_ascii=False)  # one encoder: json.dumps(ensure_ascii=False) makes one per call


def _json(value: object) -> str:
    return _ENCODER.encode(value)


# -- github -------------------------------------------------------------------------------------


def escape_data(text: str) -> str:
    """A workflow command's message: GitHub's own escaping, so a newline cannot start a command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value (``file=``, ``title=``): also ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_commands(catalog: Catalog, problems: list[Problem], *, prefix: str = "") -> str:
    """``::error`` for invalid metadata and overdue reviews, ``::warning`` for the rest.

    Errors come first, so they are the annotations GitHub keeps when it caps each kind at ten.
    """
    titles = {doc.path: doc for doc in catalog.documents}
    ordered = sorted(findings(catalog, problems), key=lambda p: p.severity is not Severity.ERROR)
    lines = []
    for finding in ordered:
        properties = {
            "file": show_path(finding.path, prefix),
            "line": str(finding.line),
            "title": _annotation_title(finding, titles.get(finding.path)),
        }
        props = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
        lines.append(f"::{finding.severity.value} {props}::{escape_data(finding.message)}")
    errors = sum(1 for p in ordered if p.severity is Severity.ERROR)
    warnings = len(ordered) - errors
    if errors > GITHUB_ANNOTATION_CAP or warnings > GITHUB_ANNOTATION_CAP:
        lines.append(
            f"sop-hub: {_plural(errors, 'error')} and {_plural(warnings, 'warning')}; GitHub shows "
            f"{GITHUB_ANNOTATION_CAP} annotations of each kind per step: the job summary lists every one"
        )
    lines.append(summary_line(catalog, problems))
    return "\n".join(lines) + "\n"


def _annotation_title(finding: Problem, doc: Process | Procedure | None) -> str:
    if finding.code.startswith("review-") and doc is not None:
        status = "Review overdue" if finding.severity is Severity.ERROR else "Review due soon"
        return f"{status}: {doc.id} {_one_line(doc.title)}"
    return f"sop-hub {finding.code}"


def step_summary(
    catalog: Catalog, problems: list[Problem], *, prefix: str = "", limit: int = STEP_SUMMARY_LIMIT
) -> str:
    """Markdown for ``$GITHUB_STEP_SUMMARY``: counts, every overdue and due-soon document grouped
    by owner, and every problem, so nothing is lost past the annotation cap."""
    counts = summary(catalog, problems)
    head = [
        f"## SOP Hub check — as of {catalog.settings.as_of}",
        "",
        "| Documents | Overdue | Due soon | Current | Not required | Problems |",
        "|---:|---:|---:|---:|---:|---:|",
        f"| {counts['documents']} | {counts['overdue']} | {counts['due_soon']} | {counts['current']} "
        f"| {counts['not_required']} | {counts['problems']} |",
        "",
    ]
    body: list[str] = []
    by_owner: dict[str, list[Process | Procedure]] = defaultdict(list)
    for doc in catalog.documents:
        if doc.review_status in (ReviewStatus.OVERDUE, ReviewStatus.DUE_SOON):
            by_owner[doc.owner.name if doc.owner else ""].append(doc)
    if by_owner:
        body += ["### Reviews by owner", ""]
        for owner in sorted(by_owner, key=lambda name: (name == "", name.casefold())):
            docs = sorted(
                by_owner[owner], key=lambda d: (d.review_status is not ReviewStatus.OVERDUE, review_sort_key(d))
            )
            overdue = sum(1 for d in docs if d.review_status is ReviewStatus.OVERDUE)
            body += [
                f"#### {escape_markdown(owner) if owner else 'No owner'} — {overdue} overdue, "
                f"{len(docs) - overdue} due soon",
                "",
                "| Status | Document | Title | Next review | File |",
                "|---|---|---|---|---|",
            ]
            body += [
                f"| {'🔴 overdue' if d.review_status is ReviewStatus.OVERDUE else '🟡 due soon'} "
                f"| {escape_markdown(d.id)} | {escape_markdown(d.title)} | {d.next_review or 'none'} "
                f"| {escape_markdown(show_path(d.path, prefix))} |"
                for d in docs
            ]
            body.append("")
    if problems:
        body += ["### Problems", "", "| Severity | File | Line | Problem |", "|---|---|---:|---|"]
        body += [
            f"| {p.severity.value} | {escape_markdown(show_path(p.path, prefix))} | {p.line} "
            f"| {escape_markdown(p.message)} |"
            for p in problems
        ]
        body.append("")
    if not by_owner and not problems:
        body += ["Every review is current and every document's metadata is valid.", ""]
    return _within(head, body, limit)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~])")


def escape_markdown(text: str) -> str:
    """Data in a Markdown table cell: no HTML, no formatting, no cell breaks, one line."""
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", _one_line(text))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _within(head: list[str], body: list[str], limit: int) -> str:
    """Cut the body at a line boundary so the whole summary stays under GitHub's size limit."""
    out = "\n".join(head) + "\n"
    size = len(out.encode())
    for index, line in enumerate(body):
        cost = len(line.encode()) + 1
        if size + cost > limit - 400:
            left = sum(1 for rest in body[index:] if rest.startswith("| ") and not rest.startswith("| Status"))
            out += (
                f"\n_…and about {left} more rows: GitHub limits a job summary to 1 MiB. "
                "Run `sop-hub check --format json` for the full list._\n"
            )
            return out
        out += line + "\n"
        size += cost
    return out


# -- junit --------------------------------------------------------------------------------------

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def junit_xml(catalog: Catalog, problems: list[Problem], *, prefix: str = "", fail_on: FailOn = FailOn.OVERDUE) -> str:
    """JUnit XML: one test case per document (classname: its process), failing when the document
    has invalid metadata or a review status at/above ``fail_on``; problems in files that are not
    documents (quiz files, pages with broken front-matter) are test cases of their own."""
    statuses = failing_statuses(fail_on)
    by_path: dict[str, list[Problem]] = defaultdict(list)
    for problem in problems:
        by_path[problem.path].append(problem)
    suite = ET.Element("testsuite", name="sop-hub check", timestamp=f"{catalog.settings.as_of}T00:00:00")
    counts = {"tests": 0, "failures": 0, "skipped": 0}
    for doc in catalog.documents:
        own = by_path.pop(doc.path, [])
        classname = doc.id if isinstance(doc, Process) else (doc.process or "unknown-process")
        case = _case(suite, classname, f"{doc.id} {doc.title}", show_path(doc.path, prefix))
        reasons = [f"{show_path(p.path, prefix)}:{p.line}: {p.message}" for p in own if p.severity is Severity.ERROR]
        # A document without a readable date is overdue, but its metadata error says why: report that.
        note = review_note(doc)
        late = doc.review_status in statuses and doc.next_review is not None
        if late:
            reasons.insert(0, note)
        if reasons:
            kind = "review-" + doc.review_status.value if late else "invalid-metadata"
            _sub(case, "failure", reasons[0], kind, "\n".join(reasons))
            counts["failures"] += 1
        elif doc.review_status is ReviewStatus.NOT_REQUIRED:
            _sub(case, "skipped", f"{doc.status.value}: no review required")
            counts["skipped"] += 1
        notes = [note] if note and note not in reasons else []
        warned = [p for p in own if p.severity is Severity.WARNING]
        notes += [f"{show_path(p.path, prefix)}:{p.line}: warning: {p.message}" for p in warned]
        if notes:
            _sub(case, "system-out", None, None, "\n".join(notes))
        counts["tests"] += 1
    for path, own in sorted(by_path.items()):
        case = _case(suite, "files", show_path(path, prefix), show_path(path, prefix))
        lines = [f"{show_path(p.path, prefix)}:{p.line}: {p.severity.value}: {p.message}" for p in own]
        errors = [line for line, p in zip(lines, own, strict=True) if p.severity is Severity.ERROR]
        if errors:
            _sub(case, "failure", errors[0].split(": ", 1)[-1], "invalid-file", "\n".join(errors))
            counts["failures"] += 1
        warnings = [line for line in lines if line not in errors]
        if warnings:
            _sub(case, "system-out", None, None, "\n".join(warnings))
        counts["tests"] += 1
    attrs = {key: str(value) for key, value in counts.items()} | {"errors": "0", "time": "0"}
    suite.attrib.update(attrs)
    root = ET.Element("testsuites", {"name": "sop-hub", **attrs})
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _case(suite: ET.Element, classname: str, name: str, file: str) -> ET.Element:
    return ET.SubElement(suite, "testcase", classname=_xml(classname), name=_xml(name), file=_xml(file), time="0")


def _sub(parent: ET.Element, tag: str, message: str | None, kind: str | None = None, text: str | None = None) -> None:
    element = ET.SubElement(parent, tag)
    if message is not None:
        element.set("message", _xml(_one_line(message)))
    if kind is not None:
        element.set("type", kind)
    if text:
        element.text = _xml(text)


def _xml(text: str) -> str:
    """ElementTree escapes markup but not characters XML forbids (a YAML ``"\\x01"``): replace those."""
    return _NOT_XML.sub("\ufffd", text)


# -- helpers ------------------------------------------------------------------------------------


def _one_line(text: str) -> str:
    return " ".join(text.split()) if "\n" in text or "\r" in text else text


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
