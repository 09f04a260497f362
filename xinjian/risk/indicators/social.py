"""Social evaluation: complaints and reports."""

from __future__ import annotations

from .base import Dimension, Indicator
from .common import _count

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "complaints_12m",
        "近一年投诉举报",
        "Complaints in 12 months",
        Dimension.SOCIAL,
        {"cmp": _count("x.received_on > {d_12m}")},
        "{cmp}",
        1,
        (0, 1, 3),
        (0, 8, 15),
        "近一年收到 {value} 件投诉举报",
    ),
    Indicator(
        "substantiated_complaints_24m",
        "近两年查证属实的投诉举报",
        "Substantiated complaints in 24 months",
        Dimension.SOCIAL,
        {"cmp": _count("x.received_on > {d_24m} AND x.substantiated")},
        "{cmp}",
        1,
        (0, 1, 2),
        (0, 20, 35),
        "近两年 {value} 件投诉举报查证属实",
    ),
    Indicator(
        "substantiated_complaints_60m",
        "近五年查证属实的投诉举报",
        "Substantiated complaints in 60 months",
        Dimension.SOCIAL,
        {"cmp": _count("x.received_on > {d_60m} AND x.substantiated")},
        "{cmp}",
        1,
        (0, 1, 2, 4),
        (0, 10, 20, 30),
        "近五年 {value} 件投诉举报查证属实",
    ),
)
