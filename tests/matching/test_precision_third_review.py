"""A third hostile review of precision: siblings and namesakes taken for the debtor.

- A hyphenated given name was read as its first word alone: Min-jun and Min-seo Kim (brother
  and sister, their shared syllable a generation name), Mary-Ann and Mary-Beth Smith and
  Jean-Paul and Jean-Luc Martin at one address were one name, 1.000 ``high``, where "Mary
  Ann" and "Mary Beth" Smith were two people. Its later words now differ as a middle name
  does, where the names are read as written.
- A given name of two words against its first word alone: a mother Mary and her daughter
  Mary-Ann at one home were one person, 1.000 ``high``, either way round. Held to ``medium``
  there now, as a short form is (Jo against Joanne); with a space, only where the two words
  are a given name of their own (Mary Ann, not Mary Elizabeth)."""

from __future__ import annotations

import pytest

from skiptrace.matching import link_records, score_pair
from skiptrace.matching.prepare import prepare

HOME = {"address": "12 Oak St", "city": "Springfield", "state": "IL", "zip": "62704"}


@pytest.mark.parametrize(("debtor", "record"), [
    ("Min-jun Kim", "Min-seo Kim"), ("Mary-Ann Smith", "Mary-Beth Smith"),
    ("Jean-Paul Martin", "Jean-Luc Martin"), ("Xiu-Ying Wang", "Xiu-Lan Wang"),
    ("Min-jun Kim", "KIM, MIN-SEO"), ("Jo-Ann Byrne", "Jo-Ellen Byrne"),
    ("Mary-Ann Q Smith", "Mary-Beth Q Smith"), ("Mary-Ann Q Smith", "MARY R SMITH"),
])  # fmt: skip
def test_hyphenated_given_names_that_differ_are_two_people(debtor: str, record: str) -> None:
    scored = score_pair({"full_name": debtor, **HOME}, {"full_name": record, **HOME})
    assert scored.band == "low", scored


def test_hyphenated_given_names_in_name_parts_that_differ_are_two_people() -> None:
    debtor = {"first_name": "Mary-Ann", "last_name": "Smith", **HOME}
    scored = score_pair(debtor, {**debtor, "first_name": "Mary-Beth"})
    assert scored.band == "low", scored
    [found] = link_records([debtor], [{**debtor, "first_name": "Mary-Beth"}, debtor])
    assert (found.right, found.band) == (1, "high"), found


@pytest.mark.parametrize(("debtor", "record"), [
    ("Min-jun Kim", "Min-jun Kim"), ("Min-jun Kim", "KIM, MIN-JUN"),
    ("Mary-Ann Smith", "Mary Ann Smith"), ("Mary-Ann Smith", "SMITH, MARY ANN"),
    ("Jean-Luc Picard", "Jean-Luc Picard"),
])  # fmt: skip
def test_a_hyphenated_given_name_is_still_its_own(debtor: str, record: str) -> None:
    scored = score_pair({"full_name": debtor, **HOME}, {"full_name": record, **HOME})
    assert scored.band == "high", scored


@pytest.mark.parametrize(("debtor", "record"), [
    ("Katelyn Slack-Smith", "SLACK-SMITH KATELYN"), ("Anne Smith-Jones", "SMITH-JONES ANNE"),
    ("Sara-Louise Chandler", "Sara-Kouise Chandler"), ("Mary-Ann Smith", "Mary-Anne Smith"),
    ("Jean-Luc Picard", "Jean L. Picard"),
])  # fmt: skip
def test_a_hyphenated_name_printed_first_or_misprinted_is_still_its_own(
    debtor: str, record: str
) -> None:
    """A hyphenated surname printed first is read as before (the rest of a given name counts
    only where the names are read as written), and one slip past the hyphen is a misprint."""
    scored = score_pair({"full_name": debtor, **HOME}, {"full_name": record, **HOME})
    assert scored.band == "high", scored


