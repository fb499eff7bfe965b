"""skiptrace enrich end to end: a loopback directory, the real stack, a CSV in and out."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from rich.console import Console
from typer.testing import CliRunner

from skiptrace.audit import AuditEvent, AuditLog
from skiptrace.cli import app
from skiptrace.errors import AuditError, WriteError
from skiptrace.net import stack
from skiptrace.state import home
from skiptrace.tables.checkpoints import Checkpoints
from skiptrace.testing.children import quiet_fork
from skiptrace.testing.clock import VirtualTime
from skiptrace.testing.directory import MANIFEST as DEMO_MANIFEST
from skiptrace.testing.outputs import findings
from skiptrace.testing.replay import ReplayServer, Reply, loopback_policy_file

FOUND = "Quartermain"


def _directory(method: str, target: str, delay: float = 0.0, status: int = 200) -> Reply | None:
    """A people directory: knows everyone called Quartermain, at their employer's office."""
    url = urlsplit(target)
    if url.path != "/people":
        return None
    if delay:
        time.sleep(delay)
    if status != 200:
        return Reply(status, b"slow down", {"Retry-After": "0"})
    query = parse_qs(url.query)
    last, first = query.get("last", [""])[0], query.get("first", [""])[0]
    people = []
    if last == FOUND:
        people.append(
            {"name": f"{first} {last}", "street": "12 Harbour Rd", "city": "Springfield",
             "state": "IL", "zip": "62701", "employer": "Example Plumbing Co."}
        )  # fmt: skip
    body = json.dumps({"people": people}).encode()
    return Reply(200, body, {"Content-Type": "application/json"})


MANIFEST = DEMO_MANIFEST.replace('id = "demo_directory"', 'id = "people_directory"')
"""The demo's directory manifest under the name these tests use."""


def _connector_and_policy(tmp_path: Path, server: ReplayServer) -> tuple[Path, Path]:
    """A connectors folder holding the directory's manifest, and a fast loopback policy."""
    connectors = tmp_path / "connectors"
    connectors.mkdir()
    manifest = MANIFEST.format(base=server.base_url)
    (connectors / "people_directory.toml").write_text(manifest, encoding="utf-8")
    return connectors, loopback_policy_file(tmp_path / "fast.toml", server)


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[tuple[Path, Path, ReplayServer]]:
    with ReplayServer(_directory) as server:
        connectors, policy = _connector_and_policy(tmp_path, server)
        yield connectors, policy, server


def _debtors(path: Path, count: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Account", "First Name", "Last Name", "Address", "City", "State", "Zip",
                         "Bankruptcy"])  # fmt: skip
        for n in range(count):
            last = FOUND if n % 3 == 0 else f"Nobody{n}"
            bankrupt = "yes" if n % 10 == 5 else ""
            writer.writerow([f"A{n:04d}", f"Pat{n}", last, "12 Harbour Rd", "Springfield", "IL",
                             "62701", bankrupt])  # fmt: skip
    return path


