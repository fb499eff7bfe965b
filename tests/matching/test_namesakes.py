"""Namesakes against a debtor who moved (issue 12, item 2), through ``score_pair``: with nothing
but the name agreeing, the score follows how rare the full name is, corroboration adds to it,
and a namesake is never ``high``."""

from __future__ import annotations

import pytest

from skiptrace.matching import score_pair
from skiptrace.matching.model import NAME_ONLY_CEILING, NOT_RARE_CEILING, ONE_SUFFIX_CEILING
from skiptrace.matching.rarity import is_rare, namesakes

DEBTOR = {"address": "12 Oak Street", "city": "Springfield", "state": "IL", "zip": "62704"}
NEW = {"address": "9 Elm St", "city": "Portland", "state": "OR", "zip": "97201"}


def moved(first: str, last: str, **extra: str) -> tuple[dict[str, str], dict[str, str]]:
    debtor = {"first_name": first, "last_name": last, **DEBTOR, **extra}
    return debtor, {"full_name": f"{first} {last}", **NEW, **extra}


def test_a_rare_name_at_a_new_address_is_medium() -> None:
    assert is_rare("Zebulon", "Quackenbush")
    scored = score_pair(*moved("Zebulon", "Quackenbush"))
    assert scored.band == "medium" and 0.7 <= scored.score <= NAME_ONLY_CEILING
    assert scored.rare_name and scored.namesakes is not None and scored.namesakes < 1
    assert scored.words.endswith("name only, rare name; fewer than 1 person in the US is "
                                 "expected to share it")  # fmt: skip


def test_a_common_name_at_a_new_address_is_low_and_says_how_many() -> None:
    scored = score_pair(*moved("John", "Smith"))
    assert scored.band == "low" and scored.score < 0.01
    assert not scored.rare_name
    assert scored.namesakes == pytest.approx(namesakes("john", "smith"))
    assert scored.words.endswith("name only; about 27,000 people in the US share it")


def test_the_score_follows_the_count() -> None:
    names = [("Zebulon", "Quackenbush"), ("Sarah", "Chase"), ("Elizabeth", "Hayes"),
             ("John", "Smith")]  # fmt: skip
    counts = [namesakes(first, last) for first, last in names]
    scores = [score_pair(*moved(first, last)).score for first, last in names]
    assert counts == sorted(counts)
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[-1]


def test_a_name_missing_from_the_tables_is_never_rare() -> None:
    scored = score_pair(*moved("Jane", "Quartermain"))
    assert not is_rare("Jane", "Quartermain") and not scored.rare_name
    assert scored.band == "low"
    assert "the US tables cannot count" in scored.words


@pytest.mark.parametrize(("first", "last"), [("Li", "Wang"), ("Wei", "Zhang"), ("Minh", "Nguyen"),
                                           ("Nguyen", "Tran"), ("Zebulon", "Smith")])  # fmt: skip
def test_a_given_name_the_tables_undercount_on_a_common_surname_is_never_rare(
    first: str, last: str
) -> None:
    """SSA counts US births, so immigrant families' given names are undercounted: Wei Zhang
    came out "fewer than 1 person shares it" and `medium` on the name alone (review). On a
    surname 50,000 or more share, a given name SSA counted under 3,000 times is not counted."""
    scored = score_pair(*moved(first, last))
    assert not is_rare(first, last) and not scored.rare_name
    assert scored.band == "low" and scored.score < 0.5
    assert is_rare("Zebulon", "Quackenbush")  # a rare name on a rare surname still is


@pytest.mark.parametrize(
    "corroboration",
    [{"phone": "(503) 555-0199"}, {"dob": "1971-04-05"}, {"email": "j.smith@example.org"},
     {"employer": "Acme Plumbing"}],
)  # fmt: skip
def test_a_corroborating_field_lifts_a_common_name(corroboration: dict[str, str]) -> None:
    alone = score_pair(*moved("John", "Smith"))
    backed = score_pair(*moved("John", "Smith", **corroboration))
    assert backed.score > alone.score
    if "employer" in corroboration:  # the namesakes one employer holds: still a count
        assert "name and employer only" in backed.words and backed.band == "low", backed
    else:
        assert backed.namesakes is None  # no longer the name alone


