"""Linking two sets of records: block, compare, learn, score, choose, explain."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Final

import numpy as np

from skiptrace.errors import LinkingError
from skiptrace.matching.blocking import Oversized, candidate_pairs, runs
from skiptrace.matching.comparisons import (
    FIRST_NAME_DIFFERS,
    RELATIONS,
    Compared,
    apart_by,
    at_home,
    combined,
    compare,
    compare_rest,
    differs,
    given,
    line_agrees,
    one_line,
    other_people,
    several_names,
    taken,
    telling,
)
from skiptrace.matching.model import (
    HIGH,
    Model,
    Patterns,
    Scores,
    band_of,
    em_sample,
    em_share,
    household_held,
    merge_patterns,
    patterns_of,
    prior_model,
    score,
    scores_of,
    statistics,
    train,
    u_sample,
)
from skiptrace.matching.pairs import Bools, Floats, Indices, Levels
from skiptrace.matching.prepare import Table, prepare_records, unshared_ids
from skiptrace.matching.rarity import RARE_BELOW
from skiptrace.matching.words import pair_words, reasoning, row
from skiptrace.matching.workers import in_order

DEFAULT_THRESHOLD = 0.5


@dataclass(frozen=True)
class Link:
    """One scored pair: indices into the left and right inputs."""

    left: int
    right: int
    score: float
    band: str
    matched_on: str
    fields: tuple[tuple[str, str, float], ...] = ()
    """(field, level, weight) for every comparison; filled for pairs scored one at a time."""
    words: str = ""
    """The comparison in plain English for a reviewer (see ``words``); filled, like
    ``fields``, for pairs scored one at a time, empty from bulk ``link``."""
    relation: str = ""
    """What the names say the two may be to each other (``comparisons.RELATIONS``): "" none,
    ``first_name_differs`` (another member of a household), ``other_generation`` (Jr/Sr) or
    ``suffix_one_side_at_home`` (perhaps a parent who prints no suffix)."""
    namesakes: float | None = None
    """For a pair corroborated by the name alone: how many US adults are expected to share
    the agreeing name (``rarity.namesakes``), which its score follows; None otherwise."""
    rare_name: bool = False
    """A pair corroborated by the name alone whose name is rare (fewer than one expected
    namesake, both names in the tables): what lets it be ``medium``."""
    household: bool = False
    """Held to ``medium`` in the debtor's household (``model.household_held``): a first name
    given short or not at all, or a record styled by a husband's name, at her home, perhaps
    a relative's; filled for pairs scored one at a time."""


@dataclass(frozen=True)
class Linkage:
    """Everything a linking run learnt and found, for callers that want more than the links."""

    links: list[Link]
    model: Model
    candidates: int
    oversized: tuple[Oversized, ...] = ()
    """Blocks left out for their size (``blocking.Oversized``): say so, never silently."""
    unreached: int = 0
    """Left records compared with none, each block they were in left out for its size
    (``blocking.Candidates.unreached``): not linked for that alone, and said so."""


def link_records(
    left: Sequence[Mapping[str, str]],
    right: Sequence[Mapping[str, str]],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    all_pairs: bool = False,
    relatives: bool = True,
) -> list[Link]:
    """The best right record for each left record scoring at least ``threshold`` (or, with
    ``all_pairs``, every candidate pair that does), best first within each left record.
    ``relatives=False`` states that the files cannot hold each other's relatives (see
    ``model.Model.relatives``): a differing real first name at one address is then read as a
    corrupted copy where the files hold no households."""
    return link(left, right, threshold=threshold, all_pairs=all_pairs, relatives=relatives).links


PAIRS_PER_CHUNK = 100_000
"""Candidate pairs compared at once: memory follows this, not the files' size. At 100,000
records a side, 250,000 instead of 500,000 took 100 MB less at the peak (564 -> 464 MB) in the
same time, the output byte-identical; 100,000 took the same time and memory as 250,000 in one
process, and spreads the work evenly over workers (13 chunks instead of 5)."""

