"""Lookup tables for ``skiptrace.normalize.addresses``: reference data, kept apart from the logic.

Sources:

- ``STATES``: USPS Publication 28, Appendix B (two-letter state and possession abbreviations),
  plus the three Armed Forces codes; ``OLD_STATE_ABBREVIATIONS``: the traditional (GPO) forms
  still found in old registry rows.
- ``SUFFIXES``: USPS Publication 28, Appendix C1 (street suffixes), common spellings mapped to
  the standard abbreviation, less the variants that collide with other address words.
- ``UNIT_WORDS``/``UNIT_DESIGNATORS``: USPS Publication 28, Appendix C2 (secondary-unit
  designators that take an identifier).
- ``DIRECTIONALS``: the Publication 28 directional abbreviations (Section 233).
- ``COUNTRIES``, ``STREETISH``, ``CITY_WORDS``, ``NOT_BEFORE_ZIP``: this project's own
  word lists for the parser (country names, suffixes that mark a street, city-name
  abbreviations, words after which five digits are not a ZIP).

They are data rather than code: they change when the reference changes or a new spelling turns
up in a registry file, never with the parsing rules, and keeping them here leaves
``addresses.py`` readable as logic. Every name is ``Final``; nothing here is part of the public
API of ``skiptrace.normalize``.
"""

from __future__ import annotations

from typing import Final

STATES: Final[dict[str, str]] = {
    "alabama": "al", "alaska": "ak", "arizona": "az", "arkansas": "ar", "california": "ca",
    "colorado": "co", "connecticut": "ct", "delaware": "de", "district of columbia": "dc",
    "florida": "fl", "georgia": "ga", "hawaii": "hi", "idaho": "id", "illinois": "il",
    "indiana": "in", "iowa": "ia", "kansas": "ks", "kentucky": "ky", "louisiana": "la",
    "maine": "me", "maryland": "md", "massachusetts": "ma", "michigan": "mi",
    "minnesota": "mn", "mississippi": "ms", "missouri": "mo", "montana": "mt",
    "nebraska": "ne", "nevada": "nv", "new hampshire": "nh", "new jersey": "nj",
    "new mexico": "nm", "new york": "ny", "north carolina": "nc", "north dakota": "nd",
    "ohio": "oh", "oklahoma": "ok", "oregon": "or", "pennsylvania": "pa",
    "rhode island": "ri", "south carolina": "sc", "south dakota": "sd", "tennessee": "tn",
    "texas": "tx", "utah": "ut", "vermont": "vt", "virginia": "va", "washington": "wa",
    "west virginia": "wv", "wisconsin": "wi", "wyoming": "wy",
    "puerto rico": "pr", "guam": "gu", "virgin islands": "vi", "us virgin islands": "vi",
    "american samoa": "as", "northern mariana islands": "mp", "marshall islands": "mh",
    "federated states of micronesia": "fm", "micronesia": "fm", "palau": "pw",
    "armed forces americas": "aa", "armed forces europe": "ae", "armed forces pacific": "ap",
}  # fmt: skip
OLD_STATE_ABBREVIATIONS: Final[dict[str, str]] = {
    # Traditional (GPO) abbreviations still found in old registry rows; only trusted before a ZIP
    # or via normalize_state, since "ill", "miss", "wash" and "ore" are also plain words.
    "ala": "al", "ariz": "az", "ark": "ar", "cal": "ca", "calif": "ca", "colo": "co",
    "conn": "ct", "del": "de", "fla": "fl", "ill": "il", "ind": "in", "kan": "ks",
    "kans": "ks", "mass": "ma", "mich": "mi", "minn": "mn", "miss": "ms", "mont": "mt",
    "neb": "ne", "nebr": "ne", "nev": "nv", "okla": "ok", "ore": "or", "oreg": "or",
    "penn": "pa", "penna": "pa", "tenn": "tn", "tex": "tx", "wash": "wa", "wis": "wi",
    "wisc": "wi", "wyo": "wy", "n mex": "nm", "n dak": "nd", "s dak": "sd", "w va": "wv",
    "d c": "dc", "n c": "nc", "s c": "sc", "n d": "nd", "s d": "sd", "n h": "nh", "n j": "nj",
    "n m": "nm", "n y": "ny", "r i": "ri", "w v": "wv", "p r": "pr",
}  # fmt: skip
STATE_CODES: Final = frozenset(STATES.values())
STATE_STRICT: Final[dict[str, str]] = {**STATES, **{c: c for c in STATE_CODES}}
STATE_LOOKUP: Final[dict[str, str]] = {**OLD_STATE_ABBREVIATIONS, **STATE_STRICT}

