"""The audit log is append-only and its hash chain shows any edit, deletion or reordering."""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import hashlib
import itertools
import json
import sqlite3
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from skiptrace.audit.chain import GENESIS, AuditEvent, _now, _payload, row_hash
from skiptrace.audit.journal import Journal
from skiptrace.audit.log import AuditLog
from skiptrace.audit.redact import Redactor
from skiptrace.errors import AuditError, SourceError
from skiptrace.net.client import guarded_client
from skiptrace.net.layers.cache import HttpCache
from skiptrace.net.stack import open_client
from skiptrace.policy import Policy, merge
from skiptrace.records import normalised_field
from skiptrace.testing.replay import ReplayServer, Reply


def _fill(log: AuditLog, count: int = 5) -> None:
    """Append ``count`` rows and move them from the journal into SQLite, where they are edited."""
    for number in range(count):
        log.append(
            AuditEvent(
                event="request",
                method="GET",
                url=f"https://data.sec.gov/submissions/CIK{number:010d}.json",
                status=200,
                connector="sec_edgar",
                purpose="collections research",
                debtor_ref=f"ACCT-{number}",
            )
        )
    log.flush()


def _tamper(path: Path, *statements: str) -> None:
    """Edit the file directly, the way someone with file access would: triggers dropped first."""
    db = sqlite3.connect(path)
    db.execute("DROP TRIGGER audit_no_update")
    db.execute("DROP TRIGGER audit_no_delete")
    for statement in statements:
        db.execute(statement)
    db.commit()
    db.close()


def test_rows_chain_from_genesis(audit: AuditLog) -> None:
    _fill(audit)
    rows = audit.rows()
    assert [r.seq for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(rows))
    result = audit.verify()
    assert (result.ok, result.rows, result.head) == (True, 5, rows[-1].hash)
    assert [r.seq for r in audit.rows(last=2)] == [4, 5]


def test_update_and_delete_are_refused(audit: AuditLog) -> None:
    _fill(audit, 2)
    db = sqlite3.connect(audit.path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("UPDATE audit SET status = 500 WHERE seq = 1")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("DELETE FROM audit WHERE seq = 2")
    db.close()
    assert audit.verify().ok


def test_verify_finds_an_edited_row(audit: AuditLog) -> None:
    _fill(audit)
    _tamper(audit.path, "UPDATE audit SET url = 'https://example.com/else' WHERE seq = 3")
    result = audit.verify()
    assert (result.ok, result.bad_seq, result.rows) == (False, 3, 2)
    assert "edited" in result.reason


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("reason", "X'00'"),
        ("reason", "X''"),
        ("reason", "1.5"),
        ("url", "CAST(X'68747470FF3A2F2F' AS TEXT)"),
        ("hash", "CAST(X'68747470FF3A2F2F' AS TEXT)"),  # the last row's: the head
    ],
)
def test_verify_names_a_row_given_a_value_no_row_is_written_with(
    tmp_path: Path, column: str, value: str
) -> None:
    """A BLOB, a float, or text that is not UTF-8, where text was: named as an edited row, not
    a crash (reviews); the rows can still be shown, and the log opened again."""
    path = tmp_path / "audit.sqlite3"
    with AuditLog(path) as log:
        _fill(log)
    seq = 5 if column == "hash" else 2
    _tamper(path, f"UPDATE audit SET {column} = {value} WHERE seq = {seq}")
    with AuditLog(path) as log:
        result = log.verify()
        assert (result.ok, result.bad_seq) == (False, seq), result
        assert "edited" in result.reason or "link" in result.reason
        assert len(log.rows()) == 5


def test_verify_sees_one_bad_byte_put_for_another(audit: AuditLog) -> None:
    """A U+FFFD the row was written with, replaced by a byte that is not UTF-8: both read as
    U+FFFD for showing, but not for verifying (review)."""
    audit.append(AuditEvent(event="request", method="GET", url="https://x.example/",
                            detail="caf\ufffd", status=200))  # fmt: skip
    audit.flush()
    assert audit.verify().ok
    _tamper(audit.path, "UPDATE audit SET detail = CAST(X'636166E9' AS TEXT) WHERE seq = 1")
    result = audit.verify()
    assert (result.ok, result.bad_seq) == (False, 1) and "edited" in result.reason


