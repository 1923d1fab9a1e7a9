"""The command line (SPEC §7): ``sop-hub check``, ``sop-hub new`` and ``sop-hub review``.

A thin front door onto the same core as the plugin (``hub.load_hub``, the catalog, the report),
so ``sop-hub check`` and ``mkdocs build`` cannot disagree. It reads ``mkdocs.yml`` itself rather
than through ``mkdocs.config.load_config``: that would load the theme and every plugin (a third of
a second, and a failure when an unrelated plugin is missing in CI) to read five settings. It
never builds the site. The report formats live in ``formats``; this module parses arguments,
reads and writes files and picks the exit status:

    0  nothing at or above --fail-on and no invalid metadata
    1  findings (or, for new/review, a file it refused to write)
    2  it could not run: bad arguments, missing or invalid config, bad --as-of, MkDocs 2
       installed without ProperDocs (``hosts.versions``)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from sop_hub import __version__
from sop_hub.cli import formats
from sop_hub.cli.check import run_check
from sop_hub.cli.common import EXIT_FINDINGS, EXIT_USAGE, Refused, UsageError, describe
from sop_hub.cli.new import run_new
from sop_hub.cli.prepare import add_parser as add_prepare_parser
from sop_hub.cli.project import read_project, review_settings
from sop_hub.cli.review import run_review
from sop_hub.cli.training import add_parser as add_training_parser
from sop_hub.core.review import ENV_AS_OF
from sop_hub.hosts import versions

__all__ = ["build_parser", "main", "read_project", "review_settings"]


# -- arguments -----------------------------------------------------------------------------------

CHECK_EPILOG = f"""\
exit status:
  0  nothing at or above --fail-on and no invalid metadata
  1  findings: a review at or above --fail-on, or invalid metadata (an error-severity
     problem; --fail-on never still fails on these). Warnings never fail.
  2  it could not run: bad arguments, missing or invalid config, bad as-of date,
     or MkDocs 2 installed without ProperDocs (SOP Hub needs MkDocs 1.x or ProperDocs)

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
    commands = parser.add_subparsers(dest="command", metavar="{check,new,review,training,prepare}")
    config_help = "the MkDocs or ProperDocs config (default: first of properdocs.yml, .yaml, mkdocs.yml, .yaml)"

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
    check.add_argument(
        "--output",
        "-o",
        metavar="FILE",
        help="write the report to FILE instead of stdout: a file is replaced atomically, a symbolic link is "
        "written through (the link kept), a device or FIFO such as /dev/stdout is written to",
    )
    check.set_defaults(run=run_check)

    new = commands.add_parser(
        "new",
        help="write a new procedure from the template",
        description="Write a new procedure from the template in the process's folder as a draft "
        "(status: draft, no review date: fill it in, approve it, then make it active), and print its path. "
        "Never overwrites, and never writes outside the docs folder "
        "(not through `..` nor through a symbolic link).",
    )
    new.add_argument("--process", required=True, help="the process id (or title)")
    new.add_argument(
        "--stage",
        help="the stage id or title (required when the process declares stages; otherwise a plain name "
        "of letters, digits, spaces and hyphens)",
    )
    new.add_argument(
        "--title", required=True, help="the procedure's title, written as text; the file is named after it"
    )
    new.add_argument(
        "--owner", help="'Jane Doe' or 'Jane Doe <jane@example.com>' (default: the stage or process owner)"
    )
    new.add_argument("-f", "--config-file", dest="config", metavar="FILE", help=config_help)
    new.set_defaults(run=run_new)

    review = commands.add_parser(
        "review",
        help="record a review: set last_reviewed_on, changing nothing else",
        description="Set last_reviewed_on (and move an explicit review_by on by the review interval; with "
        "--by, set reviewed_by), "
        "changing no other byte of the file, line endings included. Each file is replaced atomically; "
        "through a symbolic link, the link's target is edited and the link kept. A file that cannot be "
        "read or written is reported and the others are still reviewed (exit status 1).",
    )
    review.add_argument("paths", nargs="+", metavar="PATH", help="procedure or process files")
    review.add_argument("--on", metavar="DATE", help="the review date, YYYY-MM-DD (default: today)")
    review.add_argument(
        "--by",
        metavar="PERSON",
        help="who reviewed it, 'Jane Doe' or 'Jane Doe <jane@example.com>': recorded as reviewed_by",
    )
    review.add_argument("-f", "--config-file", dest="config", metavar="FILE", help=config_help + "; for intervals")
    review.set_defaults(run=run_review)
    add_training_parser(commands, config_help)
    add_prepare_parser(commands, config_help)
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
    host_message = versions.cli_host_message()  # MkDocs 2 installed: say so, never a traceback
    if host_message:
        fatal, message = host_message
        print(f"sop-hub: {message}", file=sys.stderr)
        if fatal:
            return EXIT_USAGE
    try:
        return int(args.run(args))
    except UsageError as error:
        print(f"sop-hub: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except Refused as error:
        print(f"sop-hub: {error}", file=sys.stderr)
        return EXIT_FINDINGS
    except OSError as error:  # a file that cannot be read or written: its path and why, no traceback
        print(f"sop-hub: error: {describe(error)}", file=sys.stderr)
        return EXIT_USAGE
