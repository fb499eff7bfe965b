"""What several net tests use alike."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import httpx
import pytest

from skiptrace.audit import AuditLog, AuditRow
from skiptrace.errors import Refused
from skiptrace.net.client import guarded_client
from skiptrace.net.guard import evaluate
from skiptrace.policy import Policy, load_policy

TOOL = Path(__file__).resolve().parents[2] / "tools/refresh_social_list.py"

RunTool = Callable[[list[str]], tuple[int, str, str]]
RuleOf = Callable[[str], "str | None"]
Unsent = Callable[[str], AuditRow]


@pytest.fixture(scope="session")
def refresh_tool() -> ModuleType:
    """tools/refresh_social_list.py as a module, to run here: a Python of its own per run (its
    imports, the Public Suffix List read again) had been most of its tests' time."""
    spec = importlib.util.spec_from_file_location("refresh_social_list", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def run_refresh_tool(
    refresh_tool: ModuleType, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> RunTool:
    """The refresh tool run with ``args`` as its command line would: its exit code, and what
    it wrote to stdout and stderr. (It puts the repository's src first on ``sys.path``: undone
    after the test.)"""
    monkeypatch.setattr(sys, "path", list(sys.path))

    def run(args: list[str]) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            code = refresh_tool.main(args)
        except SystemExit as stopped:  # argparse's usage errors
            assert isinstance(stopped.code, int), stopped.code
            code = stopped.code
        said = capsys.readouterr()
        return code, said.out, said.err

    return run


@pytest.fixture(scope="session")
def rule_of() -> RuleOf:
    """The rule that refuses a GET of a URL under the default policy, or None: it is sent."""
    policy = load_policy()

    def rule(url: str) -> str | None:
        try:
            evaluate("GET", url, policy)
        except Refused as refusal:
            return refusal.rule
        return None

    return rule


@pytest.fixture
def refused_unsent(policy: Policy, audit: AuditLog) -> Unsent:
    """A GET of a URL through a guarded client, refused: nothing reaches its network, and
    the one audit row is the refusal's, returned."""

    def refused(url: str) -> AuditRow:
        def network(request: httpx.Request) -> httpx.Response:
            raise AssertionError(f"sent: {request.url}")

        with (
            guarded_client(
                purpose="tests", policy=policy, audit=audit, inner=httpx.MockTransport(network)
            ) as client,
            pytest.raises(Refused),
        ):
            client.get(url)
        [row] = [row for row in audit.rows() if row.event != "override"]
        assert row.event == "refused", row
        return row

    return refused
