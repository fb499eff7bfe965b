"""The debtor's ZIP beside another street (a move within the area, a PO box at the post
office) counts the namesakes one ZIP area may hold, not the whole country's: an uncommon name
there is ``medium``, never ``high``; a common one stays ``low``; a relative stays a relative."""

from __future__ import annotations

import pytest

from skiptrace.matching.link import score_pair

DEBTOR = {"address": "55 Harbor Way", "city": "Boston", "state": "MA", "zip": "02110"}
PO_BOX = {"address": "PO BOX 4411", "city": "BOSTON", "state": "MA", "zip": "02110"}


def test_an_uncommon_name_in_the_debtors_zip_is_possible_never_a_hit() -> None:
    link = score_pair({"first_name": "Bob", "last_name": "Quinlan", **DEBTOR},
                      {"full_name": "ROBERT QUINLAN", **PO_BOX})  # fmt: skip
    assert link.band == "medium" and 0.7 <= link.score <= 0.9
    assert "name and ZIP only (another address)" in link.words
    assert "fewer than 1 in one ZIP area" in link.words


@pytest.mark.parametrize("first", ["John", "Maria"])
def test_a_common_name_in_the_debtors_zip_is_not_linked(first: str) -> None:
    last = {"John": "Smith", "Maria": "Garcia"}[first]
    link = score_pair({"first_name": first, "last_name": last, **DEBTOR},
                      {"full_name": f"{first} {last}", **PO_BOX})  # fmt: skip
    assert link.band == "low" and link.score < 0.5
    assert "in one ZIP area" in link.words


def test_a_relative_in_the_debtors_zip_stays_a_relative() -> None:
    link = score_pair({"first_name": "Elizabeth", "last_name": "Quinlan", **DEBTOR},
                      {"full_name": "QUINLAN, DANIEL", **PO_BOX})  # fmt: skip
    assert link.score < 0.01 and link.relation == "first_name_differs"


def test_a_zip_one_digit_off_is_another_area_and_the_name_alone() -> None:
    link = score_pair({"first_name": "Bob", "last_name": "Quinlan", **DEBTOR},
                      {"full_name": "ROBERT QUINLAN", **PO_BOX, "zip": "02116"})  # fmt: skip
    assert link.band == "low" and link.score <= 0.45
