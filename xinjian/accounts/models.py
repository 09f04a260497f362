"""Staff bound to a department with roles; enterprise users bound to an enterprise."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from xinjian.core.roles import Role
from xinjian.registry.models import Department, Enterprise, Office


def _validate_roles(value: object) -> None:
    if not isinstance(value, list) or any(r not in Role.values for r in value):
        raise ValidationError(_("角色必须是以下之一：%(roles)s"), params={"roles": ", ".join(Role.values)})


class StaffProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff_profile"
    )
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="staff")
    office = models.ForeignKey(Office, null=True, blank=True, on_delete=models.PROTECT, related_name="staff")
    roles = models.JSONField(_("角色"), default=list, validators=[_validate_roles])
    active = models.BooleanField(_("在岗"), default=True)

    class Meta:
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.get_username()}（{self.department}）"

    def role_labels(self) -> list[str]:
        labels = dict(Role.choices)
        return [str(labels.get(r, r)) for r in self.roles]


class EnterpriseUser(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enterprise_user"
    )
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="users")

    class Meta:
        verbose_name = _("企业用户")
        verbose_name_plural = _("企业用户")

    def __str__(self) -> str:
        return f"{self.user.get_username()} → {self.enterprise.name}"


class TokenFailures(models.Model):
    """Wrong API tokens (401) from one address (issue 13): after the login failure limit
    the address is locked for the cool-off, like a password login (accounts.lockout)."""

    address = models.CharField(_("地址"), max_length=64, primary_key=True)
    failures = models.PositiveIntegerField(_("失败次数"), default=0)
    last_failed_at = models.DateTimeField(_("最近失败时间"))
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌验证失败")
        verbose_name_plural = _("接口令牌验证失败")

    def __str__(self) -> str:
        return f"{self.address} ×{self.failures}"
