"""A hostile review of mixed files: a relative's or a business's record taken for the debtor.

- A register printing surname, generation, given name ("SMITH JR JOHN") lost the generation
  (read as a middle name): the son's record was the plain "John Smith" at his home, 1.000
  ``high``, where "John Smith Jr" scores 0.4.
- A legal form after a comma ("John Smith, LLC", "SMITH, JOHN, INC.") was dropped as if a
  credential: the firm was the debtor at his home, 1.000 ``high``, where "John Smith LLC"
  scores 0.9 (its surname differs).
- A pair held to ``medium`` in the debtor's household (a first name given short or not at
  all, a record styled "Mrs." by a husband's name) said nothing of why: "first name: similar
  (Chris/Christine); last name: exact; street: exact" read as the debtor misspelt.
- A surname that is another listed one plus letters was a misprint of the debtor's: "JOHN
  SMITHERS" at John Smith's home was he, 1.000 ``high`` ("last name: close"), and so were
  Robertson for Roberts and Johnson for Johns."""

from __future__ import annotations

import pytest

from skiptrace.matching import link_records, score_pair
from skiptrace.normalize import parse_name

HOME = {"address": "12 Oak St", "city": "Springfield", "state": "IL", "zip": "62704"}


@pytest.mark.parametrize(("text", "suffix"), [
    ("SMITH JR JOHN", "jr"), ("smith jr john", "jr"), ("SMITH III JOHN", "iii"),
    ("John Jr Smith", "jr"),
])  # fmt: skip
def test_a_generation_between_the_names_is_a_suffix(text: str, suffix: str) -> None:
    parsed = parse_name(text)
    assert (parsed.middle, parsed.suffix) == ("", suffix)
    assert parse_name(parsed.full()) == parsed


@pytest.mark.parametrize("record", ["SMITH JR JOHN", "SMITH SR JOHN", "SMITH III JOHN"])
def test_a_generation_printed_before_the_given_name_is_not_the_plain_debtor(record: str) -> None:
    scored = score_pair({"full_name": "John Smith", **HOME}, {"full_name": record, **HOME})
    assert scored.score <= 0.4 and scored.relation == "suffix_one_side_at_home", scored


def test_a_generation_printed_before_the_given_name_is_told_apart_and_agrees() -> None:
    son = {"full_name": "SMITH JR JOHN", **HOME}
    father = score_pair({"full_name": "John Smith Sr", **HOME}, son)
    assert father.relation == "other_generation" and father.band == "low", father
    assert score_pair({"full_name": "John Smith Jr", **HOME}, son).band == "high"


@pytest.mark.parametrize("firm", ["John Smith, LLC", "John Smith, L.L.C.", "John Smith, Inc.",
                                  "SMITH, JOHN, CORP.", "John Smith, Ltd"])  # fmt: skip
def test_a_firm_named_after_the_debtor_is_not_the_debtor(firm: str) -> None:
    scored = score_pair({"full_name": "John Smith", **HOME}, {"full_name": firm, **HOME})
    unpunctuated = score_pair({"full_name": "John Smith", **HOME},
                              {"full_name": "John Smith LLC", **HOME})  # fmt: skip
    assert scored.band != "high" and scored.score <= unpunctuated.score, scored


@pytest.mark.parametrize(("text", "read"), [("John Smith, PA", "john smith"),
                                            ("John Smith, MD", "john smith"),
                                            ("Smith, P.C.", "p c smith"),
                                            ("SMITH, JOHN, LLC", "john smith llc")])  # fmt: skip
def test_a_credential_or_initials_after_a_comma_are_still_a_persons(text: str, read: str) -> None:
    assert parse_name(text).full() == read


@pytest.mark.parametrize(("record", "said"), [
    ("Christine Lee", "first name given short or not at all in the debtor's household"),
    ("C. Lee", "first name given short or not at all in the debtor's household"),
    ("Lee", "first name given short or not at all in the debtor's household"),
    ("Mrs. Chris Lee", "styled by a husband's name (Mrs.): perhaps his wife"),
])  # fmt: skip
def test_the_words_say_why_a_household_pair_is_medium(record: str, said: str) -> None:
    scored = score_pair({"full_name": "Chris Lee", **HOME}, {"full_name": record, **HOME})
    assert scored.band == "medium" and said in scored.words, scored


