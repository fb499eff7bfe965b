"""A son's (or father's) record whose generation is abbreviated ("John Smith 3d", "SMITH,
JOHN JUN.", "John Smith, Sen.") is not the plain debtor John Smith at his home: the word
had been read as a surname (0.9 ``medium``, "last name: differs (Smith/Jun)"), a middle
name or nothing (1.000 ``high``), where "John Smith Jr" scores 0.4."""

from __future__ import annotations

import pytest

from skiptrace.matching import score_pair

HOME = {"address": "12 Oak St", "city": "Springfield", "state": "IL", "zip": "62704"}


@pytest.mark.parametrize("record", [
    {"full_name": "John Smith Jun."}, {"full_name": "SMITH, JOHN JUN."},
    {"full_name": "John Smith, Sen."}, {"full_name": "John Smith 3d"},
    {"full_name": "SMITH, JOHN 3D"}, {"full_name": "John Smith, 2d"},
    {"first_name": "John", "last_name": "Smith 3d"},
    {"first_name": "John", "last_name": "Smith", "suffix": "2d"},
])  # fmt: skip
def test_an_abbreviated_generation_at_home_is_not_the_plain_debtor(record: dict[str, str]) -> None:
    scored = score_pair({"full_name": "John Smith", **HOME}, {**record, **HOME})
    assert scored.score <= 0.4 and scored.relation == "suffix_one_side_at_home", scored


def test_an_abbreviated_generation_agrees_with_its_own_spelling() -> None:
    scored = score_pair(
        {"full_name": "John Smith III", **HOME}, {"full_name": "SMITH, JOHN 3D", **HOME}
    )
    assert scored.band == "high" and "suffix=" in scored.matched_on, scored