def test_verify_finds_a_deleted_row(audit: AuditLog) -> None:
    _fill(audit)
    _tamper(audit.path, "DELETE FROM audit WHERE seq = 2")
    result = audit.verify()
    assert (result.ok, result.bad_seq) == (False, 3)
    assert "missing" in result.reason


def test_verify_finds_a_deleted_and_renumbered_row(audit: AuditLog) -> None:
    _fill(audit)
    _tamper(
        audit.path,
        "DELETE FROM audit WHERE seq = 2",
        "UPDATE audit SET seq = seq - 1 WHERE seq > 2",
    )
    result = audit.verify()
    assert (result.ok, result.bad_seq) == (False, 2)


def test_verify_finds_reordered_rows(audit: AuditLog) -> None:
    _fill(audit)
    _tamper(
        audit.path,
        "UPDATE audit SET seq = -1 WHERE seq = 2",
        "UPDATE audit SET seq = 2 WHERE seq = 4",
        "UPDATE audit SET seq = 4 WHERE seq = -1",
    )
    result = audit.verify()
    assert (result.ok, result.bad_seq) == (False, 2)


def test_verify_finds_a_row_rehashed_alone(audit: AuditLog) -> None:
    """Recomputing one row's hash after editing it still breaks the next row's link."""
    _fill(audit)
    row = audit.rows()[1]
    forged = dataclasses.replace(row.as_event(), status=404)
    digest = row_hash(row.prev_hash, row.seq, row.ts, forged)
    _tamper(audit.path, f"UPDATE audit SET status = 404, hash = '{digest}' WHERE seq = 2")
    result = audit.verify()
    assert (result.ok, result.bad_seq) == (False, 3)


def test_a_cut_tail_is_found_against_a_recorded_head(audit: AuditLog) -> None:
    _fill(audit)
    head = audit.verify().head
    _tamper(audit.path, "DELETE FROM audit WHERE seq = 5")
    assert audit.verify().ok
    result = audit.verify(expect_head=head)
    assert not result.ok
    assert "recorded" in result.reason


def test_identifiers_are_redacted_before_they_are_stored(audit: AuditLog) -> None:
    audit.append(
        AuditEvent(
            event="request",
            method="GET",
            url="https://directory.example/search?name=Roe&dob=1980-02-03&SSN=123456789",
            debtor_ref="123-45-6789",
            detail="looked up 123 45 6789",
        )
    )
    [row] = audit.rows()
    stored = " ".join([row.url, row.debtor_ref, row.detail])
    for secret in ("1980-02-03", "123456789", "123-45-6789", "123 45 6789"):
        assert secret not in stored
    assert "name=Roe" in row.url


def test_a_masked_value_stays_masked_in_an_errors_message(
    audit: AuditLog, fast_policy: Policy, tmp_path: Path
) -> None:
    """An error's message may name the request's URL (a body over the size cap, a request past
    its deadline): its masked fields are masked in the row's detail as in its URL."""
    secrets = ("1980-02-03", "99887766")
    query = f"?name=Roe&dob={secrets[0]}&account_number={secrets[1]}"

    def route(method: str, target: str) -> Reply | None:
        if target.startswith("/slow"):
            time.sleep(2)
        return Reply(200, b"x" * 5000, {}) if target != "/robots.txt" else Reply(404, b"")

    with ReplayServer(route) as site:
        limits = {"max_response_bytes": 1000, "request_seconds": 0.3}
        policy = merge(site.allow(fast_policy), {"limits": limits}, "test")

        async def fetch() -> None:
            cache = HttpCache(tmp_path / "cache.sqlite3", 0, 1)
            async with open_client(policy, audit, purpose="tests", cache=cache) as client:
                for path in ("/big", "/slow"):
                    with pytest.raises(SourceError):
                        await client.get(site.url(path + query))

        asyncio.run(fetch())
    errors = [row for row in audit.rows() if row.event == "error"]
    assert [row.reason for row in errors] == ["error", "timeout"]
    for row in errors:
        assert "name=Roe" in row.detail, row.detail  # the URL is still named
        for secret in secrets:
            assert secret not in row.url and secret not in row.detail, row.detail


