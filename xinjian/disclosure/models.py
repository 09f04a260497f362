"""Disclosure (公示, domain.md §5): the rule table, enterprises' replies, the search index
and the open-data files. The records themselves live in `collection`; what of them is
public is decided by `policy`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xinjian.core.jurisdiction import EnterpriseScopedQuerySet
from xinjian.core.models import TransitionRecord
from xinjian.registry.models import Enterprise


class RuleKey(models.TextChoices):
    # Order 45 art. 13: 3 months for criticism only or a lower-amount fine.
    PENALTY_SHORT_MONTHS = "penalty.short_period_months", _("通报批评、较低数额罚款公示期（月）")
    # Order 45 art. 13: otherwise 3 years (longer while a restriction lasts).
    PENALTY_LONG_MONTHS = "penalty.long_period_months", _("其他行政处罚公示期（月）")
    # Order 45 art. 13: 较低数额罚款 — the amount is set per province (assumed default 10,000 yuan).
    # The threshold differs by the party's type: one key each (legal person, other
    # organisation, individual business), each editable per province.
    PENALTY_LOWER_FINE = "penalty.lower_fine_threshold", _("较低数额罚款上限：法人（元，含本数）")
    PENALTY_LOWER_FINE_OTHER_ORG = (
        "penalty.lower_fine_threshold.other_organisation",
        _("较低数额罚款上限：其他组织（元，含本数）"),
    )
    PENALTY_LOWER_FINE_INDIVIDUAL = (
        "penalty.lower_fine_threshold.individual_business",
        _("较低数额罚款上限：个体工商户（元，含本数）"),
    )
    # Order 45 art. 9: publish within 20 working days of the decision.
    PENALTY_PUBLISH_DAYS = "penalty.publish_within_working_days", _("处罚信息公示时限（工作日）")
    # Order 45 art. 15: a revoked/changed/void decision is withdrawn within 3 working days.
    PENALTY_WITHDRAW_DAYS = "penalty.withdraw_within_working_days", _("撤下已撤销处罚信息时限（工作日）")
    # Double Random notice: results published within 20 working days.
    INSPECTION_PUBLISH_DAYS = "inspection.publish_within_working_days", _("抽查检查结果公示时限（工作日）")


class DisclosureRuleQuerySet(models.QuerySet["DisclosureRule"]):
    def in_force(self, on) -> DisclosureRuleQuerySet:  # type: ignore[no-untyped-def]
        return self.filter(effective_from__lte=on)


class DisclosureRule(models.Model):
    """One version of one rule: a value in force from `effective_from`, for one province
    (`province_code`) or, when empty, nationally. Versions are added, never edited, so that
    any past decision can be re-read under the rule it was made under."""

    key = models.CharField(_("规则"), max_length=60, choices=RuleKey.choices)
    province_code = models.CharField(
        _("省级区划代码"), max_length=6, blank=True, default="", help_text=_("为空表示全国默认")
    )
    value = models.DecimalField(_("取值"), max_digits=14, decimal_places=2)
    effective_from = models.DateField(_("生效日期"))
    assumed = models.BooleanField(
        _("推定值"), default=False, help_text=_("规则原文未能确认，按推定值执行，可由省级管理员调整")
    )
    basis = models.CharField(_("依据"), max_length=200)
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("录入时间"), default=timezone.now)
    created_by = models.CharField(_("录入人"), max_length=150, blank=True)

    objects = DisclosureRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("公示规则")
        verbose_name_plural = _("公示规则")
        ordering = ["key", "province_code", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "province_code", "effective_from"], name="disclosure_rule_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key}@{self.province_code or gettext('全国')} {self.effective_from}: {self.value}"


class RecordKind(models.TextChoices):
    LICENCE = "licence", _("行政许可")
    PENALTY = "penalty", _("行政处罚")
    INSPECTION = "inspection", _("抽查检查结果")
    COMMITMENT = "commitment", _("信用承诺")
    ANOMALY_LISTING = "anomaly_listing", _("经营异常名录")
    SERIOUS_LISTING = "serious_listing", _("严重违法失信名单")


class ReplyStatus(models.TextChoices):
    SHOWN = "shown", _("公示中")
    HIDDEN = "hidden", _("已屏蔽")


ReplyQuerySet = EnterpriseScopedQuerySet


class EnterpriseReply(models.Model):
    """An enterprise's statement (情况说明) on one of its own records, shown beside it
    (domain.md §5). Staff may hide an abusive reply, with a reason."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="disclosure_replies")
    record_kind = models.CharField(_("所针对的信息"), max_length=20, choices=RecordKind.choices)
    record_id = models.BigIntegerField(_("信息编号"))
    text = models.TextField(_("情况说明"))
    status = models.CharField(
        _("状态"), max_length=10, choices=ReplyStatus.choices, default=ReplyStatus.SHOWN
    )
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    hidden_reason = models.TextField(_("屏蔽原因"), blank=True)

    objects = ReplyQuerySet.as_manager()

    class Meta:
        verbose_name = _("企业情况说明")
        verbose_name_plural = _("企业情况说明")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["enterprise", "record_kind", "record_id"])]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.record_kind}#{self.record_id}"


