"""Related parties: the legal representative's other enterprises, the address, the trade."""

from __future__ import annotations

from .base import Dimension, Indicator
from .common import _LISTED, _PROBLEMS

_OWN_DUE = (
    "(CASE WHEN e.established_on <= {end_y1} THEN 1 ELSE 0 END "
    "+ CASE WHEN e.established_on <= {end_y2} THEN 1 ELSE 0 END "
    "+ CASE WHEN e.established_on <= {end_y3} THEN 1 ELSE 0 END)"
)
_OWN_INSP = {
    "insp": f"SUM(CASE WHEN x.inspected_on > {{d_60m}} AND x.result IN ({_PROBLEMS}) THEN 1 ELSE 0 END)",
    "insp:n": "SUM(CASE WHEN x.inspected_on > {d_60m} THEN 1 ELSE 0 END)",
}

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
    # The same inspections as counts (issue 17): a share over two visits and a share over
    # twenty say different things; with the count of problem and of clean inspections a
    # model weighs the evidence by how much of it there is.
    Indicator(
        "rep_other_problem_inspections_60m",
        "同一法定代表人的其他企业近五年检查发现问题次数",
        "Inspections of the legal representative's other enterprises finding problems in 60 months",
        Dimension.RELATED,
        {
            "rep_insp": f"SUM(CASE WHEN x.result IN ({_PROBLEMS}) THEN 1 ELSE 0 END)",
            "insp": _OWN_INSP["insp"],
        },
        "{rep_insp} - {insp}",
        1,
        (0, 1, 2, 4),
        (0, 5, 10, 20),
        "同一法定代表人的其他企业近五年检查 {value} 次发现问题",
    ),
    Indicator(
        "rep_other_clean_inspections_60m",
        "同一法定代表人的其他企业近五年检查未发现问题次数",
        "Inspections of the legal representative's other enterprises without problems in 60 months",
        Dimension.RELATED,
        {
            "rep_insp": f"SUM(CASE WHEN x.result NOT IN ({_PROBLEMS}) THEN 1 ELSE 0 END)",
            "insp": f"SUM(CASE WHEN x.inspected_on > {{d_60m}} AND x.result NOT IN ({_PROBLEMS}) THEN 1 ELSE 0 END)",
        },
        "{rep_insp} - {insp}",
        -1,
        (0, 1, 3, 6),
        (5, 3, 0, 0),
        "同一法定代表人的其他企业近五年检查 {value} 次未发现问题",
    ),
    # The legal representative's other enterprises beyond inspections (issue 17): annual
    # reports they owed in the last three due years and did not file on time, and
    # substantiated complaints against them per enterprise — records every enterprise has,
    # inspected or not.
    Indicator(
        "rep_other_reports_late_share",
        "同一法定代表人的其他企业年报逾期或未报占比（%）",
        "Share of annual reports of the legal representative's other enterprises late or missing (%)",
        Dimension.RELATED,
        {
            "rep_ent:due": "SUM(CASE WHEN o.established_on <= {end_y1} THEN 1 ELSE 0 END "
            "+ CASE WHEN o.established_on <= {end_y2} THEN 1 ELSE 0 END "
            "+ CASE WHEN o.established_on <= {end_y3} THEN 1 ELSE 0 END)",
            "rep_ar": "SUM(CASE WHEN {filed_on_time} THEN 1 ELSE 0 END)",
            "ar": "SUM(CASE WHEN {filed_on_time} THEN 1 ELSE 0 END)",
        },
        "CASE WHEN {rep_ent:due} - " + _OWN_DUE + " <= 0 THEN 0 ELSE "
        "100.0 * (({rep_ent:due} - " + _OWN_DUE + ") - ({rep_ar} - {ar})) "
        "/ (1 + {rep_ent:due} - " + _OWN_DUE + ") END",
        1,
        (0, 1, 20, 40),
        (0, 5, 10, 20),
        "同一法定代表人的其他企业近三年年报逾期或未报占比 {value}%",
    ),
    Indicator(
        "rep_other_complaints_per_enterprise",
        "同一法定代表人的其他企业户均查证属实投诉（件/百户）",
        "Substantiated complaints per 100 other enterprises of the legal representative",
        Dimension.RELATED,
        {
            "rep_ent": "COUNT(*)",
            "rep_cmp": "SUM(CASE WHEN x.substantiated THEN 1 ELSE 0 END)",
            "cmp": "SUM(CASE WHEN x.received_on > {d_36m} AND x.substantiated THEN 1 ELSE 0 END)",
        },
        "CASE WHEN {rep_ent} <= 1 THEN 0 ELSE 100.0 * ({rep_cmp} - {cmp}) / ({rep_ent} - 1) END",
        1,
        (0, 1, 30, 80),
        (0, 5, 10, 20),
        "同一法定代表人的其他企业近三年每百户查证属实投诉 {value} 件",
    ),
    # Two hops (issue 17): problems found among the enterprises at every address the
    # legal representative's enterprises use, and among every enterprise of the legal
    # representatives registered at this address; the enterprise's own inspections excluded.
    Indicator(
        "rep_network_problem_share_60m",
        "法定代表人关联网络（其企业住所上的全部企业）检查发现问题占比（%）",
        "Share of inspections finding problems at every address of the legal representative's enterprises (%)",
        Dimension.RELATED,
        {
            "rep2_insp": f"COUNT(DISTINCT CASE WHEN x.result IN ({_PROBLEMS}) THEN x.id END)",
            "rep2_insp:n": "COUNT(DISTINCT x.id)",
            **_OWN_INSP,
        },
        "CASE WHEN e.address = '' THEN 100.0 * {rep2_insp} / (1 + {rep2_insp:n}) "
        "ELSE 100.0 * ({rep2_insp} - {insp}) / (1 + {rep2_insp:n} - {insp:n}) END",
        1,
        (0, 1, 15, 30, 50),
        (0, 5, 10, 20, 30),
        "法定代表人名下企业所在住所的其他企业近五年检查发现问题占比 {value}%",
    ),
    Indicator(
        "address_network_problem_share_60m",
        "住所关联网络（同住所企业的法定代表人名下全部企业）检查发现问题占比（%）",
        "Share of inspections finding problems among all enterprises of the legal representatives at the address (%)",
        Dimension.RELATED,
        {
            "addr2_insp": f"COUNT(DISTINCT CASE WHEN x.result IN ({_PROBLEMS}) THEN x.id END)",
            "addr2_insp:n": "COUNT(DISTINCT x.id)",
            **_OWN_INSP,
        },
        "CASE WHEN e.address = '' THEN 0 "
        "ELSE 100.0 * ({addr2_insp} - {insp}) / (1 + {addr2_insp:n} - {insp:n}) END",
        1,
        (0, 1, 15, 30, 50),
        (0, 5, 10, 20, 30),
        "同住所企业的法定代表人名下其他企业近五年检查发现问题占比 {value}%",
    ),
    Indicator(
        "scope_problem_share_60m",
        "相同经营范围企业检查发现问题占比（%）",
        "Share of inspections finding problems among enterprises with the same business scope (%)",
        Dimension.RELATED,
        {
            "scope_insp": f"SUM(CASE WHEN x.result IN ({_PROBLEMS}) THEN 1 ELSE 0 END)",
            "scope_insp:n": "COUNT(*)",
            **_OWN_INSP,
        },
        "CASE WHEN e.business_scope = '' THEN 0 ELSE "
        "100.0 * ({scope_insp} - {insp}) / (1 + {scope_insp:n} - {insp:n}) END",
        1,
        (0, 5, 10, 15, 20, 30),
        (0, 0, 5, 10, 15, 20),
        "经营范围相同的其他企业近五年检查发现问题占比 {value}%",
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
