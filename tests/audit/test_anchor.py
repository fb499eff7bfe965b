"""An audit log you can anchor: anchors that outlive new rows, damage that fails verification,
journals cut short, and keyed chains nobody without the key can forge. Each test plays the
attacker with file access: SQL behind the triggers' back, journals and seals edited by hand,
chains rebuilt with the library."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skiptrace.audit import AuditEvent, AuditLog
from skiptrace.audit import journal as journal_module
from skiptrace.audit.chain import GENESIS, _payload, hasher, parse_anchor, row_hash
from skiptrace.audit.journal import _SLOT, _seal_mac, _slot, seal_of
from skiptrace.audit.key import KEY_ENV, KEY_FILE_ENV, configured_key
from skiptrace.audit.log import AUDIT_FILE
from skiptrace.cli import app
from skiptrace.errors import AuditError
from skiptrace.state import home

runner = CliRunner()
KEY = b"k" * 32
OTHER_KEY = b"o" * 32
KilledWriter = Callable[..., Path]
"""The ``killed_writer`` fixture (tests/audit/conftest.py)."""


@pytest.fixture(autouse=True)
def no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """No audit key unless a test sets one: the operator's own must not change these tests."""
    monkeypatch.delenv(KEY_ENV, raising=False)
    monkeypatch.delenv(KEY_FILE_ENV, raising=False)


def _event(number: int) -> AuditEvent:
    return AuditEvent(event="request", method="GET", url=f"https://x.example/{number}", status=200)


def _fill(log: AuditLog, count: int, start: int = 0) -> None:
    for number in range(start, start + count):
        log.append(_event(number))
    log.flush()


def _sql(path: Path, *statements: str) -> None:
    """Edit the database as someone with file access would: triggers dropped first."""
    db = sqlite3.connect(path)
    db.execute("DROP TRIGGER IF EXISTS audit_no_update")
    db.execute("DROP TRIGGER IF EXISTS audit_no_delete")
    for statement in statements:
        db.execute(statement)
    db.commit()
    db.close()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _default_log() -> Path:
    return home() / AUDIT_FILE


@pytest.fixture
def log_path(tmp_path: Path) -> Path:
    return tmp_path / "audit.sqlite3"


# --- anchors -------------------------------------------------------------------------------


def test_an_anchor_stays_valid_as_rows_are_added(log_path: Path) -> None:
    with AuditLog(log_path) as log:
        _fill(log, 5)
        head = log.verify().head
        _fill(log, 7, start=5)
        for anchor in (head, f"5:{head}", f"row 5 {head}", f"  ROW 5  {head.upper()} "):
            result = log.verify(anchor)
            assert (result.ok, result.rows, result.anchored_at) == (True, 12, 5), anchor


def test_rows_cut_after_an_anchor_and_others_added_fail(log_path: Path) -> None:
    with AuditLog(log_path) as log:
        _fill(log, 10)
        anchor = f"row 10 {log.verify().head}"
    _sql(log_path, "DELETE FROM audit WHERE seq >= 8")  # the last three rows cut ...
    with AuditLog(log_path) as log:
        _fill(log, 5, start=100)  # ... and the log carries on as if nothing happened
        assert log.verify().ok  # a valid chain of 12 rows: only the anchor shows it
        result = log.verify(anchor)
        bare = log.verify(anchor.split()[-1])
    assert (result.ok, result.intact, result.rows) == (False, True, 12)
    assert "row 10's hash is" in result.reason and "not the recorded" in result.reason
    assert not bare.ok and "no row has the recorded hash" in bare.reason


def test_a_tail_cut_through_the_anchor_fails(log_path: Path) -> None:
    with AuditLog(log_path) as log:
        _fill(log, 6)
        head = log.verify().head
    _sql(log_path, "DELETE FROM audit WHERE seq >= 5")
    with AuditLog(log_path) as log:
        assert log.verify().ok
        result = log.verify(f"6:{head}")
    assert not result.ok
    assert "the log has 4 rows, fewer than the recorded anchor's row 6" in result.reason


