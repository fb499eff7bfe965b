"""Refresh the shipped UT1 category lists in src/skiptrace/net/data/ut1/ (run by hand).

Usage::

    python tools/refresh_social_list.py [--ref master] [--date YYYY-MM-DD] [--data DIR]
    python tools/refresh_social_list.py --from UT1_DIR --commit SHA [--date ...] [--data DIR]

Without ``--from`` it downloads each list (``blacklists/<list>/domains``) from the GitHub
mirror of the UT1 blacklists, https://github.com/olbat/ut1-blacklists, at ``--ref`` (its commit
is looked up through the GitHub API, so the provenance names an exact commit): this needs the
network. With ``--from`` it copies them from a local tree instead (a clone of the mirror, or
the upstream ``blacklists.tar.gz`` of https://dsi.ut-capitole.fr/blacklists/ unpacked: either
holds ``<list>/domains``, under ``blacklists/`` or not); ``--commit`` (required then) is the
mirror's 40-character commit id that tree matches (``git -C CLONE rev-parse HEAD``), so the
provenance names an exact commit. DIR defaults to the package's ``src/skiptrace/net/data``.

A list that would come out empty, or with more than 20% fewer entries than the shipped copy, is
refused (nothing is written) unless ``--force``: a truncated download or a wrong tree must not
quietly shrink the guard's lists. After writing, the package's loader checks the result (sizes,
entry counts, canonical spelling, exclusions that still name an entry): the tool exits 1 with
its message if the data would not load.

The files are copied byte for byte and ``sources.toml`` is rewritten with each list's commit,
size and entry count and the snapshot date. It then prints what a reviewer must look at before
committing: entries added and removed per list, entries the loader ignores (IP addresses, names
with no registrable domain), exclusions that no longer name a UT1 entry, and new entries that
the guard already treats as directories (``hardrules.AGGREGATOR_DOMAINS``: exclusion
candidates). Review ``exclusions.txt`` and ``supplement.txt`` against that report.
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import sys
import tomllib
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MIRROR = "olbat/ut1-blacklists"
RAW = "https://raw.githubusercontent.com/{repo}/{commit}/blacklists/{name}/domains"
API = "https://api.github.com/repos/{repo}/commits/{ref}"
COMMIT = re.compile(r"[0-9a-f]{40}")
MAX_SHRINK = 0.2
"""The largest share of a list's entries a refresh may drop without ``--force``."""


