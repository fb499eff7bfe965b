"""The command line: exit codes, outputs and messages as the README documents them."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from skiptrace import __version__
from skiptrace.audit import AuditEvent, AuditLog
from skiptrace.audit.log import AUDIT_FILE
from skiptrace.cli import app
from skiptrace.state import home

runner = CliRunner()


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_version() -> None:
    assert _run("--version") == (0, f"skiptrace {__version__}\n")


def test_the_console_script_runs_as_a_module() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "skiptrace", "policy", "check", "https://wa.me/1"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout.startswith("refused: contact-host:")


@pytest.mark.parametrize(
    ("args", "code", "start"),
    [
        (["https://www.acme-plumbing.example/messages-from-our-ceo"], 0, "allowed: GET https://"),
        (["HTTPS://WWW.FaceBook.COM.:443/a/../%6Dessages/t/1"], 1, "refused: social-action:"),
        (["--method", "POST", "https://www.acme-plumbing.example/"], 1, "refused: method:"),
        (["-m", "head", "https://www.acme-plumbing.example/"], 0, "allowed: HEAD"),
        (["https://www.linkedin.com/in/someone"], 1, "refused: social-network-host:"),
        (["http://[::ffff:169.254.169.254]/"], 1, "refused: metadata-address:"),
        (["mailto:someone@example.com"], 1, "refused: scheme:"),
    ],
)
def test_policy_check(args: list[str], code: int, start: str) -> None:
    exit_code, output = _run("policy", "check", *args)
    assert exit_code == code
    assert output.startswith(start)


def test_policy_check_prints_the_canonical_url() -> None:
    code, output = _run("policy", "check", "HTTP://Example.COM.:80/a/./b/../c")
    assert (code, output) == (0, "allowed: GET http://example.com/a/c\n")


@pytest.mark.parametrize(
    "args",
    [["http://a.example:1\nallowed: GET http://b.example/"],
     ["--method", "GET\nallowed: GET http://b.example/", "http://a.example/"]],
    ids=["url", "method"],
)  # fmt: skip
def test_policy_check_refuses_in_one_line_whatever_was_typed(args: list[str]) -> None:
    """A line feed typed in the URL or the method was quoted back as it was: a second line,
    reading "allowed: ..." to a script that reads the lines."""
    code, output = _run("policy", "check", *args)
    assert code == 1
    assert output.startswith("refused: ") and output.count("\n") == 1, output


def test_usage_errors_exit_2() -> None:
    assert _run("policy", "check")[0] == 2
    assert _run("policy", "nonsense")[0] == 2


@pytest.mark.parametrize(
    ("args", "said"),
    [(["link", "a.csv", "b.csv", "--threshold", "abc"], "skiptrace link: "),
     (["link", "a.csv", "b.csv", "--workers", "-1"], "skiptrace link: "),
     (["enrich", "a.csv", "--jobs", "0"], "skiptrace enrich: "),
     (["audit", "show", "--last", "0"], "skiptrace audit show: ")],
)  # fmt: skip
def test_a_bad_option_value_is_one_line(args: list[str], said: str) -> None:
    """typer printed the usage line, a hint and a framed box of several lines; now one line,
    as every other input error, and exit 2 as before."""
    result = runner.invoke(app, args)
    assert (result.exit_code, result.stdout) == (2, "")
    option = args[-2]
    assert result.stderr.startswith(f"{said}Invalid value for '{option}'"), result.stderr
    assert result.stderr.count("\n") == 1, result.stderr


def test_audit_show_of_more_rows_than_sqlite_counts_is_one_line() -> None:
    """``--last`` beyond SQLite's integers reached the query: a traceback (datatype mismatch)."""
    from skiptrace.audit import AuditLog
    from skiptrace.audit.chain import AuditEvent

    with AuditLog.open_default() as audit:
        audit.append(AuditEvent("request", "GET", "https://example.com/", status=200))
    assert _run("audit", "show", "--last", str(2**63 - 1))[0] == 0
    result = runner.invoke(app, ["audit", "show", "--last", str(2**63)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("skiptrace audit show: Invalid value for '--last'")
    assert result.stderr.count("\n") == 1, result.stderr


def test_a_missing_argument_keeps_its_usage_line() -> None:
    result = runner.invoke(app, ["link", "a.csv"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Usage: ") and "Missing argument 'RIGHT'" in result.stderr


def test_policy_show_lists_settings_and_hard_rules() -> None:
    code, output = _run("policy", "show")
    assert code == 0
    for expected in ("robots.honour", "rate.default", "hard rules", "social-action", "method"):
        assert expected in output


def test_policy_files_from_the_command_line(tmp_path: Path) -> None:
    tighter = tmp_path / "tighter.toml"
    tighter.write_text('[hosts]\ndeny = ["acme-plumbing.example"]\n', encoding="utf-8")
    code, output = _run(
        "--policy", str(tighter), "policy", "check", "https://acme-plumbing.example/"
    )
    assert (code, output.split(":")[0]) == (1, "refused")
    assert "denied-host" in output
    code, output = _run("policy", "check", "--policy", "strict", "https://acme-plumbing.example/")
    assert code == 0
    looser = tmp_path / "looser.toml"
    looser.write_text("[robots]\nhonour = false\n", encoding="utf-8")
    code, output = _run("--policy", str(looser), "policy", "show")
    assert code == 2
    assert "loosens the policy" in output and "[[override]]" in output
    hard = tmp_path / "hard.toml"
    hard.write_text("allow_cookies = true\n", encoding="utf-8")
    code, output = _run("--policy", str(hard), "policy", "show")
    assert code == 2
    assert "hard rule 'cookie'" in output


@pytest.mark.parametrize(
    "command",
    [["lookup", "--name", "Jane Roe", "--source", "no-such-connector", "--purpose", "a debt"],
     ["connectors", "test", "no-such-connector"]],
)  # fmt: skip
def test_a_command_reads_its_policy_files_once(
    command: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A review: ``lookup``, ``enrich`` and ``connectors test`` read their --policy files for
    the run, then again for what the connectors are granted; a pipe (``--policy <(...)``) was
    empty the second time, so the grants were the default policy's, not the run's (and a file
    edited between the readings would grant what no audit row says)."""
    from skiptrace.connectors import _registry

    granted: list[frozenset[str]] = []
    discover = _registry.discover

    def spied(*args: Any, **options: Any) -> _registry.Registry:
        granted.append(options["grants"].trusted)
        return discover(*args, **options)

    monkeypatch.setattr(_registry, "discover", spied)
    monkeypatch.setenv("SKIPTRACE_HOME", str(tmp_path / "home"))
    policy = (
        b'[connectors]\ntrusted = ["reviewed_connector"]\n[[override]]\n'
        b'key = "connectors.trusted"\nreason = "no sandbox here; its code reviewed"\n'
    )
    read, write = os.pipe()
    os.write(write, policy)
    os.close(write)
    try:
        CliRunner().invoke(app, ["--policy", f"/dev/fd/{read}", *command])
    finally:
        os.close(read)
    assert granted == [frozenset({"reviewed_connector"})]


@pytest.mark.parametrize("folder", [".", "/"])
def test_enrich_given_a_folder_with_no_name_is_one_line(
    folder: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A review: ``enrich .`` and ``enrich /`` (no -o) were a traceback and exit 1: the default
    output's name was made from the input's, which they have none of."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SKIPTRACE_HOME", str(tmp_path / "home"))
    result = CliRunner().invoke(app, ["enrich", folder, "--purpose", "collection of a debt"])
    assert result.exit_code == 2, result.exception
    assert result.stderr == f"skiptrace enrich: cannot read {folder}: Is a directory\n"


def test_demo_then_audit_show_verify_export_and_tamper(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the demo makes its folder
    yours = home()
    code, output = _run("demo")
    assert code == 0
    # the demo keeps its rows in its own SKIPTRACE_HOME (issue 11), printed; yours is untouched
    demo_home = Path(output.split("SKIPTRACE_HOME=")[1].split()[0])
    assert demo_home.parent.parent == tmp_path
    assert not (yours / "audit.sqlite3").exists()
    monkeypatch.setenv("SKIPTRACE_HOME", str(demo_home))
    for expected in ("EX-01", "EX-07", "hit", "bankruptcy", "no_hit", "8 of 8 rows"):
        assert expected in output
    assert "fetched: HTTP 200" in output
    for rule in ("method", "contact-host", "social-action", "social-network-host",
                 "metadata-address", "account-area"):  # fmt: skip
        assert rule in output
    assert "chain intact" in output
    total = int(output.split("audit log: ")[1].split(" rows")[0])

    code, output = _run("audit", "show", "--json", "--last", "3")
    assert code == 0
    rows = [json.loads(line) for line in output.splitlines()]
    assert [row["seq"] for row in rows] == [total - 2, total - 1, total]
    assert {row["connector"] for row in rows} == {"demo"}

    code, output = _run("audit", "export")
    exported = list(csv.DictReader(io.StringIO(output)))
    assert len(exported) == total
    assert exported[0]["seq"] == "1"
    assert {row["connector"] for row in exported} == {"demo"}  # the offline index sends none

    code, output = _run("audit", "verify")
    assert code == 0 and output.startswith(f"ok: {total} rows")
    head = output.splitlines()[0].split("head ")[1].strip()  # stderr then notes: unkeyed
    assert _run("audit", "verify", "--expect-head", head)[0] == 0

    db = sqlite3.connect(home() / "audit.sqlite3")
    db.execute("DROP TRIGGER audit_no_update")
    db.execute("UPDATE audit SET status = 599 WHERE seq = 2")
    db.commit()
    db.close()
    code, output = _run("audit", "verify")
    assert code == 1
    assert output.startswith("FAILED at row 2:")


def test_audit_commands_on_an_empty_log() -> None:
    assert _run("audit", "verify")[0] == 1  # no log yet: nothing verified, none made
    code, said = _run("audit", "show", "--json")  # and none made by reading it
    assert code == 1 and said.startswith("FAILED: no audit log at ")
    assert not (home() / AUDIT_FILE).exists()
    AuditLog.open_default().close()  # what a first lookup opens
    assert _run("audit", "show", "--json") == (0, "")
    code, said = _run("audit", "verify")  # stdout, then stderr's note: an unkeyed log
    assert (code, said.splitlines()[0]) == (0, "ok: 0 rows, chain intact, head " + "0" * 64)
    assert "note: an unkeyed log is checked against itself only" in said


def test_audit_show_counts_the_rows_a_running_process_has_not_stored_yet() -> None:
    running = AuditLog.open_default()
    for number in range(2):
        running.append(AuditEvent(event="request", method="GET", url=f"https://x.example/{number}"))
    result = runner.invoke(app, ["audit", "show", "--json"])
    assert result.stdout == ""
    assert "2 rows of running processes are still in their journals" in result.stderr
    running.close()
    result = runner.invoke(app, ["audit", "show", "--json"])
    assert [json.loads(line)["url"] for line in result.stdout.splitlines()] == [
        "https://x.example/0",
        "https://x.example/1",
    ]
    assert result.stderr == ""


@pytest.mark.parametrize(("args", "word"), [
    (["--name", "Jane Roe", "--source", "companies_house"], "needs_key"),
    (["--name", "Jane Roe", "--employer", "Acme Plumbing", "--source", "business_pages"],
     "needs_config"),
])  # fmt: skip
def test_a_lookup_no_source_could_search_for_want_of_setup_is_not_nothing_found(
    args: list[str], word: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Exit 1 says "no candidates": nothing was searched, for want of a key or a search API.
    As enrich makes such a row ``incomplete`` (exit 3), lookup exits 3: set it, run again."""
    monkeypatch.delenv("COMPANIES_HOUSE_API_KEY", raising=False)
    result = runner.invoke(app, ["lookup", *args, "--purpose", "collection of a debt owed"])
    assert result.exit_code == 3, result.output
    assert f"not researched: {args[-1]} {word}: " in result.stderr
    assert "run the same lookup again" in result.stderr


def test_a_source_named_twice_is_asked_once(tmp_path: Path) -> None:
    """``--source offline --source offline`` asked it twice: ``offline:hit;offline:hit`` in
    the output, and each answer counted twice in the summary (hit 2 for one row)."""
    from skiptrace.demo.offline import EXAMPLE

    full = EXAMPLE / "npidata_pfile_20050523-20261101.csv"
    assert _run("index", "import", "nppes", str(full), "--no-progress")[0] == 0
    source = tmp_path / "debtors.csv"
    source.write_text("account,first_name,last_name,city,state\nA1,Jane,Roe,Springfield,IL\n")
    twice = ["--source", "offline", "--source", "offline"]
    result = runner.invoke(
        app, ["enrich", str(source), *twice, "--purpose", "a debt owed", "--no-progress"]
    )
    assert result.exit_code == 0, result.output
    with (tmp_path / "debtors.enriched.csv").open(encoding="utf-8", newline="") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["sources_checked"] == "offline:hit"
    assert "  offline: hit 1\n" in result.stderr


def test_a_manifest_s_line_feed_begins_no_line_of_connectors_show_or_list(
    tmp_path: Path,
) -> None:
    """A manifest's name or terms holding a line feed printed a line of its own below the real
    ones: a second "runs:" line, saying what the operator deciding to trust it wanted to read."""
    from skiptrace.testing.directory import MANIFEST

    manifest = MANIFEST.format(base="http://127.0.0.1:9").replace(
        'terms = "https://example.invalid/terms"',
        'terms = "https://example.invalid/t\\n     runs: built in: reviewed"',  # TOML's \n
    )
    (tmp_path / "demo_directory.toml").write_text(manifest)
    options = ["--connectors-dir", str(tmp_path), "connectors"]
    code, shown = _run(*options, "show", "demo_directory")
    runs = [line for line in shown.splitlines() if line.lstrip().startswith("runs:")]
    assert code == 0 and len(runs) == 1, shown
    assert runs[0].startswith("     runs: manifest: no code of its own"), shown
    assert "    terms: https://example.invalid/t\\n     runs: built in: reviewed\n" in shown
    code, listed = _run(*options, "list")
    assert code == 0 and "  demo_directory: https://example.invalid/t\\n     runs: " in listed
    assert not [line for line in listed.splitlines() if line.lstrip().startswith("runs:")]


def test_an_override_s_reason_begins_no_line_of_policy_show(tmp_path: Path) -> None:
    """A reason holding a line feed printed a line of its own: an override that is not there."""
    looser = tmp_path / "looser.toml"
    looser.write_text('[rate]\ndefault = "100/s"\n[[override]]\nkey = "rate.default"\n'
                      'reason = "our own mirror\\noverride hosts.deny_social_networks = False"\n',
                      encoding="utf-8")  # fmt: skip
    code, output = _run("--policy", str(looser), "policy", "show")
    assert code == 0
    overrides = [line for line in output.splitlines() if line.startswith("override ")]
    assert overrides == [f"override rate.default = '100/s' ({looser}): our own mirror\\n"
                         "override hosts.deny_social_networks = False"]  # fmt: skip
