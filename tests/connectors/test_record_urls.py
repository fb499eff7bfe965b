"""A record's own page (``record_url``): every shipped connector fills it over its recorded
fixtures, a hostile source_id cannot reshape it, and a bad template is refused at load."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import shutil
import textwrap
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest

from skiptrace import state
from skiptrace.audit import AuditLog
from skiptrace.connectors._manifest import ManifestConnector, RecordUrl
from skiptrace.connectors._model import Connector
from skiptrace.connectors._registry import PageManifest, discover, load_manifest, ships
from skiptrace.connectors._runner import ConnectorResult
from skiptrace.errors import ManifestError
from skiptrace.net.guard import page_origin
from skiptrace.policy import Policy
from skiptrace.records import Provenance, Query, SourceRecord, Status
from skiptrace.research.findings import output_row
from skiptrace.research.run import Run, _pages_vouched
from skiptrace.testing.contracts import check_example
from skiptrace.testing.replay import ReplayServer, Reply

BUILTIN = discover(entry_points=False)
CONNECTORS = Path(__file__).resolve().parents[2] / "connectors"
NPPES = "https://npiregistry.cms.hhs.gov/provider-view/"
GLEIF = "https://search.gleif.org/#/record/"
EDGAR = "https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany&CIK="
CH = "https://find-and-update.company-information.service.gov.uk"

KNOWN = [
    ("nppes", "one individual", "1720377294", NPPES + "1720377294"),
    ("nppes_official", "an organisation run by", "1568946812", NPPES + "1568946812"),
    ("gleif", "twelve legal entities", "254900LNRYNOQ9YPU758", GLEIF + "254900LNRYNOQ9YPU758"),
    ("gleif_sole_proprietor", "a sole proprietor", "9845001B2AD43E664E58",
     GLEIF + "9845001B2AD43E664E58"),
    # the insider's own EDGAR page (Luca Maestri, CIK 1513362); source_id is the issuer, Apple
    ("sec_edgar", "an officer", "0000320193", EDGAR + "0001513362"),
    ("sec_edgar_company", "a listed employer", "0000320193", EDGAR + "0000320193"),
    ("companies_house", "one officer", "08957400",
     CH + "/officers/Qx7Example_Officer-Id01/appointments"),
    ("companies_house", "company profile not found", "08957400",
     CH + "/officers/Qx7Example_Officer-Id01/appointments"),
    # a business's own site: its host is the identifier; the replayed site is plain http on
    # loopback, and a record's page must be https, so it stays in the provenance
    ("business_pages", "employer_website given", "127.0.0.1", ""),
]  # fmt: skip


def test_every_shipped_connector_is_covered() -> None:
    # the offline index's record pages come from bulk manifests: tests/index/test_offline.py
    assert {connector for connector, *_ in KNOWN} == set(BUILTIN.connectors) - {"offline"}
    for connector in BUILTIN.connectors.values():
        assert "record_url" in connector.info.gives
        assert "source_id" in connector.info.gives


@pytest.mark.parametrize(
    ("connector_id", "example", "source_id", "record_url"),
    KNOWN,
    ids=[f"{c}:{e}" for c, e, *_ in KNOWN],
)
def test_a_connector_gives_the_records_own_page(
    connector_id: str,
    example: str,
    source_id: str,
    record_url: str,
    policy: Policy,
    tmp_path: Path,
) -> None:
    """The real connector over its recorded fixture, through the guard on a loopback server
    (the contract runner); the first record's identifier and page, exactly."""
    connector = BUILTIN.connectors[connector_id]
    [chosen] = [e for e in connector.info.examples if e.name.startswith(example)]
    expect = {"source_id": source_id, "record_url": record_url}
    outcome = asyncio.run(
        check_example(connector, dataclasses.replace(chosen, expect_first=expect), policy, tmp_path)
    )
    assert outcome.passed, outcome.detail


