"""What every command shares: its errors, exit codes and notes to stderr."""

from __future__ import annotations

import sys
from pathlib import Path

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """The command cannot run (exit 2); the message says what to fix."""


class Refused(Exception):
    """One file was not written (exit 1); the message says why."""


def show(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def note(message: str) -> None:
    print(f"sop-hub: note: {message}", file=sys.stderr)
