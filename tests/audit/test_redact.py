"""Redaction before anything is logged: SSNs with or without separators where a field is named
for them, named query parameters, and debtor references as stable pseudonyms."""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from skiptrace.audit.redact import (
    MASK,
    REFERENCE_KEY_FILE,
    Redactor,
    redact_reference,
    redact_text,
    ssn_field,
)
from skiptrace.policy import load_policy
from skiptrace.state import home
from skiptrace.testing.children import limit_memory

FIELDS = load_policy()["redaction.fields"]
SSN = "123456789"


@pytest.mark.parametrize(
    "name",
    ["ssn", "SSN", "Ssn", "social_security_number", "socialSecurityNumber", "Social-Security-No",
     "debtor_ssn", "ssn_full", "SSNs", "s.s.n"],
)  # fmt: skip
def test_an_unformatted_ssn_in_a_parameter_named_for_ssns_is_masked(name: str) -> None:
    for fields in (FIELDS, []):  # named for SSNs: masked even if the policy does not list it
        url = Redactor(fields).url(f"https://x.example/search?{name}={SSN}&last=Roe")
        assert SSN not in url, (fields, url)
        assert "last=Roe" in url


def test_an_unformatted_ssn_escaped_in_a_parameter_is_masked() -> None:
    for url in (
        f"https://x.example/s?social%5Fsecurity%5Fnumber={SSN}",
        f"https://x.example/s?q=ssn%3A{SSN}",
        f"https://x.example/s?q=ssn%3D{SSN}",
    ):
        assert SSN not in Redactor([]).url(url), url


@pytest.mark.parametrize(
    "text",
    [f"ssn={SSN}", f"SSN: {SSN}", f'{{"ssn": "{SSN}"}}', f"social security no. {SSN}",
     "Social Security Number 123.45.6789", f"debtor_ssn={SSN}", f"/people/ssn/{SSN}/profile",
     f"ssn#{SSN}", "SSN 123-456789", f"error for SSN={SSN}: not found"],
)  # fmt: skip
def test_an_ssn_after_a_name_for_ssns_in_free_text_is_masked(text: str) -> None:
    redacted = redact_text(text)
    assert MASK in redacted
    for digits in (SSN, "123.45.6789", "123-456789"):
        assert digits not in redacted, redacted


@pytest.mark.parametrize(
    "text",
    [f"call {SSN} after five", f"id {SSN}", "zip 62701-1234", f"classname {SSN}",
     f"business {SSN}", f"passn {SSN}", f"ssn last four unknown, ref {SSN}",
     f"https://x.example/people/{SSN}"],
)  # fmt: skip
def test_a_bare_nine_digit_number_elsewhere_is_not_masked(text: str) -> None:
    """Too many false positives (phone numbers, ids): only formatted SSNs are masked there."""
    assert redact_text(text) == text
    assert Redactor(FIELDS).url(f"https://x.example/s?q={SSN}") == f"https://x.example/s?q={SSN}"


def test_only_ssn_shaped_values_are_masked_in_fields_named_for_ssns() -> None:
    """Unless ``redaction.fields`` names the field: then any value is masked."""
    for value in ("1990-01-01", "unknown", "6789", "1234567890", "12345678"):
        url = f"https://x.example/s?debtor_ssn={value}&ssns={value}"
        assert Redactor([]).url(url) == url
        assert redact_text(f"ssn: {value}") == f"ssn: {value}"
    assert value not in Redactor(["debtor_ssn", "ssns"]).url(url)


def test_formatted_ssns_are_still_masked_anywhere() -> None:
    assert redact_text("paid by 123-45-6789 and 123 45 6789") == f"paid by {MASK} and {MASK}"
    assert "6789" not in Redactor([]).url("https://x.example/p/123%2045%206789")


def test_named_fields_are_masked_whatever_their_value() -> None:
    url = Redactor(FIELDS).url("https://x.example/s?name=Roe&Date-Of_Birth=1980-02-03&"
                               "account_number=A0001&ssn=unknown")  # fmt: skip
    for value in ("1980-02-03", "A0001", "unknown"):
        assert value not in url
    assert "name=Roe" in url


