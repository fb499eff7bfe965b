"""A source that takes too long for one debtor is reported as ``timeout`` (never "no result"),
and the run goes on; the deadlines are policy keys that only tighten."""

from __future__ import annotations

import csv
import json
import socket
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from typer.testing import CliRunner

from skiptrace.cli import app
from skiptrace.errors import PolicyError
from skiptrace.policy import Policy, describe, load_policy, merge
from skiptrace.records import Status
from skiptrace.state import home
from skiptrace.testing.directory import MANIFEST as DEMO_MANIFEST
from skiptrace.testing.raw import RawServer
from skiptrace.testing.replay import loopback_policy_text

SOURCE_SECONDS = 0.5  # 6x what a row that answers (robots.txt first) takes on a loaded machine
DETAIL = f"people_directory timeout: no answer within {SOURCE_SECONDS:g} s (limits.source_seconds)"


def _directory(server: RawServer, target: str, connection: socket.socket) -> bool:
    """A people directory that knows every Quartermain, and answers a search for anyone called
    Slow one byte every 20 ms, for as long as the client waits (or the server lasts)."""
    url = urlsplit(target)
    query = parse_qs(url.query)
    last, first = query.get("last", [""])[0], query.get("first", [""])[0]
    if url.path != "/people":
        connection.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
        return True
    if last == "Slow":
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                           b"Content-Length: 100000\r\n\r\n")  # fmt: skip
        while not server.over:
            connection.sendall(b" ")
            time.sleep(0.02)
        return False
    people = []
    if last == "Quartermain":
        people.append({"name": f"{first} {last}", "street": "12 Harbour Rd",
                       "city": "Springfield", "state": "IL", "zip": "62701"})  # fmt: skip
    body = json.dumps({"people": people}).encode()
    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                       b"Content-Length: %d\r\n\r\n%s" % (len(body), body))  # fmt: skip
    return True


def _policy(server: RawServer) -> str:
    """A policy file: the directory fast and reachable, the source deadline tight."""
    reason = "tests research a directory on loopback"
    limits = f"[limits]\nsource_seconds = {SOURCE_SECONDS}\n"
    return limits + loopback_policy_text(server.base_url, reason=reason)


@pytest.fixture
def directory(tmp_path: Path) -> Iterator[tuple[list[str], RawServer]]:
    """The dripping directory, and the options that research it under a tight source deadline."""
    with RawServer(_directory, lifetime=60) as server:  # drips until the test is done
        connectors = tmp_path / "connectors"
        connectors.mkdir()
        manifest = DEMO_MANIFEST.replace('id = "demo_directory"', 'id = "people_directory"')
        (connectors / "people_directory.toml").write_text(manifest.format(base=server.base_url))
        policy = tmp_path / "deadline.toml"
        policy.write_text(_policy(server), encoding="utf-8")
        options = ["--connectors-dir", str(connectors), "--policy", str(policy)]
        yield options, server


def test_enrich_reports_a_dripping_source_as_timeout_and_goes_on(
    directory: tuple[list[str], RawServer], tmp_path: Path
) -> None:
    options, server = directory
    source = tmp_path / "debtors.csv"
    rows = [("A1", "Pat", "Quartermain"), ("A2", "Pat", "Slow"), ("A3", "Sam", "Quartermain")]
    lines = ["Account,First Name,Last Name,Address,City,State,Zip"]
    lines += [f"{account},{first},{last},12 Harbour Rd,Springfield,IL,62701"
              for account, first, last in rows]  # fmt: skip
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    target = tmp_path / "out.csv"
    started = time.monotonic()
    result = CliRunner().invoke(app, [*options, "enrich", str(source), "-o", str(target),
                                      "--source", "people_directory", "--jobs", "1",
                                      "--purpose", "collection of a debt owed",
                                      "--no-progress"])  # fmt: skip
    took = time.monotonic() - started
    assert result.exit_code == 3, result.output  # finished, a row incomplete (issue 11)
    with target.open(encoding="utf-8", newline="") as handle:
        written = list(csv.DictReader(handle))
    print(f"enrich with a dripping source: {took:.2f} s (source deadline {SOURCE_SECONDS} s)")
    assert took < 30  # cut at the deadline, not left to drip for the server's 60 s
    assert [(r["Account"], r["status"], r["sources_checked"]) for r in written] == [
        ("A1", "hit", "people_directory:hit"),
        ("A2", "incomplete", "people_directory:timeout"),  # not asked: not final (issue 11)
        ("A3", "hit", "people_directory:hit"),
    ]
    assert written[1]["status_detail"] == DETAIL
    assert sum("last=Slow" in path for path in server.paths) == 1  # asked once, not retried
    audit = sqlite3.connect(home() / "audit.sqlite3")
    [(event, detail)] = audit.execute(
        "SELECT event, detail FROM audit WHERE url LIKE '%last=Slow%'"
    ).fetchall()
    assert event == "error" and "CancelledError" in detail  # the cut-off request, on record
    assert "timeout 1" in result.output  # the run's summary counts it


