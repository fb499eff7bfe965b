"""Kernel memory a hostile worker could hold past its 2 GB of address space, which counts none
of it (its open files are bounded for the same reason: ``_confine.FILES_OPEN``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from skiptrace.audit import AuditLog
from skiptrace.policy import Policy
from tests.hostile.test_sandbox import _connector, _run

RULESETS = """
def ruleset():
    attributes = LOAD("struct").pack("QQQ", 0, 3, 0)  # TCP ports handled; nothing granted
    buffer = LOAD("ctypes").create_string_buffer(attributes)
    return syscall(444, buffer, len(attributes), 0)  # landlock_create_ruleset
"""


@pytest.mark.usefixtures("lent_starters")
def test_a_worker_makes_no_landlock_rules_of_its_own(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """A worker is confined before its connector loads and needs no rules after: a review's
    made 57 rulesets of 65,536 port rules each (its open files allowed no more), 250 MB of
    the kernel's memory in 6 s, none of it in its own."""
    manifest = _connector(tmp_path / "c", "ruleset()", prelude_extra=RULESETS)
    status, detail, [outcome] = _run(manifest, fast_policy, audit)
    assert status == "hit", detail
    assert outcome.startswith("refused PermissionError(1,"), outcome
