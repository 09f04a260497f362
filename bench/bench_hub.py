#!/usr/bin/env python
"""The national hub at scale (issue 15 item 5, ADR 0099), on PostgreSQL.

At BENCH_SCALE=1 the hub (`XINJIAN_PROVINCE=000000`) holds 5,000,000 enterprises of every
province's counties in force, with realistic Chinese names, key-area tags and a few records
each (penalties, inspections, licences), generated straight into the tables with `COPY`
(not through the demo generator). The public search index is then built by its own build
path (`disclosure.search.rebuild`) and the database ANALYZEd. Then, each figure beside a
bare baseline measured in the same run:

1. pull: a Guangdong instance (a second database, `XINJIAN_PROVINCE=440000`) holding a
   sample of PULL_N feed entries (its enterprises and their records, put in the feed by
   `federation_backfill`'s code) is served by gunicorn; the hub's `federation.Puller`
   reads `GET /api/v1/records` page by page into the 5M-enterprise hub. Baseline: a bare
   `COPY` of exactly the rows the pull stored (read back, deleted and copied again into
   the same tables, inside a transaction that is rolled back);
2. public search p50/p95 for 2-, 3- and 4-character fragments drawn from stored names,
   through `search.search` (count + first page + tags, warm cache), target ≤ 50 ms;
   baseline: a bare unique-index probe (`uscc = %s`) on the same connection;
3. public profile p50/p95 (`/public/enterprises/<uscc>/`, the page's cache cleared before
   each request), random enterprises, half of them with penalties;
4. a full rescore of the general model (`risk.actions.score_all`, after an expert version
   is activated as a new deployment does) against the bare SQL aggregation of the same
   indicators.

Each phase prints its wall time and the machine's load average (the machine is shared).
BENCH_HUB_STEPS=search,profile runs only those measurements (on a hub already built).
Databases: DATABASE_URL (a PostgreSQL URL) names the hub, else
postgres://postgres@127.0.0.1:5432/xinjian_bench_hub (suffixed _N when scaled); the
province is the hub's name + `_province`. Both are kept between runs (a run reuses a hub
that already holds N enterprises); BENCH_HUB_DROP=1 drops them at the end.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.common import bare_aggregation_seconds, ensure_database, free_port, log, p95, timed  # noqa: E402

SCALE = float(os.environ.get("BENCH_SCALE", "1.0"))
N = max(5_000, int(5_000_000 * SCALE))
# Feed entries in the pull sample (a fixed-size sample: the pull's rate does not depend on
# the hub's size beyond its indexes' depth).
PULL_N = int(os.environ.get("BENCH_HUB_PULL", str(max(5_000, min(200_000, int(200_000 * SCALE * 5))))))
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "300"))
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/xinjian_bench_hub" + (
        "" if N == 5_000_000 else f"_{N}"
    )
HUB_URL = os.environ["DATABASE_URL"]
PROVINCE_URL = os.environ.get("BENCH_HUB_PROVINCE_URL") or HUB_URL + "_province"
ROLE = os.environ.get("_BENCH_HUB_ROLE", "hub")
os.environ["XINJIAN_PROVINCE"] = "440000" if ROLE == "province" else "000000"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.public_settings")
PEER = "gd-bench"

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
    "服装",
    "家具",
    "五金",
    "化工",
    "纺织",
    "印刷",
    "广告",
    "文化传媒",
    "信息技术",
    "网络科技",
    "建筑工程",
    "装饰工程",
    "房地产开发",
    "汽车销售",
    "环保科技",
    "新能源",
    "农业开发",
    "水产",
    "养殖",
    "旅游开发",
    "酒店管理",
    "物业管理",
    "供应链",
    "医药",
    "健康管理",
    "教育咨询",
    "人力资源",
    "电器",
]
CHARS = (
    "华新宏盛兴达鑫源丰泰嘉恒金顺发利和安康美佳信德隆昌荣明祥瑞富通海天一中大博创永力远东方正阳光启航星辰龙凤"
    "鹏程腾飞百川汇聚云帆锦绣禾盈实诚立志望山水秀丽亿万千福寿喜乐吉如意长城联合众协成宇宙晨曦翔宁静致智慧未来"
    "蓝白青松翠柏红日朝霞春夏秋冬银铭泽润沃广益源景弘毅卓越凯旋豪骏驰伟业浩瀚峰岭川江河湖湘楚粤闽蜀燕赵齐鲁"
)
SUFFIXES = ["有限公司"] * 6 + ["股份有限公司", "有限责任公司", "厂", "商行", "经营部", "合作社"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红兰峰建国志文斌"
# Key-area licences (their holders are tagged), numbered in each type's format.
KEY_LICENCES = [
    "food_business",
    "food_business",
    "food_production",
    "special_equipment_production",
    "industrial_product",
]


def licence_no(ltype: str, eid: int, issued: dt.date) -> str:
    if ltype == "food_business":
        return f"JY{eid:014d}"
    if ltype == "food_production":
        return f"SC1{eid:013d}"
    if ltype == "special_equipment_production":
        return f"TS{eid % 10**7:07d}-{issued.year}"
    return f"XK{eid % 100:02d}-{eid // 100 % 1000:03d}-{eid % 100_000:05d}"


TAG_OF = {
    "food_business": "food_business",
    "food_production": "food_production",
    "special_equipment_production": "special_equipment_production",
    "industrial_product": "industrial_product",
}
NOW = "2025-06-01 10:00:00+08"


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f}/{five:.1f}"


class Phase:
    """`with Phase("name"):` prints the phase's wall time and the load average at its end."""

    def __init__(self, name: str):
        self.name = name

    def __enter__(self) -> Phase:
        self.t = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.t
        log(f"  [{self.name}: {self.seconds:,.1f} s, {load()}]")