def test_lookup_reports_a_dripping_source_as_timeout(
    directory: tuple[list[str], RawServer],
) -> None:
    options, _ = directory
    started = time.monotonic()
    result = CliRunner().invoke(app, [*options, "lookup", "--name", "Pat Slow", "--json",
                                      "--source", "people_directory",
                                      "--purpose", "collection of a debt owed"])  # fmt: skip
    assert time.monotonic() - started < 30  # cut at the deadline, not left to drip
    assert result.exit_code == 3  # a source not asked: nothing found is not known (issue 11)
    detail = DETAIL.removeprefix("people_directory timeout: ")
    assert json.loads(result.stdout)["sources"] == [
        {
            "connector": "people_directory",
            "status": "timeout",
            "reason": "timeout",
            "detail": detail,
            "partly": "",
            "unread": "",
        }
    ]


def test_timeout_is_unavailable_not_no_result() -> None:
    assert Status.TIMEOUT == "timeout" and Status.TIMEOUT.unavailable
    assert not Status.NO_RESULT.unavailable


def test_the_deadlines_have_sane_defaults_and_only_tighten(policy: Policy) -> None:
    assert (policy["limits.request_seconds"], policy["limits.source_seconds"]) == (60.0, 120.0)
    assert policy["limits.request_seconds"] > policy["limits.timeout_seconds"]
    assert load_policy(["strict"])["limits.request_seconds"] == 30.0
    tighter = merge(policy, {"limits": {"request_seconds": 5, "source_seconds": 10}}, "mine")
    assert (tighter["limits.request_seconds"], tighter["limits.source_seconds"]) == (5, 10)
    for key in ("request_seconds", "source_seconds"):
        with pytest.raises(PolicyError, match=f"'limits.{key}' = 600 loosens the policy"):
            merge(policy, {"limits": {key: 600}}, "mine")
        with pytest.raises(PolicyError, match="above zero"):
            merge(policy, {"limits": {key: 0}}, "mine")
        reason = "a registry known to answer slowly, for this batch only"
        looser = merge(
            policy,
            {"limits": {key: 600}, "override": [{"key": f"limits.{key}", "reason": reason}]},
            "mine",
        )
        assert looser[f"limits.{key}"] == 600
        assert looser.overrides[-1].reason == reason


def test_policy_show_lists_the_deadlines(policy: Policy) -> None:
    shown = {key: value for key, value, _ in describe(policy)}
    assert (shown["limits.request_seconds"], shown["limits.source_seconds"]) == ("60.0", "120.0")
    result = CliRunner().invoke(app, ["policy", "show"], terminal_width=200)
    assert result.exit_code == 0
    assert "limits.request_seconds" in result.output and "limits.source_seconds" in result.output


WORKER = """from skiptrace.connectors import Query, Session, SourceRecord


class People:
    async def search(self, session: Session, query: Query) -> list[SourceRecord]:
        await session.get("{base}/people", {{"last": query.get("last_name")}})
        return []


CONNECTOR = People()
"""
WORKER_MANIFEST = """id = "people_worker"
name = "A people directory read in a worker"
version = "1"
gives = ["mailing_address"]
needs = ["last_name"]
terms = "{base}/terms"
origins = ["{base}"]
python = "people.py"
"""