def _args(connectors: Path, policy: Path, *rest: str) -> list[str]:
    return ["--connectors-dir", str(connectors), "--policy", str(policy), "enrich", *rest,
            "--source", "people_directory", "--purpose", "collection of a debt owed",
            "--no-progress"]  # fmt: skip


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_enrich_48_rows(setup: tuple[Path, Path, ReplayServer], tmp_path: Path) -> None:
    """Eight at a time: 16 rows past the 32 that many jobs may hold, written in order."""
    connectors, policy, server = setup
    source = _debtors(tmp_path / "debtors.csv", 48)
    target = tmp_path / "out.csv"
    result = CliRunner().invoke(app, _args(connectors, policy, str(source), "-o", str(target),
                                           "--jobs", "8"))  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = _read(target)
    assert [r["Account"] for r in rows] == [f"A{n:04d}" for n in range(48)]
    researched = 0
    for n, row in enumerate(rows):
        if n % 10 == 5:
            assert (row["status"], row["status_detail"]) == (
                "skipped_flag",
                "do not research: bankruptcy",
            )
            assert row["sources_checked"] == ""
            continue
        researched += 1
        assert row["sources_checked"] in ("people_directory:hit", "people_directory:no_result")
        if n % 3 == 0:
            assert row["status"] == "hit", row
            assert row["found_mailing_address"] == "12 Harbour Rd, Springfield, IL 62701"
            assert row["found_employer"] == "Example Plumbing Co."
            assert row["found_mailing_address_source"].startswith("people_directory http://127")
            assert float(row["match_score"]) > 0.95 and row["match_band"] == "high"
        else:
            assert (row["status"], row["found_mailing_address"]) == ("no_hit", "")
    people = [r for r in server.received if r.path.startswith("/people")]
    assert len(people) == researched
    assert not any(f"Pat{n}&" in r.path or r.path.endswith(f"Pat{n}") for n in range(5, 48, 10)
                   for r in people)  # fmt: skip
    audit = sqlite3.connect(home() / "audit.sqlite3")
    requests = audit.execute(
        "SELECT purpose, connector FROM audit WHERE event = 'request' AND url LIKE '%/people%'"
    ).fetchall()
    assert len(requests) == researched
    assert set(requests) == {("collection of a debt owed", "people_directory")}
    assert f"of the {researched} researched" in result.output  # flagged rows left out
    assert "people_directory" in result.output


class _Hold:
    """Holds the directory's answers for the rows numbered from ``row`` on, until it moves.

    A run killed while held has all its earlier rows answered (so they can be checkpointed)
    and none of the later ones (so it cannot finish): the kill lands part of the way through
    however fast or slow the machine, with no fixed sleeps."""

    def __init__(self) -> None:
        self._moved = threading.Condition()
        self._from: int | None = None  # None: every row is answered

    def hold_from(self, row: int | None) -> None:
        with self._moved:
            self._from = row
            self._moved.notify_all()

    def directory(self, method: str, target: str) -> Reply | None:
        first = parse_qs(urlsplit(target).query).get("first", [""])[0]
        if first.startswith("Pat"):
            row = int(first.removeprefix("Pat"))
            with self._moved:
                self._moved.wait_for(lambda: self._from is None or row < self._from, 60)
        return _directory(method, target, delay=0.005)


def test_a_run_that_is_killed_resumes_to_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = 24
    hold = _Hold()
    with ReplayServer(hold.directory) as server:
        connectors, policy = _connector_and_policy(tmp_path, server)
        source = _debtors(tmp_path / "debtors.csv", rows)

        def run(home_dir: Path, target: Path) -> str:
            """Run to the end, in this process (only the killed runs need one of their own);
            what it said."""
            monkeypatch.setenv("SKIPTRACE_HOME", str(home_dir))
            result = CliRunner().invoke(app, _args(connectors, policy, str(source), "-o",
                                                   str(target)))  # fmt: skip
            assert result.exit_code == 0, result.output
            return result.output

        def killed(home_dir: Path, target: Path, kill_at: int) -> None:
            """A run in a child process, SIGKILLed once ``kill_at`` rows are checkpointed: a
            fork of this one (a fresh Python and its imports had been 0.7 s of each kill)."""
            child = quiet_fork(lambda: run(home_dir, target))
            deadline = time.monotonic() + 60
            running = os.WEXITED | os.WNOHANG | os.WNOWAIT  # left to be reaped after the kill
            try:
                while time.monotonic() < deadline and os.waitid(os.P_PID, child, running) is None:
                    if (home_dir / "checkpoints.sqlite3").exists() and _finished(
                        home_dir
                    ) >= kill_at:
                        break
                    time.sleep(0.005)
            finally:  # whatever the loop raised, the child never outlives it
                os.kill(child, signal.SIGKILL)
                os.waitpid(child, 0)

        whole = tmp_path / "whole.csv"
        run(tmp_path / "home-a", whole)
        resumed = tmp_path / "resumed.csv"
        finished = []
        try:
            for rows_done in (8, 16):  # killed twice, each time part of the way through
                hold.hold_from(rows_done)  # rows from here on wait: the run cannot finish
                killed(tmp_path / "home-b", resumed, kill_at=rows_done)
                assert not resumed.exists()  # the output appears only when complete
                finished.append(_finished(tmp_path / "home-b"))
        finally:
            hold.hold_from(None)
        assert 0 < finished[0] < finished[1] < rows, finished
        said = run(tmp_path / "home-b", resumed)
        assert f"({finished[1]} from an earlier run)" in said  # kept rows not researched again
        assert findings(resumed) == findings(whole)  # the same cells, fetched at other times
        assert _finished(tmp_path / "home-b") == 0  # a complete run's checkpoints are deleted


