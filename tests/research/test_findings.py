"""From what the sources returned to the output columns: the best candidate, its band, the
found_* columns and what the status detail says about sources that could not be asked."""

from __future__ import annotations

from dataclasses import replace

import pytest

from skiptrace.connectors._runner import ConnectorResult
from skiptrace.records import Address, Provenance, SourceRecord, Status
from skiptrace.research.findings import OUTPUT_COLUMNS, candidates, output_row

DEBTOR = {
    "first_name": "Jane", "last_name": "Quartermain", "full_name": "Jane Quartermain",
    "address": "12 Harbour Rd", "city": "Springfield", "state": "IL", "zip": "62701",
}  # fmt: skip
HOME = Address(("12 Harbour Rd",), "Springfield", "IL", "62701")
OFFICE = Address(("400 Main St",), "Springfield", "IL", "62702")
NO_ADDRESS = Address()


def _record(
    name: str,
    mail: Address = NO_ADDRESS,
    *,
    connector: str = "directory",
    url: str = "http://127.0.0.1/people/1",
    employer: str = "",
    employer_address: Address = NO_ADDRESS,
) -> SourceRecord:
    provenance = Provenance(connector, "1.0", url, "2024-05-01T12:00:00+00:00")
    return SourceRecord(provenance, name, mail, employer, employer_address)


def _result(connector: str, status: str, *found: SourceRecord, detail: str = "") -> ConnectorResult:
    return ConnectorResult(connector, Status(status), tuple(found), detail)


def test_every_output_column_is_there_in_contract_order() -> None:
    row = output_row(DEBTOR, [_result("directory", "no_result")])
    assert tuple(row) == OUTPUT_COLUMNS
    assert OUTPUT_COLUMNS[:2] == ("status", "status_detail")
    first = OUTPUT_COLUMNS.index("sources_checked")  # the contract only grows: evidence after
    assert OUTPUT_COLUMNS[first + 1 :] == ("evidence_source", "evidence_name", "evidence_id",
                                           "evidence_url", "evidence_fetched_at",
                                           "evidence_record_date")  # fmt: skip


def test_candidates_are_scored_best_first_and_need_a_person() -> None:
    exact = _record("Jane Quartermain", HOME, connector="b", url="http://127.0.0.1/b")
    elsewhere = _record("Jane Quartermain", Address(("5 Elm St",), "Portland", "OR", "97201"),
                        connector="a", url="http://127.0.0.1/a")  # fmt: skip
    company = _record("", employer="Example Plumbing Co.", employer_address=OFFICE)
    found = candidates(
        DEBTOR, [_result("a", "hit", elsewhere, company), _result("b", "hit", exact)]
    )
    assert [c.record for c in found] == [exact, elsewhere]  # the company is no candidate
    assert found[0].link.score > found[1].link.score
    assert found[0].source == "b http://127.0.0.1/b"


def test_the_best_candidate_wins_whichever_source_gave_it() -> None:
    near = _record("Jane Quartermain", Address((), "Springfield", "IL"), connector="first",
                   url="http://127.0.0.1/first")  # fmt: skip
    best = _record("Jane Quartermain", HOME, connector="second", url="http://127.0.0.1/second")
    row = output_row(DEBTOR, [_result("first", "hit", near), _result("second", "hit", best)])
    assert row["status"] == "hit"
    assert row["match_band"] == "high"
    assert float(row["match_score"]) > 0.99
    assert row["found_mailing_address"] == "12 Harbour Rd, Springfield, IL 62701"
    assert row["found_mailing_address_source"] == "second http://127.0.0.1/second"
    assert row["found_mailing_address_score"] == row["match_score"]
    assert row["sources_checked"] == "first:hit;second:hit"
    assert row["status_detail"] == ""


def test_a_hit_needs_a_high_band() -> None:
    """An initial at the debtor's address ("J. Quartermain": Jane, or her husband John?) is a
    medium match: possible."""
    initial = _record("J. Quartermain", HOME)
    row = output_row(DEBTOR, [_result("directory", "hit", initial)])
    assert row["match_band"] == "medium"
    assert row["status"] == "possible"
    assert row["found_mailing_address"] == "12 Harbour Rd, Springfield, IL 62701"  # still counts


