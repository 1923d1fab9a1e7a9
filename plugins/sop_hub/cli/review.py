"""``sop-hub review``: record a review, changing no other byte of the file."""

from __future__ import annotations

import argparse
import os
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

from sop_hub.cli.common import EXIT_FINDINGS, EXIT_OK, Refused, UsageError, describe, note, show
from sop_hub.cli.files import atomic_write, regular_target
from sop_hub.cli.new import yaml_scalar
from sop_hub.cli.project import read_project
from sop_hub.core.metadata import Source, parse_source
from sop_hub.core.model import Owner, Severity
from sop_hub.core.review import (
    DEFAULT_PROCEDURE_INTERVAL,
    DEFAULT_PROCESS_INTERVAL,
    InvalidValue,
    add_interval,
    parse_date,
    parse_interval,
)


def run_review(args: argparse.Namespace) -> int:
    today = date.today()
    try:
        on = parse_date(args.on) if args.on else today
    except InvalidValue as error:
        raise UsageError(f"--on: {error}") from None
    if on > today:
        note(f"--on {on} is after today; the check will warn that the date is in the future")
    defaults = {"procedure": str(DEFAULT_PROCEDURE_INTERVAL), "process": str(DEFAULT_PROCESS_INTERVAL)}
    try:
        project = read_project(args.config)
    except UsageError:
        if args.config:
            raise
        project = None  # no config here: the built-in default intervals apply
    if project is not None and isinstance(project.options.get("review_in"), dict):
        defaults.update({k: str(v) for k, v in project.options["review_in"].items() if k in defaults and v})
    by = reviewer(args.by) if args.by is not None else None
    status = EXIT_OK
    for name in args.paths:  # one file's failure is reported and the others are still reviewed
        try:
            print(record_review(Path(name), on, defaults, by))
        except Refused as error:
            print(f"sop-hub: {show(name)}: {error}", file=sys.stderr)
            status = EXIT_FINDINGS
        except OSError as error:  # a safety net: record_review turns the ones it expects into Refused
            print(f"sop-hub: {show(name)}: {describe(error)}", file=sys.stderr)
            status = EXIT_FINDINGS
    return status


_BOM = b"\xef\xbb\xbf"
# Line breaks as MkDocs reads them (Python's universal newlines): CRLF, LF and a lone CR (old Mac).
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def reviewer(text: str) -> tuple[str, Owner]:
    """``--by``: (its YAML, the person it reads as), validated by the same rule as every person key."""
    if not text.strip() or any(ord(char) < 32 for char in text):
        raise UsageError("--by must be one person on one line: 'Jane Doe' or 'Jane Doe <jane@example.com>'")
    value = yaml_scalar(text.strip())
    probe = f"---\nprocess: p\nowner: p\nstatus: draft\nreviewed_by: {value}\n---\n"
    parsed = parse_source(Source("by.md", "by.md", probe))
    person = parsed.document.reviewed_by if parsed.document is not None else None
    if person is None:
        why = "; ".join(p.message.replace("`reviewed_by: ", "`--by ") for p in parsed.problems) or "not a person"
        raise UsageError(f"--by: {why}")
    return value, person


