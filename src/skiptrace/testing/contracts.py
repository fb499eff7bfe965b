"""Contract examples: each connector's recorded replies, served on 127.0.0.1, run through the
real guard and session stack, with the outcome compared to what the manifest expects.

The connector's own hosts are rewritten to the loopback server, which the policy lets the run
reach (``hosts.allow_private``) at a fast rate (recorded overrides, as any loosening must be),
and the audit log and cache are those of a scratch folder: these replays are checks, not
research. So the policy allows no host but loopback: an example naming any other site is
refused (in that scratch log), never looked up.

A connector that adopts a site (``site = true``) has no origin of its own to rewrite: its
examples write ``{replay}`` where the replay server's base URL goes (in the query, the sites
an example's ``offered`` lists as other sources' records would, the expected values and the
reply files), and a connector declaring ``search_api`` finds its search API on
that same server (``search.searxng_url``).
"""

from __future__ import annotations

import dataclasses
import mimetypes
import secrets
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl

from skiptrace.audit import AuditLog
from skiptrace.connectors._model import Connector, Example, ReplySpec
from skiptrace.connectors._registry import api_key
from skiptrace.connectors._runner import ConnectorResult
from skiptrace.net.layers.cache import HttpCache
from skiptrace.policy import Policy, merge
from skiptrace.records import Query
from skiptrace.research.run import Run
from skiptrace.testing.clock import VirtualTime
from skiptrace.testing.replay import Received, ReplayServer, Reply, Router, loopback_policy

REPLAY_KEY = "contract-replay-key"
ONLY_THE_REPLAY = {
    "hosts": {"allow_only": ["127.0.0.1"]},
    "override": [{"key": "hosts.allow_only", "reason": "a replay reaches only its server"}],
}
"""What a replay may reach: loopback, where only the replay server is allowed (``allowing``). An
example naming any other site (a site connector's query) is refused before a lookup."""
PLACEHOLDER = "{replay}"
"""Stands for the replay server's base URL in a site connector's examples."""


@dataclass(frozen=True)
class Outcome:
    """One example's verdict."""

    connector: str
    example: str
    passed: bool
    detail: str


async def check_example(
    connector: Connector, example: Example, policy: Policy, workdir: Path
) -> Outcome:
    """Run one example and compare."""
    unfit = next(filter(None, (_unfit(reply.file) for reply in example.replies)), "")
    if unfit:
        return Outcome(connector.info.id, example.name, False, unfit)
    result, served, filled = await _replayed(connector, example, policy, workdir)
    problems = list(_compare(filled, result))
    problems += [f"no recorded reply for {r.path}" for r in served if _unrecorded(r.path, example)]
    detail = "; ".join(problems) if problems else f"{result.status}, {len(result.records)} records"
    return Outcome(connector.info.id, example.name, not problems, detail)


async def replay_example(
    connector: Connector, example: Example, policy: Policy, workdir: Path
) -> tuple[ConnectorResult, list[Received]]:
    """One example's query searched against its recorded replies: what the connector
    returned, and every request the loopback server received."""
    result, served, _ = await _replayed(connector, example, policy, workdir)
    return result, served


async def _replayed(
    connector: Connector, example: Example, policy: Policy, workdir: Path
) -> tuple[ConnectorResult, list[Received], Example]:
    """The example searched on a loopback server, with ``{replay}`` filled in (``_filled``)."""
    info = connector.info
    # thrown away with ``workdir``: its pseudonyms need no lasting key in SKIPTRACE_HOME
    audit = AuditLog(workdir / "contract-audit.sqlite3", policy["redaction.fields"],
                     reference_key=secrets.token_bytes(32))  # fmt: skip
    cache = HttpCache(workdir / f"contract-cache-{info.id}.sqlite3", 0, 1)
    keys = [api_key(info.api_key, REPLAY_KEY, info.id)] if info.api_key else []
    try:
        base: list[str] = []
        with ReplayServer(_router(example.replies, base)) as server:
            base.append(server.base_url)
            rewrite = {origin: server.base_url for origin in info.origins}
            replay = loopback_policy(policy, "contract replay of recorded fixtures", server)
            replay = merge(replay, ONLY_THE_REPLAY, "contract replay: the replay server only")
            if info.search_api:
                setting = {f"{info.search_api}_url": server.base_url}
                replay = merge(replay, {"search": setting}, "contract replay: its search API")
            example = _filled(example, server.base_url)
            paced = VirtualTime().pace()  # recorded answers: a retry's wait is not waited
            async with Run(replay, audit, [connector], purpose="contract check", keys=keys,
                           rewrite=rewrite, cache=cache, pace=paced) as run:  # fmt: skip
                query = Query.of(f"contract:{info.id}", **example.query)
                result = await run.search(connector, query, key_required=False,
                                          offered_sites=example.offered)  # fmt: skip
            return result, list(server.received), example
    finally:
        cache.close()
        audit.close()


