"""Text a source or a Python connector hands back, taken in where a connector's answer is
(``_protocol``): whatever it holds, every output can write it. A JSON answer may spell a lone
surrogate (``"\\ud800"``), which no UTF-8 file can hold: a Python connector's value holding
one stopped ``enrich`` at that row, and every resumed run at it again."""

from __future__ import annotations

import asyncio
import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skiptrace.audit import AuditLog
from skiptrace.cli import app
from skiptrace.connectors._confine import unavailable
from skiptrace.connectors._protocol import records_from, within_bounds
from skiptrace.connectors._registry import load_manifest
from skiptrace.connectors._runner import failed
from skiptrace.errors import SourceError
from skiptrace.policy import Policy
from skiptrace.records import Address, Provenance, Query, SourceRecord
from skiptrace.research.run import Run
from skiptrace.testing.replay import ReplayServer, Reply, loopback_policy, loopback_policy_file

sandboxed = pytest.mark.skipif(
    bool(unavailable()), reason=f"no sandbox on this machine: {unavailable()}"
)

REGISTRY = """
from skiptrace.connectors import Address, SourceRecord


class Registry:
    async def search(self, session, query):
        wanted = {"last": query.get("last_name")}
        page = await session.get("https://registry.example/people", wanted)
        return [
            SourceRecord(session.provenance(page), person_name=person["name"],
                         mailing_address=Address((person["street"],), person["city"],
                                                 person["state"], person["zip"]),
                         employer=person["employer"])
            for person in page.json()["people"]
        ]


CONNECTOR = Registry()
"""
MANIFEST = """id = "registry"
name = "a registry read by a Python connector"
version = "1"
gives = ["person_name", "mailing_address", "employer"]
needs = ["last_name"]
optional = ["first_name"]
terms = "https://registry.example/terms"
origins = ["https://registry.example"]
python = "registry.py"
"""
ANSWER = (
    b'{"people": [{"name": "Jane Roe", "street": "100 Main St\\ud800", "city": "Springfield",'
    b' "state": "IL", "zip": "62701", "employer": "Acme\\udfff Supply"}]}'
)
"""As a source may write it: escapes JSON allows, each decoding to a lone surrogate."""


def _connector(folder: Path, code: str, base: str = "https://registry.example") -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "registry.py").write_text(code.replace("https://registry.example", base))
    (folder / "registry.toml").write_text(MANIFEST.replace("https://registry.example", base))
    return folder / "registry.toml"


@sandboxed
@pytest.mark.usefixtures("lent_starters")
def test_a_lone_surrogate_a_python_connector_read_is_replaced_and_the_batch_finishes(
    tmp_path: Path,
) -> None:
    people = Reply(200, ANSWER, {"Content-Type": "application/json"})
    with ReplayServer({"/people?last=Roe": people}) as server:
        connectors = _connector(tmp_path / "connectors", REGISTRY, server.base_url).parent
        policy = loopback_policy_file(tmp_path / "fast.toml", server)
        debtors = tmp_path / "debtors.csv"
        debtors.write_text("id,first_name,last_name,address,city,state,zip\n"
                           "A1,Jane,Roe,100 Main St,Springfield,IL,62701\n")  # fmt: skip
        output, proof = tmp_path / "out.csv", tmp_path / "evidence.jsonl"
        result = CliRunner().invoke(app, [
            "--connectors-dir", str(connectors), "--policy", str(policy), "enrich", str(debtors),
            "-o", str(output), "--source", "registry", "--purpose", "collection of a debt owed",
            "--no-progress", "--evidence", str(proof),
        ])  # fmt: skip
    assert result.exit_code == 0, result.output
    with output.open(encoding="utf-8", newline="") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["status"] == "hit", row
    assert row["found_employer"] == "Acme\ufffd Supply"
    assert row["found_mailing_address"] == "100 Main St\ufffd, Springfield, IL 62701"
    said = json.loads(proof.read_text(encoding="utf-8"))["candidates"][0]["record"]
    assert said["employer"] == "Acme\ufffd Supply"