def test_no_household_reason_where_none_holds_a_pair() -> None:
    dated = {"full_name": "Chris Lee", "dob": "1980-05-01", **HOME}
    for record in ({**dated, "full_name": "Christopher Lee"}, {**dated, "address": "9 Elm St"}):
        scored = score_pair(dated, record)
        assert "household" not in scored.words and "styled" not in scored.words, scored
    [found] = link_records([dated], [{**dated, "full_name": "C. Lee", "dob": ""}])
    assert found.band == "medium" and "household" not in found.matched_on


@pytest.mark.parametrize(("debtor", "record"), [
    ({"full_name": "Robert John Smith"}, {"full_name": "SMITH JOHN ROBERT"}),
    ({"full_name": "SMITH JOHN ROBERT"}, {"full_name": "Robert John Smith"}),
    ({"full_name": "Robert J Smith"}, {"full_name": "SMITH JOHN ROBERT"}),
])  # fmt: skip
def test_a_name_printed_surname_first_is_not_read_given_name_last(
    debtor: dict[str, str], record: dict[str, str]
) -> None:
    """A register's "SMITH JOHN ROBERT" is John Robert Smith printed surname first. Read
    crosswise with its middle name kept in the middle, it was Robert Smith, middle name John
    (surname, middle name, given name: an order no register prints), and so his father Robert
    John Smith at their home: 1.000 ``high``, "written last-first"."""
    scored = score_pair({**debtor, **HOME}, {**record, **HOME})
    assert scored.score < 0.5 and "last-first" not in scored.words, scored


ELSEWHERE = {"address": "80 Elm Ave", "city": "Springfield", "state": "IL", "zip": "62704"}


@pytest.mark.parametrize(("mine", "theirs"), [
    ("Maria De La Cruz", "Maria De La Rosa"), ("Anna Van Buren", "Anna Van Dyke"),
    ("Ali Al-Hassan", "Ali Al-Rashid"), ("Ana Dos Santos", "Ana Dos Reis"),
    ("Mary Smith-Jones", "Mary Smith-Brown"),
])  # fmt: skip
def test_surnames_alike_only_by_a_shared_first_word_differ(mine: str, theirs: str) -> None:
    """Jaro-Winkler rewards a shared start: "De La Cruz" and "De La Rosa" were "similar", a
    misprint of one surname, so Maria De La Rosa born the debtor's day on another street of
    her ZIP was Maria De La Cruz (1.000, ``high``), and at her home a sister-in-law was too.
    Past the words both begin with, Cruz and Rosa are two names: a surname that differs
    (a married name, perhaps: ``medium`` at most); a misprint there is still one ("De La
    Cruz" against "De La Crzu")."""
    dob = {"dob": "1980-05-01"}
    other = score_pair(
        {"full_name": mine, **HOME, **dob}, {"full_name": theirs, **ELSEWHERE, **dob}
    )
    assert other.band != "high" and "last name: differs" in other.words, other
    at_home = score_pair({"full_name": mine, **HOME}, {"full_name": theirs, **HOME})
    assert at_home.band != "high" and "last name: differs" in at_home.words, at_home


@pytest.mark.parametrize(("mine", "theirs"), [
    ("John Smith", "JOHN SMITHERS"), ("John Smithers", "JOHN SMITH"),
    ("John Roberts", "JOHN ROBERTSON"), ("John Johns", "JOHN JOHNSON"),
    ("Maria Martin", "MARTINEZ, MARIA"), ("Mary Smith", "SMITHERS, MARY"),
])  # fmt: skip
def test_a_surname_that_is_another_listed_one_differs(mine: str, theirs: str) -> None:
    """Smith and Smithers, Roberts and Robertson are two families' names, not one misprinted:
    at the debtor's home "JOHN SMITHERS" was John Smith, 1.000 ``high`` ("last name: close").
    A surname differs there, as Smith against Jones does: ``medium`` at most."""
    scored = score_pair({"full_name": mine, **HOME}, {"full_name": theirs, **HOME})
    assert scored.band != "high" and "last name: differs" in scored.words, scored


