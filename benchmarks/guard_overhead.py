"""What the guard costs per request, against bare httpx in the same run.

The goal (issue 2): under 5% overhead on a local request. Two ways to see it, both printed:

1. The guard's own work per request, timed over ``httpx.MockTransport`` (no network, so the cost
   is as visible as it can be) and as parts timed alone, expressed as a share of a local request
   (a bare client against a loopback HTTP server in another process, same run).
2. End to end: the guarded client against bare httpx, over MockTransport and over the local
   server. The guarded client also does less than bare httpx in one place: its cookie jar keeps
   nothing (the guard drops every Set-Cookie), so it skips httpx's per-response cookie parsing.
   That saving is real but is not the guard, so the guard alone is also timed with httpx's
   ordinary jar put back (``client.cookies = {}``): the same cookie work as bare httpx.

Both clients send the same headers. Each round times bare, guarded, guarded, bare back to back so
drift falls on both sides alike; many short rounds, because this machine is noisy (rounds of 500
requests gave medians anywhere from 2% to 7% on a local request from one run to the next). The
table shows medians of the per-round ratios and their interquartile range. The audit log's
background thread stores rows whenever it is due, in either side's turn, so its cost is also
printed on its own: per row, in batches of the size it stores during a local request loop.

    python benchmarks/guard_overhead.py [--requests 100] [--rounds 150]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from skiptrace.audit.chain import AuditEvent
from skiptrace.audit.log import FLUSH_SECONDS, AuditLog
from skiptrace.net.client import guarded_client
from skiptrace.net.guard import Guard, evaluate
from skiptrace.policy import load_policy
from skiptrace.testing.replay import Reply, allowing, replay_in_subprocess

BODY = b"<html><body><address>1 Example Ave</address></body></html>"
PATH = "/company/0001/contact"
MOCK_URL = f"http://127.0.0.1{PATH}?ref=bench"
LOCAL = "guarded vs bare httpx, local server"


class _Unwritten(AuditLog):
    """An audit log that writes nothing: only to time the guard's work apart from its row."""

    def begin(self, event: AuditEvent) -> int:
        return 0

    def append(self, event: AuditEvent, *, ends: int | None = None) -> None:
        pass


def _mock(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=BODY)


def _timed(call: Callable[[], object], count: int) -> float:
    """Seconds per call, over ``count`` calls."""
    start = time.perf_counter()
    for _ in range(count):
        call()
    return (time.perf_counter() - start) / count


def _quartiles(values: list[float]) -> tuple[float, float, float]:
    low, median, high = statistics.quantiles(values, n=4)
    return low, median, high


