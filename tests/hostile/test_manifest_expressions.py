"""A manifest skiptrace does not ship is data, but its JMESPath expressions are a small language
run over its own server's answers: ``to_string([...])`` nested doubles its text at each level
(each quote and backslash escaped again), so forty levels over ``{}`` ask for a terabyte. Read
in this process (a thread off the event loop), a review's manifest held 4.8 GB of the run's
memory in 25 s before a MemoryError under a 6 GB limit, and with none the run was the kernel's
to kill. Such a manifest's answers are read in a confined worker, as a page-reading one's are:
killed with its search, its memory bounded (``_confine.MEMORY_BYTES``)."""

from __future__ import annotations

import asyncio
import resource
import time
from pathlib import Path

import pytest

from skiptrace.audit import AuditLog
from skiptrace.connectors._confine import unavailable
from skiptrace.connectors._manifest import ManifestConnector
from skiptrace.connectors._registry import PageManifest, load_manifest
from skiptrace.policy import Policy, merge
from skiptrace.records import Query
from skiptrace.research.run import Run
from skiptrace.state import builtin_dir
from skiptrace.testing.replay import ReplayServer, Reply

pytestmark = pytest.mark.skipif(
    bool(unavailable()), reason=f"no sandbox on this machine: {unavailable()}"
)


def _doubling(levels: int) -> str:
    expression = "@"
    for _ in range(levels):
        expression = f"to_string([{expression}])"
    return expression


def _manifest(folder: Path, employer: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "bomb.toml"
    path.write_text(
        'id = "bomb"\nname = "bomb"\nversion = "1"\ngives = ["employer"]\n'
        'needs = ["employer"]\nterms = "https://bomb.example/terms"\n'
        '[request]\nurl = "https://bomb.example/search"\nparams = { q = "{employer}" }\n'
        '[response]\nformat = "json"\nrecords = "items"\n'
        f'[fields]\nemployer = "{employer}"\n',
        encoding="utf-8",
    )
    return path


def test_a_json_manifest_skiptrace_does_not_ship_reads_its_answers_confined(
    tmp_path: Path,
) -> None:
    connector = load_manifest(_manifest(tmp_path / "c", "name"))
    assert isinstance(connector, PageManifest) and connector.confined
    # the shipped ones, whose expressions are skiptrace's own, read theirs in this process
    shipped = load_manifest(builtin_dir("connectors") / "nppes.toml")
    assert isinstance(shipped, ManifestConnector)


@pytest.mark.usefixtures("lent_starters")
def test_an_expression_that_doubles_its_text_is_its_sources_error_alone(
    tmp_path: Path, fast_policy: Policy, audit: AuditLog
) -> None:
    connector = load_manifest(_manifest(tmp_path / "c", _doubling(40)))
    answer = Reply(200, b'{"items": [{"name": "Acme"}]}', {"Content-Type": "application/json"})
    with ReplayServer({"/search": answer}) as server:

        async def research() -> tuple[str, str]:
            rewrite = {"https://bomb.example": server.base_url}
            policy = merge(server.allow(fast_policy), {"limits": {"source_seconds": 0.3}}, "t")
            async with Run(policy, audit, [connector], purpose="tests", rewrite=rewrite) as run:
                result = await run.search(connector, Query.of("A-1", employer="Acme"))
            return result.status, result.detail

        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        status, detail = asyncio.run(research())
        spent = time.process_time()
        time.sleep(0.3)  # nothing of this process goes on reading it
        spent = time.process_time() - spent
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert status in ("timeout", "error"), detail  # its deadline, or its worker's memory
    assert grown < 200_000, f"this process grew {grown} kB"
    assert spent < 0.15, spent