def _finished(home_dir: Path) -> int:
    """Rows checkpointed so far in that home."""
    kept = sqlite3.connect(home_dir / "checkpoints.sqlite3")
    try:
        return int(kept.execute("SELECT count(*) FROM finished").fetchone()[0])
    except sqlite3.OperationalError:  # the run has not created its table yet
        return 0
    finally:
        kept.close()


def test_a_source_that_answers_429_all_run_long(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    skipped = VirtualTime()  # the retries' 1-2 s and 2-4 s backoffs, and the slowed host
    monkeypatch.setattr(stack, "Pace", skipped.pace)
    with ReplayServer(lambda m, t: _directory(m, t, status=429)) as server:
        connectors, policy = _connector_and_policy(tmp_path, server)
        source = _debtors(tmp_path / "debtors.csv", 12)
        target = tmp_path / "out.csv"
        result = CliRunner().invoke(app, _args(connectors, policy, str(source), "-o", str(target),
                                               "--jobs", "1"))  # fmt: skip
        assert result.exit_code == 3, result.output  # finished, rows incomplete (issue 11)
    rows = _read(target)
    assert len(rows) == 12
    researched = [r for r in rows if r["status"] != "skipped_flag"]
    assert all(r["sources_checked"] == "people_directory:rate_limited" for r in researched)
    assert all("rate_limited" in r["status_detail"] for r in researched)
    assert "rate_limited" in result.output
    assert len([r for r in server.received if r.path.startswith("/people")]) == 3
    assert sum(skipped.sleeps) >= 3  # the two backoffs between the three attempts were taken


BAD_FILE = (
    b"id,first_name,last_name,city\r\n"
    + "B1,Zoë-Émilie Åsa,Quartermain,Springfield\r\n".encode()  # a UTF-8 file...
    + b"B2,Pat,Ragged\r\n"
    + b"B3,Pat,Bad\xff\xfeBytes,Springfield\r\n"  # ...with a damaged row
    b"B4,Pat,Huge," + b"x" * 1_000_000 + b"\r\n"
    b'B5,"Pat,Broken,Springfield\r\n'
    b"B6,Ren\xc3\xa9e,Nobody,Springfield\r\n"
)


def test_bad_rows_become_error_rows_in_their_place(
    setup: tuple[Path, Path, ReplayServer], tmp_path: Path
) -> None:
    connectors, policy, _ = setup
    source = tmp_path / "bad.csv"
    source.write_bytes(BAD_FILE)
    target = tmp_path / "out.csv"
    result = CliRunner().invoke(app, _args(connectors, policy, str(source), "-o", str(target)))
    assert result.exit_code == 0, result.output
    rows = _read(target)
    assert [r["id"] for r in rows] == ["B1", "B2", "B3", "B4", "B5", "B6"]
    # B1 is researched: name and town alone, a name the tables do not call rare (issue 12)
    assert [r["status"] for r in rows] == ["no_hit", "error", "error", "error", "error", "no_hit"]
    assert rows[0]["match_score"] and "name only" in rows[0]["status_detail"]
    details = [r["status_detail"] for r in rows]
    assert "3 fields" in details[1]
    assert "not utf-8" in details[2]
    assert "longer than" in details[3]
    assert "quote" in details[4]


def test_an_input_column_named_like_an_output_column_is_kept_under_another_name(
    setup: tuple[Path, Path, ReplayServer], tmp_path: Path
) -> None:
    """A collection export's own Status column was written beside skiptrace's, two columns
    named status: a tool reading the first saw "hit" on a row never researched."""
    connectors, policy, _ = setup
    source = tmp_path / "export.csv"
    source.write_bytes(b"last_name,first_name,status,input_status\nRoe,Jane,hit,x\n"
                       b"Doe\x00,John,hit,y\n")  # fmt: skip
    target = tmp_path / "out.csv"
    result = CliRunner().invoke(app, _args(connectors, policy, str(source), "-o", str(target)))
    assert result.exit_code == 0, result.output
    with target.open(encoding="utf-8", newline="") as handle:
        header, first, second = list(csv.reader(handle))
    assert header[:5] == ["last_name", "first_name", "input_input_status", "input_status",
                          "status"]  # fmt: skip
    assert len(set(header)) == len(header)
    assert first[2:4] == ["hit", "x"] and first[4] != "hit"  # Nobody by that name
    assert second[2:5] == ["hit", "y", "error"]
    assert "status" in result.output and "input_input_status" in result.output


@pytest.mark.parametrize(
    ("encoding", "delimiter", "bom"),
    [("utf-8", ",", False), ("utf-8", ";", True), ("cp1252", "\t", False)],
)
def test_encodings_and_delimiters_are_detected(
    setup: tuple[Path, Path, ReplayServer], tmp_path: Path, encoding: str, delimiter: str,
    bom: bool,
) -> None:  # fmt: skip
    connectors, policy, _ = setup
    text = delimiter.join(["Acct #", "Given Name", "Surname", "Town"]) + "\r\n"
    text += delimiter.join(["C1", "Zoë", FOUND, "Springfield"]) + "\r\n"
    source = tmp_path / "file.csv"
    source.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding))
    target = tmp_path / "out.csv"
    result = CliRunner().invoke(app, _args(connectors, policy, str(source), "-o", str(target)))
    assert result.exit_code == 0, result.output
    [row] = _read(target)
    assert row["Acct #"] == "C1" and row["Given Name"] == "Zoë"
    assert row["status"] == "no_hit" and row["match_score"]  # researched: name and town alone


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "is empty"),
        (b"first_name,last_name\r\n", "no rows"),
        (b"colour,size\r\nred,9\r\n", "no name column"),
    ],
)
def test_unusable_files_exit_2_with_a_clear_message(
    setup: tuple[Path, Path, ReplayServer], tmp_path: Path, content: bytes, says: str
) -> None:
    connectors, policy, _ = setup
    source = tmp_path / "file.csv"
    source.write_bytes(content)
    result = CliRunner().invoke(app, _args(connectors, policy, str(source)))
    assert result.exit_code == 2
    assert says in result.output
    if says == "no name column":
        assert "colour, size" in result.output


