"""Roles of domain.md §1 and the permissions each grants."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from .permissions import Perm


class Role(models.TextChoices):
    CREDIT_OFFICER = "credit_officer", _("信用监管人员")
    FOOD_SUPERVISOR = "food_supervisor", _("食品生产监管人员")
    SPECIAL_EQUIPMENT_SUPERVISOR = "special_equipment_supervisor", _("特种设备监管人员")
    ENFORCEMENT_OFFICER = "enforcement_officer", _("执法办案人员")
    INSPECTOR = "inspector", _("执法检查人员")
    APPROVER = "approver", _("审批负责人")
    ADMINISTRATOR = "administrator", _("系统管理员")


_COMMON = {Perm.VIEW_REGISTER}
ROLE_PERMISSIONS: dict[str, set[Perm]] = {
    Role.CREDIT_OFFICER: _COMMON
    | {
        Perm.TAG_KEY_AREA,
        Perm.EXPORT,
        Perm.INGEST,
        Perm.VIEW_RISK,
        Perm.MANAGE_LISTS,
        Perm.MANAGE_COMMITMENTS,
        Perm.MANAGE_REPAIR,
        Perm.MANAGE_SHARING,
        Perm.PUBLISH_CASES,
        Perm.PUBLISH_INTEGRITY,
        Perm.VIEW_COMPLAINTS,
        Perm.MANAGE_DISCLOSURE,
    },
    Role.FOOD_SUPERVISOR: _COMMON
    | {
        Perm.TAG_KEY_AREA,
        Perm.EXPORT,
        Perm.INGEST,
        Perm.VIEW_RISK,
        Perm.MANAGE_INSPECTIONS,
        Perm.VIEW_COMPLAINTS,
    },
    Role.SPECIAL_EQUIPMENT_SUPERVISOR: _COMMON
    | {
        Perm.TAG_KEY_AREA,
        Perm.EXPORT,
        Perm.INGEST,
        Perm.VIEW_RISK,
        Perm.MANAGE_INSPECTIONS,
        Perm.VIEW_COMPLAINTS,
    },
    Role.ENFORCEMENT_OFFICER: _COMMON | {Perm.INGEST, Perm.EXPORT, Perm.MANAGE_LISTS},
    Role.INSPECTOR: _COMMON | {Perm.ENTER_RESULTS},
    Role.APPROVER: _COMMON | {Perm.APPROVE, Perm.VIEW_RISK, Perm.EXPORT},
    Role.ADMINISTRATOR: set(Perm),
}


def permissions_of(user: Any) -> set[Perm]:
    if not getattr(user, "is_authenticated", False):
        return set()
    if user.is_superuser:
        return set(Perm)
    staff = getattr(user, "staff_profile", None)
    if staff is None or not staff.active:
        return set()
    perms: set[Perm] = set()
    for role in staff.roles:
        perms |= ROLE_PERMISSIONS.get(role, set())
    return perms


def has_perm(user: Any, perm: Perm) -> bool:
    return perm in permissions_of(user)
