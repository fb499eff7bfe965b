"""A manifest holding a key that nothing of its kind reads is refused at load, as an unknown
key is: a Python connector's manifest with ``[pagination]``, ``[fields]`` or ``[response]``
(its code fetches and reads its pages itself), a declarative one's with ``object``, and an HTML
manifest's ``response.error`` (read from JSON answers only, as ``keep``). They loaded, the keys
read by nothing: paging its author believed bounded, fields believed mapped, and the error page
``response.error`` was meant to catch (one still holding the ``expect`` element) read as the
source's answer: "no result", or its records."""

from __future__ import annotations

from pathlib import Path

import pytest

from skiptrace.connectors._registry import discover, load_manifest
from skiptrace.errors import ManifestError

PYTHON = """
id = "my_source"
name = "My source"
version = "1"
python = "my_source.py"
origins = ["https://api.example.gov"]
gives = ["employer"]
needs = ["full_name"]
terms = "https://api.example.gov/terms"
"""
CODE = """
from skiptrace.connectors import Query, Session, SourceRecord


class MySource:
    async def search(self, session: Session, query: Query) -> list[SourceRecord]:
        return []


CONNECTOR = MySource()
"""
DECLARATIVE = """
id = "acme_directory"
name = "Acme trade directory"
version = "1"
gives = ["employer"]
needs = ["last_name"]
terms = "https://directory.example/terms"

[request]
url = "https://directory.example/search"
params = { surname = "{last_name}" }

[response]
format = "json"
records = "members"

[fields]
employer = "firm"
"""


@pytest.mark.parametrize(
    "table",
    [
        '[pagination]\ntype = "offset"\nparam = "skip"\nsize = 50\n',
        '[fields]\nemployer = "firm"\n',
        '[response]\nformat = "json"\nrecords = "items"\n',
    ],
)
def test_a_python_manifest_with_a_declarative_table_is_refused(tmp_path: Path, table: str) -> None:
    (tmp_path / "my_source.py").write_text(CODE, encoding="utf-8")
    path = tmp_path / "my_source.toml"
    path.write_text(PYTHON + "\n" + table, encoding="utf-8")
    with pytest.raises(ManifestError, match="for declarative manifests only"):
        load_manifest(path)


def test_a_declarative_manifest_naming_an_object_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "acme_directory.toml"
    path.write_text('object = "CONNECTOR"\n' + DECLARATIVE, encoding="utf-8")
    with pytest.raises(ManifestError, match="object: for Python connectors only"):
        load_manifest(path)


def test_each_kind_without_the_other_kinds_keys_loads(tmp_path: Path) -> None:
    (tmp_path / "my_source.py").write_text(CODE, encoding="utf-8")
    (tmp_path / "my_source.toml").write_text(PYTHON, encoding="utf-8")
    (tmp_path / "acme_directory.toml").write_text(DECLARATIVE, encoding="utf-8")
    assert load_manifest(tmp_path / "my_source.toml").info.id == "my_source"
    assert load_manifest(tmp_path / "acme_directory.toml").info.id == "acme_directory"


def test_an_html_manifest_naming_response_error_is_refused(tmp_path: Path) -> None:
    html = DECLARATIVE.replace('format = "json"', 'format = "html"\nexpect = "ul.members"')
    path = tmp_path / "acme_directory.toml"
    path.write_text(html.replace('records = "members"', 'records = "li.member"\nerror = "p.error"'),
                    encoding="utf-8")  # fmt: skip
    with pytest.raises(ManifestError, match=r"response\.error is for json answers"):
        load_manifest(path)
    registry = discover([tmp_path], entry_points=False)
    assert "acme_directory" not in registry.connectors
    assert any("response.error is for json answers" in p for p in registry.problems)
    path.write_text(html.replace('records = "members"', 'records = "li.member"'), encoding="utf-8")
    assert load_manifest(path).info.id == "acme_directory"  # the same without it loads
