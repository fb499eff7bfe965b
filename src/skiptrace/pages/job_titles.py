"""Reading a job title in a line of text, and what its line says after it.

``job_title`` keeps the title that starts a text, made of a fixed vocabulary of title words
only, so no one's name is ever in it. Beside it: whether a title labels the next person ("Owner:
Sam Lee") rather than her (``labels_next``, ``card_title``), the organisation named after it
("Sales Representative at Acme Supply", ``said_org``; not a place or a seat of the business's
own), and the word sets the other readers of a name share (credentials, lead-ins, former
words). Text only: no markup is read here.
"""

from __future__ import annotations

import itertools
import re
from typing import Final

from skiptrace.normalize._address_tables import AU_STATES, CA_PROVINCES, COUNTRIES, STATES
from skiptrace.normalize.names import is_particle, same_first_names
from skiptrace.pages._model import words

_TITLE_PLAIN: Final = frozenset(
    words(
        "office operations sales marketing finance financial accounts accounting human resources "
        "hr customer service services senior junior chief general regional project projects "
        "field business development it information technology legal compliance quality safety "
        "support client clients public relations communications purchasing procurement "
        "production maintenance warehouse logistics administration administrative the and "
        "services care billing payroll dispatch estimating design engineering research team "
        "staff front desk residential commercial new construction installation repair "
        "plumbing electrical hvac roofing dental medical nursing funeral mortuary cremation "
        "co creative technical digital managing deputy acting interim licensed certified "
        "registered master journeyman area district national international global product "
        "program programme content account payable receivable credit collections tax "
        "audit risk strategy data software network systems security store shop branch site "
        "facilities fleet transport shipping receiving inventory retail wholesale kitchen "
        "executive assistant principal lead head associate vice department church parish "
        "ministry ministries youth worship ase volunteer "
        "founding center centre"
    )
)

_TITLE_WORDS: Final = re.compile(
    r"\b(?:manager|director|owner|president|embalmer|mortician|vice|assistant|technician|engineer|officer|partner|"
    r"associate|coordinator|specialist|accountant|attorney|lawyer|paralegal|ceo|cfo|coo|cto|"
    r"founder|administrator|supervisor|lead|head|clerk|nurse|sales|representative|analyst|"
    r"consultant|advisor|adviser|secretary|receptionist|bookkeeper|estimator|foreman|rep|"
    r"superintendent|principal|chair|executive|agent|broker|dentist|hygienist|physician|"
    r"therapist|designer|developer|controller|treasurer|apprentice|electrician|plumber|driver|"
    r"chef|barista|cashier|mechanic|welder|machinist|operator|installer|inspector|instructor|"
    r"teacher|professor|pharmacist|veterinarian|optometrist|surveyor|architect|editor|writer|"
    r"photographer|producer|programmer|librarian|counselor|counsellor|planner|buyer|recruiter|"
    r"trainer|tech|dispatcher|scheduler|auditor|underwriter|adjuster|realtor|stylist|"
    r"intern|trainee|helper|laborer|labourer|janitor|custodian|caregiver|aide|paramedic|"
    r"doctor|surgeon|chiropractor|psychologist|solicitor|notary|actuary|scientist|chemist|"
    r"counsel|pastor|minister|priest|rabbi|deacon|chaplain|vicar|rector|cantor|imam|colorist|"
    r"colourist|esthetician|aesthetician)\b",
    re.I,
)


def title_word(word: str) -> bool:
    """A word of the title vocabulary (a hyphenated one when each part is: Co-Owner)."""
    plain = word.strip(" ,.;:()'\u2019\"").lower()
    if plain in _TITLE_PLAIN or _TITLE_WORDS.fullmatch(plain):
        return True
    parts = plain.split("-")
    return len(parts) > 1 and all(p in _TITLE_PLAIN or _TITLE_WORDS.fullmatch(p) for p in parts)


def role_word(word: str) -> bool:
    """Manager, Owner, Co-Owner...: a word that makes a title a job's."""
    return any(_TITLE_WORDS.fullmatch(p) for p in word.lower().strip(".").split("-"))


