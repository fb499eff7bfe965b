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
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote_plus

import pytest

from skiptrace.audit import AuditLog
from skiptrace.connectors._confine import unavailable
from skiptrace.connectors._model import Grants
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
        asked = {{"q": query.get("last_name")}}
        if query.get("phone"):
            asked["p"] = query.get("phone")
        await session.get("{base}/{name}", asked)
        return []


CONNECTOR = Asks()
"""
MANIFEST = """id = "{name}"
name = "{name}"
version = "1"
gives = ["mailing_address"]
needs = ["last_name"]
optional = {optional}
terms = "{base}/terms"
origins = ["{base}"]
python = "{name}.py"
"""


Served = list[tuple[str, str, float, float]]
"""(connector, what it asked for, when the request came, when it was answered)"""


def _researched(
    tmp_path: Path,
    policy: Policy,
    audit: AuditLog,
    debtors: list[Query],
    slow: tuple[str, ...],
    granted: frozenset[str] = frozenset(),
) -> Served:
    """Connectors "quick" and "slow" (two hosts, so that neither's request waits for the
    other's place in flight), each asking its host for the debtor's last name (and phone if
    ``granted`` it; "slow" is handed the employer too), the ``slow`` ones answered in 0.5 s:
    every debtor researched at once."""
    served: Served = []
    lock = threading.Lock()

    def route(method: str, target: str) -> Reply | None:
        start = time.monotonic()
        name, _, asked = target.lstrip("/").partition("?")
        if name in slow:
            time.sleep(0.5)
        with lock:
            served.append((name, asked, start, time.monotonic()))
        return Reply(200, b"{}", {"Content-Type": "application/json"})

    with ReplayServer(route) as one, ReplayServer(route, "127.0.0.2") as other:
        for name, origin in (("quick", one), ("slow", other)):
            base = origin.base_url
            (tmp_path / f"{name}.py").write_text(CODE.format(base=base, name=name))
            optional = '["phone"]' if name == "quick" else '["phone", "employer"]'
            manifest = MANIFEST.format(base=base, name=name, optional=optional)
            (tmp_path / f"{name}.toml").write_text(manifest)
        registry = discover([tmp_path], entry_points=False, grants=Grants(contacted=granted))
        connectors = [registry.connectors[name] for name in ("quick", "slow")]
        fast = {"127.0.0.1": "2000/s", "127.0.0.2": "2000/s"}
        reason = [{"key": "rate.hosts", "reason": "two replay servers on loopback"}]
        policy = merge(policy, {"rate": {"hosts": fast}, "override": reason}, "a test")
        policy = other.allow(one.allow(policy))

        async def research() -> None:
            async with Run(policy, audit, connectors, purpose="a test") as run:
                await asyncio.gather(*(run.research(debtor) for debtor in debtors))

        asyncio.run(asyncio.wait_for(research(), 60))
    return [s for s in served if s[0] != "robots.txt"]


def _apart(served: Served, one: Callable[[str, str], object]) -> bool:
    """Whether no two requests whose ``one(connector, asked)`` differ were in flight at once."""
    return all(
        one(*a[:2]) == one(*b[:2]) or b[3] <= a[2] or b[2] >= a[3] for a in served for b in served
    )


def test_two_connectors_workers_never_hold_two_debtors_at_once(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    debtors = [Query.of("A1", last_name="Ames"), Query.of("A2", last_name="Boyd")]
    served = _researched(tmp_path, fast_policy, audit, debtors, slow=("slow",))
    assert sorted(asked for _, asked, _, _ in served) == ["q=Ames"] * 2 + ["q=Boyd"] * 2
    assert _apart(served, lambda connector, asked: asked), served


def test_one_debtors_searches_run_at_once(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """Against the above: two connectors' workers holding one debtor's values, different
    fields of them, have nothing of another debtor's to pass: they search at once (each
    connector's own fields had been taken for another debtor's, a lookup's searches one
    after another, each waiting into its deadline behind the others)."""
    debtor = Query.of("A1", last_name="Ames", employer="Acme", phone="555-010-0100")
    served = _researched(tmp_path, fast_policy, audit, [debtor], slow=("quick", "slow"))
    assert len(served) == 2 and not _apart(served, lambda connector, asked: connector), served


def test_a_worker_handed_the_debtors_phone_is_alone_with_it(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """The policy hands the debtor's phone to one connector (``connectors.contact_details``),
    not the other: the other's worker, alive beside it, could be passed the phone."""
    debtor = Query.of("A1", last_name="Ames", phone="555-010-0100")
    served = _researched(tmp_path, fast_policy, audit, [debtor], slow=("quick", "slow"),
                         granted=frozenset({"quick"}))  # fmt: skip
    assert len(served) == 2 and _apart(served, lambda connector, asked: connector), served


