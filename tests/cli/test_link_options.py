"""``link``'s options and summary as the README documents them: the threshold and the bands held
to the score as written, the bad rows counted."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skiptrace.cli import app, link_cmd
from skiptrace.matching.model import band_of, score_text

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DEBTORS, REGISTRY = str(EXAMPLES / "debtors.csv"), str(EXAMPLES / "registry.csv")


def _scores(threshold: str) -> list[str]:
    result = CliRunner().invoke(app, ["link", DEBTORS, REGISTRY, "--all", "--threshold", threshold])
    assert result.exit_code == 0, result.output
    return [row["score"] for row in csv.DictReader(io.StringIO(result.stdout))]


def test_the_threshold_is_compared_with_the_score_as_written() -> None:
    """A score of 0.9999996 was written 1.0000 but compared unrounded: ``--threshold 1`` kept
    no link at all. Kept are the links written at the threshold or above, and only those."""
    assert _scores("0") == ["1.0000", "0.4000", "0.9400"]
    assert _scores("1") == ["1.0000"]
    assert _scores("0.94") == ["1.0000", "0.9400"]
    assert _scores("0.94005") == ["1.0000"]


@pytest.mark.parametrize("score", [0.94996, 0.95, 0.6999999, 0.7, 0.9999996, 1.0, 0.12345])
def test_a_score_is_written_rounded_down_so_its_band_and_threshold_agree(score: float) -> None:
    """Rounded to nearest, 0.94996 was written 0.9500 and banded medium: written rounded down,
    a score written at a band's bound (or a threshold) reached it, at any precision shown."""
    for digits in (3, 4):
        written = score_text(score, digits)
        assert float(written) <= score and len(written.partition(".")[2]) == digits
        assert band_of(float(written)) == band_of(score)
    assert (score_text(0.94996), score_text(0.95), score_text(1.0)) == (
        "0.9499",
        "0.9500",
        "1.0000",
    )


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
