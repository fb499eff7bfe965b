"""What the guard costs per request, against a bare httpx client in the same run.

Baselines: a bare ``httpx.Client`` over ``httpx.MockTransport`` (no network, so the guard's
cost is as visible as it can be) and a bare client against a loopback HTTP server in another
process (a local request; in-process, the server would share the client's GIL). The guarded
client sends the same requests through ``guarded_client``: URL canonicalisation, hard rules,
policy, and one committed audit-log row per request. To split the two costs it also runs with
the audit row switched off. Each round times bare, guarded, guarded, bare back to back so drift
falls on both sides alike; the table shows medians of the per-round ratios.

    python benchmarks/guard_overhead.py [--requests 500] [--rounds 15]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from skiptrace.audit import AuditEvent, AuditLog
from skiptrace.client import guarded_client
from skiptrace.guard import evaluate
from skiptrace.policy import load_policy
from skiptrace.replay import Reply, replay_in_subprocess

BODY = b"<html><body><address>1 Example Ave</address></body></html>"
PATH = "/company/0001/contact"
MOCK_URL = f"http://127.0.0.1{PATH}?ref=bench"


class _Unwritten(AuditLog):
    """An audit log that writes nothing: only to measure the guard without it."""

    def append(self, event: AuditEvent) -> None:
        pass


def _mock(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=BODY)


def _timed(call: Callable[[], object], count: int) -> float:
    """Seconds per call, over ``count`` calls."""
    start = time.perf_counter()
    for _ in range(count):
        call()
    return (time.perf_counter() - start) / count


def main() -> None:
    parser = argparse.ArgumentParser(description="Guard cost per request.")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    policy = load_policy()
    workdir = Path(tempfile.mkdtemp())
    audit = AuditLog(workdir / "audit.sqlite3", policy["redaction.fields"])
    unwritten = _Unwritten(workdir / "unused.sqlite3")
    with replay_in_subprocess({PATH: Reply(200, BODY)}) as base:
        local = f"{base}{PATH}?ref=bench"
        parsed = httpx.URL(local)  # the guard gets the URL already parsed by the client
        event = AuditEvent(event="request", method="GET", url=local, status=200, purpose="x")
        mock = httpx.MockTransport(_mock)
        with (
            httpx.Client(transport=mock) as bare_mock,
            guarded_client(
                purpose="bench", policy=policy, audit=unwritten, inner=mock
            ) as g_mock_no_row,
            guarded_client(purpose="bench", policy=policy, audit=audit, inner=mock) as g_mock,
            httpx.Client() as bare_local,
            guarded_client(purpose="bench", policy=policy, audit=unwritten) as g_local_no_row,
            guarded_client(purpose="bench", policy=policy, audit=audit) as g_local,
        ):
            pairs: dict[str, tuple[Callable[[], object], Callable[[], object]]] = {
                "guard without audit row vs bare, MockTransport": (
                    lambda: bare_mock.get(MOCK_URL),
                    lambda: g_mock_no_row.get(MOCK_URL),
                ),
                "guarded vs bare, MockTransport": (
                    lambda: bare_mock.get(MOCK_URL),
                    lambda: g_mock.get(MOCK_URL),
                ),
                "guard without audit row vs bare, local": (
                    lambda: bare_local.get(local),
                    lambda: g_local_no_row.get(local),
                ),
                "guarded vs bare, local server": (
                    lambda: bare_local.get(local),
                    lambda: g_local.get(local),
                ),
            }
            parts: dict[str, Callable[[], object]] = {
                "guard checks (canonicalise, rules, policy)": (
                    lambda: evaluate("GET", parsed, policy)
                ),
                "audit row (masked, chained, committed)": lambda: audit.append(event),
            }
            for bare, guarded in pairs.values():
                _timed(bare, 50), _timed(guarded, 50)  # warm connections and the audit file
            bare_us: dict[str, list[float]] = {name: [] for name in pairs}
            ratios: dict[str, list[float]] = {name: [] for name in pairs}
            part_us: dict[str, list[float]] = {name: [] for name in parts}
            for _ in range(args.rounds):
                for name, (bare, guarded) in pairs.items():
                    a1, b1 = _timed(bare, args.requests), _timed(guarded, args.requests)
                    b2, a2 = _timed(guarded, args.requests), _timed(bare, args.requests)
                    bare_us[name].append((a1 + a2) / 2 * 1e6)
                    ratios[name].append((b1 + b2) / (a1 + a2))
                for name, call in parts.items():
                    part_us[name].append(_timed(call, args.requests) * 1e6)

    local_us = statistics.median(bare_us["guarded vs bare, local server"])
    print(f"{args.requests} requests per sample, {args.rounds} rounds, medians "
          f"(audit chain verified: {audit.verify().ok})")  # fmt: skip
    print(f"{'comparison':48} {'bare us':>8} {'ratio':>7} {'overhead':>9}")
    for name in pairs:
        ratio = statistics.median(ratios[name])
        bare_median = statistics.median(bare_us[name])
        print(f"{name:48} {bare_median:8.1f} {ratio:6.3f}x {100 * (ratio - 1):8.1f}%")
    print(f"{'part, timed alone':48} {'us':>8} {'':>7} {'of local':>9}")
    for name, values in part_us.items():
        value = statistics.median(values)
        print(f"{name:48} {value:8.1f} {'':>7} {100 * value / local_us:8.1f}%")
    audit.close()


if __name__ == "__main__":
    main()
