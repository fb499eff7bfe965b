"""The offline index of public bulk records: bulk files in (``manifest``, ``reading``,
``mapping``, ``importer``), one SQLite file (``store``), people and organisations out by their
blocking keys (``keys``). No network: what it knows is what was imported, with the file and
date each record came from."""

from skiptrace.index.importer import Summary, import_file
from skiptrace.index.manifest import BulkSource, read_bulk_manifest
from skiptrace.index.store import Hit, Store, index_path

__all__ = ["BulkSource", "Hit", "Store", "Summary", "import_file", "index_path",
           "read_bulk_manifest"]  # fmt: skip
