"""Writing files so that an interrupted run loses nothing and nothing lands where it should not.

Three rules, for every command that writes:

- a regular file is replaced atomically, by a temporary file in the same folder (an interrupted
  run leaves the old file whole and no temporary file behind);
- a symbolic link is written through: the link's target is replaced and the link is kept;
- a device, a FIFO or a terminal (``/dev/null``, ``/dev/stdout``) is written to, never replaced.

Every failure is an ``OSError`` whose ``filename`` is the path the user gave or the target it
names, never the temporary file, so :func:`sop_hub.cli.common.describe` says which file failed.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

from sop_hub.cli.common import show

# Folders of the kernel's special files: a link into them (``/dev/stdout`` -> ``/proc/self/fd/1``)
# names an open file of this process, which is written to even when it is a regular file.
_SPECIAL = ("/dev/", "/proc/")
_MAX_LINKS = 40  # as the kernel's ELOOP limit
_TEMP_NAME_BYTES = 200  # of the target's name in the temporary name: the whole stays under 255 bytes


def write_output(path: Path, data: bytes) -> None:
    """Write a report to ``path``: through a link, onto a device, or atomically onto a file."""
    target = _writable_target(path)
    if target is None:
        _write_in_place(path, data)
        return
    try:
        atomic_write(target, data)
    except OSError as error:
        if path.is_symlink():
            raise  # it names the link's target, where it failed
        raise _about(error, path) from None  # the path as given, not its absolute form


def regular_target(path: Path) -> Path:
    """The regular file ``path`` names, symbolic links followed; ``OSError`` when it is anything else.

    Commands that edit a file (``review``) read and replace this path, so the link stays a link."""
    try:
        mode = os.stat(path).st_mode  # follows links
    except FileNotFoundError:
        if path.is_symlink():
            message = f"it is a symbolic link to {os.readlink(path)}, which does not exist"
            raise FileNotFoundError(errno.ENOENT, message, str(path)) from None
        raise
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "it is a folder, not a file", str(path))
    if not stat.S_ISREG(mode) or any(str(link).startswith(_SPECIAL) for link in _link_chain(path)):
        raise OSError(errno.EINVAL, "it is not a regular file (a device, a FIFO or a socket)", str(path))
    return Path(os.path.realpath(path))


def atomic_write(path: Path, data: bytes) -> None:
    """Replace the regular file ``path`` with ``data`` all at once, keeping its permissions: an
    interrupted run leaves the old file whole. ``path`` must not be a link (see :func:`regular_target`)."""
    _need_folder(path)
    try:
        tmp = _temp_copy(path, data)
    except OSError as error:
        raise _about(error, path) from None
    try:
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        Path(tmp).chmod(mode)
        Path(tmp).replace(path)
    except OSError as error:
        Path(tmp).unlink(missing_ok=True)
        raise _about(error, path) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def create_new(path: Path, data: bytes) -> None:
    """Write a new file whole, or raise ``FileExistsError``: never overwrites, even in a race, and
    never follows a link that is already there (not even a dangling one)."""
    _need_folder(path)
    try:
        tmp = _temp_copy(path, data)
    except OSError as error:
        raise _about(error, path) from None
    try:
        Path(tmp).chmod(0o666 & ~_umask())
        try:
            os.link(tmp, path)  # atomic, and fails if the name exists (even as a dangling link)
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links: O_CREAT|O_EXCL fails on any existing name
            with open(path, "xb") as handle:
                handle.write(data)
    except FileExistsError:
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path)) from None
    except OSError as error:
        raise _about(error, path) from None
    finally:
        Path(tmp).unlink(missing_ok=True)
    _fsync_dir(path.parent)


def _writable_target(path: Path) -> Path | None:
    """Where to write ``path`` atomically, or ``None`` to write to it in place (not a regular file)."""
    try:
        mode: int | None = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None  # a new file, or a dangling link: its target is created
    if mode is not None and stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "it is a folder; name a file", str(path))
    if mode is not None and (not stat.S_ISREG(mode) or any(str(p).startswith(_SPECIAL) for p in _link_chain(path))):
        return None
    return Path(os.path.realpath(path))


def _link_chain(path: Path) -> list[Path]:
    """``path`` and each link it points through, as written (``/dev/stdout``, ``/proc/self/fd/1``)."""
    current = Path(os.path.abspath(path))
    chain = [current]
    for _ in range(_MAX_LINKS):
        if not current.is_symlink():
            break
        current = Path(os.path.normpath(current.parent / os.readlink(current)))
        chain.append(current)
    return chain


def _write_in_place(path: Path, data: bytes) -> None:
    # Append, never truncate: `> out` has truncated already, and `>> out` must keep what is there.
    try:
        with open(path, "ab") as handle:
            handle.write(data)
    except OSError as error:  # a full device fails on close, with no file name in the error
        raise _about(error, path) from None


def _need_folder(path: Path) -> None:
    if not path.parent.is_dir():
        raise FileNotFoundError(errno.ENOENT, f"the folder {show(path.parent)} does not exist", str(path))


def _about(error: OSError, path: Path) -> OSError:
    """The same error, naming ``path`` instead of a temporary file (``OSError(errno, …)`` picks the subclass)."""
    return OSError(error.errno, error.strerror or str(error), str(path))


def _temp_copy(path: Path, data: bytes) -> str:
    # A dot-name in the same folder: os.replace stays atomic, and MkDocs ignores dot-files. The
    # name is shortened so that a target near the 255-byte limit still gets a temporary file.
    name = path.name.encode("utf-8", "surrogateescape")[:_TEMP_NAME_BYTES].decode("utf-8", "ignore")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{name}.", suffix=".tmp")
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
