"""What the guard costs per request, against bare httpx in the same run.

Baselines: a bare ``httpx.Client`` over ``httpx.MockTransport`` (no network, so the guard's
cost is as visible as it can be) and a bare client against a loopback HTTP server in another
process (a real local request; in-process, the server would share the client's GIL). The
guarded variants send the same requests through ``guarded_client``: URL canonicalisation, the
hard rules, the policy, and one committed audit-log row per request. The two parts are also
timed alone. Rounds are interleaved so machine noise falls on every variant alike; medians.

    python benchmarks/guard_overhead.py [--requests 2000] [--rounds 7]
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from skiptrace.audit import AuditEvent, AuditLog
from skiptrace.client import guarded_client
from skiptrace.guard import evaluate
from skiptrace.policy import load_policy
from skiptrace.replay import ReplayServer, Reply

BODY = b"<html><body><address>1 Example Ave</address></body></html>"
PATH = "/company/0001/contact"
URL = f"http://127.0.0.1{PATH}?ref=bench"


def _mock(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=BODY)


def _serve(port: multiprocessing.Queue[int]) -> None:
    with ReplayServer({PATH: Reply(200, BODY)}) as server:
        port.put(int(server.base_url.rsplit(":", 1)[1]))
        threading.Event().wait()


def _timed(call: Callable[[], object], count: int) -> float:
    """Seconds per call, over ``count`` calls."""
    start = time.perf_counter()
    for _ in range(count):
        call()
    return (time.perf_counter() - start) / count


def main() -> None:
    parser = argparse.ArgumentParser(description="Guard cost per request.")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    policy = load_policy()
    audit = AuditLog(Path(tempfile.mkdtemp()) / "audit.sqlite3", policy["redaction.fields"])
    context = multiprocessing.get_context("spawn")
    ports: multiprocessing.Queue[int] = context.Queue()
    server = context.Process(target=_serve, args=(ports,), daemon=True)
    server.start()
    try:
        local = f"http://127.0.0.1:{ports.get(timeout=30)}{PATH}?ref=bench"
        parsed = httpx.URL(local)
        event = AuditEvent(event="request", method="GET", url=local, status=200, purpose="x")
        with (
            httpx.Client(transport=httpx.MockTransport(_mock)) as bare_mock,
            guarded_client(
                purpose="benchmark", policy=policy, audit=audit, inner=httpx.MockTransport(_mock)
            ) as guarded_mock,
            httpx.Client() as bare_local,
            guarded_client(purpose="benchmark", policy=policy, audit=audit) as guarded_local,
        ):
            variants: dict[str, Callable[[], object]] = {
                "bare client, MockTransport": lambda: bare_mock.get(URL),
                "guarded client, MockTransport": lambda: guarded_mock.get(URL),
                "bare client, local server": lambda: bare_local.get(local),
                "guarded client, local server": lambda: guarded_local.get(local),
                "  part: rules alone": lambda: evaluate("GET", parsed, policy),
                "  part: audit row alone": lambda: audit.append(event),
            }
            for call in variants.values():
                _timed(call, 50)  # warm connections, caches and the audit file
            samples: dict[str, list[float]] = {name: [] for name in variants}
            for _ in range(args.rounds):
                for name, call in variants.items():
                    samples[name].append(_timed(call, args.requests))
    finally:
        server.terminate()

    us = {name: statistics.median(values) * 1e6 for name, values in samples.items()}
    mock, local_base = us["bare client, MockTransport"], us["bare client, local server"]
    print(f"{args.requests} requests x {args.rounds} rounds, medians; "
          f"audit chain verified: {audit.verify().ok}")  # fmt: skip
    print(f"{'variant':32} {'us/req':>8} {'vs baseline':>12} {'% of a local request':>21}")
    for name, value in us.items():
        if name.startswith("bare"):
            print(f"{name:32} {value:8.1f} {'baseline':>12}")
            continue
        if name.startswith("  part"):
            print(f"{name:32} {value:8.1f} {'':>12} {100 * value / local_base:20.1f}%")
            continue
        base = mock if "Mock" in name else local_base
        share = 100 * (value - base) / local_base
        print(f"{name:32} {value:8.1f} {value / base:11.2f}x {share:20.1f}%")
    audit.close()


if __name__ == "__main__":
    main()
