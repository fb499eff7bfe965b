"""A fourth review of the matcher: names printed surname first, and a given name of two words.

- Both records printed surname first with no comma ("SMITH CHRIS" against "SMITH
  CHRISTOPHER"): the surname in the first name columns, the given names in the last name
  columns, where the short form was never looked for: 1.000 ``high``, where the comma form
  and the given name printed first are held to ``medium`` in the household (a short form at
  home: the son, or the spouse Christine).
- "Mary Ann Q Smith" against "MARY Q SMITH" was 0.000 ``low`` (the middle names "Ann Q" and
  "Q" differ: another generation), against "MARY SMITH" 0.940 ``medium``: a middle initial
  that agrees lowered the score.
- The debtor printed surname first, the words paired a level with values it was not judged
  on: "first name: differs (Tran/Tran)"."""

from __future__ import annotations

import re

import pytest

from skiptrace.matching import Link, score_pair

HOME = {"address": "12 Oak St", "city": "Springfield", "state": "IL", "zip": "62704"}


def _scored(debtor: str, record: str) -> Link:
    return score_pair({"full_name": debtor, **HOME}, {"full_name": record, **HOME})


@pytest.mark.parametrize(("debtor", "record", "comma"), [
    ("SMITH CHRIS", "SMITH CHRISTOPHER", ("SMITH, CHRIS", "SMITH, CHRISTOPHER")),
    ("SMITH JO", "SMITH JOANNE", ("SMITH, JO", "SMITH, JOANNE")),
    ("SMITH CHRISTOPHER", "SMITH CHRIS", ("SMITH, CHRISTOPHER", "SMITH, CHRIS")),
    ("SMITH CHRIS", "SMITH CHRISTINE", ("SMITH, CHRIS", "SMITH, CHRISTINE")),
])  # fmt: skip
def test_a_short_form_printed_surname_first_on_both_sides_is_held(
    debtor: str, record: str, comma: tuple[str, str]
) -> None:
    """Held in the household as the comma form is: perhaps the son or the spouse."""
    scored, as_comma = _scored(debtor, record), _scored(*comma)
    assert as_comma.band == "medium" and as_comma.household, as_comma
    assert (scored.band, scored.household) == ("medium", True), scored
    assert scored.score == pytest.approx(as_comma.score), (scored, as_comma)
    # the words name the given names as given names, the surnames as surnames
    assert "last name: similar" not in scored.words, scored
    assert "printed surname first" in scored.words, scored
    a, b = (name.split(" ")[1].title() for name in (debtor, record))
    said = (f"first name: {word} ({a}/{b})" for word in ("nickname", "similar"))
    assert any(words in scored.words for words in said), scored
    assert "last name: exact" in scored.words, scored


@pytest.mark.parametrize(("debtor", "record"), [
    ("Nguyen Van Minh", "Nguyen Van Minh"), ("SMITH JOHN", "SMITH JOHN"),
    ("SMITH JOHN", "SMITH JON"), ("SMITH JOHN", "SMITH JANE"),
])  # fmt: skip
def test_other_names_printed_surname_first_on_both_sides_keep_their_scores(
    debtor: str, record: str
) -> None:
    """One person stays ``high``; two given names stay two people."""
    scored = _scored(debtor, record)
    if debtor == record:
        assert scored.band == "high" and not scored.household, scored
    else:
        assert scored.band == "low" and scored.relation == "first_name_differs", scored


@pytest.mark.parametrize(("debtor", "record", "without"), [
    ("Mary Ann Q Smith", "MARY Q SMITH", ("Mary Ann Q Smith", "MARY SMITH")),
    ("MARY Q SMITH", "Mary Ann Q Smith", ("MARY SMITH", "Mary Ann Q Smith")),
    ("Jo Ann B Byrne", "JO B BYRNE", ("Jo Ann B Byrne", "JO BYRNE")),
])  # fmt: skip
def test_a_middle_initial_that_agrees_never_lowers_the_score(
    debtor: str, record: str, without: tuple[str, str]
) -> None:
    """Mary Ann is a given name of its own (Maryann: 58,422 births): "Ann Q" is its later
    word and the middle initial Q, which the other record gives too, as "Mary-Ann Q" is."""
    scored, bare = _scored(debtor, record), _scored(*without)
    assert bare.band == "medium" and bare.household, bare
    assert scored.score >= bare.score, (scored, bare)
    assert scored.band == "medium" and scored.household, scored
    assert scored.relation == "", scored


