"""A hostile review of the declarative engine: a manifest or a server that lies must give a
clear error, never a traceback, another person's field, or "no result" for a broken page."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import pytest

from skiptrace.audit import AuditLog
from skiptrace.connectors._fence import check_source
from skiptrace.connectors._model import Connector
from skiptrace.connectors._protocol import MAX_RECORDS
from skiptrace.connectors._registry import Registry, load_dir, load_manifest, workers_at_once
from skiptrace.connectors._runner import MAX_DETAIL, ConnectorResult
from skiptrace.connectors._sandbox import WORKERS_AT_ONCE
from skiptrace.errors import ManifestError
from skiptrace.policy import Policy, merge
from skiptrace.records import Query
from skiptrace.research.findings import output_row
from skiptrace.research.run import Run
from skiptrace.state import builtin_dir
from skiptrace.testing.replay import ReplayServer, Reply

HEAD = """id = "review_dir"
name = "review"
version = "1"
gives = ["person_name", "employer"]
needs = ["last_name"]
optional = ["first_name"]
terms = "https://directory.example/terms"
[request]
url = "https://directory.example/search"
params = { surname = "{last_name}", given = "{first_name}" }
"""
HTML = (
    HEAD
    + """[response]
format = "html"
records = "div.member"
expect = "div.member, p.none"
[fields]
person_name = "span.name"
employer = "span.firm"
"""
)
JSON = (
    HEAD
    + """[response]
format = "json"
records = "people"
[fields]
person_name = "name"
employer = "employer"
"""
)
JSON_TYPE = {"Content-Type": "application/json"}


def _load(tmp_path: Path, text: str) -> Connector:
    path = tmp_path / "review_dir.toml"
    path.write_text(text, encoding="utf-8")
    return load_manifest(path)


def _search(
    connector: Connector, reply: Reply, policy: Policy, audit: AuditLog, last: str = "Example"
) -> tuple[ConnectorResult, list[str]]:
    """One search against a server answering every path with ``reply``; the result and the
    paths asked for."""
    with ReplayServer(lambda method, target: reply) as site:

        async def research() -> ConnectorResult:
            rewrite = {"https://directory.example": site.base_url}
            async with Run(site.allow(policy), audit, [connector], purpose="test",
                           rewrite=rewrite) as run:  # fmt: skip
                return await run.search(connector, Query.of("A1", first_name="Pat", last_name=last))

        result = asyncio.run(research())
        return result, [r.path for r in site.received if r.path.startswith("/search")]


def test_a_python_file_too_large_to_be_a_connector_is_refused_unread(tmp_path: Path) -> None:
    """A Python connector's file was read whole, whatever its size (a manifest's at most
    1,000,000 bytes): a sparse file of 64 GB in a connectors folder would have had every
    command that loads connectors read zeros until memory ran out. Refused in one line, as a
    manifest over that size is."""
    outer = HEAD.split("[request]")[0] + 'origins = ["https://directory.example"]\n'
    (tmp_path / "big.toml").write_text(outer + 'python = "big.py"\n', encoding="utf-8")
    source = tmp_path / "big.py"
    source.write_text("CONNECTOR = None\n", encoding="utf-8")
    os.truncate(source, 64 << 30)  # a hole: no disk used, and read back as zeros
    with pytest.raises(ManifestError, match=r"big\.py: over 1,000,000 bytes"):
        load_manifest(tmp_path / "big.toml")
    with pytest.raises(ManifestError, match=r"over 1,000,000 bytes"):
        check_source(source)


@pytest.mark.parametrize(
    "change",
    [
        (JSON, '[pagination]\ntype = "page"\nparam = "p"\nsize = "ten"\n'),
        (JSON, '[[examples]]\nname = "e"\n[[examples.replies]]\nfile = "x.json"\n'),
        (JSON, '[[examples]]\nexpect = "hit"\n'),
        (JSON.replace("[request]\n", 'request = "https://directory.example/search"\n[x]\n'), ""),
        (JSON.replace('params = { surname = "{last_name}", given = "{first_name}" }',
                      'params = ["surname"]'), ""),
        (JSON.replace('records = "people"', "records = 5"), ""),  # JMESPath's 3-line error
        (JSON.replace('[fields]\nperson_name = "name"\nemployer = "employer"\n', "")
         .replace('terms = "', 'fields = "name"\nterms = "'), ""),  # "unknown fields a, e, m, n"
        (JSON.replace('terms = "', 'origins = "https://directory.example"\nterms = "'), ""),
        (JSON.replace('terms = "', 'pagination = "page"\nterms = "'), ""),
        (JSON, "x = " + "[" * 5000 + "]" * 5000 + "\n"),  # RecursionError in tomllib
    ],
)  # fmt: skip
def test_a_malformed_manifest_is_not_loaded_and_said_so_never_a_traceback(
    tmp_path: Path, change: tuple[str, str]
) -> None:
    """A value of the wrong type in a third-party manifest had raised ValueError, KeyError or
    AttributeError out of loading: every command that loads connectors ended in a traceback."""
    (tmp_path / "review_dir.toml").write_text(change[0] + change[1], encoding="utf-8")
    with pytest.raises(ManifestError, match=r"review_dir\.toml") as raised:
        load_manifest(tmp_path / "review_dir.toml")
    said = str(raised.value)
    assert "\n" not in said and "unknown fields a," not in said and "'.'" not in said, said
    registry = Registry()
    load_dir(registry, tmp_path)
    assert registry.problems and "review_dir.toml" in str(registry.problems)


@pytest.mark.parametrize(
    "change",
    [('records = "div.member"', 'records = "div["'),
     ('records = "div.member"', 'records = "div@class"'),  # "@" is a field's, not records'
     ('employer = "span.firm"', 'employer = "span["')],
)  # fmt: skip
def test_a_css_selector_that_cannot_be_read_fails_at_load(
    tmp_path: Path, change: tuple[str, str]
) -> None:
    with pytest.raises(ManifestError, match=r"span\[|div\[|div@class"):
        _load(tmp_path, HTML.replace(*change))


def test_a_record_never_takes_a_field_from_a_record_nested_in_it(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """An unclosed record element nests the next person's inside it: Pat Example was given Lee
    Other's employer. A page whose records nest is not read at all."""
    body = (b'<html><body><div class="member"><span class="name">Pat Example</span>'
            b'<div class="member"><span class="name">Lee Other</span>'
            b'<span class="firm">Other Corp</span></div></body></html>')  # fmt: skip
    result, _ = _search(_load(tmp_path, HTML), Reply(200, body), fast_policy, audit)
    assert (result.status, result.reason) == ("error", "error"), result
    assert "nest" in result.detail and not result.records


