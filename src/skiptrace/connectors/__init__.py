"""The connector SDK: what a Python connector may import (``from skiptrace.connectors import``).

A connector receives a ``Session`` and a ``Query`` and returns ``SourceRecord``s; it never
builds an HTTP client. Most connectors need no Python at all: see the manifest format in the
README.
"""

from skiptrace.connectors._model import Connector, ConnectorInfo
from skiptrace.errors import SourceError
from skiptrace.net.session import Fetched, Session
from skiptrace.records import Address, Provenance, Query, SourceRecord

__all__ = [
    "Address",
    "Connector",
    "ConnectorInfo",
    "Fetched",
    "Provenance",
    "Query",
    "Session",
    "SourceError",
    "SourceRecord",
]
