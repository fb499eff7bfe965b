"""Workers of code skiptrace does not ship, alive at once, hold one debtor's values, whichever
connectors they run.

One connector's workers were alive one at a time, but two connectors' were not: with two rows
researched at once, connector X's worker for the second debtor ran while connector Y's for the
first still did. Two workers of one author's package, each confined, can still reach each other
(a lock on a file both may read is a signal), and the first debtor's values sent by the second
worker are audited under the second debtor. The operating system cannot tell them apart, so a
worker of such code waits until every one alive holds the debtor it holds.
"""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import pytest

from skiptrace.audit import AuditLog
from skiptrace.connectors._confine import unavailable
from skiptrace.connectors._registry import discover
from skiptrace.policy import Policy, merge
from skiptrace.records import Query
from skiptrace.research.run import Run
from skiptrace.testing.replay import ReplayServer, Reply

pytestmark = [
    pytest.mark.skipif(bool(unavailable()), reason=f"no sandbox here: {unavailable()}"),
    pytest.mark.usefixtures("lent_starters"),
]

CODE = """from skiptrace.connectors import Query, Session, SourceRecord


class Asks:
    async def search(self, session: Session, query: Query) -> list[SourceRecord]:
        await session.get("{base}/{name}", {{"q": query.get("last_name")}})
        return []


CONNECTOR = Asks()
"""
MANIFEST = """id = "{name}"
name = "{name}"
version = "1"
gives = ["mailing_address"]
needs = ["last_name"]
terms = "{base}/terms"
origins = ["{base}"]
python = "{name}.py"
"""


def test_two_connectors_workers_never_hold_two_debtors_at_once(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    served: list[tuple[str, float, float]] = []
    lock = threading.Lock()

    def route(method: str, target: str) -> Reply | None:
        start = time.monotonic()
        if target.startswith("/slow"):
            time.sleep(0.5)
        with lock:
            served.append((target.partition("q=")[2], start, time.monotonic()))
        return Reply(200, b"{}", {"Content-Type": "application/json"})

    # two hosts, so that neither connector's request waits for the other's place in flight
    with ReplayServer(route) as one, ReplayServer(route, "127.0.0.2") as other:
        for name, origin in (("quick", one), ("slow", other)):
            base = origin.base_url
            (tmp_path / f"{name}.py").write_text(CODE.format(base=base, name=name))
            (tmp_path / f"{name}.toml").write_text(MANIFEST.format(base=base, name=name))
        registry = discover([tmp_path], entry_points=False)
        connectors = [registry.connectors[name] for name in ("quick", "slow")]
        fast = {"127.0.0.1": "2000/s", "127.0.0.2": "2000/s"}
        reason = [{"key": "rate.hosts", "reason": "two replay servers on loopback"}]
        policy = merge(fast_policy, {"rate": {"hosts": fast}, "override": reason}, "a test")
        policy = other.allow(one.allow(policy))

        async def research() -> None:
            async with Run(policy, audit, connectors, purpose="a test") as run:
                debtors = [Query.of("A1", last_name="Ames"), Query.of("A2", last_name="Boyd")]
                await asyncio.gather(*(run.research(debtor) for debtor in debtors))

        asyncio.run(asyncio.wait_for(research(), 60))
    served = [(q, a, b) for q, a, b in served if q]  # robots.txt asked nothing of anyone
    assert sorted(q for q, _, _ in served) == ["Ames", "Ames", "Boyd", "Boyd"], served
    for q, start, end in served:  # no two debtors' requests in flight at one moment
        assert all(other == q or b <= start or a >= end for other, a, b in served), served
