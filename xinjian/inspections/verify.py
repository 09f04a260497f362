"""Stand-alone verifier of a double-random draw (`hash-rank-v1`, interfaces.md v1.1).

Standard library only, so that anyone can read it and run it without the platform:

    python -m xinjian.inspections.verify https://HOST/api/v1/public/draws/DRAW_ID
    python -m xinjian.inspections.verify draw.json --population population.json

A draw comes in two kinds (interfaces.md v1.1):

- **single stratum** (every class at one ratio): the public draw carries its seed and
  its stratum. From it alone this checks that the seed matches the commitment, that
  ceil(ratio × population) USCCs were selected and that the merged selection is the
  stratum's.
- **risk-stratified**: the public sees the commitment, the time it was published, the
  population size and the merged selection sorted by USCC; the seed and the strata would
  reveal risk classes, so they go to auditors. From the public draw alone this checks the
  commitment was published before the draw and the selection is well-formed.

Given what an auditor receives (`GET /api/v1/draws/{id}/population`, a URL with
`--token`, or a file) it recomputes either kind completely: seed against commitment,
each stratum's size and digest, the selection of each stratum from the seed, and that
the strata merge into the published selection and population size.

Exit status 0 when everything holds, 1 when a check fails, 2 when the input is unusable.
It deliberately shares no code with the platform's own draw (xinjian/inspections/draw.py):
two implementations that agree are the check.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
import urllib.request
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

ALGORITHM = "hash-rank-v1"


def load(source: str, token: str | None = None) -> Any:
    if source.startswith(("http://", "https://")):
        request = urllib.request.Request(source, headers={"Accept": "application/json"})
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (a URL the user gave)
            return json.load(response)
    with open(source, encoding="utf-8") as f:
        return json.load(f)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def expected_count(ratio: Any, population: int) -> int:
    # The ratio is read as the decimal it prints as (0.07 is 7/100), so that
    # ceil(0.07 × 100) is 7 and not 8 as binary floating point would give.
    return min(population, math.ceil(Fraction(Decimal(str(ratio))) * population))


def rank(seed: str, usccs: list[str]) -> list[str]:
    return sorted(usccs, key=lambda u: sha256_hex(seed + ":" + u))


def _stratum_problems(seed: str, stratum: dict[str, Any], *, recompute: bool) -> list[str]:
    problems: list[str] = []
    name = stratum.get("stratum", "?")
    selected = list(stratum.get("selected", []))
    population = int(stratum["population"])
    want = expected_count(stratum["ratio"], population)
    if len(selected) != want:
        problems.append(
            f"{name}: selected {len(selected)}, ceil({stratum['ratio']} × {population}) is {want}"
        )
    if len(set(selected)) != len(selected):
        problems.append(f"{name}: a USCC is selected twice")
    if not recompute:
        return problems
    usccs = list(stratum.get("uscc", []))
    if usccs != sorted(usccs):
        problems.append(f"{name}: the population is not sorted")
    if len(usccs) != population:
        problems.append(f"{name}: the population lists {len(usccs)} USCCs, the draw says {population}")
    if sha256_hex("\n".join(sorted(usccs))) != stratum.get("population_digest"):
        problems.append(f"{name}: population digest does not match the published digest")
    if sorted(rank(seed, usccs)[:want]) != sorted(selected):
        problems.append(f"{name}: recomputed selection differs from the published one")
    return problems


def verify(draw: dict[str, Any], population: dict[str, Any] | None = None) -> list[str]:
    """Every failed check as a sentence; empty when the draw holds. `draw` is the public
    draw; `population` what an auditor receives (optional)."""
    problems: list[str] = []
    if draw.get("algorithm") != ALGORITHM:
        problems.append(f"unknown algorithm {draw.get('algorithm')!r}, this verifier checks {ALGORITHM}")
        return problems
    merged = list(draw.get("selected", []))
    if merged != sorted(merged):
        problems.append("the published selection is not sorted by USCC")
    if len(set(merged)) != len(merged):
        problems.append("a USCC is selected twice")
    if len(merged) > int(draw.get("population", 0)):
        problems.append("more USCCs selected than the population holds")
    committed_at, drawn_at = draw.get("committed_at"), draw.get("drawn_at")
    if committed_at and drawn_at and _instant(committed_at) >= _instant(drawn_at):
        problems.append("the commitment was not published before the draw")

    if population is not None:
        if population.get("commitment") != draw.get("commitment"):
            problems.append("the population's commitment differs from the published draw's")
        seed = population.get("seed", "")
        strata = list(population.get("strata", []))
        recompute = True
    else:
        seed = draw.get("seed", "")
        strata = list(draw.get("strata", []))
        recompute = False
    if "seed" in draw and draw["seed"] != seed:
        problems.append("the published seed differs from the auditor's")
    if seed:
        if sha256_hex(seed) != draw.get("commitment"):
            problems.append("the seed does not match the commitment published before the draw")
    elif population is not None:
        problems.append("the auditor's data carries no seed")
    if population is None and not seed:
        # A risk-stratified draw: the rest is for auditors (interfaces.md v1.1).
        return problems
    if not strata:
        problems.append("no strata to check")
        return problems
    if population is not None and "strata" in draw:
        public = {s["stratum"]: s for s in draw["strata"]}
        for s in strata:
            p = public.get(s["stratum"])
            if p is None or sorted(p["selected"]) != sorted(s["selected"]) or p["ratio"] != s["ratio"]:
                problems.append(f"{s['stratum']}: the public stratum differs from the auditor's")
    seen: set[str] = set()
    for s in strata:
        problems += _stratum_problems(seed, s, recompute=recompute)
        if recompute:
            overlap = seen & set(s.get("uscc", []))
            if overlap:
                problems.append(f"{s['stratum']}: {len(overlap)} USCCs also belong to another stratum")
            seen |= set(s.get("uscc", []))
    if sorted(u for s in strata for u in s["selected"]) != merged:
        problems.append("the strata's selections do not merge into the published selection")
    if sum(int(s["population"]) for s in strata) != int(draw.get("population", -1)):
        problems.append("the strata's populations do not add up to the published population size")
    return problems


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m xinjian.inspections.verify", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("draw", help="URL of /api/v1/public/draws/{id} or a JSON file of it")
    parser.add_argument("--population", help="URL of /api/v1/draws/{id}/population or a JSON file of it")
    parser.add_argument("--token", help="bearer token (scope risk) for a population URL")
    args = parser.parse_args(argv)
    try:
        draw = load(args.draw)
        population = load(args.population, args.token) if args.population else None
    except (OSError, ValueError) as e:
        print(f"cannot read input: {e}", file=sys.stderr)
        return 2
    try:
        problems = verify(draw, population)
    except (KeyError, TypeError, ValueError, ArithmeticError) as e:
        print(f"cannot read input: missing or malformed field {e}", file=sys.stderr)
        return 2
    if problems:
        for p in problems:
            print(f"FAIL {p}")
        return 1
    if population is not None:
        scope = "every stratum recomputed from the seed and the population"
    elif draw.get("seed"):
        scope = "seed, count and merged selection verified; recomputation needs the population"
    else:
        scope = (
            "commitment published before the draw and selection well-formed; "
            "risk-stratified: seed and strata are for auditors (--population)"
        )
    n = len((population or draw).get("strata", []))
    print(f"OK {draw.get('draw_id')}: {n} strata, {len(draw.get('selected', []))} selected; {scope}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
