"""Batch enrichment: is the rate limiter the bottleneck, is memory flat, what does a row cost?

(a) Throughput: four loopback hosts (127.0.0.1-4), each answering after 50 ms, a policy of 5
    requests/s on each, one connector per host, every row querying all four. The bound is
    4 x 5 = 20 requests/s; the table shows the achieved rate as a fraction of it.
(b) Memory: rows of a generated debtor file enriched with a connector that answers at once
    without a request (so the pipeline itself is measured); peak RSS at growing file sizes.
(c) CPU per row outside connectors: process CPU time of run (b) divided by its rows.
(d) Employers' sites: ``--sites`` debtors, each with an employer_website on a loopback host of
    its own (127.0.0.2...), every page of it (business_pages' saved small-business site)
    answering after 150 ms, read by business_pages at ``--jobs 8``: from its first page to its
    last, and the whole run, with the shipped connector's ``WORKERS_AT_ONCE`` workers against
    one at a time (the baseline: how a connector skiptrace does not ship runs), alternating,
    medians of ``--rounds``.

    python benchmarks/enrich.py [--rows-a 60] [--sizes 10000,100000,1000000] [--sites 8]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

from skiptrace.audit import AuditLog
from skiptrace.connectors import Query, Session, SourceRecord, _sandbox
from skiptrace.connectors._model import ConnectorInfo
from skiptrace.connectors._registry import discover
from skiptrace.policy import load_policy, merge
from skiptrace.research.enrich import enrich
from skiptrace.state import builtin_dir
from skiptrace.testing.replay import ReplayServer, Reply, allowing

LATENCY = 0.05
HOSTS = ("127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4")
MANIFEST = """
id = "{id}"
name = "{id}"
version = "1"
gives = ["person_name", "mailing_address"]
needs = ["last_name"]
optional = []
terms = "https://directory.example/terms"
{body}
"""
HTTP_BODY = """
[request]
url = "{base}/people"
params = {{ last = "{{last_name}}" }}
[response]
format = "json"
records = "people"
[fields]
person_name = "name"
"""


class Instant:
    """A connector that answers at once, searching in this process: a Python connector found in
    a folder searches in a sandboxed worker forked for each search (about 13 ms), which would
    make run (b) time the sandbox instead of the pipeline."""

    def __init__(self, info: ConnectorInfo) -> None:
        self.info = info

    async def search(self, session: Session, query: Query) -> list[SourceRecord]:
        return []

    async def aclose(self) -> None:
        """Nothing held."""


def _slow(method: str, target: str) -> Reply:
    time.sleep(LATENCY)
    return Reply(200, json.dumps({"people": []}).encode(), {"Content-Type": "application/json"})


def _debtors(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["account", "first_name", "last_name", "city", "state", "zip"])
        for n in range(rows):
            writer.writerow([f"A{n:07d}", "Pat", f"Example{n}", "Springfield", "IL", "62701"])
    return path


def throughput(rows: int) -> tuple[int, float, float]:
    """(requests, seconds, achieved requests/s) for run (a)."""
    work = Path(tempfile.mkdtemp())
    os.environ["SKIPTRACE_HOME"] = str(work / "home")
    servers = [ReplayServer(_slow, host) for host in HOSTS]
    for server in servers:
        server.__enter__()
    try:
        folder = work / "connectors"
        folder.mkdir()
        for n, server in enumerate(servers):
            body = HTTP_BODY.format(base=server.base_url)
            (folder / f"host{n}.toml").write_text(MANIFEST.format(id=f"host{n}", body=body))
        connectors = list(discover([folder], entry_points=False).connectors.values())
        connectors = [c for c in connectors if c.info.id.startswith("host")]
        policy = merge(
            load_policy(),
            {"rate": {"hosts": dict.fromkeys(HOSTS, "5/s")},
             "override": [{"key": "rate.hosts", "reason": "benchmark: 5/s on each test host"}]},
            "benchmark",
        )  # fmt: skip
        policy = allowing(policy, "benchmark: four replay servers on loopback", *servers)
        source = _debtors(work / "debtors.csv", rows)
        started = time.monotonic()
        asyncio.run(enrich(source, work / "out.csv", policy=policy,
                           audit=AuditLog(work / "audit.sqlite3"), connectors=connectors,
                           purpose="benchmark", overrides={}, jobs=16))  # fmt: skip
        seconds = time.monotonic() - started
    finally:
        for server in servers:
            server.__exit__(None, None, None)
    requests = sum(len([r for r in s.received if r.path.startswith("/people")]) for s in servers)
    return requests, seconds, requests / seconds


SITE_PAGES = builtin_dir("connectors") / "fixtures" / "business_pages"
PAGE_LATENCY = 0.15


def _site(served: list[tuple[float, float]]) -> Callable[[str, str], Reply | None]:
    """The saved small-business site, each page after ``PAGE_LATENCY``; when each was served."""
    pages = {"/": "index.html", "/contact": "contact.html", "/our-team": "our-team.html",
             "/about": "about.html", "/robots.txt": "robots.txt"}  # fmt: skip

    def route(method: str, target: str) -> Reply | None:
        start = time.monotonic()
        time.sleep(PAGE_LATENCY)
        served.append((start, time.monotonic()))
        name = pages.get(target.partition("?")[0])
        return None if name is None else Reply(200, (SITE_PAGES / name).read_bytes())

    return route


def sites(count: int, at_once: int) -> tuple[float, float]:
    """Run (d) once: (seconds from the first page asked to the last answered, run seconds)."""
    _sandbox.WORKERS_AT_ONCE = at_once  # read as the run's connectors first search
    work = Path(tempfile.mkdtemp())
    os.environ["SKIPTRACE_HOME"] = str(work / "home")
    served: list[tuple[float, float]] = []
    hosts = [f"127.0.0.{n + 2}" for n in range(count)]
    with ExitStack() as held:
        servers = [held.enter_context(ReplayServer(_site(served), host)) for host in hosts]
        policy = merge(
            load_policy(),
            {"rate": {"hosts": dict.fromkeys(hosts, "2000/s")},
             "override": [{"key": "rate.hosts", "reason": "benchmark: sites on loopback"}]},
            "benchmark",
        )  # fmt: skip
        policy = allowing(policy, "benchmark: employers' sites on loopback", *servers)
        source = work / "debtors.csv"
        with source.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["account", "full_name", "employer", "employer_website", "city",
                             "state"])  # fmt: skip
            for n, server in enumerate(servers):
                writer.writerow([f"A{n}", "Dana Whitfield", "Harbor Lane Plumbing",
                                 server.url("/"), "Springfield", "IL"])  # fmt: skip
        connectors = [c for c in discover(entry_points=False).connectors.values()
                      if c.info.id == "business_pages"]  # fmt: skip
        started = time.monotonic()
        asyncio.run(enrich(source, work / "out.csv", policy=policy,
                           audit=AuditLog(work / "audit.sqlite3"), connectors=connectors,
                           purpose="benchmark", overrides={}, jobs=8))  # fmt: skip
        seconds = time.monotonic() - started
    return max(end for _, end in served) - min(start for start, _ in served), seconds


def memory_run(rows: int) -> None:
    """Run (b) for one size, in this (fresh) process; print peak RSS and CPU seconds as JSON."""
    work = Path(tempfile.mkdtemp())
    os.environ["SKIPTRACE_HOME"] = str(work / "home")
    folder = work / "connectors"
    folder.mkdir()
    body = HTTP_BODY.format(base="https://x.example")
    (folder / "instant.toml").write_text(MANIFEST.format(id="instant", body=body))
    [found] = [c for c in discover([folder], entry_points=False).connectors.values()
               if c.info.id == "instant"]  # fmt: skip
    connector = Instant(found.info)
    source = _debtors(work / "debtors.csv", rows)
    before = resource.getrusage(resource.RUSAGE_SELF)
    asyncio.run(enrich(source, work / "out.csv", policy=load_policy(),
                       audit=AuditLog(work / "audit.sqlite3"), connectors=[connector],
                       purpose="benchmark", overrides={}, jobs=8))  # fmt: skip
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(json.dumps({"rows": rows, "peak_mb": after.ru_maxrss / 1024, "cpu": cpu}))


def main() -> None:
    parser = argparse.ArgumentParser(description="Enrichment throughput, memory, CPU per row.")
    parser.add_argument("--rows-a", type=int, default=60)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--sites", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--memory-run", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_run:
        memory_run(args.memory_run)
        return
    shipped = _sandbox.WORKERS_AT_ONCE
    timed: dict[int, list[tuple[float, float]]] = {shipped: [], 1: []}
    for _ in range(args.rounds):
        for at_once in (1, shipped):
            timed[at_once].append(sites(args.sites, at_once))
    print(f"{'(d) workers at once':>20} {'pages s':>8} {'run s':>7}")
    for at_once, runs in timed.items():
        pages, runs_s = (statistics.median(r[i] for r in runs) for i in (0, 1))
        print(f"{at_once:>20} {pages:8.2f} {runs_s:7.2f}")
    one, many = (statistics.median(r[0] for r in timed[n]) for n in (1, shipped))
    print(f"{'':>20} pages read {one / many:.1f}x as fast as one worker at a time (baseline)")
    requests, seconds, rate = throughput(args.rows_a)
    print(f"(a) {requests} requests in {seconds:.1f} s = {rate:.2f} requests/s; policy bound "
          f"20.00/s; achieved {rate / 20:.2f} of the bound")  # fmt: skip
    print(f"{'(b, c) rows':>14} {'peak RSS MB':>12} {'CPU s':>8} {'CPU ms/row':>11}")
    for size in (int(s) for s in args.sizes.split(",")):
        done = subprocess.run([sys.executable, __file__, "--memory-run", str(size)],
                              capture_output=True, text=True, check=True)  # fmt: skip
        result = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{size:>14} {result['peak_mb']:12.1f} {result['cpu']:8.1f} "
              f"{1000 * result['cpu'] / size:11.3f}")  # fmt: skip


if __name__ == "__main__":
    main()
