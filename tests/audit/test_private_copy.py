"""The private copy a log read-only is read from holds its rows (request URLs, which can name
debtors) outside SKIPTRACE_HOME: it is made so that nobody else can read it, wherever the
temporary folder is, and nothing is written through a file or link found at its name."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path

import pytest

from skiptrace.audit import AuditEvent, AuditLog
from skiptrace.audit import log as audit_log
from skiptrace.audit.log import AUDIT_FILE, KEY_ENV, KEY_FILE_ENV
from skiptrace.errors import AuditError


@pytest.fixture(autouse=True)
def no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)
    monkeypatch.delenv(KEY_FILE_ENV, raising=False)


def _log_with_wal(tmp_path: Path) -> Path:
    """A log of two rows whose rows are in its ``-wal`` (as a copy taken while it was open
    holds them): read read-only, it is read from a private copy."""
    folder = tmp_path / "archive"
    folder.mkdir(mode=0o700)
    with AuditLog(tmp_path / AUDIT_FILE) as log:
        for number in range(2):
            log.append(AuditEvent(event="request", method="GET", url=f"https://x.example/{number}"))
        log.flush()
        for suffix in ("", "-wal"):
            shutil.copyfile(f"{log.path}{suffix}", folder / f"{AUDIT_FILE}{suffix}")
    return folder / AUDIT_FILE


def test_the_copy_and_its_wal_are_made_0600_whatever_the_umask(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A review: the copy and its ``-wal`` were made with the umask's mode (0644 under the
    usual 022) and narrowed only after; in a temporary folder another user can rename (one
    writable by others, without the sticky bit), the folder swapped for theirs before the
    copy was made left a log readable by them."""
    log_file = _log_with_wal(tmp_path)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    modes: dict[str, int] = {}
    real_open_store = audit_log.open_store

    def seen(path: Path, schema: str) -> object:
        for suffix in ("", "-wal"):
            modes[suffix] = stat.S_IMODE(os.stat(f"{path}{suffix}").st_mode)
        return real_open_store(path, schema)

    monkeypatch.setattr(audit_log, "open_store", seen)
    umask = os.umask(0o022)
    try:
        with AuditLog(log_file, read_only=True) as log:
            assert len(log.rows()) == 2
    finally:
        os.umask(umask)
    assert modes == {"": 0o600, "-wal": 0o600}


@pytest.mark.parametrize("planted", ["", "-wal"])
def test_nothing_is_written_through_a_link_at_the_copys_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, planted: str
) -> None:
    """A review: the copy was written with ``shutil.copyfile``, which follows a link at its
    name: a folder swapped for another's, a link in it naming one of the user's files, and
    that file was overwritten with the log. The copy is now made as a new file only."""
    log_file = _log_with_wal(tmp_path)
    victim = tmp_path / "victim"
    victim.write_text("precious")
    swapped = tmp_path / "swapped"
    swapped.mkdir()
    (swapped / f"{AUDIT_FILE}{planted}").symlink_to(victim)
    monkeypatch.setattr(tempfile, "mkdtemp", lambda **_: str(swapped))
    with pytest.raises(AuditError, match="can be read only from a copy"):
        AuditLog(log_file, read_only=True)
    assert victim.read_text() == "precious"
