"""``sop-hub new``: write a new procedure from the template, never overwriting."""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import re
from datetime import date
from pathlib import Path

import yaml

from sop_hub.cli.common import EXIT_OK, Refused, UsageError, describe, show
from sop_hub.cli.files import create_new
from sop_hub.cli.project import read_project, review_settings
from sop_hub.core.hub import load_hub
from sop_hub.core.metadata import Source, did_you_mean, parse_source
from sop_hub.core.model import Owner, Procedure, Process, Severity, slugify

SCAFFOLD = Path(__file__).resolve().parent / "scaffold" / "procedure.md"


def run_new(args: argparse.Namespace) -> int:
    project = read_project(args.config)
    today = date.today()
    settings = review_settings(project, today.isoformat())
    hub = load_hub(project.pages(), root=project.root, quizzes_dir=project.quizzes_dir, settings=settings)
    catalog = hub.catalog
    title = _one_line_arg("--title", args.title)
    process = _find_process(catalog.processes, _one_line_arg("--process", args.process))
    declared = [stage for stage in process.stages if stage.declared]
    stage = process.stage(_one_line_arg("--stage", args.stage)) if args.stage else None
    valid = ", ".join(f"`{s.id}`" for s in process.stages) or "none declared"
    if args.stage and stage is None and declared:
        raise UsageError(
            f"`{args.stage}` is not a stage of `{process.id}` (valid stages: {valid})"
            f"{did_you_mean(args.stage, [s.id for s in process.stages])}"
        )
    if not args.stage and declared:
        raise UsageError(f"--stage is required: process `{process.id}` has stages {valid}")
    if args.stage and stage is None and not _SLUG_SAFE.fullmatch(args.stage.strip()):
        raise UsageError(
            f"--stage `{args.stage}` is not a stage of `{process.id}` (valid stages: {valid}) and cannot name "
            "a folder: use letters, digits, spaces and hyphens, or declare the stage on the process page"
        )
    stage_id = stage.id if stage else (slugify(args.stage) if args.stage else None)
    owner = _owner_arg(args.owner) if args.owner else (stage.owner if stage and stage.owner else process.owner)
    if owner is None:
        raise UsageError(f"process `{process.id}` has no owner to default to; pass --owner 'Jane Doe'")
    slug = slugify(title)
    if not slug:
        raise UsageError("--title needs letters or digits: the file is named after it")
    folder = _procedure_folder(project.docs_dir, process, stage_id)
    path = folder / f"{slug}.md"
    _check_target(project.docs_dir, path)
    text = scaffold(title=title, process=process.id, stage=stage_id, owner=owner, today=today)
    src_uri = path.relative_to(project.docs_dir).as_posix()
    parsed = parse_source(Source(src_uri, src_uri, text))
    errors = [p for p in parsed.problems if p.severity is Severity.ERROR]
    if parsed.document is None or errors:  # a safety net: what we write must read back cleanly
        raise UsageError("the new procedure would not be valid: " + "; ".join(p.message for p in errors))
    created = _make_folders(folder)
    _check_target(project.docs_dir, path)  # again, now that the folders are real (a race, a link)
    try:
        create_new(path, text.encode("utf-8"))
    except OSError as error:
        for made in reversed(created):  # leave no empty folder behind
            _remove_empty(made)
        if isinstance(error, FileExistsError):
            raise Refused(f"{show(path)} already exists; sop-hub new never overwrites: pick another --title") from None
        raise Refused(f"cannot write {describe(error)}") from None
    print(show(path))
    return EXIT_OK


# A stage the process does not declare names a folder, so it must be a plain name: no `/`, `\`, `.`.
_SLUG_SAFE = re.compile(r"[^\W_]+(?:[ _-]+[^\W_]+)*")
_NAME_MAX = 255  # bytes, when the file system does not say (ext4, APFS, NTFS all have 255)
_PATH_MAX = 4096


def _check_target(docs_dir: Path, path: Path) -> None:
    """Refuse a target outside the docs folder (through ``..``, an absolute part or a symbolic link
    anywhere on the way), or one whose name the file system cannot hold."""
    name_max, path_max = _limits(path.parent)
    size = len(os.fsencode(path.name))
    if size > name_max:
        raise UsageError(
            f"the file name for this title is {size} bytes, more than the {name_max} the file system allows "
            f"({show(path)}): use a shorter --title"
        )
    if len(os.fsencode(os.path.abspath(path))) >= path_max:
        raise UsageError(f"the path {show(path)} is longer than the file system allows: use a shorter --title")
    docs = Path(os.path.realpath(docs_dir))
    resolved = Path(os.path.realpath(path))  # missing folders resolve as they will be made
    if not resolved.is_relative_to(docs) or resolved == docs:
        raise UsageError(
            f"refusing to write {show(path)}: it resolves to {show(resolved)}, outside the docs folder "
            f"{show(docs)}; check the stage and process folders for a symbolic link that leads out"
        )


def _limits(folder: Path) -> tuple[int, int]:
    existing = folder
    while not existing.is_dir() and existing != existing.parent:
        existing = existing.parent
    try:
        return os.pathconf(existing, "PC_NAME_MAX"), os.pathconf(existing, "PC_PATH_MAX")
    except (OSError, ValueError, AttributeError):  # no pathconf (Windows) or no answer
        return _NAME_MAX, _PATH_MAX


