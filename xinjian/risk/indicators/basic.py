"""Basic attributes: age, capital, kind of investor (register fields)."""

from __future__ import annotations

from .base import Dimension, Indicator

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "age_years",
        "成立年限",
        "Years since establishment",
        Dimension.BASIC,
        {},
        "CASE WHEN e.established_on > {d_1y} THEN 0 WHEN e.established_on > {d_2y} THEN 1 "
        "WHEN e.established_on > {d_3y} THEN 2 WHEN e.established_on > {d_5y} THEN 3 "
        "WHEN e.established_on > {d_10y} THEN 5 ELSE 10 END",
        -1,
        (0, 1, 3, 5, 10),
        (30, 20, 10, 5, 0),
        "成立满 {value} 年",
    ),
    Indicator(
        "registered_capital",
        "注册资本（万元）",
        "Registered capital (10k yuan)",
        Dimension.BASIC,
        {},
        "COALESCE(e.registered_capital, 0)",
        -1,
        (0, 50, 100, 500, 1000),
        (20, 12, 8, 4, 0),
        "注册资本 {value} 万元",
    ),
    Indicator(
        "natural_person_invested",
        "自然人投资或独资",
        "Invested or owned by natural persons",
        Dimension.BASIC,
        {},
        "CASE WHEN e.entity_type LIKE '%自然人%' OR e.entity_type LIKE '%个人独资%' "
        "OR e.entity_type LIKE '%个体%' THEN 1 ELSE 0 END",
        0,
        (0, 1),
        (0, 5),
        "自然人投资或独资主体（{value}）",
    ),
)
