#!/usr/bin/env python
"""Ingest at scale (issues 3 and 16, ADR 0067), on PostgreSQL, then on SQLite:

1. bare baselines: a raw `COPY` of N penalty rows (already resolved, every column filled)
   into the same table `collection_penalty`, with the same indexes and constraints, and
   the same `COPY` into a table with only a primary key;
2. `manage.py ingest penalties FILE` of the same N rows from a CSV file — parse, validate
   each record, match enterprises, upsert with versions and one event per record — run as
   a child process whose peak RSS is measured, with its stage breakdown (--timings);
3. the same command on the same file again (every record `unchanged`: the idempotent
   re-run an operator does after an interruption);
4. the HTTP API (gunicorn, two workers, two clients) in batches of 10,000 records;
5. SQLite (a fresh file): the command on N_SQLITE rows beside a bare executemany INSERT
   of the same rows into the same table.

Targets at BENCH_SCALE=1 (N = 1,000,000): ingest ≥ 50,000 records/s and ≤ 2× the
same-table COPY; HTTP ≥ 20,000 records/s; unchanged re-send ≥ 100,000 records/s; peak
memory of the command < 1 GB; SQLite ≥ 20,000 records/s. The machine is shared: read the
ratios, which are measured in the same run.

PostgreSQL: DATABASE_URL if set, else postgres://postgres@127.0.0.1:5432/xinjian_bench_ingest.
BENCH_INGEST_SQLITE=0 skips step 5.
"""

from __future__ import annotations

import csv
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.common import ensure_database, free_port  # noqa: E402

if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/xinjian_bench_ingest"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

SCALE = float(os.environ.get("BENCH_SCALE", "1.0"))
N = max(5_000, int(1_000_000 * SCALE))
N_HTTP = max(20_000, int(200_000 * SCALE))
N_ENTERPRISES = max(500, int(20_000 * SCALE))
N_SQLITE = max(5_000, int(200_000 * SCALE))
TARGET_RATE, TARGET_RATIO, TARGET_HTTP, TARGET_MB = 50_000, 2.0, 20_000, 1024
TARGET_UNCHANGED, TARGET_SQLITE = 100_000, 20_000
HTTP_WORKERS = 2
FIELDS = [
    "source_id",
    "uscc",
    "decision_no",
    "decided_on",
    "decided_by",
    "domain",
    "violation",
    "penalty_types",
    "fine_amount",
    "legal_basis",
]
DOMAINS = ["food_safety", "special_equipment", "product_quality", "consumer_rights", "other"]


def record(i: int, usccs: list[str], prefix: str = "P") -> dict:
    fine = (i * 37) % 200_000
    return {
        "source_id": f"{prefix}-{i:08d}",
        "uscc": usccs[i % len(usccs)],
        "decision_no": f"粤市监罚〔2024〕{i}号",
        "decided_on": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
        "decided_by": "广东省市场监督管理局",
        "domain": DOMAINS[i % len(DOMAINS)],
        "violation": "生产经营不符合食品安全标准的食品",
        "penalty_types": ["warning", "fine"] if fine else ["warning"],
        "fine_amount": f"{fine}.00" if fine else "",
        "legal_basis": "《中华人民共和国食品安全法》第一百二十四条",
    }


