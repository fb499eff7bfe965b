"""A made-up people directory to serve on loopback, its connector manifest, and a made-up
debtor file: a live-style source for tests of the whole pipeline (flags, matching,
checkpoints, the guard and the session stack, the audit log).

Everyone in it is invented. The directory is served on 127.0.0.1 (``ReplayServer``) and
declared as a connector manifest like any other.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from skiptrace.testing.replay import ReplayServer, Reply, loopback_policy_file

DEBTORS = """account,first_name,last_name,address,city,state,zip,bankruptcy
D-1001,Jane,Roe,100 Main St,Springfield,IL,62701,
D-1002,Robert,Quinlan,9 Old Mill Rd,Boston,MA,02110,
D-1003,Ann,Example,4 Elm St,Portland,OR,97201,yes
D-1004,Tom,Nobody,1 Nowhere Ln,Austin,TX,78701,
D-1005,Maria,Lopez,22 Pine Rd,Austin,TX,78701,
"""
PEOPLE = {
    "roe": [{"name": "Jane Q. Roe", "street": "100 Main Street", "city": "Springfield",
             "state": "IL", "zip": "62701-1234", "employer": "Example Plumbing Co."}],
    "quinlan": [{"name": "Bob Quinlan", "street": "55 Harbor Way Apt 2", "city": "Boston",
                 "state": "MA", "zip": "02110", "employer": "Initech Inc"}],
    "lopez": [{"name": "Maria Lopez", "street": "7 Lake Dr", "city": "Denver", "state": "CO",
               "zip": "80202", "employer": ""}],
}  # fmt: skip
MANIFEST = """
id = "demo_directory"
name = "A made-up people directory (offline demo)"
version = "1"
gives = ["person_name", "mailing_address", "employer"]
needs = ["last_name"]
optional = ["first_name"]
terms = "https://example.invalid/terms"
[request]
url = "{base}/people"
params = {{ last = "{{last_name}}", first = "{{first_name}}" }}
[response]
format = "json"
records = "people"
[fields]
person_name = "name"
employer = "employer"
[fields.mailing_address]
lines = "[street]"
city = "city"
region = "state"
postal_code = "zip"
"""


def directory_options(folder: Path, server: ReplayServer | str) -> list[str]:
    """The command line's global options that put the directory at ``server`` (a replay
    server or its base URL) in reach: its manifest in ``folder``/connectors and a loopback
    policy file ``folder``/policy.toml."""
    connectors = folder / "connectors"
    connectors.mkdir(exist_ok=True)
    base = server if isinstance(server, str) else server.base_url
    (connectors / "demo_directory.toml").write_text(MANIFEST.format(base=base), encoding="utf-8")
    policy = loopback_policy_file(folder / "policy.toml", server)
    return ["--connectors-dir", str(connectors), "--policy", str(policy)]


def listing_manifest(connector: str, host: str = "listed.example", top: str = "",
                     fields: str = "") -> str:  # fmt: skip
    """A manifest for a directory whose search answers with a web page (each member an
    ``li.member``, her firm a ``span.firm``): ``top`` adds top-level keys, ``fields`` fields."""
    return f"""id = "{connector}"
name = "a directory's search page"
version = "1"
gives = ["employer"]
needs = ["last_name"]
terms = "https://{host}/terms"
{top}
[request]
url = "https://{host}/search"
params = {{ q = "{{last_name}}" }}
[response]
format = "html"
records = "li.member"
expect = "ul"
[fields]
employer = "span.firm"
{fields}
"""


def directory(method: str, target: str) -> Reply | None:
    url = urlsplit(target)
    if url.path != "/people":
        return None
    last = parse_qs(url.query).get("last", [""])[0].lower()
    body = json.dumps({"people": PEOPLE.get(last, [])}).encode()
    return Reply(200, body, {"Content-Type": "application/json"})
