"""What every command shares: the consoles, global options, the policy and the audit log."""

from __future__ import annotations

import importlib.abc
import inspect
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment
from rich.text import Text

from skiptrace.errors import AuditUnreadable, ConnectorError, PolicyError, SkiptraceError
from skiptrace.net import wall
from skiptrace.safe_text import message_line, terminal_text

if TYPE_CHECKING:
    from skiptrace.audit import AuditLog
    from skiptrace.connectors._model import Connector
    from skiptrace.connectors._registry import Registry
    from skiptrace.policy import Policy


class SafeConsole(Console):
    """A rich Console that never passes control characters (escape sequences, window titles,
    links, C1 controls) or bidi overrides to the terminal: every string it renders, table
    cells and titles included, goes through ``terminal_text`` before rich lays it out (so
    tables stay aligned), and any other renderable's text (a ``Text``, a progress bar) is
    filtered as it is rendered. rich's own styling and cursor control are left alone."""

    shown = staticmethod(terminal_text)
    """How each string is made safe before rich lays it out."""

    def render_str(self, text: str, **options: Any) -> Text:
        return super().render_str(self.shown(text), **options)

    def render(
        self, renderable: RenderableType, options: ConsoleOptions | None = None
    ) -> Iterable[Segment]:
        for segment in super().render(renderable, options):
            if segment.control:
                yield segment  # rich's own cursor movement, not text
                continue
            safe = terminal_text(segment.text)
            yield segment if safe == segment.text else Segment(safe, segment.style)


class MessageConsole(SafeConsole):
    """stderr's console, whose every string is a message of one line: a line feed in what it
    quotes (a file name, a value typed) is written ``\\n`` (``message_line``)."""

    shown = staticmethod(message_line)


# emoji off: ":cd:" in a record is a source's words, not a code for rich to turn into a disc
out = SafeConsole(soft_wrap=True, markup=False, highlight=False, emoji=False)
err = MessageConsole(stderr=True, soft_wrap=True, markup=False, highlight=False, emoji=False)

PolicyOption = Annotated[
    list[str] | None,
    typer.Option(
        "--policy",
        help="A policy file or preset name (e.g. strict), merged on top of the default. "
        "Repeatable.",
    ),
]


@dataclass
class Settings:
    """The global options, kept on the typer context."""

    policies: list[str] = field(default_factory=list)
    connector_dirs: list[Path] = field(default_factory=list)


def settings(ctx: typer.Context) -> Settings:
    found = ctx.find_object(Settings)
    return found if found is not None else Settings()


def load(ctx: typer.Context, extra: list[str] | None = None) -> Policy:
    """The policy in force: the default, the global --policy files, then the command's own."""
    from skiptrace.policy import load_policy

    try:
        return load_policy([*settings(ctx).policies, *(extra or [])])
    except PolicyError as exc:
        err.print(f"policy error: {exc}")
        raise typer.Exit(2) from None


def load_registry(ctx: typer.Context, policy: Policy | None = None) -> Registry:
    """Every connector found (built in, --connectors-dir, entry points); problems on stderr.
    The wall goes up first: nothing that loads connectors runs without it. ``policy``: the
    command's, read once, so that what it grants connectors is what its audit rows say (a
    second reading of --policy files could differ: a pipe is empty the second time)."""
    from skiptrace.connectors._registry import discover, grants_of

    wall.install()
    policy = policy or load(ctx)
    for folder in settings(ctx).connector_dirs:  # a usage error, as a --policy file missing
        if not folder.is_dir():
            err.print(f"{ctx.command_path}: --connectors-dir {folder}: not a folder")
            raise typer.Exit(2)
    registry = discover(settings(ctx).connector_dirs, grants=grants_of(policy))
    for problem in registry.problems:
        err.print(f"not loaded: {problem}")
    return registry


def pick_connectors(registry: Registry, ids: list[str]) -> list[Connector]:
    """The connectors named (all of them if none is), or exit 2 naming the unknown ones."""
    try:
        return registry.pick(ids)
    except ConnectorError as exc:
        err.print(str(exc))
        raise typer.Exit(2) from None


def require_home(*, writing: bool = True) -> Path:
    """SKIPTRACE_HOME (made if missing), or exit 2 in one line if it cannot be made or, unless
    only ``writing=False`` is asked (a command that reads the index there), written: checked
    before anything is researched, so a run never fails half-way on its state folder."""
    from skiptrace.state import home

    configured = os.environ.get("SKIPTRACE_HOME", "").strip() or "the user data folder"
    try:
        folder = home()
        if writing:
            _try_writing(folder)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        err.print(f"skiptrace: SKIPTRACE_HOME ({configured}) is not a folder skiptrace can "
                  f"{'write' if writing else 'use'}: {reason}")  # fmt: skip
        raise typer.Exit(2) from None
    return folder


