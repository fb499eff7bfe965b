"""The flats of a two- or three-family house, named by their place and not a number (USPS:
UPPR, LOWR, FRNT, REAR, BSMT, SIDE): the upper flat is another home than the lower, as Apt 2
is than Apt 3, on the street line or the second line. A father and son of one name, or two
namesakes, in the two flats were 1.000 ``high``."""

from __future__ import annotations

import pytest

from skiptrace.matching import score_pair

TOWN = {"city": "Milwaukee", "state": "WI", "zip": "53212"}
LINE = "2456 N Booth St"


def _scored(mine: dict[str, str], theirs: dict[str, str], name: str = "John Smith") -> float:
    scored = score_pair({"full_name": name, **mine, **TOWN}, {"full_name": name, **theirs, **TOWN})
    return scored.score


@pytest.mark.parametrize("name", ["John Smith", "John Kowalski"])
@pytest.mark.parametrize(("mine", "theirs"), [
    ("Upper", "Lower"), ("Uppr", "Lowr"), ("Upper", "Lowr"), ("Front", "Rear"),
    ("Bsmt", "Upper"), ("Upstairs", "Downstairs"), ("Rear", "Side"),
])  # fmt: skip
def test_another_flat_of_the_house_is_another_home(mine: str, theirs: str, name: str) -> None:
    apartments = _scored({"address": f"{LINE} Apt 2"}, {"address": f"{LINE} Apt 3"}, name)
    assert apartments < 0.95  # not high: the debtor's area, by the name's namesakes there
    line = _scored({"address": f"{LINE} {mine}"}, {"address": f"{LINE} {theirs}"}, name)
    assert line == pytest.approx(apartments)
    second = _scored({"address": LINE, "address2": mine}, {"address": LINE, "address2": theirs},
                     name)  # fmt: skip
    assert second == pytest.approx(apartments)


@pytest.mark.parametrize(("mine", "theirs"), [
    (f"{LINE} Upper", f"{LINE} Uppr"), (f"{LINE} Upper", LINE), (f"{LINE} Lower", f"{LINE} Lower"),
    ("12 Front St", "12 Front St Rear"), ("12 Front St Rear", "12 Front St Rear"),
    (f"{LINE} Upper", f"{LINE} Upstairs"),
])  # fmt: skip
def test_the_same_flat_or_one_given_on_one_side_only_is_still_the_home(
    mine: str, theirs: str
) -> None:
    assert _scored({"address": mine}, {"address": theirs}) >= 0.95