def test_a_purpose_is_required(setup: tuple[Path, Path, ReplayServer], tmp_path: Path) -> None:
    connectors, policy, _ = setup
    source = _debtors(tmp_path / "debtors.csv", 2)
    args = [a for a in _args(connectors, policy, str(source)) if a != "collection of a debt owed"]
    args.remove("--purpose")
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert "a purpose is required" in result.output


def test_lookup_one_debtor(setup: tuple[Path, Path, ReplayServer]) -> None:
    connectors, policy, _ = setup
    base = ["--connectors-dir", str(connectors), "--policy", str(policy), "lookup",
            "--source", "people_directory", "--purpose", "collection of a debt owed"]  # fmt: skip
    found = CliRunner().invoke(app, [*base, "--name", "Pat Quartermain", "--address",
                                     "12 Harbour Road", "--zip", "62701", "--json"])  # fmt: skip
    assert found.exit_code == 0, found.output
    payload = json.loads(found.stdout)
    [candidate] = payload["candidates"]
    assert candidate["band"] == "high" and candidate["score"] > 0.95
    levels = {field: level for field, level, _ in candidate["fields"]}
    assert (levels["first_name"], levels["last_name"], levels["zip"]) == ("exact",) * 3
    assert levels["street"] == "exact"
    area = CliRunner().invoke(app, [*base, "--name", "Pat Quartermain", "--zip", "62701",
                                    "--json"])  # fmt: skip
    [in_the_area] = json.loads(area.stdout)["candidates"]  # the ZIP alone: an area, no home
    assert in_the_area["band"] == "medium" and "name and ZIP only" in in_the_area["words"]
    assert candidate["record"]["mailing_address"]["lines"] == ["12 Harbour Rd"]
    assert payload["sources"] == [
        {
            "connector": "people_directory",
            "status": "hit",
            "reason": "",
            "detail": "",
            "partly": "",
            "unread": "",
        }
    ]
    table = CliRunner().invoke(app, [*base, "--name", "Pat Quartermain", "--city", "Springfield"])
    assert table.exit_code == 0 and "Harbour" in table.output
    missing = CliRunner().invoke(app, [*base, "--name", "Nobody Atall"])
    assert missing.exit_code == 1
    assert "people_directory: no_result" in missing.output


