"""Bulk sources SEC EDGAR submissions, SEC Insider Transactions, FMCSA Company Census and IRS EO
BMF (issue 14): each manifest imports a small file in the real format through the CLI, a
malformed line or document is reported by line number (or member) and the rest imported, and
the records are found by ``index search`` and ``lookup --source offline`` with their mailing
address, employer, title, record date and file date. Samples: tests/index/fixtures/*/PROVENANCE.md.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import tomllib
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from skiptrace.cli import app
from skiptrace.index import Store, index_path

FIXTURES = Path(__file__).parent / "fixtures"
BULK = Path(__file__).parents[2] / "bulk"
runner = CliRunner()


@pytest.fixture(autouse=True)
def home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    folder = tmp_path / "skiptrace-home"
    monkeypatch.setenv("SKIPTRACE_HOME", str(folder))
    return folder


def _zip(folder: Path, target: Path) -> Path:
    """The files of ``folder`` as members at the root of a ZIP, as the agencies publish them."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, path.name)
    return target


def _import(source: str, path: Path, *extra: str) -> Any:
    result = runner.invoke(app, ["index", "import", source, str(path), "--no-progress", *extra])
    assert result.exit_code == 0, result.output
    return result


def _search(*args: str) -> list[dict[str, Any]]:
    result = runner.invoke(app, ["index", "search", *args, "--json"])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def _lookup(name: str, *extra: str) -> list[dict[str, Any]]:
    """The records ``lookup --source offline`` ranks for ``name``."""
    args = ["lookup", "--source", "offline", "--name", name, "--purpose", "test", "--json"]
    result = runner.invoke(app, [*args, *extra])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert [s["status"] for s in payload["sources"]] == ["hit"]
    return [candidate["record"] for candidate in payload["candidates"]]


def _place(hit: dict[str, Any], role: str) -> dict[str, Any]:
    places = [p for p in hit["places"] if p["role"] == role]
    assert len(places) == 1, hit["places"]
    place: dict[str, Any] = places[0]
    return place


def _one(hits: list[dict[str, Any]], **want: str) -> dict[str, Any]:
    found = [h for h in hits if all(h[k] == v for k, v in want.items())]
    assert len(found) == 1, hits
    return found[0]


def _line(address: dict[str, Any]) -> tuple[Any, ...]:
    return (*address["lines"], address["city"], address["region"], address["postal_code"])


# --- manifests ----------------------------------------------------------------------------

MANIFESTS = ("sec_submissions", "sec_insiders", "fmcsa_census", "irs_eo_bmf")


def test_the_four_manifests_load_and_are_listed() -> None:
    result = runner.invoke(app, ["index", "sources"])
    assert result.exit_code == 0, result.output
    refused = [line for line in result.stderr.splitlines() if "not loaded" in line]
    for source in MANIFESTS:
        assert source in result.stdout
        assert not [line for line in refused if f"{source}.toml" in line]


def test_each_source_names_the_page_it_is_downloaded_from_on_a_line_of_its_own(
    tmp_path: Path,
) -> None:
    """A collector importing a source needs its publisher's page: the URL whole on one line,
    however narrow the terminal, and a third party's page with no escape let through."""
    extra = tmp_path / "bulk"
    extra.mkdir()
    (extra / "mine.toml").write_text(
        'id = "mine"\nname = "a third party\'s"\nlicence = "theirs"\n'
        'homepage = "https://mine.example/\\u001b[2Jx"\n'  # TOML's escape for ESC
        '[[file]]\nmember = "mine_*.csv"\nformat = "csv"\nkey = "id"\n'
        '[[file.record]]\npart = "x"\nkind = "person"\nname = "n"\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["index", "sources", "--bulk-dir", str(extra)],
                           env={"COLUMNS": "40"})  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    for path in BULK.glob("*.toml"):
        document = tomllib.loads(path.read_text(encoding="utf-8"))
        assert f"  {document['id']}" in next(line for line in lines if document["homepage"] in line)
    (mine,) = [line for line in lines if "mine.example" in line]
    assert "\x1b" not in mine and mine.startswith("  mine ") and mine.endswith("[2Jx")