def test_name_and_town_are_no_hit_unless_the_name_is_rare() -> None:
    """Quartermain is missing from the Census table, so never rare: name, city and state with
    no street are below the link threshold (issue 12 review, finding 5)."""
    vague = _record("Jane Quartermain", Address((), "Springfield", "IL"))
    row = output_row(DEBTOR, [_result("directory", "hit", vague)])
    assert row["match_band"] == "low" and float(row["match_score"]) < 0.5
    assert row["status"] == "no_hit"
    assert row["found_mailing_address"] == ""


def test_the_name_alone_is_never_a_hit() -> None:
    row = output_row(DEBTOR, [_result("directory", "hit", _record("Jane Quartermain"))])
    assert row["matched_on"] == (  # issue 12: the name-only reasoning is said
        "name: exact; name only; a first name or surname the US tables cannot count (not rare)"
    )
    assert row["status"] != "hit" and row["match_band"] != "high"


def test_a_namesake_in_another_state_is_not_a_hit() -> None:
    namesake = _record("Jane Quartermain", Address(("5 Elm St",), "Portland", "OR", "97201"))
    row = output_row(DEBTOR, [_result("directory", "hit", namesake)])
    assert row["match_band"] == "low"
    assert row["status"] == "no_hit"
    assert row["status_detail"] == (  # issue 12: why the name alone is not enough
        "name only; a first name or surname the US tables cannot count (not rare)"
    )
    assert row["found_mailing_address"] == ""  # a low candidate's address is not reported
    assert row["found_mailing_address_source"] == row["found_mailing_address_score"] == ""


def test_a_namesake_in_another_state_is_not_a_hit_when_the_debtor_has_a_state_only() -> None:
    debtor = {"first_name": "Jane", "last_name": "Quartermain",
              "full_name": "Jane Quartermain", "state": "IL"}  # fmt: skip
    namesake = _record("Jane Quartermain", Address(("5 Elm St",), "Portland", "OR", "97201"))
    row = output_row(debtor, [_result("directory", "hit", namesake)])
    assert row["status"] != "hit" and row["match_band"] != "high"
    assert "state: differs (IL/OR)" in row["matched_on"]  # the disagreement is said


def test_sources_that_were_unavailable_are_named_in_the_detail() -> None:
    """When no source could be asked, the row says so: not the plain "no candidate found"."""
    results = [
        _result("nppes", "rate_limited", detail="HTTP 429 three times"),
        _result("gleif", "blocked", detail="a CAPTCHA page"),
        _result("sec_edgar", "refused", detail="robots: http://127.0.0.1/x"),
        _result("opencorp", "error", detail="HTTP 503"),
    ]
    row = output_row(DEBTOR, results)
    assert row["status"] == "incomplete"  # sources not asked: not final (issue 11)...
    assert row["status_detail"] == (  # ...and the detail says why nothing was found
        "nppes rate_limited: HTTP 429 three times; gleif blocked: a CAPTCHA page; "
        "sec_edgar refused: robots: http://127.0.0.1/x; opencorp error: HTTP 503"
    )
    assert row["sources_checked"] == (
        "nppes:rate_limited;gleif:blocked;sec_edgar:refused;opencorp:error"
    )
    assert row["match_score"] == row["match_band"] == row["found_mailing_address"] == ""


def test_a_hit_still_names_the_sources_that_were_unavailable() -> None:
    results = [
        _result("nppes", "rate_limited", detail="HTTP 429"),
        _result("directory", "hit", _record("Jane Quartermain", HOME)),
    ]
    row = output_row(DEBTOR, results)
    assert row["status"] == "incomplete"  # a hit, partial: nppes was not asked (issue 11)
    assert row["status_detail"] == "partial hit: nppes rate_limited: HTTP 429"
    assert row["sources_checked"] == "nppes:rate_limited;directory:hit"


@pytest.mark.parametrize(
    ("results", "status", "detail"),
    [
        ([_result("directory", "no_result")], "no_hit", "no candidate found"),
        ([], "error", "not researched: no connector can search with the fields this row has"),
        ([_result("directory", "skipped", detail="needs zip")], "error",
         "not researched: directory skipped: needs zip"),
        ([_result("gleif", "needs_key", detail="set GLEIF_KEY")], "incomplete",
         "not researched: gleif needs_key: set GLEIF_KEY"),
        ([_result("gleif", "needs_key", detail="set GLEIF_KEY"),
          _result("directory", "no_result")], "no_hit", "no candidate found"),
    ],
)  # fmt: skip
def test_a_quiet_no_hit_says_why(results: list[ConnectorResult], status: str, detail: str) -> None:
    """ "no_hit" only where a source searched: a row no source could search (its fields, a key
    or a search API missing) was not researched, and says so."""
    row = output_row(DEBTOR, results)
    assert (row["status"], row["status_detail"]) == (status, detail)


