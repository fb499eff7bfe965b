"""Hostile servers against the real stack on loopback: compression bombs, layered or not, are
refused without being decoded past the size cap, and a server that drips its answer ends at the
request deadline instead of holding the request (and its host's slot) for as long as it likes."""

from __future__ import annotations

import asyncio
import gzip
import json
import re
import socket
import struct
import subprocess
import sys
import time
import tracemalloc
import zlib
from pathlib import Path
from typing import Any

import pytest

from skiptrace.audit import AuditLog, AuditRow
from skiptrace.errors import SourceError
from skiptrace.net.layers.cache import HttpCache
from skiptrace.net.layers.decoding import BoundedDecoder, bounded_codings
from skiptrace.net.session import ConnectorSession, SourceHealth
from skiptrace.net.stack import open_client
from skiptrace.policy import SETTINGS, Policy, merge
from skiptrace.records import Fetched, Query
from skiptrace.testing.raw import Answer, RawServer
from skiptrace.testing.replay import ReplayServer, Reply, loopback_policy_file

MIB = 1 << 20
RSS_LIMIT_MB = 300
BOMB_MIB = RSS_LIMIT_MB + 20
"""The bomb's zeros: past the memory limit, so a client holding them decoded would fail."""
HELLO = b"hello " * 100


def gzip_bomb(mib: int) -> bytes:
    """A valid gzip member holding ``mib`` MiB of zeros, about 1 KiB on the wire per MiB inside.

    Built without compressing the zeros ``mib`` times: after a full flush a deflate stream starts
    afresh, so one compressed MiB repeats byte for byte."""
    zeros = bytes(MIB)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(mib):
        crc = zlib.crc32(zeros, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
    final_empty_block = b"\x03\x00"
    return header + block * mib + final_empty_block + struct.pack("<II", crc, mib * MIB % 2**32)


def test_the_bomb_is_what_it_claims() -> None:
    assert gzip.decompress(gzip_bomb(3)) == bytes(3 * MIB)


@pytest.fixture(scope="module")
def bombs() -> dict[str, bytes]:
    inner = gzip_bomb(BOMB_MIB)  # in about 330 KB
    return {"gzip": inner, "gzip, gzip": gzip.compress(inner, 9)}  # the second: about 2.5 KB


def _reply(connection: socket.socket, body: bytes, *headers: str, status: str = "200 OK") -> bool:
    lines = [f"HTTP/1.1 {status}", *headers, f"Content-Length: {len(body)}", "", ""]
    connection.sendall("\r\n".join(lines).encode("latin-1") + body)
    return True


def _bomb_site(body: bytes, encoding: str) -> Answer:
    def answer(server: RawServer, path: str, connection: socket.socket) -> bool:
        if path == "/robots.txt":
            return _reply(connection, b"", status="404 Not Found")
        return _reply(connection, body, f"Content-Encoding: {encoding}")

    return answer


def reachable(policy: Policy, url: str) -> Policy:
    """``policy`` with the loopback server of ``url`` listed in ``hosts.allow_private``, on the
    record, as a policy file would list it: loopback is a private address, refused unless listed.
    (Where that key does not exist yet, loopback is not refused and nothing needs listing.)"""
    if "hosts.allow_private" not in SETTINGS:
        return policy
    reason = "hostile-server tests on loopback"
    document = {
        "hosts": {"allow_private": [url.split("/")[2]]},
        "override": [{"key": "hosts.allow_private", "reason": reason}],
    }
    return merge(policy, document, reason)


CHILD = """
import asyncio, json, resource, sys
from pathlib import Path
from skiptrace.audit import AuditLog
from skiptrace.errors import SourceError
from skiptrace.net.layers.cache import HttpCache
from skiptrace.net.session import ConnectorSession, SourceHealth
from skiptrace.net.stack import open_client
from skiptrace.policy import load_policy
from skiptrace.records import Query

url, scratch = sys.argv[1], Path(sys.argv[2])
policy = load_policy([Path(sys.argv[3])])
audit = AuditLog(scratch / "audit.sqlite3", policy["redaction.fields"])
cache = HttpCache(scratch / "cache.sqlite3", default_seconds=3600, retention_days=30)

async def fetch():
    async with open_client(policy, audit, purpose="tests", cache=cache) as client:
        session = ConnectorSession(client, "bomb", Query.of("ACCT-1"), SourceHealth())
        try:
            page = await session.get(url)
        except SourceError as error:
            return f"SourceError: {error}"
        return f"fetched {len(page.content)} bytes"

outcome = asyncio.run(fetch())
rows = [[row.event, row.detail] for row in audit.rows() if row.event != "override"]
audit.close()
try:
    with open("/proc/self/status") as status:
        peak_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak_kb = peak // 1024 if sys.platform == "darwin" else peak
print(json.dumps({"outcome": outcome, "rows": rows, "peak_mb": peak_kb / 1024}))
"""


def _fetch_in_a_child(url: str, scratch: Path) -> dict[str, Any]:
    """Fetch ``url`` through the default stack in a fresh interpreter; its outcome, its audit
    rows and its peak resident memory."""
    scratch.mkdir()
    policy = loopback_policy_file(
        scratch / "loopback.toml", url, rate="50/s", reason="a bomb on loopback"
    )
    done = subprocess.run([sys.executable, "-c", CHILD, url, str(scratch), str(policy)],
                          capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@pytest.mark.parametrize("encoding", ["gzip, gzip", "gzip"])
def test_a_compression_bomb_is_refused_in_little_memory(
    encoding: str, bombs: dict[str, bytes], tmp_path: Path
) -> None:
    """320 MiB of zeros, once or twice gzipped: each ends as an audited SourceError, and the
    process never holds much more than the 10 MB cap of the default policy."""
    body = bombs[encoding]
    assert struct.unpack("<I", bombs["gzip"][-4:])[0] > RSS_LIMIT_MB * MIB  # decoded: 320 MiB
    with RawServer(_bomb_site(body, encoding), lifetime=60) as site:  # a slow child's start
        child = _fetch_in_a_child(site.url("/page"), tmp_path / "child")
    print(f"{encoding}: {len(body)} bytes on the wire, peak RSS {child['peak_mb']:.0f} MB")
    assert child["peak_mb"] < RSS_LIMIT_MB
    if encoding == "gzip":  # a 64 KiB chunk is 64 MiB inside: decoding one whole, as httpx
        assert child["peak_mb"] < 100  # did, took this to 160 MB
    assert child["outcome"].startswith("SourceError"), child
    expected = "content-encoding layers" if "," in encoding else "larger than 10000000 bytes"
    assert expected in child["outcome"]
    event, detail = child["rows"][-1]
    assert event == "error" and expected in detail
    assert site.paths.count("/page") == 1


def test_a_single_gzip_bomb_is_not_decoded_past_the_cap(bombs: dict[str, bytes]) -> None:
    """The decoder stops one byte past the cap: never a chunk's whole expansion in memory."""
    decoder = BoundedDecoder("http://x.test/page", ["gzip"], 100_000)
    produced = 0
    tracemalloc.start()
    try:
        with pytest.raises(SourceError, match="larger than 100000 bytes once decoded"):
            for start in range(0, len(bombs["gzip"]), 65_536):  # a chunk is 64 MiB inside
                produced += len(decoder.decode(bombs["gzip"][start : start + 65_536]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert produced <= 100_000
    assert peak < 1 * MIB


def _stack(policy: Policy, audit: AuditLog, tmp_path: Path, url: str) -> Fetched:
    """GET ``url`` through the run's stack under ``policy`` (its server made reachable)."""
    policy = reachable(policy, url)

    async def run() -> Fetched:
        cache = HttpCache(tmp_path / "cache.sqlite3", default_seconds=3600, retention_days=30)
        async with open_client(policy, audit, purpose="tests", cache=cache) as client:
            session = ConnectorSession(client, "test_source", Query.of("ACCT-9"), SourceHealth())
            return await session.get(url)

    return asyncio.run(run())


def _requests(audit: AuditLog) -> list[AuditRow]:
    return [row for row in audit.rows() if row.event != "override"]


@pytest.mark.parametrize(
    ("encoding", "body"),
    [
        pytest.param("gzip", gzip.compress(HELLO), id="gzip"),
        pytest.param("GZip", gzip.compress(HELLO), id="GZip"),
        pytest.param("x-gzip", gzip.compress(HELLO), id="x-gzip"),
        pytest.param("deflate", zlib.compress(HELLO), id="deflate"),
        pytest.param("deflate", zlib.compress(HELLO)[2:-4], id="raw deflate, as servers send"),
        pytest.param("identity", HELLO, id="identity"),
        pytest.param("identity, gzip", gzip.compress(HELLO), id="identity, gzip"),
        pytest.param("utf-8", HELLO, id="not a coding: passed as it came, as httpx does"),
    ],
)
def test_an_encoded_body_is_handed_up_decoded(
    encoding: str, body: bytes, fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    routes = {"/page": Reply(200, body, {"Content-Encoding": encoding, "X-Kept": "yes"})}
    with ReplayServer(routes) as site:
        page = _stack(fast_policy, audit, tmp_path, site.url("/page"))
    assert page.content == HELLO
    assert "content-encoding" not in page.headers and page.headers["x-kept"] == "yes"
    sent = {name.lower(): value for name, value in site.received[-1].headers.items()}
    assert sent["accept-encoding"] == "gzip, deflate"


@pytest.mark.parametrize(
    ("asked", "offered"),
    [
        ("gzip, deflate, br, zstd", "gzip, deflate"),
        ("br;q=1.0, gzip;q=0.5", "gzip;q=0.5"),
        ("br", "identity"),
        ("identity", "identity"),
    ],
)
def test_only_codings_the_cap_can_bound_are_offered(asked: str, offered: str) -> None:
    """httpx offers br and zstd when their packages are installed; the size cap cannot bound
    their decoders, so it offers only what it decodes."""
    assert bounded_codings(asked) == offered


LISTING = b"".join(b"<li>%d Pat</li>" % (n * 7919 % 10007) for n in range(2000))
"""A page of entries that compresses to some kilobytes: cut in half, half its entries come."""
CUT = "could not be decoded (gzip: its stream ends before its end: cut short)"
"""A compressed body cut short, its Content-Length counting the bytes sent: the part had been
handed up as the whole page (a listing without its later entries, or without any)."""


@pytest.mark.parametrize(
    ("encoding", "body", "message"),
    [
        ("gzip, gzip", gzip.compress(gzip.compress(b"hi")), "2 content-encoding layers"),
        ("deflate, gzip", gzip.compress(zlib.compress(b"hi")), "2 content-encoding layers"),
        ("br", b"\x0b\x00\x80hi\x03", "'br', which skiptrace does not decode"),
        ("zstd", b"(\xb5/\xfd", "'zstd', which skiptrace does not decode"),
        ("gzip", b"\x1f\x8b not gzip at all", "could not be decoded (gzip: Error -3"),
        ("gzip", gzip.compress(LISTING)[: len(gzip.compress(LISTING)) // 2], CUT),
        ("gzip", gzip.compress(HELLO)[:-8], CUT),
        ("deflate", zlib.compress(LISTING)[: len(zlib.compress(LISTING)) // 2], "(deflate: its s"),
        ("deflate", zlib.compress(LISTING)[2 : len(zlib.compress(LISTING)) // 2], "(deflate: its"),
    ],
    ids=[
        "gzip, gzip",
        "deflate, gzip",
        "br",
        "zstd",
        "broken gzip",
        "gzip cut short",
        "gzip without its trailer",
        "deflate cut short",
        "raw deflate cut short",
    ],
)
def test_layered_unknown_or_broken_codings_are_refused_and_audited(
    encoding: str,
    body: bytes,
    message: str,
    fast_policy: Policy,
    audit: AuditLog,
    tmp_path: Path,
) -> None:
    routes = {"/page": Reply(200, body, {"Content-Encoding": encoding})}
    with ReplayServer(routes) as site, pytest.raises(SourceError, match=re.escape(message)):
        _stack(fast_policy, audit, tmp_path, site.url("/page"))
    row = _requests(audit)[-1]
    assert row.event == "error" and message in row.detail
    assert [r.path for r in site.received].count("/page") == 1


DRIP_SECONDS = 0.25
"""The drip tests' request deadline: robots.txt (answered at once) well within it, and the
drip, a byte every 20 ms, never done by then."""


@pytest.fixture
def drip_policy(fast_policy: Policy) -> Policy:
    return merge(fast_policy, {"limits": {"request_seconds": DRIP_SECONDS}}, "drip test")


def _dripping(where: str) -> Answer:
    """A page whose status line, headers or body come one byte every 20 ms: each read well
    inside the per-read timeout, and the whole never done."""

    def answer(server: RawServer, path: str, connection: socket.socket) -> bool:
        if path == "/robots.txt":
            return _reply(connection, b"", status="404 Not Found")
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n"
        start = {"status line": 0, "headers": len(b"HTTP/1.1 200 OK\r\n"), "body": len(head)}
        connection.sendall(head[: start[where]])
        for byte in head[start[where] :] + b"x" * 100_000:
            if server.over:
                break
            connection.sendall(bytes([byte]))
            time.sleep(0.02)
        return False

    return answer


@pytest.mark.parametrize("where", ["status line", "headers", "body"])
def test_a_dripping_server_ends_at_the_request_deadline_once(
    where: str, drip_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    """The deadline ends the request, with one request sent (a deadline is not retried into
    three) and one audit row for it."""
    with RawServer(_dripping(where), lifetime=30) as site:
        started = time.monotonic()
        said = re.escape(f"took longer than {DRIP_SECONDS:g} s (limits.request_seconds)")
        with pytest.raises(SourceError, match=said):
            _stack(drip_policy, audit, tmp_path, site.url("/page"))
        took = time.monotonic() - started
    print(f"drip in the {where}: ended after {took:.2f} s (deadline {DRIP_SECONDS:g} s)")
    assert DRIP_SECONDS <= took < 10  # the server drips for 30 s: room for a loaded machine
    assert site.paths.count("/page") == 1
    rows = _requests(audit)
    assert [(r.event, r.url.rsplit("/", 1)[-1]) for r in rows] == [
        ("request", "robots.txt"),
        ("error", "page"),
    ]
    assert "limits.request_seconds" in rows[-1].detail


def _reset_mid_body(server: RawServer, path: str, connection: socket.socket) -> bool:
    if path == "/robots.txt":
        return _reply(connection, b"", status="404 Not Found")
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n"
    connection.sendall(head + b'{"people": [')
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    return False  # closed at once, its linger zero: a reset, not an end


def test_a_connection_reset_mid_answer_says_so_in_words(
    fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    """A connection reset while the body came had been written "...: ReadError: ", its
    reason blank, in the row's status_detail, lookup's line and the audit row."""
    with RawServer(_reset_mid_body) as site, pytest.raises(SourceError) as raised:
        _stack(fast_policy, audit, tmp_path, site.url("/people"))
    assert str(raised.value).endswith("ReadError: the connection was lost as the answer came")
    assert _requests(audit)[-1].detail.endswith("the connection was lost as the answer came")
