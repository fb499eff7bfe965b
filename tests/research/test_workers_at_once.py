"""A connector skiptrace ships searches for several debtors at once, each search in a worker
of its own; a connector skiptrace does not ship, for one at a time.

``enrich --jobs 4`` over four debtors whose employers' sites are four hosts read their sites
one after another: business_pages runs in a worker, and a connector's worker served one
search at a time (so that another's code, holding one debtor, cannot reach a worker holding
another). Its code is skiptrace's: its searches now overlap, up to ``WORKERS_AT_ONCE``.
"""

from __future__ import annotations

import csv
import threading
import time
from contextlib import ExitStack
from pathlib import Path

from typer.testing import CliRunner

from skiptrace.cli import app
from skiptrace.connectors._sandbox import WORKERS_AT_ONCE
from skiptrace.testing.outputs import rows
from skiptrace.testing.replay import ReplayServer, Reply, Router, loopback_policy_text
from tests.research.test_employer_website_hostile import COLUMNS, harbor_lane

PAGE_SECONDS = 0.15
"""How long each page of a site takes to answer."""
SITES = WORKERS_AT_ONCE + 2
"""Debtors, each with an employer's site of its own, all researched at once (``--jobs``)."""


def slow(spans: list[tuple[int, float, float]], site: int, lock: threading.Lock) -> Router:
    """The employer's site, each page ``PAGE_SECONDS`` in coming; when each was served."""

    def route(method: str, target: str) -> Reply | None:
        start = time.monotonic()
        time.sleep(PAGE_SECONDS)
        with lock:
            spans.append((site, start, time.monotonic()))
        return harbor_lane(method, target)

    return route


def _overlapping(spans: list[tuple[int, float, float]]) -> int:
    """The most sites being served at one moment."""
    most = 0
    for _, start, _ in spans:
        most = max(most, len({site for site, a, b in spans if a <= start < b}))
    return most


def test_a_shipped_connector_reads_several_debtors_employers_sites_at_once(
    tmp_path: Path,
) -> None:
    """Up to ``WORKERS_AT_ONCE``, not one a debtor in flight: with more debtors than that at
    once, no more sites are read at one moment (the test had had as many debtors as workers,
    so a bound gone went unseen)."""
    spans: list[tuple[int, float, float]] = []
    lock = threading.Lock()
    with ExitStack() as held:
        sites = [held.enter_context(ReplayServer(slow(spans, n, lock), f"127.0.0.{n + 2}"))
                 for n in range(SITES)]  # fmt: skip
        fast = "".join(f'"127.0.0.{n + 2}" = "2000/s"\n' for n in range(SITES))  # as loopback's
        policy = tmp_path / "policy.toml"
        text = loopback_policy_text(*sites).replace("[rate.hosts]\n", f"[rate.hosts]\n{fast}")
        policy.write_text(text, encoding="utf-8")
        source = tmp_path / "debtors.csv"
        with source.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(COLUMNS)
            for n, site in enumerate(sites, 1):
                writer.writerow([f"A{n}", "Dana Whitfield", "Harbor Lane Plumbing",
                                 site.url("/"), "Springfield", "IL"])  # fmt: skip
        said = CliRunner().invoke(app, [
            "--policy", str(policy), "enrich", str(source), "-o", str(tmp_path / "out.csv"),
            "--source", "business_pages", "--jobs", str(SITES), "--purpose", "a test",
            "--no-progress",
        ])  # fmt: skip
    assert said.exit_code == 0, said.output
    assert [row["status"] for row in rows(tmp_path / "out.csv")] == ["hit"] * SITES
    assert 2 <= _overlapping(spans) <= WORKERS_AT_ONCE, spans  # one site at a time before
