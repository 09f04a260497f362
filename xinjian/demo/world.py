"""The shared frame of the demo generator: the regions enterprises live in, the run's
settings, a chunk of enterprises as columns, and the helpers every record kind uses."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from xinjian.core.actors import Actor
from xinjian.registry.models import Department, Division

from . import bulk

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
    anchor: str = ""  # the demo logins' county (places.Places.county): sure to get enterprises
    province_name: str = ""  # 广东省

    @classmethod
    def load(cls, province: str | None = None) -> Region:
        from django.conf import settings

        # The province's divisions in force (issue 15: any province; the register ships
        # the whole country's divisions, abolished codes included).
        wanted = province or settings.XINJIAN_PROVINCE
        if wanted == "000000":
            raise RuntimeError("the national hub has no demo province: give --province (e.g. 440000)")
        divisions = {d.code: d for d in Division.objects.current().filter(code__startswith=wanted[:2])}
        depts = {d.division_id: d.name for d in Department.objects.all()}
        if not divisions:
            raise RuntimeError("no divisions: run migrate first (registry ships the province's divisions)")
        top = next(d for d in divisions.values() if d.level == "province")
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
            full.append(top.name + (city.name if city.code != code else "") + div.name)
            city_names.append(city.name)
            cprefix.append(city.name[0])
            short.append(city.name[0] + (div.name[0] if city.code != code else ""))
            dnames.append(depts.get(code, f"{div.name}市场监督管理局"))
            cdnames.append(depts.get(city.code, f"{city.name}市场监督管理局"))
        from .places import demo_places

        anchor = demo_places(wanted).county
        return cls(
            np.array(places), w / w.sum(), dnames, cdnames, full, city_names, short, cprefix, anchor, top.name
        )


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


def day(d: dt.date) -> np.datetime64:
    return np.datetime64(d, "D")


def uniform_dates(rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """A day drawn uniformly in [lo, hi] (datetime64[D] arrays)."""
    span = (hi - lo).astype(np.int64)
    return lo + (rng.random(len(lo)) * (span + 1)).astype(np.int64).astype("timedelta64[D]")


def busdays_after(rng: np.random.Generator, start: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """Publication a few working days after `start`. Monday–Friday counting never exceeds
    the official count by more than the shifted weekend days, and `hi` stays well under
    the 20-working-day limits of Order 45 and the inspection rules."""
    k = rng.integers(lo, hi + 1, len(start))
    return np.busday_offset(start, k, roll="forward")


def pick(rng: np.random.Generator, options: tuple[Any, ...] | list[Any], n: int) -> np.ndarray:
    return np.asarray(options, dtype=object)[rng.integers(0, len(options), n)]


@dataclass
class World:
    """Settings of one generation run."""

    n: int
    seed: int
    today: dt.date
    region: Region
    now: Any
    base_index: int = 0  # enterprises in the register before this run
    counters: dict[str, dict[Any, int]] = field(default_factory=dict)
    stats: Stats = field(default_factory=Stats)

    @property
    def history_start(self) -> dt.date:
        return self.today.replace(year=self.today.year - HISTORY_YEARS)


class Chunk:
    """The enterprises of one chunk as columns (one array or list per attribute, one
    element per enterprise), filled in by `generator.generate_enterprises`."""

    # The hidden truth and its latent logit.
    p: np.ndarray
    latent: np.ndarray
    # Where, what, since when, and whether still in the register.
    region_idx: np.ndarray
    region_codes: np.ndarray
    line: np.ndarray
    key_area: np.ndarray
    established: np.ndarray
    capital: np.ndarray
    status: np.ndarray
    active_from: np.ndarray
    end: np.ndarray
    # Names and identifiers.
    names: list[str]
    entity_type: list[str]
    trade: np.ndarray
    uscc: list[str]
    regno: list[str | None]
    legal_rep: list[str]
    address: list[str]
    scope: list[str]

    def __init__(self, world: World, rng: np.random.Generator, ids: np.ndarray, index: np.ndarray):
        self.w, self.rng, self.ids, self.index = world, rng, ids, index
        self.n = len(ids)


def record_columns(c: Chunk, owner: np.ndarray, kind: str, dates: np.ndarray, name: str) -> dict[str, Any]:
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
        "received_at": bulk.utc_timestamp(np.minimum(dates + np.timedelta64(1, "D"), day(w.today))),
    }


def events_in_window(
    c: Chunk, rate_per_year: np.ndarray, lo: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Poisson events over each enterprise's active window; returns (owner index, day)."""
    lo = c.active_from if lo is None else lo
    years = np.maximum((c.end - lo).astype(np.int64), 0) / 365.25
    counts = c.rng.poisson(rate_per_year * years)
    owner = np.repeat(np.arange(c.n), counts)
    days = uniform_dates(c.rng, lo[owner], c.end[owner])
    return owner, days


def json_list(items: list[str]) -> str:
    return "[" + ", ".join(f'"{t}"' for t in items) + "]"


def json_loads(text: str) -> list[str]:
    return [t.strip().strip('"') for t in text.strip("[]").split(",") if t.strip()]