def test_a_chain_broken_after_the_anchor_fails_even_though_the_anchor_row_is_there(
    log_path: Path,
) -> None:
    with AuditLog(log_path) as log:
        _fill(log, 4)
        head = log.verify().head
        _fill(log, 4, start=4)
    _sql(log_path, "UPDATE audit SET url = 'https://else.example/' WHERE seq = 7")
    with AuditLog(log_path) as log:
        result = log.verify(head)
    assert (result.ok, result.intact, result.bad_seq) == (False, False, 7)


def test_a_log_deleted_and_rebuilt_does_not_hold_the_anchor(log_path: Path) -> None:
    with AuditLog(log_path) as log:
        _fill(log, 3)
        head = log.verify().head
    for leftover in log_path.parent.glob(log_path.name + "*"):
        if leftover.is_file():
            leftover.unlink()
    with AuditLog(log_path) as log:
        empty = log.verify(head)
        _fill(log, 3)  # rebuilt by the library: a valid chain, just not the one anchored
        assert log.verify().ok
        rebuilt = log.verify(f"row 3 {head}")
    assert not empty.ok and "the log is empty" in empty.reason
    assert not rebuilt.ok and "not the recorded" in rebuilt.reason


@pytest.mark.parametrize(
    "text", ["", "abc", "0:" + "a" * 64, "row 3", "a" * 63, "a" * 65, "row x " + "a" * 64]
)
def test_what_is_not_an_anchor_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not an anchor"):
        parse_anchor(text)


def test_cli_anchor_then_verify_as_the_log_grows() -> None:
    with AuditLog.open_default() as log:
        _fill(log, 4)
    code, anchor, _ = _run("audit", "anchor")
    assert code == 0
    assert anchor.startswith("row 4 ") and len(anchor.split()[-1]) == 64
    with AuditLog.open_default() as log:
        _fill(log, 3, start=4)
    code, output, _ = _run("audit", "verify", "--expect-head", anchor.strip())
    assert code == 0
    assert output.startswith("ok: 7 rows, chain intact, extends the anchor at row 4, head row 7 ")
    next_anchor = output.split("head ")[1].strip()  # verify's head is an anchor too
    assert _run("audit", "verify", "--expect-head", next_anchor)[0] == 0
    assert _run("audit", "verify", "--expect-head", "4:" + anchor.split()[-1])[0] == 0

    _sql(_default_log(), "DELETE FROM audit WHERE seq >= 5")
    assert _run("audit", "verify")[0] == 0
    code, output, _ = _run("audit", "verify", "--expect-head", next_anchor)
    assert code == 1
    assert output.startswith("FAILED: the log has 4 rows, fewer than the recorded anchor's row 7")


def test_cli_a_missing_log_never_says_ok_to_an_anchor() -> None:
    with AuditLog.open_default() as log:
        _fill(log, 2)
    code, anchor, _ = _run("audit", "anchor")
    for leftover in _default_log().parent.glob(AUDIT_FILE + "*"):
        if leftover.is_file():
            leftover.unlink()
    # no command makes an empty log that a later verify would call "ok, 0 rows"
    for args in (["show"], ["export"], ["anchor"], ["verify", "--expect-head", anchor.strip()],
                 ["verify"]):  # fmt: skip
        code, output, said = _run("audit", *args)
        assert (code, output) == (1, ""), args
        assert said.startswith("FAILED: no audit log at ") and said.count("\n") == 1, said
        assert not _default_log().exists(), args


def test_cli_a_malformed_anchor_is_a_usage_error() -> None:
    code, _, errors = _run("audit", "verify", "--expect-head", "deadbeef")
    assert code == 2
    assert "not an anchor" in errors


def test_cli_anchor_refuses_a_broken_chain() -> None:
    with AuditLog.open_default() as log:
        _fill(log, 3)
    _sql(_default_log(), "UPDATE audit SET status = 599 WHERE seq = 2")
    code, output, _ = _run("audit", "anchor")
    assert code == 1
    assert output.startswith("FAILED at row 2:")


# --- damage rows ---------------------------------------------------------------------------


def _lines(journal: Path) -> list[bytes]:
    return journal.read_bytes().split(b"\n")[:-1]