def _filled(example: Example, base: str) -> Example:
    """``example`` with ``{replay}`` in its query, offered sites and expected values made
    ``base``."""

    def fill(values: Mapping[str, str]) -> dict[str, str]:
        return {k: v.replace(PLACEHOLDER, base) for k, v in values.items()}

    offered = tuple(url.replace(PLACEHOLDER, base) for url in example.offered)
    return dataclasses.replace(example, query=fill(example.query), offered=offered,
                               expect_first=fill(example.expect_first))  # fmt: skip


def _compare(example: Example, result: ConnectorResult) -> Iterable[str]:
    if result.status != example.expect_status:
        yield f"status {result.status} ({result.detail}), expected {example.expect_status}"
    if example.expect_count is not None and len(result.records) != example.expect_count:
        yield f"{len(result.records)} records, expected {example.expect_count}"
    if example.expect_first:
        if not result.records:
            yield "no first record to compare"
            return
        first = result.records[0]
        for name, expected in example.expect_first.items():
            actual = first.field_value(name)
            if actual != expected:
                yield f"{name} = {actual!r}, expected {expected!r}"


def _matching(replies: tuple[ReplySpec, ...], target: str) -> ReplySpec | None:
    path, _, query = target.partition("?")
    params = dict(parse_qsl(query, keep_blank_values=True))
    for reply in replies:
        wanted = reply.path
        same = path.startswith(wanted[:-1]) if wanted.endswith("*") else path == wanted
        if same and all(params.get(k) == v for k, v in reply.match.items()):
            return reply
    return None


def _unrecorded(target: str, example: Example) -> bool:
    """A request the example has no reply for (robots.txt aside): the example is incomplete,
    and a silent 404 could make it pass for the wrong reason."""
    return not target.startswith("/robots.txt") and _matching(example.replies, target) is None


def _router(replies: tuple[ReplySpec, ...], base: list[str]) -> Router:
    """Each recorded reply; ``{replay}`` in a file becomes the server's base URL (``base``,
    filled in once the server has a port)."""

    def route(method: str, target: str) -> Reply | None:
        reply = _matching(replies, target)
        if reply is None:
            return None
        body = reply.file.read_bytes() if reply.file else b""
        if base:
            body = body.replace(PLACEHOLDER.encode(), base[0].encode())
        kind = reply.content_type or _content_type(reply.file)
        return Reply(reply.status, body, {"Content-Type": kind})

    return route


MAX_REPLY_BYTES = 10_000_000
"""The largest recorded reply a replay serves (the default policy's largest response)."""


def _unfit(file: Path | None) -> str:
    """Why a recorded reply's file cannot be served ("" if it can): it is read whole by this
    process, so a FIFO would hang the check and a device or a huge file fill memory."""
    if file is None:
        return ""
    try:
        found = file.lstat()
    except OSError as exc:
        return f"reply file {file.name}: {exc.strerror}"
    if not stat.S_ISREG(found.st_mode):
        return f"reply file {file.name} is not a regular file"
    if found.st_size > MAX_REPLY_BYTES:
        return f"reply file {file.name} is larger than {MAX_REPLY_BYTES:,} bytes"
    return ""


def _content_type(file: Path | None) -> str:
    if file is None:
        return "text/plain"
    if file.suffix == ".json":
        return "application/json"
    return mimetypes.guess_type(file.name)[0] or "application/octet-stream"
