"""The offline enrichment demonstration: a made-up people directory on loopback, a made-up
debtor file, and the real pipeline between them (flags, matching, checkpoints, audit).

Everyone in it is invented. The directory is served on 127.0.0.1 and declared as a connector
manifest like any other, so the run goes through the guard and the whole session stack.
"""

from __future__ import annotations

import asyncio
import csv
import json
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from skiptrace.audit import AuditLog
from skiptrace.connectors._registry import load_manifest
from skiptrace.policy import Policy
from skiptrace.research.enrich import enrich
from skiptrace.testing.replay import ReplayServer, Reply, loopback_policy

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


def directory(method: str, target: str) -> Reply | None:
    url = urlsplit(target)
    if url.path != "/people":
        return None
    last = parse_qs(url.query).get("last", [""])[0].lower()
    body = json.dumps({"people": PEOPLE.get(last, [])}).encode()
    return Reply(200, body, {"Content-Type": "application/json"})


def run_enrich_demo(
    policy: Policy, audit: AuditLog, folder: Path | None = None
) -> list[dict[str, str]]:
    """Enrich the made-up debtors; return the output rows. With ``folder``, the debtor file,
    the enriched file (``debtors.enriched.csv``) and the directory's manifest are left there
    for a newcomer to open; without, they go with a temporary folder."""
    if folder is None:
        with tempfile.TemporaryDirectory(prefix="skiptrace-demo-") as scratch:
            return run_enrich_demo(policy, audit, Path(scratch))
    with ReplayServer(directory) as server:
        manifests = folder / "connector"
        manifests.mkdir(exist_ok=True)
        manifest = manifests / "demo_directory.toml"
        manifest.write_text(MANIFEST.format(base=server.base_url), encoding="utf-8")
        source = folder / "debtors.csv"
        source.write_text(DEBTORS, encoding="utf-8")
        demo_policy = loopback_policy(policy, "offline demo on loopback", server)
        target = folder / "debtors.enriched.csv"
        asyncio.run(
            enrich(source, target, policy=demo_policy, audit=audit,
                   connectors=[load_manifest(manifest)], purpose="demonstration", overrides={})
        )  # fmt: skip
        with target.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