def test_a_reference_becomes_a_stable_keyed_pseudonym() -> None:
    key, other = b"k" * 32, b"o" * 32
    pseudonym = redact_reference("A0001", key)
    expected = hmac.new(key, b"A0001", hashlib.sha256).hexdigest()[:16]
    assert pseudonym == f"ref:{expected}"
    assert redact_reference(" A0001 ", key) == pseudonym  # surrounding blanks ignored
    assert redact_reference("A0002", key) != pseudonym
    assert redact_reference("A0001", other) != pseudonym  # nobody without the key can compute
    for reference in ("123-45-6789", SSN, "ACCT 4400 1234 5678"):
        hidden = redact_reference(reference, key)
        assert hidden.startswith("ref:") and reference not in hidden


def test_references_skiptrace_makes_itself_stay_readable() -> None:
    for reference in ("", "lookup", "row 2", "row 1048576"):
        assert redact_reference(reference, b"k" * 32) == reference
    for reference in ("row 0", "row 2x", "lookup 2", "rows 2", "Lookup"):
        assert redact_reference(reference, b"k" * 32).startswith("ref:"), reference


def test_the_redactor_keeps_its_reference_key_in_the_home_0600() -> None:
    first = Redactor(FIELDS).reference("A0001")
    key_file = home() / REFERENCE_KEY_FILE
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert len(key_file.read_bytes()) == 32
    assert first == redact_reference("A0001", key_file.read_bytes())
    assert Redactor([]).reference("A0001") == first  # the same from one log to the next
    assert Redactor([], reference_key=b"x" * 32).reference("A0001") != first


def test_no_key_is_made_for_references_that_name_no_one() -> None:
    redactor = Redactor(FIELDS)
    assert [redactor.reference(r) for r in ("", "lookup", "row 7")] == ["", "lookup", "row 7"]
    assert not (home() / REFERENCE_KEY_FILE).exists()


def test_a_damaged_reference_key_is_refused_not_replaced() -> None:
    from skiptrace.errors import AuditError

    (home() / REFERENCE_KEY_FILE).write_bytes(b"short")
    with pytest.raises(AuditError, match="reference"):
        Redactor([]).reference("A0001")
    assert (home() / REFERENCE_KEY_FILE).read_bytes() == b"short"


KEYED = """
from skiptrace.audit.redact import Redactor
from skiptrace.errors import AuditError
try:
    Redactor([]).reference("A0001")
except AuditError as exc:
    print(exc)
"""


@pytest.mark.parametrize("kind", ["fifo", "device", "long"])
def test_a_reference_key_that_is_no_key_file_is_one_error_read_no_further(kind: str) -> None:
    """A review: the key was read whole, whatever stood at its name: a FIFO there held every
    command that audits a debtor (waiting for a writer), and a link to /dev/zero was read
    until memory ran out. Each is now one AuditError, the file kept; a child process, so a
    regression ends at its timeout or memory limit, not the suite's."""
    path = home() / REFERENCE_KEY_FILE
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        path.symlink_to("/dev/zero")
    else:
        path.write_bytes(b"k" * 64)
    env = {**os.environ, "SKIPTRACE_HOME": str(home())}
    done = subprocess.run([sys.executable, "-c", KEYED], env=env, capture_output=True,
                          text=True, timeout=30, preexec_fn=limit_memory)  # fmt: skip
    assert done.returncode == 0, done.stderr
    said = done.stdout.strip()
    assert said.startswith("cannot read the key debtor references are kept under: "), said
    expected = {"fifo": "not a regular file", "device": "not a regular file", "long": "32 bytes"}
    assert expected[kind] in said and "restore it from a backup" in said, said
    assert os.path.lexists(path)


