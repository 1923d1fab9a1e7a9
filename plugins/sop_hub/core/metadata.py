"""Front-matter -> model: one file at a time, with line numbers and problems, never a traceback.

Cross-file rules (does the process exist, is the id unique, ...) are the catalog's; this module
only knows what one file can tell.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePosixPath
from typing import Any

from sop_hub.core import yamlfile
from sop_hub.core.model import DocStatus, Interval, Owner, Problem, Procedure, Process, Severity, Stage, slugify
from sop_hub.core.review import InvalidValue, parse_date, parse_interval

# The same pattern MkDocs uses (mkdocs.utils.meta.YAML_RE), so both agree on what front-matter is.
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.MULTILINE | re.DOTALL)
# A quiz marker: at most three spaces of indentation (four, or a tab, is an indented code block,
# or the inside of an admonition, list or tab, where quizzes are not supported). The quiz
# extension places quizzes with this pattern, so both agree on what a marker is.
INLINE_QUIZ = re.compile(r"^ {0,3}<!--\s*quiz:\s*([^\s>]+)\s*-->[ \t]*$", re.MULTILINE)
_ANY_QUIZ_MARKER = re.compile(r"^[ \t]*<!--\s*quiz:\s*([^\s>]+)\s*-->[ \t]*$")
_HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_FENCE = re.compile(r"^(`{3,}|~{3,})")
_ATTR_LIST = re.compile(r"[ \t]*\{[^{}]*\}[ \t]*$")

COMMON_KEYS = {
    "title", "id", "owner", "backup_owner", "last_reviewed_on", "review_in", "review_by",
    "version", "status", "order", "tags", "approved_by", "approved_on", "reviewed_by",
}  # fmt: skip
# `type` is read by other plugins too (`type: procedure`); on a procedure it is theirs.
PROCEDURE_KEYS = COMMON_KEYS | {"process", "stage", "superseded_by", "quiz", "type", "acknowledge"}
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
_OURS = re.compile(r"^[ \t-]*(?:process|type)[ \t]*:", re.MULTILINE)
# "Name" or "Name <email>". The name is anything else: an owner is data, shown escaped, so even
# `<script>...</script>` is a (strange) name, not a reason to refuse the page.
_OWNER_TEXT = re.compile(r"^\s*(?P<name>.+?)\s*(?:<(?P<email>[^<>\s]+@[^<>\s]+)>)?\s*$", re.DOTALL)
_BAD_EMAIL = re.compile(r"<(?!/)[^<>@]*>\s*$")  # a trailing <...> meant as an address, without @
_SEVERAL_PEOPLE = re.compile(r",|;|\s&\s|\band\b|\s/\s")
# `sop-hub new`'s template marks each sentence an author must replace with this comment (invisible
# on the page); an active document that still has one gets a warning on that line (SPEC §7).
PLACEHOLDER_MARK = "<!-- sop-hub:placeholder -->"


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
    split = _split(text)
    return split.yaml_text, split.body, split.first_line


@dataclass(slots=True)
class _Split:
    yaml_text: str | None
    body: str
    first_line: int  # file line of the YAML's first line
    body_line: int  # file line of the body's first line (for inline quiz markers)
    mkdocs_reads_it: bool = True  # False: MkDocs leaves this front-matter in the page text
    notes: list[tuple[int, str, str, Severity]] = field(default_factory=list)  # (line, code, message, severity)


_LEADING_BLANKS = re.compile(r"(?:[ \t]*\n)+")
_OPENING = re.compile(r"-{3}[ \t]*\n")
_MD_HEADING = re.compile(r"#{1,6}[ \t]")


def _split(text: str) -> _Split:
    """Front-matter as MkDocs reads it, plus the near misses MkDocs would show as raw YAML.

    MkDocs (``mkdocs.utils.meta.YAML_RE``) only sees front-matter that opens on the first line and
    whose closing ``---`` ends with a line break. For an SOP Hub page (one with ``process:`` or
    ``type:``) three near misses are read anyway and reported, and ``mkdocs_reads_it`` is False so
    the plugin renders the body without the YAML: blank lines before the opening ``---``, a closing
    ``---`` on the last line without a line break, and a missing closing ``---`` (the YAML is taken
    to end at the first blank line or heading). Other pages keep MkDocs's reading.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:  # MkDocs reads files with universal newlines: CRLF and CR-only are both "\n"
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    match = FRONT_MATTER.match(text)
    if match:
        return _found(text, match, 0)
    blanks = _LEADING_BLANKS.match(text)
    skipped = blanks.group(0).count("\n") if blanks else 0
    core = text[blanks.end() :] if blanks else text
    if not _OPENING.match(core):
        return _Split(None, text, 1, 1)
    notes: list[tuple[int, str, str, Severity]] = []
    match = FRONT_MATTER.match(core) if skipped else None
    if match is None and not core.endswith("\n"):
        at_end = FRONT_MATTER.match(core + "\n")
        if at_end and at_end.end() == len(core) + 1:
            match = at_end
            last = skipped + core.count("\n") + 1
            notes.append((
                last,
                "front-matter-at-end",
                "the closing `---` is the file's last line, without a line break after it, so MkDocs would show"
                " the front-matter as text: add a line break (and the page's text) after it",
                Severity.WARNING,
            ))  # fmt: skip
    if match is None:
        return _unclosed(text, core, skipped)
    if not _OURS.search(match.group(1)):
        return _Split(None, text, 1, 1)  # not SOP Hub's page: MkDocs's reading stands
    if skipped:
        notes.append((
            1,
            "front-matter-not-first",
            f"{skipped} blank line{'s' if skipped > 1 else ''} before the opening `---` (line {skipped + 1}),"
            " so MkDocs would show the front-matter as text: delete them; front-matter starts on line 1",
            Severity.WARNING,
        ))  # fmt: skip
    split = _found(core, match, skipped)
    split.mkdocs_reads_it, split.notes = False, notes
    return split


