"""A run started again while the one before it is stopping (a scheduler's ``kill`` then the same
command, a shell loop): the stopping run holds its partial output locked while it winds down,
some tens of milliseconds, and the new run was refused at once, "another run is writing", in
five starts of five made as the old run got SIGTERM."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from skiptrace.errors import InputError
from skiptrace.tables import paths
from skiptrace.tables.paths import Partial


def test_a_run_waits_for_a_stopping_run_to_let_go_of_the_partial(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    stopping = Partial(target)  # the run before, locked until it has wound down
    letting_go = threading.Timer(0.2, stopping.__exit__, (KeyboardInterrupt, None, None))
    letting_go.start()
    try:
        with Partial(target) as partial:
            partial.writerow(["id"])
            partial.complete()
    finally:
        letting_go.join()
    assert target.read_text(encoding="utf-8").splitlines() == ["id"]


def test_a_run_still_writing_is_not_waited_for_past_the_wait(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paths, "HELD_WAIT_SECONDS", 0.1)
    target = tmp_path / "out.csv"
    with Partial(target) as writing:
        writing.writerow(["another run's rows"])
        with pytest.raises(InputError, match="another run is writing"):
            Partial(target)
        writing.complete()  # its file left as it was
    assert target.read_text(encoding="utf-8").splitlines() == ["another run's rows"]
