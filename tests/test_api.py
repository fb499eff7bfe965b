"""The Python API: what the CLI does, from a collector's own code, through the real stack."""

from __future__ import annotations

import asyncio
import gc
import json
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

import skiptrace
from skiptrace.audit import AuditLog
from skiptrace.errors import InputError, LinkingError, ManifestError
from skiptrace.matching.prepare import texts
from skiptrace.testing.directory import DEBTORS, MANIFEST, directory
from skiptrace.testing.outputs import rows as output_rows
from skiptrace.testing.replay import ReplayServer, loopback_policy_file

pytestmark = pytest.mark.usefixtures("lent_starters")  # see tests/research/conftest.py


def test_lookup_and_enrich_from_python(tmp_path: Path) -> None:
    folder = tmp_path / "connectors"
    folder.mkdir()
    with ReplayServer(directory) as server:
        policy = loopback_policy_file(
            tmp_path / "fast.toml",
            server,
            rate="50/s",
            reason="tests of the Python API on loopback",
        )
        (folder / "demo_directory.toml").write_text(MANIFEST.format(base=server.base_url))
        options = {"sources": ["demo_directory"], "policies": [policy], "connectors_dirs": [folder]}
        found = skiptrace.lookup(
            skiptrace.Query.of("A-1", full_name="Jane Roe", address="100 Main St", zip="62701"),
            purpose="testing the API",
            **options,
        )
        source = tmp_path / "debtors.csv"
        source.write_text(DEBTORS, encoding="utf-8")
        proof = tmp_path / "evidence.jsonl"
        summary = skiptrace.enrich(source, purpose="testing the API", evidence=proof, **options)
    assert [(r.connector, r.status) for r in found.results] == [("demo_directory", "hit")]
    assert found.candidates[0].record.employer == "Example Plumbing Co."
    assert found.candidates[0].link.band == "high"
    rows = output_rows(tmp_path / "debtors.enriched.csv")
    assert summary.rows == len(rows) == 5
    # D-1002: Bob Quinlan in the debtor's ZIP on another street: name and ZIP area only
    assert [r["status"] for r in rows] == ["hit", "possible", "skipped_flag", "no_hit", "no_hit"]
    evidence = [json.loads(line) for line in proof.read_text(encoding="utf-8").splitlines()]
    assert sorted(e["row"] for e in evidence) == [2, 3, 4, 5, 6]  # every row, flagged too
    with AuditLog.open_default() as audit:
        purposes = {row.purpose for row in audit.rows() if row.event == "request"}
    assert purposes == {"testing the API"}


