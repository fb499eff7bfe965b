"""The evidence file (``enrich --evidence FILE.jsonl``): for review and disputes, one JSON line
per row researched, with every candidate the sources returned, its per-field comparison with
the debtor and its provenance (which connector, which query, which page, when).

Lines are appended as rows finish (each names its row, as ``status_detail`` does: ``row`` is
the input's data row counted from 2, the header being 1), so a resumed run adds the rows it
researched and the latest line for a row is its evidence. The file holds what the sources said
of people: it is kept mode 0600, and whatever is planted at its name other than a regular
file of its own (a symbolic link, a FIFO, a device, a hard link to another name) is refused,
never written through, as is a name in SKIPTRACE_HOME. A failed write (a full disk) stops the
run with one line; the next run starts its lines on a line of their own.
"""

from __future__ import annotations

import contextlib
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
from skiptrace.safe_text import json_escaped
from skiptrace.state import in_home


class EvidenceFile:
    """Use as ``with EvidenceFile(path, others) as evidence``; ``others`` are the run's input
    and output, which the evidence must never overwrite."""

    def __init__(self, path: Path, others: Sequence[Path]) -> None:
        if path.is_dir():
            raise InputError(f"the evidence file {path} is a directory: name a file")
        if not path.parent.is_dir():
            raise InputError(f"the evidence file's folder {path.parent} does not exist")
        if any(_same_file(path, other) for other in others):
            raise InputError(f"the evidence file {path} is the run's input or output: name "
                             "another file")  # fmt: skip
        if in_home(path):
            raise InputError(f"the evidence file {path} is in SKIPTRACE_HOME, beside the audit "
                             "log and the checkpoints: name a file elsewhere")  # fmt: skip
        flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK
        try:
            fd = os.open(path, flags | os.O_CLOEXEC, 0o600)
        except OSError as exc:
            raise InputError(f"cannot write the evidence file {path}: {exc.strerror}") from None
        found = os.fstat(fd)
        if not stat.S_ISREG(found.st_mode) or found.st_nlink > 1:
            os.close(fd)
            raise InputError(f"the evidence file {path} is not a regular file of its own (a "
                             "device, a FIFO, or a hard link to another name)")  # fmt: skip
        os.fchmod(fd, 0o600)  # what sources said of people: the user's only
        os.set_blocking(fd, True)
        torn = found.st_size > 0 and os.pread(fd, 1, found.st_size - 1) != b"\n"
        self._path = path
        self._handle: IO[str] = os.fdopen(fd, "a", encoding="utf-8")
        if torn:  # a run stopped mid-line (a full disk): its fragment stays on a line of its own
            self._append("\n")

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
                    "partly": r.partly,
                    "unread": r.unread,
                }
                for r in results
            ],
            "candidates": [_candidate(c) for c in people],
        }
        self._append(json_escaped(json.dumps(line, ensure_ascii=False)) + "\n")

    def _append(self, text: str) -> None:
        """``text`` written and flushed; a failed write (a full disk) is one line, exit 2."""
        try:
            self._handle.write(text)
            self._handle.flush()
        except OSError as exc:
            raise InputError(f"cannot write the evidence file {self._path}: "
                             f"{exc.strerror}") from None  # fmt: skip

    def __enter__(self) -> EvidenceFile:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if error is None:
                self._handle.flush()
                os.fsync(self._handle.fileno())
        except OSError as exc:
            raise InputError(f"cannot write the evidence file {self._path}: "
                             f"{exc.strerror}") from None  # fmt: skip
        finally:
            with contextlib.suppress(OSError):  # what could not be written is said above
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
    """The same file, or the same name for one not made yet (the output before its rename)."""
    try:
        if os.path.samefile(one, other):
            return True
    except OSError:  # either does not exist (yet)
        pass
    return _resolved(one) == _resolved(other)


def _resolved(path: Path) -> Path:
    """``path`` with its folder's links resolved, its own name kept."""
    return path.parent.resolve() / path.name
