"""``link`` against hostile input files: many bad rows, a very wide header, NUL bytes, long
lines, stray byte order marks, odd line endings, repeated header names, ragged id columns."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skiptrace.cli import app, link_cmd
from skiptrace.testing.disk import fail_reads_after


def _link(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["link", *args])
    return result.exit_code, result.stdout, result.stderr


def _pairs(stdout: str) -> list[tuple[str, str]]:
    return [(r["left_id"], r["right_id"]) for r in csv.DictReader(io.StringIO(stdout))]


GOOD = "id,name,zip\nL1,Jane Roe,62701\nL2,John Smith,97201\n"


@pytest.mark.parametrize("workers", ["0", "1"])
def test_bad_rows_past_a_cap_are_counted_not_each_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: str
) -> None:
    """500,000 bad rows were 500,000 lines on stderr, and a worker reading the right file
    held them all until it was read: the first ``NAMED`` of a file are named, the rest
    counted, alike with or without a worker."""
    monkeypatch.setattr(link_cmd, "ASIDE_FROM_BYTES", 0)
    monkeypatch.setattr(link_cmd._BadRows, "NAMED", 3)
    left, right = tmp_path / "left.csv", tmp_path / "right.csv"
    left.write_text(GOOD + "L3,Ann Lee,1,x\n" * 5)
    right.write_text("id,name,zip\nR1,Jane Roe,62701\n" + "R2,Bob Quinlan,1,x\n" * 10)
    code, out, err = _link(str(left), str(right), "--workers", workers)
    assert code == 0 and _pairs(out) == [("L1", "R1")], err
    lines = err.splitlines()
    for path, first, more in ((left, 3, 2), (right, 2, 7)):
        named = [line.split(" record ")[1].split()[0] for line in lines
                 if line.startswith(f"skiptrace link: {path} record")]  # fmt: skip
        assert named == [str(first + k) for k in range(3)], lines
        summary = f"skiptrace link: {path}: {more:,} more bad rows not linked, not named"
        assert sum(line.startswith(summary) for line in lines) == 1, lines
    assert lines[-1] == (
        "1 links from 1 candidate pairs (2 x 1 records; 15 bad rows left out, named or "
        "counted above)"
    )


def test_a_worker_holds_at_most_the_named_bad_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(link_cmd._BadRows, "NAMED", 3)
    right = tmp_path / "right.csv"
    right.write_text("id,name,zip\nR1,Jane Roe,62701\n" + "R2,Bob Quinlan,1,x\n" * 50)
    batches, told = link_cmd._Side(right, {}).again()
    for _ in batches:
        pass
    ids, bad = told()
    assert len(ids) == 1 and bad.count == 50 and len(bad.kept or []) == 3


def test_a_very_wide_header_is_described_in_one_short_line(tmp_path: Path) -> None:
    """100,000 columns printed a "columns" line of 600 KB: the first names shown, the rest
    counted, each name shown cut."""
    left, right = tmp_path / "left.csv", tmp_path / "right.csv"
    extra = [f"col{k}" for k in range(5_000)]
    long_name = "x" * 5_000
    rows = (
        ["id", "name", "zip", long_name, *extra],
        ["L1", "Jane Roe", "62701", "", *[""] * 5_000],
    )
    left.write_text("".join(",".join(row) + "\n" for row in rows))
    right.write_text("id,name,zip\nR1,Jane Roe,62701\n")
    code, out, err = _link(str(left), str(right))
    assert code == 0 and _pairs(out) == [("L1", "R1")], err
    line = err.splitlines()[0]
    assert line.startswith(f"{left}: columns: id=id, full_name=name, zip=zip; ignored: xxx")
    assert line.endswith(f"col48 ... and {len(extra) - 49:,} more") and len(line) < 1_000, line


@pytest.mark.parametrize("workers", ["0", "1"])
def test_a_header_line_again_is_a_bad_row_as_in_enrich(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: str
) -> None:
    """Two exports joined (``cat``): the second's header was read as a record, its id "id",
    counted among the records and linked like one."""
    monkeypatch.setattr(link_cmd, "ASIDE_FROM_BYTES", 0)
    left, right = tmp_path / "left.csv", tmp_path / "right.csv"
    left.write_text(GOOD + "\ufeffID , Name,zip\nL3,Ann Lee,10001\n")
    right.write_text("id,name,zip\nR1,Jane Roe,62701\nid,name,zip\n")
    code, out, err = _link(str(left), str(right), "--workers", workers)
    assert code == 0 and _pairs(out) == [("L1", "R1")], err
    for path, record in ((left, 3), (right, 2)):
        said = f"skiptrace link: {path} record {record} not linked: the header line again"
        assert said in err, err
    assert err.splitlines()[-1].startswith("1 links from 1 candidate pairs (3 x 1 records; 2 bad")


def test_a_file_that_fails_while_read_is_named_as_read_not_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A disk or network file system failing under the read (EIO, ESTALE) was said as
    "cannot write stdout: Input/output error": the output blamed for the input."""
    left, right = tmp_path / "left.csv", tmp_path / "right.csv"
    left.write_text(GOOD)
    right.write_text("id,name,zip\nR1,Jane Roe,62701\n")
    fail_reads_after(monkeypatch, left, 2)
    code, out, err = _link(str(left), str(right))
    assert code == 2 and out == "", err
    assert err.splitlines()[-1] == f"skiptrace link: cannot read {left}: Input/output error"


