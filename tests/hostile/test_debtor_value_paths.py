"""A hostile Python connector builds request paths from the debtor's name. The session refuses
each before it is sent (``DebtorValueInURL``, audited with the scheme and host only); catching
the refusal and trying the name again, other letter cases and percent-encodings, reaches the
server no better."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from skiptrace.audit import AuditLog
from skiptrace.connectors._confine import unavailable
from skiptrace.connectors._registry import load_manifest
from skiptrace.connectors._runner import ConnectorResult
from skiptrace.connectors._sandbox import Mode
from skiptrace.policy import Policy
from skiptrace.records import Query
from skiptrace.research.run import Run
from skiptrace.testing.replay import ReplayServer, Reply

pytestmark = [
    pytest.mark.skipif(bool(unavailable()), reason=f"no sandbox on this machine: {unavailable()}"),
    pytest.mark.usefixtures("lent_starters"),  # see tests/conftest.py
]

CONNECTOR = """
from skiptrace.connectors import DebtorValueInURL, Query, Session, SourceRecord


def spellings(first: str, last: str) -> list[str]:
    encoded = "".join(f"%{ord(c):02X}" for c in last)
    return [last, last.upper(), last.lower(), last.swapcase(), encoded, encoded.lower(),
            last[0] + encoded[3:], f"{first}%20{last}", f"{first}+{last}", f"x_{last}_y",
            f"{last}.json", f"{first.upper()}-{last.upper()}", f"{last}%2Fprofile"]


class Hostile:
    async def search(self, session: Session, query: Query) -> list[SourceRecord]:
        first, last = query.get("first_name"), query.get("last_name")
        caught = 0
        for spelled in spellings(first, last):
            for path in (f"/people/{spelled}", f"/PEOPLE/{spelled}/", f"/{spelled}"):
                try:
                    await session.get("https://people.example" + path, {"page": "1"})
                except DebtorValueInURL:
                    caught += 1
        page = await session.get("https://people.example/start", {"name": last})
        return [SourceRecord(session.provenance(page), employer="Acme", title=str(caught))]


CONNECTOR = Hostile()
"""

MANIFEST = """id = "name_in_path"
name = "builds paths from the debtor's name"
version = "1"
gives = ["employer"]
needs = ["last_name"]
optional = ["first_name"]
terms = "https://people.example/terms"
origins = ["https://people.example"]
python = "name_in_path.py"
"""


def test_a_connector_catching_the_refusal_sends_no_spelling_of_the_name(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    (tmp_path / "name_in_path.toml").write_text(MANIFEST, encoding="utf-8")
    (tmp_path / "name_in_path.py").write_text(CONNECTOR, encoding="utf-8")
    connector = load_manifest(tmp_path / "name_in_path.toml")
    assert getattr(connector, "mode", None) == Mode.SANDBOXED
    start = Reply(200, b"{}", {"Content-Type": "application/json"})
    with ReplayServer(lambda method, target: start) as origin:

        async def research() -> ConnectorResult:
            rewrite = {"https://people.example": origin.base_url}
            async with Run(origin.allow(fast_policy), audit, [connector], purpose="hostile test",
                           rewrite=rewrite) as run:  # fmt: skip
                return await run.search(connector, Query.of("D-1", full_name="Dana Lane"))

        result = asyncio.run(research())
        paths = [r.path for r in origin.received]
    assert result.status == "hit", result.detail
    assert result.records[0].title == str(13 * 3)  # each spelling in each path refused, caught
    assert [p for p in paths if p != "/robots.txt"] == ["/start?name=Lane"]  # a query: allowed
    refused = [r for r in audit.rows() if r.event == "refused"]
    assert len(refused) == 13 * 3 and {r.rule for r in refused} == {"debtor-value"}
    assert {r.url for r in refused} == {origin.url("/")}  # the scheme and host only
    assert "lane" not in repr(refused).casefold() and "dana" not in repr(refused).casefold()


GUESSER = """
from skiptrace.connectors import DebtorValueInURL, Query, Session, SourceRecord

GUESSES = ["62704", "62705", "jane@smith.example", "jane", "smith", "12 oak st"]


class Guesser:
    async def search(self, session: Session, query: Query) -> list[SourceRecord]:
        refused = [guess for guess in GUESSES if not await _sent(session, guess)]
        page = await session.get("https://people.example/start", {"refused": ",".join(refused)})
        return [SourceRecord(session.provenance(page), employer=query.get("employer"))]


async def _sent(session: Session, guess: str) -> bool:
    try:
        await session.get(f"https://people.example/g/{guess}")
    except DebtorValueInURL:
        return False
    return True


CONNECTOR = Guesser()
"""


def test_a_refusal_tells_a_connector_nothing_it_was_not_handed(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """The path check looked for every debtor field, those the connector is not handed too:
    a connector declaring only the employer learnt the debtor's ZIP, e-mail and surname from
    which of its guesses were refused (and its server from which never came). A value it was
    not handed is now one more word to it, and so is her surname in the employer's name it was
    handed ("Smith Hardware"): a company's name in its registry's path is no name of hers."""
    declared = MANIFEST.replace('needs = ["last_name"]\noptional = ["first_name"]',
                                'needs = ["employer"]')  # fmt: skip
    manifest = declared.replace("name_in_path", "guesser")
    (tmp_path / "guesser.toml").write_text(manifest, encoding="utf-8")
    (tmp_path / "guesser.py").write_text(GUESSER, encoding="utf-8")
    connector = load_manifest(tmp_path / "guesser.toml")
    ok = Reply(200, b"{}", {"Content-Type": "application/json"})
    debtor = Query.of("D-1", full_name="Jane Smith", zip="62705", email="jane@smith.example",
                      address="12 Oak St", employer="Smith Hardware")  # fmt: skip
    with ReplayServer(lambda method, target: ok) as origin:

        async def research() -> ConnectorResult:
            rewrite = {"https://people.example": origin.base_url}
            async with Run(origin.allow(fast_policy), audit, [connector], purpose="hostile test",
                           rewrite=rewrite) as run:  # fmt: skip
                return await run.search(connector, debtor)

        result = asyncio.run(research())
        paths = [r.path for r in origin.received if r.path != "/robots.txt"]
    assert result.status == "hit", result.detail
    # her ZIP, e-mail, first name and street it could not know, and her surname, a word of the
    # employer it was handed, are sent as any wrong guess is: no refusal says which is hers
    assert paths[-1] == "/start?refused="
    assert paths[:-1] == ["/g/62704", "/g/62705", "/g/jane@smith.example", "/g/jane", "/g/smith",
                          "/g/12%20oak%20st"]  # fmt: skip
