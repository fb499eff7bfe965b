"""Finding connectors: the built-in folder, folders given with ``--connectors-dir``, and
installed packages through the ``skiptrace.connectors`` entry-point group (each entry point
names a package whose folder holds manifests; it is located, not imported).

Every ``*.toml`` file in a folder is a manifest. A manifest with ``python = "file.py"`` names
a Python connector in the same folder; its source passes the fence (``_fence``) before it is
imported. Also here: which connectors' API keys are set, and the keys as the guard sends them.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import importlib.metadata
import importlib.util
import marshal
import os
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from importlib.machinery import PathFinder
from pathlib import Path
from types import CodeType
from typing import Any, TypeVar

from skiptrace.connectors import Session, _sandbox
from skiptrace.connectors._confine import unavailable
from skiptrace.connectors._fence import check_source, compiled, connector_object
from skiptrace.connectors._manifest import (
    ManifestConnector,
    declarative,
    read_manifest,
    within,
)
from skiptrace.connectors._model import ApiKeySpec, Connector, ConnectorInfo, Grants
from skiptrace.connectors._offline import OfflineConnector
from skiptrace.connectors._sandbox import Mode, Sandbox, Workers, mode_for
from skiptrace.errors import ConnectorError, ManifestError
from skiptrace.net.guard import ApiKey
from skiptrace.policy import Policy
from skiptrace.records import CONTACT_DETAILS, Query, SourceRecord
from skiptrace.small_files import small_text
from skiptrace.state import builtin_dir, builtin_file

T = TypeVar("T")
ENTRY_POINT_GROUP = "skiptrace.connectors"


@dataclass
class Registry:
    """The connectors found, by id, and what could not be loaded (with why)."""

    connectors: dict[str, Connector] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def add(self, connector: Connector) -> None:
        existing = self.connectors.get(connector.info.id)
        if existing is not None:
            self.problems.append(
                f"{connector.info.source}: id '{connector.info.id}' is already taken by "
                f"{existing.info.source}; not loaded"
            )
            return
        self.connectors[connector.info.id] = connector

    def pick(self, ids: Sequence[str]) -> list[Connector]:
        """The connectors named (every one if none is); ConnectorError names unknown ids."""
        unknown = [i for i in ids if i not in self.connectors]
        if unknown:
            known = ", ".join(sorted(self.connectors))
            raise ConnectorError(f"no connector {', '.join(unknown)} (known: {known})")
        return [self.connectors[i] for i in ids] if ids else list(self.connectors.values())

    def usable(self, ids: Sequence[str]) -> list[Connector]:
        """The connectors to research with: those named, else every one that is set up (its
        key set; for the offline index, something imported). Naming the offline index before
        anything is imported is a ConnectorError, raised before any row is read: a run would
        otherwise call rows done that no source could research."""
        if ids:
            picked = self.pick(ids)
            empty = [c.info.id for c in picked if not getattr(c, "ready", True)]
            if empty:  # asked by name, it could only answer needs_config for every row
                named = ", ".join(empty)
                raise ConnectorError(f"{named}: the offline index holds no records yet; import "
                                     "bulk files first (skiptrace index import)")  # fmt: skip
            return picked
        return [c for c in self.connectors.values()
                if not key_missing(c.info) and getattr(c, "ready", True)]  # fmt: skip


def shipped(path: Path | None) -> bool:
    """True for a manifest skiptrace ships: one of its built-in folder's own."""
    return builtin_file(path, "connectors")


def ships(connector: Connector) -> bool:
    """True for a connector skiptrace ships: one of its built-in folder's manifests, or the
    offline index (no manifest). Any other answers for code or a template a third party wrote."""
    return isinstance(connector, OfflineConnector) or shipped(connector.info.source)


def workers_at_once(connector: Connector) -> int:
    """How many debtors' searches ``connector`` runs at once in workers of their own
    (``_sandbox``; 0: it searches in this process): a search may wait for the ones before it."""
    return connector.at_once() if isinstance(connector, _Sandboxed) else 0


