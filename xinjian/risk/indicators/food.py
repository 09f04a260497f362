"""Food production domain model (general + these)."""

from __future__ import annotations

from xinjian.collection.models import InspectionKind, InspectionResult, PenaltyDomain

from .base import Dimension, Indicator
from .common import _FOOD_LICENCES, _count

INDICATORS: tuple[Indicator, ...] = (
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
)
