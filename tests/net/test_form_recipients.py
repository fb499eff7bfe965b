"""A form mailer takes its addressee from the query (FormMail's ``recipient``, Tectite's
``recipients``) and mails whatever else it is given, a subject, comments or nothing: such a GET
writes to whoever the query names on any host, with no field called a message. ``formmail``
in a path names such a mailer and nothing else. Both went out as plain reads: the rule for
forms sent by GET looked for a message field (``message``, ``text``, ``body``) beside the
address."""

from __future__ import annotations

import pytest

from skiptrace.errors import Refused
from skiptrace.net.guard import evaluate
from skiptrace.policy import Policy, load_policy

SITE = "https://www.acme-plumbing.example"


@pytest.fixture(scope="module")
def default_policy() -> Policy:
    return load_policy()


def _rule(url: str, policy: Policy) -> str | None:
    try:
        evaluate("GET", url, policy)
    except Refused as refusal:
        return refusal.rule
    return None


@pytest.mark.parametrize(
    "rest",
    [
        "/cgi-bin/formmail.pl?recipient=jo@example.org&subject=Hi&comments=Call%20me",
        "/cgi-bin/FormMail.pl?recipient=jo%40example.org",
        "/mailer.php?recipients=jo@example.org&subject=Hi",
        "/mailer.php?_recipients=jo@example.org,al@example.org",
        "/form.php?email_recipient=(555)%20867-5309",
        "/cgi-bin/formmail.pl?email=me@example.net&subject=Hi",
        "/scripts/formmail.php",
    ],
)
def test_a_form_mailer_is_refused(rest: str, default_policy: Policy) -> None:
    assert _rule(SITE + rest, default_policy) == "send-endpoint"


@pytest.mark.parametrize(
    "rest",
    [
        "/awards?recipient=Jane%20Doe",
        "/grants/search?recipients=Acme%20Plumbing&year=2024",
        "/forms/mail-order.html",
    ],
)
def test_a_recipient_named_not_reached_is_read(rest: str, default_policy: Policy) -> None:
    assert _rule(SITE + rest, default_policy) is None
