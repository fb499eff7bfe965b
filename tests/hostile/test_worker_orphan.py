"""A worker outliving its starter: the run and its starter killed each on its own (the run by
the kernel, out of memory, the starter then by a user), and a worker mid-search, or a hostile
one that loops, ran on for good, a debtor's query in its memory and a core busy (a review). A
worker learnt of neither death: the starter's socket is not its own, and its pipes to the run
it reads only between a connector's steps."""

from __future__ import annotations

import asyncio
import base64
import marshal
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from skiptrace.connectors import _protocol as wire
from skiptrace.connectors._confine import unavailable
from skiptrace.connectors._zygote import Zygote
from tests.hostile.test_sandbox import _running

pytestmark = pytest.mark.skipif(
    bool(unavailable()), reason=f"no sandbox on this machine: {unavailable()}"
)

LOOPING = "import sys\nsys.stdout.write('looping\\n')\nsys.stdout.flush()\nwhile True:\n    pass\n"
"""A connector's code that says it runs (confined by then) and never returns to its loop."""


def _pid(pidfd: int) -> int:
    """The pid a pidfd names."""
    for line in Path(f"/proc/self/fdinfo/{pidfd}").read_text().splitlines():
        if line.startswith("Pid:"):
            return int(line.split()[1])
    raise AssertionError("no pid in the pidfd's fdinfo")


def test_a_looping_worker_dies_with_its_starter(tmp_path: Path) -> None:
    """The starter killed with SIGKILL: its worker, confined and looping, is gone within
    seconds though nobody signals it (the run here holds its pipes and its pidfd, as a run
    killed too would no longer)."""
    code = base64.b64encode(marshal.dumps(compile(LOOPING, "looping.py", "exec"))).decode()
    load = {"op": "load", "code": code, "object": "CONNECTOR"}

    async def main() -> bool:
        zygote = await Zygote.start()
        try:
            worker = await zygote.spawn([str(tmp_path / "looping.py"), "looping", "1"])
            worker.stdin.write(wire.dump(load).encode("ascii"))
            assert await asyncio.wait_for(worker.stdout.readline(), 10) == b"looping\n"
            pid = _pid(worker._pidfd)
            os.kill(zygote._process.pid, signal.SIGKILL)
            deadline = time.monotonic() + 3
            while _running(pid) and time.monotonic() < deadline:
                await asyncio.sleep(0.01)
            survived = _running(pid)
            await worker.end()  # a survivor is ended here, not left to loop
            return survived
        finally:
            await zygote.aclose()

    assert not asyncio.run(main()), "the worker outlived its starter"


def test_a_worker_whose_starter_died_before_it_asked_to_die_with_it_ends() -> None:
    """The starter may die between its fork and the worker's asking: the kernel then kills
    nobody, and the worker, its parent another, must end by itself."""
    orphan = textwrap.dedent("""
        import os, time
        from skiptrace.connectors._confine import die_with
        starter = os.getpid()
        if os.fork():
            os._exit(0)  # the starter, dead at once
        while os.getppid() == starter:
            time.sleep(0.001)
        die_with(starter)
        print("went on", flush=True)
        """)  # fmt: skip
    said = subprocess.run([sys.executable, "-c", orphan], capture_output=True, timeout=30)
    assert said.stdout == b"", said  # read to its end: the orphan's too