@pytest.mark.parametrize(("record", "rest"), [
    ({"first_name": "Jean-Luc", "last_name": "Picard"}, "luc"),
    ({"full_name": "Jean-Luc Picard"}, "luc"),
    ({"first_name": "Dr. Jean-Luc A", "last_name": "Picard"}, "luc"),
    ({"full_name": "PICARD, JEAN-LUC A."}, "luc"),
    ({"full_name": "Jean Luc Picard"}, ""),
    ({"full_name": "Anne Smith-Jones"}, ""),
])  # fmt: skip
def test_the_given_rest_column(record: dict[str, str], rest: str) -> None:
    table = prepare([record])
    assert table["given_rest"][0] == rest
    assert table["first"][0] == ("anne" if "Anne" in str(record) else "jean")


@pytest.mark.parametrize(("debtor", "record", "band"), [
    ("Min-jun Kim", "KIM MIN-SEO", "low"), ("KIM MIN-JUN", "Min-seo Kim", "low"),
    ("Xiu-Ying Wang", "WANG XIU-LAN", "low"), ("Min-jun Kim", "KIM MIN-JUN", "high"),
    ("Xiu-Ying Wang", "WANG XIU-YING", "high"),
])  # fmt: skip
def test_a_hyphenated_given_name_printed_after_the_surname(
    debtor: str, record: str, band: str
) -> None:
    """Printed surname first, "KIM MIN-SEO" was Min-jun Kim, his given name similar to hers
    ("Min" against "Min Seo"), 1.000 ``high``."""
    scored = score_pair({"full_name": debtor, **HOME}, {"full_name": record, **HOME})
    assert scored.band == band, scored


@pytest.mark.parametrize(("debtor", "record"), [
    ("Mary-Ann Smith", "MARY SMITH"), ("Mary Smith", "MARY-ANN SMITH"),
    ("Mary-Ann Smith", "SMITH, MARY"), ("Jean-Paul Martin", "JEAN MARTIN"),
    ("Mary Ann Smith", "MARY SMITH"), ("Mary Smith", "SMITH, MARY ANN"),
    ("Jo Ann Byrne", "JO BYRNE"), ("Mary Ann Lee", "LEE MARY"), ("Mary-Ann Smith", "SMITH MARY"),
    ("Mary-Ann Q Smith", "MARY Q SMITH"), ("Mary Q Smith", "MARY-ANN Q SMITH"),
    ("Jean-Paul Q Martin", "JEAN Q MARTIN"), ("Min Kim", "KIM MIN-SEO"),
    ("Mary-Ann Q Smith", "SMITH MARY Q"), ("Mary-Ann Q Smith", "SMITH MARY"),
    ("Min-jun Q Kim", "KIM MIN Q"),
])  # fmt: skip
def test_a_compound_given_name_on_one_side_only_at_home_is_medium(debtor: str, record: str) -> None:
    """A mother Mary and her daughter Mary-Ann at one home: "MARY SMITH" was the daughter,
    1.000 ``high``, either way round. Held as a short form at home is (Jo against Joanne),
    unless an agreeing birth date says whose it is; one that differs says another person."""
    scored = score_pair({"full_name": debtor, **HOME}, {"full_name": record, **HOME})
    assert scored.band == "medium" and scored.household, scored
    assert "in the debtor's household: a relative?" in scored.words, scored
    born = {"dob": "1980-05-01"}
    dated = score_pair({"full_name": debtor, **HOME, **born}, {"full_name": record, **HOME, **born})
    assert dated.band == "high" and not dated.household, dated
    other = score_pair({"full_name": debtor, **HOME, **born},
                       {"full_name": record, **HOME, "dob": "1955-02-09"})  # fmt: skip
    assert other.band == "low", other


