"""Credit commitments (domain.md §6, seed 七): standard-form templates, verification of
commitments and the consequences of an untrue one.

The commitments themselves are `collection.CommitmentRecord` rows: those made in
registration and approval systems arrive through ingest, and a voluntary public
commitment made here is stored the same way (source "xinjian", kind "public"), so that
disclosure, the timeline and the exchange standard see one kind of record (ADR 0064).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xinjian.collection.models import CommitmentKind
from xinjian.core import deadlines
from xinjian.core.jurisdiction import EnterpriseScopedQuerySet, region_prefix
from xinjian.core.models import AuditedModel, TransitionRecord
from xinjian.registry.models import Department, Enterprise

# Voluntary public commitments made on the platform carry this source (who provides it:
# the platform itself, on the enterprise's word).
PLATFORM_SOURCE = "xinjian"

VerificationQuerySet = EnterpriseScopedQuerySet


class CommitmentRuleSet(models.Model):
    """One version of the commitment rules; the latest `effective_from` not after the day
    in question applies (a province's own row before the national default)."""

    effective_from = models.DateField(_("生效日期"))
    province_code = models.CharField(_("适用省份"), max_length=6, blank=True, help_text=_("空为全国默认"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    # The law gives no figure for 责令限期整改; the default is assumed (domain.md §6).
    rectification_working_days = models.PositiveSmallIntegerField(_("默认整改期限（工作日）"), default=20)
    # Share of notification-and-commitment (告知承诺) approvals sampled for verification.
    default_sample_percent = models.DecimalField(
        _("默认抽查比例（%）"), max_digits=5, decimal_places=2, default=5
    )
    assumed = models.JSONField(_("未经核实的假定值"), default=list, blank=True)

    class Meta:
        verbose_name = _("信用承诺规则")
        verbose_name_plural = _("信用承诺规则")
        ordering = ["-effective_from", "-id"]

    def __str__(self) -> str:
        return f"{self.province_code or '默认'} {self.effective_from}"


class CommitmentTemplate(AuditedModel):
    """A standard-form commitment text (格式文本) issued by a department, versioned: a new
    version ends the previous one, and old versions stay for the commitments made on
    them."""

    code = models.CharField(_("格式文本编号"), max_length=40)
    version = models.PositiveSmallIntegerField(_("版本"))
    title = models.CharField(_("标题"), max_length=200)
    matter = models.CharField(_("承诺事项"), max_length=200)
    kind = models.CharField(_("承诺类型"), max_length=20, choices=CommitmentKind.choices)
    body = models.TextField(_("承诺正文"))
    # The issuing department's division: enterprises under it may use the template;
    # blank = every region of the platform.
    region_code = models.CharField(_("适用区划"), max_length=6, blank=True)
    issued_by = models.CharField(_("发布部门"), max_length=100, blank=True)
    effective_from = models.DateField(_("生效日期"))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True, help_text=_("当日起不再适用"))

    class Meta:
        verbose_name = _("信用承诺格式文本")
        verbose_name_plural = _("信用承诺格式文本")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="commitment_template_version")
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.code} 第{self.version}版）"

    def in_force_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day < self.effective_to)

    def applies_to(self, region_code: str) -> bool:
        if not self.region_code:
            return True

        return region_code.startswith(region_prefix(self.region_code))


class VerificationSample(AuditedModel):
    """A random sample of commitments drawn for verification, reproducible from its seed:
    rank each candidate by sha256(seed + ":" + commitment id) and take the first
    ceil(percent × population / 100)."""

    department = models.ForeignKey(Department, null=True, on_delete=models.PROTECT, related_name="+")
    region_prefix = models.CharField(_("抽取范围（区划前缀）"), max_length=6, blank=True)
    kind = models.CharField(_("承诺类型"), max_length=20, choices=CommitmentKind.choices)
    period_from = models.DateField(_("承诺日期自"))
    period_to = models.DateField(_("承诺日期至"))
    percent = models.DecimalField(_("抽取比例（%）"), max_digits=5, decimal_places=2)
    seed = models.CharField(_("随机种子"), max_length=64)
    algorithm = models.CharField(_("算法"), max_length=20, default="hash-rank-v1")
    population = models.PositiveIntegerField(_("可抽取承诺数"))
    population_digest = models.CharField(_("名录摘要"), max_length=64)
    selected = models.PositiveIntegerField(_("抽中数"))
    drawn_at = models.DateTimeField(_("抽取时间"))

    class Meta:
        verbose_name = _("承诺核查抽样")
        verbose_name_plural = _("承诺核查抽样")
        ordering = ["-drawn_at", "-id"]

    def __str__(self) -> str:
        return f"{self.period_from}–{self.period_to} {self.percent}% ({self.selected}/{self.population})"


