"""What an audit row keeps of a URL a business site led to and that was never requested.

A link to a social profile, another host or a redirect off the site names people (a
colleague's profile, a domain of his own), whom the log has no reason to hold: the row keeps
its scheme and host, a social network's own domain for a subdomain, and the adopted site for
any other host. A declined link (``ConnectorSession.decline``) and a refused request off an
adopted site (``Guard.admit``) are written the same way.
"""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import urlsplit

from skiptrace.net.categories import registrable_domain
from skiptrace.net.hardrules import is_social_host

AUTHORITY: Final = re.compile(r"^\s*(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//[^/?#]*")
"""A URL's scheme and authority (``https://user@host:port``), or a bare ``//authority``."""


def scheme_and_host(url: str) -> str:
    """``scheme://host[:port]/`` of a link, lower-cased, its user-info dropped (a name, even a
    password, can ride there), or ``scheme:`` for one with no host (``mailto:``)."""
    found = AUTHORITY.match(url)
    if not found:
        return url.strip().partition(":")[0].lower() + ":"
    scheme, _, authority = found.group(0).strip().partition("//")
    return f"{scheme.lower()}//{authority.rpartition('@')[2].lower()}/"


def host_of(url: str) -> str:
    """The host of ``url`` as ``scheme_and_host`` writes it ('' for none)."""
    try:
        return urlsplit(scheme_and_host(url)).hostname or ""
    except ValueError:  # "http://[::1": no host anyone can read
        return ""


def as_written(url: str, site: str | None, *, social: bool = False) -> tuple[str, str]:
    """The URL a row keeps for ``url``, and what was kept, for its detail. ``social``: the
    connector said so; a host listed as a social network counts too."""
    written = scheme_and_host(url)
    host = host_of(url)
    if social or is_social_host(host):
        base = registrable_domain(host) or host
        if host not in (base, f"www.{base}"):  # marcus-oyelaran.tumblr.com names him
            written = f"{urlsplit(written).scheme}://{base}/"
        return written, "only its scheme and host kept, the network's own domain for a subdomain"
    if site and host != host_of(site):
        return site, "a link to another host: the site it was on is kept, it may name a person"
    return written, "only its scheme and host kept"
