#!/usr/bin/env python
"""Public search and profile at scale (issue 4), on PostgreSQL and SQLite.

Targets at BENCH_SCALE=1.0 (1,000,000 enterprises): name-fragment search p95 ≤ 50 ms for
2-, 3- and 4-character Chinese fragments; profile page p95 ≤ 50 ms; throughput of the
public profile API under gunicorn (2 workers) ≥ 1/4 of a bare constant-JSON Django view
measured in the same run. Every figure is also printed as a ratio against a baseline
from the same run (a primary-key lookup for latencies, the bare view for throughput).

The dataset is built once per database (COPY on PostgreSQL, executemany on SQLite) and
reused while it has the expected size. DATABASE_URL selects one database; without it the
bench runs PostgreSQL (postgres://postgres@127.0.0.1:5432/xinjian_bench_public) and then
SQLite (var/bench/public.sqlite3).
"""

from __future__ import annotations

import datetime as dt
import http.client
import io
import multiprocessing as mp
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import ensure_database, free_port, log, p95, timed  # noqa: E402

SCALE = float(os.environ.get("BENCH_SCALE", "1.0"))
N = max(2000, int(1_000_000 * SCALE))
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/xinjian_bench_public"
SQLITE_DEFAULT = f"sqlite:///{ROOT / 'var' / 'bench' / 'public.sqlite3'}"
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "300"))
LOAD_SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "8" if SCALE >= 0.5 else "4"))

CITIES = [
    "深圳市",
    "广州市",
    "东莞市",
    "佛山市",
    "珠海市",
    "惠州市",
    "中山市",
    "江门市",
    "汕头市",
    "湛江市",
    "肇庆市",
    "茂名市",
    "梅州市",
    "清远市",
    "韶关市",
    "揭阳市",
    "阳江市",
    "河源市",
    "潮州市",
    "云浮市",
]
CHARS = (
    "华新宏盛兴达鑫源丰泰嘉恒金顺发利和安康美佳信德隆昌荣明祥瑞富通海天一中大博创永力远东方正阳光"
    "启航星辰龙凤鹏程腾飞百川汇聚云帆锦绣佳禾盈实诚立志远望山水秀丽亿万千福寿喜乐吉祥如意"
    "长城联合众合协成宇宙晨曦翔宁静致远智慧科技未来蓝天白云青松翠柏红日朝霞春夏秋冬"
)
TRADES = [
    "食品",
    "科技",
    "机械",
    "贸易",
    "电子",
    "餐饮管理",
    "生物科技",
    "特种设备",
    "压力容器",
    "气体",
    "食品添加剂",
    "农产品",
    "实业",
    "投资",
    "建材",
    "电梯",
    "锅炉",
    "包装",
    "物流",
    "商贸",
    "酒业",
    "茶业",
    "乳业",
    "肉类加工",
    "调味品",
    "饮料",
    "粮油",
    "冷链",
    "起重机械",
    "医疗器械",
]
SUFFIXES = ["有限公司", "有限公司", "有限公司", "股份有限公司", "有限责任公司", "厂", "商行", "食品厂"]


# --- orchestration ---------------------------------------------------------------------


def main() -> int:
    if os.environ.get("_BENCH_PUBLIC_CHILD"):
        return run_one(os.environ["DATABASE_URL"])
    targets = [os.environ["DATABASE_URL"]] if os.environ.get("DATABASE_URL") else [PG_DEFAULT, SQLITE_DEFAULT]
    for url in targets:
        env = dict(
            os.environ,
            DATABASE_URL=url,
            _BENCH_PUBLIC_CHILD="1",
            DJANGO_SETTINGS_MODULE="bench.public_settings",
            PYTHONPATH=str(ROOT),
        )
        log(f"--- {url.split('@')[-1]}  (scale {SCALE}, {N:,} enterprises)")
        rc = subprocess.call([sys.executable, __file__], cwd=ROOT, env=env)
        if rc:
            log(f"    run failed with exit {rc}")
    return 0


def run_one(url: str) -> int:
    if url.startswith("postgres"):
        ensure_database(url)
    else:
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    build_dataset()
    measure_latencies()
    measure_throughput(url)
    return 0


# --- dataset ---------------------------------------------------------------------------