def _try_writing(folder: Path) -> None:
    """Make and drop a file in ``folder``: OSError if it cannot be written. Tried, not guessed
    from the mode bits, which root ignores and a read-only mount does not show."""
    with tempfile.TemporaryFile(dir=folder):
        pass


def require_writable_folder(command: str, target: Path) -> None:
    """Exit 2 in one line unless a file can be created in ``target``'s folder (an existing
    folder: a missing one is the caller's own message). Tried, not guessed from the mode bits,
    which root ignores and a read-only mount does not show."""
    folder = target.parent
    if not folder.is_dir():
        return
    try:
        _try_writing(folder)
    except OSError as exc:
        err.print(f"skiptrace {command}: cannot write into the output's folder {folder}: "
                  f"{exc.strerror or exc}")  # fmt: skip
        raise typer.Exit(2) from None


def open_audit(policy: Policy | None = None, *, reading: bool = False) -> AuditLog:
    """The audit log in SKIPTRACE_HOME, or exit 2 saying why it cannot be opened, or (unless
    ``reading``) why it cannot take rows now (keyed another way, a disk without room): no
    rerun mends that, and each row researched would end ``incomplete`` (exit 3, "run again").
    ``reading`` (the audit commands): a home that cannot be written (a copy of a log on
    read-only media) is opened read-only, not refused."""
    from skiptrace.audit import AuditLog

    folder = require_home(writing=not reading)
    read_only = False
    if reading:
        try:
            _try_writing(folder)
        except OSError:
            read_only = True
    try:
        fields = policy["redaction.fields"] if policy else ()
        return AuditLog.open_default(fields, read_only=read_only, writing=not reading)
    except SkiptraceError as exc:
        if reading and isinstance(exc, AuditUnreadable):
            raise  # the audit commands report a damaged log as a failed verification (exit 1)
        err.print(f"audit log error: {exc}")
        raise typer.Exit(2) from None


SourceOption = Annotated[
    list[str] | None,
    typer.Option("--source", metavar="ID", help="Only this connector (repeatable)."),
]
PurposeOption = Annotated[
    str,
    typer.Option(
        "--purpose",
        metavar="TEXT",
        help="The permissible purpose, recorded with every request. Required (the default "
        "policy requires one) unless the policy sets purpose.default.",
    ),
]


def connectors_for(ctx: typer.Context, wanted: list[str] | None, policy: Policy) -> list[Connector]:
    """The connectors to use: those asked for, else every one whose key (if any) is set.
    An unknown name is said before anything is made; then SKIPTRACE_HOME is checked, before
    the offline index in it, which would otherwise be reported as empty where the folder
    cannot be read or written. A source named twice is asked once: it was asked twice, its
    answer counted twice in enrich's summary and ``sources_checked``."""
    registry = load_registry(ctx, policy)
    ids = list(dict.fromkeys(wanted or []))
    try:
        registry.pick(ids)
        require_home()
        return registry.usable(ids)
    except ConnectorError as exc:
        err.print(str(exc))
        raise typer.Exit(2) from None


def purpose_or_exit(policy: Policy, purpose: str) -> str:
    """The purpose the policy lets this run record, or exit 2 saying what is missing."""
    try:
        return policy.purpose(purpose)
    except PolicyError as exc:
        err.print(str(exc))
        raise typer.Exit(2) from None


_TYPE_LABELS = {"str": "TEXT", "int": "INTEGER", "float": "FLOAT", "Path": "PATH",
                "int range": "INTEGER", "float range": "FLOAT"}  # fmt: skip


def _type_label(param: Any, ctx: Any) -> str | None:
    """An option's value in ``--help`` as click writes it (TEXT, PATH, INTEGER, TEXT... for a
    repeatable one), not typer's Python annotation (``<list[str]>``); nothing for a flag."""
    if param.metavar is not None:
        return str(param.metavar)
    if getattr(param, "is_flag", False) or param.type_descriptor.annotation is bool:
        return None
    label = str(param.display_type(ctx)).removeprefix("<").removesuffix(">")
    many = label.startswith("list[") and label.endswith("]")
    label = label[5:-1] if many else label
    label = _TYPE_LABELS.get(label, label if "|" in label else label.upper())
    return f"{label}..." if many else label


