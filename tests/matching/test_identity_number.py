"""Identity numbers (SSN, national insurance number...) in ``link``: one person's own number is
what tells a corrupted copy from a relative. Twins, spouses and a father and son each have
their own; a number typed into the wrong person's record disagrees with that person's birth
date; a placeholder or masked number, or one that two records on one side share, identifies
no one."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skiptrace.cli import app
from skiptrace.matching import link, link_records, score_pair
from skiptrace.matching.prepare import prepare
from skiptrace.tables.columns import find_columns
from skiptrace.testing.outputs import rows as output_rows

Files = Callable[..., tuple[list[dict[str, str]], list[dict[str, str]]]]
"""The ``identity_files`` fixture (tests/matching/conftest.py)."""
NUMBER = {"id_number": "501-23-4567"}
HOME = {"address": "12 Oak St", "city": "Springfield", "state": "IL", "zip": "62704"}
FIRSTS = ("James", "Mary", "Kevin", "Brian", "Nancy", "Betty")


def test_the_same_number_and_birth_date_make_a_differing_first_name_a_corrupted_copy(
    identity_files: Files,
) -> None:
    debtors, register = identity_files(200, 1, other_id=False)
    found = {(x.left, x.right): x for x in link_records(debtors, register)}
    assert set(found) == {(i, i) for i in range(200)}
    assert all(x.relation == "" for x in found.values())


def test_twins_with_their_own_numbers_are_never_linked(identity_files: Files) -> None:
    """Same surname, home and birth date, another real first name and a number one digit off
    (twins' numbers are often issued in sequence): relatives, not typos."""
    debtors, register = identity_files(200, 2, other_id=True)
    found = {(x.left, x.right) for x in link_records(debtors, register)}
    assert found == {(i, i) for i in range(0, 200, 2)}


def test_the_debtors_number_in_a_relatives_record_with_another_birth_date_is_not_the_debtor(
    identity_files: Files,
) -> None:
    debtors, register = identity_files(200, 3, other_id=False, dob_of_other=True)
    found = {(x.left, x.right) for x in link_records(debtors, register)}
    assert found == {(i, i) for i in range(0, 200, 2)}


def test_without_numbers_two_real_first_names_stay_two_people(identity_files: Files) -> None:
    debtors, register = identity_files(200, 4, other_id=False)
    for record in (*debtors, *register):
        del record["id_number"]
    found = {(x.left, x.right) for x in link_records(debtors, register)}
    assert found == {(i, i) for i in range(0, 200, 2)}


@pytest.mark.parametrize(
    "placeholder",
    ["000-00-0000", "999999999", "123-45-6789", "XXX-XX-6789", "***-**-6789", "N/A", "unknown",
     "0", "12"],
)  # fmt: skip
def test_a_placeholder_or_masked_number_is_no_number(placeholder: str) -> None:
    assert prepare([{"last_name": "Roe", "id_number": placeholder}])["id_number"][0] == ""
    debtor = {"first_name": "Mary", "last_name": "Baker", **HOME, "id_number": placeholder}
    spouse = {**debtor, "first_name": "James"}
    assert score_pair(debtor, spouse).score < 0.5


def test_numbers_are_compared_as_their_letters_and_digits() -> None:
    column = prepare([{"id_number": "123-45-6780"}, {"id_number": " 123 45 6780 "},
                      {"id_number": "qq 12 34 56 c"}])["id_number"]  # fmt: skip
    assert column.tolist() == ["123456780", "123456780", "QQ123456C"]


def test_a_number_two_records_on_one_side_share_identifies_neither(identity_files: Files) -> None:
    """A file whose export filled one number into many rows (a default, a household's
    account holder): that number links no one across a differing first name."""
    debtors, register = identity_files(200, 5, other_id=False)
    for record in register:
        record["id_number"] = "501234567"
    found = {(x.left, x.right) for x in link_records(debtors, register)}
    assert found == {(i, i) for i in range(0, 200, 2)}
    debtors, register = identity_files(200, 6, other_id=False)
    debtors[1]["id_number"] = debtors[3]["id_number"]  # one duplicate, on the left side
    found = {(x.left, x.right) for x in link_records(debtors, register)}
    assert (1, 1) not in found and (3, 3) not in found and (5, 5) in found


def test_father_and_son_sharing_a_number_stay_two_generations() -> None:
    """Jr against Sr with one number (the classic mixed credit file): the suffix decides."""
    father = {"first_name": "John", "last_name": "Baker", "suffix": "Sr", **HOME,
              "id_number": "501234567"}  # fmt: skip
    son = {**father, "suffix": "Jr"}
    pair = score_pair(son, father)
    assert pair.relation == "other_generation" and pair.score < 0.5


def test_the_number_is_blocked_on_and_never_shown() -> None:
    """A debtor whose record holds another surname and address (a married name and a move):
    no name or address rule puts the two in one block, the number does; and the number
    appears in no output."""
    debtor = {"first_name": "Mary", "last_name": "Baker", **HOME, "dob": "1980-01-02",
              "id_number": "501-23-4567"}  # fmt: skip
    moved = {"first_name": "Mary", "last_name": "Quist", "address": "9 Pine Rd",
             "city": "Peoria", "state": "IL", "zip": "61602", "dob": "1980-01-02",
             "id_number": "501234567"}  # fmt: skip
    others = [{"first_name": f, "last_name": "Evans", "address": f"{i} Elm St",
               "city": "Peoria", "state": "IL", "zip": "61602"}
              for i, f in enumerate(FIRSTS)]  # fmt: skip
    found = link([debtor], [*others, moved], threshold=0.0, all_pairs=True)
    assert (0, len(others)) in {(x.left, x.right) for x in found.links}
    without = link([{**debtor, "id_number": ""}], [*others, moved], threshold=0.0, all_pairs=True)
    assert (0, len(others)) not in {(x.left, x.right) for x in without.links}
    text = repr(found.links)
    assert "4567" not in text and "id_number=" in text


def test_link_reads_an_ssn_column_and_never_writes_it(
    identity_files: Files, tmp_path: Path
) -> None:
    """``link`` finds "SSN" and "Debtor Social Security Number" as the identity number, says
    so on stderr, links the copies by it and writes no digit of it; ``enrich`` never takes
    such a column (it is no research field)."""
    debtors, register = identity_files(60, 8, other_id=False)
    paths = []
    for name, rows, column in (("debtors", debtors, "Debtor Social Security Number"),
                               ("register", register, "SSN")):  # fmt: skip
        path = tmp_path / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["First", "Last", "Address", "City", "State", "Zip", "DOB", column])
            for r in rows:
                writer.writerow([r["first_name"], r["last_name"], r["address"], r["city"],
                                 r["state"], r["zip"], r["dob"], r["id_number"]])  # fmt: skip
        paths.append(path)
    out = tmp_path / "links.csv"
    result = CliRunner().invoke(app, ["link", *map(str, paths), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "id_number=Debtor Social Security Number" in result.output
    assert "id_number=SSN" in result.output
    rows = output_rows(out)
    assert {(r["left_id"], r["right_id"]) for r in rows} == {(str(n), str(n)) for n in range(1, 61)}
    written = out.read_text(encoding="utf-8")
    numbers = [r["id_number"] for r in debtors]
    assert not any(n in written or n.replace("-", "") in written for n in numbers)
    assert "id_number" not in find_columns(["Last", "SSN"])


def test_the_number_outvotes_a_differing_birth_date_to_medium_never_a_middle_name() -> None:
    """Names that agree at one address with birth dates that disagree: without a number a
    father and son who print no suffix (not linked); with one number a misprinted date or a
    son filed under his father's number, which the number cannot tell apart: linked, never
    high. With the middle names disagreeing too, still two generations."""
    person = {"first_name": "John", "last_name": "Baker", **HOME, "dob": "1961-07-08"}
    for other in ({**person, "dob": "1963-01-02"}, {**person, "dob": "1990-01-02"}):
        assert score_pair(person, other).relation == "other_generation"
        assert score_pair(person, other).score < 0.5
        copy = score_pair({**person, **NUMBER}, {**other, **NUMBER})
        assert copy.relation == "" and copy.band == "medium"
    father = {**person, **NUMBER, "middle_name": "Allen"}
    son = {**person, **NUMBER, "middle_name": "James", "dob": "1990-01-02"}
    assert score_pair(father, son).relation == "other_generation"
    assert score_pair(father, son).score < 0.5


def test_the_words_say_what_the_number_decided() -> None:
    person = {"first_name": "John", "last_name": "Baker", **HOME, "dob": "1961-07-08",
              "id_number": "501-23-4567"}  # fmt: skip
    renamed = score_pair(person, {**person, "first_name": "Kevin"}).words
    assert ("first name differs, same identity number and date of birth: a misprint, or twins "
            "filed under one number?") in renamed  # fmt: skip
    redated = score_pair(person, {**person, "dob": "1990-01-02"}).words
    assert ("date of birth differs, same identity number: a misprint, or a parent and child "
            "filed under one number?") in redated  # fmt: skip
    assert "identity number: exact" in redated and "4567" not in redated
    no_number = {k: v for k, v in person.items() if k != "id_number"}
    father = score_pair(no_number, {**no_number, "dob": "1963-01-02"}).words
    assert father.endswith("the date of birth differs at the same address: parent and child?")


@pytest.mark.parametrize(
    ("debtor", "record"),
    [  # from the two hostile reviews: each was linked, most of them high, by the number
        ({"first_name": "Mary"}, {"first_name": "James"}),  # a spouse, no birth dates
        ({"first_name": "Mary", "dob": "1970-01-02"}, {"first_name": "James"}),  # one side only
        ({"first_name": "Mary", "last_name": "Quist"}, {"first_name": "James"}),  # maiden name
        ({"first_name": "J", "middle_name": "Allen", "dob": "1980-03-12"},
         {"first_name": "John", "middle_name": "Bruce", "dob": "1980-03-12"}),  # middle names
        ({"first_name": "John", "dob": "1980-03-12"},
         {"first_name": "Mary", "dob": "1980-12-03"}),  # a close date is no agreement
    ],
)  # fmt: skip
def test_a_relative_holding_the_debtors_number_is_not_linked(
    debtor: dict[str, str], record: dict[str, str]
) -> None:
    base = {"last_name": "Baker", **HOME, **NUMBER}
    assert score_pair({**base, **debtor}, {**base, **record}).score < 0.5


def test_twins_sharing_a_birth_date_and_a_mistyped_number_are_never_high() -> None:
    """Another first name, the same birth date and number: a corrupted copy or twins, one
    of them filed under the other's number. Linked, for a collector to look at: medium."""
    base = {"last_name": "Baker", **HOME, **NUMBER, "dob": "1980-01-02"}
    pair = score_pair({**base, "first_name": "Mary"}, {**base, "first_name": "Linda"})
    assert 0.5 <= pair.score < 0.95 and pair.band == "medium"


@pytest.mark.parametrize(
    ("debtor", "record", "ceiling"),
    [  # a number one character off: a typo, or a twin's issued in sequence; no evidence
        ({"first_name": "John", "last_name": "Smith", **HOME},
         {"first_name": "John", "last_name": "Smith", "city": "Peoria", "zip": "61602"}, 0.5),
        ({"first_name": "J", "last_name": "Baker", **HOME},
         {"first_name": "Jane", "last_name": "Baker", "city": "Peoria", "zip": "61602"}, 0.5),
        ({"first_name": "Mary", "last_name": "Baker", **HOME, "dob": "1980-01-02"},
         {"first_name": "Mary", "last_name": "Quist", "city": "Peoria", "zip": "61602",
          "dob": "1980-01-02"}, 0.5),
    ],
)  # fmt: skip
def test_a_number_one_character_off_proves_nothing(
    debtor: dict[str, str], record: dict[str, str], ceiling: float
) -> None:
    without = score_pair(debtor, record).score
    close = score_pair({**debtor, **NUMBER}, {**record, "id_number": "501-23-4568"})
    assert close.score == pytest.approx(without) and close.score < ceiling
    assert "id_number" not in close.matched_on


@pytest.mark.parametrize(
    "value",
    ["5.01235E+08", "501-23-4567 / 502-11-2222", "501-23-4567 502-11-2222", "ssn: 501234567",
     '=HYPERLINK("x","501234567")', "unknown 1", "SEE FILE 2"],
)  # fmt: skip
def test_a_cell_that_is_not_one_number_is_no_number(value: str) -> None:
    assert prepare([{"id_number": value}])["id_number"][0] == ""


def test_a_number_read_as_a_spreadsheet_float_is_the_number() -> None:
    column = prepare([{"id_number": "501234567.0"}, {"id_number": 501234567.0}])["id_number"]
    assert column.tolist() == ["501234567", "501234567"]


@pytest.mark.parametrize("header", ["ID Number", "Customer ID Number", "Debtor ID Number", "ID"])
def test_a_record_id_is_never_taken_for_an_identity_number(header: str) -> None:
    assert "id_number" not in find_columns(["Last", header], link=True)


def test_link_refuses_to_write_identity_numbers_as_ids(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("SSN,Tax No,Last\n501-23-4567,501234567,Baker\n", encoding="utf-8")
    for args in (["--map", "id=SSN"], ["--map", "id_number=Tax No", "--map", "id=Tax No"]):
        result = CliRunner().invoke(app, ["link", str(path), str(path), *args])
        assert result.exit_code == 2, result.output
        assert "4567" not in result.output and "identity number" in result.output


def test_a_record_without_a_first_name_at_the_debtors_address_is_never_high() -> None:
    """ "BAKER" alone at the debtor's home may be the spouse (as an initial may); a record
    with no name at all says nothing of who it is: not linked (found by the hostile review)."""
    debtor = {"first_name": "Mary", "last_name": "Baker", **HOME}
    surname_only = score_pair(debtor, {"last_name": "Baker", **HOME})
    assert surname_only.band == "medium"
    assert score_pair(debtor, HOME).score < 0.5
    assert score_pair(debtor, {**HOME, **NUMBER}).score < 0.5


def test_numbers_that_differ_keep_a_namesake_out_of_high() -> None:
    debtor = {"first_name": "John", "last_name": "Smith", "dob": "1980-03-12", **NUMBER}
    other = {**debtor, "id_number": "401-23-9999"}
    assert score_pair(debtor, other).band != "high"
    assert score_pair({**debtor, "zip": "62701"}, {**other, "zip": "62701"}).band != "high"


@pytest.mark.parametrize(
    "value",
    ["X-X-6789", "X6789", "X-X-X-6789", "x 6789 x", "501 23 4567 401 23 4567",
     "501-23-4567-401-23-4567", "SSN 501234567", "121212121", "123123123"],
)  # fmt: skip
def test_single_masks_joined_numbers_labels_and_repeats_are_no_number(value: str) -> None:
    assert prepare([{"id_number": value}])["id_number"][0] == ""


def test_a_trailing_check_letter_is_part_of_the_number() -> None:
    assert prepare([{"id_number": "11010519491231002X"}])["id_number"][0] == "11010519491231002X"


def test_link_refuses_identity_numbers_in_an_id_column_whatever_its_header(
    tmp_path: Path,
) -> None:
    path = tmp_path / "people.csv"
    path.write_text("Customer ID,Debtor SSN,Last\n501-23-4567,501-23-4567,Baker\n",
                    encoding="utf-8")  # fmt: skip
    other = tmp_path / "other.csv"
    other.write_text("Customer ID,Last\n777-12-3456,Baker\n", encoding="utf-8")
    for left in (path, other):
        result = CliRunner().invoke(app, ["link", str(left), str(path)])
        assert result.exit_code == 2, result.output
        assert "4567" not in result.output and "3456" not in result.output
        assert "identity number" in result.output


@pytest.mark.parametrize("written", ["777 12 3456", "777.12.3456", "777\u201312\u20133456",
                                     " 777\u201012-3456 "])  # fmt: skip
def test_an_ssn_id_written_with_spaces_dots_or_dashes_is_refused_too(
    tmp_path: Path, written: str
) -> None:
    """Only hyphens had been seen: an SSN written with spaces, dots or an en dash (as a word
    processor writes a hyphen) went out as the id of every link."""
    path = tmp_path / "people.csv"
    path.write_text(f"Customer ID,Last\n{written},Baker\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["link", str(path), str(path)])
    assert result.exit_code == 2, result.output
    assert "3456" not in result.output and "identity number" in result.output


@pytest.mark.parametrize("written", ["777123456", "777-123456", "7771-23-456", "77 712 3456"])
def test_an_id_of_nine_digits_not_written_as_an_ssn_is_an_id(tmp_path: Path, written: str) -> None:
    path = tmp_path / "people.csv"
    path.write_text(f"Customer ID,Last\n{written},Baker\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["link", str(path), str(path)])
    assert result.exit_code == 0, result.output


def test_the_words_claim_an_outvote_only_where_one_decided() -> None:
    """Away from the debtor's address a differing birth date is no relative to outvote: the
    words say nothing of the number there."""
    person = {"first_name": "John", "last_name": "Baker", "dob": "1961-07-08", **NUMBER}
    elsewhere = {**person, "dob": "1990-01-02", "city": "Peoria", "zip": "61602"}
    words = score_pair({**person, **HOME}, elsewhere).words
    assert "identity number: exact" in words and "same identity number" not in words