@pytest.mark.parametrize(("mine", "theirs"), [
    ("John Smith", "JOHN SMYTH"), ("John Smith", "JOHN SMIHT"), ("John Clark", "JOHN CLARKE"),
    ("John Anne", "JOHN ANN"), ("John Mcdonald", "JOHN MACDONALD"),
    ("John Thompson", "JOHN THOMSON"), ("John Smith", "JOHN SMITHE"),
])  # fmt: skip
def test_a_surname_one_slip_from_the_debtors_still_agrees(mine: str, theirs: str) -> None:
    """A letter changed, swapped or added (Smyth, Smiht, Clarke, Anne, Mac) is still read as
    a misprint or a variant spelling of the debtor's surname."""
    scored = score_pair({"full_name": mine, **HOME}, {"full_name": theirs, **HOME})
    assert scored.band == "high" and "last name: differs" not in scored.words, scored
    misprint = theirs.split()[0] + " " + mine.split(maxsplit=1)[1][:-2] + mine[-1] + mine[-2]
    assert score_pair({"full_name": mine, **HOME}, {"full_name": misprint, **HOME}).band == "high"


SON, FATHER, PRINTED = "John Robert Smith", "Robert John Smith", "SMITH JOHN ROBERT"


@pytest.mark.parametrize(("debtor", "record"), [
    (SON, PRINTED), (PRINTED, SON), ("John R Smith", PRINTED), (SON, "SMITH JOHN R"),
])  # fmt: skip
def test_a_name_printed_surname_first_is_read_surname_given_name_middle_name(
    debtor: str, record: str
) -> None:
    """A register's "SMITH JOHN ROBERT" (surname, given name, middle name, no comma) is John
    Robert Smith: it scored 0.000 against him at his home, its parts read in their places."""
    scored = score_pair({"full_name": debtor, **HOME}, {"full_name": record, **HOME})
    assert scored.band == "high" and scored.words.startswith("name: exact, written last-first")
    [found] = link_records([{"full_name": debtor, **HOME}], [{"full_name": record, **HOME}])
    assert found.band == "high" and "(transposed)" in found.matched_on


@pytest.mark.parametrize("record", [PRINTED, "SMITH ROBERT JOHN"])
def test_a_name_printed_surname_first_is_not_the_other_generation(record: str) -> None:
    """Read surname first, "SMITH JOHN ROBERT" is still not his father Robert John Smith, nor
    the father's "SMITH ROBERT JOHN" the son: another first and middle name, a relative."""
    for debtor in (FATHER, SON):
        scored = score_pair({"full_name": debtor, **HOME}, {"full_name": record, **HOME})
        if parse_name(record).middle == parse_name(debtor).first:
            continue  # the person's own
        assert scored.score < 0.5 and scored.relation in ("first_name_differs",
                                                          "other_generation"), scored  # fmt: skip


@pytest.mark.parametrize(("record", "words"), [
    ("SMITH, JOHN ROBERT", "name: exact; middle name: exact"),
    ("SMITH JOHN", "name: exact, written last-first; street"),
])  # fmt: skip
def test_a_comma_or_two_names_read_as_before(record: str, words: str) -> None:
    scored = score_pair({"full_name": SON, **HOME}, {"full_name": record, **HOME})
    assert scored.band == "high" and scored.words.startswith(words), scored


@pytest.mark.parametrize("dob", ["", "1980-05-01"])
def test_a_debtor_printed_surname_first_is_counted_by_the_name_read(dob: str) -> None:
    """The debtor's "SMITH ZBIGNIEW ROBERT" is counted as the name read, Zbigniew Smith (a
    given name the tables cannot count), as the record's is the other way round: counted as
    its columns hold it, Robert Smith, it was a name the tables count, rare: 0.9 ``medium``
    on the name and town alone (1.000 ``high`` with a birth date) where Zbigniew Robert
    Smith against "SMITH ZBIGNIEW ROBERT" is 0.45 (0.9)."""
    town = {"city": "Springfield", "state": "IL", "dob": dob}
    printed, natural = {"full_name": "SMITH ZBIGNIEW ROBERT", **town}, {
        "full_name": "Zbigniew Robert Smith", **town}  # fmt: skip
    ours, theirs = score_pair(printed, natural), score_pair(natural, printed)
    assert "written last-first" in ours.words, ours
    assert (ours.score, ours.band) == (theirs.score, theirs.band), (ours, theirs)


