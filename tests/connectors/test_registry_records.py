"""What the shipped registry connectors make of their sources' real recorded answers: which
address is the mailing one, whether an employment is current, how fresh a record is. Each
replays through the real guard and session stack against a loopback server."""

from __future__ import annotations

import asyncio
import copy
import json
from pathlib import Path
from typing import Any

import pytest

from skiptrace.connectors._model import Example, ReplySpec
from skiptrace.connectors._registry import discover
from skiptrace.connectors._runner import ConnectorResult
from skiptrace.policy import Policy
from skiptrace.records import record_day
from skiptrace.research.findings import output_row
from skiptrace.testing.contracts import replay_example

BUILTIN = discover(entry_points=False)
FIXTURES = Path(__file__).resolve().parents[2] / "connectors" / "fixtures"


def _replay(
    connector_id: str, query: dict[str, str], replies: list[ReplySpec], policy: Policy, tmp: Path
) -> ConnectorResult:
    """``connector_id`` searched for ``query`` against ``replies`` (files under fixtures/)."""
    example = Example("review", query, tuple(replies), "hit", None, {})
    result, _ = asyncio.run(replay_example(BUILTIN.connectors[connector_id], example, policy, tmp))
    return result


def _file(path: str, name: str, **match: str) -> ReplySpec:
    return ReplySpec(path, FIXTURES / name, match=match)


def test_an_appointment_at_a_dissolved_company_is_no_current_employment(
    policy: Policy, tmp_path: Path
) -> None:
    """The register leaves an appointment without ``resigned_on`` when its company is
    dissolved: the recorded officer's one such appointment (WCR VEHICLE HIRE LIMITED,
    dissolved, appointed 2010) was given as his current employer."""
    result = _replay(
        "companies_house",
        {"full_name": "Allan David Horley"},
        [
            _file("/search/officers", "companies_house/search_officers_horley.json"),
            _file(
                "/officers/BUzLMub_QilQ_HNnIUxLkZrs5KM/appointments",
                "companies_house/appointments_allan_david_horley.json",
            ),
            _file("/company/07133481", "companies_house/company_candour.json"),
        ],
        policy,
        tmp_path,
    )
    assert [r.employer for r in result.records] == []
    assert result.status == "no_result"
    assert result.detail == "no current appointment: 1 at a dissolved company, 2 resigned"


def test_an_npi_record_carries_its_own_last_update_date(policy: Policy, tmp_path: Path) -> None:
    """NPPES states each record's last update (``basic.last_updated``); without it the record
    was dated by its fetch, today, and ranked as fresher than any dated record."""
    result = _replay(
        "nppes",
        {"last_name": "SMITH", "state": "NY"},
        [_file("/api/", "nppes/api-f62abe.json")],
        policy,
        tmp_path,
    )
    assert [r.record_date for r in result.records] == [
        "2019-02-26", "2019-03-01", "2018-05-02", "2018-03-17", "2018-03-17"
    ]  # fmt: skip
    official = _replay(
        "nppes_official",
        {"first_name": "TIMOTHY", "last_name": "BARTON"},
        [_file("/api/", "nppes/api-8bdc8b.json")],
        policy,
        tmp_path,
    )
    assert [r.record_date for r in official.records] == ["2018-09-22"]


def test_an_lei_record_is_dated_and_a_lapsed_one_by_when_it_lapsed(
    policy: Policy, tmp_path: Path
) -> None:
    """GLEIF's dates are timestamps; a LAPSED registration (due for renewal on 2014-11-01 and
    not renewed, its data vouched for by no one since) would be dated 2023-07-31, by a later
    change of the record, as if its address had been current then."""
    issued = _replay(
        "gleif",
        {"employer": "Amazon"},
        [_file("/api/v1/lei-records", "gleif/multi_lei_records.json")],
        policy,
        tmp_path,
    )
    dates = {r.source_id: r.record_date for r in issued.records}
    assert dates["254900LNRYNOQ9YPU758"] == "2025-04-21"  # ISSUED, updated 2025-04-21T10:50:46Z
    assert dates["335800CCCPHKUOXPC332"] == "2024-05-10"  # LAPSED 2025-05-10, updated before
    recorded = FIXTURES / "gleif/549300LBI3LRIZ2V8V66_lapsed.json"  # one record's answer
    listed = _lei_page(tmp_path, 1, [json.loads(recorded.read_text("utf-8"))["data"]], 1)
    lapsed = _replay(  # the lapsed record, in a list as a search answers
        "gleif_sole_proprietor",
        {"full_name": "UK EQUITY FUND (OFFSHORE)"},
        [ReplySpec("/api/v1/lei-records", listed)],
        policy,
        tmp_path,
    )
    assert [r.record_date for r in lapsed.records] == ["2014-11-01"]