def test_importing_the_api_loads_nothing_until_asked() -> None:
    code = (
        "import sys, skiptrace; assert 'skiptrace.research' not in sys.modules; "
        "skiptrace.score_pair; assert 'skiptrace.matching' in sys.modules; "
        "assert 'skiptrace.research' not in sys.modules; print(skiptrace.__version__)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == skiptrace.__version__


def test_enrich_mapping_names_a_field_by_a_synonym_as_map_does(tmp_path: Path) -> None:
    """``mapping`` is ``--map``: a field named by one of its header synonyms (``name`` for
    ``full_name``, ``street`` for ``address``, ``postcode`` for ``zip``), as ``--map
    name=COLUMN`` takes it; it had been 'unknown field'."""
    folder = tmp_path / "connectors"
    folder.mkdir()
    source = tmp_path / "debtors.csv"
    source.write_text("Ref,Debtor,Where,Post\nA-1,Jane Roe,100 Main St,62701\n", encoding="utf-8")
    with ReplayServer(directory) as server:
        policy = loopback_policy_file(tmp_path / "fast.toml", server, rate="50/s",
                                      reason="tests of the Python API on loopback")  # fmt: skip
        (folder / "demo_directory.toml").write_text(MANIFEST.format(base=server.base_url))
        synonyms = {"name": "Debtor", "street": "Where", "postcode": "Post"}
        summary = skiptrace.enrich(
            source, purpose="testing the API", sources=["demo_directory"], policies=[policy],
            connectors_dirs=[folder], mapping=synonyms,
        )  # fmt: skip
    rows = output_rows(tmp_path / "debtors.enriched.csv")
    assert dict(summary.statuses) == {"hit": 1}
    assert rows[0]["matched_on"] == "name: exact; street: exact; ZIP: exact"


def test_a_lookup_with_connector_folders_as_text_and_a_value_utf8_cannot_carry(
    tmp_path: Path,
) -> None:
    """``connectors_dirs`` as plain strings had been an AttributeError; a value holding lone
    surrogates (``os.fsdecode`` of bytes that are not UTF-8) reached the source, whose request
    could not be written: "error", as an outage. Now the folders are read, the value refused
    before any request, as the CLI refuses it."""
    folder = tmp_path / "connectors"
    folder.mkdir()
    with ReplayServer(directory) as server:
        policy = loopback_policy_file(tmp_path / "fast.toml", server, rate="50/s",
                                      reason="tests of the Python API on loopback")  # fmt: skip
        (folder / "demo_directory.toml").write_text(MANIFEST.format(base=server.base_url))
        options = {"sources": ["demo_directory"], "policies": [policy],
                   "connectors_dirs": [str(folder)]}  # fmt: skip
        found = skiptrace.lookup(skiptrace.Query.of(full_name="Jane Roe", zip="62701"),
                                 purpose="testing the API", **options)  # fmt: skip
        assert [r.connector for r in found.results] == ["demo_directory"]
        asked = len(server.received)
        with pytest.raises(
            InputError, match=r"^the query's full_name 'Jane Ro\\udcffe' holds bytes"
        ):
            skiptrace.lookup(skiptrace.Query.of(full_name="Jane Ro\udcffe"),
                             purpose="testing the API", **options)  # fmt: skip
        assert len(server.received) == asked


def test_connector_folders_that_are_no_folders_are_refused_before_any_request(
    tmp_path: Path,
) -> None:
    """A review: ``--connectors-dir`` naming no folder is a usage error (exit 2), where the API
    had only warned and looked up without the connectors it was given: a mistyped folder ran
    the built-in sources alone, as if it had asked the ones meant."""
    a_file = tmp_path / "a_file.toml"
    a_file.write_text("")
    debtors = tmp_path / "debtors.csv"
    debtors.write_text("first_name,last_name,zip\nJane,Roe,62701\n")
    query = skiptrace.Query.of(full_name="Jane Roe", zip="62701")
    for folder in (tmp_path / "missing", a_file):
        with pytest.raises(ManifestError, match=f"^connectors_dirs: {folder}: not a folder$"):
            skiptrace.lookup(query, purpose="testing the API", connectors_dirs=[folder])
        with pytest.raises(ManifestError, match="not a folder"):
            skiptrace.enrich(debtors, purpose="testing the API",
                             connectors_dirs=[str(folder)])  # fmt: skip
    assert not (tmp_path / "debtors.enriched.csv").exists()


def test_a_threshold_that_is_no_score_is_refused() -> None:
    """NaN had been taken, and kept no pair: as if nothing matched."""
    same = [{"full_name": "Jane Roe", "zip": "62701"}]
    for threshold in (float("nan"), -0.5, 1.5):
        with pytest.raises(LinkingError, match="the threshold is a score from 0 to 1"):
            skiptrace.link_records(same, same, threshold=threshold)


def test_integer_values_are_read_exactly_and_a_huge_one_as_missing() -> None:
    """Integers went through a float: one past 1e308 was an OverflowError, and one of 17
    digits or more came back another number."""
    left = {"full_name": "Jane Roe", "phone": 3125550123, "zip": 10**400}
    pair = skiptrace.score_pair(left, {"full_name": "Jane Roe", "phone": "312-555-0123"})
    assert "phone=" in pair.matched_on and "zip" not in pair.matched_on
    assert texts([{"id_number": 12345678901234567890}], "id_number") == ["12345678901234567890"]
    assert texts([{"zip": 10**5000}, {"zip": True}], "zip") == ["", ""]


def test_lookup_and_enrich_called_from_async_code_say_to_run_them_in_a_thread(
    tmp_path: Path,
) -> None:
    """Called in a running event loop (async code, a notebook), both had opened the audit log
    and built their coroutine before asyncio.run refused the loop: a bare "cannot be called
    from a running event loop" and a "coroutine ... was never awaited" warning. Now they
    refuse at once, naming the way the README gives."""
    source = tmp_path / "debtors.csv"
    source.write_text(DEBTORS, encoding="utf-8")

    async def from_async_code() -> None:
        with pytest.raises(RuntimeError, match=r"asyncio\.to_thread\(skiptrace\.lookup, "):
            skiptrace.lookup(skiptrace.Query.of(full_name="Jane Roe"), purpose="testing")
        with pytest.raises(RuntimeError, match=r"asyncio\.to_thread\(skiptrace\.enrich, "):
            skiptrace.enrich(source, purpose="testing")

    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        asyncio.run(from_async_code())
        gc.collect()
    assert [str(w.message) for w in said] == []
    assert not (tmp_path / "debtors.enriched.csv").exists()
