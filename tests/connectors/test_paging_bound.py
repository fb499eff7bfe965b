"""A declarative connector that stops paging at its ``max_pages`` on a full page says so: more
records may stand past it. Its answer is final (searching again stops at the same bound), so it
is never said to fall short; its result's ``unread`` carries it, and ``lookup`` and ``enrich``
show it, in this process and in a sandbox's worker alike."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from typer.testing import CliRunner

from skiptrace.audit import AuditLog
from skiptrace.cli import app
from skiptrace.connectors._model import Connector
from skiptrace.connectors._registry import PageManifest, load_manifest
from skiptrace.connectors._runner import ConnectorResult
from skiptrace.connectors._sandbox import Mode
from skiptrace.policy import Policy
from skiptrace.records import Query
from skiptrace.research.findings import output_row
from skiptrace.research.run import Run
from skiptrace.testing.replay import ReplayServer, Reply, loopback_policy_file

HEAD = """id = "paged_dir"
name = "paged"
version = "1"
gives = ["person_name", "employer"]
needs = ["last_name"]
terms = "https://directory.example/terms"
[request]
url = "https://directory.example/search"
params = { surname = "{last_name}" }
[pagination]
type = "offset"
param = "from"
size = 2
max_pages = 3
"""
JSON = HEAD + '[response]\nformat = "json"\nrecords = "people"\n'
JSON += '[fields]\nperson_name = "name"\nemployer = "employer"\n'
HTML = HEAD + '[response]\nformat = "html"\nrecords = "div.member"\nexpect = "div.member, p.none"\n'
HTML += '[fields]\nperson_name = "span.name"\nemployer = "span.firm"\n'
BOUND = "stopped at max_pages = 3 after a full page (from=4): records past it unread"


def _people(offset: int, count: int) -> list[tuple[str, str]]:
    return [(f"Pat Example{n}", f"Firm {n}") for n in range(offset, offset + count)]


def _server(pages: int, html: bool) -> ReplayServer:
    """A directory of ``pages`` full pages of two people (then an empty one), by offset."""

    def route(method: str, target: str) -> Reply:
        offset = int(parse_qs(urlsplit(target).query).get("from", ["0"])[0])
        people = _people(offset, 2) if offset < 2 * pages else []
        if html:
            members = "".join(f'<div class="member"><span class="name">{name}</span>'
                              f'<span class="firm">{firm}</span></div>'
                              for name, firm in people)  # fmt: skip
            body = f"<html><body>{members or '<p class=none>none</p>'}</body></html>"
            return Reply(200, body.encode(), {"Content-Type": "text/html"})
        listed = [{"name": name, "employer": firm} for name, firm in people]
        return Reply(200, json.dumps({"people": listed}).encode(),
                     {"Content-Type": "application/json"})  # fmt: skip

    return ReplayServer(route)


def _load(tmp_path: Path, text: str, mode: Mode) -> Connector:
    path = tmp_path / "paged_dir.toml"
    path.write_text(text, encoding="utf-8")
    connector = load_manifest(path)
    if isinstance(connector, PageManifest):  # its pages read in a worker, or in this process
        connector.confined = mode == Mode.SANDBOXED
    return connector


def _search(
    connector: Connector, pages: int, html: bool, policy: Policy, audit: AuditLog
) -> tuple[ConnectorResult, int]:
    """One search against a directory of ``pages`` full pages; the result and the pages
    asked for."""
    with _server(pages, html) as site:

        async def research() -> ConnectorResult:
            rewrite = {"https://directory.example": site.base_url}
            async with Run(site.allow(policy), audit, [connector], purpose="test",
                           rewrite=rewrite) as run:  # fmt: skip
                return await run.search(connector, Query.of("A1", last_name="Example"))

        result = asyncio.run(research())
        return result, len([r for r in site.received if r.path.startswith("/search")])


@pytest.mark.parametrize("html", [False, True], ids=["json", "html"])
def test_full_pages_past_max_pages_are_said_to_stand_unread(
    html: bool, mode: Mode, tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """Ten full pages, three read: the result had been a plain hit of six records, as if they
    were all the directory held, and a row whose debtor stood on page four read "no candidate
    found" with nothing saying the search was cut."""
    connector = _load(tmp_path, HTML if html else JSON, mode)
    result, asked = _search(connector, 10, html, fast_policy, audit)
    assert (result.status, len(result.records), asked) == ("hit", 6, 3), result
    assert result.unread == BOUND
    assert (result.partly, result.asked) == ("", True)  # final: never researched again for it
    row = output_row({"name": "Jane Roe", "employer": "Nowhere"}, [result])
    assert row["status"] == "no_hit", row
    assert row["status_detail"].endswith(f"; paged_dir left unread: {BOUND}"), row


@pytest.mark.parametrize("pages", [0, 1, 2])
def test_a_directory_read_to_its_end_says_nothing_unread(
    pages: int, tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """The last page read short or empty (before the bound, or at it) leaves nothing unread."""
    connector = _load(tmp_path, JSON, Mode.TRUSTED)
    result, asked = _search(connector, pages, False, fast_policy, audit)
    assert len(result.records) == 2 * pages and asked == pages + 1, result
    assert result.unread == ""


def test_a_bound_reached_after_records_keep_drops_is_no_result_saying_so(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """Three full pages whose every record ``response.keep`` drops: "no result", and the pages
    past them unread."""
    kept = JSON.replace('records = "people"', 'records = "people"\nkeep = "current"')
    connector = _load(tmp_path, kept, Mode.TRUSTED)
    result, asked = _search(connector, 10, False, fast_policy, audit)
    assert (result.status, result.records, asked) == ("no_result", (), 3), result
    assert result.unread == BOUND and result.asked


def test_lookup_says_what_was_left_unread_and_exits_as_a_final_answer(tmp_path: Path) -> None:
    """``; left unread:`` on the source's line, ``unread`` in --json, beside the other keys;
    the exit is a final answer's (0: candidates found), never 3 ("run it again later")."""
    with _server(10, False) as site:
        folder = tmp_path / "conn"
        folder.mkdir()
        text = JSON.replace("https://directory.example", site.base_url)
        (folder / "paged_dir.toml").write_text(text, encoding="utf-8")
        policy = loopback_policy_file(tmp_path / "loopback.toml", site)
        said = CliRunner().invoke(app, [
            "--policy", str(policy), "--connectors-dir", str(folder), "lookup",
            "--name", "Pat Example1", "--source", "paged_dir", "--purpose", "a test", "--json",
        ])  # fmt: skip
    assert said.exit_code == 0, said.output
    assert f"paged_dir: hit; left unread: {BOUND}" in " ".join(said.stderr.split())
    [source] = json.loads(said.stdout)["sources"]
    assert source == {"connector": "paged_dir", "status": "hit", "reason": "", "detail": "",
                      "partly": "", "unread": BOUND}  # fmt: skip
