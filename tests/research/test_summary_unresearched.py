"""The hit rate's "researched" rows leave out the error rows as well as the flagged ones: an
unreadable row, one with no name or the header line again is ``not researched``, and a file of
half bad rows read "rows matched 10% of the 1000 researched" when 500 were."""

from __future__ import annotations

from skiptrace.connectors._runner import ConnectorResult
from skiptrace.records import Status
from skiptrace.research.enrich import Summary
from skiptrace.research.findings import OUTPUT_COLUMNS


def test_error_rows_are_not_counted_as_researched() -> None:
    summary = Summary()
    for status in ("hit", "no_hit", "incomplete", "error", "skipped_flag"):
        row = dict.fromkeys(OUTPUT_COLUMNS, "")
        row["status"] = status
        asked = [] if status in ("error", "skipped_flag") else [
            ConnectorResult("nppes", Status.NO_RESULT)
        ]  # fmt: skip
        summary.add(row, asked)
    assert (summary.rows, summary.researched) == (5, 2)  # incomplete: not final either
