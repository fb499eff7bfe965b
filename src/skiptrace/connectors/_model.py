"""What a connector is: its declaration (``ConnectorInfo``), its contract examples, and the
one method it implements.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

from skiptrace.connectors import Session
from skiptrace.records import Query, SourceRecord


@dataclass(frozen=True)
class ApiKeySpec:
    """How a connector's key is found and sent: read from ``env``, sent only to ``host``."""

    env: str
    host: str
    scheme: str = "basic"
    """basic: the key as username with an empty password; bearer; or raw (the value as is)."""
    header: str = "Authorization"
    granted: bool = True
    """Whether the key may be read: always for a connector skiptrace ships; for any other, only
    when the policy's ``connectors.keys`` names it (the operator pairs a secret with a host,
    never a manifest: else any manifest could send any variable, the audit key's included,
    to its own host)."""


@dataclass(frozen=True)
class ReplySpec:
    """One recorded response of a contract example, served on loopback."""

    path: str
    file: Path | None
    status: int = 200
    match: Mapping[str, str] = field(default_factory=dict)
    content_type: str = ""


@dataclass(frozen=True)
class Example:
    """A contract: this query, against these recorded replies, gives this."""

    name: str
    query: Mapping[str, str]
    replies: tuple[ReplySpec, ...]
    expect_status: str
    expect_count: int | None
    expect_first: Mapping[str, str]
    offered: tuple[str, ...] = ()
    """Websites the run offers a ``site = true`` connector, as other sources' records would."""


@dataclass(frozen=True)
class Grants:
    """What the policy grants connectors by id (``connectors.*``): ``trusted`` may run
    in-process where no sandbox can be had; of those skiptrace does not ship, ``keyed`` may
    read the API key they name and ``contacted`` may be handed the debtor's phone and e-mail."""

    trusted: frozenset[str] = frozenset()
    keyed: frozenset[str] = frozenset()
    contacted: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ConnectorInfo:
    """A connector's declaration, from its manifest."""

    id: str
    name: str
    version: str
    gives: tuple[str, ...]
    needs: tuple[str, ...]
    optional: tuple[str, ...]
    terms: str
    origins: tuple[str, ...]
    rate: str = ""
    api_key: ApiKeySpec | None = None
    examples: tuple[Example, ...] = ()
    source: Path | None = None
    """The manifest file it was read from."""
    loaded: str = ""
    """A digest of its manifest's and code's text as loaded, what its searches run (a file
    changed since is not read again): with its id and version, what a resumed run compares."""
    site: bool = False
    """It may adopt one business website per search (``Session.adopt_site``)."""
    search_api: str = ""
    """The search API it reaches ("searxng": the policy's ``search.searxng_url``), or ""."""
    withheld: tuple[str, ...] = ()
    """Fields it declares that it is not handed: the debtor's phone and e-mail, for a connector
    skiptrace does not ship that the policy's ``connectors.contact_details`` does not name."""

    @property
    def handed(self) -> tuple[str, ...]:
        """The debtor fields it is handed: what it declares, less what is withheld."""
        return tuple(n for n in (*self.needs, *self.optional) if n not in self.withheld)

    def missing(self, query: Query) -> tuple[str, ...]:
        """Needed fields the query lacks (the connector is skipped for it)."""
        return tuple(name for name in self.needs if not query.get(name))


@runtime_checkable
class Stateful(Protocol):
    """A connector whose answers depend on data it holds (the offline index's files)."""

    def state(self) -> str:
        """That data's state, as a string that changes whenever the data does."""
        ...


class Connector(Protocol):
    """The one thing a connector does. It gets a Session, never an HTTP library."""

    info: ConnectorInfo

    async def search(self, session: Session, query: Query) -> list[SourceRecord]:
        """Records for ``query`` (empty if none); raise SourceError if the source misbehaves."""
        ...

    async def aclose(self) -> None:
        """Let go of what the searches of a run held (a sandboxed connector's process)."""
        ...