Progress = Callable[[str, int, int], None]
"""Told (stage, done, total) as a long run goes: "prepare" counts records, "block", "learn"
and "score" count candidate pairs."""


def link(
    left: Sequence[Mapping[str, str]],
    right: Sequence[Mapping[str, str]],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    all_pairs: bool = False,
    relatives: bool = True,
    progress: Progress | None = None,
    workers: int = 0,
) -> Linkage:
    """``link_records`` with the learnt model, the number of candidate pairs and the blocks
    left out. Pairs are compared in chunks (``PAIRS_PER_CHUNK``): EM learns from the
    agreement patterns of at most ``model.EM_PAIRS`` of them (``model.em_sample``), then every
    pair is scored with the learnt model. ``workers``: see ``link_tables``."""
    aside = workers if min(len(left), len(right)) >= ASIDE_FROM else 0
    left_table, right_table = prepare_records(left, right, aside)
    return link_tables(left_table, right_table, threshold=threshold, all_pairs=all_pairs,
                       relatives=relatives, progress=progress, workers=workers)  # fmt: skip


ASIDE_FROM = 20_000
"""Records on each side from which ``link`` prepares the right ones in a worker process (with
``workers``) while this one prepares the left: for fewer, the fork and sending them back cost
more than it saves."""


def link_tables(
    left_table: Table,
    right_table: Table,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    all_pairs: bool = False,
    relatives: bool = True,
    progress: Progress | None = None,
    sink: Callable[[list[Link]], None] | None = None,
    workers: int = 0,
) -> Linkage:
    """``link`` of records already prepared (``prepare.prepare_both`` reads a large file
    without holding its records). With ``sink``, each chunk's links go to it as they are
    chosen and ``Linkage.links`` stays empty: ``--all`` on a large file holds none of them.
    ``workers``: worker processes that compare and score chunks besides this one
    (``workers.in_order``), the same output; each holds its own copy of the pages it writes
    to, strings it reads included (at a million records a side, about 0.3 GB a worker)."""
    if not 0.0 <= threshold <= 1.0:  # NaN had been taken, and kept no pair: "no links"
        raise LinkingError(f"the threshold is a score from 0 to 1, not {threshold!r}")
    tell = progress or (lambda stage, done, total: None)
    left_table, right_table = unshared_ids(left_table), unshared_ids(right_table)
    records = len(left_table) + len(right_table)
    tell("prepare", records, records)
    candidates = candidate_pairs(left_table, right_table)
    li, ri = candidates.left, candidates.right
    tell("block", len(li), len(li))
    spans = list(chunks(li))
    several = len(spans) > 1  # worth a worker
    sample = _Sample(left_table, right_table, li, ri, em_share(len(li)))
    parts: list[Patterns] = []
    learnt: list[tuple[Bools, Compared] | None] = []
    sampled = in_order(_compare_sample, sample, spans, lambda _: several, workers)
    for (_, stop), (chosen, compared) in zip(spans, sampled, strict=True):
        parts.append(patterns_of(compared))
        learnt.append((chosen, compared))  # scored below without comparing them again
        tell("learn", stop, len(li))
    ul, ur = u_sample(len(left_table), len(right_table))
    model = train(statistics(left_table, right_table), merge_patterns(parts),
                  compare(left_table, right_table, ul, ur), n_pairs=len(li),
                  relatives=relatives)  # fmt: skip
    run = _Run(left_table, right_table, model, li, ri, candidates.fallback, spans, learnt,
               threshold, all_pairs)  # fmt: skip
    links: list[Link] = []
    scored = in_order(_score_chunk, run, range(len(spans)), lambda _: several, workers)
    for k, found in enumerate(scored):
        learnt[k] = None  # its pairs are scored
        if sink:
            sink(found)
        else:
            links += found
        tell("score", spans[k][1], len(li))
    return Linkage(links, model, len(li), candidates.oversized, candidates.unreached)