def _make_folders(folder: Path) -> list[Path]:
    """Make ``folder`` and its missing parents; return the ones made, outermost first."""
    missing = [p for p in (folder, *folder.parents) if not p.exists() and not p.is_symlink()][::-1]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise Refused(f"cannot make the folder {show(folder)}: a file of that name is in the way") from None
    except OSError as error:
        raise Refused(f"cannot make the folder {describe(error)}") from None
    if not folder.is_dir():  # exist_ok accepts a dangling link where the folder should be
        raise Refused(f"cannot make the folder {show(folder)}: {os.strerror(errno.ENOTDIR)}")
    return missing


def _remove_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):
        folder.rmdir()


def scaffold(*, title: str, process: str, stage: str | None, owner: Owner, today: date) -> str:
    """The procedure template with every value written as YAML that reads back as the same text."""
    values = {
        "title": yaml_scalar(title),
        "process": yaml_scalar(process),
        "stage_line": f"stage: {yaml_scalar(stage)}\n" if stage else "",
        "owner": _owner_yaml(owner),
        "today": today.isoformat(),
        "heading": markdown_text(title),
        "owner_name": markdown_text(owner.name),
    }
    text = SCAFFOLD.read_text(encoding="utf-8")
    return re.sub(r"\{\{(\w+)\}\}", lambda match: values[match.group(1)], text)


# ASCII punctuation that no Markdown extension in common use reads as markup. Every other ASCII
# punctuation character (`<`, `&`, `*`, `_`, `` ` ``, `[`, `]`, `{`, `}`, `#`, `\`, `!`, `|`, `~`, `^`,
# `=`, `+`, `$`, `@`, `>`) could start HTML, emphasis, code, a link, an attribute list, a closing
# `#`, critic marks or maths: it is written as a character reference, which every Markdown
# processor passes through as that one character, and which no extension sees as syntax.
_PLAIN_PUNCTUATION = frozenset(" ,.:;?'\"/()%-")
_NAMED = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def markdown_text(text: str) -> str:
    """``text`` as Markdown that renders as exactly that text, in a heading line or a table cell:
    no HTML, no emphasis, no link, no attribute list, whatever the extensions."""
    return "".join(
        char
        if not char.isascii() or char.isalnum() or char in _PLAIN_PUNCTUATION
        else _NAMED.get(char, f"&#{ord(char)};")
        for char in text
    )


def yaml_scalar(text: str, *, flow: bool = False) -> str:
    """``text`` as a YAML scalar: plain when YAML reads it back as the same string (in a block, or
    inside a ``{flow: mapping}``), else double-quoted (JSON's escapes are valid YAML)."""
    if text == text.strip() and text:
        probe, expected = (f"k: {{v: {text}}}\n", {"k": {"v": text}}) if flow else (f"k: {text}\n", {"k": text})
        try:
            if yaml.safe_load(probe) == expected:
                return text
        except yaml.YAMLError:
            pass
    return json.dumps(text, ensure_ascii=False)


def _owner_yaml(owner: Owner) -> str:
    if owner.role:
        fields = {"name": owner.name, "role": owner.role, "email": owner.email}
        return "{" + ", ".join(f"{k}: {yaml_scalar(v, flow=True)}" for k, v in fields.items() if v) + "}"
    return yaml_scalar(f"{owner.name} <{owner.email}>" if owner.email else owner.name)


def _owner_arg(value: str) -> Owner:
    text = _one_line_arg("--owner", value)
    match = re.match(r"^\s*(?P<name>[^<>]+?)\s*(?:<(?P<email>[^<>\s]+@[^<>\s]+)>)?\s*$", text)
    if not match:
        raise UsageError(f"--owner `{text}` is not one person: write `Jane Doe` or `Jane Doe <jane@example.com>`")
    return Owner(match.group("name"), match.group("email"))


def _one_line_arg(flag: str, value: str) -> str:
    text = value.strip()
    if not text or any(ord(char) < 32 or char in "\x7f\x85\u2028\u2029" for char in text):
        raise UsageError(f"{flag} must be one non-empty line of text")
    return text


def _find_process(processes: list[Process], key: str) -> Process:
    real = [p for p in processes if not p.placeholder]
    for process in real:
        if process.id == key or process.title.casefold() == key.casefold():
            return process
    known = ", ".join(f"`{p.id}` \u201c{p.title}\u201d" for p in real) or "none (add a page with `type: process`)"
    raise UsageError(f"unknown process `{key}`; known processes: {known}{did_you_mean(key, [p.id for p in real])}")


def _procedure_folder(docs_dir: Path, process: Process, stage_id: str | None) -> Path:
    """Beside the process page, or in ``<stage-id>/`` when the process already files procedures so."""
    process_dir = Path(process.src_uri).parent
    procedures: list[Procedure] = [*process.procedures, *(p for s in process.stages for p in s.procedures)]
    uses_stage_folders = any(
        Path(p.src_uri).parent.name == p.stage_id and Path(p.src_uri).parent.parent == process_dir for p in procedures
    )
    if stage_id and uses_stage_folders:
        return docs_dir / process_dir / stage_id
    return docs_dir / process_dir
