"""The hostile review of issue 12's model: relatives and namesakes it still took for the debtor.

Two real first names are two people whatever the files hold; names spelt alike (Daniel and
Danielle) are still two names; an initial or an ambiguous short form at the debtor's address
is at most ``medium``; a father and son who print no suffix are told apart by the birth date
or the middle name; a birth date that disagrees keeps a pair out of ``high``; twins share a
birth date as a household shares an address."""

from __future__ import annotations

import random

import pytest

from skiptrace.matching import link, score_pair
from skiptrace.matching.levels import BY_NAME
from skiptrace.matching.model import HIGH, MEDIUM, prior_model

HOME = {"address": "12 Oak St", "city": "Springfield", "state": "IL", "zip": "62704"}
NEW = {"address": "77 Elm Ave", "city": "Peoria", "state": "IL", "zip": "61602"}
PHONE = "2175551234"


def at_home(first: str, other: str, **extra: str) -> tuple[dict[str, str], dict[str, str]]:
    return ({"first_name": first, "last_name": "Ashmore", **HOME, **extra},
            {"first_name": other, "last_name": "Ashmore", **HOME, **extra})  # fmt: skip


def test_real_first_names_are_relatives_whatever_the_files_hold() -> None:
    """300 debtors; the register holds 150 of them and, for the other 150, a relative at the
    debtor's address (Larry Baker's home: James Baker), and no two records on one side share a
    home: no relative is linked, every debtor's own record is."""
    rng = random.Random(1)
    firsts = ("James", "Mary", "Linda", "Karen", "Susan", "Donald", "Steven", "Kevin", "Brian",
              "George", "Nancy", "Betty")  # fmt: skip
    lasts = ("Baker", "Nelson", "Carter", "Mitchell", "Roberts", "Turner", "Phillips", "Evans",
             "Campbell", "Parker")  # fmt: skip
    debtors, register = [], []
    for i in range(300):
        first = rng.choice(firsts)
        debtor = {"first_name": first, "last_name": rng.choice(lasts),
                  "address": f"{i + 1} {rng.choice(['Oak', 'Elm', 'Main'])} St",
                  "city": "Springfield", "state": "IL", "zip": str(62000 + i)}  # fmt: skip
        debtors.append(debtor)
        other = rng.choice([f for f in firsts if f != first])
        register.append(debtor if i % 2 == 0 else {**debtor, "first_name": other})
    found = link(debtors, register)
    assert not found.model.households  # the files hold no household: the rule holds anyway
    linked = {(pair.left, pair.right): pair for pair in found.links}
    assert not [pair for (left, _), pair in linked.items() if left % 2 == 1]
    assert all((i, i) in linked and linked[i, i].band == "high" for i in range(0, 300, 2))
    # a caller who states the files cannot hold relatives (corrupted copies, as in FEBRL) gets
    # the other reading: the differing first names are typos, and those pairs are linked
    copies = link(debtors, register, relatives=False)
    assert {pair.left for pair in copies.links if pair.left % 2 == 1} == set(range(1, 300, 2))


@pytest.mark.parametrize(
    ("first", "other"),
    [("Daniel", "Danielle"), ("Patricia", "Patrick"), ("Alexander", "Alexandra"),
     ("Eric", "Erica"), ("Paul", "Paula"), ("Francis", "Frances"), ("Jean", "Jeanne"),
     ("Fran", "Frank"), ("Jon", "John"), ("Christopher", "Christine"), ("Leslie", "Lesley")],
)  # fmt: skip
def test_names_spelt_alike_are_two_names(first: str, other: str) -> None:
    """Both in the SSA table, neither a nickname of the other: "else", another person. Jon
    and John too (precision first: a brother is not taken for the debtor)."""
    if first == "Fran":  # a short form of Frances and Francis, not of Frank
        debtor, relative = at_home(first, other)
        scored = score_pair(debtor, relative)
        assert scored.band != "high" and scored.score < HIGH
        return
    scored = score_pair(*at_home(first, other))
    assert scored.relation == "first_name_differs", scored
    assert (
        scored.score < 0.5 and dict((f, lv) for f, lv, _ in scored.fields)["first_name"] == "else"
    )
    assert score_pair(*at_home(first, other, phone=PHONE, dob="1980-05-01")).score < 0.5


@pytest.mark.parametrize(
    ("first", "other"),
    [("Pat", "Patricia"), ("Pat", "Patrick"), ("Chris", "Christine"), ("Chris", "Christopher"),
     ("Alex", "Alexandra"), ("Sam", "Samantha"), ("Sam", "Samuel"), ("Terry", "Teresa"),
     ("Joe", "Joseph"), ("Jo", "Josephine")],
)  # fmt: skip
def test_an_ambiguous_short_form_at_home_is_medium_at_most(first: str, other: str) -> None:
    for a, b in ((first, other), (other, first)):
        scored = score_pair(*at_home(a, b, phone=PHONE))
        assert scored.band == "medium" and MEDIUM <= scored.score < HIGH, (a, b, scored)


def test_an_initial_at_home_is_medium_at_most() -> None:
    debtor = {"first_name": "Mary", "last_name": "Ashmore", **HOME}
    for record in ({"full_name": "M. Ashmore", **HOME},
                   {"full_name": "M Ashmore", **HOME, "phone": PHONE}):  # fmt: skip
        scored = score_pair({**debtor, "phone": PHONE}, record)
        assert scored.band == "medium" and scored.score < HIGH, scored
    # elsewhere as before: an initial alone at a new address in the same town is not linked
    moved = score_pair(debtor, {"full_name": "M. Ashmore", **NEW, "city": "Springfield"})
    assert moved.score < 0.5
    # a spouse is not born the same day: an agreeing birth date lifts the cap
    born = {"dob": "1980-05-01"}
    assert (
        score_pair({**debtor, **born}, {"full_name": "M. Ashmore", **HOME, **born}).band == "high"
    )