# A hostile source_id: the record's page keeps its host, path shape and query names.

HOSTILE_MANIFEST = """
id = "hostile_ids"
name = "Identifiers that try to reshape the page URL (test)"
version = "1"
gives = ["person_name", "source_id", "record_url"]
needs = ["last_name"]
terms = "https://registry.example/terms"
record_url = "TEMPLATE"

[request]
url = "https://registry.example/api"
params = { q = "{last_name}" }

[response]
format = "json"
records = "items"

[fields]
person_name = "name"
source_id = "id"
"""

HOSTILE_IDS = [
    "../../x", "..", ".", "%2e%2e", "?a=b#", "a/b?c=d&e=f#g", "@evil.example", "//evil.example/x",
    "https://evil.example/", "a\\b", "x" * 10_000, "x" * 200, "a\nb\r\nc\td", "a b", "ünï/çødé",
    "\u202e", "%", "&id=2", "=", "",
]  # fmt: skip

TEMPLATES = {
    "path": "https://registry.example/people/{source_id}/profile",
    "query": "https://registry.example/view?kind=person&id={source_id}&lang=en",
    "fragment": "https://registry.example/#/record/{source_id}",
}


def _shape_holds(kind: str, url: str, source_id: str) -> None:
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc) == ("https", "registry.example")
    assert all(33 <= ord(char) < 127 for char in url)  # no space, newline or raw non-ASCII
    if kind == "path":
        assert (parts.query, parts.fragment) == ("", "")
        root, people, value, profile = parts.path.split("/")
        assert (root, people, profile) == ("", "people", "profile")
    elif kind == "query":
        assert (parts.path, parts.fragment) == ("/view", "")
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        assert [name for name, _ in pairs] == ["kind", "id", "lang"]
        assert (pairs[0][1], pairs[2][1]) == ("person", "en")
        value = parts.query.split("&")[1].removeprefix("id=")
    else:
        assert (parts.path, parts.query) == ("/", "")
        root, record, value = parts.fragment.split("/")
        assert (root, record) == ("", "record")
    assert value not in (".", "..")
    assert unquote(value) == source_id.strip()