def test_a_page_is_read_in_the_charset_it_declares(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    page = ('<html><head><meta charset="iso-8859-1"></head><body><div class="member">'
            '<span class="name">Pat M\xfcller</span><span class="firm">B\xe4ckerei Ost</span>'
            "</div></body></html>").encode("latin-1")  # fmt: skip
    for headers in ({"Content-Type": "text/html; charset=iso-8859-1"},
                    {"Content-Type": "text/html"}):  # fmt: skip
        result, _ = _search(_load(tmp_path, HTML), Reply(200, page, headers), fast_policy, audit,
                            last="Müller")  # fmt: skip
        assert [(r.person_name, r.employer) for r in result.records] == [
            ("Pat Müller", "Bäckerei Ost")
        ]


@pytest.mark.parametrize(
    "reply",
    [Reply(200, b"", {"Content-Type": "text/html"}),
     Reply(200, b'{"error": "service unavailable"}', JSON_TYPE),
     Reply(200, b' {"error": "service unavailable"}', {"Content-Type": "text/html"}),
     Reply(200, b'[{"error": 1}]', {})],
    ids=["empty body", "JSON for an HTML source", "JSON labelled a page", "JSON unlabelled"],
)  # fmt: skip
def test_an_empty_or_foreign_page_is_an_error_never_no_result(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog, reply: Reply
) -> None:
    result, _ = _search(_load(tmp_path, HTML), reply, fast_policy, audit)
    assert (result.status, result.reason) == ("error", "error"), result


def test_records_with_no_field_are_not_a_hit(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    reply = Reply(200, b'{"people": [{}, {"other": 1}]}', JSON_TYPE)
    result, _ = _search(_load(tmp_path, JSON), reply, fast_policy, audit)
    assert (result.status, result.reason) == ("error", "error"), result
    assert "no field" in result.detail


@pytest.mark.parametrize(
    "body",
    [b'{"people": ["Service unavailable"]}', b'{"people": [null, null]}',
     b'{"people": [["Pat Example", "A"]]}', b'{"people": [1, true, "x"]}'],
    ids=["a message", "nulls", "lists", "scalars"],
)  # fmt: skip
def test_a_list_holding_no_record_is_an_error_never_no_result(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog, body: bytes
) -> None:
    """A records list whose items are none of them objects is no answer of the source: it had
    been read as an empty list, ``{"people": ["Service unavailable"]}`` a row's ``no_hit``."""
    result, _ = _search(_load(tmp_path, JSON), Reply(200, body, JSON_TYPE), fast_policy, audit)
    assert (result.status, result.reason) == ("error", "error"), result
    assert "none of them a record" in result.detail


def test_a_list_of_records_beside_other_items_keeps_the_records(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    body = b'{"people": [{"name": "Pat Example", "employer": "A"}, "an advertisement", null]}'
    result, _ = _search(_load(tmp_path, JSON), Reply(200, body, JSON_TYPE), fast_policy, audit)
    assert (result.status, [r.employer for r in result.records]) == ("hit", ["A"]), result


def test_a_source_s_own_message_is_written_within_bounds(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """The error message a JSON API answers with (``response.error``) went into the row
    whole: a server's 5 MB message was a 5 MB ``status_detail`` cell in each of its rows
    (past a spreadsheet's 32,767 characters, past the 65,536 that make the output, read back
    as an input, an error row), and as long a line from ``lookup``."""
    manifest = JSON.replace('records = "people"', 'records = "people"\nerror = "message"')
    body = b'{"message": "Service unavailable: ' + b"x" * 1_000_000 + b'"}'
    result, _ = _search(_load(tmp_path, manifest), Reply(200, body, JSON_TYPE), fast_policy,
                        audit)  # fmt: skip
    assert (result.status, result.reason) == ("error", "error"), result.status
    assert "the source says: Service unavailable: xxx" in result.detail
    assert len(result.detail) == MAX_DETAIL and result.detail.endswith("…")
    row = output_row({"name": "Pat Example"}, [result])
    assert row["status"] == "incomplete" and len(row["status_detail"]) < 2 * MAX_DETAIL


def test_a_page_of_too_many_records_is_an_error_and_ends_on_time(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """300,000 records had been built on the event loop, 8 s past a 1 s deadline, and
    reported as a hit: no search answer holds that many."""
    quick = merge(fast_policy, {"limits": {"source_seconds": 1.0}}, "tests")
    body = b'{"people":[' + b",".join([b'{"name": "Pat Example"}'] * 300_000) + b"]}"
    started = time.monotonic()
    result, _ = _search(_load(tmp_path, JSON), Reply(200, body, JSON_TYPE), quick, audit)
    assert time.monotonic() - started < 5
    assert result.status in ("error", "timeout") and not result.records, result
    if result.status == "error":
        assert f"more than {MAX_RECORDS:,} records" in result.detail


def test_deeply_nested_records_end_on_time(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """8,000 nested records had taken 20 s on the event loop (each record's fields looked up
    in its whole subtree), past a 1 s deadline."""
    quick = merge(fast_policy, {"limits": {"source_seconds": 1.0}}, "tests")
    body = b"<html><body>" + b'<div class="member"><span class="name">A</span>' * 8000
    started = time.monotonic()
    result, _ = _search(_load(tmp_path, HTML), Reply(200, body), quick, audit)
    assert time.monotonic() - started < 5
    assert result.status in ("error", "timeout") and not result.records, result


def test_a_server_that_ignores_the_page_parameter_is_asked_once_more_not_twenty_times(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    paged = JSON + '[pagination]\ntype = "offset"\nparam = "from"\nsize = 2\nmax_pages = 20\n'
    body = (b'{"people":[{"name":"Pat Example","employer":"A"},'
            b'{"name":"Lee Other","employer":"B"}]}')  # fmt: skip
    result, asked = _search(_load(tmp_path, paged), Reply(200, body, JSON_TYPE), fast_policy,
                            audit)  # fmt: skip
    assert (len(asked), len(result.records)) == (2, 2), (asked, result)


def test_a_page_whose_every_record_keep_drops_is_no_result(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """Records ``response.keep`` drops still count toward a full page, yet a page of dropped
    records only is "no result", never an unreadable answer."""
    paged = JSON.replace('records = "people"', 'records = "people"\nkeep = "current"')
    paged += '[pagination]\ntype = "offset"\nparam = "from"\nsize = 2\nmax_pages = 3\n'
    body = (b'{"people":[{"name":"Pat Example","employer":"A","current":false},'
            b'{"name":"Lee Other","employer":"B","current":null}]}')  # fmt: skip
    result, asked = _search(_load(tmp_path, paged), Reply(200, body, JSON_TYPE), fast_policy,
                            audit)  # fmt: skip
    assert (result.status, result.records) == ("no_result", ()), result
    assert len(asked) == 2, asked  # a full page: the next is asked for (and is the same page)


@pytest.mark.parametrize(
    "origin",
    ["*", "", "file:///etc/passwd", "javascript:alert(1)", "data:text/plain,x", "ftp://x.example",
     "https://user:secret@directory.example"],
)  # fmt: skip
def test_an_origin_no_request_can_go_to_is_refused_at_load(tmp_path: Path, origin: str) -> None:
    """``origins = ["*"]`` had loaded, then every search of it raised KeyError out of the run:
    one third-party manifest ended each lookup and enrich it took part in."""
    with pytest.raises(ManifestError, match="origin"):
        _load(tmp_path, JSON.replace('terms = "', f'origins = ["{origin}"]\nterms = "'))


def test_a_jmespath_nested_too_deeply_is_a_manifest_error_not_a_crash(tmp_path: Path) -> None:
    """A records expression of 3,000 nested brackets raised RecursionError out of loading, past
    ``load_dir``: one third-party manifest stopped every command that lists connectors."""
    deep = "(" * 3000 + "people" + ")" * 3000
    (tmp_path / "review_dir.toml").write_text(JSON.replace('"people"', f'"{deep}"'), "utf-8")
    registry = Registry()
    load_dir(registry, tmp_path)
    assert "nested too deeply" in str(registry.problems), registry.problems


@pytest.mark.parametrize("source", ["x = 1" + "+1" * 200_000, "x = " + "-" * 100_000 + "1"])
def test_python_nested_past_the_parser_is_a_manifest_error(tmp_path: Path, source: str) -> None:
    """A Python connector of 200,000 additions (400 KB) made the fence's parse raise
    RecursionError, 100,000 minus signs MemoryError, out of loading and past ``load_dir``:
    one such file in a connectors folder ended every command in a traceback."""
    text = HEAD.split("[request]")[0] + 'origins = ["https://directory.example"]\n'
    (tmp_path / "review_dir.toml").write_text(text + 'python = "deep.py"\n', encoding="utf-8")
    (tmp_path / "deep.py").write_text(source + "\n", encoding="utf-8")
    registry = Registry()
    load_dir(registry, tmp_path)
    [problem] = registry.problems
    assert problem == f"{tmp_path / 'deep.py'}: cannot read: nested too deeply"


@pytest.mark.parametrize("named", ["python", "reply"])
def test_a_file_named_by_a_manifest_that_links_to_itself_is_a_manifest_error(
    tmp_path: Path, named: str
) -> None:
    """A manifest's Python file or example reply that is a symlink to itself made resolving it
    raise RuntimeError ("Symlink loop") out of loading, past ``load_dir``: one third-party
    folder ended every command that loads connectors in a traceback."""
    if named == "python":
        text = HEAD.split("[request]")[0] + 'origins = ["https://directory.example"]\n'
        text += 'python = "loop.py"\n'
    else:
        text = JSON + '[[examples]]\nname = "e"\n[[examples.replies]]\n'
        text += 'path = "/search"\nfile = "loop.py"\n'
    (tmp_path / "review_dir.toml").write_text(text, encoding="utf-8")
    (tmp_path / "loop.py").symlink_to("loop.py")
    registry = Registry()
    load_dir(registry, tmp_path)
    [problem] = registry.problems
    assert problem.startswith(f"{tmp_path / 'review_dir.toml'}: ") and "'loop.py'" in problem


@pytest.mark.parametrize("name", ["../outside.py", "ABSOLUTE", "link.py", "/dev/null", "."])
def test_a_python_file_outside_the_manifests_folder_is_refused(tmp_path: Path, name: str) -> None:
    """``python = "../outside.py"`` had loaded, and the sandbox then let the code read the
    whole folder above the connector's; ``/dev/null`` (or ``/dev/zero``, read without end)
    loaded too. The README says the file is in the manifest's folder."""
    outside = tmp_path / "outside.py"
    outside.write_text("CONNECTOR = None\n", encoding="utf-8")
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "link.py").symlink_to(outside)
    name = str(outside) if name == "ABSOLUTE" else name
    manifest = HEAD.replace("[request]", f'python = "{name}"\n[request]')
    (folder / "review_dir.toml").write_text(manifest, encoding="utf-8")
    with pytest.raises(ManifestError, match="not a file in the connector's folder"):
        load_manifest(folder / "review_dir.toml")


def test_a_link_to_a_shipped_manifest_beside_code_skiptrace_does_not_ship_is_refused(
    tmp_path: Path,
) -> None:
    """A link to a manifest skiptrace ships is that manifest (``shipped``), but its Python file
    was read beside the link: a third party's code, judged skiptrace's, searched for four
    debtors at once (``WORKERS_AT_ONCE``), was handed the connector's key and the debtor's
    contact details, and with no sandbox ran in skiptrace's process. Only the built-in one's
    id, taken first, kept it out of a run."""
    folder = tmp_path / "vendor"
    folder.mkdir()
    (folder / "business_pages.toml").symlink_to(builtin_dir("connectors") / "business_pages.toml")
    (folder / "business_pages.py").write_text("CONNECTOR = None\n", encoding="utf-8")
    with pytest.raises(ManifestError, match="code skiptrace does not ship"):
        load_manifest(folder / "business_pages.toml")
    shipped = load_manifest(builtin_dir("connectors") / "business_pages.toml")
    assert workers_at_once(shipped) in (0, WORKERS_AT_ONCE)  # 0: no sandbox on this machine


def test_a_python_file_that_is_no_py_file_is_refused(tmp_path: Path) -> None:
    """``python = "inner.toml"``, a manifest that also parses as Python (tables as lists,
    ``[request.params]``), passed the fence and loaded as a Python connector: its sandboxed
    worker then searched with inner.toml as a manifest, ``object`` ignored, while run in
    this process it failed to load at all."""
    inner = (HEAD.replace('params = { surname = "{last_name}", given = "{first_name}" }\n',
                          '[request.params]\nsurname = "{last_name}"\n')
             + '[response]\nformat = "html"\nrecords = "div.member"\n'
             'expect = "div.member"\n[fields]\nemployer = "span.firm"\n')  # fmt: skip
    (tmp_path / "inner.toml").write_text(inner, encoding="utf-8")
    check_source(tmp_path / "inner.toml")  # no syntax error, nothing refused: it is Python
    outer = HEAD.split("[request]")[0] + 'origins = ["https://directory.example"]\n'
    (tmp_path / "outer.toml").write_text(outer + 'python = "inner.toml"\n', encoding="utf-8")
    with pytest.raises(ManifestError, match=r"not a \.py file"):
        load_manifest(tmp_path / "outer.toml")


@pytest.mark.parametrize(
    "change",
    [('records = "div.member"', 'records = "div.member"\nexpects = "ul.members"'),
     ("[request]\n", '[request]\nheaders = { Cookie = "{last_name}" }\n'),
     ("[response]", '[pagination]\ntype = "page"\nparam = "p"\nmax_page = 3\n[response]'),
     ('employer = "span.firm"\n', 'employer = "span.firm"\n[[examples]]\nname = "e"\n'
      'expected = { status = "hit" }\n')],
)  # fmt: skip
def test_a_key_no_reader_looks_at_is_refused_not_ignored(
    tmp_path: Path, change: tuple[str, str]
) -> None:
    """``expects = "ul.members"`` (for ``expect``) had loaded and been ignored: a maintenance
    page served with HTTP 200 was then "no result" for a manifest that meant to tell."""
    with pytest.raises(ManifestError, match="unknown keys in"):
        _load(tmp_path, HTML.replace(*change))


@pytest.mark.parametrize("kind", ["fifo", "device", "huge"])
def test_a_manifest_that_is_no_small_file_is_refused_unread(tmp_path: Path, kind: str) -> None:
    """A review: a manifest was read whole, whatever it was: a FIFO in a connectors folder
    held every command that loads connectors (waiting for a writer), a link to /dev/zero
    would have been read until memory ran out, and nothing bounded a file's size."""
    path = tmp_path / "x.toml"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        path.symlink_to("/dev/zero")
    else:
        path.write_bytes(b"# " + b"x" * 2_000_000 + b"\n" + HEAD.encode())
    registry = Registry()
    load_dir(registry, tmp_path)
    [problem] = registry.problems
    assert str(path) in problem and "x.toml" not in str(registry.connectors), problem
    assert ("not a regular file" if kind != "huge" else "bytes") in problem, problem