ROWS = ["L1,Jane Roe,62701", "L2,Ann Okafor,97201"]
RIGHT = "id,name,zip\nR1,Jane Roe,62701\nR2,Ann Okafor,97201\n"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("id,name,zip\n{0}\nL9,Ann\0 Lee,1\n{1}\n", "record 2 not linked: a NUL byte"),
        ("id,name,zip\n{0}\nL9," + "x" * 3_000_000 + ",1\n{1}\n", "record 2 not linked: the line"),
        ('id,name,zip\n{0}\nL9,"Ann Lee,1\n{1}\n', "record 2 not linked: a quote is never closed"),
        ("id,name,zip\n{0}\nL9,Ann Lee\n{1}\n", "record 2 not linked: the row has 2 fields"),
        ("id,name,zip\r\n\ufeff{0}\r\n{1}\r\n", ""),
        ("id,name,zip\r{0}\r{1}\r", ""),
        ("id,name,zip\r\n{0}\r{1}\n", ""),
    ],
    ids=["nul", "long-line", "quote-never-closed", "id-missing", "bom-crlf", "cr", "mixed"],
)
def test_a_hostile_row_is_one_line_and_the_others_are_linked(
    tmp_path: Path, text: str, said: str
) -> None:
    left, right = tmp_path / "left.csv", tmp_path / "right.csv"
    left.write_bytes(text.format(*ROWS).encode())
    right.write_text(RIGHT)
    code, out, err = _link(str(left), str(right))
    assert code == 0 and _pairs(out) == [("L1", "R1"), ("L2", "R2")], err
    lines = err.splitlines()
    bad = [line for line in lines if " not linked: " in line]
    assert len(bad) == bool(said) and all(f"{left} {said}" in line for line in bad), lines
    assert lines[-1].startswith("2 links from 2 candidate pairs (2 x 2 records")


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("id,name,zip\n", "has a header but no rows"),
        ("id,na\0me,zip\nL1,Jane Roe,62701\n", ": the header line cannot be read (a NUL byte)"),
        ("id,name," + "z" * 2_000_000 + "\n" + ROWS[0] + "\n", ": the header line cannot be read"),
        ("id,name,zip\nid,name,zip\nL9,Ann Lee\n", ": no record could be read"),
    ],
    ids=["header-only", "nul-header", "long-header", "no-record"],
)
def test_a_file_with_nothing_to_link_is_one_line_and_exit_2(
    tmp_path: Path, text: str, said: str
) -> None:
    left, right = tmp_path / "left.csv", tmp_path / "right.csv"
    left.write_text(text)
    right.write_text(RIGHT)
    code, out, err = _link(str(left), str(right))
    assert code == 2 and out == "", err
    assert err.splitlines()[-1].startswith(f"skiptrace link: {left}{' ' * (said[0] != ':')}{said}")
