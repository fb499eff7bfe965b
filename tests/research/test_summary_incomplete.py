"""The hit rate's "researched" rows are those whose research is final: an ``incomplete`` row
(a source could not be asked) is researched again by the next run, as an error row or a
flagged one is not researched at all. A run whose one source was unreachable read "rows
matched (hit) 0.0% of the 40 researched" when none was, and an outage of one source among
several halved the rate a run showed."""

from __future__ import annotations

from skiptrace.connectors._runner import ConnectorResult
from skiptrace.records import Status
from skiptrace.research.enrich import Summary
from skiptrace.research.findings import OUTPUT_COLUMNS


def _add(summary: Summary, status: str, said: Status) -> None:
    row = dict.fromkeys(OUTPUT_COLUMNS, "")
    row["status"] = status
    summary.add(row, [ConnectorResult("nppes", said)])


def test_incomplete_rows_are_not_counted_as_researched() -> None:
    summary = Summary()
    _add(summary, "hit", Status.HIT)
    _add(summary, "no_hit", Status.NO_RESULT)
    for _ in range(2):
        _add(summary, "incomplete", Status.ERROR)
    assert (summary.rows, summary.researched, summary.incomplete) == (4, 2, 2)
