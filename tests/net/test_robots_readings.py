"""A path robots.txt disallows is refused however it is spelt for a server that reads it so:
nginx decodes ``%2F`` to ``/`` before it matches a location or opens a file, IIS reads ``\\``
as ``/``, and a Java server drops a segment's ``;jsessionid=...`` parameters. Compared as RFC
9309 writes it (``%2F`` kept encoded), ``/private%2Fx`` was another path than ``/private/x``,
and a connector asking for it read what the host's robots.txt disallowed. Repeated slashes
are folded too (nginx's ``merge_slashes`` folds the ``//`` a decoded ``%2F`` makes:
``/%2Fprivate/x`` is ``/private/x`` to it, and ``//private/x``, which ``Disallow: /private/``
does not match, to the check), and a segment's trailing dots and spaces dropped (Windows drops
them from a name)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from skiptrace.audit import AuditLog
from skiptrace.policy import Policy
from skiptrace.testing.replay import ReplayServer, Reply

ROBOTS = b"User-agent: *\nDisallow: /private/\nDisallow: /*.cgi$\nAllow: /Public\n"


GetAll = Callable[[Policy, AuditLog, Path, list[str]], list[int | str]]
"""The ``get_all`` fixture (tests/conftest.py)."""


@pytest.mark.parametrize(
    "path",
    [
        "/private%2Fstaff.html",
        "/private%252Fstaff.html",
        "/private\\staff.html",
        "/private;v=1/staff.html",
        "/search.cgi;x=1",
        "/%2Fprivate/staff.html",
        "/%2F%2Fprivate/staff.html",
        "/%252Fprivate/staff.html",
        "/\\private/staff.html",
        "/private%2F%2Fstaff.html",
        "/private./staff.html",
        "/private%20/staff.html",
        "/search.cgi.",
    ],
)
def test_a_disallowed_path_spelt_for_a_lenient_server_is_refused_and_audited(
    path: str, fast_policy: Policy, audit: AuditLog, tmp_path: Path, get_all: GetAll
) -> None:
    with ReplayServer({"/robots.txt": Reply(200, ROBOTS, {})}) as site:
        outcomes = get_all(site.allow(fast_policy), audit, tmp_path, [site.url(path)])
    assert outcomes == ["robots"]
    assert [r.path for r in site.received] == ["/robots.txt"]
    refused = [row for row in audit.rows() if row.event == "refused"]
    assert [row.rule for row in refused] == ["robots"]


def test_an_allowed_path_is_still_read_in_each_spelling(
    fast_policy: Policy, audit: AuditLog, tmp_path: Path, get_all: GetAll
) -> None:
    """Readings are compared as they are written: a more specific Allow stands (the case of a
    path is the server's: ``/Public`` is not ``/public``), and folding only adds readings
    (``/privately/`` and ``/about/`` are not ``/private/``)."""
    paths = ["/Public/about.html", "/about%2Fus.html", "/Public;v=2/team.html",
             "/privately/x.html", "/%2Fabout.html", "/about./team.html",
             "/search.cgi/x"]  # fmt: skip
    routes = {"/robots.txt": Reply(200, ROBOTS, {})}
    routes |= {path: Reply(200, b"ok", {}) for path in paths}
    with ReplayServer(routes) as site:
        urls = [site.url(path) for path in paths]
        assert get_all(site.allow(fast_policy), audit, tmp_path, urls) == [200] * len(paths)
