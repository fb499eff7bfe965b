"""A row holds no character that makes its text more than one line or acts on a terminal.

A review: a hostile server's redirect to ``/?view=login/...`` is refused (account-area) with
the parameter's decoded value quoted in the row's detail, so the server chose raw line feeds,
escape sequences and bidi overrides there: ``audit export`` on a terminal (or ``sqlite3`` on the
file) then showed a line that read as a row of its own, and could erase or rewrite the rows
around it. A damaged journal's name reached its row's detail as it was, too.
"""

from __future__ import annotations

import contextlib
import re
import time

import pytest
from typer.testing import CliRunner

from skiptrace.audit import AuditEvent, AuditLog
from skiptrace.audit.key import KEY_ENV, KEY_FILE_ENV
from skiptrace.audit.log import AUDIT_FILE
from skiptrace.cli import app
from skiptrace.net.client import guarded_client
from skiptrace.policy import Policy
from skiptrace.state import home
from skiptrace.testing.replay import ReplayServer, Reply

UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029"
                         "\u2066-\u2069\ud800-\udfff]")  # fmt: skip
FAKE_ROW = "\n9,2026-12-07T00:00:00+00:00,request,GET,https://court.example/,200"
ERASE = "\x1b[1A\x1b[2K"  # the cursor up a line, that line erased


@pytest.fixture(autouse=True)
def no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)
    monkeypatch.delenv(KEY_FILE_ENV, raising=False)


def _export() -> str:
    result = CliRunner().invoke(app, ["audit", "export"])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_a_redirect_s_quoted_value_cannot_fake_or_erase_rows(policy: Policy) -> None:
    value = "%0A9,2026-12-07T00:00:00+00:00,request,GET,https://court.example/,200%1B%5B1A"
    holder: dict[str, str] = {}

    def route(method: str, target: str) -> Reply | None:
        if target == "/start":
            location = f"{holder['base']}/?view=login/{value}%1B%5B2K%E2%80%AE%E2%80%A8%C2%85"
            return Reply(302, b"", {"Location": location})
        return Reply(200, b"<html></html>")

    with contextlib.closing(AuditLog.open_default(policy["redaction.fields"])) as log:
        with ReplayServer(route) as server, guarded_client(
            connector="test", purpose="research", policy=server.allow(policy), audit=log
        ) as client:  # fmt: skip
            holder["base"] = server.base_url
            with contextlib.suppress(Exception):
                client.get(server.url("/start"))
        [refused] = [row for row in log.rows() if row.event == "refused"]
        assert refused.rule == "account-area"
        assert "\\n9,2026-12-07T00:00:00 00:00" in refused.detail  # said, on its one line
        assert "\\x1b[1A\\x1b[2K\\u202e\\u2028\\x85" in refused.detail
        assert log.verify().ok
    exported = _export()
    assert UNPRINTABLE.search(exported.replace("\n", "")) is None, exported
    assert exported.count("\n") == 1 + len(log.rows()), exported  # a header and one per row


def test_no_field_of_a_row_holds_a_control_bidi_or_line_break() -> None:
    hostile = f"a{FAKE_ROW}\r{ERASE}\u202eb\u2066\u2028\x85\x00\t\ud800\x7f"
    path = home() / AUDIT_FILE
    with AuditLog(path) as log:
        log.append(AuditEvent(event="error", method="GET", url=f"https://x.example/{hostile}",
                              rule=hostile, connector=hostile, purpose=hostile,
                              detail=hostile, reason=hostile))  # fmt: skip
        [row] = log.rows()
        for value in (row.url, row.rule, row.connector, row.purpose, row.detail, row.reason):
            assert UNPRINTABLE.search(value) is None, value
        assert row.detail == (
            "a\\n9,2026-12-07T00:00:00+00:00,request,GET,https://court.example/,200\\r"
            "\\x1b[1A\\x1b[2K\\u202eb\\u2066\\u2028\\x85\\x00\\t\\ud800\\x7f"
        )  # each written as Python writes it in a string: nothing of it lost
        assert log.verify().ok
    with AuditLog(path) as log:  # as stored, and as read back from SQLite
        assert log.verify().ok
        assert [row.detail for row in log.rows()] == [row.detail]


def test_a_damaged_journal_s_name_is_one_line_in_its_row() -> None:
    path = home() / AUDIT_FILE
    with AuditLog(path) as log:
        log.append(AuditEvent(event="request", method="GET", url="https://x.example/"))
    journals = path.with_name(path.name + ".journal")
    (journals / f"x\n9,request,GET{ERASE}\u202e.jsonl").write_bytes(b"junk\n")
    with AuditLog(path) as log:
        damage = [row for row in log.rows() if row.rule == "journal"]
    assert len(damage) == 1
    assert UNPRINTABLE.search(damage[0].detail) is None, damage[0].detail
    assert "x\\n9,request,GET" in damage[0].detail
    assert "\\x1b[1A" in damage[0].detail
    assert _export().count("\n") == 3  # the header, the request, the damage


def test_a_long_word_before_a_url_in_a_detail_takes_no_quadratic_time() -> None:
    """A detail quoting a server's value of 64,000 letters and ``:`` (a redirect refused as an
    account area), then ``://``: finding the URLs in it to mask them tried every letter as the
    start of a scheme and read on to the colon from each, some 30 s of CPU on the request path,
    blocking every search of the run while its row was written."""
    detail = "'view=login/" + "a" * 64_000 + ":x ://' is a login or account area"
    with AuditLog(home() / AUDIT_FILE) as log:
        started = time.monotonic()
        log.append(AuditEvent(event="refused", method="GET", url="-", detail=detail))
        assert time.monotonic() - started < 3
        [row] = log.rows()
    assert row.detail == detail