def build_dataset() -> None:
    from django.db import connection

    from xinjian.disclosure import search
    from xinjian.disclosure.models import SearchGramStat, SearchName
    from xinjian.registry.models import Enterprise

    have = Enterprise.objects.count()
    if have >= N and SearchName.objects.count() == have and SearchGramStat.objects.exists():
        log(f"    dataset present: {have:,} enterprises")
        return
    started = time.monotonic()
    from xinjian.registry.identifiers import build_uscc
    from xinjian.registry.models import Division

    counties = list(Division.objects.filter(level="county").values_list("code", flat=True)) or ["440305"]
    rnd = random.Random(20251127)
    start_id = have
    rows = []
    now = "2025-01-01 00:00:00+00"
    for i in range(start_id, N):
        region = counties[i % len(counties)]
        name = (
            rnd.choice(CITIES)
            + rnd.choice(CHARS)
            + rnd.choice(CHARS)
            + rnd.choice(TRADES)
            + rnd.choice(SUFFIXES)
        )
        uscc = build_uscc(region, f"{i:08d}")
        est = dt.date(2000, 1, 1) + dt.timedelta(days=i % 9000)
        rows.append(
            (
                now,
                "bench",
                now,
                "bench",
                uscc,
                name,
                rnd.choice("张王李赵陈刘杨黄") + rnd.choice("伟芳娜敏静丽强磊"),
                est.isoformat(),
                region,
                "有限责任公司",
                "",
                "",
                "operating",
                "bench",
            )
        )
    cols = (
        "created_at, created_by, modified_at, modified_by, uscc, name, legal_representative, established_on, "
        "region_code, entity_type, address, business_scope, status, source"
    )
    table = Enterprise._meta.db_table
    with connection.cursor() as cur:
        if not rows:
            pass
        elif connection.vendor == "postgresql":
            buf = io.StringIO()
            for r in rows:
                buf.write("\t".join(r) + "\n")
            with cur.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                copy.write(buf.getvalue())
        else:
            marks = ", ".join(["%s"] * len(rows[0]))
            for k in range(0, len(rows), 50_000):
                cur.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows[k : k + 50_000])
    log(f"    {len(rows):,} enterprises loaded in {time.monotonic() - started:.0f} s")
    t = time.monotonic()
    build_records(rnd)
    log(f"    records loaded in {time.monotonic() - t:.0f} s")
    t = time.monotonic()
    search.rebuild(chunk=100_000)
    log(f"    search index built in {time.monotonic() - t:.0f} s")


def build_records(rnd: random.Random) -> None:
    """Penalties for 3% of enterprises, inspection results for 6%, licences for 10%."""
    from xinjian.collection.models import Inspection, Licence, Penalty
    from xinjian.registry.models import Enterprise

    ids = list(Enterprise.objects.values_list("pk", "uscc"))
    today = dt.date.today()
    pens, insps, lics = [], [], []
    for k, (eid, uscc) in enumerate(ids):
        if k % 33 == 0:
            for j in range(1 + k % 3):
                pub = today - dt.timedelta(days=(k * 7 + j * 400) % 1500)
                pens.append(
                    Penalty(
                        enterprise_id=eid,
                        uscc=uscc,
                        source="bench",
                        source_id=f"P{k}-{j}",
                        decision_no=f"市监罚〔{pub.year}〕{k}-{j}号",
                        decided_on=pub,
                        decided_by="市场监督管理局",
                        domain="food_safety",
                        violation="生产不符合食品安全标准的食品",
                        penalty_types=["fine"] if j else ["criticism"],
                        fine_amount=5000 + 20000 * j,
                        published_on=pub,
                        decision_text="当事人法定代表人张三，电话13812345678，经查……",
                    )
                )
        if k % 17 == 0:
            insps.append(
                Inspection(
                    enterprise_id=eid,
                    uscc=uscc,
                    source="bench",
                    source_id=f"I{k}",
                    inspected_on=today - dt.timedelta(days=k % 700),
                    inspected_by="市场监督管理局",
                    kind="random",
                    result="no_problem",
                    published_on=today - dt.timedelta(days=k % 650),
                )
            )
        if k % 10 == 0:
            lics.append(
                Licence(
                    enterprise_id=eid,
                    uscc=uscc,
                    source="bench",
                    source_id=f"L{k}",
                    licence_type="food_production",
                    licence_no=f"SC101{k:011d}",
                    issued_by="市场监督管理局",
                    issued_on=dt.date(2022, 1, 1),
                    valid_until=dt.date(2027, 1, 1),
                    status="valid",
                    created_at=dt.datetime(2022, 1, 2, tzinfo=dt.UTC),
                )
            )
    for model, objs in ((Penalty, pens), (Inspection, insps), (Licence, lics)):
        model.objects.filter(source="bench").delete()  # a rebuild replaces the bench's own records
        model.objects.bulk_create(objs, batch_size=5000)


# --- latencies -------------------------------------------------------------------------


def fragments(names: list[str], length: int, rnd: random.Random, count: int) -> list[str]:
    out = []
    while len(out) < count:
        name = rnd.choice(names)
        s = rnd.randrange(0, max(1, len(name) - length + 1))
        frag = name[s : s + length]
        if len(frag) == length:
            out.append(frag)
    return out


