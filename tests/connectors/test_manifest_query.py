"""A manifest's request URL may carry a query string of its own (``?format=json``): it is sent
with every request, merged with the debtor's params, never silently dropped (httpx drops a
URL's query when ``params`` are given)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from skiptrace.audit import AuditLog
from skiptrace.connectors._manifest import ManifestConnector
from skiptrace.connectors._model import Connector
from skiptrace.connectors._registry import PageManifest, load_manifest
from skiptrace.connectors._runner import ConnectorResult
from skiptrace.errors import ManifestError
from skiptrace.policy import Policy
from skiptrace.records import Query
from skiptrace.research.run import Run
from skiptrace.testing import replay
from skiptrace.testing.replay import ReplayServer, Reply

MANIFEST = """
id = "query_directory"
name = "A directory whose URL has a query of its own (test)"
version = "1"
gives = ["person_name"]
needs = ["last_name"]
optional = ["first_name"]
terms = "https://directory.example/terms"

[request]
url = "https://directory.example/search?format=json&v=2&q=a%20b"
params = { surname = "{last_name}", given = "{first_name}" }

[response]
format = "json"
records = "people"

[fields]
person_name = "name"
"""
PAGED = """
[pagination]
type = "page"
param = "page"
size = 2
max_pages = 3
"""


def _directory(method: str, target: str) -> Reply | None:
    """Answers only a request that kept the URL's own query; two people a page, then one."""
    url = urlsplit(target)
    query = dict(parse_qsl(url.query, keep_blank_values=True))
    if url.path != "/search" or query.get("format") != "json":
        return Reply(400, b"format=json is required", {"Content-Type": "text/plain"})
    count = 1 if query.get("page") == "2" else 2
    people = [{"name": f"{query.get('given', '')} {query['surname']}".strip()}] * count
    return Reply(200, json.dumps({"people": people}).encode(), {"Content-Type": "application/json"})


def _load(tmp_path: Path, text: str = MANIFEST) -> Connector:
    path = tmp_path / "query_directory.toml"
    path.write_text(text, encoding="utf-8")
    return load_manifest(path)


def _search(
    connector: Connector, site: ReplayServer, policy: Policy, audit: AuditLog
) -> ConnectorResult:
    query = Query.of("ACCT-1", first_name="Pat", last_name="Example")
    allowing = getattr(replay, "allowing", None)  # lists the server in hosts.allow_private, once
    if allowing is not None:  # the guard refuses private addresses (issue 10, item 5)
        policy = allowing(policy, "tests on loopback", site)

    async def research() -> ConnectorResult:
        rewrite = {"https://directory.example": site.base_url}
        async with Run(policy, audit, [connector], purpose="test", rewrite=rewrite) as run:
            return await run.search(connector, query)

    return asyncio.run(research())


def _sent(site: ReplayServer) -> list[list[tuple[str, str]]]:
    return [parse_qsl(urlsplit(r.path).query, keep_blank_values=True) for r in site.received
            if r.path.startswith("/search")]  # fmt: skip


def test_the_urls_own_query_is_kept_and_merged_with_the_params(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    connector = _load(tmp_path)
    with ReplayServer(_directory) as site:
        result = _search(connector, site, fast_policy, audit)
    assert result.status == "hit", result
    assert _sent(site) == [
        [("format", "json"), ("v", "2"), ("q", "a b"), ("surname", "Example"), ("given", "Pat")]
    ]


def test_the_urls_own_query_is_sent_with_every_page(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    connector = _load(tmp_path, MANIFEST + PAGED)
    with ReplayServer(_directory) as site:
        result = _search(connector, site, fast_policy, audit)
    assert len(result.records) == 3, result
    sent = _sent(site)
    assert [dict(q)["page"] for q in sent] == ["1", "2"]
    assert all(q[:3] == [("format", "json"), ("v", "2"), ("q", "a b")] for q in sent)


def test_params_for_shows_the_urls_own_query_too(tmp_path: Path) -> None:
    connector = _load(tmp_path)  # a third party's: its answers are read in a worker
    assert isinstance(connector, PageManifest)
    assert isinstance(connector.in_process, ManifestConnector)
    params = connector.in_process.params_for(Query.of("A", last_name="Roe"))
    assert params == {"format": "json", "v": "2", "q": "a b", "surname": "Roe"}


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (('surname = "{last_name}"', 'format = "{last_name}"'), "both set 'format'"),
        (("?format=json&v=2", "?format=json&v=2&v=3"), "repeats 'v'"),
        (("", PAGED.replace('param = "page"', 'param = "v"')), "pagination.param 'v'"),
    ],
)
def test_a_query_name_set_twice_is_a_clear_error_at_load(
    tmp_path: Path, change: tuple[str, str], says: str
) -> None:
    text = MANIFEST.replace(*change) if change[0] else MANIFEST + change[1]
    with pytest.raises(ManifestError, match=says):
        _load(tmp_path, text)


@pytest.mark.parametrize(("per_page", "short"), [(2, True), (3, False)], ids=["full", "all"])
def test_a_server_that_ignores_the_page_parameter_is_read_once(
    per_page: int, short: bool, tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """A directory answering page 2 with page 1 again: with a page as full as the manifest's
    size, more records may stand past it, unread, and the hit was a plain one, the row called
    done; a page holding more than the size was the whole answer, and stands as it is."""

    def same_page(method: str, target: str) -> Reply | None:
        people = [{"name": f"Pat Example {n}"} for n in range(per_page)]
        return Reply(200, json.dumps({"people": people}).encode(),
                     {"Content-Type": "application/json"})  # fmt: skip

    connector = _load(tmp_path, MANIFEST + PAGED)
    with ReplayServer(same_page) as site:
        result = _search(connector, site, fast_policy, audit)
    assert (result.status, len(result.records)) == ("hit", per_page), result
    assert [dict(q)["page"] for q in _sent(site)] == ["1", "2"]
    if short:
        assert "query_directory fell short: " in result.partly, result.partly
        assert "page 2 repeated page 1" in result.partly
        assert not result.asked  # researched again next time
    else:
        assert (result.partly, result.asked) == ("", True)