def drop_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- generation (COPY) -----------------------------------------------------------------


def esc(v: object) -> str:
    if v is None:
        return "\\N"
    return str(v).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


def copy_rows(table: str, cols: str, rows: Iterator[tuple], chunk: int = 50_000) -> int:
    """Stream `rows` into `table` with COPY, `chunk` lines per write."""
    from django.db import connection

    n = 0
    with connection.cursor() as cur, cur.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as cp:
        lines: list[str] = []
        for r in rows:
            lines.append("\t".join(esc(v) for v in r))
            if len(lines) >= chunk:
                cp.write("\n".join(lines) + "\n")
                n += len(lines)
                lines = []
        if lines:
            cp.write("\n".join(lines) + "\n")
            n += len(lines)
    return n


def short_name(name: str) -> str:
    for suffix in (
        "特别行政区",
        "维吾尔自治区",
        "壮族自治区",
        "回族自治区",
        "自治区",
        "自治州",
        "地区",
        "盟",
        "市",
        "省",
    ):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            name = name[: -len(suffix)]
            break
    return name[:2] if len(name) > 4 else name


def counties(prefix: str = "") -> list[tuple[str, str]]:
    """(county code, a place name for enterprise names: its city's, or its province's)."""
    from xinjian.registry.models import Division

    names = dict(Division.objects.values_list("code", "name"))
    out = []
    for code in Division.objects.filter(
        level="county", valid_to__isnull=True, code__startswith=prefix
    ).values_list("code", flat=True):
        city = names.get(code[:4] + "00", "")
        place = city if city and "辖" not in city and city != "县" else names.get(code[:2] + "0000", "")
        out.append((code, short_name(place)))
    return sorted(out)


ENT_COLS = (
    "id, created_at, created_by, modified_at, modified_by, uscc, name, legal_representative, established_on, "
    "region_code, entity_type, registered_capital, address, business_scope, status, registration_no, source"
)
PEN_COLS = (
    "id, created_at, created_by, modified_at, modified_by, archived_at, archived_by, archive_reason, uscc, source, "
    "source_id, received_at, decision_no, decided_on, decided_by, domain, violation, penalty_types, fine_amount, "
    "aggravated, restriction_until, legal_basis, fulfilled_on, status, disclosure_exception, decision_text, "
    "published_on, withdrawn_on, publication_stopped_on, enterprise_id, batch_id, procedure"
)
INS_COLS = (
    "id, created_at, created_by, modified_at, modified_by, archived_at, archived_by, archive_reason, uscc, source, "
    "source_id, received_at, inspected_on, inspected_by, kind, result, item_code, findings, published_on, "
    "enterprise_id, batch_id"
)
LIC_COLS = (
    "id, created_at, created_by, modified_at, modified_by, archived_at, archived_by, archive_reason, uscc, source, "
    "source_id, received_at, licence_type, licence_no, issued_by, issued_on, valid_until, status, scope, "
    "enterprise_id, batch_id"
)
TAG_COLS = "id, active, source, since, ended_at, enterprise_id, licence_id, type_id"


