"""``sop-hub check``: validate the hub and report review status in a format CI reads."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from sop_hub.cli import formats
from sop_hub.cli.common import EXIT_FINDINGS, EXIT_OK, UsageError, describe, note
from sop_hub.cli.files import write_output
from sop_hub.cli.project import PLUGIN, load_project_hub, read_project


def run_check(args: argparse.Namespace) -> int:
    project = read_project(args.config)
    if not project.has_plugin:
        note(f"{project.config_file} does not use the `{PLUGIN}` plugin; checking with the default settings")
    # The records' revisions and effective dates (SPEC §8) only matter in json: one git log.
    hub, hint = load_project_hub(project, args.as_of, history=args.format == "json")
    if hint:
        note(hint)
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
        try:
            write_output(Path(output), text.encode("utf-8"))
        except OSError as error:
            raise UsageError(f"cannot write the report to {describe(error)}") from None
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def _append(path: Path, text: str) -> None:
    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as error:
        note(f"cannot write the step summary to {describe(error)}")
