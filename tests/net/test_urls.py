"""Canonical URLs: one spelling, stable under re-canonicalisation."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skiptrace.errors import HardRuleRefusal
from skiptrace.net.urls import canonical_host, canonicalize, is_canonical_host

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
        ("http://[::ffff:127.0.0.1]/", "http://127.0.0.1/"),
        ("http://[2001:DB8::1]/", "http://[2001:db8::1]/"),
    ],
)
def test_canonical_spelling(raw: str, canonical: str) -> None:
    assert str(canonicalize(raw)) == canonical


def test_matching_segments_are_decoded_and_folded() -> None:
    url = canonicalize("https://example.com/A/%2e%2e/%254Dessages;v=1/x%5C..%5Cy/")
    assert url.segments == ("messages", "y")


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


def _spelt_so(name: str) -> bool:
    """The reference ``is_canonical_host`` answers for: canonical_host on every name."""
    try:
        return canonical_host.__wrapped__(name) == name
    except (ValueError, UnicodeError):
        return False


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("wa.me", True), ("xn--pacincia-xl-qbb.com", True), ("123.example", True),
        ("ab--cd.example", True), ("-wa.me", True), ("wa..me", True), ("wa_me.example", True),
        ("a" * 64 + ".example", True), (".".join(["a" * 63] * 4), True),  # IDNA refuses these:
        # canonical_host keeps an ASCII name IDNA refuses as it is, unless it holds "xn--"
        ("xn--zz.example", False), ("1.2.3", False), ("0x7f.1", False), ("Wa.me", False),
        ("wa.me.", False), (" wa.me", False), ("wa%2eme", False), ("\u0456\u0441q.im", False),
    ],
)  # fmt: skip
def test_is_canonical_host(name: str, canonical: bool) -> None:
    assert is_canonical_host(name) is canonical
    assert _spelt_so(name) is canonical


_label = st.text(alphabet="ab09-xn_.X", min_size=0, max_size=8) | st.sampled_from(
    ["xn--", "xn--p-", "a" * 63, "a" * 64, "0x1f", "09", "--", "\u0456"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_label, min_size=1, max_size=6).map(".".join))
def test_is_canonical_host_answers_as_canonical_host_does(name: str) -> None:
    """Its shortcut for plain names never says yes where canonical_host would say no."""
    assert is_canonical_host(name) == _spelt_so(name)


def test_every_shipped_host_list_entry_is_decided_as_canonical_host_decides() -> None:
    names = [line.split()[0] for path in (*DATA.glob("ut1/*"), DATA / "supplement.txt")
             if path.name != "LICENCE.txt"
             for line in path.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]  # fmt: skip
    assert len(names) > 5_000
    assert [n for n in names if is_canonical_host(n) != _spelt_so(n)] == []


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
