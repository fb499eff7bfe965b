"""Two people's records tying for one debtor (a father and son at one home, the debtor's record
giving neither birth date): neither is taken for the debtor (``link.tied``), whose file would
get another person's phone or employer; copies of one person, one person at two addresses and a
rival that scores clearly lower are no tie."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from skiptrace.matching.link import link

DEBTOR = {"first_name": "John", "last_name": "Smith", "address": "12 Oak St",
          "city": "Springfield", "state": "IL", "zip": "62704"}  # fmt: skip
HOME = "12 Oak St, Springfield, IL 62704"
ELSEWHERE, PHONE = "40 Pine Rd, Springfield, IL 62704", "217-555-0134"
NEIGHBOUR = {"full_name": "Mary Jones", "address": "9 Elm St, Springfield, IL 62704"}


def _smith(name: str = "John Smith", address: str = HOME, **more: str) -> dict[str, str]:
    return {"full_name": name, "address": address, **more}


def _best(*register: Mapping[str, str], threshold: float = 0.5) -> tuple[float, str, str]:
    """(score, band, matched_on) of the debtor's one link to ``register`` (and a neighbour)."""
    [found] = link([DEBTOR], [*register, NEIGHBOUR], threshold=threshold).links
    return found.score, found.band, found.matched_on


def test_a_father_and_son_at_the_debtors_home_tie() -> None:
    """The README's example: before, the father was linked at 1.0 ``high``, a tie going to
    the first record."""
    father, son = _smith(dob="1950-02-03"), _smith(dob="1980-06-07")
    said = "name=,street=,number=,city=,zip=,state=,tie(2 people)"
    assert _best(father, son) == (0.5, "low", said)
    assert _best(son, father)[:2] == (0.5, "low")


def test_the_people_are_counted_not_the_records() -> None:
    """Two copies of the son's record are one person: a father, a son and a grandson."""
    records = [_smith(dob=dob) for dob in ("1950-02-03", "1980-06-07", "1980-06-07", "2001-09-10")]
    assert _best(*records)[2].endswith(",tie(3 people)")


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ({"middle_name": "Allen"}, {"middle_name": "Robert"}),
        ({"full_name": "John Smith Jr"}, {"full_name": "John Smith Sr"}),
    ],
)
def test_other_names_say_two_people_too(one: dict[str, str], other: dict[str, str]) -> None:
    """Middle names that differ, and generational suffixes (each on one side only scores 0.4:
    linked here below the default threshold, and said so)."""
    score, band, matched_on = _best(_smith(**one), _smith(**other), threshold=0.3)
    assert score <= 0.5 and band == "low" and matched_on.endswith(",tie(2 people)")


NO_TIE = {
    "copies": [_smith(dob="1950-02-03"), _smith(dob="1950-02-03")],
    "one-without-a-birth-date": [_smith(dob="1950-02-03"), _smith()],
    "a-misprint": [_smith(dob="1950-02-03"), _smith(dob="1950-02-04")],
    "two-addresses": [_smith(phone=PHONE), _smith(address=ELSEWHERE, phone=PHONE)],
    "a-rival-clearly-lower": [_smith(dob="1950-02-03"), _smith("Jack Smith", dob="1980-06-07")],
}


@pytest.mark.parametrize("register", NO_TIE.values(), ids=NO_TIE.keys())
def test_no_tie(register: list[dict[str, str]]) -> None:
    """The rival clearly lower: a nickname at the debtor's home scores 0.94 (``medium``)."""
    score, band, matched_on = _best(*register)
    assert (score, band) == (1.0, "high") and "tie" not in matched_on


def test_every_pair_listed_keeps_its_score() -> None:
    """``all_pairs`` lists the rivals beside each other: each pair scored as it is."""
    found = link([DEBTOR], [_smith(dob="1950-02-03"), _smith(dob="1980-06-07")],
                 all_pairs=True).links  # fmt: skip
    assert [(k.right, k.score, k.band) for k in found] == [(0, 1.0, "high"), (1, 1.0, "high")]
