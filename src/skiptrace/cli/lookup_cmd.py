"""``skiptrace lookup``: research one debtor given on the command line."""

from __future__ import annotations

import asyncio
import json
from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from skiptrace.cli.common import (
    PurposeOption,
    SourceOption,
    connectors_for,
    err,
    load,
    open_audit,
    out,
    purpose_or_exit,
)
from skiptrace.errors import WriteError
from skiptrace.net import wall

if TYPE_CHECKING:
    from skiptrace.connectors._runner import ConnectorResult
    from skiptrace.records import Query
    from skiptrace.research.findings import Candidate


def _text(flag: str, help_text: str) -> Any:
    return typer.Option(flag, help=help_text, metavar="TEXT")


def lookup_debtor(
    ctx: typer.Context,
    name: Annotated[
        str, _text("--name", "The debtor's full name, e.g. 'Jane Q. Roe' or 'ROE, JANE Q'.")
    ],
    city: Annotated[str, _text("--city", "The debtor's city.")] = "",
    state: Annotated[str, _text("--state", "The debtor's state or region, e.g. IL.")] = "",
    zip_code: Annotated[str, _text("--zip", "The debtor's ZIP or postal code.")] = "",
    address: Annotated[str, _text("--address", "The debtor's street address.")] = "",
    phone: Annotated[str, _text("--phone", "The debtor's phone number.")] = "",
    email: Annotated[str, _text("--email", "The debtor's email address.")] = "",
    dob: Annotated[
        str,
        _text(
            "--dob",
            "The debtor's date of birth: compared with a candidate's where a source "
            "gives one (none of the built-in ones does), never sent to a source.",
        ),
    ] = "",
    employer: Annotated[str, _text("--employer", "The debtor's employer, if known.")] = "",
    employer_website: Annotated[
        str, _text("--employer-website", "The employer's website, if known.")
    ] = "",
    sources: SourceOption = None,
    purpose: PurposeOption = "",
    as_json: Annotated[bool, typer.Option("--json", help="JSON on stdout.")] = False,
) -> None:
    """Query every connector that can use the fields given, in parallel across hosts, and
    rank the candidate mailing addresses and employers. Each source's line is printed on
    stderr as soon as that source is done.

    Exit codes: 0 candidates found, every source asked; 1 nothing found, every source asked;
    2 no connector could search with the fields given (each one's missing fields are named);
    3 finished, but some source could not be asked (unreachable, timeout, rate_limited,
    blocked, robots_unavailable or error) or answered only in part (a search that fell short):
    its answer is still owed, so 3 wins over 0 and 1;
    run the same lookup again later; 3 too if no source searched because each that could
    waits on its key or its search API (needs_key, needs_config): set it, run again."""
    from skiptrace.records import Query, most_bytes
    from skiptrace.research.findings import awaits_setup
    from skiptrace.research.lookup import lookup

    wall.install()
    if not name.strip():
        err.print("skiptrace lookup: --name is empty: give the debtor's full name, e.g. "
                  "--name 'Jane Roe'")  # fmt: skip
        raise typer.Exit(2)
    _text_or_exit(ctx)
    policy = load(ctx)
    chosen = purpose_or_exit(policy, purpose)
    query = Query.of(
        "lookup", full_name=name, city=city, state=state, zip=zip_code, address=address,
        phone=phone, email=email, employer=employer, employer_website=employer_website,
        dob=dob,
    )  # fmt: skip
    if overlong := query.overlong():  # every source would fail on it, every run
        option = (
            "--name" if overlong.endswith(("name", "suffix")) else f"--{overlong.replace('_', '-')}"
        )
        err.print(f"skiptrace lookup: nothing searched: {option} is longer than "
                  f"{most_bytes(overlong):,} bytes of text")  # fmt: skip
        raise typer.Exit(2)
    connectors = connectors_for(ctx, sources, policy)
    needs = {c.info.id: list(c.info.missing(query)) for c in connectors if c.info.missing(query)}
    skipped = [f"{name} needs {', '.join(fields)}" for name, fields in needs.items()]
    if len(skipped) == len(connectors):
        err.print(f"skiptrace lookup: nothing searched: {_why(query, skipped)}")
        raise typer.Exit(2)
    try:
        with open_audit(policy) as audit:
            found = asyncio.run(lookup(query, connectors, policy=policy, audit=audit,
                                       purpose=chosen, on_result=_say))  # fmt: skip
    except WriteError as exc:  # the HTTP cache in SKIPTRACE_HOME is no SQLite database
        err.print(f"skiptrace lookup: {exc}")
        raise typer.Exit(2) from None
    results, ranked = found.results, found.candidates
    if as_json:
        payload = {
            "sources": [{"connector": r.connector, "status": r.status, "reason": r.reason,
                         "detail": r.detail, "partly": r.partly, "unread": r.unread}
                        for r in results],
            "candidates": [{**c.link.__dict__, "record": asdict(c.record)} for c in ranked],
            "not_searched": [{"connector": name, "needs": fields}
                             for name, fields in needs.items()],  # the fields it lacks
        }  # fmt: skip
        out.print(json.dumps(payload, indent=2, default=str))
    else:
        _table(ranked)
    if skipped:
        err.print(f"not searched: {_why(query, skipped)}")
    owed = [result.connector for result in results if not result.asked]
    if owed:
        err.print(f"not asked: {', '.join(owed)}: run the same lookup again later")
        raise typer.Exit(NOT_ASKED_EXIT)
    if awaits_setup(results):  # nothing searched: never "none found"
        why = "; ".join(r.explained for r in results)
        err.print(f"not researched: {why}; set what they need and run the same lookup again")
        raise typer.Exit(NOT_ASKED_EXIT)
    if not ranked:
        raise typer.Exit(1)