@pytest.mark.parametrize("kind", list(TEMPLATES))
def test_a_hostile_source_id_cannot_reshape_the_page(
    kind: str, fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    """Through a real run: the source's answer carries hostile identifiers."""
    manifest = tmp_path / "hostile_ids.toml"
    manifest.write_text(HOSTILE_MANIFEST.replace("TEMPLATE", TEMPLATES[kind]), encoding="utf-8")
    connector = load_manifest(manifest)
    items = [{"name": f"Person {n}", "id": value} for n, value in enumerate(HOSTILE_IDS)]
    body = json.dumps({"items": items}).encode()
    with ReplayServer({"/api": Reply(200, body, {"Content-Type": "application/json"})}) as site:

        async def research() -> list[SourceRecord]:
            rewrite = {"https://registry.example": site.base_url}
            allowed = site.allow(fast_policy)
            async with Run(allowed, audit, [connector], purpose="test", rewrite=rewrite) as run:
                result = await run.search(connector, Query.of("ACCT-9", last_name="Example"))
            assert result.status == "hit", result.detail
            return result.records

        records = asyncio.run(research())
    assert len(records) == len(HOSTILE_IDS)
    for record in records:
        if record.source_id in ("", ".", "..") or len(record.source_id) > RecordUrl.MAX_ID:
            assert record.record_url == ""  # a browser would read %2E%2E as ".." (review)
        else:
            _shape_holds(kind, record.record_url, record.source_id)
    given = {record.source_id: record.record_url for record in records}
    assert given["x" * 200] and given["x" * 10_000] == given[".."] == given["."] == ""


@pytest.mark.parametrize("kind", list(TEMPLATES))
@pytest.mark.parametrize("source_id", ["a\nb", "a\r\n\x00b", "../..\n?x=1#", "x" * 200])
def test_control_characters_are_encoded_not_passed(kind: str, source_id: str) -> None:
    """The extractor folds whitespace; the template must not rely on that."""
    prefix, _, suffix = TEMPLATES[kind].partition("{source_id}")
    url = RecordUrl(prefix, suffix).render(source_id)
    _shape_holds(kind, url, source_id)


def test_no_source_id_no_page() -> None:
    page = RecordUrl("https://registry.example/p/", "")
    assert page.render("") == page.render("   ") == page.render("x" * 10_000) == ""


# Load errors: one line, naming the manifest.

GLEIF_LINE = 'record_url = "https://search.gleif.org/#/record/{source_id}"'


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ('record_url = "http://search.gleif.org/#/record/{source_id}"', "fixed https URL"),
        ('record_url = "search.gleif.org/{source_id}"', "fixed https URL"),
        ("record_url = 5", "fixed https URL"),
        ('record_url = "https://search.gleif.org/#/record/{lei}"', "only placeholder"),
        ('record_url = "https://search.gleif.org/record"', "only placeholder"),
        ('record_url = "https://x.example/{source_id}/{source_id}"', "only placeholder"),
        ('record_url = "https://x.example/{source_id}/{employer}"', "only placeholder"),
        ('record_url = "https://{source_id}.example/x"', "fixed https URL"),
        ('record_url = "https://x.example{source_id}"', "fixed https URL"),
        ('record_url = "https://user:{source_id}@x.example/"', "fixed https URL"),
        ('record_url = "https://x.example/id-{source_id}"', "fixed https URL"),
        ('record_url = "https://x.example/v?{source_id}=1"', "fixed https URL"),
        ('record_url = "https://x.example/v?id={source_id}x"', "fixed https URL"),
        ('record_url = "https://x.example/ {source_id}"', "fixed https URL"),
        ('record_url = "https://x.example/\\n/{source_id}"', "fixed https URL"),
    ],
)  # fmt: skip
def test_a_bad_record_url_is_refused_at_load(tmp_path: Path, line: str, says: str) -> None:
    path = tmp_path / "gleif.toml"
    source = (CONNECTORS / "gleif.toml").read_text(encoding="utf-8")
    assert GLEIF_LINE in source
    path.write_text(source.replace(GLEIF_LINE, line), encoding="utf-8")
    with pytest.raises(ManifestError, match=says) as caught:
        load_manifest(path)
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "template",
    [
        "https://x.example/people/{source_id}",
        "https://x.example/people/{source_id}/profile?tab=1",
        "https://x.example/v?id={source_id}",
        "https://x.example/v?a=1&id={source_id}#top",
        "https://x.example/#/record/{source_id}",
    ],
)
def test_good_record_urls_load(tmp_path: Path, template: str) -> None:
    path = tmp_path / "gleif.toml"
    source = (CONNECTORS / "gleif.toml").read_text(encoding="utf-8")
    path.write_text(source.replace(GLEIF_LINE, f'record_url = "{template}"'), encoding="utf-8")
    assert load_manifest(path).info.id == "gleif"


def test_record_url_needs_source_id_in_fields(tmp_path: Path) -> None:
    path = tmp_path / "gleif.toml"
    source = (CONNECTORS / "gleif.toml").read_text(encoding="utf-8")
    path.write_text(source.replace('source_id = "attributes.lei"\n', ""), encoding="utf-8")
    with pytest.raises(ManifestError, match="needs source_id"):
        load_manifest(path)


def test_record_url_is_not_a_field_selector(tmp_path: Path) -> None:
    path = tmp_path / "gleif.toml"
    source = (CONNECTORS / "gleif.toml").read_text(encoding="utf-8")
    selector = 'source_id = "attributes.lei"\nrecord_url = "links.self"\n'
    path.write_text(source.replace('source_id = "attributes.lei"\n', selector), encoding="utf-8")
    with pytest.raises(ManifestError, match="not a \\[fields\\] selector"):
        load_manifest(path)


