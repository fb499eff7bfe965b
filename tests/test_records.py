"""A record's own page (``record_url``) is a plain https address or the record is refused: a
connector, sandboxed or not, cannot hand a collector a script, a look-alike host or a hidden
line (issue 11's review)."""

from __future__ import annotations

import pytest

from skiptrace.connectors._protocol import records_from
from skiptrace.errors import ConnectorError
from skiptrace.records import Provenance, SourceRecord

WHERE = Provenance("registry", "1", "https://api.registry.example/q", "2026-12-02T08:00:00+00:00")


@pytest.mark.parametrize("url", [
    "https://npiregistry.cms.hhs.gov/provider-view/1720377294",
    "https://search.gleif.org/#/record/9845001B2AD43E664E58",
    "https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany&CIK=0000320193",
])  # fmt: skip
def test_a_plain_https_page_is_kept(url: str) -> None:
    assert SourceRecord(WHERE, person_name="Pat Roe", record_url=url).record_url == url


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JAVASCRIPT://x/%0aalert(1)", "data:text/html,<script>",
    "http://npiregistry.cms.hhs.gov/provider-view/1",  # not https
    "https://npiregistry.cms.hhs.gov@evil.example/", "https://user:pw@registry.example/",
    "https://ok.example/\n=1+1\x1b[2J", "https://ok.example/a b", "https://ok.example/\x85",
    "https://[x", "https:///path-only", "//registry.example/p", "registry.example/p",
])  # fmt: skip
def test_anything_else_is_refused(url: str) -> None:
    with pytest.raises(ConnectorError, match="plain https page address"):
        SourceRecord(WHERE, person_name="Pat Roe", record_url=url)


def test_a_sandboxed_connector_cannot_send_one_either() -> None:
    sent = [{"source_url": WHERE.source_url, "person_name": "Pat Roe",
             "record_url": "https://registry.example@evil.example/"}]  # fmt: skip
    with pytest.raises(ConnectorError):
        records_from(sent, {WHERE.source_url: WHERE})
