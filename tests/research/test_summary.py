"""The closing summary of a run: rows matched apart from records returned, flagged rows out of
the hit rate, and a resumed run counted whole (its kept rows' sources included)."""

from __future__ import annotations

from skiptrace.connectors._runner import ConnectorResult
from skiptrace.records import Status
from skiptrace.research.enrich import Summary
from skiptrace.research.findings import OUTPUT_COLUMNS


def _row(status: str, checked: str = "") -> dict[str, str]:
    row = dict.fromkeys(OUTPUT_COLUMNS, "")
    row.update(status=status, sources_checked=checked)
    return row


def test_a_resumed_run_counts_its_kept_rows_sources_and_leaves_flagged_rows_out() -> None:
    summary = Summary()
    summary.add(_row("hit", "nppes:hit;gleif:no_result"), [])  # kept from an earlier run
    summary.add(_row("no_hit"), [ConnectorResult("nppes", Status.NO_RESULT)])  # researched now
    summary.add(_row("skipped_flag"), [])  # flagged: nothing asked
    assert summary.rows == 3 and summary.researched == 2
    assert summary.sources == {"nppes": {"hit": 1, "no_result": 1}, "gleif": {"no_result": 1}}
