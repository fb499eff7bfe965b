"""``skiptrace demo``: the offline demonstration."""

from __future__ import annotations

import os
import shlex
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.table import Table

from skiptrace.cli.common import err, load, open_audit, out
from skiptrace.errors import SkiptraceError
from skiptrace.net import wall


def demo(ctx: typer.Context) -> None:
    """Offline demonstration: import made-up public bulk files (real formats) into an index,
    enrich a made-up debtor file against it and check the known answers; then try every kind
    of contact against a made-up business site. No network; everything is kept in the demo's
    own folder (printed), never in your SKIPTRACE_HOME."""
    from skiptrace.demo.guard_tour import run_demo
    from skiptrace.demo.offline import EXAMPLE, FILES, run_offline_demo

    wall.install()
    merged = load(ctx)
    folder = _demo_folder()
    demo_home = folder / "home"
    try:
        with _home(demo_home), open_audit(merged) as audit:
            offline = run_offline_demo(merged, audit, folder)
            attempts, verification = run_demo(merged, audit)
    except (SkiptraceError, sqlite3.Error, OSError) as exc:  # its folder's disk full, say
        err.print(f"skiptrace demo: {exc} (in its folder {folder})")
        raise typer.Exit(2) from None
    for summary in offline.imports:
        kind = "delta" if summary.delta else "full"
        out.print(f"imported {summary.source} {summary.file} ({summary.file_date}, {kind}): "
                  f"{summary.parties} records")  # fmt: skip
    table = Table(title="skiptrace demo: a made-up debtor file enriched from the offline index",
                  title_justify="left")  # fmt: skip
    for column in ("account", "status", "found mailing address", "found employer",
                   "known answer", "matched on, or why not"):  # fmt: skip
        table.add_column(column)
    right = 0
    for row in offline.rows:
        ok = offline.as_expected(row)
        right += ok
        verdict = "as expected" if ok else "DIFFERS"
        table.add_row(row["account"], row["status"], row["found_mailing_address"],
                      row["found_employer"], verdict, _why(row))  # fmt: skip
    out.print(table)
    out.print(f"known answers: {right} of {len(offline.rows)} rows as expected "
              f"(why each: {EXAMPLE / 'expected.csv'})")  # fmt: skip
    table = Table(title="skiptrace demo: what the guard lets through", title_justify="left")
    for column in ("attempt", "outcome", "rule"):
        table.add_column(column)
    for attempt in attempts:
        table.add_row(attempt.what, attempt.outcome, attempt.rule)
    out.print(table)
    state = (
        "intact"
        if verification.ok
        else f"FAILED at row {verification.bad_seq}: " + (verification.reason)
    )
    out.print(f"audit log: {verification.rows} rows, chain {state}")
    out.print(f"demo folder: {folder}")
    out.print(f"  {folder / 'debtors.csv'}: the made-up debtors")
    out.print(f"  {folder / 'debtors.enriched.csv'}: what enrich wrote (open it)")
    check = f"SKIPTRACE_HOME={shlex.quote(str(demo_home))} skiptrace audit verify"
    out.print(f"  {demo_home}: the demo's own SKIPTRACE_HOME, its index and audit log included "
              f"(yours is not touched); check it: {check}")  # fmt: skip
    files = " ".join(shlex.quote(str(EXAMPLE / name)) for _, name in FILES)
    debtors = shlex.quote(str(folder / "debtors.csv"))
    out.print(f"the same by hand: skiptrace index import nppes {files} && skiptrace enrich "
              f"{debtors} --source offline --purpose demo")  # fmt: skip
    if not verification.ok or right != len(offline.rows):
        raise typer.Exit(1)


def _why(row: dict[str, str]) -> str:
    """What matched for a found debtor; otherwise why nothing was (a namesake's differences
    are in the file, not on the screen)."""
    return row["matched_on"] if row["status"] in ("hit", "possible") else row["status_detail"]


def _demo_folder() -> Path:
    """A new folder for the demo's files and state, kept after it ends; or exit 2 saying why."""
    try:
        return Path(tempfile.mkdtemp(prefix="skiptrace-demo-"))
    except OSError as exc:
        err.print(f"skiptrace demo: cannot make its folder in {tempfile.gettempdir()}: "
                  f"{exc.strerror or exc}")  # fmt: skip
        raise typer.Exit(2) from None


@contextmanager
def _home(folder: Path) -> Iterator[None]:
    """SKIPTRACE_HOME set to ``folder`` while the demo runs, then as it was."""
    before = os.environ.get("SKIPTRACE_HOME")
    os.environ["SKIPTRACE_HOME"] = str(folder)
    try:
        yield
    finally:
        if before is None:
            del os.environ["SKIPTRACE_HOME"]
        else:
            os.environ["SKIPTRACE_HOME"] = before
