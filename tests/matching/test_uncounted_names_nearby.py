"""A given name the tables cannot count (one SSA misses, or barely knows on a common
surname: Suresh Reddy, Wei Zhang, Minh Nguyen, Li Wang: immigrant families' names, common
however rare the tables make them) is never rare, in the debtor's ZIP or on a street line with
no town either. Counted as at least 3 namesakes US-wide, the ZIP area's share (a thousandth)
and the line's (a ten-thousandth) had made it rare: a namesake on another street of the
debtor's ZIP was 0.9 ``medium`` ("fewer than 1 person in the US is expected to share it"),
where the same name in another town is 0.43 and not linked."""

from __future__ import annotations

import pytest

from skiptrace.matching import score_pair
from skiptrace.matching.model import NOT_RARE_CEILING
from skiptrace.matching.rarity import known

HOME = {"address": "12 Oak St", "city": "Houston", "state": "TX", "zip": "77072"}
NEARBY = [
    {"address": "9 Elm St", "city": "Houston", "state": "TX", "zip": "77072"},
    {"address": "PO Box 12", "city": "Houston", "state": "TX", "zip": "77072"},
    {"zip": "77072"},
]
NAMES = [("Wei", "Zhang"), ("Minh", "Nguyen"), ("Suresh", "Reddy"), ("Li", "Wang")]


@pytest.mark.parametrize("where", NEARBY)
@pytest.mark.parametrize(("first", "last"), NAMES)
def test_an_uncounted_name_in_the_debtors_zip_is_not_linked(
    first: str, last: str, where: dict[str, str]
) -> None:
    assert not known(first, last)
    debtor = {"first_name": first, "last_name": last, **HOME}
    scored = score_pair(debtor, {"full_name": f"{first} {last}", **where})
    assert scored.score <= NOT_RARE_CEILING and not scored.rare_name, scored
    assert scored.words.endswith("a first name or surname the US tables cannot count (not rare)")


@pytest.mark.parametrize(("first", "last"), NAMES)
def test_an_uncounted_name_on_a_line_with_no_town_is_not_linked(first: str, last: str) -> None:
    line = {"full_name": f"{first} {last}", "address": "12 Oak Street"}
    scored = score_pair(line, line)
    assert scored.score <= NOT_RARE_CEILING and not scored.rare_name, scored
    assert scored.words.endswith("a first name or surname the US tables cannot count (not rare)")


def test_a_counted_rare_name_in_the_debtors_zip_is_still_possible() -> None:
    debtor = {"first_name": "Zebulon", "last_name": "Quackenbush", **HOME}
    scored = score_pair(debtor, {"full_name": "Zebulon Quackenbush", **NEARBY[0]})
    assert scored.band == "medium", scored
    assert scored.words.endswith("fewer than 1 in one ZIP area")
