"""``sop-hub review``: record a review, changing no other byte of the file."""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

from sop_hub.cli.common import EXIT_FINDINGS, EXIT_OK, Refused, UsageError, note
from sop_hub.cli.files import atomic_write
from sop_hub.cli.project import read_project
from sop_hub.metadata import Source, parse_source
from sop_hub.model import Severity
from sop_hub.review import (
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
    status = EXIT_OK
    for name in args.paths:
        try:
            print(record_review(Path(name), on, defaults))
        except Refused as error:
            print(f"sop-hub: {name}: {error}", file=sys.stderr)
            status = EXIT_FINDINGS
    return status


_BOM = b"\xef\xbb\xbf"


def record_review(path: Path, on: date, default_intervals: dict[str, str]) -> str:
    """Set ``last_reviewed_on`` (and move an explicit ``review_by`` on) in one file, changing no
    other byte; the file is replaced atomically. Returns a line saying what changed."""
    try:
        raw = path.read_bytes()
        bom = _BOM if raw.startswith(_BOM) else b""
        text = raw[len(bom) :].decode("utf-8")
    except OSError as error:
        raise Refused(f"cannot read the file: {error.strerror}") from None
    except UnicodeDecodeError:
        raise Refused("the file is not UTF-8 text") from None
    parsed = parse_source(Source(path.name, path.as_posix(), text))
    doc = parsed.document
    if not parsed.front_matter_ok:
        raise Refused("its front-matter cannot be read: " + "; ".join(p.message for p in parsed.problems))
    if doc is None:
        raise Refused("not a process or procedure: its front-matter needs `process:` or `type: process`")
    changes = {"last_reviewed_on": on}
    if "review_by" in doc.lines:
        try:
            interval = doc.review_in or parse_interval(default_intervals[doc.kind])
        except InvalidValue as error:
            raise Refused(f"cannot move `review_by` on: review_in {error}") from None
        changes["review_by"] = add_interval(on, interval)
    lines = text.split("\n")  # "\r" stays on each line: CRLF files keep their line endings
    for key, value in changes.items():
        if key in doc.lines:
            index = doc.lines[key] - 1
            if index >= len(lines) - 1:
                raise Refused(f"`{key}` is not where the front-matter says; edit the date by hand")
            # An empty value may be filled in; one continued on the next (indented) line may not.
            continued = lines[index + 1][:1] in (" ", "\t")
            lines[index] = _with_value(lines[index], key, value.isoformat(), fill_empty=not continued)
        else:
            eol = "\r" if lines[0].endswith("\r") else ""
            lines.insert(_closing_fence(lines), f"{key}: {value.isoformat()}{eol}")
    new_text = "\n".join(lines)
    _verify(path, parsed.problems, new_text, changes)
    if new_text != text:
        atomic_write(path, bom + new_text.encode("utf-8"))
    return f"{path}: " + "; ".join(f"{key} {value}" for key, value in changes.items())


def _with_value(line: str, key: str, value: str, *, fill_empty: bool) -> str:
    eol = "\r" if line.endswith("\r") else ""
    pattern = re.compile(
        rf"""^(?P<key>(?P<q>["']?){re.escape(key)}(?P=q)[ \t]*:[ \t]*)"""
        r"""(?P<value>"[^"]*"|'[^']*'|[^\s#|>&!*\[{][^#]*?|)(?P<rest>[ \t]*(?:#.*)?)$"""
    )
    match = pattern.match(line.removesuffix("\r"))
    if match and not match.group("value") and fill_empty:
        rest = match.group("rest").strip()
        return f"{match.group('key').rstrip()} {value}{'  ' + rest if rest else ''}{eol}"
    if not match or not match.group("value"):
        raise Refused(f"`{key}` is not a one-line `{key}: YYYY-MM-DD`; write it so and run again")
    old = match.group("value")
    quote = old[0] if old[0] in "\"'" else ""
    return f"{match.group('key')}{quote}{value}{quote}{match.group('rest')}{eol}"


def _closing_fence(lines: list[str]) -> int:
    for index in range(1, len(lines)):
        if lines[index].rstrip("\r \t") in ("---", "..."):
            return index
    raise Refused("its front-matter has no closing `---`")


def _verify(path: Path, before: list[Any], new_text: str, changes: dict[str, date]) -> None:
    """Read the edited text back: the new dates must be what it says, and nothing else may break."""
    after = parse_source(Source(path.name, path.as_posix(), new_text))
    doc = after.document
    if doc is None or any(getattr(doc, key) != value for key, value in changes.items()):
        raise Refused("the edit would not read back as intended; edit the dates by hand")
    old_codes = {p.code for p in before if p.severity is Severity.ERROR}
    new = [p for p in after.problems if p.severity is Severity.ERROR and p.code not in old_codes]
    if new:
        raise Refused("the edit would add a problem: " + "; ".join(p.message for p in new))
