"""Stand-alone verifier of a double-random draw (`hash-rank-v1`, interfaces.md).

Standard library only, so that anyone can read it and run it without the platform:

    python -m xinjian.inspections.verify https://HOST/api/v1/public/draws/DRAW_ID
    python -m xinjian.inspections.verify draw.json --population population.json

From the published draw alone it checks that the seed matches the commitment published
before the draw, that every stratum selected ceil(ratio × population) USCCs, and that
they are listed in rank order (sha256(seed + ":" + uscc) ascending). Given the population
an auditor receives (`GET /api/v1/draws/{id}/population`, a URL with `--token`, or a
file), it also checks each stratum's size and digest and recomputes the selection.

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


def verify(draw: dict[str, Any], population: dict[str, Any] | None = None) -> list[str]:
    """Every failed check as a sentence; empty when the draw holds."""
    problems: list[str] = []
    seed = draw.get("seed", "")
    if draw.get("algorithm") != ALGORITHM:
        problems.append(f"unknown algorithm {draw.get('algorithm')!r}, this verifier checks {ALGORITHM}")
        return problems
    if sha256_hex(seed) != draw.get("commitment"):
        problems.append("the seed does not match the commitment published before the draw")
    by_name = {}
    if population is not None:
        by_name = {s["stratum"]: s for s in population.get("strata", [])}
        missing = set(by_name) ^ {s["stratum"] for s in draw.get("strata", [])}
        if missing:
            problems.append(f"strata differ between draw and population: {sorted(missing)}")
    for stratum in draw.get("strata", []):
        name = stratum["stratum"]
        selected = list(stratum["selected"])
        want = expected_count(stratum["ratio"], int(stratum["population"]))
        if len(selected) != want:
            problems.append(
                f"{name}: selected {len(selected)}, ceil({stratum['ratio']} × {stratum['population']}) is {want}"
            )
        if len(set(selected)) != len(selected):
            problems.append(f"{name}: a USCC is selected twice")
        keys = [sha256_hex(seed + ":" + u) for u in selected]
        if keys != sorted(keys):
            problems.append(f"{name}: the selection is not in rank order")
        if name not in by_name:
            continue
        usccs = sorted(by_name[name]["uscc"])
        if len(usccs) != int(stratum["population"]):
            problems.append(
                f"{name}: population file has {len(usccs)} USCCs, the draw says {stratum['population']}"
            )
        if sha256_hex("\n".join(usccs)) != stratum["population_digest"]:
            problems.append(f"{name}: population digest does not match the published digest")
        recomputed = rank(seed, usccs)[:want]
        if recomputed != selected:
            problems.append(f"{name}: recomputed selection differs from the published one")
    return problems


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
    problems = verify(draw, population)
    scope = "selection recomputed from the population" if population else "commitment, counts and order"
    if problems:
        for p in problems:
            print(f"FAIL {p}")
        return 1
    total = sum(len(s["selected"]) for s in draw.get("strata", []))
    print(
        f"OK {draw.get('draw_id')}: {len(draw.get('strata', []))} strata, {total} selected; {scope} verified"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
