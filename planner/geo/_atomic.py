"""Write files as a careful editor does (after Mercurial's ``atomictempfile``).

:func:`atomic_write` writes a temporary file beside the destination, fsyncs it and renames it
over the destination, so a crash or an error half-way leaves the previous file untouched:

- **Permissions.** A new file gets the mode the umask gives any new file (0644 under umask 022);
  an existing file keeps its mode (and, where allowed, its owner).
- **Symlinks are followed**: a symlinked destination writes its target, the link stays a link.
- **Only ordinary files are replaced**: a FIFO, a device or a folder at the destination is refused.
- **No temporary file is left behind**: it is removed on any error, and orphans of earlier runs
  that were killed mid-write (``.NAME.<pid>.*.tmp`` of a process that is gone, or any
  ``.NAME.*.tmp`` over an hour old) are removed before the next write to ``NAME``.
- **Errors name the destination**, never the temporary file; a full disk says so.
- ``protect``: the file the data was read from; writing over it is refused (an export must not
  overwrite the user's centres file).
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from planner.geo.errors import OutputError

__all__ = ["atomic_write", "destination", "clean_orphans", "same_file"]

ORPHAN_AGE_S = 3600.0


def _umask() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # no other way to read it; set straight back
    os.umask(mask)
    return mask


def same_file(a: str | os.PathLike | None, b: str | os.PathLike | None) -> bool:
    """True when ``a`` and ``b`` name one existing file (links and ``..`` resolved)."""
    if not a or not b:
        return False
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def destination(path: str | os.PathLike, protect: str | os.PathLike | None = None) -> Path:
    """The file a write to ``path`` replaces (a symlink's target), checked as the module says."""
    target = Path(os.path.realpath(path))
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputError(f"{path}: cannot be written ({exc.strerror or exc})") from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        from planner.geo.guard import describe_kind

        raise OutputError(f"{path}: is {describe_kind(info.st_mode)}, not an ordinary file; "
                          "nothing was written")
    if not target.parent.is_dir():
        raise OutputError(f"{path}: cannot be written (No such file or directory: the "
                          f"folder {target.parent} does not exist)")
    if protect is not None and same_file(target, protect):
        raise OutputError(f"{path}: is the file the plan was read from; write to another file "
                          "(only a plan file may be saved over itself)")
    return target


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def clean_orphans(target: Path) -> int:
    """Remove temporary files earlier writes to ``target`` left behind; how many."""
    removed = 0
    now = time.time()
    for tmp in target.parent.glob(f".{target.name}.*.tmp"):
        parts = tmp.name[len(target.name) + 2:].split(".")
        pid = int(parts[0]) if parts and parts[0].isdigit() else None
        try:
            old = now - tmp.stat().st_mtime > ORPHAN_AGE_S
            if (pid is not None and pid != os.getpid() and not _alive(pid)) or old:
                tmp.unlink()
                removed += 1
        except OSError:
            continue
    return removed


def _failure(path, exc: OSError) -> OutputError:
    if exc.errno == errno.ENOSPC:
        return OutputError(f"{path}: cannot be written: the disk is full (nothing was changed)")
    if exc.errno == errno.EDQUOT:
        return OutputError(f"{path}: cannot be written: disk quota exceeded (nothing was changed)")
    return OutputError(f"{path}: cannot be written ({exc.strerror or exc}; nothing was changed)")


@contextmanager
def atomic_write(
    path: str | os.PathLike,
    *,
    newline: str | None = None,
    protect: str | os.PathLike | None = None,
) -> Iterator[IO[str]]:
    """A UTF-8 text stream that replaces ``path`` only when the ``with`` block succeeds.

    ``newline`` is passed to :func:`open` (``""`` for the csv module); ``protect`` is a file
    that must not be overwritten (the input).
    """
    target = destination(path, protect)
    clean_orphans(target)
    try:
        existing = os.stat(target)
        mode, owner = stat.S_IMODE(existing.st_mode), (existing.st_uid, existing.st_gid)
    except FileNotFoundError:
        mode, owner = 0o666 & ~_umask(), None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp",
                                   dir=target.parent)
    except OSError as exc:
        raise _failure(path, exc) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as stream:
            yield stream
            stream.flush()
            os.fchmod(stream.fileno(), mode)
            if owner is not None:
                try:
                    os.fchown(stream.fileno(), *owner)
                except OSError:
                    pass
            os.fsync(stream.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError) and not isinstance(exc, OutputError):
            raise _failure(path, exc) from None
        raise
    _fsync_folder(target.parent)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable where the platform allows it (not on Windows)."""
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
