"""A bulk file swapped for another while it is imported: its listing, hash, date and rows all
come from the one file opened, so whatever the name points to meanwhile (a FIFO, a damaged
ZIP, another download) is never read, nor waited on."""

from __future__ import annotations

import os
import signal
import sys
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from skiptrace.errors import InputError
from skiptrace.index import Store, import_file, importer
from skiptrace.tables.checkpoints import file_sha256
from tests.index.test_import import HEADER, board, names, row


class Hung(Exception):
    """The import still ran after its time. (Not a TimeoutError: that is an OSError, which
    the code under test may catch.)"""


@contextmanager
def _within(seconds: float) -> Iterator[None]:
    """Hung if the block still runs after ``seconds``, and again every tenth of a second after
    that: an open of a FIFO waiting for a writer is interrupted, not left to hang the run."""

    def expire(signum: int, frame: FrameType | None) -> None:
        raise Hung(f"still running after {seconds} s (waiting on a FIFO?)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.1)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _swapped_once_hashed(
    monkeypatch: pytest.MonkeyPatch, path: Path, swap: Callable[[Path], None]
) -> None:
    """``swap(path)`` runs just after the import has hashed the file."""

    def hashing(file: Any) -> bytes:
        digest = file_sha256(file)
        swap(path)
        return digest

    monkeypatch.setattr(importer, "file_sha256", hashing)


def _csv(path: Path, rows: range) -> None:
    path.write_text(HEADER + "".join(row(i) for i in rows), encoding="utf-8")


def _zip(path: Path, rows: range) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("board_20250101.csv", HEADER + "".join(row(i) for i in rows))


def _fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


@pytest.mark.parametrize("write", [_csv, _zip], ids=["csv", "zip"])
def test_a_fifo_swapped_in_once_hashed_does_not_hold_the_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write: Callable[[Path, range], None]
) -> None:
    """The download was opened again by name to be read: a FIFO put in its place after it was
    hashed held the import waiting for a writer, for good (the index locked meanwhile)."""
    path = tmp_path / "board_20250101.csv"
    write(path, range(1, 4))
    _swapped_once_hashed(monkeypatch, path, _fifo)
    with Store(tmp_path / "index.sqlite3") as store, _within(5):
        with pytest.raises(InputError, match=r"^board_20250101\.csv changed while it was"):
            import_file(store, board(tmp_path), path)
        assert (store.files(), store.unfinished(), names(store)) == ([], [], {})


def test_a_damaged_zip_swapped_in_once_hashed_is_an_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A damaged ZIP put in the file's place after it was hashed was opened by name to be
    read: a BadZipFile traceback, not one line and exit 2."""
    path = tmp_path / "board_20250101.zip"
    _zip(path, range(1, 4))

    def damaged(file: Path) -> None:
        _zip(file, range(5, 8))  # its end record intact, its central directory's not
        file.write_bytes(file.read_bytes().replace(b"PK\x01\x02", b"PK\x01\xff"))

    _swapped_once_hashed(monkeypatch, path, lambda file: _replace(file, damaged))
    with Store(tmp_path / "index.sqlite3") as store:
        with pytest.raises(InputError, match=r"^board_20250101\.zip changed while it was"):
            import_file(store, board(tmp_path), path)
        assert (store.files(), store.unfinished(), names(store)) == ([], [], {})


def _replace(path: Path, write: Callable[[Path], None]) -> None:
    """``path`` replaced (a new file renamed over it) by what ``write`` makes."""
    new = path.with_name("new")
    write(new)
    os.replace(new, path)


def test_another_file_read_in_its_place_is_never_recorded_under_its_hash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another download renamed over the file once it was hashed, and the file put back (a
    hard link renamed over it) once that other one was open: the other one's rows were read
    and recorded under the first one's hash. The end check saw the file it hashed (its inode,
    size and modification time; its change time moved, its bytes did not), so importing the
    first file again was a no-op that kept the other's rows."""
    path = tmp_path / "board_20250101.csv"
    _csv(path, range(1, 4))
    kept = tmp_path / "kept"
    os.link(path, kept)
    _swapped_once_hashed(monkeypatch, path, lambda file: _replace(file, lambda new: _csv(
        new, range(100, 103))))  # fmt: skip
    back: list[int] = []

    def put_back(read: int) -> None:
        if not back:
            back.append(read)
            os.replace(kept, path)

    with Store(tmp_path / "index.sqlite3") as store:
        import_file(store, board(tmp_path), path, progress=put_back, batch_size=1)
        assert back and sorted(names(store)) == ["1", "2", "3"]


def test_the_file_is_opened_by_its_name_once(tmp_path: Path) -> None:
    """Each step (its state, its listing, its hash, its reading, its date) opened the file by
    its name again, so each could read a different file; now one open file serves them all."""
    path = tmp_path / "board_20250101.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("board_20250101.csv", HEADER + row(1))
        archive.writestr("board_20250102.csv", HEADER + row(2))
    with Store(tmp_path / "index.sqlite3") as store:
        opened = _opens_of(path)
        summary = import_file(store, board(tmp_path), path)
        assert (summary.parties, len(opened)) == (2, 1)


_WATCHED: dict[str, list[object]] = {}
"""The opens of each path watched (``_opens_of``), as the audit hook sees them."""
_HOOKED: list[bool] = []
"""Whether the audit hook was added (once: a hook cannot be removed)."""


def _opens_of(path: Path) -> list[object]:
    """A list that each later open of ``path`` adds to (the ``open`` audit event: every
    ``open``, ``os.open`` and ``io.open``, whatever module calls it)."""
    if not _HOOKED:
        sys.addaudithook(_audit)
        _HOOKED.append(True)
    return _WATCHED.setdefault(os.fspath(path), [])


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event == "open" and _WATCHED and isinstance(args[0], (str, bytes, os.PathLike)):
        opens = _WATCHED.get(os.fsdecode(args[0]))
        if opens is not None:
            opens.append(args)
