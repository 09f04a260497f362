"""Every state change of double random (architecture rule 1): atomic, audited, with an
event in the same transaction.

One module per noun: `reference` (inspectors, rules, item lists), `tasks` (plans and
the task workflow), `draws`, `results`; this package re-exports their public names."""

from __future__ import annotations

from ._workflow import TASKS
from .draws import draw_task, redraw
from .reference import (
    add_inspector,
    declare_conflict,
    save_inspection_item,
    save_key_supervision_item,
    set_inspector_active,
    set_rule,
)
from .results import ANOMALY_GROUNDS, record_result
from .tasks import close_task, complete_results, create_plan, create_task, publish_task, start_inspections

__all__ = [
    "TASKS",
    "ANOMALY_GROUNDS",
    "add_inspector",
    "close_task",
    "complete_results",
    "create_plan",
    "create_task",
    "declare_conflict",
    "draw_task",
    "publish_task",
    "record_result",
    "redraw",
    "save_inspection_item",
    "save_key_supervision_item",
    "set_inspector_active",
    "set_rule",
    "start_inspections",
]