def _found(text: str, match: re.Match[str], offset: int) -> _Split:
    rest = text[match.end() :]
    body = rest.lstrip("\n")
    # The body starts after the closing `---`; blank lines MkDocs strips are counted back in.
    body_line = offset + match.group(0).count("\n") + len(rest) - len(body) + 1
    return _Split(match.group(1), body, offset + 2, body_line)


def _unclosed(text: str, core: str, skipped: int) -> _Split:
    """``---`` and ``key: value`` lines but no closing ``---``: an SOP page's YAML up to the first
    blank line or heading, reported; anything else is Markdown (a rule and text)."""
    lines = core.split("\n")
    end = 1
    while end < len(lines) and lines[end].strip() and not _MD_HEADING.match(lines[end]):
        end += 1
    yaml_text = "\n".join(lines[1:end]) + "\n"
    if not _OURS.search(yaml_text):
        return _Split(None, text, 1, 1)
    body = "\n".join(lines[end:]).lstrip("\n")
    body_line = skipped + len(core.split("\n")) - len(body.split("\n")) + 1
    note = (
        skipped + 1,
        "unclosed-front-matter",
        f"the front-matter opened by `---` on line {skipped + 1} is never closed, so MkDocs would show it as"
        f" text: add a line `---` after line {skipped + end} (its last `key: value` line)",
        Severity.ERROR,
    )
    return _Split(yaml_text, body, skipped + 2, body_line, False, [note])


def parse_source(source: Source) -> Parsed:
    """Read one file's front-matter into a Process or Procedure (or nothing, for other pages)."""
    split = _split(source.text)
    yaml_text, body, first_line, body_line = split.yaml_text, split.body, split.first_line, split.body_line
    if yaml_text is None:
        parsed = Parsed(None, body)
        if "<!--" in body:
            _add_problems(parsed, _marker_problems(source, quiz_markers(body, body_line), procedure=False))
        return parsed
    parsed = _parse_yaml(source, yaml_text, body, first_line, body_line)
    _add_problems(parsed, [_problem(source, *note) for note in split.notes])
    if not split.mkdocs_reads_it:
        parsed.front_matter_ok = False
    if not isinstance(parsed.document, Procedure) and "<!--" in body:
        _add_problems(parsed, _marker_problems(source, quiz_markers(body, body_line), procedure=False))
    return parsed


def _add_problems(parsed: Parsed, problems: list[Problem]) -> None:
    if problems:
        parsed.problems = sorted([*parsed.problems, *problems], key=lambda problem: problem.line)
        if parsed.document is not None:
            parsed.document.problems = parsed.problems


