"""The synthetic province (ADR 0010).

One latent number per enterprise — its propensity to break the rules — drives everything
that regulators later observe about it: penalties, inspection findings, failed samples,
complaints, late or missing annual reports, licence trouble. Other observable facts
(young age, small capital, a legal representative or address shared with other risky
enterprises) correlate with it, with noise. The propensity is kept only in
`demo.HiddenTruth`, which scoring never reads: models learn from the observable tables
and are measured against the truth.

Generation is vectorised with numpy, chunk by chunk of enterprises; each chunk draws from
its own RNG stream (`SeedSequence(seed).spawn`), so the same seed and size always give the
same province, and rows go in through `bulk.insert_columns` (COPY on PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from xinjian.collection.models import (
    AnnualReport,
    Complaint,
    Inspection,
    Licence,
    Penalty,
)
from xinjian.core import audit
from xinjian.core.workdays import today as cn_today
from xinjian.registry.models import Enterprise

from . import bulk
from . import vocabulary as V
from .codes import build_usccs, registration_check
from .history import generate_annual_reports, generate_complaints, generate_inspections, generate_penalties
from .licences import change_statuses, generate_licences, tag_new_enterprises
from .models import HiddenTruth
from .places import short_name
from .world import (
    CHUNK,
    DEMO_ACTOR,
    L_ADD,
    L_FILL,
    L_FOOD,
    L_GEN,
    L_JY,
    L_SE,
    L_XK,
    LINE_CODES,
    LINE_P,
    LINES,
    SOURCE,
    Chunk,
    Region,
    Stats,
    World,
    day,
    pick,
    sigmoid,
    uniform_dates,
)

# How many enterprises the county of the demo logins (places.Places.county) is sure to get.
ANCHORED = 5


def generate_enterprises(c: Chunk) -> None:
    w, rng, n = c.w, c.rng, c.n
    today = day(w.today)
    # The latent propensity: most enterprises behave, a minority are persistent offenders.
    bad = rng.random(n) < 0.15
    z = rng.normal(0.0, 1.0, n)
    latent = -3.0 + 1.0 * z + 3.2 * bad
    c.p = sigmoid(latent)
    c.latent = latent
    # Where and what.
    c.region_idx = rng.choice(len(w.region.codes), size=n, p=w.region.weights)
    # The demo logins work in one county (南山区 in Guangdong): its first enterprises are
    # put there, so even a tiny province has some for the county officer and the enterprise user.
    anchored = np.flatnonzero(c.index - w.base_index < ANCHORED)
    anchor = np.flatnonzero(w.region.codes == w.region.anchor)
    if len(anchor):
        c.region_idx[anchored] = anchor[0]
    c.region_codes = w.region.codes[c.region_idx]
    c.line = rng.choice(len(LINES), size=n, p=LINE_P / LINE_P.sum())
    # Age: risky enterprises tend to be young (log-normal years, shifted by the latent).
    age_years = np.exp(rng.normal(1.9 - 0.3 * (latent + 2.0), 0.7, n))
    age_days = np.clip((age_years * 365.25).astype(np.int64), 60, 40 * 365)
    c.established = today - age_days.astype("timedelta64[D]")
    # Registered capital (万元): smaller for risky ones; most founders pick round amounts.
    capital = np.exp(rng.normal(np.log(150) - 0.6 * (latent + 2.0), 1.1, n))
    nice = np.array([1, 3, 5, 10, 20, 30, 50, 100, 200, 300, 500, 800, 1000, 2000, 5000, 10000])
    rounded = nice[np.clip(np.searchsorted(nice, capital), 0, len(nice) - 1)]
    c.capital = np.where(rng.random(n) < 0.75, rounded, np.round(capital, 2)).astype(float)
    # Registration status; revoked (吊销) rises with the propensity; an end day for those gone.
    u = rng.random(n)
    revoked = u < 0.005 + 0.06 * c.p
    cancelled = (~revoked) & (u < 0.04 + 0.06 * c.p)
    c.status = np.where(revoked, "revoked", np.where(cancelled, "cancelled", "operating"))
    hist0 = day(w.history_start)
    lo = np.maximum(c.established, hist0)
    c.end = np.where(c.status == "operating", today, uniform_dates(rng, lo, np.full(n, today)))
    c.active_from = lo
    c.key_area = np.isin(c.line, [L_FOOD, L_ADD, L_SE, L_FILL])
    _names(c)
    _identifiers(c)
    _people_and_places(c)


def _names(c: Chunk) -> None:
    rng, n = c.rng, c.n
    tc = np.asarray(V.TRADE_CHARS, dtype=object)
    k = len(tc)
    three = rng.random(n) < 0.18
    # Popular characters (鑫, 华, 盛…) come first in the list and are drawn more often, as in
    # real registers: searching a common pair finds a handful, a rare one almost nothing.
    weight = 1.0 / np.arange(1, k + 1) ** 0.8
    weight /= weight.sum()
    trade = tc[rng.choice(k, size=n, p=weight)] + tc[rng.choice(k, size=n, p=weight)]
    trade = np.where(three, trade + tc[rng.choice(k, size=n, p=weight)], trade)
    industry = np.empty(n, dtype=object)
    for li, code in enumerate(LINE_CODES):
        mask = c.line == li
        industry[mask] = pick(rng, V.INDUSTRY_WORDS[code], int(mask.sum()))
    forms = np.asarray([f for f, _ in V.LEGAL_FORMS], dtype=object)
    form_p = np.array([p for _, p in V.LEGAL_FORMS])
    form = forms[rng.choice(len(forms), size=n, p=form_p / form_p.sum())]
    # Most names start with the city (深圳市…); some with the county, a few with the province.
    where = rng.random(n)
    region = c.w.region
    city = np.asarray(region.city_names, dtype=object)[c.region_idx]
    county_names = np.asarray(
        [
            f[len(region.province_name) + len(cn) :] if f.startswith(region.province_name) else f
            for f, cn in zip(region.full_names, region.city_names, strict=True)
        ],
        dtype=object,
    )
    county = county_names[c.region_idx]
    prefix = np.where(
        where < 0.8,
        city,
        np.where(where < 0.93, np.where(county == "", city, city + county), short_name(region.province_name)),
    )
    c.names = (prefix + trade + industry + form).tolist()
    c.entity_type = [V.ENTITY_TYPES[f] for f in form.tolist()]
    c.trade = trade


def _identifiers(c: Chunk) -> None:
    rng, n = c.rng, c.n
    # Codes issued since the 2015 reform have MA bodies; older enterprises were converted.
    reform = day(dt.date(2015, 10, 1))
    modern = c.established >= reform
    c.uscc = build_usccs(c.region_codes, c.index, modern)
    # Some older enterprises still appear under their 15-digit registration number.
    has_regno = (~modern) & (rng.random(n) < 0.6)
    regno: list[str | None] = [None] * n
    for i in np.flatnonzero(has_regno).tolist():
        digits = f"{c.region_codes[i]}0{int(c.index[i]) % 10_000_000:07d}"
        regno[i] = digits + registration_check(digits)
    c.regno = regno


def _people_and_places(c: Chunk) -> None:
    rng, n = c.rng, c.n
    surnames = np.asarray(V.SURNAMES, dtype=object)
    zipf = 1.0 / np.arange(1, len(surnames) + 1) ** 0.9
    given = np.asarray(V.GIVEN_CHARS, dtype=object)
    g = len(given)
    names = surnames[rng.choice(len(surnames), size=n, p=zipf / zipf.sum())] + given[rng.integers(0, g, n)]
    names = np.where(rng.random(n) < 0.7, names + given[rng.integers(0, g, n)], names)
    region = c.w.region
    full = np.asarray(region.full_names, dtype=object)[c.region_idx]
    road = pick(rng, V.ROAD_WORDS, n) + pick(rng, V.ROAD_SUFFIXES, n)
    number = rng.integers(1, 999, n).astype(str).astype(object)
    building = pick(rng, V.BUILDINGS, n)
    floor = np.where(building == "", "", rng.integers(1, 30, n).astype(str).astype(object) + "楼")
    address = full + road + number + "号" + building + floor
    # Related parties: a share of enterprises have the legal representative (and often the
    # address) of another enterprise of similar propensity — the risky ones cluster.
    related = rng.random(n) < 0.03 + 0.22 * c.p
    order = np.argsort(c.latent, kind="stable")
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    partner_rank = np.clip(rank + rng.integers(-20, 21, n), 0, n - 1)
    partner = order[partner_rank]
    related &= partner != np.arange(n)
    names = np.where(related, names[partner], names)
    same_address = related & (rng.random(n) < 0.5)
    address = np.where(same_address, address[partner], address)
    c.legal_rep = names.tolist()
    c.address = address.tolist()
    scope_by_line = {
        L_FOOD: "食品生产；食品销售；货物进出口",
        L_ADD: "食品添加剂生产；食品添加剂销售",
        L_SE: "特种设备设计；特种设备制造；特种设备安装改造修理",
        L_FILL: "移动式压力容器/气瓶充装；危险化学品经营",
        L_JY: "食品经营；餐饮服务；日用百货销售",
        L_XK: "工业产品生产；销售自产产品",
        L_GEN: "一般项目：技术服务、技术开发；销售代理；货物进出口",
    }
    c.scope = [scope_by_line[int(x)] for x in c.line.tolist()]


def write_enterprises(c: Chunk) -> None:
    now = bulk.utc_now_text(c.w.now)
    bulk.insert_columns(
        Enterprise,
        {
            "id": c.ids,
            "created_at": now,
            "created_by": SOURCE,
            "modified_at": now,
            "modified_by": SOURCE,
            "uscc": c.uscc,
            "name": c.names,
            "legal_representative": c.legal_rep,
            "established_on": c.established,
            "region_code": c.region_codes.tolist(),
            "entity_type": c.entity_type,
            "registered_capital": c.capital,
            "address": c.address,
            "business_scope": c.scope,
            "status": c.status.tolist(),
            "registration_no": c.regno,
            "source": SOURCE,
        },
        c.n,
    )
    bulk.insert_columns(
        HiddenTruth, {"enterprise_id": c.ids, "propensity": np.round(c.p, 6), "seed": c.w.seed}, c.n
    )
    c.w.stats.add("enterprises", c.n)


def generate(
    n: int,
    seed: int,
    *,
    on: dt.date | None = None,
    chunk: int = CHUNK,
    progress: Callable[[str], None] | None = None,
    province: str | None = None,
) -> Stats:
    """Generate `n` enterprises with five years of history. Deterministic in (n, seed, on,
    chunk size) on an empty register."""
    world = World(n=n, seed=seed, today=on or cn_today(), region=Region.load(province), now=timezone.now())
    # Source ids continue after an earlier demo run's, so (source, source_id) stays unique.
    world.counters["source_id"] = {
        kind: model.objects.filter(source=SOURCE).count()
        for kind, model in (("LIC", Licence), ("INS", Inspection), ("PEN", Penalty), ("CMP", Complaint))
    }
    base_index = world.base_index = Enterprise.objects.count()
    if connection.vendor == "sqlite":
        # A large page cache for this connection: at a million enterprises the record
        # indexes outgrow SQLite's default 2 MB cache and every insert would go to the OS.
        with connection.cursor() as cur:
            cur.execute("PRAGMA cache_size = -262144")
    streams = np.random.SeedSequence(seed).spawn((n + chunk - 1) // chunk)
    for k, start in enumerate(range(0, n, chunk)):
        size = min(chunk, n - start)
        t0 = time.monotonic()
        with transaction.atomic():
            rng = np.random.default_rng(streams[k])
            ids = bulk.next_ids(Enterprise, size)
            c = Chunk(
                world, rng, ids, np.arange(base_index + start, base_index + start + size, dtype=np.int64)
            )
            generate_enterprises(c)
            write_enterprises(c)
            world.stats.timed("enterprises", t0)
            t1 = time.monotonic()
            lic = generate_licences(c)
            world.stats.timed("licences", t1)
            t1 = time.monotonic()
            follow = generate_inspections(c)
            generate_penalties(c, follow, lic["revocations"])
            generate_complaints(c)
            generate_annual_reports(c)
            world.stats.timed("history", t1)
            t1 = time.monotonic()
            world.stats.add("tag_changes", tag_new_enterprises(c, lic["licences"]))
            world.stats.add("tag_changes", change_statuses(lic["revoke"], lic["cancel"], world))
            world.stats.timed("tagging", t1)
        if progress:
            progress(f"{start + size}/{n} 家企业，用时 {time.monotonic() - t0:.1f} 秒")
    with transaction.atomic():
        bulk.reset_sequences([Enterprise, Licence, Penalty, Inspection, Complaint, AnnualReport])

        audit.record(
            "demo.generated",
            actor=DEMO_ACTOR,
            object_type="demo",
            object_id=str(seed),
            after={"enterprises": n, "seed": seed, "on": world.today.isoformat(), **world.stats.counts},
            reason="生成演示省份数据",
        )
    # The list procedures of issue 12 (hearing, decision document, a lapsed escalation, an
    # individual business's abnormal-state mark), through the real actions.
    from .lists_legal import demo_list_procedures

    for name, count in demo_list_procedures(world.today).items():
        world.stats.add(name, count)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            for model in (Enterprise, Licence, Penalty, Inspection, Complaint, AnnualReport, HiddenTruth):
                cur.execute(f"ANALYZE {model._meta.db_table}")
    return world.stats
