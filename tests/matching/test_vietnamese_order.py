"""Vietnamese names: printed family name, middle name, given name ("TRAN THI LAN", "NGUYEN VAN
MINH") in registers, given name, middle name, family name (Lan Thi Tran) in debtor files.

- Where both records gave a middle name, first and last names were never swapped (that had read
  "SMITH ROBERT JOHN" as John Robert Smith, his son): "TRAN THI LAN" against Lan Thi Tran at her
  home was 0.000, "first name differs at the same address: relative?".
- Van, a man's middle name, was read as a surname's particle (Peter Van Dyke): Minh Van Nguyen
  was surname "van nguyen", "NGUYEN VAN MINH" surname "van minh", 0.000 against each other."""

from __future__ import annotations

from itertools import permutations, product

import pytest

from skiptrace.matching import Link, link_records, score_pair
from skiptrace.normalize import PersonName, parse_name

HOME = {"address": "12 Oak St", "city": "Springfield", "state": "IL", "zip": "62704"}
ELSEWHERE = {"address": "80 Elm Ave", "city": "Houston", "state": "TX", "zip": "77001"}


def _scored(debtor: str, record: str) -> Link:
    return score_pair({"full_name": debtor, **HOME}, {"full_name": record, **HOME})


@pytest.mark.parametrize(("text", "expected"), [
    ("Minh Van Nguyen", PersonName(first="minh", middle="van", last="nguyen")),
    ("NGUYEN VAN MINH", PersonName(first="nguyen", middle="van", last="minh")),
    ("NGUYEN, MINH VAN", PersonName(first="minh", middle="van", last="nguyen")),
    ("Hung Van Le", PersonName(first="hung", middle="van", last="le")),
    ("PHAM VAN HUNG", PersonName(first="pham", middle="van", last="hung")),
    # Van elsewhere is still a surname's first word, or a given name
    ("Peter Van Dyke", PersonName(first="peter", last="van dyke")),
    ("VAN DYKE PETER", PersonName(first="van", middle="dyke", last="peter")),
    ("Martin Van Buren", PersonName(first="martin", last="van buren")),
    ("Anna Vander Berg", PersonName(first="anna", last="vander berg")),
    ("Jan Van Der Berg", PersonName(first="jan", last="van der berg")),
    ("Van Nguyen", PersonName(first="van", last="nguyen")),
    ("Nguyen Van", PersonName(first="nguyen", last="van")),
])  # fmt: skip
def test_van_beside_a_vietnamese_family_name_is_a_middle_name(
    text: str, expected: PersonName
) -> None:
    parsed = parse_name(text)
    assert parsed == expected
    assert parse_name(parsed.full()) == parsed


SAME = [
    ("Lan Thi Tran", "TRAN THI LAN"), ("Minh Van Nguyen", "NGUYEN VAN MINH"),
    ("Minh Nguyen", "NGUYEN VAN MINH"), ("Minh Van Nguyen", "NGUYEN MINH"),
    ("Hung Van Pham", "PHAM VAN HUNG"), ("Hoa Thi Nguyen", "NGUYEN THI HOA"),
]  # fmt: skip


@pytest.mark.parametrize(("debtor", "record"), SAME)
def test_a_vietnamese_name_printed_family_name_first_is_the_debtor(
    debtor: str, record: str
) -> None:
    """Both records give the middle name Thi or Van (or one alone does): the register's is
    read family name, middle name, given name, the order it is printed in."""
    for left, right in ((debtor, record), (record, debtor)):
        scored = _scored(left, right)
        assert scored.band == "high", scored
        assert scored.words.startswith("name: exact, written last-first"), scored
    [found] = link_records([{"full_name": debtor, **HOME}], [{"full_name": record, **HOME}])
    assert found.band == "high", found


SIBLINGS = [
    ("Minh", "Nam", "Van", "Nguyen"), ("Lan", "Mai", "Thi", "Tran"), ("Hung", "Tuan", "Van", "Le"),
]  # fmt: skip


def _forms(given: str, middle: str, family: str) -> list[str]:
    """One person's name as files write it: given name first, or printed family name first,
    with the middle name or without."""
    return [f"{given} {middle} {family}", f"{given} {family}",
            f"{family} {middle} {given}".upper(), f"{family} {given}".upper()]  # fmt: skip


@pytest.mark.parametrize(("one", "other", "middle", "family"), SIBLINGS)
def test_siblings_in_any_order_stay_apart(one: str, other: str, middle: str, family: str) -> None:
    """Two siblings at one home, each written in any of the orders: never linked (a relative
    taken for the debtor is the worst error)."""
    for mine, theirs in product(_forms(one, middle, family), _forms(other, middle, family)):
        for left, right in ((mine, theirs), (theirs, mine)):
            scored = _scored(left, right)
            assert scored.band == "low" and scored.score < 0.5, (left, right, scored)


@pytest.mark.parametrize(("debtor", "record"), [
    # another middle name: a brother and a sister of one given name are two people
    ("Lan Thi Tran", "TRAN VAN LAN"), ("Minh Van Nguyen", "NGUYEN THI MINH"),
    # a middle name that marks no order: "NGUYEN DUC ANH" may be Duc Anh Nguyen, printed
    # surname, given name, middle name, as registers print "SMITH JOHN ROBERT"
    ("Anh Duc Nguyen", "NGUYEN DUC ANH"),
    # the father and son the rule was made for
    ("John Robert Smith", "SMITH ROBERT JOHN"), ("Robert John Smith", "SMITH JOHN ROBERT"),
])  # fmt: skip
def test_no_swap_without_the_same_vietnamese_middle_name(debtor: str, record: str) -> None:
    for left, right in ((debtor, record), (record, debtor)):
        scored = _scored(left, right)
        assert scored.score < 0.5 and "last-first" not in scored.words, scored