def _argument_label(param: Any, ctx: Any) -> str | None:
    """An argument's value label; nothing when its metavar already names it."""
    return None if param.metavar is not None else _type_label(param, ctx)


def _prose(text: str) -> str:
    """A docstring's paragraphs each on one line (rich would keep its line ends); a paragraph
    marked ``\\b`` is left as it is."""
    paragraphs = inspect.cleandoc(text).split("\n\n")
    return "\n\n".join(p if p.startswith("\b") else " ".join(p.split()) for p in paragraphs)


def readable_help() -> None:
    """typer's help made to read as prose: value labels as click writes them, and a command's
    description in a group's list reflowed instead of broken where its docstring's lines end."""
    from typer import core  # typer's internals, patched once

    setattr(core.TyperOption, "display_type_rich", _type_label)  # noqa: B010
    setattr(core.TyperArgument, "display_type_rich", _argument_label)  # noqa: B010
    _once_loaded(_readable)


def _readable(rich_utils: Any) -> None:
    made, page = rich_utils._make_command_help, rich_utils._get_help_text

    def command_help(*, help_text: str, markup_mode: Any) -> Any:
        return made(help_text=_prose(help_text), markup_mode=markup_mode)

    def help_page(*, obj: Any, markup_mode: Any) -> Any:
        obj.help = _prose(obj.help or "")
        return page(obj=obj, markup_mode=markup_mode)

    rich_utils._make_command_help = command_help
    rich_utils._get_help_text = help_page


def one_line_value_errors() -> None:
    """A bad value for an option or argument (``--threshold abc``, ``--jobs 0``) said in one
    line, ``skiptrace COMMAND: ...`` as every other input error is, with exit 2 as before:
    typer printed the usage line, a hint and a framed box of several lines. A missing argument
    or an unknown option keeps typer's form, whose usage line is the help it needs."""
    _once_loaded(_one_line_errors)


def _one_line_errors(rich_utils: Any) -> None:
    framed = rich_utils.rich_format_error

    def format_error(error: Any) -> None:
        if type(error) is not typer.BadParameter:  # MissingParameter, a subclass, too
            framed(error)
        else:
            err.print(f"{_command_of(error.ctx)}: {error.format_message()}")

    rich_utils.rich_format_error = format_error


RICH_UTILS = "typer.rich_utils"
"""typer's help and error pages, which it imports as it shows one: with rich's Markdown,
syntax and traceback modules, some 90 ms of CPU each time skiptrace starts (a quarter of
``--help``'s), which a command that shows neither does not need."""


def _once_loaded(patch: Callable[[Any], None]) -> None:
    """``patch`` applied to ``RICH_UTILS`` once, as it is imported: now, if it has been."""
    import sys

    loaded = sys.modules.get(RICH_UTILS)
    patches: list[Callable[[Any], None]] = getattr(loaded, "_skiptrace_patched", [])
    if patch in patches:
        return
    if loaded is not None:
        patch(loaded)
        patches.append(patch)
        setattr(loaded, "_skiptrace_patched", patches)  # noqa: B010
        return
    finder = next((f for f in sys.meta_path if isinstance(f, _Patching)), None)
    if finder is None:
        finder = _Patching()
        sys.meta_path.insert(0, finder)
    if patch not in finder.patches:
        finder.patches.append(patch)


class _Patching(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Applies its ``patches`` to ``RICH_UTILS`` as it is first imported, then steps aside."""

    def __init__(self) -> None:
        self.patches: list[Callable[[Any], None]] = []
        self._loader: importlib.abc.Loader | None = None

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name != RICH_UTILS:
            return None
        import importlib.util
        import sys

        sys.meta_path.remove(self)  # the finders after it find the module as they would
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        self._loader, spec.loader = spec.loader, self
        return spec

    def create_module(self, spec: Any) -> Any:
        assert self._loader is not None
        return self._loader.create_module(spec)

    def exec_module(self, module: Any) -> None:
        assert self._loader is not None
        module.__loader__ = module.__spec__.loader = self._loader
        self._loader.exec_module(module)
        for patch in self.patches:
            patch(module)
        module._skiptrace_patched = list(self.patches)


def _command_of(ctx: Any) -> str:
    """``skiptrace`` and the command words of ``ctx`` (``skiptrace audit show``), whatever
    name the program was started by."""
    words = []
    while ctx is not None and ctx.parent is not None:
        words.append(ctx.info_name)
        ctx = ctx.parent
    return " ".join(["skiptrace", *reversed(words)])
