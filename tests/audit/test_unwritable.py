"""Once the audit log cannot record a row, the guard sends nothing more: no request goes out
that the log could not record (a full disk, a lowered file-size limit...)."""

from __future__ import annotations

import pytest

from skiptrace.audit import AuditLog
from skiptrace.errors import AuditError
from skiptrace.net.client import guarded_client
from skiptrace.policy import Policy
from skiptrace.testing.replay import ReplayServer, Reply


@pytest.mark.parametrize("full_from", ["its begin line", "its row"])
def test_once_a_line_cannot_be_written_no_request_is_sent(
    policy: Policy, audit: AuditLog, monkeypatch: pytest.MonkeyPatch, full_from: str
) -> None:
    """The disk fills before a request's begin line (the request is not sent), or while the
    request is out (its begin line is journaled, its row is not: the log, once closed, records
    it as interrupted). Either way nothing more is sent."""
    with ReplayServer({"/page": Reply(200, b"ok")}) as site:
        allowed = site.allow(policy)
        with guarded_client(purpose="tests", policy=allowed, audit=audit) as client:
            assert client.get(site.url("/page")).status_code == 200
            journal = audit._journal
            assert journal is not None
            write = journal.write

            def full(*lines: str) -> None:
                if full_from == "its row" and len(lines) == 1 and '["begin"' in lines[0]:
                    write(*lines)
                else:
                    raise OSError(28, "No space left on device")

            monkeypatch.setattr(journal, "write", full)
            for _ in range(4):
                with pytest.raises(AuditError, match="No space left"):
                    client.get(site.url("/page"))
    out = full_from == "its row"  # the one whose answer came back unrecorded
    assert len(site.received) == 1 + out
    audit.close()
    with AuditLog(audit.path) as again:
        rows = [row for row in again.rows() if row.event != "override"]
    assert [(row.event, row.status) for row in rows] == [("request", 200)] + [("error", None)] * out
    assert all(row.detail.startswith("interrupted: the audit log was closed") for row in rows[1:])


def test_with_no_room_left_for_its_row_no_request_is_sent(
    policy: Policy, audit: AuditLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A request's row is written after its answer. On a disk that cannot take it, the request
    would go out unrecorded (the case above), so the guard sends nothing unless the log's disk
    has room left for rows (``audit.log.ROOM``)."""
    from skiptrace.audit import log

    with ReplayServer({"/page": Reply(200, b"ok")}) as site:
        allowed = site.allow(policy)
        with guarded_client(purpose="tests", policy=allowed, audit=audit) as client:
            assert client.get(site.url("/page")).status_code == 200
            usage = log.shutil.disk_usage(audit.path.parent)
            monkeypatch.setattr(
                log.shutil, "disk_usage", lambda path: usage._replace(free=log.ROOM - 1)
            )
            with pytest.raises(AuditError, match="room"):
                client.get(site.url("/page"))
            monkeypatch.undo()
            assert client.get(site.url("/page")).status_code == 200  # room again: sent
    assert len(site.received) == 2
