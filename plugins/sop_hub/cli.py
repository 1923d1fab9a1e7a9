"""The command line (SPEC §7): ``sop-hub check``, ``sop-hub new`` and ``sop-hub review``.

A thin front door onto the same core as the plugin (``hub.load_hub``, the catalog, the report),
so ``sop-hub check`` and ``mkdocs build`` cannot disagree. It reads ``mkdocs.yml`` itself rather
than through ``mkdocs.config.load_config``: that would load the theme and every plugin (a third of
a second, and a failure when an unrelated plugin is missing in CI) to read five settings. It
never builds the site. The report formats live in ``formats``; this module parses arguments,
reads and writes files and picks the exit status:

    0  nothing at or above --fail-on and no invalid metadata
    1  findings (or, for new/review, a file it refused to write)
    2  it could not run: bad arguments, missing or invalid config, bad --as-of
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from sop_hub import __version__, formats
from sop_hub.hub import load_hub, markdown_pages, settings_from
from sop_hub.metadata import Source, did_you_mean, parse_source
from sop_hub.model import Owner, Procedure, Process, Severity, slugify
from sop_hub.review import ENV_AS_OF, InvalidValue, add_interval, parse_date, parse_interval

PLUGIN = "sop-hub"
CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")
SCAFFOLD = Path(__file__).parent / "scaffold" / "procedure.md"
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """The command cannot run (exit 2); the message says what to fix."""


class Refused(Exception):
    """One file was not written (exit 1); the message says why."""


# -- the MkDocs config ---------------------------------------------------------------------------


@dataclass(slots=True)
class Project:
    config_file: Path
    root: Path  # the folder holding mkdocs.yml: problems' paths are relative to it
    docs_dir: Path
    options: dict[str, Any] = field(default_factory=dict)  # the sop-hub plugin's options
    has_plugin: bool = True
    directory_urls: bool = True
    exclude_docs: str = ""

    @property
    def quizzes_dir(self) -> Path:
        return self.root / str(self.options.get("quizzes_dir") or "quizzes")

    def pages(self) -> list[tuple[str, str]]:
        """The Markdown pages MkDocs would build: docs_dir minus its default and configured exclusions."""
        pages = [(src, path) for src, path in markdown_pages(self.docs_dir) if not src.startswith("templates/")]
        if not self.exclude_docs.strip():
            return pages  # MkDocs's other default exclusion, dot-files, markdown_pages skips already
        import pathspec  # a MkDocs dependency: what MkDocs itself matches exclude_docs with

        spec = pathspec.GitIgnoreSpec.from_lines(self.exclude_docs.splitlines())
        return [(src, path) for src, path in pages if not spec.match_file(src)]


class _ConfigLoader(yaml.SafeLoader):
    """MkDocs's YAML as data: ``!ENV`` resolved as MkDocs does, any other tag (``!relative``,
    ``!!python/name:...``) read as nothing instead of importing or running code."""


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    import yaml_env_tag  # type: ignore[import-untyped]  # a MkDocs dependency: the same !ENV semantics MkDocs has

    return yaml_env_tag.construct_env_tag(loader, node)


# Dates stay text, as in front-matter: an impossible `as_of: 2026-02-30` gets our message, not a traceback.
_ConfigLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_ConfigLoader.add_constructor("!ENV", _env_tag)
_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def find_config(given: str | None) -> Path:
    if given:
        path = Path(given)
        if path.is_dir():
            found = [path / name for name in CONFIG_NAMES if (path / name).is_file()]
            if found:
                return found[0]
        if not path.is_file():
            raise UsageError(f"config file `{given}` not found")
        return path
    for name in CONFIG_NAMES:
        if Path(name).is_file():
            return Path(name)
    raise UsageError(f"no mkdocs.yml in {Path.cwd()}; run from the project folder or pass -f path/to/mkdocs.yml")


def read_project(given: str | None) -> Project:
    """Read the settings sop-hub needs from the MkDocs config (following ``INHERIT``)."""
    config_file = find_config(given)
    data = _load_yaml(config_file, seen=set())
    root = config_file.resolve().parent
    docs_dir = root / str(data.get("docs_dir") or "docs")
    if not docs_dir.is_dir():
        raise UsageError(f"{config_file}: docs_dir `{data.get('docs_dir') or 'docs'}` is not a folder")
    options, has_plugin = _plugin_options(config_file, data.get("plugins"))
    exclude = data.get("exclude_docs") or ""
    return Project(
        config_file=config_file,
        root=root,
        docs_dir=docs_dir,
        options=options,
        has_plugin=has_plugin,
        directory_urls=data.get("use_directory_urls") is not False,
        exclude_docs=exclude if isinstance(exclude, str) else "",
    )


def _load_yaml(path: Path, seen: set[Path]) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            data = yaml.load(handle, Loader=_ConfigLoader)  # a SafeLoader subclass
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None
    except yaml.YAMLError as error:
        raise UsageError(f"{path} is not valid YAML: {error}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise UsageError(f"{path} must be a mapping of settings")
    parent = data.pop("INHERIT", None)
    if parent:
        parent_path = (path.parent / str(parent)).resolve()
        if parent_path in seen or not parent_path.is_file():
            raise UsageError(f"{path}: INHERIT `{parent}` not found (or inherits itself)")
        data = _merge(_load_yaml(parent_path, seen | {path.resolve()}), data)
    return dict(data)


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """MkDocs's INHERIT merge: mappings merge key by key, everything else is replaced."""
    out = dict(base)
    for key, value in override.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def _plugin_options(config_file: Path, plugins: object) -> tuple[dict[str, Any], bool]:
    entries: list[tuple[str, object]] = []
    if isinstance(plugins, dict):
        entries = [(str(name), options) for name, options in plugins.items()]
    elif isinstance(plugins, list):
        for entry in plugins:
            if isinstance(entry, str):
                entries.append((entry, None))
            elif isinstance(entry, dict):
                entries += [(str(name), options) for name, options in entry.items()]
    for name, options in entries:
        if name != PLUGIN:
            continue
        if options is None:
            return {}, True
        if not isinstance(options, dict):
            raise UsageError(f"{config_file}: the `{PLUGIN}` plugin's options must be a mapping")
        return options, True
    return {}, False