@pytest.mark.parametrize(
    ("stated", "day"),
    [
        ("2018-05-08", "2018-05-08"),
        ("2025-04-21T10:50:46Z", "2025-04-21"),
        ("2018-09-22 17:09", "2018-09-22"),
        ("2025-02-30", ""),
        ("99999-01-01", ""),
        ("20180508", ""),
        ("2999-01-01", ""),
        ("2999-01-01T00:00:00Z", ""),
        ("soon", ""),
        ("", ""),
    ],
)
def test_a_stated_date_is_a_day_or_nothing(stated: str, day: str) -> None:
    """A record's date ranks it (fresher first): a value that is no day must not sort first."""
    assert record_day(stated) == day


def test_an_insider_record_is_dated_by_its_filing(policy: Policy, tmp_path: Path) -> None:
    """A Form 4 of October 2020 names an officer then, not now: without the filing's date the
    record counted as fetched today, a former insider's title as current employment."""
    search = _file("/LATEST/search-index", "sec_edgar/efts_search_maestri.json")
    result = _maestri(policy, tmp_path, search)
    assert [(r.employer, r.record_date) for r in result.records] == [("Apple Inc.", "2020-10-13")]


def _maestri(policy: Policy, folder: Path, search: ReplySpec) -> ConnectorResult:
    """sec_edgar searched for the recorded insider: ``search`` answers the full-text search,
    his recorded Form 4 and his company's submissions the rest."""
    form4 = ReplySpec(
        "/Archives/edgar/data/320193/000112760220026563/wf-form4_160262508633519.xml",
        FIXTURES / "sec_edgar/aapl-4-20201013.xml",
        content_type="application/xml",
    )
    company = _file("/submissions/CIK0000320193.json", "sec_edgar/CIK0000320193.json")
    return _replay("sec_edgar", {"full_name": "Luca Maestri"}, [search, form4, company],
                   policy, folder)  # fmt: skip


def _insider_search(folder: Path, file_date: str) -> Path:
    """The recorded search for Luca Maestri with each hit filed on ``file_date``."""
    answer = json.loads((FIXTURES / "sec_edgar/efts_search_maestri.json").read_text("utf-8"))
    for hit in answer["hits"]["hits"]:
        hit["_source"]["file_date"] = file_date
    path = folder / "efts_search.json"
    path.write_text(json.dumps(answer), "utf-8")
    return path


@pytest.mark.parametrize("filed", ["2020-02-30", "2999-01-01"])
def test_an_insider_record_filed_on_no_real_day_is_undated(
    filed: str, policy: Policy, tmp_path: Path
) -> None:
    """A filing date of 2020-02-30 has EDGAR's shape but is no day; it was kept as the
    record's date, where a manifest's record_date is dropped for it. A day still to come
    would rank the record as the newest of all."""
    search = ReplySpec("/LATEST/search-index", _insider_search(tmp_path, filed))
    result = _maestri(policy, tmp_path, search)
    assert [(r.employer, r.record_date) for r in result.records] == [("Apple Inc.", "")]


def test_an_organisations_mailing_address_is_not_its_officials(
    policy: Policy, tmp_path: Path
) -> None:
    """The recorded organisation gets mail at PO BOX 1186, MABLETON, and practises at 403
    PERMIAN WAY, VILLA RICA: its PO box was given as the authorized official's own mailing
    address, the organisation's mail put on the person."""
    result = _replay(
        "nppes_official",
        {"first_name": "TIMOTHY", "last_name": "BARTON"},
        [_file("/api/", "nppes/api-8bdc8b.json")],
        policy,
        tmp_path,
    )
    [record] = result.records
    assert record.mailing_address.one_line() == ""
    assert record.employer == "CSP ANESTHESIA LLC"
    practice = "403 PERMIAN WAY STE D, VILLA RICA, GA 301803226, US"
    assert record.employer_address.one_line() == practice
    assert "mailing_address" not in BUILTIN.connectors["nppes_official"].info.gives


