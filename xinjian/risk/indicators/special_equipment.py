"""Special equipment domain model (general + these)."""

from __future__ import annotations

from xinjian.collection.models import InspectionKind, InspectionResult, PenaltyDomain

from .base import Dimension, Indicator
from .common import _SE_LICENCES, _count

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "se_inspection_failures_24m",
        "近两年特种设备检验检测不合格",
        "Failed special-equipment tests in 24 months",
        Dimension.SUPERVISION,
        {
            "insp": _count(
                f"x.inspected_on > {{d_24m}} AND x.kind = '{InspectionKind.EQUIPMENT_TEST}' "
                f"AND x.result = '{InspectionResult.TEST_UNQUALIFIED}'"
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