def record_review(path: Path, on: date, default_intervals: dict[str, str], by: tuple[str, Owner] | None = None) -> str:
    """Set ``last_reviewed_on`` (and move an explicit ``review_by`` on; with ``by``, set ``reviewed_by``)
    in one file, changing no other byte; the file is replaced atomically. Returns a line saying what
    changed."""
    try:
        target = regular_target(path)  # through a symbolic link: its target is edited, the link kept
        raw = target.read_bytes()
        bom = _BOM if raw.startswith(_BOM) else b""
        original = raw[len(bom) :].decode("utf-8")
    except OSError as error:
        raise Refused(f"cannot read the file: {_reason(error, path)}") from None
    except UnicodeDecodeError:
        raise Refused("the file is not UTF-8 text") from None
    # Edit the lines without their breaks, and put each break back as it was: a CRLF or CR-only
    # file keeps its line endings, and the YAML line numbers match the build's.
    lines = _LINE_BREAK.split(original)
    breaks = _LINE_BREAK.findall(original)
    text = "\n".join(lines)
    parsed = parse_source(Source(path.name, path.as_posix(), text))
    doc = parsed.document
    if not parsed.front_matter_ok:
        raise Refused("its front-matter cannot be read: " + "; ".join(p.message for p in parsed.problems))
    if doc is None:
        raise Refused("not a process or procedure: its front-matter needs `process:` or `type: process`")
    changes: dict[str, date | Owner] = {"last_reviewed_on": on}
    if "review_by" in doc.lines:
        try:
            interval = doc.review_in or parse_interval(default_intervals[doc.kind])
        except InvalidValue as error:
            raise Refused(f"cannot move `review_by` on: review_in {error}") from None
        changes["review_by"] = add_interval(on, interval)
    if by is not None:
        changes["reviewed_by"] = by[1]
    for key, value in changes.items():
        written = value.isoformat() if isinstance(value, date) else by[0] if by else ""
        if key in doc.lines:
            index = doc.lines[key] - 1
            if index >= len(lines) - 1:
                raise Refused(f"`{key}` is not where the front-matter says; edit it by hand")
            # An empty value may be filled in; one continued on the next (indented) line may not.
            continued = lines[index + 1][:1] in (" ", "\t")
            lines[index] = _with_value(
                lines[index], key, written, fill_empty=not continued, keep_quotes=isinstance(value, date)
            )
        else:
            fence = _closing_fence(lines)
            lines.insert(fence, f"{key}: {written}")
            breaks.insert(fence, breaks[fence - 1])  # the break the line above has
    _verify(path, parsed.problems, "\n".join(lines), changes)
    new_text = "".join(line + brk for line, brk in zip(lines, [*breaks, ""], strict=True))
    if new_text != original:
        try:
            atomic_write(target, bom + new_text.encode("utf-8"))
        except OSError as error:
            raise Refused(f"cannot write the file, left as it was: {_reason(error, path)}") from None
    return f"{path}: " + "; ".join(f"{key} {_shown(value)}" for key, value in changes.items())


def _shown(value: date | Owner) -> str:
    if isinstance(value, Owner):
        return f"{value.name} <{value.email}>" if value.email else value.name
    return value.isoformat()


def _reason(error: OSError, path: Path) -> str:
    """Why, and the file's name only when it is not ``path`` itself (a link's target, a folder)."""
    named = error.filename2 if error.filename2 is not None else error.filename
    if named is None or os.path.realpath(named) == os.path.realpath(path):
        return str(error.strerror or error)
    return describe(error)


def _with_value(line: str, key: str, value: str, *, fill_empty: bool, keep_quotes: bool = True) -> str:
    pattern = re.compile(
        rf"""^(?P<key>(?P<q>["']?){re.escape(key)}(?P=q)[ \t]*:[ \t]*)"""
        r"""(?P<value>"[^"]*"|'[^']*'|[^\s#|>&!*\[{][^#]*?|)(?P<rest>[ \t]*(?:#.*)?)$"""
    )
    match = pattern.match(line)
    if match and not match.group("value") and fill_empty:
        rest = match.group("rest").strip()
        return f"{match.group('key').rstrip()} {value}{'  ' + rest if rest else ''}"
    if not match or not match.group("value"):
        form = "YYYY-MM-DD" if keep_quotes else "Jane Doe"
        raise Refused(f"`{key}` is not a one-line `{key}: {form}`; write it so and run again")
    old = match.group("value")
    quote = old[0] if keep_quotes and old[0] in "\"'" else ""
    return f"{match.group('key')}{quote}{value}{quote}{match.group('rest')}"


def _closing_fence(lines: list[str]) -> int:
    for index in range(1, len(lines)):
        if lines[index].rstrip(" \t") in ("---", "..."):
            return index
    raise Refused("its front-matter has no closing `---`")


def _verify(path: Path, before: list[Any], new_text: str, changes: dict[str, date | Owner]) -> None:
    """Read the edited text back: the new dates must be what it says, and nothing else may break."""
    after = parse_source(Source(path.name, path.as_posix(), new_text))
    doc = after.document
    if doc is None or any(getattr(doc, key) != value for key, value in changes.items()):
        raise Refused("the edit would not read back as intended; edit the front-matter by hand")
    old_codes = {p.code for p in before if p.severity is Severity.ERROR}
    new = [p for p in after.problems if p.severity is Severity.ERROR and p.code not in old_codes]
    if new:
        raise Refused("the edit would add a problem: " + "; ".join(p.message for p in new))
