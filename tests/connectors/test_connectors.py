"""The connector framework: built-in contracts, third-party folders, manifests, the import fence."""

from __future__ import annotations

import asyncio
import dataclasses
import importlib.metadata
import os
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skiptrace.audit import AuditLog
from skiptrace.cli import app
from skiptrace.connectors import _registry, _sandbox
from skiptrace.connectors._confine import unavailable
from skiptrace.connectors._model import Connector, Example, Grants
from skiptrace.connectors._protocol import MAX_TEXT
from skiptrace.connectors._registry import PageManifest, api_keys, discover, load_manifest
from skiptrace.connectors._runner import ConnectorResult
from skiptrace.errors import ManifestError
from skiptrace.policy import Policy
from skiptrace.records import Query
from skiptrace.research.run import Run
from skiptrace.testing.clock import VirtualTime
from skiptrace.testing.contracts import check_example, replay_example
from skiptrace.testing.directory import MANIFEST as DIRECTORY
from skiptrace.testing.replay import ReplayServer, Reply

BUILTIN = discover(entry_points=False)
EXAMPLES = [(c, e) for c in BUILTIN.connectors.values() for e in c.info.examples]

HTML_MANIFEST = """
id = "acme_directory"
name = "Acme trade directory (test)"
version = "1"
gives = ["person_name", "employer", "employer_address"]
needs = ["last_name"]
optional = ["first_name"]
terms = "https://directory.example/terms"

[request]
url = "https://directory.example/search"
params = { surname = "{last_name}", given = "{first_name}" }

[response]
format = "html"
records = "li.member"
expect = "ul"

[fields]
person_name = "span.name"
employer = "span.firm"

[fields.employer_address]
lines = "span.street"
city = "span.city"
postal_code = "span.zip"

[[examples]]
name = "one member"
query = { first_name = "Pat", last_name = "Example" }
[examples.expect]
status = "hit"
count = 1
[examples.expect.first]
employer = "Example Plumbing Co."
employer_address = "100 Example Ave, Springfield, 62701"
[[examples.replies]]
path = "/search"
match = { surname = "Example" }
file = "member.html"

[[examples]]
name = "no member"
query = { last_name = "Nobody" }
expect = { status = "no_result", count = 0 }
[[examples.replies]]
path = "/search"
file = "empty.html"
"""

MEMBER_PAGE = """<html><body><ul>
<li class="member"><span class="name">Pat Example</span>
<span class="firm">Example Plumbing Co.</span>
<span class="street">100 Example Ave</span> <span class="city">Springfield</span>
<span class="zip">62701</span></li></ul></body></html>"""


def _third_party(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "acme_directory.toml").write_text(HTML_MANIFEST, encoding="utf-8")
    (folder / "member.html").write_text(MEMBER_PAGE, encoding="utf-8")
    (folder / "empty.html").write_text("<html><body><ul></ul></body></html>", encoding="utf-8")
    return folder


def _with_api_key(folder: Path, key: str) -> Path:
    """The third-party manifest in ``folder``, rewritten to declare ``api_key = key``."""
    path = folder / "acme_directory.toml"
    terms = 'terms = "https://directory.example/terms"'
    path.write_text(HTML_MANIFEST.replace(terms, f"{terms}\napi_key = {key}"), encoding="utf-8")
    return path


def test_the_builtin_connectors_load_cleanly() -> None:
    assert BUILTIN.problems == []
    assert {"nppes", "nppes_official", "gleif", "gleif_sole_proprietor"} <= set(BUILTIN.connectors)


# contract examples replay recorded HTTP replies; the offline index sends no request and is
# tested over real bulk files instead (tests/index)
SENDING = [c for c in BUILTIN.connectors.values() if c.info.id != "offline"]


@pytest.mark.parametrize("connector", SENDING, ids=lambda c: c.info.id)
def test_every_connector_has_a_positive_and_a_negative_example(connector: Connector) -> None:
    statuses = {example.expect_status for example in connector.info.examples}
    assert "hit" in statuses
    assert "no_result" in statuses


@pytest.mark.parametrize(
    ("connector", "example"), EXAMPLES, ids=[f"{c.info.id}:{e.name}" for c, e in EXAMPLES]
)
def test_contract_example(
    connector: Connector, example: Example, policy: Policy, tmp_path: Path
) -> None:
    outcome = asyncio.run(check_example(connector, example, policy, tmp_path))
    assert outcome.passed, outcome.detail