def job_title(text: str) -> str:
    """The job title that starts ``text``, as written, made of title words only: cut at the
    first clause break ("Office Manager, covering for Priya") and at the first word that is
    neither a title word nor a joiner ("Owner & \u00c9lodie"), joiners at its end dropped; ""
    unless a title word such as Manager or Owner is in it. What is kept comes from a fixed
    vocabulary, and ends before "to", "for", "with" or an "&" that no role of hers follows (a
    person may follow: "Assistant to Art Field", "Owner & Art Brand"; "Owner & Master Plumber"
    is one title), so no one's name is in it, in any script or case, whatever follows it."""
    head = CLAUSE_BREAK.split(text, maxsplit=1)[0]
    tokens = list(_TITLE_TOKENS.finditer(head))
    kept: list[re.Match[str]] = []
    for k, token in enumerate(tokens):
        if kept and not _TITLE_GAP.fullmatch(head, kept[-1].end(), token.start()):
            break  # a name in circled letters between two title words: the title ends
        word = token.group(0)
        lower = word.lower()
        if lower == "&" and kept and _joins_roles(tokens[k + 1 :]):
            kept.append(token)  # "Owner & Master Plumber": two roles of one person
            continue
        if lower in PERSON_JOINERS:  # "Assistant to ...", "Owner & ...": a person may follow
            break
        if lower == "and" and not (
            kept
            and kept[-1].group(0).lower() in _TITLE_PLAIN
            and k + 1 < len(tokens)
            and tokens[k + 1].group(0).lower() in _TITLE_PLAIN
        ):
            break  # "Sales and Marketing" only
        if not (title_word(word) or lower in TITLE_JOINERS):
            break
        kept.append(token)
    while kept and (not title_word(kept[-1].group(0)) or kept[-1].group(0).lower() in _ENDLESS):
        kept.pop()  # "Office Manager of the Year": "of the" leads to no title word
    if not any(role_word(t.group(0)) for t in kept):
        return ""
    return " ".join(head[kept[0].start() : kept[-1].end()].split())


def _joins_roles(after: list[re.Match[str]]) -> bool:
    """After an "&", a run of title words holding a role word ("Master Plumber", "Chief
    Executive Officer"): the "&" joins two of her roles; before anything else ("Owner &
    \u00c9lodie", "Owner & Art Brand") a person may follow, so the title ends there."""
    run = list(itertools.takewhile(lambda token: title_word(token.group(0)), after))
    return any(role_word(token.group(0)) for token in run)


CLAUSE_BREAK: Final = re.compile(r"[,;:()\[\]|\u2013\u2014]|\s-\s")
_TITLE_TOKENS: Final = re.compile(r"&|[^\W\d_][\w'\u2019.-]*")
_TITLE_GAP: Final = re.compile(r"[\s\d/+.'\u2019\u00b7\u00ad\u200b-\u200d\u2060\ufeff-]*")
"""What may stand between two words of a title ("Office Manager/Bookkeeper", "Owner\u00b7
Operator", a zero-width space or soft hyphen a site's editor left): the title is cut from the
line, so anything else there (a name in circled or squared letters, symbols that read as
letters and make no word) would be kept whole."""
TITLE_JOINERS: Final = frozenset(words("of and the in at co sr jr"))
_ENDLESS: Final = frozenset(words("the and"))
"""Title words that never end a title ("Head of the", "Sales and")."""
PERSON_JOINERS: Final = frozenset(words("to for with & +"))
_RUNS_ON_TO: Final = frozenset(words("to for with of at in since"))
"""After a title, words that start no other entry ("Assistant to Morgan Quill", "Office Manager
at Acme", "Owner since 1998")."""
NEXT_WORD: Final = re.compile(r"[,;(\[]|[^\W_][\w'\u2019.-]*")
LABEL_ENDS: Final = " ,-\u2013\u2014|:"
_LABELLING: Final = (":", "|", "-", "\u2013", "\u2014")  # "Owner: Sam Lee" labels Sam


