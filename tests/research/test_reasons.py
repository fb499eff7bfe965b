"""Why a source gave no answer, in one vocabulary (issue 11, item 2): each reason produced once
and shown the same way by ``lookup --json`` (its sources), ``lookup``'s stderr, ``enrich``
(``status_detail``, ``sources_checked`` and the summary) and the audit log."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skiptrace.cli import app
from skiptrace.connectors._runner import REASONS
from skiptrace.net.reasons import WORDS
from skiptrace.state import home
from skiptrace.testing.directory import MANIFEST as DEMO_MANIFEST
from skiptrace.testing.replay import Refusing, ReplayServer, Reply, loopback_policy_text

SOURCE_SECONDS = 0.25
"""The hanging source's deadline, waited out by each of three commands: robots.txt, read
first, within it on a loaded machine too (0.1 s held with two busy processes on two cores)."""
PEOPLE = b'{"people": []}'


@dataclass(frozen=True)
class Case:
    reason: str
    route: Callable[[str], Reply | None]
    """path -> the reply (None: 404)"""
    path: str = "/people"
    """Where the connector searches."""
    audit: tuple[str, str] = ("", "")
    """(event, what its rule or detail says) of the audit row that tells the reason: the raw
    fact, which the row keeps next to its ``reason``."""


def _only(path: str, reply: Reply) -> Callable[[str], Reply | None]:
    return lambda asked: reply if asked.startswith(path) else None


HANG = threading.Event()


def _hang(asked: str) -> Reply | None:
    if asked.startswith("/people"):
        HANG.wait(30)  # released when the test is done
        return Reply(200, PEOPLE, {"Content-Type": "application/json"})
    return None


CASES = [
    Case("refused", _only("/people", Reply(200, PEOPLE)), path="/login/people",
         audit=("refused", "account-area")),
    Case("robots_disallowed", _only("/robots.txt", Reply(200, b"User-agent: *\nDisallow: /")),
         audit=("refused", "robots")),
    Case("robots_unavailable", _only("/robots.txt", Reply(429, b"", {"Retry-After": "3600"})),
         audit=("refused", "robots-unavailable")),
    Case("unreachable", _only("/none", Reply(200, b"")), audit=("error", "unreachable: ")),
    Case("timeout", _hang, audit=("error", "CancelledError")),
    Case("rate_limited", _only("/people", Reply(429, b"", {"Retry-After": "3600"}))),
    Case("blocked", _only("/people", Reply(200, b"<html>Attention Required! | Cloudflare"
                                                b"</html>", {"Content-Type": "text/html"}))),
    Case("error", _only("/people", Reply(500, b"oops"))),
]  # fmt: skip


SLOWED_AT_MOST = 0.2
"""Seconds the hour a 429 asks for holds the host off here (``ratelimit.MAX_INTERVAL``, two
minutes, in a run): each command is asked after the last one's slow-down has passed, as the
same command run again later would be. That a slow-down holds the next command off is
tests/research/test_pace_statuses.py's."""


@pytest.fixture(autouse=True)
def _short_slow_downs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("skiptrace.net.layers.ratelimit.MAX_INTERVAL", SLOWED_AT_MOST)


@pytest.fixture(autouse=True)
def _release() -> Iterator[None]:
    HANG.clear()
    yield
    HANG.set()


def test_the_vocabulary_is_the_one_tested() -> None:
    assert sorted(REASONS) == sorted(case.reason for case in CASES)
    assert sorted(REASONS) == sorted(WORDS)  # the words the audit log's rows use


@pytest.mark.parametrize("case", CASES, ids=[case.reason for case in CASES])
def test_each_reason_is_shown_the_same_everywhere(
    case: Case, tmp_path: Path, refused: Refusing
) -> None:
    with ReplayServer(lambda method, target: case.route(target)) as server:
        base = server.base_url
        if case.reason == "unreachable":
            base = refused.base_url
        options = _options(tmp_path, base, case.path, timeout=case.reason == "timeout")
        started = time.monotonic()
        looked = CliRunner().invoke(app, [*options, "lookup", "--name", "Pat Roe", "--json",
                                          *SEARCH])  # fmt: skip
        took = time.monotonic() - started
        shown = CliRunner().invoke(app, [*options, "lookup", "--name", "Pat Roe", *SEARCH])
        source = tmp_path / "debtors.csv"
        source.write_text("First Name,Last Name\nPat,Roe\n", encoding="utf-8")
        target = tmp_path / "out.csv"
        enriched = CliRunner().invoke(app, [*options, "enrich", str(source), "-o", str(target),
                                            "--no-progress", *SEARCH])  # fmt: skip
        HANG.set()
    assert took < 30, took  # said within seconds, not after a silent minute
    [said] = json.loads(looked.stdout)["sources"]
    assert said["reason"] == case.reason, said
    explained = f"people_directory {case.reason}: {said['detail']}"
    assert explained in shown.output  # lookup's stderr line
    row = target.read_text(encoding="utf-8").splitlines()[1]
    assert explained in row  # enrich's status_detail (a CSV cell)
    assert f",people_directory:{case.reason}" in row  # and sources_checked
    assert f"people_directory: {case.reason} 1" in enriched.output  # the summary
    if case.reason in ("refused", "robots_disallowed"):
        # a rule's answer is final, and no search: never "no_hit"
        assert enriched.exit_code == 0 and ",error,not researched: " in row
    else:
        assert enriched.exit_code == 3, enriched.output  # asking again may get an answer
        assert ",incomplete," in row
    if case.reason == "refused":
        assert said["detail"].startswith("account-area: ")  # the rule that refused
    # the audit log: every row of the search's URL says the reason, in the same word, next to
    # the raw fact (the status, the rule, the exception), as `audit show --json` shows it
    shown_rows = CliRunner().invoke(app, ["audit", "show", "--json", "--last", "200"])
    rows = [json.loads(line) for line in shown_rows.stdout.splitlines()]
    searched = [row for row in rows if case.path in row["url"]]
    assert searched, rows
    assert {row["reason"] for row in searched} == {case.reason}, searched
    if case.audit[0]:
        event, says = case.audit
        if event == "refused":
            assert (event, says) in [(row["event"], row["rule"]) for row in searched], searched
        else:
            assert any(row["event"] == event and says in row["detail"] for row in searched)
    if case.reason in ("rate_limited", "blocked", "error"):
        status = {"rate_limited": 429, "blocked": 200, "error": 500}[case.reason]
        assert {row["status"] for row in searched} == {status}, searched
    assert case.reason in _audit_reasons()  # a column of the database, not only shown


