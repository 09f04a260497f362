"""A family of synthetic provinces for testing whether risk classification generalises
(issue 17). Built independently of the demo generator (xinjian/demo): different people,
addresses, trades and inspection habits, and different mechanisms carrying the risk.

Every enterprise has a hidden propensity p (its probability that an inspection finds a
problem, before measurement noise), made of a structural part — carried by the world's
mechanism — and an idiosyncratic part that only the enterprise's own record reveals:

- network: legal representatives run several enterprises and pass their habits on;
- parks: shell parks (many registrations at one address) hold the risky ones;
- age_size: young, thinly capitalised enterprises are the risky ones;
- trade: risk is set by the trade, visible through the kind of licence held;
- mixed: all of them, weaker each.

Inspection habits: dense (about one visit in two years per enterprise), sparse (one in
eight), targeted (visits concentrated on the risky, so labels are biased) or drawn: the
same targeted visits until DRAWS_FROM, then only the platform's own stratified draws —
quarterly tasks with per-class ratios over the classes the general model gives as of the
draw date (run.load performs them through the inspections app, so every such inspection
carries its draw, stratum and ratio, and the calibration's inverse-probability weights act).

`generate` returns the records in the ingest format (interfaces.md) and the hidden truth.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from xinjian.registry.identifiers import build_uscc

HISTORY_START = dt.date(2020, 12, 1)
HISTORY_END = dt.date(2026, 11, 30)
REGIONS = ("440305", "440303", "440304", "440306")
# Drawn worlds: platform draws every quarter from DRAWS_FROM to DRAWS_UNTIL, each with
# these per-class ratios (risk-targeted: class D is drawn 12 times as often as class A).
DRAWS_FROM = dt.date(2023, 9, 1)
DRAWS_UNTIL = dt.date(2026, 9, 1)
DRAW_RATIOS = {"A": "0.05", "B": "0.1", "C": "0.3", "D": "0.6"}

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
_GIVEN = "伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉斌宇浩凯健俊帆帅旭宁龙林欣晨瑞博文"
_ROADS = "深南滨海北环沙河侨香白石红荔华强科苑高新南海后海蛇口桂庙前海月亮湾松坪留仙学苑"
_PARKS = ("创智", "汇富", "鼎盛", "金谷", "星河", "众创", "启航", "云端", "锦绣", "天域", "宏图", "博远")

# Trades: (name in the enterprise name, licence type held or "" for none, business scope).
TRADES: tuple[tuple[str, str, str], ...] = (
    ("餐饮管理", "food_business", "餐饮服务；预包装食品销售"),
    ("食品贸易", "food_business", "食品销售；农副产品销售"),
    ("电器制造", "industrial_product", "电线电缆制造；家用电器制造"),
    ("建材", "industrial_product", "建筑材料生产；水泥制品制造"),
    ("信息技术", "", "软件开发；信息技术咨询服务"),
    ("商务咨询", "", "企业管理咨询；商务信息咨询"),
    ("物流", "", "普通货物仓储；国内货物运输代理"),
    ("美容美发", "other", "美容服务；理发服务"),
)


@dataclass(frozen=True)
class World:
    name: str
    mechanism: str  # network | parks | age_size | trade | mixed
    inspection: str  # dense | sparse | targeted | drawn
    # Weight of the idiosyncratic part (seen only through the enterprise's own record).
    idio: float = 0.8
    structural: float = 1.6
    mean_p: float = 0.12
    extra: dict[str, Any] = field(default_factory=dict)


WORLDS: tuple[World, ...] = (
    World("network-dense", "network", "dense"),
    World("network-targeted", "network", "targeted"),
    World("parks-sparse", "parks", "sparse"),
    World("age_size-dense", "age_size", "dense"),
    World("trade-sparse", "trade", "sparse"),
    World("mixed-targeted", "mixed", "targeted"),
    World("network-drawn", "network", "drawn"),
)
BY_NAME = {w.name: w for w in WORLDS}


@dataclass
class Province:
    world: World
    records: dict[str, list[dict[str, Any]]]  # ingest kind → records
    truth: dict[str, float]  # uscc → hidden propensity
    seed: int = 1

    def draw_dates(self) -> list[dt.date]:
        """The dates of the platform draws a drawn world's inspections come from."""
        if self.world.inspection != "drawn":
            return []
        step = int(self.world.extra.get("draw_months", 3))  # quarterly unless told
        out, d = [], DRAWS_FROM
        while d <= DRAWS_UNTIL:
            out.append(d)
            d = dt.date(d.year + (d.month - 1 + step) // 12, (d.month - 1 + step) % 12 + 1, 1)
        return out

    def problem_found(self, rng: np.random.Generator, uscc: str) -> bool:
        """Whether an inspection of the enterprise finds a problem (as in the history)."""
        return bool(rng.random() < 0.02 + 0.85 * self.truth[uscc])


def _unique_names(rng: np.random.Generator, n: int) -> list[str]:
    names: set[str] = set()
    out: list[str] = []
    while len(out) < n:
        s = _SURNAMES[rng.integers(len(_SURNAMES))]
        g = "".join(_GIVEN[k] for k in rng.integers(len(_GIVEN), size=int(rng.integers(1, 3))))
        name = s + g
        if name not in names:
            names.add(name)
            out.append(name)
    return out


def _z(x: np.ndarray) -> np.ndarray:
    sd = float(x.std())
    return (x - x.mean()) / sd if sd > 0 else x * 0.0


def _days(rng: np.random.Generator, lo: dt.date, hi: dt.date, n: int) -> list[dt.date]:
    span = (hi - lo).days
    return [lo + dt.timedelta(days=int(d)) for d in rng.integers(0, span + 1, size=n)]


def generate(world: World, n: int, seed: int = 1) -> Province:
    rng = np.random.default_rng([seed, sum(map(ord, world.name))])
    # -- people: legal representatives, some running several enterprises ------------------
    if world.mechanism in ("network", "mixed"):
        sizes: list[int] = []
        while sum(sizes) < n:
            sizes.append(int(min(1 + rng.geometric(0.45), 12)) if rng.random() < 0.35 else 1)
    else:
        sizes = [2 if rng.random() < 0.06 else 1 for _ in range(n)]
    rep_of = np.repeat(np.arange(len(sizes)), sizes)[:n]
    rng.shuffle(rep_of)
    reps = _unique_names(rng, int(rep_of.max()) + 1)
    rep_effect = rng.normal(0, 1, size=len(reps))[rep_of]
    # -- places: ordinary addresses (a few shared buildings) and shell parks --------------
    address_of = np.arange(n)
    park = np.zeros(n, dtype=bool)
    in_parks = 0.12 if world.mechanism in ("parks", "mixed") else 0.03
    k_parks = max(3, int(n * in_parks / 25))
    park_ids = rng.integers(0, k_parks, size=n)
    park = rng.random(n) < in_parks
    shared = (~park) & (rng.random(n) < 0.1)
    address_of = np.where(
        park, n + park_ids, np.where(shared, rng.integers(0, n // 4 + 1, size=n), address_of)
    )
    addresses: dict[int, str] = {}
    for a in set(address_of.tolist()):
        if a >= n:
            addresses[a] = (
                f"深圳市南山区{_PARKS[(a - n) % len(_PARKS)]}产业园{(a - n) // len(_PARKS) + 1}栋商务秘书托管室"
            )
        else:
            road = _ROADS[(a * 7) % len(_ROADS)] + _ROADS[(a * 3 + 1) % len(_ROADS)]
            addresses[a] = f"深圳市南山区{road}路{a + 1}号"
    park_effect = park.astype(float) + 0.3 * rng.normal(0, 1, size=n) * park
    # -- age and size ----------------------------------------------------------------------
    age_years = rng.gamma(2.0, 4.0, size=n) + 0.3
    established = [HISTORY_END - dt.timedelta(days=int(a * 365.25)) for a in age_years]
    capital = np.round(np.exp(rng.normal(4.5, 1.4, size=n)), 1)
    age_size_effect = -np.log(age_years) - 0.6 * np.log(capital)
    # -- trade -------------------------------------------------------------------------------
    trade = rng.integers(0, len(TRADES), size=n)
    trade_risk = rng.permutation(np.linspace(-1.5, 1.5, len(TRADES)))
    trade_effect = trade_risk[trade]
    # -- the hidden propensity ----------------------------------------------------------------
    parts = {
        "network": _z(rep_effect),
        "parks": _z(park_effect),
        "age_size": _z(age_size_effect),
        "trade": _z(trade_effect),
    }
    if world.mechanism == "mixed":
        structural = sum(parts.values()) / 2.0
    else:
        structural = parts[world.mechanism]
    idio = rng.normal(0, 1, size=n)
    z = world.structural * structural + world.idio * idio
    lo, hi = -10.0, 5.0  # the intercept giving the world's mean propensity
    for _ in range(50):
        mid = (lo + hi) / 2
        if (1 / (1 + np.exp(-(z + mid)))).mean() < world.mean_p:
            lo = mid
        else:
            hi = mid
    p = 1 / (1 + np.exp(-(z + lo)))

    usccs = [build_uscc(REGIONS[i % len(REGIONS)], f"MH{i:06d}") for i in range(n)]
    records: dict[str, list[dict[str, Any]]] = {
        k: []
        for k in (
            "enterprises",
            "licences",
            "inspections",
            "penalties",
            "complaints",
            "annual-reports",
            "list-decisions",
        )
    }
    for i in range(n):
        tname, ltype, scope = TRADES[trade[i]]
        records["enterprises"].append(
            {
                "uscc": usccs[i],
                "name": f"深圳市{_ROADS[i % len(_ROADS)]}{tname}有限公司{i + 1}",
                "legal_representative": reps[rep_of[i]],
                "established_on": established[i].isoformat(),
                "region_code": usccs[i][2:8],
                "entity_type": "有限责任公司（自然人投资或控股）" if rng.random() < 0.7 else "有限责任公司",
                "registered_capital": float(capital[i]),
                "address": addresses[int(address_of[i])],
                "business_scope": scope,
            }
        )
        if ltype:
            issued = max(established[i], dt.date(2015, 1, 1)) + dt.timedelta(days=int(rng.integers(10, 200)))
            issued = min(issued, HISTORY_END)
            no = {
                "food_business": f"JY1440305{i:07d}",
                "industrial_product": f"XK{trade[i]:02d}-{i % 1000:03d}-{i:05d}",
                "other": f"QT{i:08d}",
            }[ltype]
            records["licences"].append(
                {
                    "source_id": f"L{i}",
                    "uscc": usccs[i],
                    "licence_type": ltype,
                    "licence_no": no,
                    "issued_by": "深圳市市场监督管理局",
                    "issued_on": issued.isoformat(),
                    "valid_until": (issued + dt.timedelta(days=5 * 365)).isoformat(),
                }
            )
    _history(world, rng, p, usccs, established, records)
    return Province(world, records, dict(zip(usccs, (float(x) for x in p), strict=True)), seed)


def _history(
    world: World,
    rng: np.random.Generator,
    p: np.ndarray,
    usccs: list[str],
    established: list[dt.date],
    records: dict[str, list[dict[str, Any]]],
) -> None:
    n = len(p)
    if world.inspection == "dense":
        rate = np.full(n, 0.5)
    elif world.inspection == "sparse":
        rate = np.full(n, 0.12)
    else:  # risk-targeted: the visits follow what the inspectors already believe
        rate = 0.05 + 1.6 * p
    # A drawn world's inspections from DRAWS_FROM on are the platform's draws (run.load).
    visits_end = DRAWS_FROM - dt.timedelta(days=1) if world.inspection == "drawn" else HISTORY_END
    seq = 0
    for i in range(n):
        start = max(established[i], HISTORY_START)
        if start >= HISTORY_END:
            continue
        span = (HISTORY_END - start).days / 365.25
        if start <= visits_end:
            visit_span = (visits_end - start).days / 365.25
            visit_days = _days(rng, start, visits_end, rng.poisson(rate[i] * visit_span))
        else:
            visit_days = []
        for d in visit_days:
            seq += 1
            bad = rng.random() < 0.02 + 0.85 * p[i]
            random = rng.random() < 0.6
            records["inspections"].append(
                {
                    "source_id": f"I{seq}",
                    "uscc": usccs[i],
                    "inspected_on": d.isoformat(),
                    "inspected_by": "深圳市南山区市场监督管理局",
                    "kind": "random" if random else "routine",
                    "result": (
                        rng.choice(["corrected", "follow_up", "unreachable"]) if bad else "no_problem"
                    ),
                }
            )
        for d in _days(rng, start, HISTORY_END, rng.poisson(0.25 * p[i] * span)):
            seq += 1
            records["penalties"].append(
                {
                    "source_id": f"P{seq}",
                    "uscc": usccs[i],
                    "decision_no": f"深南市监罚〔{d.year}〕{seq}号",
                    "decided_on": d.isoformat(),
                    "decided_by": "深圳市南山区市场监督管理局",
                    "domain": "product_quality",
                    "violation": "销售不合格产品",
                    "penalty_types": ["fine"],
                    "fine_amount": int(rng.integers(1, 50)) * 1000,
                }
            )
        for d in _days(rng, start, HISTORY_END, rng.poisson((0.05 + 0.4 * p[i]) * span)):
            seq += 1
            records["complaints"].append(
                {
                    "source_id": f"C{seq}",
                    "uscc": usccs[i],
                    "received_on": d.isoformat(),
                    "category": "消费纠纷",
                    "substantiated": bool(rng.random() < 0.2 + 0.6 * p[i]),
                }
            )
        for year in range(max(established[i].year, 2020), 2026):
            if rng.random() < 0.04 + 0.5 * p[i]:
                if rng.random() < 0.5:  # never filed: listed as abnormal in July
                    seq += 1
                    records["list-decisions"].append(
                        {
                            "source_id": f"D{seq}",
                            "uscc": usccs[i],
                            "list": "anomaly",
                            "action": "add",
                            "ground": "annual_report_missing",
                            "decided_on": dt.date(year + 1, 7, 15).isoformat(),
                            "decided_by": "深圳市南山区市场监督管理局",
                            "decision_no": f"深南市监异〔{year + 1}〕{seq}号",
                        }
                    )
                    continue
                filed = dt.date(year + 1, 7, 1) + dt.timedelta(days=int(rng.integers(1, 150)))
            else:
                filed = dt.date(year + 1, 1, 1) + dt.timedelta(days=int(rng.integers(0, 180)))
            if filed <= HISTORY_END:
                records["annual-reports"].append(
                    {"uscc": usccs[i], "year": year, "filed_on": filed.isoformat()}
                )