@pytest.mark.parametrize(("debtor", "record", "said"), [
    ("Mary-Ann Smith", "MARY SMITH", "given name Mary Ann against Mary in the debtor's household"),
    ("Mary Smith", "SMITH, MARY ANN", "given name Mary against Mary Ann in the debtor's household"),
    ({"first_name": "Mary", "middle_name": "Ann", "last_name": "Smith"}, "MARY SMITH",
     "given name Mary Ann against Mary in the debtor's household"),
    ("Mary-Ann Q Smith", "MARY Q SMITH", "given name Mary Ann against Mary in the debtor's"),
    ("Mary Smith", "SMITH MARY ANN", "given name Mary against Mary Ann in the debtor's household"),
    ("Mary-Ann Q Smith", "SMITH MARY Q", "given name Mary Ann against Mary in the debtor's"),
    ("Mary Ann Lee", "LEE MARY", "given name Mary Ann against Mary in the debtor's household"),
    ("Mary Ann Q Smith", "MARY SMITH", "given name Mary Ann against Mary in the debtor's"),
    ("Mary Smith", "MARY ANN Q SMITH", "given name Mary against Mary Ann in the debtor's"),
])  # fmt: skip
def test_the_words_name_the_given_name_that_goes_on(
    debtor: str | dict[str, str], record: str, said: str
) -> None:
    """Not "first name given short or not at all" where the record is read surname first
    ("SMITH MARY ANN"), nor its middle initial as a given name ("Mary Ann Q against Mary")."""
    mine = debtor if isinstance(debtor, dict) else {"full_name": debtor}
    scored = score_pair({**mine, **HOME}, {"full_name": record, **HOME})
    assert said in scored.words, scored


@pytest.mark.parametrize(("debtor", "record"), [
    ("Mary Elizabeth Smith", "MARY SMITH"), ("John Robert Smith", "JOHN SMITH"),
    ("John Smith", "SMITH, JOHN PAUL"), ("Mary-Ann Smith", "MARY A SMITH"),
    ("Mary Smith", "MARY E SMITH"),
])  # fmt: skip
def test_a_middle_name_one_side_only_is_still_the_debtors(debtor: str, record: str) -> None:
    """Most records drop the middle name: one written on one side only stays the debtor's
    unless, written together, it is a given name of its own (Maryann, Joann)."""
    scored = score_pair({"full_name": debtor, **HOME}, {"full_name": record, **HOME})
    assert scored.band == "high" and not scored.household, scored


@pytest.mark.parametrize(("name", "employer"), [
    ("James Smith", "University of Michigan"), ("James Smith", "Mayo Clinic"),
    ("John Smith", "Boeing"), ("Maria Garcia", "Baptist Health"),
    ("James Smith", "Acme Plumbing"), ("Michael Johnson", "Cleveland Clinic"),
])  # fmt: skip
def test_a_common_name_at_one_employer_is_a_namesake(name: str, employer: str) -> None:
    """A namesake at the same employer: James Smith at the University of Michigan (about
    50,000 staff: some 5 of the 29,000 James Smiths) was the debtor on the name and the
    employer alone, 1.000 ``high``. Its namesakes are now counted there, as in one ZIP
    area: not linked."""
    debtor = {"full_name": name, "employer": employer}
    scored = score_pair(debtor, {**debtor})
    assert scored.band == "low" and scored.score < 0.5, scored
    assert "name and employer only" in scored.words, scored
    moved = score_pair({**debtor, **HOME},
                       {**debtor, "address": "9 Elm St", "city": "Austin", "state": "TX",
                        "zip": "78701"})  # fmt: skip
    assert moved.band == "low", moved


@pytest.mark.parametrize(("name", "band"), [
    ("Zebulon Quackenbush", "high"), ("Jane Roe", "high"), ("Robert Quinlan", "high"),
])  # fmt: skip
def test_a_rare_name_at_one_employer_is_still_the_debtor(name: str, band: str) -> None:
    debtor = {"full_name": name, "employer": "Acme Plumbing"}
    scored = score_pair(debtor, {**debtor})
    assert scored.band == band, scored


def test_a_common_name_its_employer_and_birth_date_is_the_debtor() -> None:
    debtor = {"full_name": "James Smith", "employer": "Mayo Clinic", "dob": "1980-05-01"}
    assert score_pair(debtor, dict(debtor)).band == "high"
    other = score_pair(debtor, {**debtor, "dob": "1951-02-09"})
    assert other.band == "low", other


def test_a_common_name_at_one_employer_with_the_debtors_phone_is_the_debtor() -> None:
    debtor = {"full_name": "James Smith", "employer": "Mayo Clinic", "phone": "507-555-0134"}
    assert score_pair(debtor, dict(debtor)).band == "high"
