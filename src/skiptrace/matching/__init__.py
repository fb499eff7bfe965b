"""Matching: is this candidate the debtor, or a namesake? Scored, banded and explained.

The matcher never does I/O: it takes records (mappings of canonical debtor fields) and
returns scored pairs. See ``link`` for the pipeline and ``model`` for the scoring.
"""

from skiptrace.matching.link import Link, Linkage, link, link_records, score_pair

__all__ = ["Link", "Linkage", "link", "link_records", "score_pair"]