@pytest.mark.parametrize(
    "body",
    [
        b'{"errors": [{"error": "invalid-authorization-header", "type": "ch:service"}]}',
        b'{"items": null, "kind": "search#officers"}',
        b"{}",
        b'{"items": ["Service unavailable"], "kind": "search#officers"}',
    ],
    ids=["error-json", "null-items", "empty-object", "items-no-object"],
)
def test_a_register_answer_without_its_items_is_an_error_not_no_result(
    body: bytes, policy: Policy, tmp_path: Path
) -> None:
    """An error object served with HTTP 200, or a search answer without its items list, said
    "nobody by that name", and the row was closed as no_hit."""
    page = tmp_path / "answer.json"
    page.write_bytes(body)
    result = _replay(
        "companies_house",
        {"full_name": "Robin Quillfeather"},
        [ReplySpec("/search/officers", page)],
        policy,
        tmp_path,
    )
    assert result.status == "error", (result.status, result.detail)
    assert "items" in result.detail


def _lei_page(folder: Path, number: int, records: list[dict[str, Any]], total: int) -> Path:
    """Page ``number`` (of 15 records) of a list of ``total`` LEI records, as the API answers
    one (``meta.pagination``, ``data``), holding ``records``."""
    pagination = {"currentPage": number, "perPage": 15, "total": total, "lastPage": -(-total // 15)}
    page = {"meta": {"pagination": pagination}, "data": records}
    path = folder / f"lei_page_{number}.json"
    path.write_text(json.dumps(page), encoding="utf-8")
    return path


def _lei_records(count: int, first: int = 0) -> list[dict[str, Any]]:
    """``count`` records shaped as the recorded ones, each with its own LEI and name."""
    recorded = json.loads((FIXTURES / "gleif/multi_lei_records.json").read_text("utf-8"))["data"]
    records = []
    for n in range(first, first + count):
        record = copy.deepcopy(recorded[n % len(recorded)])
        record["attributes"]["lei"] = f"{n:020d}"
        record["attributes"]["entity"]["legalName"]["name"] = f"Example Holdings {n}"
        records.append(record)
    return records


def test_a_full_lei_page_with_a_retired_record_is_followed_by_the_next(
    policy: Policy, tmp_path: Path
) -> None:
    """A first page of 15 records, one of them RETIRED, was read as 14, fewer than a page, so
    the second page was never asked for and its records lost."""
    first, second = _lei_records(15), _lei_records(1, first=15)
    first[3]["attributes"]["registration"]["status"] = "RETIRED"
    pages = [_lei_page(tmp_path, 1, first, 16), _lei_page(tmp_path, 2, second, 16)]
    result = _replay(
        "gleif",
        {"employer": "Example Holdings"},
        [
            ReplySpec("/api/v1/lei-records", page, match={"page[number]": str(number)})
            for number, page in enumerate(pages, start=1)
        ],
        policy,
        tmp_path,
    )
    assert result.status == "hit", result.detail
    ids = [r.source_id for r in result.records]
    assert len(ids) == 15
    assert f"{3:020d}" not in ids  # the RETIRED one
    assert ids[-1] == f"{15:020d}"  # the second page's


def _ceased(record: dict[str, Any]) -> dict[str, Any]:
    """``record`` as the register shows an entity that has ceased to exist."""
    entity = record["attributes"]["entity"]
    entity["status"] = "INACTIVE"
    entity["expiration"] = {"date": "2023-03-31T00:00:00Z", "reason": "DISSOLVED"}
    return record


def test_a_ceased_legal_entity_is_no_current_employer(policy: Policy, tmp_path: Path) -> None:
    """An entity the register marks INACTIVE (dissolved, say) was given as the debtor's
    employer, its headquarters as where they work, as a live one would."""
    records = _lei_records(3)
    _ceased(records[1])
    result = _replay(
        "gleif",
        {"employer": "Example Holdings"},
        [ReplySpec("/api/v1/lei-records", _lei_page(tmp_path, 1, records, 3))],
        policy,
        tmp_path,
    )
    assert [r.employer for r in result.records] == ["Example Holdings 0", "Example Holdings 2"]


def _sole_proprietors(folder: Path) -> Path:
    """A list answer of the sole-proprietor search: the recorded RAHUL record as it is, a
    retired copy and a copy whose entity has ceased."""
    recorded = FIXTURES / "gleif/9845001B2AD43E664E58_issued.json"
    live = json.loads(recorded.read_text("utf-8"))["data"]
    retired, ceased = copy.deepcopy(live), _ceased(copy.deepcopy(live))
    retired["attributes"]["lei"], ceased["attributes"]["lei"] = "9" * 20, "8" * 20
    retired["attributes"]["registration"]["status"] = "RETIRED"
    return _lei_page(folder, 1, [retired, live, ceased], 3)


def test_a_retired_or_ceased_sole_proprietor_is_no_current_business(
    policy: Policy, tmp_path: Path
) -> None:
    """The sole-proprietor search kept every record it was given: a retired LEI's, and a
    business the register marks INACTIVE, were each given as the person's trading name and
    business address."""
    result = _replay(
        "gleif_sole_proprietor",
        {"full_name": "RAHUL"},
        [ReplySpec("/api/v1/lei-records", _sole_proprietors(tmp_path))],
        policy,
        tmp_path,
    )
    assert [(r.source_id, r.employer) for r in result.records] == [
        ("9845001B2AD43E664E58", "MATRIX POWER & AUTOMATION")
    ]


QUILLFEATHER = "/officers/Qx7Example_Officer-Id01/appointments"


def _appointment_pages(folder: Path, total: int, pages: int) -> list[ReplySpec]:
    """The written officer's appointments in pages of the register's 35, each answering the
    ``start_index`` it starts at: ``total - 1`` resigned ones (copies of the recorded resigned
    one, each at its own company), then his current one."""
    recorded = FIXTURES / "companies_house/appointments_quillfeather.json"
    listed = json.loads(recorded.read_text("utf-8"))
    resigned, current = listed["items"][2], listed["items"][1]
    items = []
    for n in range(total - 1):
        item = copy.deepcopy(resigned)
        item["appointed_to"]["company_number"] = f"{n:08d}"
        items.append(item)
    items.append(current)
    replies = []
    for start in range(0, 35 * pages, 35):
        page = {**listed, "total_results": total, "start_index": start,
                "items": items[start : start + 35]}  # fmt: skip
        path = folder / f"appointments_{start}.json"
        path.write_text(json.dumps(page), encoding="utf-8")
        match = {"start_index": str(start)} if start else {}
        replies.append(ReplySpec(QUILLFEATHER, path, match=match))
    return replies[::-1]  # the first page, matching any request, last


def _quillfeather(policy: Policy, folder: Path, *replies: ReplySpec) -> ConnectorResult:
    """companies_house searched for the written officer: his search answer, then ``replies``."""
    search = _file("/search/officers", "companies_house/search_officers_quillfeather.json")
    return _replay("companies_house", {"full_name": "Robin Quillfeather"}, [search, *replies],
                   policy, folder)  # fmt: skip


def test_a_current_appointment_on_a_later_page_is_found(policy: Policy, tmp_path: Path) -> None:
    """Only the first page of an officer's appointments (35) was read: an officer whose 36th
    appointment is his one current one had "no current appointment: 35 resigned"."""
    result = _quillfeather(
        policy,
        tmp_path,
        *_appointment_pages(tmp_path, total=36, pages=2),
        _file("/company/08957400", "companies_house/company_candour.json"),
    )
    assert result.status == "hit", result.detail
    assert [(r.employer, r.source_id) for r in result.records] == [
        ("CANDOUR GROUP LIMITED", "08957400")
    ]


def test_an_officers_appointments_are_read_within_a_bound(policy: Policy, tmp_path: Path) -> None:
    """A nominee with hundreds of appointments is read no further than 4 pages (140); a
    register answering page 1 whatever start_index asks for is
    ``test_a_later_page_that_is_not_the_one_asked_for_is_never_no_current_appointment``."""
    result = _quillfeather(
        policy,
        tmp_path,
        *_appointment_pages(tmp_path, total=200, pages=6),
    )
    assert (result.status, result.detail) == ("no_result", "no current appointment: 140 resigned")


def _first_items(current: bool) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The written officer's recorded answer, and a first page of 35 appointments for it: his
    current one and 34 resigned (``current``), or 35 resigned (each at its own company)."""
    recorded = FIXTURES / "companies_house/appointments_quillfeather.json"
    listed = json.loads(recorded.read_text("utf-8"))
    resigned = []
    for n in range(35 - current):
        item = copy.deepcopy(listed["items"][2])
        item["appointed_to"]["company_number"] = f"{n:08d}"
        resigned.append(item)
    return listed, [listed["items"][1]] * current + resigned


def _current_then(policy: Policy, tmp_path: Path, later: ReplySpec) -> ConnectorResult:
    """The written officer searched: his first page holds his current appointment at CANDOUR
    GROUP LIMITED (its profile recorded), ``later`` answers the pages after it."""
    return _quillfeather(
        policy,
        tmp_path,
        *_first_page_then(tmp_path, True, later),
        _file("/company/08957400", "companies_house/company_candour.json"),
    )


def _first_page_then(folder: Path, current: bool, later: ReplySpec) -> list[ReplySpec]:
    """The written officer's first page of 35 appointments (of 70, ``_first_items``);
    ``later`` answers the pages after it."""
    listed, items = _first_items(current)
    path = folder / "appointments_0.json"
    path.write_text(json.dumps({**listed, "total_results": 70, "items": items}), "utf-8")
    return [later, ReplySpec(QUILLFEATHER, path)]  # the first page, matching any request, last


def test_a_later_page_that_fails_leaves_the_first_pages_appointment_standing(
    policy: Policy, tmp_path: Path
) -> None:
    """An officer's current appointment on his first page was lost when the second page, read
    only to look for more, answered HTTP 500: the whole search failed, and the employer the
    register had given was not reported."""
    failing = ReplySpec(QUILLFEATHER, None, status=500, match={"start_index": "35"})
    result = _current_then(policy, tmp_path, failing)
    assert result.status == "hit", result.detail
    assert [r.employer for r in result.records] == ["CANDOUR GROUP LIMITED"]
    assert "start_index=35 answered HTTP 500" in result.partly  # still owed, not wholly asked


@pytest.mark.parametrize("status", [500, 200], ids=["http-500", "not-json"])
def test_a_later_page_that_fails_is_never_no_current_appointment(
    status: int, policy: Policy, tmp_path: Path
) -> None:
    """With 35 resigned appointments read and the rest of the 70 not (a 500, or a page that is
    not JSON), "no current appointment" would be a guess: the search is the outage."""
    garbled = tmp_path / "garbled.json"
    garbled.write_bytes(b"<html>maintenance</html>")
    later = ReplySpec(QUILLFEATHER, garbled if status == 200 else None, status=status,
                      match={"start_index": "35"})  # fmt: skip
    result = _quillfeather(
        policy,
        tmp_path,
        *_first_page_then(tmp_path, False, later),
    )
    assert (result.status, result.reason) == ("error", "error"), result.detail
    assert "start_index=35" in result.detail


def _second_page(folder: Path, items: list[dict[str, Any]], start: object) -> ReplySpec:
    """The answer to ``start_index=35`` of the written officer's 70 appointments: ``items``,
    saying it starts at ``start`` (``...``: saying nothing of where it starts)."""
    listed, _ = _first_items(False)
    page = {**listed, "total_results": 70, "items": items, "start_index": start}
    if start is ...:
        page.pop("start_index")
    path = folder / "appointments_35.json"
    path.write_text(json.dumps(page), "utf-8")
    return ReplySpec(QUILLFEATHER, path, match={"start_index": "35"})


@pytest.mark.parametrize("repeated", [35, 1], ids=["the-whole-page", "one-shifted-on"])
def test_a_later_page_repeating_the_first_does_not_count_its_appointments_twice(
    repeated: int, policy: Policy, tmp_path: Path
) -> None:
    """A register answering ``start_index=35`` with the first page's appointments again
    (saying it starts at 35), or a list that shifted between the requests so that its first
    item was the first page's, had each counted twice: the one current appointment at CANDOUR
    GROUP LIMITED was given as two records of the same employment."""
    _, first = _first_items(True)
    _, others = _first_items(False)
    for item in others:
        item["appointed_to"]["company_number"] = "1" + item["appointed_to"]["company_number"]
    items = first[:repeated] + others[repeated:]
    result = _current_then(policy, tmp_path, _second_page(tmp_path, items, 35))
    assert [(r.employer, r.source_id) for r in result.records] == [
        ("CANDOUR GROUP LIMITED", "08957400")
    ]


@pytest.mark.parametrize(
    ("start", "current"),
    [(..., True), ("35", True), (None, True), (0, True), (35, False)],
    ids=["missing", "text", "null", "first-again", "repeated"],
)
def test_a_later_page_that_is_not_the_one_asked_for_is_never_no_current_appointment(
    start: object, current: bool, policy: Policy, tmp_path: Path
) -> None:
    """A second page holding the officer's current appointment, but whose ``start_index`` is
    missing, text, null or 0, was dropped unread, and one that repeated the first page's 35
    resigned appointments was counted: each was reported as "no current appointment" (35 or
    70 resigned), 35 of his 70 appointments never read. It is an error, naming the page."""
    _, items = _first_items(current)
    result = _quillfeather(
        policy,
        tmp_path,
        *_first_page_then(tmp_path, False, _second_page(tmp_path, items, start)),
        _file("/company/08957400", "companies_house/company_candour.json"),
    )
    assert (result.status, result.reason) == ("error", "error"), result.detail
    assert "appointments?start_index=35 " in result.detail


@pytest.mark.parametrize(
    ("start", "said"),
    [(..., "did not start at 35 (start_index None)"),
     ("35", "did not start at 35 (start_index '35')"),
     (0, "did not start at 35 (start_index 0)"),
     ("repeated", "gave only appointments already read"),
     ("404", "answered HTTP 404")],
    ids=["missing", "text", "first-again", "repeated", "not-found"],
)  # fmt: skip
def test_a_later_page_not_asked_for_leaves_the_first_pages_appointment_not_wholly_asked(
    start: object, said: str, policy: Policy, tmp_path: Path
) -> None:
    """With the current appointment on the first page and the second not the page asked for
    (its ``start_index`` missing, text or 0, only the first page's appointments again, or not
    found), the appointment stood as a plain hit: 35 of 70 appointments unread, and the row
    called done. It stands now with that page named beside it (``partly``)."""
    _, items = _first_items(True)
    if start == "404":
        later = ReplySpec(QUILLFEATHER, None, status=404, match={"start_index": "35"})
    else:
        later = _second_page(tmp_path, items, 35 if start == "repeated" else start)
    result = _current_then(policy, tmp_path, later)
    assert result.status == "hit", result.detail
    assert [r.employer for r in result.records] == ["CANDOUR GROUP LIMITED"]
    assert result.partly.startswith("companies_house fell short: "), result.partly
    assert f"/appointments?start_index=35 {said}" in result.partly
    assert not result.asked
    row = output_row({"name": "Robin Quillfeather"}, [result])
    assert row["status"] == "incomplete" and "start_index=35" in row["status_detail"], row


def test_a_later_page_not_found_is_never_no_current_appointment(
    policy: Policy, tmp_path: Path
) -> None:
    """A second page of the officer's 70 appointments answering 404 ended the reading as if
    the list had ended: "no current appointment: 35 resigned", 35 never read."""
    missing = ReplySpec(QUILLFEATHER, None, status=404, match={"start_index": "35"})
    result = _quillfeather(policy, tmp_path, *_first_page_then(tmp_path, False, missing))
    assert (result.status, result.reason) == ("error", "error"), result.detail
    assert "start_index=35 answered HTTP 404" in result.detail


def _two_officers(folder: Path) -> ReplySpec:
    """The written officer's search answer with a second officer found after him."""
    recorded = FIXTURES / "companies_house/search_officers_quillfeather.json"
    found = json.loads(recorded.read_text("utf-8"))
    other = copy.deepcopy(found["items"][0])
    other["links"]["self"] = "/officers/Second_Officer-Id02/appointments"
    found["items"].append(other)
    path = folder / "search_two.json"
    path.write_text(json.dumps(found), "utf-8")
    return ReplySpec("/search/officers", path)


@pytest.mark.parametrize("officers", [1, 2])
def test_a_rate_limited_later_page_leaves_the_first_pages_appointment_standing(
    officers: int, policy: Policy, tmp_path: Path
) -> None:
    """A 429 on the second page, read only to look for more, ended the whole search as
    rate_limited: the current appointment the first page gave was not reported (nor when
    another officer was still to be read: the source is rate-limited for the run)."""
    limited = ReplySpec(QUILLFEATHER, None, status=429, match={"start_index": "35"})
    search = _file("/search/officers", "companies_house/search_officers_quillfeather.json")
    result = _replay(
        "companies_house",
        {"full_name": "Robin Quillfeather"},
        [
            _two_officers(tmp_path) if officers == 2 else search,
            *_first_page_then(tmp_path, True, limited),
            _file("/company/08957400", "companies_house/company_candour.json"),
        ],
        policy,
        tmp_path,
    )
    assert result.status == "hit", result.detail
    assert [r.employer for r in result.records] == ["CANDOUR GROUP LIMITED"]
    assert result.partly.startswith("companies_house rate_limited: "), result.partly


def _quillfeather_at(folder: Path, status: str | None) -> Path:
    """The written officer's appointments, his one current company's status made ``status``
    (None: the register gives none)."""
    recorded = FIXTURES / "companies_house/appointments_quillfeather.json"
    listed = json.loads(recorded.read_text("utf-8"))
    company = listed["items"][1]["appointed_to"]
    company.pop("company_status")
    if status is not None:
        company["company_status"] = status
    path = folder / "appointments.json"
    path.write_text(json.dumps(listed), "utf-8")
    return path


def _search_quillfeather(folder: Path, status: str | None, policy: Policy) -> ConnectorResult:
    return _quillfeather(
        policy,
        folder,
        ReplySpec(QUILLFEATHER, _quillfeather_at(folder, status)),
        _file("/company/08957400", "companies_house/company_candour.json"),
    )


def test_an_appointment_at_a_company_in_liquidation_is_no_current_employment(
    policy: Policy, tmp_path: Path
) -> None:
    """A company in liquidation is being wound up: its directors' powers have ceased and its
    registered office is most often the liquidator's. It was given as the officer's current
    employer, that office as where he works."""
    result = _search_quillfeather(tmp_path, "liquidation", policy)
    assert [r.employer for r in result.records] == []
    assert (result.status, result.detail) == (
        "no_result",
        "no current appointment: 1 at a company in liquidation, 1 at a dissolved company, "
        "1 resigned",
    )


@pytest.mark.parametrize(
    "status",
    ["active", "open", "administration", "receivership", "voluntary-arrangement",
     "insolvency-proceedings", None],
)  # fmt: skip
def test_a_company_that_may_still_trade_is_a_current_employer(
    status: str | None, policy: Policy, tmp_path: Path
) -> None:
    """An insolvent company that can go on trading (in administration, receivership or a
    voluntary arrangement), and one whose status the register does not give, still employs."""
    result = _search_quillfeather(tmp_path, status, policy)
    assert [r.employer for r in result.records] == ["CANDOUR GROUP LIMITED"], result.detail


def _organisations(count: int, first: int = 0) -> list[dict[str, Any]]:
    """``count`` NPI-2 records shaped as the recorded one, each its own number and name."""
    recorded = json.loads((FIXTURES / "nppes/api-8bdc8b.json").read_text("utf-8"))["results"][0]
    records = []
    for n in range(first, first + count):
        record = copy.deepcopy(recorded)
        record["number"] = str(1_000_000_000 + n)
        record["basic"]["organization_name"] = f"EXAMPLE CARE {n} LLC"
        records.append(record)
    return records


def test_organisations_past_the_first_fifty_are_read(policy: Policy, tmp_path: Path) -> None:
    """nppes_official asked for 50 organisations and never for more: the debtor's organisation
    listed 51st was lost. A full page (one of its records naming no official: dropped after
    the count) is followed by the next, as nppes pages."""
    first, second = _organisations(50), _organisations(1, first=50)
    del first[7]["basic"]["authorized_official_last_name"]
    pages = []
    for skip, records in ((0, first), (50, second)):
        path = tmp_path / f"npi2_{skip}.json"
        path.write_text(json.dumps({"result_count": len(records), "results": records}), "utf-8")
        pages.append(ReplySpec("/api/", path, match={"skip": str(skip)}))
    result = _replay("nppes_official", {"first_name": "Timothy", "last_name": "Barton"},
                     pages, policy, tmp_path)  # fmt: skip
    assert result.status == "hit", result.detail
    employers = [r.employer for r in result.records]
    assert len(employers) == 50 and "EXAMPLE CARE 7 LLC" not in employers
    assert employers[-1] == "EXAMPLE CARE 50 LLC"  # the second page's


def test_an_insider_written_last_first_with_an_initial_is_read_as_the_person(
    policy: Policy, tmp_path: Path
) -> None:
    """EDGAR writes an owner "Last First Middle": "Maestri Luca A" was read as a given name
    Maestri and a surname A, and the person's own filing scored 0.0, "first name differs:
    another person". It is now written "Maestri, Luca A", and his name agrees."""
    from skiptrace.research.findings import candidates

    form4 = tmp_path / "form4.xml"
    recorded = (FIXTURES / "sec_edgar/aapl-4-20201013.xml").read_text("utf-8")
    form4.write_text(recorded.replace(">Maestri Luca<", ">Maestri Luca A<"), "utf-8")
    replies = [
        _file("/LATEST/search-index", "sec_edgar/efts_search_maestri.json"),
        ReplySpec("/Archives/edgar/data/320193/000112760220026563/wf-form4_160262508633519.xml",
                  form4, content_type="application/xml"),
        _file("/submissions/CIK0000320193.json", "sec_edgar/CIK0000320193.json"),
    ]  # fmt: skip
    debtor = {"full_name": "Luca A. Maestri"}
    result = _replay("sec_edgar", debtor, replies, policy, tmp_path)
    assert [r.person_name for r in result.records] == ["Maestri, Luca A"]
    [found] = candidates(debtor, [result])
    assert found.link.relation == "" and found.link.words.startswith(
        "name: exact; middle name: exact"
    )


def _written(folder: Path, name: str, body: bytes) -> Path:
    path = folder / name
    path.write_bytes(body)
    return path


@pytest.mark.parametrize(
    ("where", "body", "said"),
    [
        ("search", b'{"hits": {"hits": ["Service unavailable"]}}', "none of them a hit"),
        ("filing", b"<html><body>Service unavailable</body></html>", "not a filing: <html>"),
        ("filing", b'<html xmlns="http://www.w3.org/1999/xhtml"><p>Down</p></html>', "<html>"),
        ("filing", b"<Error><Code>SlowDown</Code></Error>", "not a filing: <Error>"),
    ],
    ids=["hits no object", "filing a page", "filing XHTML", "filing an error document"],
)
def test_an_insider_answer_that_is_no_answer_is_an_error_not_no_result(
    where: str, body: bytes, said: str, policy: Policy, tmp_path: Path
) -> None:
    """A hits list of no hit, or a filing answered (HTTP 200) by a well-formed page or error
    document, had been skipped as "not about this person": a final no_hit for an outage."""
    if where == "search":
        search = ReplySpec("/LATEST/search-index", _written(tmp_path, "search.json", body))
        result = _replay("sec_edgar", {"full_name": "Luca Maestri"}, [search], policy, tmp_path)
    else:
        filing = ReplySpec(
            "/Archives/edgar/data/320193/000112760220026563/wf-form4_160262508633519.xml",
            _written(tmp_path, "filing.xml", body),
            content_type="application/xml",
        )
        search = _file("/LATEST/search-index", "sec_edgar/efts_search_maestri.json")
        result = _replay("sec_edgar", {"full_name": "Luca Maestri"}, [search, filing], policy,
                         tmp_path)  # fmt: skip
    assert result.status == "error", (result.status, result.detail)
    assert said in result.detail, result.detail


@pytest.mark.parametrize(
    "body",
    [b"{}", b'{"message": "Too many requests"}', b'{"0": "Service unavailable"}'],
    ids=["empty", "a message", "no company"],
)
def test_a_company_list_of_no_company_is_an_error_not_no_result(
    body: bytes, policy: Policy, tmp_path: Path
) -> None:
    """EDGAR's list of listed companies holds thousands: one holding none had been read as
    "no listed company by that name", a final no_hit."""
    listing = ReplySpec("/files/company_tickers.json", _written(tmp_path, "tickers.json", body))
    result = _replay("sec_edgar_company", {"employer": "Apple Inc."}, [listing], policy, tmp_path)
    assert result.status == "error", (result.status, result.detail)
    assert "no company in the company list" in result.detail, result.detail
