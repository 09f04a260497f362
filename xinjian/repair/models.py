"""Credit repair (信用修复, domain.md §12; Repair Measures).

An enterprise applies for repair of one of its records; the department that made the
original decision accepts, (verifies on site), decides and updates the publication.
Rules are data (`RepairRuleSet`, versioned with effective dates); an application is a
state machine whose transitions are a table in `actions.TRANSITIONS`, with a history row
per move (`RepairHistory`).
"""

from __future__ import annotations

import builtins
import datetime as dt
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from xinjian.core import deadlines
from xinjian.core.jurisdiction import EnterpriseScopedQuerySet
from xinjian.core.models import AuditedModel, TransitionRecord
from xinjian.registry.models import Department, Enterprise


class RepairKind(models.TextChoices):
    # The values are the `data.kind` of `repair.approved` events (ADR 0063, 0065).
    ANOMALY = "anomaly", _("经营异常名录移出")
    PENALTY_PUBLICATION = "penalty_publication", _("行政处罚信息提前停止公示")
    SERIOUS = "serious", _("严重违法失信名单提前移出")
    UNTRUE_COMMITMENT = "untrue_commitment", _("承诺不实信用修复")


# The foreign key that holds the record repaired, per kind.
TARGET_FIELD: dict[str, str] = {
    RepairKind.ANOMALY: "anomaly",
    RepairKind.PENALTY_PUBLICATION: "penalty",
    RepairKind.SERIOUS: "serious",
    RepairKind.UNTRUE_COMMITMENT: "verification",
}


def target_label(kind: str, target: Any) -> str:
    """How a person recognises the record repaired."""
    if kind == RepairKind.PENALTY_PUBLICATION:
        return f"{target.decision_no} {target.violation}"
    if kind == RepairKind.UNTRUE_COMMITMENT:
        return f"{target.commitment.matter} {target.finding_no}".strip()
    return f"{target.ground_name()} {target.decision_no}"


