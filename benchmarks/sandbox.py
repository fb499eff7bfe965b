"""What the sandbox costs a Python connector, against the same search as a manifest; and what
it costs a manifest that reads web pages, against the same manifest searching in this process.

Two connectors do the same thing: one GET to a loopback server (another process) and one record
from its JSON. One is a TOML manifest (runs in this process); the other is a Python connector,
which runs in its sandboxed worker process and asks this process for the page over a pipe.
A third, a manifest reading the same record from an HTML page, searches in a worker of its own
(``_registry.PageManifest``) and, as the baseline, in this process. All go through the same
Run (guard, audit row, cache miss, robots.txt, limiter). Paired rounds (each pair's order
reversed the next time); medians. Each search has a worker of its own, forked
from the run's starter as the search begins (no two are alive at once), back to back and
with the pace of a rate limit between searches (``--gap-ms``, 200 by default: 5 a second).
Also timed: starting the starter, its first worker and the first search.

    python benchmarks/sandbox.py [--searches 200] [--rounds 7] [--gap-ms 200]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from skiptrace.audit import AuditLog
from skiptrace.connectors._model import Connector
from skiptrace.connectors._registry import PageManifest, load_manifest
from skiptrace.connectors._sandbox import Mode
from skiptrace.net.layers.cache import HttpCache
from skiptrace.policy import Policy, load_policy
from skiptrace.records import Query
from skiptrace.research.run import Run
from skiptrace.testing.replay import Reply, loopback_policy, replay_in_subprocess

BODY = b'{"people": [{"name": "Pat Example", "employer": "Example Plumbing Co."}]}'
COMMON = """version = "1"
gives = ["person_name", "employer"]
needs = ["last_name"]
terms = "https://bench.example/terms"
origins = ["https://bench.example"]
"""
MANIFEST = (
    COMMON
    + """id = "bench_manifest"
name = "bench manifest"
[request]
url = "https://bench.example/people"
params = { last = "{last_name}" }
[response]
format = "json"
records = "people"
[fields]
person_name = "name"
employer = "employer"
"""
)
PYTHON = (
    COMMON
    + """id = "bench_python"
name = "bench python"
python = "bench_python.py"
"""
)
SOURCE = """
from skiptrace.connectors import Query, Session, SourceRecord


class Bench:
    async def search(self, session: Session, query: Query) -> list[SourceRecord]:
        page = await session.get("https://bench.example/people", {"last": query.get("last_name")})
        return [SourceRecord(session.provenance(page), person_name=p["name"],
                             employer=p["employer"]) for p in page.json()["people"]]


CONNECTOR = Bench()
"""


PAGE = b"""<html><body><ul><li class="person"><span class="name">Pat Example</span>
<span class="employer">Example Plumbing Co.</span></li></ul></body></html>"""
HTML = (
    COMMON
    + """id = "bench_html"
name = "bench html"
[request]
url = "https://bench.example/people.html"
params = { last = "{last_name}" }
[response]
format = "html"
records = "li.person"
expect = "ul"
[fields]
person_name = "span.name"
employer = "span.employer"
"""
)


def _connectors(folder: Path) -> dict[str, Connector]:
    (folder / "bench_manifest.toml").write_text(MANIFEST, encoding="utf-8")
    (folder / "bench_python.toml").write_text(PYTHON, encoding="utf-8")
    (folder / "bench_python.py").write_text(SOURCE, encoding="utf-8")
    (folder / "bench_html.toml").write_text(HTML, encoding="utf-8")
    pages = load_manifest(folder / "bench_html.toml")
    assert isinstance(pages, PageManifest)
    return {
        "manifest": load_manifest(folder / "bench_manifest.toml"),
        "python": load_manifest(folder / "bench_python.toml"),
        "html here": pages.in_process,
        "html confined": pages,
    }


async def _per_search(
    connector: Connector,
    policy: Policy,
    scratch: Path,
    base: str,
    searches: int,
    tag: str,
    gap: float = 0.0,
) -> tuple[float, float]:
    """(seconds to the first answer, microseconds per search after it), ``gap`` seconds
    waited between searches and not counted."""
    audit = AuditLog(scratch / f"audit-{tag}.sqlite3")
    cache = HttpCache(scratch / f"cache-{tag}.sqlite3", 0, 1)  # nothing kept: every GET a miss
    try:
        async with Run(policy, audit, [connector], purpose="benchmark", cache=cache,
                       rewrite={"https://bench.example": base}) as run:  # fmt: skip
            start = time.perf_counter()
            await run.search(connector, Query.of("B", last_name="Example0"))
            first = time.perf_counter() - start
            spent = 0.0
            for n in range(1, searches + 1):
                await asyncio.sleep(gap)
                start = time.perf_counter()
                result = await run.search(connector, Query.of("B", last_name=f"Example{n}"))
                spent += time.perf_counter() - start
                assert result.status == "hit", result.detail
            return first, spent / searches * 1e6
    finally:
        cache.close()
        audit.close()


def main() -> None:
    parser = argparse.ArgumentParser(description="Sandbox cost per Python-connector search.")
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--gap-ms", type=float, default=200.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch, replay_in_subprocess(
        {"/people": Reply(200, BODY, {"Content-Type": "application/json"}),
         "/people.html": Reply(200, PAGE, {"Content-Type": "text/html"}),
         "/robots.txt": Reply(404, b"")}
    ) as base:  # fmt: skip
        folder = Path(scratch)
        connectors = _connectors(folder)
        mode = getattr(connectors["python"], "mode", "")
        if mode != Mode.SANDBOXED:
            print(f"the Python connector runs {mode} here "
                  f"({getattr(connectors['python'], 'how', '')})")  # fmt: skip
        policy = loopback_policy(
            load_policy(), "benchmark: measure code, not waiting", base, rate="100000/s"
        )
        times: dict[str, list[float]] = {}
        starts: list[float] = []
        paced = args.gap_ms / 1000
        order = ["manifest", "python", "html here", "html confined"]
        for n, name in enumerate([*order, *reversed(order)] * args.rounds):
            for gap in (0.0, paced):
                connector = connectors[name]
                first, micros = asyncio.run(
                    _per_search(connector, policy, folder, base, args.searches, f"{n}", gap)
                )
                times.setdefault(f"{name} {gap}", []).append(micros)
            if name == "python":
                starts.append(first)
    print(f"{args.searches} searches x {args.rounds * 2} runs each, medians (mode: {mode})")
    pairs = (("manifest connector", "manifest", "Python connector, sandboxed", "python"),
             ("HTML manifest, in this process", "html here",
              "HTML manifest, in its worker", "html confined"))  # fmt: skip
    for gap, how in ((0.0, "back to back"), (paced, f"{args.gap_ms:.0f} ms apart")):
        for base_label, base_key, label, key in pairs:
            plain = statistics.median(times[f"{base_key} {gap}"])
            boxed = statistics.median(times[f"{key} {gap}"])
            print(f"{base_label + ', ' + how:48} {plain:8.0f} us/search  baseline")
            print(f"{label + ', ' + how:48} {boxed:8.0f} us/search  "
                  f"{boxed / plain:.2f}x  (+{boxed - plain:.0f} us)")  # fmt: skip
    print(f"{'starting the starter, a worker, first search':48} "
          f"{statistics.median(starts) * 1000:8.0f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