@dataclass(frozen=True)
class _Sample:
    """What comparing one chunk's pairs for EM needs (``_compare_sample``); forked workers
    have it from the fork (``workers.in_order``)."""

    left: Table
    right: Table
    li: Indices
    ri: Indices
    share: float
    """``model.em_share``."""


def _compare_sample(sample: _Sample, span: tuple[int, int]) -> tuple[Bools, Compared]:
    """Which of a chunk's pairs (``span``: its start and stop) EM learns from
    (``model.em_sample``), and their ``Compared``."""
    li, ri = sample.li[span[0] : span[1]], sample.ri[span[0] : span[1]]
    chosen = em_sample(li, ri, sample.share)
    return chosen, compare(sample.left, sample.right, li[chosen], ri[chosen])


@dataclass(frozen=True)
class _Run:
    """What scoring one chunk of a run's candidate pairs needs (``_score_chunk``); forked
    workers have it from the fork (``workers.in_order``)."""

    left: Table
    right: Table
    model: Model
    li: Indices
    ri: Indices
    fallback: Bools
    spans: list[tuple[int, int]]
    """Each chunk's (start, stop) in ``li`` and ``ri`` (``chunks``)."""
    learnt: list[tuple[Bools, Compared] | None]
    """Each chunk's pairs compared for EM: which, and their ``Compared``."""
    threshold: float
    all_pairs: bool


def _score_chunk(run: _Run, k: int) -> list[Link]:
    """The links of chunk ``k`` of the run's candidate pairs."""
    (start, stop), learnt = run.spans[k], run.learnt[k]
    assert learnt is not None
    pl, pr = run.li[start:stop], run.ri[start:stop]
    return choose_links(run.model, run.left, run.right, pl, pr, (pl, pr),
                        threshold=run.threshold, all_pairs=run.all_pairs,
                        fallback=run.fallback[start:stop],
                        compared_by=_learnt(run.left, run.right, pl, pr, *learnt))  # fmt: skip


def chunks(li: Indices, size: int | None = None) -> Iterator[tuple[int, int]]:
    """(start, stop) of consecutive chunks of about ``size`` (``PAIRS_PER_CHUNK``) pairs of
    ``li`` (sorted), never splitting one left record's pairs: each chunk chooses its links on
    its own."""
    size = size or PAIRS_PER_CHUNK
    start, n = 0, len(li)
    while start < n:
        stop = min(start + size, n)
        if stop < n:  # move to the end of that left record's pairs
            stop = int(np.searchsorted(li, li[stop - 1], "right"))
        yield start, stop
        start = stop


ComparedBy = Callable[[Bools], Compared]
"""``compare`` of the pairs where a mask holds."""


def _learnt(
    left: Table, right: Table, li: Indices, ri: Indices, done: Bools, compared: Compared
) -> ComparedBy:
    """``ComparedBy`` of the pairs (``li[k]``, ``ri[k]``), those where ``done`` holds already
    compared (``compared``, in their order: EM's sample)."""

    def compared_by(where: Bools) -> Compared:
        already = taken(compared, np.flatnonzero(where[done]))
        return compare_rest(left, right, li[where], ri[where], done[where], already)

    return compared_by


def _compared_where(left: Table, right: Table, li: Indices, ri: Indices, where: Bools) -> Compared:
    return compare(left, right, li[where], ri[where])


