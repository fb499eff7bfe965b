"""URLs in the audit log are stored percent-encoded: a hostile Location header (raw control
characters, percent-escapes of ESC and BEL, bidi overrides) leaves no raw control in a stored
row, and ``audit show`` prints none."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from urllib.parse import unquote

import pytest
from typer.testing import CliRunner

from skiptrace.audit import AuditLog
from skiptrace.cli import app
from skiptrace.net.client import guarded_client
from skiptrace.policy import Policy
from skiptrace.safe_text import terminal_text
from skiptrace.testing.replay import ReplayServer, Reply

CONTROLS = "\x1b\x07\x9b\u202e"


def _utf8(text: str) -> str:
    """``text`` as the replay server must be given it to send its UTF-8 bytes."""
    return text.encode().decode("latin-1")


@pytest.fixture
def log(policy: Policy) -> Iterator[AuditLog]:
    """The audit log ``skiptrace audit show`` reads (in this test's SKIPTRACE_HOME)."""
    opened = AuditLog.open_default(policy["redaction.fields"])
    yield opened
    opened.close()


def _follow(location: str, policy: Policy, log: AuditLog) -> None:
    """GET a page that redirects to ``location`` (``{base}`` is the server's own origin)."""
    holder: dict[str, str] = {}

    def route(method: str, target: str) -> Reply | None:
        if target == "/start":
            return Reply(302, b"", {"Location": location.format(base=holder["base"])})
        return Reply(200, b"<html></html>")

    with ReplayServer(route) as server, guarded_client(
        connector="test", purpose="research", policy=server.allow(policy), audit=log
    ) as client:  # fmt: skip
        holder["base"] = server.base_url
        with contextlib.suppress(Exception):  # refused or unfollowable: look at what was stored
            client.get(server.url("/start"))


def _stored_urls(log: AuditLog) -> list[str]:
    return [row.url for row in log.rows() if row.event != "override"]


def _assert_encoded(urls: list[str]) -> None:
    for url in urls:
        assert url.isascii() and terminal_text(url) == url, url


def _assert_shown_safe() -> None:
    for args in (["audit", "show"], ["audit", "show", "--json"]):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0
        assert not any(c in result.output for c in CONTROLS), result.output


@pytest.mark.parametrize("path", ["/%1b%5b2J", "/%1B]0;title%07", "/%e2%80%ae"])
def test_a_redirect_to_percent_escaped_controls_is_stored_encoded(
    path: str, policy: Policy, log: AuditLog
) -> None:
    _follow("{base}" + path, policy, log)
    urls = _stored_urls(log)
    assert len(urls) == 2  # the redirect and the page it led to, both requests
    assert unquote(urls[1]).endswith(unquote(path))
    _assert_encoded(urls)
    _assert_shown_safe()


@pytest.mark.parametrize(
    ("location", "stored"),
    [
        ("mailto:x\x1b[2J\x07", "mailto:x%1B[2J%07"),
        ("mailto:x%1b%5b2J", "mailto:x%1b%5b2J"),  # escapes already there are kept, not doubled
        # sent as UTF-8 bytes (the replay server writes headers as Latin-1): U+202E, U+009B
        (_utf8("whatsapp://send?text=\u202eyo\x9b"), "whatsapp://send?text=%E2%80%AEyo%C2%9B"),
        ("sms:+1555\x1b]0;title\x07", "sms:+1555%1B]0;title%07"),
    ],
)
def test_a_refused_redirect_is_stored_percent_encoded(
    location: str, stored: str, policy: Policy, log: AuditLog
) -> None:
    _follow(location, policy, log)
    refused = [row for row in log.rows() if row.event == "refused"]
    assert [(row.rule, row.url) for row in refused] == [("scheme", stored)]
    _assert_encoded(_stored_urls(log))
    _assert_shown_safe()


@pytest.mark.parametrize("location", ["{base}/a\x1b[2Jb", "/x?q=\x07", "ht\x1btp://x.example/"])
def test_a_location_with_raw_controls_is_never_stored_raw(
    location: str, policy: Policy, log: AuditLog
) -> None:
    _follow(location, policy, log)
    _assert_encoded(_stored_urls(log))
    _assert_shown_safe()


def test_a_host_with_percent_escaped_controls_is_stored_encoded(
    policy: Policy, log: AuditLog
) -> None:
    _follow("http://%1b%5b2J.example/", policy, log)
    _assert_shown_safe()  # holds today, through the terminal-safe console
    _assert_encoded(_stored_urls(log))  # does not: the stored host holds a raw ESC