@pytest.mark.parametrize(("name", "printed"), [
    ("Bob Lee Smith", "SMITH ROBERT LEE"), ("J Robert Smith", PRINTED),
])  # fmt: skip
def test_a_name_printed_surname_first_reads_alike_on_either_side(name: str, printed: str) -> None:
    """Debtor or record, the one printed surname first is read by its given name and surname:
    as the debtor, "SMITH JOHN ROBERT" was read by its surname and middle name, and so J Robert
    Smith's (0.940 ``medium``, 0.000 the other way round), and "SMITH ROBERT LEE" Bob Lee
    Smith's with no nickname said (1.000 ``high``, 0.940 the other way round)."""
    first = score_pair({"full_name": name, **HOME}, {"full_name": printed, **HOME})
    second = score_pair({"full_name": printed, **HOME}, {"full_name": name, **HOME})
    assert (first.score, first.band) == (second.score, second.band), (first, second)


def test_a_name_printed_surname_first_is_a_candidate_away_from_home() -> None:
    """No blocking rule paired "SMITH JOHN ROBERT" with John Robert Smith (its surname in its
    first name column, his given name in its middle one) away from his home: with the birth
    date agreeing it was no link at all, where "SMITH, JOHN ROBERT" is 0.99 ``high``."""
    debtor = {"full_name": SON, "dob": "1980-05-01", **HOME}
    moved = {"full_name": PRINTED, "dob": "1980-05-01", "address": "9 Elm Ave",
             "city": "Peoria", "state": "IL", "zip": "61602"}  # fmt: skip
    for left, right in ((debtor, moved), (moved, debtor)):
        [found] = link_records([left], [right])
        assert found.band == "high" and "(transposed)" in found.matched_on, found


@pytest.mark.parametrize(
    ("debtor", "record"), [("Robert Smith", PRINTED), (PRINTED, "Robert Smith")]
)
def test_a_name_printed_surname_first_is_not_the_father_swapped(debtor: str, record: str) -> None:
    """A register's "SMITH JOHN ROBERT" against Robert Smith, who gives no middle name: its
    first and last names swapped, it read as given name Smith, surname Robert, and so his son
    John Robert Smith was Robert Smith at their home (1.000 ``high``). Smith is a surname (a
    given name to a thousandth as many as John): the record is printed surname first."""
    scored = score_pair({"full_name": debtor, **HOME}, {"full_name": record, **HOME})
    assert scored.score < 0.5 and "last-first" not in scored.words, scored


def test_a_name_printed_surname_first_is_read_so_against_no_middle_name() -> None:
    """A register's "SMITH JOHN ROBERT" is John Smith, who gives no middle name: read in its
    columns' places it scored 0.000 against him at his home."""
    scored = score_pair({"full_name": "John Smith", **HOME}, {"full_name": PRINTED, **HOME})
    assert scored.band == "high" and scored.words.startswith("name: exact, written last-first")


def test_a_given_name_the_tables_undercount_keeps_the_swap() -> None:
    """Wei is counted a surname 26 times as often as a given name, short of the 100 times
    that reads a record surname first: "LI WEI" is still Wei John Li written last-first."""
    scored = score_pair({"full_name": "Wei John Li", **HOME}, {"full_name": "LI WEI", **HOME})
    assert scored.band == "high" and scored.words.startswith("name: exact, written last-first")


