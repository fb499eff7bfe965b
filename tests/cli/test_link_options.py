"""``link``'s options and summary as the README documents them: the threshold compared with the
score as written."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from typer.testing import CliRunner

from skiptrace.cli import app

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