def _enriched_in_worker(
    tmp_path: Path, folder: Path, policy: str, source_id: str, firsts: list[str]
) -> dict[str, dict[str, str]]:
    """``enrich`` of one debtor called Slow per first name (A1, A2...), all at once, with the
    connectors of ``folder`` under the policy text ``policy``: its rows by account."""
    (tmp_path / "policy.toml").write_text(policy, encoding="utf-8")
    source = tmp_path / "debtors.csv"
    rows = "".join(f"A{n},{first},Slow\n" for n, first in enumerate(firsts, 1))
    source.write_text("Account,First Name,Last Name\n" + rows, "utf-8")
    target = tmp_path / "out.csv"
    result = CliRunner().invoke(app, ["--connectors-dir", str(folder),
                                      "--policy", str(tmp_path / "policy.toml"),
                                      "enrich", str(source), "-o", str(target),
                                      "--jobs", str(len(firsts)), "--source", source_id,
                                      "--no-progress",
                                      "--purpose", "collection of a debt owed"])  # fmt: skip
    assert result.exit_code == 3, result.output
    with target.open(encoding="utf-8", newline="") as handle:
        return {row["Account"]: row for row in csv.DictReader(handle)}


def test_a_search_that_waited_out_its_time_for_the_connectors_worker_says_so(
    directory: tuple[list[str], RawServer], tmp_path: Path
) -> None:
    """A connector run in a worker searches for one debtor at a time: with two debtors at
    once, the second's search waited behind the first's (a source that drips) and its time
    ran out before it asked for anything; it said only "no answer within ...", as if the
    source had been slow for it too."""
    _, server = directory  # its server; this test names its own connector and policy
    folder = tmp_path / "worker"
    folder.mkdir()
    (folder / "people.py").write_text(WORKER.format(base=server.base_url), encoding="utf-8")
    (folder / "people_worker.toml").write_text(WORKER_MANIFEST.format(base=server.base_url))
    policy = _policy(server).replace(f"= {SOURCE_SECONDS}", "= 2")
    written = _enriched_in_worker(tmp_path, folder, policy, "people_worker", ["Pat", "Sam"])
    detail = "people_worker timeout: no answer within 2 s (limits.source_seconds)"
    assert sum("last=Slow" in path for path in server.paths) == 1  # the first asked, dripped
    assert written["A1"]["status_detail"] == detail
    assert written["A2"]["status_detail"] == (
        f"{detail}; it asked for nothing in that time (people_worker searches in workers, for "
        "one debtor at a time, so this search may have waited for the ones before it; fewer "
        "--jobs wait less)"
    )
    assert written["A2"]["status"] == "incomplete"


THINKER = """from skiptrace.connectors import Query, Session, SourceRecord


class Thinker:
    async def search(self, session: Session, query: Query) -> list[SourceRecord]:
        while query.get("last_name"):  # its own work, never a page: past any deadline
            pass
        return []


CONNECTOR = Thinker()
"""


def test_a_search_in_a_worker_that_waited_for_no_other_does_not_say_it_may_have(
    tmp_path: Path,
) -> None:
    """A search in a worker that asked for nothing before its deadline was said to have
    perhaps waited for the searches before it, and fewer --jobs to wait less, even with one
    debtor and --jobs 1: there were none before it, and no fewer --jobs. Its time went on its
    connector's own work."""
    folder = tmp_path / "worker"
    folder.mkdir()
    base = "http://127.0.0.1:9"  # never asked
    (folder / "people.py").write_text(THINKER, encoding="utf-8")
    manifest = WORKER_MANIFEST.format(base=base).replace("people_worker", "people_thinker")
    (folder / "people_thinker.toml").write_text(manifest, encoding="utf-8")
    limits = f"[limits]\nsource_seconds = {SOURCE_SECONDS}\n"
    policy = limits + loopback_policy_text(base, reason="tests reach no host on loopback")
    written = _enriched_in_worker(tmp_path, folder, policy, "people_thinker", ["Pat"])
    assert written["A1"]["status_detail"] == (
        f"people_thinker timeout: no answer within {SOURCE_SECONDS:g} s "
        "(limits.source_seconds); it asked for nothing in that time"
    )