def test_two_logs_on_one_file_keep_one_chain(tmp_path: Path) -> None:
    first, second = AuditLog(tmp_path / "a.sqlite3"), AuditLog(tmp_path / "a.sqlite3")
    _fill(first, 2)
    _fill(second, 2)
    _fill(first, 1)
    assert second.verify().ok
    assert second.verify().rows == 5


def test_a_failed_write_is_raised_to_the_caller_every_time(audit: AuditLog, policy: Policy) -> None:
    with ReplayServer({"/": Reply(200, b"ok")}) as site:
        # made before the disk breaks: its policy's override row (hosts.allow_private, so that
        # it may reach the loopback server) is written when it is made
        client = guarded_client(purpose="research", policy=site.allow(policy), audit=audit)
        db = sqlite3.connect(audit.path)
        db.execute(
            "CREATE TRIGGER broken_disk BEFORE INSERT ON audit "
            "BEGIN SELECT RAISE(FAIL, 'disk trouble'); END"
        )
        db.commit()
        db.close()
        with pytest.raises(AuditError, match="disk trouble"):
            _fill(audit, 1)
        with pytest.raises(AuditError, match="disk trouble"):
            client.get(site.url("/"))
        with pytest.raises(AuditError, match="disk trouble"):
            client.post(site.url("/"))
    assert [r.method for r in site.received] == ["GET"]
    db = sqlite3.connect(audit.path)
    db.execute("DROP TRIGGER broken_disk")  # the disk is fixed: nothing journaled was lost
    db.commit()
    db.close()
    client.close()
    assert [(r.method, r.event) for r in audit.rows()] == [
        ("-", "override"),
        ("GET", "request"),
        ("GET", "request"),
        ("POST", "refused"),
    ]
    assert audit.verify().ok


