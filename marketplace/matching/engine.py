"""Stable matching of participants to postings with capacities (hospitals and residents).

Participants rank the postings they applied to, each posting ranks some of its applicants and
has a number of places. The engine computes the participant-optimal stable matching by
deferred acceptance with participants proposing: no participant and posting would both rather
have each other than what they got, and among all such matchings every participant gets the
best posting they can have in any of them.

A pair is acceptable only when each side ranks the other; a participant is never placed at a
posting that did not rank them, nor a posting given someone who did not rank it.

Ties. Preferences must be strict: a list names each key once, best first, and two keys never
share a place. Callers break ties before calling (the matching rounds order equal or missing
ranks by earlier application). A key repeated in a list counts at its first place only.

Why the answer does not depend on order. For strict preferences the participant-optimal stable
matching is unique (Gale and Shapley 1962; Roth 1984 with capacities), so it does not matter
in which order proposals are made. That is what lets the engine make them in rounds, every
free participant at once, and it is why the result is deterministic: the same input gives the
same matching whatever the order of its dicts or lists of participants.

Keys. ``stable_matching`` takes any hashable keys and ignores unknown ones: a posting missing
from the capacities, a participant missing from the choices, is not part of the instance. A
capacity of 0 is allowed (the posting takes nobody). ``match_indices`` is the array core under
it, for callers that already number both sides 0..P-1 and 0..H-1; there an index out of range
is an error.

Speed. Plain data in, matching out: no Flask, no database. Preferences are joined once into the
posting's rank of the participant for every choice, unacceptable pairs are dropped, then each
round all free participants propose to their next choice together and each posting that
received proposals keeps the best of its holders and proposers. A round costs the proposals it
makes plus the places of the postings they reach, never the whole instance, so a few very
popular postings do not make it quadratic.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Generic, TypeVar

import numpy as np

ParticipantKey = TypeVar("ParticipantKey", bound=Hashable)
PostingKey = TypeVar("PostingKey", bound=Hashable)


@dataclass(frozen=True)
class FlatLists:
    """Many lists of integer indices in two flat arrays (compressed sparse rows): list ``i`` is
    ``items[offsets[i]:offsets[i + 1]]``. It is how large inputs reach the engine without a
    Python object per entry; ``from_lists`` builds one from plain lists."""

    offsets: np.ndarray
    items: np.ndarray

    @classmethod
    def from_lists(cls, lists: Sequence[Sequence[int]]) -> FlatLists:
        """Plain lists copied into the two arrays in C, without a Python step per item."""
        lengths = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
        offsets = np.zeros(len(lists) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        items = np.fromiter(
            itertools.chain.from_iterable(lists), dtype=np.int64, count=int(offsets[-1])
        )
        return cls(offsets, items)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def owners(self) -> np.ndarray:
        """The list each item belongs to, item by item."""
        return np.repeat(np.arange(len(self), dtype=np.int64), np.diff(self.offsets))

    def places(self) -> np.ndarray:
        """Each item's place in its list, 0 for the first."""
        return np.arange(len(self.items)) - np.repeat(self.offsets[:-1], np.diff(self.offsets))


class Reason(StrEnum):
    """Why an unmatched participant did not get a posting they ranked. In a stable matching
    there is no third case: a posting that ranked them and had a place to spare (or a holder
    it ranked lower) would have taken them."""

    # The posting did not rank the participant, so the pair is not acceptable.
    NOT_RANKED = "not_ranked"
    # Every place went to applicants the posting ranked higher (a posting without places too).
    FILLED_BY_HIGHER = "filled_by_higher"


@dataclass(frozen=True)
class _Instance:
    """The instance in indices as the core saw it, kept so a matching can be explained later
    without running anything again."""

    participants: list
    postings: list
    choices: FlatLists
    ranked_back: np.ndarray  # per choice: did the posting rank the participant
    assigned: np.ndarray  # per participant: the posting's index, -1 for none


@dataclass(frozen=True)
class Matching(Generic[ParticipantKey, PostingKey]):
    """The participant-optimal stable matching; ``explanations`` says why the others have no
    posting. It keeps the instance in indices (neither shown nor compared) for that."""

    assignments: dict[ParticipantKey, PostingKey]  # matched participants only
    _instance: _Instance = field(repr=False, compare=False)


