"""Two people's records tying for one debtor (a father and son at one home, the debtor's record
giving neither birth date): neither is taken for the debtor (``link.tied``), whose file would
get another person's phone or employer; copies of one person, one person at two addresses and a
rival that scores clearly lower are no tie."""

from __future__ import annotations

import importlib
from collections.abc import Mapping

import pytest

from skiptrace.matching import score_pair
from skiptrace.matching.comparisons import other_people
from skiptrace.matching.link import link
from skiptrace.matching.pairs import Bools, Indices
from skiptrace.matching.prepare import Table

linking = importlib.import_module("skiptrace.matching.link")

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


def test_a_record_giving_no_birth_date_ties_with_a_father_and_son() -> None:
    """It is one of theirs, whichever: before, placed first, it was compared with each and
    told apart from neither, and was linked 1.0 ``high`` (placed last, a tie)."""
    father, son = _smith(dob="1950-02-03"), _smith(dob="1980-06-07")
    for register in ([_smith(), father, son], [father, son, _smith()]):
        assert _best(*register)[:2] == (0.5, "low")
        assert _best(*register)[2].endswith(",tie(2 people)")


BORN = [f"{1930 + k % 60}-{1 + k // 60:02d}-{10 + k % 17}" for k in range(240)]
"""240 birth dates, each another person's (none a misprint of another)."""


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pairs of each call of ``other_people`` that ties make from here on."""
    calls: list[int] = []

    def counted(table: Table, a: Indices, b: Indices) -> Bools:
        calls.append(len(a))
        return other_people(table, a, b)

    monkeypatch.setattr(linking, "other_people", counted)
    return calls


def test_counting_many_people_costs_a_few_compares_of_each_record(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """240 people of the debtor's name at his home: every one compared with every one
    counted before it took 240 compares of 28,919 pairs for one debtor; the count stops at
    ``PEOPLE_COUNTED`` (10), each a compare of the records left."""
    calls = _counting(monkeypatch)
    score, band, matched_on = _best(*(_smith(dob=born) for born in BORN))
    assert len(calls) <= 10 and sum(calls) <= 10 * len(BORN)
    assert (score, band) == (0.5, "low") and matched_on.endswith(",tie(10 people)")


def test_a_lookups_candidates_cost_a_few_compares_of_each_record(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``untied``, a lookup's: each candidate was counted apart, every one compared with
    every one counted before it (240 candidates: 57,361 compares of 6.9 million pairs). 30
    here, each scored alone: past ``PEOPLE_COUNTED`` and past 20, where that way's pairs
    (n * (n - 1) / 2) would outgrow the bound on them."""
    calls = _counting(monkeypatch)
    records = [_smith(dob=born) for born in BORN[:30]]
    found = linking.untied(DEBTOR, records, [score_pair(DEBTOR, each) for each in records])
    assert len(calls) <= 10 and sum(calls) <= 10 * len(records)
    assert {(k.score, linking.people_tied(k)) for k in found} == {(0.5, 10)}


MIXED = {  # the debtor, and the records at his home: the plain first
    "a-middle-name": ({**DEBTOR, "middle_name": "A"}, [_smith(), _smith("John B Smith")]),
    "a-sons-suffix": (DEBTOR, [_smith(), _smith("John Smith Jr")]),
    "a-fathers-suffix": (DEBTOR, [_smith(), _smith("John Smith Sr")]),
    "a-birth-date": ({**DEBTOR, "dob": "1950-02-03"}, [_smith(), _smith(dob="1980-06-07")]),
}


@pytest.mark.parametrize(("debtor", "register"), MIXED.values(), ids=MIXED.keys())
def test_a_plain_record_beside_another_person_of_the_debtors_name_is_either_ones(
    debtor: dict[str, str], register: list[dict[str, str]]
) -> None:
    """The other record is shown another person than the debtor by what the plain one does
    not give, and scores far below it (0.4 at most): both engines' and a lookup's linked the
    plain one 1.0 ``high`` (a son's, perhaps, or John B's). A father printing no suffix is
    one too: precision on relatives first."""
    [found] = link([debtor], [*register, NEIGHBOUR]).links
    assert (found.right, found.score, found.band) == (0, 0.5, "low")
    assert found.matched_on.endswith(",tie(2 people)")
    plain, other = linking.untied(debtor, register, [score_pair(debtor, r) for r in register])
    assert (plain.score, linking.people_tied(plain)) == (0.5, 2)
    assert linking.people_tied(other) == 0


