"""Canonical URLs: one spelling, stable under re-canonicalisation."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skiptrace.errors import HardRuleRefusal
from skiptrace.net.urls import canonical_host, canonicalize, try_canonical_host

DATA = Path(__file__).resolve().parents[2] / "src/skiptrace/net/data"


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("HTTP://WWW.Example.COM.:80/", "http://www.example.com/"),
        ("https://example.com:443", "https://example.com/"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("https://example.com/a/./b/../c//d/", "https://example.com/a/c/d/"),
        ("https://example.com/%7euser/%e2%82%ac", "https://example.com/~user/%E2%82%AC"),
        ("https://example.com/a%2Fb", "https://example.com/a%2Fb"),
        ("https://example.com/?q=a%2fb&x=1", "https://example.com/?q=a%2Fb&x=1"),
        ("https://b%C3%BCcher.example/", "https://xn--bcher-kva.example/"),
        ("https://bücher.example/", "https://xn--bcher-kva.example/"),
        ("http://0x7f000001:8080/", "http://127.0.0.1:8080/"),
        ("http://[::ffff:127.0.0.1]/", "http://127.0.0.1/"),  # the host its socket reaches
        ("http://[2002:7f00:1::]/", "http://[2002:7f00:1::]/"),  # 6to4: another host
        ("http://[64:ff9b::7f00:1]/", "http://[64:ff9b::7f00:1]/"),  # NAT64: another host
        ("http://[::127.0.0.1]/", "http://[::7f00:1]/"),  # IPv4-compatible: another host
        ("http://[2001:DB8::1]/", "http://[2001:db8::1]/"),
    ],
)
def test_canonical_spelling(raw: str, canonical: str) -> None:
    assert str(canonicalize(raw)) == canonical


def test_matching_segments_are_decoded_and_folded() -> None:
    url = canonicalize("https://example.com/A/%254Dessages;v=1/x%5Cy./")
    assert url.segments == ("a", "messages", "x", "y")


@pytest.mark.parametrize("dots", ["%2e%2e", ".%2E", "%252e%252e", "..;v=1", "..%2f", "%5c..%5c",
                                  "%2e", " %2e%2e ", "%2e%2e%00"])  # fmt: skip
def test_a_dot_segment_sent_as_written_is_refused(dots: str) -> None:
    """httpx resolves a plain ".." and sends an escaped one as it is: whether the server then
    goes up a folder (and reads "/messages/%2e%2e/status" as "/status") cannot be known, so
    rules and the audit log would see another path than the one sent."""
    with pytest.raises(HardRuleRefusal) as refused:
        canonicalize(f"https://example.com/messages/{dots}/status")
    assert refused.value.rule == "invalid-url"
    assert str(canonicalize("https://example.com/messages/../status")) == (
        "https://example.com/status"
    )  # httpx resolves it before sending: what is sent is what is checked


def test_userinfo_is_noticed_and_dropped_from_the_string() -> None:
    url = canonicalize("https://user:pw@example.com/")
    assert url.has_userinfo
    assert "pw" not in str(url)


def test_unparseable_urls_are_refusals() -> None:
    with pytest.raises(HardRuleRefusal) as refused:
        canonicalize("http://[::1/")
    assert refused.value.rule == "invalid-url"


@pytest.mark.parametrize(
    ("host", "canonical"),
    [
        ("FaceBook.com.", "facebook.com"),
        ("2130706433", "127.0.0.1"),
        ("my_host.example", "my_host.example"),
    ],
)
def test_hosts(host: str, canonical: str) -> None:
    assert canonical_host(host) == canonical


def _reference(name: str) -> str | None:
    """What ``try_canonical_host`` must answer: canonical_host itself, uncached."""
    try:
        return str(canonical_host.__wrapped__(name))
    except (ValueError, UnicodeError):
        return None


@pytest.mark.parametrize(
    ("name", "spelt"),
    [
        ("wa.me", "wa.me"), ("xn--pacincia-xl-qbb.com", "xn--pacincia-xl-qbb.com"),
        ("123.example", "123.example"), ("wa_me.example", "wa_me.example"),
        # IDNA refuses these; canonical_host keeps an ASCII name without "xn--" as it is
        ("ab--cd.example", "ab--cd.example"), ("-wa.me", "-wa.me"), ("wa..me", "wa..me"),
        ("a" * 64 + ".example", "a" * 64 + ".example"),
        (".".join(["a" * 63] * 4), ".".join(["a" * 63] * 4)),
        # not canonical, or not a host name
        ("1.2.3", "1.2.0.3"), ("0x7f.1", "127.0.0.1"), ("Wa.me", "wa.me"), ("wa.me.", "wa.me"),
        (" wa.me", "wa.me"), ("wa%2eme", "wa.me"), ("\u0456\u0441q.im", "xn--q-6tb6d.im"),
        ("xn--zz.example", None),
    ],
)  # fmt: skip
def test_try_canonical_host(name: str, spelt: str | None) -> None:
    assert try_canonical_host(name) == spelt
    assert _reference(name) == spelt


_label = st.text(alphabet="ab09-xn_.X", min_size=0, max_size=8) | st.sampled_from(
    ["xn--", "xn--p-", "a" * 63, "a" * 64, "0x1f", "09", "--", "\u0456"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_label, min_size=1, max_size=6).map(".".join))
def test_try_canonical_host_answers_as_canonical_host_does(name: str) -> None:
    """Its shortcut for plain names never answers otherwise than canonical_host would."""
    assert try_canonical_host(name) == _reference(name)


def test_every_shipped_host_list_entry_is_spelt_as_canonical_host_spells_it() -> None:
    names = [line.strip().lower().split()[0]
             for path in (*DATA.glob("ut1/*"), DATA / "supplement.txt")
             if path.name != "LICENCE.txt"
             for line in path.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]  # fmt: skip
    assert len(names) > 5_000
    assert [n for n in names if try_canonical_host(n) != _reference(n)] == []


_segment = st.text(alphabet="abcXYZ019-._~%2F;é/", min_size=0, max_size=12)


@settings(max_examples=300, deadline=None)
@given(
    scheme=st.sampled_from(["http", "HTTPS"]),
    host=st.sampled_from(["example.com", "EXAMPLE.com.", "127.0.0.1", "[::1]", "bücher.example"]),
    port=st.sampled_from(["", ":80", ":443", ":8080"]),
    path=st.lists(_segment, max_size=5),
    query=st.sampled_from(["", "?a=1", "?q=%2f%2F"]),
)
def test_canonicalisation_is_idempotent(
    scheme: str, host: str, port: str, path: list[str], query: str
) -> None:
    try:
        once = canonicalize(f"{scheme}://{host}{port}/{'/'.join(path)}{query}")
    except HardRuleRefusal:
        return
    twice = canonicalize(str(once))
    assert twice == once