def test_a_wrong_expectation_fails_the_contract(policy: Policy, tmp_path: Path) -> None:
    connector = BUILTIN.connectors["nppes"]
    example = dataclasses.replace(
        connector.info.examples[0], expect_first={"person_name": "SOMEONE ELSE"}
    )
    outcome = asyncio.run(check_example(connector, example, policy, tmp_path))
    assert not outcome.passed
    assert "SOMEONE ELSE" in outcome.detail


def _readme_block(first_line: str) -> str:
    """The README's code block that starts with ``first_line``, from that line on."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    start = readme.index(first_line)
    return readme[start : readme.index("```", start)]


def _readme_file(name: str) -> str:
    """A reply file the README prints after a ``<!-- my-connectors/NAME -->`` line."""
    return _readme_block(f"<!-- my-connectors/{name} -->\n").split("\n", 1)[1]


def test_a_third_party_connector_from_the_readme_alone(tmp_path: Path) -> None:
    folder = tmp_path / "my-connectors"  # everything in it as the README prints it
    folder.mkdir()
    (folder / "acme_directory.toml").write_text(
        _readme_block("# my-connectors/acme_directory.toml"), encoding="utf-8"
    )
    for name in ("member.html", "empty.html"):
        (folder / name).write_text(_readme_file(name), encoding="utf-8")
    runner = CliRunner()
    listed = runner.invoke(app, ["--connectors-dir", str(folder), "connectors", "list"])
    assert listed.exit_code == 0 and "acme_directory" in listed.output
    tested = runner.invoke(
        app, ["--connectors-dir", str(folder), "connectors", "test", "acme_directory"]
    )
    assert tested.exit_code == 0, tested.output
    assert "2 passed, 0 failed" in tested.output


@pytest.fixture(params=["here", "none"])
def sandbox(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The test twice: with this machine's sandbox ("here"), and as on a machine without one
    ("none"), where connectors search in this process."""
    if request.param == "here" and unavailable():
        pytest.skip(f"no sandbox on this machine: {unavailable()}")
    if request.param == "none":
        for module in (_registry, _sandbox):
            monkeypatch.setattr(module, "unavailable", lambda: "no Landlock (a test's machine)")
    return str(request.param)


def test_a_manifest_reading_pages_parses_them_confined_where_it_can(
    sandbox: str, policy: Policy, tmp_path: Path
) -> None:
    """Its searches run in a worker process of its own where the machine has a sandbox (one
    that parses a page for minutes is killed with its search: tests/connectors/
    test_deep_pages.py); elsewhere in this process, never refused: a manifest is no code."""
    folder = _third_party(tmp_path / "mine")
    connector = discover([folder], entry_points=False).connectors["acme_directory"]
    assert isinstance(connector, PageManifest)
    assert connector.confined is (sandbox == "here")
    for example in connector.info.examples:
        outcome = asyncio.run(check_example(connector, example, policy, tmp_path))
        assert outcome.passed, outcome.detail
    shown = CliRunner().invoke(
        app, ["--connectors-dir", str(folder), "connectors", "show", "acme_directory"]
    )
    where = "in a confined process" if sandbox == "here" else "in this process"
    assert f"its answers read {where}" in " ".join(shown.output.split())


def test_a_records_bounds_are_the_same_wherever_its_connector_ran(
    sandbox: str, policy: Policy, tmp_path: Path
) -> None:
    """A review: a worker's records were held to bounds that the same manifest searching in
    this process was not (an address of 12 lines kept 8 in a worker and 12 here; a field over
    64 KiB failed the search in a worker and was a hit here). One rule now, wherever it ran."""
    folder = _third_party(tmp_path / "mine")
    street = '<span class="street">100 Example Ave</span>'
    streets = "".join(f'<span class="street">{n} Example Ave</span>' for n in range(1, 13))
    (folder / "member.html").write_text(MEMBER_PAGE.replace(street, streets), encoding="utf-8")
    huge = MEMBER_PAGE.replace("Example Plumbing Co.", "x" * (MAX_TEXT + 1))
    (folder / "huge.html").write_text(huge, encoding="utf-8")
    connector = discover([folder], entry_points=False).connectors["acme_directory"]
    [member, _] = connector.info.examples
    result, _ = asyncio.run(replay_example(connector, member, policy, tmp_path))
    [record] = result.records
    assert record.employer_address.lines == tuple(f"{n} Example Ave" for n in range(1, 9))
    reply = dataclasses.replace(member.replies[0], file=folder / "huge.html")
    oversized = dataclasses.replace(member, replies=(reply,))
    result, _ = asyncio.run(replay_example(connector, oversized, policy, tmp_path))
    assert (result.status, result.records) == ("error", ())
    assert result.detail == f"a field is longer than {MAX_TEXT} characters"


