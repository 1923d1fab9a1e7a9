"""Document control from git (SPEC §8): each page's revision history, revision and effective date.

    history = read_history(docs_dir, files)        # a few git processes for the whole docs folder
    if history.hint:
        log.info(history.hint)                     # one line: why there is no history, how to get it
    page = history.for_file("finance/approve.md", markdown)
    page.revisions, page.revision, page.effective_on
    history.changes(since=as_of - timedelta(days=30), until=as_of)

Cost: ``git rev-parse`` and ``git status`` on every call, and one ``git log`` of the whole docs
folder when HEAD moved since the last call in this process (``mkdocs serve`` rebuilds without a
new commit re-read no log; a commit made while serving shows on the next rebuild). Never one
process per file: that is what makes the per-page git-date plugins slow.

Choices an auditor can rely on:

- **Dates** are the committer date, in the committer's own time zone (the calendar day their
  clock showed, as ``git log --date=short`` prints it). The committer date is when a change
  entered the history (a rebased or cherry-picked change is effective when it landed, not when
  it was first written); the author is still the person who wrote it.
- **Merges**: every non-merge commit that changed the file, on any branch merged into HEAD (what
  ``git log -- FILE`` shows); merge commits themselves are not rows (their subject is "Merge
  branch ..."; a conflict resolution that edits a page is not shown).
- **Renames** are followed (``-M``): a moved file keeps its history. A pure move (the same
  content) is a row, but does not change the revision: moving a folder must not send every
  reader back to retake a quiz.
- **Editorial**: a commit whose message ends with the trailer ``Sop-Change: editorial`` (read
  as ``git interpret-trailers`` does: the last paragraph, not the subject, key case-insensitive).
- **Revision** of a document: the short hash (7 hex digits, fixed so it never changes when the
  repository grows) of the latest non-editorial commit that changed its content; its **effective
  date** that commit's date. When every commit is editorial, the first (the one that created the
  file) counts. Without history, the revision is the first 7 hex digits of the SHA-256 of the
  Markdown body (the UTF-8 text after the front-matter) and there is no effective date.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path

from sop_hub.core.metadata import split_front_matter

SHORT_HASH = 7
EDITORIAL_KEY = "sop-change"
EDITORIAL_VALUE = "editorial"
UNCOMMITTED = "uncommitted changes"


class HistoryStatus(StrEnum):
    """Whether revision history could be read (for the whole docs folder or for one file)."""

    OK = "ok"
    NO_GIT = "no-git"  # no git executable on PATH
    NOT_A_REPOSITORY = "not-a-repository"
    NOT_TRACKED = "not-tracked"  # the repository has no commit that touches the docs (or this file)
    SHALLOW = "shallow"  # a shallow clone: the history is cut off, so none is shown
    GIT_FAILED = "git-failed"  # git ran and failed (e.g. "dubious ownership" in a container)


_HINTS = {
    HistoryStatus.NO_GIT: "git is not installed here; install git on the build machine",
    HistoryStatus.NOT_A_REPOSITORY: "{docs} is not in a git repository; build from a git clone",
    HistoryStatus.NOT_TRACKED: "git has no commit that touches {docs}; commit the docs",
    HistoryStatus.SHALLOW: (
        "the git clone is shallow; fetch the full history (CI: `fetch-depth: 0` for actions/checkout, "
        "`GIT_DEPTH: 0` on GitLab)"
    ),
    HistoryStatus.GIT_FAILED: "git failed ({detail}); run `git status` in {docs} to see why",
}


@dataclass(frozen=True, slots=True)
class Revision:
    """One row of a page's history: a commit that changed the file (or its uncommitted edits)."""

    hash: str  # full hash; "" for the uncommitted pseudo-revision
    date: date | None  # committer date in the committer's time zone; None when uncommitted
    author: str
    summary: str  # the commit subject
    editorial: bool = False
    renamed_from: str | None = None  # the path (under docs) before this commit moved the file
    content_changed: bool = True  # False for a pure move
    order: int = 0  # position in the log, newest first (sorts changes of the same day)

    @property
    def short(self) -> str:
        return self.hash[:SHORT_HASH]

    @property
    def uncommitted(self) -> bool:
        return not self.hash


