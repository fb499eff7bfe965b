"""Page extraction speed: ``skiptrace.pages.read_page`` against extruct, on the saved pages.

Corpus: the real pages in tests/pages/fixtures (extruct's samples and the microformats test
suite; provenance in SOURCES.md there), split into the small ones (< 20 KB) and the large ones.
Baseline: ``extruct.extract(html, base_url, syntaxes=["json-ld", "microdata", "opengraph"],
uniform=True)``, the syntaxes business-pages.md recommends (no microformat, rdfa or dublincore:
extruct's microformat path costs ~20x more). read_page does more than that baseline (h-card and
h-adr, addresses and phones written as text, the copyright notice), so the comparison is
conservative. Best of ``--rounds``
rounds, pages per second. "parse only" is lexbor parsing each page and nothing more: the ceiling
of any extractor that parses the whole page, as read_page does; "lxml parse" is extruct's own
first step (its ``parse_html``, lxml) alone, for the same comparison on its side. Address
agreement: the (street,
city, postcode) of every PostalAddress in extruct's json-ld and microdata output, against
read_page's json-ld and microdata addresses.

    python benchmarks/extract.py [--rounds 7]   (extruct is in the ``bench`` extra)
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from skiptrace.pages import read_page

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "pages" / "fixtures"
URL = "https://example.com/"
SYNTAXES = ["json-ld", "microdata", "opengraph"]
WITH_MF = [*SYNTAXES, "microformat"]
LARGE = 20_000


def corpus() -> dict[str, list[bytes]]:
    pages = [p.read_bytes() for p in sorted(FIXTURES.rglob("*.html"))]
    return {
        "small (< 20 KB)": [p for p in pages if len(p) < LARGE],
        "large (>= 20 KB)": [p for p in pages if len(p) >= LARGE],
        "all": pages,
    }


def best_rate(run: Callable[[bytes], object], pages: list[bytes], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for page in pages:
            run(page)
        best = min(best, time.perf_counter() - start)
    return len(pages) / best


def _postal(value: Any, out: set[tuple[str, str, str]]) -> None:
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, list):
            stack.extend(v)
        elif isinstance(v, dict):
            kind = v.get("@type", "")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(isinstance(k, str) and k.lower().endswith("postaladdress") for k in kinds):
                out.add((str(v.get("streetAddress", "")).strip(),
                         str(v.get("addressLocality", "")).strip(),
                         str(v.get("postalCode", "")).strip()))  # fmt: skip
            stack.extend(v.values())


def ours(page: bytes) -> set[tuple[str, str, str]]:
    found = read_page(page, URL).addresses
    return {
        ((a.lines or ("",))[0], a.city, a.postal_code)
        for a in found
        if a.source in ("jsonld", "microdata")
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    try:
        extruct: Any = importlib.import_module("extruct")
    except ImportError:
        extruct = None
        print("extruct is not installed (pip install '.[bench]'): read_page alone")
    else:
        parse_html = importlib.import_module("extruct.utils").parse_html

    def baseline(page: bytes) -> object:
        return extruct.extract(page, base_url=URL, syntaxes=SYNTAXES, uniform=True)

    def with_mf(page: bytes) -> object:
        return extruct.extract(page, base_url=URL, syntaxes=WITH_MF, uniform=True)

    version = importlib.metadata.version("extruct") if extruct is not None else "-"
    print(f"baseline: extruct {version} syntaxes={SYNTAXES}; '+mf' adds 'microformat'")
    print(f"{'corpus':<18} {'pages':>5} {'KB':>6} {'read_page p/s':>14} {'extruct p/s':>12} "
          f"{'speed-up':>9} {'+mf p/s':>8} {'speed-up':>9} {'same addresses':>15} "
          f"{'parse only p/s':>15} {'ceiling':>8} {'lxml parse p/s':>15}")  # fmt: skip
    for name, pages in corpus().items():
        size = sum(len(p) for p in pages) / 1000
        mine = best_rate(lambda p: read_page(p, URL), pages, args.rounds)
        if extruct is None:
            print(f"{name:<18} {len(pages):>5} {size:>6.0f} {mine:>14,.0f}")
            continue
        theirs = best_rate(baseline, pages, args.rounds)
        parse = best_rate(LexborHTMLParser, pages, args.rounds)
        lxml = best_rate(lambda p: parse_html(p, "utf-8"), pages, args.rounds)
        mf = best_rate(with_mf, pages, max(1, args.rounds // 3))
        agree = 0
        for page in pages:
            expected: set[tuple[str, str, str]] = set()
            data = baseline(page)
            assert isinstance(data, dict)
            _postal([data.get("json-ld"), data.get("microdata")], expected)
            agree += expected == ours(page)
        print(f"{name:<18} {len(pages):>5} {size:>6.0f} {mine:>14,.0f} {theirs:>12,.0f} "
              f"{mine / theirs:>8.1f}x {mf:>8,.0f} {mine / mf:>8.1f}x "
              f"{agree:>7}/{len(pages)} pages {parse:>15,.0f} {parse / theirs:>7.1f}x "
              f"{lxml:>15,.0f}")  # fmt: skip
    print("goal: at least 5x extruct (json-ld+microdata+opengraph) with the same addresses.")
    print("read_page also reads h-card/h-adr, text addresses and phones and the copyright notice,")
    print("which that baseline does not;")
    print("the '+mf' columns compare with extruct doing microformats as well. 'parse only' is")
    print("lexbor parsing the page and nothing else: 'ceiling' is the most any extractor that")
    print("parses each page whole with lexbor can reach against the baseline; 'lxml parse' is")
    print("extruct's own parse alone (lexbor's parse / lxml's: how far a parse can lead).")


if __name__ == "__main__":
    main()
