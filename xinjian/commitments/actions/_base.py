"""What every commitments action shares: the verification transition table and move, and
the public profile cache."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from xinjian.accounts.models import StaffProfile
from xinjian.core.events import EventType
from xinjian.core.permissions import Perm
from xinjian.core.workflow import Field, Transition, Workflow
from xinjian.disclosure.queries import forget_profile
from xinjian.registry.departments import covering_divisions

from ..models import (
    Verification,
    VerificationHistory,
    VerificationStatus,
)

V = VerificationStatus

T, E = Transition, EventType


def _payload(v: Verification) -> dict[str, Any]:
    return {"verification_id": v.pk, "commitment_id": v.commitment_id, "commitment_kind": v.kind}


def _assignees(v: Verification) -> list[tuple[str, str]]:
    """The staff a verification may be given to (active, their jurisdiction covering the
    enterprise), as (user id, name and department): the assign button's choices."""
    codes = covering_divisions(v.enterprise.region_code)
    profiles = (
        StaffProfile.objects.filter(active=True, department__division_id__in=codes)
        .select_related("user", "department")
        .order_by("department__division_id", "user__username")
    )
    return [
        (str(p.user_id), f"{p.user.get_full_name() or p.user.get_username()}（{p.department.name}）")
        for p in profiles
    ]


VERIFICATION = Workflow(
    "commitments.verification",
    Verification,
    {
        "select": T({""}, V.SELECTED, _("选定核查"), event=E.VERIFICATION_SELECTED),
        # Assignment and the "kept" conclusion are the page's buttons (issue 14). The untrue
        # conclusion keeps its own form: its consequences are ticked by kind, each with its
        # own document number or period, which a button's flat inputs cannot express.
        "assign": T(
            {V.SELECTED, V.ASSIGNED},
            V.ASSIGNED,
            _("分派核查"),
            perm=Perm.MANAGE_COMMITMENTS,
            event=E.VERIFICATION_ASSIGNED,
            handler="assign_to",
            fields=(
                Field("assignee", _("核查人员"), kind="select", choices=lambda v: _assignees(v)),
                Field("reason", _("原因"), required=False),
            ),
            done=_("已分派核查"),
        ),
        "conclude_kept": T(
            {V.ASSIGNED},
            V.KEPT,
            _("结论：承诺属实"),
            perm=Perm.MANAGE_COMMITMENTS,
            event=E.VERIFICATION_KEPT,
            handler="conclude_kept",
            fields=(
                Field("facts", _("核查事实"), kind="textarea", max_length=20000),
                Field("documents", _("文书与材料"), required=False, kind="textarea", max_length=20000),
                Field("finding_no", _("核查结论文书编号"), required=False, max_length=100),
            ),
            done=_("已作出核查结论：承诺属实"),
        ),
        "conclude_untrue": T(
            {V.ASSIGNED}, V.UNTRUE, _("结论：承诺不实"), event=E.COMMITMENT_UNTRUE, custom_event=True
        ),
        "cancel": T(
            {V.SELECTED, V.ASSIGNED},
            V.CANCELLED,
            _("撤销核查"),
            perm=Perm.MANAGE_COMMITMENTS,
            event=E.VERIFICATION_CANCELLED,
            handler="cancel",
            fields=(Field("reason", _("撤销核查的理由")),),
            done=_("已撤销核查"),
        ),
        "record_rectified": T({V.UNTRUE}, V.UNTRUE, _("登记整改完成"), event=E.VERIFICATION_RECTIFIED),
        "flag_overdue": T({V.UNTRUE}, V.UNTRUE, _("逾期未整改"), event=E.VERIFICATION_OVERDUE),
        "repair": T({V.UNTRUE}, V.UNTRUE, _("信用修复"), event=E.VERIFICATION_REPAIRED),
        "revoke_repair": T({V.UNTRUE}, V.UNTRUE, _("撤销信用修复"), event=E.VERIFICATION_REPAIR_REVOKED),
    },
    history=VerificationHistory,
    link="verification",
    audit_prefix="commitments.verification",
    actions_module="xinjian.commitments.actions",
    detail_url="commitments:verification",
    payload=_payload,
)
VERIFICATION_TRANSITIONS = VERIFICATION.transitions


def _forget_profile(uscc: str) -> None:
    """The public profile is cached (disclosure ADR 0033): drop it once the change commits."""

    transaction.on_commit(lambda: forget_profile(uscc))


def _move(
    v: Verification, action: str, *, actor: Any, on: dt.date, reason: str = "", document_no: str = ""
) -> None:
    VERIFICATION.move(v, action, actor=actor, on=on, reason=reason, document_no=document_no)
