"""Names of the httpx request and response extensions the session stack uses to pass facts
between its layers: whom a request is for, and where an answer came from."""

DEBTOR_REF = "skiptrace.debtor_ref"
"""Request extension naming the debtor a request is made for (``extensions={DEBTOR_REF: id}``)."""
CONNECTOR = "skiptrace.connector"
"""Request extension naming the connector that makes a request, when clients are shared."""
FROM_CACHE = "skiptrace.from_cache"
"""Response extension set by the cache layer: the answer did not come from the network, but
from a copy fetched at this time (``time.time()`` seconds), which the evidence gives."""
ORIGINS = "skiptrace.origins"
"""Request extension: the only origins (``origin_of``) the request may go to, redirects
included; a connector's session sets it to what the connector declared."""
NO_STORE = "skiptrace.no_store"
"""Request extension: the answer is neither taken from nor kept in the HTTP cache (a business's
own pages, whose staff lists name people the cache has no reason to hold)."""
FORGET = "skiptrace.forget"
"""Response extension set by the cache layer on an answer it keeps or gave: a callable that
drops that page from the cache, so a search that could not use it asks the source afresh."""
SITE = "skiptrace.site"
"""Request extension: the business site a connector adopted (its home page). A row of a
request on it keeps only the vocabulary words of its path and query, each other word ``*``
(the server chose it, and it may be a colleague's name), and a request off it that the
guard refuses is written as a declined link is (``net.written``): a redirect to a
colleague's profile names him."""
REASON = "skiptrace.reason"
"""Response extension: the reason word (``net.reasons``) an answer gives, e.g. ``rate_limited``
for a 429, set by the layer that judged it, for the guard's audit row."""

REQUEST_EXTENSIONS = frozenset({"timeout", DEBTOR_REF, CONNECTOR, ORIGINS, NO_STORE, SITE})
"""The only request extensions a request may carry past the guard: skiptrace's own and httpx's
timeouts. httpcore acts on others (``target`` is sent as the request line, ``sni_hostname`` as
the TLS name), which would send what the guard never checked under the URL the log names."""
