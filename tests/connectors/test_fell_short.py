"""``session.fell_short(reason)``: a connector that knows its search fell short for a reason no
request of it shows (a later page that came back, but not as the page asked for) says so, and
its result's ``partly`` carries it, in this process and in the sandbox alike: its records
stand, and the row is not called done. A hostile connector cannot make it hurt the run, nor
hide an outage the session noted behind it."""

from __future__ import annotations

import asyncio
import textwrap
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skiptrace.audit import AuditLog
from skiptrace.cli import app
from skiptrace.connectors import _sandbox
from skiptrace.connectors._model import Connector, Grants
from skiptrace.connectors._registry import load_manifest
from skiptrace.connectors._runner import ConnectorResult
from skiptrace.connectors._sandbox import Mode
from skiptrace.net.session import MAX_SHORTFALL_TEXT, MAX_SHORTFALLS
from skiptrace.policy import Policy
from skiptrace.records import Query
from skiptrace.research.findings import output_row
from skiptrace.research.run import Run
from skiptrace.safe_text import REPLACEMENT
from skiptrace.testing.replay import ReplayServer, Reply, loopback_policy_file

MANIFEST = (Path(__file__).parent / "fixtures" / "third_party.toml").read_text("utf-8")
"""A third party's connector's manifest (its Python is each test's own)."""
SOURCE = """
from skiptrace.connectors import Query, Session, SourceError, SourceRecord


class Short:
    async def search(self, session: Session, query: Query) -> list[SourceRecord]:
        page = await session.get("https://third.example/people", {{"q": query.get("employer")}})
        found = [SourceRecord(session.provenance(page), person_name="Jane Roe",
                              employer="Acme")]
{body}
        return found


CONNECTOR = Short()
"""
SAID = "        session.fell_short('https://third.example/people?page=2 repeated page 1')"
PEOPLE = Reply(200, b'{"people": []}', {"Content-Type": "application/json"})


def _connector(folder: Path, body: str, mode: Mode) -> Connector:
    """The connector whose search runs ``body`` (after reading its one page, before returning
    its one record), sandboxed or trusted in this process."""
    folder.mkdir(exist_ok=True)
    (folder / "third_party.toml").write_text(MANIFEST, encoding="utf-8")
    (folder / "third_party.py").write_text(SOURCE.format(body=body), encoding="utf-8")
    trusted = Grants(trusted=frozenset({"third_party"}))  # used only where no sandbox is had
    connector = load_manifest(folder / "third_party.toml", trusted)
    assert getattr(connector, "mode", None) == mode
    return connector


def _search(
    connector: Connector, policy: Policy, audit: AuditLog, routes: dict[str, Reply], times: int = 1
) -> list[ConnectorResult]:
    """``connector`` searched ``times`` in one run against ``routes`` on loopback."""
    with ReplayServer(routes) as origin:

        async def research() -> list[ConnectorResult]:
            rewrite = {"https://third.example": origin.base_url}
            async with Run(origin.allow(policy), audit, [connector], purpose="a test",
                           rewrite=rewrite) as run:  # fmt: skip
                return [await run.search(connector, Query.of(f"A-{n}", employer="Acme"))
                        for n in range(times)]  # fmt: skip

        return asyncio.run(research())


