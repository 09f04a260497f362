"""The draw core on plain lists: hash-rank-v1 exactly as interfaces.md states it, and the
inspector assignment rules (Penalty Law art. 42, 43; rotation; load)."""

from __future__ import annotations

import hashlib
from collections import Counter
from decimal import Decimal

import pytest

from xinjian.inspections import draw as core

USCCS = sorted(f"91440305MA{i:08d}" for i in range(500))


def naive(seed, usccs, k):
    return sorted(usccs, key=lambda u: hashlib.sha256(f"{seed}:{u}".encode()).hexdigest())[:k]


@pytest.mark.parametrize(
    "ratio, population, expected",
    [
        ("0.01", 500, 5),
        ("0.01", 501, 6),
        ("0.07", 100, 7),
        ("0.3", 10, 3),
        ("0.02", 1, 1),
        ("0.1", 0, 0),
        ("1", 7, 7),
        ("0", 9, 0),
    ],
)
def test_selection_size_is_the_exact_ceiling_of_ratio_times_population(ratio, population, expected):
    assert core.selection_size(Decimal(ratio), population) == expected


@pytest.mark.parametrize("k", [1, 37, 499, 500])
def test_selection_equals_ranking_by_hex_sha256_of_seed_colon_uscc(k):
    assert core.select("abc", USCCS, k) == naive("abc", USCCS, k)


def test_same_seed_same_selection_and_another_seed_another_selection():
    assert core.select("s1", USCCS, 50) == core.select("s1", list(reversed(USCCS)), 50)
    assert core.select("s1", USCCS, 50) != core.select("s2", USCCS, 50)


def test_commitment_and_population_digest_are_sha256_hex():
    assert core.commitment_of("seed") == hashlib.sha256(b"seed").hexdigest()
    assert core.population_digest(["A", "B"]) == hashlib.sha256(b"A\nB").hexdigest()


def test_stratum_names_follow_the_seed_not_the_class_order():
    orders = {
        tuple(sorted(core.stratum_names(f"seed{i}", "ABCD").items(), key=lambda kv: kv[1])) for i in range(20)
    }
    assert len(orders) > 1  # the class behind S1 changes from draw to draw
    assert core.stratum_names("x", "ABCD") == core.stratum_names("x", "DCBA")


def test_every_target_gets_two_distinct_inspectors_and_load_is_balanced():
    targets = USCCS[:100]
    result = core.assign_inspectors("seed", targets, list(range(1, 11)))
    assert all(len(v) == 2 and len(set(v)) == 2 for v in result.values())
    load = Counter(i for v in result.values() for i in v)
    assert max(load.values()) - min(load.values()) <= 1
    assert sum(load.values()) == 200


def test_an_inspector_with_a_conflict_of_interest_is_never_assigned():
    targets = USCCS[:60]
    conflicts = {u: {1, 2} for u in targets[::2]}
    result = core.assign_inspectors("seed", targets, [1, 2, 3, 4], conflicts=conflicts)
    assert all(not ({1, 2} & set(result[u])) for u in targets[::2])


def test_rotation_prefers_inspectors_who_did_not_inspect_last_time():
    targets = USCCS[:40]
    previous = {u: {1, 2} for u in targets}
    result = core.assign_inspectors("seed", targets, [1, 2, 3, 4, 5], previous=previous)
    assert all(not ({1, 2} & set(v)) for v in result.values())


def test_previous_inspectors_are_used_when_no_one_else_is_eligible():
    result = core.assign_inspectors("seed", ["X"], [1, 2, 3], previous={"X": {1, 2}})
    assert 3 in result["X"] and len(result["X"]) == 2


def test_too_few_eligible_inspectors_is_an_error_not_a_single_inspector():
    with pytest.raises(core.NotEnoughInspectors):
        core.assign_inspectors("seed", ["X"], [1, 2], conflicts={"X": {2}})
    with pytest.raises(ValueError):
        core.assign_inspectors("seed", ["X"], [1, 2, 3], per_target=1)


def test_assignment_is_determined_by_the_seed():
    a = core.assign_inspectors("seed", USCCS[:50], list(range(1, 8)))
    assert a == core.assign_inspectors("seed", USCCS[:50], list(reversed(range(1, 8))))
    assert a != core.assign_inspectors("other", USCCS[:50], list(range(1, 8)))