@pytest.mark.parametrize(("debtor", "record"), [
    ("Robert Lee", "LEE JOHN ROBERT"), ("LEE JOHN ROBERT", "Robert Lee"),
    ("Robert Lee", "LEE J ROBERT"),
])  # fmt: skip
def test_a_surname_also_a_given_name_printed_first_is_not_the_father_swapped(
    debtor: str, record: str
) -> None:
    """Lee is a given name to 230,000 people, a surname to three times as many: a register's
    "LEE JOHN ROBERT" was not read surname first by its first name alone, so was swapped,
    given name Lee, surname Robert: Robert Lee's son at their home, 1.000 ``high``. Robert,
    a given name 320 times as often as a surname, makes the name as printed 975 times less
    likely than read surname first."""
    scored = score_pair({"full_name": debtor, **HOME}, {"full_name": record, **HOME})
    assert scored.score < 0.5 and "last-first" not in scored.words, scored


@pytest.mark.parametrize(("debtor", "record"), [
    ("James Lee", "LEE JOHN JAMES"), ("LEE JOHN JAMES", "James Lee"),
    ("James Lee", "LEE J JAMES"),
])  # fmt: skip
def test_a_name_likelier_as_printed_does_not_read_a_surname_first_one_swapped(
    debtor: str, record: str
) -> None:
    """ "LEE JOHN JAMES" is read surname first only 52 times as likely as printed (James is a
    surname too), short of 100, so was swapped: John James Lee, James Lee's son, was James Lee
    at their home, 1.000 ``high``, where "John James Lee" scores 0.020. Swapped, it is James
    Lee's only where his own name is printed surname first, given name Lee, surname James, 52
    times less likely than as printed (or it is printed surname, middle name, given name)."""
    scored = score_pair({"full_name": debtor, **HOME}, {"full_name": record, **HOME})
    assert scored.score < 0.5 and "last-first" not in scored.words, scored


@pytest.mark.parametrize(("debtor", "record"), [
    ("Lan Tran", "TRAN THI LAN"), ("TRAN THI LAN", "Lan Tran"), ("Hoa Nguyen", "NGUYEN THI HOA"),
])  # fmt: skip
def test_a_name_printed_in_vietnamese_order_is_read_so(debtor: str, record: str) -> None:
    """ "TRAN THI LAN" read surname, given name, middle name (the tables: 127 times likelier
    than as printed) was given name Thi, 0.000 against Lan Tran at her home; Thi, a woman's
    middle name, marks the order surname, middle name, given name."""
    scored = score_pair({"full_name": debtor, **HOME}, {"full_name": record, **HOME})
    assert scored.band == "high" and scored.words.startswith("name: exact, written last-first")
    other = score_pair({"full_name": "Mai Tran", **HOME}, {"full_name": "TRAN THI LAN", **HOME})
    assert other.score < 0.5, other


@pytest.mark.parametrize(("debtor", "record"), [
    ("John Robert Lee", "LEE JOHN"), ("John Lee", "LEE JOHN ROBERT"),
    ("Mary Ruth Lee", "LEE MARY"), ("John James Lee", "LEE JOHN JAMES"),
    ("LI WEI", "Wei John Li"),
])  # fmt: skip
def test_a_surname_also_a_given_name_is_still_read_last_first(debtor: str, record: str) -> None:
    """The debtor's own records, Lee printed first, still read so. (Mary Ann Lee against "LEE
    MARY" is read so too, but held to ``medium`` at her home: Mary Ann may be a given name of
    its own, test_precision_third_review.)"""
    scored = score_pair({"full_name": debtor, **HOME}, {"full_name": record, **HOME})
    assert scored.band == "high" and scored.words.startswith("name: exact, written last-first")


@pytest.mark.parametrize(("debtor", "record"), [
    ("SMITH CHRIS", "SMITH CHRISTOPHER"), ("SMITH DAN", "SMITH DANIEL"),
    ("SMITH TOM", "SMITH THOMAS"), ("SMITH DON", "SMITH DONALD"),
])  # fmt: skip
def test_given_names_printed_after_the_surname_are_not_two_surnames(
    debtor: str, record: str
) -> None:
    """Both printed surname first, the last name columns hold the given names: "SMITH CHRIS"
    against "SMITH CHRISTOPHER" at one home had been "last name: differs (Chris/Christopher)"
    and "the given names differ", brothers, 0.026 ``low``, as two listed surnames."""
    scored = score_pair({"full_name": debtor, **HOME}, {"full_name": record, **HOME})
    assert scored.band != "low" and "differs" not in scored.words, scored