@pytest.mark.parametrize(("debtor", "record"), [
    ("Mary Ann Q Smith", "MARY R SMITH"), ("Mary Elizabeth Q Smith", "MARY Q SMITH"),
])  # fmt: skip
def test_a_middle_name_that_differs_still_differs(debtor: str, record: str) -> None:
    """Q against R is another generation; Mary Elizabeth is no given name of its own
    (Maryelizabeth is rare), so "Elizabeth Q" against "Q" is a middle name that differs."""
    scored = _scored(debtor, record)
    assert scored.band == "low", scored


_PART = re.compile(r"(first name|last name|middle name): ([a-z ]+) \(([^/)]*)/([^)]*)\)")


@pytest.mark.parametrize(("debtor", "record"), [
    ("TRAN THI LAN", "Lam Thi Tran"), ("TRAN LAN", "Lam Thi Tran"), ("SMITH JOHN", "Jon Smith"),
    ("KOWALSKI DANIELLE", "Daniel Kowalski"), ("KOWALSKI DANIELLE", "Dan Kowalski"),
    ("SMITH JOHN A", "John B Smith"), ("SMITH JOHN ALLEN", "John B Smith"),
    ("KIM MIN JUN", "Min Seo Kim"), ("SMITH CHRIS", "Christopher Smith"),
    ("Lam Thi Tran", "TRAN THI LAN"), ("Jon Smith", "SMITH JOHN"),
    ("John B Smith", "SMITH JOHN A"), ("Min Seo Kim", "KIM MIN JUN"),
])  # fmt: skip
def test_the_words_pair_each_level_with_the_values_it_judged(debtor: str, record: str) -> None:
    """A name part said to differ shows two values that differ; one said exact or alike shows
    the surnames with the surnames, the given names with the given names."""
    scored = _scored(debtor, record)
    for _, level, a, b in _PART.findall(scored.words):
        assert not (level == "differs" and a == b), scored.words
    surname = next(word for word in debtor.replace(",", "").split()
                   if word.lower() in {"tran", "smith", "kowalski", "kim"})  # fmt: skip
    for label, _, a, b in _PART.findall(scored.words):
        if surname.title() in (a, b):
            assert label == "last name", scored.words


@pytest.mark.parametrize(("debtor", "record", "said"), [
    ("TRAN THI LAN", "Lam Thi Tran", "first name: differs (Lan/Lam)"),
    ("SMITH JOHN", "Jon Smith", "first name: differs (John/Jon)"),
    ("KOWALSKI DANIELLE", "Daniel Kowalski", "first name: differs (Danielle/Daniel)"),
    ("SMITH JOHN A", "John B Smith", "middle name: differs (A/B)"),
])  # fmt: skip
def test_the_debtor_printed_surname_first_is_said_given_name_first(
    debtor: str, record: str, said: str
) -> None:
    scored = _scored(debtor, record)
    assert said in scored.words, scored.words
    assert "last name: exact" in scored.words or "name: exact" in scored.words, scored.words


@pytest.mark.parametrize(
    ("debtor", "record"), [("SMITH ROBERT", "SMITH BOB"), ("SMITH JOHN", "SMITH JOHNNY")]
)
def test_a_nickname_printed_surname_first_on_both_sides_is_held(debtor: str, record: str) -> None:
    """Bob is Robert's nickname, and a name of its own: at the debtor's home perhaps his son,
    held as "SMITH, BOB" is; "SMITH BOB" had been a sibling, 0.026 ``low``, and "SMITH
    JOHNNY" the debtor, 1.000 ``high``."""
    for left, right in ((debtor, record), (record, debtor)):
        scored = _scored(left, right)
        assert (scored.band, scored.household, scored.relation) == ("medium", True, ""), scored