def main() -> None:
    parser = argparse.ArgumentParser(description="Guard cost per request.")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=150)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp())
    headers = load_policy().headers()
    with replay_in_subprocess({PATH: Reply(200, BODY)}) as base:
        # both servers are on loopback: listed in hosts.allow_private, as any run must list them
        policy = allowing(load_policy(), "benchmark: replays on loopback", base, MOCK_URL)
        audit = AuditLog(workdir / "audit.sqlite3", policy["redaction.fields"])
        parts_log = AuditLog(workdir / "parts.sqlite3", policy["redaction.fields"])
        guard = Guard(policy, _Unwritten(workdir / "unused.sqlite3"), purpose="bench")
        local = f"{base}{PATH}?ref=bench"
        mock = httpx.MockTransport(_mock)
        with (
            httpx.Client(transport=mock, headers=headers) as bare_mock,
            guarded_client(purpose="bench", policy=policy, audit=audit, inner=mock) as g_mock,
            httpx.Client(headers=headers) as bare_local,
            guarded_client(purpose="bench", policy=policy, audit=audit) as g_local,
            guarded_client(purpose="bench", policy=policy, audit=audit, inner=mock) as j_mock,
            guarded_client(purpose="bench", policy=policy, audit=audit) as j_local,
        ):
            j_mock.cookies = j_local.cookies = {}  # httpx's ordinary jar: its cookie work too
            request = bare_local.build_request("GET", local)
            response = httpx.Response(200, content=BODY, request=request)
            event = AuditEvent(event="request", method="GET", url=local, status=200, purpose="x")

            def audit_lines() -> None:  # what the guard journals for one request sent
                parts_log.append(event, ends=parts_log.begin(event))

            def guard_work() -> None:
                outgoing, url = guard.admit(request)
                guard.passed(outgoing, url, response)

            pairs: dict[str, tuple[Callable[[], object], Callable[[], object]]] = {
                "guarded vs bare httpx, MockTransport": (
                    lambda: bare_mock.get(MOCK_URL),
                    lambda: g_mock.get(MOCK_URL),
                ),
                LOCAL: (
                    lambda: bare_local.get(local),
                    lambda: g_local.get(local),
                ),
                "the guard alone (same cookie jar), MockTransport": (
                    lambda: bare_mock.get(MOCK_URL),
                    lambda: j_mock.get(MOCK_URL),
                ),
                "the guard alone (same cookie jar), local server": (
                    lambda: bare_local.get(local),
                    lambda: j_local.get(local),
                ),
            }
            parts: dict[str, Callable[[], object]] = {
                "guard's checks (canonicalise, hard rules, policy)": (
                    lambda: evaluate("GET", request.url, policy)
                ),
                "guard's work around a request, audit row aside": guard_work,
                "audit begin line and row (masked, chained, journaled)": audit_lines,
            }
            for bare, guarded in pairs.values():
                _timed(bare, 50), _timed(guarded, 50)  # warm connections and the audit file
            bare_us: dict[str, list[float]] = {name: [] for name in pairs}
            ratios: dict[str, list[float]] = {name: [] for name in pairs}
            part_us: dict[str, list[float]] = {name: [] for name in parts}
            stored_us: list[float] = []
            for _ in range(args.rounds):
                for name, (bare, guarded) in pairs.items():
                    a1, b1 = _timed(bare, args.requests), _timed(guarded, args.requests)
                    b2, a2 = _timed(guarded, args.requests), _timed(bare, args.requests)
                    bare_us[name].append((a1 + a2) / 2 * 1e6)
                    ratios[name].append((b1 + b2) / (a1 + a2))
                for name, call in parts.items():
                    part_us[name].append(_timed(call, args.requests) * 1e6)
                parts_log.flush()  # stored apart from the timing, as the background thread does
                batch = int(FLUSH_SECONDS / (statistics.median(bare_us[LOCAL]) / 1e6))
                for _ in range(batch):  # the rows a local request loop journals between stores
                    audit_lines()
                start = time.perf_counter()
                parts_log.flush()  # what the background thread does, per row
                stored_us.append((time.perf_counter() - start) / batch * 1e6)

    local_us = statistics.median(bare_us[LOCAL])
    mock_us = statistics.median(bare_us["guarded vs bare httpx, MockTransport"])
    mock_ratio = statistics.median(ratios["guarded vs bare httpx, MockTransport"])
    print(f"{args.requests} requests per sample, {args.rounds} rounds, audit chain verified: "
          f"{audit.verify().ok}; a local request takes {local_us:.0f} us")  # fmt: skip
    print(f"\n{'end to end':50} {'bare us':>8} {'ratio':>7} {'overhead':>9} {'IQR':>15}")
    for name in pairs:
        low, ratio, high = _quartiles(ratios[name])
        spread = f"{100 * (low - 1):+.1f}..{100 * (high - 1):+.1f}%"
        print(f"{name:50} {statistics.median(bare_us[name]):8.1f} {ratio:6.3f}x "
              f"{100 * (ratio - 1):8.1f}% {spread:>15}")  # fmt: skip
    print(f"\n{'the guard own work, timed alone':53} {'us':>6} {'of a local request':>19}")
    medians = {name: statistics.median(values) for name, values in part_us.items()}
    medians["audit row stored in SQLite (background thread)"] = statistics.median(stored_us)
    checks = medians.pop("guard's checks (canonicalise, hard rules, policy)")
    shown = list(medians.items())
    shown.insert(1, ("  of which its checks", checks))
    shown.append(("all of the guard, per request", sum(medians.values())))
    for name, value in shown:
        print(f"{name:53} {value:6.1f} {100 * value / local_us:18.1f}%")
    in_client = (mock_ratio - 1) * mock_us
    print(f"{'guarded minus bare client, MockTransport':53} {in_client:6.1f} "
          f"{100 * in_client / local_us:18.1f}%")  # fmt: skip
    audit.close()
    parts_log.close()


if __name__ == "__main__":
    main()
