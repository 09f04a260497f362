"""SQL fragments several indicator groups share."""

from __future__ import annotations

from xinjian.collection.models import PROBLEM_RESULTS

from .sources import _LISTED

__all__ = ["_FOOD_LICENCES", "_LISTED", "_PROBLEMS", "_SE_LICENCES", "_count"]

_PROBLEMS = ", ".join(f"'{r}'" for r in sorted(PROBLEM_RESULTS))
_FOOD_LICENCES = "('food_production', 'food_additive_production')"
_SE_LICENCES = "('special_equipment_production', 'special_equipment_filling')"


def _count(cond: str) -> str:
    return f"SUM(CASE WHEN {cond} THEN 1 ELSE 0 END)"
