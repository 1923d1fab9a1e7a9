"""Front-matter -> model: one file at a time, with line numbers and problems, never a traceback.

Cross-file rules (does the process exist, is the id unique, ...) are the catalog's; this module
only knows what one file can tell.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePosixPath
from typing import Any

from sop_hub import yamlfile
from sop_hub.model import DocStatus, Document, Owner, Problem, Procedure, Process, Severity, Stage, slugify
from sop_hub.review import InvalidValue, parse_date, parse_interval

# The same pattern MkDocs uses (mkdocs.utils.meta.YAML_RE), so both agree on what front-matter is.
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.MULTILINE | re.DOTALL)
INLINE_QUIZ = re.compile(r"^[ \t]*<!--\s*quiz:\s*([^\s>]+)\s*-->[ \t]*$", re.MULTILINE)
_HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_FENCE = re.compile(r"^(```|~~~)", re.MULTILINE)

COMMON_KEYS = {
    "title", "id", "owner", "backup_owner", "last_reviewed_on", "review_in", "review_by",
    "version", "status", "order", "tags",
}  # fmt: skip
PROCEDURE_KEYS = COMMON_KEYS | {"process", "stage", "superseded_by", "quiz"}
PROCESS_KEYS = COMMON_KEYS | {
    "type", "purpose", "trigger", "inputs", "outputs", "kpis", "stages", "hands_off_to", "superseded_by",
}  # fmt: skip
# Keys MkDocs, Material and common plugins read: never reported as unknown.
PASSTHROUGH_KEYS = {
    "description", "template", "hide", "icon", "search", "status_", "subtitle", "social",
    "comments", "authors", "date", "slug", "categories", "draft", "nav_title", "render_macros",
}  # fmt: skip
_OWNER_KEYS = {"name", "role", "email"}
_STAGE_KEYS = {"id", "title", "owner", "description"}
_OWNER_TEXT = re.compile(r"^\s*(?P<name>[^<>]+?)\s*(?:<(?P<email>[^<>\s]+@[^<>\s]+)>)?\s*$")


@dataclass(slots=True)
class Source:
    """One Markdown file as read from disk."""

    src_uri: str  # relative to docs_dir, "/"-separated
    path: str  # relative to the project root, for messages
    text: str


@dataclass(slots=True)
class Parsed:
    """What one file says: a process, a procedure, or neither (an ordinary page)."""

    document: Process | Procedure | None
    body: str  # the Markdown after the front-matter (what MkDocs should render)
    problems: list[Problem] = field(default_factory=list)
    front_matter_ok: bool = True


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(front-matter YAML or None, body, file line of the YAML's first line)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n")
    match = FRONT_MATTER.match(text)
    if not match:
        return None, text, 1
    return match.group(1), text[match.end() :].lstrip("\n"), 2


def parse_source(source: Source) -> Parsed:
    """Read one file's front-matter into a Process or Procedure (or nothing, for other pages)."""
    yaml_text, body, first_line = split_front_matter(source.text)
    if yaml_text is None:
        return Parsed(None, body)
    loaded = yamlfile.load(yaml_text, first_line)
    if isinstance(loaded, yamlfile.YamlError):
        kind_hint = re.search(r"^(process|type)\s*:", yaml_text, re.MULTILINE)
        problem = _problem(
            source, loaded.line, "yaml-syntax", f"front-matter is not valid YAML: {loaded.message}"
        )
        # Without readable YAML we cannot tell the page's kind; an SOP-looking page is kept as a
        # procedure with what little we know, so it still shows up (and shows the problem).
        if kind_hint:
            doc = _fallback_document(source, body, first_line)
            doc.problems.append(problem)
            return Parsed(doc, body, [problem], front_matter_ok=False)
        return Parsed(None, body, [problem], front_matter_ok=False)
    data, lines, duplicates = loaded
    if not isinstance(data, dict):
        if data is None:
            return Parsed(None, body)
        problem = _problem(source, first_line - 1, "not-a-mapping", "front-matter must be `key: value` lines")
        return Parsed(None, body, [problem], front_matter_ok=False)
    reader = _Reader(source, data, lines, first_line - 1)
    for dup in duplicates:
        reader.warn(
            dup.line, "duplicate-key", f"`{dup.key}` is set twice (first on line {dup.first_line}); the last value wins"
        )
    page_type = str(data.get("type", "")).strip().casefold()
    # Other plugins use `type` too; only `process` (or a near miss such as `proces`) is ours.
    if page_type == "process" or (page_type and did_you_mean(page_type, ["process"])):
        doc: Process | Procedure | None = reader.process(body)
    elif "process" in data:
        doc = reader.procedure(body)
    else:
        return Parsed(None, body, reader.problems)
    if doc is not None:
        doc.problems = reader.problems
    return Parsed(doc, body, reader.problems)