def choose_links(
    model: Model,
    left: Table,
    right: Table,
    li: Indices,
    ri: Indices,
    ids: tuple[Indices, Indices],
    *,
    threshold: float,
    all_pairs: bool,
    fallback: Bools | None = None,
    compared_by: ComparedBy | None = None,
) -> list[Link]:
    """The links among the pairs (``li[k]``, ``ri[k]``), which hold every candidate of their
    left records: the best one of each left record scoring at least ``threshold`` (every
    one with ``all_pairs``), by left record, best first; a tie goes to the first right record.
    ``ids``: what each pair's ``Link.left`` and ``Link.right`` are (the records' positions in
    the files, whatever ``left`` and ``right`` hold); a best link that another person's record
    ties with is ``tied``. ``fallback``: the pairs only a fallback
    rule gives (``blocking.Rule.fallback``), compared only for the left records that no other
    pair links with a ``high`` band (all of them with ``all_pairs``, which asks for every
    pair). ``compared_by``: how the pairs are compared (``compare``, or reusing EM's)."""
    compare_where = compared_by or partial(_compared_where, left, right, li, ri)

    def scored(where: Bools) -> Scores:
        return scores_of(model, compare_where(where), (left, right), (li[where], ri[where]))

    rows = ri  # each pair's right record in ``right``
    if fallback is None or all_pairs or not fallback.any():
        scores = scored(np.ones(len(li), dtype=bool))
    else:
        specific = ~fallback
        first = scored(specific)
        # the left records (by ``ids``: ``li`` are positions in this chunk's tables, which on
        # Spark hold one row per pair) whose debtor the other rules found
        linked = ids[0][specific][first.probability >= HIGH]
        wanted = fallback & ~np.isin(ids[0], linked)
        kept = specific | wanted
        scores = combined(specific[kept], first, scored(wanted))
        ids, rows = (ids[0][kept], ids[1][kept]), ri[kept]
    chosen = _choose(ids[0], scores, threshold, all_pairs)
    described = scores.describe(chosen)
    # what each link holds, as plain lists: numpy scalars one at a time cost more per link
    picked = np.asarray(chosen, dtype=np.intp)
    fields = zip(ids[0][picked].tolist(), ids[1][picked].tolist(),
                 scores.probability[picked].tolist(), scores.compared.relation[picked].tolist(),
                 scores.namesakes[picked].tolist(), scores.listed[picked].tolist(), described,
                 strict=True)  # fmt: skip
    links = [
        Link(lk, rk, p, band, matched_on, relation=RELATIONS[relation],
             namesakes=_namesakes(count), rare_name=_rare(count, listed))
        for lk, rk, p, relation, count, listed, (band, matched_on) in fields
    ]  # fmt: skip
    if all_pairs:  # every pair is listed: the rivals are in the output beside it
        return links
    return _untied(links, picked, right, rows, ids[0], scores.probability,
                   scores.compared)  # fmt: skip


TIE = 0.05
"""Scores this close do not tell two candidates of one left record apart: the width of the
``high`` band, beyond the matcher's calibration error (0.015 to 0.036 in the benchmark)."""

TIED_AT_MOST = 0.5
"""The score of a candidate that another person's record ties with: two people with the same
evidence, of whom one at most is the debtor, are each the debtor with a probability of 1/2 at
most (1/n for n)."""


def tied(link: Link, people: int) -> Link:
    """``link`` when the records of ``people`` people, its own among them, tie for the debtor
    (``TIE``): a father and son at one home and a debtor's record giving neither birth date.
    Whatever one of them carries (a phone, an employer) would fill the debtor's file from
    another person's: scored ``TIED_AT_MOST`` at most, its band following, and said so in
    ``matched_on`` (``tie(2 people)``) and the words."""
    score = min(link.score, TIED_AT_MOST)
    said = f"tie({people} people)"
    words = f"{link.words}; {people} people's records tie: which one is the debtor?"
    return replace(link, score=score, band=band_of(score),
                   matched_on=",".join(filter(None, (link.matched_on, said))),
                   words=words if link.words else "")  # fmt: skip


_TIED: Final = re.compile(r"(?:^|,)tie\((\d+) people\)$")


def people_tied(link: Link) -> int:
    """How many people's records tie for the debtor with ``link`` (``tied``), 0 if none do."""
    found = _TIED.search(link.matched_on)
    return int(found[1]) if found else 0


