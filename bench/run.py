#!/usr/bin/env python
"""`make bench`: runs every bench/bench_*.py in turn, each printing its figures as ratios
against a bare baseline measured in the same run (these machines are noisy).

BENCH_ONLY=name[,name] runs a subset; BENCH_SCALE (default 1.0) scales row counts down for
a quick look (targets are judged at 1.0). Each bench reads DATABASE_URL like the app; the
PostgreSQL ones default to postgres://postgres@127.0.0.1:5432/xinjian_bench.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    only = {n.strip() for n in os.environ.get("BENCH_ONLY", "").split(",") if n.strip()}
    failures = 0
    for script in sorted(HERE.glob("bench_*.py")):
        name = script.stem.removeprefix("bench_")
        if only and name not in only:
            continue
        print(f"\n=== bench {name}", flush=True)
        started = time.monotonic()
        rc = subprocess.call([sys.executable, str(script)], cwd=HERE.parent)
        print(f"=== bench {name}: exit {rc} in {time.monotonic() - started:.0f} s", flush=True)
        failures += rc != 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