class VerificationStatus(models.TextChoices):
    SELECTED = "selected", _("已选定待核查")
    ASSIGNED = "assigned", _("核查中")
    KEPT = "kept", _("承诺属实")
    UNTRUE = "untrue", _("承诺不实")
    CANCELLED = "cancelled", _("已撤销核查")


OPEN_STATUSES = [VerificationStatus.SELECTED, VerificationStatus.ASSIGNED]


class SelectionMethod(models.TextChoices):
    MANUAL = "manual", _("人工选定")
    SAMPLE = "sample", _("随机抽取")


class Verification(AuditedModel):
    """The verification (核查) of one commitment, a state machine with a history row per
    transition (actions.VERIFICATION_TRANSITIONS). An untrue finding carries one or more
    consequences, enters the credit record and is published (domain.md §6)."""

    commitment = models.ForeignKey(
        "collection.CommitmentRecord", on_delete=models.PROTECT, related_name="verifications"
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="commitment_verifications"
    )
    kind = models.CharField(_("承诺类型"), max_length=20, choices=CommitmentKind.choices)
    status = models.CharField(_("状态"), max_length=20, choices=VerificationStatus.choices)
    method = models.CharField(_("选定方式"), max_length=10, choices=SelectionMethod.choices)
    sample = models.ForeignKey(
        VerificationSample, null=True, blank=True, on_delete=models.PROTECT, related_name="verifications"
    )
    department = models.ForeignKey(Department, null=True, on_delete=models.PROTECT, related_name="+")
    selected_on = models.DateField(_("选定日期"))
    reason = models.TextField(_("选定理由"), blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_on = models.DateField(_("分派日期"), null=True, blank=True)
    concluded_on = models.DateField(_("核查结论日期"), null=True, blank=True)
    facts = models.TextField(_("核查事实"), blank=True)
    documents = models.TextField(
        _("文书与材料"), blank=True, help_text=_("核查文书编号、现场笔录、材料清单等")
    )
    finding_no = models.CharField(_("核查结论文书编号"), max_length=100, blank=True)
    published_on = models.DateField(_("公示日期"), null=True, blank=True)
    repaired_on = models.DateField(_("信用修复日期"), null=True, blank=True)
    repair_ref = models.CharField(_("信用修复决定编号"), max_length=100, blank=True)

    objects = VerificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("承诺核查")
        verbose_name_plural = _("承诺核查")
        ordering = ["-selected_on", "-id"]
        constraints = [
            # One open verification per commitment at a time.
            models.UniqueConstraint(
                fields=["commitment"],
                condition=models.Q(status__in=["selected", "assigned"]),
                name="one_open_verification_per_commitment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise.name} {self.get_status_display()}"

    @property
    def is_untrue(self) -> bool:
        return self.status == VerificationStatus.UNTRUE

    @property
    def repaired(self) -> bool:
        return self.repaired_on is not None


class ConsequenceKind(models.TextChoices):
    # domain.md §6: untrue → one or more of these.
    TERMINATE = "terminate", _("终止办理")
    RECTIFY = "rectify", _("责令限期整改")
    REVOKE_DECISION = "revoke_decision", _("撤销行政决定")
    PENALTY = "penalty", _("予以行政处罚")


class Consequence(models.Model):
    verification = models.ForeignKey(Verification, on_delete=models.PROTECT, related_name="consequences")
    kind = models.CharField(_("处理措施"), max_length=20, choices=ConsequenceKind.choices)
    decision_no = models.CharField(_("文书编号"), max_length=100, blank=True)
    note = models.TextField(_("说明"), blank=True)
    # Rectification (责令限期整改): N working days from `start_on`, due `due_on`
    # (recomputed for display with its explanation; stored for the clock's query).
    working_days = models.PositiveSmallIntegerField(_("整改期限（工作日）"), null=True, blank=True)
    start_on = models.DateField(_("起算日期"), null=True, blank=True)
    due_on = models.DateField(_("整改期限"), null=True, blank=True, db_index=True)
    rectified_on = models.DateField(_("整改完成日期"), null=True, blank=True)
    overdue_on = models.DateField(_("逾期未整改标记日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("承诺不实处理措施")
        verbose_name_plural = _("承诺不实处理措施")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.get_kind_display()

    def deadline(self):  # type: ignore[no-untyped-def]
        """The rectification deadline with how it was computed (architecture rule 4),
        from its start, the working days ordered and today's calendar (commitments.deadlines)."""

        return deadlines.compute(self, "due_on")


class VerificationHistory(TransitionRecord):
    """One row per transition of a verification: who, when, why, which document."""

    verification = models.ForeignKey(Verification, on_delete=models.PROTECT, related_name="history")

    class Meta:
        verbose_name = _("承诺核查流转记录")
        verbose_name_plural = _("承诺核查流转记录")
        ordering = ["at", "id"]