UNMIXED = {
    "the-best-gives-it": ({**DEBTOR, "middle_name": "A"},
                          [_smith("John A Smith"), _smith("John B Smith")]),
    "elsewhere": ({**DEBTOR, "middle_name": "A"},
                  [_smith(), _smith("John B Smith", address=ELSEWHERE)]),
    "another-first-name": ({**DEBTOR, "middle_name": "A"}, [_smith(), _smith("Mary B Smith")]),
    "the-debtor-gives-none": (DEBTOR, [_smith(), _smith("John B Smith")]),
    "told-apart-by-what-the-best-gives": (
        {**DEBTOR, "middle_name": "A", "dob": "1950-02-03"},
        [_smith("John A Smith"), _smith("John B Smith", dob="1980-06-07")]),
}  # fmt: skip


@pytest.mark.parametrize(("debtor", "register"), UNMIXED.values(), ids=UNMIXED.keys())
def test_nothing_says_the_plain_record_may_be_another_persons(
    debtor: dict[str, str], register: list[dict[str, str]]
) -> None:
    """Another household member, a namesake elsewhere, one nothing shows is not the debtor
    (he may be John B), or one the best record's middle name tells apart from it though it
    gives no birth date."""
    [found] = link([debtor], [*register, NEIGHBOUR]).links
    assert (found.right, found.score, found.band) == (0, 1.0, "high")


def _given(first: str, last: str = "Smith", **more: str) -> dict[str, str]:
    return {**DEBTOR, "first_name": first, "last_name": last, **more}


SHARED_SHORT_FORM = {  # a debtor whose first name fits two people at her home, neither better
    "an-initial": (_given("J"), [_smith("John Smith"), _smith("Jane Smith")]),
    "a-short-form": (_given("Chris", "Lee"), [_smith("Christopher Lee"), _smith("Christine Lee")]),
    "alex": (_given("Alex"), [_smith("Alexander Smith"), _smith("Alexandra Smith")]),
    "beside-a-birth-date": (
        _given("J"), [_smith("John Smith", dob="1950-02-03"), _smith("Jane Smith")]),
    "beside-an-initials-record": (
        _given("J"), [_smith("J Smith"), _smith("John Smith"), _smith("Jane Smith")]),
    "beside-a-short-forms-record": (_given("C", "Lee"),
        [_smith("Chris Lee"), _smith("Christopher Lee"), _smith("Christine Lee")]),
    "beside-a-surname-first-record": (
        _given("J"), [_smith("SMITH J"), _smith("John Smith"), _smith("Jane Smith")]),
    "beside-an-initials-record-with-a-birth-date": (
        _given("J"), [_smith("J Smith", dob="1950-02-03"), _smith("John Smith"),
                      _smith("Jane Smith")]),
}  # fmt: skip


@pytest.mark.parametrize(("debtor", "register"), SHARED_SHORT_FORM.values(),
                         ids=SHARED_SHORT_FORM.keys())  # fmt: skip
def test_two_first_names_that_both_fit_the_debtors_are_two_people(
    debtor: dict[str, str], register: list[dict[str, str]]
) -> None:
    """A "J. Smith" at the home of John and Jane Smith: both score 0.94, and the husband's record
    (the first) was linked ``medium`` with nothing said, his employer about to fill her file.
    Two first names that differ are two people, whatever else either record gives, and a third
    record that fits either ("J Smith", "Chris Lee", "SMITH J") is one of them: counted first,
    it told neither from itself, and the first record was linked 0.94 ``medium``."""
    [found] = link([debtor], [*register, NEIGHBOUR]).links
    assert (found.right, found.score, found.band) == (0, 0.5, "low")
    assert found.matched_on.endswith(",tie(2 people)")
    for each in linking.untied(debtor, register, [score_pair(debtor, r) for r in register]):
        assert (each.score, linking.people_tied(each)) == (0.5, 2)