def _parse_yaml(source: Source, yaml_text: str, body: str, first_line: int, body_line: int) -> Parsed:
    loaded = yamlfile.load(yaml_text, first_line)
    fm_line = first_line - 1
    if isinstance(loaded, yamlfile.YamlError):
        problem = _problem(source, loaded.line, "yaml-syntax", f"front-matter is not valid YAML: {loaded.message}")
        # Without readable YAML we cannot be sure of the page's kind; an SOP-looking page is kept
        # with what a line scan can recover, so it still shows up in its place (and shows the problem).
        fallback = _fallback_document(source, yaml_text, body, fm_line)
        if fallback is not None:
            fallback.problems.append(problem)
        return Parsed(fallback, body, [problem], front_matter_ok=False)
    data, lines, duplicates = loaded
    if not isinstance(data, dict):
        # `---` lines around text are also Markdown rules; only complain when it looks like ours.
        if data is None or not _OURS.search(yaml_text):
            return Parsed(None, body)
        problem = _problem(
            source,
            fm_line,
            "not-a-mapping",
            f"front-matter must be `key: value` lines (e.g. `process: {_scan(yaml_text, 'process') or 'my-process'}`),"
            f" not {kind_of(data)}",
        )
        return Parsed(None, body, [problem], front_matter_ok=False)
    page_type = str(data.get("type", "")).strip().casefold()
    if page_type == "process" or ("process" not in data and _near_process(page_type)):
        reader = _Reader(source, data, lines, fm_line)
        doc: Process | Procedure = reader.process(body)
    elif "process" in data:
        reader = _Reader(source, data, lines, fm_line)
        doc = reader.procedure(body, body_line)
    else:
        return Parsed(None, body)
    for dup in duplicates:
        reader.warn(
            dup.line,
            "duplicate-key",
            f"`{dup.key}` is set twice (first on line {dup.first_line}); the last value wins: delete one of them",
        )
    reader.problems.sort(key=lambda problem: problem.line)
    doc.problems = reader.problems
    return Parsed(doc, body, reader.problems)


def _near_process(page_type: str) -> bool:
    # Other plugins use `type` too (`type: post`, `type: procedure`); only a typo of `process` is ours.
    return bool(page_type) and difflib.SequenceMatcher(None, page_type, "process").ratio() >= 0.85


def inline_quizzes(body: str, body_first_line: int) -> list[tuple[str, int]]:
    """``<!-- quiz: id -->`` lines outside code fences, with their file lines."""
    return [(quiz, line) for quiz, line, placed in quiz_markers(body, body_first_line) if placed]


def quiz_markers(body: str, body_first_line: int) -> list[tuple[str, int, bool]]:
    """Every quiz marker outside code fences: (id, file line, placed?); not placed when indented
    four spaces or more (Markdown shows it as code). Markers in fenced code are documentation."""
    if "<!--" not in body:
        return []
    return [
        (match.group(1), body_first_line + number, INLINE_QUIZ.match(line) is not None)
        for number, line in _unfenced_lines(body)
        if "<!--" in line and (match := _ANY_QUIZ_MARKER.match(line))
    ]


def _marker_problems(source: Source, markers: list[tuple[str, int, bool]], procedure: bool) -> list[Problem]:
    problems = []
    for quiz, line, placed in markers:
        if not procedure:
            problems.append(
                _problem(
                    source,
                    line,
                    "quiz-outside-procedure",
                    f"`<!-- quiz: {quiz} -->` is on a page that is not a procedure, so no quiz is shown here:"
                    " move the marker to a procedure (a page with `process:`), or add the quiz to a track",
                    Severity.WARNING,
                )
            )
        elif not placed:
            problems.append(
                _problem(
                    source,
                    line,
                    "quiz-marker-indented",
                    f"`<!-- quiz: {quiz} -->` is indented four spaces or more, so Markdown shows it as code (or it"
                    " sits in an admonition, list or tab, where quizzes are not supported) and no quiz is shown:"
                    " remove the indentation",
                    Severity.WARNING,
                )
            )
    return problems