def inline_quizzes(body: str, body_first_line: int) -> list[tuple[str, int]]:
    """``<!-- quiz: id -->`` lines outside code fences, with their file lines."""
    found = []
    fenced = _fenced_ranges(body)
    for match in INLINE_QUIZ.finditer(body):
        if any(start <= match.start() < end for start, end in fenced):
            continue
        found.append((match.group(1), body_first_line + body.count("\n", 0, match.start())))
    return found


def first_heading(body: str) -> str | None:
    fenced = _fenced_ranges(body)
    for match in _HEADING.finditer(body):
        if not any(start <= match.start() < end for start, end in fenced):
            return match.group(1).strip()
    return None


def _fenced_ranges(body: str) -> list[tuple[int, int]]:
    if "```" not in body and "~~~" not in body:
        return []
    marks = [match.start() for match in _FENCE.finditer(body)]
    return [(marks[i], marks[i + 1]) for i in range(0, len(marks) - 1, 2)]


def did_you_mean(word: str, choices: object) -> str:
    close = difflib.get_close_matches(str(word), [str(choice) for choice in choices], n=1, cutoff=0.6)  # type: ignore[attr-defined]
    return f"; did you mean `{close[0]}`?" if close else ""


def _problem(source: Source, line: int, code: str, message: str, severity: Severity = Severity.ERROR) -> Problem:
    return Problem(source.path, max(line, 1), severity, code, message)


def _fallback_document(source: Source, body: str, line: int) -> Procedure:
    return Procedure(
        id=_default_procedure_id(source.src_uri),
        title=first_heading(body) or _title_from_path(source.src_uri),
        src_uri=source.src_uri,
        path=source.path,
        process="",
        line=max(line - 1, 1),
    )


def _default_procedure_id(src_uri: str) -> str:
    return str(PurePosixPath(src_uri).with_suffix(""))


def _default_process_id(src_uri: str) -> str:
    path = PurePosixPath(src_uri)
    if path.stem.casefold() in {"index", "readme"} and path.parent.name:
        return path.parent.name
    return path.stem


def _title_from_path(src_uri: str) -> str:
    path = PurePosixPath(src_uri)
    stem = path.parent.name if path.stem.casefold() in {"index", "readme"} and path.parent.name else path.stem
    return stem.replace("-", " ").replace("_", " ").capitalize()