COUNTRIES: Final[dict[str, str]] = {
    "us": "us", "usa": "us", "u s": "us", "u s a": "us", "united states": "us",
    "united states of america": "us",
    "uk": "gb", "u k": "gb", "gb": "gb", "united kingdom": "gb", "great britain": "gb",
    "britain": "gb", "england": "gb", "scotland": "gb", "wales": "gb",
    "northern ireland": "gb",
    "canada": "ca", "mexico": "mx", "ireland": "ie", "republic of ireland": "ie",
    "australia": "au", "new zealand": "nz", "germany": "de", "deutschland": "de",
    "france": "fr", "spain": "es", "italy": "it", "netherlands": "nl", "holland": "nl",
    "india": "in", "china": "cn", "japan": "jp", "philippines": "ph", "brazil": "br",
}  # fmt: skip
"""Country names (and the few unambiguous codes) recognised at the end of raw text."""
COUNTRY_CODES: Final = frozenset(COUNTRIES.values())

SUFFIXES: Final[dict[str, str]] = {
    "allee": "aly", "alley": "aly", "ally": "aly", "anex": "anx", "annex": "anx",
    "annx": "anx", "arcade": "arc", "av": "ave", "aven": "ave", "avenu": "ave",
    "avenue": "ave", "avn": "ave", "avnue": "ave", "bayoo": "byu", "bayou": "byu",
    "beach": "bch", "bend": "bnd", "bluf": "blf", "bluff": "blf", "bluffs": "blfs",
    "bot": "btm", "bottm": "btm", "bottom": "btm", "boul": "blvd", "boulevard": "blvd",
    "boulv": "blvd", "branch": "br", "brnch": "br", "brdge": "brg", "bridge": "brg",
    "brook": "brk", "brooks": "brks", "burg": "bg", "burgs": "bgs", "bypa": "byp",
    "bypas": "byp", "bypass": "byp", "byps": "byp", "camp": "cp", "cmp": "cp",
    "canyn": "cyn", "canyon": "cyn", "cnyn": "cyn", "cape": "cpe", "causeway": "cswy",
    "causwa": "cswy", "cen": "ctr", "cent": "ctr", "center": "ctr", "centr": "ctr",
    "centre": "ctr", "cnter": "ctr", "cntr": "ctr", "centers": "ctrs", "circ": "cir",
    "circl": "cir", "circle": "cir", "crcl": "cir", "crcle": "cir", "circles": "cirs",
    "cliff": "clf", "cliffs": "clfs", "club": "clb", "common": "cmn", "commons": "cmns",
    "corner": "cor", "corners": "cors", "course": "crse", "court": "ct", "crt": "ct",
    "courts": "cts", "cove": "cv", "coves": "cvs", "creek": "crk", "crescent": "cres",
    "crsent": "cres", "crsnt": "cres", "crest": "crst", "crossing": "xing", "crssng": "xing",
    "crossroad": "xrd", "crossroads": "xrds", "curve": "curv", "dale": "dl", "dam": "dm",
    "divide": "dv", "div": "dv", "dvd": "dv", "drive": "dr", "driv": "dr", "drv": "dr",
    "drives": "drs", "estate": "est", "estates": "ests", "expressway": "expy",
    "exp": "expy", "expr": "expy", "express": "expy", "expw": "expy", "extension": "ext",
    "extn": "ext", "extnsn": "ext", "extensions": "exts", "falls": "fls", "ferry": "fry",
    "frry": "fry", "field": "fld", "fields": "flds", "flat": "flt", "flats": "flts",
    "ford": "frd", "fords": "frds", "forest": "frst", "forests": "frst", "forge": "frg",
    "forg": "frg", "forges": "frgs", "fork": "frk", "forks": "frks", "fort": "ft",
    "frt": "ft", "freeway": "fwy", "freewy": "fwy", "frway": "fwy", "frwy": "fwy",
    "garden": "gdn", "gardn": "gdn", "grden": "gdn", "grdn": "gdn", "gardens": "gdns",
    "grdns": "gdns", "gateway": "gtwy", "gatewy": "gtwy", "gatway": "gtwy", "gtway": "gtwy",
    "glen": "gln", "glens": "glns", "green": "grn", "greens": "grns", "grov": "grv",
    "grove": "grv", "groves": "grvs", "harb": "hbr", "harbor": "hbr", "harbr": "hbr",
    "hrbor": "hbr", "harbors": "hbrs", "haven": "hvn", "height": "hts", "heights": "hts",
    "hgts": "hts", "highway": "hwy", "highwy": "hwy", "hiway": "hwy", "hiwy": "hwy",
    "hway": "hwy", "hill": "hl", "hills": "hls", "hllw": "holw", "hollow": "holw",
    "hollows": "holw", "holws": "holw", "inlet": "inlt", "island": "is", "islnd": "is",
    "islands": "iss", "islnds": "iss", "isles": "isle", "jction": "jct", "jctn": "jct",
    "junction": "jct", "junctn": "jct", "juncton": "jct", "jctns": "jcts",
    "junctions": "jcts", "key": "ky", "keys": "kys", "knol": "knl", "knoll": "knl",
    "knolls": "knls", "lake": "lk", "lakes": "lks", "landing": "lndg", "lndng": "lndg",
    "lane": "ln", "light": "lgt", "lights": "lgts", "loaf": "lf", "lock": "lck",
    "locks": "lcks", "ldge": "ldg", "lodg": "ldg", "lodge": "ldg", "loops": "loop",
    "manor": "mnr", "manors": "mnrs", "meadow": "mdw", "meadows": "mdws", "medows": "mdws",
    "mill": "ml", "mills": "mls", "missn": "msn", "mission": "msn", "mssn": "msn",
    "motorway": "mtwy", "mnt": "mt", "mount": "mt", "mntain": "mtn", "mntn": "mtn",
    "mountain": "mtn", "mountin": "mtn", "mtin": "mtn", "mntns": "mtns",
    "mountains": "mtns", "neck": "nck", "orchard": "orch", "orchrd": "orch", "ovl": "oval",
    "overpass": "opas", "parks": "park", "prk": "park", "parkway": "pkwy", "parkwy": "pkwy",
    "pkway": "pkwy", "pky": "pkwy", "parkways": "pkwy", "pkwys": "pkwy", "passage": "psge",
    "paths": "path", "pikes": "pike", "pine": "pne", "pines": "pnes", "place": "pl",
    "plain": "pln", "plains": "plns", "plaza": "plz", "plza": "plz", "point": "pt",
    "points": "pts", "port": "prt", "ports": "prts", "prairie": "pr", "prr": "pr",
    "rad": "radl", "radial": "radl", "radiel": "radl", "ranch": "rnch", "ranches": "rnch",
    "rnchs": "rnch", "rapid": "rpd", "rapids": "rpds", "rest": "rst", "rdge": "rdg",
    "ridge": "rdg", "ridges": "rdgs", "river": "riv", "rvr": "riv", "rivr": "riv",
    "road": "rd", "roads": "rds", "route": "rte", "shoal": "shl", "shoals": "shls",
    "shoar": "shr", "shore": "shr", "shoars": "shrs", "shores": "shrs", "skyway": "skwy",
    "spng": "spg", "spring": "spg", "sprng": "spg", "spngs": "spgs", "springs": "spgs",
    "sprngs": "spgs", "spurs": "spur", "sqr": "sq", "sqre": "sq", "squ": "sq",
    "square": "sq", "sqrs": "sqs", "squares": "sqs", "station": "sta", "statn": "sta",
    "stn": "sta", "strav": "stra", "straven": "stra", "stravenue": "stra", "stravn": "stra",
    "strvn": "stra", "strvnue": "stra", "stream": "strm", "streme": "strm", "street": "st",
    "strt": "st", "str": "st", "streets": "sts", "sumit": "smt", "sumitt": "smt",
    "summit": "smt", "terr": "ter", "terrace": "ter", "throughway": "trwy", "trace": "trce",
    "traces": "trce", "track": "trak", "tracks": "trak", "trk": "trak", "trafficway": "trfy",
    "trail": "trl", "trails": "trl", "trls": "trl", "trailer": "trlr", "trlrs": "trlr",
    "tunel": "tunl", "tunls": "tunl", "tunnel": "tunl", "tunnels": "tunl", "tunnl": "tunl",
    "trnpk": "tpke", "turnpike": "tpke", "turnpk": "tpke", "underpass": "upas",
    "union": "un", "unions": "uns", "valley": "vly", "vally": "vly", "vlly": "vly",
    "valleys": "vlys", "vdct": "via", "viadct": "via", "viaduct": "via", "view": "vw",
    "views": "vws", "vill": "vlg", "villag": "vlg", "village": "vlg", "villg": "vlg",
    "villiage": "vlg", "villages": "vlgs", "ville": "vl", "vist": "vis", "vista": "vis",
    "vst": "vis", "vsta": "vis", "walks": "walk", "well": "wl", "wells": "wls",
}  # fmt: skip
"""USPS Pub 28 Appendix C1, common spellings -> standard abbreviation. Left out on purpose:
variants that collide with other words in addresses (CR "county road", LA, TR, HT, CK, WY)."""

