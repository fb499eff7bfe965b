"""Every answer explains itself (issue 11, item 4): the evidence columns name the best
candidate's record as the source wrote it (its name, its identifier there, its own page, when
it was fetched), ``matched_on`` reads in words, and ``--evidence FILE.jsonl`` keeps every
candidate with its comparison and provenance. Here from the NPPES manifest as shipped (its URL
pointed at loopback, its pace loopback's) and its recorded real reply, through the CLI and the
real guard."""

from __future__ import annotations

import csv
import json
import os
import resource
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from skiptrace.cli import app
from skiptrace.research.findings import OUTPUT_COLUMNS
from skiptrace.testing.replay import ReplayServer, Reply, loopback_policy_text

ROOT = Path(__file__).resolve().parents[2]
NPPES = ROOT / "connectors" / "nppes.toml"
REPLY = (ROOT / "connectors" / "fixtures" / "nppes" / "api-b2f594.json").read_bytes()
PURPOSE = "collection of a debt owed"


def _registry(method: str, target: str) -> Reply | None:
    if not target.startswith("/api/"):
        return None
    return Reply(200, REPLY, {"Content-Type": "application/json"})


class Setup:
    """The shipped NPPES manifest, its URL and pace loopback's, and a one-debtor file."""

    def __init__(self, tmp_path: Path, server: ReplayServer) -> None:
        self.tmp_path = tmp_path
        folder = tmp_path / "connectors"
        folder.mkdir()
        manifest = NPPES.read_text(encoding="utf-8").replace('id = "nppes"', 'id = "nppes_replay"')
        loopback = {
            'url = "https://npiregistry.cms.hhs.gov/api/"': f'url = "{server.base_url}/api/"',
            'rate = "2/s"': 'rate = "2000/s"',  # the registry's: a search 0.5 s after robots.txt
            # a manifest skiptrace does not ship keeps its record pages only at an origin it
            # declares: the registry's, no longer its request.url's
            "[request]": 'origins = ["https://npiregistry.cms.hhs.gov"]\n\n[request]',
        }
        for shipped, here in loopback.items():
            assert shipped in manifest
            manifest = manifest.replace(shipped, here)
        (folder / "nppes.toml").write_text(manifest, encoding="utf-8")
        policy = tmp_path / "policy.toml"
        policy.write_text(loopback_policy_text(server), encoding="utf-8")
        self.source = tmp_path / "debtors.csv"
        self.source.write_text("Account,First Name,Last Name,Address,City,State,Zip\n"
                               "A1,Elise,Hiza,111 Victoria Rd,Asheville,NC,28801\n")  # fmt: skip
        self.options = ["--connectors-dir", str(folder), "--policy", str(policy)]

    def enrich(self, *rest: str) -> Result:
        return CliRunner().invoke(app, [*self.options, "enrich", str(self.source), "-o",
                                        str(self.tmp_path / "out.csv"), "--source", "nppes_replay",
                                        "--purpose", PURPOSE, "--no-progress", *rest])  # fmt: skip

    def row(self) -> dict[str, str]:
        with (self.tmp_path / "out.csv").open(encoding="utf-8", newline="") as handle:
            [row] = list(csv.DictReader(handle))
        return row


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[Setup]:
    with ReplayServer(_registry) as server:
        yield Setup(tmp_path, server)


def test_the_evidence_columns_come_from_the_record_itself(setup: Setup) -> None:
    result = setup.enrich()
    assert result.exit_code == 0, result.output
    row = setup.row()
    assert list(row)[-len(OUTPUT_COLUMNS) :] == list(OUTPUT_COLUMNS)  # the contract only grows
    assert row["status"] == "hit"
    assert row["evidence_source"] == "nppes_replay"
    assert row["evidence_name"] == "ELISE AILEEN HIZA"  # as the registry wrote it
    assert row["evidence_id"] == "1720377294"  # the NPI number
    assert row["evidence_url"] == "https://npiregistry.cms.hhs.gov/provider-view/1720377294"
    assert row["evidence_fetched_at"].startswith("20") and "T" in row["evidence_fetched_at"]
    assert row["matched_on"].startswith("name: exact; ")  # words, not name=,street=,...
    assert "street: exact" in row["matched_on"] and "ZIP: " in row["matched_on"]