class _Reader:
    """Reads typed values out of one front-matter mapping, collecting problems as it goes."""

    def __init__(self, source: Source, data: dict[Any, Any], lines: yamlfile.Lines, fm_line: int) -> None:
        self.source = source
        self.data = data
        self.lines = lines
        self.fm_line = max(fm_line, 1)
        self.problems: list[Problem] = []

    # -- problems -------------------------------------------------------------------------------
    def line(self, key: str) -> int:
        child = self.lines.keys.get(key)
        return child.line if child else self.fm_line

    def error(self, line: int, code: str, message: str) -> None:
        self.problems.append(_problem(self.source, line, code, message))

    def warn(self, line: int, code: str, message: str) -> None:
        self.problems.append(_problem(self.source, line, code, message, Severity.WARNING))

    # -- typed values ---------------------------------------------------------------------------
    def text(self, key: str, *, required: bool = False, what: str = "") -> str | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self.error(self.fm_line, "missing-key", f"`{key}` is required{what}")
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.error(self.line(key), "wrong-type", f"`{key}` must be text, not {_kind(value)}")
            return None
        raw = self.lines.child(key).raw
        text = raw if raw is not None and not isinstance(value, str) else str(value)
        if not text.strip():
            if required:
                self.error(self.line(key), "missing-key", f"`{key}` is empty{what}")
            return None
        return text.strip()

    def text_list(self, key: str) -> list[str]:
        value = self.data.get(key)
        if value is None:
            return []
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return [str(value)]
        if not isinstance(value, list) or not all(isinstance(item, (str, int, float)) for item in value):
            self.error(self.line(key), "wrong-type", f"`{key}` must be a list of text, e.g. `{key}: [first, second]`")
            return []
        return [str(item) for item in value]

    def date(self, key: str) -> date | None:
        value = self.data.get(key)
        if value is None:
            return None
        try:
            return parse_date(value)
        except InvalidValue as error:
            self.error(self.line(key), "invalid-date", f"`{key}`: {error}")
            return None

    def interval(self, key: str):  # type: ignore[no-untyped-def]
        value = self.data.get(key)
        if value is None:
            return None
        try:
            return parse_interval(value)
        except InvalidValue as error:
            self.error(self.line(key), "invalid-interval", f"`{key}`: {error}")
            return None

    def integer(self, key: str) -> int | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(self.line(key), "wrong-type", f"`{key}` must be a whole number, e.g. `{key}: 10`")
            return None
        return value

    def owner(self, key: str, *, required: bool) -> Owner | None:
        if self.data.get(key) is None:
            if required:
                self.error(
                    self.fm_line, "missing-key", f"`{key}` is required: one named person, e.g. `{key}: Jane Doe`"
                )
            return None
        return self.person(self.data[key], self.line(key), key)

    def person(self, value: object, line: int, key: str) -> Owner | None:
        example = f"`{key}: Jane Doe`, `{key}: Jane Doe <jane@example.com>` or `{{name, role, email}}`"
        if isinstance(value, dict):
            unknown = [str(k) for k in value if k not in _OWNER_KEYS]
            for name in unknown:
                self.error(line, "unknown-key", f"`{key}` has unknown key `{name}`{did_you_mean(name, _OWNER_KEYS)}")
            name = value.get("name")
            if not isinstance(name, str) or not name.strip():
                self.error(line, "invalid-owner", f"`{key}` needs a `name`: {example}")
                return None
            email, role = value.get("email"), value.get("role")
            return Owner(
                name.strip(),
                str(email).strip() if email else None,
                str(role).strip() if role else None,
            )
        if isinstance(value, list):
            self.error(
                line,
                "invalid-owner",
                f"`{key}` must be one named person, not a list; name a second person in `backup_owner`",
            )
            return None
        if not isinstance(value, str):
            self.error(line, "invalid-owner", f"`{key}` must be a person: {example}")
            return None
        match = _OWNER_TEXT.match(value)
        if not match or re.search(r",|;|&|\band\b|/", match.group("name")):
            self.error(
                line,
                "invalid-owner",
                f"`{key}: {value}` must be one named person (e.g. Jane Doe <jane@example.com>); "
                "name a second person in `backup_owner`",
            )
            return None
        return Owner(match.group("name"), match.group("email"))

    def status(self) -> DocStatus:
        value = self.data.get("status")
        if value is None:
            return DocStatus.ACTIVE
        try:
            return DocStatus(str(value).strip().casefold())
        except ValueError:
            choices = ", ".join(f"`{s.value}`" for s in DocStatus)
            self.error(
                self.line("status"), "invalid-status", f"`status: {value}` is not one of {choices}{did_you_mean(value, [s.value for s in DocStatus])}"
            )
            return DocStatus.ACTIVE

    def unknown_keys(self, known: set[str]) -> None:
        for key in self.data:
            if key in known or key in PASSTHROUGH_KEYS:
                continue
            self.warn(
                self.line(str(key)),
                "unknown-key",
                f"unknown key `{key}`{did_you_mean(key, sorted(known)) or ' (ignored)'}",
            )

    # -- documents ------------------------------------------------------------------------------
    def common(self, body: str, default_id: str) -> dict[str, Any]:
        title = self.text("title") or first_heading(body) or _title_from_path(self.source.src_uri)
        status = self.status()
        superseded_by = self.text("superseded_by")
        if superseded_by:
            status = DocStatus.RETIRED
        last_reviewed_on = self.date("last_reviewed_on")
        if last_reviewed_on is None and "last_reviewed_on" not in self.data and status is DocStatus.ACTIVE:
            self.error(
                self.fm_line,
                "missing-key",
                "`last_reviewed_on` is required (e.g. `last_reviewed_on: 2026-01-31`), "
                "unless the document is a draft (`status: draft`)",
            )
        tags = self.text_list("tags")
        return {
            "id": self.text("id") or default_id,
            "title": title,
            "src_uri": self.source.src_uri,
            "path": self.source.path,
            "owner": self.owner("owner", required=True),
            "backup_owner": self.owner("backup_owner", required=False),
            "last_reviewed_on": last_reviewed_on,
            "review_in": self.interval("review_in"),
            "review_by": self.date("review_by"),
            "version": self.text("version"),
            "status": status,
            "superseded_by": superseded_by,
            "order": self.integer("order"),
            "tags": tags,
            "lines": {str(key): child.line for key, child in self.lines.keys.items()},
            "line": self.fm_line,
        }

    def procedure(self, body: str) -> Procedure:
        self.unknown_keys(PROCEDURE_KEYS)
        fields = self.common(body, _default_procedure_id(self.source.src_uri))
        quizzes = self.text_list("quiz")
        return Procedure(
            **fields,
            process=self.text("process", required=True, what=": the id of the process this procedure belongs to") or "",
            stage=self.text("stage"),
            quizzes=quizzes,
            inline_quizzes=inline_quizzes(body, self._body_first_line()),
        )

    def process(self, body: str) -> Process | None:
        if self.data.get("type") != "process":
            self.error(
                self.line("type"),
                "invalid-type",
                f"`type: {self.data.get('type')}`: did you mean `type: process`?",
            )
        self.unknown_keys(PROCESS_KEYS)
        fields = self.common(body, _default_process_id(self.source.src_uri))
        return Process(
            **fields,
            purpose=self.text("purpose"),
            trigger=self.text("trigger"),
            inputs=self.text_list("inputs"),
            outputs=self.text_list("outputs"),
            kpis=self.text_list("kpis"),
            stages=self.stages(),
            hands_off_to=self.text_list("hands_off_to"),
        )

    def stages(self) -> list[Stage]:
        value = self.data.get("stages")
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(self.line("stages"), "wrong-type", "`stages` must be a list, e.g. `stages: [Record, Investigate]`")
            return []
        stages: list[Stage] = []
        node = self.lines.child("stages")
        for index, item in enumerate(value):
            line = node.child(index).line
            stage = self.stage(item, line)
            if stage is None:
                continue
            if any(other.id == stage.id for other in stages):
                self.error(line, "duplicate-stage", f"stage `{stage.id}` is listed twice; stage ids must be unique")
                continue
            stages.append(stage)
        return stages

    def stage(self, item: object, line: int) -> Stage | None:
        example = "a title (`- Record`) or a mapping (`- {id: record, title: Record, owner: Jane Doe}`)"
        if isinstance(item, (str, int, float)) and not isinstance(item, bool):
            title = str(item).strip()
            return Stage(id=slugify(title) or title, title=title) if title else None
        if not isinstance(item, dict):
            self.error(line, "wrong-type", f"a stage must be {example}")
            return None
        for key in item:
            if key not in _STAGE_KEYS:
                self.error(line, "unknown-key", f"stage has unknown key `{key}`{did_you_mean(key, _STAGE_KEYS)}")
        title, stage_id = item.get("title"), item.get("id")
        if not title and not stage_id:
            self.error(line, "invalid-stage", f"a stage needs a `title` or an `id`: {example}")
            return None
        title = str(title or stage_id).strip()
        owner = self.person(item["owner"], line, "owner") if item.get("owner") is not None else None
        description = item.get("description")
        return Stage(
            id=str(stage_id).strip() if stage_id else slugify(title),
            title=title,
            owner=owner,
            description=str(description).strip() if description else None,
        )

    def _body_first_line(self) -> int:
        # The body starts after the closing `---`; blank lines MkDocs strips are counted back in.
        text = self.source.text.replace("\r\n", "\n").lstrip("\ufeff")
        match = FRONT_MATTER.match(text)
        if not match:
            return 1
        end = match.end()
        skipped = len(text[end:]) - len(text[end:].lstrip("\n"))
        return text.count("\n", 0, end) + skipped + 1


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__
