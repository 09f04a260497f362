"""API clients with scopes (interfaces.md). Tokens are stored as SHA-256 hashes."""

from __future__ import annotations

import hashlib
import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    INGEST = "ingest", _("数据归集")
    CONSTRAINTS = "constraints", _("约束查询")
    RISK = "risk", _("风险分类")
    CHANGES = "changes", _("变更订阅")
    SHARE = "share", _("数据共享")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiClient(models.Model):
    name = models.CharField(_("名称"), max_length=100, unique=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("权限范围"), default=list)
    # Region the client may read (risk): a division code; empty means the whole province.
    region_code = models.CharField(_("区划代码"), max_length=6, blank=True)
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("接口客户端")
        verbose_name_plural = _("接口客户端")

    def __str__(self) -> str:
        return self.name

    @property
    def actor_label(self) -> str:
        return f"api:{self.name}"

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    @classmethod
    def issue(cls, name: str, scopes: list[str], region_code: str = "") -> tuple[ApiClient, str]:
        """Create a client and return it with its token (shown once, never stored)."""
        token = "xj_" + secrets.token_urlsafe(32)
        client = cls.objects.create(name=name, token_hash=hash_token(token), scopes=scopes, region_code=region_code)
        return client, token
