"""Dynamic behaviour: annual reports, licences, commitments."""

from __future__ import annotations

from .base import Dimension, Indicator
from .common import _count

INDICATORS: tuple[Indicator, ...] = (
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
)