@pytest.mark.parametrize(("debtor", "record"), [
    ("Van Nguyen", "NGUYEN VAN MINH"), ("Thi Nguyen", "NGUYEN THI LAN"),
    ("Van Pham", "PHAM VAN HUNG"),
])  # fmt: skip
def test_a_vietnamese_middle_name_is_not_read_as_the_given_name(debtor: str, record: str) -> None:
    """Read surname, given name, middle name, as "SMITH JOHN ROBERT" is, "NGUYEN VAN MINH"
    was Van Nguyen (0.940 ``medium``) and "NGUYEN THI LAN" Thi Nguyen (1.000 ``high``): Van
    and Thi are the middle names of most Vietnamese men and women, and the debtor so named any
    man or woman of Minh's or Lan's family at their home."""
    for left, right in ((debtor, record), (record, debtor)):
        scored = _scored(left, right)
        assert scored.band == "low" and scored.score < 0.5, scored


@pytest.mark.parametrize(("debtor", "record"), [
    ("NGUYEN VAN MINH", "Van Nam Nguyen"), ("NGUYEN VAN MINH", "NGUYEN, VAN NAM"),
    ("TRAN THI LAN", "Thi Mai Tran"), ("TRAN THI LAN", "TRAN, THI MAI"),
    ("LE VAN HUNG", "Van Tuan Le"), ("DO THI HOA", "Thi Huong Do"),
])  # fmt: skip
def test_a_sibling_written_middle_name_first_stays_apart(debtor: str, record: str) -> None:
    """The register printed family name first against a brother or sister written with the
    middle name where the given name goes ("Van Nam Nguyen", "NGUYEN, VAN NAM"): read with the
    debtor surname first, Van against Van was the given names, and Nam his brother 0.900
    ``medium``. Their given names are Minh and Nam: another person."""
    for left, right in ((debtor, record), (record, debtor)):
        scored = _scored(left, right)
        assert scored.band == "low" and scored.score < 0.5, (left, right, scored)


@pytest.mark.parametrize(("debtor", "record"), [
    ("NGUYEN VAN MINH", "Van Minh Nguyen"), ("TRAN THI LAN", "Thi Lan Tran"),
    ("NGUYEN VAN MINH", "NGUYEN, VAN MINH"),
])  # fmt: skip
def test_the_debtor_written_middle_name_first_is_found(debtor: str, record: str) -> None:
    """The same person so written: the given names Minh and Minh agree, and the middle name
    too."""
    for left, right in ((debtor, record), (record, debtor)):
        scored = _scored(left, right)
        assert scored.band == "high", (left, right, scored)


@pytest.mark.parametrize(("debtor", "record"), [
    ("Minh Van Nguyen", "NGUYEN MINH VAN"), ("Lan Thi Tran", "TRAN LAN THI"),
])  # fmt: skip
def test_a_vietnamese_name_printed_surname_given_name_middle_name(debtor: str, record: str) -> None:
    """Registers also print the US order surname, given name, middle name: the same person."""
    for left, right in ((debtor, record), (record, debtor)):
        scored = _scored(left, right)
        assert scored.band == "high" and "written last-first" in scored.words, scored


def test_a_moved_debtor_printed_family_name_first_is_found() -> None:
    """Away from home with the birth date, the debtor's record printed family name first is
    a candidate and linked (``medium``: Minh, a given name the SSA table undercounts)."""
    fields = {"dob": "1980-05-01"}
    for debtor, record in SAME[:2]:
        [found] = link_records([{"full_name": debtor, **HOME, **fields}],
                               [{"full_name": record, **ELSEWHERE, **fields}])  # fmt: skip
        assert found.band in ("high", "medium") and "(transposed)" in found.matched_on, found


def test_siblings_with_a_shared_middle_name_in_one_file_are_not_linked() -> None:
    """A household of four in the register printed family name first, the debtors written
    given name first: each debtor linked to their own record only."""
    people = [("Minh", "Van"), ("Nam", "Van"), ("Lan", "Thi"), ("Mai", "Thi")]
    debtors = [{"full_name": f"{given} {middle} Nguyen", **HOME} for given, middle in people]
    register = [{"full_name": f"NGUYEN {middle} {given}".upper(), **HOME}
                for given, middle in people]  # fmt: skip
    for order in permutations(range(len(people)), 2):
        found = link_records([debtors[order[0]]], [register[order[1]]])
        assert not found, (order, found)
    found = link_records(debtors, register)
    assert sorted((pair.left, pair.right) for pair in found) == [(k, k) for k in range(4)]


@pytest.mark.parametrize("name", ["Minh Van Nguyen", "NGUYEN VAN MINH"])
def test_a_namesake_elsewhere_is_no_rare_name(name: str) -> None:
    """Minh Nguyen in another state on the name alone: a common name, never ``high``."""
    for record in ("Minh Van Nguyen", "NGUYEN VAN MINH"):
        scored = score_pair({"full_name": name, **HOME}, {"full_name": record, **ELSEWHERE})
        assert scored.band != "high" and not scored.rare_name, scored
