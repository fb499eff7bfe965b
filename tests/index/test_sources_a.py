"""Bulk sources NPPES, GLEIF Golden Copy, Companies House basic company data and the PSC
snapshot (issue 14): each manifest in bulk/ imports small files in the published format
(tests/index/fixtures/<source>/, PROVENANCE.md in each) through ``skiptrace index import``, and
the records are found through ``skiptrace lookup --source offline`` and ``index search``, with
their mailing address, employer, title, record date and the file's date. A malformed line is
reported with its line number and the rest imported.

SKIPTRACE_HOME is a fresh folder per test (the autouse ``offline`` fixture in conftest.py).
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

from typer.testing import CliRunner, Result

from skiptrace.cli import app
from skiptrace.index import Store, index_path

runner = CliRunner()
FIXTURES = Path(__file__).parent / "fixtures"
NPPES = FIXTURES / "nppes"
GLEIF = FIXTURES / "gleif_golden_copy" / "20261115-0800-gleif-goldencopy-lei2-golden-copy.csv"
CH = FIXTURES / "companies_house_basic"
CH_PART1 = CH / "BasicCompanyData-2026-11-01-part1_2.csv"
CH_PART2 = CH / "BasicCompanyData-2026-11-01-part2_2.csv"
PSC = FIXTURES / "companies_house_psc" / "persons-with-significant-control-snapshot-2026-11-20.txt"
CH_PAGE = "https://find-and-update.company-information.service.gov.uk/company/"


# --- helpers --------------------------------------------------------------------------------


def run(*args: str) -> Result:
    return runner.invoke(app, list(args))


def imported(source: str, *files: Path) -> Result:
    result = run("index", "import", source, *map(str, files), "--no-progress")
    assert result.exit_code == 0, result.output
    assert "column not in the header" not in result.stderr  # every mapped column resolved
    return result


def lookup(name: str, *extra: str) -> list[dict[str, Any]]:
    """The records ``lookup --source offline`` returns for ``name``, best first ([] when none)."""
    result = run("lookup", "--source", "offline", "--name", name, *extra,
                 "--purpose", "test", "--json")  # fmt: skip
    assert result.exit_code in (0, 1), result.output
    assert "offline: hit" in result.stderr or result.exit_code == 1
    return [c["record"] for c in json.loads(result.stdout)["candidates"]]


def only(name: str) -> dict[str, Any]:
    records = lookup(name)
    assert len(records) == 1, records
    return records[0]


def found(name: str) -> dict[str, Any]:
    """The one record ``index search --name`` finds (faster than a lookup: no connectors)."""
    hits = search("--name", name)
    assert len(hits) == 1, hits
    return hits[0]


def search(*args: str) -> list[dict[str, Any]]:
    result = run("index", "search", *args, "--json")
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def address(record: dict[str, Any], field: str = "mailing_address") -> tuple[Any, ...]:
    a = record[field]
    return (*a["lines"], a["city"], a["region"], a["postal_code"], a["country"])


def places(hit: dict[str, Any], role: str) -> list[tuple[Any, ...]]:
    """A hit's addresses of one role, its own first, then those side files add to its key."""
    return [(*p["lines"], p["city"], p["region"], p["postcode"], p["country"])
            for p in hit["places"] if p["role"] == role]  # fmt: skip


def place(hit: dict[str, Any], role: str) -> tuple[Any, ...]:
    return places(hit, role)[0]