def enterprise_rows(
    start: int, n: int, places: list[tuple[str, str]], body: str, rnd: random.Random, source: str
) -> Iterator[tuple]:
    from xinjian.registry.identifiers import build_uscc

    for k in range(n):
        i = start + k
        region, place = places[(i * 7919) % len(places)]
        name = place + rnd.choice(CHARS) + rnd.choice(CHARS) + rnd.choice(TRADES) + rnd.choice(SUFFIXES)
        established = dt.date(1995, 1, 1) + dt.timedelta(days=(i * 37) % 11000)
        status = "operating" if i % 20 else ("cancelled" if i % 40 else "revoked")
        yield (
            i,
            NOW,
            "bench",
            NOW,
            "bench",
            build_uscc(region, body.format(i)),
            name,
            rnd.choice(SURNAMES) + rnd.choice(GIVEN) + (rnd.choice(GIVEN) if i % 3 else ""),
            established.isoformat(),
            region,
            "有限责任公司",
            None,
            "",
            "",
            status,
            None,
            source,
        )


def record_rows(ents: list[tuple[int, str]], source: str, today: dt.date) -> dict[str, list[tuple]]:
    """Records for (enterprise id, uscc) pairs: a licence for 30 % (key-area types, so a
    tag each), an inspection for 40 % (10 % of them with a problem), penalties for 6 %
    (one or two, published). Ids are given by the caller's offsets."""
    pens: list[tuple] = []
    ins: list[tuple] = []
    lics: list[tuple] = []
    tags: list[tuple] = []
    for eid, uscc in ents:
        h = (eid * 2654435761) % 1000
        if h < 300:
            ltype = KEY_LICENCES[eid % len(KEY_LICENCES)]
            issued = dt.date(2021, 1, 1) + dt.timedelta(days=eid % 1400)
            lics.append(
                (NOW, "bench", NOW, "bench", None, "", "", uscc, source, f"L{eid}", NOW, ltype)
                + (licence_no(ltype, eid, issued), "市场监督管理局", issued.isoformat())
                + ((issued + dt.timedelta(days=1826)).isoformat(), "valid", "[]", eid, None)
            )
            tags.append((True, "licence", NOW, None, eid, TAG_OF[ltype]))
        if 250 <= h < 650:
            on = today - dt.timedelta(days=30 + eid % 900)
            result = "corrected" if h % 10 == 0 else "no_problem"
            ins.append(
                (NOW, "bench", NOW, "bench", None, "", "", uscc, source, f"I{eid}", NOW, on.isoformat())
                + (
                    "市场监督管理局",
                    "random",
                    result,
                    "",
                    "",
                    (on + dt.timedelta(days=15)).isoformat(),
                    eid,
                    None,
                )
            )
        if 600 <= h < 660:
            for j in range(1 + eid % 2):
                decided = today - dt.timedelta(days=20 + (eid * 7 + j * 400) % 1100)
                pens.append(
                    (NOW, "bench", NOW, "bench", None, "", "", uscc, source, f"P{eid}-{j}", NOW)
                    + (f"市监罚〔{decided.year}〕{eid}-{j}号", decided.isoformat(), "市场监督管理局")
                    + ("food_safety", "生产经营不符合食品安全标准的食品", '["fine"]', 5000 + 20000 * j, False)
                    + (None, "《中华人民共和国食品安全法》第一百二十四条", None, "in_force", "", "")
                    + ((decided + dt.timedelta(days=5)).isoformat(), None, None, eid, None, "ordinary")
                )
    return {"penalties": pens, "inspections": ins, "licences": lics, "tags": tags}


