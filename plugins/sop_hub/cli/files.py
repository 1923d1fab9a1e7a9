"""Writing files so that an interrupted run loses nothing."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


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
