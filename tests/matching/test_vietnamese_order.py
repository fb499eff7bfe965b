"""Vietnamese names: printed family name, middle name, given name ("TRAN THI LAN", "NGUYEN VAN
MINH") in registers, given name, middle name, family name (Lan Thi Tran) in debtor files.

- Where both records gave a middle name, first and last names were never swapped (that had read
  "SMITH ROBERT JOHN" as John Robert Smith, his son): "TRAN THI LAN" against Lan Thi Tran at her
  home was 0.000, "first name differs at the same address: relative?"."""

from __future__ import annotations

from itertools import permutations, product

import pytest

from skiptrace.matching import Link, link_records, score_pair

HOME = {"address": "12 Oak St", "city": "Springfield", "state": "IL", "zip": "62704"}
ELSEWHERE = {"address": "80 Elm Ave", "city": "Houston", "state": "TX", "zip": "77001"}


def _scored(debtor: str, record: str) -> Link:
    return score_pair({"full_name": debtor, **HOME}, {"full_name": record, **HOME})


SAME = [("Lan Thi Tran", "TRAN THI LAN"), ("Hoa Thi Nguyen", "NGUYEN THI HOA")]  # fmt: skip


@pytest.mark.parametrize(("debtor", "record"), SAME)
def test_a_vietnamese_name_printed_family_name_first_is_the_debtor(
    debtor: str, record: str
) -> None:
    """Both records give the middle name Thi (or one alone does): the register's is
    read family name, middle name, given name, the order it is printed in."""
    for left, right in ((debtor, record), (record, debtor)):
        scored = _scored(left, right)
        assert scored.band == "high", scored
        assert scored.words.startswith("name: exact, written last-first"), scored
    [found] = link_records([{"full_name": debtor, **HOME}], [{"full_name": record, **HOME}])
    assert found.band == "high", found


SIBLINGS = [("Lan", "Mai", "Thi", "Tran"), ("Hoa", "Huong", "Thi", "Nguyen")]  # fmt: skip


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
    ("Lan Thi Tran", "TRAN VAN LAN"),
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
    ("Thi Nguyen", "NGUYEN THI LAN"), ("Thi Tran", "TRAN THI MAI"),
])  # fmt: skip
def test_a_vietnamese_middle_name_is_not_read_as_the_given_name(debtor: str, record: str) -> None:
    """Read surname, given name, middle name, as "SMITH JOHN ROBERT" is, "NGUYEN THI LAN"
    was Thi Nguyen (1.000 ``high``): Thi is the middle name of most Vietnamese women, and the
    debtor so named any woman of Lan's family at her home."""
    for left, right in ((debtor, record), (record, debtor)):
        scored = _scored(left, right)
        assert scored.band == "low" and scored.score < 0.5, scored


@pytest.mark.parametrize(("debtor", "record"), [
    ("Lan Thi Tran", "TRAN LAN THI"), ("Hoa Thi Nguyen", "NGUYEN HOA THI"),
])  # fmt: skip
def test_a_vietnamese_name_printed_surname_given_name_middle_name(debtor: str, record: str) -> None:
    """Registers also print the US order surname, given name, middle name: the same person."""
    for left, right in ((debtor, record), (record, debtor)):
        scored = _scored(left, right)
        assert scored.band == "high" and "written last-first" in scored.words, scored


def test_a_moved_debtor_printed_family_name_first_is_found() -> None:
    """Away from home with the birth date, the debtor's record printed family name first is
    a candidate and linked (``medium``: Lan, a given name the SSA table undercounts)."""
    fields = {"dob": "1980-05-01"}
    for debtor, record in SAME[:2]:
        [found] = link_records([{"full_name": debtor, **HOME, **fields}],
                               [{"full_name": record, **ELSEWHERE, **fields}])  # fmt: skip
        assert found.band in ("high", "medium") and "(transposed)" in found.matched_on, found


def test_siblings_with_a_shared_middle_name_in_one_file_are_not_linked() -> None:
    """A household of four in the register printed family name first, the debtors written
    given name first: each debtor linked to their own record only."""
    people = [("Hoa", "Thi"), ("Huong", "Thi"), ("Lan", "Thi"), ("Mai", "Thi")]
    debtors = [{"full_name": f"{given} {middle} Nguyen", **HOME} for given, middle in people]
    register = [{"full_name": f"NGUYEN {middle} {given}".upper(), **HOME}
                for given, middle in people]  # fmt: skip
    for order in permutations(range(len(people)), 2):
        found = link_records([debtors[order[0]]], [register[order[1]]])
        assert not found, (order, found)
    found = link_records(debtors, register)
    assert sorted((pair.left, pair.right) for pair in found) == [(k, k) for k in range(4)]


@pytest.mark.parametrize("name", ["Lan Thi Nguyen", "NGUYEN THI LAN"])
def test_a_namesake_elsewhere_is_no_rare_name(name: str) -> None:
    """Lan Nguyen in another state on the name alone: a common name, never ``high``."""
    for record in ("Lan Thi Nguyen", "NGUYEN THI LAN"):
        scored = score_pair({"full_name": name, **HOME}, {"full_name": record, **ELSEWHERE})
        assert scored.band != "high" and not scored.rare_name, scored
