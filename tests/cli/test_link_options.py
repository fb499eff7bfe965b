"""``link``'s options and summary as the README documents them: the threshold compared with the
score as written, the bad rows counted."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skiptrace.cli import app, link_cmd

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DEBTORS, REGISTRY = str(EXAMPLES / "debtors.csv"), str(EXAMPLES / "registry.csv")


def _scores(threshold: str) -> list[str]:
    result = CliRunner().invoke(app, ["link", DEBTORS, REGISTRY, "--all", "--threshold", threshold])
    assert result.exit_code == 0, result.output
    return [row["score"] for row in csv.DictReader(io.StringIO(result.stdout))]


def test_the_threshold_is_compared_with_the_score_as_written() -> None:
    """A score just below 1 is written 1.0000: ``--threshold 1`` kept no link at all. Kept
    are the links written at the threshold or above, and only those."""
    assert _scores("0") == ["1.0000", "0.4000", "0.9400"]
    assert _scores("1") == ["1.0000"]
    assert _scores("0.94") == ["1.0000", "0.9400"]
    assert _scores("0.94005") == ["1.0000"]  # 0.9400 is below it, whatever the score unrounded


@pytest.mark.parametrize("workers", ["0", "1"])
def test_the_summary_counts_the_bad_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: str
) -> None:
    """Each bad row was named, but a long file's were not counted. Counted alike when the
    right file is read by a worker (``--workers 1``)."""
    monkeypatch.setattr(link_cmd, "ASIDE_FROM_BYTES", 0)
    left, right = tmp_path / "left.csv", tmp_path / "right.csv"
    left.write_text('id,name,zip\nL1,"Jane Roe,1\nL2,Ann Lee,3\n')
    right.write_text("id,name,zip\nR1,Jane Roe,1,x\nR2,Ann Lee,3\nR3,Bo Day,4,y\n")
    result = CliRunner().invoke(app, ["link", str(left), str(right), "--workers", workers])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert sum(" not linked: " in line for line in lines) == 3
    assert lines[-1] == (
        "1 links from 1 candidate pairs (1 x 1 records; 3 bad rows left out, named above)"
    )