@pytest.mark.parametrize(
    ("son", "father"),
    [({"middle_name": "James"}, {"middle_name": "Allen"}),
     ({"dob": "1985-03-02"}, {"dob": "1958-07-11"}),
     ({"middle_name": "James", "dob": "1985-03-02"}, {"middle_name": "Allen", "dob": "1958-07-11"}),
     ({"middle_name": "J"}, {"middle_name": "Allen"})],
)  # fmt: skip
def test_a_father_and_son_without_suffix_at_home(
    son: dict[str, str], father: dict[str, str]
) -> None:
    name = {"first_name": "Robert", "last_name": "Ashmore", **HOME}
    scored = score_pair({**name, **son}, {**name, **father})
    assert scored.relation == "other_generation", scored
    assert scored.score < 0.5 and scored.band == "low"


@pytest.mark.parametrize("theirs", ["1985-02-03", "1985-03-03", "1985-03-20", "1986-03-02"])
def test_a_misprinted_birth_date_is_no_other_generation(theirs: str) -> None:
    """Day and month swapped, one digit off, two digits swapped: "close", a misprint, the same
    person; but not years a generation apart (1958 against 1985: test_second_review)."""
    name = {"first_name": "Robert", "last_name": "Ashmore", **HOME}
    scored = score_pair({**name, "dob": "1985-03-02"}, {**name, "dob": theirs})
    assert scored.relation == "" and scored.band == "high", scored
    assert dict((f, lv) for f, lv, _ in scored.fields)["dob"] == "close"


def test_a_birth_date_that_disagrees_keeps_a_namesake_sharing_a_phone_out_of_high() -> None:
    debtor = {"first_name": "John", "last_name": "Smith", "city": "Chicago", "state": "IL",
              "phone": "3125551234", "dob": "1971-03-04"}  # fmt: skip
    record = {"first_name": "John", "last_name": "Smith", "city": "Dallas", "state": "TX",
              "phone": "3125551234", "dob": "1990-02-02"}  # fmt: skip
    scored = score_pair(debtor, record)
    assert scored.band != "high" and scored.score < HIGH


def test_the_prior_m_of_a_disagreeing_birth_date() -> None:
    m = prior_model().m["dob"]
    assert m[BY_NAME["dob"].n_levels - 1] == pytest.approx(0.01, rel=0.05)


@pytest.mark.parametrize("extra", [{}, {"phone": PHONE}])
def test_twins_share_a_birth_date_as_a_household_shares_an_address(extra: dict[str, str]) -> None:
    scored = score_pair(*at_home("Michael", "Matthew", dob="1980-05-01", **extra))
    assert scored.relation == "first_name_differs"
    assert scored.score < 0.5 and scored.band == "low"


def test_what_held_still_holds() -> None:
    """Bob for Robert who moved with the same phone (``medium`` by the phone alone: a son Bob
    may share it; ``high`` with the birth date); a register's "ASHMORE, MARY E" with a one-line
    address and ZIP+4; Jr against Sr."""
    debtor = {"first_name": "Robert", "last_name": "Ashmore", "phone": PHONE, **HOME}
    bob = {"first_name": "Bob", "last_name": "Ashmore", "phone": "217-555-1234", **NEW}
    assert score_pair(debtor, bob).band == "medium"
    born = {"dob": "1961-07-04"}
    assert score_pair({**debtor, **born}, {**bob, **born}).band == "high"
    mary = {"first_name": "Mary", "middle_name": "Ellen", "last_name": "Ashmore", **HOME}
    record = {"full_name": "ASHMORE, MARY E",
              "address": "12 OAK STREET, SPRINGFIELD IL 62704-1234"}  # fmt: skip
    assert score_pair(mary, record).band == "high"
    junior = score_pair({"full_name": "Robert Ashmore Jr", **HOME},
                        {"full_name": "Robert Ashmore Sr", **HOME})  # fmt: skip
    assert junior.relation == "other_generation" and junior.score < 0.5


@pytest.mark.parametrize(
    "other",
    [
        {"middle_name": "Edwin"},
        {"dob": "1989-07-09"},
        {"first_name": "Mister", "middle_name": "Edwin"},
    ],
    ids=["middle-name", "birth-date", "a-title-for-a-first-name"],
)
def test_a_relative_with_no_first_name_is_another_person(other: dict[str, str]) -> None:
    """A record at the debtor's home with her surname and no first name (none, or only a
    title) but a middle name or a birth date that differs from hers was 0.9 to 0.94 medium: the
    father-and-son rule asked for first names that agree. What is given says another person."""
    debtor = {"first_name": "Elizabeth", "middle_name": "Alexander", "last_name": "Saggio",
              "dob": "1959-01-04", **HOME}  # fmt: skip
    found = score_pair(debtor, {"last_name": "Saggio", **HOME, **other})
    assert (found.band, found.relation) == ("low", "other_generation"), found
    same = score_pair(debtor, {"last_name": "Saggio", "middle_name": "Alexander", **HOME})
    assert same.band == "medium"  # her surname at her home, nothing else said either way