def match_indices(
    participant_choices: FlatLists | Sequence[Sequence[int]],
    posting_rankings: FlatLists | Sequence[Sequence[int]],
    capacities: np.ndarray | Sequence[int],
) -> np.ndarray:
    """The posting index each participant gets (-1 for none) in the participant-optimal stable
    matching. ``participant_choices[i]`` lists postings 0..H-1 best first, ``posting_rankings[h]``
    lists participants 0..P-1 best first, ``capacities[h]`` is posting h's places; P and H are
    the lengths of the choices and the capacities. Give FlatLists for large instances: building
    Python lists would cost more than matching them."""
    choices, rankings, places = _checked(participant_choices, posting_rankings, capacities)
    ranks = _ranks_of_choices(choices, rankings)
    return _deferred_acceptance(choices, ranks, places)


def stable_matching(
    participant_choices: Mapping[ParticipantKey, Sequence[PostingKey]],
    posting_rankings: Mapping[PostingKey, Sequence[ParticipantKey]],
    capacities: Mapping[PostingKey, int],
) -> Matching[ParticipantKey, PostingKey]:
    """The participant-optimal stable matching over any hashable keys. The postings are those
    of ``capacities`` and the participants those of ``participant_choices``; a key of either
    side that is not one of them is ignored wherever it appears."""
    participants = list(participant_choices)
    postings = list(capacities)
    participant_index = {key: i for i, key in enumerate(participants)}
    posting_index = {key: h for h, key in enumerate(postings)}
    choices = _indexed(participant_choices.values(), posting_index)
    rankings = _indexed([posting_rankings.get(key, ()) for key in postings], participant_index)
    choices, rankings, places = _checked(choices, rankings, list(capacities.values()))
    ranks = _ranks_of_choices(choices, rankings)
    assigned = _deferred_acceptance(choices, ranks, places)
    matched = np.flatnonzero(assigned >= 0)
    assignments = {
        participants[i]: postings[h]
        for i, h in zip(matched.tolist(), assigned[matched].tolist(), strict=True)
    }
    return Matching(assignments, _Instance(participants, postings, choices, ranks >= 0, assigned))


def explanations(
    matching: Matching[ParticipantKey, PostingKey],
) -> dict[ParticipantKey, list[tuple[PostingKey, Reason]]]:
    """For each unmatched participant, every posting they ranked (known postings, in their
    order) with the reason they did not get it; an empty list means they ranked none. This is
    what a coordinator needs to answer "why nothing for me?" without reading the algorithm."""
    instance = matching._instance
    unmatched = np.flatnonzero(instance.assigned < 0)
    starts = instance.choices.offsets[unmatched]
    counts = instance.choices.offsets[unmatched + 1] - starts
    entries = _ranges(starts, counts)
    listed = instance.choices.items[entries].tolist()
    ranked_back = instance.ranked_back[entries].tolist()
    answer, end = {}, 0
    for i, count in zip(unmatched.tolist(), counts.tolist(), strict=True):
        start, end = end, end + count
        reasons = {}  # by posting: a repeat counts at its first place only
        for posting, ranked in zip(listed[start:end], ranked_back[start:end], strict=True):
            reason = Reason.FILLED_BY_HIGHER if ranked else Reason.NOT_RANKED
            reasons.setdefault(instance.postings[posting], reason)
        answer[instance.participants[i]] = list(reasons.items())
    return answer


def _indexed(lists: Iterable[Sequence[Hashable]], index: Mapping[Hashable, int]) -> FlatLists:
    """Lists of keys as FlatLists of their indices, in each list's order, unknown keys left
    out. The lookups run in C (``map`` over ``dict.get``): a Python loop per key would cost
    more than the matching itself."""
    lists = list(lists)
    lengths = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    indices = np.fromiter(
        map(index.get, itertools.chain.from_iterable(lists), itertools.repeat(-1)),
        dtype=np.int64,
        count=int(lengths.sum()),
    )
    known = indices >= 0
    owners = np.repeat(np.arange(len(lists), dtype=np.int64), lengths)
    offsets = np.zeros(len(lists) + 1, dtype=np.int64)
    np.cumsum(np.bincount(owners[known], minlength=len(lists)), out=offsets[1:])
    return FlatLists(offsets, indices[known])


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """``starts[0] .. starts[0] + lengths[0] - 1``, then the next range, in one array."""
    ends = np.cumsum(lengths)
    return np.repeat(starts - ends + lengths, lengths) + np.arange(ends[-1] if len(ends) else 0)


