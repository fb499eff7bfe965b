"""``skiptrace lookup``: research one debtor given on the command line."""

from __future__ import annotations

import asyncio
import json
from dataclasses import asdict
from typing import Annotated

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
from skiptrace.connectors._runner import ConnectorResult
from skiptrace.net import wall
from skiptrace.records import Query
from skiptrace.research.findings import Candidate
from skiptrace.research.lookup import lookup

Text = Annotated[str, typer.Option()]


def lookup_debtor(
    ctx: typer.Context,
    name: Annotated[str, typer.Option("--name", help="The debtor's full name.")],
    city: Text = "",
    state: Text = "",
    zip_code: Annotated[str, typer.Option("--zip")] = "",
    address: Text = "",
    phone: Text = "",
    email: Text = "",
    employer: Text = "",
    employer_website: Text = "",
    sources: SourceOption = None,
    purpose: PurposeOption = "",
    as_json: Annotated[bool, typer.Option("--json", help="JSON on stdout.")] = False,
) -> None:
    """Query every connector that can use the fields given, in parallel across hosts, and
    rank the candidate mailing addresses and employers. Exit 1 if nothing was found."""
    wall.install()
    policy = load(ctx)
    chosen = purpose_or_exit(policy, purpose)
    query = Query.of(
        "lookup", full_name=name, city=city, state=state, zip=zip_code, address=address,
        phone=phone, email=email, employer=employer, employer_website=employer_website,
    )  # fmt: skip
    connectors = connectors_for(ctx, sources)
    with open_audit(policy) as audit:
        found = asyncio.run(lookup(query, connectors, policy=policy, audit=audit, purpose=chosen))
    results, ranked = found.results, found.candidates
    if as_json:
        payload = {
            "sources": [{"connector": r.connector, "status": r.status, "detail": r.detail}
                        for r in results],
            "candidates": [{**c.link.__dict__, "record": asdict(c.record)} for c in ranked],
        }  # fmt: skip
        out.print(json.dumps(payload, indent=2, default=str))
    else:
        _table(ranked, results)
    if not ranked:
        raise typer.Exit(1)


def _table(ranked: list[Candidate], results: list[ConnectorResult]) -> None:
    table = Table(title="candidates, best first", title_justify="left")
    for column in ("score", "band", "name", "mailing address", "employer", "matched on",
                   "source"):  # fmt: skip
        table.add_column(column, overflow="fold")
    for candidate in ranked:
        record = candidate.record
        table.add_row(f"{candidate.link.score:.3f}", candidate.link.band, record.person_name,
                      record.mailing_address.one_line(), record.employer,
                      candidate.link.matched_on, candidate.source)  # fmt: skip
    out.print(table)
    for result in results:
        detail = f" ({result.detail})" if result.detail else ""
        err.print(f"{result.connector}: {result.status}{detail}")