def _text_or_exit(ctx: typer.Context) -> None:
    """Exit 2 in one line if an option's value holds bytes that are not UTF-8 (``$'\\xff'`` in
    a shell, a value pasted from a file in another encoding): a source asked with it failed as
    an outage would, exit 3, "run the same lookup again later", which never succeeds."""
    for param in ctx.command.params:
        value = ctx.params.get(param.name or "")
        try:
            if isinstance(value, str):
                value.encode("utf-8")
        except UnicodeEncodeError:
            err.print(f"skiptrace lookup: {param.opts[0]} {value!r} holds bytes that are not "
                      "UTF-8 text: give it as text")  # fmt: skip
            raise typer.Exit(2) from None


NOT_ASKED_EXIT = 3
"""Finished, but some source could not be asked: the same meaning as ``enrich``'s exit 3."""


def _say(result: ConnectorResult) -> None:
    """One source's line on stderr, as soon as it is done."""
    if result.status.unavailable:  # why, in the words of enrich's status_detail
        err.print(result.explained)
        return
    detail = f" ({result.detail})" if result.detail else ""
    partly = f"; not wholly: {result.partly}" if result.partly else ""
    unread = f"; left unread: {result.unread}" if result.unread else ""
    err.print(f"{result.connector}: {result.status}{detail}{partly}{unread}")


def _why(query: Query, skipped: list[str]) -> str:
    """Which connector lacks which fields, and how ``--name`` was read when it was one word."""
    why = "; ".join(skipped) if skipped else "no connector"
    if not query.get("last_name") and query.get("first_name"):
        why += (f" (--name {query.get('full_name')!r} was read as a first name only: give "
                "first and last name)")  # fmt: skip
    return why


def _table(ranked: list[Candidate]) -> None:
    """The candidates, each employer with its address below it: where to write to reach the
    debtor at work is half of what a lookup is for."""
    from skiptrace.matching.model import score_text

    table = Table(title="candidates, best first", title_justify="left")
    for column in ("score", "band", "name", "mailing address", "employer", "matched on",
                   "source"):  # fmt: skip
        table.add_column(column, overflow="fold")
    for candidate in ranked:
        record = candidate.record
        employer = "\n".join(filter(None, (record.employer, record.employer_address.one_line())))
        table.add_row(score_text(candidate.link.score, 3), candidate.link.band, record.person_name,
                      record.mailing_address.one_line(), employer,
                      candidate.link.words, candidate.source)  # fmt: skip
    out.print(table)
