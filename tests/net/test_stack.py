"""The session stack over a real loopback server: robots.txt, retries, limits, cache, blocks."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from skiptrace.audit import AuditLog, AuditRow
from skiptrace.errors import (
    ConnectorError,
    HardRuleRefusal,
    PolicyRefusal,
    SourceError,
    SourceUnavailable,
)
from skiptrace.net.guard import Guard
from skiptrace.net.layers.cache import HttpCache
from skiptrace.net.layers.ratelimit import HostLimiter, still_asked
from skiptrace.net.layers.retry import RetryTransport
from skiptrace.net.layers.robots import _own_search_instance
from skiptrace.net.session import ConnectorSession as Session
from skiptrace.net.session import SourceHealth
from skiptrace.net.stack import Pace, open_client
from skiptrace.policy import Policy, merge
from skiptrace.records import Fetched, Query, Status
from skiptrace.testing.clock import VirtualTime
from skiptrace.testing.replay import ReplayServer, Reply, allowing

JSON = {"Content-Type": "application/json"}


def _fetch(
    policy: Policy,
    audit: AuditLog,
    tmp_path: Path,
    calls: Callable[[Session], Any],
    *,
    time: VirtualTime | None = None,
    query: Query | None = None,
) -> tuple[Any, SourceHealth]:
    """Run ``calls(session)`` on a fresh stack; return its result and the run's health."""
    health = SourceHealth()

    async def run() -> Any:
        pace = Pace(clock=time.clock, sleep=time.sleep) if time else None
        cache = HttpCache(tmp_path / "cache.sqlite3", default_seconds=3600, retention_days=30)
        async with open_client(policy, audit, purpose="tests", pace=pace, cache=cache) as client:
            notes = Guard(policy, audit, purpose="tests")  # as a run hands every session
            session = Session(client, "test_source", query or Query.of("ACCT-9"), health,
                              guard=notes)  # fmt: skip
            return await calls(session)

    return asyncio.run(run()), health


def _requests(audit: AuditLog) -> list[AuditRow]:
    """Audit rows about requests (the override rows of the test policy left out)."""
    return [row for row in audit.rows() if row.event != "override"]


def _rows(audit: AuditLog) -> list[tuple[str, str, Any]]:
    return [
        (row.event, row.url.split("/", 3)[-1], row.status or row.rule) for row in _requests(audit)
    ]