def labels_next(text: str, title: str) -> bool:
    """``title`` is followed by a colon and a name: it labels the next person on her line
    ("Office Manager: Dana Whitfield | Owner: Tom Reed"), not her; or by a name with no mark
    between (``_name_after``: "Dana Whitfield - Owner Tom Reed"): whose it is cannot be told,
    so it is not hers."""
    at = text.find(title)
    rest = text[at + len(title) :] if at >= 0 else ""
    after = rest.lstrip()
    if after[:1] == ":":
        return _starts_a_name(after[1:], True)
    return not title.endswith(".") and _name_after(rest)  # "Office Manager. Tom Reed - Owner"


def _name_after(rest: str) -> bool:
    """``rest`` (what follows a title) is blanks, more title words or "and" and "&" between
    title words, then a capitalised word that may start a name, no mark nor number between
    ("Owner Tom Reed", "Owner and Founder Tom Reed"): the title may be his. A comma or another
    mark starts the next entry ("Owner, Sam Lee - Estimator"), a name right after "and" or
    "&" is a second person's beside her ("Owner and Robert Plant", "Owner & Art Brand"), and a
    lower-case word runs on her sentence ("Office Manager until 2019")."""
    end, last = 0, ""
    for token in _TITLE_TOKENS.finditer(rest):
        if rest[end : token.start()].strip():
            return False
        word = token.group(0)
        if not (title_word(word) or word.lower() in ("and", "&")):
            return last.lower() not in ("and", "&") and _starts_a_name(rest[token.start() :], True)
        end, last = token.end(), word
    return False


_TITLE_LABEL: Final = re.compile(r"(?:job\s+)?(?:title|position|role)\s*:\s*", re.I)
"""A label before a title on a card's line ("Title: Office Manager", "Position: Owner")."""


def unlabelled(text: str) -> str:
    """``text`` without a title's label starting it ("Title: Office Manager" is "Office
    Manager"); what follows is read as any title is, so "Title: Peoria" gives none."""
    found = _TITLE_LABEL.match(text)
    return text[found.end() :] if found is not None else text


def card_title(text: str, labelled: bool = False) -> str:
    """The title a card's line is, unless it labels another person ("Owner: Sam Lee");
    ``labelled``: after a title's label too ("Title: Office Manager")."""
    said = unlabelled(text) if labelled else text
    title = job_title(said) if len(said) <= 80 else ""
    return title if title and not _labels(said, title) else ""


def said_org(text: str, title: str) -> str:
    """The organisation ``text`` names right after ``title`` ("Sales Representative at Acme
    Supply", "Owner of Dockside Cafe"): the capitalised words after "at", "of" or "@", up to
    the first clause break or other word; "" when none is named ("Office Manager at our
    Springfield shop", "Office Manager, formerly of Acme Supply": a past, after a break)."""
    at = text.find(title)
    if not title or at < 0:
        return ""
    after = text[at + len(title) :]
    clause = CLAUSE_BREAK.split(after, maxsplit=1)[0]
    lead = _ORG_LEAD.match(clause)
    if lead is None:
        return _comma_org(after)
    kept: list[str] = []
    for word in clause[lead.end() :].split():
        if not (word[:1].isupper() or (kept and word.lower() in _ORG_JOINERS)):
            break
        kept.append(word)
    while kept and kept[-1].lower() in _ORG_JOINERS:
        kept.pop()
    said = " ".join(kept).rstrip(".")
    return "" if _place(said) else said


