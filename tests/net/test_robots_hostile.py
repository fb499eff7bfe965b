"""A hostile review of robots.txt: what its fetch writes in the audit log, a file longer than
the part of it that is read, and the memory the rules of many hosts take."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from skiptrace.audit import AuditLog
from skiptrace.net.layers import robots
from skiptrace.policy import Policy
from skiptrace.testing.replay import ReplayServer, Reply, allowing

GetAll = Callable[[Policy, AuditLog, Path, list[str]], list[int | str]]
"""The ``get_all`` fixture (tests/conftest.py)."""
Served = Callable[..., tuple[list[int | str], list[str]]]


@pytest.fixture
def served(fast_policy: Policy, audit: AuditLog, tmp_path: Path, get_all: GetAll) -> Served:
    """A site serving the robots.txt given, and a page at each path given (``/our-team`` if
    none), asked for each path: the outcomes, and the paths the site was asked for."""

    def ask(robots: bytes, *paths: str) -> tuple[list[int | str], list[str]]:
        asked = paths or ("/our-team",)
        routes = {"/robots.txt": Reply(200, robots, {"Content-Type": "text/plain"}),
                  **{path: Reply(200, b"page") for path in asked}}  # fmt: skip
        with ReplayServer(routes) as site:
            urls = [site.url(path) for path in asked]
            outcomes = get_all(site.allow(fast_policy), audit, tmp_path, urls)
            return outcomes, [request.path for request in site.received]

    return ask


@pytest.mark.parametrize(("status", "reason"), [(503, "error"), (500, "error"),
                                                (429, "rate_limited")])  # fmt: skip
def test_a_robots_txt_that_could_not_be_read_says_why_in_each_of_its_rows(
    status: int, reason: str, fast_policy: Policy, audit: AuditLog, tmp_path: Path, get_all: GetAll
) -> None:
    """The robots.txt fetch is audited like any request, and a request's row that got no
    usable answer carries its reason word: its retried attempts' rows did, its last one
    (the answer that made everything disallowed) carried none."""
    routes = {"/robots.txt": Reply(status, b"", {}), "/page": Reply(200, b"ok")}
    with ReplayServer(routes) as site:
        outcomes = get_all(site.allow(fast_policy), audit, tmp_path, [site.url("/page")])
    assert outcomes == ["robots-unavailable"]
    fetches = [row for row in audit.rows() if row.url.endswith("/robots.txt")]
    assert fetches and all(row.status == status for row in fetches)
    assert [row.reason for row in fetches] == [reason] * len(fetches)


@pytest.mark.parametrize("status", [206, 202])
def test_a_part_of_a_robots_txt_is_no_robots_txt(
    status: int, fast_policy: Policy, audit: AuditLog, tmp_path: Path, get_all: GetAll
) -> None:
    """A 206 (a part of the file, never asked for) or a 202 (accepted, not yet answered) had
    been read as the whole file: its ``Disallow`` lines past the cut were not obeyed."""
    routes = {"/robots.txt": Reply(status, b"User-agent: *\nAllow: /welcome\n", {}),
              "/page": Reply(200, b"ok")}  # fmt: skip
    with ReplayServer(routes) as site:
        outcomes = get_all(site.allow(fast_policy), audit, tmp_path, [site.url("/page")])
        assert "/page" not in [request.path for request in site.received]
    assert outcomes == ["robots-unavailable"]


def test_a_robots_txt_cut_at_its_limit_drops_the_line_it_cut(
    fast_policy: Policy, served: Served
) -> None:
    """Only ``robots.max_bytes`` of a robots.txt are read; cut there, its last line was read
    as far as it went: ``Allow: /welcome.html`` cut to ``Allow: /`` allowed the whole site,
    which ``Disallow: /`` closed but for that page. A line the limit cuts is left out."""
    limit = int(fast_policy["robots.max_bytes"])
    head = b"User-agent: *\nDisallow: /\n"
    padding = b"#" * (limit - len(head) - len(b"Allow: /") - 1) + b"\n"
    robots = head + padding + b"Allow: /welcome.html\n"
    assert robots[:limit].endswith(b"\nAllow: /")
    assert served(robots) == (["robots"], ["/robots.txt"])


def test_the_rules_kept_are_bounded_by_the_size_of_their_files(
    fast_policy: Policy,
    audit: AuditLog,
    tmp_path: Path,
    get_all: GetAll,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each host's rules were kept for the whole run, however many hosts: a run reads one
    business site per debtor, and a site serving a robots.txt of ``robots.max_bytes``
    (40,000 rules in 512,000 bytes) costs some 30 MB parsed, so a debtor file naming a few
    hundred such sites (a hostile one, or one host's wildcard names) ran the machine out
    of memory. Past ``KEPT_BYTES`` of files, the rules least recently used are dropped (and
    fetched again if that host is asked again)."""
    monkeypatch.setattr(robots, "KEPT_BYTES", 150_000, raising=False)  # two such files
    body = b"User-agent: *\nDisallow: /private\n" + b"# a long file\n" * 4000  # 56,034 bytes
    routes = {"/robots.txt": Reply(200, body, {"Content-Type": "text/plain"}),
              "/page": Reply(200, b"ok", {"Cache-Control": "no-store"})}  # fmt: skip
    with ReplayServer(routes) as a, ReplayServer(routes) as b, ReplayServer(routes) as c:
        policy = allowing(fast_policy, "three hosts on loopback", a, b, c)
        urls = [site.url(path) for site, path in [(a, "/page"), (b, "/page"), (a, "/page"),
                                                  (c, "/page"), (b, "/page")]]  # fmt: skip
        outcomes = get_all(policy, audit, tmp_path, urls)
        asked = [[r.path for r in site.received] for site in (a, b, c)]
    assert outcomes == [200] * 5
    assert asked == [["/robots.txt", "/page", "/page"],  # a's rules used again: kept
                     ["/robots.txt", "/page", "/robots.txt", "/page"],  # b's dropped for c's
                     ["/robots.txt", "/page"]]  # fmt: skip


