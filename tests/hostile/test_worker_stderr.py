"""A hostile connector's standard error, which skiptrace reads only to say why a worker ended:
a flood of it must neither hold the run's loop nor its memory, nor leave the worker stuck."""

from __future__ import annotations

import asyncio
import textwrap
import time
import tracemalloc
from collections import deque
from pathlib import Path

import pytest

from skiptrace.audit import AuditLog
from skiptrace.connectors._protocol import MAX_LINE
from skiptrace.connectors._zygote import STDERR_KEPT, drain
from skiptrace.policy import Policy, merge
from tests.hostile.test_sandbox import PRELUDE, _run, _written


def _drained(data: bytes, *, traced: bool = False) -> tuple[list[str], float, int]:
    """What ``drain`` keeps of ``data``, handed to it as a pipe's transport hands it over (in
    blocks of 256 KiB, to a reader as a worker's stderr has), the seconds of CPU that took
    and, ``traced``, the most memory held on the way."""

    async def feed(stream: asyncio.StreamReader) -> None:
        for start in range(0, len(data), 256 << 10):
            stream.feed_data(data[start : start + (256 << 10)])
            await asyncio.sleep(0)
        stream.feed_eof()

    async def read() -> tuple[list[str], float, int]:
        stream = asyncio.StreamReader(limit=MAX_LINE)
        kept: deque[str] = deque(maxlen=STDERR_KEPT)
        if traced:
            tracemalloc.start()
        try:
            began = time.process_time()
            await asyncio.gather(feed(stream), drain(stream, kept))
            took = time.process_time() - began
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        return list(kept), took, peak

    return asyncio.run(read())


def test_a_flood_of_short_lines_is_read_as_fast_as_a_pipe() -> None:
    """Read line by line, ten million lines a worker wrote in 8 s took the run 8 s of CPU, its
    loop held 80% of that time (every other search waiting)."""
    kept, took, _ = _drained(b"x\n" * 2_000_000 + b"why it ended\n")
    assert kept[-1] == "why it ended" and len(kept) == STDERR_KEPT
    assert took < 0.5, f"{took:.2f} s of CPU for 4 MB of standard error"


def test_a_flood_of_empty_lines_costs_the_run_its_bytes_not_its_lines() -> None:
    """A review: split into every line of each block it read, a worker's 2 GiB of line feeds
    (written in under a second a GiB, well within its deadline) took the run 25 s of CPU,
    its loop busy with them the whole time; only the last lines are kept, so only those are
    split off. The lines across blocks are still whole."""
    kept, took, _ = _drained(b"\n" * (48 << 20) + b"why\n" + b"it " * 100_000 + b"ended\n")
    assert kept[-2:] == ["why", ("it " * 100_000)[:500]] and len(kept) == STDERR_KEPT
    assert kept[:-2] == [""] * (STDERR_KEPT - 2)
    assert took < 0.3, f"{took:.2f} s of CPU for 48 MB of line feeds"


def test_a_giant_line_is_never_held_whole() -> None:
    """A line of 60 MB was held, copied and decoded whole (300 MB and a second of the run's
    loop each, one after another until its search's deadline); only its start is kept."""
    kept, _, peak = _drained(b"\xff" * (32 << 20) + b"\nTraceback: the end\n", traced=True)
    assert kept == ["\ufffd" * 500, "Traceback: the end"]
    assert peak < 4 << 20, f"{peak >> 20} MB held to read 32 MB of standard error"


def test_a_line_longer_than_the_reader_holds_does_not_end_the_reading() -> None:
    """Past the reader's limit a line made ``readline`` raise: the reading ended, and the
    worker, its pipe full, hung until its search's deadline."""
    kept, _, _ = _drained(b"x" * (MAX_LINE + 1) + b"\nstill read\n")
    assert kept == ["x" * 500, "still read"]


@pytest.mark.usefixtures("lent_starters")
def test_a_worker_writing_a_line_without_end_to_its_stderr_finishes_its_search(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    """200 MB with no line feed: past the 64 MiB a line may be the reading ended, the run held
    the next 128 MB unread, and the worker's search hung to its deadline (a timeout)."""
    source = PRELUDE + textwrap.dedent(
        """
        class Hostile:
            async def search(self, session: Session, query: Query) -> list[SourceRecord]:
                page = await session.get("https://hostile.example/start")
                LOAD("os").write(2, b"x" * (200 << 20))
                return [SourceRecord(session.provenance(page), employer="finished")]


        CONNECTOR = Hostile()
        """
    )
    policy = merge(fast_policy, {"limits": {"source_seconds": 15}}, "a quick deadline")
    status, detail, found = _run(_written(tmp_path / "c", source), policy, audit)
    assert (status, found) == ("hit", ["finished"]), detail
