"""Write the built-in offline example: made-up bulk files in the real formats, a debtor file,
and the answers a correct run gives (``src/skiptrace/demo/example/``).

Everyone in it is invented. The NPPES files carry the real 330-column header
(``tools/bulk_headers/nppes_npidata_v2.csv``), every value double-quoted as CMS writes them:
a monthly main file, and a weekly delta inside a ZIP named like CMS's weekly bundles, which
updates one provider's mailing address (the newer record must win). ``skiptrace demo`` imports
them into its own index and enriches the debtors against it, offline; a test checks the
answers. Deterministic: running it again writes the same bytes.

    python tools/make_example_index.py [--out FOLDER]
"""

from __future__ import annotations

import argparse
import csv
import io
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "skiptrace" / "demo" / "example"
HEADER = ROOT / "tools" / "bulk_headers" / "nppes_npidata_v2.csv"
MONTHLY = "npidata_pfile_20050523-20261101.csv"
WEEKLY_ZIP = "NPPES_Data_Dissemination_110226_110826_Weekly_V2.zip"
WEEKLY = "npidata_pfile_20261102-20261108.csv"

MAIL = "Provider {} Business Mailing Address"
PRACTICE = "Provider {} Business Practice Location Address"


def _address(prefix: str, line: str, city: str, state: str, zip_code: str) -> dict[str, str]:
    return {
        prefix.format("First Line"): line,
        f"{prefix.format('')} City Name".replace("  ", " "): city,
        f"{prefix.format('')} State Name".replace("  ", " "): state,
        f"{prefix.format('')} Postal Code".replace("  ", " "): zip_code,
        f"{prefix.format('')} Country Code (If outside U.S.)".replace("  ", " "): "US",
    }


def individual(npi: str, first: str, middle: str, last: str, suffix: str, mail: tuple[str, ...],
               practice: tuple[str, ...], updated: str) -> dict[str, str]:  # fmt: skip
    row = {"NPI": npi, "Entity Type Code": "1", "Provider First Name": first,
           "Provider Middle Name": middle, "Provider Last Name (Legal Name)": last,
           "Provider Name Suffix Text": suffix, "Provider Enumeration Date": "03/14/2011",
           "Last Update Date": updated}  # fmt: skip
    row |= _address(MAIL, *mail) | _address(PRACTICE, *practice)
    return row


def organisation(npi: str, name: str, official: tuple[str, str, str], title: str,
                 place: tuple[str, ...], updated: str) -> dict[str, str]:  # fmt: skip
    first, middle, last = official
    row = {"NPI": npi, "Entity Type Code": "2",
           "Provider Organization Name (Legal Business Name)": name,
           "Authorized Official First Name": first, "Authorized Official Middle Name": middle,
           "Authorized Official Last Name": last,
           "Authorized Official Title or Position": title,
           "Authorized Official Telephone Number": "5555550100",
           "Provider Enumeration Date": "06/02/2015", "Last Update Date": updated}  # fmt: skip
    row |= _address(MAIL, *place) | _address(PRACTICE, *place)
    return row


SPRINGFIELD = ("100 MAIN ST", "SPRINGFIELD", "IL", "627011234")
HARBOR = ("55 HARBOR WAY", "BOSTON", "MA", "02110")
EUGENE = ("7 ALDER CT", "EUGENE", "OR", "97401")
MONTHLY_ROWS = [
    individual("1000000001", "JANE", "Q", "ROE", "", SPRINGFIELD,
               ("200 CLINIC WAY", "SPRINGFIELD", "IL", "62704"), "04/02/2024"),
    individual("1000000002", "ROBERT", "", "QUINLAN", "", HARBOR, HARBOR, "01/15/2019"),
    # a rare name, moved across the country since the debtor file was written
    individual("1000000003", "ZEBULON", "", "QUACKENBUSH", "", EUGENE, EUGENE, "09/30/2025"),
    # a common name in another city: a namesake, never the debtor
    individual("1000000004", "JOHN", "", "SMITH", "", ("410 COLFAX AVE", "DENVER", "CO", "80204"),
               ("410 COLFAX AVE", "DENVER", "CO", "80204"), "02/11/2023"),
    # the debtor's father at the debtor's address
    individual("1000000005", "SARAH", "C", "CHASE", "SR.", ("12 OAK ST", "DAYTON", "OH", "45402"),
               ("12 OAK ST", "DAYTON", "OH", "45402"), "07/19/2022"),
    # the employer a rare-named debtor runs
    organisation("1000000006", "LAKESIDE FAMILY DENTAL LLC", ("THADDEUS", "", "OKONKWO"),
                 "OWNER", ("3 SHORE DR", "MADISON", "WI", "53703"), "05/05/2024"),
    # a deactivated stub: only the NPI and a date; never a record
    {"NPI": "1000000007", "NPI Deactivation Date": "08/01/2020"},
]  # fmt: skip
WEEKLY_ROWS = [
    # Robert Quinlan now gets his mail at a PO box: the weekly delta is newer
    individual("1000000002", "ROBERT", "", "QUINLAN", "", ("PO BOX 4411", "BOSTON", "MA", "02110"),
               HARBOR, "11/04/2026"),
]  # fmt: skip