def main() -> int:
    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)

    from xinjian.registry.identifiers import build_uscc
    from xinjian.registry.models import Enterprise
    from xinjian.sharing.models import ApiClient

    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE collection_penalty, collection_recordversion, collection_rejectedrecord CASCADE"
        )
        cur.execute("DELETE FROM core_event WHERE type LIKE 'penalty.%%'")
    have = set(Enterprise.objects.filter(source="bench").values_list("uscc", flat=True))
    usccs = [build_uscc("440305" if n % 3 else "440106", f"BN{n:06d}") for n in range(N_ENTERPRISES)]
    missing = [u for u in usccs if u not in have]
    if missing:
        import datetime as dt

        Enterprise.objects.bulk_create(
            [
                Enterprise(
                    uscc=u,
                    name=f"基准测试企业{u[-8:]}",
                    legal_representative="王五",
                    established_on=dt.date(2010, 1, 1),
                    region_code=u[2:8],
                    source="bench",
                )
                for u in missing
            ],
            batch_size=5000,
        )
    ent_ids = dict(Enterprise.objects.filter(uscc__in=usccs).values_list("uscc", "id"))
    print(f"N = {N:,} penalty records over {len(usccs):,} enterprises (BENCH_SCALE={SCALE})")

    work = Path(tempfile.mkdtemp(prefix="bench_ingest_"))
    src = work / "penalties.csv"
    copy_file = work / "penalties.copy.csv"
    t = time.perf_counter()
    with (
        src.open("w", newline="", encoding="utf-8") as f,
        copy_file.open("w", newline="", encoding="utf-8") as g,
    ):
        w, c = csv.writer(f), csv.writer(g)
        w.writerow(FIELDS)
        now = "2024-11-20 10:00:00+08"
        for i in range(N):
            r = record(i, usccs)
            w.writerow([";".join(r[k]) if k == "penalty_types" else r[k] for k in FIELDS])
            c.writerow(
                [
                    ent_ids[r["uscc"]],
                    r["uscc"],
                    "import:penalties",
                    r["source_id"],
                    now,
                    r["decision_no"],
                    r["decided_on"],
                    r["decided_by"],
                    r["domain"],
                    r["violation"],
                    json.dumps(r["penalty_types"]),
                    r["fine_amount"],
                    "false",
                    r["legal_basis"],
                    "in_force",
                    "",
                    "",
                    now,
                    "bench",
                    now,
                    "bench",
                    "",
                    "",
                    "ordinary",
                ]
            )
    print(f"wrote the CSV files in {time.perf_counter() - t:.1f} s ({src.stat().st_size / 1e6:.0f} MB)")

    # 1. bare baselines: COPY of the same rows into the same table (same indexes), and into
    #    a table with only a primary key.
    copy_cols = (
        "enterprise_id, uscc, source, source_id, received_at, decision_no, decided_on, decided_by, domain, "
        "violation, penalty_types, fine_amount, aggravated, legal_basis, status, disclosure_exception, "
        "decision_text, created_at, created_by, modified_at, modified_by, archived_by, archive_reason, "
        "procedure"  # NOT NULL since issue 12 item 9; the ingest path fills it with its default
    )

    def bare_copy(table: str) -> float:
        with connection.cursor() as cur:
            t = time.perf_counter()
            with (
                cur.cursor.copy(
                    f"COPY {table} ({copy_cols}) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL (disclosure_exception, decision_text, archived_by, archive_reason))"
                ) as cp,
                copy_file.open("rb") as fh,
            ):
                while block := fh.read(1 << 20):
                    cp.write(block)
            seconds = time.perf_counter() - t
            cur.execute(f"SELECT count(*) FROM {table}")
            assert cur.fetchone()[0] == N
            cur.execute(f"TRUNCATE {table} CASCADE")
        return seconds

    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_penalty_pk_only")
        cur.execute(
            "CREATE TABLE bench_penalty_pk_only (LIKE collection_penalty INCLUDING DEFAULTS INCLUDING IDENTITY)"
        )
        cur.execute("ALTER TABLE bench_penalty_pk_only ADD PRIMARY KEY (id)")
    copy_s = bare_copy("collection_penalty")
    pk_copy_s = bare_copy("bench_penalty_pk_only")
    with connection.cursor() as cur:
        cur.execute("DROP TABLE bench_penalty_pk_only")
    connection.close()
    print(f"COPY baseline, same table:   {copy_s:.1f} s ({N / copy_s:,.0f} rows/s)")
    print(f"COPY baseline, PK-only table: {pk_copy_s:.1f} s ({N / pk_copy_s:,.0f} rows/s)")

    # 2. the command, as an operator runs it; 3. the same file again.
    def run_command() -> tuple[float, str]:
        t0 = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "manage.py", "ingest", "penalties", str(src), "--no-progress", "--timings"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env=os.environ.copy(),
        )
        elapsed = time.perf_counter() - t0
        if out.returncode:
            print(out.stdout, out.stderr)
            raise SystemExit(1)
        print("  stages (seconds; validation runs in a thread beside the writes):")
        print(out.stderr.rstrip())
        return elapsed, out.stdout.strip().splitlines()[-1]

    ingest_s, summary = run_command()
    inner_s = float(summary.split("用时 ")[1].split(" 秒")[0])
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"manage.py ingest: {ingest_s:.1f} s ({N / ingest_s:,.0f} records/s), peak RSS {peak_mb:,.0f} MB")
    print(f"  {summary}")
    print(
        f"  (of which process start-up {ingest_s - inner_s:.1f} s; the ingest itself {N / inner_s:,.0f} records/s)"
    )
    rerun_s, summary2 = run_command()
    rerun_inner_s = float(summary2.split("用时 ")[1].split(" 秒")[0])
    print(f"same file again (all unchanged): {rerun_s:.1f} s ({N / rerun_s:,.0f} records/s)")
    print(f"  {summary2}")

    # 4. HTTP API, batches of 10,000, two gunicorn workers fed by two clients.
    ApiClient.objects.filter(name="bench-http").delete()
    _, token = ApiClient.issue("bench-http", ["ingest"])
    connection.close()
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "-w",
            str(HTTP_WORKERS),
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            "300",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=(work / "gunicorn.log").open("wb"),
    )
    try:
        import requests

        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        _wait(port)
        bodies = []
        for start in range(0, N_HTTP, 10_000):
            recs = []
            for i in range(start, min(N_HTTP, start + 10_000)):
                r = record(i, usccs, "H")
                r["fine_amount"] = r["fine_amount"] or None
                recs.append(r)
            bodies.append(json.dumps({"records": recs}, ensure_ascii=False).encode())
        # Warm the worker up (URLconf and apps import on the first request) before timing.
        session.post(
            f"http://127.0.0.1:{port}/api/v1/ingest/penalties",
            data=b'{"records": []}',
            headers={"Content-Type": "application/json"},
            timeout=300,
        ).raise_for_status()
        from concurrent.futures import ThreadPoolExecutor

        def post(body: bytes) -> int:
            with requests.Session() as own:
                own.headers["Authorization"] = f"Bearer {token}"
                resp = own.post(
                    f"http://127.0.0.1:{port}/api/v1/ingest/penalties",
                    data=body,
                    headers={"Content-Type": "application/json"},
                    timeout=600,
                )
                resp.raise_for_status()
                return int(resp.json()["created"])

        t = time.perf_counter()
        with ThreadPoolExecutor(HTTP_WORKERS) as pool:
            created = sum(pool.map(post, bodies))
        http_s = time.perf_counter() - t
        assert created == N_HTTP, created
    except BaseException:
        print((work / "gunicorn.log").read_text(errors="replace")[-3000:])
        raise
    finally:
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(60)
            except subprocess.TimeoutExpired:
                server.kill()
    print(
        f"HTTP API: {N_HTTP:,} records in batches of 10,000, {HTTP_WORKERS} workers: {http_s:.1f} s "
        f"({N_HTTP / http_s:,.0f} records/s)"
    )
    sqlite = run_sqlite(src, usccs) if os.environ.get("BENCH_INGEST_SQLITE", "1") != "0" else None

    ratio = ingest_s / copy_s
    rate, http_rate, rerun_rate = N / ingest_s, N_HTTP / http_s, N / rerun_s

    def judge(ok: bool) -> str:
        return "OK" if ok else "MISSED"

    print("\nfigures (targets judged at BENCH_SCALE=1; absolute rates depend on the machine's load):")
    print(
        f"  ingest / same-table COPY      {ratio:5.2f}   (target ≤ {TARGET_RATIO})  {judge(ratio <= TARGET_RATIO)}"
    )
    print(f"  same, without start-up        {inner_s / copy_s:5.2f}")
    print(f"  ingest / PK-only COPY         {ingest_s / pk_copy_s:5.2f}")
    print(f"  same-table / PK-only COPY     {copy_s / pk_copy_s:5.2f}   (what the table's indexes cost)")
    print(
        f"  re-run / same-table COPY      {rerun_s / copy_s:5.2f}   (without start-up {rerun_inner_s / copy_s:.2f})"
    )
    print(
        f"  ingest rate                   {rate:,.0f} records/s   (target ≥ {TARGET_RATE:,})  {judge(rate >= TARGET_RATE)}"
    )
    print(
        f"  unchanged re-send rate        {rerun_rate:,.0f} records/s   (target ≥ {TARGET_UNCHANGED:,})  "
        f"{judge(rerun_rate >= TARGET_UNCHANGED)}"
    )
    print(
        f"  HTTP rate                     {http_rate:,.0f} records/s   (target ≥ {TARGET_HTTP:,})  {judge(http_rate >= TARGET_HTTP)}"
    )
    print(
        f"  peak memory of the command    {peak_mb:,.0f} MB   (target < {TARGET_MB})  {judge(peak_mb < TARGET_MB)}"
    )
    print(f"  COPY rate (same table)        {N / copy_s:,.0f} rows/s   (the machine's yardstick)")
    if sqlite is not None:
        n_sql, sql_s, bare_s = sqlite
        print(
            f"  SQLite ingest rate            {n_sql / sql_s:,.0f} records/s   (target ≥ {TARGET_SQLITE:,})  "
            f"{judge(n_sql / sql_s >= TARGET_SQLITE)}; / bare executemany INSERT {sql_s / bare_s:.2f}"
        )
    for p in (src, copy_file, work / "gunicorn.log"):
        p.unlink()
    work.rmdir()
    return 0


