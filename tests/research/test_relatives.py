"""Relatives and namesakes through ``lookup`` and ``enrich`` over a loopback directory (issue 12):
a father or spouse at the debtor's address is never taken for the debtor (not hit, not
possible, no found_* column filled), and a record agreeing on the name alone is ``possible``
with its new address only when the full name is rare."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from typer.testing import CliRunner, Result

from skiptrace.cli import app
from skiptrace.connectors._runner import ConnectorResult
from skiptrace.records import Address, Provenance, SourceRecord, Status
from skiptrace.research.findings import output_row
from skiptrace.testing.directory import MANIFEST as DEMO_MANIFEST
from skiptrace.testing.replay import ReplayServer, Reply, loopback_policy_text

HOME = {"street": "12 Oak Street", "city": "Springfield", "state": "IL", "zip": "62704"}
ELSEWHERE = {"street": "9 Elm St", "city": "Portland", "state": "OR", "zip": "97201"}
REGISTER = {  # what the directory holds under each last name
    "Chase": [{"name": "Sarah C. Chase Sr.", **HOME}],
    "Hayes": [{"name": "HAYES, DAN", **HOME}],
    "Quackenbush": [{"name": "Zebulon Quackenbush", **ELSEWHERE}],
    "Smith": [{"name": "John Smith", **ELSEWHERE}],
}
DEBTORS = [  # account, first, middle, last, suffix
    ("A1", "Sarah", "Cynthia", "Chase", "Jr"),
    ("A2", "Elizabeth", "", "Hayes", ""),
    ("A3", "Zebulon", "", "Quackenbush", ""),
    ("A4", "John", "", "Smith", ""),
]
FOUND = (
    "found_mailing_address", "found_mailing_address_source", "found_mailing_address_score",
    "found_employer", "found_employer_address", "found_employer_source", "found_employer_score",
)  # fmt: skip


def directory(method: str, target: str) -> Reply | None:
    url = urlsplit(target)
    if url.path != "/people":
        return None
    last = parse_qs(url.query).get("last", [""])[0]
    body = json.dumps({"people": REGISTER.get(last, [])}).encode()
    return Reply(200, body, {"Content-Type": "application/json", "Cache-Control": "no-store"})


@pytest.fixture
def options(tmp_path: Path) -> Iterator[list[str]]:
    with ReplayServer(directory) as server:
        connectors = tmp_path / "connectors"
        connectors.mkdir()
        manifest = DEMO_MANIFEST.replace('id = "demo_directory"', 'id = "people_directory"')
        (connectors / "people_directory.toml").write_text(manifest.format(base=server.base_url))
        policy = tmp_path / "policy.toml"
        policy.write_text(loopback_policy_text(server.base_url, reason="relatives on loopback"))
        yield ["--connectors-dir", str(connectors), "--policy", str(policy)]


SEARCH = ["--source", "people_directory", "--purpose", "collection of a debt owed"]


def lookup(options: list[str], name: str) -> Result:
    address = ["--address", HOME["street"], "--city", HOME["city"], "--state", HOME["state"],
               "--zip", HOME["zip"]]  # fmt: skip
    return CliRunner().invoke(app, [*options, "lookup", "--name", name, *address, *SEARCH,
                                    "--json"])  # fmt: skip


@pytest.fixture
def enriched(options: list[str], tmp_path: Path) -> dict[str, dict[str, str]]:
    source = tmp_path / "debtors.csv"
    lines = ["Account,First Name,Middle Name,Last Name,Suffix,Address,City,State,Zip"]
    lines += [f"{a},{f},{m},{last},{s},{HOME['street']},{HOME['city']},{HOME['state']},"
              f"{HOME['zip']}" for a, f, m, last, s in DEBTORS]  # fmt: skip
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    target = tmp_path / "out.csv"
    result = CliRunner().invoke(app, [*options, "enrich", str(source), "-o", str(target),
                                      *SEARCH, "--jobs", "1", "--no-progress"])  # fmt: skip
    assert result.exit_code == 0, result.output
    with target.open(encoding="utf-8", newline="") as handle:
        return {row["Account"]: row for row in csv.DictReader(handle)}


def _a_relative(row: dict[str, str]) -> None:
    assert row["status"] == "no_hit", row
    assert row["match_band"] == "low" and float(row["match_score"]) < 0.5
    assert all(row[column] == "" for column in FOUND), row
    assert row["status_detail"] == "only weak candidates: a relative at the debtor's address?"


def test_a_father_at_the_debtors_address_is_not_the_debtor(
    enriched: dict[str, dict[str, str]],
) -> None:
    row = enriched["A1"]  # Sarah Cynthia Chase Jr against "Sarah C. Chase Sr.", same address
    _a_relative(row)
    assert row["matched_on"].endswith("suffix Jr vs Sr: parent and child?")
    assert row["evidence_name"] == "Sarah C. Chase Sr."  # said, for the collector to see


def test_a_spouse_at_the_debtors_address_is_not_the_debtor(
    enriched: dict[str, dict[str, str]],
) -> None:
    row = enriched["A2"]  # Elizabeth Hayes against "HAYES, DAN", same address
    _a_relative(row)
    assert "first name: differs (Elizabeth/Dan)" in row["matched_on"]
    assert row["matched_on"].endswith("first name differs at the same address: relative?")


def test_a_rare_name_at_a_new_address_is_possible(enriched: dict[str, dict[str, str]]) -> None:
    row = enriched["A3"]  # Zebulon Quackenbush, only in Portland
    assert row["status"] == "possible" and row["match_band"] == "medium"
    assert 0.7 <= float(row["match_score"]) < 0.95
    assert row["found_mailing_address"] == "9 Elm St, Portland, OR 97201"
    assert row["found_mailing_address_score"] == row["match_score"]
    assert row["status_detail"].startswith("name only, rare name")


def test_a_common_name_at_a_new_address_is_no_hit(enriched: dict[str, dict[str, str]]) -> None:
    row = enriched["A4"]  # John Smith, only in Portland
    assert row["status"] == "no_hit" and row["match_band"] == "low"
    assert all(row[column] == "" for column in FOUND), row
    detail = row["status_detail"]
    assert detail.startswith("name only; about ") and detail.endswith(" people in the US share it")
    count = int(detail.removeprefix("name only; about ").split(" ")[0].replace(",", ""))
    assert count > 1_000  # tens of thousands of John Smiths


@pytest.mark.parametrize(
    ("name", "band", "reason"),
    [
        ("Sarah Cynthia Chase Jr", "low", "suffix Jr vs Sr: parent and child?"),
        ("Elizabeth Hayes", "low", "first name differs at the same address: relative?"),
        ("Zebulon Quackenbush", "medium", "name only, rare name; "),
        ("John Smith", "low", "name only; about "),
    ],
)
def test_lookup_says_the_same(options: list[str], name: str, band: str, reason: str) -> None:
    result = lookup(options, name)
    assert result.exit_code == 0, result.output
    [candidate] = json.loads(result.stdout)["candidates"]
    assert candidate["band"] == band
    assert (candidate["score"] >= 0.7) == (band == "medium")
    fields = {field: level for field, level, _ in candidate["fields"]}
    assert fields["last_name"] == "exact"
    assert reason in candidate["words"]
    assert candidate["rare_name"] == (band == "medium")


def _row(debtor: dict[str, str], name: str, mail: Address, phone: str = "") -> dict[str, str]:
    provenance = Provenance("directory", "1.0", "http://127.0.0.1/p/1", "2024-05-01T12:00:00+00:00")
    record = SourceRecord(provenance, name, mail, phone=phone)
    return output_row(debtor, [ConnectorResult("directory", Status("hit"), (record,))])


ADDRESS = {"address": HOME["street"], "city": HOME["city"], "state": HOME["state"],
           "zip": HOME["zip"]}  # fmt: skip
AT_HOME = Address((HOME["street"],), HOME["city"], HOME["state"], HOME["zip"])
IN_TOWN = Address(("77 Elm Ave",), HOME["city"], HOME["state"], "62711")


@pytest.mark.parametrize(
    ("debtor", "relative", "mail"),
    [("Patricia", "Patrick Ashmore", AT_HOME), ("Daniel", "Danielle Ashmore", IN_TOWN),
     ("Patricia", "ASHMORE, PATRICK", IN_TOWN), ("Jon", "John Ashmore", AT_HOME)],
)  # fmt: skip
def test_a_name_spelt_like_the_debtors_fills_no_found_column(
    debtor: str, relative: str, mail: Address
) -> None:
    """Patrick at Patricia's address, Danielle in Daniel's town: another person, no_hit."""
    person = {"first_name": debtor, "last_name": "Ashmore", "full_name": f"{debtor} Ashmore",
              **ADDRESS}  # fmt: skip
    row = _row(person, relative, mail)
    assert row["status"] == "no_hit" and row["match_band"] == "low", row
    assert all(row[column] == "" for column in FOUND), row
    assert "first name: differs" in row["matched_on"]


def test_a_twin_sharing_the_phone_at_home_is_no_hit() -> None:
    person = {"first_name": "Michael", "last_name": "Ashmore", "full_name": "Michael Ashmore",
              "phone": "2175551234", **ADDRESS}  # fmt: skip
    row = _row(person, "Matthew Ashmore", AT_HOME, "2175551234")
    assert row["status"] == "no_hit" and all(row[column] == "" for column in FOUND), row
