#!/usr/bin/env python
"""Risk classification on provinces it has never seen (issue 17): the robustness harness.

For every world of xinjian.risk.harness.worlds (different mechanisms carrying the risk and
different inspection habits, 6,000 enterprises each at BENCH_SCALE=1), the province is
loaded through the public ingest API (in-process client, bearer token), each model family
is trained on the province's own history and judged out of time against the hidden
truth. Prints, per world × model, the share of the achievable AUC gain, the share of the
achievable lift of a class-weighted draw and D/A, then the worst world per model.
Goal: worst world ≥ 65 % AUC share, ≥ 70 % lift share, D/A ≥ 3.

Each world is loaded inside a transaction that is rolled back afterwards, so the worlds
never meet. Database: DATABASE_URL if set, else a fresh SQLite file under var/.
BENCH_WORLDS=name,name runs a subset; BENCH_FAMILIES=woe,logit,hgb likewise.

In a drawn world (its later inspections come from platform draws, so they carry the
draw ratios) every family is also trained with the inverse-probability weights switched
off: rows `<family>-nw` (the platform's own calibration always weighs).
BENCH_TARGET=inspection (or any_outcome) fixes the families' target instead of letting the
out-of-time choice pick it (the weights act only on the `inspection` target's rows).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SCALE = float(os.environ.get("BENCH_SCALE", "1.0"))
N = max(1000, int(6000 * SCALE))
DB_FILE = ROOT / "var" / "bench_risk_worlds.sqlite3"
os.environ.setdefault("DATABASE_URL", f"sqlite:///{DB_FILE}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
GOAL = {"auc_share": 0.65, "lift_share": 0.70, "d_over_a": 3.0}


class Rollback(Exception):
    pass


def main() -> int:
    if os.environ["DATABASE_URL"] == f"sqlite:///{DB_FILE}":
        DB_FILE.parent.mkdir(exist_ok=True)
        DB_FILE.unlink(missing_ok=True)
    else:
        from bench_risk import ensure_database

        ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    call_command("migrate", verbosity=0, interactive=False)

    from xinjian.risk.harness.run import evaluate, load, table, worst
    from xinjian.risk.harness.worlds import BY_NAME, WORLDS, generate
    from xinjian.risk.learners import FAMILIES
    from xinjian.sharing.models import ApiClient

    names = [w.strip() for w in os.environ.get("BENCH_WORLDS", "").split(",") if w.strip()]
    worlds = [BY_NAME[w] for w in names] if names else list(WORLDS)
    families = [
        f.strip()
        for f in os.environ.get("BENCH_FAMILIES", ",".join([*FAMILIES, "platform"])).split(",")
        if f.strip()
    ]
    targets = [os.environ["BENCH_TARGET"]] if os.environ.get("BENCH_TARGET") else None
    results = []
    for world in worlds:
        started = time.monotonic()
        province = generate(world, N, seed=int(os.environ.get("BENCH_SEED", "1")))
        try:
            with transaction.atomic():
                _client, token = ApiClient.issue(f"harness-{world.name}", ["ingest"], "")
                counts = load(province, token)
                loaded = time.monotonic()
                rs = evaluate(province, families, targets=targets)
                if counts.get("drawn"):
                    others = [f for f in families if f != "platform"]
                    for r in evaluate(province, others, targets=targets, weights=False):
                        if r.family != "truth":
                            r.family += "-nw"
                            rs.append(r)
                results += rs
                print(
                    f"{world.name}: {counts['enterprises']} enterprises, "
                    f"{sum(v for k, v in counts.items() if k != 'drawn')} records loaded through the ingest API"
                    + (f", {counts['drawn']} inspections from platform draws" if counts.get("drawn") else "")
                    + f" in {loaded - started:.0f} s; models {time.monotonic() - loaded:.0f} s",
                    flush=True,
                )
                print(table(rs), flush=True)
                for r in rs:
                    if r.params.get("reasons_of_riskiest"):
                        print(
                            f"  {r.family}: class D with a reason {r.params['d_with_reasons']:.0%}; "
                            f"riskiest: {'；'.join(r.params['reasons_of_riskiest'])}",
                            flush=True,
                        )
                    if "target" in r.params:
                        print(f"  {r.family}: target {r.params['target']}", flush=True)
                raise Rollback
        except Rollback:
            pass
    print("\n" + table(results))
    print("\n" + worst(results))
    best = None
    for family in families:
        rs = [r for r in results if r.family == family]
        if not rs:
            continue
        figures = (min(r.auc_share for r in rs), min(r.lift_share for r in rs), min(r.d_over_a for r in rs))
        met = (
            figures[0] >= GOAL["auc_share"]
            and figures[1] >= GOAL["lift_share"]
            and figures[2] >= GOAL["d_over_a"]
        )
        print(f"  {family}: goal {'met' if met else 'NOT met'} on the worst world")
        if best is None or figures[:2] > best[1][:2]:
            best = (family, figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