def test_a_python_connector_sets_its_record_url_itself(tmp_path: Path) -> None:
    shutil.copy(CONNECTORS / "sec_edgar.py", tmp_path / "sec_edgar.py")
    source = (CONNECTORS / "sec_edgar_company.toml").read_text(encoding="utf-8")
    extra = textwrap.dedent("""\
        record_url = "https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany&CIK={source_id}"
        """)
    path = tmp_path / "sec_edgar_company.toml"
    path.write_text(source.replace('rate = "5/s"\n', f'rate = "5/s"\n{extra}'), encoding="utf-8")
    with pytest.raises(ManifestError, match="Python connector sets"):
        load_manifest(path)


def test_a_record_without_source_id_has_no_page(tmp_path: Path) -> None:
    """The manifest connector itself: a record lacking its identifier gets no record_url."""
    connector = load_manifest(CONNECTORS / "gleif.toml")
    assert isinstance(connector, ManifestConnector)
    provenance = Provenance("gleif", "1", "https://api.gleif.org/api/v1/lei-records", "")
    named = {"attributes": {"entity": {"legalName": {"name": "Acme Ltd"}}}}
    record = connector._record(named, provenance)
    assert record is not None and (record.source_id, record.record_url) == ("", "")
    assert connector._record({"attributes": {"entity": {}}}, provenance) is None  # names nothing
    found = connector._record({"attributes": {"lei": "5493001KJTIIGC8Y1R12"}}, provenance)
    assert found is not None and found.record_url == GLEIF + "5493001KJTIIGC8Y1R12"


# A Python connector skiptrace does not ship names its records' pages itself.

CLAIMS = """
from skiptrace.connectors import SourceRecord

class Claims:
    async def search(self, session, query):
        page = await session.get("https://list.example/people")
        return [SourceRecord(session.provenance(page), person_name="Pat Roe", source_id="7",
                             record_url=page.json()["page"])]

CONNECTOR = Claims()
"""
OWN_PAGE = "https://list.example/people/7"