def test_a_page_without_what_every_answer_has_is_an_error_not_no_result(
    policy: Policy, tmp_path: Path
) -> None:
    """A review: a maintenance page served with HTTP 200 was read as "no result", a final
    no_hit for every row. The README's manifest names ``response.expect`` (its list, there
    with members or empty): a page without it is the source's error."""
    folder = tmp_path / "my-connectors"
    folder.mkdir()
    (folder / "acme_directory.toml").write_text(
        _readme_block("# my-connectors/acme_directory.toml"), encoding="utf-8"
    )
    (folder / "member.html").write_text(_readme_file("member.html"), encoding="utf-8")
    (folder / "empty.html").write_text("<html><body><p>Down for maintenance</p></body></html>")
    tested = CliRunner().invoke(
        app, ["--connectors-dir", str(folder), "connectors", "test", "acme_directory"]
    )
    assert tested.exit_code == 1 and "1 passed, 1 failed" in tested.output, tested.output
    connector = discover([folder], entry_points=False).connectors["acme_directory"]
    [_, none] = connector.info.examples
    outcome = asyncio.run(check_example(connector, none, policy, tmp_path))
    assert "not an answer page (no ul.members)" in outcome.detail


def test_connectors_test_fails_loudly(tmp_path: Path) -> None:
    folder = _third_party(tmp_path / "mine")
    (folder / "member.html").write_text("<html><body></body></html>", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["--connectors-dir", str(folder), "connectors", "test", "acme_directory"]
    )
    assert result.exit_code == 1
    assert "1 passed, 1 failed" in result.output
    unknown = CliRunner().invoke(app, ["connectors", "test", "no_such_connector"])
    assert unknown.exit_code == 2


@pytest.mark.parametrize("keyed", [False, True])
def test_connectors_test_leaves_nothing_in_skiptrace_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keyed: bool
) -> None:
    """A contract check's audit log is thrown away with its scratch folder, but its pseudonyms
    made the lasting reference key in SKIPTRACE_HOME (the user's own, ~/.local/share/skiptrace
    by default) on a machine that had never run a lookup, and the command made that folder
    to check it could write there. It neither makes nor writes the folder now, an audit key
    file set or not (checking that the key lies outside the home had made the home)."""
    home = tmp_path / "home"
    monkeypatch.setenv("SKIPTRACE_HOME", str(home))
    if keyed:
        key_file = tmp_path / "audit.key"
        key_file.write_bytes(b"k" * 32)
        monkeypatch.setenv("SKIPTRACE_AUDIT_KEY_FILE", str(key_file))
    folder = _third_party(tmp_path / "mine")
    tested = CliRunner().invoke(
        app, ["--connectors-dir", str(folder), "connectors", "test", "acme_directory"]
    )
    assert tested.exit_code == 0 and "2 passed, 0 failed" in tested.output, tested.output
    assert not home.exists()


