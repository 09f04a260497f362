"""The aggregation: one row per enterprise with one column per indicator, as of a date."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence

from dateutil.relativedelta import relativedelta
from django.conf import settings

from xinjian.lists.rules import heavier_penalty_sql

from .base import Indicator
from .sources import SOURCES


def _lit(day: dt.date) -> str:
    return f"'{day.isoformat()}'"


def date_params(as_of: dt.date) -> dict[str, str]:
    """The dates an indicator may refer to, relative to the as-of date."""
    ago = lambda **kw: _lit(as_of - relativedelta(**kw))  # noqa: E731
    # Annual reports: the three most recent report years whose filing deadline (30 June
    # of the following year, Anomaly Measures art. 4) has passed by the as-of date.
    last_due = as_of.year - 1 if as_of >= dt.date(as_of.year, 6, 30) else as_of.year - 2
    years = [last_due, last_due - 1, last_due - 2]
    params = {
        "d": _lit(as_of),
        "d_12m": ago(months=12),
        "d_24m": ago(months=24),
        "d_36m": ago(months=36),
        "d_60m": ago(months=60),
        "d_1y": ago(years=1),
        "d_2y": ago(years=2),
        "d_3y": ago(years=3),
        "d_5y": ago(years=5),
        "d_10y": ago(years=10),
        "d_plus_90": _lit(as_of + dt.timedelta(days=90)),
        # Order 44 art. 2: the heavier-penalty rule is the lists' one, in force on the day.
        "heavier": heavier_penalty_sql("x", as_of, settings.XINJIAN_PROVINCE),
        "y1": str(years[0]),
        "y2": str(years[1]),
        "y3": str(years[2]),
        "end_y1": _lit(dt.date(years[0], 12, 31)),
        "end_y2": _lit(dt.date(years[1], 12, 31)),
        "end_y3": _lit(dt.date(years[2], 12, 31)),
        # Anomaly Measures art. 4: filed by 30 June of the following year.
        "filed_on_time": "("
        + " OR ".join(f"(x.year = {y} AND x.filed_on <= {_lit(dt.date(y + 1, 6, 30))})" for y in years)
        + ")",
    }
    return params


def _fill(template: str, params: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: params.get(m.group(1), m.group(0)), template)


def aggregation_sql(
    indicators: Iterable[Indicator],
    as_of: dt.date,
    *,
    enterprise_ids: Sequence[int] | None = None,
    id_range: tuple[int, int] | None = None,
    key_area_domain: str = "",
) -> str:
    """SELECT e.id AS enterprise_id, v_0, v_1, … — one row per operating enterprise in
    scope (tagged with `key_area_domain` when given), values as of `as_of`. `enterprise_ids`
    (the incremental worker) or `id_range` (one slice of a full run, bounds included)
    restrict every source subquery as well as the register."""
    indicators = list(indicators)
    params = date_params(as_of)
    scope: str | None = None
    if enterprise_ids is not None:
        scope = f"IN ({','.join(str(int(i)) for i in enterprise_ids) or 'NULL'})"
    elif id_range is not None:
        scope = f"BETWEEN {int(id_range[0])} AND {int(id_range[1])}"
    by_source: dict[str, list[str]] = {}
    for ind in indicators:
        for key, agg in ind.aggs.items():
            by_source.setdefault(key.split(":")[0], []).append(f"{_fill(agg, params)} AS {ind.column(key)}")
    joins = []
    for src, cols in by_source.items():
        s = SOURCES[src]
        src_where = _fill(s.where, params)
        if scope is not None:
            src_where += " AND " + s.id_filter.replace("{scope}", scope)
        joins.append(
            f"LEFT JOIN (SELECT {s.key} AS k, {', '.join(cols)} FROM {_fill(s.sql_from, params)} WHERE {src_where} "
            f"GROUP BY {s.key}) {src} ON {s.join}"
        )
    columns = [f"{_fill(ind.outer_sql(), params)} AS v_{n}" for n, ind in enumerate(indicators)]
    where = ["e.status = 'operating'", f"e.established_on <= {params['d']}"]
    if scope is not None:
        where.append(f"e.id {scope}")
    if key_area_domain:
        where.append(
            "EXISTS (SELECT 1 FROM registry_keyareatag t JOIN registry_keyareatype kt ON kt.code = t.type_id "
            f"WHERE t.enterprise_id = e.id AND t.active AND kt.domain = '{_safe(key_area_domain)}')"
        )
    return (
        f"SELECT e.id AS enterprise_id, {', '.join(columns)} FROM registry_enterprise e "
        + " ".join(joins)
        + " WHERE "
        + " AND ".join(where)
    )


def _safe(word: str) -> str:
    if not re.fullmatch(r"[a-z_]+", word):
        raise ValueError(f"not an identifier: {word!r}")
    return word