@dataclass(frozen=True, slots=True)
class FileHistory:
    """What the header and the history section of one page show."""

    src_uri: str
    status: HistoryStatus
    revisions: tuple[Revision, ...]  # newest first; the uncommitted pseudo-revision first when any
    revision: str  # short hash, or the body's content hash without history
    effective_on: date | None

    @property
    def available(self) -> bool:
        """True when the page can show a history from git (False: "history unavailable")."""
        return self.status is HistoryStatus.OK


@dataclass(frozen=True, slots=True)
class Change:
    """One row of the changes page: a commit that changed a document."""

    date: date
    src_uri: str
    revision: Revision


@dataclass(slots=True)
class History:
    """The docs folder's history as read once per build; ask it per file."""

    docs_dir: Path
    status: HistoryStatus
    hint: str = ""  # one line for the build log when the history is unavailable, else ""
    files: frozenset[str] = frozenset()
    _log: dict[str, list[Revision]] = field(default_factory=dict)  # path at HEAD -> newest first
    _uncommitted: frozenset[str] = frozenset()  # paths under docs with changes not committed
    _staged_moves: dict[str, str] = field(default_factory=dict)  # new path -> path at HEAD

    def for_file(self, src_uri: str, markdown: str | None = None) -> FileHistory:
        """History, revision and effective date of one page (``markdown``: its text, else read)."""
        if self.status is not HistoryStatus.OK:
            return FileHistory(src_uri, self.status, (), _fallback(self.docs_dir, src_uri, markdown), None)
        committed = self._log.get(self._staged_moves.get(src_uri, src_uri), [])
        rows = tuple(committed)
        if src_uri in self._uncommitted:
            rows = (Revision("", None, "", UNCOMMITTED), *rows)
        counted = document_revision(committed)
        if counted is None:
            return FileHistory(
                src_uri, HistoryStatus.NOT_TRACKED, rows, _fallback(self.docs_dir, src_uri, markdown), None
            )
        return FileHistory(src_uri, HistoryStatus.OK, rows, counted.short, counted.date)

    def changes(self, since: date, until: date) -> list[Change]:
        """Every commit that changed one of ``files`` from ``since`` to ``until`` (both included), newest first."""
        found = [
            Change(row.date, src_uri, row)
            for src_uri in self.files
            for row in self._log.get(self._staged_moves.get(src_uri, src_uri), ())
            if row.date is not None and since <= row.date <= until
        ]
        found.sort(key=lambda change: (-change.date.toordinal(), change.revision.order, change.src_uri))
        return found


def document_revision(revisions: Sequence[Revision]) -> Revision | None:
    """The commit that sets a document's revision: the latest non-editorial content change.

    ``revisions`` newest first. When every commit is editorial, the oldest (the creation) counts.
    """
    committed = [row for row in revisions if not row.uncommitted]
    for row in committed:
        if not row.editorial and row.content_changed:
            return row
    return committed[-1] if committed else None


def body_revision(markdown: str) -> str:
    """The revision of a page without history: 7 hex digits of SHA-256 of its body's UTF-8 text."""
    _, body, _ = split_front_matter(markdown)
    return hashlib.sha256(body.encode("utf-8", "surrogateescape")).hexdigest()[:SHORT_HASH]


def _fallback(docs_dir: Path, src_uri: str, markdown: str | None) -> str:
    if markdown is None:
        try:
            markdown = (docs_dir / src_uri).read_bytes().decode("utf-8", "surrogateescape")
        except OSError:
            markdown = ""
    return body_revision(markdown)


# -- trailers ---------------------------------------------------------------------------------------

_GIT_GENERATED = ("Signed-off-by: ", "(cherry picked from commit ")
_COMMENT = "#"


