"""``sop-hub prepare``: the Zensical preview's before- and after-build step (``hosts/zensical/prepare.py``).

Exit status as for the other commands: 0 written (or nothing to change), 1 pages whose front-matter
is not YAML (Zensical would abort the whole build on them; each is listed like ``sop-hub check``
lists problems), 2 it could not run (config, a file in a generated page's place, a ``nav`` of the
site's own, no site folder yet for ``--after-build``).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from sop_hub.cli import formats
from sop_hub.cli.common import EXIT_FINDINGS, EXIT_OK, UsageError, show
from sop_hub.core.project import ProjectError

DESCRIPTION = (
    "Zensical preview: before `zensical build -f mkdocs.zensical.yml`, write what Zensical cannot make "
    "itself (generated-page stubs in docs, the assets, the nav and mkdocs.zensical.yml); with --after-build, "
    "write register.json, register.csv and changes.xml into the built site. Files are written only when "
    "their content changes. The hub's problems are reported as `sop-hub check` reports them."
)


def add_parser(commands: Any, config_help: str) -> None:
    prepare = commands.add_parser(
        "prepare", help="write what a Zensical build needs (preview)", description=DESCRIPTION
    )
    prepare.add_argument("-f", "--config-file", dest="config", metavar="FILE", help=config_help)
    prepare.add_argument("--as-of", metavar="DATE", help="the reference date, YYYY-MM-DD")
    prepare.add_argument(
        "--after-build", action="store_true", help="write register.json/.csv and changes.xml into the built site"
    )
    prepare.set_defaults(run=run_prepare)


def run_prepare(args: argparse.Namespace) -> int:
    from sop_hub.hosts.zensical import prepare  # Jinja and the renderer: only for this command

    try:
        if args.after_build:
            paths = prepare.after_build(args.config, as_of=args.as_of)
        else:
            loaded, paths = prepare.prepare(args.config, as_of=args.as_of)
            hub = loaded.hub
            sys.stderr.write(formats.text_report(hub.catalog, hub.problems))
    except prepare.UnreadablePages as error:
        for problem in error.problems:
            print(f"{problem.path}:{problem.line}: error: {problem.message}", file=sys.stderr)
        print(
            "sop-hub prepare: Zensical stops the whole build on front-matter it cannot read: fix the "
            f"{'page' if len(error.problems) == 1 else 'pages'} above, then run it again",
            file=sys.stderr,
        )
        return EXIT_FINDINGS
    except ProjectError as error:
        raise UsageError(str(error)) from None
    for path in paths:
        print(f"wrote {show(path)}")
    return EXIT_OK