def generate(n: int, start_id: int, places: list[tuple[str, str]], body: str, source: str, seed: int) -> dict:
    """Enterprises start_id … start_id+n-1 and their records, by COPY, in slices of 250,000
    enterprises (records follow each slice, so memory stays flat)."""
    from django.db import connection, transaction

    from xinjian.core.workdays import today

    rnd = random.Random(seed)
    on = today()
    counts = {"enterprises": 0, "penalties": 0, "inspections": 0, "licences": 0, "tags": 0}
    ids = {
        t: _next_id(t)
        for t in ("collection_penalty", "collection_inspection", "collection_licence", "registry_keyareatag")
    }
    step = 250_000
    for s in range(start_id, start_id + n, step):
        m = min(step, start_id + n - s)
        with transaction.atomic():
            ent_rows = list(enterprise_rows(s, m, places, body, rnd, source))
            ents = [(r[0], r[5]) for r in ent_rows]
            counts["enterprises"] += copy_rows("registry_enterprise", ENT_COLS, iter(ent_rows))
            del ent_rows
            recs = record_rows(ents, source, on)
            lic_ids = {}
            for key, table, cols in (
                ("penalties", "collection_penalty", PEN_COLS),
                ("inspections", "collection_inspection", INS_COLS),
                ("licences", "collection_licence", LIC_COLS),
            ):
                rows = recs[key]
                first = ids[table]
                ids[table] += len(rows)
                if key == "licences":
                    lic_ids = {r[-2]: first + k for k, r in enumerate(rows)}
                counts[key] += copy_rows(table, cols, ((first + k, *r) for k, r in enumerate(rows)))
            first = ids["registry_keyareatag"]
            ids["registry_keyareatag"] += len(recs["tags"])
            counts["tags"] += copy_rows(
                "registry_keyareatag",
                TAG_COLS,
                (
                    (first + k, a, b, c, d, eid, lic_ids[eid], t)
                    for k, (a, b, c, d, eid, t) in enumerate(recs["tags"])
                ),
            )
    with connection.cursor() as cur:
        for table in ("registry_enterprise", *ids):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
    return counts


def _next_id(table: str) -> int:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        return int(cur.fetchone()[0])


# --- the province (child process) ------------------------------------------------------


def province_main() -> int:
    """Build the Guangdong sample (own database, XINJIAN_PROVINCE=440000), put it in the
    feed, issue the hub's token and print it."""
    import django

    django.setup()
    from django.core.management import call_command

    from xinjian.collection import feed
    from xinjian.registry.models import Enterprise
    from xinjian.sharing.models import ApiClient

    call_command("migrate", verbosity=0, interactive=False)
    # ~PULL_N entries: per enterprise 1 + 0.3 licences + 0.4 inspections + ~0.09 penalties.
    n_ent = max(1000, int(PULL_N / 1.79))
    if Enterprise.objects.count() != n_ent:
        from django.db import connection

        with connection.cursor() as cur:
            cur.execute(
                "TRUNCATE registry_enterprise, collection_penalty, collection_inspection, collection_licence, "
                "registry_keyareatag, core_event CASCADE"
            )
        t = time.perf_counter()
        counts = generate(n_ent, 1, counties("44"), "Q{:07d}", "case-system", seed=44)
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
        t2 = time.perf_counter()
        feed.backfill(chunk=5000)
        log(
            f"    province: {counts} by COPY in {t2 - t:.0f} s; feed events by federation_backfill "
            f"in {time.perf_counter() - t2:.0f} s"
        )
    ApiClient.objects.filter(name="hub").delete()
    _, token = ApiClient.issue("hub", ["share"])
    print("TOKEN " + token, flush=True)
    return 0


# --- the hub ---------------------------------------------------------------------------