def untied(
    debtor: Mapping[str, str], records: Sequence[Mapping[str, str]], links: Sequence[Link]
) -> list[Link]:
    """The ``debtor``'s candidate ``links``, each scored alone against its record in
    ``records`` (``score_pair``), with each that another person's record ties with ``tied``:
    those a lookup or enrich would take their fields from."""
    left, table = prepare_records([debtor], records)
    at, lefts = np.arange(len(links)), np.zeros(len(links), dtype=np.intp)
    probability = np.array([found.score for found in links], dtype=np.float64)
    return _untied(list(links), at, table, at, lefts, probability, compare(left, table, lefts, at))


def _untied(
    links: list[Link],
    at: Indices,
    right: Table,
    rows: Indices,
    lefts: Indices,
    scores: Floats,
    compared: Compared,
) -> list[Link]:
    """``links`` (of the pairs at positions ``at``) with each ``tied`` whose pair, with the
    pairs of its left record scoring within ``TIE`` of it or above, holds the records of two
    people or more (``_people``), whichever its own is: a record giving no birth date beside a
    father's and a son's is either's; or whose record another one of its left record's may be
    a namesake's (``_unsaid``, ``_unit_unsaid``) or a twin's (``_twinned``), of whatever
    score. ``rows``: each pair's right record in ``right``; ``lefts``: its left record,
    ascending; ``scores``: its probability; ``compared``: its comparisons."""
    levels = compared.levels
    people = _people(right, rows, lefts, _near(lefts, scores, at))
    link, person = _alongside(lefts[people], lefts[at])
    within = scores[people][person] >= scores[at][link] - TIE
    counts = np.bincount(link[within], minlength=len(at)).tolist()
    unsaid = _unsaid(right, rows, lefts, levels, at)
    unsaid |= _twinned(right, rows, lefts, compared, at)
    unsaid |= _unit_unsaid(right, rows, lefts, levels, at)
    for n, (count, namesake) in enumerate(zip(counts, unsaid.tolist(), strict=True)):
        if count > 1 or namesake:
            links[n] = tied(links[n], max(count, 2))
    return links


def _twinned(right: Table, rows: Indices, lefts: Indices, compared: Compared, at: Indices) -> Bools:
    """The pairs ``at`` whose record, at the debtor's home under a first name that fits
    several as the comparison read it (``comparisons.several_names``: "Pat", "J", "KELLY PAT"
    read swapped) and born on the debtor's day, has beside it another record of its left
    record at that home and born that day too, of another first name (``FIRST_NAME_DIFFERS``:
    Patricia, the debtor Patrick) that the record is not told apart from
    (``comparisons.other_people``): twins, the record either's. The birth date that lifts a
    short form at the debtor's home out of ``medium`` is both twins', and the register shows
    the other one there."""
    levels = compared.levels
    born = at_home(levels) & (levels["dob"] == 1)
    mine = at[born[at] & several_names(right, rows[at], compared.transposed[at])]
    rivals = np.flatnonzero(born & (compared.relation == FIRST_NAME_DIFFERS))
    rivals = rivals[np.isin(lefts[rivals], lefts[mine])]
    if not len(rivals):
        return np.zeros(len(at), dtype=bool)
    k, beside = _alongside(lefts[rivals], lefts[mine])
    either = ~other_people(right, rows[mine[k]], rows[rivals[beside]])
    return np.isin(at, mine[k][either])


def _unit_unsaid(
    right: Table, rows: Indices, lefts: Indices, levels: dict[str, Levels], at: Indices
) -> Bools:
    """The pairs ``at`` whose record, on the debtor's street line under his first name and
    surname, gives no unit where another such record of its left record, at his building
    (``comparisons.at_home``: its house number and ZIP) but not on his line, gives one on the
    record's line (``comparisons.one_line``): "12 Oak St" beside "12 Oak St Apt 7", the debtor
    at "12 Oak St Apt 4". The unit shows the Apt 7 namesake another man than the debtor, as a
    middle name does (``_unsaid``), and the record giving none may be his. Not where the
    debtor gives no unit: nothing then shows the Apt 7 record another man's."""
    named = (levels["first_name"] == 1) & (levels["last_name"] == 1)
    mine = at[(named & line_agrees(levels))[at]]
    rivals = np.flatnonzero(named & at_home(levels) & differs(levels, "street"))
    rivals = rivals[np.isin(lefts[rivals], lefts[mine])]
    if not len(rivals):
        return np.zeros(len(at), dtype=bool)
    k, beside = _alongside(lefts[rivals], lefts[mine])
    unit = one_line(right, rows[mine[k]], rows[rivals[beside]])
    return np.isin(at, mine[k][unit])


