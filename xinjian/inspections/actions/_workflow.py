"""The task workflow (draft → published → drawn → in progress → results → closed; a
re-draw returns a drawn task to published): who may take each step and what it reports.
The task page's buttons are rendered from this table. Every step's action emits its
event itself (with the task code and what the step produced)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xinjian.core.events import EventType as E
from xinjian.core.permissions import Perm
from xinjian.core.workflow import Field, Transition, Workflow

from ..models import Task, TaskState, TaskTransition

T, S, P = Transition, TaskState, Perm.MANAGE_INSPECTIONS

TASKS = Workflow(
    "inspections.task",
    Task,
    {
        "create": T({""}, S.DRAFT, _("创建任务"), event=E.INSPECTION_TASK_CREATED, custom_event=True),
        "publish": T(
            {S.DRAFT},
            S.PUBLISHED,
            _("公布任务"),
            perm=P,
            event=E.INSPECTION_TASK_PUBLISHED,
            custom_event=True,
            handler="publish_task",
            done=_("任务已公布，种子承诺值已公开"),
        ),
        "draw": T(
            {S.PUBLISHED},
            S.DRAWN,
            _("抽取检查对象"),
            perm=P,
            event=E.INSPECTION_DRAWN,
            custom_event=True,
            handler="draw_task",
            done=_("已完成抽取并分派检查人员"),
        ),
        "start": T(
            {S.DRAWN},
            S.IN_PROGRESS,
            _("开始检查"),
            perm=P,
            event=E.INSPECTION_TASK_STARTED,
            custom_event=True,
            handler="start_inspections",
            done=_("已开始实施检查"),
        ),
        "redraw": T(
            {S.DRAWN},
            S.PUBLISHED,
            _("重新抽取"),
            perm=P,
            event=E.INSPECTION_REDRAW,
            custom_event=True,
            handler="redraw",
            fields=(Field("reason", _("重新抽取原因")),),
            done=_("原抽取已作废，已公布新的种子承诺值，请重新抽取"),
        ),
        "complete": T(
            {S.IN_PROGRESS},
            S.RESULTS,
            _("汇总结果"),
            perm=P,
            event=E.INSPECTION_RESULTS_COMPLETED,
            custom_event=True,
            handler="complete_results",
            done=_("检查结果已汇总"),
        ),
        "close": T(
            {S.RESULTS},
            S.CLOSED,
            _("办结任务"),
            perm=P,
            event=E.INSPECTION_TASK_CLOSED,
            custom_event=True,
            handler="close_task",
            done=_("任务已办结"),
        ),
    },
    history=TaskTransition,
    link="task",
    audit_prefix="inspections.task",
    state_field="state",
    actions_module="xinjian.inspections.actions",
    detail_url="inspections:task",
)
