"""Households are a relation, not a match (issue 12, item 2), through ``score_pair`` and ``link``:
a relative at the debtor's address scores low whatever the address fields add up to, and the
words say why."""

from __future__ import annotations

import pytest

from skiptrace.matching import link, score_pair

HOME = {"address": "12 Oak Street", "city": "Springfield", "state": "IL", "zip": "62704"}
EVERYTHING = {**HOME, "address2": "Apt 4", "phone": "(217) 555-0134"}


def test_father_and_son_at_one_address() -> None:
    son = {"full_name": "Sarah Cynthia Chase Jr", **HOME}
    father = {"full_name": "Sarah C. Chase Sr.", **HOME}
    scored = score_pair(son, father)
    assert scored.score < 0.5 and scored.band == "low"
    assert scored.relation == "other_generation"
    assert scored.words.endswith("suffix Jr vs Sr: parent and child?")


def test_a_spouse_at_one_address() -> None:
    scored = score_pair({"first_name": "Elizabeth", "last_name": "Hayes", **HOME},
                        {"full_name": "HAYES, DAN", **HOME})  # fmt: skip
    assert scored.score < 0.5 and scored.band == "low"
    assert scored.relation == "first_name_differs"
    assert scored.words.endswith("first name differs at the same address: relative?")


@pytest.mark.parametrize(
    ("debtor", "relative"),
    [
        ({"first_name": "Elizabeth", "last_name": "Hayes"}, {"full_name": "HAYES, DAN"}),
        ({"full_name": "John Roe III"}, {"full_name": "John Roe II"}),
        ({"full_name": "John Allen Roe Jr"}, {"full_name": "John Brian Roe"}),
        ({"full_name": "John Roe Jr", "dob": "1990-01-02"},
         {"full_name": "John Roe", "dob": "1961-07-08"}),
    ],
)  # fmt: skip
def test_whatever_the_household_shares(debtor: dict[str, str], relative: dict[str, str]) -> None:
    """Street, unit, city, ZIP, state and the household phone all agree: still low."""
    scored = score_pair({**debtor, **EVERYTHING}, {**relative, **EVERYTHING})
    assert scored.score < 0.5, scored
    assert scored.relation in ("first_name_differs", "other_generation")


SHOP = {"employer": "Whitfield Plumbing LLC"}


@pytest.mark.parametrize(
    ("debtor", "relative"),
    [
        ({"full_name": "Robert Whitfield Jr"}, {"full_name": "Bob Whitfield Sr"}),
        ({"full_name": "Robert Whitfield Jr"}, {"full_name": "Robert Whitfield Sr"}),
        ({"first_name": "Mark", "last_name": "Whitfield"},
         {"first_name": "Mary", "last_name": "Whitfield"}),
    ],
)  # fmt: skip
def test_a_family_business_is_not_the_debtor(
    debtor: dict[str, str], relative: dict[str, str]
) -> None:
    """Father and son, or husband and wife, at the family firm: the employer agreeing says
    where they work, not who they are (it scored 0.992, high, for Jr against Sr)."""
    for shared in ({}, EVERYTHING):
        scored = score_pair({**debtor, **SHOP, **shared},
                            {**relative, "employer": "Whitfield Plumbing", **shared})  # fmt: skip
        assert scored.score < 0.5 and scored.band == "low", scored
        assert scored.relation in ("first_name_differs", "other_generation")


def test_a_suffix_on_one_side_only_at_home_is_not_the_debtor_either() -> None:
    scored = score_pair({"full_name": "John Roe Jr", **HOME}, {"full_name": "John Roe", **HOME})
    assert scored.relation == "suffix_one_side_at_home"
    assert scored.score < 0.5
    assert scored.words.endswith("suffix Jr on one side only at the same address: parent and "
                                 "child?")  # fmt: skip


@pytest.mark.parametrize(
    "variant",
    [{"first_name": "Bob"}, {"first_name": "R"}, {"first_name": "Robret"}],
)
def test_a_nickname_initial_or_typo_is_no_relative(variant: dict[str, str]) -> None:
    debtor = {"first_name": "Robert", "last_name": "Hayes", **HOME}
    scored = score_pair(debtor, {**debtor, **variant})
    assert scored.relation == ""
    assert scored.score >= 0.7, scored


def _register(households: bool) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """300 debtors, each with their own record; with ``households``, a spouse beside each."""
    firsts = ["anna", "bruce", "carla", "dmitri", "emma", "farid", "gustav", "hiroshi", "ivo",
              "juniper"]  # fmt: skip
    debtors, register = [], []
    for i in range(300):
        person = {"first_name": firsts[i % 10], "last_name": f"quill{i}",
                  "address": f"{i + 1} Oak Street", "zip": f"{10000 + i}"}  # fmt: skip
        debtors.append(person)
        register.append(dict(person))
        if households:
            register.append({**person, "first_name": firsts[(i + 3) % 10]})
    return debtors, register


def test_link_keeps_the_debtor_and_leaves_the_spouse() -> None:
    debtors, register = _register(households=True)
    found = link(debtors, register, threshold=0.0, all_pairs=True)
    assert found.model.households
    for pair in found.links:
        same = debtors[pair.left]["first_name"] == register[pair.right]["first_name"]
        at_home = debtors[pair.left]["address"] == register[pair.right]["address"]
        if at_home:
            assert (pair.score >= 0.95) == same, (pair, register[pair.right])


