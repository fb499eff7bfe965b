"""A research command on a home whose audit log cannot take its rows (keyed, and no key set;
unkeyed, and a key set; keyed under another key) stops before any research, exit 2 in one
line: no rerun mends it. Each row was researched into ``incomplete`` (every source failing on
the log), exit 3 and "run the same command later", which a scheduler retries for ever."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import skiptrace
from skiptrace.audit import AuditEvent, AuditLog
from skiptrace.cli import app
from skiptrace.errors import AuditError
from skiptrace.state import home
from skiptrace.testing.directory import directory, directory_options
from skiptrace.testing.replay import ReplayServer

KEY, OTHER = "k" * 64, "o" * 64
PURPOSE = "collection of a debt owed"


@pytest.mark.parametrize(("written", "now", "said"), [
    (KEY, None, "is keyed: set SKIPTRACE_AUDIT_KEY_FILE"),
    (None, KEY, "holds unkeyed rows"),
    (KEY, OTHER, "not the key the audit log"),
], ids=["keyed-no-key", "unkeyed-a-key", "another-key"])  # fmt: skip
@pytest.mark.parametrize("reach", [4, 2], ids=["allowed", "refused"])
def test_a_log_that_cannot_take_rows_stops_research_before_it_starts(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    written: str | None,
    now: str | None,
    said: str,
    reach: int,
) -> None:
    """``reach``: the global options kept, the policy that lets the guard ask the directory on
    loopback (4), or none (2), so the guard refuses it and its refusal's row cannot be
    written either: before, every row ``incomplete``, exit 3."""
    with AuditLog(home() / "audit.sqlite3", key=written.encode() if written else None) as log:
        log.append(AuditEvent(event="request", method="GET", url="https://x.example/"))
    monkeypatch.delenv("SKIPTRACE_AUDIT_KEY_FILE", raising=False)
    if now:
        monkeypatch.setenv("SKIPTRACE_AUDIT_KEY", now)
    else:
        monkeypatch.delenv("SKIPTRACE_AUDIT_KEY", raising=False)
    source, target = tmp_path / "debtors.csv", tmp_path / "out.csv"
    source.write_text("account,first_name,last_name\nD-1,Jane,Roe\nD-2,Ann,Lee\n")
    with ReplayServer(directory) as server:
        options = [*directory_options(tmp_path, server), "--source", "demo_directory",
                   "--purpose", PURPOSE]  # fmt: skip
        enriched = CliRunner().invoke(app, [*options[:reach], "enrich", str(source),
                                            "-o", str(target), "--no-progress",
                                            *options[4:]])  # fmt: skip
        looked = CliRunner().invoke(app, [*options[:reach], "lookup", "--name", "Jane Roe",
                                          *options[4:]])  # fmt: skip
        with pytest.raises(AuditError, match=said):
            skiptrace.enrich(source, target, purpose=PURPOSE, sources=["demo_directory"],
                             policies=[options[3]], connectors_dirs=[options[1]])  # fmt: skip
        assert server.received == []
    for result in (enriched, looked):
        assert result.exit_code == 2, result.output
        [line] = result.stderr.splitlines()[-1:]
        assert line.startswith("audit log error: ") and said in line, result.stderr
    assert not target.exists()