def _fetch(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "skiptrace-refresh-social-list"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return bytes(response.read())
    except OSError as exc:  # URLError and HTTPError among them: one line, nothing written
        raise SystemExit(
            f"cannot fetch {url}: {exc}; nothing was written (offline? use --from "
            "a local clone of the mirror with --commit)"
        ) from None


def _local(tree: Path, name: str) -> bytes:
    for candidate in (tree / "blacklists" / name / "domains", tree / name / "domains"):
        if candidate.is_file():
            return candidate.read_bytes()
    raise SystemExit(f"{tree} holds no {name}/domains")


def _names(text: bytes) -> set[str]:
    return {line.strip().lower() for line in text.decode("utf-8").splitlines() if line.strip()}


def _rewrite_sources(
    path: Path, sources: dict[str, object], lists: list[dict[str, object]]
) -> None:
    """``sources.toml`` with the new figures, in the shape the package reads."""
    ut1 = sources["ut1"]
    assert isinstance(ut1, dict)
    lines = [
        "# Where the host categories in this directory come from (the UT1 lists are copied",
        "# verbatim from the mirror at each list's commit, on the snapshot date).",
        "# skiptrace.net.categories reads it; tools/refresh_social_list.py rewrites it.",
        "",
        "[ut1]",
    ]
    lines += [f"{key} = {json.dumps(value, ensure_ascii=False)}" for key, value in ut1.items()
              if key != "list"]  # fmt: skip
    for item in lists:
        lines += ["", "[[ut1.list]]"]
        lines += [f"{key} = {json.dumps(value)}" for key, value in item.items()]
    supplement = sources["supplement"]
    assert isinstance(supplement, dict)
    lines += ["", "[supplement]", "# supplement.txt and exclusions.txt, the project's own review."]
    lines += [f"{key} = {json.dumps(value)}" for key, value in supplement.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="tree", type=Path, help="a local UT1 tree")
    parser.add_argument("--commit", help="the commit or release the --from tree is")
    parser.add_argument("--ref", default="master", help="the mirror's branch or commit")
    parser.add_argument("--date", default=datetime.date.today().isoformat())
    parser.add_argument("--data", type=Path, default=REPO / "src/skiptrace/net/data")
    parser.add_argument(
        "--force", action="store_true", help="write a list even if empty or shrunk by over 20%%"
    )
    args = parser.parse_args(argv)

    sys.path.insert(0, str(REPO / "src"))
    from skiptrace.net.categories import CategoryDataError, build, registrable_domain
    from skiptrace.net.hardrules import AGGREGATOR_DOMAINS, host_matches

    sources_path = args.data / "sources.toml"
    sources = tomllib.loads(sources_path.read_text(encoding="utf-8"))
    if args.tree is None:
        commit = json.loads(_fetch(API.format(repo=MIRROR, ref=args.ref)))["sha"]
    elif args.commit:
        commit = args.commit
    else:
        parser.error("--from needs --commit: the provenance names what the tree is")
    if not COMMIT.fullmatch(commit):
        parser.error(f"--commit {commit!r} is not a 40-character commit id (git rev-parse HEAD)")
    sources["ut1"]["snapshot"] = args.date
    excluded = {
        tuple(line.split("#", 1)[0].lower().split()[:2])
        for line in (args.data / "exclusions.txt").read_text(encoding="utf-8").splitlines()
        if line.split("#", 1)[0].strip()
    }
    fetched = {}
    for item in sources["ut1"]["list"]:
        name = item["name"]
        fetched[name] = (
            _local(args.tree, name)
            if args.tree is not None
            else _fetch(RAW.format(repo=MIRROR, commit=commit, name=name))
        )
        target = args.data / "ut1" / name
        before = len(_names(target.read_bytes())) if target.exists() else 0
        after = len(_names(fetched[name]))
        if not args.force and (not after or after < before * (1 - MAX_SHRINK)):
            print(
                f"{name}: {after} entries where {before} are shipped: refused (an empty or "
                f"truncated list?); nothing written. Check the source, or pass --force",
                file=sys.stderr,
            )
            return 1
    lists = []
    for item in sources["ut1"]["list"]:
        name = item["name"]
        new = fetched[name]
        target = args.data / "ut1" / name
        old = _names(target.read_bytes()) if target.exists() else set()
        target.write_bytes(new)
        names = _names(new)
        lists.append({**item, "commit": commit, "bytes": len(new), "entries": len(names)})
        ignored = sorted(entry for entry in names if not registrable_domain(entry))
        stale = sorted(entry for entry, listed in excluded if listed == name and entry not in names)
        directories = sorted(e for e in names - old if host_matches(e, AGGREGATOR_DOMAINS))
        print(f"{name}: {len(names)} entries, +{len(names - old)} -{len(old - names)}")
        for label, entries in (
            ("added", sorted(names - old)),
            ("removed", sorted(old - names)),
            ("ignored by the loader (an address, or no registrable domain)", ignored),
            ("exclusions naming no entry any more", stale),
            ("added, and already directories (exclusion candidates)", directories),
        ):
            if entries:
                print(f"  {label}: {', '.join(entries)}")
    _rewrite_sources(sources_path, sources, lists)
    print(f"wrote {args.data / 'ut1'} and {sources_path} (snapshot {args.date}, commit {commit})")
    try:
        build(args.data)
    except CategoryDataError as exc:
        print(
            f"the refreshed data would not load: {exc}; fix it before committing", file=sys.stderr
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