def _unsaid(
    right: Table, rows: Indices, lefts: Indices, levels: dict[str, Levels], at: Indices
) -> Bools:
    """The pairs ``at`` whose record, at the debtor's home under his first name and surname,
    does not give the details (``comparisons.given``) by which another such record of its
    left record, and by those alone, is shown another person than the debtor
    (``comparisons.apart_by``): it may be that person's. "John Smith" beside "John B Smith" or
    "John Smith Jr", the debtor John A Smith or John Smith, however much lower they score for
    what tells them from him; not "John A Smith" without a birth date beside "John B Smith"
    born another day, which the middle name tells apart."""
    home = at_home(levels) & (levels["first_name"] == 1) & (levels["last_name"] == 1)
    shown = np.where(home, apart_by(levels, right, rows), 0)
    wanted, which = np.unique(lefts, return_inverse=True)
    gives, found = given(right, rows[at]), np.zeros(len(at), dtype=bool)
    for details in np.unique(shown[shown != 0]).tolist():  # each combination shown: 7 at most
        held = np.zeros(len(wanted), dtype=bool)
        held[which[shown == details]] = True
        found |= held[which[at]] & ((gives & details) == 0)
    return np.asarray(home[at] & found)


PEOPLE_COUNTED = 10
"""People counted at most among records that tie (``tie(10 people)``: ten or more). Each one
counted compares the records left once more: counting every one compared each record with
each, and 200 records of one name at one home, each born on another day, took 34 s to score
for one lookup."""


def _near(lefts: Indices, scores: Floats, at: Indices) -> Indices:
    """The pairs of the left records of ``at`` scoring within ``TIE`` of one of them or above,
    by left record, best first (then by position)."""
    wanted, which = np.unique(lefts[at], return_inverse=True)
    lowest = np.full(len(wanted), np.inf)
    np.minimum.at(lowest, which, scores[at])
    pairs = np.flatnonzero(np.isin(lefts, wanted))
    floor = lowest[np.searchsorted(wanted, lefts[pairs])] - TIE
    pairs = pairs[scores[pairs] >= floor]
    return pairs[np.lexsort((pairs, -scores[pairs], lefts[pairs]))]


def _people(right: Table, rows: Indices, lefts: Indices, near: Indices) -> Indices:
    """The pairs among ``near`` (by left record, best first) each of whose right records is
    another person than every one taken before it of its left record
    (``comparisons.other_people``), at most ``PEOPLE_COUNTED`` a left record, in order: a
    lower bound of the people, two copies of the son's one. A record that gives nothing to
    tell people apart by (``comparisons.telling``) is anyone's, and never taken; one that
    gives a first name and nothing else (no birth date, middle name or generation) is taken
    after those that do, so that it is compared with them, not they with it: "John Smith"
    taken first told neither a father nor a son of that name from itself, nor so from each
    other, though it tells John from Jane. So, among those, is one whose first name fits
    several (``comparisons.several_names``): "J Smith" taken first told neither John nor
    Jane from itself. Where that order finds one person and such a record gives a birth date
    (taken first for it), they are counted again with those records last of all: "J Smith"
    born in 1950 beside John's record and Jane's, which give none, is one of the two."""
    left = near[telling(right, rows[near])]
    plain = given(right, rows[left]) == 0
    several = several_names(right, rows[left])
    at, of = np.arange(len(left)), lefts[left]
    people = _taken(right, rows, lefts, left[np.lexsort((at, several, plain, of))])
    found, counts = np.unique(lefts[people], return_counts=True)
    again = np.isin(of, np.intersect1d(found[counts == 1], of[several & ~plain]))
    if not again.any():
        return people
    last = left[again][np.lexsort((at[again], plain[again], several[again], of[again]))]
    more = _taken(right, rows, lefts, last)
    found, counts = np.unique(lefts[more], return_counts=True)
    better = found[counts > 1]
    kept = people[~np.isin(lefts[people], better)]
    return np.sort(np.concatenate([kept, more[np.isin(lefts[more], better)]]))