def test_a_search_that_fell_short_is_a_hit_saying_so(
    mode: Mode, tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """A connector that knew its later page was not the one asked for had no way to say so:
    its records made a plain hit, and the row was called done."""
    connector = _connector(tmp_path / "conn", SAID, mode)
    [result] = _search(connector, fast_policy, audit, {"/people": PEOPLE})
    assert result.status == "hit", result.detail
    assert [r.employer for r in result.records] == ["Acme"]
    assert result.partly == (
        "third_party fell short: https://third.example/people?page=2 repeated page 1"
    )
    assert not result.asked  # its answer is still owed
    row = output_row({"name": "Jane Roe", "employer": "Acme"}, [result])
    assert row["status"] == "incomplete", row
    assert "third_party fell short: https://third.example/people?page=2" in row["status_detail"]


def test_a_search_that_said_nothing_is_wholly_asked(
    mode: Mode, tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    connector = _connector(tmp_path / "conn", "", mode)
    [result] = _search(connector, fast_policy, audit, {"/people": PEOPLE})
    assert (result.status, result.partly, result.asked) == ("hit", "", True)


def test_nothing_found_after_falling_short_is_not_final(
    mode: Mode, tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """A "no result" after the connector said it could not read the rest would be a guess: it
    stays no_result, said not wholly asked."""
    connector = _connector(tmp_path / "conn", SAID + "\n        found = []", mode)
    [result] = _search(connector, fast_policy, audit, {"/people": PEOPLE})
    assert result.status == "no_result" and not result.records
    assert result.partly.startswith("third_party fell short: ") and not result.asked


def test_an_outage_the_session_noted_comes_first_and_stays(
    mode: Mode, tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """The connector caught a 500 on its second page and said something else fell short (an
    empty reason, then one posing as all there was to say): the outage is still said, first."""
    body = textwrap.indent(
        textwrap.dedent("""
            try:
                await session.get("https://third.example/more")
            except SourceError:
                pass
            session.fell_short("")
            session.fell_short("all read; no outage")
        """),
        "        ",
    )
    connector = _connector(tmp_path / "conn", body, mode)
    routes = {"/people": PEOPLE, "/more": Reply(500, b"down")}
    [result] = _search(connector, fast_policy, audit, routes)
    assert result.status == "hit", result.detail
    outage, said = result.partly.split("; ")
    assert outage.startswith("third_party error: ") and "/more answered HTTP 500" in outage
    assert said == "third_party fell short: no reason given (and 1 more)"
    assert not result.asked


def test_a_reason_is_one_short_line_of_safe_text(
    mode: Mode, tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """Ten million characters of control codes, line breaks, a bidi override and escape
    sequences are cut to one line of at most ``MAX_SHORTFALL_TEXT`` characters, nothing of
    them a terminal or a spreadsheet acts on."""
    reason = r"'\x1b]0;owned\x07pages\n\r\t2+\u202e unread\x00' + '\x1b[2J' * 2_500_000"
    connector = _connector(tmp_path / "conn", f"        session.fell_short({reason})", mode)
    [result] = _search(connector, fast_policy, audit, {"/people": PEOPLE})
    assert result.status == "hit", result.detail
    said = result.partly.removeprefix("third_party fell short: ")
    assert said.startswith(f"{REPLACEMENT}]0;owned{REPLACEMENT}pages 2+{REPLACEMENT} unread")
    assert len(said) <= MAX_SHORTFALL_TEXT and said.endswith("…"), len(said)
    assert said.isprintable(), said


def test_a_reason_that_is_not_text_is_the_connectors_error(
    mode: Mode, tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    connector = _connector(tmp_path / "conn", "        session.fell_short(['a', 'list'])", mode)
    [result] = _search(connector, fast_policy, audit, {"/people": PEOPLE})
    assert (result.status, result.reason) == ("error", "error"), result
    assert "a reason for falling short is text" in result.detail


def test_a_connector_saying_it_a_million_times_is_stopped(
    mode: Mode, tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """Past ``MAX_SHORTFALLS`` calls in one search the connector is stopped (in the sandbox,
    its worker ended): neither memory nor the pipe is flooded, and the run's next search runs."""
    flood = "        for n in range(1_000_000):\n            session.fell_short(f'page {n}')"
    connector = _connector(tmp_path / "conn", flood, mode)
    began = time.monotonic()
    first, second = _search(connector, fast_policy, audit, {"/people": PEOPLE}, times=2)
    assert time.monotonic() - began < 20
    for result in (first, second):
        assert (result.status, result.reason) == ("error", "error"), result
        assert f"fell short more than {MAX_SHORTFALLS} times in one search" in result.detail


FORGED = """
import dataclasses
import string

from skiptrace.connectors import Query, Session, SourceRecord

SYS = string.Formatter().get_field("0.__globals__[sys]", (dataclasses.dataclass,), {{}})[0]
JSON = SYS.modules["json"]


class Forger:
    async def search(self, session: Session, query: Query) -> list[SourceRecord]:
        page = await session.get("https://third.example/people", {{"q": query.get("employer")}})
        SYS.stdout.write(JSON.dumps({message}) + "\\n")
        SYS.stdout.flush()
        return [SourceRecord(session.provenance(page), employer="Acme")]


CONNECTOR = Forger()
"""


@pytest.mark.parametrize(
    ("message", "said"),
    [
        ('{"op": "short", "search": 1, "reason": 7}', "expected text, got int"),
        ('{"op": "short", "search": 1, "reason": "x" * 70_000}', "longer than"),
        ('"x" * (65 << 20)', "one line over 64 MiB"),
    ],
    ids=["not-text", "too-long", "over-a-line"],
)
def test_a_forged_short_message_ends_the_worker(
    message: str, said: str, tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """A worker writing its own ``short`` message, past the SDK's checks, is checked as it is
    read: one that is not text of at most ``MAX_TEXT`` characters is a bad message, and so is
    any line past the pipe's ``MAX_LINE`` (it was asyncio's "Separator is not found, and chunk
    exceed the limit", as for a search's records over 64 MiB: 1,000 of 120 KB)."""
    if _sandbox.unavailable():
        pytest.skip(f"no sandbox here: {_sandbox.unavailable()}")
    folder = tmp_path / "conn"
    _connector(folder, "", Mode.SANDBOXED)
    (folder / "third_party.py").write_text(FORGED.format(message=message), encoding="utf-8")
    connector = load_manifest(folder / "third_party.toml")
    [result] = _search(connector, fast_policy, audit, {"/people": PEOPLE})
    assert (result.status, result.reason) == ("error", "error"), result
    assert "sent a bad message" in result.detail and said in result.detail


def test_lookup_says_not_wholly_and_exits_3(tmp_path: Path) -> None:
    """The command line treats it as an outage beside a hit: ``; not wholly:`` on the
    source's line, ``partly`` in --json, exit 3 (its answer is still owed)."""
    if _sandbox.unavailable():
        pytest.skip(f"no sandbox here: {_sandbox.unavailable()}")
    with ReplayServer({"/people": PEOPLE}) as origin:
        folder = tmp_path / "conn"
        folder.mkdir()
        for name, text in (("third_party.toml", MANIFEST), ("third_party.py", SOURCE)):
            text = text.format(body=SAID) if name.endswith(".py") else text
            text = text.replace("https://third.example", origin.base_url)
            (folder / name).write_text(text, encoding="utf-8")
        policy = loopback_policy_file(tmp_path / "loopback.toml", origin)
        said = CliRunner().invoke(app, [
            "--policy", str(policy), "--connectors-dir", str(folder), "lookup",
            "--name", "Jane Roe", "--employer", "Acme", "--source", "third_party",
            "--purpose", "a test",
        ])  # fmt: skip
    assert said.exit_code == 3, said.output
    assert "third_party: hit; not wholly: third_party fell short: " in said.stderr
    assert "page=2 repeated page 1" in said.stderr
