"""``skiptrace audit``: read, verify, anchor and export the audit log."""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from skiptrace.cli.common import err, open_audit, out, require_home
from skiptrace.errors import AuditUnreadable
from skiptrace.safe_text import message_line, spreadsheet_cell
from skiptrace.tables.writer import Writer

if TYPE_CHECKING:
    from skiptrace.audit import AuditLog, Verification

audit_app = typer.Typer(no_args_is_help=True, help="Read, verify and export the audit log.")

MOST_ROWS = 2**63 - 1
"""The most ``--last`` may ask for: SQLite's largest integer (a larger one was a traceback)."""


@audit_app.command("show")
def audit_show(
    last: Annotated[
        int, typer.Option("--last", "-n", min=1, max=MOST_ROWS, help="Rows to show.")
    ] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """Print the last rows of the audit log. A row for a request that got no usable answer has
    a reason, in the words lookup and enrich use (timeout, rate_limited, blocked, ...)."""
    with _existing_audit() as audit:
        rows = audit.rows(last=last)
        pending = audit.pending_elsewhere()
    if pending:
        err.print(
            f"{pending} rows of running processes are still in their journals: they are "
            "stored within a second, or when those processes end"
        )
    if as_json:
        for row in rows:
            out.print(json.dumps(asdict(row)))
        return
    table = Table(title=f"audit log: last {len(rows)} rows", title_justify="left")
    for column in ("seq", "time", "event", "method", "url", "status/rule", "reason", "connector",
                   "purpose"):  # fmt: skip
        table.add_column(column, overflow="fold")
    for row in rows:
        outcome = str(row.status) if row.status is not None else row.rule
        table.add_row(
            str(row.seq),
            row.ts[:19],
            row.event,
            row.method,
            row.url,
            outcome,
            row.reason,
            row.connector,
            row.purpose,
        )
    out.print(table)


_KEYS = (  # the names of skiptrace.audit.log's KEY_FILE_ENV and KEY_ENV
    "A keyed log (row hashes HMAC-SHA256) needs its key: SKIPTRACE_AUDIT_KEY_FILE naming a file "
    "outside SKIPTRACE_HOME that holds it, or SKIPTRACE_AUDIT_KEY holding it."
)
_VERIFY = (
    "Check the hash chain from the first row to the head.\n\n"
    "Exit 0 if it holds, extends the anchor if one is given, and no row records a damaged "
    "journal (rule journal); 1 naming the first bad row, the missing anchor or the damage rows; "
    "2 if the log cannot be verified: it is keyed and no key is set, or the anchor is not one. "
    + _KEYS
)
_ANCHOR = (
    "Print the head of the verified chain as 'row N HASH'.\n\n"
    "Keep it where whoever can edit SKIPTRACE_HOME cannot (another machine, a ticket, a signed "
    "e-mail); later, audit verify --expect-head 'row N HASH' fails unless the log still extends "
    "it. Without an anchor, rows cut from the end of the log, or a log deleted and begun again, "
    "cannot be seen from the file. Exit 1 if the chain is broken or the log is empty (nothing "
    "to anchor), 2 if it is keyed and no key is set. " + _KEYS
)


@audit_app.command("verify", help=_VERIFY)
def audit_verify(
    expect_head: Annotated[
        str | None,
        typer.Option(
            "--expect-head",
            metavar="ANCHOR",
            help="An anchor kept earlier, as `audit anchor` printed it ('row N HASH', quoted), "
            "or N:HASH, or the bare HASH. Passes only if the log still extends it: that row "
            "is there with that hash and the chain is intact through it to the head, however "
            "many rows were added since. Fails if that row is gone or rewritten, or the log was "
            "deleted or rebuilt before it; rows after it can still be cut unseen, so keep the "
            "newest anchor.",
        ),
    ] = None,
) -> None:
    from skiptrace.audit.chain import parse_anchor

    if expect_head is not None:
        try:
            parse_anchor(expect_head)
        except ValueError as exc:
            err.print(str(exc))
            raise typer.Exit(2) from None
    with _existing_audit() as audit:
        result = audit.verify(expect_head)
    if result.needs_key:
        err.print(f"NOT VERIFIED: {result.reason}")
        raise typer.Exit(2)
    if result.ok:
        if result.rows == 0:  # GENESIS: no row's hash, so never an anchor
            out.print(f"ok: 0 rows, chain intact, head {result.head}")
            if not result.keyed:
                err.print(UNKEYED_NOTE)  # a log deleted and begun again looks just so
            return
        keyed = ", keyed (HMAC-SHA256)" if result.keyed else ""
        extends = f", extends the anchor at row {result.anchored_at}" if expect_head else ""
        out.print(f"ok: {result.rows} rows, chain intact{keyed}{extends}, head {_anchor(result)}")
        if not result.keyed and not expect_head:
            err.print(UNKEYED_NOTE)
        return
    out.print(_failure(result))
    raise typer.Exit(1)


@audit_app.command("anchor", help=_ANCHOR)
def audit_anchor() -> None:
    with _existing_audit() as audit:
        result = audit.verify()
    if result.needs_key:
        err.print(f"NOT VERIFIED: {result.reason}")
        raise typer.Exit(2)
    if not result.intact:
        out.print(_failure(result))
        raise typer.Exit(1)
    if result.rows == 0:
        err.print("nothing to anchor: the audit log has 0 rows")
        raise typer.Exit(1)
    if result.damage:
        err.print(f"note: {result.reason}")
    out.print(_anchor(result))


@contextmanager
def _existing_audit() -> Iterator[AuditLog]:
    """The audit log, opened only if it is there (read-only if its folder cannot be written):
    one made here would be empty, and verify would call it "ok, 0 rows" where the deleted one
    should fail. Exit 1 if it is not (a file
    of no bytes, or another database, at its name is none either), or if what is read of it,
    opening it or while it is open, is damaged (pages overwritten, its header too): that was a
    traceback, or exit 2 where opening read the damage."""
    from skiptrace.audit.copies import holds_no_log
    from skiptrace.audit.log import AUDIT_FILE

    where = require_home(writing=False) / AUDIT_FILE
    if holds_no_log(where):
        err.print(f"FAILED: no audit log at {where} (nothing recorded yet, deleted, emptied or "
                  "replaced by another file, or another SKIPTRACE_HOME?)")  # fmt: skip
        raise typer.Exit(1)
    try:
        with open_audit(reading=True) as audit:
            yield audit
    except (sqlite3.DatabaseError, AuditUnreadable) as exc:
        reason = exc.reason if isinstance(exc, AuditUnreadable) else exc
        err.print(f"FAILED: cannot read the audit log at {where}: {reason}")
        raise typer.Exit(1) from None


def _anchor(result: Verification) -> str:
    return f"row {result.rows} {result.head}"


UNKEYED_NOTE = (
    "note: an unkeyed log is checked against itself only: whoever can write SKIPTRACE_HOME can "
    "rebuild it, or put it in place of a keyed one; keep 'skiptrace audit anchor' elsewhere and "
    "verify with --expect-head"
)


def _failure(result: Verification) -> str:
    """What failed, on one line: a damaged journal's name, quoted in it, may hold a line feed
    (and the line after it read ``ok: ...``)."""
    if not result.intact and result.bad_seq is not None:
        said = (
            f"FAILED at row {result.bad_seq}: {result.reason} "
            f"({result.rows} rows verified before it)"
        )
    elif not result.intact:
        said = f"FAILED: {result.reason}"
    elif result.rows == 0:
        said = f"FAILED: {result.reason} (0 rows)"
    else:
        said = f"FAILED: {result.reason} ({result.rows} rows, chain intact, head {_anchor(result)})"
    return message_line(said)


@audit_app.command("export")
def audit_export() -> None:
    """Write the whole audit log to stdout as CSV, hashes included, for archiving."""
    from skiptrace.audit import COLUMNS

    with _existing_audit() as audit:
        rows = audit.rows()
    writer = Writer(sys.stdout)
    writer.writerow(COLUMNS)
    for row in rows:
        # formula-safe cells for spreadsheets; the hashes still verify against the DB, unchanged
        values = asdict(row)
        writer.writerow(spreadsheet_cell(v) if isinstance(v, str) else v
                        for v in (values[k] for k in COLUMNS))  # fmt: skip
