"""The indicator catalogue (domain.md §7): every indicator is a declaration — code,
Chinese and English name, dimension, how it is computed from records as of a date (SQL
aggregations over the record tables), the direction of risk where it is known, candidate
bins and default (expert) points. Models pick indicators from here; calibration learns
their bins and points from the inspection history (calibration.py).

How the SQL is made: each indicator names aggregate columns in one or more *sources*
(one grouped subquery per record table, so each table is scanned once per run) and an
outer expression over those columns. `aggregation_sql` joins the sources to the register
and yields one row per enterprise with one column per indicator. Dates are inlined as ISO
literals computed in Python, which both SQLite and PostgreSQL compare correctly against
date columns; nothing user-supplied is ever inlined.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db import models
from django.utils.translation import gettext_lazy as _

from xinjian.collection.models import PROBLEM_RESULTS, InspectionKind, InspectionResult, PenaltyDomain
from xinjian.core.i18n import chinese_ui


class Dimension(models.TextChoices):
    BASIC = "basic", _("基本属性")
    DYNAMIC = "dynamic", _("动态行为")
    SUPERVISION = "supervision", _("监管信息")
    RELATED = "related", _("关联关系")
    SOCIAL = "social", _("社会评价")


@dataclass(frozen=True)
class Source:
    """A grouped subquery: one row per `key`, joined to the register by `join`."""

    sql_from: str
    key: str
    where: str
    join: str  # condition between the outer enterprise `e` and the source alias
    id_filter: (
        str  # restricts the subquery to the enterprises scored: {scope} is "IN (…)" or "BETWEEN a AND b"
    )


_LISTED = "x.action = 'add' AND x.decided_on > {d_36m}"
SOURCES: dict[str, Source] = {
    "pen": Source(
        "collection_penalty x",
        "x.enterprise_id",
        "x.enterprise_id IS NOT NULL AND x.archived_at IS NULL AND x.status = 'in_force' AND x.decided_on <= {d}",
        "pen.k = e.id",
        "x.enterprise_id {scope}",
    ),
    "insp": Source(
        "collection_inspection x",
        "x.enterprise_id",
        "x.enterprise_id IS NOT NULL AND x.archived_at IS NULL AND x.inspected_on <= {d}",
        "insp.k = e.id",
        "x.enterprise_id {scope}",
    ),
    "cmp": Source(
        "collection_complaint x",
        "x.enterprise_id",
        "x.enterprise_id IS NOT NULL AND x.archived_at IS NULL AND x.received_on <= {d}",
        "cmp.k = e.id",
        "x.enterprise_id {scope}",
    ),
    "ar": Source(
        "collection_annualreport x",
        "x.enterprise_id",
        "x.enterprise_id IS NOT NULL AND x.filed_on <= {d} AND x.year >= {y3}",
        "ar.k = e.id",
        "x.enterprise_id {scope}",
    ),
    "ld": Source(
        "collection_listdecision x",
        "x.enterprise_id",
        "x.enterprise_id IS NOT NULL AND x.archived_at IS NULL AND x.decided_on <= {d}",
        "ld.k = e.id",
        "x.enterprise_id {scope}",
    ),
    "lic": Source(
        "collection_licence x",
        "x.enterprise_id",
        "x.enterprise_id IS NOT NULL AND x.archived_at IS NULL AND x.issued_on <= {d}",
        "lic.k = e.id",
        "x.enterprise_id {scope}",
    ),
    "com": Source(
        "collection_commitmentrecord x",
        "x.enterprise_id",
        "x.enterprise_id IS NOT NULL AND x.archived_at IS NULL AND x.committed_on <= {d}",
        "com.k = e.id",
        "x.enterprise_id {scope}",
    ),
    # Untrue-commitment findings (commitments app): the conclusion date is the as-of test.
    "unt": Source(
        "commitments_verification x",
        "x.enterprise_id",
        "x.status = 'untrue' AND x.concluded_on <= {d}",
        "unt.k = e.id",
        "x.enterprise_id {scope}",
    ),
    # Related parties: grouped by the legal representative's name / the address, counting
    # the enterprises behind them (the outer expression removes the enterprise itself).
    "rep_ld": Source(
        "collection_listdecision x JOIN registry_enterprise o ON o.id = x.enterprise_id",
        "o.legal_representative",
        "x.archived_at IS NULL AND x.decided_on <= {d} AND " + _LISTED,
        "rep_ld.k = e.legal_representative",
        "o.legal_representative IN (SELECT legal_representative FROM registry_enterprise WHERE id {scope})",
    ),
    "rep_pen": Source(
        "collection_penalty x JOIN registry_enterprise o ON o.id = x.enterprise_id",
        "o.legal_representative",
        "x.archived_at IS NULL AND x.status = 'in_force' AND x.decided_on <= {d} AND x.decided_on > {d_24m}",
        "rep_pen.k = e.legal_representative",
        "o.legal_representative IN (SELECT legal_representative FROM registry_enterprise WHERE id {scope})",
    ),
    "addr": Source(
        "registry_enterprise o",
        "o.address",
        "o.address <> '' AND o.established_on <= {d} AND o.status = 'operating'",
        "addr.k = e.address",
        "o.address IN (SELECT address FROM registry_enterprise WHERE id {scope})",
    ),
    "addr_ld": Source(
        "collection_listdecision x JOIN registry_enterprise o ON o.id = x.enterprise_id",
        "o.address",
        "o.address <> '' AND x.archived_at IS NULL AND x.decided_on <= {d} AND " + _LISTED,
        "addr_ld.k = e.address",
        "o.address IN (SELECT address FROM registry_enterprise WHERE id {scope})",
    ),
}


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    name_en: str
    dimension: str
    # Aggregate columns by source: {"pen": "SUM(CASE WHEN … THEN 1 ELSE 0 END)"}.
    aggs: dict[str, str]
    # Outer expression; {src} stands for COALESCE(<this indicator's column of src>, 0).
    value: str
    # +1: a higher value means higher risk; -1: lower value, higher risk; 0: not known.
    direction: int
    # Candidate bins as ascending lower bounds: (0, 1, 3) → [<1], [1, 3), [≥3].
    edges: tuple[float, ...]
    # Expert points per bin, used by the initial version before any calibration.
    default_points: tuple[int, ...]
    # How a reason reads: "{value}" is replaced by the value.
    reason: str
    models: tuple[str, ...] = ("general",)
    sql_params: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if len(self.default_points) != len(self.edges):
            raise ValueError(f"{self.code}: one default point per bin")
        if list(self.edges) != sorted(self.edges):
            raise ValueError(f"{self.code}: edges must ascend")

    def column(self, source: str) -> str:
        return f"{self.code}__{source}"

    def outer_sql(self) -> str:
        def repl(m: re.Match[str]) -> str:
            src = m.group(1)
            if src not in self.aggs:
                return m.group(0)  # a date parameter, filled later
            return f"COALESCE({src}.{self.column(src)}, 0)"

        return re.sub(r"\{(\w+)\}", repl, self.value)

    def bin_of(self, value: float, edges: Sequence[float] | None = None) -> int:
        edges = list(edges if edges is not None else self.edges)
        idx = 0
        for i, lower in enumerate(edges):
            if value >= lower:
                idx = i
        return idx

    def display_name(self) -> str:
        """The indicator's name in the UI language."""
        return self.name if chinese_ui() else self.name_en

    def explain(self, value: float) -> str:
        """A reason as a sentence in the UI language: "近两年受到 3 次行政处罚" /
        "3 penalties in the last 24 months"."""
        shown = int(value) if float(value).is_integer() else round(float(value), 2)
        english = not chinese_ui() and self.code in REASONS_EN
        text = REASONS_EN[self.code] if english else self.reason
        return text.replace("{value}", f"{shown:,}" if isinstance(shown, int) else str(shown))


