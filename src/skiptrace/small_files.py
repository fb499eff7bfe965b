"""The files a third party drops in a folder for skiptrace to read whole (a connector's manifest
and Python source, a bulk source's manifest), read one way: such a folder may hold a FIFO, a
link to a device or a file of any size where a page of text belongs."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from skiptrace.errors import ManifestError

MAX_FILE_BYTES = 1_000_000
"""Such a file's largest size: a manifest is a page of TOML and a Python connector a few hundred
lines (business_pages.py, the largest shipped, ~35 KB)."""


def small_text(path: Path) -> str:
    """The text of such a file, a regular file of at most ``MAX_FILE_BYTES``: opened
    without waiting (a FIFO had held every command that loads connectors) and checked once
    open, so a link to /dev/zero or a file swapped after a look is never read."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise ManifestError(f"{path}: not a regular file")
            data = handle.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise ManifestError(f"{path}: over {MAX_FILE_BYTES:,} bytes")
        return data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{path}: cannot read: {exc}") from None
