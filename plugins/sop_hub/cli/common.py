"""What every command shares: its errors, exit codes and notes to stderr."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
_SHOWN_PATH = 120  # characters of a path in a message: a 4,000-character name helps nobody


class UsageError(Exception):
    """The command cannot run (exit 2); the message says what to fix."""


class Refused(Exception):
    """One file was not written (exit 1); the message says why."""


def show(path: Path | str) -> str:
    """``path`` as the user would type it: relative to the working folder when inside it, and
    shortened in the middle when it is too long to read."""
    text = str(path)
    with contextlib.suppress(ValueError, OSError):
        # abspath, not resolve: a link is shown as the link the user named, not as its target
        text = Path(os.path.abspath(path)).relative_to(os.getcwd()).as_posix()
    text = "".join(char if char.isprintable() else ascii(char)[1:-1] for char in text)  # one line, always
    if len(text) > _SHOWN_PATH:
        keep = (_SHOWN_PATH - 1) // 2
        text = f"{text[:keep]}\u2026{text[-keep:]}"
    return text


def describe(error: OSError) -> str:
    """An ``OSError`` as one line, ``path: what went wrong``, without Python's ``[Errno 2]``."""
    reason = error.strerror or (os.strerror(error.errno) if error.errno else str(error))
    name = error.filename2 if error.filename2 is not None else error.filename
    if name is None:
        return reason
    return f"{show(os.fsdecode(name))}: {reason}"


def note(message: str) -> None:
    print(f"sop-hub: note: {message}", file=sys.stderr)