@pytest.mark.parametrize("value", ["tp_skiptrace_pack", "tp_vendor.connectors"])
def test_connectors_from_an_installed_package_import_none_of_it(
    value: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An entry point's package is located, never imported. A review: one naming a
    subpackage (``vendor.connectors``) was located with ``importlib.util.find_spec``, which
    imports its parents: the vendor package's ``__init__`` ran in skiptrace's own process,
    outside the sandbox, at every command that loads connectors (and an exception there ended
    it in a traceback)."""
    folder = _third_party(tmp_path.joinpath(*value.split(".")))
    for package in {folder.parent, folder} - {tmp_path}:
        (package / "__init__.py").write_text("raise RuntimeError('never imported')\n", "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    point = importlib.metadata.EntryPoint(name="acme", value=value, group="skiptrace.connectors")
    monkeypatch.setattr(importlib.metadata, "entry_points", lambda group: [point])
    registry = discover()
    assert "acme_directory" in registry.connectors
    assert registry.problems == []
    assert value.split(".")[0] not in sys.modules


def _python_connector(folder: Path, name: str, source: str) -> None:
    """A manifest naming ``name``.py (version 2, reaching https://NAME.example), and the file."""
    (folder / f"{name}.toml").write_text(
        f'id = "{name}"\nname = "{name}"\nversion = "2"\ngives = ["employer"]\n'
        f'needs = ["employer"]\nterms = "https://{name}.example/terms"\n'
        f'origins = ["https://{name}.example"]\npython = "{name}.py"\n',
        encoding="utf-8",
    )
    (folder / f"{name}.py").write_text(source, encoding="utf-8")


@pytest.mark.parametrize(
    ("source", "says"),
    [
        ("import httpx\n", "imports httpx"),
        ("import requests\n", "imports requests"),
        ("from urllib import request\n", "imports from urllib"),
        ("import urllib.request\n", "imports urllib.request"),
        ("import socket\n", "imports socket"),
        ("import os\n", "imports os"),
        ("from . import helpers\n", "imports from ."),
        ("x = __import__('httpx')\n", "uses __import__"),
        ("x = getattr(object, 'mro')\n", "uses getattr"),
        ("x = ().__class__.__bases__\n", "reaches for the private attribute"),
        ("import skiptrace.connectors\n", "imports skiptrace.connectors"),
        ("def f(session):\n    return session._client\n", "private attribute _client"),
        ("import json\nx = json.os\n", "reaches for the module os"),
        ("name = '__builtins__'\n", "names __builtins__"),
        ("data = open('/etc/passwd').read()\n", "uses open"),
        ("from skiptrace.connectors import _registry\n", "imports _registry from"),
        ("from skiptrace.connectors import Status\n", "the SDK does not export"),
        ("from typing import sys\n", "imports sys from typing"),
        ("from json import codecs\n", "imports the module codecs through json"),
        ("from enum import bltns\n", "imports the module bltns through enum"),
        ("from json import tool\n", "imports the module tool through json"),  # not loaded yet
        ("from bs4 import diagnose\n", "imports the module diagnose through bs4"),
    ],
)
def test_a_python_connector_that_reaches_out_is_refused(
    tmp_path: Path, source: str, says: str
) -> None:
    _python_connector(tmp_path, "sneaky", source + "CONNECTOR = None\n")
    with pytest.raises(ManifestError, match=says) as refused:
        load_manifest(tmp_path / "sneaky.toml")
    assert "Connectors get a Session" in str(refused.value)
    assert "sneaky" not in sys.modules and "skiptrace_connector_sneaky" not in sys.modules


def test_a_connector_changed_on_disk_is_checked_again(tmp_path: Path) -> None:
    """The fence keeps its verdict for a text it has read: the same file with new text is read
    again, and refused if the new text reaches out (and the old text passes again)."""
    clean = "import json\nCONNECTOR = None\n"
    _python_connector(tmp_path, "shifty", clean)
    load_manifest(tmp_path / "shifty.toml")
    (tmp_path / "shifty.py").write_text("import os\n" + clean, encoding="utf-8")
    with pytest.raises(ManifestError, match=r"shifty\.py:1: imports os"):
        load_manifest(tmp_path / "shifty.toml")
    (tmp_path / "shifty.py").write_text(clean, encoding="utf-8")
    load_manifest(tmp_path / "shifty.toml")


ECHO = textwrap.dedent(
    """
    from skiptrace.connectors import Query, Session, SourceRecord


    class Echo:
        async def search(self, session: Session, query: Query) -> list[SourceRecord]:
            page = await session.get("https://echo.example/find",
                                     params={"q": query.get("employer")})
            data = page.json()
            return [SourceRecord(session.provenance(page), employer=data["name"])]


    CONNECTOR = Echo()
    """
)


def _echoed(connector: Connector, policy: Policy, audit: AuditLog) -> list[str]:
    """``connector`` searched for employer Acme against a server answering "Acme Ltd"."""
    with ReplayServer({"/find": Reply(200, b'{"name": "Acme Ltd"}', {})}) as site:

        async def research() -> list[str]:
            rewrite = {"https://echo.example": site.base_url}
            allowed = site.allow(policy)
            async with Run(allowed, audit, [connector], purpose="test", rewrite=rewrite) as run:
                result = await run.search(connector, Query.of("ACCT-2", employer="Acme"))
                return [result.status, result.detail,
                        *(r.employer for r in result.records),
                        *(r.provenance.connector_version for r in result.records)]  # fmt: skip

        return asyncio.run(research())


def test_a_well_behaved_python_connector_loads_and_runs(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    _python_connector(tmp_path, "echo", ECHO)
    connector = load_manifest(tmp_path / "echo.toml")
    assert _echoed(connector, fast_policy, audit) == ["hit", "", "Acme Ltd", "2"]


def test_a_python_connector_runs_the_code_the_fence_passed_not_the_file_as_changed_since(
    sandbox: str, tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """The fence read the file when the run loaded it, and each search's worker (or, trusted
    where there is no sandbox, this process at its first search) read it again and ran what
    it found: a file rewritten in between ran unread by the fence. The code the fence passed
    is what runs now, whatever the file has become."""
    _python_connector(tmp_path, "echo", ECHO)
    connector = load_manifest(tmp_path / "echo.toml", Grants(trusted=frozenset({"echo"})))
    assert connector.mode == ("sandboxed" if sandbox == "here" else "trusted")
    unread = "import os\n" + ECHO.replace('employer=data["name"]', "employer=os.name")
    (tmp_path / "echo.py").write_text(unread, encoding="utf-8")
    assert _echoed(connector, fast_policy, audit) == ["hit", "", "Acme Ltd", "2"]


def test_code_only_the_compiler_refuses_is_a_failed_load_of_the_connector(
    sandbox: str, tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """A ``return`` outside a function parses (the fence passes it); only compiling refuses
    it. Compiled in this process at the first search, it failed the search as a bare
    "SyntaxError: ..." naming neither the connector nor its load, where its worker (or the
    trusted import) had said "failed to load" with the connector and the file."""
    _python_connector(tmp_path, "echo", "return 1\n" + ECHO)
    connector = load_manifest(tmp_path / "echo.toml", Grants(trusted=frozenset({"echo"})))
    status, detail = _echoed(connector, fast_policy, audit)
    assert status == "error"
    assert detail.startswith("echo: failed to load: "), detail
    assert str(tmp_path / "echo.py") in detail and "'return' outside function" in detail, detail


def test_a_caught_robots_outage_is_the_outage_never_no_result(
    fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    """robots.txt answering 503 refuses every page with robots-unavailable ("not asked, ask
    again later"); a connector that catches each refusal to go on, as the README advises, and
    finds nothing ended "no result", a row done that was never researched."""
    _python_connector(
        tmp_path,
        "patient",
        textwrap.dedent(
            """
            from skiptrace.connectors import Query, Refused, Session, SourceRecord


            class Patient:
                async def search(self, session: Session, query: Query) -> list[SourceRecord]:
                    for path in ("/a", "/b"):
                        try:
                            await session.get("https://patient.example" + path)
                        except Refused:
                            continue
                    return []


            CONNECTOR = Patient()
            """
        ),
    )
    connector = load_manifest(tmp_path / "patient.toml")
    down = Reply(503, b"maintenance", {"Content-Type": "text/plain"})
    with ReplayServer({"/robots.txt": down}) as site:

        async def research() -> ConnectorResult:
            rewrite = {"https://patient.example": site.base_url}
            allowed = site.allow(fast_policy)
            async with Run(allowed, audit, [connector], purpose="test", rewrite=rewrite,
                           pace=time.pace()) as run:  # fmt: skip
                return await run.search(connector, Query.of("ACCT-3", employer="Acme"))

        time = VirtualTime()  # robots.txt's 503 is tried again after a backoff: not waited here
        result = asyncio.run(research())
    assert (result.status, result.reason) == ("refused", "robots_unavailable"), result
    assert not result.asked
    assert time.sleeps, "robots.txt's 503 was tried again after a wait"


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (('url = "https://directory.example/search"', 'url = "https://directory.example/{last_name}"'),
         "never in the URL"),
        (('surname = "{last_name}"', 'surname = "{dob}"'), "not in needs/optional"),
        (('employer = "span.firm"', 'salary = "span.firm"'), "unknown fields"),
        (('format = "html"', 'format = "xml"'), "json or html"),
        (('expect = "ul"', 'expect = "ul[["'), "bad CSS selector"),
        (('format = "html"', 'format = "json"'), "expect is for html pages"),
        (('records = "li.member"', 'records = "li.member"\nkeep = "span.name"'),
         "keep is for json answers"),
        (('format = "html"\nrecords = "li.member"\nexpect = "ul"',
          'format = "json"\nrecords = "li.member"\nkeep = "status[ ="'), "bad JMESPath"),
        (('expect = "ul"\n', ''), "response.expect is required for html pages"),
        (('needs = ["last_name"]', 'needs = ["ssn"]'), "unknown fields"),
        (('name = "no member"', 'name = "no member"\noffered = ["https://acme.example/"]'),
         "offered is for a connector with site = true"),  # a manifest reads no site
        (('name = "no member"', 'name = "no member"\noffered = "https://acme.example/"'),
         "offered is a list of websites"),
        (('id = "acme_directory"', 'id = "Acme Directory"'), "lower_snake_case"),
        (('id = "acme_directory"', 'id = "acme_directory\\n"'), "lower_snake_case"),
        (('terms = "https://directory.example/terms"', ""), "'terms' is required"),
        (('url = "https://directory.example/search"', 'url = "https://directory..example/search"'),
         "is not a URL the guard can read"),  # before: a traceback from every lookup with it
        (('url = "https://directory.example/search"', 'url = "https://dir\\\\ectory.example/s"'),
         "is not a URL the guard can read"),
    ],
)  # fmt: skip
def test_manifest_mistakes_are_clear_errors(
    tmp_path: Path, change: tuple[str, str], says: str
) -> None:
    folder = _third_party(tmp_path / "bad")
    path = folder / "acme_directory.toml"
    path.write_text(HTML_MANIFEST.replace(*change), encoding="utf-8")
    with pytest.raises(ManifestError, match=says):
        load_manifest(path)
    registry = discover([folder], entry_points=False)
    assert any(says.strip("'") in problem for problem in registry.problems)


def test_a_bad_jmespath_is_caught_at_load(tmp_path: Path) -> None:
    source = (Path(BUILTIN.connectors["gleif"].info.source or "")).read_text(encoding="utf-8")
    (tmp_path / "gleif.toml").write_text(
        source.replace('source_id = "attributes.lei"', 'source_id = "attributes.[lei"'),
        encoding="utf-8",
    )
    with pytest.raises(ManifestError, match="bad JMESPath"):
        load_manifest(tmp_path / "gleif.toml")


@pytest.mark.parametrize(
    "surname", ["../../messages", "a/b", "x?admin=1", "y#frag", "z%2F..%2Fsecret", "..", "%2e%2e"]
)
def test_a_debtor_name_cannot_change_the_request_path(
    surname: str, fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    connector = load_manifest(_third_party(tmp_path / "tp") / "acme_directory.toml")
    with ReplayServer({"/search": Reply(200, MEMBER_PAGE.encode())}) as site:

        async def research() -> str:
            rewrite = {"https://directory.example": site.base_url}
            allowed = site.allow(fast_policy)
            async with Run(allowed, audit, [connector], purpose="test", rewrite=rewrite) as run:
                return (await run.search(connector, Query.of("ACCT-3", last_name=surname))).status

        assert asyncio.run(research()) == "hit"
    [request] = [r for r in site.received if r.path != "/robots.txt"]
    path, _, query = request.path.partition("?")
    assert path == "/search"
    assert query.startswith("surname=") and "#" not in query and "/" not in query


def test_a_connector_without_its_key_is_skipped_not_failed(
    tmp_path: Path, policy: Policy, audit: AuditLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _third_party(tmp_path / "keyed")
    path = _with_api_key(folder, '{ env = "ACME_DIRECTORY_KEY", host = "directory.example" }')
    monkeypatch.delenv("ACME_DIRECTORY_KEY", raising=False)
    listed = CliRunner().invoke(app, ["--connectors-dir", str(folder), "connectors", "list"])
    assert "not granted" in listed.output
    connector = load_manifest(path, Grants(keyed=frozenset({"acme_directory"})))
    with ReplayServer({}) as site:

        async def research() -> str:
            rewrite = {"https://directory.example": site.base_url}  # were it searched, it would be
            async with Run(policy, audit, [connector], purpose="test", rewrite=rewrite) as run:
                return (await run.search(connector, Query.of("ACCT-4", last_name="Example"))).status

        assert asyncio.run(research()) == "needs_key"
    assert site.received == []
    assert [row for row in audit.rows() if row.event != "override"] == []


def test_a_connector_naming_an_unknown_unavailability_is_an_error_not_a_crash(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    _python_connector(
        tmp_path,
        "flaky",
        "from skiptrace.connectors import Query, Session, SourceRecord, SourceUnavailable\n\n\n"
        "class Flaky:\n"
        "    async def search(self, session: Session, query: Query) -> list[SourceRecord]:\n"
        "        raise SourceUnavailable('flaky', 'down for maintenance', 'back at noon')\n\n\n"
        "CONNECTOR = Flaky()\n",
    )
    connector = load_manifest(tmp_path / "flaky.toml")

    async def research() -> tuple[str, str]:
        async with Run(fast_policy, audit, [connector], purpose="test") as run:
            [result] = await run.research(Query.of("ACCT-5", employer="Acme"))
            return result.status, result.detail

    assert asyncio.run(research()) == ("error", "down for maintenance: back at noon")


def test_a_request_the_example_did_not_record_fails_it(policy: Policy, tmp_path: Path) -> None:
    connector = BUILTIN.connectors["nppes"]
    example = connector.info.examples[0]
    unrouted = dataclasses.replace(
        example,
        replies=tuple(dataclasses.replace(r, path="/elsewhere/") for r in example.replies),
        expect_status="no_result",
        expect_count=0,
        expect_first={},
    )
    outcome = asyncio.run(check_example(connector, unrouted, policy, tmp_path))
    assert not outcome.passed
    assert "no recorded reply for /api/" in outcome.detail


@pytest.mark.parametrize(
    ("key", "says"),
    [
        ('{ env = "K", host = "directory.example", header = "Cookie" }', "Authorization or"),
        ('{ env = "K", host = "elsewhere.example" }', "https origins"),
        ('{ env = "SKIPTRACE_AUDIT_KEY", host = "directory.example" }', "skiptrace's own"),
        ('{ env = "skiptrace_audit_key", host = "directory.example" }', "skiptrace's own"),
    ],
)
def test_an_api_key_goes_only_in_a_key_header_to_the_connectors_host(
    tmp_path: Path, key: str, says: str
) -> None:
    path = _with_api_key(_third_party(tmp_path / "keyed"), key)
    with pytest.raises(ManifestError, match=says):
        load_manifest(path)


def test_a_third_party_key_is_read_only_once_the_policy_grants_it(
    tmp_path: Path, policy: Policy, audit: AuditLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A manifest naming any variable (here one that is set: a cloud secret, say) cannot have
    it read and sent to its own host: the operator names the connector in ``connectors.keys``
    first. Until then the connector is skipped as ``needs_key``, saying how, and sends
    nothing; ``connectors list`` tells no one whether the variable is set."""
    folder = _third_party(tmp_path / "keyed")
    path = _with_api_key(folder, '{ env = "CLOUD_SECRET", host = "directory.example" }')
    monkeypatch.setenv("CLOUD_SECRET", "s3cr3t")
    connector = load_manifest(path)
    assert api_keys([connector]) == []
    listed = CliRunner().invoke(app, ["--connectors-dir", str(folder), "connectors", "list"])
    assert "not granted" in listed.output and "s3cr3t" not in listed.output
    with ReplayServer({}) as site:

        async def research() -> tuple[str, str]:
            rewrite = {"https://directory.example": site.base_url}
            async with Run(policy, audit, [connector], purpose="test", rewrite=rewrite) as run:
                found = await run.search(connector, Query.of("ACCT-6", last_name="Example"))
                return found.status, found.detail

        status, detail = asyncio.run(research())
    assert status == "needs_key" and "connectors.keys" in detail
    assert site.received == []
    [key] = api_keys([load_manifest(path, Grants(keyed=frozenset({"acme_directory"})))])
    assert (key.host, key.value) == ("directory.example", "Basic czNjcjN0Og==")
    shipped = BUILTIN.connectors["companies_house"].info.api_key
    assert shipped is not None and shipped.granted  # the ones skiptrace ships read theirs


@pytest.mark.parametrize(
    ("reply", "status"),
    [
        (Reply(402, b'{"message": "monthly quota exceeded"}'), "error"),
        (Reply(409, b'{"error": "try later"}'), "error"),
        (Reply(451, b""), "error"),
        (Reply(405, b""), "error"),
        (Reply(408, b""), "timeout"),
        (Reply(200, b'{"people": "temporarily unavailable"}'), "error"),
        (Reply(200, b'{"error": "backend down, maintenance"}'), "error"),
        (Reply(404, b"<html>Service moved</html>"), "no_result"),
        (Reply(200, b'{"people": []}'), "no_result"),
    ],
    ids=["402", "409", "451", "405", "408", "not-a-list", "no-records-key", "404", "empty"],
)
def test_an_answer_that_is_no_answer_is_never_no_result(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog, reply: Reply, status: str
) -> None:
    """A spent quota, a conflict, a legal block, a body without the records the manifest names:
    the source did not answer, and a row would be closed on a lie as "no result". Only a 404
    (and 410) or an empty list of records says "nobody here"."""
    with ReplayServer({"/people": reply}) as site:
        folder = tmp_path / "directory"
        folder.mkdir()
        (folder / "demo_directory.toml").write_text(DIRECTORY.format(base=site.base_url))
        connector = load_manifest(folder / "demo_directory.toml")

        async def research() -> str:
            async with Run(site.allow(fast_policy), audit, [connector], purpose="test") as run:
                return (await run.search(connector, Query.of("ACCT-7", last_name="Roe"))).status

        assert asyncio.run(research()) == status


@pytest.mark.parametrize("site", ["https://harborlane-plumbing.example/", "http://10.0.0.7/"])
def test_a_contract_replay_reaches_the_replay_server_only(
    site: str, policy: Policy, tmp_path: Path
) -> None:
    """A site connector's example naming a site other than ``{replay}`` (a third party's
    mistake, or a hostile manifest) must not make ``connectors test`` reach it: the replay is a
    check whose audit log is a scratch one. The policy in force allows the replay server and
    nothing else, so the site is refused before any lookup or connection, and said so."""
    connector = BUILTIN.connectors["business_pages"]
    example = next(e for e in connector.info.examples if e.query.get("employer_website"))
    elsewhere = dataclasses.replace(example, query={**example.query, "employer_website": site})
    outcome = asyncio.run(check_example(connector, elsewhere, policy, tmp_path))
    assert not outcome.passed
    audit = AuditLog(tmp_path / "contract-audit.sqlite3", [])
    try:
        rows = audit.rows()
    finally:
        audit.close()
    host = site.split("/")[2]
    touching = [row for row in rows if host in row.url]
    assert touching and all(row.event == "refused" for row in touching), touching
    rule = "private-address" if site.startswith("http://10.") else "not-allowed-host"
    assert {row.rule for row in touching} == {rule}


@pytest.mark.parametrize(
    "named", ["{secret}", "../secret.txt", "sub/../../secret.txt", "link.html"]
)
def test_an_example_reply_file_is_read_only_from_the_connectors_folder(
    named: str, tmp_path: Path
) -> None:
    """A reply file named by its absolute path, by ``..`` or through a symlink was read by
    ``connectors test`` (this process, outside any sandbox) and served to the connector: a
    manifest read the user's files, /dev/zero filled memory, a FIFO hung the run."""
    secret = tmp_path / "secret.txt"
    secret.write_text("API_KEY=sk_live_123", encoding="utf-8")
    folder = _third_party(tmp_path / "tp")
    (folder / "sub").mkdir()
    (folder / "link.html").symlink_to(secret)
    manifest = folder / "acme_directory.toml"
    named = named.replace("{secret}", str(secret))
    manifest.write_text(HTML_MANIFEST.replace('file = "member.html"', f'file = "{named}"'),
                        encoding="utf-8")  # fmt: skip
    with pytest.raises(ManifestError, match="not a file in the connector's folder"):
        load_manifest(manifest)


@pytest.mark.parametrize("kind", ["fifo", "big"])
def test_an_example_reply_file_that_is_no_page_fails_the_example(
    kind: str, policy: Policy, tmp_path: Path
) -> None:
    folder = _third_party(tmp_path / "tp")
    page = folder / "member.html"
    page.unlink()
    if kind == "fifo":
        os.mkfifo(page)
    else:
        page.write_bytes(b"<li>" + b" " * 11_000_000)
    connector = load_manifest(folder / "acme_directory.toml")
    outcome = asyncio.run(check_example(connector, connector.info.examples[0], policy, tmp_path))
    assert not outcome.passed
    assert (
        outcome.detail
        == {
            "fifo": "reply file member.html is not a regular file",
            "big": "reply file member.html is larger than 10,000,000 bytes",
        }[kind]
    )


def test_the_python_connector_from_the_readme_alone(tmp_path: Path) -> None:
    """The README's Python connector, its manifest and reply file, as printed there: both
    examples pass through the sandbox and the guard."""
    folder = tmp_path / "my-connectors"
    folder.mkdir()
    (folder / "my_source.py").write_text(_readme_block("# my-connectors/my_source.py"))
    (folder / "my_source.toml").write_text(_readme_block("# my-connectors/my_source.toml"))
    (folder / "one.json").write_text(_readme_block('{"items": [{"employer"'))
    result = CliRunner().invoke(
        app, ["--connectors-dir", str(folder), "connectors", "test", "my_source"]
    )
    assert result.exit_code == 0, result.output
    assert "2 passed, 0 failed" in result.output
