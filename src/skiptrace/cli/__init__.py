"""The command line. Thin: it parses, calls the library, prints, and picks the exit code.

Exit codes: 0 success, 1 refused, failed or verification failed, 2 usage or input error, 3 an
answer still owed (a row incomplete, a source not asked), 130 stopped (the README's table).
Tables and results go to stdout; messages to stderr.

Each command loads only its own code. typer reads every command's signature at start, so a
module here imports at its top only the standard library, typer, rich, and the skiptrace
modules that need nothing else (errors, safe_text, net.wall, tables.reader, tables.writer);
the rest of skiptrace (and numpy) is imported in the function that uses it, and a name needed
only in an annotation under ``TYPE_CHECKING``. ``--help`` and ``--version`` load none of it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import Annotated, Any, NoReturn, TextIO

import typer

from skiptrace._version import __version__
from skiptrace.cli.audit_cmd import audit_app
from skiptrace.cli.common import (
    PolicyOption,
    Settings,
    err,
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
from skiptrace.errors import WriteError

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
    """Console-script entry point. SIGTERM (a scheduler stopping the job, ``kill``) and SIGHUP
    stop a command as Ctrl-C does (``_stop_on_signals``): enrich and index import keep what
    they finished and say how to resume, link removes its partial file. By default it killed
    the process where it stood.

    Results that cannot be written to stdout (a full disk, a reader gone, stdout closed) are
    one line and exit 2: they were a traceback and exit 1, which ``lookup`` documents as
    "nothing found" and ``policy check`` as "refused", or were dropped with exit 0. A message
    stderr cannot take is dropped: the results and the exit code still say the outcome. A stop
    that comes before a command handles stops (a run stopped as it starts: a scheduler's
    ``kill`` then the same command again), or in one that does not, is one line and exit 130,
    not a traceback or a silent exit."""
    try:
        _stop_on_signals()
        sys.stdout = _Stream(sys.stdout, "stdout", results=True)
        sys.stderr = _Stream(sys.stderr, "stderr", results=False)
        app()
    except WriteError as exc:  # stdout's, or a store's no command caught
        err.print(f"skiptrace: {exc}")
        raise SystemExit(2) from None
    except KeyboardInterrupt:  # a stop no command caught: as it started, before any work
        err.print("skiptrace: stopped")
        raise SystemExit(130) from None
    except SystemExit as exc:
        if _silent_stop(exc):
            err.print("skiptrace: stopped")
        raise


def _silent_stop(exc: SystemExit) -> bool:
    """Whether ``exc`` is typer's exit 130 for a stop inside a command that does not handle
    stops (``lookup``, ``policy``, a command's first steps before its own handler): typer
    says nothing, and such a stop was an exit 130 without a word (15 of 50 stops of enrich in
    its first 2.5 s). A command's own ``typer.Exit(130)`` has no cause and its line is said."""
    made = exc.__context__
    return isinstance(made, typer.Exit) and isinstance(made.__cause__, KeyboardInterrupt)


class _Stream:
    """A standard stream as the commands write it. A failed write of ``results`` raises
    ``WriteError`` (every later one too), and stdout's descriptor is pointed at /dev/null so
    what its buffer still holds cannot fail again as the process ends; a message that cannot be
    written is dropped. Anything else is the stream's own."""

    def __init__(self, stream: TextIO | None, name: str, *, results: bool) -> None:
        self._stream, self._name, self._results = stream, name, results
        self._lost = ""
        self.unopened = stream is None
        """Closed before the process began (``>&-``): a command whose results go nowhere
        else says so before its work (``link``)."""

    def write(self, text: str) -> int:
        if self._lost:
            raise WriteError(self._lost)
        try:
            if self._stream is None:  # its descriptor was closed before the process began
                raise OSError(errno.EBADF, os.strerror(errno.EBADF))
            return self._stream.write(text)
        except OSError as exc:
            self._failed(exc)
            return len(text)

    def flush(self) -> None:
        if self._stream is None or self._lost:
            return
        try:
            self._stream.flush()
        except OSError as exc:
            self._failed(exc)

    def _failed(self, exc: OSError) -> None:
        if not self._results:
            return
        self._lost = f"cannot write {self._name}: {exc.strerror or exc}"
        if self._stream is not None:
            with contextlib.suppress(OSError, ValueError):
                nothing = os.open(os.devnull, os.O_WRONLY)
                os.dup2(nothing, self._stream.fileno())
                os.close(nothing)
        raise WriteError(self._lost)

    def isatty(self) -> bool:
        return self._stream is not None and self._stream.isatty()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _stop_on_signals() -> None:
    """SIGTERM, and SIGHUP (the terminal closed, an SSH session dropped), stop a command as
    Ctrl-C does (``_stopped``); a hang-up killed it where it stood, a read-only log's private
    copy left in the temporary folder. A SIGHUP ignored when skiptrace started (``nohup``)
    stays ignored: that run was asked to outlive its terminal (one not ignored is the
    system's default or, as the command starts, ``skiptrace._start``'s). Ctrl-C, unless
    ignored (a shell's background job), is Python's KeyboardInterrupt again, which ``main``
    takes as a stop."""
    signal.signal(signal.SIGTERM, _stopped)
    for number, handler in ((signal.SIGHUP, _stopped), (signal.SIGINT, signal.default_int_handler)):
        if signal.getsignal(number) is not signal.SIG_IGN:
            signal.signal(number, handler)


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