@pytest.mark.parametrize(
    ("claimed", "kept"),
    [(EDGAR + "0000320193", ""), (OWN_PAGE, OWN_PAGE)],
    ids=["another-host", "its-own-origin"],
)
def test_a_third_party_page_is_kept_only_at_an_origin_it_declared(
    claimed: str, kept: str, fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    """A sandboxed connector read its own host and named a page at www.sec.gov: that page was
    the evidence_url, the one URL of a row with no found_* filled. A page off its declared
    origins is not kept; the page it read stands in its place (here plain http on loopback,
    so none)."""
    (tmp_path / "claims.py").write_text(CLAIMS, encoding="utf-8")
    (tmp_path / "claims.toml").write_text(
        'id = "claims"\nname = "claims"\nversion = "1"\npython = "claims.py"\n'
        'gives = ["person_name", "source_id", "record_url"]\nneeds = ["last_name"]\n'
        'origins = ["https://list.example"]\nterms = "https://list.example/terms"\n',
        encoding="utf-8",
    )
    connector = load_manifest(tmp_path / "claims.toml")
    query = Query.of("ACCT-9", full_name="Pat Roe")
    served = ("https://list.example", "/people", {"page": claimed})
    result = _searched(connector, served, query, fast_policy, audit)
    assert result.status == "hit", result.detail
    assert [record.record_url for record in result.records] == [kept]
    row = output_row({"full_name": "Pat Roe"}, [result])
    assert (row["evidence_id"], row["evidence_url"]) == ("7", kept)


def test_the_page_read_stands_for_a_page_named_elsewhere() -> None:
    """Where the record was read from an https page, that page, which the session vouches
    for, is its evidence; a page on the site the connector adopted is kept."""
    read = Provenance("claims", "1", "https://list.example/people?q=roe", "2026-01-02T03:04:05Z")
    named = SourceRecord(read, person_name="Pat Roe", record_url=EDGAR + "0000320193")
    result = ConnectorResult("claims", Status.HIT, (named,))
    [record] = _pages_vouched(result, ("https://list.example",), None).records
    assert record.record_url == read.source_url
    on_site = dataclasses.replace(named, record_url="https://www.acme.example/about")
    adopted = dataclasses.replace(result, records=(on_site,))
    [record] = _pages_vouched(adopted, (), "https://acme.example/").records
    assert record.record_url == on_site.record_url


# The origin a page is at is read as the guard reads it: parsed, never a prefix of the text.


@pytest.mark.parametrize(
    ("page", "kept"),
    [
        ("https://list.example/people/7", True),
        ("https://LIST.example.:443/people/7", True),  # case, a trailing dot, the default port
        ("https://list%2Eexample/people/7", True),  # a browser decodes the host too
        ("https://\uff4c\uff49\uff53\uff54.example/people/7", True),  # fullwidth, NFKC-folded
        ("https://list.example/people/%252e%252e", True),  # a path the guard would not send
        ("https://list.example#@evil.example/", True),  # '@' in the fragment: list.example's
        ("https://list.example.evil.example/people/7", False),
        ("https://list.example%2Eevil.example/people/7", False),
        ("https://list.example:8443/people/7", False),
        ("https://l\u0456st.example/people/7", False),  # a Cyrillic i
        ("https://evil.example\\.list.example/", False),
        ("https://list.example\\evil.example/", False),  # read two ways: kept by neither
        ("https://evil.example%2Flist.example/", False),
        ("https://list.example%00.evil.example/", False),
    ],
)
def test_a_page_is_judged_by_its_parsed_origin(page: str, kept: bool) -> None:
    read = Provenance("claims", "1", "https://list.example/people?q=roe", "2026-01-02T03:04:05Z")
    result = ConnectorResult("claims", Status.HIT, (SourceRecord(read, record_url=page),))
    [record] = _pages_vouched(result, ("https://list.example",), None).records
    assert record.record_url == (page if kept else read.source_url)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.sec.gov@evil.example/",
        "https://evil.example\\@www.sec.gov/",  # a browser reads the host as evil.example
        "//www.sec.gov/cgi-bin/browse-edgar",
        "http://www.sec.gov/",
        "ftp://www.sec.gov/",
        "javascript:alert(1)",
        "",
    ],
)
def test_a_url_with_credentials_or_another_scheme_is_at_no_origin(url: str) -> None:
    assert page_origin(url) == ("http://www.sec.gov:80" if url.startswith("http:") else "")


# A manifest skiptrace does not ship templates its records' pages too: the same rule holds.

NAMING = HOSTILE_MANIFEST.replace('id = "hostile_ids"', 'id = "naming"').replace(
    'needs = ["last_name"]\n',
    'needs = ["last_name"]\norigins = ["https://search.registry.example"]\n',
)