ONE_PERSON = {  # first names that may be one person's, or a rival clearly lower
    "a-nickname": (_given("Jim"), [_smith("James Smith"), _smith("Jimmy Smith")]),
    "an-initial-of-it": (_given("J"), [_smith("John Smith"), _smith("J Smith")]),
    "a-misprint": (_given("J"), [_smith("John Smith"), _smith("Jhon Smith")]),
    "lower": (_given("Dan"), [_smith("Daniel Smith"), _smith("Danielle Smith")]),
    "surname-first": (_given("J"), [_smith("SMITH J"), _smith("John Smith")]),
    "surname-first-born-that-day": (
        _given("J", dob="1950-02-03"),
        [_smith("SMITH J", dob="1950-02-03"), _smith("John Smith", dob="1950-02-03")]),
}  # fmt: skip


@pytest.mark.parametrize(("debtor", "register"), ONE_PERSON.values(), ids=ONE_PERSON.keys())
def test_first_names_one_person_may_write_are_no_tie(
    debtor: dict[str, str], register: list[dict[str, str]]
) -> None:
    """Jimmy is James's nickname, J his initial, Jhon a misprint of John; Danielle is no
    Dan (a short form of Daniel alone) and scores 0.02. "SMITH J" is read as a given name Smith
    and a surname J: beside John Smith, born the same day, a 2-people tie at 0.5 (1.0 ``high``
    before first names told people apart)."""
    [found] = link([debtor], [*register, NEIGHBOUR]).links
    assert "tie" not in found.matched_on and found.score > 0.9


def test_a_plain_record_is_taken_after_those_that_tell_people_apart() -> None:
    """Counted first, a record of a first name alone had been the one every other was
    compared with, and told apart from none of a father and son of that name: the son's
    record, the father's and the debtor's wife's are three people, in any order."""
    records = [_smith(), _smith(dob="1950-02-03"), _smith(dob="1980-06-07"), _smith("Jane Smith")]
    for register in (records, records[::-1]):
        [found] = link([_given("J")], [*register, NEIGHBOUR]).links
        assert found.matched_on.endswith(",tie(3 people)"), found.matched_on


DAY = "1990-01-02"
TWINS = {  # the debtor's full name; at his home a record fitting him and his twin, and hers
    "a-short-form": (_given("Patrick", "Kelly", dob=DAY),
                     [_smith("Pat Kelly", dob=DAY), _smith("Patricia Kelly", dob=DAY)]),
    "chris": (_given("Christopher", "Lee", dob=DAY),
              [_smith("Chris Lee", dob=DAY), _smith("Christine Lee", dob=DAY)]),
    "danny": (_given("Daniel", dob=DAY),
              [_smith("Danny Smith", dob=DAY), _smith("Danielle Smith", dob=DAY)]),
    "an-initial": (_given("John", dob=DAY),
                   [_smith("J Smith", dob=DAY), _smith("Jane Smith", dob=DAY)]),
    "surname-first": (_given("Patrick", "Kelly", dob=DAY),
                      [_smith("KELLY PAT", dob=DAY), _smith("KELLY PATRICIA", dob=DAY)]),
    "surname-first-beside-hers-straight": (
        _given("Patrick", "Kelly", dob=DAY),
        [_smith("KELLY PAT", dob=DAY), _smith("Patricia Kelly", dob=DAY)]),
}  # fmt: skip


@pytest.mark.parametrize(("debtor", "register"), TWINS.values(), ids=TWINS.keys())
def test_a_short_form_born_the_day_a_twin_of_another_name_was_is_either_twins(
    debtor: dict[str, str], register: list[dict[str, str]]
) -> None:
    """A "Pat Kelly" at Patrick's home, born on his birth date, beside Patricia Kelly's record
    born that day too: the birth date that lifts a short form out of the household's 0.94
    is the twins' both, and the register shows his twin sister there. The record is hers as
    likely as his: it was linked 1.0 ``high`` (a lookup's fields from perhaps hers). So is a
    "KELLY PAT", read swapped: its first name as written ("KELLY") fits one name, and it was
    linked 1.0 ``high``."""
    [found] = link([debtor], [*register, NEIGHBOUR]).links
    assert (found.right, found.score, found.band) == (0, 0.5, "low")
    assert found.matched_on.endswith(",tie(2 people)")
    short, twin = linking.untied(debtor, register, [score_pair(debtor, r) for r in register])
    assert (short.score, linking.people_tied(short)) == (0.5, 2)
    assert twin.score < 0.5 and linking.people_tied(twin) == 0