@pytest.mark.parametrize(("debtor", "record"), [
    ("SMITH JOHN A", "John B Smith"), ("SMITH JOHN ALLEN", "John Albert Smith"),
    ("KIM MIN JUN", "Min Seo Kim"), ("SMITH CHRIS A", "Christopher A Smith"),
    ("SMITH JOHN A", "John A Smith"), ("SMITH JOHN A", "Jon A Smith"),
])  # fmt: skip
def test_a_debtor_printed_surname_first_scores_as_the_record_so_printed(
    debtor: str, record: str
) -> None:
    """Both give a middle name and the debtor is printed surname first (its given name
    compared in the middle names' place, its middle name in the surnames'): scored as the
    other way round. "SMITH JOHN A" against his father John B Smith at their home was 0.900
    ``medium`` (John B Smith against "SMITH JOHN A": 0.000, another generation), and "SMITH
    CHRIS A" against Christopher A Smith another generation ("Chris" against "Christopher"
    read as two middle names), where "Chris A Smith" is held at 0.940."""
    scored, reverse = _scored(debtor, record), _scored(record, debtor)
    assert (scored.band, scored.relation) == (reverse.band, reverse.relation), (scored, reverse)
    if scored.band != "low":
        assert scored.score == pytest.approx(reverse.score, abs=0.05), (scored, reverse)


@pytest.mark.parametrize(("debtor", "record"), [
    ("JONES WILLIAM", "Bill Jones"), ("JONES WILLIAM", "JONES, BILL"),
    ("JONES MARGARET", "Peggy Jones"), ("SMITH ROBERT", "Bob Smith"),
])  # fmt: skip
def test_a_nickname_against_a_debtor_printed_surname_first_is_held(
    debtor: str, record: str
) -> None:
    """The debtor printed surname first without a comma, the record giving a nickname of its
    given name (Bill: William, and a name of its own): perhaps his son at his home, held as
    the other way round and the comma form are. It was 1.000 ``high``: the nickname was looked
    for against the record's first name made formal (william), equal to the debtor's."""
    for left, right in ((debtor, record), (record, debtor)):
        scored = _scored(left, right)
        assert (scored.band, scored.household) == ("medium", True), scored


ELSEWHERE = {"address": "98 Elm Ave", "city": "Peoria", "state": "IL", "zip": "61602"}


@pytest.mark.parametrize(("debtor", "record"), [
    ("Mary Lou Q Byrne", "Mary Q Byrne"), ("Mary Q Byrne", "Mary Lou Q Byrne"),
    ("Mary Ann Q Smith", "Mary Q Smith"), ("Mary Q Smith", "Mary Ann Q Smith"),
])  # fmt: skip
def test_a_given_name_of_two_words_past_a_middle_initial_is_no_rarer_elsewhere(
    debtor: str, record: str
) -> None:
    """In another town, on the name alone: "Mary Lou Q" is counted as "Mary-Lou Q" is, its
    middle name Q, never on the middle name "Lou Q" (0.01 namesakes, a rare name: 0.900
    ``medium`` one way, 0.450 the other). Both ways alike, as the hyphenated name scores."""
    hyphened = re.sub(r"^(Mary) (Lou|Ann) ", r"\1-\2 ", debtor)
    scored = score_pair({"full_name": debtor, **HOME}, {"full_name": record, **ELSEWHERE})
    reverse = score_pair({"full_name": record, **HOME}, {"full_name": debtor, **ELSEWHERE})
    as_hyphened = score_pair({"full_name": hyphened, **HOME}, {"full_name": record, **ELSEWHERE})
    assert scored.band == "low" and "rare name" not in scored.words, scored
    assert scored.score == pytest.approx(reverse.score), (scored, reverse)
    assert scored.score == pytest.approx(as_hyphened.score), (scored, as_hyphened)


@pytest.mark.parametrize(("debtor", "record"), [
    ("SMITH MARY", "Mary Ann Smith"), ("SMITH JO", "Jo Ann Smith"),
    ("SMITH ROSE", "Rose Marie Smith"),
])  # fmt: skip
def test_a_given_name_that_goes_on_against_a_debtor_printed_surname_first_is_held(
    debtor: str, record: str
) -> None:
    """The mother "SMITH MARY" and her daughter Mary Ann Smith at their home: held in the
    household as Mary Smith against Mary Ann Smith is, both ways. It was 1.000 ``high``:
    read first and last swapped, Mary Ann was looked for as a given name of its own by the
    surnames' columns (Smith Ann)."""
    for left, right in ((debtor, record), (record, debtor)):
        scored = _scored(left, right)
        assert (scored.band, scored.household) == ("medium", True), scored
