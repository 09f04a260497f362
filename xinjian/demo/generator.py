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
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from xinjian.collection.models import (
    AnnualReport,
    Complaint,
    Inspection,
    InspectionKind,
    InspectionResult,
    Licence,
    LicenceStatus,
    LicenceType,
    Penalty,
)
from xinjian.core.actors import Actor
from xinjian.core.models import AuditEntry
from xinjian.core.workdays import today as cn_today
from xinjian.registry.models import Department, Division, Enterprise

from . import bulk
from . import vocabulary as V
from .models import HiddenTruth

SOURCE = "demo"
DEMO_ACTOR = Actor("system:demo")
HISTORY_YEARS = 5
CHUNK = 50_000

# Lines of business: (code, share of enterprises). The line decides licences and names.
LINES = (
    ("food", 0.10),
    ("food_additive", 0.015),
    ("special_equipment", 0.035),
    ("filling", 0.015),
    ("food_business", 0.08),
    ("industrial", 0.03),
    ("general", 0.725),
)
LINE_CODES = tuple(code for code, _ in LINES)
LINE_P = np.array([p for _, p in LINES])
KEY_AREA_LINES = ("food", "food_additive", "special_equipment", "filling")
L_FOOD, L_ADD, L_SE, L_FILL, L_JY, L_XK, L_GEN = range(7)

# How enterprises spread over the cities (shares of the province's register, roughly).
CITY_WEIGHTS = {
    "4401": 0.2,
    "4403": 0.22,
    "4419": 0.1,
    "4406": 0.09,
    "4420": 0.04,
    "4413": 0.04,
    "4404": 0.03,
}
OTHER_CITY_WEIGHT = 0.28

# USCC alphabet (GB 32100): the mod-31 check uses each character's index in it.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = np.array([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28])
ORG_WEIGHTS = np.array([3, 7, 9, 10, 5, 8, 4, 2])


@dataclass
class Region:
    """The divisions enterprises register in: every county, plus the cities without
    counties (东莞 441900, 中山 442000)."""

    codes: np.ndarray
    weights: np.ndarray
    dept_names: list[str]  # deciding department of each region (the county's, or the city's)
    city_dept_names: list[str]
    full_names: list[str]  # 广东省深圳市南山区
    city_names: list[str]  # 深圳市
    short_prefix: list[str]  # decision-number prefix, e.g. 深南
    city_prefix: list[str]  # 深

    @classmethod
    def load(cls) -> Region:
        divisions = {d.code: d for d in Division.objects.all()}
        depts = {d.division_id: d.name for d in Department.objects.all()}
        if not divisions:
            raise RuntimeError("no divisions: run migrate first (registry ships the province's divisions)")
        province = next(d for d in divisions.values() if d.level == "province")
        cities = {c: d for c, d in divisions.items() if d.level == "city"}
        has_children = {d.parent_id for d in divisions.values() if d.level == "county"}
        places = [c for c, d in sorted(divisions.items()) if d.level == "county"]
        places += [c for c in sorted(cities) if c not in has_children]
        places.sort()
        weights = []
        for code in places:
            siblings = sum(1 for p in places if p[:4] == code[:4])
            weights.append(
                CITY_WEIGHTS.get(code[:4], OTHER_CITY_WEIGHT / max(1, len(cities) - len(CITY_WEIGHTS)))
                / siblings
            )
        w = np.array(weights)
        full, city_names, short, cprefix, dnames, cdnames = [], [], [], [], [], []
        for code in places:
            div = divisions[code]
            city = cities.get(code[:4] + "00", div)
            full.append(province.name + (city.name if city.code != code else "") + div.name)
            city_names.append(city.name)
            cprefix.append(city.name[0])
            short.append(city.name[0] + (div.name[0] if city.code != code else ""))
            dnames.append(depts.get(code, f"{div.name}市场监督管理局"))
            cdnames.append(depts.get(city.code, f"{city.name}市场监督管理局"))
        return cls(np.array(places), w / w.sum(), dnames, cdnames, full, city_names, short, cprefix)