_PROBLEMS = ", ".join(f"'{r}'" for r in sorted(PROBLEM_RESULTS))
_HEAVY = " OR ".join(
    f"CAST(x.penalty_types AS TEXT) LIKE '%\"{t}\"%'"
    for t in (
        "qualification_downgrade",
        "licence_revocation",
        "business_licence_revocation",
        "business_restriction",
        "suspension",
        "closure",
        "practice_restriction",
    )
)
_FOOD_LICENCES = "('food_production', 'food_additive_production')"
_SE_LICENCES = "('special_equipment_production', 'special_equipment_filling')"


def _count(cond: str) -> str:
    return f"SUM(CASE WHEN {cond} THEN 1 ELSE 0 END)"


CATALOGUE: tuple[Indicator, ...] = (
    # -- basic attributes ---------------------------------------------------------------
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
    # -- dynamic behaviour --------------------------------------------------------------
    Indicator(
        "annual_reports_late_3y",
        "近三年年报逾期或未报",
        "Annual reports late or missing (3 years)",
        Dimension.DYNAMIC,
        {"ar": _count("{filed_on_time}")},
        "CASE WHEN e.established_on <= {end_y1} THEN 1 ELSE 0 END "
        "+ CASE WHEN e.established_on <= {end_y2} THEN 1 ELSE 0 END "
        "+ CASE WHEN e.established_on <= {end_y3} THEN 1 ELSE 0 END - {ar}",
        1,
        (0, 1, 2),
        (0, 25, 45),
        "近三年有 {value} 个年度年报逾期或未报",
    ),
    Indicator(
        "licences_lapsed_24m",
        "近两年许可到期失效",
        "Licences lapsed in 24 months",
        Dimension.DYNAMIC,
        {"lic": _count("x.valid_until IS NOT NULL AND x.valid_until < {d} AND x.valid_until >= {d_24m}")},
        "{lic}",
        1,
        (0, 1),
        (0, 10),
        "近两年 {value} 件许可到期失效",
    ),
    Indicator(
        "valid_licences",
        "有效许可数",
        "Valid licences",
        Dimension.DYNAMIC,
        {
            "lic": _count(
                "(x.valid_until IS NULL OR x.valid_until >= {d}) AND x.status IN ('valid', 'expired')"
            )
        },
        "{lic}",
        0,
        (0, 1, 3),
        (5, 0, 0),
        "持有 {value} 件有效许可",
    ),
    Indicator(
        "notification_commitments_24m",
        "近两年告知承诺次数",
        "Notification commitments in 24 months",
        Dimension.DYNAMIC,
        {"com": _count("x.kind = 'notification' AND x.committed_on > {d_24m}")},
        "{com}",
        0,
        (0, 1, 3),
        (0, 3, 6),
        "近两年作出 {value} 次告知承诺",
    ),
    # -- supervision --------------------------------------------------------------------
    Indicator(
        "penalties_24m",
        "近两年行政处罚次数",
        "Penalties in 24 months",
        Dimension.SUPERVISION,
        {"pen": _count("x.decided_on > {d_24m}")},
        "{pen}",
        1,
        (0, 1, 2, 3),
        (0, 20, 35, 50),
        "近两年受到 {value} 次行政处罚",
    ),
    Indicator(
        "heavy_penalties_36m",
        "近三年较重行政处罚",
        "Heavier penalties in 36 months",
        Dimension.SUPERVISION,
        {"pen": _count(f"x.decided_on > {{d_36m}} AND (x.aggravated OR {_HEAVY})")},
        "{pen}",
        1,
        (0, 1),
        (0, 40),
        "近三年受到 {value} 次较重行政处罚",
    ),
    Indicator(
        "fines_36m",
        "近三年罚款金额（元）",
        "Fines in 36 months (yuan)",
        Dimension.SUPERVISION,
        {"pen": "SUM(CASE WHEN x.decided_on > {d_36m} THEN COALESCE(x.fine_amount, 0) ELSE 0 END)"},
        "{pen}",
        1,
        (0, 1, 10000, 100000),
        (0, 5, 10, 20),
        "近三年罚款合计 {value} 元",
    ),
    Indicator(
        "problem_inspections_24m",
        "近两年检查发现问题次数",
        "Inspections finding problems in 24 months",
        Dimension.SUPERVISION,
        {"insp": _count(f"x.inspected_on > {{d_24m}} AND x.result IN ({_PROBLEMS})")},
        "{insp}",
        1,
        (0, 1, 2),
        (0, 25, 45),
        "近两年检查 {value} 次发现问题",
    ),
    Indicator(
        "clean_inspections_24m",
        "近两年检查未发现问题次数",
        "Inspections without problems in 24 months",
        Dimension.SUPERVISION,
        {"insp": _count(f"x.inspected_on > {{d_24m}} AND x.result NOT IN ({_PROBLEMS})")},
        "{insp}",
        -1,
        (0, 1, 2),
        (10, 5, 0),
        "近两年检查 {value} 次未发现问题",
    ),
    Indicator(
        "problem_share_60m",
        "近五年检查发现问题占比（%）",
        "Share of inspections finding problems in 60 months (%)",
        Dimension.SUPERVISION,
        {
            "insp": f"100.0 * SUM(CASE WHEN x.inspected_on > {{d_60m}} AND x.result IN ({_PROBLEMS}) THEN 1 ELSE 0 END) "
            "/ (1 + SUM(CASE WHEN x.inspected_on > {d_60m} THEN 1 ELSE 0 END))"
        },
        "{insp}",
        1,
        (0, 1, 15, 30, 50),
        (0, 10, 20, 35, 50),
        "近五年检查发现问题占比 {value}%",
    ),
    Indicator(
        "penalties_60m",
        "近五年行政处罚次数",
        "Penalties in 60 months",
        Dimension.SUPERVISION,
        {"pen": _count("x.decided_on > {d_60m}")},
        "{pen}",
        1,
        (0, 1, 2, 3),
        (0, 10, 20, 30),
        "近五年受到 {value} 次行政处罚",
    ),
    Indicator(
        "anomaly_listings_36m",
        "近三年列入经营异常名录",
        "Anomaly listings in 36 months",
        Dimension.SUPERVISION,
        {"ld": _count("x.list = 'anomaly' AND " + _LISTED)},
        "{ld}",
        1,
        (0, 1, 2),
        (0, 30, 45),
        "近三年 {value} 次列入经营异常名录",
    ),
    Indicator(
        "serious_listings_36m",
        "近三年列入严重违法失信名单",
        "Serious-violation listings in 36 months",
        Dimension.SUPERVISION,
        {"ld": _count("x.list = 'serious' AND " + _LISTED)},
        "{ld}",
        1,
        (0, 1),
        (0, 60),
        "近三年 {value} 次列入严重违法失信名单",
    ),
    Indicator(
        "untrue_commitments_36m",
        "近三年承诺不实",
        "Untrue commitments in 36 months",
        Dimension.SUPERVISION,
        # domain.md §7: supervision includes untrue commitments (§6). A repaired finding still
        # counts: repair lifts publication and measures, not the history a risk model reads.
        {"unt": _count("x.concluded_on > {d_36m}")},
        "{unt}",
        1,
        (0, 1),
        (0, 30),
        "近三年 {value} 次承诺经核查不实",
    ),
    # -- related parties ----------------------------------------------------------------
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
    # -- social evaluation --------------------------------------------------------------
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
    # -- food production domain ---------------------------------------------------------
    Indicator(
        "food_sampling_failures_24m",
        "近两年食品抽检不合格",
        "Failed food sampling tests in 24 months",
        Dimension.SUPERVISION,
        {
            "insp": _count(
                f"x.inspected_on > {{d_24m}} AND x.kind = '{InspectionKind.SAMPLING_TEST}' "
                f"AND x.result = '{InspectionResult.SAMPLE_UNQUALIFIED}'"
            )
        },
        "{insp}",
        1,
        (0, 1, 2),
        (0, 30, 50),
        "近两年 {value} 批次抽检不合格",
        models=("food",),
    ),
    Indicator(
        "food_penalties_36m",
        "近三年食品安全领域处罚",
        "Food safety penalties in 36 months",
        Dimension.SUPERVISION,
        {"pen": _count(f"x.decided_on > {{d_36m}} AND x.domain = '{PenaltyDomain.FOOD_SAFETY}'")},
        "{pen}",
        1,
        (0, 1, 2),
        (0, 30, 45),
        "近三年 {value} 次食品安全行政处罚",
        models=("food",),
    ),
    Indicator(
        "food_licence_expiring",
        "食品生产许可已过期或 90 日内到期",
        "Food licence expired or expiring in 90 days",
        Dimension.DYNAMIC,
        {
            "lic": _count(
                f"x.licence_type IN {_FOOD_LICENCES} AND x.valid_until IS NOT NULL "
                "AND x.valid_until >= {d_12m} AND x.valid_until <= {d_plus_90}"
            )
        },
        "{lic}",
        1,
        (0, 1),
        (0, 15),
        "{value} 件食品生产许可已过期或即将到期",
        models=("food",),
    ),
    Indicator(
        "food_complaints_24m",
        "近两年食品类投诉举报",
        "Food complaints in 24 months",
        Dimension.SOCIAL,
        {"cmp": _count("x.received_on > {d_24m} AND (x.category LIKE '%食品%' OR x.category LIKE '%食用%')")},
        "{cmp}",
        1,
        (0, 1, 2),
        (0, 10, 20),
        "近两年 {value} 件食品类投诉举报",
        models=("food",),
    ),
    # -- special equipment domain -------------------------------------------------------
    Indicator(
        "se_inspection_failures_24m",
        "近两年特种设备检验检测不合格",
        "Failed special-equipment tests in 24 months",
        Dimension.SUPERVISION,
        {
            "insp": _count(
                f"x.inspected_on > {{d_24m}} AND x.kind = '{InspectionKind.SAMPLING_TEST}' "
                f"AND x.result = '{InspectionResult.SAMPLE_UNQUALIFIED}'"
            )
        },
        "{insp}",
        1,
        (0, 1, 2),
        (0, 30, 50),
        "近两年 {value} 次检验检测不合格",
        models=("special_equipment",),
    ),
    Indicator(
        "se_penalties_36m",
        "近三年特种设备安全领域处罚",
        "Special equipment penalties in 36 months",
        Dimension.SUPERVISION,
        {"pen": _count(f"x.decided_on > {{d_36m}} AND x.domain = '{PenaltyDomain.SPECIAL_EQUIPMENT}'")},
        "{pen}",
        1,
        (0, 1, 2),
        (0, 30, 45),
        "近三年 {value} 次特种设备安全行政处罚",
        models=("special_equipment",),
    ),
    Indicator(
        "se_licence_expiring",
        "特种设备许可已过期或 90 日内到期",
        "Special equipment licence expired or expiring in 90 days",
        Dimension.DYNAMIC,
        {
            "lic": _count(
                f"x.licence_type IN {_SE_LICENCES} AND x.valid_until IS NOT NULL "
                "AND x.valid_until >= {d_12m} AND x.valid_until <= {d_plus_90}"
            )
        },
        "{lic}",
        1,
        (0, 1),
        (0, 15),
        "{value} 件特种设备许可已过期或即将到期",
        models=("special_equipment",),
    ),
    Indicator(
        "se_complaints_24m",
        "近两年特种设备类投诉举报与事故",
        "Special equipment complaints and accidents in 24 months",
        Dimension.SOCIAL,
        {
            "cmp": _count(
                "x.received_on > {d_24m} AND (x.category LIKE '%特种设备%' OR x.category LIKE '%电梯%' "
                "OR x.category LIKE '%锅炉%' OR x.category LIKE '%气瓶%' OR x.category LIKE '%事故%')"
            )
        },
        "{cmp}",
        1,
        (0, 1, 2),
        (0, 10, 20),
        "近两年 {value} 件特种设备类投诉举报或事故",
        models=("special_equipment",),
    ),
)