def _keep_lines(journal: Path, count: int) -> None:
    """Cut a journal back to its first ``count`` whole lines, as ``head -n`` would."""
    journal.write_bytes(b"".join(line + b"\n" for line in _lines(journal)[:count]))


def test_cli_verify_fails_on_a_damage_row_with_the_chain_intact(
    killed_writer: KilledWriter,
) -> None:
    path = _default_log()
    journal = killed_writer(path, 4)
    lines = _lines(journal)
    lines[2] = lines[2].replace(b"x.example", b"y.example")
    journal.write_bytes(b"".join(line + b"\n" for line in lines))
    with AuditLog(path) as log:
        _fill(log, 2, start=10)  # the log carries on after the damage
        result = log.verify()
    assert result.intact and not result.ok
    assert result.damage == (3,) and result.bad_seq == 3
    code, output, _ = _run("audit", "verify")
    assert code == 1
    assert output.startswith("FAILED: rows record a damaged journal (row 3: journal ")
    assert "line 3 is not an intact journal row" in output
    assert "5 rows, chain intact" in output
    code, output, errors = _run("audit", "anchor")  # the chain holds: an anchor is still due
    assert code == 0 and output.startswith("row 5 ")
    assert "damaged journal" in errors


# --- journals cut short --------------------------------------------------------------------


@pytest.mark.parametrize(("kept", "flush_after"), [(3, 0), (0, 0), (4, 2), (2, 2), (1, 3)])
def test_lines_cut_from_the_end_of_a_journal_are_found(
    log_path: Path, kept: int, flush_after: int, killed_writer: KilledWriter
) -> None:
    journal = killed_writer(log_path, 5, flush_after)
    _keep_lines(journal, kept)
    with AuditLog(log_path) as log:
        rows = log.rows()
        result = log.verify()
    stored = max(kept, flush_after)  # what reached SQLite before the kill stays
    assert [row.url for row in rows[:-1]] == [f"https://x.example/{n}" for n in range(stored)]
    assert (rows[-1].event, rows[-1].rule) == ("error", "journal")
    if kept >= flush_after:
        assert f"it has {kept} whole lines, but 5 were written" in rows[-1].detail
    else:  # below what was stored: the stored count shows it first
        assert f"fewer than the {flush_after} already stored" in rows[-1].detail
    assert not result.ok and result.damage == (len(rows),)
    assert journal.with_suffix(".damaged").exists()


def test_a_journal_killed_whole_is_recovered_without_damage(
    log_path: Path, killed_writer: KilledWriter
) -> None:
    journal = killed_writer(log_path, 5)
    assert seal_of(journal).exists()
    with AuditLog(log_path) as log:
        assert len(log.rows()) == 5
        assert log.verify().ok
    assert not journal.exists() and not seal_of(journal).exists()


def test_a_seal_rewritten_without_the_key_does_not_hold(
    log_path: Path, monkeypatch: pytest.MonkeyPatch, killed_writer: KilledWriter
) -> None:
    """The attacker cuts two lines of a keyed log's journal and writes a seal for the shorter
    journal, from the hash they can read in it: without the key, its MAC does not hold. (In an
    unkeyed log the same forgery holds: there the seal only catches a cut made by hand.)"""
    monkeypatch.setenv(KEY_ENV, KEY.decode())
    journal = killed_writer(log_path, 5)
    monkeypatch.delenv(KEY_ENV)
    _keep_lines(journal, 3)
    head = _lines(journal)[2].partition(b" ")[0]
    forged = _slot(3, head, _seal_mac(journal.name, None))
    seal_of(journal).write_bytes(forged + forged)
    with AuditLog(log_path, key=KEY) as log:
        rows = log.rows()
    assert "its seal does not hold" in rows[-1].detail
    assert len(rows) == 4


def test_a_seal_slot_garbled_to_hide_a_cut_line_is_found(
    log_path: Path, killed_writer: KilledWriter
) -> None:
    journal = killed_writer(log_path, 5)
    seal = bytearray(seal_of(journal).read_bytes())
    offset = (5 & 1) * _SLOT  # the slot for line 5: as if the process died writing it
    seal[offset : offset + _SLOT] = b"#" * _SLOT
    seal_of(journal).write_bytes(bytes(seal))
    _keep_lines(journal, 4)  # ... and line 5 removed
    with AuditLog(log_path) as log:
        rows = log.rows()
    assert len(rows) == 5
    assert "one slot of its seal does not hold" in rows[-1].detail