def test_a_namesake_is_never_high() -> None:
    for first, last in [("Zebulon", "Quackenbush"), ("Jane", "Roe"), ("John", "Smith")]:
        debtor = {"first_name": first, "last_name": last, "city": "Springfield", "state": "IL"}
        for record in ({"full_name": f"{first} {last}"},
                       {"full_name": f"{first} {last}", "city": "Springfield", "state": "IL"},
                       {"full_name": f"{first} {last}", **NEW}):  # fmt: skip
            assert score_pair(debtor, record).band != "high"


@pytest.mark.parametrize(
    ("field", "mine", "theirs"),
    [("dob", "1950-01-01", "1988-09-09"), ("phone", "(217) 555-0134", "(503) 555-0199")],
)
def test_a_disagreeing_phone_or_birth_date_counts_against_a_rare_name(
    field: str, mine: str, theirs: str
) -> None:
    debtor, record = moved("Ezekiel", "Quackenbush")  # rare: about 0.76 namesakes
    alone = score_pair(debtor, record)
    assert alone.band == "medium" and alone.score < NAME_ONLY_CEILING
    against = score_pair({**debtor, field: mine}, {**record, field: theirs})
    assert against.score < alone.score and against.band == "low"


TOWN = {"city": "Springfield", "state": "IL"}
IN_TOWN = {"address": "77 Elm Ave", "zip": "62711", **TOWN}


@pytest.mark.parametrize(
    ("debtor", "record"),
    [({"first_name": "Maria", "last_name": "Garcia", "city": "Houston", "state": "TX"},
      {"first_name": "Maria", "last_name": "Garcia", "address": "1 Main", "zip": "77001",
       "city": "Houston", "state": "TX"}),
     ({"first_name": "Robert", "last_name": "Ashmore", **DEBTOR | TOWN},
      {"full_name": "Robert Ashmore", **IN_TOWN}),
     ({"first_name": "Jane", "last_name": "Quartermain", **DEBTOR | TOWN},
      {"full_name": "Jane Quartermain", **TOWN})],
)  # fmt: skip
def test_name_and_town_are_not_linked_unless_the_name_is_rare(
    debtor: dict[str, str], record: dict[str, str]
) -> None:
    """Maria Garcia in Houston (about 1,700 namesakes), Robert Ashmore (about 67) in
    Springfield: ``NOT_RARE_CEILING``, below the link threshold 0.5, the address filled or not."""
    scored = score_pair(debtor, record)
    assert scored.score <= NOT_RARE_CEILING < 0.5 and scored.band == "low", scored
    assert not scored.rare_name


def test_a_rare_name_in_town_is_medium_at_most() -> None:
    debtor, record = moved("Zebulon", "Quackenbush")
    scored = score_pair({**debtor, **TOWN}, {**record, **IN_TOWN})
    assert scored.band == "medium" and scored.score <= NAME_ONLY_CEILING and scored.rare_name


def test_a_middle_name_that_disagrees_is_never_a_rare_names_reading() -> None:
    """Robert James Ashmore, and Robert Allen Ashmore (his father) in the same town: not
    linked, however rare the name, and not called a rare name."""
    debtor = {"full_name": "Robert James Ashmore", **DEBTOR, "dob": "1985-03-02"}
    scored = score_pair(debtor, {"full_name": "Robert Allen Ashmore", **IN_TOWN})
    assert scored.score < 0.5 and scored.band == "low", scored
    rare = score_pair({"full_name": "Zebulon James Quackenbush", **DEBTOR},
                      {"full_name": "Zebulon Allen Quackenbush", **NEW})  # fmt: skip
    assert rare.score < 0.5
    # nor in words: "name only, rare name" was said of it, and of the row's status_detail
    assert rare.namesakes is None and not rare.rare_name and "rare" not in rare.words, rare


