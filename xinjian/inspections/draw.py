"""The draw core: stratified `hash-rank-v1` (the algorithm is `core.hashrank`, re-exported
here) and inspector assignment, on plain in-memory lists so that a draw over a million
USCCs stays fast. No database here; the actions in `actions/draws.py` load the inputs and
store the outputs. The stand-alone `verify.py` re-implements the algorithm with the
standard library only, so the two check each other."""

from __future__ import annotations

import hashlib
import heapq
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from xinjian.core.hashrank import (
    ALGORITHM as ALGORITHM,
)
from xinjian.core.hashrank import (
    commitment_of as commitment_of,
)
from xinjian.core.hashrank import (
    new_seed as new_seed,
)
from xinjian.core.hashrank import (
    population_digest as population_digest,
)
from xinjian.core.hashrank import (
    rank_key as rank_key,
)
from xinjian.core.hashrank import (
    select as select,
)
from xinjian.core.hashrank import (
    selection_size as selection_size,
)


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