def test_two_redactors_racing_make_one_key(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(8) as pool:
        pseudonyms = set(pool.map(lambda _: Redactor([]).reference("A0001"), range(32)))
    assert len(pseudonyms) == 1
    assert [p.name for p in home().iterdir() if p.name.startswith(".")] == []  # no drafts left


@pytest.mark.parametrize("name", ["ssn", "SSN_full", "debtor_ssn", "socialSecurityNumber", "ssns"])
def test_names_for_ssns(name: str) -> None:
    assert ssn_field(name)


@pytest.mark.parametrize("name", ["classname", "business_name", "passnumber", "session", "sn"])
def test_names_not_for_ssns(name: str) -> None:
    assert not ssn_field(name)


@pytest.mark.parametrize(
    "separator",
    ["\u2013", "\u2014", "\u2010", "\u2011", "\u2012", "\u2015", "\ufe63", "\uff0d", "\u00a0",
     "\u202f", "\u2007", "\u3000", "\u2212"],
)  # fmt: skip
def test_an_ssn_written_with_unicode_dashes_or_spaces_is_masked(separator: str) -> None:
    """A review: an SSN pasted from a word processor or a web page (en or em dashes, a
    non-breaking space) reached the log whole: only ``-`` and `` `` counted as its separators.
    Separators are now read as NFKC and the Unicode dash (Pd) and space (Zs) classes make them,
    in free text, in a parameter named for SSNs and in an escaped URL alike."""
    ssn = separator.join(("123", "45", "6789"))
    escaped = quote(ssn)
    texts = [f"paid by {ssn}.", f"ssn={ssn}", f"SSN: {ssn}", f'{{"debtor_ssn": "{ssn}"}}']
    urls = [f"https://x.example/s?debtorssn={escaped}", f"https://x.example/s?q={escaped}",
            f"https://x.example/p/{escaped}", f"https://x.example/s?ssn={ssn}"]  # fmt: skip
    redacted = [redact_text(text) for text in texts] + [Redactor([]).url(url) for url in urls]
    for said in redacted:
        assert "6789" not in said, said
    assert redacted[0] == f"paid by {MASK}."


@pytest.mark.parametrize("hidden", ["\u00ad", "\u200b", "\u2060", "\ufeff"])
def test_an_ssn_broken_by_invisible_characters_in_a_field_named_for_ssns_is_masked(
    hidden: str,
) -> None:
    """Format characters (Cf: a soft hyphen, a zero-width space) are read as nothing: the
    digits they split are still the SSN where a field is named for one."""
    ssn = hidden.join(("123", "45", "6789"))
    assert "6789" not in redact_text(f"ssn={ssn}")
    assert "6789" not in Redactor([]).url(f"https://x.example/s?debtorssn={quote(ssn)}")
    assert redact_text(f"call 123{hidden}456789") == f"call 123{hidden}456789"  # bare: kept


def test_text_around_a_masked_unicode_ssn_is_kept_as_written() -> None:
    """Only the SSN is masked: what surrounds it keeps its own characters (ligatures, full-width
    letters), which NFKC would have rewritten."""
    name, ligature, dash = "\uff2e\uff41\uff4d\uff45", "\ufb01", "\u2013"
    text = f"{name} {ligature}le: SSN\u00a0123{dash}45{dash}6789 {dash} done"
    assert redact_text(text) == f"{name} {ligature}le: SSN\u00a0{MASK} {dash} done"


@pytest.mark.parametrize(
    "text",
    [f"<ssn>{SSN}</ssn>", f"SSN ({SSN})", f'{{"ssn":["{SSN}"]}}', f"ssn|{SSN}", f"SSN,{SSN}",
     f"debtor_ssn_{SSN}", f"SSN\u00a0\u2014 {SSN}", f"ssn => {SSN}"],
)  # fmt: skip
def test_an_ssn_after_a_name_for_ssns_and_any_punctuation_is_masked(text: str) -> None:
    """A review: only some characters (blanks, ``:=#"'/.-``) counted between a name for SSNs
    and its value, so an SSN in XML, in brackets or in a JSON list reached the log whole. Any
    run of up to six characters that are neither letters nor digits counts now."""
    assert SSN not in redact_text(text)
    assert SSN not in Redactor([]).url(f"https://x.example/s?q={quote(text)}")


def test_an_ssn_name_then_words_then_nine_digits_is_not_masked() -> None:
    for text in (f"SSN (none on file), id {SSN}", f"ssn missing; phone {SSN}"):
        assert redact_text(text) == text
