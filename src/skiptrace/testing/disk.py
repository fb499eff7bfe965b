"""A file whose reads fail part way, as a failing disk or network file system fails them
(EIO): for the tests that a reader names the file it could not read, not the output."""

from __future__ import annotations

import errno
import io
import os
from pathlib import Path
from typing import BinaryIO

import pytest

from skiptrace.tables import reader


class _Failing(io.BufferedReader):
    """Reads its first ``lines`` lines, then fails every read with EIO."""

    def __init__(self, raw: io.RawIOBase, lines: int) -> None:
        super().__init__(raw)
        self._lines = lines

    def readline(self, size: int | None = -1) -> bytes:
        if self._lines <= 0:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        self._lines -= 1
        return super().readline(size)


def fail_reads_after(monkeypatch: pytest.MonkeyPatch, path: Path, lines: int) -> None:
    """Every reader's lines of ``path`` fail with EIO after its first ``lines`` (the header
    counts); its first bytes, which say its encoding, are still read."""
    opened = reader.open_input

    def open_input(at: Path) -> BinaryIO:
        handle = opened(at)
        if at != path:
            return handle
        return _Failing(handle.detach(), lines)  # type: ignore[attr-defined]

    monkeypatch.setattr(reader, "open_input", open_input)
