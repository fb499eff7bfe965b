"""Once the audit log cannot record a row, the guard sends nothing more: no request goes out
that the log could not record (a full disk, a lowered file-size limit...)."""

from __future__ import annotations

import pytest

from skiptrace.audit import AuditLog
from skiptrace.errors import AuditError
from skiptrace.net.client import guarded_client
from skiptrace.policy import Policy
from skiptrace.testing.replay import ReplayServer, Reply


def test_a_request_whose_begin_cannot_be_journaled_is_not_sent(
    policy: Policy, audit: AuditLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    with ReplayServer({"/page": Reply(200, b"ok")}) as site:
        allowed = site.allow(policy)
        with guarded_client(purpose="tests", policy=allowed, audit=audit) as client:
            assert client.get(site.url("/page")).status_code == 200
            journal = audit._journal
            assert journal is not None

            def full(*lines: str) -> None:
                raise OSError(28, "No space left on device")

            monkeypatch.setattr(journal, "write", full)
            for _ in range(3):
                with pytest.raises(AuditError, match="No space left"):
                    client.get(site.url("/page"))
    assert len(site.received) == 1


def test_after_a_row_cannot_be_written_no_request_is_sent(
    policy: Policy, audit: AuditLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills while a request is out: its begin line is journaled, its row is not.
    Nothing more is sent, and the log, once closed, records the request as interrupted."""
    with ReplayServer({"/page": Reply(200, b"ok")}) as site:
        allowed = site.allow(policy)
        with guarded_client(purpose="tests", policy=allowed, audit=audit) as client:
            assert client.get(site.url("/page")).status_code == 200
            journal = audit._journal
            assert journal is not None
            write = journal.write

            def full_after_the_begin(*lines: str) -> None:
                if len(lines) == 1 and '["begin"' in lines[0]:
                    write(*lines)
                else:  # the row and its end
                    raise OSError(28, "No space left on device")

            monkeypatch.setattr(journal, "write", full_after_the_begin)
            with pytest.raises(AuditError, match="No space left"):
                client.get(site.url("/page"))  # sent, but its row cannot be written
            for _ in range(3):
                with pytest.raises(AuditError, match="No space left"):
                    client.get(site.url("/page"))
    assert len(site.received) == 2  # the first, and the one whose answer came back unrecorded
    audit.close()
    with AuditLog(audit.path) as again:
        rows = [row for row in again.rows() if row.event != "override"]
    assert [(row.event, row.status) for row in rows] == [("request", 200), ("error", None)]
    assert rows[1].detail.startswith("interrupted: the audit log was closed")


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