def test_a_middle_name_that_disagrees_never_outscores_one_that_agrees() -> None:
    """A review: read as its fields alone, capped at 0.45, "John B Smith" (a name and nothing
    else) outscored "John A Smith" (0.0013: 1,800 namesakes) against John A Smith, and led
    the row's evidence. It is read as the name's namesakes, the middle name's weight against."""
    debtor = {"full_name": "John A Smith", **DEBTOR}
    for elsewhere in ({}, NEW):
        same = score_pair(debtor, {"full_name": "John A Smith", **elsewhere})
        other = score_pair(debtor, {"full_name": "John B Smith", **elsewhere})
        plain = score_pair(debtor, {"full_name": "John Smith", **elsewhere})
        assert other.score < plain.score < same.score < 0.5, (other, plain, same)
        assert "middle name: differs (A/B)" in other.words and other.band == "low"


@pytest.mark.parametrize("dob", [{}, {"dob": "1985-03-02"}])
def test_a_rare_names_other_middle_name_elsewhere_is_not_at_the_ceiling(
    dob: dict[str, str],
) -> None:
    """A review: read as namesakes under the not-rare ceiling, a rare name with another
    middle name at another address (his father, who moved) scored the ceiling itself, 0.45
    (0.00005 and 0.04 before), above the pairs the middle weight sank: the weight counts
    against the ceiling too."""
    debtor = {"full_name": "Zebulon James Quackenbush", **DEBTOR, **dob}
    father = score_pair(debtor, {"full_name": "Zebulon Allen Quackenbush", **NEW, **dob})
    assert father.score < NOT_RARE_CEILING / 4 and father.band == "low", father


def test_a_suffix_on_one_side_only_is_capped_wherever_the_address_is() -> None:
    debtor = {"full_name": "Robert Ashmore Jr", **DEBTOR}
    for address in (IN_TOWN, NEW):
        record = {"full_name": "Robert Ashmore", **address}
        scored = score_pair(debtor, record)
        assert scored.score <= ONE_SUFFIX_CEILING, (record, scored)
    rare = score_pair({"full_name": "Zebulon Quackenbush Jr", **DEBTOR},
                      {"full_name": "Zebulon Quackenbush", **NEW})  # fmt: skip
    assert rare.score <= ONE_SUFFIX_CEILING


def test_runs_of_one_records_pairs_are_counted_as_each_pair_alone() -> None:
    """``_namesakes_of`` counts a run of one left record's pairs once: the same counts as
    counting every pair alone, in any order of the pairs."""
    import numpy as np

    from skiptrace.matching import model
    from skiptrace.matching.prepare import prepare

    left = prepare([
        {"first_name": "Jane", "middle_name": "Q", "last_name": "Roe"},
        {"first_name": "Zebulon", "last_name": "Quackenbush", "suffix": "Jr"},
        {"first_name": "Roe", "last_name": "Jane"},
    ])  # fmt: skip
    rng = np.random.default_rng(7)
    n = 400
    li = np.sort(rng.integers(0, 3, n)).astype(np.intp)
    names = ("first_name", "last_name", "middle_name", "suffix")
    for order in (np.arange(n), rng.permutation(n)):
        levels = {name: rng.choice(np.array([0, 1, 1, 1, 2], np.int8), n) for name in names}
        levels = {name: values[order] for name, values in levels.items()}
        transposed = rng.random(n) < 0.2
        counts, listed, given = model._namesakes_of(left, li[order], levels, transposed)
        for k in range(n):
            one = {name: values[k : k + 1] for name, values in levels.items()}
            alone = model._namesakes_of(left, li[order][k : k + 1], one, transposed[k : k + 1])
            assert (counts[k], listed[k], given[k]) == tuple(a[0] for a in alone), k
    empty = model._namesakes_of(left, li[:0], {n: v[:0] for n, v in levels.items()}, transposed[:0])
    assert len(empty[0]) == len(empty[1]) == len(empty[2]) == 0