def _comma_org(after: str) -> str:
    """The organisation a comma right after her title names ("Sales Representative, Acme
    Supply"): its capitalised words up to the next break; "" when they are one word (her
    section, town or language: "Warranty", "Peoria", "Ventas"), go on with her title ("Vice
    President, Sales"), name a section or what she is ("Commercial Division", "NATE
    Certified"), are credentials ("CPA"), a place or a seat of the business's own ("Main
    Office", "North America"), or the next person of a list ("Office Manager, Tom Reed,
    Estimator": a title follows). Her employer's name, its branch or town are judged by
    the caller, as after "at"."""
    if not after.startswith(","):
        return ""
    segment, *rest = CLAUSE_BREAK.split(after[1:], maxsplit=1)
    said = " ".join(segment.split()).rstrip(".")
    said_words = said.split()
    if not 1 < len(said_words) <= _MAX_ORG_WORDS:
        return ""  # one word is her section, town or language ("Billing", "Peoria", "Ventas")
    if not all(w[:1].isupper() or w.lower() in _ORG_JOINERS for w in said_words):
        return ""
    if all(title_word(w) or w.lower() in TITLE_JOINERS | {"&"} for w in said_words):
        return ""
    if any(w.lower().rstrip(".") in _SECTION_WORDS for w in said_words):
        return ""
    if all(_CREDENTIAL.fullmatch(w) for w in said_words) or _place(said):
        return ""
    return "" if rest and job_title(rest[0].strip()) else said


_MAX_ORG_WORDS: Final = 6
_SECTION_WORDS: Final = frozenset(
    words("division department dept practice level law office location certified insured speaking")
)
"""Words of a part of her employer or of what she is, never of another business's name
("Commercial Division", "Family Law", "Level II", "Peoria Office", "NATE Certified")."""
_CREDENTIAL: Final = re.compile(
    r"[A-Z]{2,5}\.?|(?:[A-Z][a-z]?\.){1,3}|Ph\.?D\.?|Esq\.?|Jr\.?|Sr\.?"
)
"""Letters after a name ("CPA", "DDS", "R.N.", "PhD", "Esq."), never a business's name."""
_ORG_LEAD: Final = re.compile(r"\s+(?:at|of|@)\s+", re.I)
_ORG_JOINERS: Final = frozenset(words("& and of the"))


def _place(said: str) -> bool:
    """``said`` names where she works, not another business: her employer's own seat
    ("Headquarters", "Corporate", "Our Peoria Office"), or a region, country, state or province,
    a direction before it and a region's or office's word after ("North America", "Midwest",
    "Northern California", "Illinois Office", "Western Region"). Every word must be read so:
    a business named after a place ("Southwest Airlines", "Delaware North", "Our Lady of
    Lourdes Hospital") is a business."""
    said_words = re.findall(r"[a-z0-9]+", said.lower())
    if _our_branch(said_words):
        return True
    k, placed = 0, False
    while k < len(said_words):
        span = next((n for n in (4, 3, 2, 1) if " ".join(said_words[k : k + n]) in _PLACES), 0)
        if span:
            k, placed = k + span, True
        elif said_words[k] in _DIRECTIONS and k + 1 < len(said_words):
            k += 1  # "Northern California", "Western Region"; not "Delaware North"
        elif said_words[k] in _SEAT_WORDS | _ORG_JOINERS:
            placed = placed or said_words[k] in _OWN_SEATS
            k += 1
        else:
            return False
    return placed


def _our_branch(said_words: list[str]) -> bool:
    """The page's own branch, whatever town it names ("Our Peoria Office", "Our St. Louis
    Shop"); not "Our Lady of Lourdes Clinic", a parish's or hospital's name."""
    return (
        2 < len(said_words) <= 4
        and said_words[0] == "our"
        and said_words[-1] in _BRANCHES
        and not {"of", "lady"} & set(said_words)
    )