def bundle(path: Path, members: dict[str, Path | str]) -> Path:
    """A ZIP at ``path`` holding each member (a file's bytes, or text)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            if isinstance(content, Path):
                archive.write(content, name)
            else:
                archive.writestr(name, content)
    return path


def copy(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    return target


def counts() -> dict[tuple[str, str], int]:
    with Store(index_path()) as store:
        return {(source, kind): n for source, kind, n in store.counts()}


# --- NPPES ----------------------------------------------------------------------------------


def test_nppes_v2_main_file_an_organisation_and_its_authorized_official(tmp_path: Path) -> None:
    # the real 330-column V2 row, under the name the monthly bundle gives its main file
    main = copy(NPPES / "npidata_1063947125.csv", tmp_path / "npidata_pfile_20050523-20251109.csv")
    result = imported("nppes", main)
    assert ("nppes: npidata_pfile_20050523-20251109.csv (2025-11-09, full): 1 rows read, "
            "2 records, 0 malformed rows skipped") in result.stdout  # fmt: skip

    official = only("Brandon Meyer")
    assert official["person_name"] == "BRANDON MEYER"
    assert official["employer"] == "LOVETTSVILLE DENTAL ARTS"
    assert official["title"] == "OWNER"
    assert address(official, "employer_address") == (
        "2 N LIGHT ST", "LOVETTSVILLE", "VA", "201808613", "US")  # fmt: skip
    assert address(official) == ("", "", "", "")  # a practice is no mailing address
    assert official["record_date"] == "2017-05-09"
    assert official["provenance"]["fetched_at"] == "2025-11-09"
    assert official["provenance"]["source_url"] == (
        "nppes npidata_pfile_20050523-20251109.csv line 2")  # fmt: skip
    assert official["record_url"] == "https://npiregistry.cms.hhs.gov/provider-view/1063947125"

    [org] = search("--employer", "Lovettsville Dental Arts")
    assert (org["kind"], org["key"], org["file_date"]) == (
        "organisation",
        "1063947125",
        "2025-11-09",
    )
    assert place(org, "mailing") == ("2 N LIGHT ST", "LOVETTSVILLE", "VA", "201808613", "US")


def test_nppes_legacy_329_columns_people_organisations_and_a_deactivated_stub(
    tmp_path: Path,
) -> None:
    main = copy(NPPES / "npidata_legacy329_head111.csv",
                tmp_path / "npidata_pfile_20050523-20180114.csv")  # fmt: skip
    result = imported("nppes", main)
    # 85 individuals, 25 organisations with their officials; the stub (no entity type) gives none
    assert "(2018-01-14, full): 111 rows read, 135 records, 0 malformed" in result.stdout
    assert counts() == {("nppes", "person"): 110, ("nppes", "organisation"): 25}
    assert search("--name", "x 1427051457") == []

    # an individual's mailing address (a PO box) apart from the practice
    wiebe = only("David Wiebe")
    assert address(wiebe) == ("PO BOX 2168", "KEARNEY", "NE", "688482168", "US")
    assert (wiebe["record_date"], wiebe["provenance"]["fetched_at"]) == ("2007-07-08", "2018-01-14")
    assert wiebe["source_id"] == "1679576722"

    norris = found("Renee Norris")
    assert (norris["employer"], norris["title"]) == ("COLLABRIA CARE", "CFO")
    assert place(norris, "business")[:2] == ("414 S JEFFERSON ST", "NAPA")
    assert norris["updated"] == "2016-06-30"
    # the organisation is found by its other name too
    [collabria] = search("--employer", "Napa Valley Hospice & Adult Day Services")
    assert collabria["name"] == "COLLABRIA CARE"


MONTHLY = {
    "npidata_pfile_20050523-20251109.csv": NPPES / "npidata_synthetic_v2.csv",
    "othername_pfile_20050523-20251109.csv": NPPES / "othername_pfile_20251103-20251109.head40.csv",
    "pl_pfile_20050523-20251109.csv": NPPES / "pl_pfile_20251103-20251109.head40.csv",
}
"""The monthly bundle's members: the synthetic main file (its NPIs are those of the real side
files) and the heads of the real other-name and practice-location files."""


def _import_monthly(tmp_path: Path, packaging: str) -> None:
    files = MONTHLY
    if packaging == "zip":
        header = (NPPES / "npidata_synthetic_v2.csv").read_text().splitlines()[0] + "\n"
        members: dict[str, Path | str] = {
            **files,
            "npidata_pfile_20050523-20251109_fileheader.csv": header,
            "othername_pfile_20050523-20251109_fileheader.csv": "x\n",
            "NPPES_Data_Dissemination_Readme_v.2.pdf": "%PDF-1.4 not read\n",
        }
        zipped = bundle(tmp_path / "NPPES_Data_Dissemination_November_2025_V2.zip", members)
        result = imported("nppes", zipped)
        assert ("NPPES_Data_Dissemination_November_2025_V2.zip (2025-11-09, full): 82 rows "
                "read, 3 records, 0 malformed") in result.stdout  # fmt: skip
    else:
        plain = [copy(path, tmp_path / name) for name, path in files.items()]
        result = imported("nppes", *plain)
        assert "npidata_pfile_20050523-20251109.csv (2025-11-09, full): 2 rows read, 3 rec" in (
            result.stdout)  # fmt: skip
        assert "othername_pfile_20050523-20251109.csv (2025-11-09, full): 40 rows" in result.stdout
        assert "pl_pfile_20050523-20251109.csv (2025-11-09, full): 40 rows" in result.stdout


def _check_monthly() -> None:
    official = found("Prudence Quillfeather")
    assert (official["employer"], official["title"]) == (
        "QUILLFEATHER WELLNESS GROUP LLC", "MANAGING MEMBER")  # fmt: skip
    assert place(official, "business") == (
        "745 OLD MAYFIELD RD", "DANVILLE", "VA", "245416056", "US")  # fmt: skip
    assert (official["updated"], official["file_date"]) == ("2025-10-01", "2025-11-09")

    person = found("Zebediah Markleworth")
    assert place(person, "mailing") == (
        "88 HOLLOW PINE LN", "MARTINSVILLE", "VA", "241121234", "US")  # fmt: skip
    assert (person["title"], person["employer"], person["updated"]) == ("", "", "2024-07-22")

    # the real other-name file names the organisation "Butterfly Haven LLC" (a DBA), and the
    # real practice-location file adds its secondary location
    [org] = search("--employer", "Butterfly Haven LLC")  # the organisation, not its official
    assert org["name"] == "QUILLFEATHER WELLNESS GROUP LLC"
    assert "Butterfly Haven LLC" in org["aliases"]
    assert place(org, "mailing") == ("PO BOX 4410", "DANVILLE", "VA", "245430441", "US")
    assert places(org, "business") == [
        ("745 OLD MAYFIELD RD", "DANVILLE", "VA", "245416056", "US"),
        ("745 Old Mayfield Rd", "Danville", "VA", "245416056", "US"),
    ]


def test_nppes_monthly_bundle_as_a_zip_with_its_side_files(tmp_path: Path) -> None:
    _import_monthly(tmp_path, "zip")
    _check_monthly()
    official = only("Prudence Quillfeather")
    assert official["employer"] == "QUILLFEATHER WELLNESS GROUP LLC"
    assert official["title"] == "MANAGING MEMBER"
    assert address(official, "employer_address") == (
        "745 OLD MAYFIELD RD", "DANVILLE", "VA", "245416056", "US")  # fmt: skip
    assert (official["record_date"], official["provenance"]["fetched_at"]) == (
        "2025-10-01", "2025-11-09")  # fmt: skip
    assert official["provenance"]["source_url"] == (
        "nppes NPPES_Data_Dissemination_November_2025_V2.zip:"
        "npidata_pfile_20050523-20251109.csv line 2")  # fmt: skip


def test_nppes_monthly_files_as_plain_csvs(tmp_path: Path) -> None:
    _import_monthly(tmp_path, "plain")
    _check_monthly()


def _check_weekly_upsert(result: Result) -> None:
    assert "(2025-11-16, delta): 1 rows read, 1 records" in result.stdout
    assert "0 older rows removed" in result.stdout
    person = found("Zebediah Markleworth")
    assert place(person, "mailing") == (
        "5 RIVERBEND CT", "APT 12", "ROANOKE", "VA", "240161111", "US")  # fmt: skip
    assert (person["updated"], person["file_date"]) == ("2025-11-12", "2025-11-16")
    # the rest of the monthly file stays
    assert found("Prudence Quillfeather")["employer"] == "QUILLFEATHER WELLNESS GROUP LLC"
    assert counts() == {("nppes", "person"): 2, ("nppes", "organisation"): 1}


def test_nppes_weekly_zip_upserts_a_changed_record(tmp_path: Path) -> None:
    _import_monthly(tmp_path, "zip")
    weekly = bundle(tmp_path / "NPPES_Data_Dissemination_111025_111625_Weekly_V2.zip",
                    {"npidata_pfile_20251110-20251116.csv":
                     NPPES / "npidata_synthetic_weekly_v2.csv"})  # fmt: skip
    _check_weekly_upsert(imported("nppes", weekly))
    person = only("Zebediah Markleworth")
    assert address(person) == ("5 RIVERBEND CT", "APT 12", "ROANOKE", "VA", "240161111", "US")
    assert (person["record_date"], person["provenance"]["fetched_at"]) == (
        "2025-11-12", "2025-11-16")  # fmt: skip


def test_nppes_weekly_csv_on_its_own_is_a_delta_too(tmp_path: Path) -> None:
    # its name starts at the week's Monday, not at 20050523 as every monthly file does
    _import_monthly(tmp_path, "plain")
    weekly = copy(NPPES / "npidata_synthetic_weekly_v2.csv",
                  tmp_path / "npidata_pfile_20251110-20251116.csv")  # fmt: skip
    _check_weekly_upsert(imported("nppes", weekly))


# --- GLEIF Golden Copy ----------------------------------------------------------------------


def test_gleif_golden_copy_zip(tmp_path: Path) -> None:
    zipped = bundle(tmp_path / (GLEIF.name + ".zip"), {GLEIF.name: GLEIF})
    result = imported("gleif_golden_copy", zipped)
    assert ("gleif_golden_copy: 20261115-0800-gleif-goldencopy-lei2-golden-copy.csv.zip "
            "(2026-11-15, full): 3 rows read, 2 records, 1 malformed rows skipped") in (
        result.stdout)  # fmt: skip
    assert (f"skipped: {zipped.name}:{GLEIF.name} line 3: 325 fields where the header has 324"
            in result.stderr)  # fmt: skip
    # the ANNULLED LEI is skipped: one sole proprietor, one legal entity
    assert counts() == {("gleif_golden_copy", "organisation"): 1,
                        ("gleif_golden_copy", "person"): 1}  # fmt: skip

    # a sole proprietor: a person, the headquarters as mailing address (number apart in the CDF)
    owner = only("Ottilie Vandersloot")
    assert owner["person_name"] == "Ottilie Marguerite Vandersloot"
    assert address(owner) == ("Weender Landstraße 3", "2. OG", "Göttingen", "DE-NI", "37075", "DE")
    assert owner["title"] == "sole proprietor (LEI holder)"
    assert (owner["record_date"], owner["provenance"]["fetched_at"]) == (
        "2026-03-14", "2026-11-15")  # fmt: skip
    assert owner["source_id"] == "3912009VDSLOOT7Q5533"
    assert owner["record_url"] == "https://search.gleif.org/#/record/3912009VDSLOOT7Q5533"

    # a legal entity: legal (registered agent's, with its mail routing) and headquarters address
    [entity] = search("--employer", "Holloway Fennimore Trust Company, Inc.")
    assert entity["kind"] == "organisation"
    assert place(entity, "registered") == ("C/O The Registered Agents Company",
                                           "1209 Orange Street", "Wilmington", "US-DE", "19801",
                                           "US")  # fmt: skip
    assert place(entity, "business") == (
        "1200 SW Alder Street", "Suite 400", "Portland", "US-OR", "97205", "US")  # fmt: skip
    assert (entity["updated"], entity["file_date"]) == ("2026-09-02", "2026-11-15")
    # found by its trading name too
    assert [h["key"] for h in search("--employer", "Fennimore Trust")] == ["5493007HFTRUSTCO0128"]


def test_gleif_golden_copy_plain_csv_is_dated_by_its_name(tmp_path: Path) -> None:
    result = imported("gleif_golden_copy", copy(GLEIF, tmp_path / GLEIF.name))
    assert "(2026-11-15, full): 3 rows read, 2 records, 1 malformed" in result.stdout
    assert f"skipped: {GLEIF.name} line 3: 325 fields" in result.stderr


# --- Companies House ------------------------------------------------------------------------


def test_companies_house_basic_data_in_parts(tmp_path: Path) -> None:
    part1 = bundle(tmp_path / "BasicCompanyData-2026-11-01-part1_2.zip", {CH_PART1.name: CH_PART1})
    part2 = copy(CH_PART2, tmp_path / CH_PART2.name)
    result = imported("companies_house_basic", part1, part2)
    assert ("BasicCompanyData-2026-11-01-part1_2.zip (2026-11-01, full): 3 rows read, 3 records, "
            "1 malformed rows skipped") in result.stdout  # fmt: skip
    assert (f"skipped: {part1.name}:{CH_PART1.name} line 3: 12 fields where the header has 55"
            in result.stderr)  # fmt: skip
    # the second part of the same month keeps the first
    assert "BasicCompanyData-2026-11-01-part2_2.csv (2026-11-01, full): 1 rows read" in (
        result.stdout)  # fmt: skip
    assert counts() == {("companies_house_basic", "organisation"): 4}

    # " CompanyNumber", " RegAddress.AddressLine2", " PreviousName_1.CompanyName": leading spaces
    [company] = search("--employer", "Quillon Teapot Works Limited")
    assert company["key"] == "09876543"
    assert company["record_url"] == CH_PAGE + "09876543"
    assert place(company, "registered") == (
        "UNIT 4 MILLBROOK YARD",
        "STATION ROAD",
        "HEBDEN BRIDGE",
        "WEST YORKSHIRE",
        "HX7 8AA",
        "",
    )
    assert company["aliases"] == ["QUILLON CERAMICS LIMITED"]
    assert (company["updated"], company["file_date"]) == ("", "2026-11-01")  # no update column
    assert [h["key"] for h in search("--employer", "Quillon Ceramics Ltd")] == ["09876543"]

    # care of and PO box come first; a comma inside a quoted value stays in it
    [scottish] = search("--employer", "Bramblecombe Holdings Limited")
    assert place(scottish, "registered") == (
        "FERNWICK & DALE ACCOUNTANTS", "7781", "FLAT 2, 12 HARBOUR LANE", "ABERDEEN", "",
        "AB11 5XY", "SCOTLAND")  # fmt: skip
    [bakery] = search("--employer", "Old Forge Bakery")
    assert (bakery["name"], bakery["key"]) == ('"OLD FORGE" BAKERY LIMITED', "00412345")
    [llp] = search("--employer", "Larkspur & Moss LLP")
    assert (llp["key"], llp["member"]) == ("OC456789", CH_PART2.name)


def test_companies_house_psc_individuals_with_their_company(tmp_path: Path) -> None:
    snapshot = bundle(tmp_path / "persons-with-significant-control-snapshot-2026-11-20.zip",
                      {PSC.name: PSC})  # fmt: skip
    result = imported("companies_house_psc", snapshot)
    # 6 statements read (the 7th line is broken): 2 live individuals; the ceased one, the
    # corporate entity, the super-secure one and the totals line give no record
    assert ("(2026-11-20, full): 6 rows read, 2 records, 1 malformed rows skipped") in result.stdout
    assert f"skipped: {snapshot.name}:{PSC.name} line 4: not JSON" in result.stderr

    # before the company data is imported, the company is not named
    assert found("Winifred Quillon")["employer"] == ""
    imported("companies_house_basic", copy(CH_PART1, tmp_path / CH_PART1.name))

    psc = only("Winifred Quillon")
    assert psc["person_name"] == "Winifred Ada Quillon"
    assert address(psc) == ("14 Lark Rise", "Heptonstall", "West Yorkshire", "HX7 7PL", "England")
    assert psc["employer"] == "QUILLON TEAPOT WORKS LIMITED"
    assert address(psc, "employer_address") == (
        "UNIT 4 MILLBROOK YARD",
        "STATION ROAD",
        "HEBDEN BRIDGE",
        "WEST YORKSHIRE",
        "HX7 8AA",
        "",
    )
    assert psc["title"] == "person with significant control"
    assert (psc["record_date"], psc["provenance"]["fetched_at"]) == ("2016-04-06", "2026-11-20")
    assert psc["source_id"] == (
        "/company/09876543/persons-with-significant-control/individual/Xq1bVn0fWm3TzQ8Rk2LcYd5Hj7s"
    )
    assert psc["record_url"] == ""

    # no name_elements: the printed name is parsed; care of and PO box lead the address
    angus = found("Angus Brambleby")
    assert place(angus, "correspondence") == (
        "Fernwick & Dale Accountants", "7781", "Flat 2 12 Harbour Lane", "Aberdeen", "",
        "AB11 5XY", "Scotland")  # fmt: skip
    assert angus["employer"] == "BRAMBLECOMBE HOLDINGS LTD"

    assert search("--name", "Tobias Quillon") == []  # ceased on 2021-08-31
    assert search("--employer", "Bramblecombe Group Limited") == []  # a company, not a person
    assert counts()[("companies_house_psc", "person")] == 2