def first_heading(body: str) -> str | None:
    """The text of the first ``# heading`` outside code fences, without a trailing ``{#id .class}``."""
    if "```" not in body and "~~~" not in body:
        match = _HEADING.search(body)
        return _heading_text(match.group(1)) if match else None
    for _, line in _unfenced_lines(body):
        if line.startswith("#") and (match := _HEADING.match(line)):
            return _heading_text(match.group(1))
    return None


def _heading_text(text: str) -> str:
    return _ATTR_LIST.sub("", text).strip()


def _unfenced_lines(body: str) -> Iterator[tuple[int, str]]:
    """(0-based line number, line) for the lines outside fenced code blocks (CommonMark rules:
    any indentation, so fences inside admonitions and tabs count; an unclosed fence runs to the end)."""
    fence: str | None = None
    for number, line in enumerate(body.split("\n")):
        stripped = line.lstrip(" \t")
        if fence is None:
            opening = _FENCE.match(stripped)
            if opening and not (opening.group(1)[0] == "`" and "`" in stripped[len(opening.group(1)) :]):
                fence = opening.group(1)
                continue
            yield number, line
        elif stripped.startswith(fence) and not stripped.rstrip().lstrip(fence[0]):
            fence = None


def did_you_mean(word: str, choices: object) -> str:
    close = difflib.get_close_matches(str(word), [str(choice) for choice in choices], n=1, cutoff=0.6)  # type: ignore[attr-defined]
    return f"; did you mean `{close[0]}`?" if close else ""


def _problem(source: Source, line: int, code: str, message: str, severity: Severity = Severity.ERROR) -> Problem:
    return Problem(source.path, max(line, 1), severity, code, message)


def _fallback_document(source: Source, yaml_text: str, body: str, fm_line: int) -> Process | Procedure | None:
    """A document from unreadable YAML: the kind, id, title, process and stage a line scan finds."""
    page_type = (_scan(yaml_text, "type") or "").casefold()
    process = _scan(yaml_text, "process")
    if not process and not _near_process(page_type):
        return None
    common: dict[str, Any] = {
        "title": _scan(yaml_text, "title") or first_heading(body) or _title_from_path(source.src_uri),
        "src_uri": source.src_uri,
        "path": source.path,
        "line": max(fm_line, 1),
    }
    if not process:
        return Process(id=_scan(yaml_text, "id") or _default_process_id(source.src_uri), **common)
    return Procedure(
        id=_scan(yaml_text, "id") or _default_procedure_id(source.src_uri),
        process=process,
        stage=_scan(yaml_text, "stage"),
        **common,
    )