@pytest.mark.parametrize("agent", ["s", "Skip", "skiptrac", "s*", "*skip", "skip*"])
def test_another_crawlers_group_is_not_skiptraces_because_its_name_begins_ours(
    agent: str, served: Served
) -> None:
    """RFC 9309 2.2.1: a crawler obeys the group whose agent is its product token. The parser
    took a group for any agent ours begins with ("Skip", "s", or "s*" with its ``*`` dropped)
    for skiptrace's, so a site open to the crawler "Skip" alone and closed to everyone else
    was read whole. Such a group is another crawler's; skiptrace obeys the ``*`` one."""
    robots = f"User-agent: {agent}\nAllow: /\n\nUser-agent: *\nDisallow: /\n".encode()
    assert served(robots) == (["robots"], ["/robots.txt"])


@pytest.mark.parametrize("agent", ["SkipTrace", "skiptrace/0.1", "skiptrace*"])
def test_skiptraces_own_group_still_holds_for_it(agent: str, served: Served) -> None:
    robots = f"User-agent: {agent}\nAllow: /\n\nUser-agent: *\nDisallow: /\n".encode()
    assert served(robots)[0] == [200]


@pytest.mark.parametrize("agent", ["* (everyone)", "*\t# all crawlers"])
def test_a_group_for_everyone_with_words_after_its_asterisk_is_obeyed(
    agent: str, served: Served
) -> None:
    """``User-agent: * (everyone)`` is the group for every crawler, as Google's parser reads
    it (an asterisk and a space): the parser took it for an agent named " (everyone)", no
    group held for skiptrace, and the page the group disallowed was read."""
    robots = f"User-agent: {agent}\nDisallow: /our-team\n".encode()
    assert served(robots)[0] == ["robots"]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_a_robots_txt_written_in_utf_16_or_32_with_its_byte_order_mark_is_obeyed(
    codec: str, served: Served
) -> None:
    """RFC 9309 asks for UTF-8, but a Windows editor saves "Unicode" as UTF-16 with a byte
    order mark: read as UTF-8, every line held NULs, no rule was found and the whole site was
    read. The mark says how the file is written; the site's wish is obeyed."""
    text = "User-agent: *\nDisallow: /our-team\n"
    robots = text.encode(codec) if codec != "utf-16-be" else b"\xfe\xff" + text.encode(codec)
    assert served(robots, "/our-team", "/about")[0] == ["robots", 200]