class RepairRuleSet(models.Model):
    """One version of the repair rules (domain.md §12). The row with the latest
    `effective_from` not after the day in question applies; a province may add its own."""

    effective_from = models.DateField(_("生效日期"))
    province_code = models.CharField(_("适用省份"), max_length=6, blank=True, help_text=_("空为全国默认"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    # §12: early stop of publication after 6 months of publication …
    penalty_min_months = models.PositiveSmallIntegerField(_("处罚信息最短公示期（月）"), default=6)
    # … 1 year for food, drug and special-equipment penalties.
    penalty_min_months_strict_domains = models.PositiveSmallIntegerField(
        _("食品、药品、特种设备领域处罚最短公示期（月）"), default=12
    )
    strict_domains = models.JSONField(_("适用较长公示期的领域"), default=builtins.list)
    # §12: never repairable by early stop — suspension, restriction of business or
    # practice, qualification downgrade, licence revocation.
    never_penalty_types = models.JSONField(_("不予提前停止公示的处罚种类"), default=builtins.list)
    # §12 (seed 十二): stricter for serious or repeated violators.
    repeat_penalty_count = models.PositiveSmallIntegerField(_("从严：同类处罚次数"), default=2)
    repeat_window_years = models.PositiveSmallIntegerField(_("从严：统计年限（年）"), default=3)
    recent_repair_years = models.PositiveSmallIntegerField(_("从严：近N年内已修复"), default=1)
    strict_wait_factor = models.PositiveSmallIntegerField(_("从严：等待期倍数"), default=2)
    strict_requires_onsite = models.BooleanField(_("从严：须现场核查"), default=True)
    # §12 time limits (assumed): accept/reject 2, decide 15, update publication 3 working days.
    accept_working_days = models.PositiveSmallIntegerField(_("受理期限（工作日）"), default=2)
    decide_working_days = models.PositiveSmallIntegerField(_("决定期限（工作日）"), default=15)
    publication_working_days = models.PositiveSmallIntegerField(_("更新公示期限（工作日）"), default=3)
    # Proof of fulfilment uploads.
    max_document_mb = models.PositiveSmallIntegerField(_("单个材料大小上限（MB）"), default=10)
    assumed = models.JSONField(_("未经核实的假定值"), default=builtins.list, blank=True)

    class Meta:
        verbose_name = _("信用修复规则")
        verbose_name_plural = _("信用修复规则")
        ordering = ["-effective_from", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["province_code", "effective_from"], name="repair_rule_version")
        ]

    def __str__(self) -> str:
        return f"{self.province_code or '默认'} {self.effective_from}"


class RepairStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    ACCEPTED = "accepted", _("已受理")
    REJECTED = "rejected", _("不予受理")
    VERIFIED = "verified", _("已现场核查")
    APPROVED = "approved", _("准予修复")
    REFUSED = "refused", _("不予修复")
    DONE = "done", _("已更新公示（办结）")
    REVOKED = "revoked", _("已撤销修复")


OPEN_STATUSES = [
    RepairStatus.SUBMITTED,
    RepairStatus.ACCEPTED,
    RepairStatus.VERIFIED,
    RepairStatus.APPROVED,
]
# A repair that took effect (for "repaired within the last year", §12).
REPAIRED_STATUSES = [RepairStatus.APPROVED, RepairStatus.DONE]


class OverdueStage(models.TextChoices):
    ACCEPT = "accept", _("受理超期")
    DECIDE = "decide", _("决定超期")
    PUBLICATION = "publication", _("更新公示超期")


RepairQuerySet = EnterpriseScopedQuerySet


class RepairApplication(AuditedModel):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="repair_applications")
    number = models.CharField(_("申请编号"), max_length=40, unique=True)
    kind = models.CharField(_("修复类型"), max_length=30, choices=RepairKind.choices)
    status = models.CharField(_("状态"), max_length=20, choices=RepairStatus.choices)
    # The record repaired: exactly one, matching `kind`.
    anomaly = models.ForeignKey(
        "lists.AnomalyListing", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    penalty = models.ForeignKey(
        "collection.Penalty", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    serious = models.ForeignKey(
        "lists.SeriousListing", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # An untrue-commitment finding (domain.md §6; commitments.Verification, ADR 0064).
    verification = models.ForeignKey(
        "commitments.Verification", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # §12: decided by the department that made the original decision.
    department = models.ForeignKey(Department, null=True, on_delete=models.PROTECT, related_name="+")
    # Materials (§12): application, integrity commitment (守信承诺书), proof of fulfilment.
    application_text = models.TextField(_("申请事由"))
    commitment_text = models.TextField(_("守信承诺书"))
    commitment_confirmed_at = models.DateTimeField(_("承诺确认时间"))
    proof_description = models.TextField(_("履行义务、消除影响的证明材料说明"))
    submitted_by = models.CharField(_("申请人"), max_length=150)
    # The stricter path for serious or repeated violators (§12), fixed at submission.
    strict = models.BooleanField(_("从严审查"), default=False)
    onsite_required = models.BooleanField(_("须现场核查"), default=False)
    eligibility = models.JSONField(_("提交时资格审查"), default=dict)
    rules_version = models.ForeignKey(
        RepairRuleSet, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_on = models.DateField(_("提交日期"), db_index=True)
    accept_due = models.DateField(_("受理期限"))
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    decide_due = models.DateField(_("决定期限"), null=True, blank=True)
    verified_on = models.DateField(_("现场核查日期"), null=True, blank=True)
    verification_note = models.TextField(_("现场核查情况"), blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    decision_no = models.CharField(_("决定书编号"), max_length=100, blank=True)
    decided_by = models.CharField(_("决定人"), max_length=150, blank=True)
    reasons = models.TextField(_("不予受理/不予修复理由"), blank=True)
    publication_due = models.DateField(_("更新公示期限"), null=True, blank=True)
    publication_updated_on = models.DateField(_("更新公示日期"), null=True, blank=True)
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True)
    revoke_decision_no = models.CharField(_("撤销决定书编号"), max_length=100, blank=True)
    restored_anomaly = models.ForeignKey(
        "lists.AnomalyListing", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    restored_serious = models.ForeignKey(
        "lists.SeriousListing", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    overdue_stage = models.CharField(_("超期环节"), max_length=20, choices=OverdueStage.choices, blank=True)
    overdue_since = models.DateField(_("超期起始日"), null=True, blank=True)

    objects = RepairQuerySet.as_manager()

    class Meta:
        verbose_name = _("信用修复申请")
        verbose_name_plural = _("信用修复申请")
        ordering = ["-submitted_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        kind="anomaly",
                        anomaly__isnull=False,
                        penalty__isnull=True,
                        serious__isnull=True,
                        verification__isnull=True,
                    )
                    | models.Q(
                        kind="penalty_publication",
                        penalty__isnull=False,
                        anomaly__isnull=True,
                        serious__isnull=True,
                        verification__isnull=True,
                    )
                    | models.Q(
                        kind="serious",
                        serious__isnull=False,
                        anomaly__isnull=True,
                        penalty__isnull=True,
                        verification__isnull=True,
                    )
                    | models.Q(
                        kind="untrue_commitment",
                        verification__isnull=False,
                        anomaly__isnull=True,
                        penalty__isnull=True,
                        serious__isnull=True,
                    )
                ),
                name="repair_one_target_of_its_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()}"

    @property
    def target(self) -> Any:
        return getattr(self, TARGET_FIELD[RepairKind(self.kind)])

    @property
    def target_id(self) -> int | None:
        return getattr(self, TARGET_FIELD[RepairKind(self.kind)] + "_id")

    def target_label(self) -> str:
        return target_label(self.kind, self.target)

    def current_due(self) -> dt.date | None:
        """The legal time limit of the step now awaited (None when nothing is awaited),
        computed from its start, rule and today's calendar (repair.deadlines)."""

        field = self.awaited_field()
        return deadlines.due(self, field) if field else None

    def awaited_field(self) -> str:
        return {
            RepairStatus.SUBMITTED: "accept_due",
            RepairStatus.ACCEPTED: "decide_due",
            RepairStatus.VERIFIED: "decide_due",
            RepairStatus.APPROVED: "publication_due",
        }.get(RepairStatus(self.status), "")

    def awaited_stage(self) -> str:
        return {
            RepairStatus.SUBMITTED: OverdueStage.ACCEPT,
            RepairStatus.ACCEPTED: OverdueStage.DECIDE,
            RepairStatus.VERIFIED: OverdueStage.DECIDE,
            RepairStatus.APPROVED: OverdueStage.PUBLICATION,
        }.get(RepairStatus(self.status), "")

    def is_overdue(self, on: dt.date) -> bool:
        due = self.current_due()
        return due is not None and on > due


class RepairHistory(TransitionRecord):
    """One row per transition: who, when, why, which document (style.md §3)."""

    application = models.ForeignKey(RepairApplication, on_delete=models.PROTECT, related_name="history")

    class Meta:
        verbose_name = _("信用修复流转记录")
        verbose_name_plural = _("信用修复流转记录")
        ordering = ["at", "id"]


class RepairDocument(models.Model):
    """Proof of fulfilment uploaded by the enterprise. Stored outside any public
    directory under a random name; served only to the enterprise and to staff who may
    see the application (views.document)."""

    application = models.ForeignKey(RepairApplication, on_delete=models.PROTECT, related_name="documents")
    original_name = models.CharField(_("文件名"), max_length=200)
    stored_name = models.CharField(max_length=80, unique=True, editable=False)
    content_type = models.CharField(_("类型"), max_length=60)
    size = models.PositiveIntegerField(_("字节数"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("上传时间"))
    uploaded_by = models.CharField(_("上传人"), max_length=150)

    class Meta:
        verbose_name = _("信用修复材料")
        verbose_name_plural = _("信用修复材料")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
