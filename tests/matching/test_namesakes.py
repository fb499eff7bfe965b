"""Namesakes against a debtor who moved (issue 12, item 2), through ``score_pair``: with nothing
but the name agreeing, the score follows how rare the full name is, corroboration adds to it,
and a namesake is never ``high``."""

from __future__ import annotations

import pytest

from skiptrace.matching import score_pair
from skiptrace.matching.model import NAME_ONLY_CEILING
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
    assert "missing from the US tables" in scored.words


@pytest.mark.parametrize(
    "corroboration",
    [{"phone": "(503) 555-0199"}, {"dob": "1971-04-05"}, {"email": "j.smith@example.org"},
     {"employer": "Acme Plumbing"}],
)  # fmt: skip
def test_a_corroborating_field_lifts_a_common_name(corroboration: dict[str, str]) -> None:
    alone = score_pair(*moved("John", "Smith"))
    backed = score_pair(*moved("John", "Smith", **corroboration))
    assert backed.score > alone.score
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
