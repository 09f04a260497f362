"""API clients with scopes (interfaces.md). Tokens are stored as SHA-256 hashes."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinjian.core.jurisdiction import region_prefix, user_region_prefix


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
        client = cls.objects.create(
            name=name, token_hash=hash_token(token), scopes=scopes, region_code=region_code
        )
        return client, token


# --- pushes (domain.md §11: list changes pushed, acknowledged, fed back) ---------------

# Event types that leave the platform (pushes and GET /changes). Complaints, risk and raw
# collection events stay inside (domain.md §5).
SHAREABLE_EVENT_TYPES = [
    "listing.added",
    "listing.removed",
    "penalty.published",
    "penalty.withdrawn",
    "repair.approved",
    "repair.revoked",
    "commitment.untrue",
    "key_area.tagged",
    "key_area.untagged",
    "inspection.published",
    "licence.revoked",
    "licence.cancelled",
]


def manages_whole_province(user: Any) -> bool:
    """Province-level staff (and platform operators) manage province-wide subscriptions."""
    prefix = user_region_prefix(user)
    return prefix is not None and len(prefix) <= 2


class SubscriptionQuerySet(models.QuerySet["Subscription"]):
    def visible_to(self, user: Any) -> SubscriptionQuerySet:
        """Sharing is scoped like everything else (issue 13): a city or county officer
        sees the subscriptions for its own region or part of it, never a province-wide
        one or another region's."""
        prefix = user_region_prefix(user)
        if prefix is None:
            return self.none()
        if len(prefix) <= 2:
            return self
        return self.filter(region_code__startswith=prefix)


class DeliveryQuerySet(models.QuerySet["Delivery"]):
    def visible_to(self, user: Any) -> DeliveryQuerySet:
        """Deliveries of the subscriptions the user sees, about enterprises in the user's
        jurisdiction."""
        prefix = user_region_prefix(user)
        if prefix is None:
            return self.none()
        if len(prefix) <= 2:
            return self
        return self.filter(
            subscription__in=Subscription.objects.visible_to(user), event__region_code__startswith=prefix
        )


class Subscription(models.Model):
    """A department's subscription: which events, for which region, to which endpoint,
    signed with a shared secret (HMAC-SHA256)."""

    name = models.CharField(_("订阅名称"), max_length=100)
    department = models.CharField(_("接收部门"), max_length=100)
    client = models.ForeignKey(
        ApiClient,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subscriptions",
        help_text=_("接收方回传反馈所用的接口客户端"),
    )
    event_types = models.JSONField(_("事件类型"), default=list)
    region_code = models.CharField(_("区划代码"), max_length=6, blank=True, help_text=_("空为全省"))
    # Limited to the enterprises of an audience (`sharing.audiences`), e.g. the members of
    # an industry association ("association:12"); "" for every enterprise of the region.
    audience = models.CharField(_("对象范围"), max_length=40, blank=True, editable=False)
    endpoint = models.URLField(_("接收地址"), max_length=500)
    # The secret is needed in clear to sign; it is shown once and never rendered again.
    secret = models.CharField(max_length=128, editable=False)
    max_attempts = models.PositiveSmallIntegerField(_("最多尝试次数"), default=8)
    backoff_seconds = models.PositiveIntegerField(_("首次重试间隔（秒）"), default=30)
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    created_by = models.CharField(_("创建人"), max_length=150, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("推送订阅")
        verbose_name_plural = _("推送订阅")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def wants(self, event_type: str, region_code: str) -> bool:
        if event_type not in self.event_types:
            return False
        if not self.region_code:
            return True

        return region_code.startswith(region_prefix(self.region_code))

    def backoff(self, attempts: int) -> int:
        """Exponential backoff: base × 2^(attempts−1), capped at 6 hours."""
        return min(self.backoff_seconds * 2 ** max(attempts - 1, 0), 6 * 3600)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待投递")
    DELIVERED = "delivered", _("已确认")
    DEAD = "dead", _("死信")


class Delivery(models.Model):
    """One event to one subscriber. Delivered in event order per (subscription,
    enterprise): a delivery waits while an earlier one for the same enterprise is not
    acknowledged (dead letters included, until replayed)."""

    subscription = models.ForeignKey(Subscription, on_delete=models.PROTECT, related_name="deliveries")
    event = models.ForeignKey("core.Event", on_delete=models.PROTECT, related_name="+")
    uscc = models.CharField(max_length=18, blank=True, db_index=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("最近尝试"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    delivered_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    dead_at = models.DateTimeField(_("进入死信时间"), null=True, blank=True)
    replays = models.PositiveSmallIntegerField(_("重放次数"), default=0)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("推送投递")
        verbose_name_plural = _("推送投递")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["subscription", "event"], name="delivery_once")]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["subscription", "uscc", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.subscription} #{self.event_id}"


class Feedback(models.Model):
    """What a receiving department did about a pushed change (joint punishment applied)."""

    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="+")
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, db_index=True)
    event = models.ForeignKey("core.Event", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    measure = models.CharField(_("措施"), max_length=60)
    action_taken = models.TextField(_("采取的行动"))
    applied_on = models.DateField(_("实施日期"))
    department = models.CharField(_("反馈部门"), max_length=100)
    received_at = models.DateTimeField(_("接收时间"), default=timezone.now)

    class Meta:
        verbose_name = _("惩戒反馈")
        verbose_name_plural = _("惩戒反馈")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.uscc} {self.measure}"


# --- credit reports (domain.md §13: a point-in-time report with a number and a
# verification code; docs/adr/0066) -----------------------------------------------------


class ReportSequence(models.Model):
    """The last report number handed out on a day (numbers run per day, per instance)."""

    day = models.DateField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("信用报告编号序列")
        verbose_name_plural = _("信用报告编号序列")

    def __str__(self) -> str:
        return f"{self.day}: {self.last}"


class CreditReport(models.Model):
    """An issued credit report: an immutable snapshot of what the disclosure policy made
    public about one enterprise at `issued_at`. `canonical` is the exact text hashed
    (sorted keys, no whitespace, UTF-8), kept as text because a JSON column may reorder
    keys (PostgreSQL jsonb). The verification code is not stored: it is an HMAC of
    `sha256` (reports.verification_code), so the database alone cannot mint or alter a
    genuine report."""

    number = models.CharField(_("报告编号"), max_length=32, unique=True)
    enterprise = models.ForeignKey(
        "registry.Enterprise", on_delete=models.PROTECT, related_name="credit_reports"
    )
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, db_index=True)
    name = models.CharField(_("企业名称"), max_length=200)
    issued_at = models.DateTimeField(_("出具时间"))
    as_of = models.DateField(_("信息截至"))
    canonical = models.TextField(_("报告内容（规范JSON）"), editable=False)
    sha256 = models.CharField(_("内容摘要（SHA-256）"), max_length=64, editable=False)
    channel = models.CharField(_("出具渠道"), max_length=10, default="web")

    class Meta:
        verbose_name = _("信用报告")
        verbose_name_plural = _("信用报告")
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["enterprise", "issued_at"])]

    def __str__(self) -> str:
        return self.number

    def save(self, *args: object, **kwargs: object) -> None:
        # A report is what was issued: it is written once and never changed.
        if not self._state.adding:
            raise ValueError("credit reports are immutable")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError("credit reports are immutable")