def test_the_evidence_file_keeps_every_candidate_with_its_comparison(setup: Setup) -> None:
    proof = setup.tmp_path / "evidence.jsonl"
    result = setup.enrich("--evidence", str(proof))
    assert result.exit_code == 0, result.output
    [line] = proof.read_text(encoding="utf-8").splitlines()
    row = json.loads(line)
    assert (row["row"], row["ref"], row["status"]) == (2, "A1", "hit")
    assert row["sources"] == [{"connector": "nppes_replay", "status": "hit", "reason": "",
                               "detail": "", "partly": "", "unread": ""}]  # fmt: skip
    [best] = row["candidates"]
    assert best["record"]["source_id"] == "1720377294"
    assert best["record"]["mailing_address"] == "111 VICTORIA RD, ASHEVILLE, NC 288014811, US"
    assert best["provenance"]["connector"] == "nppes_replay"
    assert best["provenance"]["source_url"].startswith("http://127.0.0.1:")
    assert best["matched_on"] == setup.row()["matched_on"]
    compared = {c["field"]: c["level"] for c in best["compared"]}
    assert compared["last_name"] == "exact" and compared["street"] == "exact"
    assert os.stat(proof).st_mode & 0o077 == 0  # what sources said of people: the user's only


def test_a_rerun_appends_and_a_kept_row_adds_nothing(setup: Setup) -> None:
    proof = setup.tmp_path / "evidence.jsonl"
    assert setup.enrich("--evidence", str(proof)).exit_code == 0
    assert setup.enrich("--evidence", str(proof), "--refresh").exit_code == 0
    assert len(proof.read_text(encoding="utf-8").splitlines()) == 2  # researched twice


@pytest.mark.parametrize("planted", ["symlink", "fifo", "input", "directory", "no folder"])
def test_a_hostile_evidence_path_is_one_line_and_exit_2(setup: Setup, planted: str) -> None:
    target = setup.tmp_path / "evidence.jsonl"
    victim = setup.tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    if planted == "symlink":
        target.symlink_to(victim)
    elif planted == "fifo":
        os.mkfifo(target)
    elif planted == "input":
        target = setup.source
    elif planted == "directory":
        target.mkdir()
    else:
        target = setup.tmp_path / "missing" / "evidence.jsonl"
    before = setup.source.read_bytes()
    result = setup.enrich("--evidence", str(target))
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("skiptrace enrich: "), lines
    assert "evidence" in lines[0]
    assert victim.read_text() == "keep me\n" and setup.source.read_bytes() == before
    assert not (setup.tmp_path / "out.csv").exists()


@pytest.mark.parametrize("planted", ["output", "hard link", "home"])
def test_the_output_a_hard_link_or_the_home_are_refused(
    setup: Setup, planted: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    victim = setup.tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    if planted == "output":  # not there yet: the finished output would be renamed over it
        target = setup.tmp_path / "out.csv"
    elif planted == "hard link":
        target = setup.tmp_path / "evidence.jsonl"
        os.link(victim, target)
    else:
        target = Path(os.environ["SKIPTRACE_HOME"]) / "evidence.jsonl"
    result = setup.enrich("--evidence", str(target))
    assert result.exit_code == 2, result.output
    [line] = result.output.strip().splitlines()
    assert line.startswith("skiptrace enrich: ") and "evidence" in line
    assert victim.read_text() == "keep me\n" and not (setup.tmp_path / "out.csv").exists()


def test_a_full_disk_is_one_line_and_the_next_run_starts_a_fresh_line(setup: Setup) -> None:
    """A real write failure (the file size limit, EFBIG): one line, exit 2, no output, nothing
    checkpointed; the torn line left behind does not swallow the next run's first line."""
    proof = setup.tmp_path / "evidence.jsonl"
    proof.write_text("x" * 3_000_000)  # no newline at the end, just under the limit
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    old_limit = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (3_000_200, old_limit[1]))
    try:
        full = setup.enrich("--evidence", str(proof))
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, old_limit)
        signal.signal(signal.SIGXFSZ, old_handler)
    assert full.exit_code == 2, full.output
    said = [line for line in full.output.splitlines() if line.startswith("skiptrace enrich: ")]
    assert said == [f"skiptrace enrich: cannot write the evidence file {proof}: File too large"]
    assert not (setup.tmp_path / "out.csv").exists()
    again = setup.enrich("--evidence", str(proof))
    assert again.exit_code == 0, again.output
    lines = proof.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("xxx") and json.loads(lines[-1])["ref"] == "A1"
    assert setup.row()["status"] == "hit"  # the row was researched again, not taken as done