def parse_trailers(message: str) -> list[tuple[str, str]]:
    """The trailers of a commit message as ``git interpret-trailers --parse --no-divider`` reads them.

    The trailer block is the message's last paragraph, never its first (the subject's): every
    line is ``Key: value`` (or a continuation line starting with whitespace), or at least a
    quarter are and one is git-generated (``Signed-off-by:``, ``(cherry picked from commit``).
    Keys are letters, digits and ``-``; whitespace before the ``:`` is allowed. Comment lines
    (``#``) are ignored. Returns (key as written, value with continuations joined by a space).
    """
    lines = message.replace("\r\n", "\n").split("\n")
    end_of_title = len(lines)
    for index, line in enumerate(lines):
        if line.startswith(_COMMENT):
            continue
        if not line.strip():
            end_of_title = index
            break
    start = _trailer_block_start(lines, end_of_title)
    if start is None:
        return []
    trailers: list[list[str]] = []  # [key, value]: a continuation line extends the last value
    for line in lines[start:]:
        if line.startswith(_COMMENT) or not line.strip():
            continue
        if line[0].isspace():
            if trailers:
                trailers[-1][1] = f"{trailers[-1][1]} {line.strip()}".strip()
            continue
        separator = _separator(line)
        if separator >= 1:
            trailers.append([line[:separator].strip(), line[separator + 1 :].strip()])
    return [(key, value) for key, value in trailers]


def _trailer_block_start(lines: list[str], end_of_title: int) -> int | None:
    """Index of the trailer block's first line, or None (git's ``find_trailer_block_start``)."""
    only_spaces = True
    trailer_lines = non_trailer_lines = possible_continuations = 0
    recognized = False
    for index in range(len(lines) - 1, end_of_title - 1, -1):
        line = lines[index]
        if line.startswith(_COMMENT):
            non_trailer_lines += possible_continuations
            possible_continuations = 0
            continue
        if not line.strip():
            if only_spaces:
                continue
            non_trailer_lines += possible_continuations
            if (recognized and trailer_lines * 3 >= non_trailer_lines) or (trailer_lines and not non_trailer_lines):
                return index + 1
            return None
        only_spaces = False
        if line.startswith(_GIT_GENERATED):
            trailer_lines += 1
            possible_continuations = 0
            recognized = True
        elif _separator(line) >= 1 and not line[0].isspace():
            trailer_lines += 1
            possible_continuations = 0
        elif line[0].isspace():
            possible_continuations += 1
        else:
            non_trailer_lines += 1 + possible_continuations
            possible_continuations = 0
    return None


def _separator(line: str) -> int:
    """Position of the ``:`` after a trailer key, or -1 (git's ``find_separator``)."""
    whitespace_found = False
    for index, char in enumerate(line):
        if char == ":":
            return index
        if not whitespace_found and (char.isascii() and (char.isalnum() or char == "-")):
            continue
        if index and char in " \t":
            whitespace_found = True
            continue
        break
    return -1


def is_editorial(message: str) -> bool:
    """True when the message's trailers say ``Sop-Change: editorial`` (the last Sop-Change counts)."""
    values = [value for key, value in parse_trailers(message) if key.casefold() == EDITORIAL_KEY]
    return bool(values) and values[-1].casefold() == EDITORIAL_VALUE


# -- reading git --------------------------------------------------------------------------------------

_RECORD = "\x1e"
_FIELD = "\x1f"
_LOG_FORMAT = "%x1e%H%x1f%cI%x1f%an%x1f%B"
_STATUS = re.compile(r"^[ACDMRTUX]\d*$")


@dataclass(frozen=True, slots=True)
class _Repo:
    prefix: str  # the docs folder's path in the repository, "" or ending in "/"
    git_dir: str
    head: str  # "" when HEAD has no commit yet
    shallow: bool


HEAD = "HEAD"
_LOG_CACHE: dict[tuple[str, str, str], dict[str, list[Revision]]] = {}