def test_mailing_address_and_employer_may_come_from_different_candidates() -> None:
    """Each found_* column takes the best candidate that has that field, with its own score
    and source."""
    # issue 12: the staff record agrees on the name alone, medium only for a rare name
    debtor = {**DEBTOR, "first_name": "Zebulon", "last_name": "Quackenbush",
              "full_name": "Zebulon Quackenbush"}  # fmt: skip
    home = _record("Zebulon Quackenbush", HOME, connector="people", url="http://127.0.0.1/p/1")
    work = _record("Zebulon Quackenbush", connector="staff",
                   url="http://127.0.0.1/s/9", employer="Example Plumbing Co.",
                   employer_address=OFFICE)  # fmt: skip
    row = output_row(debtor, [_result("people", "hit", home), _result("staff", "hit", work)])
    [best, second] = candidates(debtor, [_result("people", "hit", home),
                                         _result("staff", "hit", work)])  # fmt: skip
    assert best.record is home and second.record is work
    assert row["found_mailing_address"] == "12 Harbour Rd, Springfield, IL 62701"
    assert row["found_mailing_address_source"] == "people http://127.0.0.1/p/1"
    assert row["found_mailing_address_score"] == f"{best.link.score:.4f}"
    assert row["found_employer"] == "Example Plumbing Co."
    assert row["found_employer_address"] == "400 Main St, Springfield, IL 62702"
    assert row["found_employer_source"] == "staff http://127.0.0.1/s/9"
    assert row["found_employer_score"] == f"{second.link.score:.4f}"
    assert row["found_employer_score"] != row["found_mailing_address_score"]


def test_a_known_employer_is_given_its_address_from_a_company_record() -> None:
    debtor = {**DEBTOR, "employer": "EXAMPLE PLUMBING COMPANY"}
    company = _record("", connector="registry", url="http://127.0.0.1/co/42",
                      employer="Example Plumbing Co., Inc.", employer_address=OFFICE)  # fmt: skip
    other = _record("", employer="Another Firm LLC", employer_address=HOME)
    row = output_row(debtor, [_result("registry", "hit", other, company)])
    assert row["found_employer"] == "Example Plumbing Co., Inc."
    assert row["found_employer_address"] == "400 Main St, Springfield, IL 62702"
    assert row["found_employer_source"] == "registry http://127.0.0.1/co/42"
    assert row["found_employer_score"] == "1.0000"
    assert row["status"] == "no_hit"  # a company record says nothing about the person
    assert row["found_mailing_address"] == ""


def test_a_company_record_is_not_used_when_the_debtor_names_no_employer() -> None:
    company = _record("", employer="Example Plumbing Co.", employer_address=OFFICE)
    row = output_row(DEBTOR, [_result("registry", "hit", company)])
    assert row["found_employer"] == row["found_employer_address"] == ""


def test_a_newer_record_outranks_an_older_one_for_the_same_person() -> None:
    """Two bulk files hold the same person at two addresses: the scores tie, the record the
    source updated last fills found_mailing_address and the evidence columns."""
    old_home = Address(("1 Old Rd",), "Springfield", "IL", "62701")
    new_home = Address(("9 New Ave",), "Springfield", "IL", "62701")
    older = replace(_record("Jane Quartermain", old_home), record_date="2019-03-01")
    newer = replace(_record("Jane Quartermain", new_home, url="http://127.0.0.1/people/2"),
                    record_date="2024-02-01")  # fmt: skip
    debtor = {"first_name": "Jane", "last_name": "Quartermain", "zip": "62701",
              "city": "Springfield", "state": "IL"}  # fmt: skip
    for found in ([older, newer], [newer, older]):
        people = candidates(debtor, [_result("directory", "hit", *found)])
        assert people[0].link.score == people[1].link.score
        row = output_row(debtor, [_result("directory", "hit", *found)], people)
        assert row["evidence_record_date"] == "2024-02-01"
        assert row["found_mailing_address"].startswith("9 New Ave")