DIRECTIONALS: Final[dict[str, str]] = {
    "north": "n", "south": "s", "east": "e", "west": "w", "northeast": "ne",
    "northwest": "nw", "southeast": "se", "southwest": "sw",
}  # fmt: skip

UNIT_WORDS: Final[dict[str, str]] = {
    "apartment": "apt", "suite": "ste", "floor": "fl", "flr": "fl", "room": "rm",
    "building": "bldg", "bldng": "bldg", "department": "dept", "hangar": "hngr",
    "penthouse": "ph",
}  # fmt: skip
"""Pub 28 Appendix C2 secondary-unit designators that take an identifier. OFFICE and SPACE are
left out: "Post Office Rd" and "Space Center Blvd" would turn into units."""
UNIT_DESIGNATORS: Final = frozenset(
    {*UNIT_WORDS.values(), "unit", "trlr", "lot", "#"},
)

LINE_WORDS: Final[dict[str, str]] = {**SUFFIXES, **DIRECTIONALS, **UNIT_WORDS}

# Suffixes that mark a lone segment of canonical text as a street rather than a city.
STREETISH: Final = frozenset({
    "st", "ave", "rd", "blvd", "dr", "ln", "ct", "pl", "ter", "cir", "hwy", "pkwy", "way", "trl",
    "sq", "loop", "pike", "row", "aly", "plz", "xing", "expy", "fwy", "tpke",
})  # fmt: skip