SEARCH = ["--source", "people_directory", "--purpose", "collection of a debt owed"]


def _options(tmp_path: Path, base: str, path: str, *, timeout: bool) -> list[str]:
    connectors = tmp_path / "connectors"
    connectors.mkdir()
    manifest = DEMO_MANIFEST.replace('id = "demo_directory"', 'id = "people_directory"')
    manifest = manifest.replace("{base}/people", "{base}" + path)
    (connectors / "people_directory.toml").write_text(manifest.format(base=base))
    policy = tmp_path / "policy.toml"
    reason = "tests research a directory on loopback"
    # a short deadline only where a source hangs: a loaded machine cannot time out the others
    limits = f"[limits]\nsource_seconds = {SOURCE_SECONDS}\n" if timeout else ""
    policy.write_text(limits + loopback_policy_text(base, reason=reason), encoding="utf-8")
    return ["--connectors-dir", str(connectors), "--policy", str(policy)]


def _audit_reasons() -> set[str]:
    """The reasons the audit log's rows hold, read from the database itself."""
    log = sqlite3.connect(home() / "audit.sqlite3")
    try:
        return {str(reason) for (reason,) in log.execute("SELECT reason FROM audit")}
    finally:
        log.close()


def test_a_redirect_httpx_cannot_follow_is_an_error_on_the_record(tmp_path: Path) -> None:
    """A search answered with a redirect to ``http://0177.0.0.1/`` (loopback in octal, which
    httpx cannot parse) ended with httpx's own error before the guard saw the hop, and the
    audit log had no row for it. The source's answer is that error, owed (never "no result"),
    and the log says it in the same word, in one line."""
    moved = Reply(302, b"", {"Location": "http://0177.0.0.1/people"})
    with ReplayServer(lambda method, target: _only("/people", moved)(target)) as server:
        options = _options(tmp_path, server.base_url, "/people", timeout=False)
        looked = CliRunner().invoke(app, [*options, "lookup", "--name", "Pat Roe", "--json",
                                          *SEARCH])  # fmt: skip
    assert looked.exit_code == 3, looked.output  # asking again may get an answer
    [said] = json.loads(looked.stdout)["sources"]
    assert (said["status"], said["reason"]) == ("error", "error"), said
    broken = "Invalid URL in location header: Invalid IPv4 address: '0177.0.0.1'."
    assert said["detail"].endswith(f"/people: RemoteProtocolError: {broken}"), said
    shown = CliRunner().invoke(app, ["audit", "show", "--json", "--last", "200"])
    rows = [json.loads(line) for line in shown.stdout.splitlines()]
    searched = [(row["event"], row["status"], row["reason"], row["detail"]) for row in rows
                if "/people" in row["url"]]  # fmt: skip
    assert searched == [
        ("request", 302, "", ""),
        ("error", None, "error", f"RemoteProtocolError: {broken}"),
    ], rows


def test_a_redirect_loop_is_an_error_on_the_record(tmp_path: Path) -> None:
    """A search redirected in a loop (/people to /again and back) gave six ``request 302``
    rows, then httpx's TooManyRedirects, and no row said the chain was stopped. The log now
    says so in an error row, and the source's answer is that error, owed (never "no
    result")."""

    def route(method: str, target: str) -> Reply | None:
        if target.startswith("/people"):
            return Reply(302, b"", {"Location": "/again"})
        return Reply(302, b"", {"Location": "/people"}) if target == "/again" else None

    with ReplayServer(route) as server:
        options = _options(tmp_path, server.base_url, "/people", timeout=False)
        looked = CliRunner().invoke(app, [*options, "lookup", "--name", "Pat Roe", "--json",
                                          *SEARCH])  # fmt: skip
        base = server.base_url
    assert looked.exit_code == 3, looked.output  # asking again may get an answer
    [said] = json.loads(looked.stdout)["sources"]
    assert (said["status"], said["reason"]) == ("error", "error"), said
    assert said["detail"].endswith(": TooManyRedirects: Exceeded maximum allowed redirects."), said
    shown = CliRunner().invoke(app, ["audit", "show", "--json", "--last", "200"])
    rows = [json.loads(line) for line in shown.stdout.splitlines()]
    searched = [(row["event"], row["status"], row["reason"], row["detail"]) for row in rows
                if row["url"].startswith(base) and "robots" not in row["url"]]  # fmt: skip
    stopped = "TooManyRedirects: not followed, more than 5 redirects (limits.max_redirects)"
    assert searched == [("request", 302, "", "")] * 6 + [("error", None, "error", stopped)], rows
    assert rows[-1]["url"] == f"{base}/people"