def run_sqlite(src: Path, usccs: list[str]) -> tuple[int, float, float]:
    """The embedded default: a fresh SQLite file, the command on the first N_SQLITE rows
    of the same CSV, beside a bare executemany INSERT of the same rows into the same table."""
    import sqlite3

    work = Path(tempfile.mkdtemp(prefix="bench_ingest_sqlite_"))
    db = work / "bench.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}"}
    part = work / "penalties.csv"
    with src.open(encoding="utf-8") as f, part.open("w", encoding="utf-8") as g:
        for i, line in enumerate(f):
            if i > N_SQLITE:
                break
            g.write(line)
    setup = (
        "import datetime as dt, sys\n"
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0, interactive=False)\n"
        "from xinjian.registry.models import Enterprise\n"
        "us = open(sys.argv[1], encoding='utf-8').read().split(',')\n"
        "Enterprise.objects.bulk_create([Enterprise(uscc=u, name='基准测试企业' + u[-8:], legal_representative='王五',"
        " established_on=dt.date(2010, 1, 1), region_code=u[2:8], source='bench') for u in us], batch_size=5000)\n"
    )
    # The USCCs go through a file: 20,000 of them exceed the kernel's limit on one argument.
    uscc_file = work / "usccs.txt"
    uscc_file.write_text(",".join(usccs), encoding="utf-8")
    subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + setup, str(uscc_file)],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings", "PYTHONPATH": str(ROOT)},
        check=True,
    )
    # Bare baseline: the same rows, resolved, straight into collection_penalty.
    conn = sqlite3.connect(db)
    ent = dict(conn.execute("SELECT uscc, id FROM registry_enterprise"))
    rows = []
    with part.open(encoding="utf-8") as f:
        reader = csv.DictReader(f)
        for r in reader:
            types = r["penalty_types"].split(";")
            rows.append(
                (
                    ent[r["uscc"]],
                    r["uscc"],
                    "bare",
                    r["source_id"],
                    "2024-11-20 02:00:00",
                    r["decision_no"],
                    r["decided_on"],
                    r["decided_by"],
                    r["domain"],
                    r["violation"],
                    json.dumps(types),
                    r["fine_amount"] or None,
                    False,
                    r["legal_basis"],
                    "in_force",
                    "",
                    "",
                    "2024-11-20 02:00:00",
                    "bench",
                    "2024-11-20 02:00:00",
                    "bench",
                    "",
                    "",
                    "ordinary",
                )
            )
    cols = (
        "enterprise_id, uscc, source, source_id, received_at, decision_no, decided_on, decided_by, domain, "
        "violation, penalty_types, fine_amount, aggravated, legal_basis, status, disclosure_exception, "
        "decision_text, created_at, created_by, modified_at, modified_by, archived_by, archive_reason, "
        "procedure"  # NOT NULL since issue 12 item 9; the ingest path fills it with its default
    )
    t = time.perf_counter()
    conn.executemany(f"INSERT INTO collection_penalty ({cols}) VALUES ({', '.join('?' * 24)})", rows)
    conn.commit()
    bare_s = time.perf_counter() - t
    conn.execute("DELETE FROM collection_penalty")
    conn.commit()
    conn.close()
    t = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "manage.py", "ingest", "penalties", str(part), "--no-progress", "--timings"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    sql_s = time.perf_counter() - t
    if out.returncode:
        print(out.stdout, out.stderr)
        raise SystemExit(1)
    print(
        f"SQLite: bare executemany INSERT of {N_SQLITE:,} rows {bare_s:.1f} s; manage.py ingest {sql_s:.1f} s"
    )
    print(f"  {out.stdout.strip().splitlines()[-1]}")
    print(out.stderr.rstrip())
    for f in work.iterdir():
        f.unlink()
    work.rmdir()
    return N_SQLITE, sql_s, bare_s


def _wait(port: int) -> None:
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


if __name__ == "__main__":
    sys.exit(main())
