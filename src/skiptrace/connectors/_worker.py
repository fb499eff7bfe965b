"""The process a Python connector runs in: ``python -I -m skiptrace.connectors._worker FILE
OBJECT CONNECTOR_ID VERSION``, started by ``_sandbox`` with an empty environment and pipes for
its standard streams.

It confines itself (``_confine``) before it reads a line of the connector, then loads it and
serves searches: each search is a task, and each page the connector asks for is a request to
the parent, which alone holds an HTTP client. Messages are JSON, one per line (``_protocol``).
"""

from __future__ import annotations

import asyncio
import importlib.util
import sys
import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from skiptrace.connectors import _protocol as wire
from skiptrace.connectors._confine import confine, readable_paths
from skiptrace.errors import SourceError
from skiptrace.records import Fetched, Provenance, Query, path_segment


class _ParentSession:
    """The SDK's Session, answered by the parent over the pipe."""

    def __init__(self, worker: _Worker, search: int, connector: str, version: str) -> None:
        self._worker, self._search = worker, search
        self._connector, self._version = connector, version

    async def get(self, url: str, params: Mapping[str, str] | None = None) -> Fetched:
        if not isinstance(url, str):
            raise SourceError("a URL is text")
        wanted = {str(k): str(v) for k, v in (params or {}).items()}
        return await self._worker.fetch(self._search, url, wanted)

    @staticmethod
    def segment(value: str) -> str:
        return path_segment(value)

    def provenance(self, page: Fetched) -> Provenance:
        return Provenance(self._connector, self._version, page.url, page.fetched_at)


class _Worker:
    def __init__(self, implementation: Any, connector: str, version: str) -> None:
        self._implementation = implementation
        self._connector, self._version = connector, version
        self._pages: dict[int, asyncio.Future[Fetched]] = {}
        self._next = 0
        self._out = sys.stdout

    def send(self, message: Mapping[str, Any]) -> None:
        self._out.write(wire.dump(message))
        self._out.flush()

    async def fetch(self, search: int, url: str, params: dict[str, str]) -> Fetched:
        self._next += 1
        page: asyncio.Future[Fetched] = asyncio.get_running_loop().create_future()
        self._pages[self._next] = page
        self.send({"op": "get", "id": self._next, "search": search, "url": url, "params": params})
        return await page

    def answer(self, message: Mapping[str, Any]) -> None:
        page = self._pages.pop(int(message["id"]), None)
        if page is None or page.done():
            return
        if message["op"] == "page":
            page.set_result(wire.fetched_from(message["page"]))
        else:
            page.set_exception(wire.error_from(message["error"]))

    async def search(self, search: int, query: Query) -> None:
        session = _ParentSession(self, search, self._connector, self._version)
        try:
            records = await self._implementation.search(session, query)
            self.send({"op": "done", "id": search, "records": [wire.record_to(r) for r in records]})
        except Exception as exc:  # the connector's own failure, reported, never fatal here
            self.send({"op": "failed", "id": search, "error": wire.error_to(exc)})

    async def serve(self) -> None:
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader(limit=wire.MAX_LINE, loop=loop)
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        tasks: set[asyncio.Task[None]] = set()
        while line := await reader.readline():
            message = wire.load(line)
            if message["op"] == "search":
                task = asyncio.create_task(
                    self.search(int(message["id"]), wire.query_from(message))
                )
                tasks.add(task)
                task.add_done_callback(tasks.discard)
            else:
                self.answer(message)


def _load(path: Path, name: str) -> Any:
    spec = importlib.util.spec_from_file_location(f"skiptrace_connector_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses and postponed annotations look it up
    spec.loader.exec_module(module)
    implementation = getattr(module, name, None)
    if implementation is None or not callable(getattr(implementation, "search", None)):
        raise ImportError(f"{path} defines no {name} with a search method")
    return implementation


def main(argv: list[str]) -> int:
    path, name, connector, version = Path(argv[0]), argv[1], argv[2], argv[3]
    out = sys.stdout
    try:
        confine(readable_paths(path.parent))
    except Exception as exc:
        out.write(wire.dump({"op": "broken", "why": f"cannot confine the process: {exc}"}))
        return 1
    try:
        implementation = _load(path, name)
    except BaseException as exc:
        detail = "".join(traceback.format_exception_only(exc)).strip()
        out.write(wire.dump({"op": "broken", "why": f"failed to load: {detail}"}))
        return 1
    out.write(wire.dump({"op": "ready"}))
    out.flush()
    asyncio.run(_Worker(implementation, connector, version).serve())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