class _Sandboxed:
    """A connector that may search in sandboxes (``_sandbox``): their processes end with the
    run."""

    info: ConnectorInfo
    _path: Path
    _workers: Workers | None = None
    in_worker = False

    def at_once(self) -> int:
        """``workers_at_once``: several for code skiptrace ships, else one (``Workers``)."""
        if not self.in_worker:
            return 0
        return _sandbox.WORKERS_AT_ONCE if shipped(self.info.source) else 1  # read each run

    def alone(self) -> bool:
        """Whether its workers may be alive only beside workers holding the same debtor's
        values (``_sandbox._Room``): code skiptrace does not ship. A manifest is no code."""
        return False

    async def _in_worker(
        self, session: Session, query: Query, load: Callable[[], dict[str, Any]]
    ) -> list[SourceRecord]:
        """``query`` searched in a worker, ``at_once`` of them (its first message to each,
        ``load()``, made once)."""
        if self._workers is None:
            alone = self.alone()
            make = functools.partial(Sandbox, self.info, self._path, load(), alone=alone)
            self._workers = Workers(make, self.at_once())
        return await self._workers.search(session, query)

    async def aclose(self) -> None:
        """End the sandboxes' processes (a run's end)."""
        workers, self._workers = self._workers, None
        if workers is not None:
            await workers.aclose()


class PythonConnector(_Sandboxed):
    """A connector whose search is Python code, declared by its manifest like any other. Its
    code is not run until it searches, and then in the sandbox where this machine has one
    (``_sandbox``); else in this process if trusted; else not at all. What runs is the source
    the fence passed when it was loaded, whatever its file has become since."""

    def __init__(
        self, info: ConnectorInfo, path: Path, name: str, source: str, *, trusted: bool
    ) -> None:
        self.info = info
        self._path, self._name, self._source = path, name, source
        self.mode, self.how = mode_for(shipped(info.source), trusted)  # its manifest says
        self.in_worker = self.mode == Mode.SANDBOXED
        self._in_process: Any = None

    async def search(self, session: Session, query: Query) -> list[SourceRecord]:
        if self.mode == Mode.REFUSED:
            raise ConnectorError(f"{self.info.id} is not run: {self.how}")
        if self.mode == Mode.SANDBOXED:
            return await self._in_worker(session, query, self._load)
        if self._in_process is None:
            self._in_process = _import(self._code(), self._path, self._name, self.info.id)
        records: list[SourceRecord] = await self._in_process.search(session, query)
        return records

    def alone(self) -> bool:
        return not shipped(self.info.source)

    def _load(self) -> dict[str, Any]:
        """A worker's first message: the checked code, compiled."""
        code_text = base64.b64encode(marshal.dumps(self._code())).decode("ascii")
        return {"op": "load", "code": code_text, "object": self._name}

    def _code(self) -> CodeType:
        """The checked source compiled (``_fence.compiled``). What only the compiler refuses
        (a ``return`` outside a function) is a failed load of this connector, said as its
        worker says one, not a bare SyntaxError naming neither."""
        try:
            return compiled(self._source, str(self._path))
        except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
            detail = "".join(traceback.format_exception_only(exc)).strip()
            raise ConnectorError(f"{self.info.id}: failed to load: {detail}") from None


class PageManifest(_Sandboxed):
    """A manifest whose answers are web pages, or that skiptrace does not ship. A hostile page
    can make the HTML parser take minutes (lexbor's time grows faster than the square of its
    nesting), a third party's JMESPath can ask for a terabyte (``to_string([...])`` nested
    doubles its text at each level: forty levels over ``{}`` held 4.8 GB of the run's memory
    in 25 s), and a thread reading either cannot be stopped: where this machine has a sandbox,
    each search runs in a worker process of its own (``_sandbox``, as a Python connector's
    does), its memory bounded, killed when the search ends, its deadline's included. Elsewhere
    the manifest searches in this process, parsing off the event loop (a manifest is data, no
    code, so it is never refused).

    The worker is handed the manifest's text as this run read it, never the file: a file
    changed since is searched with as loaded, as ``connectors show`` showed it."""

    def __init__(self, connector: ManifestConnector, path: Path, text: str) -> None:
        self.info = connector.info
        self.in_process = connector
        self.confined = self.in_worker = not unavailable()
        self._path, self._text = path, text

    async def search(self, session: Session, query: Query) -> list[SourceRecord]:
        if not self.confined:
            return await self.in_process.search(session, query)
        return await self._in_worker(session, query, lambda: {"op": "load", "manifest": self._text})


