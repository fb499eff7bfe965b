"""A row a source could not be asked about is ``incomplete``, not final (issue 11, item 1): it is
not checkpointed, the run exits 3, and rerunning the same command researches it again, and only
it, to the output a run that never failed writes. ``--refresh`` researches every row afresh."""

from __future__ import annotations

import csv
import json
import threading
import time
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from typer.testing import CliRunner, Result

from skiptrace.cli import app
from skiptrace.testing.directory import MANIFEST as DEMO_MANIFEST
from skiptrace.testing.outputs import findings
from skiptrace.testing.replay import Refusing, ReplayServer, Reply, Router, loopback_policy_text

SOURCE_SECONDS = 0.25
"""The hanging run's deadline, waited out by each of its two Slows: a row that answers does
within it on a loaded machine too (0.1 s held with two busy processes on two cores)."""
ROWS = [  # account, first, last, bankruptcy flag
    ("A1", "Pat", "Quartermain", ""),
    ("A2", "Sam", "Nobody", ""),
    ("A3", "Ann", "Slow", ""),
    ("A4", "Kim", "Flagged", "yes"),
    ("A5", "Lee", "Quartermain", ""),
    ("A6", "Roy", "Slow", ""),
]
RESEARCHED = [row for row in ROWS if not row[3]]


class Directory:
    """A people directory that knows every Quartermain; ``mode`` says how it treats a search
    for anyone called Slow: ``ok`` answers, ``hang`` keeps it waiting, ``429`` rate-limits it
    (for an hour: no retry waits for that), ``moved`` redirects it to a page not found,
    ``garbled`` answers HTTP 200 with a page that is not its JSON (cacheable, as such pages
    are served), ``partial`` (206) and ``accepted`` (202) a first part of its answer, or one
    not yet made, that reads as an empty list."""

    def __init__(self) -> None:
        self.mode = "ok"
        self.released = threading.Event()

    def __call__(self, method: str, target: str) -> Reply | None:
        url = urlsplit(target)
        if url.path != "/people":
            return None
        query = parse_qs(url.query)
        last, first = query.get("last", [""])[0], query.get("first", [""])[0]
        if last == "Slow" and self.mode == "hang":
            self.released.wait(30)  # released when the test is done
        if last == "Slow" and self.mode == "429":
            return Reply(429, b"slow down", {"Retry-After": "3600"})
        if last == "Slow" and self.mode == "moved":  # to a maintenance page that is not there
            return Reply(302, b"", {"Location": "/maintenance", "Cache-Control": "no-store"})
        if last == "Slow" and self.mode == "garbled":
            return Reply(200, b"<html>down for maintenance</html>", {"Content-Type": "text/html"})
        if last == "Slow" and self.mode in ("partial", "accepted"):  # as a whole empty list
            status = {"partial": 206, "accepted": 202}[self.mode]
            headers = {"Content-Type": "application/json", "Content-Range": "bytes 0-13/900"}
            return Reply(status, b'{"people": []}', headers)
        if last == "Slow" and self.mode in ("elsewhere", "sign-in"):  # somewhere refused
            where = {"elsewhere": "https://status.example.com/maintenance",
                     "sign-in": "/login?next=/people"}[self.mode]  # fmt: skip
            return Reply(302, b"", {"Location": where, "Cache-Control": "no-store"})
        if last == "Slow" and self.mode == "slash":  # to its own path, spelt with a slash
            moved = {"Location": f"/people/?{url.query}", "Cache-Control": "no-store"}
            return Reply(301, b"", moved)
        people = []
        if last in ("Quartermain", "Slow"):
            people.append({"name": f"{first} {last}", "street": "12 Harbour Rd",
                           "city": "Springfield", "state": "IL", "zip": "62701"})  # fmt: skip
        headers = {
            "Content-Type": "application/json",
            "Cache-Control": "no-store",
        }  # every search reaches the server, counted
        return Reply(200, json.dumps({"people": people}).encode(), headers)  # fmt: skip


class PortServer(ReplayServer):
    """A replay server on a given port: the same source coming back up after an outage."""

    def __init__(self, routes: Router, port: int) -> None:
        super().__init__(routes)
        self._server.server_close()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )


class Setup:
    def __init__(self, tmp_path: Path, base_url: str) -> None:
        self.tmp_path = tmp_path
        self.base = base_url
        connectors = tmp_path / "connectors"
        connectors.mkdir()
        manifest = DEMO_MANIFEST.replace('id = "demo_directory"', 'id = "people_directory"')
        (connectors / "people_directory.toml").write_text(manifest.format(base=base_url))
        reason = "tests research a directory on loopback"
        policy = tmp_path / "policy.toml"
        policy.write_text(loopback_policy_text(base_url, reason=reason))
        self.tight = tmp_path / "tight.toml"  # a deadline short enough to wait out a hang
        limits = f"[limits]\nsource_seconds = {SOURCE_SECONDS}\n"
        self.tight.write_text(limits + loopback_policy_text(base_url, reason=reason))
        self.source = tmp_path / "debtors.csv"
        lines = ["Account,First Name,Last Name,Address,City,State,Zip,Bankruptcy"]
        lines += [f"{a},{f},{last},12 Harbour Rd,Springfield,IL,62701,{b}"
                  for a, f, last, b in ROWS]  # fmt: skip
        self.source.write_text("\n".join(lines) + "\n", encoding="utf-8")
        self.connectors, self.policy = connectors, policy

    def enrich(self, target: str, *rest: str, tight: bool = False) -> Result:
        """The same command every time (but for ``-o``, ``rest`` and the deadline: a short one
        only where a run waits out a hang, so that a loaded machine cannot time out the rest)."""
        policy = self.tight if tight else self.policy
        options = ["--connectors-dir", str(self.connectors), "--policy", str(policy)]
        return CliRunner().invoke(app, [*options, "enrich", str(self.source),
                                        "-o", str(self.tmp_path / target),
                                        "--source", "people_directory", "--jobs", "1",
                                        "--purpose", "collection of a debt owed",
                                        "--no-progress", *rest])  # fmt: skip

    def rows(self, target: str) -> list[dict[str, str]]:
        with (self.tmp_path / target).open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    def never_failed(self, monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
        """The output of the same command in a fresh home, every source answering (its fetch
        times aside: they are true of each run)."""
        monkeypatch.setenv("SKIPTRACE_HOME", str(self.tmp_path / "other-home"))
        result = self.enrich("reference.csv")
        assert result.exit_code == 0, result.output
        return findings(self.tmp_path / "reference.csv")


def _searched(server: ReplayServer, since: int = 0) -> list[str]:
    """The last names searched at the server (from request ``since`` on)."""
    return [parse_qs(urlsplit(r.path).query)["last"][0] for r in server.received[since:]
            if r.path.startswith("/people")]  # fmt: skip


@pytest.fixture
def directory() -> Iterator[Directory]:
    router = Directory()
    yield router
    router.released.set()


def test_a_source_down_then_up(
    directory: Directory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, refused: Refusing
) -> None:
    port = refused.port
    setup = Setup(tmp_path, refused.base_url)
    started = time.monotonic()
    down = setup.enrich("out.csv")
    assert time.monotonic() - started < 5  # refused connections are not waited on
    assert down.exit_code == 3, down.output
    assert "5 rows incomplete" in down.output and "rerun the same command" in down.output
    rows = setup.rows("out.csv")
    assert [r["status"] for r in rows] == ["incomplete"] * 3 + ["skipped_flag"] + ["incomplete"] * 2
    for row in (r for r in rows if r["status"] == "incomplete"):
        assert row["status_detail"].startswith(f"people_directory unreachable: {setup.base}: ")
        assert row["sources_checked"] == "people_directory:unreachable"
        assert row["found_mailing_address"] == ""
    refused.release()  # the source comes back up, on the same port
    with PortServer(directory, port) as server:
        up = setup.enrich("out.csv")
        assert up.exit_code == 0, up.output
        assert sorted(_searched(server)) == sorted(last for _, _, last, _ in RESEARCHED)
        assert "(1 from an earlier run)" in up.output  # the flagged row was final
        assert findings(tmp_path / "out.csv") == setup.never_failed(monkeypatch)


@pytest.mark.parametrize(("mode", "code", "slow"), [
    ("moved", 3, "incomplete"),  # to a maintenance page that is not there
    ("slash", 0, "no_hit"),  # to its own path, spelt with a slash
])  # fmt: skip
def test_a_search_redirected_to_a_page_not_found(
    directory: Directory, tmp_path: Path, mode: str, code: int, slow: str
) -> None:
    """A 404 says "no such record" only where the search's own path answers it: a search sent
    on to a maintenance or login page that is not there was a final ``no_hit``, checkpointed;
    one that only gains a slash keeps its "not found" (else incomplete on every rerun)."""
    directory.mode = mode
    with ReplayServer(directory) as server:
        setup = Setup(tmp_path, server.base_url)
        result = setup.enrich("out.csv")
    assert result.exit_code == code, result.output
    rows = {row["Account"]: row for row in setup.rows("out.csv")}
    assert [rows[a]["status"] for a in ("A1", "A2", "A3", "A6")] == ["hit", "no_hit", slow, slow]
    if mode == "moved":  # the Slows
        assert "/maintenance, which answered HTTP 404" in rows["A3"]["status_detail"]


def test_a_hanging_source_then_answering(
    directory: Directory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with ReplayServer(directory) as server:
        setup = Setup(tmp_path, server.base_url)
        directory.mode = "hang"
        first = setup.enrich("out.csv", tight=True)
        assert first.exit_code == 3, first.output
        rows = setup.rows("out.csv")
        assert [(r["Account"], r["status"]) for r in rows] == [
            ("A1", "hit"), ("A2", "no_hit"), ("A3", "incomplete"), ("A4", "skipped_flag"),
            ("A5", "hit"), ("A6", "incomplete"),
        ]  # fmt: skip
        assert rows[2]["status_detail"] == (
            f"people_directory timeout: no answer within {SOURCE_SECONDS:g} s "
            "(limits.source_seconds)"
        )
        directory.mode = "ok"
        directory.released.set()
        asked = len(server.received)
        again = setup.enrich("out.csv")
        assert again.exit_code == 0, again.output
        assert _searched(server, asked) == ["Slow", "Slow"]  # those rows, and only those
        assert findings(tmp_path / "out.csv") == setup.never_failed(monkeypatch)


def test_a_rate_limited_source_then_answering_and_refresh(
    directory: Directory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hour a 429 asks for holds the host off for every process sharing its turns, two
    minutes at most (``ratelimit.MAX_INTERVAL``): a fifth of a second here, so each rerun comes
    after it, as the same command run again later would."""
    monkeypatch.setattr("skiptrace.net.layers.ratelimit.MAX_INTERVAL", 0.2)
    with ReplayServer(directory) as server:
        setup = Setup(tmp_path, server.base_url)
        directory.mode = "429"
        first = setup.enrich("out.csv")
        assert first.exit_code == 3, first.output
        rows = setup.rows("out.csv")
        # rate-limited at A3 for the rest of the run: A5 and A6 are not asked either
        assert [(r["Account"], r["status"]) for r in rows] == [
            ("A1", "hit"), ("A2", "no_hit"), ("A3", "incomplete"), ("A4", "skipped_flag"),
            ("A5", "incomplete"), ("A6", "incomplete"),
        ]  # fmt: skip
        assert rows[4]["status_detail"].startswith("people_directory rate_limited: ")
        assert "people_directory: " in first.output and "rate_limited 3" in first.output
        directory.mode = "ok"
        asked = len(server.received)
        again = setup.enrich("out.csv")
        assert again.exit_code == 0, again.output
        assert _searched(server, asked) == ["Slow", "Quartermain", "Slow"]
        reference = setup.never_failed(monkeypatch)
        assert findings(tmp_path / "out.csv") == reference

        # --refresh: an earlier run's finished rows are researched again too
        monkeypatch.setenv("SKIPTRACE_HOME", str(tmp_path / "home"))
        directory.mode = "429"
        assert setup.enrich("out.csv").exit_code == 3  # A1, A2 and A4 kept as finished
        directory.mode = "ok"
        asked = len(server.received)
        fresh = setup.enrich("out.csv", "--refresh")
        assert fresh.exit_code == 0, fresh.output
        assert _searched(server, asked) == [last for _, _, last, _ in RESEARCHED]
        assert "from an earlier run" not in fresh.output
        assert findings(tmp_path / "out.csv") == reference


def test_a_page_the_source_could_not_read_is_asked_again(
    directory: Directory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A search whose answer could not be read is fetched afresh on the rerun: the HTTP cache
    had kept the garbled page (HTTP 200) and answered the rerun with it, so the row stayed
    incomplete, and the source was never asked again, for ``cache.hours``."""
    with ReplayServer(directory) as server:
        setup = Setup(tmp_path, server.base_url)
        directory.mode = "garbled"
        first = setup.enrich("out.csv")
        assert first.exit_code == 3, first.output
        slow = [r for r in setup.rows("out.csv") if r["Last Name"] == "Slow"]
        assert [r["status"] for r in slow] == ["incomplete", "incomplete"]
        assert "unreadable answer" in slow[0]["status_detail"]
        directory.mode = "ok"
        asked = len(server.received)
        again = setup.enrich("out.csv")
        assert again.exit_code == 0, again.output
        assert _searched(server, asked) == ["Slow", "Slow"]
        assert findings(tmp_path / "out.csv") == setup.never_failed(monkeypatch)


@pytest.mark.parametrize("mode", ["partial", "accepted"])
def test_a_part_of_an_answer_or_one_not_yet_made_is_no_answer(
    directory: Directory, tmp_path: Path, mode: str
) -> None:
    """HTTP 206 (a part of the page, and skiptrace never asks for one) and 202 (accepted, not
    yet done) had been read as the whole answer: ``{"people": []}`` a final ``no_hit``,
    checkpointed, never asked again."""
    slow, _ = _owed_then_researched(directory, tmp_path, mode)
    status = {"partial": "206", "accepted": "202"}[mode]
    assert f"answered HTTP {status} (" in slow["status_detail"]


def _owed_then_researched(
    directory: Directory, tmp_path: Path, mode: str
) -> tuple[dict[str, str], list[str]]:
    """A run with the directory in ``mode``: both "Slow" rows ``incomplete``, exit 3; then
    the rerun, the directory well again, searches those two alone, exit 0. The first run's
    first "Slow" row, and the paths the server was asked for in that run."""
    directory.mode = mode
    with ReplayServer(directory) as server:
        setup = Setup(tmp_path, server.base_url)
        first = setup.enrich("out.csv")
        assert first.exit_code == 3, first.output
        slow = [r for r in setup.rows("out.csv") if r["Last Name"] == "Slow"]
        assert [r["status"] for r in slow] == ["incomplete", "incomplete"]
        asked = [r.path for r in server.received]
        directory.mode = "ok"
        again = setup.enrich("out.csv")
        assert again.exit_code == 0, again.output
        assert _searched(server, len(asked)) == ["Slow", "Slow"]
    return slow[0], asked


@pytest.mark.parametrize(("mode", "rule"), [("elsewhere", "origin"), ("sign-in", "account-area")])
def test_a_search_sent_on_somewhere_refused_is_not_answered(
    directory: Directory, tmp_path: Path, mode: str, rule: str
) -> None:
    """A search the source sent on (HTTP 302) to a status page on another host, or to its
    sign-in page, which the guard refuses to follow, had been the row's final ``error``
    ("not researched: people_directory refused: origin: ..."), exit 0, as if the policy
    forbade the search: the source's answer is still owed, as for a maintenance page that is
    not there (``moved``). The refused hop is still refused, and on the record."""
    slow, asked = _owed_then_researched(directory, tmp_path, mode)
    assert "was sent on to " in slow["status_detail"], slow
    assert f"rule '{rule}'" in slow["status_detail"], slow
    assert not any("/maintenance" in path or "/login" in path for path in asked)


def test_a_suffix_in_the_last_name_column_is_sent_apart() -> None:
    from skiptrace.research.enrich import query_of

    columns = {"last_name": "Surname", "first_name": "Given"}
    query = query_of({"Surname": "Smith Jr", "Given": "John"}, columns, "A-1")
    assert (query.get("last_name"), query.get("suffix"), query.get("first_name")) == (
        "Smith", "Jr", "John"
    )  # fmt: skip
