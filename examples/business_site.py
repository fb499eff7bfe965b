"""The business_pages connector, offline: a small business's website served on 127.0.0.1 (the
pages in connectors/fixtures/business_pages/), then `skiptrace lookup` and `skiptrace enrich`
run against it through the guard, as a collector would run them.

    python examples/business_site.py

Everything (the policy allowing the loopback site, the debtor file, the audit log) goes in a
temporary folder that is removed afterwards; your SKIPTRACE_HOME is not touched.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from skiptrace.state import builtin_dir
from skiptrace.testing.replay import ReplayServer, Reply, loopback_policy_file

PAGES = {"/": "index.html", "/contact": "contact.html", "/our-team": "our-team.html",
         "/about": "about.html", "/robots.txt": "robots.txt",
         "/staff/": "private/staff-list.html"}  # fmt: skip
SITE = builtin_dir("connectors") / "fixtures" / "business_pages"
PURPOSE = "collection of a debt owed"


def route(method: str, target: str) -> Reply | None:
    """The site's pages; anything else is a 404."""
    name = PAGES.get(target.partition("?")[0])
    if name is None:
        return None
    kind = "text/plain" if name.endswith(".txt") else "text/html"
    return Reply(200, (SITE / name).read_bytes(), {"Content-Type": kind})


def skiptrace(folder: Path, policy: Path, *args: str) -> None:
    """One skiptrace command, its output shown as it comes."""
    command = [sys.executable, "-m", "skiptrace", "--policy", str(policy), *args]
    print("$ skiptrace " + " ".join(args), flush=True)
    env = {**os.environ, "SKIPTRACE_HOME": str(folder / "home")}
    subprocess.run(command, env=env, check=False)


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch, ReplayServer(route) as site:
        folder = Path(scratch)
        reason = "offline example: a business site on loopback"
        policy = loopback_policy_file(folder / "site.toml", site, reason=reason)
        skiptrace(folder, policy, "lookup", "--name", "Dana Whitfield", "--employer",
                  "Harbor Lane Plumbing", "--employer-website", f"{site.base_url}/", "--city",
                  "Springfield", "--state", "IL", "--source", "business_pages", "--purpose",
                  PURPOSE)  # fmt: skip
        debtors = folder / "debtors.csv"
        debtors.write_text("account,name,employer,employer_website,city,state\n"
                           f"D-1,Dana Whitfield,Harbor Lane Plumbing,{site.base_url}/,"
                           "Springfield,IL\n", encoding="utf-8")  # fmt: skip
        out = folder / "debtors.enriched.csv"
        skiptrace(folder, policy, "enrich", str(debtors), "-o", str(out), "--source",
                  "business_pages", "--purpose", PURPOSE, "--no-progress")  # fmt: skip
        print(out.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
