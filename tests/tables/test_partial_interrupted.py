"""A run stopped (Ctrl-C, SIGTERM) while its partial output is being made leaves no partial
file: ``tests/cli/test_interrupt.py`` sends SIGTERM as soon as ``.links.csv.partial`` appears,
and a signal landing after the file was created but before ``Partial`` was made (its handle,
its writer, its lock) had left the file, since no ``with`` held it yet."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest

from skiptrace.tables import paths
from skiptrace.tables.paths import Partial, partial_path


class _Stopped(KeyboardInterrupt):
    """What Python raises where a Ctrl-C or SIGTERM handler runs."""


@pytest.mark.parametrize("where", ["fdopen", "flock"])
def test_a_stop_while_the_partial_is_made_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    target = tmp_path / "links.csv"

    def stopped(*args: object, **kwargs: object) -> None:
        raise _Stopped

    monkeypatch.setattr(paths.os if where == "fdopen" else paths.fcntl, where, stopped)
    with pytest.raises(_Stopped):
        Partial(target)
    monkeypatch.undo()
    assert not partial_path(target).exists(), list(tmp_path.iterdir())
    with Partial(target) as partial:  # and the next run starts as on a clean folder
        partial.writerow(["id"])
        partial.complete()
    assert target.read_text(encoding="utf-8").splitlines() == ["id"]


def test_a_partial_made_whole_is_still_locked_and_kept_until_it_ends(tmp_path: Path) -> None:
    """Held: the partial file made without a stop is there, locked, until the run ends."""
    target = tmp_path / "links.csv"
    with Partial(target) as partial:
        fd = os.open(partial.path, os.O_RDONLY)
        try:
            with pytest.raises(OSError):
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(fd)
        assert partial.path.exists()
    assert not partial.path.exists()  # stopped early (never completed): removed