@pytest.mark.parametrize(
    ("template", "kept"),
    [
        (EDGAR + "{source_id}", False),  # its own host answered; www.sec.gov never did
        ("https://registry.example.evil.example/p/{source_id}", False),  # a prefix, no origin
        ("https://registry.example:8443/p/{source_id}", False),  # another port
        ("https://r\u0435gistry.example/p/{source_id}", False),  # a Cyrillic e: xn--...
        ("https://registry.example/p/{source_id}", True),  # request.url's origin
        ("https://REGISTRY.example:443/p/{source_id}", True),  # the same origin, spelt so
        ("https://search.registry.example/#/record/{source_id}", True),  # declared in origins
    ],
    ids=["edgar", "prefix", "port", "idn", "own", "own-spelt", "declared"],
)
def test_a_third_party_manifests_page_is_kept_only_at_an_origin_it_declared(
    template: str, kept: bool, fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    """A manifest outside the shipped folder, through the guard on a loopback server: its
    template named www.sec.gov while its own host answered, and that page was the row's
    evidence_url. Off its declared origins the page it read stands in (plain http on
    loopback here, so none)."""
    manifest = tmp_path / "naming.toml"
    manifest.write_text(NAMING.replace("TEMPLATE", template), encoding="utf-8")
    connector = load_manifest(manifest)
    assert isinstance(connector, PageManifest)  # a third party's: read in a worker
    query = Query.of("ACCT-9", last_name="Roe")
    served = (
        "https://registry.example",
        "/api",
        {"items": [{"name": "Pat Roe", "id": "0000320193"}]},
    )
    result = _searched(connector, served, query, fast_policy, audit)
    assert result.status == "hit", result.detail
    page = template.replace("{source_id}", "0000320193") if kept else ""
    assert [record.record_url for record in result.records] == [page]
    row = output_row({"full_name": "Pat Roe"}, [result])
    assert (row["evidence_id"], row["evidence_url"]) == ("0000320193", page)


def test_a_record_url_with_credentials_is_refused_at_load(tmp_path: Path) -> None:
    """It had loaded, and failed every search that found a record."""
    path = tmp_path / "gleif.toml"
    source = (CONNECTORS / "gleif.toml").read_text(encoding="utf-8")
    line = 'record_url = "https://search.gleif.org@evil.example/#/record/{source_id}"'
    path.write_text(source.replace(GLEIF_LINE, line), encoding="utf-8")
    with pytest.raises(ManifestError, match="fixed https URL"):
        load_manifest(path)


# Which connectors are skiptrace's is read from where their manifest is: its built-in folder's
# own manifests, never a folder below it or beside it.


@pytest.mark.parametrize(
    ("where", "ours"),
    [
        ("connectors/naming.toml", True),
        ("connectors/vendor/naming.toml", False),  # a pack kept inside it, --connectors-dir
        ("connectors/fixtures/naming/naming.toml", False),
        ("connectors-extra/naming.toml", False),  # a folder named like it
        ("connectors/../elsewhere/naming.toml", False),
    ],
)
def test_only_the_builtin_folders_own_manifests_are_shipped(
    where: str, ours: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A third party's manifest below the built-in folder was judged shipped: its record
    pages were kept wherever its template put them (and its keys, the debtor's contact
    details and, with no sandbox, an unconfined process were its own)."""
    monkeypatch.setattr(state, "_PACKAGE_DIR", tmp_path / "src" / "skiptrace")
    assert state.builtin_dir("connectors") == tmp_path / "connectors"
    manifest = tmp_path / where
    manifest.parent.mkdir(parents=True, exist_ok=True)
    manifest.write_text(NAMING.replace("TEMPLATE", EDGAR + "{source_id}"), encoding="utf-8")
    assert ships(load_manifest(manifest)) is ours
    link = tmp_path / "linked" / "naming.toml"  # a link to a shipped file is that file
    link.parent.mkdir()
    link.symlink_to(manifest)
    assert ships(load_manifest(link)) is ours


def _searched(
    connector: Connector,
    served: tuple[str, str, object],
    query: Query,
    policy: Policy,
    audit: AuditLog,
) -> ConnectorResult:
    """One search of ``connector`` through the guard, ``served`` (an origin, a path and the
    JSON that path answers) on a loopback server standing for that origin."""
    origin, path, answer = served
    body = json.dumps(answer).encode()
    with ReplayServer({path: Reply(200, body, {"Content-Type": "application/json"})}) as site:

        async def research() -> ConnectorResult:
            rewrite = {origin: site.base_url}
            async with Run(site.allow(policy), audit, [connector], purpose="test",
                           rewrite=rewrite) as run:  # fmt: skip
                return await run.search(connector, query)

        return asyncio.run(research())
