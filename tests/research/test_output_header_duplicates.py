"""An input header that repeats a name of skiptrace's output columns thousands of times (a
hostile file's one line of 14 KB) is renamed in linear time and size: each repeat got one
``input_`` more than the last, so 4,000 repeats took 72 s and 20,000 would write an output
header line of 1.2 GB. Repeats keep one name, as the input's own repeated names do."""

from __future__ import annotations

import time

from skiptrace.research.enrich import output_header


def test_a_name_repeated_thousands_of_times_is_renamed_once() -> None:
    header = ["last_name", *["status"] * 2_000, "input_status", "notes"]
    began = time.monotonic()
    kept, notes = output_header(header)
    assert time.monotonic() - began < 2
    assert kept == ["last_name", *["input_input_status"] * 2_000, "input_status", "notes"]
    assert notes == ["the input's column status is written as input_input_status (status is "
                     "skiptrace's)"]  # fmt: skip


def test_distinct_names_are_still_kept_apart() -> None:
    kept, _ = output_header(["status", "input_status", "match_score", "Status"])
    assert kept == ["input_input_status", "input_status", "input_match_score", "Status"]