class ReplyStatusChange(TransitionRecord):
    """The reply workflow's history (disclosure.actions.REPLIES)."""

    reply = models.ForeignKey(EnterpriseReply, on_delete=models.PROTECT, related_name="history")

    class Meta(TransitionRecord.Meta):
        verbose_name = _("情况说明状态变更")
        verbose_name_plural = _("情况说明状态变更")


class SearchName(models.Model):
    """The indexed form of an enterprise's name (NFKC, case-folded): one row per
    enterprise, kept beside its bigrams (docs/adr/0031)."""

    enterprise = models.OneToOneField(
        Enterprise, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    name_norm = models.CharField(max_length=200)

    class Meta:
        verbose_name = _("检索名称")
        verbose_name_plural = _("检索名称")

    def __str__(self) -> str:
        return self.name_norm


class SearchGram(models.Model):
    """One character bigram of one enterprise's normalised name. A 2-character fragment
    is answered by one index range; longer fragments start from their rarest bigram."""

    id = models.BigAutoField(primary_key=True)
    enterprise_id = models.BigIntegerField()
    gram = models.CharField(max_length=2)

    class Meta:
        verbose_name = _("名称二元索引")
        verbose_name_plural = _("名称二元索引")
        indexes = [
            models.Index(fields=["gram", "enterprise_id"], name="disclosure_gram_idx"),
            models.Index(fields=["enterprise_id"], name="disclosure_gram_ent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.gram}:{self.enterprise_id}"


class SearchGramStat(models.Model):
    """How many names hold each bigram: picks a long fragment's rarest bigram with one
    primary-key read instead of counting postings (kept by `search`; approximate is fine,
    it only guides the choice)."""

    gram = models.CharField(max_length=2, primary_key=True)
    n = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("二元索引词频")
        verbose_name_plural = _("二元索引词频")

    def __str__(self) -> str:
        return f"{self.gram}={self.n}"


class OpenDataFile(models.Model):
    """One file of one day's open-data export, with its checksum (SHA-256 of the bytes)."""

    export_date = models.DateField(_("数据日期"), db_index=True)
    kind = models.CharField(_("数据类别"), max_length=40)
    fmt = models.CharField(_("格式"), max_length=10)
    filename = models.CharField(_("文件名"), max_length=120)
    rows = models.PositiveIntegerField(_("记录数"), default=0)
    size = models.PositiveBigIntegerField(_("字节数"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)

    class Meta:
        verbose_name = _("开放数据文件")
        verbose_name_plural = _("开放数据文件")
        ordering = ["-export_date", "kind", "fmt"]
        constraints = [
            models.UniqueConstraint(fields=["export_date", "filename"], name="open_data_file_once")
        ]

    def __str__(self) -> str:
        return f"{self.export_date} {self.filename}"