@dataclass
class Stats:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, name: str, n: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + n

    def timed(self, name: str, started: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + time.monotonic() - started


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _days(d: dt.date) -> np.datetime64:
    return np.datetime64(d, "D")


def _uniform_dates(rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """A day drawn uniformly in [lo, hi] (datetime64[D] arrays)."""
    span = (hi - lo).astype(np.int64)
    return lo + (rng.random(len(lo)) * (span + 1)).astype(np.int64).astype("timedelta64[D]")


def _busdays_after(rng: np.random.Generator, start: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """Publication a few working days after `start`. Monday–Friday counting never exceeds
    the official count by more than the shifted weekend days, and `hi` stays well under
    the 20-working-day limits of Order 45 and the inspection rules."""
    k = rng.integers(lo, hi + 1, len(start))
    return np.busday_offset(start, k, roll="forward")


def _pick(rng: np.random.Generator, options: tuple[Any, ...] | list[Any], n: int) -> np.ndarray:
    return np.asarray(options, dtype=object)[rng.integers(0, len(options), n)]


def group_sequence(keys: np.ndarray, dates: np.ndarray, counters: dict[Any, int]) -> np.ndarray:
    """1-based running number per key in date order, continuing across chunks through
    `counters` (document numbers per department and year, licence sequence per county)."""
    n = len(keys)
    out = np.zeros(n, dtype=np.int64)
    if n == 0:
        return out
    uniq, inverse = np.unique(np.asarray(keys).astype(str), return_inverse=True)
    order = np.lexsort((dates, inverse))
    _, first, counts = np.unique(inverse[order], return_index=True, return_counts=True)
    rank = np.arange(n) - np.repeat(first, counts)
    base = np.array([counters.get(k, 0) for k in uniq.tolist()], dtype=np.int64)
    out[order] = np.repeat(base, counts) + rank + 1
    for k, b, c in zip(uniq.tolist(), base.tolist(), counts.tolist(), strict=True):
        counters[k] = b + c
    return out


def _org_check(body_vals: np.ndarray) -> np.ndarray:
    """GB 11714 check character values (vectorised `identifiers.organisation_code_check`)."""
    check = 11 - (body_vals * ORG_WEIGHTS).sum(axis=1) % 11
    return check  # 10 → 'X', 11 → '0', else the digit


def build_usccs(region_codes: np.ndarray, index: np.ndarray, modern: np.ndarray) -> list[str]:
    """Valid USCCs (vectorised `identifiers.build_uscc`): `9` `1` + division + an
    organisation code derived bijectively from the enterprise's index (so codes never
    collide) + both check characters. Modern codes have `MA…` bodies (issued since
    2015), older ones the 8-digit organisation code they were converted from."""
    n = len(index)
    body = np.zeros((n, 8), dtype=np.int64)  # values in base 36 (GB 11714) for letters
    # Modern: MA + 6 chars of the USCC alphabet, from a multiplicative permutation of the index.
    m = (index * 387_420_489 + 12_345) % (31**6)
    alphabet_vals = np.array([int(c, 36) for c in USCC_ALPHABET])
    digits6 = np.zeros((n, 6), dtype=np.int64)
    x = m.copy()
    for j in range(5, -1, -1):
        digits6[:, j] = x % 31
        x //= 31
    modern_body = np.concatenate(
        [np.full((n, 1), int("M", 36)), np.full((n, 1), int("A", 36)), alphabet_vals[digits6]], axis=1
    )
    old = (index * 7_919_317 + 10_000_019) % (10**8)
    old_body = np.zeros((n, 8), dtype=np.int64)
    x = old.copy()
    for j in range(7, -1, -1):
        old_body[:, j] = x % 10
        x //= 10
    body = np.where(modern[:, None], modern_body, old_body)
    check = _org_check(body)
    check_val = np.where(check == 11, 0, np.where(check == 10, int("X", 36), check))
    chars36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    region_digits = np.array([[int(c) for c in code] for code in region_codes.tolist()], dtype=np.int64)
    # Outer check over the first 17 characters, by their index in the USCC alphabet.
    to_uscc_index = {int(c, 36): i for i, c in enumerate(USCC_ALPHABET)}
    lookup = np.full(36, -1, dtype=np.int64)
    for v, i in to_uscc_index.items():
        lookup[v] = i
    first17 = np.concatenate(
        [np.full((n, 1), 9), np.full((n, 1), 1), region_digits, body, check_val[:, None]], axis=1
    )
    idx17 = lookup[first17]
    outer = (31 - (idx17 * USCC_WEIGHTS).sum(axis=1) % 31) % 31
    out = []
    for row, o in zip(first17.tolist(), outer.tolist(), strict=True):
        out.append("".join(chars36[v] for v in row) + USCC_ALPHABET[o])
    return out


def _registration_check(digits14: str) -> str:
    """ISO 7064 MOD 11,10 check digit of the old 15-digit registration number."""
    p = 10
    for c in digits14:
        s = (p + int(c)) % 10 or 10
        p = (2 * s) % 11
    return str((11 - p) % 10)


@dataclass
class World:
    """Settings of one generation run."""

    n: int
    seed: int
    today: dt.date
    region: Region
    now: Any
    counters: dict[str, dict[Any, int]] = field(default_factory=dict)
    stats: Stats = field(default_factory=Stats)

    @property
    def history_start(self) -> dt.date:
        return self.today.replace(year=self.today.year - HISTORY_YEARS)


class Chunk:
    """The enterprises of one chunk as columns, and everything generated for them."""

    def __init__(self, world: World, rng: np.random.Generator, ids: np.ndarray, index: np.ndarray):
        self.w, self.rng, self.ids, self.index = world, rng, ids, index
        self.n = len(ids)


def generate_enterprises(c: Chunk) -> None:
    w, rng, n = c.w, c.rng, c.n
    today = _days(w.today)
    # The latent propensity: most enterprises behave, a minority are persistent offenders.
    bad = rng.random(n) < 0.10
    z = rng.normal(0.0, 1.0, n)
    latent = -3.0 + 1.0 * z + 3.2 * bad
    c.p = sigmoid(latent)
    c.latent = latent
    # Where and what.
    c.region_idx = rng.choice(len(w.region.codes), size=n, p=w.region.weights)
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
    hist0 = _days(w.history_start)
    lo = np.maximum(c.established, hist0)
    c.end = np.where(c.status == "operating", today, _uniform_dates(rng, lo, np.full(n, today)))
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
    trade = tc[rng.integers(0, k, n)] + tc[rng.integers(0, k, n)]
    trade = np.where(three, trade + tc[rng.integers(0, k, n)], trade)
    industry = np.empty(n, dtype=object)
    for li, code in enumerate(LINE_CODES):
        mask = c.line == li
        industry[mask] = _pick(rng, V.INDUSTRY_WORDS[code], int(mask.sum()))
    forms = np.asarray([f for f, _ in V.LEGAL_FORMS], dtype=object)
    form_p = np.array([p for _, p in V.LEGAL_FORMS])
    form = forms[rng.choice(len(forms), size=n, p=form_p / form_p.sum())]
    # Most names start with the city (深圳市…); some with the county, a few with the province.
    where = rng.random(n)
    region = c.w.region
    city = np.asarray(region.city_names, dtype=object)[c.region_idx]
    county_names = np.asarray(
        [
            f[len("广东省") + len(cn) :] if f.startswith("广东省") else f
            for f, cn in zip(region.full_names, region.city_names, strict=True)
        ],
        dtype=object,
    )
    county = county_names[c.region_idx]
    prefix = np.where(
        where < 0.8, city, np.where(where < 0.93, np.where(county == "", city, city + county), "广东")
    )
    c.names = (prefix + trade + industry + form).tolist()
    c.entity_type = [V.ENTITY_TYPES[f] for f in form.tolist()]
    c.trade = trade


def _identifiers(c: Chunk) -> None:
    rng, n = c.rng, c.n
    # Codes issued since the 2015 reform have MA bodies; older enterprises were converted.
    reform = _days(dt.date(2015, 10, 1))
    modern = c.established >= reform
    c.uscc = build_usccs(c.region_codes, c.index, modern)
    # Some older enterprises still appear under their 15-digit registration number.
    has_regno = (~modern) & (rng.random(n) < 0.6)
    regno: list[str | None] = [None] * n
    for i in np.flatnonzero(has_regno).tolist():
        digits = f"{c.region_codes[i]}0{int(c.index[i]) % 10_000_000:07d}"
        regno[i] = digits + _registration_check(digits)
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
    road = _pick(rng, V.ROAD_WORDS, n) + _pick(rng, V.ROAD_SUFFIXES, n)
    number = rng.integers(1, 999, n).astype(str).astype(object)
    building = _pick(rng, V.BUILDINGS, n)
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


def _record_columns(c: Chunk, owner: np.ndarray, kind: str, dates: np.ndarray, name: str) -> dict[str, Any]:
    """Columns every collected record carries: enterprise, USCC, source and a unique
    source id, received the day after it happened."""
    w = c.w
    counter = w.counters.setdefault("source_id", {})
    start = counter.get(kind, 0)
    counter[kind] = start + len(owner)
    now = bulk.utc_now_text(w.now)
    uscc = np.asarray(c.uscc, dtype=object)[owner]
    return {
        "created_at": now,
        "created_by": SOURCE,
        "modified_at": now,
        "modified_by": SOURCE,
        "enterprise_id": c.ids[owner],
        "uscc": uscc.tolist(),
        "source": SOURCE,
        "source_id": [f"{kind}-{i:08d}" for i in range(start + 1, start + len(owner) + 1)],
        "received_at": bulk.utc_timestamp(np.minimum(dates + np.timedelta64(1, "D"), _days(w.today))),
    }


def _events_in_window(
    c: Chunk, rate_per_year: np.ndarray, lo: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Poisson events over each enterprise's active window; returns (owner index, day)."""
    lo = c.active_from if lo is None else lo
    years = np.maximum((c.end - lo).astype(np.int64), 0) / 365.25
    counts = c.rng.poisson(rate_per_year * years)
    owner = np.repeat(np.arange(c.n), counts)
    days = _uniform_dates(c.rng, lo[owner], c.end[owner])
    return owner, days


def generate_inspections(c: Chunk) -> dict[str, np.ndarray]:
    """Inspections reach every kind of enterprise (double random covers all), key-area
    ones more often; whether a problem is found depends on the propensity only, the same
    every year — so past records predict later findings."""
    rng, p = c.rng, c.p
    rate = (
        np.select([c.key_area, np.isin(c.line, [L_JY, L_XK])], [0.55, 0.3], 0.12) + 0.15 * p
    )  # complaints and tips bring some extra visits to risky ones
    owner, days = _events_in_window(c, rate)
    m = len(owner)
    po = p[owner]
    key_owner = c.key_area[owner]
    u = rng.random(m)
    kind = np.where(
        key_owner,
        np.where(
            u < 0.35, InspectionKind.RANDOM, np.where(u < 0.8, InspectionKind.ROUTINE, InspectionKind.KEY)
        ),
        np.where(u < 0.9, InspectionKind.RANDOM, InspectionKind.KEY),
    ).astype(object)
    problem = rng.random(m) < 0.003 + 0.95 * po**1.4
    problem_kinds = np.array(
        [
            InspectionResult.CORRECTED,
            InspectionResult.FOLLOW_UP,
            InspectionResult.UNPUBLISHED_INFO,
            InspectionResult.FALSE_INFO,
            InspectionResult.UNREACHABLE,
            InspectionResult.REFUSED,
        ],
        dtype=object,
    )
    problem_p = np.array([0.5, 0.2, 0.1, 0.05, 0.12, 0.03])
    ok_kinds = np.array([InspectionResult.NO_PROBLEM, InspectionResult.NO_ACTIVITY], dtype=object)
    result = np.where(
        problem,
        problem_kinds[rng.choice(6, size=m, p=problem_p)],
        ok_kinds[(rng.random(m) < 0.04).astype(int)],
    )
    # An enterprise gone from the register is found closed at its last visits.
    gone = c.status[owner] != "operating"
    closing = gone & ((c.end[owner] - days).astype(np.int64) < 60)
    result = np.where(closing, InspectionResult.CLOSED, result)
    # Sampling tests (监督抽检) of food, additive and industrial products.
    srate = np.select(
        [np.isin(c.line, [L_FOOD, L_ADD]), c.line == L_XK, c.line == L_JY], [0.9, 0.35, 0.2], 0.0
    )
    s_owner, s_days = _events_in_window(c, srate)
    s_bad = rng.random(len(s_owner)) < 0.01 + 0.5 * p[s_owner] ** 1.5
    s_result = np.where(s_bad, InspectionResult.SAMPLE_UNQUALIFIED, InspectionResult.SAMPLE_QUALIFIED).astype(
        object
    )
    owner = np.concatenate([owner, s_owner])
    days = np.concatenate([days, s_days])
    kind = np.concatenate([kind, np.full(len(s_owner), InspectionKind.SAMPLING_TEST, dtype=object)])
    result = np.concatenate([result, s_result])
    m = len(owner)
    line_codes = np.asarray(LINE_CODES, dtype=object)[c.line[owner]]
    items = np.empty(m, dtype=object)
    for code in LINE_CODES:
        mask = line_codes == code
        items[mask] = _pick(rng, [i.split(" ")[0] for i in V.INSPECTION_ITEMS[code]], int(mask.sum()))
    is_problem = np.isin(result, list(problem_kinds) + [InspectionResult.SAMPLE_UNQUALIFIED])
    findings = np.where(is_problem, _pick(rng, V.FINDINGS, m), "")
    findings = np.where(result == InspectionResult.SAMPLE_UNQUALIFIED, "抽检样品检验结论为不合格", findings)
    by_city = rng.random(m) < 0.15
    region = c.w.region
    inspected_by = np.where(
        by_city,
        np.asarray(region.city_dept_names, dtype=object)[c.region_idx[owner]],
        np.asarray(region.dept_names, dtype=object)[c.region_idx[owner]],
    )
    published = _busdays_after(rng, days, 3, 15)
    today = _days(c.w.today)
    published = np.where(published <= today, published, np.datetime64("NaT"))
    cols = _record_columns(c, owner, "INS", days, "inspection")
    cols.update(
        {
            "inspected_on": days,
            "inspected_by": inspected_by.tolist(),
            "kind": [str(k) for k in kind.tolist()],
            "result": [str(r) for r in result.tolist()],
            "item_code": items.tolist(),
            "findings": findings.tolist(),
            "published_on": published,
        }
    )
    bulk.insert_columns(Inspection, cols, m)
    c.w.stats.add("inspections", m)
    follow = np.isin(
        result,
        [
            InspectionResult.FOLLOW_UP,
            InspectionResult.SAMPLE_UNQUALIFIED,
            InspectionResult.FALSE_INFO,
            InspectionResult.REFUSED,
        ],
    )
    return {"owner": owner[follow], "days": days[follow]}


def generate_penalties(
    c: Chunk, follow_ups: dict[str, np.ndarray], revocations: dict[str, np.ndarray]
) -> None:
    """Penalties: some independent of inspections, some following a problem an inspection
    or a sample found, and one for each licence revoked."""
    rng, p, w = c.rng, c.p, c.w
    today = _days(w.today)
    own1, day1 = _events_in_window(c, 0.003 + 0.6 * p**1.8)
    take = rng.random(len(follow_ups["owner"])) < 0.6
    own2 = follow_ups["owner"][take]
    day2 = follow_ups["days"][take] + rng.integers(20, 120, int(take.sum())).astype("timedelta64[D]")
    keep2 = day2 <= today
    own2, day2 = own2[keep2], day2[keep2]
    own3, day3 = revocations["owner"], revocations["days"]
    owner = np.concatenate([own1, own2, own3])
    days = np.concatenate([day1, day2, day3])
    revocation = np.concatenate([np.zeros(len(own1) + len(own2), bool), np.ones(len(own3), bool)])
    m = len(owner)
    if m == 0:
        return
    po = p[owner]
    line = c.line[owner]
    # Domain follows the line of business (food producers are fined for food safety…).
    u = rng.random(m)
    general_domains = np.array(
        ["product_quality", "consumer_rights", "competition", "registration"], dtype=object
    )
    general = general_domains[rng.choice(4, size=m, p=[0.3, 0.3, 0.25, 0.15])]
    domain = np.where(
        np.isin(line, [L_FOOD, L_ADD, L_JY]) & (u < 0.75),
        "food_safety",
        np.where(
            np.isin(line, [L_SE, L_FILL]) & (u < 0.75),
            "special_equipment",
            np.where((line == L_XK) & (u < 0.75), "product_quality", general),
        ),
    ).astype(object)
    domain = np.where(
        revocation & np.isin(line, [L_SE, L_FILL]),
        "special_equipment",
        np.where(
            revocation & np.isin(line, [L_FOOD, L_ADD, L_JY]),
            "food_safety",
            np.where(revocation, "product_quality", domain),
        ),
    )
    violation = np.empty(m, dtype=object)
    basis = np.empty(m, dtype=object)
    for d, options in V.VIOLATIONS.items():
        mask = domain == d
        k = rng.integers(0, len(options), int(mask.sum()))
        violation[mask] = [options[i][0] for i in k.tolist()]
        basis[mask] = [options[i][1] for i in k.tolist()]
    # What was imposed. Order 45: a warning alone is not published; criticism and lower
    # fines are shown for 3 months (the disclosure policy decides; we only record facts).
    v = rng.random(m)
    warning_only = (v < 0.12) & ~revocation
    criticism = (v >= 0.12) & (v < 0.15) & ~revocation
    aggravated = (rng.random(m) < 0.03 + 0.35 * po) & ~warning_only & ~criticism
    aggravated |= revocation
    fine = ~warning_only & ~criticism
    amount = np.exp(rng.normal(np.log(8000), 1.2, m)) * np.where(aggravated, 3.0, 1.0)
    amount = np.round(np.clip(amount, 500, 5_000_000), -2)
    confiscate = fine & (rng.random(m) < 0.2)
    restrict = fine & (rng.random(m) < 0.01 + 0.05 * po)
    types: list[str] = []
    for i in range(m):
        if warning_only[i]:
            t = ["warning"]
        elif criticism[i]:
            t = ["criticism"]
        else:
            t = ["fine"]
            if confiscate[i]:
                t.append("confiscation")
            if revocation[i]:
                t.append("licence_revocation")
            if restrict[i]:
                t.append("business_restriction")
        types.append(_json_list(t))
    restriction_until = np.where(
        restrict, days + rng.integers(180, 1100, m).astype("timedelta64[D]"), np.datetime64("NaT")
    )
    fulfilled = np.where(
        fine & (rng.random(m) < 0.92 - 0.3 * po),
        days + rng.integers(5, 90, m).astype("timedelta64[D]"),
        np.datetime64("NaT"),
    )
    fulfilled = np.where(fulfilled <= today, fulfilled, np.datetime64("NaT"))
    exception = np.where(rng.random(m) < 0.005, "privacy", "").astype(object)
    published = _busdays_after(rng, days, 3, 15)
    published = np.where(
        (published <= today) & ~warning_only & (exception == ""), published, np.datetime64("NaT")
    )
    # Deciding department: the county's (or the city's for cities without counties), the
    # city's for a share of cases; document numbers run per department and year.
    region = w.region
    by_city = rng.random(m) < 0.15
    ridx = c.region_idx[owner]
    decided_by = np.where(
        by_city,
        np.asarray(region.city_dept_names, dtype=object)[ridx],
        np.asarray(region.dept_names, dtype=object)[ridx],
    )
    prefix = np.where(
        by_city,
        np.asarray(region.city_prefix, dtype=object)[ridx],
        np.asarray(region.short_prefix, dtype=object)[ridx],
    )
    years = days.astype("datetime64[Y]").astype(int) + 1970
    keys = np.array([f"{a}{b}" for a, b in zip(prefix.tolist(), years.tolist(), strict=True)], dtype=object)
    seq = group_sequence(keys, days.astype(np.int64), w.counters.setdefault("decision_no", {}))
    decision_no = [
        f"{a}市监罚〔{y}〕{s}号"
        for a, y, s in zip(prefix.tolist(), years.tolist(), seq.tolist(), strict=True)
    ]
    names = np.asarray(c.names, dtype=object)[owner]
    labels = {
        "warning": "警告",
        "criticism": "通报批评",
        "fine": "罚款",
        "confiscation": "没收违法所得",
        "licence_revocation": "吊销许可证件",
        "business_restriction": "限制开展生产经营活动",
    }
    text = []
    for i in range(m):
        imposed = "、".join(labels[t] for t in _json_loads(types[i]))
        money = f"罚款人民币{amount[i]:,.0f}元" if fine[i] else imposed
        text.append(
            f"当事人{names[i]}{violation[i]}。上述行为违反了相关规定，依据{basis[i]}，"
            f"本局决定给予{imposed}的行政处罚（{money}）。"
        )
    cols = _record_columns(c, owner, "PEN", days, "penalty")
    cols.update(
        {
            "decision_no": decision_no,
            "decided_on": days,
            "decided_by": decided_by.tolist(),
            "domain": [str(d) for d in domain.tolist()],
            "violation": violation.tolist(),
            "penalty_types": types,
            "fine_amount": [
                float(a) if f else None for a, f in zip(amount.tolist(), fine.tolist(), strict=True)
            ],
            "aggravated": aggravated,
            "restriction_until": restriction_until,
            "legal_basis": basis.tolist(),
            "fulfilled_on": fulfilled,
            "status": "in_force",
            "disclosure_exception": exception.tolist(),
            "decision_text": text,
            "published_on": published,
        }
    )
    bulk.insert_columns(Penalty, cols, m)
    w.stats.add("penalties", m)


def _json_list(items: list[str]) -> str:
    return "[" + ", ".join(f'"{t}"' for t in items) + "]"


def _json_loads(text: str) -> list[str]:
    return [t.strip().strip('"') for t in text.strip("[]").split(",") if t.strip()]


def generate_complaints(c: Chunk) -> None:
    rng, p = c.rng, c.p
    consumer_facing = np.isin(c.line, [L_FOOD, L_ADD, L_JY, L_XK, L_FILL])
    owner, days = _events_in_window(c, np.where(consumer_facing, 0.05, 0.02) + 0.5 * p**1.5)
    m = len(owner)
    substantiated = rng.random(m) < 0.15 + 0.6 * p[owner]
    # Recent complaints may still be under investigation (unknown outcome).
    pending = (_days(c.w.today) - days).astype(np.int64) < 45
    category = np.where(
        np.isin(c.line[owner], [L_FOOD, L_ADD, L_JY]) & (rng.random(m) < 0.6),
        "食品安全",
        _pick(rng, V.COMPLAINT_CATEGORIES, m),
    )
    cols = _record_columns(c, owner, "CMP", days, "complaint")
    cols.update(
        {
            "received_on": days,
            "category": category.tolist(),
            "substantiated": [
                None if q else bool(s) for s, q in zip(substantiated.tolist(), pending.tolist(), strict=True)
            ],
        }
    )
    bulk.insert_columns(Complaint, cols, m)
    c.w.stats.add("complaints", m)


def generate_annual_reports(c: Chunk) -> None:
    """Annual reports for each year the enterprise existed, filed 1 January–30 June of
    the next year (Anomaly Measures art. 4) — risky enterprises late or not at all."""
    rng, p, w = c.rng, c.p, c.w
    today = w.today
    first_year = w.history_start.year
    owners, years, filed = [], [], []
    est_year = c.established.astype("datetime64[Y]").astype(int) + 1970
    end_year = c.end.astype("datetime64[Y]").astype(int) + 1970
    miss_p = 0.01 + 0.4 * p**1.5
    late_p = 0.02 + 0.8 * p**1.2
    for year in range(first_year, today.year):
        window_opens = dt.date(year + 1, 1, 1)
        if window_opens > today:
            break
        due = _days(dt.date(year + 1, 6, 30))
        alive = (est_year <= year) & (end_year > year) & (c.end >= _days(window_opens))
        idx = np.flatnonzero(alive & (rng.random(c.n) >= miss_p))
        late = rng.random(len(idx)) < late_p[idx]
        # On time: spread over the window with a rush in June; late: July–December.
        ontime_day = np.datetime64(window_opens) + (181 * rng.beta(3.0, 1.3, len(idx))).astype(
            np.int64
        ).astype("timedelta64[D]")
        late_day = due + rng.integers(1, 180, len(idx)).astype("timedelta64[D]")
        day = np.where(late, late_day, ontime_day)
        keep = day <= _days(today)
        owners.append(idx[keep])
        years.append(np.full(int(keep.sum()), year))
        filed.append(day[keep])
    owner = np.concatenate(owners) if owners else np.zeros(0, np.int64)
    m = len(owner)
    if m == 0:
        return
    year_col = np.concatenate(years)
    filed_on = np.concatenate(filed)
    now = bulk.utc_now_text(w.now)
    bulk.insert_columns(
        AnnualReport,
        {
            "created_at": now,
            "created_by": SOURCE,
            "modified_at": now,
            "modified_by": SOURCE,
            "enterprise_id": c.ids[owner],
            "uscc": np.asarray(c.uscc, dtype=object)[owner].tolist(),
            "year": year_col,
            "filed_on": filed_on,
            "source": SOURCE,
            "received_at": bulk.utc_timestamp(filed_on),
        },
        m,
    )
    w.stats.add("annual_reports", m)


# Licence kinds by line: (licence_type, validity in years, issuing level).
LICENCE_OF_LINE = {
    L_FOOD: (LicenceType.FOOD_PRODUCTION, 5, "city"),
    L_ADD: (LicenceType.FOOD_ADDITIVE_PRODUCTION, 5, "city"),
    L_SE: (LicenceType.SPECIAL_EQUIPMENT_PRODUCTION, 4, "province"),
    L_FILL: (LicenceType.SPECIAL_EQUIPMENT_FILLING, 4, "province"),
    L_JY: (LicenceType.FOOD_BUSINESS, 5, "county"),
    L_XK: (LicenceType.INDUSTRIAL_PRODUCT, 5, "province"),
}


def generate_licences(c: Chunk) -> dict[str, Any]:
    """Licences of the right shape (domain.md §2), renewed at the end of each validity;
    risky holders let them lapse or have them revoked. Revoked and cancelled licences are
    written as they were before (valid) and changed afterwards by `change_statuses`, so the
    tag history shows the tag and its removal."""
    rng, p, w = c.rng, c.p, c.w
    today = _days(w.today)
    licensed = np.flatnonzero(
        np.isin(c.line, list(LICENCE_OF_LINE)) & (c.status == "operating")
        | np.isin(c.line, list(LICENCE_OF_LINE)) & (rng.random(c.n) < 0.5)
    )
    out: dict[str, Any] = {
        "revoke": [],
        "cancel": [],
        "revocations": {"owner": np.zeros(0, np.int64), "days": np.zeros(0, "datetime64[D]")},
    }
    if len(licensed) == 0:
        return out
    line = c.line[licensed]
    validity_years = np.array([LICENCE_OF_LINE[int(x)][1] for x in line.tolist()])
    validity = (validity_years * 365.25).astype(np.int64)
    first = c.established[licensed] + rng.integers(20, 240, len(licensed)).astype("timedelta64[D]")
    first = np.minimum(first, today - np.timedelta64(10, "D"))
    elapsed = (today - first).astype(np.int64)
    k = np.maximum(elapsed // validity, 0)
    current_issue = first + (k * validity).astype("timedelta64[D]")
    has_previous = k >= 1
    pp = p[licensed]
    lapsed = has_previous & (rng.random(len(licensed)) < 0.03 + 0.2 * pp)
    u = rng.random(len(licensed))
    revoke = ~lapsed & (u < 0.005 + 0.25 * pp**2)
    cancel = ~lapsed & ~revoke & (u > 0.98)
    rows_owner, rows_issue, rows_until, rows_status = [], [], [], []
    # The previous licence (expired at the end of its validity) where one existed.
    prev = np.flatnonzero(has_previous)
    prev_issue = current_issue[prev] - validity[prev].astype("timedelta64[D]")
    rows_owner.append(prev)
    rows_issue.append(prev_issue)
    rows_until.append(current_issue[prev] - np.timedelta64(1, "D"))
    rows_status.append(np.full(len(prev), LicenceStatus.EXPIRED, dtype=object))
    cur = np.flatnonzero(~lapsed)
    rows_owner.append(cur)
    rows_issue.append(current_issue[cur])
    rows_until.append(current_issue[cur] + (validity[cur] - 1).astype("timedelta64[D]"))
    rows_status.append(np.full(len(cur), LicenceStatus.VALID, dtype=object))
    pos = np.concatenate(rows_owner)
    owner = licensed[pos]
    issued = np.concatenate(rows_issue)
    until = np.concatenate(rows_until)
    status = np.concatenate(rows_status)
    m = len(owner)
    ltype = [LICENCE_OF_LINE[int(x)][0] for x in c.line[owner].tolist()]
    level = [LICENCE_OF_LINE[int(x)][2] for x in c.line[owner].tolist()]
    region = w.region
    ridx = c.region_idx[owner]
    province_dept = "广东省市场监督管理局"
    issued_by = [
        province_dept
        if lv == "province"
        else (region.city_dept_names[r] if lv == "city" else region.dept_names[r])
        for lv, r in zip(level, ridx.tolist(), strict=True)
    ]
    # Numbers: one per enterprise and kind, kept on renewal except TS, whose suffix is the
    # year the licence runs to.
    seq = group_sequence(
        c.region_codes[licensed], c.index[licensed], w.counters.setdefault("licence_seq", {})
    )
    seq_of = dict(zip(licensed.tolist(), seq.tolist(), strict=True))
    food_cat = np.asarray(V.FOOD_CATEGORIES, dtype=object)[rng.integers(0, len(V.FOOD_CATEGORIES), c.n)]
    add_cat = np.asarray(V.ADDITIVE_CATEGORIES, dtype=object)[
        rng.integers(0, len(V.ADDITIVE_CATEGORIES), c.n)
    ]
    check = rng.integers(0, 10, c.n)
    se_scope = _pick(rng, V.SPECIAL_EQUIPMENT_SCOPES, c.n)
    fill_scope = _pick(rng, V.FILLING_SCOPES, c.n)
    xk_code = _pick(rng, V.INDUSTRIAL_PRODUCT_CODES, c.n)
    numbers, scopes = [], []
    until_years = (until.astype("datetime64[Y]").astype(int) + 1970).tolist()
    for j, e in enumerate(owner.tolist()):
        t, s, code = ltype[j], seq_of[e], c.region_codes[e]
        if t == LicenceType.FOOD_PRODUCTION:
            numbers.append(f"SC{food_cat[e]}{code}{s % 10000:04d}{check[e]}")
            scopes.append(_json_list([V.FOOD_CATEGORY_NAMES[food_cat[e]]]))
        elif t == LicenceType.FOOD_ADDITIVE_PRODUCTION:
            numbers.append(f"SC{add_cat[e]}{code}{s % 10000:04d}{check[e]}")
            scopes.append(_json_list([V.ADDITIVE_CATEGORY_NAMES[add_cat[e]]]))
        elif t == LicenceType.SPECIAL_EQUIPMENT_PRODUCTION:
            numbers.append(f"TS{1 + s % 3}{code[:2]}{(int(c.index[e]) % 10000):04d}-{until_years[j]}")
            scopes.append(_json_list([se_scope[e]]))
        elif t == LicenceType.SPECIAL_EQUIPMENT_FILLING:
            numbers.append(f"TS4{code[:2]}{(int(c.index[e]) % 10000):04d}-{until_years[j]}")
            scopes.append(_json_list([fill_scope[e]]))
        elif t == LicenceType.FOOD_BUSINESS:
            numbers.append(f"JY{1 + s % 3}{code}{s % 1_000_000:06d}{check[e]}")
            scopes.append(_json_list(["预包装食品销售", "热食类食品制售"]))
        else:
            numbers.append(f"(粤)XK{xk_code[e]}-{100 + s % 900:03d}-{int(c.index[e]) % 100000:05d}")
            scopes.append(_json_list(["工业产品生产"]))
    ids = bulk.next_ids(Licence, m)
    cols = _record_columns(c, owner, "LIC", issued, "licence")
    cols.update(
        {
            "id": ids,
            "licence_type": [str(t) for t in ltype],
            "licence_no": numbers,
            "issued_by": issued_by,
            "issued_on": issued,
            "valid_until": until,
            "status": [str(s) for s in status.tolist()],
            "scope": scopes,
        }
    )
    bulk.insert_columns(Licence, cols, m)
    w.stats.add("licences", m)
    # Which current licences change status after tagging, and when revocations happened.
    n_prev = len(prev)
    cur_ids = ids[n_prev:]
    cur_pos = cur  # positions into `licensed`
    rv = revoke[cur_pos]
    cc = cancel[cur_pos]
    out["revoke"] = cur_ids[rv].tolist()
    out["cancel"] = cur_ids[cc].tolist()
    rv_owner = licensed[cur_pos[rv]]
    rv_days = _uniform_dates(
        rng, np.maximum(current_issue[cur_pos[rv]], c.active_from[rv_owner]), np.full(int(rv.sum()), today)
    )
    out["revocations"] = {"owner": rv_owner, "days": rv_days}
    out["key_area_ids"] = ids[np.isin(c.line[owner], [L_FOOD, L_ADD, L_SE, L_FILL])].tolist()
    return out


def tag_licences(licence_ids: list[int], world: World, batch: int = 4000) -> int:
    """Tag through the same code path as every licence change (`apply_licence_changes`),
    a batch of enterprises at a time."""
    from xinjian.registry.actions import apply_licence_changes

    total = 0
    for i in range(0, len(licence_ids), batch):
        part = Licence.objects.filter(id__in=licence_ids[i : i + batch]).only(
            "id", "enterprise_id", "licence_type", "licence_no"
        )
        total += apply_licence_changes(list(part), actor=DEMO_ACTOR, on=world.today)
    return total


def change_statuses(revoke: list[int], cancel: list[int], world: World) -> int:
    """Bulk form of `collection.actions.change_licence_status` for the demo's history:
    status, audit entry and event per licence, then the tags follow."""
    from xinjian.collection.actions import LICENCE_STATUS_EVENTS, licence_event_data
    from xinjian.core.events import emit_many

    changed = []
    for ids, status, reason in (
        (revoke, LicenceStatus.REVOKED, "演示数据：违法被吊销许可"),
        (cancel, LicenceStatus.CANCELLED, "演示数据：企业申请注销许可"),
    ):
        if not ids:
            continue
        for i in range(0, len(ids), 4000):
            part = ids[i : i + 4000]
            Licence.objects.filter(id__in=part).update(status=status, modified_by=DEMO_ACTOR.label)
            lics = list(Licence.objects.filter(id__in=part).select_related("enterprise"))
            AuditEntry.objects.bulk_create(
                [
                    AuditEntry(
                        actor_label=DEMO_ACTOR.label,
                        action="licence.status_changed",
                        object_type="collection.licence",
                        object_id=str(lic.pk),
                        uscc=lic.uscc,
                        before={"status": "valid"},
                        after={"status": str(status)},
                        reason=reason,
                    )
                    for lic in lics
                ],
                batch_size=2000,
            )
            emit_many(
                (
                    LICENCE_STATUS_EVENTS[LicenceStatus(status)],
                    lic.uscc,
                    lic.enterprise.region_code if lic.enterprise else "",
                    licence_event_data(lic),
                )
                for lic in lics
            )
            changed.extend(part)
    return tag_licences(changed, world)


def generate(
    n: int,
    seed: int,
    *,
    on: dt.date | None = None,
    chunk: int = CHUNK,
    progress: Callable[[str], None] | None = None,
) -> Stats:
    """Generate `n` enterprises with five years of history. Deterministic in (n, seed, on,
    chunk size) on an empty register."""
    world = World(n=n, seed=seed, today=on or cn_today(), region=Region.load(), now=timezone.now())
    base_index = Enterprise.objects.count()
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
            world.stats.add("tag_changes", tag_licences(lic["key_area_ids"], world))
            world.stats.add("tag_changes", change_statuses(lic["revoke"], lic["cancel"], world))
            world.stats.timed("tagging", t1)
        if progress:
            progress(f"{start + size}/{n} 家企业，用时 {time.monotonic() - t0:.1f} 秒")
    with transaction.atomic():
        bulk.reset_sequences([Enterprise, Licence, Penalty, Inspection, Complaint, AnnualReport])
        from xinjian.core import audit

        audit.record(
            "demo.generated",
            actor=DEMO_ACTOR,
            object_type="demo",
            object_id=str(seed),
            after={"enterprises": n, "seed": seed, "on": world.today.isoformat(), **world.stats.counts},
            reason="生成演示省份数据",
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            for model in (Enterprise, Licence, Penalty, Inspection, Complaint, AnnualReport, HiddenTruth):
                cur.execute(f"ANALYZE {model._meta.db_table}")
    return world.stats