def read_history(docs_dir: Path, files: Iterable[str], *, git: str = "git") -> History:
    """Read the history of every file under ``docs_dir`` (``files``: the pages, relative, with ``/``).

    Two git processes when HEAD has not moved since the last call in this process, three when it
    has. Never raises for a missing git or repository: the status and hint say what is missing.
    """
    docs_dir = Path(docs_dir)
    wanted = frozenset(files)
    repo, failure = _probe(docs_dir, git)
    if repo is None:
        status, detail = failure
        return History(docs_dir, status, _hint(status, docs_dir, detail), wanted)
    if repo.shallow:
        return History(docs_dir, HistoryStatus.SHALLOW, _hint(HistoryStatus.SHALLOW, docs_dir, ""), wanted)
    if not repo.head:
        return History(docs_dir, HistoryStatus.NOT_TRACKED, _hint(HistoryStatus.NOT_TRACKED, docs_dir, ""), wanted)
    try:
        uncommitted, moves = _uncommitted(docs_dir, git, repo.prefix)
        key = (repo.git_dir, repo.prefix, repo.head)
        log = _LOG_CACHE.get(key)
        if log is None:
            log = _read_log(docs_dir, git, repo.prefix)
            _LOG_CACHE.clear()  # one repository per build: keep only the newest HEAD
            _LOG_CACHE[key] = log
    except _GitFailed as error:
        hint = _hint(HistoryStatus.GIT_FAILED, docs_dir, str(error))
        return History(docs_dir, HistoryStatus.GIT_FAILED, hint, wanted)
    if not log:
        return History(docs_dir, HistoryStatus.NOT_TRACKED, _hint(HistoryStatus.NOT_TRACKED, docs_dir, ""), wanted)
    return History(docs_dir, HistoryStatus.OK, "", wanted, log, uncommitted, moves)


def _hint(status: HistoryStatus, docs_dir: Path, detail: str) -> str:
    reason = _HINTS[status].format(docs=docs_dir, detail=detail)
    return f"revision history unavailable (revisions are content hashes): {reason}"


class _GitFailed(Exception):
    pass


def _git(git: str, cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}  # `status` must not take the index lock mid-commit
    return subprocess.run([git, *args], cwd=cwd, capture_output=True, env=env, check=False)


def _first_line(stderr: bytes) -> str:
    for line in stderr.decode("utf-8", "replace").splitlines():
        if line.strip():
            return line.strip().removeprefix("fatal: ")
    return "no message"


def _probe(docs_dir: Path, git: str) -> tuple[_Repo | None, tuple[HistoryStatus, str]]:
    """One ``git rev-parse``: where the docs are in which repository, HEAD, shallow or not."""
    if not docs_dir.is_dir():
        return None, (HistoryStatus.NOT_A_REPOSITORY, "")
    try:
        done = _git(git, docs_dir, "rev-parse", "--show-prefix", "--is-shallow-repository", "--absolute-git-dir", HEAD)
    except OSError:  # no git executable (FileNotFoundError) or not runnable (PermissionError)
        return None, (HistoryStatus.NO_GIT, "")
    lines = done.stdout.decode("utf-8", "surrogateescape").splitlines()
    if len(lines) < 3:
        stderr = done.stderr.decode("utf-8", "replace")
        if "not a git repository" in stderr:
            return None, (HistoryStatus.NOT_A_REPOSITORY, "")
        return None, (HistoryStatus.GIT_FAILED, _first_line(done.stderr))
    head = lines[3] if done.returncode == 0 and len(lines) > 3 else ""  # unborn HEAD: rev-parse fails on it
    return _Repo(prefix=lines[0], git_dir=lines[2], head=head, shallow=lines[1] == "true"), (HistoryStatus.OK, "")