CITY_WORDS: Final[dict[str, str]] = {"saint": "st", "sainte": "ste", "mount": "mt", "fort": "ft"}

# A trailing five-digit number after these words is a box or unit number, not a ZIP.
NOT_BEFORE_ZIP: Final = frozenset({
    "box", "pob", "#", "no", "apt", "apartment", "ste", "suite", "unit", "bldg", "building", "rm",
    "room", "floor", "lot", "spc", "dept",
})  # fmt: skip

AU_STATES: Final[dict[str, str]] = {
    "new south wales": "nsw", "victoria": "vic", "queensland": "qld",
    "western australia": "wa", "south australia": "sa", "tasmania": "tas",
    "australian capital territory": "act", "northern territory": "nt",
}  # fmt: skip
"""Australian states and territories (Australia Post abbreviations), read before a 4-digit
postcode: "WA 2350" is Western Australia, never Washington."""
AU_CODES: Final = frozenset(AU_STATES.values())

CA_PROVINCES: Final[dict[str, str]] = {
    "ontario": "on", "quebec": "qc", "british columbia": "bc", "alberta": "ab",
    "manitoba": "mb", "saskatchewan": "sk", "nova scotia": "ns", "new brunswick": "nb",
    "newfoundland and labrador": "nl", "newfoundland": "nl", "prince edward island": "pe",
    "yukon": "yt", "northwest territories": "nt", "nunavut": "nu", "pq": "qc",
}  # fmt: skip
"""Canadian provinces and territories (Canada Post two-letter symbols), read before a Canadian
postcode ("Toronto ON M5H 2N2")."""
CA_CODES: Final = frozenset(CA_PROVINCES.values())
