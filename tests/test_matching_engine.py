"""The matching engine gives the participant-optimal stable matching: no pair would rather have
each other, no posting is over its places, nobody is placed where either side did not rank the
other, every participant gets the best posting any stable matching could give them (the same
answer as the `matching` package), and each unmatched participant is told why, posting by
posting. The smallest random instances are checked against every stable matching there is."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from enum import Enum

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matching.games import HospitalResident

from marketplace.matching.engine import (
    FlatLists,
    Reason,
    _sorted_by_key_then_value,
    explanations,
    match_indices,
    stable_matching,
)

PROPERTIES = settings(max_examples=100, deadline=None, derandomize=True, database=None)
# How many participants, postings and places per posting a random instance has.
PARTICIPANTS, POSTINGS, PLACES = st.integers(0, 30), st.integers(0, 10), st.integers(0, 4)


@dataclass(frozen=True)
class Instance:
    """Participants 0..P-1 and postings 0..H-1, each list best first, without repeats."""

    choices: dict[int, list[int]]
    rankings: dict[int, list[int]]
    capacities: dict[int, int]

    def ranks(self, posting: int, participant: int) -> bool:
        return participant in self.rankings[posting]

    def acceptable(self, participant: int, posting: int) -> bool:
        return posting in self.choices[participant] and self.ranks(posting, participant)


@st.composite
def instances(
    draw,
    participants: st.SearchStrategy[int] = PARTICIPANTS,
    postings: st.SearchStrategy[int] = POSTINGS,
    places: st.SearchStrategy[int] = PLACES,
    long_lists: bool = False,
) -> Instance:
    """Random instances: sizes and places drawn by Hypothesis (they shrink), lists shuffled by
    a random generator it seeds (its own permutations change one order only a little, and
    lists that agree seldom give more than one stable matching). With ``long_lists`` nearly
    everyone ranks nearly everyone, so that the sides disagree more often."""
    participants, postings = draw(participants), draw(postings)
    rng = draw(st.randoms(use_true_random=False))
    at_least = max(participants, postings) - 1 if long_lists else 0

    def ordered_subset(items: list[int]) -> list[int]:
        return rng.sample(items, rng.randint(min(at_least, len(items)), len(items)))

    choices = {p: ordered_subset(list(range(postings))) for p in range(participants)}
    rankings = {}
    for h in range(postings):
        applicants = [p for p in range(participants) if h in choices[p]]
        # Now and then a posting ranks someone who did not apply: never an acceptable pair.
        others = [p for p in range(participants) if p not in applicants]
        strangers = rng.sample(others, min(len(others), rng.randint(0, 2)))
        rankings[h] = ordered_subset(applicants + strangers)
    capacities = {h: draw(places) for h in range(postings)}
    return Instance(choices, rankings, capacities)


def solve(instance: Instance) -> dict[int, int]:
    return stable_matching(instance.choices, instance.rankings, instance.capacities).assignments


def blocking_pairs(instance: Instance, assignments: dict[int, int]) -> list[tuple[int, int]]:
    """Pairs who rank each other and would both rather be together: the participant prefers
    the posting to what they got, and the posting has a free place or a holder it ranks lower."""
    blocking = []
    for participant, listed in instance.choices.items():
        for posting in listed:
            if not instance.ranks(posting, participant):
                continue
            current = assignments.get(participant)
            if current is not None and listed.index(current) <= listed.index(posting):
                continue
            ranking = instance.rankings[posting]
            holders = [p for p, h in assignments.items() if h == posting]
            if len(holders) < instance.capacities[posting] or any(
                ranking.index(h) > ranking.index(participant) for h in holders
            ):
                blocking.append((participant, posting))
    return blocking


def over_capacity(instance: Instance, assignments: dict[int, int]) -> list[int]:
    taken = {h: list(assignments.values()).count(h) for h in instance.capacities}
    return [h for h, n in taken.items() if n > instance.capacities[h]]


def all_stable_matchings(instance: Instance) -> list[dict[int, int]]:
    """Every stable matching, by trying every assignment of acceptable postings (or none)."""
    participants = list(instance.choices)
    options = [
        [None] + [h for h in instance.choices[p] if instance.acceptable(p, h)] for p in participants
    ]
    stable = []
    for picked in itertools.product(*options):
        assignments = {p: h for p, h in zip(participants, picked, strict=True) if h is not None}
        if not over_capacity(instance, assignments) and not blocking_pairs(instance, assignments):
            stable.append(assignments)
    return stable


def matching_package_assignments(instance: Instance) -> dict[int, int]:
    """The `matching` package's resident-optimal answer. It refuses what our engine ignores
    (pairs ranked by one side only, empty lists, postings without places), so it is given the
    mutually acceptable pairs only."""
    residents = {
        p: [h for h in listed if instance.ranks(h, p) and instance.capacities[h] > 0]
        for p, listed in instance.choices.items()
    }
    residents = {p: listed for p, listed in residents.items() if listed}
    hospitals = {
        h: [p for p in ranking if h in residents.get(p, ())]
        for h, ranking in instance.rankings.items()
    }
    hospitals = {h: ranking for h, ranking in hospitals.items() if ranking}
    game = HospitalResident.create_from_dictionaries(
        residents, hospitals, {h: instance.capacities[h] for h in hospitals}
    )
    solved = game.solve(optimal="resident")
    return {resident.name: hospital.name for hospital, held in solved.items() for resident in held}


def flat_int32(lists: list[list[int]]) -> FlatLists:
    """FlatLists as a caller holding compact arrays would build them."""
    offsets = np.cumsum([0] + [len(listed) for listed in lists], dtype=np.int32)
    return FlatLists(offsets, np.array(list(itertools.chain(*lists)), dtype=np.int32))


def shuffled(mapping: dict, rng: random.Random) -> dict:
    keys = list(mapping)
    rng.shuffle(keys)
    return {key: mapping[key] for key in keys}


# Properties of the matching -----------------------------------------------------------------------


@PROPERTIES
@given(instances())
def test_no_participant_and_posting_would_both_rather_have_each_other(instance):
    assert blocking_pairs(instance, solve(instance)) == []


@PROPERTIES
@given(instances())
def test_no_posting_takes_more_participants_than_its_places(instance):
    assert over_capacity(instance, solve(instance)) == []


@PROPERTIES
@given(instances())
def test_every_pair_ranks_each_other(instance):
    for participant, posting in solve(instance).items():
        assert instance.acceptable(participant, posting)


# Several stable matchings need a tight market where the sides disagree: as many places as
# participants, long lists. About one instance in fifteen has more than one.
@settings(PROPERTIES, max_examples=300)
@given(instances(st.integers(2, 4), st.integers(2, 4), st.just(1), long_lists=True))
def test_every_participant_gets_the_best_posting_any_stable_matching_gives_them(instance):
    ours = solve(instance)
    stable = all_stable_matchings(instance)
    assert ours in stable
    for other in stable:
        for participant, listed in instance.choices.items():
            if participant in other:
                assert participant in ours
                assert listed.index(ours[participant]) <= listed.index(other[participant])


@PROPERTIES
@given(instances())
def test_the_same_matching_as_the_matching_package(instance):
    assert solve(instance) == matching_package_assignments(instance)


@PROPERTIES
@given(instances())
def test_unmatched_participants_are_told_why_for_each_posting_they_ranked(instance):
    matching = stable_matching(instance.choices, instance.rankings, instance.capacities)
    explained = explanations(matching)
    assert set(explained) == set(instance.choices) - set(matching.assignments)
    for participant, reasons in explained.items():
        assert [posting for posting, _ in reasons] == instance.choices[participant]
        for posting, reason in reasons:
            if reason == Reason.NOT_RANKED:
                assert not instance.ranks(posting, participant)
                continue
            ranking = instance.rankings[posting]
            holders = [p for p, h in matching.assignments.items() if h == posting]
            assert len(holders) == instance.capacities[posting]
            assert all(ranking.index(h) < ranking.index(participant) for h in holders)


@PROPERTIES
@given(instances(), st.randoms(use_true_random=False))
def test_the_same_answer_whatever_the_order_of_the_dicts(instance, rng):
    first = stable_matching(instance.choices, instance.rankings, instance.capacities)
    again = stable_matching(
        shuffled(instance.choices, rng),
        shuffled(instance.rankings, rng),
        shuffled(instance.capacities, rng),
    )
    assert again.assignments == first.assignments
    assert explanations(again) == explanations(first)


@PROPERTIES
@given(instances())
def test_the_array_core_gives_the_wrappers_answer_from_lists_and_flat_lists(instance):
    choices = [instance.choices[p] for p in range(len(instance.choices))]
    rankings = [instance.rankings[h] for h in range(len(instance.capacities))]
    capacities = [instance.capacities[h] for h in range(len(instance.capacities))]
    expected = [solve(instance).get(p, -1) for p in range(len(choices))]
    from_lists = match_indices(choices, rankings, capacities)
    from_flat = match_indices(flat_int32(choices), flat_int32(rankings), np.array(capacities))
    assert from_lists.tolist() == expected
    assert from_flat.tolist() == expected


# Behaviour on examples ----------------------------------------------------------------------------


def test_participants_get_their_first_choices_when_postings_prefer_otherwise():
    # Both postings prefer the other's first choice: two stable matchings exist, and the
    # participants' side gets its favourites.
    matching = stable_matching(
        {"ana": ["cafe", "hotel"], "ben": ["hotel", "cafe"]},
        {"cafe": ["ben", "ana"], "hotel": ["ana", "ben"]},
        {"cafe": 1, "hotel": 1},
    )
    assert matching.assignments == {"ana": "cafe", "ben": "hotel"}


def test_a_posting_that_did_not_rank_the_participant_is_explained_as_not_ranked():
    matching = stable_matching({"ana": ["cafe"], "ben": ["cafe"]}, {"cafe": ["ben"]}, {"cafe": 2})
    assert matching.assignments == {"ben": "cafe"}
    assert explanations(matching) == {"ana": [("cafe", Reason.NOT_RANKED)]}


def test_a_posting_filled_by_applicants_it_ranked_higher_is_explained_as_such():
    matching = stable_matching(
        {"ana": ["cafe", "hotel"], "ben": ["cafe"], "eva": ["hotel"]},
        {"cafe": ["ben", "ana"], "hotel": ["eva"]},
        {"cafe": 1, "hotel": 1},
    )
    assert matching.assignments == {"ben": "cafe", "eva": "hotel"}
    assert explanations(matching) == {
        "ana": [("cafe", Reason.FILLED_BY_HIGHER), ("hotel", Reason.NOT_RANKED)]
    }


def test_a_participant_who_ranked_nothing_is_explained_by_an_empty_list():
    matching = stable_matching({"ana": [], "ben": ["cafe"]}, {"cafe": ["ben"]}, {"cafe": 1})
    assert explanations(matching) == {"ana": []}


def test_a_posting_without_places_takes_nobody_and_counts_as_filled():
    matching = stable_matching({"ana": ["cafe"]}, {"cafe": ["ana"]}, {"cafe": 0})
    assert matching.assignments == {}
    assert explanations(matching) == {"ana": [("cafe", Reason.FILLED_BY_HIGHER)]}


def test_reasons_are_plain_strings_that_read_back_as_reasons():
    assert str(Reason.NOT_RANKED) == "not_ranked"
    assert Reason("filled_by_higher") is Reason.FILLED_BY_HIGHER


class Shift(Enum):
    DAY = 1
    NIGHT = 2


def test_keys_of_any_hashable_type():
    participants = [("site", 7), frozenset({"a"}), 3.5]
    postings = [Shift.DAY, None, "kitchen"]
    matching = stable_matching(
        {participants[0]: [Shift.DAY], participants[1]: [None, Shift.DAY], 3.5: ["kitchen"]},
        {Shift.DAY: [participants[1], participants[0]], None: [], "kitchen": [3.5]},
        dict.fromkeys(postings, 1),
    )
    assert matching.assignments == {participants[1]: Shift.DAY, 3.5: "kitchen"}
    assert explanations(matching) == {participants[0]: [(Shift.DAY, Reason.FILLED_BY_HIGHER)]}


def test_unknown_keys_are_ignored():
    matching = stable_matching(
        {"ana": ["closed", "cafe"], "ben": ["cafe"]},
        {"cafe": ["nobody", "ana", "ben"], "closed": ["ana"], "gone": ["ben"]},
        {"cafe": 1},
    )
    assert matching.assignments == {"ana": "cafe"}
    assert explanations(matching) == {"ben": [("cafe", Reason.FILLED_BY_HIGHER)]}


def test_a_repeated_key_counts_at_its_first_place():
    matching = stable_matching(
        {"ana": ["cafe", "hotel", "cafe"], "ben": ["cafe"]},
        {"cafe": ["ben", "ana", "ben"], "hotel": []},
        {"cafe": 1, "hotel": 1},
    )
    assert matching.assignments == {"ben": "cafe"}
    assert explanations(matching) == {
        "ana": [("cafe", Reason.FILLED_BY_HIGHER), ("hotel", Reason.NOT_RANKED)]
    }


def test_the_same_input_gives_the_same_output_every_time():
    rng = np.random.default_rng(7)
    choices = {p: rng.permutation(12)[:5].tolist() for p in range(60)}
    rankings = {h: rng.permutation(60)[:40].tolist() for h in range(12)}
    capacities = {h: 3 for h in range(12)}
    runs = [stable_matching(choices, rankings, capacities) for _ in range(3)]
    assert all(run.assignments == runs[0].assignments for run in runs)
    assert all(explanations(run) == explanations(runs[0]) for run in runs)


def test_the_array_core_refuses_indices_outside_the_instance():
    with pytest.raises(ValueError, match="posting index"):
        match_indices([[2]], [[0], [0]], [1, 1])
    with pytest.raises(ValueError, match="participant index"):
        match_indices([[0]], [[1]], [1])
    with pytest.raises(ValueError, match="one list per posting"):
        match_indices([[0]], [[0]], [1, 1])
    with pytest.raises(ValueError, match="negative"):
        match_indices([[0]], [[0]], [-1])


def test_keys_too_wide_to_pack_with_their_values_sort_the_same_way():
    keys = np.array([5, 1, 5, 3, 1])
    values = np.array([2, 9, 0, 4, 1])
    packed = _sorted_by_key_then_value(keys, values, key_bound=6)
    unpacked = _sorted_by_key_then_value(keys, values, key_bound=1 << 62)
    expected = ([1, 1, 3, 5, 5], [1, 9, 4, 0, 2])
    assert tuple(a.tolist() for a in packed) == expected
    assert tuple(a.tolist() for a in unpacked) == expected
