"""Shared bases: audited and archivable models, the audit trail, the event log (outbox),
consumer cursors and the working-day calendar table."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import auditchain


class AuditedModel(models.Model):
    """Who created and last changed a row, and when."""

    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    created_by = models.CharField(_("创建人"), max_length=150, blank=True, editable=False)
    modified_at = models.DateTimeField(_("修改时间"), default=timezone.now, editable=False)
    modified_by = models.CharField(_("修改人"), max_length=150, blank=True, editable=False)

    class Meta:
        abstract = True

    def touch(self, actor_label: str) -> None:
        """Stamp the modification columns; callers save()."""
        self.modified_at = timezone.now()
        self.modified_by = actor_label
        if not self.created_by:
            self.created_by = actor_label


class ArchivableModel(models.Model):
    """Regulatory records are archived, never deleted (architecture rule 7)."""

    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True, editable=False)
    archived_by = models.CharField(_("归档人"), max_length=150, blank=True, editable=False)
    archive_reason = models.TextField(_("归档原因"), blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class TransitionRecord(models.Model):
    """One row per transition of a workflow (architecture rule 2): who, when, why, which
    document. Each workflow's history model adds the foreign key to what moved;
    `core.workflow.move` writes the rows."""

    from_status = models.CharField(_("原状态"), max_length=20, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20)
    action = models.CharField(_("动作"), max_length=30)
    at = models.DateTimeField(_("时间"))
    on = models.DateField(_("日期"))
    actor_label = models.CharField(_("操作人"), max_length=150)
    reason = models.TextField(_("说明"), blank=True)
    document_no = models.CharField(_("文书编号"), max_length=100, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.on} {self.action} {self.from_status}→{self.to_status}"


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        """Every bulk write of the trail is chained too (core.auditchain)."""
        objs = list(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            auditchain.link(self.model, objs)
            return super().bulk_create(objs, *args, **kwargs)


class AuditEntry(models.Model):
    """One entry per action: who, when, what, before → after (and why). Entries form a
    hash chain in commit order (core.auditchain): `hash` covers the content and
    `prev_hash`, the hash of the entry before."""

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(_("操作人"), max_length=150)
    action = models.CharField(_("操作"), max_length=80, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=80)
    object_id = models.CharField(_("对象编号"), max_length=64)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, db_index=True)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    reason = models.TextField(_("原因"), blank=True)
    prev_hash = models.CharField(_("前一条记录的哈希"), max_length=64, editable=False)
    hash = models.CharField(_("哈希"), max_length=64, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}#{self.object_id}"
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise RuntimeError("audit entries are written once and never changed")
        with transaction.atomic(using=kwargs.get("using"), savepoint=False):
            auditchain.link(type(self), [self])
            super().save(*args, **kwargs)


class Event(models.Model):
    """The outbox. Written in the same transaction as the change it reports; the id is the
    cursor, and `core.events.emit` serialises writers on PostgreSQL so that ids become
    visible in commit order (a reader never skips an event committed late)."""

    type = models.CharField(_("事件类型"), max_length=64)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    region_code = models.CharField(_("区划代码"), max_length=6, blank=True)
    occurred_at = models.DateTimeField(_("发生时间"), default=timezone.now)
    data: models.JSONField[Any] = models.JSONField(_("数据"), default=dict)

    class Meta:
        verbose_name = _("事件")
        verbose_name_plural = _("事件")
        ordering = ["id"]
        # Plain b-trees for the lookups by type and by enterprise; declared here rather than
        # with db_index, which on PostgreSQL adds a second, LIKE-only index per column that no
        # query uses and every event written pays for (ADR 0067).
        indexes = [
            models.Index(fields=["type"], name="core_event_type_idx"),
            models.Index(fields=["uscc"], name="core_event_uscc_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.type} {self.uscc}"


class ConsumerCursor(models.Model):
    """How far one reaction has read the event log."""

    name = models.CharField(max_length=64, primary_key=True)
    position = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("事件消费位置")
        verbose_name_plural = _("事件消费位置")

    def __str__(self) -> str:
        return f"{self.name}@{self.position}"


class CalendarYear(models.Model):
    """A year whose official holiday arrangement has been entered. Deadlines that run
    through a year without one are provisional (domain.md §14)."""

    year = models.PositiveSmallIntegerField(_("年份"), primary_key=True)
    source = models.CharField(_("来源"), max_length=200)
    entered_at = models.DateTimeField(_("录入时间"), default=timezone.now)

    class Meta:
        verbose_name = _("节假日安排年份")
        verbose_name_plural = _("节假日安排年份")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A day that differs from the Monday–Friday pattern: a holiday on a weekday, or a
    weekend day made a working day by a holiday shift (调休)."""

    day = models.DateField(_("日期"), primary_key=True)
    is_working = models.BooleanField(_("是否工作日"))
    name = models.CharField(_("说明"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {'上班' if self.is_working else '休息'} {self.name}"