def _checked(
    participant_choices: FlatLists | Sequence[Sequence[int]],
    posting_rankings: FlatLists | Sequence[Sequence[int]],
    capacities: np.ndarray | Sequence[int],
) -> tuple[FlatLists, FlatLists, np.ndarray]:
    """The inputs as FlatLists and an array, refused early with a clear message rather than as
    an index error (or a wrong answer) deep inside the rounds."""
    places = np.asarray(capacities, dtype=np.int64).reshape(-1)
    if (places < 0).any():
        raise ValueError("capacities must not be negative")
    choices = _as_flat_lists(participant_choices)
    rankings = _as_flat_lists(posting_rankings)
    if len(rankings) != len(places):
        raise ValueError("posting_rankings needs one list per posting of capacities")
    _check_range(choices.items, len(places), "participant_choices", "posting")
    _check_range(rankings.items, len(choices), "posting_rankings", "participant")
    return choices, rankings, places


def _as_flat_lists(lists: FlatLists | Sequence[Sequence[int]]) -> FlatLists:
    flat = lists if isinstance(lists, FlatLists) else FlatLists.from_lists(lists)
    offsets, items = np.asarray(flat.offsets), np.asarray(flat.items)
    if not (np.issubdtype(offsets.dtype, np.integer) and np.issubdtype(items.dtype, np.integer)):
        raise ValueError("offsets and items must be integers")
    if len(offsets) == 0 or offsets[0] != 0 or offsets[-1] != len(items):
        raise ValueError("offsets must start at 0 and end at the number of items")
    if (np.diff(offsets) < 0).any():
        raise ValueError("offsets must not decrease")
    return FlatLists(offsets.astype(np.int64, copy=False), items.astype(np.int64, copy=False))


def _check_range(items: np.ndarray, bound: int, name: str, what: str) -> None:
    if len(items) and (items.min() < 0 or items.max() >= bound):
        raise ValueError(f"{name} names a {what} index outside 0..{bound - 1}")


def _ranks_of_choices(choices: FlatLists, rankings: FlatLists) -> np.ndarray:
    """For every choice, the posting's rank of the participant (0 is best), -1 where the posting
    did not rank them. Both sides are keyed participant * H + posting; the rankings are sorted
    by that key once and each choice finds its pair by binary search. The choices need no
    sort: a participant's few choices fall close together in the sorted keys."""
    postings = len(rankings)
    if len(rankings.items) == 0:
        return np.full(len(choices.items), -1, dtype=np.int64)
    ranked_keys, ranked_places = _sorted_by_key_then_value(
        rankings.items * postings + rankings.owners(),
        rankings.places(),
        key_bound=len(choices) * postings,
    )
    choice_keys = choices.owners() * postings + choices.items
    # The search lands on the first of equal keys, the best place: a participant repeated in
    # a posting's list counts at their first place.
    found_at = np.searchsorted(ranked_keys, choice_keys)
    np.minimum(found_at, len(ranked_keys) - 1, out=found_at)
    return np.where(ranked_keys[found_at] == choice_keys, ranked_places[found_at], -1)


def _sorted_by_key_then_value(
    keys: np.ndarray, values: np.ndarray, key_bound: int
) -> tuple[np.ndarray, np.ndarray]:
    """Keys (below ``key_bound``) and non-negative values sorted by key, then value. Packed
    into one 64-bit integer where they fit, they sort without an index array and without the
    random reads that applying one costs (several times faster on millions of pairs)."""
    value_bits = int(values.max(initial=0)).bit_length()
    if key_bound << value_bits <= 1 << 63:
        packed = (keys << value_bits) | values
        packed.sort()
        return packed >> value_bits, packed & ((1 << value_bits) - 1)
    order = np.lexsort((values, keys))
    return keys[order], values[order]


