"""The offline demonstration: a made-up business site on loopback, read through the guard.

It shows on one screen what skiptrace does and refuses to do, with no network at all: one page
is fetched, and each kind of contact attempt is refused by the rule that stops it. Every attempt
lands in the real audit log, whose chain is then verified.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import httpx

from skiptrace.audit import AuditLog, Verification
from skiptrace.errors import Refused
from skiptrace.net.client import guarded_client
from skiptrace.policy import Policy
from skiptrace.testing.replay import ReplayServer, Reply

_HOME_PAGE = b"""<!doctype html><html><head><title>Example Plumbing Co.</title></head><body>
<h1>Example Plumbing Co.</h1>
<address>100 Example Avenue, Suite 4, Springfield, IL 62701</address>
<a href="/contact">Message us on WhatsApp</a></body></html>"""

ROUTES = {
    "/": Reply(200, _HOME_PAGE, {"Content-Type": "text/html", "Set-Cookie": "visitor=1"}),
    "/contact": Reply(302, b"", {"Location": "https://wa.me/15550100"}),
}


@dataclass(frozen=True)
class Attempt:
    """One line of the demonstration: what was tried and what the guard did."""

    what: str
    outcome: str
    rule: str


def run_demo(policy: Policy, audit: AuditLog) -> tuple[list[Attempt], Verification]:
    """Make the demonstration's requests; return what happened and the audit log's verdict.

    The made-up site is on loopback, a private address: the policy lists it in
    ``hosts.allow_private``, on the record, as an operator's policy file would."""
    with (
        ReplayServer(ROUTES) as site,
        guarded_client(
            connector="demo",
            purpose="demonstration of the guard",
            policy=site.allow(policy, "the guard demo's made-up site on loopback"),
            audit=audit,
        ) as client,
    ):
        tries: list[tuple[str, Callable[[], httpx.Response]]] = [
            ("read the business's home page", lambda: client.get(site.url("/"))),
            (
                "submit its contact form (POST)",
                lambda: client.post(site.url("/contact"), data={"msg": "hello"}),
            ),
            (
                "follow its 'message us' link (redirects to wa.me)",
                lambda: client.get(site.url("/contact")),
            ),
            (
                "open a LinkedIn messaging thread",
                lambda: client.get("https://www.linkedin.com/messaging/thread/1/"),
            ),
            ("read a public Facebook page", lambda: client.get("https://www.facebook.com/example")),
            (
                "read cloud instance metadata",
                lambda: client.get("http://169.254.169.254/latest/meta-data/"),
            ),
            ("open the site's sign-in page", lambda: client.get(site.url("/Account/Login.aspx"))),
        ]
        attempts = [_attempt(what, call) for what, call in tries]
        cookies_kept = len(client.cookies)
    attempts.append(Attempt("cookies kept by the client", str(cookies_kept), ""))
    return attempts, audit.verify()


def _attempt(what: str, call: Callable[[], httpx.Response]) -> Attempt:
    try:
        response = call()
    except Refused as refusal:
        return Attempt(what, "refused", refusal.rule)
    return Attempt(what, f"fetched: HTTP {response.status_code}, {len(response.content)} bytes", "")