NOT_TWINS = {  # the short form's birth date is the debtor's and not the other record's
    "another-birth-date": (_given("Patrick", "Kelly", dob=DAY),
                           [_smith("Pat Kelly", dob=DAY),
                            _smith("Patricia Kelly", dob="1962-05-06")]),
    "none-given": (_given("Patrick", "Kelly", dob=DAY),
                   [_smith("Pat Kelly", dob=DAY), _smith("Patricia Kelly")]),
    "a-name-it-does-not-fit": (_given("Patrick", "Kelly", dob=DAY),
                               [_smith("Pat Kelly", dob=DAY), _smith("Mary Kelly", dob=DAY)]),
    "elsewhere": (_given("Patrick", "Kelly", dob=DAY),
                  [_smith("Pat Kelly", dob=DAY),
                   _smith("Patricia Kelly", address=ELSEWHERE, dob=DAY)]),
    "a-name-of-his-alone": (_given("Daniel", dob=DAY),
                            [_smith("Dan Smith", dob=DAY), _smith("Danielle Smith", dob=DAY)]),
    "surname-first-another-birth-date": (_given("Patrick", "Kelly", dob=DAY),
                                         [_smith("KELLY PAT", dob=DAY),
                                          _smith("KELLY PATRICIA", dob="1962-05-06")]),
}  # fmt: skip


@pytest.mark.parametrize(("debtor", "register"), NOT_TWINS.values(), ids=NOT_TWINS.keys())
def test_a_short_form_born_the_debtors_day_alone_is_his(
    debtor: dict[str, str], register: list[dict[str, str]]
) -> None:
    """The birth date tells the short form from a sister born another day, or one whose date
    nobody knows (a twin born the same day is the rarer case), from a Mary at the home, from a
    Patricia at another address; Dan fits Daniel alone."""
    [found] = link([debtor], [*register, NEIGHBOUR]).links
    assert (found.right, found.score, found.band) == (0, 1.0, "high")


APT = {**DEBTOR, "address": "12 Oak St Apt 4"}
PLAIN, APT_7 = _smith(), _smith(address="12 Oak St Apt 7, Springfield, IL 62704")


@pytest.mark.parametrize("register", [[PLAIN, APT_7], [APT_7, PLAIN]], ids=["first", "last"])
def test_a_record_giving_no_unit_beside_a_namesake_in_another_unit_is_either_ones(
    register: list[dict[str, str]],
) -> None:
    """John Smith of Apt 4 and a John Smith of Apt 7 of his building, whose unit shows him
    another man (0.45): the record of the building giving no unit may be either's, as a plain
    record beside John B Smith's is. It was linked 1.0 ``high``."""
    [found] = link([APT], [*register, NEIGHBOUR]).links
    assert (register[found.right], found.score, found.band) == (PLAIN, 0.5, "low")
    assert found.matched_on.endswith(",tie(2 people)")
    tied = linking.untied(APT, register, [score_pair(APT, r) for r in register])
    assert [linking.people_tied(k) for k in tied] == [2 * (r is PLAIN) for r in register]


UNIT_UNSAID = {
    "alone": (APT, [PLAIN]),
    "the-debtor-gives-none": (DEBTOR, [PLAIN, APT_7]),
    "another-street": (APT, [PLAIN, _smith(address="12 Elm St, Springfield, IL 62704")]),
    "another-name": (APT, [PLAIN, _smith("Mary Smith", "12 Oak St Apt 7, Springfield, IL 62704")]),
}


@pytest.mark.parametrize(("debtor", "register"), UNIT_UNSAID.values(), ids=UNIT_UNSAID.keys())
def test_nothing_says_the_record_giving_no_unit_may_be_another_persons(
    debtor: dict[str, str], register: list[dict[str, str]]
) -> None:
    """Nothing shows the Apt 7 record another man than a debtor giving no unit (his own,
    perhaps, as John B Smith's may be a debtor's giving no middle name); one at another street
    is not at his building, and Mary is another household member."""
    [found] = link([debtor], [*register, NEIGHBOUR]).links
    assert (found.right, found.score, found.band) == (0, 1.0, "high")
