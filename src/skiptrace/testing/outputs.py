"""Reading what a run wrote: an output file's rows (``rows``), and enriched files compared:
two runs that found the same things write the same cells, but for the times their pages were
fetched (``evidence_fetched_at``), which are true of each run."""

from __future__ import annotations

import csv
from pathlib import Path

FETCH_TIMES = "evidence_fetched_at"


def rows(path: Path) -> list[dict[str, str]]:
    """A CSV file's rows by its header's names, the file closed again."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def findings(path: Path) -> list[list[str]]:
    """An enriched file's rows, header included, with the fetch times blanked."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    if not rows or FETCH_TIMES not in rows[0]:
        raise ValueError(f"{path} is not an enriched file (no {FETCH_TIMES} column)")
    where = rows[0].index(FETCH_TIMES)
    return [rows[0]] + [[*row[:where], "", *row[where + 1 :]] for row in rows[1:]]
