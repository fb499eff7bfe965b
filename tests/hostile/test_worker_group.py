"""A hostile connector leaving the run's process group: killed with its group (``kill -9 %1``
from a shell, ``timeout -s KILL``), the run and its starter ended, and a worker that had left
it by ``setsid`` or ``setpgid`` ran on for good, at 98% of a core, its debtor's query in its
memory (a review)."""

from __future__ import annotations

from pathlib import Path

import pytest

from skiptrace.audit import AuditLog
from skiptrace.policy import Policy
from tests.hostile.test_sandbox import _connector, _run

LEAVING = {
    "a session of its own (setsid)": 'LOAD("os").setsid()',
    "a process group of its own (setpgid)": 'LOAD("os").setpgid(0, 0)',
}


@pytest.mark.parametrize("leaving", list(LEAVING))
@pytest.mark.usefixtures("lent_starters")
def test_a_worker_cannot_leave_the_process_group_it_is_killed_with(
    leaving: str, tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    status, detail, [outcome] = _run(
        _connector(tmp_path / "c", LEAVING[leaving]), fast_policy, audit
    )
    assert status == "hit", detail
    assert outcome.startswith("refused PermissionError(1,"), f"{leaving}: {outcome}"
