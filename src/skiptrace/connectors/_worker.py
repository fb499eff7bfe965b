"""The process a Python connector runs in: ``main([FILE, CONNECTOR_ID, VERSION])`` in a child
the starter (``_zygote``) forked for one search, with an empty environment and pipes for its
standard streams. A manifest that reads web pages runs here too (FILE its manifest), for its
pages' parsing.

It confines itself (``_confine``) before it reads a line of the connector, then loads what the
parent hands it (the code the fence passed, or the manifest's text: never the file) and
serves searches: each search is a task, and each page the connector asks for is a request to
the parent, which alone holds an HTTP client. Messages are JSON, one per line (``_protocol``).
"""

from __future__ import annotations

import asyncio
import base64
import marshal
import sys
import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from skiptrace.connectors import _protocol as wire
from skiptrace.connectors._confine import confine, readable_paths
from skiptrace.connectors._fence import connector_object
from skiptrace.errors import ConnectorError, SourceError
from skiptrace.records import Fetched, Provenance, Query, path_segment


class _ParentSession:
    """The SDK's Session, answered by the parent over the pipe."""

    def __init__(
        self,
        worker: _Worker,
        search: int,
        connector: str,
        version: str,
        search_api: str,
        offered_sites: tuple[str, ...],
    ) -> None:
        self._worker, self._search = worker, search
        self._connector, self._version = connector, version
        self._search_api, self._offered_sites = search_api, offered_sites

    @property
    def search_api(self) -> str:
        return self._search_api

    @property
    def offered_sites(self) -> tuple[str, ...]:
        return self._offered_sites

    async def get(self, url: str, params: Mapping[str, str] | None = None) -> Fetched:
        if not isinstance(url, str):
            raise SourceError("a URL is text")
        wanted = {str(k): str(v) for k, v in (params or {}).items()}
        page = await self._worker.ask({"op": "get", "search": self._search, "url": url,
                                       "params": wanted})  # fmt: skip
        return wire.fetched_from(page["page"])

    async def adopt_site(self, url: str, how: str) -> str:
        if not isinstance(url, str) or not isinstance(how, str):
            raise SourceError("a site and how it was found are text")
        answer = await self._worker.ask({"op": "site", "search": self._search, "url": url,
                                         "how": how})  # fmt: skip
        return str(answer["url"])

    async def decline(self, url: str, rule: str) -> None:
        if not isinstance(url, str) or not isinstance(rule, str):
            raise SourceError("a declined link and its rule are text")
        await self._worker.ask({"op": "decline", "search": self._search, "url": url,
                                "rule": rule})  # fmt: skip

    def fell_short(self, reason: str) -> None:
        if not isinstance(reason, str):
            raise ConnectorError("a reason for falling short is text")
        self._worker.send({"op": "short", "search": self._search,
                           "reason": reason[: wire.MAX_TEXT]})  # fmt: skip

    def left_unread(self, reason: str) -> None:
        if not isinstance(reason, str):
            raise ConnectorError("what a search left unread is said in text")
        self._worker.send({"op": "unread", "search": self._search,
                           "reason": reason[: wire.MAX_TEXT]})  # fmt: skip

    @staticmethod
    def segment(value: str) -> str:
        return path_segment(value)

    def provenance(self, page: Fetched) -> Provenance:
        return Provenance(self._connector, self._version, page.url, page.fetched_at)


class _Worker:
    def __init__(self, implementation: Any, connector: str, version: str) -> None:
        self._implementation = implementation
        self._connector, self._version = connector, version
        self._waiting: dict[int, asyncio.Future[Mapping[str, Any]]] = {}
        self._next = 0
        self._out = sys.stdout

    def send(self, message: Mapping[str, Any]) -> None:
        self._out.write(wire.dump(message))
        self._out.flush()

    async def ask(self, message: Mapping[str, Any]) -> Mapping[str, Any]:
        """Send ``message`` (a get, site or decline) and wait for the parent's answer."""
        self._next += 1
        answer: asyncio.Future[Mapping[str, Any]] = asyncio.get_running_loop().create_future()
        self._waiting[self._next] = answer
        self.send({**message, "id": self._next})
        return await answer

    def answer(self, message: Mapping[str, Any]) -> None:
        waiting = self._waiting.pop(int(message["id"]), None)
        if waiting is None or waiting.done():
            return
        if message["op"] == "error":
            waiting.set_exception(wire.error_from(message["error"]))
        else:
            waiting.set_result(message)

    async def search(
        self, search: int, query: Query, search_api: str, offered_sites: tuple[str, ...]
    ) -> None:
        session = _ParentSession(
            self, search, self._connector, self._version, search_api, offered_sites
        )
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
                    self.search(
                        int(message["id"]),
                        wire.query_from(message),
                        str(message.get("search_api", "")),
                        wire.texts_from(message.get("offered_sites")),
                    )
                )
                tasks.add(task)
                task.add_done_callback(tasks.discard)
            else:
                self.answer(message)


def _load(path: Path, connector_id: str, load: Mapping[str, Any]) -> Any:
    """The connector's object, from what the parent hands over (``load``), never its file: a
    Python connector's code as the fence passed it (``_fence.compiled``), or a manifest's text
    as the run read it, for a manifest that reads web pages (``_registry.PageManifest``),
    parsing them here, where its search's end kills it."""
    if "manifest" in load:
        from skiptrace.connectors._manifest import declarative, read_manifest

        info, document = read_manifest(path, str(load["manifest"]))
        connector = declarative(info, document)
        connector.in_worker = True
        return connector
    code = marshal.loads(base64.b64decode(str(load["code"])))
    name = str(load["object"])
    return connector_object(code, connector_id, str(path), name)


def main(argv: list[str]) -> int:
    """``argv``: the connector's file (for its name in messages), its id and version; the
    parent's first line is what to load (``_load``)."""
    path, connector, version = Path(argv[0]), argv[1], argv[2]
    out = sys.stdout
    try:
        confine(readable_paths())
    except Exception as exc:
        out.write(wire.dump({"op": "broken", "why": f"cannot confine the process: {exc}"}))
        return 1
    try:
        implementation = _load(path, connector, wire.load(sys.stdin.buffer.readline(wire.MAX_LINE)))
    except BaseException as exc:
        detail = "".join(traceback.format_exception_only(exc)).strip()
        out.write(wire.dump({"op": "broken", "why": f"failed to load: {detail}"}))
        return 1
    out.write(wire.dump({"op": "ready"}))
    out.flush()
    asyncio.run(_Worker(implementation, connector, version).serve())
    return 0
