"""The exceptions skiptrace raises.

SkiptraceError
├── Refused              a request the guard will not send (never an httpx error, so no
│   │                    retry loop or ``except httpx.HTTPError`` swallows it)
│   ├── HardRuleRefusal  a rule in code: no policy, flag or connector can lift it
│   └── PolicyRefusal    a rule from the policy files in force
├── PolicyError          a policy file that is malformed or tries to loosen what it may not
└── AuditError           the audit log cannot be written or read
"""

from __future__ import annotations


class SkiptraceError(Exception):
    """Base class of every error skiptrace raises on purpose."""


class Refused(SkiptraceError):
    """A request the guard refused; ``rule`` names the rule that refused it."""

    def __init__(self, rule: str, url: str, detail: str = "") -> None:
        self.rule = rule
        self.url = url
        self.detail = detail
        message = f"refused by rule '{rule}': {url}"
        super().__init__(f"{message} ({detail})" if detail else message)


class HardRuleRefusal(Refused):
    """Refused by a hard rule, which lives in code and cannot be loosened."""


class PolicyRefusal(Refused):
    """Refused by a rule of the policy in force."""


class PolicyError(SkiptraceError):
    """A policy file is malformed, or tries to loosen a rule it may not."""


class AuditError(SkiptraceError):
    """The audit log could not be written or read."""