def measure_latencies() -> None:
    from django.core.cache import caches
    from django.test import Client

    from xinjian.disclosure import search
    from xinjian.registry.models import Enterprise

    rnd = random.Random(7)
    max_id = Enterprise.objects.order_by("-pk").values_list("pk", flat=True).first()
    sample_ids = [rnd.randint(1, max_id) for _ in range(SAMPLES)]
    sample = list(Enterprise.objects.filter(pk__in=sample_ids).values_list("name", "uscc"))
    names = [n for n, _ in sample]
    usccs = [u for _, u in sample]
    # Baseline: a primary-key lookup through the ORM, same process, same database.
    timed(lambda i: Enterprise.objects.filter(pk=i).first(), sample_ids[:50])
    base = p95(timed(lambda i: Enterprise.objects.filter(pk=i).first(), sample_ids))
    log(f"    baseline: ORM primary-key lookup p95 {base:.2f} ms")
    results = {}
    for length in (2, 3, 4):
        frags = fragments(names, length, rnd, SAMPLES)
        timed(search.search, frags[:30])  # warm
        lat = timed(search.search, frags)
        hits = sum(1 for f in frags[:50] if search.search(f))
        results[length] = p95(lat)
        verdict = "OK" if results[length] <= 50 else "MISS"
        log(
            f"    search {length}-char fragment: p50 {statistics.median(lat):.2f} ms, p95 {results[length]:.2f} ms"
            f" = {results[length] / base:.1f}× baseline  [target ≤ 50 ms: {verdict}]  ({hits}/50 with results)"
        )
    client = Client()
    cache = caches["default"]

    def page(uscc: str) -> None:
        cache.clear()  # a cold profile: the cache does not flatter the figure
        r = client.get(f"/public/enterprises/{uscc}/")
        assert r.status_code == 200, r.status_code

    from xinjian.collection.models import Penalty

    with_penalties = list(Penalty.objects.values_list("uscc", flat=True)[: SAMPLES // 2])
    targets = usccs[: SAMPLES // 2] + with_penalties
    timed(page, targets[:20])
    lat = timed(page, targets)
    v = p95(lat)
    log(
        f"    profile page (cold cache, half with penalties): p50 {statistics.median(lat):.2f} ms, p95 {v:.2f} ms"
        f" = {v / base:.1f}× baseline  [target ≤ 50 ms: {'OK' if v <= 50 else 'MISS'}]"
    )


# --- throughput ------------------------------------------------------------------------


def _load(port: int, paths: list[str], seconds: float, q: mp.Queue) -> None:
    n, errors, i = 0, 0, 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            conn.request("GET", paths[i % len(paths)])
            r = conn.getresponse()
            r.read()
            n += r.status == 200
            errors += r.status != 200
        except OSError:
            errors += 1
        finally:
            conn.close()
        i += 1
    q.put((n, errors))


def rps(port: int, paths: list[str], seconds: float, clients: int = 4) -> tuple[float, int]:
    q: mp.Queue = mp.Queue()
    procs = [
        mp.Process(target=_load, args=(port, paths[k::clients] or paths, seconds, q)) for k in range(clients)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    got = [q.get() for _ in procs]
    return sum(g[0] for g in got) / seconds, sum(g[1] for g in got)


def measure_throughput(url: str) -> None:
    from xinjian.registry.models import Enterprise

    rnd = random.Random(11)
    max_id = Enterprise.objects.order_by("-pk").values_list("pk", flat=True).first()
    cold = list(
        Enterprise.objects.filter(pk__in=[rnd.randint(1, max_id) for _ in range(20_000)]).values_list(
            "uscc", flat=True
        )
    )
    hot = cold[:20]
    port = free_port()
    env = dict(
        os.environ, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="bench.public_settings", PYTHONPATH=str(ROOT)
    )
    env.pop("_BENCH_PUBLIC_CHILD", None)
    gun = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--preload",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        for path in ["/bench/constant"] * 20 + [f"/api/v1/public/enterprises/{u}" for u in hot * 4]:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)  # warm both workers
            conn.request("GET", path)
            conn.getresponse().read()
            conn.close()
        base, base_errors = rps(port, ["/bench/constant"], LOAD_SECONDS)
        log(
            f"    baseline: bare constant-JSON view {base:,.0f} req/s (gunicorn, 2 workers)"
            f"{f'  ({base_errors} errors)' if base_errors else ''}"
        )
        for label, pool in (("hot set of 20 enterprises (cached)", hot), ("cold, random enterprises", cold)):
            paths = [f"/api/v1/public/enterprises/{u}" for u in pool]
            if label.startswith("hot"):
                rps(port, paths, 1.0)
            got, errors = rps(port, paths, LOAD_SECONDS)
            ratio = got / base if base else 0
            log(
                f"    profile API, {label}: {got:,.0f} req/s = {ratio:.2f}× baseline"
                f"  [target ≥ 0.25×: {'OK' if ratio >= 0.25 else 'MISS'}]{f'  ({errors} errors)' if errors else ''}"
            )
    finally:
        gun.terminate()
        gun.wait(10)


if __name__ == "__main__":
    sys.exit(main())