def test_checkpoints_older_than_the_retention_period_are_purged(tmp_path: Path) -> None:
    from skiptrace.tables.checkpoints import Checkpoints

    path = tmp_path / "checkpoints.sqlite3"
    store = Checkpoints(path, "run-a", retention_days=30)
    store.put(0, ["a", "hit"])
    store.close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE finished SET stored_at = stored_at - 31 * 86400")
    reopened = Checkpoints(path, "run-a", retention_days=30)
    assert reopened.get(0) is None
    reopened.close()


def test_the_progress_bar_counts_rows_and_hits_on_a_terminal(
    setup: tuple[Path, Path, ReplayServer], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    connectors, policy, _ = setup
    screen = io.StringIO()
    terminal = Console(file=screen, force_terminal=True, width=120)
    monkeypatch.setattr("skiptrace.cli.enrich_cmd.err", terminal)
    source = _debtors(tmp_path / "debtors.csv", 12)
    args = [a for a in _args(connectors, policy, str(source)) if a != "--no-progress"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    drawn = screen.getvalue()
    assert "12/12 rows" in drawn  # the bar's last frame: every row, of a total counted up front
    assert "hits 4, rate-limited/blocked 0" in drawn
    assert "\x1b[" in drawn  # drawn as a live bar, with terminal control codes


def test_the_progress_bar_totals_the_rows_the_run_writes_not_the_line_feeds(
    setup: tuple[Path, Path, ReplayServer], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Mac export ends its lines with CR alone and a note field spans lines: the bar had
    counted line feeds, "3/1 rows" for one file and "2/5 rows" for the other."""
    connectors, policy, _ = setup
    head = "Account,First Name,Last Name,Notes"
    files = {"mac.csv": f"{head}\rA1,Pat,Roe,\rA2,Ann,Lee,\rA3,Kim,Poe,",
             "notes.csv": f'{head}\nA1,Pat,Roe,"one\ntwo\nthree\n"\nA2,Ann,Lee,\n'}  # fmt: skip
    for name, text in files.items():
        screen = io.StringIO()
        monkeypatch.setattr("skiptrace.cli.enrich_cmd.err",
                            Console(file=screen, force_terminal=True, width=120))  # fmt: skip
        (tmp_path / name).write_text(text, encoding="utf-8", newline="")
        args = [a for a in _args(connectors, policy, str(tmp_path / name)) if a != "--no-progress"]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
        rows = len(_read(tmp_path / name.replace(".csv", ".enriched.csv")))
        assert f"{rows}/{rows} rows" in screen.getvalue(), name


def test_the_header_line_again_mid_file_is_not_researched_as_a_debtor(
    setup: tuple[Path, Path, ReplayServer], tmp_path: Path
) -> None:
    """Two exports joined: the second's header had been researched as a debtor named
    "First Name Last Name" and written as a final no_hit."""
    connectors, policy, server = setup
    head = "Account,First Name,Last Name,Address,City,State,Zip\n"
    row = "A{n},Pat,Nobody{n},12 Harbour Rd,Springfield,IL,62701\n"
    source = tmp_path / "joined.csv"
    source.write_text(head + row.format(n=1) + head + row.format(n=2), encoding="utf-8")
    target = tmp_path / "out.csv"
    result = CliRunner().invoke(app, _args(connectors, policy, str(source), "-o", str(target)))
    assert result.exit_code == 0, result.output
    rows = _read(target)
    assert [(r["Account"], r["status"]) for r in rows] == [
        ("A1", "no_hit"), ("Account", "error"), ("A2", "no_hit")
    ]  # fmt: skip
    assert rows[1]["status_detail"] == "not researched: the header line again (files joined?)"
    searched = [r.path for r in server.received if r.path.startswith("/people")]
    assert searched == ["/people?last=Nobody1&first=Pat", "/people?last=Nobody2&first=Pat"]


def test_a_repeated_header_reads_the_first_column_as_the_columns_line_says(
    setup: tuple[Path, Path, ReplayServer], tmp_path: Path
) -> None:
    """A co-signer's "last_name" after the debtor's: the debtor (Smith, whom the directory does
    not know) is researched, not the co-signer (Quartermain, whom it does): never a hit on
    another person's name."""
    connectors, policy, server = setup
    source = tmp_path / "twice.csv"
    source.write_text("account,first_name,last_name,address,city,state,zip,cosigner_first,"
                      "last_name\nA1,Pat,Smith,12 Harbour Rd,Springfield,IL,62701,Ann,"
                      f"{FOUND}\n", encoding="utf-8")  # fmt: skip
    target = tmp_path / "out.csv"
    result = CliRunner().invoke(app, _args(connectors, policy, str(source), "-o", str(target)))
    assert result.exit_code == 0, result.output
    assert "last_name=last_name" in result.output
    [row] = _read(target)
    assert row["status"] == "no_hit" and row["found_mailing_address"] == ""
    assert [r.path for r in server.received if r.path.startswith("/people")] == [
        "/people?last=Smith&first=Pat"
    ]


def test_a_repeated_flag_column_raises_the_flag_if_either_says_so(
    setup: tuple[Path, Path, ReplayServer], tmp_path: Path
) -> None:
    connectors, policy, server = setup
    source = tmp_path / "flags.csv"
    source.write_text("account,first_name,last_name,bankruptcy,cosigner_first,bankruptcy\n"
                      f"A1,Pat,{FOUND},no,Ann,yes\n", encoding="utf-8")  # fmt: skip
    target = tmp_path / "out.csv"
    result = CliRunner().invoke(app, _args(connectors, policy, str(source), "-o", str(target)))
    assert result.exit_code == 0, result.output
    [row] = _read(target)
    assert (row["status"], row["status_detail"]) == ("skipped_flag", "do not research: bankruptcy")
    assert not [r for r in server.received if r.path.startswith("/people")]


@pytest.mark.parametrize("name", ["audit.sqlite3", "index.sqlite3", "out.csv"])
def test_an_output_in_skiptrace_home_is_refused_before_any_research(
    setup: tuple[Path, Path, ReplayServer], tmp_path: Path, name: str
) -> None:
    """``-o`` naming the audit log (which must be kept three years), the index or anything
    else in SKIPTRACE_HOME: one line, exit 2, nothing asked, nothing replaced."""
    connectors, policy, server = setup
    target = home() / name
    target.write_bytes(b"kept")
    source = _debtors(tmp_path / "debtors.csv", 3)
    result = CliRunner().invoke(app, _args(connectors, policy, str(source), "-o", str(target)))
    assert result.exit_code == 2 and "is in SKIPTRACE_HOME" in result.output, result.output
    assert target.read_bytes() == b"kept" and server.received == []


def test_a_run_resumed_under_a_tighter_policy_researches_its_rows_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run left rows incomplete (the last debtor's search kept answering 429: a request
    queued behind it would not be sent), so its findings were kept for resuming. The operator
    then denies the directory's host and resumes: no row may keep what that host said under
    the looser policy. Rows found before are researched again
    under the policy in force, and refused."""
    monkeypatch.setattr(stack, "Pace", VirtualTime().pace)

    def directory(method: str, target: str) -> Reply | None:
        busy = "first=Pat3&" in target or target.endswith("first=Pat3")
        return _directory(method, target, status=429 if busy else 200)

    with ReplayServer(directory) as server:
        connectors, policy = _connector_and_policy(tmp_path, server)
        source = _debtors(tmp_path / "debtors.csv", 4)
        target = tmp_path / "out.csv"
        first = CliRunner().invoke(app, _args(connectors, policy, str(source), "-o", str(target)))
        assert first.exit_code == 3, first.output  # Pat3 incomplete: the run is kept
        assert [r["status"] for r in _read(target)] == ["hit", "no_hit", "no_hit", "incomplete"]
        tighter = tmp_path / "tighter.toml"
        tighter.write_text('[hosts]\ndeny = ["127.0.0.1"]\n', encoding="utf-8")
        resumed = ["--policy", str(tighter), *_args(connectors, policy, str(source), "-o",
                                                     str(target))]  # fmt: skip
        second = CliRunner().invoke(app, resumed)
    rows = _read(target)
    assert [r["status"] for r in rows] != ["hit", "no_hit", "no_hit", "incomplete"], second.output
    assert not any(r["found_mailing_address"] for r in rows), rows
    assert all("denied" in r["status_detail"] or "refused" in r["sources_checked"] for r in rows)


@pytest.mark.parametrize("change", ["appended", "cut", "replaced"])
def test_an_input_that_changes_during_the_run_gives_no_output(tmp_path: Path, change: str) -> None:
    """An export still being written (rows appended), cut short, or replaced while the run reads
    it: the rows researched are not the file's rows, so an output would lose some or mix two
    files. The run says so, in one line, and puts no output in place."""
    source = _debtors(tmp_path / "debtors.csv", 6)
    original = source.read_bytes()
    changed = threading.Event()

    def directory(method: str, target: str) -> Reply | None:
        if target.startswith("/people") and not changed.is_set():
            changed.set()
            if change == "appended":
                with source.open("ab") as handle:
                    handle.write(b"A9999,Pat9999,Late,1 Late St,Springfield,IL,62701,\r\n")
            elif change == "cut":
                source.write_bytes(original[: len(original) // 2])
            else:
                other = source.with_name("other.csv")
                other.write_bytes(original.replace(b"Pat", b"Sam"))
                os.replace(other, source)
        return _directory(method, target)

    with ReplayServer(directory) as server:
        connectors, policy = _connector_and_policy(tmp_path, server)
        target = tmp_path / "out.csv"
        result = CliRunner().invoke(app, _args(connectors, policy, str(source), "-o", str(target),
                                               "--jobs", "1"))  # fmt: skip
    assert changed.is_set()
    assert result.exit_code == 2, result.output
    assert "changed while" in result.output and "Traceback" not in result.output
    assert not target.exists()
    assert not list(tmp_path.glob(".out.csv.partial"))


def test_an_input_only_touched_during_the_run_costs_a_rerun_from_the_checkpoints(
    tmp_path: Path,
) -> None:
    """A sync client or a backup sets the file's times. The same bytes may still have been cut
    and written back while they were read, so the run gives no output; but every row it
    finished is kept, and the rerun takes them all from the checkpoints (review: the rows were
    dropped)."""
    source = _debtors(tmp_path / "debtors.csv", 6)
    touched = threading.Event()

    def directory(method: str, target: str) -> Reply | None:
        if target.startswith("/people") and not touched.is_set():
            touched.set()
            os.utime(source, (time.time() + 5, time.time() + 5))
        return _directory(method, target)

    with ReplayServer(directory) as server:
        connectors, policy = _connector_and_policy(tmp_path, server)
        target = tmp_path / "out.csv"
        args = _args(connectors, policy, str(source), "-o", str(target))
        first = CliRunner().invoke(app, args)
        assert touched.is_set() and first.exit_code == 2, first.output
        asked = len([r for r in server.received if r.path.startswith("/people")])
        again = CliRunner().invoke(app, args)
        assert again.exit_code == 0, again.output
        assert len([r for r in server.received if r.path.startswith("/people")]) == asked
    assert "(6 from an earlier run)" in again.output, again.output
    assert len(_read(target)) == 6


def test_checkpoints_that_cannot_be_deleted_after_the_output_is_in_place_are_a_note(
    setup: tuple[Path, Path, ReplayServer], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills as the finished run deletes its checkpoints: the output is complete and
    in place, so the run says so and succeeds, with a note (review: it said it failed)."""

    def full(self: Checkpoints) -> None:
        raise WriteError("the checkpoints in X failed: database or disk is full")

    monkeypatch.setattr(Checkpoints, "clear", full)
    connectors, policy, _ = setup
    source = _debtors(tmp_path / "debtors.csv", 4)
    target = tmp_path / "out.csv"
    result = CliRunner().invoke(app, _args(connectors, policy, str(source), "-o", str(target)))
    assert result.exit_code == 0, result.output
    assert len(_read(target)) == 4
    assert "note: the output is complete, but the checkpoints" in result.output


def test_an_audit_log_that_fails_mid_run_stops_it_and_calls_no_row_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A request the log cannot record is never sent, and a row whose research could not be
    recorded is not researched: it is "incomplete", saying why, never kept as done, so the
    same command researches it once the log works again."""
    source = _debtors(tmp_path / "debtors.csv", 12)
    with ReplayServer(_directory) as server:
        connectors, policy = _connector_and_policy(tmp_path, server)
        whole, target = tmp_path / "whole.csv", tmp_path / "out.csv"
        done = CliRunner().invoke(app, _args(connectors, policy, str(source), "-o", str(whole)))
        assert done.exit_code == 0, done.output
        real, calls = AuditLog.append, [0]

        def failing(self: AuditLog, event: AuditEvent, *, ends: int | None = None) -> None:
            calls[0] += 1
            if calls[0] > 6:
                raise AuditError(f"cannot write the audit log {self.path}: disk I/O error")
            real(self, event, ends=ends)

        monkeypatch.setattr(AuditLog, "append", failing)
        args = _args(connectors, policy, str(source), "-o", str(target), "--jobs", "1")
        stopped = CliRunner().invoke(app, args)
        assert stopped.exit_code == 3, stopped.output  # finished, rows incomplete
        failed = [r for r in _read(target) if "audit log" in r["status_detail"]]
        assert failed and {r["status"] for r in failed} == {"incomplete"}
        monkeypatch.setattr(AuditLog, "append", real)
        again = CliRunner().invoke(app, args)
        assert again.exit_code == 0, again.output
    assert findings(target) == findings(whole)