def test_robots_disallow_stops_the_fetch_and_is_audited(
    fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    robots = b"User-agent: *\nDisallow: /private\n"
    routes = {"/robots.txt": Reply(200, robots, {}), "/public": Reply(200, b"ok")}
    with ReplayServer(routes) as site:

        async def calls(session: Session) -> Fetched:
            with pytest.raises(PolicyRefusal) as refused:
                await session.get(site.url("/private/page"))
            assert refused.value.rule == "robots"
            return await session.get(site.url("/public"))

        page, _ = _fetch(site.allow(fast_policy), audit, tmp_path, calls)
    assert page.content == b"ok"
    assert [r.path for r in site.received] == ["/robots.txt", "/public"]
    assert _rows(audit) == [
        ("request", "robots.txt", 200),
        ("refused", "private/page", "robots"),
        ("request", "public", 200),
    ]
    assert {row.connector for row in _requests(audit)} == {"test_source"}


@pytest.mark.parametrize("newline", [b"\n", b"\r\n"])
def test_a_robots_txt_saved_with_a_byte_order_mark_is_obeyed(
    newline: bytes, fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    """A hostile review: a robots.txt saved by an editor that writes a UTF-8 byte order mark
    (Notepad's default) was read with the mark glued to its first line, "\\ufeffUser-agent",
    which the parser takes for no line at all: the group's Disallow lost its group, and the
    staff page it disallowed was fetched. The mark is now dropped before the file is read."""
    lines = [b"\xef\xbb\xbfUser-agent: *", b"Disallow: /our-team", b""]
    assert _our_team_under(newline.join(lines), fast_policy, audit, tmp_path) == "robots"


def _our_team_under(robots: bytes, policy: Policy, audit: AuditLog, tmp_path: Path) -> str:
    """The rule that refused /our-team on a site serving ``robots``; asserts that it was not
    fetched and that /contact, asked for after it, was."""
    routes = {"/robots.txt": Reply(200, robots, {"Content-Type": "text/plain"}),
              "/our-team": Reply(200, b"staff"), "/contact": Reply(200, b"ok")}  # fmt: skip
    with ReplayServer(routes) as site:

        async def calls(session: Session) -> str:
            with pytest.raises(PolicyRefusal) as refused:
                await session.get(site.url("/our-team"))
            await session.get(site.url("/contact"))
            return refused.value.rule

        rule, _ = _fetch(site.allow(policy), audit, tmp_path, calls)
    assert [r.path for r in site.received] == ["/robots.txt", "/contact"]
    return rule


AGENTS = ("skiptrace/0.1 (public-records research; read-only)", "SkipTrace/2.0",
          "skiptrace (public-records research)")  # fmt: skip


@pytest.mark.parametrize("agent", AGENTS)
@pytest.mark.parametrize("end", ["\n", "\r", "\f", "\x85", "\u2028"],
                         ids=["LF", "CR", "FF", "NEL", "LS"])  # fmt: skip
def test_a_robots_txt_group_for_the_user_agent_as_a_log_shows_it_is_obeyed(
    agent: str, end: str, fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    """A hostile review: a site's operator who copied skiptrace's User-Agent from the server's
    log into robots.txt ("User-agent: skiptrace/0.1 (public-records research; read-only)")
    was ignored: the parser compared that whole value with the product token "skiptrace",
    and the staff page the group disallowed was fetched. A group's agent is now read up to
    its product token (letters, "_" and "-", RFC 9309 2.2.1), as Google's parser reads it;
    another crawler's group still holds for it alone; lines ended by a bare CR too, and by
    any other break the parser ends a line at (a form feed, NEL, U+2028): the cut had run
    past it and dropped the group's Disallow line, so the page was fetched."""
    robots = (f"User-agent: otherbot/1.0\nDisallow: /\n\nUser-agent: {agent}\n"
              "Disallow: /our-team\n").replace("\n", end).encode()  # fmt: skip
    assert _our_team_under(robots, fast_policy, audit, tmp_path) == "robots"


@pytest.mark.parametrize(("status", "allowed"), [(500, False), (503, False), (429, False),
                                                 (404, True), (401, True)])  # fmt: skip
def test_robots_status_decides_per_rfc_9309(
    status: int, allowed: bool, fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    routes = {"/robots.txt": Reply(status, b"", {}), "/page": Reply(200, b"ok")}
    with ReplayServer(routes) as site:

        async def calls(session: Session) -> bool:
            try:
                await session.get(site.url("/page"))
            except PolicyRefusal as refusal:
                assert refusal.rule == "robots-unavailable"  # the file could not be read
                return False
            return True

        result, _ = _fetch(site.allow(fast_policy), audit, tmp_path, calls, time=VirtualTime())
    assert result is allowed


def test_a_robots_txt_redirecting_to_mailto_disallows_with_one_refusal(
    fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    routes = {
        "/robots.txt": Reply(302, b"", {"Location": "mailto:webmaster@example.com"}),
        "/page": Reply(200, b"ok"),
    }
    with ReplayServer(routes) as site:

        async def calls(session: Session) -> str:
            with pytest.raises(PolicyRefusal, match="robots") as refused:
                await session.get(site.url("/page"))
            return refused.value.detail

        detail, _ = _fetch(site.allow(fast_policy), audit, tmp_path, calls, time=VirtualTime())
    assert "refused (scheme)" in detail
    assert [row[2] for row in _rows(audit)] == [302, "scheme", "robots"]
    assert [r.path for r in site.received] == ["/robots.txt"]


def test_a_robots_txt_redirecting_to_a_refused_page_of_its_own_host_disallows_once(
    fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    """A refused hop of the robots.txt fetch on the same host (here a sign-in page) means no
    robots.txt: everything is disallowed, each request refused as itself, the file fetched once."""
    routes = {
        "/robots.txt": Reply(301, b"", {"Location": "/account/login"}),
        "/a": Reply(200, b"a"),
        "/b": Reply(200, b"b"),
    }
    with ReplayServer(routes) as site:

        async def calls(session: Session) -> list[str]:
            rules = []
            for path in ("/a", "/b"):
                with pytest.raises(PolicyRefusal) as refused:
                    await session.get(site.url(path))
                rules.append(refused.value.rule)
            return rules

        rules, _ = _fetch(site.allow(fast_policy), audit, tmp_path, calls, time=VirtualTime())
    assert rules == ["robots", "robots"]
    assert [r.path for r in site.received] == ["/robots.txt"]
    assert _rows(audit) == [
        ("request", "robots.txt", 301),
        ("refused", "account/login", "account-area"),
        ("refused", "a", "robots"),
        ("refused", "b", "robots"),
    ]


def test_robots_is_fetched_once_per_host_and_crawl_delay_slows_it(
    fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    robots = b"User-agent: *\nCrawl-delay: 5\n"
    routes = {"/robots.txt": Reply(200, robots, {}), "/a": Reply(200, b"a"), "/b": Reply(200, b"b")}
    time = VirtualTime()
    with ReplayServer(routes) as site:

        async def calls(session: Session) -> None:
            for path in ("/a", "/b", "/a?x=1"):
                await session.get(site.url(path))

        _fetch(site.allow(fast_policy), audit, tmp_path, calls, time=time)
    assert [r.path for r in site.received] == ["/robots.txt", "/a", "/b", "/a?x=1"]
    assert sum(time.sleeps) >= 2 * 5


def test_a_429_with_retry_after_is_waited_out(
    fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    answers = iter([Reply(429, b"slow down", {"Retry-After": "7"}), Reply(200, b"{}", JSON)])

    def route(method: str, path: str) -> Reply | None:
        return next(answers) if path == "/api" else None

    time = VirtualTime()
    with ReplayServer(route) as site:
        page, health = _fetch(
            site.allow(fast_policy), audit, tmp_path, lambda s: s.get(site.url("/api")), time=time
        )
    assert page.status == 200
    assert max(time.sleeps) >= 7
    assert health.of("test_source").status == "ok"
    assert [row.status for row in _requests(audit)] == [404, 429, 200]


def test_a_persistent_429_marks_the_source_rate_limited_for_the_run(
    fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    routes = {"/api": Reply(429, b"", {"Retry-After": "3"})}
    time = VirtualTime()
    with ReplayServer(routes) as site:

        async def calls(session: Session) -> list[str]:
            seen = []
            for _ in range(2):
                with pytest.raises(SourceUnavailable) as unavailable:
                    await session.get(site.url("/api"), params={"q": "x"})
                seen.append(unavailable.value.status)
            return seen

        statuses, health = _fetch(site.allow(fast_policy), audit, tmp_path, calls, time=time)
    assert statuses == [Status.RATE_LIMITED, Status.RATE_LIMITED]
    assert health.of("test_source").status == Status.RATE_LIMITED
    api_calls = [r for r in site.received if r.path.startswith("/api")]
    assert len(api_calls) == 3  # three tries, then nothing more for the rest of the run
    assert all(wait >= 3 for wait in time.sleeps if wait > 0.5)


def test_requests_queued_for_a_source_found_rate_limited_are_not_sent(
    fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    """A review: a batch slowed from about 2 s to 48 s when a source answered 429. Rows
    researched at once each passed the source's check, then waited for the host's turn
    behind the first row's retries; once that row found the source rate-limited for the run,
    each waiting request was still sent and retried in its turn (three tries each, waits
    doubling), a host that had said 429 asked nine times more, and each waited out the
    host's grown interval first. A request whose source was found rate-limited while it
    waited is neither sent nor kept waiting: it fails as rate-limited, on the record."""
    time = VirtualTime()
    with ReplayServer({"/api": Reply(429, b"", {"Retry-After": "3"})}) as site:

        async def calls(session: Session) -> list[str]:
            rows = [session] + [Session(session._client, "test_source", Query.of(f"ACCT-{n}"),
                                        session._health, guard=session._guard)
                                for n in (10, 11)]  # fmt: skip

            async def row(asking: Session) -> str:
                with pytest.raises(SourceUnavailable) as unavailable:
                    await asking.get(site.url("/api"), params={"q": "x"})
                assert asking.outage is unavailable.value  # never "no result"
                return unavailable.value.status

            return list(await asyncio.gather(*map(row, rows)))

        statuses, _ = _fetch(site.allow(fast_policy), audit, tmp_path, calls, time=time)
    assert statuses == [Status.RATE_LIMITED] * 3
    assert len([r for r in site.received if r.path.startswith("/api")]) == 3  # the first's tries
    api = [(row.event, row.status, row.reason) for row in _requests(audit) if "/api" in row.url]
    assert api == [("request", 429, "rate_limited")] * 3 + [("error", None, "rate_limited")] * 2
    # the first row's two waits (3 s, 3-4 s), then its last try's turn at the host's slowed pace
    assert sum(time.sleeps) < 10, time.sleeps


def test_a_retry_waits_for_its_hosts_turn(policy: Policy, audit: AuditLog, tmp_path: Path) -> None:
    """A review: a retry went when its wait was over, whatever the host's pace: at 1 a second,
    a page asked next went 3 ms after it. A retry is a request to the host: it takes a turn."""
    time = VirtualTime()
    sent: list[tuple[str, float]] = []

    def route(method: str, target: str) -> Reply | None:
        sent.append((target, time.now))
        failed_once = target == "/a" and [t for t, _ in sent].count("/a") == 1
        return Reply(503 if failed_once else 200, b"{}", JSON)

    with ReplayServer(route) as site:
        slow = merge(site.allow(policy), {"rate": {"hosts": {"127.0.0.1": "1/s"}}}, "1/s")

        async def calls(session: Session) -> list[int]:
            return [(await session.get(site.url(path))).status for path in ("/a", "/b")]

        statuses, _ = _fetch(slow, audit, tmp_path, calls, time=time)
    assert statuses == [200, 200]
    pages = [at for target, at in sent if target != "/robots.txt"]
    assert len(pages) == 3 and all(b - a >= 1.0 for a, b in itertools.pairwise(pages)), sent


def test_a_robots_txt_fetch_stopped_while_it_waited_keeps_no_rules(
    fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    """A robots.txt fetch waits for its host's turn too, and its source may be found
    rate-limited meanwhile: it is then not sent, and the host is not taken for one whose
    robots.txt could not be read (that would refuse every other source's request to it)."""
    routes = {"/robots.txt": Reply(404, b""), "/api": Reply(200, b"{}", JSON)}
    stopped = SourceUnavailable("test_source", Status.RATE_LIMITED, "HTTP 429 after retries")
    with ReplayServer(routes) as site:

        async def run() -> int:
            cache = HttpCache(tmp_path / "cache.sqlite3", default_seconds=0, retention_days=1)
            policy = site.allow(fast_policy)
            async with open_client(policy, audit, purpose="tests", cache=cache) as client:
                with still_asked(lambda url: stopped), pytest.raises(SourceUnavailable):
                    await client.get(site.url("/api"))
                return (await client.get(site.url("/api"))).status_code

        assert asyncio.run(run()) == 200
    assert [r.path for r in site.received] == ["/robots.txt", "/api"]


def test_a_retry_after_past_the_requests_deadline_is_rate_limited_not_a_timeout(
    fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    """A review: a 429 asking for a wait that runs past ``limits.request_seconds`` was waited
    for, and the deadline reported the source as a timeout, never marked rate-limited, so
    each later row waited the whole deadline again. The retries now end when the wait would
    outlast the request's deadline: the 429 stands, and the source is rate-limited."""
    policy = merge(fast_policy, {"limits": {"request_seconds": 1}}, "one second")
    with ReplayServer({"/api": Reply(429, b"", {"Retry-After": "5"})}) as site:

        async def calls(session: Session) -> str:
            with pytest.raises(SourceUnavailable) as unavailable:
                await session.get(site.url("/api"), params={"q": "x"})
            return unavailable.value.status

        status, health = _fetch(site.allow(policy), audit, tmp_path, calls)
    assert status == Status.RATE_LIMITED
    assert health.of("test_source").status == Status.RATE_LIMITED
    assert [r.path for r in site.received if r.path.startswith("/api")] == ["/api?q=x"]


def test_a_captcha_page_is_blocked_not_a_hit(
    fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    page = b"<html><title>Just a moment...</title><div id='cf-chl-widget'></div></html>"
    routes = {"/search": Reply(200, page, {"Content-Type": "text/html"})}
    with ReplayServer(routes) as site:

        async def calls(session: Session) -> str:
            with pytest.raises(SourceUnavailable) as unavailable:
                await session.get(site.url("/search"))
            return unavailable.value.status

        status, health = _fetch(site.allow(fast_policy), audit, tmp_path, calls)
    assert status == Status.BLOCKED
    assert health.of("test_source").detail == "a CAPTCHA or WAF challenge page"


def test_repeated_403_is_blocked(fast_policy: Policy, audit: AuditLog, tmp_path: Path) -> None:
    with ReplayServer({"/x": Reply(403, b"no", {"Content-Type": "application/json"})}) as site:

        async def calls(session: Session) -> str:
            with pytest.raises(SourceError):
                await session.get(site.url("/x"))
            with pytest.raises(SourceUnavailable) as unavailable:
                await session.get(site.url("/x"))
            return unavailable.value.status

        status, _ = _fetch(site.allow(fast_policy), audit, tmp_path, calls)
    assert status == Status.BLOCKED


def test_a_cached_page_is_not_fetched_again(
    fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    routes = {"/page": Reply(200, b"cached body", {"Cache-Control": "max-age=600"})}
    with ReplayServer(routes) as site:

        async def calls(session: Session) -> list[bool]:
            first = await session.get(site.url("/page"))
            second = await session.get(site.url("/page"))
            assert second.content == first.content == b"cached body"
            return [first.from_cache, second.from_cache]

        flags, _ = _fetch(site.allow(fast_policy), audit, tmp_path, calls)
        again, _ = _fetch(
            site.allow(fast_policy), audit, tmp_path, lambda s: s.get(site.url("/page"))
        )
    assert flags == [False, True]
    assert again.from_cache
    assert [r.path for r in site.received] == ["/robots.txt", "/page"]
    assert [row.event for row in _requests(audit)] == ["request", "request", "cached", "cached"]


def test_no_store_pages_are_not_cached(
    fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    routes = {"/page": Reply(200, b"fresh", {"Cache-Control": "no-store"})}
    with ReplayServer(routes) as site:

        async def calls(session: Session) -> None:
            await session.get(site.url("/page"))
            await session.get(site.url("/page"))

        _fetch(site.allow(fast_policy), audit, tmp_path, calls)
    assert [r.path for r in site.received].count("/page") == 2


def test_a_response_over_the_size_cap_is_an_error(
    policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    small = merge(policy, {"limits": {"max_response_bytes": 1000}}, "small")
    with ReplayServer({"/big": Reply(200, b"x" * 5000)}) as site:

        async def calls(session: Session) -> None:
            with pytest.raises(SourceError, match="larger than 1000 bytes"):
                await session.get(site.url("/big"))

        _fetch(site.allow(small), audit, tmp_path, calls, time=VirtualTime())
    assert audit.rows()[-1].event == "error"


@pytest.mark.parametrize(
    "name", ["../../messages", "a/b", "x?admin=1", "y#frag", "z%2F..%2Fsecret", "..", "."]
)
def test_one_segment_stays_one_segment(name: str) -> None:
    encoded = Session.segment(name)
    assert "/" not in encoded and "?" not in encoded and "#" not in encoded
    assert encoded not in (".", "..")


def test_debtor_values_in_a_path_are_refused(
    fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    query = Query.of("ACCT-1", first_name="Jane", last_name="Roe-Smith")
    with ReplayServer({}) as site:

        async def calls(session: Session) -> None:
            with pytest.raises(ConnectorError, match="last_name"):
                await session.get(site.url("/people/roe-smith/profile"))
            for relative in ("people/roe-smith/profile", "/people/roe-smith"):  # no host
                with pytest.raises(ConnectorError, match="last_name"):
                    await session.get(relative)
            # escapes of escapes: her name to a server that decodes twice (or three times)
            for twice in ("/people/%2572oe-smith", "/people/%25252572oe-smith",
                          "/people/\uff0572oe-smith"):  # fmt: skip
                with pytest.raises(ConnectorError, match="last_name"):
                    await session.get(site.url(twice))
            await session.get(site.url("/people"), params={"name": "Roe-Smith/../x"})

        _fetch(site.allow(fast_policy), audit, tmp_path, calls, query=query)
    paths = [r.path for r in site.received if r.path != "/robots.txt"]
    assert paths == ["/people?name=Roe-Smith%2F..%2Fx"]
    refused = [r for r in audit.rows() if r.event == "refused"]  # every refusal is audited
    assert [(r.rule, r.url) for r in refused] == [
        ("debtor-value", site.url("/")),
        ("debtor-value", ""),
        ("debtor-value", ""),
        ("debtor-value", site.url("/")),
        ("debtor-value", site.url("/")),
        ("debtor-value", site.url("/")),
    ]  # a URL without a host: nothing of it is written (a review saw its path written whole)
    assert all("last_name" in r.detail for r in refused) and "roe" not in repr(refused).lower()


def test_ids_from_a_source_may_contain_a_debtor_value_inside_a_word(
    fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    query = Query.of("ACCT-5", first_name="Kim", last_name="Lee", zip="20026")
    with ReplayServer({"/officers/xKimqLee9/appointments": Reply(200, b"{}", JSON)}) as site:

        async def calls(session: Session) -> None:
            await session.get(site.url("/officers/xKimqLee9/appointments"))
            await session.get(site.url("/Archives/000112760220026563/doc.xml"))
            with pytest.raises(ConnectorError, match="first_name"):
                await session.get(site.url("/people/kim/lee"))

        _fetch(site.allow(fast_policy), audit, tmp_path, calls, query=query)


@pytest.mark.parametrize("status", [400, 401, 500])
def test_a_refused_key_or_query_is_an_error_not_an_empty_answer(
    status: int, fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    with ReplayServer({"/api": Reply(status, b"{}", JSON)}) as site:

        async def calls(session: Session) -> None:
            with pytest.raises(SourceError, match=f"HTTP {status}"):
                await session.get(site.url("/api"))

        _fetch(site.allow(fast_policy), audit, tmp_path, calls, time=VirtualTime())


def test_a_name_that_resolves_to_a_metadata_address_is_refused(
    fast_policy: Policy, audit: AuditLog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def resolver(self: object, host: str, port: int, *args: object, **kw: object) -> list:
        assert host == "169.254.169.254.nip.example"
        return [(2, 1, 6, "", ("169.254.169.254", port))]

    monkeypatch.setattr(asyncio.AbstractEventLoop, "getaddrinfo", resolver, raising=False)
    monkeypatch.setattr(asyncio.BaseEventLoop, "getaddrinfo", resolver)

    async def calls(session: Session) -> str:
        with pytest.raises(HardRuleRefusal) as refused:
            await session.get("http://169.254.169.254.nip.example/latest/meta-data/")
        return refused.value.rule

    rule, _ = _fetch(fast_policy, audit, tmp_path, calls)
    assert rule == "metadata-address"
    assert _requests(audit)[-1].rule == "metadata-address"


def test_robots_rules_apply_to_the_canonical_path(
    fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    robots = b"User-agent: *\nDisallow: /private\n"
    with ReplayServer({"/robots.txt": Reply(200, robots, {})}) as site:

        async def calls(session: Session) -> None:
            for spelling in ("//private/x", "/./private/x", "/%70rivate/x"):
                with pytest.raises(PolicyRefusal):
                    await session.get(site.url(spelling))

        _fetch(site.allow(fast_policy), audit, tmp_path, calls)
    assert [r.path for r in site.received] == ["/robots.txt"]


def test_the_operators_own_search_instance_is_searched_whatever_its_robots_txt_says(
    fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    """Every SearxNG instance serves a robots.txt disallowing any URL with q= (it speaks to
    public crawlers): obeyed, no search ever ran. The instance the policy names and lists in
    hosts.allow_private is the operator's own: its robots.txt is not read for a search. Any
    other origin's is, even on the same host, and so is the instance's for any other page."""
    robots = b"User-agent: *\nDisallow: /\nDisallow: /*?*q=*\n"
    routes = {"/robots.txt": Reply(200, robots, {}), "/search": Reply(200, b"{}", JSON),
              "/about": Reply(200, b"ok")}  # fmt: skip
    with ReplayServer(routes) as searx, ReplayServer(routes) as other:
        policy = merge(other.allow(searx.allow(fast_policy)),
                       {"search": {"searxng_url": searx.base_url}}, "test")  # fmt: skip

        async def calls(session: Session) -> Fetched:
            with pytest.raises(PolicyRefusal, match="robots"):
                await session.get(other.url("/search"), {"q": "x"})
            page = await session.get(searx.url("/search"), {"q": "x", "format": "json"})
            with pytest.raises(PolicyRefusal, match="robots"):  # not its search: a page
                await session.get(searx.url("/about"))
            return page

        page, _ = _fetch(policy, audit, tmp_path, calls)
    assert page.status == 200
    assert [r.path for r in searx.received] == ["/search?q=x&format=json", "/robots.txt"]
    assert [r.path for r in other.received] == ["/robots.txt"]


@pytest.mark.parametrize(
    ("instance", "exempt"),
    [("http://127.0.0.1:8888/", True), ("http://searxng:8080/", True),
     ("https://search.internal/", True), ("https://searx.example.org/", False),
     ("https://[2606:4700:4700::1111]/", False), ("http://[::1]:8888/", True)],
)  # fmt: skip
def test_only_a_private_instance_is_the_operators_own(
    policy: Policy, instance: str, exempt: bool
) -> None:
    """A public instance listed in hosts.allow_private (where it changes nothing) was taken for
    the operator's own, its robots.txt unread (a review)."""
    listed = allowing(policy, "our own search", instance)
    listed = merge(listed, {"search": {"searxng_url": instance}}, "test")
    assert _own_search_instance(listed, httpx.URL(f"{instance}search?q=x")) is exempt


def test_a_phone_or_an_address_written_otherwise_in_a_path_is_refused(
    fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    """A review: the path check matched a phone and an address only as the debtor row wrote
    them, so (555) 867-5309 went out as /phone/5558675309 and 12 Oak St as /a/12-oak-st."""
    query = Query.of("ACCT-7", full_name="Jane Roe", phone="(555) 867-5309", address="12 Oak St")
    with ReplayServer({}) as site:

        async def calls(session: Session) -> None:
            for path, field in (("/phone/5558675309", "phone"), ("/p/555-867-5309/x", "phone"),
                                ("/p/+1.555.867.5309", "phone"), ("/a/12-oak-st", "address"),
                                ("/a/12_Oak_St/", "address")):  # fmt: skip
                with pytest.raises(ConnectorError, match=field):
                    await session.get(site.url(path))
            await session.get(site.url("/npi/1234567890"))  # another number
            await session.get(site.url("/a/12/oak-tree"))  # not the line

        _fetch(site.allow(fast_policy), audit, tmp_path, calls, query=query)
    paths = [r.path for r in site.received if r.path != "/robots.txt"]
    assert paths == ["/npi/1234567890", "/a/12/oak-tree"]


def test_a_name_or_an_address_run_together_in_a_path_is_refused(
    fast_policy: Policy, audit: AuditLog, tmp_path: Path
) -> None:
    """A review: a value's words were looked for with something between them only, so Jane
    Roe went out as /people/janeroe and 12 Oak St as /a/12oakst, a slug the debtor row wrote;
    a word that only begins with the value is still another word."""
    query = Query.of("ACCT-7", full_name="Jane Roe", address="12 Oak St")
    with ReplayServer({}) as site:

        async def calls(session: Session) -> None:
            for path, field in (("/people/janeroe", "full_name"), ("/p/JaneRoe.json", "full_name"),
                                ("/a/12oakst", "address"), ("/a/12OakSt/", "address")):  # fmt: skip
                with pytest.raises(ConnectorError, match=field):
                    await session.get(site.url(path))
            await session.get(site.url("/people/janeroes"))  # another word
            await session.get(site.url("/a/112oakst"))

        _fetch(site.allow(fast_policy), audit, tmp_path, calls, query=query)
    paths = [r.path for r in site.received if r.path != "/robots.txt"]
    assert paths == ["/people/janeroes", "/a/112oakst"]


def test_a_request_stopped_at_its_turn_gives_the_turn_back() -> None:
    """A request stopped when its turn comes (its source found rate-limited while it waited)
    is never sent: the turn it took goes back, and the host's next request, another source's,
    goes when that one would have, not a whole interval later."""
    time = VirtualTime()
    limiter = HostLimiter(lambda host: 1.0, 2, clock=time.clock, sleep=time.sleep)
    limited = SourceUnavailable("test_source", Status.RATE_LIMITED, "HTTP 429 after retries")
    started = time.now

    async def run() -> list[float]:
        sent = []
        async with limiter.slot("h"):
            sent.append(time.now - started)
        with pytest.raises(SourceUnavailable):
            async with limiter.slot("h", lambda: limited if time.now > started else None):
                sent.append(-1.0)  # never: stopped when its turn came
        async with limiter.slot("h"):
            sent.append(time.now - started)
        return sent

    assert asyncio.run(run()) == [0.0, 1.0]


def test_a_retry_whose_source_was_found_rate_limited_while_it_waited_is_not_sent() -> None:
    """A retry waits for its host's turn as a first try does, and its source may be found
    rate-limited for the run meanwhile (another request's 429 after retries): it is then not
    sent, as a first try is not. It went, one more request to a source the run stopped asking."""
    time = VirtualTime()
    limiter = HostLimiter(lambda host: 1.0, 2, clock=time.clock, sleep=time.sleep)
    limited = SourceUnavailable("test_source", Status.RATE_LIMITED, "HTTP 429 after retries")
    sent: list[str] = []

    def busy(request: httpx.Request) -> httpx.Response:
        sent.append(str(request.url))
        return httpx.Response(429, headers={"retry-after": "5"})

    retrying = RetryTransport(httpx.MockTransport(busy), limiter)

    async def run() -> None:
        with still_asked(lambda url: limited if sent else None):
            await retrying.handle_async_request(httpx.Request("GET", "https://a.example/"))

    with pytest.raises(SourceUnavailable):
        asyncio.run(run())
    assert sent == ["https://a.example/"]
