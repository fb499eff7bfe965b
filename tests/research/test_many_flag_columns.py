"""A header naming thousands of flag columns (a hostile file: every capitalisation of one
synonym is a column of its own) costs a row one look per cell: each cell looked at every flag
column, so a row of 8,000 took seconds and one of 20,000 half a minute, the run never
ending. The flags still hold: a row is skipped if any of them says yes."""

from __future__ import annotations

import csv
import itertools
import time
from pathlib import Path

from typer.testing import CliRunner

from skiptrace.cli import app
from skiptrace.testing.directory import MANIFEST
from skiptrace.testing.replay import loopback_policy_file

SYNONYM = "attorney_represented"


def _spellings(count: int) -> list[str]:
    """``count`` capitalisations of the synonym: each a header of its own, the same flag."""
    cases = itertools.product(*((c.lower(), c.upper()) for c in SYNONYM))
    return ["".join(letters) for letters in itertools.islice(cases, count)]


def test_a_row_of_thousands_of_flag_columns_is_read_in_linear_time(tmp_path: Path) -> None:
    flags = _spellings(8_000)
    source = tmp_path / "debtors.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["account", "last_name", *flags])
        for n in range(6):
            writer.writerow([f"A{n}", "Roe", *[""] * (len(flags) - 1), "yes"])
    connectors = tmp_path / "connectors"
    connectors.mkdir()  # never asked: every row is flagged
    manifest = MANIFEST.format(base="http://127.0.0.1:9")
    (connectors / "demo_directory.toml").write_text(manifest, encoding="utf-8")
    policy = loopback_policy_file(tmp_path / "policy.toml", "http://127.0.0.1:9")
    began = time.monotonic()
    result = CliRunner().invoke(app, [
        "--connectors-dir", str(connectors), "--policy", str(policy), "enrich", str(source),
        "-o", str(tmp_path / "out.csv"), "--source", "demo_directory", "--purpose",
        "collection of a debt owed", "--no-progress",
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert time.monotonic() - began < 5
    with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["status"], r["status_detail"]) for r in rows] == [
        ("skipped_flag", "do not research: attorney")
    ] * 6
