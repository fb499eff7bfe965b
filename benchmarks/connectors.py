"""Connector parse throughput, and what the session stack costs per request.

1. Parse throughput: each declarative connector's extractor and field mapping run over the
   recorded responses of its contract examples, in memory (records per second). Python
   connectors are timed end to end through a contract replay on loopback instead, and marked so.
2. Session stack overhead: the run's client (guard, cache, robots.txt, limiter, retry, size
   cap) against a bare ``httpx.AsyncClient``, both on the same loopback server in another
   process; every URL is new, so the cache misses (a cache-hit line is shown too). The limiter
   is given a loopback rate far above the request rate so that it measures code, not waiting.
   Paired rounds (bare, stack, stack, bare); medians.

    python benchmarks/connectors.py [--requests 300] [--rounds 7]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from skiptrace.audit import AuditLog
from skiptrace.connectors._manifest import ManifestConnector
from skiptrace.connectors._registry import discover
from skiptrace.net.layers.cache import HttpCache
from skiptrace.net.session import ConnectorSession, SourceHealth
from skiptrace.net.stack import open_client
from skiptrace.policy import Policy, load_policy
from skiptrace.records import Fetched, Provenance, Query
from skiptrace.testing.contracts import check_example
from skiptrace.testing.replay import Reply, loopback_policy, replay_in_subprocess

BODY = b'{"results": [{"name": "Example Plumbing Co."}]}'


def parse_throughput(policy: Policy, seconds: float = 0.5) -> list[tuple[str, str, float]]:
    """(connector, how, records per second) for every connector with recorded examples."""
    rows = []
    provenance = Provenance("bench", "1", "https://example.invalid/", "2026-01-01T00:00:00")
    for connector in discover(entry_points=False).connectors.values():
        pages = [Fetched("https://example.invalid/", 200, {"content-type": r.content_type},
                         r.file.read_bytes(), "2026-01-01T00:00:00", False)
                 for e in connector.info.examples for r in e.replies
                 if r.file and r.status == 200]  # fmt: skip
        if isinstance(connector, ManifestConnector):
            count, start = 0, time.perf_counter()
            while time.perf_counter() - start < seconds:
                for page in pages:
                    try:
                        _, read = connector._parse(page, provenance)
                    except Exception:  # error bodies are part of the contracts
                        continue
                    count += len(read)
            rows.append((connector.info.id, "parse, in memory", count / seconds))
            continue
        records, start = 0, time.perf_counter()
        with tempfile.TemporaryDirectory() as scratch:
            for example in connector.info.examples:
                outcome = asyncio.run(check_example(connector, example, policy, Path(scratch)))
                records += int(outcome.detail.split(", ")[-1].split()[0]) if outcome.passed else 0
        rows.append(
            (
                connector.info.id,
                "contract replay, loopback",
                records / (time.perf_counter() - start),
            )
        )
    return rows


async def stack_overhead(policy: Policy, base: str, requests: int, rounds: int) -> dict[str, float]:
    fast = loopback_policy(policy, "benchmark: measure code, not waiting", base, rate="100000/s")
    scratch = Path(tempfile.mkdtemp())
    audit = AuditLog(scratch / "audit.sqlite3")
    cache = HttpCache(scratch / "cache.sqlite3", default_seconds=3600, retention_days=1)
    counter = itertools.count()
    bare_times, stack_times, ratios, hits = [], [], [], []
    async with (
        httpx.AsyncClient() as bare,
        open_client(fast, audit, purpose="bench", cache=cache) as client,
    ):
        session = ConnectorSession(client, "bench", Query.of("BENCH"), SourceHealth())

        async def timed_bare() -> float:
            start = time.perf_counter()
            for _ in range(requests):
                await bare.get(f"{base}/page", params={"n": str(next(counter))})
            return (time.perf_counter() - start) / requests

        async def timed_stack(fresh: bool = True) -> float:
            start = time.perf_counter()
            for _ in range(requests):
                await session.get(f"{base}/page", params={"n": str(next(counter) if fresh else 0)})
            return (time.perf_counter() - start) / requests

        await timed_bare(), await timed_stack()  # warm up: connections, robots.txt, files
        for _ in range(rounds):
            a1, b1, b2, a2 = (
                await timed_bare(),
                await timed_stack(),
                await timed_stack(),
                await timed_bare(),
            )
            bare_times.append((a1 + a2) / 2)
            stack_times.append((b1 + b2) / 2)
            ratios.append((b1 + b2) / (a1 + a2))
            hits.append(await timed_stack(fresh=False))
    audit.close()
    cache.close()
    return {
        "bare": statistics.median(bare_times) * 1e6,
        "stack": statistics.median(stack_times) * 1e6,
        "ratio": statistics.median(ratios),
        "hit": statistics.median(hits) * 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Connector throughput and stack overhead.")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    policy = load_policy()
    print(f"{'connector':24} {'how':28} {'records/s':>12}")
    for name, how, rate in parse_throughput(policy):
        print(f"{name:24} {how:28} {rate:12.0f}")

    with replay_in_subprocess({"/page": Reply(200, BODY)}) as base:
        result = asyncio.run(stack_overhead(policy, base, args.requests, args.rounds))
    print()
    print(f"session stack vs bare httpx.AsyncClient, loopback server, {args.requests} requests "
          f"x {args.rounds} rounds (medians)")  # fmt: skip
    print(f"{'bare client':40} {result['bare']:8.1f} us/request  baseline")
    print(f"{'session stack, cache miss':40} {result['stack']:8.1f} us/request  "
          f"{result['ratio']:.2f}x  (+{result['stack'] - result['bare']:.0f} us)")  # fmt: skip
    print(f"{'session stack, cache hit':40} {result['hit']:8.1f} us/request  "
          f"{result['hit'] / result['bare']:.2f}x")  # fmt: skip


if __name__ == "__main__":
    main()