def test_a_journal_that_cannot_be_written_is_raised_at_once(
    audit: AuditLog, policy: Policy, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(journal: Journal, line: str) -> None:
        raise OSError(28, "No space left on device")

    with ReplayServer({"/": Reply(200, b"ok")}) as site:
        # made before the disk fills: its policy's override row is written when it is made
        client = guarded_client(purpose="research", policy=site.allow(policy), audit=audit)
        monkeypatch.setattr(Journal, "write", full_disk)
        for _ in range(2):
            with pytest.raises(AuditError, match="No space left"):
                client.get(site.url("/"))
    monkeypatch.undo()
    assert [row.event for row in audit.rows()] == ["override"]


def test_an_ssn_encoded_in_a_query_is_masked_too(audit: AuditLog) -> None:
    for spelled in ("q=123%2045%206789", "q=123%2D45%2D6789", "q=123+45+6789"):
        audit.append(AuditEvent(event="request", method="GET", url=f"https://x.example/?{spelled}"))
    assert all("6789" not in row.url for row in audit.rows())


@given(
    st.text(),
    st.integers(min_value=0),
    st.lists(st.one_of(st.text(), st.none(), st.integers()), min_size=9, max_size=9),
)
@settings(max_examples=300)
def test_a_rows_hashed_text_is_the_json_it_always_was(
    prev: str, seq: int, values: list[object]
) -> None:
    """Rows written before the faster encoder must still verify: the text hashed is unchanged."""
    expected = json.dumps(
        [prev, seq, "2026-01-01T00:00:00.000000+00:00", *values], ensure_ascii=False
    )
    assert _payload(prev, seq, "2026-01-01T00:00:00.000000+00:00", values) == expected


def test_row_times_are_written_as_isoformat_writes_them() -> None:
    before = datetime.now(UTC)
    written = _now()
    after = datetime.now(UTC)
    assert before <= datetime.fromisoformat(written) <= after
    assert written == datetime.fromisoformat(written).isoformat(timespec="microseconds")


FIELD_SPELLINGS = st.lists(
    st.one_of(
        st.sampled_from(list("dobsnacuntmbeirhl_")),
        st.sampled_from(["-", ".", " ", "\u0131", "\u017f", "\u0130", "\u212a", "DOB", "Ssn"]),
    ),
    min_size=1,
    max_size=14,
).map("".join)


@given(FIELD_SPELLINGS)
@example("d\u0131ob")
@example("s\u0131sn")
@example("d\u017fob")
@example("Date-Of_Birth")
@settings(max_examples=400)
def test_a_named_field_is_masked_however_it_is_spelled(name: str) -> None:
    """Masked exactly when the name, lower-cased and stripped to a-z and 0-9, is a field:
    dotless i, long s, Kelvin sign and the like neither hide a field nor invent one."""
    fields = ["date_of_birth", "dob", "ssn", "account_number", "birth_date"]
    masked = Redactor(fields).url(f"https://x.example/p?{quote(name)}=1990-01-01&ref=7")
    expected = normalised_field(name) in {normalised_field(field) for field in fields}
    assert ("1990-01-01" not in masked) == expected, masked


def _reasoned(audit: AuditLog) -> None:
    audit.append(AuditEvent(event="request", method="GET", url="https://x.example/a", status=429,
                            reason="rate_limited"))  # fmt: skip
    audit.append(AuditEvent(event="request", method="GET", url="https://x.example/b", status=200))
    audit.flush()


def test_a_rows_reason_is_stored_and_covered_by_its_hash(audit: AuditLog) -> None:
    _reasoned(audit)
    assert [row.reason for row in audit.rows()] == ["rate_limited", ""]
    assert audit.verify().ok
    _tamper(audit.path, "UPDATE audit SET reason = 'error' WHERE seq = 1")
    result = audit.verify()
    assert (result.ok, result.bad_seq) == (False, 1)


def test_a_row_without_a_reason_is_hashed_as_rows_were_before_reasons(audit: AuditLog) -> None:
    _reasoned(audit)
    first, second = audit.rows()
    values = ["request", "GET", "https://x.example/b", 200, "", "", "", "", ""]
    assert (
        second.hash
        == hashlib.sha256(_payload(first.hash, 2, second.ts, values).encode()).hexdigest()
    )


def test_a_log_from_before_reasons_gains_the_column_and_still_verifies(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite3"
    with AuditLog(path) as log:
        _fill(log, 3)
    _tamper(path, "ALTER TABLE audit DROP COLUMN reason")  # as an older skiptrace made it
    with AuditLog(path) as log:
        assert log.verify().ok
        log.append(
            AuditEvent(event="error", method="GET", url="https://x.example/", reason="timeout")
        )
        rows = log.rows()
        assert [row.reason for row in rows] == ["", "", "", "timeout"]
        assert log.verify().ok


def test_a_journal_line_without_a_reason_is_recovered(tmp_path: Path) -> None:
    """A journal an older skiptrace left behind (nine event fields a line) is stored."""
    path = tmp_path / "audit.sqlite3"
    AuditLog(path).close()  # the file, and its empty chain
    journals = path.with_name(path.name + ".journal")
    old = Journal(journals, "old", 1)
    ts = _now()
    values = ["request", "GET", "https://x.example/old", 200, "", "", "", "", ""]
    payload = _payload(GENESIS, 1, ts, values)
    old.write(f"{hashlib.sha256(payload.encode()).hexdigest()} {payload}")
    old.close(remove=False)
    with AuditLog(path) as log:
        [row] = log.rows()
        assert (row.url, row.reason) == ("https://x.example/old", "")
        assert log.verify().ok


def test_long_texts_masked_for_a_row_are_not_kept_after_it(tmp_path: Path) -> None:
    """A review: the masked URL, reference and purpose of the last 1,024 rows were remembered,
    however long: a connector's URL may be 64K characters (some 800 KB percent-encoded) and a
    CSV cell a reference as long, and a thousand of them held a gigabyte for the whole run.
    Short ones, which repeat across a run's requests, are still remembered."""
    with AuditLog(tmp_path / "audit.sqlite3") as log:
        tracemalloc.start()
        try:
            for number in range(20):
                long = f"{number}-" + "%F0%9F%98%80" * 3_500  # 42 KB: ten times the most remembered
                url = f"https://x.example/?q={long}"
                log.append(
                    AuditEvent(
                        event="refused", method="GET", url=url, debtor_ref=long, purpose=long
                    )
                )
            log.flush()
            gc.collect()
            kept, _ = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert kept < 1 << 20, kept
        assert len(log.rows()) == 20
