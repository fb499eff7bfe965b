"""What a source wrote reaches stdout as it was written: ``:cd:`` or ``:fire:`` in a record
(a business's name, a page's text) is data, not a code for the console to turn into an emoji,
so a pipe's JSON holds the source's own words."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from skiptrace.cli import app
from skiptrace.testing.directory import directory_options
from skiptrace.testing.replay import ReplayServer, Reply

runner = CliRunner()
EMPLOYER = "Studio :cd: & :fire: Supply :100:"


def _people(method: str, target: str) -> Reply | None:
    person = {"name": "Jane Roe", "street": "9 Elm St", "city": "Springfield", "state": "IL",
              "zip": "62701", "employer": EMPLOYER}  # fmt: skip
    if not target.startswith("/people"):
        return None
    body = json.dumps({"people": [person]}).encode()
    return Reply(200, body, {"Content-Type": "application/json"})


def test_lookup_json_keeps_a_record_s_colon_words_as_written(tmp_path: Path) -> None:
    with ReplayServer(_people) as server:
        args = [*directory_options(tmp_path, server), "lookup",
                "--name", "Jane Roe", "--source", "demo_directory", "--purpose", "a debt owed",
                "--json"]  # fmt: skip
        result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    candidates = json.loads(result.stdout)["candidates"]
    assert [c["record"]["employer"] for c in candidates] == [EMPLOYER]
