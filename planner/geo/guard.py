"""Look before reading: every input file is checked with ``stat`` before it is opened.

- Only ordinary files are read. A FIFO, a device (``/dev/zero`` behind a ``.csv`` name), a socket
  or a folder is refused without being opened, so nothing can block or stream forever.
- A file over :data:`MAX_INPUT_BYTES` (512 MB, far above England's 3,000 centres or its district
  boundaries at full resolution) is refused before any of it is read.
- :func:`read_bytes` reads at most that many bytes, even from a file that grows while it is read.

Every refusal is an :class:`InputError` naming the file.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from planner.geo.errors import InputError

__all__ = ["MAX_INPUT_BYTES", "check_input", "read_bytes", "describe_kind"]

MAX_INPUT_BYTES = 512 * 1024 * 1024


def describe_kind(mode: int) -> str:
    """What a non-regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not an ordinary file"


def check_input(path: str | os.PathLike, limit: int = MAX_INPUT_BYTES) -> os.stat_result:
    """``stat`` of ``path`` (symlinks followed) if it is an ordinary file of at most ``limit``
    bytes; else :class:`InputError`. The file is never opened here."""
    path = Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{path}: is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(
            f"{path}: is {describe_kind(info.st_mode)}, not an ordinary file; "
            "the planner reads only ordinary files"
        )
    if info.st_size > limit:
        raise InputError(
            f"{path}: is {info.st_size / 1e6:,.0f} MB; the planner reads files of at most "
            f"{limit / 1e6:,.0f} MB"
        )
    return info


def read_bytes(path: str | os.PathLike, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of ordinary file ``path`` (see :func:`check_input`), at most ``limit`` of them."""
    check_input(path, limit)
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if len(data) > limit:
        raise InputError(
            f"{path}: grew past {limit / 1e6:,.0f} MB while it was read; refused"
        )
    return data