def hub_main() -> int:
    ensure_database(HUB_URL)
    ensure_database(PROVINCE_URL)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    log(
        f"hub {HUB_URL.rsplit('/', 1)[1]}: N = {N:,} enterprises (BENCH_SCALE={SCALE}), pull sample {PULL_N:,}"
    )
    log(f"  machine: {os.cpu_count()} cores, {load()} at start")
    with Phase("migrate"):
        call_command("migrate", verbosity=0, interactive=False)
    from xinjian.registry.models import Enterprise

    have = Enterprise.objects.filter(source="bench").count()
    if have != N:
        with connection.cursor() as cur:
            cur.execute(
                "TRUNCATE registry_enterprise, collection_penalty, collection_inspection, collection_licence, "
                "registry_keyareatag, disclosure_searchgram, disclosure_searchname, disclosure_searchgramstat, "
                "risk_assessment, core_event, collection_recordversion CASCADE"
            )
            cur.execute("DELETE FROM collection_peer")
        places = counties()
        log(f"  generating {N:,} enterprises over {len(places):,} counties in force (34 provinces) …")
        with Phase("generate by COPY"):
            counts = generate(N, 1, places, "{:08d}", "bench", seed=1)
        log(f"    {', '.join(f'{k} {v:,}' for k, v in counts.items())}")
        from xinjian.disclosure import search

        with Phase("search index (search.rebuild)"):
            search.rebuild(chunk=200_000)
        with Phase("ANALYZE"), connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
    else:
        log(f"  hub present: {have:,} enterprises")
    with connection.cursor() as cur:
        cur.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        log(f"  hub database size {cur.fetchone()[0]}")
    figures: dict[str, str] = {}
    steps = {
        "pull": measure_pull,
        "search": measure_search,
        "profile": measure_profile,
        "rescore": measure_rescore,
    }
    for name in os.environ.get("BENCH_HUB_STEPS", ",".join(steps)).split(","):
        steps[name.strip()](figures)
    log("\nfigures (ratios against the bare baselines of this run; absolute values depend on the load):")
    for k, v in figures.items():
        log(f"  {k:38s} {v}")
    if os.environ.get("BENCH_HUB_DROP") == "1":
        connection.close()
        drop_database(HUB_URL)
        drop_database(PROVINCE_URL)
        log("  dropped both databases")
    return 0