def test_a_kill_while_the_seal_was_updated_is_not_damage(
    log_path: Path, killed_writer: KilledWriter
) -> None:
    """Killed after writing line 5, in the middle of sealing it (slot torn), or before sealing
    it (the slot still holds line 3): the journal is whole, and recovered without damage."""
    journal = killed_writer(log_path, 5)
    whole = seal_of(journal).read_bytes()
    offset = (5 & 1) * _SLOT
    mac = _seal_mac(journal.name, None)
    head3 = _lines(journal)[2].partition(b" ")[0]
    torn = b"\0" * 40 + whole[offset + 40 : offset + _SLOT]
    for number, slot in enumerate([torn, _slot(3, head3, mac)]):
        seal_of(journal).write_bytes(whole[:offset] + slot + whole[offset + _SLOT :])
        copy = log_path.with_name(f"copy-{number}.sqlite3")
        directory = copy.with_name(copy.name + ".journal")
        directory.mkdir()
        (directory / journal.name).write_bytes(journal.read_bytes())
        seal_of(directory / journal.name).write_bytes(seal_of(journal).read_bytes())
        with AuditLog(copy) as log:
            assert [row.event for row in log.rows()] == ["request"] * 5
            assert log.verify().ok


def test_a_removed_seal_is_damage(log_path: Path, killed_writer: KilledWriter) -> None:
    journal = killed_writer(log_path, 3)
    seal_of(journal).unlink()
    _keep_lines(journal, 2)
    with AuditLog(log_path) as log:
        rows = log.rows()
    assert "its seal is missing" in rows[-1].detail
    assert len(rows) == 3


def test_lines_added_to_a_journal_are_found(log_path: Path, killed_writer: KilledWriter) -> None:
    journal = killed_writer(log_path, 3)
    lines = _lines(journal)
    extra = []
    prev, seq = lines[-1].partition(b" ")[0].decode(), 4
    for number in (4, 5):  # chained properly with the library: only the seal shows them
        payload = json.dumps([prev, seq, "2026-01-01T00:00:00.000000+00:00", "request", "GET",
                              f"https://x.example/{number}", None, "", "", "", "", ""])  # fmt: skip
        prev, seq = hashlib.sha256(payload.encode()).hexdigest(), seq + 1
        extra.append(f"{prev} {payload}".encode())
    journal.write_bytes(b"".join(line + b"\n" for line in [*lines, *extra]))
    with AuditLog(log_path) as log:
        rows = log.rows()
    assert "it has 5 whole lines, but only 3 were written" in rows[-1].detail