NO_GRANTS = Grants()
"""The default policy's: nothing granted."""


def grants_of(policy: Policy) -> Grants:
    """What ``policy`` grants connectors (``connectors.trusted``, ``.keys``,
    ``.contact_details``)."""
    return Grants(
        trusted=frozenset(policy["connectors.trusted"]),
        keyed=frozenset(policy["connectors.keys"]),
        contacted=frozenset(policy["connectors.contact_details"]),
    )


def discover(
    extra_dirs: Sequence[Path] = (), *, entry_points: bool = True, grants: Grants = NO_GRANTS
) -> Registry:
    """Built-in connectors, then ``extra_dirs``, then installed entry points, each as
    ``grants`` (the policy's, ``grants_of``) lets it run."""
    registry = Registry()
    registry.add(OfflineConnector())  # the local index: no manifest, no request
    for folder in (builtin_dir("connectors"), *extra_dirs):
        load_dir(registry, folder.absolute(), grants)  # a sandbox starts elsewhere
    if entry_points:
        for point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
            package = _package_folder(point.module)
            if package is None:
                registry.problems.append(f"entry point {point.name}: no package {point.module}")
            else:
                load_dir(registry, package, grants)
    return registry


def load_dir(registry: Registry, folder: Path, grants: Grants = NO_GRANTS) -> None:
    """Every manifest in ``folder``."""
    if not folder.is_dir():
        registry.problems.append(f"{folder}: not a folder")
        return
    for path in sorted(folder.glob("*.toml")):
        try:
            registry.add(load_manifest(path, grants))
        except ManifestError as exc:
            registry.problems.append(str(exc))


def load_manifest(path: Path, grants: Grants = NO_GRANTS) -> Connector:
    """The connector one manifest declares. A Python connector's source passes the fence here,
    for a clear message early; none of it runs. A connector skiptrace does not ship reads its
    API key only when ``grants.keyed`` names it (``ApiKeySpec.granted``), and is handed the
    debtor's phone and e-mail only when ``grants.contacted`` does (``ConnectorInfo.withheld``).
    A value of the wrong type anywhere in the file (a table given as text, text as a number) is
    a ManifestError too: a third party's file must never stop a command with a traceback."""
    text = small_text(path)
    info, document = _wrong_kinds(path, read_manifest, path, text)
    info = replace(info, loaded=_digest(text))
    if not shipped(path):
        if info.api_key is not None and info.id not in grants.keyed:
            info = replace(info, api_key=replace(info.api_key, granted=False))
        if info.id not in grants.contacted:
            declared = (*info.needs, *info.optional)
            info = replace(info, withheld=tuple(f for f in CONTACT_DETAILS if f in declared))
    if "python" not in document:
        connector = _wrong_kinds(path, declarative, info, document)
        confined = connector.reads_pages or not shipped(path)  # a third party's expressions
        return PageManifest(connector, path, text) if confined else connector
    module_path = _python_file(path, str(document["python"]))
    if shipped(path) and not shipped(module_path):  # a link to ours, beside a third party's code
        raise ManifestError(f"{path}: a manifest skiptrace ships, beside code skiptrace does not "
                            f"ship ({module_path}); not loaded")  # fmt: skip
    source = check_source(module_path)
    name = str(document.get("object", "CONNECTOR"))
    info = replace(info, loaded=_digest(text, source))
    return PythonConnector(info, module_path, name, source, trusted=info.id in grants.trusted)


