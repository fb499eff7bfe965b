"""What one search may cost: a connector asking for pages it is refused (or served from the
cache) wrote an audit row each, some 2,000 a second until its source's deadline, and a worker's
flood of messages this process ignores kept the run's event loop busy. Past its bounds the
search ends, an error saying why (never "no result"), on the record, and the run goes on."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from skiptrace.audit import AuditLog
from skiptrace.connectors import _bounds, _sandbox
from skiptrace.connectors._bounds import MAX_ASKS, MAX_URL_CHARS
from skiptrace.connectors._model import Connector, Grants
from skiptrace.connectors._protocol import (
    MAX_RECORDS,
    MAX_SEARCH_TEXT,
    MAX_VALUES,
    load,
    within_bounds,
)
from skiptrace.connectors._registry import load_manifest
from skiptrace.connectors._runner import MAX_DETAIL, ConnectorResult
from skiptrace.connectors._sandbox import MAX_MESSAGES, Mode
from skiptrace.errors import ConnectorError
from skiptrace.policy import Policy
from skiptrace.records import Address, Provenance, Query, SourceRecord
from skiptrace.research.run import Run
from skiptrace.testing.replay import ReplayServer, Reply

MANIFEST = (Path(__file__).parent / "fixtures" / "third_party.toml").read_text("utf-8")
SOURCE = """
import dataclasses
import string

from skiptrace.connectors import Query, Session, SourceRecord

SYS = string.Formatter().get_field("0.__globals__[sys]", (dataclasses.dataclass,), {{}})[0]


class Flood:
    async def search(self, session: Session, query: Query) -> list[SourceRecord]:
        page = await session.get("https://third.example/people", {{"q": query.get("employer")}})
{body}
        return [SourceRecord(session.provenance(page), person_name="Jane Roe", employer="Acme")]


CONNECTOR = Flood()
"""
PEOPLE = Reply(200, b'{"people": []}',
               {"Content-Type": "application/json", "Cache-Control": "max-age=3600"})  # fmt: skip
ASKS = 20
"""``MAX_ASKS`` for the test: the bound is the same code at 200, each ask up to it a request
through the guard and a row (800 of them for each of the four variants, most of their CPU)."""
assert ASKS < MAX_ASKS
STOPPED = f"asked for more than {ASKS} pages in one search"


def _connector(folder: Path, body: str, mode: Mode) -> Connector:
    """The connector whose search reads one page, runs ``body``, then returns one record."""
    folder.mkdir(exist_ok=True)
    (folder / "third_party.toml").write_text(MANIFEST, encoding="utf-8")
    (folder / "third_party.py").write_text(SOURCE.format(body=body), encoding="utf-8")
    connector = load_manifest(folder / "third_party.toml",
                              Grants(trusted=frozenset({"third_party"})))  # fmt: skip
    assert getattr(connector, "mode", None) == mode
    return connector


def _search(connector: Connector, policy: Policy, audit: AuditLog) -> list[ConnectorResult]:
    """``connector`` searched for two debtors in one run, on loopback."""
    with ReplayServer({"/people": PEOPLE}) as origin:

        async def research() -> list[ConnectorResult]:
            rewrite = {"https://third.example": origin.base_url}
            async with Run(origin.allow(policy), audit, [connector], purpose="a test",
                           rewrite=rewrite) as run:  # fmt: skip
                return [await run.search(connector, Query.of(f"A-{n}", employer="Acme"))
                        for n in range(2)]  # fmt: skip

        return asyncio.run(research())


def _rows(audit: AuditLog, tmp_path: Path) -> dict[tuple[str, str], int]:
    audit.close()
    with sqlite3.connect(tmp_path / "audit.sqlite3") as db:
        found = db.execute("SELECT event, rule, count(*) FROM audit GROUP BY event, rule")
        return {(event, rule): count for event, rule, count in found}


@pytest.mark.parametrize(
    ("ask", "event", "rule"),
    [("'https://elsewhere.example/x'", "refused", "origin"),
     ("'https://third.example/people', {'q': 'Acme'}", "cached", "")],
    ids=["refused", "cached"],
)  # fmt: skip
def test_a_search_asking_without_end_is_stopped(
    ask: str, event: str, rule: str, mode: Mode, tmp_path: Path, fast_policy: Policy,
    audit: AuditLog, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """A connector catching every error while it asks 3,000 times: each search wrote 3,000
    rows and was a hit; now it ends at ``MAX_ASKS`` (``ASKS`` here), an error however its
    connector took it, with one row saying so, and the run's next search is stopped the same
    way."""
    monkeypatch.setattr(_bounds, "MAX_ASKS", ASKS)
    body = (f"        for n in range(3000):\n            try:\n"
            f"                await session.get({ask})\n"
            f"            except Exception:\n                pass")  # fmt: skip
    connector = _connector(tmp_path / "conn", body, mode)
    for result in _search(connector, fast_policy, audit):
        assert (result.status, result.reason, result.records) == ("error", "error", ()), result
        assert result.detail == STOPPED
    rows = _rows(audit, tmp_path)
    assert rows[(event, rule)] <= 2 * ASKS, rows
    assert rows[("error", "search-bounds")] == 2, rows


def test_a_url_of_100000_parameters_is_refused_before_it_is_encoded(
    mode: Mode, tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """httpx refuses a query over 65,536 characters, but only once it has encoded it all:
    3,000,000 parameters held the run's loop (every other search) 16 s a request."""
    many = "{str(n): 'x' for n in range(10**5)}"
    body = f"        await session.get('https://third.example/people', {many})"
    connector = _connector(tmp_path / "conn", body, mode)
    for result in _search(connector, fast_policy, audit):
        assert (result.status, result.reason) == ("error", "error"), result
        assert f"a URL and its parameters are at most {MAX_URL_CHARS:,} characters" in result.detail