def test_a_row_is_still_one_write_and_its_seal_is_current_before_any_store(
    log_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real_write = os.write

    def counted(fd: int, data: bytes) -> int:
        calls.append(fd)
        return real_write(fd, data)

    log = AuditLog(log_path, flush_seconds=3600)
    monkeypatch.setattr(journal_module.os, "write", counted)
    for number in range(3):
        log.append(_event(number))
    monkeypatch.undo()
    assert len(calls) == 3
    [journal] = log_path.with_name(log_path.name + ".journal").glob("*.jsonl")
    seal = seal_of(journal).read_bytes()
    assert int(seal[_SLOT : _SLOT + 20]) == 3  # line 3 went to slot 1, in memory only
    assert seal[_SLOT + 21 : _SLOT + 85] == _lines(journal)[2][:64]
    log.close()
    assert list(journal.parent.iterdir()) == []


def test_a_stray_seal_is_swept_and_a_half_created_journals_seal_goes_with_it(
    log_path: Path,
) -> None:
    AuditLog(log_path).close()
    directory = log_path.with_name(log_path.name + ".journal")
    stray = directory / f"1-aaa-000001.jsonl{journal_module.SEAL}"
    stray.write_bytes(b"x")
    starting = directory / "2-bbb-000001.jsonl.new"
    starting.touch()
    starting_seal = seal_of(starting)
    starting_seal.write_bytes(b"x")
    AuditLog(log_path).close()
    assert not stray.exists() and starting_seal.exists()  # .new is young: still being made
    os.utime(starting, (0, 0))
    AuditLog(log_path).close()
    assert not starting.exists() and not starting_seal.exists()


# --- keyed chains --------------------------------------------------------------------------


def test_the_keyed_hash_is_hmac_sha256_and_the_unkeyed_one_is_unchanged() -> None:
    for message in (b"", b"row", b"x" * 1000):
        for key in (KEY, b"short key 16 byt", b"z" * 100):
            assert hasher(key)(message) == hmac.new(key, message, "sha256").hexdigest()
        assert hasher(None)(message) == hashlib.sha256(message).hexdigest()
    event = _event(1)
    ts = "2026-01-01T00:00:00.000000+00:00"
    fields = ["request", "GET", "https://x.example/1", 200, "", "", "", "", ""]
    text = json.dumps([GENESIS, 1, ts, *fields], ensure_ascii=False)
    assert row_hash(GENESIS, 1, ts, event) == (hashlib.sha256(text.encode()).hexdigest())


def test_a_key_file_that_is_no_key_is_read_no_further_than_a_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file was read whole: ``SKIPTRACE_AUDIT_KEY_FILE=/dev/zero`` (or a file of
    gigabytes named by mistake) was read until memory ran out. It may be a stream (a secret
    manager's ``<(...)``), so it is read as one, to at most 4,096 bytes."""
    named = tmp_path / "audit.key"
    named.write_bytes(b"k" * 10_000)  # a log, an archive: anything but a key
    monkeypatch.setenv(KEY_FILE_ENV, str(named))
    with pytest.raises(AuditError, match=r"audit\.key is over 4,096 bytes: not a key"):
        configured_key()
    named.write_bytes(b" " * 5000 + KEY)  # what counts is what is read, not what is kept
    with pytest.raises(AuditError, match="over 4,096 bytes"):
        configured_key()


def test_the_key_comes_from_a_file_or_a_variable_outside_the_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert configured_key() is None
    key_file = tmp_path / "audit.key"
    key_file.write_bytes(KEY + b"\n")
    monkeypatch.setenv(KEY_FILE_ENV, str(key_file))
    assert configured_key() == KEY
    monkeypatch.setenv(KEY_ENV, "x" * 32)
    with pytest.raises(AuditError, match="not both"):
        configured_key()
    monkeypatch.delenv(KEY_FILE_ENV)
    assert configured_key() == b"x" * 32
    monkeypatch.setenv(KEY_ENV, "short")
    with pytest.raises(AuditError, match="too short"):
        configured_key()
    monkeypatch.delenv(KEY_ENV)
    inside = home() / "audit.key"
    inside.write_bytes(KEY)
    monkeypatch.setenv(KEY_FILE_ENV, str(inside))
    with pytest.raises(AuditError, match="beside the audit log"):
        configured_key()
    beside = tmp_path / "logs" / "audit.key"  # beside a log kept outside the home
    beside.parent.mkdir()
    beside.write_bytes(KEY)
    monkeypatch.setenv(KEY_FILE_ENV, str(beside))
    with pytest.raises(AuditError, match="beside the audit log"):
        AuditLog(beside.parent / "audit.sqlite3")
    monkeypatch.setenv(KEY_FILE_ENV, str(tmp_path / "missing.key"))
    with pytest.raises(AuditError, match="cannot read the audit key file"):
        configured_key()


@pytest.mark.parametrize("command", [["verify"], ["show"], ["anchor"], ["export"]])
def test_a_key_of_bytes_that_are_not_utf8_is_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    """A shell's ``$'\\xff...'`` reaches os.environ as lone surrogates: encoding it was a
    UnicodeEncodeError traceback from every command that opens the log."""
    with AuditLog(home() / AUDIT_FILE) as log:
        _fill(log, 1)
    secret = "\udcff\udcfe" + "s3cr3t" * 6  # os.fsdecode(b"\xff\xfe" + b"s3cr3t" * 6)
    monkeypatch.setenv(KEY_ENV, secret)
    result = runner.invoke(app, ["audit", *command])
    assert (result.exit_code, result.stdout) == (2, ""), result.output
    assert result.stderr == (
        f"audit log error: {KEY_ENV} holds bytes that are not UTF-8: set it to text (e.g. the "
        "output of `openssl rand -hex 32`), or name a file holding the key in "
        f"{KEY_FILE_ENV}\n"
    )


def test_a_keyed_log_verifies_with_its_key_only(log_path: Path) -> None:
    with AuditLog(log_path, key=KEY) as log:
        _fill(log, 4)
        result = log.verify()
    assert (result.ok, result.keyed, result.rows) == (True, True, 4)
    with AuditLog(log_path, key=KEY) as log:
        assert log.verify(f"row 4 {result.head}").ok
    with AuditLog(log_path) as unkeyed:
        plain = unkeyed.verify()
        assert len(unkeyed.rows()) == 4  # still readable
        with pytest.raises(AuditError, match="is keyed: set SKIPTRACE_AUDIT_KEY_FILE"):
            unkeyed.append(_event(9))
    assert (plain.ok, plain.needs_key, plain.reason) == (
        False,
        True,
        "keyed log: set the key to verify (SKIPTRACE_AUDIT_KEY_FILE naming the key file, "
        "or SKIPTRACE_AUDIT_KEY)",
    )
    with AuditLog(log_path, key=OTHER_KEY) as wrong:
        result = wrong.verify()
        with pytest.raises(AuditError, match="not the key"):
            wrong.append(_event(9))
    assert not result.ok and "not the key this log was written with" in result.reason
    with AuditLog(log_path, key=KEY) as log:
        assert log.verify().ok and len(log.rows()) == 4  # nothing was added by the others


def _forge(path: Path, rows: int, key: bytes | None = None, mode: str | None = None) -> None:
    """Write a fresh chain of ``rows`` rows straight into the database, hashed with the
    library's ``row_hash`` (plain SHA-256 unless ``key``), the log's mode set to ``mode`` if
    given (its key id kept): what anyone with file access and the source can do."""
    _sql(path, "DELETE FROM audit")
    db = sqlite3.connect(path)
    prev = GENESIS
    for seq in range(1, rows + 1):
        event = _event(seq)
        ts = "2026-01-01T00:00:00.000000+00:00"
        digest = row_hash(prev, seq, ts, event, key)
        db.execute(
            "INSERT INTO audit (seq, ts, event, method, url, status, rule, connector, purpose, "
            "debtor_ref, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (seq, ts, event.event, event.method, event.url, event.status, event.rule,
             event.connector, event.purpose, event.debtor_ref, event.detail, prev, digest),
        )  # fmt: skip
        prev = digest
    if mode:
        db.execute("UPDATE audit_meta SET value = ? WHERE name = 'mode'", (mode,))
    db.commit()
    db.close()


@pytest.mark.parametrize("mode", [None, "sha256", "hmac-sha256"])
def test_a_chain_forged_with_the_library_fails_under_the_key(log_path: Path, mode: str) -> None:
    with AuditLog(log_path, key=KEY) as log:
        _fill(log, 3)
    _forge(log_path, 5, mode=mode)
    with AuditLog(log_path, key=KEY) as log:
        result = log.verify()
    assert not result.ok and not result.intact
    if mode == "sha256":
        assert "the log is not keyed, but a key is set" in result.reason
    else:  # still marked keyed: the first forged row does not hold
        assert result.bad_seq == 1 and "edited" in result.reason
    _forge(log_path, 5, key=OTHER_KEY, mode="hmac-sha256")  # keyed, with a key of their own
    with AuditLog(log_path, key=KEY) as log:
        assert log.verify().bad_seq == 1


def test_a_log_deleted_and_rebuilt_without_the_key_fails_under_it(log_path: Path) -> None:
    with AuditLog(log_path, key=KEY) as log:
        _fill(log, 3)
    for leftover in log_path.parent.glob(log_path.name + "*"):
        if leftover.is_file():
            leftover.unlink()
    with AuditLog(log_path) as rebuilt:
        _fill(rebuilt, 3)
        assert rebuilt.verify().ok  # without the key it is just a log
    with AuditLog(log_path, key=KEY) as log:
        result = log.verify()
        with pytest.raises(AuditError, match="cannot become keyed in the middle"):
            log.append(_event(9))
    assert not result.ok and "not keyed, but a key is set" in result.reason


def test_a_log_cannot_switch_modes_mid_chain(log_path: Path) -> None:
    with AuditLog(log_path) as log:
        _fill(log, 2)
    with AuditLog(log_path, key=KEY) as keyed, pytest.raises(AuditError, match="in the middle"):
        keyed.append(_event(9))
    # an empty log takes either way, fixed by its first row
    other = log_path.with_name("other.sqlite3")
    AuditLog(other).close()
    with AuditLog(other, key=KEY) as keyed:
        _fill(keyed, 2)
        assert keyed.verify().keyed


@pytest.mark.parametrize("first_keyed", [True, False])
def test_two_logs_opened_on_an_empty_file_the_other_way_take_no_rows(
    log_path: Path, first_keyed: bool
) -> None:
    # a review: two runs started on a fresh home, one with the key set, both took rows until
    # the first row stored decided; the other's requests went on being sent for the half
    # second before its store failed, and their rows were kept only in a journal recovered
    # as damage ('line 1 is not an intact journal row (edited?)'). The first log opened on
    # the file decides now, and the other is refused before any request
    keys = [KEY, None] if first_keyed else [None, KEY]
    first = AuditLog(log_path, key=keys[0])
    other = AuditLog(log_path, key=keys[1])
    with pytest.raises(AuditError, match="keyed"):
        other.writable()
    with pytest.raises(AuditError, match="keyed"):
        other.begin(_event(1))
    _fill(first, 2)
    other.close()
    first.close()
    with AuditLog(log_path, key=keys[0]) as log:
        result = log.verify()
    assert result.ok and result.rows == 2 and result.keyed == first_keyed


def test_the_meta_flipped_to_unkeyed_mid_chain_fails_both_ways(log_path: Path) -> None:
    with AuditLog(log_path, key=KEY) as log:
        _fill(log, 3)
    _sql(log_path, "UPDATE audit_meta SET value = 'sha256' WHERE name = 'mode'")
    with AuditLog(log_path) as unkeyed:
        _fill(unkeyed, 2, start=3)  # the library now appends plain rows after keyed ones
        assert unkeyed.verify().bad_seq == 1
    with AuditLog(log_path, key=KEY) as log:
        assert "not keyed, but a key is set" in log.verify().reason


def test_cli_keyed_log_with_and_without_its_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key_file = tmp_path / "audit.key"
    key_file.write_bytes(KEY)
    monkeypatch.setenv(KEY_FILE_ENV, str(key_file))
    with AuditLog.open_default() as log:
        _fill(log, 3)
    code, output, _ = _run("audit", "verify")
    assert code == 0 and output.startswith("ok: 3 rows, chain intact, keyed (HMAC-SHA256), head ")
    code, anchor, _ = _run("audit", "anchor")
    assert code == 0
    monkeypatch.delenv(KEY_FILE_ENV)
    for command in (["verify"], ["verify", "--expect-head", anchor.strip()], ["anchor"]):
        code, output, errors = _run("audit", *command)
        assert (code, output) == (2, "")
        assert "NOT VERIFIED: keyed log: set the key to verify" in errors
    monkeypatch.setenv(KEY_ENV, OTHER_KEY.decode())
    code, output, _ = _run("audit", "verify")
    assert code == 1 and "not the key this log was written with" in output


def test_a_keyed_journal_is_recovered_with_the_key_and_left_alone_without_it(
    log_path: Path, monkeypatch: pytest.MonkeyPatch, killed_writer: KilledWriter
) -> None:
    with AuditLog(log_path, key=KEY) as log:
        _fill(log, 1)
    monkeypatch.setenv(KEY_ENV, KEY.decode())
    journal = killed_writer(log_path, 3)
    monkeypatch.delenv(KEY_ENV)
    with AuditLog(log_path) as unkeyed:
        assert len(unkeyed.rows()) == 1
    assert journal.exists()  # not recovered, not damaged: it waits for the key
    with AuditLog(log_path, key=KEY) as log:
        assert len(log.rows()) == 4 and log.verify().ok
    assert not journal.exists()


def test_a_journal_line_rehashed_without_the_key_is_found(
    log_path: Path, monkeypatch: pytest.MonkeyPatch, killed_writer: KilledWriter
) -> None:
    with AuditLog(log_path, key=KEY) as log:
        _fill(log, 1)
    monkeypatch.setenv(KEY_ENV, KEY.decode())
    journal = killed_writer(log_path, 3)
    monkeypatch.delenv(KEY_ENV)
    lines = _lines(journal)
    payload = lines[1].partition(b" ")[2].replace(b"x.example", b"y.example")
    lines[1] = hashlib.sha256(payload).hexdigest().encode() + b" " + payload
    journal.write_bytes(b"".join(line + b"\n" for line in lines))
    with AuditLog(log_path, key=KEY) as log:
        rows = log.rows()
    assert "line 2 is hashed without the log's key" in rows[-1].detail
    assert [row.url for row in rows[:2]] == ["https://x.example/0", "https://x.example/0"]


def test_a_journal_put_back_after_its_rows_were_stored_is_not_stored_again(
    log_path: Path,
) -> None:
    """The attacker copies a keyed log's journal and seal while its run goes on; once the run
    has stored its rows, they forget its progress (a table behind no trigger) and put the copy
    back: its rows, each already in the log, are not stored a second time under a chain
    skiptrace itself hashes with the key, and verification fails saying so."""
    copies = log_path.parent / "copies"
    copies.mkdir()
    with AuditLog(log_path, key=KEY) as log:
        for number in range(3):
            begun = log.begin(_event(number))
            log.append(_event(number), ends=begun)
        journal, seal = log._journal_dir.glob("*.jsonl"), log._journal_dir.glob("*.seal")
        for path in [*journal, *seal]:
            (copies / path.name).write_bytes(path.read_bytes())
    with sqlite3.connect(log_path) as db:
        db.execute("DELETE FROM journal_progress")
    for path in copies.iterdir():
        (log_path.with_name(log_path.name + ".journal") / path.name).write_bytes(path.read_bytes())
    with AuditLog(log_path, key=KEY) as log:
        rows, verdict = log.rows(), log.verify()
    assert [row.url for row in rows[:3]] == [f"https://x.example/{n}" for n in range(3)]
    assert len(rows) == 4 and rows[-1].rule == "journal"
    assert "in the log already" in rows[-1].detail
    assert not verdict.ok and verdict.intact


@pytest.fixture
def keyed_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv(KEY_ENV, KEY.decode())
    yield


def test_the_configured_key_is_used_by_default(log_path: Path, keyed_env: None) -> None:
    with AuditLog(log_path) as log:
        _fill(log, 2)
        assert log.verify().keyed
    db = sqlite3.connect(log_path)
    [(first_hash, ts)] = db.execute("SELECT hash, ts FROM audit WHERE seq = 1").fetchall()
    db.close()
    values = ["request", "GET", "https://x.example/0", 200, "", "", "", "", ""]
    text = _payload(GENESIS, 1, ts, values).encode()
    assert first_hash == hmac.new(KEY, text, "sha256").hexdigest()


def test_an_unkeyed_log_verified_without_an_anchor_says_what_ok_is_worth() -> None:
    """Whoever can write SKIPTRACE_HOME can replace a keyed log by an unkeyed one rebuilt to
    taste (the mode is in the file too): verified without the key it said a bare "ok". The
    verdict stays on stdout as it was; stderr says what it rests on."""
    with AuditLog.open_default() as log:
        _fill(log, 2)
    code, output, errors = _run("audit", "verify")
    assert code == 0 and output.startswith("ok: 2 rows, chain intact, head ")
    assert "unkeyed" in errors and "--expect-head" in errors
    code, anchor, _ = _run("audit", "anchor")
    code, output, errors = _run("audit", "verify", "--expect-head", anchor.strip())
    assert code == 0 and errors == ""