_BRANCHES: Final = frozenset(
    words("office offices headquarters hq branch shop store location showroom warehouse yard")
)
_OWN_SEATS: Final = frozenset(
    words("headquarters hq office offices corporate region regions division territory branch")
)
"""Words naming a part of the business itself, enough alone ("at Headquarters", "at HQ")."""
_SEAT_WORDS: Final = frozenset([*words("head main regional district area zone"), *_OWN_SEATS])
"""Words that may stand with a place or seat ("Head Office", "Midwest District") but say
nothing alone."""
_DIRECTIONS: Final = frozenset(
    words(
        "north south east west central northern southern eastern western northeast northwest "
        "southeast southwest northeastern northwestern southeastern southwestern upper lower "
        "greater mid inland coastal"
    )
)
_PLACES: Final = frozenset(
    [
        *STATES, *COUNTRIES, *CA_PROVINCES, *AU_STATES,
        *words(
            "america americas africa asia europe oceania antarctica caribbean scandinavia nordics "
            "benelux emea apac apj latam amer midwest northeast southeast southwest northwest "
            "appalachia"
        ),
        "north america", "south america", "central america", "latin america", "middle east",
        "asia pacific", "pacific northwest", "new england", "mid atlantic", "great lakes",
        "great plains", "rocky mountains", "mountain west", "west coast", "east coast",
        "gulf coast", "tri state", "sun belt",
    ]
)  # fmt: skip
"""Regions, continents, countries, US states, Canadian provinces, Australian states: no
business's whole name."""


def _labels(line: str, title: str) -> bool:
    """``line`` is another entry, not the hit's title: after its title, or after a mark that
    labels ("Owner: Sam Lee", "Owner - Sam Lee"), comes a word that starts a name, more title
    words and "and" passed over ("Owner Sam Lee", "Owner & Operator: Sam Lee", "Assistant to
    the Owner: Sam Lee"). Kept: a title alone or with more title words after it ("Owner -
    Master Electrician", "Office Manager | Billing"), before a comma ("Office Manager,
    covering for Priya"), a number or a credential, or before a word a person, a place or a
    date follows ("Assistant to Morgan Quill", "Office Manager at Acme", "Owner since 1998").
    After a comma, semicolon or bracket only a capitalised word starts a name ("Owner, Sam
    Lee", "Owner (Sam Lee)"; not "Office Manager, covering for Priya")."""
    at = line.find(title)
    starts = [(at + len(title) if at >= 0 else 0, False)]
    for mark in CLAUSE_BREAK.finditer(line):
        sign = mark.group(0).strip()[:1]
        if sign in _LABELLING or sign in ",;([":
            starts.append((mark.end(), sign not in _LABELLING))
    return any(_starts_a_name(line[start:], capital) for start, capital in starts)


def _starts_a_name(text: str, capital: bool) -> bool:
    """The first word of ``text`` that is no title word, "and" nor a former word ("Pastor
    Emeritus", "Office Manager (retired 2018)") may start a name: it is no joiner, number,
    credential or contact label ("Ext. 12", "Phone"), does not start a sentence or her
    pronouns (``_starts_no_name``), and no comma, semicolon or bracket comes before it. Any case and
    any script ("OWNER SAM LEE", "owner: sam lee"), unless ``capital`` asks for a capital."""
    for token in NEXT_WORD.finditer(text):
        word = token.group(0)
        lower = word.lower()
        if word in ",;([" or word[0].isdigit():
            return False
        if not (title_word(word) or lower == "and" or FORMER.fullmatch(word)):
            return (
                lower not in _RUNS_ON_TO
                and lower.rstrip(".") not in CREDENTIALS | LEAD_OUTS
                and (not capital or word[0].isupper())
                and text[token.end() : token.end() + 1] != "@"  # an e-mail address
                and not _starts_no_name(word, text[token.end() :])
            )
    return False


def _starts_no_name(word: str, rest: str) -> bool:
    """A capitalised ``word`` that a lower-case word or a number follows starts a sentence or
    a label ("She joined us", "Responsible for billing", "Room 4"), and one a slash follows
    pronouns or days ("She/Her", "Mon/Wed"), not a name, unless two capitalised words follow
    the slash ("Tom/Sam Reed": a couple): a name's next word is capitalised too, a surname's
    particle ("Tom de Vries") or "and" ("Tom and Sam Reed"), short lower-case words before a
    capitalised one are particles of any language ("Maria y Lopez", "Jan op den Berg",
    "Fatima bint Ahmed"), or a break ends it, after one lower-case word too when the first is
    a known given name ("Tom reed": a surname in lower case, ``_lower_surname``). A
    lower-case ``word`` says nothing by its case."""
    if not word[:1].isupper():
        return False
    if rest[:1] == "/":
        return _SLASHED_NAME.match(rest) is None
    following = NEXT_WORD.match(rest.lstrip()) if rest[:1].isspace() else None
    if following is None:
        return False
    after = following.group(0)
    if after[0].isdigit():
        return True
    particles = is_particle(after) or after == "and" or _particles_before(rest.lstrip())
    tail = rest.lstrip()[following.end() :]
    return after.islower() and not particles and not _lower_surname(word, after, tail)


