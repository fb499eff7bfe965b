"""Masking leaves a URL as it was sent, escapes and all: only what is masked changes.

A review: when a URL's decoded form held an SSN, the whole URL was stored decoded, so a
hostile server redirecting to ``/next?q=000-12-3456%0A%1B%5B2J`` put a raw line feed and an
escape sequence in the log (``audit export`` wrote them to the terminal as they were), and the
row claimed another request than the one sent (``%26role%3Dadmin`` stored as ``&role=admin``).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skiptrace.audit.log import AuditLog
from skiptrace.audit.redact import MASK, Redactor, _decoded, _escaped_spans
from skiptrace.net.client import guarded_client
from skiptrace.policy import Policy
from skiptrace.testing.replay import ReplayServer, Reply

HOSTILE = "%0A%1B%5B2J%1B%5D0%3Btitle%07%E2%80%AE"
"""A line feed, a clear-screen, a window title and a bidi override, escaped."""


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        (f"https://x.example/s?q=123-45-6789{HOSTILE}&next=%26role%3Dadmin",
         f"https://x.example/s?q={MASK}{HOSTILE}&next=%26role%3Dadmin"),
        ("https://x.example/p/123%2045%206789/a%2F..%2Fb?q=Jane+Roe",
         f"https://x.example/p/{MASK}/a%2F..%2Fb?q=Jane+Roe"),
        ("https://x.example/s?q=ssn%3A123456789%0A",
         f"https://x.example/s?q=ssn%3A{MASK}%0A"),
        ("https://x.example/s?q=%31%32%33-45-6789x",
         f"https://x.example/s?q={MASK}x"),
        ("https://x.example/s?x=1&&dob=1990-01-01&q=Jane+Roe%7E%2B#frag",
         "https://x.example/s?x=1&&dob=%5BREDACTED%5D&q=Jane+Roe%7E%2B#frag"),
    ],
)  # fmt: skip
def test_only_the_masked_value_changes(sent: str, kept: str) -> None:
    assert Redactor(["dob"]).url(sent) == kept


def test_a_hostile_redirect_puts_no_control_character_in_the_log(
    audit: AuditLog, fast_policy: Policy
) -> None:
    target = f"/next?q=000-12-3456{HOSTILE}"
    routes = {"/": Reply(302, b"", {"Location": target}), "/robots.txt": Reply(404, b"")}
    with ReplayServer(routes) as site:
        client = guarded_client(purpose="research", policy=site.allow(fast_policy), audit=audit)
        client.get(site.url("/"))
        client.close()
    urls = [row.url for row in audit.rows() if row.event == "request"]
    assert any("/next?" in url for url in urls), urls
    for url in urls:
        assert url.isascii() and url.isprintable(), url
        assert "3456" not in url, url


@given(st.lists(st.sampled_from(["%", "%E2", "%80", "%AE", "%31", "%2d", "%20", "+", "-", "7", "x",
                                 "zz", "é", "%F0%9F", "%C3%A9", "%FF"])).map("".join))  # fmt: skip
def test_each_decoded_character_is_found_where_it_was_written(text: str) -> None:
    decoded = _decoded(text)
    spans = _escaped_spans(text, [(at, at + 1) for at in range(len(decoded))])
    assert len(spans) == len(decoded)
    for character, (start, end) in zip(decoded, spans, strict=True):
        assert character in _decoded(text[start:end]), (text, character, start, end)