@pytest.mark.parametrize("corrupted", ["anan", "amna"])
def test_link_without_households_forgives_a_corrupted_first_name(corrupted: str) -> None:
    """Where no two records share a surname and a home (FEBRL), a first name missing from the
    SSA table ("anan") or a rare misprint of the other ("amna" for "anna") at the same address
    is a corrupted copy, not a spouse: the address counts."""
    debtors, register = _register(households=False)
    register[0] = {**register[0], "first_name": corrupted}
    found = link(debtors, register)
    assert not found.model.households
    assert (0, 0) in {(pair.left, pair.right) for pair in found.links}


def test_link_without_households_still_leaves_another_real_name() -> None:
    """Two real names ("zed" and "anna", both in the SSA table) are two people whatever the
    files hold: no household in them does not make Zed the debtor Anna."""
    debtors, register = _register(households=False)
    register[0] = {**register[0], "first_name": "zed"}
    found = link(debtors, register)
    assert not found.model.households
    assert (0, 0) not in {(pair.left, pair.right) for pair in found.links}


def test_a_shared_mailbox_at_the_family_firm_is_not_the_debtor_either() -> None:
    """Husband and wife answering one company address: it says where, not who."""
    mailbox = {**SHOP, "email": "info@whitfieldplumbing.com"}
    scored = score_pair({"first_name": "Mark", "last_name": "Whitfield", **mailbox},
                        {"first_name": "Mary", "last_name": "Whitfield", **mailbox})  # fmt: skip
    assert scored.score < 0.5 and scored.band == "low", scored


@pytest.mark.parametrize(
    ("debtor", "relative"),
    [
        ({"first_name": "Mark", "last_name": "Whitfield"},
         {"first_name": "Mary", "last_name": "Whitfield"}),
        ({"first_name": "Daniel", "last_name": "Whitfield"},
         {"first_name": "Danielle", "last_name": "Whitfield"}),
        ({"full_name": "Robert Whitfield Sr"}, {"full_name": "Robert Whitfield Jr"}),
        ({"full_name": "R J Whitfield"}, {"full_name": "Robert Allen Whitfield"}),
    ],
)  # fmt: skip
def test_one_birth_date_at_the_firm_is_no_proof(
    debtor: dict[str, str], relative: dict[str, str]
) -> None:
    """Twins, or a filler date both records carry: at the firm as at home, still low."""
    for shared in ({}, HOME):
        born = {**SHOP, "dob": "1971-03-14", **shared}
        scored = score_pair({**debtor, **born}, {**relative, **born})
        assert scored.score < 0.5 and scored.band == "low", scored


def test_one_personal_mailbox_is_no_firm() -> None:
    """A personal e-mail both records carry is the person's: an initial that differs beside it
    is a misprint, not another generation."""
    mailbox = {"email": "rob.whitfield@example.com"}
    scored = score_pair({"full_name": "Robert A Whitfield", **mailbox},
                        {"full_name": "Robert J Whitfield", **mailbox})  # fmt: skip
    assert scored.relation == "" and scored.score >= 0.7, scored


@pytest.mark.parametrize(
    ("debtor", "relative"),
    [
        ({"full_name": "Robert Allen Whitfield"}, {"full_name": "Robert James Whitfield"}),
        ({"full_name": "Robert Whitfield", "dob": "1990-01-02"},
         {"full_name": "Robert Whitfield", "dob": "1961-07-08"}),
    ],
)  # fmt: skip
def test_father_and_son_who_print_no_suffix_at_the_firm(
    debtor: dict[str, str], relative: dict[str, str]
) -> None:
    """The same name with middle names or birth dates that disagree: at one address another
    generation, and at one firm too (it scored 1.000, high)."""
    scored = score_pair({**debtor, **SHOP}, {**relative, **SHOP})
    assert scored.relation == "other_generation" and scored.band == "low", scored
    assert scored.words.endswith("differs at the same employer: parent and child?"), scored


@pytest.mark.parametrize("firsts", [
    ("James", "Mary", "Linda", "Karen", "Susan", "Donald", "Steven", "Kevin"),
    ("Adebayo", "Ngozi", "Olumide", "Tendai", "Nguyet", "Chidinma", "Thuy", "Folasade"),
])  # fmt: skip
def test_a_spouse_alone_is_not_linked_where_the_files_hold_a_few_households(
    firsts: tuple[str, ...],
) -> None:
    """Where the register holds a few households (so the files are read as holding them) and,
    for a few debtors, the spouse alone, the household cell weighed the spouse by how rarely
    two people of one file share a surname and a home, which a spouse filed alone in the
    other is not counted in: the rarer that was, the likelier the spouse was taken for a
    corrupted copy of the debtor (0.60, linked, at 300 records a side; 0.96, ``high``, at
    3,000). Two real first names are two people whatever the files hold, and a first name
    the SSA table does not list (Adebayo's wife Ngozi) is no misprint there either."""
    debtors, register = [], []
    for i in range(300):
        person = {"first_name": firsts[i % 8], "last_name": f"Quill{i}",
                  "address": f"{i + 1} Oak Street", "zip": f"{10000 + i}"}  # fmt: skip
        spouse = {**person, "first_name": firsts[(i + 3) % 8]}
        debtors.append(person)
        register += [person, spouse] if i < 2 else [spouse] if i < 8 else [person]
    found = link(debtors, register)
    assert found.model.households
    linked = {pair.left: pair for pair in found.links}
    assert not [linked[i] for i in range(2, 8) if i in linked]
    assert all(linked[i].band == "high" for i in range(8, 300))
