"""The runnable examples the README shows do what it says (offline, loopback only)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_the_business_site_example_finds_the_employer_and_its_mailing_address() -> None:
    """`python examples/business_site.py`: lookup and enrich through business_pages."""
    shown = subprocess.run([sys.executable, str(EXAMPLES / "business_site.py")],
                           capture_output=True, text=True, timeout=60, check=True)  # fmt: skip
    said = shown.stdout + shown.stderr
    assert "business_pages: hit" in said  # lookup's line for the source
    enriched = said[said.index("account,name,employer") :].splitlines()
    header, row = enriched[0].split(","), enriched[1]
    assert "status" in header and ",hit," in row
    assert '"PO Box 2291, Springfield, IL 62705"' in row  # the mailing address, not the shop
    assert '"Harbor Lane Plumbing, LLC"' in row and "Dana Whitfield" in row