def test_a_line_with_no_town_is_said_as_such_in_the_detail() -> None:
    """A record giving only the debtor's street line: the detail says what the score counts
    (the namesakes at that line in any town), not 'name only'."""
    debtor = {**DEBTOR, "first_name": "John", "last_name": "Smith", "full_name": "John Smith"}
    line_only = _record("John Smith", Address(("12 Harbour Rd",)))
    row = output_row(debtor, [_result("directory", "hit", line_only)])
    assert row["status"] == "no_hit" and row["found_mailing_address"] == ""
    assert row["status_detail"].startswith("name and street line only (no town); about 27,000")


def test_two_people_tying_give_the_debtor_neither_ones_fields() -> None:
    """Jane A and Jane B Quartermain (a mother and daughter) at the debtor's home, each with her
    employer: the debtor's row gives neither's (before, the first source's record was a hit
    and its employer the debtor's). One person's two records are still a hit."""
    mother = _record("Jane A Quartermain", HOME, connector="a", url="http://127.0.0.1/a",
                     employer="Harbour Bakery")  # fmt: skip
    daughter = _record("Jane B Quartermain", HOME, connector="b", url="http://127.0.0.1/b",
                       employer="Quarry Tools")  # fmt: skip
    row = output_row(DEBTOR, [_result("a", "hit", mother), _result("b", "hit", daughter)])
    assert (row["status"], row["match_band"], row["match_score"]) == ("no_hit", "low", "0.5000")
    assert row["found_employer"] == row["found_mailing_address"] == ""
    assert row["matched_on"].endswith("; 2 people's records tie: which one is the debtor?")
    assert (
        row["status_detail"]
        == "only candidates that tie: 2 people's records at the debtor's address"
    )
    again = replace(mother, provenance=replace(mother.provenance, connector="b"))
    row = output_row(DEBTOR, [_result("a", "hit", mother), _result("b", "hit", again)])
    assert (row["status"], row["found_employer"]) == ("hit", "Harbour Bakery")


@pytest.mark.parametrize("relative", ["J Quartermain", "Quartermain", "Mrs. Jane Quartermain"])
def test_a_record_that_may_be_a_relatives_never_fills_a_hit_row(relative: str) -> None:
    """A review: the debtor's own record (high, no employer) and "J Quartermain" at her home
    with an employer (medium: a first name given short in her household, a relative?) made a
    ``hit`` row whose found_employer was perhaps her husband's. Such a record fills no column
    of a row it is not the best of; alone, it is the row's own ``possible`` finding."""
    own = _record("Jane Quartermain", HOME)
    theirs = _record(relative, HOME, connector="staff", url="http://127.0.0.1/s/2",
                     employer="Quartermain Dental LLC", employer_address=OFFICE)  # fmt: skip
    both = [_result("directory", "hit", own), _result("staff", "hit", theirs)]
    [best, held] = candidates(DEBTOR, both)
    assert (best.link.band, held.link.band) == ("high", "medium")
    row = output_row(DEBTOR, both)
    assert row["status"] == "hit" and row["found_mailing_address"].startswith("12 Harbour Rd")
    assert row["found_employer"] == row["found_employer_source"] == ""
    alone = output_row(DEBTOR, [_result("staff", "hit", theirs)])
    assert (alone["status"], alone["found_employer"]) == ("possible", "Quartermain Dental LLC")


def test_a_plain_record_beside_another_person_of_the_debtors_name_gives_nothing() -> None:
    """The debtor is John A Smith; the sources give John Smith (with an employer) and John B
    Smith at his home: the plain record may be John B's, and its employer is not the
    debtor's (before, it was a hit at 1.0)."""
    debtor = {**DEBTOR, "first_name": "John", "middle_name": "A", "last_name": "Smith",
              "full_name": "John A Smith"}  # fmt: skip
    plain = _record("John Smith", HOME, connector="a", url="http://127.0.0.1/a",
                    employer="Harbour Bakery")  # fmt: skip
    other = _record("John B Smith", HOME, connector="b", url="http://127.0.0.1/b")
    row = output_row(debtor, [_result("a", "hit", plain), _result("b", "hit", other)])
    assert (row["status"], row["match_band"], row["match_score"]) == ("no_hit", "low", "0.5000")
    assert row["found_employer"] == row["found_mailing_address"] == ""
