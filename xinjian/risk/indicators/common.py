"""SQL fragments several indicator groups share."""

from __future__ import annotations

from xinjian.collection.models import PROBLEM_RESULTS

from .sources import _LISTED

__all__ = ["_FOOD_LICENCES", "_HEAVY", "_LISTED", "_PROBLEMS", "_SE_LICENCES", "_count"]

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