def review_settings(project: Project, as_of_flag: str | None) -> Any:
    """The plugin's review settings, with the as-of date first found in: flag, env, config, today."""
    options = project.options
    review_in = options.get("review_in") or {}
    if not isinstance(review_in, dict):
        raise UsageError(f"{project.config_file}: sop-hub `review_in` must be a mapping {{procedure, process}}")
    try:
        return settings_from(
            as_of_flag=as_of_flag,
            as_of=options.get("as_of"),
            due_soon=str(options.get("due_soon") or "30 days"),
            procedure=str(review_in.get("procedure") or "3 months"),
            process=str(review_in.get("process") or "12 months"),
        )
    except InvalidValue as error:
        raise UsageError(str(error)) from None


# -- check ---------------------------------------------------------------------------------------


def run_check(args: argparse.Namespace) -> int:
    project = read_project(args.config)
    if not project.has_plugin:
        _note(f"{project.config_file} does not use the `{PLUGIN}` plugin; checking with the default settings")
    settings = review_settings(project, args.as_of)
    hub = load_hub(project.pages(), root=project.root, quizzes_dir=project.quizzes_dir, settings=settings)
    catalog, problems = hub.catalog, hub.problems
    fail_on = formats.FailOn(args.fail_on)
    prefix = _prefix(project.root, os.environ.get("GITHUB_WORKSPACE") if args.format == "github" else None)
    if args.format == "json":
        out = formats.json_report(catalog, problems, directory_urls=project.directory_urls)
    elif args.format == "github":
        out = formats.github_commands(catalog, problems, prefix=prefix)
        summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary_file:
            _append(Path(summary_file), formats.step_summary(catalog, problems, prefix=prefix))
    elif args.format == "junit":
        out = formats.junit_xml(catalog, problems, prefix=prefix, fail_on=fail_on)
    else:
        colour = not args.output and sys.stdout.isatty() and "NO_COLOR" not in os.environ
        out = formats.text_report(catalog, problems, prefix=prefix, colour=colour)
    _emit(out, args.output)
    return EXIT_FINDINGS if formats.fails(catalog, problems, fail_on) else EXIT_OK