@dataclass
class _Postings:
    """Each posting's places, as one flat array of slots sorted by the posting's preference.
    A slot holds a participant's key posting * width + rank, so slots of consecutive postings
    compare in one order, and an empty slot has the posting's largest key, worse than anyone
    it ranked. Keeping the slots sorted makes a posting's worst holder its last slot."""

    width: int
    first_slot: np.ndarray
    places: np.ndarray
    keys: np.ndarray
    holders: np.ndarray

    @classmethod
    def empty(cls, places: np.ndarray, width: int) -> _Postings:
        first_slot = np.zeros(len(places) + 1, dtype=np.int64)
        np.cumsum(places, out=first_slot[1:])
        empty_keys = np.arange(len(places), dtype=np.int64) * width + (width - 1)
        holders = np.full(int(first_slot[-1]), -1, dtype=np.int64)
        return cls(width, first_slot, places, np.repeat(empty_keys, places), holders)

    def worst_keys(self, postings: np.ndarray) -> np.ndarray:
        return self.keys[self.first_slot[postings + 1] - 1]

    def slots_of(self, postings: np.ndarray) -> np.ndarray:
        """The slot indices of the given postings, posting after posting."""
        return _ranges(self.first_slot[postings], self.places[postings])

    def assigned(self, participants: int) -> np.ndarray:
        answer = np.full(participants, -1, dtype=np.int64)
        held = self.holders >= 0
        answer[self.holders[held]] = self.keys[held] // self.width
        return answer


def _deferred_acceptance(choices: FlatLists, ranks: np.ndarray, places: np.ndarray) -> np.ndarray:
    """Participants propose in rounds; see the module's docstring for why rounds give the same
    answer as one proposal at a time."""
    participants = len(choices)
    # Only acceptable pairs at postings with places can ever be held: drop the rest up front.
    acceptable = (ranks >= 0) & (places[choices.items] > 0)
    posting = choices.items[acceptable]
    counts = np.bincount(choices.owners()[acceptable], minlength=participants)
    width = int(ranks.max(initial=0)) + 2
    keys = posting * width + ranks[acceptable]
    # A posting never holds more participants than may propose to it: capacities far above
    # that (an "unlimited" posting) would otherwise cost memory for nothing.
    places = np.minimum(places, np.bincount(posting, minlength=len(places)))
    postings = _Postings.empty(places, width)
    next_choice = np.zeros(participants + 1, dtype=np.int64)
    np.cumsum(counts, out=next_choice[1:])
    last_choice = next_choice[1:].copy()
    proposers = np.flatnonzero(counts > 0)
    while len(proposers):
        rejected = _round(postings, proposers, keys[next_choice[proposers]])
        next_choice[rejected] += 1
        proposers = rejected[next_choice[rejected] < last_choice[rejected]]
    return postings.assigned(participants)


def _round(postings: _Postings, proposers: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Every proposer proposes (``keys`` are what the postings think of them); each posting
    that receives proposals keeps the best of its holders and proposers for its places. Returns
    everyone rejected: proposers not kept, and holders pushed out."""
    posting = keys // postings.width
    # Most proposals to a full, popular posting lose to its worst holder: reject those without
    # touching its slots.
    beats_worst = keys < postings.worst_keys(posting)
    refused = proposers[~beats_worst]
    proposers, keys, posting = proposers[beats_worst], keys[beats_worst], posting[beats_worst]
    if len(proposers) == 0:
        return refused
    by_key = np.argsort(keys)
    proposers, keys, posting = proposers[by_key], keys[by_key], posting[by_key]
    starts = np.flatnonzero(np.diff(posting, prepend=-1))
    receiving = posting[starts]
    received = np.diff(starts, append=len(posting))
    slots = postings.slots_of(receiving)
    # Holders and proposers are two sorted runs: a stable sort merges them in linear time.
    candidates = np.concatenate([postings.keys[slots], keys])
    people = np.concatenate([postings.holders[slots], proposers])
    merged = np.argsort(candidates, kind="stable")
    candidates, people = candidates[merged], people[merged]
    places = postings.places[receiving]
    group = places + received
    place_in_group = np.arange(len(candidates)) - np.repeat(np.cumsum(group) - group, group)
    kept = place_in_group < np.repeat(places, group)
    postings.keys[slots] = candidates[kept]
    postings.holders[slots] = people[kept]
    pushed_out = people[~kept]
    return np.concatenate([refused, pushed_out[pushed_out >= 0]])
