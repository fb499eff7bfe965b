"""Typos in an address are the same address, another street is not (issue 12, recall on the
pairs that are not relations): a ZIP with two digits swapped is one typo, a street type glued
on or misspelt is a close street, a street printed on the second line is the street; a ZIP
beside another street is the neighbourhood, which a namesake in the same town shares."""

from __future__ import annotations

from skiptrace.matching import link_records, score_pair


def levels(debtor: dict[str, str], record: dict[str, str]) -> dict[str, str]:
    return {field: level for field, level, _ in score_pair(debtor, record).fields}


TOOTELL = {"first_name": "Oliver", "last_name": "Tootell", "address": "363 Shackleton Circuit",
           "city": "Cardiff", "state": "VIC", "zip": "3182"}  # fmt: skip
SMITH = {"first_name": "John", "last_name": "Smith", "address": "12 Oak Street",
         "city": "Chicago", "state": "IL", "zip": "60614"}  # fmt: skip


def test_a_zip_with_two_digits_swapped_is_one_typo() -> None:
    scored = score_pair(TOOTELL, {**TOOTELL, "zip": "3812"})
    assert levels(TOOTELL, {**TOOTELL, "zip": "3812"})["zip"] == "one_edit"
    assert "ZIP: two digits swapped (3182/3812)" in scored.words


def test_a_swapped_zip_at_the_same_house_corroborates_a_common_name() -> None:
    debtor = {**SMITH, "address": "49 Mcnamara Street"}
    scored = score_pair(debtor, {**debtor, "zip": "60641"})
    assert scored.score >= 0.5 and scored.namesakes is None


def test_another_house_on_the_street_is_not_the_debtors_home() -> None:
    """49 and 28 Mcnamara Street are two homes, with the ZIP exact or a typo: John Smith
    there is a namesake in the area (a neighbour, a relative next door), not corroborated."""
    debtor = {**SMITH, "address": "49 Mcnamara Street"}
    for zip_code in ("60614", "60641"):
        scored = score_pair(debtor, {**debtor, "address": "28 Mcnamara Street", "zip": zip_code})
        assert scored.score <= 0.45 and scored.namesakes is not None, zip_code


def test_a_street_type_glued_on_or_misspelt_is_a_close_street() -> None:
    glued = {**TOOTELL, "address": "363 Shackletonicircuit", "zip": "9999"}
    assert levels(TOOTELL, glued)["street"] == "close"
    assert score_pair(TOOTELL, glued).score >= 0.5
    clarke = {"first_name": "Judah", "last_name": "Clarke", "address": "27 Duncan Street",
              "city": "Aspley", "state": "NSW", "zip": "4670"}  # fmt: skip
    misspelt = {**clarke, "address": "27 Duncan Dtreet", "zip": "2455"}
    assert levels(clarke, misspelt)["street"] == "close"
    assert score_pair(clarke, misspelt).score >= 0.5


def test_a_street_printed_on_the_second_line_is_the_street() -> None:
    debtor = {**TOOTELL, "address": "3 Dryandra Street", "address2": "Ferndale"}
    record = {**TOOTELL, "address": "3 Ferndale", "address2": "Dryandra Street", "zip": "9999"}
    assert levels(debtor, record)["street"] != "else"
    assert score_pair(debtor, record).score >= 0.5


def test_a_line_that_is_only_a_house_number_says_nothing_of_the_street() -> None:
    assert levels(TOOTELL, {**TOOTELL, "address": "363"})["street"] == "null"


def test_a_namesake_in_the_same_town_on_another_street_stays_a_namesake() -> None:
    for zip_code in ("60614", "60641", "60629"):  # the same ZIP, two digits swapped, another
        for address in ("12 Elm Avenue", "5 Elm Avenue"):
            scored = score_pair(SMITH, {**SMITH, "address": address, "zip": zip_code})
            assert scored.score < 0.5 and scored.band == "low", (address, zip_code)
            assert scored.namesakes is not None


def test_a_zip_beside_another_street_counts_with_the_building() -> None:
    debtor = {**SMITH, "address": "19 Hodgson Crescent", "address2": "The Blackhut"}
    record = {**debtor, "address": "19 Charteris Crescent"}
    assert score_pair(debtor, record).score >= 0.5


def test_a_line_run_into_the_town_is_not_another_street() -> None:
    debtor = {"first_name": "Jennifer", "last_name": "Vosburgh", "address": "42 Spring Pl",
              "city": "Nashville", "state": "TN", "zip": "37242"}  # fmt: skip
    record = {"full_name": "JENNIFER VOSBURGH",
              "address": "42 SPRING PL NASHVILLE, TENNESSEE 37242"}  # fmt: skip
    assert score_pair(debtor, record).score >= 0.5


def test_a_spouse_at_the_same_address_with_a_swapped_zip_stays_unlinked() -> None:
    debtor = {"first_name": "Elizabeth", "last_name": "Hayes", "address": "45 Keartland Street",
              "city": "Northbridge", "state": "VIC", "zip": "3043"}  # fmt: skip
    spouses = [
        {**debtor, "first_name": "Dan", "zip": "3034"},
        {**debtor, "first_name": "Dan", "address": "45 Keartlandstreet", "zip": "3034"},
    ]
    for spouse in spouses:
        scored = score_pair(debtor, spouse)
        assert scored.score < 0.5 and scored.relation == "first_name_differs"
    assert link_records([debtor], spouses) == []


def test_a_short_street_name_is_not_the_start_of_a_longer_one() -> None:
    debtor = {**SMITH, "address": "12 Oak"}
    assert score_pair(debtor, {**debtor, "address": "12 Oakland Avenue"}).score < 0.5
