"""The draw core: `hash-rank-v1` (interfaces.md) and inspector assignment, on plain
in-memory lists so that a draw over a million USCCs stays fast. No database here; the
action in `actions.py` loads the inputs and stores the outputs.

The algorithm, exactly as published (the stand-alone `verify.py` re-implements it with
the standard library only, so the two check each other):

1. commitment = sha256(seed) (hex), published before the draw;
2. population_digest = sha256("\\n".join(sorted(usccs))) (hex);
3. rank every USCC by sha256(seed + ":" + uscc) as a hex string, ascending, and select
   the first ceil(ratio × population).

Lower-case hex compares like the digest bytes ('0' < … < '9' < 'a' < … < 'f'), so
ranking by the raw digest is the same order, and cheaper.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np

ALGORITHM = "hash-rank-v1"


def new_seed() -> str:
    """256 bits from the OS's CSPRNG, as hex."""
    return secrets.token_hex(32)


def commitment_of(seed: str) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()


def population_digest(sorted_usccs: Sequence[str]) -> str:
    """sha256 of the population, sorted, joined by "\\n". The caller passes it sorted."""
    return hashlib.sha256("\n".join(sorted_usccs).encode()).hexdigest()


def rank_key(seed: str, uscc: str) -> str:
    return hashlib.sha256(f"{seed}:{uscc}".encode()).hexdigest()


def selection_size(ratio: Decimal | str | float, population: int) -> int:
    """ceil(ratio × population), computed exactly: 0.07 × 100 is 7, not 8 as in binary
    floating point. The ratio is read from its decimal text."""
    exact = Fraction(Decimal(str(ratio))) * population
    return min(population, math.ceil(exact))


def select(seed: str, usccs: Sequence[str], k: int) -> list[str]:
    """The first `k` USCCs ranked by sha256(seed:uscc) ascending, in rank order.

    Vectorised: hash every USCC once, partition on the first 8 bytes of the digest with
    numpy, then order the (few) candidates by their full digest — ties on the 8-byte
    prefix at the boundary are resolved exactly because every candidate whose prefix is
    not above the k-th prefix is kept before the exact sort."""
    n = len(usccs)
    if k <= 0 or n == 0:
        return []
    prefix = seed + ":"
    sha = hashlib.sha256
    digests = [sha((prefix + u).encode()).digest() for u in usccs]
    if k >= n:
        order = sorted(range(n), key=digests.__getitem__)
        return [usccs[i] for i in order]
    heads = np.frombuffer(b"".join(digests), dtype=">u8")[::4]
    kth = np.partition(heads, k - 1)[k - 1]
    candidates = np.nonzero(heads <= kth)[0].tolist()
    candidates.sort(key=digests.__getitem__)
    return [usccs[i] for i in candidates[:k]]


@dataclass(frozen=True)
class StratumInput:
    risk_class: str
    usccs: list[str]  # sorted
    ratio: Decimal


@dataclass(frozen=True)
class StratumOutcome:
    name: str
    risk_class: str
    ratio: Decimal
    population_size: int
    population_digest: str
    selected: list[str]


def stratum_names(seed: str, classes: Iterable[str]) -> dict[str, str]:
    """Public names S1, S2, … for the classes, in an order derived from the seed, so that
    the name does not reveal the class (risk classes are never public, domain.md §5)."""
    ordered = sorted(classes, key=lambda c: hashlib.sha256(f"{seed}:stratum:{c}".encode()).digest())
    return {c: f"S{i}" for i, c in enumerate(ordered, start=1)}


def draw_strata(seed: str, strata: Sequence[StratumInput]) -> list[StratumOutcome]:
    names = stratum_names(seed, [s.risk_class for s in strata])
    out = []
    for s in strata:
        k = selection_size(s.ratio, len(s.usccs))
        out.append(
            StratumOutcome(
                names[s.risk_class],
                s.risk_class,
                s.ratio,
                len(s.usccs),
                population_digest(s.usccs),
                select(seed, s.usccs, k),
            )
        )
    return sorted(out, key=lambda o: int(o.name[1:]))


class NotEnoughInspectors(Exception):
    def __init__(self, uscc: str, needed: int, found: int):
        super().__init__(f"{uscc}: needs {needed} inspectors, only {found} eligible")
        self.uscc, self.needed, self.found = uscc, needed, found


def assign_inspectors(
    seed: str,
    targets: Sequence[str],
    pool: Sequence[int],
    *,
    per_target: int = 2,
    conflicts: Mapping[str, set[int]] | None = None,
    previous: Mapping[str, set[int]] | None = None,
) -> dict[str, list[int]]:
    """Assign `per_target` inspectors (ids from `pool`, already filtered to the active
    inspectors qualified for the task's items) to every target, in target order.

    - never an inspector with a declared conflict with the target (Penalty Law art. 43);
    - prefer inspectors who did not inspect the enterprise last time (`previous`): they
      are used only when too few others are eligible (rotation);
    - balance the load: always the least-loaded eligible inspectors first, ties broken by
      a hash of (seed, inspector, load) so the whole assignment follows from the seed.

    A heap of (load, tie-break, id) makes this O(targets × log(pool)) when conflicts and
    previous inspectors are few, as they are.
    """
    conflicts = conflicts or {}
    previous = previous or {}
    if per_target < 2:
        raise ValueError("Penalty Law art. 42: at least two inspectors")

    def tie(inspector_id: int, load: int) -> bytes:
        return hashlib.sha256(f"{seed}:assign:{inspector_id}:{load}".encode()).digest()[:8]

    heap = [(0, tie(i, 0), i) for i in sorted(set(pool))]
    heapq.heapify(heap)
    assignment: dict[str, list[int]] = {}
    for uscc in targets:
        barred = conflicts.get(uscc, set())
        last = previous.get(uscc, set())
        chosen: list[tuple[int, bytes, int]] = []
        fallback: list[tuple[int, bytes, int]] = []
        skipped: list[tuple[int, bytes, int]] = []
        while len(chosen) < per_target and heap:
            entry = heapq.heappop(heap)
            if entry[2] in barred:
                skipped.append(entry)
            elif entry[2] in last:
                fallback.append(entry)
            else:
                chosen.append(entry)
        while len(chosen) < per_target and fallback:
            chosen.append(fallback.pop(0))
        if len(chosen) < per_target:
            raise NotEnoughInspectors(uscc, per_target, len(chosen))
        assignment[uscc] = [e[2] for e in chosen]
        for load, _t, i in chosen:
            heapq.heappush(heap, (load + 1, tie(i, load + 1), i))
        for entry in skipped + fallback:
            heapq.heappush(heap, entry)
    return assignment
