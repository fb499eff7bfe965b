"""What the words around a postal address written as text say it is: a label ("Mailing
address:", "PO Box", "Billing", "Headquarters", "Visit us"; "Returns address:" a warehouse's,
not mail's) read as its kind, a label set off by a colon from the rest of its line, and the
words leading into an address on its line ("Send payments to") read as its label.
"""

from __future__ import annotations

import re
from typing import Final

from skiptrace.pages._model import NOT_FOR_MAIL

RETURNS: Final = re.compile(r"(?<!tax )\breturns\b|\breturn\s+(?:goods|items?|merchandise|"
                             r"products?|orders?|parcels?|packages?)\b", re.I)  # fmt: skip
# compiled as the module is imported (by the sandbox's starter, before it forks a worker):
# compiled on first use, they had cost each search's worker 1.5 ms
_LABELS: Final = tuple((kind, re.compile(pattern, re.I)) for kind, pattern in (
    # the page's word against mail first: "Previous mailing address"
    ("former", r"\b(?:former|previous|prior|old)\s+(?:(?:mailing|postal|street|business|shop|"
     r"store|office)\s+)?(?:address|location|premises|p\.?\s?o\.?\s*box)|\b(?:formerly|"
     r"previously|used to be)\s+(?:at|located|in)\b|\bmoved from\b|\bno longer at\b|"
     r"\bour (?:old|former|previous) (?:\w+ )?(?:office|shop|store|showroom|premises|building)\b"),
    # the negation must govern the mail: "do not send mail here", not "don't hesitate to send"
    ("no_mail", r"\b(?:do not|don't|never|please don't)\s+(?:send|mail|post|deliver)\b|"
     r"\bnot (?:for|a) (?:mail|post)|\bno (?:mail|post|deliveries)\b|"
     r"\b(?:does|do) not (?:accept|receive) (?:mail|post)|"
     r"\b(?:mail|post)\b[^.!?]{0,30}\bnot (?:accepted|delivered)"),
    # goods sent back go to a warehouse, not where the business takes mail: "Mail order
    # returns:", "Ship returns to" (but "Mail your tax returns to" is the office's mail)
    ("location", RETURNS.pattern),
    # "mail" on its own ("Mail:", "Mail us at", "Mail checks to"), never "e-mail" or "email",
    # nor a newsletter's "mailing list";
    # payments go to a mailing address ("Payment address:", "Payments:")
    ("mailing", r"mailing(?!\s+list)|postal address|(?<![\w-])mail\b|send (?:mail|correspondence|"
     r"payments?)|correspondence|remit|\bpayments?\b"),
    ("billing", "billing|invoice|accounts payable"),
    ("headquarters", "headquarters|head office|\\bhq\\b|registered office|corporate office|"
     "main office"),
    ("po_box", "p\\.?\\s?o\\.?\\s*(?:box|drawer)|post office (?:box|drawer)|\\bpob\\b|lock\\s?box"),
    ("location", r"location|\bvisit(?:ors?|ing)?\b|find us|our (?:shop|store|office|showroom)|"
     "physical address|street address|directions|branch|warehouse|store|showroom|studio"),
))  # fmt: skip
LABEL_LINE: Final = re.compile(r"^(?P<label>[A-Za-z][A-Za-z /&'\-]{1,40}?)\s*:\s*(?P<rest>.*)$")


LABEL_ALONE: Final = re.compile(r"[A-Za-z][A-Za-z /&'\-]{1,40}")
"""A line that is only words, short enough to be a label of the address below it."""


def kind_of_label(label: str) -> str:
    """``mailing``, ``po_box``, ``billing``, ``headquarters`` or ``location`` for a label such as
    a schema.org ``contactType`` or the words before a text address, ``former`` or ``no_mail``
    for one saying the address is past or takes no mail; '' when it names none. Only its last
    clause is read: a sentence before it tells of something else ("Our old office has closed.
    New mailing address"), and one ending in "to" names where a move went."""
    clause = _last_clause(label)
    for kind, pattern in _LABELS:
        if pattern.search(clause) and not (kind == "former" and _MOVED_TO.search(clause)):
            return kind
    return ""


_MOVED_TO: Final = re.compile(r"\b(?:to|into)\W*$", re.I)
"""A label ending where a move went ("We've moved from Main Street to", "from our old shop
into"): the address after it is the new one, not the one it names as past."""


_CLAUSE_END: Final = re.compile(r"(?<=[a-z]{2}[.!?])\s+|(?<=[\d)][.!?])\s+|[;:]\s+")
"""Where a clause ends: a sentence's end after a word ("closed. New"; not "P.O. Box", "St.
Louis") or after a number or a bracket ("Registered in England No. 01234567. Registered
office:", "(SRA No. 612345). Registered office:"), a semicolon or a colon."""


def _last_clause(text: str) -> str:
    return _CLAUSE_END.split(text)[-1].strip()


def strip_label(line: str) -> tuple[str, str]:
    match = LABEL_LINE.match(line)
    if match and not any(ch.isdigit() for ch in match["label"]):
        return match["label"].strip(), match["rest"]
    return "", line


_LEAD: Final = 80
"""Characters of the words leading into an address read as its label."""
_CLAUSE_WORDS: Final = 5
"""Most words of a clause leading into an address that says what it is: a label ("Mailing
address", "Send payments to", "Our showroom at"), not a story ("We renovated the corporate
office of Acme at")."""


def lead_label(lead: str) -> str:
    """The last clause of the words leading into an address, as its label: at any length if
    it says the address is past or takes no mail ("We have moved! Our old address was"), else
    if it is a short one naming a kind; '' otherwise. A sentence before it is about something
    else ("Not sure where to send your payment? Mail it to")."""
    clause = _last_clause(lead[-_LEAD:])
    kind = kind_of_label(clause)
    return clause if kind in NOT_FOR_MAIL or (kind and len(clause.split()) <= _CLAUSE_WORDS) else ""