def _digest(*texts: str) -> str:
    """``ConnectorInfo.loaded``: the texts in order, each ended by a NUL (none holds one)."""
    return hashlib.sha256("\0".join((*texts, "")).encode()).hexdigest()[:16]


def _python_file(manifest: Path, name: str) -> Path:
    """The Python file a manifest names: a ``.py`` file in the manifest's folder or below it,
    symlinks resolved. A connector is what its folder holds: ``../../x.py`` or an absolute
    path would run whatever file the user can read elsewhere as this connector. Its text is
    read once, bounded, by ``_fence.check_source`` (``small_files.small_text``)."""
    module = manifest.parent / name
    resolved = within(manifest.parent, name)
    if resolved is None or not resolved.is_file():
        raise ManifestError(f"{manifest}: python {name!r} is not a file in the connector's "
                            "folder")  # fmt: skip
    if module.suffix != ".py":
        raise ManifestError(f"{manifest}: python {name!r} is not a .py file")
    return module


def _wrong_kinds(path: Path, read: Callable[..., T], *args: Any) -> T:
    """``read(*args)``, a manifest's reading, with the errors a value of the wrong kind gives
    (text where a table belongs, a word where a number does) as one ManifestError."""
    try:
        return read(*args)
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        problem = f"{type(exc).__name__}: {exc}"
        raise ManifestError(f"{path}: a value of the wrong kind ({problem[:300]})") from None


def _import(code: CodeType, path: Path, name: str, connector: str) -> Any:
    """A trusted connector's object, its checked code (``_fence.compiled``) run in this
    process."""
    try:
        return connector_object(code, connector, str(path), name)
    except ConnectorError:
        raise
    except Exception as exc:
        raise ConnectorError(f"{path}: failed to load: {exc!r}") from None


def _package_folder(module: str) -> Path | None:
    """The folder of an installed package, found without importing (running) any of it: a
    dotted name is looked up a part at a time in its parent's folders, since
    ``importlib.util.find_spec`` imports the parents (a vendor's ``__init__`` had run here,
    outside the sandbox)."""
    parts = module.split(".")
    if not all(part.isidentifier() for part in parts):
        return None
    try:
        spec = importlib.util.find_spec(parts[0])  # a top-level name: nothing is imported
        for part in parts[1:]:
            if spec is None or not spec.submodule_search_locations:
                return None
            spec = PathFinder.find_spec(part, list(spec.submodule_search_locations))
    except (ImportError, ValueError):
        return None
    if spec is None:
        return None
    if spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return Path(spec.origin).parent if spec.origin else None


def key_missing(info: ConnectorInfo) -> bool:
    """The connector needs an API key that is not set: it is skipped, never failed."""
    spec = info.api_key
    return spec is not None and (not spec.granted or not os.environ.get(spec.env, "").strip())


def key_status(info: ConnectorInfo) -> str:
    """``not needed``, ``set`` or ``needs key``, as ``connectors list`` shows it."""
    if info.api_key is None:
        return "not needed"
    if not info.api_key.granted:
        return "not granted"  # connectors.keys
    return "needs key" if key_missing(info) else "set"


def api_key(spec: ApiKeySpec, value: str, connector: str) -> ApiKey:
    """``connector``'s key, its header value as its scheme says."""
    if spec.scheme == "basic":
        token = base64.b64encode(f"{value}:".encode()).decode("ascii")
        header_value = f"Basic {token}"
    elif spec.scheme == "bearer":
        header_value = f"Bearer {value}"
    else:
        header_value = value
    return ApiKey(host=spec.host, value=header_value, header=spec.header, connector=connector)


def api_keys(connectors: Sequence[Connector]) -> list[ApiKey]:
    """The keys of the given connectors that are set in the environment."""
    keys = []
    for connector in connectors:
        spec = connector.info.api_key
        if spec is not None and not key_missing(connector.info):
            keys.append(api_key(spec, os.environ[spec.env].strip(), connector.info.id))
    return keys
