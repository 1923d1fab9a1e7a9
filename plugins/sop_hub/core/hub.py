"""Load a whole hub from disk: Markdown sources, quiz files, catalog. Shared by plugin and CLI.

Parsing is cached by (modification time, size) so ``mkdocs serve`` re-reads only what changed.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sop_hub.core.catalog import Catalog, build_catalog
from sop_hub.core.history import FileHistory, History, HistoryStatus, body_revision
from sop_hub.core.metadata import Parsed, Source, parse_source
from sop_hub.core.model import Problem, Severity
from sop_hub.core.quiz import QuizBook, load_quiz_book
from sop_hub.core.review import DEFAULT_CHANGES_DAYS, InvalidValue, ReviewSettings, parse_interval, resolve_as_of


@dataclass(slots=True)
class Hub:
    catalog: Catalog
    quizzes: QuizBook
    parsed: dict[str, Parsed]  # by src_uri
    texts: dict[str, str]  # src_uri -> source text (for page revisions)
    changed: set[str]  # src_uris (re)read in this load; all of them on a first load
    history: History | None = None  # the docs folder's git history, when the caller read it
    histories: dict[str, FileHistory] = field(default_factory=dict)  # src_uri -> its history (documents)

    def file_history(self, src_uri: str) -> FileHistory:
        """A page's history, revision and effective date (without git history: its body hash)."""
        found = self.histories.get(src_uri)
        if found is not None:
            return found
        if self.history is not None:
            return self.history.for_file(src_uri, self.texts.get(src_uri, ""))
        return _without_history(src_uri, self.texts.get(src_uri, ""))

    @property
    def problems(self) -> list[Problem]:
        return sorted([*self.catalog.problems, *self.quizzes.problems], key=lambda p: (p.path, p.line, p.code))


@dataclass(slots=True)
class SourceCache:
    entries: dict[str, tuple[tuple[int, int], str, Parsed]] = field(default_factory=dict)

    def parse(self, src_uri: str, abs_path: str, rel_path: str) -> tuple[Parsed, str, bool]:
        """(parsed, text, changed?) for one file, re-reading it only when it changed on disk."""
        try:
            stat = os.stat(abs_path)
            stamp = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            stamp = (-1, -1)
        # Keyed by absolute path: MkDocs keeps one plugin instance per process, across projects.
        cached = self.entries.get(abs_path)
        if cached and cached[0] == stamp and stamp != (-1, -1):
            return cached[2], cached[1], False
        try:
            text = read_text(abs_path)
        except Unreadable as error:
            problem = Problem(rel_path, error.line, Severity.ERROR, "unreadable", str(error))
            parsed, text = Parsed(None, "", [problem], front_matter_ok=False), ""
        else:
            parsed = parse_source(Source(src_uri, rel_path, text))
        self.entries[abs_path] = (stamp, text, parsed)
        return parsed, text, True


class Unreadable(Exception):
    """A Markdown file that cannot be read as text; the message says why and what to do."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.line = line


def read_text(abs_path: str) -> str:
    """A Markdown file's text as MkDocs reads it (UTF-8, a BOM dropped, universal newlines).

    Raises ``Unreadable`` with a message that says what to do about the file.
    """
    try:
        with open(abs_path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        if os.path.islink(abs_path):
            target = os.readlink(abs_path)
            raise Unreadable(
                f"the file is a link to `{target}`, which does not exist: point the link at an existing file"
                " or delete it"
            ) from None
        raise Unreadable("the file disappeared while the hub was read: build again") from None
    except PermissionError:
        raise Unreadable(
            "cannot read the file (permission denied): make it readable for the user who builds the site,"
            " e.g. `chmod a+r`"
        ) from None
    except OSError as error:
        raise Unreadable(f"cannot read the file ({error.strerror or error}): check the file and build again") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        if _looks_binary(data):
            raise Unreadable(
                "the file is not text (it looks like a binary file, e.g. an image, with a Markdown name):"
                " give it its real extension, or save the page as UTF-8 text",
                line,
            ) from None
        raise Unreadable(
            f"the file is not UTF-8 (byte 0x{data[error.start]:02x} on line {line} is not valid UTF-8; it was"
            " probably saved as Latin-1 or Windows-1252): save it as UTF-8",
            line,
        ) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\x0c\x1b")


def _looks_binary(data: bytes) -> bool:
    """NUL or other control bytes, which text in a legacy encoding (Latin-1, cp1252) does not have."""
    head = data[:4096]
    return len(head) - len(head.translate(None, _CONTROL_BYTES)) > max(1, len(head) // 100)


def settings_from(
    *,
    as_of_flag: str | None,
    as_of: object,
    due_soon: str,
    procedure: str,
    process: str,
    require_approval: object = False,
    changes_days: object = DEFAULT_CHANGES_DAYS,
) -> ReviewSettings:
    """The hub's settings from config values; raises ``InvalidValue`` naming the bad setting."""
    if not isinstance(require_approval, bool):
        raise InvalidValue(f"sop-hub config `require_approval` must be `true` or `false`, not `{require_approval}`")
    days = changes_days
    if isinstance(changes_days, bool) or not isinstance(changes_days, int) or changes_days < 1:
        raise InvalidValue(f"sop-hub config `changes_days` must be a whole number of days (1 or more), not `{days}`")
    try:
        when = resolve_as_of(as_of_flag, as_of)  # type: ignore[arg-type]
    except InvalidValue:
        raise
    values = {}
    for name, value in (("due_soon", due_soon), ("review_in.procedure", procedure), ("review_in.process", process)):
        try:
            values[name] = parse_interval(value)
        except InvalidValue as error:
            raise InvalidValue(f"sop-hub config `{name}`: {error}") from None
    return ReviewSettings(
        as_of=when,
        due_soon=values["due_soon"],
        procedure_interval=values["review_in.procedure"],
        process_interval=values["review_in.process"],
        require_approval=require_approval,
        changes_days=changes_days,
    )


