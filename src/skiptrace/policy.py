"""Policy files: load them, merge them so they only ever tighten, and answer questions from them.

``policies/default.toml`` is always the base. Every further file is merged on top: a value that
is stricter than the one in force replaces it; a looser one is an error unless the file has an
``[[override]]`` entry for that key with a reason (the audit log records it). Keys that name a
hard rule are always an error: those rules are code (see ``hardrules``).
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import math
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, NoReturn

from skiptrace._version import __version__
from skiptrace.errors import HardRuleRefusal, PolicyError, PolicyRefusal
from skiptrace.net.categories import check as check_categories
from skiptrace.net.categories import digest as categories_digest
from skiptrace.net.categories import listing
from skiptrace.net.hardrules import (
    HARD_RULES,
    check_url,
    endpoint,
    host_matches,
    is_metadata_host,
)
from skiptrace.net.urls import DEFAULT_PORTS, CanonicalURL, canonical_host, canonicalize
from skiptrace.small_files import MAX_FILE_BYTES
from skiptrace.state import builtin_dir

Kind = Literal[
    "on", "lower", "higher", "union", "allow_only", "endpoints", "grants", "text", "contact",
    "rates",
]  # fmt: skip


@dataclass(frozen=True)
class Setting:
    """One policy key: its kind says which direction is stricter."""

    kind: Kind
    help: str


SETTINGS: dict[str, Setting] = {
    "hosts.deny_social_networks": Setting(
        "on", "deny social networks and messaging services' own sites (shipped list)"
    ),
    "hosts.deny_dating_sites": Setting("on", "deny dating sites (shipped list)"),
    "hosts.deny": Setting("union", "hosts never fetched (subdomains too)"),
    "hosts.allow_only": Setting("allow_only", "if set, the only hosts fetched"),
    "hosts.allow_private": Setting(
        "endpoints", "host:port pairs reached although private or loopback (exact)"
    ),
    "connectors.trusted": Setting(
        "grants", "Python connectors run in-process where no sandbox can be had (by id)"
    ),
    "connectors.keys": Setting(
        "grants", "connectors skiptrace does not ship that may read the API key they name (by id)"
    ),
    "connectors.contact_details": Setting(
        "grants",
        "connectors skiptrace does not ship that may be handed the debtor's phone and e-mail "
        "(by id)",
    ),
    "robots.honour": Setting("on", "obey robots.txt (RFC 9309)"),
    "robots.honour_crawl_delay": Setting("on", "obey Crawl-delay"),
    "robots.cache_hours": Setting("lower", "how long a robots.txt is trusted"),
    "robots.max_bytes": Setting("higher", "how much of a robots.txt is parsed"),
    "identity.user_agent": Setting("contact", "User-Agent sent with every request"),
    "identity.contact": Setting("contact", "operator contact, sent as From"),
    "rate.default": Setting("lower", "request rate per host (2/s, 30/m, 600/5m)"),
    "rate.per_host_concurrency": Setting("lower", "requests in flight per host"),
    "rate.hosts": Setting("rates", "per-host request rates (subdomains too, where slower)"),
    "purpose.required": Setting("on", "a permissible purpose is required"),
    "purpose.default": Setting("text", "purpose used when none is given"),
    "cache.hours": Setting("lower", "hours a fetched page is reused when it gives no expiry"),
    "cache.max_mb": Setting("lower", "megabytes of pages the cache keeps (the oldest dropped)"),
    "retention.days": Setting("lower", "days before cached data is purged"),
    "retention.audit_years": Setting("higher", "years the audit log is kept"),
    "redaction.fields": Setting("union", "fields masked in logs and exports"),
    "limits.timeout_seconds": Setting("lower", "seconds before a request times out"),
    "limits.max_response_bytes": Setting("lower", "largest response read"),
    "limits.max_redirects": Setting("lower", "redirect hops followed"),
    "limits.request_seconds": Setting("lower", "seconds one request may take, body included"),
    "limits.source_seconds": Setting("lower", "seconds one source may take for one debtor"),
    "search.searxng_url": Setting(
        "text", "a SearxNG instance's URL, for connectors that declare search_api = searxng"
    ),
}

_DEEPEST = max(key.count(".") for key in SETTINGS)
"""How many tables deep a setting lies ("rate.hosts": one): a deeper table is no setting."""

_DENY_CATEGORY = {"social": "hosts.deny_social_networks", "dating": "hosts.deny_dating_sites"}
"""The key that denies each category the policy rules on (contact, chat and sender are hard
rules, so ``check_url`` refuses them before a policy is asked)."""

MIN_AUDIT_YEARS = 3
"""Reg F 1006.100: records kept three years after the last collection activity. Not loosenable."""

_HARD_KEYS = {
    "hard": "method",
    "hard_rules": "method",
    "methods": "method",
    "allow_methods": "method",
    "allow_post": "method",
    "allow_body": "body",
    "body": "body",
    "cookies": "cookie",
    "allow_cookies": "cookie",
    "authorization": "authorization",
    "allow_login": "account-area",
    "login": "account-area",
    "allow_credentials": "userinfo",
    "schemes": "scheme",
    "allow_schemes": "scheme",
    "allow_metadata": "metadata-address",
    "allow_messaging": "social-action",
    "social_actions": "social-action",
    "contact_hosts": "contact-host",
    **{rule: rule for rule in HARD_RULES},
}
SCOPE_KEYS = (
    "hosts.deny_social_networks", "hosts.deny_dating_sites", "hosts.deny", "hosts.allow_only",
    "hosts.allow_private", "connectors.trusted", "connectors.keys", "connectors.contact_details",
    "robots.honour", "robots.max_bytes", "limits.max_response_bytes", "limits.max_redirects",
    "search.searxng_url",
)  # fmt: skip
"""The policy keys that decide what a run may read (``Policy.scope``)."""
_RATE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*/\s*(\d+(?:\.\d+)?)?\s*([smh])\s*$")
_UNIT_SECONDS = {"s": 1.0, "m": 60.0, "h": 3600.0}
_MIN_REASON_LENGTH = 10
"""Letters and digits (any script) an override's reason must hold: punctuation, spaces and
invisible marks say nothing, and ten of them had passed for a reason."""
_LARGEST = 2**53
_LONGEST_WAIT = 86_400
"""The longest deadline a ``*_seconds`` key may set: past a day none is kept, and a socket
cannot wait 2**53 s (every request of the plain client had ended in an OverflowError)."""
"""The largest number a setting may hold: a float counts every whole number up to it (a
400-digit integer could not be compared with another setting's float at all)."""
_WHOLE = frozenset({"robots.max_bytes", "rate.per_host_concurrency", "limits.max_response_bytes",
                    "limits.max_redirects"})  # fmt: skip
"""Counts, which a fraction would truncate: 0.5 requests in flight was none at all."""


def parse_rate(text: object) -> float:
    """Requests per second from ``"2/s"``, ``"30/m"``, ``"600/5m"`` or ``"100/h"``."""
    if not isinstance(text, str):  # a table's repr could be 5,000 tables deep
        raise PolicyError(f"a {type(text).__name__} is not a rate like '2/s', '30/m' or '600/5m'")
    match = _RATE.match(text)
    if not match:
        raise PolicyError(f"rate {text!r} is not like '2/s', '30/m' or '600/5m'")
    count, span, unit = match.groups()
    if float(span or 1) <= 0:
        raise PolicyError(f"rate {text!r} counts over no time at all")
    per_second = float(count) / (float(span or 1) * _UNIT_SECONDS[unit])
    if not math.isfinite(per_second):  # digits past a float's range: inf/inf is nan, no limit
        raise PolicyError(f"rate {text!r} is not a finite number of requests per second")
    if per_second <= 0:
        raise PolicyError(f"rate {text!r} must be above zero")
    return per_second


@dataclass(frozen=True)
class Override:
    """A loosened default, with the reason the operator gave for it."""

    key: str
    value: Any
    reason: str
    source: str
    loosened: Policy | None = field(default=None, compare=False, repr=False)
    """The policy in force that it loosened: it is in force while its key is looser still."""


@dataclass(frozen=True)
class Policy:
    """The merged policy in force. ``values`` holds every key of SETTINGS."""

    values: Mapping[str, Any]
    sources: tuple[str, ...]
    overrides: tuple[Override, ...] = field(default=())

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    @property
    def user_agent(self) -> str:
        agent = str(self["identity.user_agent"]).replace("{version}", __version__)
        contact = self["identity.contact"]
        return f"{agent} contact: {contact}" if contact else agent

    def headers(self) -> dict[str, str]:
        """The identifying headers sent with every request."""
        headers = {"User-Agent": self.user_agent}
        if self["identity.contact"]:
            headers["From"] = str(self["identity.contact"])
        return headers

    def scope(self) -> str:
        """A digest of what decides what a run may read and how it reads it: the keys of
        ``SCOPE_KEYS``, skiptrace's version and the shipped host lists. Rows kept for resuming
        a run are reused only under the same scope; pace, identity, retention and the like do
        not change a row's findings."""
        kept = {key: self.values[key] for key in SCOPE_KEYS}
        kept["version"], kept["host lists"] = __version__, categories_digest()
        text = json.dumps(kept, sort_keys=True, default=sorted)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def rate_for(self, host: str) -> float:
        """Requests per second allowed on ``host``: its own rate (else the default), or a
        listed parent name's where slower, as a deny entry covers subdomains: a rate written
        for acme.example had left www.acme.example at the default."""
        return parse_rate(self._rate_text(host))

    def _rate_text(self, host: str) -> str:
        """The rate ``rate_for`` reads for ``host``, as the policy spells it."""
        host_rates: Mapping[str, str] = self["rate.hosts"]
        labels = host.split(".")
        parents = (".".join(labels[index:]) for index in range(1, len(labels)))
        own: str = host_rates.get(host, self["rate.default"])
        return min([own, *(host_rates[name] for name in parents if name in host_rates)],
                   key=parse_rate)  # fmt: skip

    def in_force(self, override: Override) -> Any:
        """What ``override``'s key runs at now: a later policy may have tightened part of it
        (one host's rate of those it named, a default lowered yet still looser), and its audit
        row says what runs, not only what was written. For a rate table, the hosts it named
        (a parent name's slower rate, which ``rate_for`` applies, included)."""
        if SETTINGS[override.key].kind == "rates":
            return {host: self._rate_text(host) for host in override.value}
        return self[override.key]

    def moved_since(self, override: Override) -> str:
        """How ``override``'s key has moved since it was set (``in_force``): "" where it runs
        as set (a rate spelt otherwise included), else "loosened" where a later override made
        any of it looser (a host faster), else "tightened"."""
        runs = self.in_force(override)
        if SETTINGS[override.key].kind == "rates":
            rates = [
                (parse_rate(runs[host]), parse_rate(rate)) for host, rate in override.value.items()
            ]
            if all(now == then for now, then in rates):
                return ""
            return "loosened" if any(now > then for now, then in rates) else "tightened"
        if runs == override.value:
            return ""
        if SETTINGS[override.key].kind == "union":  # an entry dropped since loosens it
            return "tightened" if set(override.value) <= set(runs) else "loosened"
        return "loosened" if _loosening(override.key, override.value, runs, self) else "tightened"

    def purpose(self, given: str) -> str:
        """The purpose to record: ``given``, else the policy's default; PolicyError if the
        policy requires one and there is none."""
        chosen = given.strip() or str(self["purpose.default"]).strip()
        if self["purpose.required"] and not chosen:
            raise PolicyError(
                "a purpose is required: --purpose 'collection of a debt owed' "
                "(or set purpose.default in your policy file)"
            )
        return chosen

    def check_host(self, url: CanonicalURL) -> None:
        """Raise PolicyRefusal if the policy denies ``url``'s host."""
        host = url.host
        listed = listing(host)
        deny_key = _DENY_CATEGORY.get(listed.category.name, "") if listed else ""
        if listed and deny_key and self[deny_key]:
            raise PolicyRefusal(listed.category.rule, str(url), listed.describe(host))
        if self._denied and host_matches(host, self._denied):
            raise PolicyRefusal("denied-host", str(url), f"{host} is on the policy's deny list")
        if self._allowed and not host_matches(host, self._allowed):
            raise PolicyRefusal("not-allowed-host", str(url), f"{host} is not on allow_only")

    @cached_property
    def _denied(self) -> frozenset[str]:
        return frozenset(self["hosts.deny"])

    @cached_property
    def _allowed(self) -> frozenset[str]:
        return frozenset(self["hosts.allow_only"])

    @cached_property
    def private_allowed(self) -> frozenset[str]:
        """``hosts.allow_private``: the canonical ``host:port`` pairs (``hardrules.endpoint``)
        a run may reach although private, the one exception the hard rule makes."""
        return frozenset(self["hosts.allow_private"])


def resolve_policy_path(name: str) -> Path:
    """A policy file path from a path or a preset name such as ``strict``. A bare name that is
    both a preset and a file here is refused: reading the file silently dropped the preset the
    operator may have meant, and the preset would hide the file."""
    path = Path(name).expanduser()
    preset = builtin_dir("policies") / f"{name}.toml"
    bare = name == path.name and path.suffix != ".toml"
    if bare and preset.is_file() and path.exists():
        raise PolicyError(
            f"{name!r} is both a file here and the preset {name!r}: write ./{name} for the file, "
            f"or move it away to use the preset"
        )
    if path.suffix == ".toml" or path.exists():
        return path
    if not preset.is_file():
        known = ", ".join(sorted(p.stem for p in builtin_dir("policies").glob("*.toml")))
        raise PolicyError(f"no policy file or preset named {name!r} (presets: {known})")
    return preset


def load_policy(extra: Sequence[str | Path] = ()) -> Policy:
    """The default policy merged with each of ``extra`` (paths or preset names) in turn.
    The shipped host lists are loaded here too, so broken ones stop a run before it starts."""
    check_categories()
    default_path = builtin_dir("policies") / "default.toml"
    values = _validated(_flatten(_read_toml(default_path), str(default_path)), str(default_path))
    missing = set(SETTINGS) - set(values)
    if missing:
        raise PolicyError(f"{default_path} lacks {', '.join(sorted(missing))}")
    policy = Policy(values=values, sources=(str(default_path),))
    for item in extra:
        path = item if isinstance(item, Path) else resolve_policy_path(item)
        policy = merge(policy, _read_toml(path), str(path))
    _check_search_api(policy)
    return policy


def _check_search_api(policy: Policy) -> None:
    """``search.searxng_url`` is an http(s) URL that the guard would let a request reach: a
    private instance's ``host:port`` must also be in ``hosts.allow_private``."""
    url = str(policy["search.searxng_url"]).strip()
    if not url:
        return
    try:
        canonical = canonicalize(url)
        check_url(canonical, policy.private_allowed)
    except HardRuleRefusal as refusal:
        where = ", ".join(policy.sources)
        if refusal.rule == "private-address":
            port = canonical.port or DEFAULT_PORTS[canonical.scheme]
            raise PolicyError(
                f"{where}: 'search.searxng_url' = {url!r} is a private address: list "
                f"{endpoint(canonical.host, port)!r} in 'hosts.allow_private' too (with an "
                "[[override]] and a reason)"
            ) from None
        raise PolicyError(
            f"{where}: 'search.searxng_url' = {url!r} is refused by the hard rule "
            f"'{refusal.rule}': {refusal.detail}"
        ) from None


def merge(base: Policy, document: Mapping[str, Any], source: str) -> Policy:
    """``base`` tightened by ``document``; looser only where ``document`` overrides, with reason."""
    document = dict(document)
    overrides = _read_overrides(document.pop("override", []), source)
    incoming = _validated(_flatten(document, source), source)
    values = dict(base.values)
    recorded: list[Override] = []
    for key, new in incoming.items():
        old = values[key]
        loosened = _loosening(key, old, new, base)
        if loosened and key not in overrides:
            raise PolicyError(
                f"{source}: '{key}' = {new!r} loosens the policy in force ({old!r}): {loosened}. "
                f'Add [[override]] key = "{key}" with a reason to do it on purpose.'
            )
        if key in overrides:  # as written; a rate table sets the hosts it names, no others
            values[key] = _combine(key, old, new) if SETTINGS[key].kind == "rates" else new
            recorded.append(Override(key, new, overrides[key], source, base))
        else:
            values[key] = _combine(key, old, new)
    unused = set(overrides) - set(incoming)
    if unused:
        raise PolicyError(f"{source}: [[override]] for {', '.join(sorted(unused))} sets no value")
    merged = Policy(values=values, sources=(*base.sources, source))
    kept = tuple(o for o in base.overrides if _in_force(o, merged))
    merged = replace(merged, overrides=(*kept, *recorded))
    _check_search_api(merged)
    return merged


def _read_toml(path: Path) -> dict[str, Any]:
    """A policy file's document, read at most ``MAX_FILE_BYTES`` (a page of TOML): a stream
    (``--policy <(...)``) is read as a file is, and ``/dev/zero`` was read until memory ran
    out."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise PolicyError(f"{path} is over {MAX_FILE_BYTES:,} bytes: not a policy file")
        return tomllib.loads(data.decode("utf-8"))
    except FileNotFoundError:
        raise PolicyError(f"policy file not found: {path}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError) as exc:
        problem = "nested too deeply" if isinstance(exc, RecursionError) else exc
        raise PolicyError(f"{path} is not valid TOML: {problem}") from None
    except OSError as exc:  # a folder, a file it may not read
        raise PolicyError(f"cannot read the policy file {path}: {exc.strerror}") from None


def _flatten(document: Mapping[str, Any], source: str, prefix: str = "") -> dict[str, Any]:
    """The document's settings by dotted key. A key given twice, once quoted (``"hosts.deny"``)
    and once in a table, is an error: one would silently replace the other."""
    flat: dict[str, Any] = {}
    for name, value in document.items():
        key = f"{prefix}{name}"
        _refuse_hard_key(key, source)
        if isinstance(value, dict) and key not in SETTINGS:
            if key.count(".") >= _DEEPEST:  # no setting below: a table named 5,000 names deep
                _unknown(key, source)  # had been followed to a RecursionError
            found = _flatten(value, source, key + ".")
        else:
            found = {key: value}
        twice = sorted(set(found) & set(flat))
        if twice:
            raise PolicyError(f"{source}: '{twice[0]}' is given twice (a quoted key and a table)")
        flat.update(found)
    return flat


def _refuse_hard_key(key: str, source: str) -> None:
    for part in key.split("."):
        rule = _HARD_KEYS.get(part.lower().replace("-", "_")) or _HARD_KEYS.get(part.lower())
        if rule:
            raise PolicyError(
                f"{source}: '{key}' would change the hard rule '{rule}' ({HARD_RULES[rule]}). "
                "Hard rules are code and no policy file can loosen them."
            )


def _read_overrides(entries: object, source: str) -> dict[str, str]:
    if not isinstance(entries, list):
        raise PolicyError(f"{source}: 'override' must be an array of tables ([[override]])")
    reasons: dict[str, str] = {}
    for entry in entries:
        if not isinstance(entry, dict) or set(entry) != {"key", "reason"}:
            raise PolicyError(f"{source}: each [[override]] has exactly 'key' and 'reason'")
        if not isinstance(entry["reason"], str):
            raise PolicyError(f"{source}: an [[override]]'s reason is a sentence, in quotes")
        if not isinstance(entry["key"], str):  # str() of a table 5,000 deep: RecursionError
            raise PolicyError(f"{source}: an [[override]]'s key is a setting's name, in quotes")
        key, reason = entry["key"], entry["reason"].strip()
        _refuse_hard_key(key, source)
        if key not in SETTINGS:
            raise PolicyError(f"{source}: [[override]] names unknown key '{key}'")
        if key == "retention.audit_years":
            raise PolicyError(f"{source}: the audit log's {MIN_AUDIT_YEARS}-year minimum is law")
        if sum(char.isalnum() for char in reason) < _MIN_REASON_LENGTH:
            raise PolicyError(f"{source}: [[override]] of '{key}' needs a reason (a sentence)")
        reasons[key] = reason
    return reasons


def _validated(flat: Mapping[str, Any], source: str) -> dict[str, Any]:
    """Check each value's type against its setting; unknown keys are errors, not ignored."""
    checked: dict[str, Any] = {}
    for key, value in flat.items():
        setting = SETTINGS.get(key)
        if setting is None:
            _unknown(key, source)
        checked[key] = _checked_value(key, setting.kind, value, source)
    return checked


def _unknown(key: str, source: str) -> NoReturn:
    raise PolicyError(f"{source}: unknown key '{key}' (known keys: {', '.join(SETTINGS)})")


def _checked_value(key: str, kind: Kind, value: Any, source: str) -> Any:
    where = f"{source}: '{key}'"
    if kind == "on" and not isinstance(value, bool):
        raise PolicyError(f"{where} must be true or false")
    if kind in ("lower", "higher"):
        if key == "rate.default":
            parse_rate(value)
        elif isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
            raise PolicyError(f"{where} must be a number above zero")  # nan is not (nan > 0)
        elif value > _LARGEST:  # inf too
            raise PolicyError(f"{where} must be a finite number, at most {_LARGEST:,}")
        elif key.endswith("_seconds") and value > _LONGEST_WAIT:
            raise PolicyError(f"{where} must be at most {_LONGEST_WAIT:,} (a day)")
        elif key in _WHOLE and not isinstance(value, int):  # 0.5 slots was Semaphore(0)
            raise PolicyError(f"{where} must be a whole number of at least 1")
    if kind == "endpoints":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise PolicyError(f"{where} must be a list of 'host:port' strings")
        return sorted({_endpoint(v, where) for v in value if v.strip()})
    if kind == "grants":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise PolicyError(f"{where} must be a list of strings")
        return sorted({v.strip() for v in value if v.strip()})
    if kind in ("union", "allow_only"):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise PolicyError(f"{where} must be a list of strings")
        if key.startswith("hosts."):  # spelled as the guard spells hosts, or never matched
            if any("*" in v or "/" in v for v in value):
                raise PolicyError(f"{where}: host names only (subdomains are included), no * or /")
            return sorted({_host(v, where) for v in value if v.strip()})
        return sorted({v.strip().lower() for v in value if v.strip()})
    if kind in ("text", "contact"):
        if not isinstance(value, str):
            raise PolicyError(f"{where} must be a string")
        if any(ord(char) < 32 or ord(char) == 127 for char in value):
            raise PolicyError(f"{where} holds a control character (it is sent as a header)")
        if kind == "contact" and not value.isascii():  # httpx encodes a header as ASCII
            raise PolicyError(f"{where} must be ASCII, as a header is (a domain as xn--...)")
        return value.strip()  # a contact of spaces is none
    if kind == "rates":
        if not isinstance(value, dict):
            raise PolicyError(f'{where} must be a table of host = "rate"')
        rates: dict[str, str] = {}
        for host, rate in value.items():  # keyed as the limiter looks hosts up
            parse_rate(rate)
            key_host = _host(str(host), where)
            if key_host not in rates or parse_rate(rate) < parse_rate(rates[key_host]):
                rates[key_host] = rate  # two spellings of one host: the slower rate
        return rates
    if key == "retention.audit_years" and value < MIN_AUDIT_YEARS:
        raise PolicyError(f"{where}: the audit log is kept at least {MIN_AUDIT_YEARS} years")
    return value


def _host(text: str, where: str) -> str:
    """One host entry as the guard reads a URL's host (``canonicalize``), or PolicyError: one
    read another way would be listed by ``policy show`` and never matched (".example.com";
    "example.com\u3002" had been kept as "example.com.")."""
    given = text.strip()
    try:
        host = canonical_host(given)
    except (ValueError, UnicodeError) as exc:
        raise PolicyError(f"{where}: {given!r} is not a host name ({exc})") from None
    if ":" in host and not _is_address(host):
        raise PolicyError(f"{where}: {given!r}: a host name, no port (every port is meant)")
    bracketed = f"[{host}]" if ":" in host else host
    try:
        read: CanonicalURL | None = canonicalize(f"http://{bracketed}/")
    except HardRuleRefusal:  # no name nor address: "", ".example.com", "exa mple.com"
        read = None
    if read is None or read.has_userinfo or read.port is not None or read.path != "/" or read.query:
        raise PolicyError(f"{where}: {given!r} is not a host name")
    return read.host


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _endpoint(text: str, where: str) -> str:
    """One ``hosts.allow_private`` entry, spelled the one way the guard compares it."""
    host, colon, port = text.strip().rpartition(":")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    elif ":" in host:
        colon = ""  # an IPv6 address without brackets: its port cannot be told apart
    good = port.isascii() and port.isdigit()  # "8²" is a digit to isdigit, not to int
    if not colon or not host or not good or not 0 < int(port) < 65536:
        raise PolicyError(
            f"{where}: {text!r} is not host:port (the port is required: 127.0.0.1:8080, "
            "[::1]:8080, search.internal:443)"
        )
    if any(char in host for char in "*/@?#[] "):
        raise PolicyError(f"{where}: {text!r}: one host name or address and its port, no * or /")
    canonical = _host(host, where)  # "search.internal\u3002" had been "search.internal."
    if is_metadata_host(canonical):
        raise PolicyError(
            f"{where}: {text!r} is link-local or metadata: the hard rule 'metadata-address' "
            "has no exception"
        )
    return endpoint(canonical, int(port))


def _loosening(key: str, old: Any, new: Any, base: Policy) -> str:
    """Why ``new`` is looser than ``old`` for ``key``, or "" if it is not."""
    kind = SETTINGS[key].kind
    if kind == "on" and old and not new:
        return "it switches a default-on rule off"
    if kind == "lower" and _number(key, new) > _number(key, old):
        return "a higher value is looser"
    if kind == "higher" and _number(key, new) < _number(key, old):
        return "a lower value is looser"
    if kind == "endpoints" and not set(new) <= set(old):
        return "it lets a run reach private addresses the policy in force does not"
    if kind == "grants" and not set(new) <= set(old):
        return "it trusts what the policy in force does not"
    if kind == "allow_only" and old and (not new or not set(new) <= set(old)):
        return "it allows hosts the policy in force does not"
    if kind == "contact" and old and not new:
        return "it removes the identification sent with requests"
    if key == "identity.user_agent" and not str(new).startswith("skiptrace/"):
        return "a User-Agent that does not begin skiptrace/ hides who is asking"
    if kind == "contact" and _BROWSER_TOKENS.search(str(new)):  # the contact is in it too
        return "a User-Agent naming a browser passes skiptrace off as a person's browser"
    if kind == "rates":
        faster = [host for host, rate in new.items() if parse_rate(rate) > base.rate_for(host)]
        if faster:
            return f"faster than the policy in force for {', '.join(sorted(faster))}"
    return ""


_BROWSER_TOKENS = re.compile(
    r"mozilla/|applewebkit|chrome/|chromium/|safari/|firefox/|gecko/|edg/|opera/|opr/|\bmsie\b"
    r"|trident/",
    re.IGNORECASE,
)
"""The product tokens by which servers take a User-Agent for a browser's (a product name and its
slash: a bare "opera" would refuse a contact at cooperative.example)."""


def _in_force(override: Override, now: Policy) -> bool:
    """Whether ``override`` still loosens its key in the policy ``now``: a later policy that
    tightens it back is no longer said to run under it, but another host's rate merged beside
    it, the same rate spelt otherwise ('120/m' for '2/s') or a rate still above the one it
    loosened keeps it in force. An override of a list that merges (a deny list) dropped
    entries, which no later policy can add back but by naming them; one of the rate table is
    in force while any host runs faster than before it."""
    before, value = override.loosened, now[override.key]
    if before is None or value == override.value:
        return bool(value == override.value)
    kind = SETTINGS[override.key].kind
    if kind == "union":
        return not set(before[override.key]) <= set(value)
    if kind == "rates":
        hosts = {*before[override.key], *value}
        return any(now.rate_for(host) > before.rate_for(host) for host in hosts)
    return bool(_loosening(override.key, before[override.key], value, before))


def _combine(key: str, old: Any, new: Any) -> Any:
    kind = SETTINGS[key].kind
    if kind == "union":
        return sorted(set(old) | set(new))
    if kind == "rates":
        return {**old, **new}
    return new


def _number(key: str, value: Any) -> float:
    return parse_rate(value) if key == "rate.default" else float(value)


def describe(policy: Policy) -> Iterable[tuple[str, str, str]]:
    """(key, value, meaning) for every setting, for ``policy show``."""
    for key, setting in SETTINGS.items():
        value = policy[key]
        if isinstance(value, dict):
            shown = ", ".join(f"{host}={rate}" for host, rate in sorted(value.items()))
        elif isinstance(value, list):
            shown = ", ".join(value) or "(none)"
        else:
            shown = str(value) if value != "" else "(not set)"
        yield key, shown, setting.help
