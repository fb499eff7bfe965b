"""``response.error`` is read from JSON answers only: an HTML manifest naming one is refused at
load, as ``keep`` there is, and ``expect`` in a JSON one. It loaded, the selector ignored, so
the error page its author meant it to catch (one that still holds the ``expect`` element) was
read as the source's answer: "no result", or its records."""

from __future__ import annotations

from pathlib import Path

import pytest

from skiptrace.connectors._registry import discover, load_manifest
from skiptrace.errors import ManifestError

MANIFEST = """
id = "acme_directory"
name = "Acme trade directory"
version = "1"
gives = ["person_name", "employer"]
needs = ["last_name"]
terms = "https://directory.example/terms"

[request]
url = "https://directory.example/search"
params = { surname = "{last_name}" }

[response]
format = "html"
records = "li.member"
expect = "ul.members"
error = "p.error"

[fields]
person_name = "span.name"
employer = "span.firm"
"""


def test_an_html_manifest_naming_response_error_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "acme_directory.toml"
    path.write_text(MANIFEST, encoding="utf-8")
    with pytest.raises(ManifestError, match=r"response\.error is for json answers"):
        load_manifest(path)
    registry = discover([tmp_path], entry_points=False)
    assert "acme_directory" not in registry.connectors
    assert any("response.error is for json answers" in p for p in registry.problems)


def test_the_same_manifest_without_it_loads(tmp_path: Path) -> None:
    path = tmp_path / "acme_directory.toml"
    path.write_text(MANIFEST.replace('error = "p.error"\n', ""), encoding="utf-8")
    assert load_manifest(path).info.id == "acme_directory"