BORN = "1980-05-01"


def test_a_common_name_with_its_birth_date_alone_is_never_high() -> None:
    """About 27,000 John Smiths: one of them besides the debtor is expected to have been born
    the same day, so a record agreeing on both, and on nothing else that identifies, may well
    be him (it scored 1.000, high)."""
    scored = score_pair(*moved("John", "Smith", dob=BORN))
    assert scored.band != "high" and scored.score < 0.7, scored
    assert scored.words.endswith("name and date of birth only; about 1 person in the US "
                                 "is expected to share both")  # fmt: skip
    debtor = {"first_name": "John", "last_name": "Smith", "dob": BORN}
    alone = score_pair(debtor, {"full_name": "John Smith", "dob": BORN})
    assert alone.band != "high" and alone.score < 0.7, alone


def test_a_birth_date_and_zip_say_the_zip_area_they_were_counted_in() -> None:
    """A review: the ZIP (or a street line with no town) that agreed beside the name and birth
    date narrows the namesakes the score counts to one ZIP area (or that line), 0.74 to
    1.000, and the words said "name and date of birth only ... in the US"."""
    mary = {"first_name": "Mary", "last_name": "Smith", "dob": BORN, "zip": "62704"}
    assert score_pair(mary, {**mary, "zip": "10001"}).words.endswith(
        "name and date of birth only; fewer than 1 person in the US is expected to share both"
    )
    scored = score_pair({**mary, "address": "12 Oak St"}, {**mary, "address": "40 Elm St"})
    assert scored.words.endswith(
        "name, date of birth and ZIP only (another address); fewer "
        "than 1 person in one ZIP area is expected to share both"
    )
    john = {"first_name": "John", "last_name": "Smith", "dob": BORN, "address": "12 Oak St"}
    assert score_pair(john, dict(john)).words.endswith(
        "name, date of birth and street line only (no town); fewer than 1 person at that line "
        "in any town is expected to share both")  # fmt: skip


def test_a_birth_date_one_slip_off_on_a_common_name_is_low() -> None:
    debtor = {"first_name": "John", "last_name": "Smith", "dob": BORN}
    scored = score_pair(debtor, {"full_name": "John Smith", "dob": "1980-01-05"})  # day, month
    assert scored.score < 0.5, scored
    assert "name and a date of birth one slip off only; about 37 people" in scored.words


def test_a_rare_name_with_its_birth_date_is_high_and_more_corroboration_still_counts() -> None:
    debtor = {"first_name": "Zebulon", "last_name": "Quackenbush", "dob": BORN}
    rare = score_pair(debtor, {"full_name": "Zebulon Quackenbush", "dob": BORN})
    assert rare.band == "high", rare
    debtor = {"first_name": "John", "last_name": "Smith", "dob": BORN, "phone": "217-555-0134",
              **DEBTOR}  # fmt: skip
    record = {"full_name": "John Smith", "dob": BORN, "phone": "217-555-0134", **NEW}
    assert score_pair(debtor, record).band == "high"  # the phone too: him
    common = score_pair(*moved("John", "Smith"))
    assert score_pair(*moved("John", "Smith", dob=BORN)).score > common.score  # never lower


