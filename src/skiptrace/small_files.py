"""The files a third party drops in a folder for skiptrace to read whole (a connector's manifest
and Python source, a bulk source's manifest), and the key files skiptrace keeps in its state
folder, read one way: such a folder may hold a FIFO, a link to a device or a file of any size
where a page of text or a few bytes belong."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from skiptrace.errors import ManifestError

MAX_FILE_BYTES = 1_000_000
"""Such a file's largest size: a manifest is a page of TOML and a Python connector a few hundred
lines (business_pages.py, the largest shipped, ~35 KB)."""


class NotSmall(OSError):
    """A file that is not a regular file of at most the size asked: never read further."""


def small_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; NotSmall otherwise, OSError if
    it cannot be opened. Opened without waiting (a FIFO had held every command that loads
    connectors) and checked once open, so a link to /dev/zero or a file swapped after a look
    is never read."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotSmall(f"{path}: not a regular file")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise NotSmall(f"{path}: over {limit:,} bytes")
    return data


def small_text(path: Path) -> str:
    """The UTF-8 text of such a file (``small_bytes``, at most ``MAX_FILE_BYTES``); a
    ManifestError saying why it cannot be had."""
    try:
        return small_bytes(path).decode("utf-8")
    except NotSmall as exc:
        raise ManifestError(str(exc)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{path}: cannot read: {exc}") from None