@pytest.mark.parametrize("value", ["'\u00e9' * 12_000", "'\u4e2d' * 8_000", "'<>' * 11_000"])
def test_a_url_past_the_bound_once_encoded_is_refused_in_its_own_words(
    value: str, mode: Mode, tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """Characters had been counted before percent-encoding: 12,000 "é" (72,000 once encoded)
    passed, and failed in httpx's words ("URL component 'query' too long")."""
    body = f"        await session.get('https://third.example/people', {{'q': {value}}})"
    connector = _connector(tmp_path / "conn", body, mode)
    for result in _search(connector, fast_policy, audit):
        assert (result.status, result.reason) == ("error", "error"), result
        assert f"at most {MAX_URL_CHARS:,} characters once encoded" in result.detail


def test_records_past_a_search_s_text_are_its_error(
    mode: Mode, tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """Every person record is written whole to the evidence file: 100 records of 60,000
    characters were a hit, 6 MB of evidence for one row (64 MB at the pipe's bound). Here 70,
    just past the bound (the cost of a search is in its characters, sent, read and checked)."""
    assert 69 * 60_009 < MAX_SEARCH_TEXT < 70 * 60_009  # each field within MAX_TEXT
    big = "[SourceRecord(session.provenance(page), person_name='Jane Roe ' + 'x' * 60_000)] * 70"
    connector = _connector(tmp_path / "conn", f"        return {big}", mode)
    for result in _search(connector, fast_policy, audit):
        assert (result.status, result.reason, result.records) == ("error", "error", ()), result
        assert f"a search's records hold at most {MAX_SEARCH_TEXT:,} characters" in result.detail


def test_the_offline_index_s_garbled_records_are_cut_within_a_search_s_text() -> None:
    """Its records are cut, never its error (that would fail every lookup of the name, for
    good): every field of every record at its longest still holds all of them within
    ``MAX_SEARCH_TEXT``, and a second check (the runner's) keeps them as they are."""
    garble = "x" * 70_000
    where = Address((garble,) * 20, garble, garble, garble, garble)
    record = SourceRecord(Provenance("offline", "1", "bulk a.csv line 2", "2026-01-01"),
                          person_name=garble, employer=garble, title=garble, phone=garble,
                          source_id=garble, snippet=garble, mailing_address=where,
                          employer_address=where)  # fmt: skip
    for count in (1, 50, MAX_RECORDS):
        cut = within_bounds([record] * count, cut=True)
        assert within_bounds(cut) == cut and cut[0].person_name.startswith("xxx")


FORGED = """
        line = '{{"op": "ignored", "id": 999, "pad": "' + {pad} + '"}}\\n'
        for n in range({times}):
            SYS.stdout.write(line)
        SYS.stdout.flush()"""
SENT = 1 << 20
"""``MAX_SENT`` for the test: the bound is the same code at 128 MiB, which took seconds to send."""
BIG = "'a' * (600 << 10)"
"""Lines of 600 KiB: two are more than ``SENT``."""


@pytest.mark.parametrize(
    ("pad", "times", "said"),
    [("''", MAX_MESSAGES + 1, f"more than {MAX_MESSAGES} messages"),
     (BIG, 3, "MiB in one search")],
    ids=["messages", "bytes"],
)  # fmt: skip
def test_a_worker_flooding_its_pipe_is_ended(
    pad: str,
    times: int,
    said: str,
    tmp_path: Path,
    fast_policy: Policy,
    audit: AuditLog,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A worker writing messages this process reads and ignores (an unknown op, another
    search's id) past its own SDK: each line cost this process's loop its reading, up to 64 MiB
    (2 s of it) a line, until the source's deadline. Past ``MAX_MESSAGES`` messages or
    ``MAX_SENT`` bytes the worker is ended, its search an error."""
    if _sandbox.unavailable():
        pytest.skip(f"no sandbox here: {_sandbox.unavailable()}")
    monkeypatch.setattr(_sandbox, "MAX_SENT", SENT)
    body = FORGED.format(pad=pad, times=times)
    connector = _connector(tmp_path / "conn", body, Mode.SANDBOXED)
    for result in _search(connector, fast_policy, audit):
        assert (result.status, result.reason) == ("error", "error"), result
        assert "sent a bad message" in result.detail and said in result.detail, result.detail


VALUES = 4_000
"""``MAX_VALUES`` for the test: the bound is the same code at 1,048,576."""
EMPTY_LISTS = "'[],' * 1_500"
"""A line of 1,500 empty lists: three are more than ``VALUES``."""


def test_a_worker_sending_a_flood_of_values_is_ended(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A review: one 64 MiB line of empty lists (``[[],[],...]``, 22 million values) held
    this process's loop 14 s and 1.7 GB of its memory as it was read, every other search's
    requests waiting with it, and a worker could send two a search, within ``MAX_SENT``. The
    values a worker's messages hold are counted before they are read: past ``MAX_VALUES`` the
    worker is ended, its search an error."""
    if _sandbox.unavailable():
        pytest.skip(f"no sandbox here: {_sandbox.unavailable()}")
    monkeypatch.setattr(_sandbox, "MAX_VALUES", VALUES)
    body = (f"        line = '{{\"op\": \"ignored\", \"id\": 999, \"pad\": [' + {EMPTY_LISTS} "
            f"+ '0]}}\\n'\n"
            f"        for n in range(3):\n            SYS.stdout.write(line)\n"
            f"        SYS.stdout.flush()")  # fmt: skip
    connector = _connector(tmp_path / "conn", body, Mode.SANDBOXED)
    for result in _search(connector, fast_policy, audit):
        assert (result.status, result.reason) == ("error", "error"), result
        assert "sent a bad message" in result.detail, result.detail
        assert f"{VALUES:,} values" in result.detail, result.detail


def test_a_line_of_more_values_than_a_worker_may_send_is_not_read() -> None:
    """The bound holds for one line read alone (a worker's first, before it is ready): its
    values are counted in a few passes over its bytes, never built (a million empty lists
    were 60 MB and half a second of the loop, 22 million 1.7 GB and 14 s)."""
    line = b'{"op": "ready", "pad": [' + b"[]," * MAX_VALUES + b"0]}\n"
    with pytest.raises(ConnectorError, match="values"):
        load(line)
    assert load(b'{"op": "ready", "pad": [' + b"[]," * 1000 + b"0]}\n")["op"] == "ready"


def test_a_sandboxed_connectors_long_error_is_said_not_called_a_bad_message(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """A connector's own error of 100,000 characters (a server's whole message in it) reached
    this process as a field over ``MAX_TEXT``: the honest worker was said to have sent a bad
    message, its source's words lost. Its worker cuts them as it sends them; the result keeps
    their start (``MAX_DETAIL``), as for a connector searching in this process."""
    if _sandbox.unavailable():
        pytest.skip(f"no sandbox here: {_sandbox.unavailable()}")
    body = "        raise SourceError('the source says: ' + 'x' * 100_000)"
    source = SOURCE.replace("import Query, Session, SourceRecord", "import Query, Session, "
                            "SourceError, SourceRecord")  # fmt: skip
    folder = tmp_path / "conn"
    folder.mkdir()
    (folder / "third_party.toml").write_text(MANIFEST, encoding="utf-8")
    (folder / "third_party.py").write_text(source.format(body=body), encoding="utf-8")
    connector = load_manifest(folder / "third_party.toml")
    for result in _search(connector, fast_policy, audit):
        assert (result.status, result.reason) == ("error", "error"), result
        assert result.detail.startswith("the source says: xxx"), result.detail[:200]
        assert len(result.detail) == MAX_DETAIL and result.detail.endswith("…")
