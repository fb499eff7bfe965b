"""A debtor cell far longer than any name or address (yet within the reader's 65,536
characters) through ``skiptrace enrich`` against a directory on loopback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from skiptrace.cli import app
from skiptrace.testing.directory import directory, directory_options
from skiptrace.testing.outputs import rows
from skiptrace.testing.replay import ReplayServer


def _enriched(
    tmp_path: Path, column: str, cell: str, **others: str
) -> tuple[int, list[str], dict[str, str]]:
    """Jane Roe's row with ``cell`` in ``column`` (and ``others``), enriched: the exit code, the
    directory's requests and the row written."""
    fields = {"account": "D-1", "first_name": "Jane", "last_name": "Roe", "city": "Springfield"}
    fields.update({column: cell, **others})
    source = tmp_path / "debtors.csv"
    source.write_text(f"{','.join(fields)}\n{','.join(fields.values())}\n", encoding="utf-8")
    target = tmp_path / "out.csv"
    with ReplayServer(directory) as server:
        result = CliRunner().invoke(app, [*directory_options(tmp_path, server), "enrich",
                                          str(source), "-o", str(target), "--purpose", "debt",
                                          "--no-progress"])  # fmt: skip
        asked = [r.path for r in server.received if r.path.startswith("/people")]
    (row,) = rows(target)
    return result.exit_code, asked, row


@pytest.mark.parametrize(("column", "cell"), [
    ("first_name", "é" * 60_000),  # 360,000 characters percent-encoded: no URL carries it
    ("city", "Springfield " * 5_000),  # sent whole: a 60,000-character query to a server
])  # fmt: skip
def test_a_huge_cell_is_refused_once_not_sent_nor_rerun(
    tmp_path: Path, column: str, cell: str
) -> None:
    """The row is an ``error`` saying which cell and why, with nothing sent for it; as the
    source's error it was ``incomplete`` (exit 3), researched again by every rerun, forever."""
    code, asked, row = _enriched(tmp_path, column, cell)
    assert code == 0
    assert not asked
    assert row["status"] == "error"
    assert row["status_detail"] == f"not researched: {column} is longer than 1,000 bytes of text"
    assert row[column] == cell  # the row is written back as it was read


def test_a_name_too_long_only_in_its_parts_together_names_those_columns(tmp_path: Path) -> None:
    """The message named ``full_name``, a column the file does not have."""
    code, asked, row = _enriched(tmp_path, "first_name", "a" * 600, last_name="b" * 600)
    assert (code, asked, row["status"]) == (0, [], "error")
    assert row["status_detail"] == (
        "not researched: first_name and last_name together are longer than 1,000 bytes of text"
    )


def test_a_website_with_a_long_tracking_query_is_still_researched(tmp_path: Path) -> None:
    """Only its home page is read: 3,000 characters of query do not refuse the row."""
    _, asked, row = _enriched(tmp_path, "employer_website",
                                 "https://acme.example/?utm_source=" + "x" * 3000)  # fmt: skip
    assert row["status"] != "error" and asked, row