def _uncommitted(docs_dir: Path, git: str, prefix: str) -> tuple[frozenset[str], dict[str, str]]:
    """Paths under docs with uncommitted changes (staged, unstaged, untracked), and staged moves."""
    options = ("--porcelain", "-z", "--untracked-files=all", "--ignore-submodules=all")
    done = _git(git, docs_dir, "status", *options, "--", ".")
    if done.returncode:
        raise _GitFailed(_first_line(done.stderr))
    tokens = done.stdout.split(b"\0")
    changed: set[str] = set()
    moves: dict[str, str] = {}
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if len(token) < 4:
            continue
        code, path = token[:2].decode("ascii", "replace"), _relative(token[3:], prefix)
        if code[0] in "RC":  # "R  new\0old\0": the next token is the path at HEAD
            old = _relative(tokens[index], prefix) if index < len(tokens) else None
            index += 1
            if old is not None and path is not None and code[0] == "R":
                moves[path] = old
        if path is not None and "D" not in code:
            changed.add(path)
    return frozenset(changed), moves


def _relative(raw: bytes, prefix: str) -> str | None:
    path = os.fsdecode(raw)
    return path[len(prefix) :] if path.startswith(prefix) else None


def _read_log(docs_dir: Path, git: str, prefix: str) -> dict[str, list[Revision]]:
    """One ``git log`` of the docs folder, walked newest first, renames mapped to today's paths."""
    done = _git(
        git, docs_dir,
        "-c", "log.showSignature=false", "-c", "diff.noprefix=false",
        "log", "-z", "--no-color", "--no-merges", "--date-order", "--name-status", "-M", "--encoding=UTF-8",
        f"--format={_LOG_FORMAT}", HEAD, "--", ".",
    )  # fmt: skip
    if done.returncode:
        raise _GitFailed(_first_line(done.stderr))
    return _walk(_parse_log(done.stdout, prefix))


@dataclass(slots=True)
class _Commit:
    hash: str
    date: date
    author: str
    message: str
    entries: list[tuple[str, str, str | None]] = field(default_factory=list)  # (status, path, old path)


def _parse_log(output: bytes, prefix: str) -> list[_Commit]:
    """``git log -z --name-status --format=...``: a header token, then status and path tokens."""
    commits: list[_Commit] = []
    tokens = output.split(b"\0")
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if token.startswith(_RECORD.encode()):
            commits.append(_header(token[1:].decode("utf-8", "replace")))
            continue
        status = token.strip(b"\n").decode("ascii", "replace")
        if not commits or not _STATUS.match(status):
            continue
        paths = 2 if status[0] in "RC" else 1
        raw = tokens[index : index + paths]
        index += paths
        names = [_relative(path, prefix) for path in raw]
        if len(names) != paths or names[-1] is None:
            continue
        commits[-1].entries.append((status, names[-1] or "", names[0] if paths == 2 else None))
    return commits


def _header(text: str) -> _Commit:
    full, stamp, author, message = [*text.split(_FIELD, 3), "", "", ""][:4]
    return _Commit(full, date.fromisoformat(stamp[:10]), author, message.rstrip("\n"))


def _walk(commits: list[_Commit]) -> dict[str, list[Revision]]:
    """Per file (by its path at HEAD), the commits that changed it, newest first.

    Newest first, a path stands for the file that has it at HEAD until a commit renames the file
    there (then the old path stands for it) or adds it (then older commits at that path belong to
    an earlier file of the same name, deleted since).
    """
    log: dict[str, list[Revision]] = {}
    alias: dict[str, str | None] = {}  # path at this point of the walk -> path at HEAD (None: not a current file)
    for order, commit in enumerate(commits):
        subject = commit.message.split("\n", 1)[0].strip()
        editorial = is_editorial(commit.message)
        cleared: list[str] = []
        moved_here: list[tuple[str, str | None]] = []
        for status, path, old in commit.entries:
            current = alias.get(path, path)
            if status[0] in "AR":
                cleared.append(path)
            if status[0] == "R" and old is not None:
                moved_here.append((old, current))
            if current is None:
                continue
            row = Revision(
                commit.hash, commit.date, commit.author, subject, editorial,
                renamed_from=old if status[0] == "R" else None, content_changed=status != "R100", order=order,
            )  # fmt: skip
            log.setdefault(current, []).append(row)
        # After the whole commit, clears before moves: a commit may swap two files' names.
        for path in cleared:
            alias[path] = None
        for old, current in moved_here:
            alias[old] = current
    return log