def _lower_surname(first: str, word: str, tail: str) -> bool:
    """``first`` is a given name the nickname table knows, and the one lower-case ``word``
    after it ends its clause (``tail`` is what follows it), no small word a sentence runs on
    with nor a sentence's end: a name, its surname written in lower case ("Owner: Tom reed",
    "Owner: Tom reed | Estimator: ..."), not a sentence ("Tom joined us", "Loves dogs.", "Part
    time") nor whose relative she is ("Co-owner, Tom's wife"). A name the table lacks ("Priya
    nair") is not told from a short phrase."""
    return (
        len(same_first_names(first)) > 1
        and bool(_CLAUSE_END.match(tail))
        and word not in _RUNS_ON
        and not word.endswith(".")
    )


def _particles_before(text: str) -> bool:
    """``text`` starts with one to three short lower-case words, then a capitalised one, and
    none of them an English word a sentence runs on with ("y Lopez", "op den Berg"; not "is
    Tom's daughter", "born in Ohio"): a surname's particles."""
    run = _PARTICLES_BEFORE.match(text)
    return run is not None and particles(run.group(1).split())


def particles(said: list[str]) -> bool:
    """Short lower-case words between a name's capitalised ones (``NAME_PARTICLES``) are a
    surname's particles, of any language ("da", "y", "op den"), when none is an English word
    a sentence runs on with ("in", "her", "the")."""
    return not set(said) & _RUNS_ON


_CLAUSE_END: Final = re.compile(r"\s*(?:$|[,;:()\[\]|/\u2013\u2014\u2022\u00b7]|-\s)")
"""The end of a line, or a mark ending a name's clause (a comma, a bar, a dash, a bullet)."""
_SLASHED_NAME: Final = re.compile(r"/\s*[A-Z][\w'\u2019.-]*\s+[A-Z]")
NAME_PARTICLES: Final = r"(?:[a-z][a-z'\u2019]{0,4}\s+){1,3}"
"""One to three short lower-case words, each with its blank: a surname's particles, if any."""
_PARTICLES_BEFORE: Final = re.compile(rf"({NAME_PARTICLES})[A-Z]")
_RUNS_ON: Final = frozenset(
    words(
        "a an the of in on at to by for from with about into our your her his its my me their "
        "them us we is are was has had have two all up out"
    )
)


ADDRESS_FORMS: Final = frozenset(words("pastor rabbi coach father chef captain"))
"""Forms of address before a name: no part of hers ("Pastor Dana Whitfield"), and the start of
another's ("Coach Tom Reed"), never of a heading's words."""
LEAD_INS: Final = ADDRESS_FORMS | frozenset(
    words(
        "meet welcome contact call email e-mail ask from by with and or our your congratulations "
        "thanks thank dear hi hello introducing including featuring please see about to i'm im "
        "is i am i\u2019m"
    )
)
NAME_WORD: Final = re.compile(r"[^\W\d_][\w'\u2019-]*")


CREDENTIALS: Final = frozenset(
    words(
        "cpa phd mba rn esq md dds dmd pe cfa jd llm dvm np pa lpn cfp ea od do rdh lcsw pa-c "
        "lmft lpc aprn fnp cna emt lmt ccc-slp otr pt dpt"
    )
)
LEAD_OUTS: Final = frozenset(
    words("bio today profile here joins joined email e-mail phone tel ext cell mobile fax")
)


FORMER: Final = re.compile(
    r"\b(?:alumni|alumnae|alumnus|alumna|former|formerly|retired|emerit(?:us|a)|past staff)\b",
    re.I,
)
