"""A request is recorded exactly once, wherever a SIGKILL lands between its begin line and the
close of its answer: answered (with its status) if its row reached the journal whole,
interrupted otherwise, never both, in a chain that verifies. Each kill is a real one, of a
process of its own (a fork, ``run_forked``), at a point chosen in advance: the answer's write
cut after each of its bytes that ends or starts a line (as a kill ends a ``write()`` at a page
boundary), and before each line of ``append`` run in the audit package. Before, a kill that
left the row whole and its end line (written after it, in the same ``write()``) cut short or
missing recorded the request twice: answered, and interrupted."""

from __future__ import annotations

import signal
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from skiptrace.audit import AuditLog
from skiptrace.audit.chain import GENESIS, _now, _payload, hasher
from skiptrace.audit.journal import _SLOT, Journal, begin_payload, new_stem, seal_of

Forked = Callable[..., tuple[int, str]]
"""``run_forked`` (tests/audit/conftest.py): a script's exit code and output, run in a fork."""

ANSWERING = """
import os, signal, sys
from pathlib import Path
from skiptrace.audit import AuditEvent, AuditLog
from skiptrace.audit import journal as journal_module, log as log_module

path, how, at = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
log = AuditLog(path, flush_seconds=3600)

def event(name, status=None):
    return AuditEvent(event="request", method="GET", url=f"https://x.example/{name}",
                      status=status, connector="demo", debtor_ref="ACCT-1")

def die():
    os.kill(os.getpid(), signal.SIGKILL)

log.append(AuditEvent(event="refused", method="GET", url="https://x.example/refused",
                      rule="robots"))
done = log.begin(event("done"))
log.append(event("done", 200), ends=done)
answered = log.begin(event("answered"))
slow = log.begin(event("slow"))  # under way at the kill, whatever happens to the other
if how == "cut":  # the answer's write reaches the journal up to byte ``at``; then the kill
    real = os.write
    def cut(fd, data):
        real(fd, data[:at])
        die()
    os.write = cut
elif how == "line":  # the kill before the ``at``-th line of the audit package that runs
    watched = {journal_module.__file__, log_module.__file__}
    count = 0
    def tracer(frame, kind, arg):
        global count
        if kind == "call":
            return tracer if frame.f_code.co_filename in watched else None
        if kind == "line":
            count += 1
            if count == at:
                die()
        return tracer
    sys.settrace(tracer)
log.append(event("answered", 200), ends=answered)
sys.settrace(None)
if how == "line":
    os.write(1, b"%d" % count)
die()
"""

URL = "https://x.example/"


def _killed(forked: Forked, path: Path, how: str, at: int) -> str:
    """Run ``ANSWERING`` on the log at ``path``, killed as ``how`` and ``at`` say; what it
    printed."""
    code, said = forked(ANSWERING, str(path), how, str(at))
    assert code == -signal.SIGKILL, said
    return said


def _journal(path: Path) -> bytes:
    [journal] = path.with_name(path.name + ".journal").glob("*.jsonl")
    return journal.read_bytes()


def _answer_written(journal: bytes) -> bool:
    """Whether the answer's row is a whole line of the journal (its URL, then its status)."""
    whole = journal[: journal.rfind(b"\n") + 1]
    return f'"{URL}answered", 200'.encode() in whole


def _problem(path: Path) -> str:
    """What is wrong with the log at ``path`` once recovered; empty if nothing."""
    written = _answer_written(_journal(path))
    with AuditLog(path) as log:
        rows, verified = log.rows(), log.verify()
    if not verified.ok:
        return f"does not verify: {verified.reason}"
    count = Counter(row.url.removeprefix(URL) for row in rows)
    if count != Counter(["refused", "done", "answered", "slow"]):
        return f"rows per request: {dict(count)}"
    outcome = {row.url.removeprefix(URL): (row.event, row.status) for row in rows}
    answered = ("request", 200) if written else ("error", None)
    if outcome["answered"] != answered or outcome["slow"] != ("error", None):
        return f"outcomes: {outcome} (its row {'' if written else 'not '}written)"
    return ""


