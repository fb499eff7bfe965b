"""read_page against the published expected outputs of real saved pages (tests/pages/fixtures,
provenance in SOURCES.md): extruct's samples, the microformats test suite, All The Places' cases.
The pages are replayed over loopback and fetched through the real guard and session stack
(robots.txt first), and the bytes that arrive are read.

Agreement means: every PostalAddress, organisation (name, telephone, url) and Person field the
expected output holds is found by ``read_page`` (addresses, organisations) or ``mentions``
(people, looked for by their own name only)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from skiptrace.audit import AuditLog
from skiptrace.net.session import ConnectorSession, SourceHealth
from skiptrace.net.stack import open_client
from skiptrace.pages import PageAddress, mentions, read_page
from skiptrace.pages.jsonld import bare_type
from skiptrace.pages.schema import ORG_TYPES, is_org
from skiptrace.policy import load_policy
from skiptrace.records import Query
from skiptrace.testing.replay import ReplayServer, Reply, loopback_policy

FIXTURES = Path(__file__).parent / "fixtures"
EXTRUCT = sorted((FIXTURES / "extruct").rglob("*.html"))
MF = sorted((FIXTURES / "microformats").rglob("*.html"))
URL = "https://example.com/"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, bytes]:
    """Every saved page as a run fetches it: from a loopback replay server, through the guard."""
    pages = [*EXTRUCT, *MF]
    kind = {"Content-Type": "text/html"}
    routes = {f"/{p.relative_to(FIXTURES).as_posix()}": Reply(200, p.read_bytes(), kind)
              for p in pages}  # fmt: skip
    log = AuditLog(tmp_path_factory.mktemp("served") / "audit.sqlite3")
    with ReplayServer(routes) as server:
        policy = server.allow(loopback_policy(load_policy(), "tests on loopback"))

        async def fetch() -> dict[Path, bytes]:
            async with open_client(policy, log, purpose="tests") as client:
                session = ConnectorSession(client, "saved_pages", Query.of("F-1"), SourceHealth())
                return {p: (await session.get(server.url(f"/{p.relative_to(FIXTURES).as_posix()}"))
                            ).content for p in pages}  # fmt: skip

        got = asyncio.run(fetch())
    log.close()
    assert server.received[0].path == "/robots.txt" and len(server.received) == len(pages) + 1
    assert all(got[p] == p.read_bytes() for p in pages)  # the replay changes nothing
    return got


def _expected_extruct(html: Path) -> list[Any]:
    for suffix in (".jsonld", ".json"):
        path = html.with_suffix(suffix)
        if path.exists():
            data = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(data, dict):
                return [data.get("json-ld", []), data.get("microdata", [])]
            return [data]
    raise AssertionError(html)


def _nodes(value: Any) -> list[dict[str, Any]]:
    """Every object in extruct's output, microdata's {type, properties} shape flattened."""
    out, stack = [], [value]
    while stack:
        v = stack.pop()
        if isinstance(v, list):
            stack.extend(v)
        elif isinstance(v, dict):
            if "properties" in v and "type" in v:
                v = {"@type": v["type"], **v["properties"]}
            out.append(v)
            stack.extend(v.values())
    return out


def _types(node: dict[str, Any]) -> tuple[str, ...]:
    t = node.get("@type")
    return tuple(bare_type(x) for x in (t if isinstance(t, list) else [t]) if isinstance(x, str))


def _has(addresses: tuple[PageAddress, ...], street: str, city: str, postal: str) -> bool:
    return any(
        (not street or street in a.lines) and a.city == city and a.postal_code == postal
        for a in addresses
    )


@pytest.mark.parametrize("html", EXTRUCT, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_extruct_samples_agree_on_addresses_organisations_and_people(
    html: Path, served: dict[Path, bytes]
) -> None:
    page = read_page(served[html], URL)
    checked = 0
    for node in _nodes(_expected_extruct(html)):
        types = _types(node)
        if "postaladdress" in types:
            street, city = node.get("streetAddress", ""), node.get("addressLocality", "")
            assert _has(page.addresses, street, city, node.get("postalCode", "")), node
            country = node.get("addressCountry")
            if isinstance(country, str):
                assert any(a.country == country for a in page.addresses)
            checked += 1
        elif is_org(types) and node.get("name"):
            orgs = [o for o in page.organisations if o.name == node["name"]]
            assert orgs, node["name"]
            if node.get("telephone"):
                assert any(p.value == node["telephone"] for o in orgs for p in o.phones)
            if isinstance(node.get("url"), str):
                assert any(o.url == node["url"] for o in orgs)
            checked += 1
        elif "person" in types and node.get("name"):
            found = mentions(served[html], URL, [node["name"]])
            assert any(m.name == node["name"] for m in found), node["name"]
            checked += 1
    assert not page.problems


def _mf_items(value: Any) -> list[dict[str, Any]]:
    out, stack = [], [value]
    while stack:
        v = stack.pop()
        if isinstance(v, list):
            stack.extend(v)
        elif isinstance(v, dict):
            if "type" in v and "properties" in v:
                out.append(v)
                stack.extend(v["properties"].values())
                stack.extend(v.get("children", []))
            else:
                stack.extend(v.values())
    return out


@pytest.mark.parametrize("html", MF, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_microformats_suite_agrees_on_addresses_organisations_and_people(
    html: Path, served: dict[Path, bytes]
) -> None:
    expected = json.loads(html.with_suffix(".json").read_text(encoding="utf-8"))["items"]
    page = read_page(served[html], URL)
    for item in _mf_items(expected):
        p = {k: v[0] for k, v in item["properties"].items() if v and isinstance(v[0], str)}
        if "h-adr" in item["type"]:
            match = [
                a
                for a in page.addresses
                if a.source == "hcard"
                and (a.lines[:1] == (p["street-address"],) if "street-address" in p else True)
                and a.city == p.get("locality", "")
                and a.region == p.get("region", "")
                and a.postal_code == p.get("postal-code", "")
                and a.country == p.get("country-name", "")
            ]
            assert match, (p, page.addresses)
            if "extended-address" in p:
                assert p["extended-address"] in match[0].lines
        if "h-card" in item["type"]:
            for org in item["properties"].get("org", []):
                assert any(o.name == org for o in page.organisations), org
            if "h-org" in item["type"] or (p.get("name") and p.get("name") == p.get("org")):
                assert any(o.name == p["name"] for o in page.organisations)
            elif p.get("name"):
                found = mentions(served[html], URL, [p["name"]])
                assert any(m.name == p["name"] for m in found)
                titles = item["properties"].get("job-title", [])
                if titles:
                    assert any(m.job_title == titles[0] for m in found)


ATP = json.loads((FIXTURES / "ld_parser_cases.json").read_text(encoding="utf-8"))["cases"]
_FIELDS = {"street_address", "city", "state", "postcode", "country", "addr_full", "phone",
           "email", "website", "name"}  # fmt: skip


def _script(value: Any) -> str:
    return f'<script type="application/ld+json">{json.dumps(value)}</script>'


@pytest.mark.parametrize("case", [c for c in ATP if c["call"] == "parse_ld"], ids=lambda c: c["id"])
def test_all_the_places_parse_ld_cases(case: dict[str, Any]) -> None:
    expected = {k: v for k, v in case["expected"].items() if k in _FIELDS}
    page = read_page(_script(case["input"]), URL)
    org = next(iter(page.organisations), None)
    address = org.addresses[0] if org and org.addresses else (page.addresses or (None,))[0]
    for field, want in expected.items():
        if field == "name":
            assert org is not None and org.name == want
        elif field == "phone":
            assert org is not None and [p.value for p in org.phones][:1] == [want]
        elif field == "email":
            assert org is not None and [e.value for e in org.emails][:1] == [want]
        elif field == "website":
            assert org is not None and org.url == (want or "")
        elif field == "addr_full":
            assert address is not None and address.raw == want
        else:
            assert address is not None
            got = {"street_address": address.lines[0] if address.lines else "",
                   "city": address.city, "state": address.region,
                   "postcode": address.postal_code, "country": address.country}[field]  # fmt: skip
            assert got == want, field


@pytest.mark.parametrize(
    "case", [c for c in ATP if c["call"] == "find_linked_data"], ids=lambda c: c["id"]
)
def test_all_the_places_linked_data_names(case: dict[str, Any]) -> None:
    page = read_page(case["input_html"], URL)
    names = {o.name for o in page.organisations}
    assert case["expected"]["name"] in names or page.site_name == case["expected"]["name"]


def test_all_the_places_type_comparison() -> None:
    case = next(c for c in ATP if c["call"] == "check_type")
    for row in case["expected"]:
        if row["type"] is None:
            continue
        same = bare_type(row["type"]) == bare_type(row["wanted_type"])
        assert same == row["result"], row
    assert "localbusiness" in ORG_TYPES