FAILS = """
from skiptrace.connectors import SourceError


class Registry:
    async def search(self, session, query):
        await session.get("https://registry.example/people")
        raise SourceError("the registry said: Acme\\ud800")


CONNECTOR = Registry()
"""
FALLS_SHORT = """
from skiptrace.connectors import SourceRecord


class Registry:
    async def search(self, session, query):
        page = await session.get("https://registry.example/people")
        session.fell_short("page 2 of Acme\\ud800 unread")
        return [SourceRecord(session.provenance(page), employer="Acme")]


CONNECTOR = Registry()
"""
BROKEN = 'raise ValueError("cannot load Acme\\ud800")\n'


@sandboxed
@pytest.mark.usefixtures("lent_starters")
@pytest.mark.parametrize("code", [FAILS, FALLS_SHORT, BROKEN], ids=["failed", "short", "broken"])
def test_a_sandboxed_connectors_own_words_hold_no_lone_surrogate(
    tmp_path: Path, policy: Policy, code: str
) -> None:
    """Its error, why it fell short, why it could not load: each is a row's status_detail."""
    people = Reply(200, b"{}", {"Content-Type": "application/json"})
    with ReplayServer({"/people": people}) as server:
        connector = load_manifest(_connector(tmp_path, code))
        allowed = loopback_policy(policy, "a source on loopback", server.base_url)
        rewrite = {"https://registry.example": server.base_url}
        with AuditLog(tmp_path / "audit.sqlite3") as audit:

            async def search() -> str:
                async with Run(allowed, audit, [connector], purpose="tests",
                               rewrite=rewrite) as run:  # fmt: skip
                    result = await run.search(connector, Query.of("D-1", last_name="Roe"))
                    return result.detail or result.partly

            said = asyncio.run(search())
    assert "Acme\ufffd" in said, said


def test_a_connector_searching_in_this_process_is_held_to_the_same_rule() -> None:
    """Its records (``within_bounds``, as the runner applies it) and its error: a built-in
    connector's words can quote its source (the search engines a SearxNG answer names)."""
    provenance = Provenance("registry", "1", "https://registry.example/people", "2026-01-02")
    record = SourceRecord(provenance, person_name="Jane\udc80 Roe", employer="Acme\ud800",
                          mailing_address=Address(("1 Main St\udfff",), "Springfield"))  # fmt: skip
    for cut in (False, True):  # a connector's, and the offline index's (cut to the bound)
        [held] = within_bounds([record], cut=cut)
        assert (held.person_name, held.employer) == ("Jane\ufffd Roe", "Acme\ufffd")
        assert held.mailing_address == Address(("1 Main St\ufffd",), "Springfield")
    assert failed("registry", SourceError("engines down: bing\ud800")).detail == (
        "engines down: bing\ufffd"
    )


def test_invisible_format_characters_are_dropped_wherever_the_connector_searched() -> None:
    """A worker's records (``records_from``) and this process's (``within_bounds``) alike: the
    record holds what its source shows, which is what the matcher compares."""
    url = "https://registry.example/people"
    provenance = Provenance("registry", "1", url, "2026-01-02")
    hidden = "\u200bAcme\u00ad Sup\u200dply\ufeff"
    [worker] = records_from([{"employer": hidden, "source_url": url}], {url: provenance})
    [here] = within_bounds([SourceRecord(provenance, employer=hidden)])
    assert worker.employer == here.employer == "Acme Supply"


def test_a_python_connectors_value_is_one_line_as_a_manifests_is() -> None:
    """A line break in a value began a line of the enriched CSV that read as a row of its
    own to anyone reading the file as text ("A9,Fake,Person,hit"), and the matcher parsed
    the name after it ("last name: differs (Roe/A9)"); a manifest's values were one line."""
    url = "https://registry.example/people"
    provenance = Provenance("registry", "1", url, "2026-01-02")
    said = {"person_name": "Jane Roe\nA9,Fake,Person,hit", "source_url": url}
    [worker] = records_from([said], {url: provenance})
    [here] = within_bounds([SourceRecord(provenance, person_name=said["person_name"])])
    assert worker.person_name == here.person_name == "Jane Roe A9,Fake,Person,hit"