# The reasons in English, for staff working in the English UI (the Chinese ones are in the
# declarations above; a test checks that every indicator has both).
REASONS_EN: dict[str, str] = {
    "age_years": "established {value} years ago",
    "registered_capital": "registered capital of {value} × 10,000 yuan",
    "natural_person_invested": "invested or owned by natural persons ({value})",
    "annual_reports_late_3y": "{value} annual reports late or missing in the last 3 years",
    "licences_lapsed_24m": "{value} licences lapsed in the last 24 months",
    "valid_licences": "holds {value} valid licences",
    "notification_commitments_24m": "{value} notification commitments in the last 24 months",
    "penalties_24m": "{value} administrative penalties in the last 24 months",
    "heavy_penalties_36m": "{value} heavier administrative penalties in the last 36 months",
    "fines_36m": "fines of {value} yuan in the last 36 months",
    "problem_inspections_24m": "{value} inspections finding problems in the last 24 months",
    "clean_inspections_24m": "{value} inspections without problems in the last 24 months",
    "problem_share_60m": "{value}% of inspections found problems in the last 60 months",
    "penalties_60m": "{value} administrative penalties in the last 60 months",
    "anomaly_listings_36m": "listed {value} times on the business anomaly list in the last 36 months",
    "serious_listings_36m": "listed {value} times on the serious-violation list in the last 36 months",
    "untrue_commitments_36m": "{value} commitments found untrue in the last 36 months",
    "rep_other_listed": "{value} other enterprises of the same legal representative listed in the last 36 months",
    "rep_other_penalised": "{value} other enterprises of the same legal representative penalised in the last 24 months",
    "enterprises_at_address": "{value} other enterprises registered at the same address",
    "address_other_listed": "{value} other enterprises at the same address listed in the last 36 months",
    "complaints_12m": "{value} complaints in the last 12 months",
    "substantiated_complaints_24m": "{value} substantiated complaints in the last 24 months",
    "substantiated_complaints_60m": "{value} substantiated complaints in the last 60 months",
    "food_sampling_failures_24m": "{value} failed food sampling tests in the last 24 months",
    "food_penalties_36m": "{value} food safety penalties in the last 36 months",
    "food_licence_expiring": "{value} food production licences expired or expiring within 90 days",
    "food_complaints_24m": "{value} food complaints in the last 24 months",
    "se_inspection_failures_24m": "{value} failed special-equipment tests in the last 24 months",
    "se_penalties_36m": "{value} special-equipment safety penalties in the last 36 months",
    "se_licence_expiring": "{value} special-equipment licences expired or expiring within 90 days",
    "se_complaints_24m": "{value} special-equipment complaints or accidents in the last 24 months",
}

BY_CODE: dict[str, Indicator] = {i.code: i for i in CATALOGUE}


def indicators_for(model_code: str, key_area_domain: str = "") -> list[Indicator]:
    """A domain model builds on the general model and adds its own indicators."""
    general = [i for i in CATALOGUE if "general" in i.models]
    if not key_area_domain:
        return general
    return general + [i for i in CATALOGUE if key_area_domain in i.models]


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
        for src, agg in ind.aggs.items():
            by_source.setdefault(src, []).append(f"{_fill(agg, params)} AS {ind.column(src)}")
    joins = []
    for src, cols in by_source.items():
        s = SOURCES[src]
        src_where = _fill(s.where, params)
        if scope is not None:
            src_where += " AND " + s.id_filter.replace("{scope}", scope)
        joins.append(
            f"LEFT JOIN (SELECT {s.key} AS k, {', '.join(cols)} FROM {s.sql_from} WHERE {src_where} "
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
