#!/usr/bin/env python
"""Demo generation speed: 100k enterprises with five years of history (× BENCH_SCALE),
on SQLite (a fresh file) and on PostgreSQL, extrapolated to 1,000,000 (target < 10 min).

Each figure is printed beside a bare baseline measured in the same run on the same
database: inserting the same number of plain rows (id, text, integer, date) into a table
without indexes, the fastest the database takes rows in. The ratio says how much the
generator (vectorised generation, indexes, tagging through the registry's action,
audit entries and events) costs over raw insertion.

PostgreSQL: DATABASE_URL if set, else postgres://postgres@127.0.0.1:5432/xinjian_bench_demo;
a database whose name starts with `xinjian_bench` is dropped and recreated for a fresh
run, any other must have an empty register.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_ENTERPRISES = 1_000_000
TARGET_SECONDS = 600
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/xinjian_bench_demo"


def child(n: int) -> None:
    """Runs inside a fresh process bound to one database (DATABASE_URL)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    from xinjian.demo.generator import generate
    from xinjian.registry.models import Enterprise

    if Enterprise.objects.exists():
        raise SystemExit(f"{connection.settings_dict['NAME']}: the register is not empty")
    chunk_times: list[float] = []
    last = [time.monotonic()]

    def progress(_msg: str) -> None:
        now = time.monotonic()
        chunk_times.append(now - last[0])
        last[0] = now

    def server_cpu() -> float:
        """CPU seconds of this connection's PostgreSQL backend (same machine: /proc)."""
        if connection.vendor != "postgresql":
            return 0.0
        with connection.cursor() as cur:
            cur.execute("SELECT pg_backend_pid()")
            pid = cur.fetchone()[0]
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return float("nan")
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    server_started = server_cpu()
    started, cpu_started = time.monotonic(), time.process_time()
    stats = generate(n, 1, chunk=min(50_000, max(1000, n // 4)), progress=progress)
    demo_seconds = time.monotonic() - started
    demo_cpu = time.process_time() - cpu_started
    demo_server_cpu = server_cpu() - server_started
    # Rows written: every record, a hidden-truth row per enterprise, and per tag change its
    # tag row, history row, audit entry and event.
    counts = dict(stats.counts)
    tag_changes = counts.pop("tag_changes", 0)
    rows = sum(counts.values()) + counts.get("enterprises", 0) + 4 * tag_changes
    # Baseline: the same number of plain rows, bulk-inserted the fastest way this database has.
    import datetime as dt

    day = dt.date(2024, 1, 1).isoformat()
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_plain")
        cur.execute("CREATE TABLE bench_plain (id bigint, a varchar(40), b integer, c date)")
    t0 = time.monotonic()
    with transaction.atomic(), connection.cursor() as cur:
        batch = 100_000
        for start in range(0, rows, batch):
            data = [(i, f"row-{i}", i % 97, day) for i in range(start, min(rows, start + batch))]
            if connection.vendor == "postgresql":
                with cur.cursor.copy("COPY bench_plain (id, a, b, c) FROM STDIN") as copy:
                    for r in data:
                        copy.write_row(r)
            else:
                cur.executemany("INSERT INTO bench_plain (id, a, b, c) VALUES (%s, %s, %s, %s)", data)
    baseline = time.monotonic() - t0
    with connection.cursor() as cur:
        cur.execute("DROP TABLE bench_plain")
    chunk_size = min(50_000, max(1000, n // 4))
    print(
        json.dumps(
            {
                "vendor": connection.vendor,
                "n": n,
                "seconds": demo_seconds,
                "cpu": demo_cpu,
                "server_cpu": demo_server_cpu,
                "load": os.getloadavg()[0],
                "rows": rows,
                "baseline": baseline,
                "stats": stats.counts,
                "phases": stats.seconds,
                "chunk_times": chunk_times,
                "chunk": chunk_size,
            }
        )
    )


def _prepare_pg(url: str) -> str | None:
    import psycopg

    base, _, name = url.rpartition("/")
    name = name.split("?")[0]
    try:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if name.startswith("xinjian_bench"):
                if exists:
                    conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{name}"')
            elif not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        return f"PostgreSQL unavailable ({exc.__class__.__name__})"
    return None


def run(url: str, n: int) -> dict | None:
    env = dict(os.environ, DATABASE_URL=url)
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(n)], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if out.returncode != 0:
        print(out.stderr[-2000:])
        return None
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(label: str, r: dict) -> None:
    n, secs, base, cpu = r["n"], r["seconds"], r["baseline"], r["cpu"]
    # Extrapolate from the slowest pace seen (the later chunks, where indexes are largest),
    # not from the average: tables grow, so the pace can only get worse.
    chunks = r["chunk_times"]
    worst_per_ent = max(chunks[len(chunks) // 2 :]) / r["chunk"] if chunks else secs / n
    linear = secs / n * TARGET_ENTERPRISES
    cautious = worst_per_ent * TARGET_ENTERPRISES
    print(
        f"[{label}] {n:,} enterprises with history: {secs:.1f} s wall, {cpu:.1f} s CPU in the generator process, "
        f"{r['rows']:,} rows ({r['rows'] / secs:,.0f} rows/s); load average {r['load']:.1f} on {os.cpu_count()} CPUs"
    )
    print(
        f"[{label}]   baseline (bare insert of {r['rows']:,} plain rows): {base:.1f} s "
        f"→ demo/baseline = {secs / base:.1f}×"
    )
    phases = ", ".join(f"{k} {v:.1f} s" for k, v in r["phases"].items())
    print(f"[{label}]   phases: {phases}")
    print(f"[{label}]   rows: " + ", ".join(f"{k} {v:,}" for k, v in r["stats"].items()))
    verdict = "within" if cautious < TARGET_SECONDS else "OVER"
    print(
        f"[{label}]   extrapolated to {TARGET_ENTERPRISES:,}: {linear:.0f} s linear, {cautious:.0f} s at the "
        f"slowest chunk pace → {verdict} the {TARGET_SECONDS} s target (ratio {cautious / TARGET_SECONDS:.2f}); "
        f"CPU-bound estimate {(cpu + r['server_cpu']) / n * TARGET_ENTERPRISES:.0f} s"
    )
    if r["server_cpu"]:
        print(f"[{label}]   CPU: generator {cpu:.1f} s + database backend {r['server_cpu']:.1f} s")
    if r["load"] > (os.cpu_count() or 1):
        print(
            f"[{label}]   note: the machine was busy (load {r['load']:.1f}): wall times are inflated; the ratio "
            "to the baseline measured in the same run is the steadier figure"
        )


def main() -> int:
    scale = float(os.environ.get("BENCH_SCALE", "1.0"))
    n = max(1000, int(100_000 * scale))
    with tempfile.TemporaryDirectory(prefix="xj-bench-demo-") as tmp:
        r = run(f"sqlite:///{tmp}/bench.sqlite3", n)
        if r:
            report("sqlite", r)
    url = os.environ.get("DATABASE_URL", DEFAULT_PG)
    if url.startswith("postgres"):
        problem = _prepare_pg(url)
        if problem:
            print(f"[postgresql] skipped: {problem}")
        else:
            r = run(url, n)
            if r:
                report("postgresql", r)
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(int(sys.argv[2]))
    else:
        sys.exit(main())
