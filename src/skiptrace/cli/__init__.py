"""The command line. Thin: it parses, calls the library, prints, and picks the exit code.

Exit codes: 0 success, 1 refused, failed or verification failed, 2 usage or input error.
Tables and results go to stdout; messages to stderr.

Each command loads only its own code. typer reads every command's signature at start, so a
module here imports at its top only the standard library, typer, rich, and the skiptrace
modules that need nothing else (errors, safe_text, net.wall, tables.reader, tables.writer);
the rest of skiptrace (and numpy) is imported in the function that uses it, and a name needed
only in an annotation under ``TYPE_CHECKING``. ``--help`` and ``--version`` load none of it.
"""

from __future__ import annotations

import signal
from pathlib import Path
from types import FrameType
from typing import Annotated, NoReturn

import typer

from skiptrace._version import __version__
from skiptrace.cli.audit_cmd import audit_app
from skiptrace.cli.common import (
    PolicyOption,
    Settings,
    one_line_value_errors,
    out,
    readable_help,
)
from skiptrace.cli.connectors_cmd import connectors_app
from skiptrace.cli.demo_cmd import demo
from skiptrace.cli.enrich_cmd import enrich_file
from skiptrace.cli.index_cmd import index_app
from skiptrace.cli.link_cmd import link_files
from skiptrace.cli.lookup_cmd import lookup_debtor
from skiptrace.cli.policy_cmd import policy_app

readable_help()
one_line_value_errors()
app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="Find a debtor's mailing address and employer in public business records, "
    "without ever contacting anyone.",
)
app.add_typer(policy_app, name="policy")
app.add_typer(audit_app, name="audit")
app.add_typer(connectors_app, name="connectors")
app.add_typer(index_app, name="index")
app.command("demo")(demo)
app.command("link")(link_files)
app.command("enrich")(enrich_file)
app.command("lookup")(lookup_debtor)


def _version(value: bool) -> None:
    if value:
        out.print(f"skiptrace {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
    policy: PolicyOption = None,
    connectors_dir: Annotated[
        list[Path] | None,
        typer.Option("--connectors-dir", help="A folder of extra connector manifests. Repeatable."),
    ] = None,
) -> None:
    ctx.obj = Settings(policies=policy or [], connector_dirs=connectors_dir or [])


def main() -> None:
    """Console-script entry point. SIGTERM (a scheduler stopping the job, ``kill``) stops a
    command as Ctrl-C does: enrich and index import keep what they finished and say how to
    resume, link removes its partial file. By default it killed the process where it stood."""
    signal.signal(signal.SIGTERM, _stopped)
    app()


def _stopped(number: int, frame: FrameType | None) -> None:
    """SIGTERM as Ctrl-C: SIGINT raised, so asyncio's own handler cancels the run's main task
    and lets it close (a KeyboardInterrupt raised at whatever point the loop stood had been
    taken for a source's failure, or cut the run's closing short). Where SIGINT is ignored (a
    shell's background job), the interrupt is raised here."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        _interrupt()
    signal.raise_signal(signal.SIGINT)


def _interrupt() -> NoReturn:
    raise KeyboardInterrupt