def _taken(right: Table, rows: Indices, lefts: Indices, ordered: Indices) -> Indices:
    """``_people``'s count over the pairs ``ordered`` (by left record, in the order to take
    them): each taken is another person than every one taken before it of its left record."""
    left = ordered
    taken: list[Indices] = []
    while len(left) and len(taken) < PEOPLE_COUNTED:  # one compare a round, of those left
        first = np.ones(len(left), dtype=bool)
        first[1:] = lefts[left][1:] != lefts[left][:-1]
        taken.append(left[first])
        own = left[first][np.cumsum(first) - 1]
        left = left[other_people(right, rows[left], rows[own])]
    return np.sort(np.concatenate([np.zeros(0, dtype=np.intp), *taken]))


def _alongside(keys: Indices, wanted: Indices) -> tuple[Indices, Indices]:
    """(k, at): each ``wanted[k]`` beside every position ``at`` where ``keys`` (ascending)
    holds it."""
    start = np.searchsorted(keys, wanted, "left")
    return runs(start, np.searchsorted(keys, wanted, "right") - start)


def score_pair(
    left: Mapping[str, str], right: Mapping[str, str], model: Model | None = None
) -> Link:
    """One pair scored alone, with ``model`` or the priors (for a single lookup)."""
    left_table, right_table = prepare_records([left], [right])
    index = np.zeros(1, dtype=np.intp)
    scores = score(model or prior_model(), left_table, right_table, index, index)
    [(band, matched_on)] = scores.describe([0])
    probability = float(scores.probability[0])
    fields = tuple(scores.explain(0))
    levels = {field: level for field, level, _ in fields}
    transposed = int(scores.compared.transposed[0])
    debtor, record = row(left_table, 0), row(right_table, 0)
    relation = int(scores.compared.relation[0])
    namesakes = _namesakes(float(scores.namesakes[0]))
    rare = _rare(float(scores.namesakes[0]), bool(scores.listed[0]))
    outvoted = bool(scores.compared.outvoted[0])
    born = float(scores.born[0])
    short, styled = (bool(held[0]) for held in household_held(scores.compared))
    reasons = reasoning(debtor, record, levels, relation, namesakes, rare, outvoted,
                        born=None if born != born else born,
                        counted=bool(scores.listed[0]), held=(short, styled),
                        given=bool(scores.given[0]), transposed=transposed)  # fmt: skip
    words = pair_words(debtor, record, levels, transposed, reasons)
    return Link(0, 0, probability, band, matched_on, fields, words, RELATIONS[relation],
                namesakes, rare, household=short or styled)  # fmt: skip


def _rare(count: float, listed: bool) -> bool:
    """``Link.rare_name`` from a pair's namesake count (NaN: corroborated by more than the
    name) and whether its names are in the tables."""
    return count == count and count < RARE_BELOW and listed


def _namesakes(count: float) -> float | None:
    """``Link.namesakes``: None where the count is NaN (corroborated by more than the name)."""
    return None if count != count else count


def _choose(li: np.ndarray, scores: Scores, threshold: float, all_pairs: bool) -> list[int]:
    """Pair positions above the threshold: all of them, or the best per left record."""
    probability = scores.probability
    order = np.lexsort((-probability, li))  # by left record, best first
    keep = probability[order] >= threshold
    if not all_pairs:
        first_of_left = np.ones(len(order), dtype=bool)
        first_of_left[1:] = li[order][1:] != li[order][:-1]
        keep &= first_of_left
    return [int(k) for k in order[keep]]
