"""The paths of a batch run, checked before anything is read or researched: the input a
regular file, the output one that can be written without harm. ``enrich`` and ``link`` both
check them; here, not in ``research``, so that ``link`` need not load the research stack."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import IO

from skiptrace.errors import InputError, WriteError
from skiptrace.state import in_home
from skiptrace.tables.reader import open_input
from skiptrace.tables.writer import Writer

HELD_WAIT_SECONDS = 2.0
"""How long a run waits for another run to let go of the partial output it wants: a run that
is stopping (Ctrl-C, SIGTERM) holds it while it winds down, some tens of milliseconds; one
still writing holds it past this, and the new run is refused."""


class _Held(Exception):
    """The partial output's name is another run's for now: locked, or changing hands."""


def check_paths(source: Path, target: Path, evidence: Path | None = None) -> None:
    """InputError unless ``source`` is a regular file (``open_input``: nothing is read) and
    ``target`` can be written without harm: not the input itself however it is spelled
    (another path, a symbolic or hard link), not a symbolic link, a directory, a device or a
    FIFO (the finished output is renamed over it), in a folder that exists; and
    neither the input nor ``evidence`` is the partial output's name, which a run replaces as
    a killed run's leftover. The CLI and the Python API both get it from ``enrich``, before
    any research; ``link`` for its output too."""
    with open_input(source):
        pass
    if target.is_dir():  # "-o ." too, which has no name to put a partial file beside
        raise InputError(f"the output {target} is a directory: name a file")
    partial = partial_path(target)
    for given in (source, evidence):
        if given is not None and _same_existing(given, partial):
            raise InputError(f"{given} is where the output is written while the run goes on "
                             f"({partial.name}): copy it to another name first")  # fmt: skip
    if target.exists() and os.path.samefile(source, target):
        raise InputError(f"the output {target} is the input file itself: name another output")
    if target.is_symlink():  # the finished output would replace the link, its file left stale
        raise InputError(f"the output {target} is a symbolic link: name the file it points to")
    if target.exists() and not target.is_file():  # a device such as /dev/null would be replaced
        kind = "a FIFO" if target.is_fifo() else "not a regular file (a device?)"
        raise InputError(f"the output {target} is {kind}: name a file")
    folder = target.parent
    if not folder.exists():
        raise InputError(f"the output's folder {folder} does not exist")
    if not folder.is_dir():
        raise InputError(f"the output's folder {folder} is not a folder")
    if in_home(target):
        raise InputError(f"the output {target} is in SKIPTRACE_HOME, beside the audit log and "
                         "the index: name a file elsewhere")  # fmt: skip


def default_output(source: Path) -> Path:
    """``INPUT.enriched.csv`` beside the input: ``enrich``'s output unless one is named. A
    path with no name ("." or "/", a folder that ``check_paths`` refuses) has none to make one
    of: it had raised ValueError."""
    name = f"{source.stem}.enriched.csv"
    return source.with_name(name) if source.name else source / name


def partial_path(target: Path) -> Path:
    """Where the output ``target`` is written until the run completes."""
    return target.with_name(f".{target.name}.partial")


def _same_existing(one: Path, other: Path) -> bool:
    try:
        return os.path.samefile(one, other)
    except OSError:  # either is not there
        return False


class Partial:
    """The output while it is written: ``.NAME.partial`` beside the target, created afresh
    (``O_CREAT|O_EXCL|O_NOFOLLOW``, mode 0600) and locked (``flock``) for the whole run, renamed
    over the target when complete, removed when the run stops early.

    Whatever is planted at that name is never followed or written through: a symbolic link,
    or anything but a regular file of ours, stops the run with InputError. A regular file of
    ours that no running skiptrace holds locked is what a killed run left: it is removed and
    the next run writes the output afresh (enrich's rows come back from its checkpoints), so
    a killed run leaves one such file at most, under a name that says whose output it was.
    One that a run holds locked is waited for, ``HELD_WAIT_SECONDS`` at most: a run started
    again while the one before is stopping finds it held for a moment, and refused it.
    ``enrich`` and ``link -o`` write through it."""

    def __init__(self, target: Path) -> None:
        self.path = partial_path(target)
        self._target = target
        deadline = time.monotonic() + HELD_WAIT_SECONDS
        while True:
            try:
                fd = self._made_afresh()
                break
            except _Held as held:
                if time.monotonic() > deadline:
                    raise InputError(str(held)) from None
            _unless_cancelled()
            time.sleep(0.01)
        # a stop from here on (Ctrl-C, SIGTERM) comes before any ``with`` holds the file: the
        # file, locked and so no other run's, is removed here, as ``__exit__`` removes it
        try:
            self.handle: IO[str] = os.fdopen(fd, "w", encoding="utf-8", newline="")
        except BaseException:
            os.unlink(self.path)
            with contextlib.suppress(OSError):
                os.close(fd)
            raise
        try:
            self._writer = Writer(self.handle)
        except BaseException:
            self.__exit__(None, None, None)
            raise

    def _made_afresh(self) -> int:
        """The partial file created and locked, a leftover at its name removed first; _Held
        while another run holds the name (writing, or letting go of it as it stops). Until it
        is locked the new file is a killed run's leftover to another run starting, which may
        remove it and make its own: locked, it must still be at the name, or it is made again
        (two runs had both written the output, one to a removed file, in 6 to 27 of 312 runs
        eight at once)."""
        self._remove_leftover()
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        try:
            fd = os.open(self.path, flags, 0o600)
        except FileExistsError:
            raise _Held(f"{self.path} appeared while the run started: is another run "
                        f"writing {self._target}?") from None  # fmt: skip
        except OSError as exc:
            raise InputError(f"cannot write {self.path}: {exc.strerror}") from None
        self._made = os.fstat(fd)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            taken = not self._ours()
        except BlockingIOError:  # another run has it as a leftover, and removes it
            taken = True
        except BaseException as exc:  # a stop, or a folder that cannot lock: none left behind
            if self._ours():
                os.unlink(self.path)
            os.close(fd)
            if isinstance(exc, OSError):
                raise InputError(f"cannot lock {self.path}: {exc.strerror}") from None
            raise
        if taken:
            os.close(fd)
            raise _Held(f"another run is writing {self._target} ({self.path} was taken as "
                        "it was made)")  # fmt: skip
        return fd

    def _remove_leftover(self) -> None:
        try:
            found = os.lstat(self.path)
        except FileNotFoundError:
            return
        if stat.S_ISLNK(found.st_mode):
            raise InputError(f"{self.path} is a symbolic link, not a partial output of "
                             "skiptrace: remove it if it is not wanted")  # fmt: skip
        if not stat.S_ISREG(found.st_mode) or found.st_uid != os.geteuid():
            raise InputError(f"{self.path} is not a partial output of skiptrace (not a regular "
                             "file of yours): remove it if it is not wanted")  # fmt: skip
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        except FileNotFoundError:  # its run removed it meanwhile
            return
        except OSError as exc:
            raise InputError(f"cannot replace {self.path}: {exc.strerror}") from None
        try:
            if not _same(os.fstat(fd), found):
                raise _Held(f"{self.path} changed while it was checked: try again")
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                raise _Held(f"another run is writing {self._target} ({self.path} is "
                            "locked)") from None  # fmt: skip
            try:  # unlocked: its run ended, unless that run removed it, or another made anew
                if not _same(os.lstat(self.path), found):
                    raise _Held(f"{self.path} changed while it was checked: try again")
                os.unlink(self.path)
            except FileNotFoundError:
                return
        finally:
            os.close(fd)

    def writerow(self, row: list[str]) -> None:
        """Write one output row; WriteError if it cannot be written (a full disk)."""
        with self._writing():
            self._writer.writerow(row)

    def complete(self) -> None:
        """Rename the finished output over the target (a symbolic link there is replaced,
        not written through)."""
        with self._writing():
            self.handle.flush()
            os.fsync(self.handle.fileno())
        if not self._ours():
            raise InputError(f"{self.path} was replaced during the run: {self._target} was "
                             "not written")  # fmt: skip
        with self._writing():
            os.replace(self.path, self._target)
        self.handle.close()

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        try:
            yield
        except OSError as exc:
            raise WriteError(f"cannot write {self.path}: {exc.strerror or exc}") from None

    def _ours(self) -> bool:
        try:
            return _same(os.lstat(self.path), self._made)
        except FileNotFoundError:
            return False

    def __enter__(self) -> Partial:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self.handle.closed:  # the run stopped early: no half output is left behind
            if self._ours():
                os.unlink(self.path)
            with contextlib.suppress(OSError):  # what is still buffered may not fit either
                self.handle.close()


def _unless_cancelled() -> None:
    """CancelledError in a task that is cancelled (``enrich``'s, when asyncio's Ctrl-C handler
    stops the run): that handler only cancels the task, so a stop during the wait went on to
    its end and was said as "another run is writing", exit 2, not as a stop."""
    with contextlib.suppress(RuntimeError):  # no event loop: Ctrl-C raises where it stands
        task = asyncio.current_task()
        if task is not None and task.cancelling():
            raise asyncio.CancelledError


def _same(one: os.stat_result, other: os.stat_result) -> bool:
    return (one.st_dev, one.st_ino) == (other.st_dev, other.st_ino)
