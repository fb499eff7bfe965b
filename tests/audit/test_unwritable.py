"""Once the audit log cannot record a row, the guard sends nothing more: no request goes out
that the log could not record (a full disk, a lowered file-size limit...)."""

from __future__ import annotations

import pytest

from skiptrace.audit import AuditLog
from skiptrace.errors import AuditError
from skiptrace.net.client import guarded_client
from skiptrace.policy import Policy
from skiptrace.testing.replay import ReplayServer, Reply


def test_after_a_row_cannot_be_written_no_request_is_sent(
    policy: Policy, audit: AuditLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    with ReplayServer({"/page": Reply(200, b"ok")}) as site:
        allowed = site.allow(policy)
        with guarded_client(purpose="tests", policy=allowed, audit=audit) as client:
            assert client.get(site.url("/page")).status_code == 200
            journal = audit._journal
            assert journal is not None

            def full(line: str) -> None:
                raise OSError(28, "No space left on device")

            monkeypatch.setattr(journal, "write", full)
            with pytest.raises(AuditError, match="No space left"):
                client.get(site.url("/page"))  # sent, but its row cannot be written
            for _ in range(3):
                with pytest.raises(AuditError, match="No space left"):
                    client.get(site.url("/page"))
    assert len(site.received) == 2  # the first, and the one whose answer came back unrecorded


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