def _prefix(root: Path, base: str | None) -> str:
    rel = os.path.relpath(root, Path(base) if base else Path.cwd())
    return "" if rel == "." else Path(rel).as_posix()


def _emit(text: str, output: str | None) -> None:
    if output:
        atomic_write(Path(output), text.encode("utf-8"))
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def _append(path: Path, text: str) -> None:
    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as error:
        _note(f"cannot write the step summary to {path}: {error.strerror}")


# -- new -----------------------------------------------------------------------------------------


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
    stage_id = stage.id if stage else (slugify(args.stage) or args.stage if args.stage else None)
    owner = _owner_arg(args.owner) if args.owner else (stage.owner if stage and stage.owner else process.owner)
    if owner is None:
        raise UsageError(f"process `{process.id}` has no owner to default to; pass --owner 'Jane Doe'")
    slug = slugify(title)
    if not slug:
        raise UsageError("--title needs letters or digits: the file is named after it")
    folder = _procedure_folder(project.docs_dir, process, stage_id)
    path = folder / f"{slug}.md"
    text = scaffold(title=title, process=process.id, stage=stage_id, owner=owner, today=today)
    src_uri = path.relative_to(project.docs_dir).as_posix()
    parsed = parse_source(Source(src_uri, src_uri, text))
    errors = [p for p in parsed.problems if p.severity is Severity.ERROR]
    if parsed.document is None or errors:  # a safety net: what we write must read back cleanly
        raise UsageError("the new procedure would not be valid: " + "; ".join(p.message for p in errors))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        create_new(path, text.encode("utf-8"))
    except FileExistsError:
        raise Refused(f"{_show(path)} already exists; sop-hub new never overwrites: pick another --title") from None
    print(_show(path))
    return EXIT_OK


def scaffold(*, title: str, process: str, stage: str | None, owner: Owner, today: date) -> str:
    """The procedure template with every value written as YAML that reads back as the same text."""
    values = {
        "title": yaml_scalar(title),
        "process": yaml_scalar(process),
        "stage_line": f"stage: {yaml_scalar(stage)}\n" if stage else "",
        "owner": _owner_yaml(owner),
        "today": today.isoformat(),
        "heading": title,
        "owner_name": owner.name.replace("|", "\\|"),
    }
    text = SCAFFOLD.read_text(encoding="utf-8")
    return re.sub(r"\{\{(\w+)\}\}", lambda match: values[match.group(1)], text)


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


# -- review --------------------------------------------------------------------------------------


def run_review(args: argparse.Namespace) -> int:
    today = date.today()
    try:
        on = parse_date(args.on) if args.on else today
    except InvalidValue as error:
        raise UsageError(f"--on: {error}") from None
    if on > today:
        _note(f"--on {on} is after today; the check will warn that the date is in the future")
    defaults = {"procedure": "3 months", "process": "12 months"}
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


