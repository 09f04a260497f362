#!/usr/bin/env python
"""Double-random draw: hash-rank-v1 over 1,000,000 targets in four strata, then inspector
assignment for the 50,000 selected (issue 6: ≤ 5 s). The draw core works on in-memory
lists, so no database is involved; the figure is compared with a bare baseline measured
in the same run: sha256 of 1,000,000 strings with hashlib.

BENCH_SCALE (default 1.0) scales the population and the selection.
"""

from __future__ import annotations

import hashlib
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from xinjian.inspections import draw as core  # noqa: E402  (pure Python, no Django setup needed)

SCALE = float(os.environ.get("BENCH_SCALE", "1.0"))
# Four strata summing to 1,000,000 whose ratios select 50,000 in all.
STRATA = [("A", 500_000, "0.01"), ("B", 300_000, "0.02"), ("C", 150_000, "0.1"), ("D", 50_000, "0.48")]
INSPECTORS = 2_000
TARGET_SECONDS = 5.0


def fake_uscc(rng: random.Random, i: int) -> str:
    # Shape of a USCC (18 characters, region 44xxxx); check digits are irrelevant here.
    return f"9144{rng.randrange(100):02d}{rng.randrange(100):02d}MA{i:09d}{'0123456789ABCDEFGHJKLMNPQRTUWXY'[i % 31]}"


def main() -> int:
    rng = random.Random(20261127)
    strata_raw = []
    n = 0
    for cls, size, ratio in STRATA:
        size = max(1, int(size * SCALE))
        strata_raw.append((cls, [fake_uscc(rng, n + j) for j in range(size)], Decimal(ratio)))
        n += size
    for _cls, usccs, _r in strata_raw:
        rng.shuffle(usccs)  # the draw sorts them itself below: no head start
    all_usccs = [u for _c, us, _r in strata_raw for u in us]

    # Baseline: hash every string once, nothing else.
    t = time.perf_counter()
    for u in all_usccs:
        hashlib.sha256(("seed:" + u).encode()).hexdigest()
    baseline = time.perf_counter() - t

    seed = core.new_seed()
    t = time.perf_counter()
    inputs = [core.StratumInput(cls, sorted(usccs), ratio) for cls, usccs, ratio in strata_raw]
    outcomes = core.draw_strata(seed, inputs)
    t_draw = time.perf_counter() - t

    targets = [u for o in outcomes for u in o.selected]
    pool = list(range(1, int(INSPECTORS * max(SCALE, 0.05)) + 1))
    conflicts = {u: {rng.choice(pool)} for u in targets[::100]}
    previous = {u: set(rng.sample(pool, 2)) for u in targets[::2]}
    t = time.perf_counter()
    assignment = core.assign_inspectors(seed, targets, pool, conflicts=conflicts, previous=previous)
    t_assign = time.perf_counter() - t

    total = t_draw + t_assign
    assert len(assignment) == len(targets) and all(len(v) == 2 for v in assignment.values())
    assert all(not (set(assignment[u]) & c) for u, c in conflicts.items())
    print(f"population {n:,} in {len(outcomes)} strata, selected {len(targets):,}, inspectors {len(pool):,}")
    print(f"baseline  sha256 × {n:,}: {baseline:.2f} s")
    print(f"draw (sort, digest, rank, select): {t_draw:.2f} s = {t_draw / baseline:.2f} × baseline")
    print(f"assignment of {len(targets):,} targets: {t_assign:.2f} s = {t_assign / baseline:.2f} × baseline")
    print(
        f"draw + assignment: {total:.2f} s = {total / baseline:.2f} × baseline "
        f"(target ≤ {TARGET_SECONDS:.0f} s at scale 1.0: {'met' if total <= TARGET_SECONDS else 'NOT met'})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