def load_hub(
    pages: Iterable[tuple[str, str]],
    *,
    root: Path,
    quizzes_dir: Path,
    settings: ReviewSettings,
    cache: SourceCache | None = None,
    history: History | None = None,
) -> Hub:
    """Read ``pages`` (src_uri, absolute path) and the quizzes folder into one validated Hub.

    With ``history`` (``core.history.read_history``), each document's revision and effective date
    come from git; without, the revision is the body's content hash (SPEC §8).
    """
    cache = cache or SourceCache()
    parsed: dict[str, Parsed] = {}
    texts: dict[str, str] = {}
    changed: set[str] = set()
    prefix = os.path.join(os.path.abspath(root), "")
    for src_uri, abs_path in pages:
        rel = _relative(abs_path, prefix)
        result, text, was_changed = cache.parse(src_uri, abs_path, rel)
        parsed[src_uri], texts[src_uri] = result, text
        if was_changed:
            changed.add(src_uri)
    quizzes = load_quiz_book(quizzes_dir, root)
    catalog = build_catalog(parsed.values(), settings, quiz_ids=quizzes.quizzes.keys())
    # Problems of pages that are not documents (ordinary pages with broken YAML) count too.
    stray = [p for result in parsed.values() if result.document is None for p in result.problems]
    catalog.problems = sorted([*catalog.problems, *stray], key=lambda p: (p.path, p.line, p.code))
    hub = Hub(catalog=catalog, quizzes=quizzes, parsed=parsed, texts=texts, changed=changed, history=history)
    for doc in catalog.by_src.values():
        text = texts.get(doc.src_uri, "")
        found = history.for_file(doc.src_uri, text) if history is not None else _without_history(doc.src_uri, text)
        hub.histories[doc.src_uri] = found
        doc.revision, doc.effective_on = found.revision, found.effective_on
    return hub


def _without_history(src_uri: str, text: str) -> FileHistory:
    """What a page has when nobody read the git history: its body's content hash as revision."""
    return FileHistory(src_uri, HistoryStatus.NOT_A_REPOSITORY, (), body_revision(text), None)


# The Markdown extensions MkDocs builds pages from: a copy of ``mkdocs.utils.markdown_extensions``
# (a test keeps them equal), so the core and the CLI need not import MkDocs.
MARKDOWN_EXTENSIONS = (".markdown", ".mdown", ".mkdn", ".mkd", ".md")


def markdown_pages(docs_dir: Path) -> list[tuple[str, str]]:
    """Every Markdown file under docs_dir as (src_uri, absolute path): what the CLI reads.

    Walks as ``mkdocs.structure.files.get_files`` does (following folder links, sorted) and skips
    dot-folders and dot-files, MkDocs's default exclusion ``.*``; ``templates/`` and the configured
    exclusions are the project's (``core.project.Project.pages``).
    """
    found = []
    for folder, dirs, files in os.walk(docs_dir, followlinks=True):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or not name.endswith(MARKDOWN_EXTENSIONS):
                continue
            abs_path = os.path.join(folder, name)
            found.append((Path(abs_path).relative_to(docs_dir).as_posix(), abs_path))
    return found


def _relative(abs_path: str, prefix: str) -> str:
    """The path for messages and registers: relative to the project root, with ``..`` when the
    docs are outside it (``docs_dir: ../shared-docs``), never the build machine's absolute path.

    A prefix strip first, not os.path.relpath: it runs once per file on every (re)build.
    """
    if abs_path.startswith(prefix):
        abs_path = abs_path[len(prefix) :]
    elif os.path.isabs(abs_path):
        with contextlib.suppress(ValueError):  # another drive on Windows: no relative path exists
            abs_path = os.path.relpath(abs_path, prefix)
    return abs_path.replace(os.sep, "/")