DEBTORS = [
    ("account", "first_name", "last_name", "suffix", "address", "city", "state", "zip",
     "bankruptcy"),
    ("EX-01", "Jane", "Roe", "", "100 Main Street", "Springfield", "IL", "62701", ""),
    ("EX-02", "Bob", "Quinlan", "", "55 Harbor Way", "Boston", "MA", "02110", ""),
    ("EX-03", "Zebulon", "Quackenbush", "", "19 Elm St", "Columbus", "OH", "43215", ""),
    ("EX-04", "John", "Smith", "", "8 Pine Rd", "Austin", "TX", "78701", ""),
    ("EX-05", "Sarah", "Chase", "Jr", "12 Oak St", "Dayton", "OH", "45402", ""),
    ("EX-06", "Thaddeus", "Okonkwo", "", "90 Lake St", "Chicago", "IL", "60601", ""),
    ("EX-07", "Ann", "Example", "", "4 Elm St", "Portland", "OR", "97201", "yes"),
    ("EX-08", "Tom", "Nobody", "", "1 Nowhere Ln", "Austin", "TX", "78701", ""),
]  # fmt: skip
EXPECTED = [
    ("account", "status", "found_mailing_address", "found_employer", "why"),
    ("EX-01", "hit", "100 MAIN ST, SPRINGFIELD, IL 627011234, US", "",
     "name and address agree"),
    ("EX-02", "possible", "PO BOX 4411, BOSTON, MA 02110, US", "",
     "Bob is Robert, in the debtor's ZIP on another street (a PO box): name and ZIP area "
     "only, so possible; the weekly delta's newer mailing address wins"),
    ("EX-03", "possible", "7 ALDER CT, EUGENE, OR 97401, US", "",
     "moved: a rare name alone, so possible, with the new address"),
    ("EX-04", "no_hit", "", "", "a common name in another city: a namesake"),
    ("EX-05", "no_hit", "", "", "Jr against Sr at one address: the parent, not the debtor"),
    ("EX-06", "possible", "", "LAKESIDE FAMILY DENTAL LLC",
     "a rare name: the authorized official of a dental practice"),
    ("EX-07", "skipped_flag", "", "", "do not research: bankruptcy"),
    ("EX-08", "no_hit", "", "", "nobody of that name in the index"),
]  # fmt: skip


def _nppes(rows: list[dict[str, str]]) -> bytes:
    with HEADER.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    unknown = {name for row in rows for name in row} - set(header)
    assert not unknown, f"not NPPES columns: {sorted(unknown)}"
    text = io.StringIO()
    writer = csv.writer(text, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name, "") for name in header])
    return text.getvalue().encode("utf-8")


def _table(rows: list[tuple[str, ...]]) -> bytes:
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    return text.getvalue().encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"default: {OUT}")
    out: Path = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    (out / MONTHLY).write_bytes(_nppes(MONTHLY_ROWS))
    with zipfile.ZipFile(out / WEEKLY_ZIP, "w", zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo(WEEKLY, date_time=(2026, 11, 9, 0, 0, 0))
        archive.writestr(info, _nppes(WEEKLY_ROWS), zipfile.ZIP_DEFLATED)
    (out / "debtors.csv").write_bytes(_table(DEBTORS))
    (out / "expected.csv").write_bytes(_table(EXPECTED))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
