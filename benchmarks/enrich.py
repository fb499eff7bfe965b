"""Batch enrichment: is the rate limiter the bottleneck, is memory flat, what does a row cost?

(a) Throughput: four loopback hosts (127.0.0.1-4), each answering after 50 ms, a policy of 5
    requests/s on each, one connector per host, every row querying all four. The bound is
    4 x 5 = 20 requests/s; the table shows the achieved rate as a fraction of it.
(b) Memory: rows of a generated debtor file enriched with a connector that answers at once
    without a request (so the pipeline itself is measured); peak RSS at growing file sizes.
(c) CPU per row outside connectors: process CPU time of run (b) divided by its rows.

    python benchmarks/enrich.py [--rows-a 60] [--sizes 10000,100000,1000000]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from skiptrace.audit import AuditLog
from skiptrace.connectors import Query, Session, SourceRecord
from skiptrace.connectors._model import ConnectorInfo
from skiptrace.connectors._registry import discover
from skiptrace.policy import load_policy, merge
from skiptrace.research.enrich import enrich
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
    parser.add_argument("--memory-run", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_run:
        memory_run(args.memory_run)
        return
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
