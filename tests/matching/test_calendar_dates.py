"""A birth date is read only where it is a day of the calendar: 2/30/1980 or 31.04.1999 is
no birth date (it read as one, and two such agreed as evidence of one person)."""

from __future__ import annotations

import pytest

from skiptrace import score_pair
from skiptrace.matching.prepare import prepare_records


@pytest.mark.parametrize(
    "written", ["2/30/1980", "1980-02-30", "19800230", "Feb 30, 1980", "31.04.1999", "2/29/1981"]
)
def test_a_day_the_calendar_does_not_have_is_no_birth_date(written: str) -> None:
    left, _ = prepare_records([{"full_name": "John Roe", "dob": written}], [])
    assert left["dob"][0] == ""
    scored = score_pair({"full_name": "John Roe", "dob": written},
                        {"full_name": "John Roe", "dob": written})  # fmt: skip
    assert "dob=" not in scored.matched_on.split(","), scored


def test_a_leap_day_is_a_birth_date() -> None:
    left, _ = prepare_records([{"full_name": "John Roe", "dob": "2/29/1980"}], [])
    assert left["dob"][0] == "19800229"
