"""The evidence file (``enrich --evidence FILE.jsonl``): for review and disputes, one JSON line
per row researched, with every candidate the sources returned, its per-field comparison with
the debtor and its provenance (which connector, which query, which page, when).

Lines are appended as rows finish (each names its row, as ``status_detail`` does: ``row`` is
the input's data row counted from 2, the header being 1), so a resumed run adds the rows it
researched and the latest line for a row is its evidence. The file holds what the sources said
of people: it is created mode 0600, and whatever is planted at its name other than a regular
file (a symbolic link, a FIFO, a device) is refused, never written through.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from skiptrace.connectors._runner import ConnectorResult
from skiptrace.errors import InputError
from skiptrace.records import RECORD_FIELDS, SourceRecord
from skiptrace.research.findings import Candidate


class EvidenceFile:
    """Use as ``with EvidenceFile(path, others) as evidence``; ``others`` are the run's input
    and output, which the evidence must never overwrite."""

    def __init__(self, path: Path, others: Sequence[Path]) -> None:
        if path.is_dir():
            raise InputError(f"the evidence file {path} is a directory: name a file")
        if not path.parent.is_dir():
            raise InputError(f"the evidence file's folder {path.parent} does not exist")
        if any(_same_file(path, other) for other in others):
            raise InputError(
                f"the evidence file {path} is the run's input or output: name another file"
            )
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK
        try:
            fd = os.open(path, flags | os.O_CLOEXEC, 0o600)
        except OSError as exc:
            raise InputError(f"cannot write the evidence file {path}: {exc.strerror}") from None
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise InputError(f"the evidence file {path} is not a regular file")
        os.set_blocking(fd, True)
        self._handle: IO[str] = os.fdopen(fd, "a", encoding="utf-8")

    def write(
        self,
        row: int,
        reference: str,
        output: Mapping[str, str],
        results: Sequence[ConnectorResult],
        people: Sequence[Candidate],
    ) -> None:
        """One row's evidence, as one line, flushed (a stopped run keeps what it wrote)."""
        line = {
            "row": row,
            "ref": reference,
            "status": output["status"],
            "status_detail": output["status_detail"],
            "sources": [
                {
                    "connector": r.connector,
                    "status": str(r.status),
                    "reason": r.reason,
                    "detail": r.detail,
                }
                for r in results
            ],
            "candidates": [_candidate(c) for c in people],
        }
        self._handle.write(json.dumps(line, ensure_ascii=False) + "\n")
        self._handle.flush()

    def __enter__(self) -> EvidenceFile:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()


def _candidate(candidate: Candidate) -> dict[str, Any]:
    link, record = candidate.link, candidate.record
    provenance = record.provenance
    return {
        "score": link.score,
        "band": link.band,
        "matched_on": link.words,
        "compared": [
            {"field": f, "level": level, "weight": weight} for f, level, weight in link.fields
        ],
        "record": _record(record),
        "provenance": {
            "connector": provenance.connector,
            "connector_version": provenance.connector_version,
            "source_url": provenance.source_url,
            "fetched_at": provenance.fetched_at,
        },
    }


def _record(record: SourceRecord) -> dict[str, str]:
    """The record's canonical fields as the source gave them (addresses on one line)."""
    return {name: record.field_value(name) for name in RECORD_FIELDS}


def _same_file(one: Path, other: Path) -> bool:
    try:
        return os.path.samefile(one, other)
    except OSError:  # either does not exist (yet): not the same file
        return False
