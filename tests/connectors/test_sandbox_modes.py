"""Where no sandbox can be had: built-in Python connectors still run, a third-party one only
when a policy names it as trusted, with a reason; any other is refused, saying why."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skiptrace.audit import AuditLog
from skiptrace.cli import app
from skiptrace.connectors import _sandbox
from skiptrace.connectors._registry import PythonConnector, discover, grants_of, load_manifest
from skiptrace.connectors._sandbox import Mode
from skiptrace.errors import PolicyError
from skiptrace.policy import Policy, load_policy
from skiptrace.records import Query
from skiptrace.research.run import Run

CONNECTOR = """
from skiptrace.connectors import Query, Session, SourceRecord


class Quiet:
    async def search(self, session: Session, query: Query) -> list[SourceRecord]:
        return []


CONNECTOR = Quiet()
"""
MANIFEST = (Path(__file__).parent / "fixtures" / "third_party.toml").read_text("utf-8")
"""A third party's connector's manifest (its Python is each test's own)."""
TRUSTING = """
[connectors]
trusted = ["third_party"]

[[override]]
key = "connectors.trusted"
reason = "our own connector, reviewed on 2026-11-30, ticket 77"
"""


@pytest.fixture
def no_sandbox(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_sandbox, "unavailable", lambda: "no sandbox on testos")


@pytest.fixture
def third_party(tmp_path: Path) -> Path:
    folder = tmp_path / "third"
    folder.mkdir()
    (folder / "third_party.toml").write_text(MANIFEST, encoding="utf-8")
    (folder / "third_party.py").write_text(CONNECTOR, encoding="utf-8")
    return folder


def test_without_a_sandbox_a_third_party_connector_is_refused_and_says_why(
    no_sandbox: None, third_party: Path, policy: Policy, audit: AuditLog
) -> None:
    connector = load_manifest(third_party / "third_party.toml")
    assert isinstance(connector, PythonConnector) and connector.mode == Mode.REFUSED

    async def research() -> tuple[str, str]:
        async with Run(policy, audit, [connector], purpose="test") as run:
            result = await run.search(connector, Query.of("A-1", employer="Acme"))
        return result.status, result.detail

    status, detail = asyncio.run(research())
    assert status == "error"
    assert "no sandbox on testos" in detail and "connectors.trusted" in detail


def test_without_a_sandbox_built_in_connectors_still_run(no_sandbox: None) -> None:
    builtin = [c for c in discover(entry_points=False).connectors.values()
               if isinstance(c, PythonConnector)]  # fmt: skip
    assert {c.info.id for c in builtin} >= {"companies_house", "sec_edgar"}
    assert all(c.mode == Mode.TRUSTED and "built in" in c.how for c in builtin)


def test_trusting_a_connector_needs_a_reason_and_is_then_run(
    no_sandbox: None, third_party: Path, tmp_path: Path
) -> None:
    bare = tmp_path / "bare.toml"
    bare.write_text('[connectors]\ntrusted = ["third_party"]\n', encoding="utf-8")
    with pytest.raises(PolicyError, match=r"connectors\.trusted"):
        load_policy([bare])
    trusting = tmp_path / "trusting.toml"
    trusting.write_text(TRUSTING, encoding="utf-8")
    policy = load_policy([trusting])
    registry = discover([third_party], entry_points=False, grants=grants_of(policy))
    connector = registry.connectors["third_party"]
    assert isinstance(connector, PythonConnector) and connector.mode == Mode.TRUSTED
    shown = CliRunner().invoke(
        app, ["--policy", str(trusting), "--connectors-dir", str(third_party), "connectors",
              "show", "third_party"],
    )  # fmt: skip
    assert shown.exit_code == 0 and "trusted: named in connectors.trusted" in shown.output
    with AuditLog(tmp_path / "audit.sqlite3") as audit:

        async def research() -> str:
            async with Run(policy, audit, [connector], purpose="test") as run:
                return (await run.search(connector, Query.of("A-2", employer="Acme"))).status

        assert asyncio.run(research()) == "no_result"
        overrides = [row for row in audit.rows() if row.event == "override"]
    assert [row.rule for row in overrides] == ["connectors.trusted"]
    assert "ticket 77" in overrides[0].detail


def test_a_folder_given_relative_to_the_working_directory_is_found_by_the_sandbox(
    third_party: Path, policy: Policy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sandboxed worker starts elsewhere: ``--connectors-dir third`` must still name the
    folder the user meant (issue 11's review)."""
    if _sandbox.unavailable():
        pytest.skip(f"no sandbox here: {_sandbox.unavailable()}")
    monkeypatch.chdir(tmp_path)
    registry = discover([Path(third_party.name)], entry_points=False)
    connector = registry.connectors["third_party"]
    assert isinstance(connector, PythonConnector) and connector.mode == Mode.SANDBOXED
    with AuditLog(tmp_path / "audit.sqlite3") as audit:

        async def research() -> tuple[str, str]:
            async with Run(policy, audit, [connector], purpose="test") as run:
                result = await run.search(connector, Query.of("A-3", employer="Acme"))
                return result.status, result.detail

        assert asyncio.run(research()) == ("no_result", "")


NOSY = """
import json

from skiptrace.connectors import NoResult, Query, Session, SourceRecord


class Nosy:
    async def search(self, session: Session, query: Query) -> list[SourceRecord]:
        raise NoResult(json.dumps([sorted(query.values), query.debtor_ref]))


CONNECTOR = Nosy()
"""


def test_a_sandboxed_connector_gets_only_the_fields_it_declares(
    tmp_path: Path, policy: Policy, audit: AuditLog
) -> None:
    """A connector declaring the employer (needed) and the surname (optional) had every debtor
    field and the raw account number handed to it, to send on to its own origin. Now it gets
    what it declares, and no account number (the parent audits its requests by it)."""
    folder = tmp_path / "nosy"
    folder.mkdir()
    manifest = MANIFEST.replace(
        'needs = ["employer"]', 'needs = ["employer"]\noptional = ["last_name"]'
    )
    (folder / "third_party.toml").write_text(manifest, encoding="utf-8")
    (folder / "third_party.py").write_text(NOSY, encoding="utf-8")
    connector = load_manifest(folder / "third_party.toml")
    assert isinstance(connector, PythonConnector) and connector.mode == Mode.SANDBOXED
    query = Query.of("ACCT-778899", first_name="Jane", last_name="Roe", phone="5550100",
                     email="jane@example.com", address="1 Main St", employer="Acme")  # fmt: skip

    async def research() -> str:
        async with Run(policy, audit, [connector], purpose="test") as run:
            return (await run.search(connector, query)).detail

    seen, reference = json.loads(asyncio.run(research()))
    assert seen == ["employer", "last_name"]
    assert reference == ""


PEEKING = """
from skiptrace.connectors import NoResult, Query, Session, SourceRecord


class Peeking:
    async def search(self, session: Session, query: Query) -> list[SourceRecord]:
        raise NoResult(session.query.get("phone") + "|" + session.query.get("email"))


CONNECTOR = Peeking()
"""


def test_a_trusted_connector_in_this_process_cannot_read_the_whole_query_off_its_session(
    no_sandbox: None, third_party: Path, tmp_path: Path
) -> None:
    """Run in this process (trusted, no sandbox), a connector declaring only the employer read
    the debtor's phone and e-mail off ``session.query`` (review). The session keeps the query
    to itself now (the fence refuses private names)."""
    (third_party / "third_party.py").write_text(PEEKING, encoding="utf-8")
    trusting = tmp_path / "trusting.toml"
    trusting.write_text(TRUSTING, encoding="utf-8")
    policy = load_policy([trusting])
    connector = discover([third_party], entry_points=False, grants=grants_of(policy)).connectors[
        "third_party"
    ]
    assert isinstance(connector, PythonConnector) and connector.mode == Mode.TRUSTED
    query = Query.of("A-3", employer="Acme", phone="555-867-5309", email="jane@example.com")
    with AuditLog(tmp_path / "audit.sqlite3") as audit:

        async def research() -> tuple[str, str]:
            async with Run(policy, audit, [connector], purpose="test") as run:
                found = await run.search(connector, query)
                return found.status, found.detail

        status, detail = asyncio.run(research())
    assert status == "error" and "5309" not in detail and "jane" not in detail, detail
