"""The evidence columns and the evidence file, filled from each shipped connector's recorded
real replies (issue 11, item 4): the NPI number, the LEI, the CIK and the company number, each
record's own page, its name as the registry wrote it and when it was fetched. Each connector
runs for real (sandboxed where it is Python) through the guard against a loopback server."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from skiptrace.connectors._registry import discover
from skiptrace.policy import Policy
from skiptrace.research.evidence import EvidenceFile
from skiptrace.research.findings import candidates, output_row
from skiptrace.testing.contracts import replay_example

BUILTIN = discover(entry_points=False)
NPPES = "https://npiregistry.cms.hhs.gov/provider-view/"
GLEIF = "https://search.gleif.org/#/record/"
EDGAR = "https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany&CIK="
CH = "https://find-and-update.company-information.service.gov.uk/officers/"

PEOPLE = [  # connector, example, the name as written, identifier, the record's page
    ("nppes", "one individual", "ELISE AILEEN HIZA", "1720377294", NPPES + "1720377294"),
    ("nppes_official", "an organisation run by", None, "1568946812", NPPES + "1568946812"),
    ("gleif_sole_proprietor", "a sole proprietor", None, "9845001B2AD43E664E58",
     GLEIF + "9845001B2AD43E664E58"),
    ("sec_edgar", "an officer", None, "0000320193", EDGAR + "0001513362"),
    ("companies_house", "one officer", None, "08957400",
     CH + "Qx7Example_Officer-Id01/appointments"),
]  # fmt: skip
"""A ``None`` name is checked against the record itself: the column must carry it unchanged."""


@pytest.mark.parametrize(("connector_id", "example", "name", "identifier", "page"), PEOPLE,
                         ids=[p[0] for p in PEOPLE])  # fmt: skip
def test_the_evidence_names_the_record(
    connector_id: str,
    example: str,
    name: str | None,
    identifier: str,
    page: str,
    policy: Policy,
    tmp_path: Path,
) -> None:
    connector = BUILTIN.connectors[connector_id]
    [chosen] = [e for e in connector.info.examples if e.name.startswith(example)]
    result, _ = asyncio.run(replay_example(connector, chosen, policy, tmp_path))
    record = result.records[0]
    address = record.mailing_address or record.employer_address
    debtor = {"full_name": record.person_name, "address": ", ".join(address.lines),
              "city": address.city, "state": address.region,
              "zip": address.postal_code}  # fmt: skip
    people = candidates(debtor, [result])
    row = output_row(debtor, [result], people)
    assert row["evidence_source"] == connector_id
    assert row["evidence_name"] == (name or record.person_name) != ""
    assert row["evidence_id"] == identifier
    assert row["evidence_url"] == page
    assert row["evidence_fetched_at"] == record.provenance.fetched_at != ""
    assert "name: exact" in row["matched_on"]  # "RAHUL", one word, is a last name
    with EvidenceFile(tmp_path / "evidence.jsonl", ()) as proof:
        proof.write(2, "A1", row, [result], people)
    [line] = (tmp_path / "evidence.jsonl").read_text(encoding="utf-8").splitlines()
    written = json.loads(line)
    assert len(written["candidates"]) == len([r for r in result.records if r.person_name])
    best = written["candidates"][0]
    assert best["record"]["source_id"] == identifier and best["record"]["record_url"] == page
    assert best["provenance"]["connector"] == connector_id
    assert best["provenance"]["source_url"].startswith("http://127.0.0.1:")
    assert best["matched_on"] == row["matched_on"]
    assert {c["field"] for c in best["compared"]} >= {"first_name", "last_name", "street"}
