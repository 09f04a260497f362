"""Anomaly list (domain.md §9), serious-violation list (§10), measures and exposure (§11).

Rules are data: `ListRuleSet` (periods, working days, thresholds, switches) and
`ListGround` / `Measure` rows carry effective dates; `rules.rules_on(date, region)` reads the
version in force. Listings are state machines with history rows (`transitions.py`).
"""

from __future__ import annotations

import builtins
import datetime as dt

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xinjian.core.jurisdiction import EnterpriseScopedQuerySet, JurisdictionQuerySet
from xinjian.core.models import AuditedModel, TransitionRecord
from xinjian.disclosure.redaction import redact
from xinjian.registry.models import Department, Enterprise

ListingQuerySet = EnterpriseScopedQuerySet


class ListKind(models.TextChoices):
    ANOMALY = "anomaly", _("经营异常名录")
    SERIOUS = "serious", _("严重违法失信名单")


class ListRuleSet(models.Model):
    """One version of the list rules. A province may override from `effective_from`;
    the row with the latest effective date not after the day in question applies."""

    effective_from = models.DateField(_("生效日期"))
    province_code = models.CharField(_("适用省份"), max_length=6, blank=True, help_text=_("空为全国默认"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    # Anomaly Measures art. 4: annual report window 1 January – 30 June.
    annual_report_deadline_month = models.PositiveSmallIntegerField(_("年报截止月"), default=6)
    annual_report_deadline_day = models.PositiveSmallIntegerField(_("年报截止日"), default=30)
    anomaly_listing_working_days = models.PositiveSmallIntegerField(
        _("列入异常名录期限（工作日）"), default=10
    )
    anomaly_removal_working_days = models.PositiveSmallIntegerField(
        _("移出异常名录期限（工作日）"), default=5
    )
    anomaly_escalation_years = models.PositiveSmallIntegerField(
        _("异常名录满N年列入严重违法失信名单"), default=3
    )
    anomaly_reminder_days = models.PositiveSmallIntegerField(_("届满前公告提醒天数"), default=60)
    # Disclosure Regulation art. 10: the time limit an order to publish gives (assumed).
    publication_order_days = models.PositiveSmallIntegerField(_("责令限期公示期限（日）"), default=10)
    # "batch": list under the department's standing batch decision; "draft": drafts to approve.
    annual_report_listing_mode = models.CharField(
        _("未年报列入方式"),
        max_length=10,
        default="batch",
        choices=[("batch", _("按常设批量决定直接列入")), ("draft", _("生成待审批草稿"))],
    )
    # Order 44 (assumed figures, domain.md §10).
    serious_statement_working_days = models.PositiveSmallIntegerField(_("陈述申辩期限（工作日）"), default=5)
    serious_publication_working_days = models.PositiveSmallIntegerField(_("公示期限（工作日）"), default=20)
    serious_period_years = models.PositiveSmallIntegerField(_("列入期限（年）"), default=3)
    serious_early_removal_min_years = models.PositiveSmallIntegerField(
        _("提前移出最短列入期（年）"), default=1
    )
    serious_revocation_working_days = models.PositiveSmallIntegerField(_("撤销列入期限（工作日）"), default=3)
    # Administrative Penalty Law art. 64 (2): the party is told the time and place of the
    # hearing at least 7 days before it.
    hearing_notice_days = models.PositiveSmallIntegerField(_("听证通知提前天数"), default=7)
    approval_by_level_above = models.BooleanField(_("县市级决定报上一级审批"), default=True)
    heavier_penalty_types = models.JSONField(
        _("较重行政处罚种类"),
        default=list,
        help_text=_("另含从重处罚的罚款"),
    )
    # Domain §11: repeat offenders, default 3 published key-area penalties in 2 years.
    repeat_threshold = models.PositiveSmallIntegerField(_("屡罚不改：处罚次数"), default=3)
    repeat_window_years = models.PositiveSmallIntegerField(_("屡罚不改：统计年限"), default=2)
    repeat_domains = models.JSONField(_("屡罚不改：计入领域"), default=list)
    assumed = models.JSONField(_("未经核实的假定值"), default=list, blank=True)

    class Meta:
        verbose_name = _("名单规则")
        verbose_name_plural = _("名单规则")
        ordering = ["-effective_from", "-id"]

    def __str__(self) -> str:
        return f"{self.province_code or gettext('默认')} {self.effective_from}"


class ListGround(models.Model):
    """A ground for listing (Anomaly Measures art. 4; Order 44's listed domains)."""

    code = models.CharField(_("代码"), max_length=60)
    list = models.CharField(_("名单"), max_length=10, choices=ListKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    basis = models.CharField(_("依据"), max_length=200)
    # Serious list: penalty domains this ground covers (interfaces.md penalty `domain`).
    penalty_domains = models.JSONField(_("对应处罚领域"), default=builtins.list, blank=True)
    effective_from = models.DateField(_("生效日期"), default=dt.date(2021, 9, 1))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("列入事由")
        verbose_name_plural = _("列入事由")
        ordering = ["list", "code", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["code", "effective_from"], name="list_ground_version")]

    def __str__(self) -> str:
        return self.name


class Measure(models.Model):
    """A management measure applied while an enterprise is listed (joint punishment)."""

    code = models.CharField(_("代码"), max_length=60)
    list = models.CharField(_("名单"), max_length=10, choices=ListKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    basis = models.CharField(_("依据"), max_length=200, blank=True)
    blocks_commitment = models.BooleanField(_("不适用告知承诺"), default=False)
    effective_from = models.DateField(_("生效日期"), default=dt.date(2021, 9, 1))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("惩戒措施")
        verbose_name_plural = _("惩戒措施")
        ordering = ["list", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code", "list", "effective_from"], name="measure_version")
        ]

    def __str__(self) -> str:
        return self.name


class BatchDecision(AuditedModel):
    """A department's standing decision to list every enterprise of its jurisdiction that
    has not filed last year's annual report (Anomaly Measures art. 4 (1))."""

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    report_year = models.PositiveSmallIntegerField(_("年报年度"))
    decision_no = models.CharField(_("决定书文号"), max_length=100)
    decided_on = models.DateField(_("决定日期"))
    active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("常设批量列入决定")
        verbose_name_plural = _("常设批量列入决定")
        constraints = [
            models.UniqueConstraint(fields=["department", "report_year"], name="batch_decision_key")
        ]

    def __str__(self) -> str:
        return self.decision_no

    @staticmethod
    def valid_from(report_year: int) -> dt.date:
        """Anomaly Measures art. 4 (1): the report for year Y may be filed until 30 June of
        Y+1, so a standing decision to list the non-filers counts only from 1 July."""
        return dt.date(report_year + 1, 7, 1)


class AnomalyStatus(models.TextChoices):
    DRAFT = "draft", _("待审批")
    LISTED = "listed", _("列入中")
    REMOVED = "removed", _("已移出")
    REVOKED = "revoked", _("已撤销")
    DROPPED = "dropped", _("未列入")


class RemovalReason(models.TextChoices):
    REPORT_FILED = "report_filed", _("补报年度报告")
    INFO_PUBLISHED = "info_published", _("公示应当公示的信息")
    INFO_CORRECTED = "info_corrected", _("更正公示信息")
    ADDRESS_CHANGED = "address_changed", _("办理住所变更登记")
    REACHABLE = "reachable", _("通过登记住所可以联系")
    MOVED_TO_SERIOUS = "moved_to_serious", _("满三年列入严重违法失信名单")
    PERIOD_EXPIRED = "period_expired", _("列入期满自动移出")
    CREDIT_REPAIR = "credit_repair", _("信用修复提前移出")
    PENALTY_REVOKED = "penalty_revoked", _("处罚决定被撤销")
    ERROR = "error", _("列入错误")
    OTHER = "other", _("其他")


# Which removal reasons end each anomaly ground (Anomaly Measures arts. 11–13).
CEASING_REASONS = {
    "annual_report_missing": [RemovalReason.REPORT_FILED],
    "unpublished_info": [RemovalReason.INFO_PUBLISHED],
    "false_info": [RemovalReason.INFO_CORRECTED],
    "unreachable": [RemovalReason.ADDRESS_CHANGED, RemovalReason.REACHABLE],
}


class AnomalyKind(models.TextChoices):
    """Where the finding is recorded (domain.md §10). An enterprise goes onto the
    enterprise anomaly list (Anomaly Measures); an individual business (个体工商户, USCC
    type 92) is instead marked in the abnormal business state (经营异常状态: 《个体工商户
    年度报告暂行办法》 arts. 13–15, 《促进个体工商户发展条例》) — public and removable on
    the same grounds, never escalated to the serious-violation list after 3 years."""

    LIST = "list", _("经营异常名录")
    STATE = "state", _("经营异常状态")


def is_individual_business(uscc: str) -> bool:
    """GB 32100-2015: the USCC's first two characters 92 (registered by market regulation,
    category individual business)."""
    return (uscc or "")[:2] == "92"


class AnomalyListing(AuditedModel):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="anomaly_listings")
    kind = models.CharField(
        _("类别"), max_length=10, choices=AnomalyKind.choices, default=AnomalyKind.LIST, db_index=True
    )
    ground = models.CharField(_("列入事由"), max_length=60)
    report_year = models.PositiveSmallIntegerField(_("未报年度"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=AnomalyStatus.choices)
    department = models.ForeignKey(Department, null=True, on_delete=models.PROTECT, related_name="+")
    decided_by = models.CharField(_("作出决定机关"), max_length=100, blank=True)
    decision_no = models.CharField(_("列入决定书文号"), max_length=100, blank=True)
    proposed_on = models.DateField(_("发现日期"))
    listing_due = models.DateField(_("列入期限"), null=True, blank=True)
    listed_on = models.DateField(_("列入日期"), null=True, blank=True, db_index=True)
    facts = models.TextField(_("事实"), blank=True)
    inspection = models.ForeignKey(
        "collection.Inspection", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    list_decision = models.ForeignKey(
        "collection.ListDecision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Ground "unreachable": the registered address when listed; a registered change of
    # address ends the ground (Anomaly Measures art. 13).
    address_at_listing = models.CharField(_("列入时登记住所"), max_length=300, blank=True)
    ground_ceased_on = models.DateField(_("事由消除日期"), null=True, blank=True)
    ceased_reason = models.CharField(
        _("事由消除情形"), max_length=30, choices=RemovalReason.choices, blank=True
    )
    removal_due = models.DateField(_("移出期限"), null=True, blank=True)
    removed_on = models.DateField(_("移出日期"), null=True, blank=True)
    removal_reason = models.CharField(_("移出原因"), max_length=30, choices=RemovalReason.choices, blank=True)
    removal_decision_no = models.CharField(_("移出决定书文号"), max_length=100, blank=True)
    reminder_published_on = models.DateField(_("届满提醒公告日期"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        "SeriousListing", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ListingQuerySet.as_manager()

    class Meta:
        verbose_name = _("经营异常名录")
        verbose_name_plural = _("经营异常名录")
        ordering = ["-listed_on", "-id"]
        constraints = [
            # One listing per enterprise and missing report year: the clock is idempotent.
            models.UniqueConstraint(
                fields=["enterprise", "report_year"],
                condition=models.Q(report_year__isnull=False),
                name="anomaly_one_per_report_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise.name} {self.ground_name()}"

    def ground_name(self) -> str:
        from .rules import ground_name

        return ground_name(self.ground)

    @property
    def is_state_mark(self) -> bool:
        return self.kind == AnomalyKind.STATE

    def escalation_date(self) -> dt.date | None:
        """The day three full years of listing end (Anomaly Measures art. 17); None for an
        individual business's abnormal-state mark, which is never escalated."""
        from .rules import add_years, rules_on

        if not self.listed_on or self.kind == AnomalyKind.STATE:
            return None
        return add_years(
            self.listed_on, rules_on(self.listed_on, self.enterprise.region_code).anomaly_escalation_years
        )


class PublicationOrder(AuditedModel):
    """An order to publish required information within a time limit (责令限期公示,
    Disclosure Regulation art. 10), given when a check finds information not published.
    Anomaly Measures art. 4 (2): the listing ground is not publishing *within the ordered
    time limit*, so a listing is proposed only once the limit has passed unfulfilled."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="publication_orders")
    inspection = models.OneToOneField(
        "collection.Inspection", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ordered_on = models.DateField(_("责令日期"))
    time_limit_days = models.PositiveSmallIntegerField(_("责令公示期限（日）"))
    fulfilled_on = models.DateField(_("履行公示日期"), null=True, blank=True)
    listing = models.ForeignKey(
        AnomalyListing, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ListingQuerySet.as_manager()

    class Meta:
        verbose_name = _("责令限期公示")
        verbose_name_plural = _("责令限期公示")
        ordering = ["ordered_on", "id"]

    def __str__(self) -> str:
        return f"{self.enterprise.name} {self.ordered_on}"

    def due_on(self) -> dt.date:
        """The last day to publish (included): the time limit counted from the day after
        the order (Civil Code art. 201), so a listing is possible from the day after."""
        return self.ordered_on + dt.timedelta(days=self.time_limit_days)

    def lapsed(self, on: dt.date) -> bool:
        return self.fulfilled_on is None and on > self.due_on()


class SeriousStatus(models.TextChoices):
    PROPOSED = "proposed", _("拟列入")
    NOTIFIED = "notified", _("已告知")
    # The hearing (听证, Order 44 art. 15; Administrative Penalty Law arts. 63–65): asked
    # for within the statement period, it stops the procedure until it is concluded.
    HEARING_REQUESTED = "hearing_requested", _("已申请听证")
    HEARING_SCHEDULED = "hearing_scheduled", _("听证已安排")
    HEARING_CONCLUDED = "hearing_concluded", _("听证已结束")
    PENDING_APPROVAL = "pending_approval", _("待审批")
    APPROVED = "approved", _("已批准")
    DECIDED = "decided", _("已决定")
    PUBLISHED = "published", _("已公示（惩戒中）")
    REMOVED = "removed", _("已移出")
    REVOKED = "revoked", _("已撤销")
    DROPPED = "dropped", _("不予列入")
    # Escalation from the anomaly list (Order 44 art. 13) re-checked at a step and found
    # no longer due: the obligation was fulfilled, the listing ended or the enterprise
    # was deregistered. Terminal, with its reason (`dropped_reason`).
    LAPSED = "lapsed", _("终止（复核不再符合列入条件）")


HEARING_STATES = [
    SeriousStatus.HEARING_REQUESTED,
    SeriousStatus.HEARING_SCHEDULED,
    SeriousStatus.HEARING_CONCLUDED,
]

IN_FORCE_SERIOUS = [SeriousStatus.PUBLISHED]
OPEN_SERIOUS = [
    SeriousStatus.PROPOSED,
    SeriousStatus.NOTIFIED,
    *HEARING_STATES,
    SeriousStatus.PENDING_APPROVAL,
    SeriousStatus.APPROVED,
    SeriousStatus.DECIDED,
    SeriousStatus.PUBLISHED,
]


class HearingOutcome(models.TextChoices):
    """How a hearing ended (Administrative Penalty Law art. 65: the decision follows the
    hearing record)."""

    LIST = "list", _("维持拟列入意见")
    NOT_LIST = "not_list", _("不予列入")
    WITHDRAWN = "withdrawn", _("当事人撤回听证申请或无正当理由不参加（视为放弃）")


class ProposalSource(models.TextChoices):
    PENALTY = "penalty", _("较重行政处罚自动提示")
    STAFF = "staff", _("工作人员提出")
    ANOMALY = "anomaly", _("经营异常名录满三年")
    CASE_SYSTEM = "case_system", _("办案系统决定")


class SeriousListing(AuditedModel):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="serious_listings")
    ground = models.CharField(_("列入事由"), max_length=60)
    status = models.CharField(_("状态"), max_length=20, choices=SeriousStatus.choices)
    source = models.CharField(_("来源"), max_length=20, choices=ProposalSource.choices)
    department = models.ForeignKey(Department, null=True, on_delete=models.PROTECT, related_name="+")
    penalty = models.ForeignKey(
        "collection.Penalty", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    basis_decision_no = models.CharField(_("所依据的处罚决定书文号"), max_length=100, blank=True)
    anomaly = models.ForeignKey(
        AnomalyListing, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    list_decision = models.ForeignKey(
        "collection.ListDecision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    facts = models.TextField(_("违法事实"), blank=True)
    legal_basis = models.TextField(_("列入依据"), blank=True)
    proposed_on = models.DateField(_("提出日期"))
    notified_on = models.DateField(_("告知日期"), null=True, blank=True)
    statement_due = models.DateField(_("陈述申辩截止"), null=True, blank=True)
    statement = models.TextField(_("当事人陈述申辩"), blank=True)
    hearing_requested = models.BooleanField(_("要求听证"), default=False)
    hearing_requested_on = models.DateField(_("申请听证日期"), null=True, blank=True)
    hearing_on = models.DateField(_("听证日期"), null=True, blank=True)
    hearing_time = models.CharField(_("听证时间"), max_length=20, blank=True)
    hearing_place = models.CharField(_("听证地点"), max_length=200, blank=True)
    hearing_host = models.CharField(_("听证主持人"), max_length=100, blank=True)
    hearing_notified_on = models.DateField(_("听证通知日期"), null=True, blank=True)
    hearing_held_on = models.DateField(_("听证举行日期"), null=True, blank=True)
    hearing_record = models.TextField(_("听证笔录要点"), blank=True)
    hearing_outcome = models.CharField(
        _("听证结论"), max_length=20, choices=HearingOutcome.choices, blank=True
    )
    # The decision must answer what the party said (domain.md §10).
    reply_to_party = models.TextField(_("对陈述申辩、听证意见的采纳情况"), blank=True)
    dropped_reason = models.CharField(_("不予列入/终止理由"), max_length=300, blank=True)
    approved_on = models.DateField(_("批准日期"), null=True, blank=True)
    approved_by = models.CharField(_("批准人"), max_length=150, blank=True)
    decided_on = models.DateField(_("列入决定日期"), null=True, blank=True)
    decision_no = models.CharField(_("列入决定书文号"), max_length=100, blank=True)
    decided_by = models.CharField(_("作出决定机关"), max_length=100, blank=True)
    publication_due = models.DateField(_("公示期限"), null=True, blank=True)
    # The decision served on the party (送达): the remedies run from that day — 行政复议
    # within 60 days (Administrative Reconsideration Law art. 20), 行政诉讼 within 6 months
    # (Administrative Litigation Law art. 46). Stored copies of derived deadlines.
    decision_served_on = models.DateField(_("决定书送达日期"), null=True, blank=True)
    reconsideration_due = models.DateField(_("申请行政复议期限"), null=True, blank=True)
    lawsuit_due = models.DateField(_("提起行政诉讼期限"), null=True, blank=True)
    published_on = models.DateField(_("公示日期"), null=True, blank=True)
    # The last day listed, inclusive — the same convention as a penalty's
    # `disclosed_until` (Civil Code art. 201/202): removed automatically the day after.
    expires_on = models.DateField(_("列入期限至"), null=True, blank=True)
    removed_on = models.DateField(_("移出日期"), null=True, blank=True)
    removal_reason = models.CharField(_("移出原因"), max_length=30, choices=RemovalReason.choices, blank=True)
    revocation_due = models.DateField(_("撤销期限"), null=True, blank=True)

    objects = ListingQuerySet.as_manager()

    class Meta:
        verbose_name = _("严重违法失信名单")
        verbose_name_plural = _("严重违法失信名单")
        ordering = ["-proposed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.enterprise.name} {self.ground_name()}"

    def ground_name(self) -> str:
        from .rules import ground_name

        return ground_name(self.ground)

    @property
    def in_force(self) -> bool:
        return self.status in IN_FORCE_SERIOUS

    def earliest_repair_date(self) -> dt.date | None:
        """Order 44 art. 20: early removal on application after one year of listing, and
        never while a statutory restriction still runs."""
        from .rules import add_years, rules_on

        if not self.decided_on:
            return None
        day = add_years(
            self.decided_on,
            rules_on(self.decided_on, self.enterprise.region_code).serious_early_removal_min_years,
        )
        restriction = self.penalty.restriction_until if self.penalty is not None else None
        if restriction and restriction > day:
            day = restriction
        return day


class ListingHistory(TransitionRecord):
    """One row per transition of a listing: who, when, why, which document."""

    anomaly = models.ForeignKey(
        AnomalyListing, null=True, blank=True, on_delete=models.PROTECT, related_name="history"
    )
    serious = models.ForeignKey(
        SeriousListing, null=True, blank=True, on_delete=models.PROTECT, related_name="history"
    )

    class Meta:
        verbose_name = _("名单流转记录")
        verbose_name_plural = _("名单流转记录")
        ordering = ["at", "id"]


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    REVIEWED = "reviewed", _("已审核")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class TypicalCase(AuditedModel):
    """A typical case of serious dishonesty published as an article (seed 十一, 十三)."""

    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    region_code = models.CharField(_("区划代码"), max_length=6)
    enterprises = models.ManyToManyField(Enterprise, related_name="typical_cases", blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.DRAFT)
    written_by = models.CharField(_("撰写人"), max_length=150)
    reviewed_by = models.CharField(_("审核人"), max_length=150, blank=True)
    published_on = models.DateField(_("发布日期"), null=True, blank=True)

    objects = JurisdictionQuerySet.as_manager()

    class Meta:
        verbose_name = _("典型案例")
        verbose_name_plural = _("典型案例")
        ordering = ["-published_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def _people(self) -> list[str]:
        return [e.legal_representative for e in self.enterprises.all()]

    def public_title(self) -> str:
        """The title as published: personal data removed (domain.md §5)."""

        return redact(self.title, names=self._people())

    def public_body(self) -> str:
        """The article as published: personal data removed (domain.md §5). The stored
        text stays as written, for the staff who review it."""

        return redact(self.body, names=self._people())


class CaseHistory(TransitionRecord):
    """One row per step of a typical case (`actions.CASES`)."""

    case = models.ForeignKey(TypicalCase, on_delete=models.PROTECT, related_name="history")

    class Meta:
        verbose_name = _("案例流转记录")
        verbose_name_plural = _("案例流转记录")
        ordering = ["at", "id"]


class AppliedListDecision(models.Model):
    """A collected list decision (interfaces.md list-decisions) that has taken effect, or
    could not (with the reason): each is applied once."""

    list_decision = models.OneToOneField(
        "collection.ListDecision", on_delete=models.PROTECT, related_name="+"
    )
    applied_at = models.DateTimeField(_("处理时间"))
    outcome = models.CharField(_("结果"), max_length=20)
    message = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("已处理名单决定")
        verbose_name_plural = _("已处理名单决定")

    def __str__(self) -> str:
        return f"{self.list_decision_id} {self.outcome}"