@pytest.mark.parametrize("command", [["sources"], ["import", "nppes", "nowhere.zip"]])
def test_a_bulk_dir_that_is_no_folder_is_a_usage_error(tmp_path: Path, command: list[str]) -> None:
    """As ``--connectors-dir``: a mistyped folder had been one "not loaded" line, and the
    command went on without the sources it was given (exit 0 for ``index sources``)."""
    result = runner.invoke(app, ["index", command[0], "--bulk-dir", str(tmp_path / "missing"),
                                 *command[1:]])  # fmt: skip
    assert result.exit_code == 2, result.output
    assert f"--bulk-dir {tmp_path / 'missing'}: not a folder" in result.output


def _values(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [v for key, item in node.items() if key != "matches" for v in _values(item)]
    if isinstance(node, list):
        return [v for item in node for v in _values(item)]
    return [node] if isinstance(node, str) else []


@pytest.mark.parametrize("source", MANIFESTS)
def test_no_manifest_reads_a_contact_channel(source: str) -> None:
    document = tomllib.loads((BULK / f"{source}.toml").read_text(encoding="utf-8"))
    read = [v for f in document["file"] for v in _values(f)]
    assert read, source
    assert not [v for v in read if re.search(r"(?i)phone|fax|e-?mail|website", v)]


# --- SEC EDGAR submissions.zip ------------------------------------------------------------


@pytest.fixture
def submissions(tmp_path: Path) -> Any:
    path = _zip(FIXTURES / "sec_submissions" / "members", tmp_path / "submissions.zip")
    return _import("sec_submissions", path, "--file-date", "2026-11-30")


def test_submissions_reads_filers_skips_overflow_pages_and_reports_a_broken_document(
    submissions: Any,
) -> None:
    # 4 filers' documents: Apple, a person, a fund, one cut short; the overflow page is not read
    assert "3 rows read, 3 records, 1 malformed rows skipped" in submissions.stdout
    assert "skipped: submissions.zip:CIK0001999003.json: not JSON" in submissions.stderr
    with Store(index_path()) as store:
        assert store.counts() == [
            ("sec_submissions", "organisation", 2),
            ("sec_submissions", "person", 1),
        ]


def test_submissions_gives_apple_its_mailing_and_business_addresses(submissions: Any) -> None:
    apple = _one(_search("--employer", "Apple Inc"), key="320193")
    assert (apple["kind"], apple["name"], apple["part"]) == (
        "organisation",
        "Apple Inc.",
        "company",
    )
    for role in ("mailing", "business"):
        place = _place(apple, role)
        assert (place["lines"], place["city"], place["region"], place["postcode"]) == (
            ["ONE APPLE PARK WAY"], "CUPERTINO", "CA", "95014"
        )  # fmt: skip
    assert apple["updated"] == "2023-08-08"  # the latest filing in filings.recent
    assert apple["file_date"] == "2026-11-30"
    assert apple["member"] == "CIK0000320193.json"
    assert apple["record_url"] == "https://www.sec.gov/Archives/edgar/data/320193"
    # found by a former name too
    assert _one(_search("--employer", "Apple Computer Inc"), key="320193")["name"] == "Apple Inc."


def test_submissions_gives_a_reporting_person_a_correspondence_address(submissions: Any) -> None:
    person = _one(_search("--name", "Margaret Quillfeather"), source="sec_submissions")
    assert (person["kind"], person["name"], person["key"]) == (
        "person", "Quillfeather Margaret A", "1999001"
    )  # fmt: skip
    assert [p["role"] for p in person["places"]] == ["correspondence"]
    assert person["updated"] == "2026-10-14"
    records = _lookup("Margaret Quillfeather")
    record = _one(records, source_id="1999001")
    assert _line(record["mailing_address"]) == (
        "C/O ORCHARD WIDGETS INC", "100 EXAMPLE PARKWAY", "SPRINGFIELD", "IL", "62701"
    )  # fmt: skip
    assert record["record_date"] == "2026-10-14"
    assert record["provenance"]["fetched_at"] == "2026-11-30"
    assert record["provenance"]["source_url"] == (
        "sec_submissions submissions.zip:CIK0001999001.json line 1"
    )


def test_submissions_keeps_an_insider_fund_an_organisation(submissions: Any) -> None:
    fund = _one(_search("--employer", "Blue Heron Capital Partners LP"), key="1999002")
    assert (fund["kind"], fund["part"]) == ("organisation", "entity")
    assert _place(fund, "mailing")["lines"] == ["200 EXAMPLE SQUARE", "SUITE 5"]
    assert _search("--name", "Heron Blue") == []


# --- SEC Insider Transactions data sets -----------------------------------------------------


@pytest.fixture
def insiders(tmp_path: Path) -> Any:
    folder = FIXTURES / "sec_insiders" / "2026q3_form345"
    return _import("sec_insiders", _zip(folder, tmp_path / "2026q3_form345.zip"))


def test_insiders_dates_the_file_by_its_quarter_and_reports_a_short_row(insiders: Any) -> None:
    assert "2026q3_form345.zip (2026-09-30, full)" in insiders.stdout
    assert "5 rows read, 4 records, 1 malformed rows skipped" in insiders.stdout  # 2 filings of one
    assert (
        "skipped: 2026q3_form345.zip:REPORTINGOWNER.tsv line 6: 12 fields where the header has 13"
        in insiders.stderr
    )
    assert _search("--name", "Pieter Vantongeren") == []
    # the row after the bad one is in
    irena = _one(_search("--name", "Irena Szczepanska"), key="1999013 1999100")
    assert (irena["employer"], irena["title"], irena["updated"]) == (
        "Orchard Widgets Inc", "Chief Operating Officer", "2026-07-21"
    )  # fmt: skip
    assert irena["line"] == 7


def test_insiders_make_the_issuer_an_officers_employer_newest_filing_first(insiders: Any) -> None:
    hits = _search("--name", "Margaret Quillfeather")
    owner = _one(hits, source="sec_insiders")
    assert owner["key"] == "1999001 1999100"  # owner CIK and issuer CIK
    assert (owner["employer"], owner["title"]) == ("Orchard Widgets Inc", "Chief Financial Officer")
    assert owner["updated"] == "2026-09-14"  # 14-SEP-2026 beats the 04-AUG-2026 filing
    assert owner["file_date"] == "2026-09-30"
    assert owner["record_url"] == ""
    record = _one(_lookup("Margaret Quillfeather"), source_id="1999001 1999100")
    assert (record["employer"], record["title"]) == (
        "Orchard Widgets Inc",
        "Chief Financial Officer",
    )
    assert _line(record["mailing_address"]) == (
        "C/O ORCHARD WIDGETS INC", "100 EXAMPLE PARKWAY", "SPRINGFIELD", "IL", "62701"
    )  # fmt: skip
    assert (record["record_date"], record["provenance"]["fetched_at"]) == (
        "2026-09-14", "2026-09-30"
    )  # fmt: skip


def test_insiders_index_a_director_of_a_group_filing_but_not_its_fund(insiders: Any) -> None:
    director = _one(_search("--name", "Dele Okonkwo-Baptiste"), key="1999011 1999200")
    assert (director["employer"], director["title"]) == ("Lantern Freight Systems Corp", "")
    assert _place(director, "correspondence")["city"] == "TACOMA"
    with Store(index_path()) as store:
        assert store.counts() == [("sec_insiders", "person", 3)]


# --- FMCSA Company Census -----------------------------------------------------------------

CENSUS = FIXTURES / "fmcsa_census" / "Company_Census_File_20261130.csv"


@pytest.fixture
def census() -> Any:
    return _import("fmcsa_census", CENSUS)


def test_census_dates_the_export_by_its_name_and_reports_a_cut_row(census: Any) -> None:
    assert "Company_Census_File_20261130.csv (2026-11-30, full)" in census.stdout
    assert "3 rows read, 7 records, 1 malformed rows skipped" in census.stdout
    assert (
        "skipped: Company_Census_File_20261130.csv line 4: 40 fields where the header has 147"
        in census.stderr
    )
    assert "column not in the header" not in census.stderr
    assert _search("--employer", "Truncated Transport Co") == []
    again = _import("fmcsa_census", CENSUS)  # the same file again: nothing to do
    assert "was imported already: 7 records; nothing to do" in again.stdout


def test_census_gives_a_carrier_its_mailing_and_physical_addresses(census: Any) -> None:
    carrier = _one(_search("--employer", "PH Express"), key="3999001")  # by its DBA name
    assert (carrier["name"], carrier["kind"]) == ("PRAIRIE HAULING, LLC", "organisation")
    mailing, physical = _place(carrier, "mailing"), _place(carrier, "business")
    assert (mailing["lines"], mailing["city"], mailing["postcode"]) == (
        ["PO BOX 4417"], "DES MOINES", "50306"
    )  # fmt: skip
    assert (physical["lines"], physical["postcode"]) == (["12 EXAMPLE INDUSTRIAL DR"], "50309")
    assert (carrier["updated"], carrier["file_date"]) == ("2026-04-12", "2026-11-30")


@pytest.mark.parametrize(
    ("name", "key", "part", "employer", "city"),
    [
        ("Rosalind Achterberg", "3999001", "officer_1", "PRAIRIE HAULING, LLC", "DES MOINES"),
        ("Bartholomew Ngata", "3999001", "officer_2", "PRAIRIE HAULING, LLC", "DES MOINES"),
        ("Chidinma Okafor", "3999004", "officer_1", "GRANITE STATE MOVERS INC", "CONCORD"),
    ],
)
def test_census_officers_work_for_the_carrier_at_its_physical_address(
    census: Any, name: str, key: str, part: str, employer: str, city: str
) -> None:
    officer = _one(_search("--name", name), key=key, part=part)
    assert (officer["kind"], officer["employer"], officer["title"]) == ("person", employer, "")
    assert [p["role"] for p in officer["places"]] == ["business"]
    assert officer["places"][0]["city"] == city
    assert officer["file_date"] == "2026-11-30"


def test_census_lookup_gives_an_officer_an_employer_and_no_mailing_address(census: Any) -> None:
    record = _one(_lookup("Rosalind Achterberg"), source_id="3999001")
    assert (record["person_name"], record["employer"]) == (
        "ROSALIND T ACHTERBERG", "PRAIRIE HAULING, LLC"
    )  # fmt: skip
    assert _line(record["employer_address"]) == ("12 EXAMPLE INDUSTRIAL DR", "DES MOINES", "IA",
                                                 "50309")  # fmt: skip
    assert _line(record["mailing_address"]) == ("", "", "")  # a workplace is not a mailing address
    assert (record["record_date"], record["provenance"]["fetched_at"]) == (
        "2026-04-12", "2026-11-30"
    )  # fmt: skip
    assert record["phone"] == ""


def test_census_never_stores_phones_or_email(census: Any) -> None:
    with sqlite3.connect(index_path()) as db:
        dump = "\n".join(db.iterdump())
    assert "PRAIRIE HAULING" in dump
    for contact in ("0005550101", "0005550102", "0005550103", "0005550201", "@prairie-hauling",
                    "wjpike@"):  # fmt: skip
        assert contact not in dump


# --- IRS EO BMF ---------------------------------------------------------------------------

EO = FIXTURES / "irs_eo_bmf" / "eo1.csv"


@pytest.fixture
def eo_bmf() -> Any:
    return _import("irs_eo_bmf", EO, "--file-date", "2026-11-10")


def test_eo_bmf_reports_a_line_with_a_stray_comma_and_reads_the_rest(eo_bmf: Any) -> None:
    assert "eo1.csv (2026-11-10, full)" in eo_bmf.stdout
    assert "4 rows read, 5 records, 1 malformed rows skipped" in eo_bmf.stdout
    assert "skipped: eo1.csv line 5: 29 fields where the header has 28" in eo_bmf.stderr
    assert _search("--name", "Augustine Mbeki") == []
    beekeepers = _one(_search("--employer", "Example Valley Beekeepers"), key="990100005")
    assert beekeepers["line"] == 6
    assert beekeepers["aliases"] == ["EVB CHAPTER 12"]  # SORT_NAME


def test_eo_bmf_gives_an_organisation_its_mailing_address(eo_bmf: Any) -> None:
    charity = _one(_search("--employer", "Hope Faith and Charity Foundation"), key="990100003")
    assert charity["name"] == "HOPE, FAITH AND CHARITY FOUNDATION"  # quoted, comma kept
    place = _place(charity, "mailing")
    assert (place["lines"], place["city"], place["region"], place["postcode"]) == (
        ["500 EXAMPLE ST STE 900"], "OMAHA", "NE", "68102"
    )  # fmt: skip
    assert (charity["updated"], charity["file_date"]) == ("2023-12-01", "2026-11-10")


def test_eo_bmf_in_care_of_person_takes_the_organisations_mail(eo_bmf: Any) -> None:
    person = _one(_search("--name", "Loretta Vance-Oyelaran"), key="990100001")
    assert (person["kind"], person["part"]) == ("person", "in_care_of")
    assert person["name"] == "% LORETTA VANCE-OYELARAN"  # as printed: see PROVENANCE.md
    assert (person["employer"], person["title"]) == ("FRIENDS OF EXAMPLE CREEK PARK", "in care of")
    assert person["updated"] == "2025-06-01"  # TAX_PERIOD 202506
    record = _one(_lookup("Loretta Vance-Oyelaran"), source_id="990100001")
    assert _line(record["mailing_address"]) == ("PO BOX 311", "MAPLETON", "OR", "97453-0311")
    assert (record["employer"], record["title"]) == ("FRIENDS OF EXAMPLE CREEK PARK", "in care of")
    assert (record["record_date"], record["provenance"]["fetched_at"]) == (
        "2025-06-01", "2026-11-10"
    )  # fmt: skip


def test_eo_bmf_makes_no_person_of_a_bank_or_a_c_o_line(eo_bmf: Any) -> None:
    with Store(index_path()) as store:
        assert store.counts() == [("irs_eo_bmf", "organisation", 4), ("irs_eo_bmf", "person", 1)]
    assert _search("--name", "Tobias Erlingsson") == []  # "C/O TOBIAS ...": see PROVENANCE.md
    rowing = _one(_search("--employer", "Riverside Rowing Association"), key="990100002")
    assert _place(rowing, "mailing")["city"] == "BANGOR"


def test_eo_bmf_without_a_file_date_takes_the_files_modification_day(tmp_path: Path) -> None:
    copy = tmp_path / "eo_or.csv"
    shutil.copy(EO, copy)
    stamp = datetime(2026, 10, 5, 12, tzinfo=UTC).timestamp()
    os.utime(copy, (stamp, stamp))
    result = _import("irs_eo_bmf", copy)
    assert "eo_or.csv (2026-10-05, full)" in result.stdout
    assert (
        _one(_search("--employer", "Riverside Rowing Association"), key="990100002")["file_date"]
        == "2026-10-05"
    )