def _cuts(write: bytes) -> list[int]:
    """Where a kill may cut ``write`` that matters: before it, after its first byte, in the
    middle of each line, and on each side of each line's newline."""
    ends = [n for n, byte in enumerate(write) if byte == ord("\n")]
    starts = [0, *(end + 1 for end in ends[:-1])]
    middles = [(start + end) // 2 for start, end in zip(starts, ends, strict=True)]
    return sorted({0, 1, *middles, *ends, *(end + 1 for end in ends)})


def _kills(forked: Forked, folder: Path, how: str, points: list[int]) -> dict[int, Path]:
    """A log killed as ``how`` says at each of ``points``, in a folder of its own each."""
    killed = {}
    for at in points:
        path = folder / f"{how}-{at}" / "audit.sqlite3"
        path.parent.mkdir()
        _killed(forked, path, how, at)
        killed[at] = path
    return killed


def test_a_kill_anywhere_in_an_answers_write_records_its_request_once(
    tmp_path: Path, forked: Forked
) -> None:
    whole = tmp_path / "whole" / "audit.sqlite3"
    whole.parent.mkdir()
    _killed(forked, whole, "none", 0)
    journal = _journal(whole)
    write = journal[journal.index(b"\n", journal.index(f'"{URL}slow"'.encode())) + 1 :]
    assert _answer_written(write)
    killed = _kills(forked, tmp_path, "cut", _cuts(write))
    assert all(len(_journal(path)) == len(journal) - len(write) + at
               for at, path in killed.items())  # fmt: skip
    wrong = {f"{at} of {len(write)} bytes": _problem(path) for at, path in killed.items()}
    assert not {at: problem for at, problem in wrong.items() if problem}, wrong


def test_a_kill_before_any_line_of_an_answer_records_its_request_once(
    tmp_path: Path, forked: Forked
) -> None:
    counting = tmp_path / "count" / "audit.sqlite3"
    counting.parent.mkdir()
    lines = int(_killed(forked, counting, "line", 0))
    assert lines > 20
    killed = _kills(forked, tmp_path, "line", list(range(1, lines + 1)))
    wrong = {f"line {at} of {lines}": _problem(path) for at, path in killed.items()}
    assert not {at: problem for at, problem in wrong.items() if problem}, wrong


def test_an_answer_left_whole_by_a_kill_is_stored_with_its_status(
    tmp_path: Path, forked: Forked
) -> None:
    path = tmp_path / "audit.sqlite3"
    _killed(forked, path, "none", 0)
    assert _problem(path) == ""


def _old_journal(path: Path, moment: str) -> None:
    """A journal as a log left it that was written before answer lines, and killed: a row,
    then a request answered (its row, then its end line, in one ``write()``), one still under
    way, and the last answer's write ``moment``: marked in the seal, or the seal as it was
    before it (its marks not made), or with the slot of its row's or its end's mark torn."""
    journals = path.with_name(path.name + ".journal")
    journal = Journal(journals, new_stem(), 1)
    hashed, link, seq = hasher(None), GENESIS, 0

    def line(payload: str) -> str:
        nonlocal link
        link = hashed(payload.encode())
        return f"{link} {payload}"

    def fields(name: str, status: int | None = None) -> list[object]:
        values = ["request", "GET", f"{URL}{name}", status, "", "demo", "", "ref:x", "", ""]
        return values if name != "refused" else ["refused", "GET", f"{URL}{name}", None,
                                                  "robots", *[""] * 5]  # fmt: skip

    def row(name: str, status: int | None = None, ends: int | None = None) -> list[str]:
        nonlocal seq
        seq += 1
        lines = [line(_payload(link, seq, _now(), fields(name, status)))]
        if ends is not None:
            lines.append(line(f'["end", "{link}", {ends}]'))
        return lines

    journal.write(*row("refused"))
    for token, name in enumerate(("done", "answered", "slow"), 1):
        journal.write(line(begin_payload(link, token, _now(), fields(name))))
        if name == "done":
            journal.write(*row(name, 200, ends=token))
    seal = seal_of(journal.path)
    before = seal.read_bytes()
    journal.write(*row("answered", 200, ends=2))
    if moment != "marked":
        if moment != "marking its end":
            seal.write_bytes(before)
        raw = bytearray(seal.read_bytes())
        torn = {"marking the row": journal.lines - 1, "marking its end": journal.lines}
        if moment in torn:
            raw[(torn[moment] & 1) * _SLOT] ^= 1
        seal.write_bytes(bytes(raw))
    journal.close(remove=False)


@pytest.mark.parametrize(
    "moment", ["marked", "before its marks", "marking the row", "marking its end"]
)
def test_a_journal_written_before_answer_lines_recovers_each_request_once(
    tmp_path: Path, moment: str
) -> None:
    """Its end lines still end their requests, and the seal still takes a row and its end
    line unmarked (the old ``write()`` of an answer, killed before its marks)."""
    path = tmp_path / "audit.sqlite3"
    _old_journal(path, moment)
    assert _problem(path) == ""