def _scan(yaml_text: str, key: str) -> str | None:
    """The plain value of a top-level ``key: value`` line, for YAML that cannot be loaded."""
    match = re.search(rf"^{key}[ \t]*:[ \t]*(?P<value>[^\s'\"#&*!|>{{\[][^#\n]*?)[ \t]*$", yaml_text, re.MULTILINE)
    return match.group("value") if match else None


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
                self.missing(key, what)
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.error(self.line(key), "wrong-type", f"`{key}` must be text, not {kind_of(value)}")
            return None
        raw = self.lines.child(key).raw
        text = raw if raw is not None and not isinstance(value, str) else str(value)
        if not text.strip():
            if required:
                self.missing(key, what)
            return None
        return text.strip()

    def missing(self, key: str, what: str) -> None:
        """A required key that is absent (reported on the front-matter) or empty (on its line)."""
        if key in self.data:
            self.error(self.line(key), "missing-key", f"`{key}` is empty; it is required{what}")
        else:
            self.error(self.fm_line, "missing-key", f"`{key}` is required{what}")

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

    def interval(self, key: str) -> Interval | None:
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

    def boolean(self, key: str) -> bool | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, bool):
            self.error(self.line(key), "wrong-type", f"`{key}` must be `true` or `false`, not {kind_of(value)}")
            return None
        return value

    def placeholders(self, body: str, body_line: int, status: DocStatus) -> list[int]:
        """Lines of the body that still hold ``sop-hub new``'s placeholder text (a warning when active)."""
        if PLACEHOLDER_MARK not in body:
            return []
        lines = [body_line + number for number, line in _unfenced_lines(body) if PLACEHOLDER_MARK in line]
        if status is DocStatus.ACTIVE:
            for line in lines:
                self.warn(
                    line,
                    "template-text",
                    "this line still holds the template's placeholder text, and the document is active: write the"
                    f" real text and delete `{PLACEHOLDER_MARK}`, or keep the document `status: draft`",
                )
        return lines

    def owner(self, key: str, *, required: bool) -> Owner | None:
        value = self.data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.missing(key, f": one named person, e.g. `{key}: Jane Doe`")
            return None
        return self.person(value, self.lines.child(key), key)

    def unknown_nested_keys(
        self, mapping: dict[Any, Any], lines: yamlfile.Lines, known: set[str], what: str, has: str
    ) -> None:
        """Warn about keys of a person or stage mapping that are not ``known``, on their own line."""
        for name in mapping:
            if name not in known:
                self.warn(
                    lines.at(name),
                    "unknown-key",
                    f"{what} has unknown key `{name}` (ignored); {has}{did_you_mean(name, sorted(known))}",
                )

    def person(self, value: object, lines: yamlfile.Lines, key: str) -> Owner | None:
        example = f"`{key}: Jane Doe`, `{key}: Jane Doe <jane@example.com>` or `{{name, role, email}}`"
        line = lines.line
        if isinstance(value, dict):
            self.unknown_nested_keys(value, lines, _OWNER_KEYS, f"`{key}`", "a person has `name`, `role` and `email`")
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
            self.error(line, "invalid-owner", f"`{key}` must be one named person, not a list; {_one_person(key)}")
            return None
        if not isinstance(value, str):
            self.error(line, "invalid-owner", f"`{key}` must be a person: {example}")
            return None
        match = _OWNER_TEXT.match(value)
        if (
            not match
            or _SEVERAL_PEOPLE.search(match.group("name"))
            or (not match.group("email") and _BAD_EMAIL.search(value))
        ):
            self.error(
                line,
                "invalid-owner",
                f"`{key}: {value}` must be one named person (e.g. Jane Doe <jane@example.com>); {_one_person(key)}",
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
            hint = did_you_mean(str(value).casefold(), [s.value for s in DocStatus])
            self.error(self.line("status"), "invalid-status", f"`status: {value}` is not one of {choices}{hint}")
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
    def common(self, body: str, default_id: Callable[[str], str]) -> dict[str, Any]:
        title = self.text("title") or first_heading(body) or _title_from_path(self.source.src_uri)
        status = self.status()
        superseded_by = self.text("superseded_by")
        if superseded_by:
            status = DocStatus.RETIRED
        last_reviewed_on = self.date("last_reviewed_on")
        written = self.data.get("last_reviewed_on")
        if (written is None or written == "") and status is not DocStatus.DRAFT:
            self.missing(
                "last_reviewed_on",
                " (e.g. `last_reviewed_on: 2026-01-31`), unless the document is a draft (`status: draft`)",
            )
        tags = self.text_list("tags")
        approved_by = self.owner("approved_by", required=False)
        approved_on = self.date("approved_on")
        if "approved_by" in self.data and approved_on is None and self.data.get("approved_on") is None:
            self.error(
                self.line("approved_by"),
                "missing-key",
                "`approved_by` needs `approved_on`, the date of the approval: add e.g. `approved_on: 2026-01-31`",
            )
        if "approved_on" in self.data and self.data.get("approved_by") is None:
            self.error(
                self.line("approved_on"),
                "missing-key",
                "`approved_on` needs `approved_by`, the person who approved the document: add e.g."
                " `approved_by: Jane Doe`",
            )
        return {
            "id": self.text("id") or default_id(self.source.src_uri),
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
            "approved_by": approved_by,
            "approved_on": approved_on,
            "reviewed_by": self.owner("reviewed_by", required=False),
            "acknowledge": self.boolean("acknowledge"),
            "lines": {str(key): child.line for key, child in self.lines.keys.items()},
            "line": self.fm_line,
        }

    def procedure(self, body: str, body_line: int) -> Procedure:
        self.unknown_keys(PROCEDURE_KEYS)
        fields = self.common(body, _default_procedure_id)
        quizzes = self.text_list("quiz")
        markers = quiz_markers(body, body_line)
        self.problems += _marker_problems(self.source, markers, procedure=True)
        fields["placeholders"] = self.placeholders(body, body_line, fields["status"])
        return Procedure(
            **fields,
            process=self.text("process", required=True, what=": the id of the process this procedure belongs to") or "",
            stage=self.text("stage"),
            quizzes=quizzes,
            inline_quizzes=[(quiz, line) for quiz, line, placed in markers if placed],
        )

    def process(self, body: str) -> Process:
        if str(self.data.get("type")).strip().casefold() != "process":
            self.error(
                self.line("type"),
                "invalid-type",
                f"`type: {self.data.get('type')}`: did you mean `type: process`?",
            )
        self.unknown_keys(PROCESS_KEYS)
        fields = self.common(body, _default_process_id)
        return Process(
            **fields,
            purpose=self.text("purpose"),
            trigger=self.text("trigger"),
            inputs=self.text_list("inputs"),
            outputs=self.text_list("outputs"),
            kpis=self.text_list("kpis"),
            stages=self.stages(),
            hands_off_to=self.hands_off_to(fields["id"]),
        )

    def hands_off_to(self, own_id: str) -> list[str]:
        """Each receiving process once, never the process itself (each a warning on its line)."""
        targets: list[str] = []
        node = self.lines.child("hands_off_to")
        many = isinstance(self.data.get("hands_off_to"), list)
        for index, target in enumerate(self.text_list("hands_off_to")):
            line = node.child(index).line if many else node.line
            target = target.strip()
            if target == own_id:
                self.warn(
                    line,
                    "hands-off-to-itself",
                    f"`hands_off_to` names this process itself (`{target}`); list the processes that take over"
                    " from it: delete this entry",
                )
            elif target in targets:
                self.warn(line, "duplicate-hand-off", f"`hands_off_to` lists `{target}` twice: delete this entry")
            elif target:
                targets.append(target)
        return targets

    def stages(self) -> list[Stage]:
        value = self.data.get("stages")
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(
                self.line("stages"), "wrong-type", "`stages` must be a list, e.g. `stages: [Record, Investigate]`"
            )
            return []
        stages: list[Stage] = []
        node = self.lines.child("stages")
        for index, item in enumerate(value):
            line = node.child(index).line
            stage = self.stage(item, node.child(index))
            if stage is None:
                continue
            if any(other.id == stage.id for other in stages):
                self.error(line, "duplicate-stage", f"stage `{stage.id}` is listed twice; stage ids must be unique")
                continue
            stages.append(stage)
        return stages

    def stage(self, item: object, lines: yamlfile.Lines) -> Stage | None:
        line = lines.line
        example = "a title (`- Record`) or a mapping (`- {id: record, title: Record, owner: Jane Doe}`)"
        if isinstance(item, (str, int, float)) and not isinstance(item, bool):
            title = str(item).strip()
            return Stage(id=slugify(title) or title, title=title) if title else None
        if not isinstance(item, dict):
            self.error(line, "wrong-type", f"a stage must be {example}")
            return None
        self.unknown_nested_keys(
            item, lines, _STAGE_KEYS, "stage", "a stage has `id`, `title`, `owner` and `description`"
        )
        raw_title, raw_id = item.get("title"), item.get("id")
        if isinstance(raw_title, (list, dict)) or isinstance(raw_id, (list, dict)):
            self.error(line, "wrong-type", f"a stage's `id` and `title` must be text: {example}")
            return None
        if not raw_title and not raw_id:
            self.error(line, "invalid-stage", f"a stage needs a `title` or an `id`: {example}")
            return None
        stage_id = str(raw_id).strip() if raw_id else None
        title = str(raw_title or stage_id).strip()
        owner = self.person(item["owner"], lines.child("owner"), "owner") if item.get("owner") is not None else None
        description = item.get("description")
        return Stage(
            id=stage_id or slugify(title) or title,
            title=title,
            owner=owner,
            description=str(description).strip() if description else None,
        )


def _one_person(key: str) -> str:
    return "name a second person in `backup_owner`" if key in ("owner", "backup_owner") else "name one person"


def kind_of(value: object) -> str:
    """What a YAML value is, for messages ("`owner` must be text, not a list"); shared by every rule."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, date):
        return "a date"
    if value is None:
        return "empty"
    if isinstance(value, str):
        return repr(value[:40])
    return type(value).__name__
