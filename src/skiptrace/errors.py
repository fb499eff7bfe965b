"""Every exception skiptrace raises on purpose, in one tree.

SkiptraceError
├── Refused              a request the guard will not send (never an httpx error, so no
│   │                    retry loop or ``except httpx.HTTPError`` swallows it)
│   ├── HardRuleRefusal  a rule in code: no policy, flag or connector can lift it
│   └── PolicyRefusal    a rule from the policy files in force (robots.txt included)
├── PolicyError          a policy file that is malformed or tries to loosen what it may not
│   └── CategoryDataError the shipped host lists are not what their provenance says
├── AuditError           the audit log cannot be written or read
│   └── AuditUnreadable  ... because its file is damaged: verification fails
├── InputError           a file that cannot be read as a table (missing, empty, no header)
├── IndexBusy            another process is importing into or dropping from the offline index
├── WriteError           an output, a store or stdout that cannot be written (a full disk)
├── ColumnError          a table's header cannot give the fields needed
├── LinkingError         linking cannot run as asked (too many candidate pairs, no engine)
├── ManifestError        a connector that cannot be loaded, with the file and the reason
│   └── SpecError        a field selector (JMESPath, CSS) that does not compile
├── ConnectorError       a connector did something the framework does not allow
│   └── DebtorValueInURL a request path holding a debtor value, refused before it was sent
├── SourceError          a source answered, but not usefully (5xx, too large, not JSON)
│   ├── SourceTimeout    ... or not within the policy's limits.request_seconds
│   ├── PaceError        ... or not asked: this machine could not keep the host's pace
│   └── HostSlowed       ... or not asked: the host's next turn is further than it may wait
├── SourceUnavailable    a source is rate-limited or blocked for the rest of the run
├── NoResult             a source asked that found nothing, and says why (never an error)
└── NotConfigured        a source that needs setting up first (an offline index to import)

A connector may raise ``SourceError`` and catch ``SourceUnavailable``; the SDK
(``skiptrace.connectors``) exports both.
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


class CategoryDataError(PolicyError):
    """The shipped host lists are not what ``sources.toml`` says, or an entry is malformed:
    skiptrace refuses to run on them, since a list that loaded short would let its hosts
    through. The message names the file."""


class AuditError(SkiptraceError):
    """The audit log could not be written or read."""


class AuditUnreadable(AuditError):
    """A file is at the audit log's name, but SQLite reads it as damaged or as no database (a
    failing disk, bytes overwritten): the audit commands report that as a failed verification,
    not a usage error. ``reason`` is SQLite's own words."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class InputError(SkiptraceError):
    """A file that cannot be read as a table."""


class IndexBusy(SkiptraceError):
    """Another process is writing to the offline index (an import or a drop)."""


class WriteError(SkiptraceError):
    """A file skiptrace writes (an output, the checkpoints) could not be written: a full disk, a
    lost mount. What was finished before is kept. Or one of its stores (the index, the cache,
    the checkpoints) could not be opened: what stands at its name is no SQLite database."""


class ColumnError(SkiptraceError):
    """The file's header cannot give the fields needed."""


class LinkingError(SkiptraceError):
    """Linking cannot run as asked: more candidate pairs than a machine can compare, or an
    engine that is not installed or not reachable."""


class ManifestError(SkiptraceError):
    """A manifest that cannot be used, with the file and the reason."""


class SpecError(ManifestError):
    """A field spec that cannot be compiled."""


class ConnectorError(SkiptraceError):
    """A connector did something the framework does not allow, or is misdeclared."""


class DebtorValueInURL(ConnectorError):
    """A request whose path held a debtor value as a word: never sent, and audited (rule
    ``debtor-value``, the scheme and host only). A connector may catch it and go on, as a
    link a site wrote may hold the debtor's name by chance (Dana Lane at Harbor Lane
    Plumbing): catching it sends nothing."""


class SourceError(SkiptraceError):
    """The source answered, but not usefully (5xx, a page too large, an unparseable body)."""


class SourceTimeout(SourceError):
    """A request took longer than the policy allows, a server dripping its answer included."""


class PaceError(SourceError):
    """This machine could not keep a host's pace (its turns shared in the state folder: a lock
    held too long, a file that is no file): the request was not sent, and nothing is learnt
    of the host."""


class HostSlowed(SourceError):
    """A request not sent: its host's next turn, slowed down by a Retry-After or a Crawl-delay
    (heard by this process or by another sharing the host's turns), comes later than the
    request may wait for it. Rate-limited, never a timeout: asking again later may succeed."""


class SourceUnavailable(SkiptraceError):
    """The source is rate-limited or blocked for this run: not the same as "no result"."""

    def __init__(self, connector: str, status: str, detail: str) -> None:
        self.connector, self.status, self.detail = connector, status, detail
        super().__init__(f"{connector} is {status}: {detail}")


class NoResult(SkiptraceError):
    """Raised by a connector that asked its source and found nothing, to say why (the site
    does not name the employer, the search found no site...): the source's status is
    ``no_result`` with this message as its detail, never an error. It must not name the
    debtor's values: the detail is printed and written to the output."""


class NotConfigured(SkiptraceError):
    """A source that cannot be asked until it is set up (the offline index has no records):
    its silence is neither "no result" nor an outage."""
