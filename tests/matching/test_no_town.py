"""A street line with no town on a side (no city and no ZIP) is a line in any town: "12 Oak
Street" is in thousands of them. It counts the namesakes that may live at that line somewhere
in the US (``rarity.LINE_SHARE``), never as the debtor's home: a rare name there is
``medium``, a common one ``low``; with a town, a phone or a birth date that agrees, a pair is
read as before."""

from __future__ import annotations

import pytest

from skiptrace.matching.link import score_pair

HOME = {"address": "12 Oak Street", "city": "Springfield", "state": "IL", "zip": "62704"}


def _debtor(first: str, last: str, **more: str) -> dict[str, str]:
    return {"first_name": first, "last_name": last, **HOME, **more}


@pytest.mark.parametrize("state", ["", "IL"])
def test_a_common_name_on_a_line_with_no_town_is_not_linked(state: str) -> None:
    """About 27,000 John Smiths, and an Oak Street in thousands of towns (a state holds many)."""
    record = {"full_name": "John Smith", "address": "12 Oak Street", "state": state}
    link = score_pair(_debtor("John", "Smith"), record)
    assert link.band == "low" and link.score < 0.5
    assert "name and street line only (no town)" in link.words


def test_a_rare_name_on_a_line_with_no_town_is_possible_never_a_hit() -> None:
    """Robert Quinlan: about 110 in the US."""
    link = score_pair(_debtor("Robert", "Quinlan"),
                      {"full_name": "Robert Quinlan", "address": "12 Oak Street"})  # fmt: skip
    assert link.band == "medium" and 0.7 <= link.score <= 0.9
    assert "fewer than 1 at that line in any town" in link.words


def test_the_debtor_with_no_town_is_read_the_same_way() -> None:
    debtor = {"first_name": "John", "last_name": "Smith", "address": "12 Oak Street"}
    link = score_pair(debtor, {"full_name": "John Smith", **HOME})
    assert link.band == "low"


def test_a_town_on_both_sides_still_places_the_line() -> None:
    for town in ({"city": "Springfield"}, {"zip": "62704"}):
        record = {"full_name": "John Smith", "address": "12 Oak Street", **town}
        link = score_pair(_debtor("John", "Smith"), record)
        assert link.band == "high", town


@pytest.mark.parametrize("more", [{"phone": "217-555-0142"}, {"dob": "1971-03-09"}])
def test_a_phone_or_a_birth_date_that_agrees_still_corroborates(more: dict[str, str]) -> None:
    link = score_pair(_debtor("John", "Smith", **more),
                      {"full_name": "John Smith", "address": "12 Oak Street", **more})  # fmt: skip
    assert link.band == "high"


def test_a_relative_on_a_line_with_no_town_is_no_link() -> None:
    link = score_pair(_debtor("Robert", "Quinlan"),
                      {"full_name": "Margaret Quinlan", "address": "12 Oak Street"})  # fmt: skip
    assert link.score < 0.5


def test_a_name_thousands_share_is_not_linked_on_a_line_with_no_town() -> None:
    """About 17,000 James Browns, and a Second Street in 10,866 towns at about 2 adults an
    address: more than one James Brown at some town's 12 Second Street (1 in 11,900 of US
    adults live at one)."""
    debtor = _debtor("James", "Brown", address="12 Second Street")
    link = score_pair(debtor, {"full_name": "James Brown", "address": "12 Second Street"})
    assert link.band == "low" and link.score < 0.5
    assert "about 2 at that line in any town" in link.words


@pytest.mark.parametrize("line", ["Main Street", "PO Box 12"])
def test_a_line_with_no_house_number_and_no_town_is_the_name_alone(line: str) -> None:
    """ "Main Street" in 7,644 towns is every house on them, not one line; a box number is at
    each of some 31,000 post offices: only the name is counted."""
    debtor = _debtor("Maria", "Garcia", address=line)
    link = score_pair(debtor, {"full_name": "Maria Garcia", "address": line})
    assert link.band == "low" and link.score < 0.5
    assert link.words.endswith("name only; about 1,700 people in the US share it")
    rare = _debtor("Zebulon", "Whitcombe", address=line)
    link = score_pair(rare, {"full_name": "Zebulon Whitcombe", "address": line})
    assert link.band == "medium"  # a name the tables call rare, as at any address
