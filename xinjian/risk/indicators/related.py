"""Related parties: the legal representative's other enterprises, the address, the trade."""

from __future__ import annotations

from .base import Dimension, Indicator
from .common import _LISTED, _PROBLEMS

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
    # Problems found among related enterprises (issue 17): share of their inspections in
    # 60 months that found a problem, the enterprise's own inspections excluded; 1 is added
    # to the denominator so a single visit does not make 100 %.
    Indicator(
        "rep_problem_share_60m",
        "同一法定代表人的其他企业检查发现问题占比（%）",
        "Share of inspections of the legal representative's other enterprises finding problems (%)",
        Dimension.RELATED,
        {
            "rep_insp": f"SUM(CASE WHEN x.result IN ({_PROBLEMS}) THEN 1 ELSE 0 END)",
            "rep_insp:n": "COUNT(*)",
            "insp": f"SUM(CASE WHEN x.inspected_on > {{d_60m}} AND x.result IN ({_PROBLEMS}) THEN 1 ELSE 0 END)",
            "insp:n": "SUM(CASE WHEN x.inspected_on > {d_60m} THEN 1 ELSE 0 END)",
        },
        "100.0 * ({rep_insp} - {insp}) / (1 + {rep_insp:n} - {insp:n})",
        1,
        (0, 1, 15, 30, 50),
        (0, 5, 10, 20, 30),
        "同一法定代表人的其他企业近五年检查发现问题占比 {value}%",
    ),
    Indicator(
        "address_problem_share_60m",
        "同一住所的其他企业检查发现问题占比（%）",
        "Share of inspections of other enterprises at the address finding problems (%)",
        Dimension.RELATED,
        {
            "addr_insp": f"SUM(CASE WHEN x.result IN ({_PROBLEMS}) THEN 1 ELSE 0 END)",
            "addr_insp:n": "COUNT(*)",
            "insp": f"SUM(CASE WHEN x.inspected_on > {{d_60m}} AND x.result IN ({_PROBLEMS}) THEN 1 ELSE 0 END)",
            "insp:n": "SUM(CASE WHEN x.inspected_on > {d_60m} THEN 1 ELSE 0 END)",
        },
        "CASE WHEN e.address = '' THEN 0 ELSE "
        "100.0 * ({addr_insp} - {insp}) / (1 + {addr_insp:n} - {insp:n}) END",
        1,
        (0, 1, 15, 30, 50),
        (0, 5, 10, 20, 30),
        "同一住所的其他企业近五年检查发现问题占比 {value}%",
    ),
    Indicator(
        "trade_problem_share_60m",
        "同类许可持证企业检查发现问题占比（%）",
        "Share of inspections finding problems among holders of the same kind of licence (%)",
        Dimension.RELATED,
        {"trade_insp": "MAX(100.0 * r.bad / (1 + r.n))"},
        "{trade_insp}",
        0,  # enterprises without a licence have no trade here, so no direction is declared
        (0, 5, 10, 20, 30),
        (0, 0, 0, 0, 0),
        "所持许可类别的企业近五年检查发现问题占比 {value}%",
    ),
)