# -- files ---------------------------------------------------------------------------------------


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` all at once: an interrupted run leaves the old file whole."""
    tmp = _temp_copy(path, data)
    try:
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        Path(tmp).chmod(mode)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def create_new(path: Path, data: bytes) -> None:
    """Write a new file whole, or raise ``FileExistsError``: never overwrites, even in a race."""
    tmp = _temp_copy(path, data)
    try:
        Path(tmp).chmod(0o666 & ~_umask())
        try:
            os.link(tmp, path)  # atomic and fails if the name exists
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links
            with open(path, "xb") as handle:
                handle.write(data)
    finally:
        Path(tmp).unlink(missing_ok=True)
    _fsync_dir(path.parent)


def _temp_copy(path: Path, data: bytes) -> str:
    # A dot-name in the same folder: os.replace stays atomic, and MkDocs ignores dot-files.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _show(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _note(message: str) -> None:
    print(f"sop-hub: note: {message}", file=sys.stderr)


# -- arguments -----------------------------------------------------------------------------------

CHECK_EPILOG = f"""\
exit status:
  0  nothing at or above --fail-on and no invalid metadata
  1  findings: a review at or above --fail-on, or invalid metadata (an error-severity
     problem; --fail-on never still fails on these). Warnings never fail.
  2  it could not run: bad arguments, missing or invalid config, bad as-of date

as-of date, first found: --as-of, ${ENV_AS_OF}, the plugin's `as_of`, today.
With --format github and $GITHUB_STEP_SUMMARY set, a Markdown summary grouped by owner is
appended to the job summary."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sop-hub",
        description="Check, create and review SOP Hub procedures without building the site.",
        epilog="examples:\n"
        "  sop-hub check --format github          in CI: annotations and a job summary\n"
        "  sop-hub new --process complaints --stage record --title 'Phone intake'\n"
        "  sop-hub review docs/complaints/record/intake.md\n"
        "run `sop-hub check --help` for the exit status.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="{check,new,review}")
    config_help = "the MkDocs config (default: ./mkdocs.yml, else ./mkdocs.yaml)"

    check = commands.add_parser(
        "check",
        help="validate metadata and report review status (for CI)",
        description="Validate every process, procedure, quiz and track, and report review status.",
        epilog=CHECK_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument("-f", "--config-file", dest="config", metavar="FILE", help=config_help)
    check.add_argument("--as-of", metavar="DATE", help="the reference date, YYYY-MM-DD")
    check.add_argument("--format", choices=("text", "json", "github", "junit"), default="text")
    check.add_argument(
        "--fail-on",
        choices=[value.value for value in formats.FailOn],
        default=formats.FailOn.OVERDUE.value,
        help="the review status that fails the check (default: overdue)",
    )
    check.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of stdout")
    check.set_defaults(run=run_check)

    new = commands.add_parser(
        "new",
        help="write a new procedure from the template",
        description="Write a new procedure from the template in the process's folder, with today's date "
        "as last_reviewed_on, and print its path. Never overwrites.",
    )
    new.add_argument("--process", required=True, help="the process id (or title)")
    new.add_argument("--stage", help="the stage id or title (required when the process declares stages)")
    new.add_argument("--title", required=True, help="the procedure's title; the file is named after it")
    new.add_argument(
        "--owner", help="'Jane Doe' or 'Jane Doe <jane@example.com>' (default: the stage or process owner)"
    )
    new.add_argument("-f", "--config-file", dest="config", metavar="FILE", help=config_help)
    new.set_defaults(run=run_new)

    review = commands.add_parser(
        "review",
        help="record a review: set last_reviewed_on, changing nothing else",
        description="Set last_reviewed_on (and move an explicit review_by on by the review interval), "
        "changing no other byte of the file. Each file is replaced atomically.",
    )
    review.add_argument("paths", nargs="+", metavar="PATH", help="procedure or process files")
    review.add_argument("--on", metavar="DATE", help="the review date, YYYY-MM-DD (default: today)")
    review.add_argument("-f", "--config-file", dest="config", metavar="FILE", help=config_help + "; for intervals")
    review.set_defaults(run=run_review)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # --help, --version, or a usage error (argparse says 2)
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.run(args))
    except UsageError as error:
        print(f"sop-hub: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except Refused as error:
        print(f"sop-hub: {error}", file=sys.stderr)
        return EXIT_FINDINGS
    except OSError as error:
        print(f"sop-hub: error: {error}", file=sys.stderr)
        return EXIT_USAGE
