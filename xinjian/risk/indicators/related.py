"""Related parties: the legal representative's other enterprises, the address."""

from __future__ import annotations

from .base import Dimension, Indicator
from .common import _LISTED

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "rep_other_listed",
        "同一法定代表人的其他企业被列入名单",
        "Other enterprises of the legal representative listed",
        Dimension.RELATED,
        {
            "rep_ld": "COUNT(DISTINCT x.enterprise_id)",
            "ld": "MAX(CASE WHEN " + _LISTED + " THEN 1 ELSE 0 END)",
        },
        "{rep_ld} - {ld}",
        1,
        (0, 1, 2),
        (0, 20, 30),
        "同一法定代表人的其他 {value} 家企业近三年被列入名单",
    ),
    Indicator(
        "rep_other_penalised",
        "同一法定代表人的其他企业受处罚",
        "Other enterprises of the legal representative penalised",
        Dimension.RELATED,
        {
            "rep_pen": "COUNT(DISTINCT x.enterprise_id)",
            "pen": "MAX(CASE WHEN x.decided_on > {d_24m} THEN 1 ELSE 0 END)",
        },
        "{rep_pen} - {pen}",
        1,
        (0, 1, 2),
        (0, 10, 20),
        "同一法定代表人的其他 {value} 家企业近两年受到处罚",
    ),
    Indicator(
        "enterprises_at_address",
        "同一住所的其他企业数",
        "Other enterprises at the same address",
        Dimension.RELATED,
        {"addr": "COUNT(*)"},
        "CASE WHEN {addr} > 0 THEN {addr} - 1 ELSE 0 END",
        1,
        (0, 1, 3, 10),
        (0, 3, 10, 25),
        "同一住所登记了其他 {value} 家企业",
    ),
    Indicator(
        "address_other_listed",
        "同一住所的其他企业被列入名单",
        "Other enterprises at the address listed",
        Dimension.RELATED,
        {
            "addr_ld": "COUNT(DISTINCT x.enterprise_id)",
            "ld": "MAX(CASE WHEN " + _LISTED + " THEN 1 ELSE 0 END)",
        },
        "CASE WHEN e.address = '' THEN 0 ELSE {addr_ld} - {ld} END",
        1,
        (0, 1),
        (0, 15),
        "同一住所的其他 {value} 家企业近三年被列入名单",
    ),
)