@pytest.mark.parametrize(
    ("debtor", "record", "below"),
    [("J Smith", "John Smith", 0.5), ("John A Smith", "John B Smith", 0.5),
     ("John Smyth", "John Smith", 0.7), ("Smith, John", "John Smith", 0.7)],
)  # fmt: skip
def test_an_initial_a_middle_name_or_a_misprint_on_a_common_name_and_its_date_is_not_high(
    debtor: str, record: str, below: float
) -> None:
    """A misprint or an initial counts the commoner spelling ("J Smith" born that day is one of
    about 7; it scored 0.999, high); a middle name that differs says two people."""
    scored = score_pair({"full_name": debtor, "dob": BORN}, {"full_name": record, "dob": BORN})
    assert scored.score < below, scored
    rare = score_pair({"full_name": "Z Quackenbush", "dob": BORN},
                      {"full_name": "Zebulon Quackenbush", "dob": BORN})  # fmt: skip
    assert rare.band != "low"


@pytest.mark.parametrize(
    ("debtor", "record"),
    [("Michael Quackenbush", "Michael Quakenbush"), ("Jennifer Kowalczyk", "Jennifer Kowalczik")],
)
def test_a_misprinted_rare_surname_with_its_date_stays_high(debtor: str, record: str) -> None:
    """The debtor's own record with one letter off: the misprint, which the tables cannot
    count, is not read as another name (it fell to 0.014 when only exact parts counted)."""
    scored = score_pair({"full_name": debtor, "dob": BORN}, {"full_name": record, "dob": BORN})
    assert scored.band == "high", scored


@pytest.mark.parametrize(
    ("name", "written", "most"),
    [("Jesus Hernandez", "1980", 0.5), ("John Smith", "05/1980", 0.1)],
)
def test_a_birth_year_or_month_alone_counts_that_year_or_month(
    name: str, written: str, most: float
) -> None:
    """Voter files often give the year only: "1980" is one 60th of adults, not one day's."""
    scored = score_pair({"full_name": name, "dob": written}, {"full_name": name, "dob": written})
    assert scored.score <= most, scored


@pytest.mark.parametrize(("first", "last"), [("Minh", "Nguyen"), ("Wei", "Zhang")])
def test_a_name_the_tables_cannot_count_is_medium_at_most_with_its_date(
    first: str, last: str
) -> None:
    debtor = {"first_name": first, "last_name": last, "dob": BORN}
    scored = score_pair(debtor, {"full_name": f"{first} {last}", "dob": BORN})
    assert scored.band == "medium", scored  # was 0.99994, high
    assert scored.words.endswith("a first name or surname the US tables cannot count")


def test_weak_agreements_add_nothing_to_a_name_and_date_and_a_differing_phone_counts() -> None:
    """An employer one word off (Omaha against Ohio), a unit line alone, a town: none of them
    identifies, so a common name and its date stay where the two alone put them."""
    alone = score_pair({"full_name": "John Smith", "dob": BORN},
                       {"full_name": "John Smith", "dob": BORN}).score  # fmt: skip
    for mine, theirs in [
        ({"employer": "First National Bank of Omaha"}, {"employer": "First National Bank of Ohio"}),
        ({"address2": "Apt 4"}, {"address2": "Apt 4"}),
        ({"city": "Houston", "state": "TX"}, {"city": "Houston", "state": "TX"}),
    ]:
        debtor = {"full_name": "John Smith", "dob": BORN, **mine}
        assert score_pair(debtor, {"full_name": "John Smith", "dob": BORN, **theirs}).score == alone
    debtor = {"full_name": "John Smith", "dob": BORN, "phone": "217-555-0134"}
    other = score_pair(debtor, {**debtor, "phone": "503-555-0199"})
    assert other.score < alone  # fmt: skip


def test_the_words_name_what_agrees() -> None:
    married = score_pair({"full_name": "Mary Smith", "dob": BORN},
                         {"full_name": "Mary Jones", "dob": BORN})  # fmt: skip
    assert married.score < 0.5
    assert married.words.endswith("first name and date of birth only; about 96 people in the US "
                                  "are expected to share both")  # fmt: skip
    nameless = score_pair({"full_name": "", "dob": BORN}, {"full_name": "", "dob": BORN})
    assert "only" not in nameless.words