def measure_pull(figures: dict[str, str]) -> None:
    from django.db import connection

    from xinjian.collection.federation import Puller
    from xinjian.collection.models import Peer

    log("\n--- pull: a province's feed into the hub")
    env = dict(os.environ, DATABASE_URL=PROVINCE_URL, _BENCH_HUB_ROLE="province", XINJIAN_PROVINCE="440000")
    with Phase("province sample (COPY + federation_backfill)"):
        out = subprocess.run([sys.executable, __file__], cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode:
        log(out.stdout + out.stderr)
        raise SystemExit(1)
    for line in out.stdout.splitlines():
        if not line.startswith("TOKEN "):
            log(line)
    token = next(line[6:] for line in out.stdout.splitlines() if line.startswith("TOKEN "))
    _forget_peer()
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            "300",
        ],
        cwd=ROOT,
        env=dict(env, DJANGO_SETTINGS_MODULE="config.settings"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        peer = Peer.objects.create(name=PEER, url=f"http://127.0.0.1:{port}", token=token)
        puller = Puller(peer, page_size=1000)
        puller.fetch(0)  # warm both sides (imports, URLconf) outside the timing
        with Phase("pull") as ph:
            s = puller.run()
        # Where the time goes: the same pages read again from 0 without storing them (the
        # province serving its feed, HTTP and JSON), beside the whole pull.
        t, after, pages = time.perf_counter(), 0, 0
        while True:
            page = puller.fetch(after)
            pages += 1
            if int(page["next"]) == after or not page["records"]:
                break
            after = int(page["next"])
        feed_s = time.perf_counter() - t
        log(
            f"    reading the same feed again without storing it: {feed_s:.1f} s ({pages} pages) = "
            f"{feed_s / ph.seconds:.0%} of the pull; the hub's ingest the rest"
        )
    finally:
        server.terminate()
        server.wait(60)
    rate = s.received / ph.seconds
    log(
        f"    pulled {s.received:,} entries in {s.pages} pages: created {s.created:,}, updated {s.updated:,}, "
        f"unchanged {s.unchanged:,}, rejected {s.rejected:,}, pending {s.pending:,}; {rate:,.0f} records/s"
    )
    # Baseline: the rows the pull stored, copied again into the same tables (same indexes,
    # same constraints), in a transaction rolled back at the end.
    tables = [
        ("registry_enterprise", "source = %s"),
        ("collection_licence", "source = %s"),
        ("collection_inspection", "source = %s"),
        ("collection_penalty", "source = %s"),
    ]
    dumps = []
    with connection.cursor() as cur:
        for table, where in tables:
            cur.execute(
                "SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) "
                "FROM information_schema.columns WHERE table_name = %s",
                [table],
            )
            cols = cur.fetchone()[0]
            buf = bytearray()
            sql = cur.mogrify(f"COPY (SELECT {cols} FROM {table} WHERE {where}) TO STDOUT", [PEER])
            with cur.cursor.copy(sql) as cp:
                for block in cp:
                    buf += block
            dumps.append((table, cols, bytes(buf)))
    rows = sum(d[2].count(b"\n") for d in dumps)
    from django.db import transaction

    try:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("SET CONSTRAINTS ALL DEFERRED")
            for table, where in reversed(tables):
                if table != "registry_enterprise":
                    cur.execute(f"DELETE FROM {table} WHERE {where}", [PEER])
            cur.execute(
                "DELETE FROM registry_keyareatag WHERE enterprise_id IN "
                "(SELECT id FROM registry_enterprise WHERE source = %s)",
                [PEER],
            )
            cur.execute("DELETE FROM registry_enterprise WHERE source = %s", [PEER])
            t = time.perf_counter()
            for table, cols, data in dumps:
                with cur.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as cp:
                    cp.write(data)
            copy_s = time.perf_counter() - t
            raise _Rollback
    except _Rollback:
        pass
    log(
        f"    bare COPY of the same {rows:,} rows into the same tables: {copy_s:.2f} s ({rows / copy_s:,.0f} rows/s)"
    )
    figures["pull (records/s)"] = (
        f"{rate:,.0f}/s = {ph.seconds / copy_s:.1f}× the bare COPY's time ({rows / copy_s:,.0f} rows/s); "
        f"sample {s.received:,}, {load()}"
    )


class _Rollback(Exception):
    pass


def _forget_peer() -> None:
    """A re-run pulls the sample again from cursor 0 into a hub without its earlier copy."""
    from django.db import connection

    with connection.cursor() as cur:
        mine = "SELECT id FROM registry_enterprise WHERE source = %s"
        lics = "SELECT id FROM collection_licence WHERE source = %s"
        for table in ("registry_keyareataghistory", "registry_keyareatag"):
            cur.execute(
                f"DELETE FROM {table} WHERE licence_id IN ({lics}) OR enterprise_id IN ({mine})", [PEER, PEER]
            )
        for table in ("collection_penalty", "collection_inspection", "collection_licence"):
            cur.execute(f"DELETE FROM {table} WHERE source = %s", [PEER])
        cur.execute(
            "DELETE FROM registry_keyareatag WHERE enterprise_id IN (SELECT id FROM registry_enterprise WHERE source = %s)",
            [PEER],
        )
        cur.execute(
            "DELETE FROM disclosure_searchgram WHERE enterprise_id IN (SELECT id FROM registry_enterprise WHERE source = %s)",
            [PEER],
        )
        cur.execute(
            "DELETE FROM disclosure_searchname WHERE enterprise_id IN (SELECT id FROM registry_enterprise WHERE source = %s)",
            [PEER],
        )
        cur.execute("DELETE FROM registry_enterprise WHERE source = %s", [PEER])
        cur.execute("DELETE FROM collection_peer WHERE name = %s", [PEER])


def _sample_enterprises(rnd: random.Random, k: int) -> list[tuple[str, str]]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT MAX(id) FROM registry_enterprise WHERE source = 'bench'")
        top = int(cur.fetchone()[0])
        ids = [rnd.randint(1, top) for _ in range(k)]
        cur.execute("SELECT name, uscc FROM registry_enterprise WHERE id = ANY(%s)", [ids])
        return list(cur.fetchall())


def measure_search(figures: dict[str, str]) -> None:
    from django.db import connection

    from xinjian.disclosure import search

    log("\n--- public search (search.search: count + first page + tags), warm cache")
    rnd = random.Random(7)
    sample = _sample_enterprises(rnd, SAMPLES)
    names = [n for n, _ in sample]
    usccs = [u for _, u in sample]

    def probe(u: str) -> None:
        with connection.cursor() as cur:
            cur.execute("SELECT id FROM registry_enterprise WHERE uscc = %s", [u])
            cur.fetchall()

    timed(probe, usccs[:50])
    base = p95(timed(probe, usccs))
    log(f"    baseline: bare unique-index probe p95 {base:.2f} ms")
    for length in (2, 3, 4):
        frags = []
        while len(frags) < SAMPLES:
            name = search.normalize(rnd.choice(names))
            s = rnd.randrange(0, max(1, len(name) - length + 1))
            if len(name[s : s + length]) == length:
                frags.append(name[s : s + length])
        timed(search.search, frags)  # warm: the figure is the warm-cache one
        lat = timed(search.search, frags)
        hits = sum(1 for f in frags[:50] if search.search(f))
        v = p95(lat)
        verdict = "OK" if v <= 50 else "MISS"
        log(
            f"    {length}-character fragments: p50 {statistics.median(lat):.2f} ms, p95 {v:.2f} ms, max "
            f"{max(lat):.1f} ms = {v / base:.0f}× baseline [target ≤ 50 ms: {verdict}] ({hits}/50 with results)"
        )
        figures[f"search p95, {length} characters"] = (
            f"{v:.1f} ms = {v / base:.0f}× index probe [≤ 50 ms {verdict}], {load()}"
        )


def measure_profile(figures: dict[str, str]) -> None:
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client

    log("\n--- public profile page (cache cleared before each request), random enterprises")
    rnd = random.Random(13)
    usccs = [u for _, u in _sample_enterprises(rnd, SAMPLES)][: SAMPLES // 2]
    with connection.cursor() as cur:
        cur.execute("SELECT MAX(id) FROM collection_penalty WHERE source = 'bench'")
        top = int(cur.fetchone()[0])
        cur.execute(
            "SELECT uscc FROM collection_penalty WHERE source = 'bench' AND id = ANY(%s)",
            [[rnd.randint(1, top) for _ in range(SAMPLES)]],
        )
        usccs += [r[0] for r in cur.fetchall()][: SAMPLES // 2]
    client = Client()
    cache = caches["default"]

    def page(uscc: str) -> None:
        cache.clear()
        r = client.get(f"/public/enterprises/{uscc}/")
        assert r.status_code == 200, r.status_code

    def probe(u: str) -> None:
        with connection.cursor() as cur:
            cur.execute("SELECT id FROM registry_enterprise WHERE uscc = %s", [u])
            cur.fetchall()

    timed(page, usccs[:20])
    base = p95(timed(probe, usccs))
    lat = timed(page, usccs)
    v = p95(lat)
    verdict = "OK" if v <= 50 else "MISS"
    log(
        f"    {len(usccs)} profiles: p50 {statistics.median(lat):.2f} ms, p95 {v:.2f} ms = {v / base:.0f}× the "
        f"bare probe ({base:.2f} ms) [target ≤ 50 ms: {verdict}]"
    )
    figures["profile page p95"] = f"{v:.1f} ms = {v / base:.0f}× index probe [≤ 50 ms {verdict}], {load()}"


def measure_rescore(figures: dict[str, str]) -> None:
    from django.conf import settings

    from xinjian.core.actors import Actor
    from xinjian.core.workdays import today
    from xinjian.risk import actions
    from xinjian.risk.models import RiskModel
    from xinjian.risk.scoring import spec_indicators

    log("\n--- full rescore of the general model")
    actor = Actor("bench")
    model = RiskModel.objects.get(code="general")
    version = model.active_version() or actions.create_expert_version(model, actor=actor, activate=True)
    as_of = today()
    inds = spec_indicators(version)

    def bare() -> float:
        return bare_aggregation_seconds(inds, as_of)

    t_bare = bare()
    with Phase("rescore (score_all, first run)") as first:
        run = actions.score_all(actor=actor, as_of=as_of, models=["general"])[0]
    with Phase("rescore (score_all, replace)") as again:
        actions.score_all(actor=actor, as_of=as_of, models=["general"])
    t_bare = min(t_bare, bare())
    took = max(first.seconds, again.seconds)
    log(
        f"    {len(inds)} indicators ({version.label}), {settings.XINJIAN_SCORING_SLICES} slices: assessed "
        f"{run.assessed:,} {run.counts}; bare aggregation {t_bare:.1f} s; first {first.seconds:.1f} s, "
        f"replace {again.seconds:.1f} s = {took / t_bare:.2f}× bare"
    )
    figures["full rescore (general model)"] = (
        f"{took:.0f} s for {run.assessed:,} = {took / t_bare:.2f}× the bare aggregation ({t_bare:.0f} s), {load()}"
    )


if __name__ == "__main__":
    sys.exit(province_main() if ROLE == "province" else hub_main())
