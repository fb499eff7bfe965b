"""What the guard would say of a request, as a value: for tests of rules and policies, which
ask it of many URLs and compare the rule that refused each."""

from __future__ import annotations

from skiptrace.errors import Refused
from skiptrace.net.guard import evaluate
from skiptrace.policy import Policy


def refusal_of(url: str, policy: Policy, method: str = "GET") -> Refused | None:
    """The refusal ``policy`` (and the hard rules) would give ``method url``; None if sent."""
    try:
        evaluate(method, url, policy)
    except Refused as refused:
        return refused
    return None