PRELUDE = """import dataclasses
import string

from skiptrace.connectors import Query, Session, SourceRecord

SYS = string.Formatter().get_field("0.__globals__[sys]", (dataclasses.dataclass,), {})[0]
LOAD = SYS.modules["importlib"].import_module
OS, FCNTL, MMAP, TIME, ASYNCIO = map(LOAD, ("os", "fcntl", "mmap", "time", "asyncio"))
SIGNAL = LOAD("sysconfig").get_paths()["stdlib"] + "/this.py"  # a file both may read
KEPT = []
"""
SENDER = """

class Sender:
    async def search(self, session: Session, query: Query) -> list[SourceRecord]:
        began = TIME.monotonic()
        FCNTL.flock(OS.open(SIGNAL, OS.O_RDONLY), FCNTL.LOCK_EX)  # the first debtor's bit
        # memory its process frees as it ends, before its locks: ending it takes a while
        flags = MMAP.MAP_PRIVATE | MMAP.MAP_ANONYMOUS | MMAP.MAP_POPULATE
        KEPT.append(MMAP.mmap(-1, 1600 << 20, flags=flags))
        on_time = TIME.monotonic() < began + {seconds} - 0.3
        await session.get("{base}/sender", {{"q": "on time" if on_time else "late"}})
        await ASYNCIO.sleep(began + {seconds} - 0.15 - TIME.monotonic())
        return []  # just before its deadline, which meets its worker being ended


CONNECTOR = Sender()
"""
RECEIVER = """

class Receiver:
    async def search(self, session: Session, query: Query) -> list[SourceRecord]:
        signal, seen = OS.open(SIGNAL, OS.O_RDONLY), "free"
        for _ in range(200):
            try:
                FCNTL.flock(signal, FCNTL.LOCK_EX | FCNTL.LOCK_NB)
            except BlockingIOError:
                seen = "held"  # by a worker holding the first debtor
                break
            FCNTL.flock(signal, FCNTL.LOCK_UN)
            await ASYNCIO.sleep(0.002)
        await session.get("{base}/receiver", {{"q": query.get("last_name") + " " + seen}})
        return []


CONNECTOR = Receiver()
"""


def test_a_worker_ended_at_its_deadline_is_gone_before_another_debtors_starts(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """A search whose deadline came as its worker was being ended (its answer sent just before,
    its process slow to end) left the room at once, with the worker still alive: the next
    debtor's worker, of another connector, found the lock the first still held."""
    seconds = 4.0  # time enough for its memory, which took a confined worker 1.5 to 2.9 s
    asked: list[str] = []

    def route(method: str, target: str) -> Reply | None:
        asked.append(unquote_plus(target.partition("q=")[2]))
        return Reply(200, b"{}", {"Content-Type": "application/json"})

    with ReplayServer(route) as server:
        for name, code, needs in (("sender", SENDER, "employer"),
                                  ("receiver", RECEIVER, "last_name")):  # fmt: skip
            source = PRELUDE + code.format(seconds=seconds, base=server.base_url)
            (tmp_path / f"{name}.py").write_text(source)
            manifest = MANIFEST.format(base=server.base_url, name=name, optional="[]")
            (tmp_path / f"{name}.toml").write_text(manifest.replace("last_name", needs))
        registry = discover([tmp_path], entry_points=False)
        connectors = [registry.connectors[name] for name in ("sender", "receiver")]
        limits = {"limits": {"source_seconds": seconds}}
        policy = server.allow(merge(fast_policy, limits, "a short deadline"))

        async def research() -> None:
            async with Run(policy, audit, connectors, purpose="a test") as run:
                first = asyncio.ensure_future(run.research(Query.of("A1", employer="Acme")))
                await asyncio.sleep(seconds - 0.5)  # its worker holds the first debtor by now
                await run.research(Query.of("A2", last_name="Boyd"))
                await first

        asyncio.run(asyncio.wait_for(research(), 60))
    if "on time" not in asked:  # set up too late (a loaded machine): nothing was tried
        pytest.skip("the sender's worker took its deadline to set itself up")
    assert [q for q in asked if q] == ["on time", "Boyd free"], asked


WAITS = """

class Waits:
    async def search(self, session: Session, query: Query) -> list[SourceRecord]:
        await ASYNCIO.sleep({seconds})
        said = {{"q": " ".join(query.values.values()), "at": str(TIME.monotonic())}}  # uncached
        await session.get("{base}/{name}", said)
        return []


CONNECTOR = Waits()
"""


def test_a_search_waiting_for_the_room_is_not_passed_by_later_ones_holding_the_same(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """Searches holding the values those in the room hold went in while another waited: two
    connectors handed only the employer, searching for rows of one employer in turn, kept the
    room from a search of a third for another row until no such row was left (or its deadline
    came)."""
    asked: list[str] = []

    def route(method: str, target: str) -> Reply | None:
        asked.append(unquote_plus(target.partition("q=")[2].partition("&")[0]))
        return Reply(200, b"{}", {"Content-Type": "application/json"})

    with ReplayServer(route) as server:
        for name, needs, seconds in (("first", "first_name", 0), ("one", "employer", 0.2),
                                     ("other", "employer", 0.3)):  # fmt: skip
            code = WAITS.format(seconds=seconds, base=server.base_url, name=name)
            (tmp_path / f"{name}.py").write_text(PRELUDE + code)
            manifest = MANIFEST.format(base=server.base_url, name=name, optional="[]")
            (tmp_path / f"{name}.toml").write_text(manifest.replace("last_name", needs))
        registry = discover([tmp_path], entry_points=False)
        connectors = [registry.connectors[name] for name in ("first", "one", "other")]
        policy = server.allow(fast_policy)

        async def research() -> None:
            async with Run(policy, audit, connectors, purpose="a test") as run:
                rows = [Query.of("W1", employer="Walmart") for _ in range(10)]  # one, as keyed
                many = asyncio.gather(*map(run.research, rows))
                await asyncio.sleep(0.1)  # both employer sources hold the room by now
                await run.research(Query.of("J1", first_name="Jo"))
                await many

        asyncio.run(asyncio.wait_for(research(), 60))
    asked = [q for q in asked if q]
    assert len(asked) == 21, asked
    assert asked.index("Jo") <= 2, asked  # once the searches in the room at its asking ended
