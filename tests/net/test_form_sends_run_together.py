"""A form that writes to whoever it is given is refused with a phone number or an e-mail
address when its path runs its words together as ASP.NET and PHP sites name them
(``/ForgotPassword.aspx``, ``/PasswordReset``, ``/lostpassword.php``) or names it by what it
sends (``/newsletter``, ``/callmeback``): the rule for such forms matched ``forgot`` or
``reset`` only as a word of its own (``/forgot-password``), and these went out as plain
reads."""

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
        "/ForgotPassword.aspx?email=jo@example.org",
        "/users/resetpassword?email=jo@example.org",
        "/PasswordReset?email=jo%40example.org",
        "/lostpassword.php?email=jo@example.org",
        "/newsletter?email=jo@example.org",
        "/callmeback?phone=5558675309",
    ],
)
def test_a_run_together_form_that_writes_is_refused(rest: str, default_policy: Policy) -> None:
    assert _rule(SITE + rest, default_policy) == "send-endpoint"


@pytest.mark.parametrize(
    "rest",
    [
        "/newsletter/2024-01",
        "/blog/forgotpassword-tips",
        "/registers/search?phone=5558675309",
        "/presets?email=jo@example.org",
    ],
)
def test_a_page_is_read(rest: str, default_policy: Policy) -> None:
    assert _rule(SITE + rest, default_policy) is None
