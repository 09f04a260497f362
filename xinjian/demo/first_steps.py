"""What each demo login can try first (issue 14): one sentence per person, with the work
waiting in their queue counted from the database as it is, and the page to start on."""

from __future__ import annotations

from typing import Any

from xinjian.core.permissions import Perm
from xinjian.core.roles import has_perm
from xinjian.core.workdays import today
from xinjian.inspections.models import Target, Task, TaskState
from xinjian.integrity import queries as integrity
from xinjian.lists.models import AnomalyListing, SeriousListing
from xinjian.repair import eligibility
from xinjian.repair.models import RepairApplication


def first_step(user: Any) -> tuple[str, str]:
    """(what to try, path) for one demo login."""

    if user.is_superuser:
        return "后台管理：规则、参考数据与演示账号", "admin/"
    member_of = getattr(user, "association_user", None)
    if member_of is not None:
        n = integrity.current_members(member_of.association).count()
        return f"“会员企业”：{n} 家会员企业的公示信息与名单变动推送", "association/"
    link = getattr(user, "enterprise_user", None)
    if link is not None:
        e = link.enterprise
        n = sum(1 for _k, _t, c in eligibility.candidates(e, today()) if c.eligible)
        return (
            f"“信用修复”：{n} 项记录可申请修复；“公示信息与情况说明”：对本企业的记录作出说明",
            "public/my/repair/",
        )
    association = getattr(getattr(user, "association_user", None), "association", None)
    if association is not None:
        n = association.memberships.filter(ended_on__isnull=True).count()
        return f"“会员企业”：{n} 户会员的公示信息与名单变动推送", "association/"
    if has_perm(user, Perm.ENTER_RESULTS):
        n = Target.objects.filter(
            assignments__inspector__user=user,
            draw__superseded_at__isnull=True,
            draw__task__state=TaskState.IN_PROGRESS,
            results__isnull=True,
        ).count()
        return f"“我的检查对象”：{n} 户待录入检查结果", "staff/inspections/"
    if has_perm(user, Perm.APPROVE) and not has_perm(user, Perm.MANAGE_LISTS):
        dept = getattr(getattr(user, "staff_profile", None), "department", None)
        drafts = AnomalyListing.objects.visible_to(user).filter(status="draft").count()
        serious = SeriousListing.objects.visible_to(user).filter(status="pending_approval").count()
        repairs = RepairApplication.objects.filter(
            department=dept, status__in=["accepted", "verified"]
        ).count()
        return (
            f"审批：经营异常名录待批准 {drafts} 件、严重违法失信名单待审批 {serious} 件、信用修复待决定 {repairs} 件",
            "staff/lists/",
        )
    if has_perm(user, Perm.MANAGE_REPAIR):
        n = RepairApplication.objects.visible_to(user).filter(status="submitted").count()
        drafts = AnomalyListing.objects.visible_to(user).filter(status="draft").count()
        return (
            f"“信用修复”：{n} 份申请待受理（含已超期的）；“名单管理”：{drafts} 件经营异常名录待批准",
            "staff/repair/" if n else "staff/lists/",
        )
    if has_perm(user, Perm.MANAGE_LISTS):
        n = SeriousListing.objects.visible_to(user).filter(status__in=["proposed", "notified"]).count()
        drafts = AnomalyListing.objects.visible_to(user).filter(status="draft").count()
        return (
            f"“名单管理”：{n} 件严重违法失信名单程序待推进，{drafts} 件经营异常名录待批准",
            "staff/lists/",
        )
    if has_perm(user, Perm.MANAGE_INSPECTIONS):
        n = Task.objects.visible_to(user).filter(state=TaskState.IN_PROGRESS).count()
        return f"“双随机抽查”：{n} 个任务检查实施中，可汇总结果", "staff/inspections/"
    return "工作台", "staff/"
